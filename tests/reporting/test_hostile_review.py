"""Hostile input in the review of a report (issue 12): the coordinator's comments when returning it, the
reason to reopen it, and the leader's issue form (signer, confirmation, the page to go back to).

Never a 500; a valid comment is stored composed (NFC) and trimmed; anything else is refused with a
Vietnamese message naming the field, and the report keeps its state and its comment.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from hypothesis import assume, example, given

from core import limits
from core.text import composed, has_unprintable
from reporting import workflow
from reporting.models import OfficialDocument, ProgressReport
from tests.hostile import FAST, NFD_TAY_NINH, hostile_text, rolled_back, vietnamese
from tests.support import fill_report

pytestmark = pytest.mark.django_db


def client_of(user):
    client = Client(raise_request_exception=True)  # an exception in a view fails the test, never a quiet 500
    client.force_login(user)
    return client


@pytest.fixture
def submitted(users, la_report):
    fill_report(users, la_report)
    return workflow.submit_report(users["la.staff"], la_report)


@pytest.fixture
def approved(users, submitted):
    return workflow.approve_report(users["la.coord"], submitted)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def state_of(report):
    current = ProgressReport.objects.get(pk=report.pk)
    return current.state, current.review_comment, current.version


def refused(text, limit):
    return has_unprintable(text) or len(text) > limit


@FAST
@given(comment=hostile_text(long=limits.COMMENT + 1), entry_comment=hostile_text(long=limits.ENTRY_NOTE + 1))
@example(comment=NFD_TAY_NINH, entry_comment="")
@example(comment="Thiếu số liệu\x00", entry_comment="")
@example(comment="   ", entry_comment="\x0b\x0c")
def test_a_return_comment_is_stored_composed_or_refused_with_a_message(users, submitted, comment, entry_comment):
    client = client_of(users["la.coord"])
    entry = submitted.entries.order_by("pk").first()
    general, on_entry = composed(comment).strip(), composed(entry_comment).strip()
    with rolled_back():
        before = state_of(submitted)
        response = client.post(
            reverse("report_return", args=[submitted.pk]), {"comment": comment, f"entry_{entry.pk}": entry_comment}
        )
        assert response.status_code == 302
        said = messages_of(response)
        if refused(general, limits.COMMENT) or refused(on_entry, limits.ENTRY_NOTE) or not (general or on_entry):
            assert said and all(vietnamese(message) for message in said), said
            assert state_of(submitted) == before
        else:
            assert state_of(submitted)[:2] == (ProgressReport.State.RETURNED, general)
            entry.refresh_from_db()
            assert entry.review_comment == on_entry


def test_a_refused_entry_comment_is_named_by_its_commitment(users, submitted):
    client = client_of(users["la.coord"])
    entry = submitted.entries.order_by("pk").first()
    response = client.post(reverse("report_return", args=[submitted.pk]), {f"entry_{entry.pk}": "Thiếu\x00"})
    (message,) = messages_of(response)
    assert message.startswith("Ý kiến về cam kết: ") and "ký tự điều khiển" in message


@FAST
@given(reason=hostile_text(long=limits.COMMENT + 1))
@example(reason=NFD_TAY_NINH)
@example(reason="Sai số liệu\x00")
@example(reason="\u3000")
def test_a_reason_to_reopen_is_stored_composed_or_refused_with_a_message(users, approved, reason):
    client = client_of(users["la.coord"])
    expected = composed(reason).strip()
    with rolled_back():
        before = state_of(approved)
        response = client.post(reverse("report_reopen", args=[approved.pk]), {"reason": reason})
        assert response.status_code == 302
        said = messages_of(response)
        if not expected or refused(expected, limits.COMMENT):
            assert said and all(vietnamese(message) for message in said), said
            assert state_of(approved) == before
        else:
            assert state_of(approved)[1] == expected and state_of(approved)[0] != ProgressReport.State.APPROVED


def test_an_empty_reason_to_reopen_says_what_is_missing(users, approved):
    response = client_of(users["la.coord"]).post(reverse("report_reopen", args=[approved.pk]), {"reason": " "})
    assert messages_of(response) == ["Lý do mở lại: Hãy ghi lý do mở lại báo cáo đã phê duyệt."]


def is_int(text):
    try:
        int(text)
    except ValueError:
        return False
    return True


@FAST
@given(signer=hostile_text(), confirm=hostile_text(), target=hostile_text())
@example(signer="9" * 400, confirm="1", target="report_detail")
@example(signer="1\x00", confirm="on", target="http://[::1")
def test_the_issue_form_refuses_a_signer_that_is_none_of_the_leaders(users, approved, signer, confirm, target):
    assume(not is_int(signer))  # an id could name a real leader: then it would issue, which is no refusal
    client = client_of(users["la.leader"])
    with rolled_back():
        response = client.post(
            reverse("document_report_issue", args=[approved.pk]), {"signer": signer, "confirm": confirm, "next": target}
        )
        assert response.status_code == 302
        assert response["Location"] == target or response["Location"].startswith(f"/reports/{approved.pk}/")
        said = messages_of(response)
        assert said and all(vietnamese(message) for message in said), said
        assert not OfficialDocument.objects.filter(report=approved, number__isnull=False).exists()
