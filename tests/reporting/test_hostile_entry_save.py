"""Hostile input in a report's draft (issue 12): the entry saved in place (report_entry_save, htmx and not) and
the whole edit form (report_edit), as Long An's staff member with an editable report of the 2021 plan.

Whatever is typed, the answer is never a 500: a valid value is stored exactly (text composed to NFC and
trimmed, a figure as the Vietnamese notation means it), anything else is refused with a Vietnamese
message on the page and the entry, its version and its history stay as they were.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from bench.loadtest.pages import form_fields
from core import limits
from core.numbers import NumberFormatError, format_decimal, parse_decimal
from core.text import composed, has_unprintable
from reporting.models import EntryRevision, ProgressEntry
from tests.hostile import FAST, NFD_TAY_NINH, hostile_text, page_errors, rolled_back, vietnamese
from tests.support import RETAIL, form_data, plan_report

pytestmark = pytest.mark.django_db

TEXT_LIMITS = {"results": limits.ENTRY_RESULTS, "difficulties": limits.ENTRY_NOTE, "proposals": limits.ENTRY_NOTE}
RELOAD = "Không đọc được phiên bản của biểu mẫu này; hãy tải lại trang rồi nhập lại."


@pytest.fixture
def draft(users, demo):
    """la.staff's client, Long An's 2021 plan report (its indicators carry figures), the retail entry, the form."""
    client = Client(raise_request_exception=True)  # an exception in a view fails the test, never a quiet 500
    client.force_login(users["la.staff"])
    report = plan_report()
    entry = report.entries.get(commitment__indicator_name=RETAIL)
    return client, report, entry, form_data(client, reverse("report_edit", args=[report.pk]))


def snapshot(entry):
    entry = ProgressEntry.objects.get(pk=entry.pk)
    return (
        [getattr(entry, name) for name in ProgressEntry.TRACKED_FIELDS],
        entry.version,
        EntryRevision.objects.filter(entry=entry).count(),
    )


def save_inline(draft, **values):
    client, report, entry, data = draft
    posted = {**data, **{f"e{entry.pk}-{name}": value for name, value in values.items()}}
    return client.post(reverse("report_entry_save", args=[report.pk, entry.pk]), posted, HTTP_HX_REQUEST="true")


def assert_answer_is_what_is_stored(draft, response):
    """The fieldset a save answers with is the entry as the edit page draws it when opened again: the same
    values (a figure in the Vietnamese notation), hidden initials and version (the view does not read the
    saved row back: it shows what save_entry wrote)."""
    client, report, entry, _data = draft
    scope = f"entry-{entry.pk}"
    answered = form_fields(response.content.decode(), scope)
    opened = form_fields(client.get(reverse("report_edit", args=[report.pk])).content.decode(), scope)
    assert f"e{entry.pk}-version" in opened
    assert answered == opened


def assert_refused(response, entry, before):
    assert response.status_code == 200
    page = response.content.decode()
    errors = page_errors(page)
    assert errors and all(vietnamese(error) for error in errors), errors
    assert "Đã lưu" not in page
    assert snapshot(entry) == before


@FAST
@given(field=st.sampled_from(sorted(TEXT_LIMITS)), text=hostile_text(long=limits.ENTRY_RESULTS + 1))
@example(field="results", text=NFD_TAY_NINH)
@example(field="results", text="Đã ký\x00 kết")
@example(field="proposals", text="\x01\x1b[31m")
@example(field="difficulties", text="\u200f\u202eمرحبا 😀")
def test_an_entry_text_is_stored_composed_or_refused_with_a_message(draft, field, text):
    entry = draft[2]
    expected = composed(text).strip()
    with rolled_back():
        before = snapshot(entry)
        response = save_inline(draft, **{field: text})
        if has_unprintable(expected) or len(expected) > TEXT_LIMITS[field]:
            assert_refused(response, entry, before)
        else:
            assert response.status_code == 200 and "Đã lưu" in response.content.decode()
            assert getattr(ProgressEntry.objects.get(pk=entry.pk), field) == expected
            assert_answer_is_what_is_stored(draft, response)


def expected_figure(text):
    """What the figure field should make of `text` in Vietnamese: the value, or None when it must refuse it."""
    try:
        value = parse_decimal(text, "vi")
        DecimalValidator(18, 4)(value)
    except (NumberFormatError, ValidationError):
        return None
    return value


in_range = st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=4, allow_nan=False)


@FAST
@given(text=st.one_of(hostile_text(), in_range.map(lambda value: format_decimal(value, "vi"))))
@example(text="101.000")
@example(text="99.999.999.999.999,9999")
@example(text="999.999.999.999.999")
@example(text="1e309")
@example(text="NaN")
@example(text="9" * 400)
def test_an_indicator_figure_is_stored_as_the_vietnamese_notation_means_or_refused(draft, text):
    entry = draft[2]
    expected = expected_figure(text)
    with rolled_back():
        before = snapshot(entry)
        response = save_inline(draft, actual_value=text)
        if text.strip() == "":
            assert ProgressEntry.objects.get(pk=entry.pk).actual_value is None
        elif expected is None:
            assert_refused(response, entry, before)
        else:
            assert "Đã lưu" in response.content.decode()
            assert ProgressEntry.objects.get(pk=entry.pk).actual_value == expected
            assert_answer_is_what_is_stored(draft, response)


@FAST
@given(text=hostile_text())
@example(text="45")
@example(text="1_0")
@example(text="٣")
@example(text="9" * 5000)
@example(text="-0")
def test_a_percentage_is_a_whole_number_below_100_or_refused(draft, text):
    entry = draft[2]
    stripped = text.strip()
    valid = re.fullmatch(r"[+-]?[0-9]{1,18}", stripped) is not None and 0 <= int(stripped) < 100
    with rolled_back():
        before = snapshot(entry)
        response = save_inline(draft, status="on_track", percent_complete=text)
        if valid:
            assert ProgressEntry.objects.get(pk=entry.pk).percent_complete == int(stripped)
            assert_answer_is_what_is_stored(draft, response)
        else:
            assert_refused(response, entry, before)


@FAST
@given(version=hostile_text())
@example(version="9" * 400)
@example(version="0")
def test_a_tampered_version_is_refused_with_a_message_to_reload(draft, version):
    _client, _report, entry, data = draft
    with rolled_back():
        before = snapshot(entry)
        response = save_inline(draft, version=version, results="Nội dung mới")
        if version.strip() == data[f"e{entry.pk}-version"]:
            return  # the real version, written differently (" 1 "): a save like any other
        assert_refused(response, entry, before)
        page = response.content.decode()
        assert RELOAD in page or "người khác lưu trước bạn" in page


# Hypothesis also draws the string constants of the code under test: "cancelled", a real status, was drawn.
STATUSES = {value for value, _label in ProgressEntry._meta.get_field("status").choices or ()}


@FAST
@given(status=hostile_text().filter(lambda text: text.strip() not in STATUSES))
def test_a_status_that_is_no_choice_is_refused(draft, status):
    entry = draft[2]
    with rolled_back():
        before = snapshot(entry)
        assert_refused(save_inline(draft, status=status), entry, before)


def test_without_htmx_the_refusal_is_a_message_on_the_edit_page(draft):
    client, report, entry, data = draft
    before = snapshot(entry)
    response = client.post(
        reverse("report_entry_save", args=[report.pk, entry.pk]),
        {**data, f"e{entry.pk}-results": "a\x00b"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Chưa lưu được: hãy sửa các ô được đánh dấu." in response.content.decode()
    assert snapshot(entry) == before


@FAST
@given(
    field=st.sampled_from(["overall_assessment", "shortcomings", "next_period_tasks"]),
    text=hostile_text(long=limits.REPORT_TEXT + 1),
    version=st.sampled_from([None, "NaN", "9" * 400, "\x00"]),
)
@example(field="shortcomings", text=NFD_TAY_NINH, version=None)
@example(field="overall_assessment", text="Tốt\x00", version=None)
def test_the_whole_form_stores_the_report_texts_composed_or_refuses_them(draft, field, text, version):
    client, report, _entry, data = draft
    posted = {**data, f"report-{field}": text}
    if version is not None:
        posted["report-version"] = version
    expected = composed(text).strip()
    with rolled_back():
        before = (type(report).objects.get(pk=report.pk).version, getattr(report, field))
        response = client.post(reverse("report_edit", args=[report.pk]), posted)
        if version is None and not has_unprintable(expected) and len(expected) <= limits.REPORT_TEXT:
            assert response.status_code == 302
            assert getattr(type(report).objects.get(pk=report.pk), field) == expected
        else:
            assert response.status_code == 200
            errors = page_errors(response.content.decode())
            assert errors and all(vietnamese(error) for error in errors), errors
            if version is not None:
                assert RELOAD in response.content.decode()
            current = type(report).objects.get(pk=report.pk)
            assert (current.version, getattr(current, field)) == before
