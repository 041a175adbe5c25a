"""The admin's pickers of an agreement's rows (agreements.admin.AgreementRowPickers): editing a commitment or a
meeting offers only its agreement's items and parties; a new one's typed picker names each row's agreement."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from agreements.models import Agreement, Commitment, CooperationItem, Party
from meetings.models import MeetingDecision, ReviewMeeting
from tests.agreements.lifecycle_support import agreement_2011, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, name
    return [value for value in re.findall(r'<option value="([^"]*)"', select.group(1)) if value]


def test_a_commitments_item_and_party_are_picked_among_its_agreements(admin_client):
    old = agreement_2011()
    commitment = Commitment.objects.filter(item__agreement=old).order_by("pk").first()
    assert commitment is not None
    page = admin_client.get(reverse("admin:agreements_commitment_change", args=[commitment.pk])).content.decode()
    assert set(options(page, "item")) == {str(pk) for pk in old.items.values_list("pk", flat=True)}
    assert set(options(page, "responsible_party")) == {str(pk) for pk in old.parties.values_list("pk", flat=True)}
    # Another agreement's party, posted anyway, is refused by the select.
    other = programme().parties.order_by("pk").first()
    assert other is not None
    data = {
        "item": commitment.item_id,
        "responsible_party": other.pk,
        "description": commitment.description,
        "status": commitment.status,
        "order": commitment.order,
    }
    response = admin_client.post(reverse("admin:agreements_commitment_change", args=[commitment.pk]), data)
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.responsible_party.agreement_id == old.pk


def test_a_new_commitment_types_its_item_and_each_row_names_its_agreement(admin_client):
    page = admin_client.get(reverse("admin:agreements_commitment_add")).content.decode()
    rows_url = reverse("admin:agreements_agreement_rows")
    assert f'data-ajax--url="{rows_url}"' in page
    found = admin_client.get(
        rows_url,
        {"app_label": "agreements", "model_name": "commitment", "field_name": "responsible_party", "term": "long an"},
    ).json()
    texts = [result["text"] for result in found["results"]]
    assert texts and all(" — " in text for text in texts)
    assert any("giai đoạn 2011 – 2015" in text for text in texts) and any("ba tỉnh" in text for text in texts)
    items = admin_client.get(
        rows_url, {"app_label": "agreements", "model_name": "commitment", "field_name": "item", "term": "ba tỉnh"}
    ).json()["results"]
    assert items and all(" — Chương trình hợp tác phát triển ngành Công Thương" in r["text"] for r in items)


def test_a_meetings_host_attendees_and_decisions_pick_its_agreements_parties(admin_client):
    prog = programme()
    meeting = ReviewMeeting.objects.create(
        agreement=prog, kind=ReviewMeeting.Kind.MIDTERM, held_on=dt.date(2025, 12, 20), place="Tây Ninh"
    )
    MeetingDecision.objects.create(meeting=meeting, number=1, text="Tổ chức phiên kết nối giao thương.")
    successor = Agreement.objects.create(
        title="Chương trình hợp tác giai đoạn 2027 – 2028",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2028, 12, 31),
        predecessor=prog,
    )
    new_party = Party.objects.create(agreement=successor, body=prog.parties.first().body.current(), order=1)
    page = admin_client.get(reverse("admin:meetings_reviewmeeting_change", args=[meeting.pk])).content.decode()
    mine = {str(pk) for pk in prog.parties.values_list("pk", flat=True)}
    assert set(options(page, "host_party")) == mine
    assert set(options(page, "attendances-__prefix__-party")) == mine
    # A decision may be carried out in the successor: its parties too, each named with its agreement.
    assert set(options(page, "decisions-0-responsible_party")) == mine | {str(new_party.pk)}
    assert set(options(page, "decisions-0-target_agreement")) == {str(prog.pk), str(successor.pk)}
    assert f"{new_party.body.name} — {successor.title}" in page
    assert not CooperationItem.objects.filter(agreement=successor).exists()
