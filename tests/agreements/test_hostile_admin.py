"""Hostile input in Django's admin (issue 12): the search box, the list filters, the autocomplete, an object's
id, the actions, and the change forms of a commitment (text and figures) and of the reminder settings.

Never a 500: NUL in an address is a 400 page (core.middleware); a form refuses what its column cannot
take and says so, and changes nothing then.
"""

from __future__ import annotations

import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from agreements.models import Commitment
from core import limits
from core.text import composed
from notifications.models import ReminderSettings
from tests.hostile import FAST, NFD_TAY_NINH, hostile_text, page_errors, rolled_back, vietnamese

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "agreements/agreement",
    "agreements/commitment",
    "agreements/cooperationitem",
    "agreements/body",
    "agreements/administrativeunit",
    "agreements/membership",
    "agreements/party",
    "reporting/progressreport",
    "reporting/progressentry",
    "notifications/notification",
    "meetings/reviewmeeting",
    "core/auditentry",
    "auth/user",
]


@pytest.fixture
def admin_client(users):
    client = Client(raise_request_exception=True)  # an exception in a view fails the test, never a quiet 500
    client.force_login(users["admin"])
    return client


def answered(response, *values, allowed=(200, 302)):
    if any("\x00" in value for value in values):
        assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()
    else:
        assert response.status_code in allowed, response.status_code


@FAST
@given(model=st.sampled_from(CHANGELISTS), term=hostile_text(long=500), value=hostile_text())
@example(model="agreements/body", term="a\x00b", value="")
@example(model="agreements/agreement", term="", value="9" * 5000)
def test_a_list_takes_any_search_and_any_filter(admin_client, model, term, value):
    response = admin_client.get(f"/admin/{model}/", {"q": term, "status__exact": value, "o": value, "p": value})
    answered(response, term, value)


@FAST
@given(term=hostile_text(long=500), field=st.sampled_from(["unit", "parent", "successor"]))
@example(term="\x00", field="unit")
def test_the_autocomplete_takes_any_term(admin_client, term, field):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "agreements", "model_name": "body", "field_name": field, "term": term, "page": term},
    )
    answered(response, term, allowed=(200, 404))  # a page number that is none: Django's 404


@FAST
@given(object_id=hostile_text())
@example(object_id="9" * 400)
@example(object_id="9" * 5000)
def test_an_object_id_takes_anything(admin_client, object_id):
    change = admin_client.get(f"/admin/agreements/commitment/{object_id.replace('/', '')}/change/")
    assert change.status_code in (200, 302, 400, 404)


def test_an_action_on_real_rows_asks_first_and_deletes_nothing(admin_client):
    before = Commitment.objects.count()
    ids = [str(pk) for pk in Commitment.objects.values_list("pk", flat=True)[:2]] + ["9" * 400]
    response = admin_client.post(
        "/admin/agreements/commitment/", {"action": "delete_selected", "_selected_action": ids}
    )
    assert response.status_code == 200 and Commitment.objects.count() == before


@pytest.mark.parametrize("selected", ["abc", "9" * 5000, "1.5", ""])
def test_an_action_on_ids_that_are_no_numbers_is_refused_without_a_500(admin_client, selected):
    before = Commitment.objects.count()
    response = admin_client.post(
        "/admin/agreements/commitment/", {"action": "delete_selected", "_selected_action": [selected]}
    )
    assert response.status_code in (200, 302) and Commitment.objects.count() == before


def admin_form_data(client, url):
    """The change form as the browser posts it untouched: every field of the form and of its inlines."""
    response = client.get(url)
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, str | list[str]] = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or field.field.disabled:
                continue
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = str(value)
    return data


@pytest.fixture
def commitment_form(admin_client):
    commitment = Commitment.objects.filter(target__isnull=False).order_by("pk").first()
    url = reverse("admin:agreements_commitment_change", args=[commitment.pk])
    return commitment, url, admin_form_data(admin_client, url)


def stored(commitment):
    row = Commitment.objects.get(pk=commitment.pk)
    return row.description, row.target, row.baseline


@FAST
@given(description=hostile_text(long=limits.COMMITMENT_TEXT + 1), figure=hostile_text())
@example(description="Tổ chức hội chợ\x00", figure="101.000")
@example(description=NFD_TAY_NINH, figure="1e309")
@example(description="Kết nối", figure="99.999.999.999.999,9999")
def test_a_commitment_changed_in_the_admin_is_saved_or_refused_with_a_message(
    admin_client, commitment_form, description, figure
):
    commitment, url, data = commitment_form
    with rolled_back():
        before = stored(commitment)
        response = admin_client.post(url, {**data, "description": description, "target": figure})
        if response.status_code == 302:  # as typed, or composed once the admin composes text (see below)
            assert stored(commitment)[0] in (description.strip(), composed(description).strip())
        else:
            assert response.status_code == 200
            errors = page_errors(response.content.decode())
            assert errors
            # Django's own "Null characters are not allowed." is English: see the test below.
            assert all(vietnamese(error) or "Null characters" in error for error in errors), errors
            assert stored(commitment) == before


def test_the_admin_refuses_control_characters_and_stores_composed_text(admin_client, commitment_form):
    check_plain_text_admin(admin_client, commitment_form)


def check_plain_text_admin(admin_client, commitment_form):
    commitment, url, data = commitment_form
    before = stored(commitment)
    for text in ("Hội chợ\x00", "Hội chợ\x01\x1b"):
        response = admin_client.post(url, {**data, "description": text})
        assert response.status_code == 200
        assert "ký tự điều khiển" in response.content.decode()
        assert stored(commitment) == before
    response = admin_client.post(url, {**data, "description": unicodedata.normalize("NFD", "Hội chợ Tây Ninh")})
    assert response.status_code == 302
    assert stored(commitment)[0] == composed("Hội chợ Tây Ninh")


@FAST
@given(offsets=hostile_text(long=101), days=hostile_text())
@example(offsets="-14, -7, 0, 3", days="90")
@example(offsets="−7, 1_0", days="9" * 400)
@example(offsets="0" * 5000, days="1e309")
def test_the_reminder_settings_take_any_offsets_or_say_why_not(admin_client, offsets, days):
    url = "/admin/notifications/remindersettings/add/"
    data = {
        "report_offsets": offsets,
        "report_coordinators_from": "3",
        "report_leaders_from": "10",
        "meeting_offsets": offsets,
        "commitment_offsets": "-7, 1",
        "agreement_ending_days": days,
        "catch_up_days": "30",
    }
    with rolled_back():
        ReminderSettings.objects.all().delete()
        response = admin_client.post(url, data)
        if response.status_code == 302:
            settings_row = ReminderSettings.load()
            assert all(-366 <= offset <= 366 for offset in settings_row.report_stages)
        else:
            assert response.status_code == 200
            errors = page_errors(response.content.decode())
            assert errors and all(vietnamese(error) or "Null characters" in error for error in errors), errors
            assert not ReminderSettings.objects.exists()
