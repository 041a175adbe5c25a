"""`manage.py render_report` on the demo data: the three documents, checked from the PDFs themselves.

One module-scoped fixture approves the 2025 reports of the Long An – Tây Ninh – Tiền Giang
programme through the workflow, renders every document once with the command, and rolls the
database back; the tests then read the PDFs with poppler-utils (pdfinfo, pdffonts, pdftotext)
and pypdf.  Page 1 of each is written as PNG to test-artifacts/documents/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from reporting.models import OfficialDocument, ProgressReport
from tests.support import (
    A4,
    ARTIFACTS,
    ASSESSMENT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    NEXT_TASKS,
    SHORTCOMINGS,
    TOLERANCE,
    content_text,
    ensure_demo,
    fill_and_approve_period,
    nfc,
    page1_png,
    pdffonts,
    pdfinfo,
    periods_of,
    programme,
    words_by_page,
)

# Every test asks for the test database, so that pytest-django creates it even when `-k` keeps only
# tests that read the module's rendered files: the fixture must never write to the real database.
pytestmark = pytest.mark.django_db

FONT_NAME = re.compile(r"^[A-Z]{6}\+Liberation-?Serif(-Bold|-Italic|-Bold-?Italic)?$")


@dataclass
class Rendered:
    path: Path
    number: str  # "01/BC-SCT", or "" for a draft
    texts: list[str] = field(default_factory=list)  # what the database holds and the PDF must show
    signature: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


def expected_place_date(place: str) -> str:
    """Written independently of the code under test: zero-padded days < 10 and months 1–2 only."""
    today = timezone.localdate()
    month = f"{today.month:02d}" if today.month <= 2 else str(today.month)
    return f"{place}, ngày {today.day:02d} tháng {month} năm {today.year}"


def _texts(reports: list[ProgressReport]) -> list[str]:
    agreement = programme()
    texts = [agreement.title] + [item.text for item in agreement.items.all()]
    for report in reports:
        for entry in report.entries.select_related("commitment"):
            texts += [entry.commitment.description, entry.results, entry.difficulties, entry.proposals]
        texts += [report.overall_assessment, report.shortcomings, report.next_period_tasks]
    return [t for t in texts if t.strip()]


@pytest.fixture(scope="module")
def rendered(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("documents")
    media = tmp_path_factory.mktemp("media")
    docs: dict[str, Rendered] = {}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        ensure_demo()
        users = {u.username: u for u in get_user_model().objects.all()}
        first, second = periods_of(2025)
        approved_first = fill_and_approve_period(users, first)
        approved_second = fill_and_approve_period(users, second)
        la, tn, tg = approved_first
        agreement = programme()
        # Issued in 2026, after the merger: today's Sở Công Thương tỉnh Tây Ninh issues for both former
        # departments, under today's UBND tỉnh Tây Ninh, with one register of numbers.
        header_la = ["UBND TỈNH TÂY NINH", "SỞ CÔNG THƯƠNG"]

        def render(name: str, *args: str, actor: str = "la.coord", signer: str = "la.leader") -> Path:
            path = out / f"{name}.pdf"
            issue = ["--issue", actor, "--signer", signer] if name != "draft" else []
            call_command("render_report", *args, *issue, "-o", str(path), stdout=StringIO())
            return path

        def number(key: str) -> str:
            stored = OfficialDocument.objects.get(key=key, is_current=True)
            assert stored.state == OfficialDocument.State.READY
            assert stored.issuing_body is not None
            return f"{stored.number:02d}/BC-{stored.issuing_body.abbreviation}"

        docs["party"] = Rendered(
            render("party", "report", str(la.pk)),
            number(f"report:{la.pk}"),
            _texts([la]),
            ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lãnh đạo Long An"],
            header_la,
            ["- Sở Công Thương tỉnh Đồng Tháp;", "- UBND tỉnh Tây Ninh (để báo cáo);"],
        )
        docs["consolidated"] = Rendered(
            render("consolidated", "consolidated", str(first.pk)),
            number(f"consolidated:{first.pk}:{la.party_id}"),
            _texts(approved_first),
            ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lãnh đạo Long An"],
            header_la,
            ["- Sở Công Thương tỉnh Đồng Tháp;"],
        )
        docs["consolidated-tay-ninh"] = Rendered(
            render(
                "consolidated-tay-ninh",
                "consolidated",
                str(first.pk),
                "--party",
                str(tn.party_id),
                actor="tn.coord",
                signer="tn.leader",
            ),
            number(f"consolidated:{first.pk}:{tn.party_id}"),
            _texts(approved_first),
            ["GIÁM ĐỐC", "Lãnh đạo Tây Ninh"],
            ["UBND TỈNH TÂY NINH", "SỞ CÔNG THƯƠNG"],
            ["- Sở Công Thương tỉnh Đồng Tháp;", "- UBND tỉnh Tây Ninh (để báo cáo);"],
        )
        docs["review"] = Rendered(
            render("review", "review", str(agreement.pk), "2025"),
            number(f"review:{agreement.pk}:2025:{la.party_id}"),
            _texts(approved_second) + [r.results for r in la.entries.all() if r.results],
            ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lãnh đạo Long An"],
            header_la,
            ["- Sở Công Thương tỉnh Đồng Tháp;"],
        )
        draft_period = periods_of(2026)[-1]
        docs["draft"] = Rendered(
            render("draft", "consolidated", str(draft_period.pk)),
            "",
            [agreement.title],
            ["GIÁM ĐỐC", "Lãnh đạo Tây Ninh"],  # a draft shows the head of the body that issues today
            header_la,
            ["- Sở Công Thương tỉnh Đồng Tháp;"],
        )
        assert not OfficialDocument.objects.filter(period=draft_period).exists(), "a draft is never stored"
        del tg
        transaction.set_rollback(True)
    connection.close()  # opened outside pytest-django's db fixture: do not leave it to the teardown
    target = ARTIFACTS / "documents"
    target.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        shutil.copy(doc.path, target / f"{name}.pdf")
        page1_png(doc.path, target / f"{name}-page1.png")
    return docs


NAMES = ["party", "consolidated", "consolidated-tay-ninh", "review", "draft"]


def line_starting(words: list[tuple[float, float, float, float, str]], first: str) -> str:
    """The words on the same line as `first`, left to right, within the same header column."""
    start = next(w for w in words if w[4] == first)
    same = sorted(w for w in words if abs(w[1] - start[1]) < 1 and start[0] <= w[0] < start[0] + 150)
    return " ".join(w[4] for w in same)


def appendix_start(words: list[list[tuple[float, float, float, float, str]]]) -> int:
    """Index of the first page of the appendix (Phụ lục), which numbers its pages on its own."""
    for index, page in enumerate(words):
        if any(w[4] == "DANH" for w in page) and any(w[4] == "Phụ" for w in page[:5]):
            return index
    raise AssertionError("no appendix page")


@pytest.mark.parametrize("name", NAMES)
def test_every_page_is_a4(rendered: dict[str, Rendered], name: str) -> None:
    pdf = rendered[name].path
    assert "(A4)" in pdfinfo(pdf)["Page size"]
    for page in PdfReader(pdf).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.01)


@pytest.mark.parametrize("name", NAMES)
def test_every_font_is_embedded_liberation_serif(rendered: dict[str, Rendered], name: str) -> None:
    fonts = pdffonts(rendered[name].path)
    assert fonts, "the PDF has text, so it has fonts"
    for font in fonts:
        assert font["emb"] == "yes", font
        assert FONT_NAME.match(font["name"]), font
    assert {"yes"} == {font["uni"] for font in fonts}, "every font maps its glyphs back to Unicode"


@pytest.mark.parametrize("name", NAMES)
def test_vietnamese_text_comes_back_exactly(rendered: dict[str, Rendered], name: str) -> None:
    text = content_text(rendered[name].path)
    assert "\ufffd" not in text
    for stored in rendered[name].texts:
        assert nfc(stored) in text, stored[:80]
    for word in ["Thương", "Tiền Giang", "Hạnh phúc", "Độc lập", "nội dung hợp tác", "cam kết"]:
        assert word in text


@pytest.mark.parametrize("name", NAMES)
def test_text_stays_inside_the_decree_margins(rendered: dict[str, Rendered], name: str) -> None:
    pages = words_by_page(rendered[name].path)
    width, height = A4
    for index, words in enumerate(pages):
        for x_min, y_min, x_max, y_max, word in words:
            if y_max <= MARGIN_TOP:  # only the page number lives in the top margin (checked below)
                continue
            assert x_min >= MARGIN_LEFT - TOLERANCE, (index + 1, word, x_min)
            assert x_max <= width - MARGIN_RIGHT + TOLERANCE, (index + 1, word, x_max)
            assert y_min >= MARGIN_TOP - TOLERANCE, (index + 1, word, y_min)
            assert y_max <= height - MARGIN_BOTTOM + TOLERANCE, (index + 1, word, y_max)


@pytest.mark.parametrize("name", NAMES)
def test_page_numbers_from_page_two_centred_in_the_top_margin(rendered: dict[str, Rendered], name: str) -> None:
    pages = words_by_page(rendered[name].path)
    start = appendix_start(pages)
    assert start >= 1
    centre = (MARGIN_LEFT + A4[0] - MARGIN_RIGHT) / 2
    for index, words in enumerate(pages):
        in_margin = [w for w in words if w[3] <= MARGIN_TOP]
        number = index + 1 if index < start else index - start + 1  # the appendix counts its own pages
        if number == 1:
            assert in_margin == [], f"page {index + 1} must not carry a number"
            continue
        assert [w[4] for w in in_margin] == [str(number)], index + 1
        assert (in_margin[0][0] + in_margin[0][2]) / 2 == pytest.approx(centre, abs=4)


@pytest.mark.parametrize("name", NAMES)
def test_number_place_date_recipients_and_signature(rendered: dict[str, Rendered], name: str) -> None:
    doc = rendered[name]
    pages = words_by_page(doc.path)
    first_page = nfc(" ".join(w[4] for w in pages[0]))
    text = content_text(doc.path)
    for line in doc.header:
        assert line in first_page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first_page
    assert "Độc lập - Tự do - Hạnh phúc" in first_page
    assert "BÁO CÁO" in first_page
    assert expected_place_date("Tây Ninh") in text
    number_line = line_starting(pages[0], "Số:")
    if doc.number:
        assert re.fullmatch(r"\d{2}/BC-SCT", doc.number)
        assert number_line == f"Số: {doc.number}"
        assert "DỰ THẢO" not in text
        assert doc.number in pdfinfo(doc.path)["Title"]
    else:
        assert "DỰ THẢO" in first_page
        assert number_line == "Số: /BC-SCT"  # a blank for the clerk to write the number in
        number_words = [w for w in pages[0] if w[1] == next(w for w in pages[0] if w[4] == "Số:")[1]]
        assert number_words[1][0] - number_words[0][2] > 15, "the blank is wide enough to write in"
    main_text = nfc(" ".join(w[4] for page in pages[: appendix_start(pages)] for w in page))
    assert "Nơi nhận:" in main_text
    for line in [*doc.recipients, "- Lưu: VT, KHTC."]:
        assert line in main_text
    for line in doc.signature:
        assert line in main_text
    if doc.signature[0] == "GIÁM ĐỐC":
        assert "KT." not in main_text


def test_numbers_count_per_issuing_body(rendered: dict[str, Rendered]) -> None:
    # Long An's and Tây Ninh's parties are one department since 01/07/2025: it issued four documents in
    # this run, numbered in one register (never two "01/BC-SCT" of the same body on the same day).
    numbers = [rendered[n].number for n in ["party", "consolidated", "consolidated-tay-ninh", "review"]]
    assert numbers == ["01/BC-SCT", "02/BC-SCT", "03/BC-SCT", "04/BC-SCT"]


def test_report_sections_and_appendix(rendered: dict[str, Rendered]) -> None:
    text = content_text(rendered["consolidated"].path)
    for heading in [
        "I. KẾT QUẢ THỰC HIỆN",
        "II. HẠN CHẾ",
        "III. KHÓ KHĂN, VƯỚNG MẮC",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
        "Biểu đồ 1. Tình trạng thực hiện các cam kết",
        "Biểu đồ 2. Tiến độ thực hiện các chỉ tiêu",
        "DANH MỤC CAM KẾT VÀ KẾT QUẢ THỰC HIỆN",
    ]:
        assert heading in text
    for value in [ASSESSMENT, SHORTCOMINGS, NEXT_TASKS]:
        assert value in text
    # every party's entries under the items
    for party in ["Sở Công Thương tỉnh Long An", "Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương tỉnh Tiền Giang"]:
        assert party in text
    assert "Cơ sở dữ liệu thương mại điện tử liên vùng: đạt 1/1 cơ sở dữ liệu (100% mục tiêu)." in text
    review = content_text(rendered["review"].path)
    assert "Kết quả 6 tháng đầu năm 2025:" in review and "Kết quả 6 tháng cuối năm 2025:" in review


def test_png_of_page_one_is_written(rendered: dict[str, Rendered]) -> None:
    for name in NAMES:
        png = ARTIFACTS / "documents" / f"{name}-page1.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db
def test_command_refuses_unknown_objects(demo: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("render_report", "report", "999999", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="chưa có kỳ báo cáo"):
        call_command("render_report", "review", str(programme().pk), "2031", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command("render_report", "review", str(programme().pk), "-o", str(tmp_path / "x.pdf"))
