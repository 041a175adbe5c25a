"""The admin forms with a row per party, attendance or decision (agreements.admin.RowsInline, AgreementRowPickers):
the bodies, parties and agreements the rows chose are read once for all the rows, so the agreement's and the
meeting's change forms make the same queries with 3 rows or 8, and each row still shows what it chose."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from agreements.models import Agreement, Body, Commitment, Party
from meetings.models import MeetingAttendance, MeetingDecision, ReviewMeeting
from tests.support import programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, users: dict[str, Any]) -> Client:
    client.force_login(users["admin"])
    return client


def queries(client: Client, url: str) -> int:
    client.get(url)  # the first request fills per-process caches (content types, translations)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def chosen(page: str, name: str) -> tuple[str, str] | None:
    """(value, label) of the option selected in the select `name` (the label as the page writes it, escaped), None
    if none is."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, name
    option = re.search(r'<option value="([^"]*)" selected>([^<]*)</option>', select.group(1))
    return (option.group(1), option.group(2)) if option else None


def new_bodies(agreement: Agreement, count: int) -> list[tuple[Body, Body]]:
    """(body, another body as its coordinating office) pairs of People's Committees not parties of `agreement` yet."""
    committees = Body.objects.filter(kind=Body.Kind.PEOPLES_COMMITTEE).exclude(parties__agreement=agreement)
    found = list(committees.order_by("pk")[: 2 * count])
    assert len(found) == 2 * count
    return list(zip(found[:count], found[count:], strict=True))


def add_parties(agreement: Agreement, count: int) -> list[Party]:
    start = agreement.parties.count()
    return [
        Party.objects.create(agreement=agreement, body=body, coordinating_office=office, order=start + n + 1)
        for n, (body, office) in enumerate(new_bodies(agreement, count))
    ]


def posted(response: Any) -> dict[str, str]:
    """Every field of an admin change form and its inlines as the browser posts it untouched."""
    data: dict[str, str] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(value, list | tuple):
                value = value[0] if value else ""
            if value is True:
                value = "on"
            if value not in (None, False):
                data[field.html_name] = str(value)
    return data


def test_the_agreement_form_reads_its_parties_bodies_in_the_same_queries_for_3_or_8_parties(admin_client):
    prog = programme()
    for party, (_body, office) in zip(prog.parties.order_by("order"), new_bodies(prog, 3), strict=True):
        Party.objects.filter(pk=party.pk).update(coordinating_office=office)
    url = reverse("admin:agreements_agreement_change", args=[prog.pk])
    few = queries(admin_client, url)
    add_parties(prog, 5)
    assert queries(admin_client, url) == few
    page = admin_client.get(url).content.decode()
    parties = list(prog.parties.select_related("body", "coordinating_office").order_by("order", "pk"))
    assert len(parties) == 8
    for n, party in enumerate(parties):
        assert chosen(page, f"parties-{n}-body") == (str(party.body_id), escape(party.body)), n
        coordinator = party.coordinating_office
        assert coordinator is not None
        assert chosen(page, f"parties-{n}-coordinating_office") == (str(coordinator.pk), escape(coordinator)), n
    assert chosen(page, "parties-__prefix__-body") is None  # the empty row added by the page's script


def test_a_refused_agreement_form_shows_what_each_row_chose_and_a_forged_choice_as_none(admin_client):
    prog = programme()
    url = reverse("admin:agreements_agreement_change", args=[prog.pk])
    data = posted(admin_client.get(url))
    body, office = new_bodies(prog, 1)[0]
    data |= {
        "parties-0-body": str(body.pk),  # another body: what was posted is shown, not what is stored
        "parties-0-coordinating_office": str(office.pk),
        "parties-1-coordinating_office": "abc",  # forged: refused, and named as nothing rather than a server error
        "parties-2-coordinating_office": str(2**70),
        "title": "",  # a required field left empty: the form comes back
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page
    assert chosen(page, "parties-0-body") == (str(body.pk), escape(body))
    assert chosen(page, "parties-0-coordinating_office") == (str(office.pk), escape(office))
    assert chosen(page, "parties-1-coordinating_office") is None
    assert chosen(page, "parties-2-coordinating_office") is None


def meeting_of(agreement: Agreement) -> ReviewMeeting:
    parties = list(agreement.parties.order_by("order"))
    meeting = ReviewMeeting.objects.create(
        agreement=agreement, kind=ReviewMeeting.Kind.MIDTERM, held_on=dt.date(2025, 12, 20), place="Tây Ninh"
    )
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, party=p, attendees="Lãnh đạo") for p in parties
    )
    add_decisions(meeting, 3)
    return meeting


def add_decisions(meeting: ReviewMeeting, count: int) -> None:
    agreement = meeting.agreement
    parties = list(agreement.parties.select_related("body").order_by("order"))
    start = meeting.decisions.count()
    commitments = list(Commitment.objects.filter(item__agreement=agreement).order_by("pk")[start : start + count])
    MeetingDecision.objects.bulk_create(
        MeetingDecision(
            meeting=meeting,
            number=start + n + 1,
            text=f"Kết luận {start + n + 1}",
            target_agreement=agreement,
            responsible_party=parties[n % len(parties)],
            lead_body=parties[n % len(parties)].body,
            commitment=commitments[n],
        )
        for n in range(count)
    )


def test_the_meeting_form_reads_its_rows_choices_in_the_same_queries_for_3_or_8_rows(admin_client):
    prog = programme()
    meeting = meeting_of(prog)
    url = reverse("admin:meetings_reviewmeeting_change", args=[meeting.pk])
    few = queries(admin_client, url)
    for party in add_parties(prog, 5):
        MeetingAttendance.objects.create(meeting=meeting, party=party, attendees="Lãnh đạo")
    add_decisions(meeting, 5)
    assert queries(admin_client, url) == few
    page = admin_client.get(url).content.decode()
    attendances = list(meeting.attendances.select_related("party__body").order_by("party__order", "pk"))
    assert len(attendances) == 8
    for n, attendance in enumerate(attendances):
        assert chosen(page, f"attendances-{n}-party") == (str(attendance.party_id), escape(attendance.party.body)), n
    decisions = list(meeting.decisions.select_related("responsible_party__body", "lead_body", "commitment"))
    assert len(decisions) == 8
    for n, decision in enumerate(sorted(decisions, key=lambda d: d.number)):
        responsible, body, commitment = decision.responsible_party, decision.lead_body, decision.commitment
        assert responsible is not None and body is not None and commitment is not None
        assert chosen(page, f"decisions-{n}-responsible_party") == (str(responsible.pk), escape(responsible.body)), n
        assert chosen(page, f"decisions-{n}-target_agreement") == (str(prog.pk), escape(prog)), n
        assert chosen(page, f"decisions-{n}-lead_body") == (str(body.pk), escape(body)), n
        # The raw id of its commitment, named beside it.
        assert re.search(rf'name="decisions-{n}-commitment" value="{commitment.pk}"', page), n
        assert escape(str(commitment)[:40]) in page, n
