"""`manage.py import_agreement FILE [--dry-run] [--as USERNAME]`: what it prints, what it creates (a draft,
only from a complete text whose parties are all found), and what it refuses, writing nothing."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agreements.importing import matching
from agreements.importing.parsing import Confidence, PartyMention
from agreements.models import Agreement, Body
from core.models import AuditEntry
from tests.support import SEEDS, needs_seeds

pytestmark = pytest.mark.django_db

TEXT = """CHƯƠNG TRÌNH HỢP TÁC
giữa Sở Công Thương tỉnh Long An và Sở Công Thương tỉnh Tiền Giang giai đoạn 2021 – 2025

Ngày 05/03/2021 tại Sở Công Thương tỉnh Tiền Giang, hai bên thống nhất như sau.
Nội dung hợp tác:
1. Tổ chức các hoạt động xúc tiến thương mại chung.
2. Phối hợp chống buôn lậu, hàng giả.
Bộ phận điều phối của mỗi bên (Phòng Kế hoạch - Tài chính) báo cáo định kỳ 6 tháng/lần.
"""


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_agreement", *args, stdout=out)
    return out.getvalue()


def written(tmp_path: Path, text: str, name: str = "chuong-trinh.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@needs_seeds
def test_dry_run_prints_what_the_seed_says_and_creates_nothing(users):
    before = Agreement.objects.count()
    out = run(str(next(SEEDS.glob("000_*.txt"))), "--dry-run")
    assert "Ngày ký: 14/10/2011" in out
    assert "Nơi ký: Sở Công Thương tỉnh Tây Ninh" in out
    assert "Giai đoạn: 01/01/2011 – 31/12/2015" in out
    assert "Nội dung hợp tác (9):" in out and "  9. [admin_reform] Liên kết trao đổi kinh nghiệm" in out
    assert "Sở Công Thương tỉnh Long An → Sở Công Thương tỉnh Long An (đến 30/06/2025)" in out
    assert "dòng 14: Sở Công Thương Long An" in out
    assert "Chạy thử: chưa tạo gì." in out
    assert Agreement.objects.count() == before


def test_creates_a_draft_as_the_coordinator(users, tmp_path):
    out = run(written(tmp_path, TEXT), "--as", "la.coord")
    agreement = Agreement.objects.latest("pk")
    assert f"Đã tạo dự thảo số {agreement.pk}" in out
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.kind == Agreement.Kind.PROGRAMME
    assert agreement.signed_on == datetime.date(2021, 3, 5)
    assert agreement.signed_at == "Sở Công Thương tỉnh Tiền Giang"
    assert (agreement.period_start, agreement.period_end) == (datetime.date(2021, 1, 1), datetime.date(2025, 12, 31))
    # Entered after the fact: its past periods are history.
    assert agreement.tracked_from == datetime.date(2026, 11, 22)
    parties = list(agreement.parties.select_related("body", "coordinating_office").order_by("order"))
    assert [p.body.name for p in parties] == ["Sở Công Thương tỉnh Long An", "Sở Công Thương tỉnh Tiền Giang"]
    assert [p.body.valid_to for p in parties] == [datetime.date(2025, 6, 30)] * 2  # the bodies of 2021
    assert [p.coordinating_office.name for p in parties] == [
        "Phòng Kế hoạch - Tài chính, Sở Công Thương tỉnh Long An",
        "Phòng Kế hoạch - Tài chính, Sở Công Thương tỉnh Tiền Giang",
    ]
    items = list(agreement.items.order_by("number"))
    assert [(i.number, i.sector_id) for i in items] == [(1, "trade"), (2, "market_control")]
    entry = AuditEntry.objects.get(action="agreement.created", object_id=agreement.pk)
    assert entry.actor == users["la.coord"] and entry.data["source"] == "import:chuong-trinh.txt"


def test_without_as_the_import_is_the_systems(users, tmp_path):
    run(written(tmp_path, TEXT))
    agreement = Agreement.objects.latest("pk")
    assert AuditEntry.objects.get(action="agreement.created", object_id=agreement.pk).actor is None


def test_an_unknown_party_refuses_and_creates_nothing(users, tmp_path):
    before = Agreement.objects.count()
    text = TEXT.replace("Sở Công Thương tỉnh Tiền Giang giai", "Sở Du lịch tỉnh Cà Mau giai")
    with pytest.raises(CommandError) as caught:
        run(written(tmp_path, text), "--as", "la.coord")
    assert "Không tìm thấy cơ quan “Sở Du lịch tỉnh Cà Mau”" in str(caught.value)
    assert Agreement.objects.count() == before


def test_an_incomplete_text_refuses_and_says_what_is_missing(users, tmp_path):
    with pytest.raises(CommandError) as caught:
        run(written(tmp_path, "Ngày 05/03/2021 tại Tiền Giang, hai bên gặp gỡ."), "--dry-run")
    message = str(caught.value)
    assert "giai đoạn thực hiện" in message and "các nội dung hợp tác được đánh số" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "rỗng"), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "không phải văn bản")],
    ids=["empty", "binary"],
)
def test_a_file_that_cannot_be_read_is_refused(users, tmp_path, content, expected):
    path = tmp_path / "thoa-thuan.docx"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=expected):
        run(str(path))


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("la.staff", "chỉ bộ phận điều phối"),
        ("tg.leader", "chỉ bộ phận điều phối"),
        ("tn.coord", "phải là một bên"),  # Tây Ninh is no party of this programme
        ("nobody", "Không có tài khoản"),
    ],
)
def test_only_a_coordinator_of_a_party_may_stand_for_the_import(users, tmp_path, username, expected):
    before = Agreement.objects.count()
    with pytest.raises(CommandError, match=expected):
        run(written(tmp_path, TEXT), "--as", username)
    assert Agreement.objects.count() == before


def test_bodies_are_those_valid_on_the_signing_day(demo):
    long_an = PartyMention("Sở Công Thương tỉnh Tây Ninh", Confidence.FOUND)
    then = matching.match_party(long_an, datetime.date(2011, 10, 14)).body
    now = matching.match_party(long_an, datetime.date(2026, 1, 5)).body
    assert then is not None and now is not None
    assert then.valid_to == datetime.date(2025, 6, 30) and now.valid_to is None
    # Long An is no province after the merger: its department is not offered for 2026.
    gone = matching.match_party(
        PartyMention("Sở Công Thương tỉnh Long An", Confidence.FOUND), datetime.date(2026, 1, 5)
    )
    assert gone.body is None and "Không tìm thấy" in gone.problem


def test_names_are_matched_without_diacritics_and_by_former_names(demo):
    day = datetime.date(2023, 5, 1)
    bare = matching.match_party(PartyMention("so cong thuong long an", Confidence.FOUND), day)
    assert bare.body is not None and bare.body.name == "Sở Công Thương tỉnh Long An"
    hue = matching.match_party(PartyMention("Ủy ban nhân dân tỉnh Thừa Thiên Huế", Confidence.FOUND), day)
    assert hue.body is not None and hue.body.unit.short_name == "Huế"
    short = matching.match_party(PartyMention("UBND tỉnh Long An", Confidence.FOUND), day)
    assert short.body is not None and short.body.kind == Body.Kind.PEOPLES_COMMITTEE


def test_an_unknown_body_is_offered_the_bodies_of_its_province(demo):
    match = matching.match_party(
        PartyMention("Sở Xây dựng tỉnh Long An", Confidence.FOUND), datetime.date(2011, 10, 14)
    )
    assert match.body is None
    names = {body.name for body in match.candidates}
    assert {"Ủy ban nhân dân tỉnh Long An", "Sở Công Thương tỉnh Long An"} <= names
    assert all(body.unit.short_name == "Long An" for body in match.candidates)
