"""Hostile input (issue 12): huge and non-finite numbers, NUL and control characters, over-long and decomposed
text, bidi marks and emoji, fed to the number and text helpers, the filters and query parameters of the
pages, the login and password forms, the language switch, the notification centre and the commands.

Never a 500 (the client raises what the view raised), always a message a Vietnamese reader understands,
and nothing written when the input is refused.  The entry form, the review and the admin have files of
their own (tests/reporting/test_hostile_*.py, tests/agreements/test_hostile_admin.py).
"""

from __future__ import annotations

import io
import unicodedata
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.validators import DecimalValidator
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from agreements.models import Agreement
from core import limits
from core.forms import LocalizedDecimalField, PlainTextMixin, WholeNumberField
from core.http import MAX_ID, id_param, local_url
from core.numbers import NumberFormatError, format_decimal, parse_decimal
from core.templatetags.numbers import number
from core.text import composed, excerpt, has_unprintable
from notifications.models import Notification, Preference, parse_offsets
from reporting.models import ProgressEntry
from tests.hostile import FAST, FEW, NFD_TAY_NINH, hostile_text, page_errors, rolled_back, vietnamese

# --- the number helpers -------------------------------------------------------------------------------------

# Figures of any length the columns hold and beyond (18 digits, 4 places in the database; 40 here): the default
# decimal context keeps 28 digits, and format_decimal used to round (or raise on) longer figures.
figures = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places), st.integers(-(10**40), 10**40), st.integers(0, 4)
)


@FAST
@given(value=figures, language=st.sampled_from(["vi", "en"]))
@example(value=Decimal("99999999999999.9999"), language="vi")
@example(value=Decimal("-0.0001"), language="vi")
@example(value=Decimal("1E+30"), language="en")
@example(value=Decimal("123456789012345678901234567890.1234"), language="vi")
def test_a_figure_reads_back_as_written_to_the_last_digit(value, language):
    text = format_decimal(value, language)
    assert parse_decimal(text, language) == value
    assert parse_decimal(format_decimal(value, language, places=4), language) == value


@FAST
@given(text=hostile_text(surrogates=True), language=st.sampled_from(["vi", "en"]))
@example(text="1e309", language="vi")
@example(text="NaN", language="en")
@example(text="9" * 5000, language="vi")
def test_parsing_gives_a_finite_figure_or_a_message_that_shows_how_to_write_one(text, language):
    with translation.override(language):
        try:
            value = parse_decimal(text, language)
        except NumberFormatError as refused:  # a ValueError: the forms turn it into a field error
            message = str(refused)
            assert ("101" in message or "một số" in message or "a number" in message) and len(message) < 300
            assert not any(unicodedata.category(ch).startswith("C") for ch in message)
            return
    assert value.is_finite()


def test_what_is_no_figure_is_never_formatted_as_one():
    for value in (Decimal("NaN"), Decimal("Infinity"), float("-inf")):
        with pytest.raises(ValueError):
            format_decimal(value)
        assert number(value) == str(value)  # the template filter leaves it as it is, without a 500


class FigureForm(forms.Form):
    value = LocalizedDecimalField(max_digits=18, decimal_places=4, required=False)
    percent = WholeNumberField(min_value=0, max_value=100, required=False)


@FAST
@given(text=hostile_text())
@example(text="99.999.999.999.999,9999")
@example(text="999.999.999.999.999")
@example(text="0,00001")
def test_a_figure_field_stores_what_its_column_holds_or_says_why_not(text):
    form = FigureForm({"value": text})
    if form.is_valid():
        value = form.cleaned_data["value"]
        if value is not None:
            assert value.is_finite()
            DecimalValidator(18, 4)(value)  # what PostgreSQL's numeric(18, 4) takes without rounding
    else:
        assert all(vietnamese(str(message)) for message in form.errors["value"]), form.errors


@FAST
@given(text=hostile_text())
@example(text="1_0")
@example(text="٣")
@example(text="9" * 5000)
def test_a_whole_number_is_ascii_digits_or_refused(text):
    form = FigureForm({"percent": text})
    stripped = text.strip()
    if form.is_valid():
        value = form.cleaned_data["percent"]
        assert value is None or (0 <= value <= 100 and stripped.lstrip("+-").isascii())
    else:
        assert all(vietnamese(str(message)) for message in form.errors["percent"]), form.errors


@FAST
@given(text=hostile_text(surrogates=True))
@example(text="-14, -7, 0, 3")
@example(text="−7, 1_0")
@example(text="0" * 5000)
def test_reminder_offsets_are_days_within_a_year_or_refused(text):
    try:
        offsets = parse_offsets(text)
    except ValidationError as refused:
        assert all(vietnamese(message) for message in refused.messages)
        return
    assert offsets == sorted(set(offsets)) and all(-366 <= offset <= 366 for offset in offsets)


def test_reminder_offsets_read_the_word_processor_minus_and_refuse_underscores():
    assert parse_offsets("−14; −7, 0") == [-14, -7, 0]
    with pytest.raises(ValidationError, match="không phải là số ngày"):
        parse_offsets("1_0")


# --- free text ------------------------------------------------------------------------------------------------


class NoteForm(PlainTextMixin, forms.Form):
    note = forms.CharField(max_length=50, required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)


@FAST
@given(text=hostile_text(long=51))
@example(text=NFD_TAY_NINH)
@example(text="a\x00b")
@example(text="\u200f\u202e😀")
def test_free_text_is_stored_composed_or_refused_with_a_message(text):
    form = NoteForm({"note": text})
    expected = composed(text).strip()
    if form.is_valid():
        assert form.cleaned_data["note"] == expected
        assert not has_unprintable(expected) and len(expected) <= 50
    else:
        assert has_unprintable(expected) or len(expected) > 50
        assert all(vietnamese(str(message)) for message in form.errors["note"]), form.errors


def test_decomposed_vietnamese_is_composed_before_the_form_reads_it_and_shown_back_so():
    posted = {"note": NFD_TAY_NINH}
    form = NoteForm(posted)
    assert form.is_valid() and form.cleaned_data["note"] == "Tây Ninh" and len(form.cleaned_data["note"]) == 8
    assert 'value="Tây Ninh"' in str(form["note"])
    assert posted["note"] == NFD_TAY_NINH  # the caller's data is not changed under it


def test_nul_is_refused_in_vietnamese_not_with_djangos_english_message():
    form = NoteForm({"note": "a\x00b"})
    assert not form.is_valid()
    assert form.errors["note"] == [
        "Nội dung có ký tự điều khiển không hiển thị được (ví dụ ký tự NUL), thường lẫn vào khi sao chép từ phần "
        "mềm khác. Hãy xóa các ký tự đó (hoặc gõ lại đoạn văn bản) rồi lưu lại."
    ]


def test_a_password_is_taken_as_typed():
    decomposed = unicodedata.normalize("NFD", "mật khẩu")
    form = NoteForm({"secret": decomposed})
    assert form.is_valid() and form.cleaned_data["secret"] == decomposed


@FAST
@given(text=hostile_text(surrogates=True))
def test_a_quoted_excerpt_hides_every_invisible_character(text):
    shown = excerpt(text)
    assert len(shown) <= 40
    assert not any(unicodedata.category(ch).startswith("C") for ch in shown if ch != "\ufffd")


@pytest.mark.django_db
def test_a_service_refuses_unprintable_text_before_postgresql_does():
    with pytest.raises(ValidationError) as refused:
        limits.check_lengths(ProgressEntry, {"results": "Kết quả\x00", "difficulties": "ổn"})
    assert refused.value.messages == [
        "“kết quả đạt được” có ký tự điều khiển không hiển thị được (ví dụ ký tự NUL); hãy xóa chúng."
    ]


# --- ids and addresses in requests ----------------------------------------------------------------------------


@FAST
@given(text=hostile_text())
@example(text="12")
@example(text=str(MAX_ID + 1))
def test_an_id_in_a_request_is_a_bigint_or_nothing(text):
    value = id_param(text)
    assert value is None or (0 <= value <= MAX_ID and str(value) == text.lstrip("0").rjust(1, "0"))


@FAST
@given(text=hostile_text())
@example(text="/notifications/?page=2")
@example(text="http://testserver/reports/1/")
def test_a_next_address_is_a_page_of_this_site_or_nothing(text):
    request = RequestFactory().get("/")
    target = local_url(request, text)
    assert target in ("", text)
    if target:
        assert target.startswith(("/", "http://testserver/")) and not target.startswith("//")


def test_a_word_or_a_broken_address_is_no_page():
    request = RequestFactory().get("/")
    assert local_url(request, "report_detail") == local_url(request, "http://[::1") == ""
    assert local_url(request, "//evil.example/") == local_url(request, "https://evil.example/") == ""


# --- pages: filters and query parameters ----------------------------------------------------------------------


@pytest.fixture
def staff_client(users):
    client = Client(raise_request_exception=True)  # an exception in a view fails the test, never a quiet 500
    client.force_login(users["la.staff"])
    return client


@pytest.fixture
def coordinator_client(users):
    client = Client(raise_request_exception=True)
    client.force_login(users["la.coord"])
    return client


def refused_address(response, values) -> bool:
    """NUL in the address: the 400 page, in Vietnamese (core.middleware)."""
    if any("\x00" in value for value in values):
        assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()
        return True
    return False


@FAST
@given(
    q=hostile_text(long=1000), province=hostile_text(), status=hostile_text(), order=hostile_text(), page=hostile_text()
)
@example(q="a\x00b", province="", status="", order="", page="")
def test_the_agreement_list_takes_any_filter(staff_client, q, province, status, order, page):
    params = {"q": q, "province": province, "status": status, "kind": status, "sector": province, "o": order}
    response = staff_client.get(reverse("agreement_list"), {**params, "page": page})
    if not refused_address(response, [*params.values(), page]):
        assert response.status_code == 200


def test_decomposed_vietnamese_finds_what_composed_vietnamese_finds(staff_client):
    def found(text):
        response = staff_client.get(reverse("agreement_list"), {"q": text})
        assert response.status_code == 200
        return {agreement.pk for agreement in response.context["filter"].qs}

    assert found(NFD_TAY_NINH) == found("Tây Ninh") != set()


def test_nul_in_an_address_is_a_400_page_not_a_500(staff_client):
    for url in (reverse("agreement_list") + "?q=%00", "/admin/autocomplete/?term=%00", "/reports/%00/"):
        response = staff_client.get(url)
        assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()


@FAST
@given(page=hostile_text(), unread=hostile_text())
def test_the_notification_centre_takes_any_page_number(staff_client, page, unread):
    response = staff_client.get(reverse("notification_list"), {"page": page, "unread": unread})
    if not refused_address(response, [page, unread]):
        assert response.status_code == 200


@FAST
@given(kind=hostile_text(), page=hostile_text())
def test_what_was_sent_for_an_agreement_takes_any_kind_and_page(coordinator_client, kind, page):
    agreement = Agreement.objects.get(signed_on="2011-10-14")
    response = coordinator_client.get(
        reverse("agreement_notifications", args=[agreement.pk]), {"kind": kind, "page": page}
    )
    if not refused_address(response, [kind, page]):
        assert response.status_code == 200


@FAST
@given(ids=st.lists(hostile_text(), max_size=3), target=hostile_text())
@example(ids=["9" * 5000], target="http://[::1")
@example(ids=["²"], target="report_detail")
def test_marking_notifications_read_takes_any_id_and_any_next(staff_client, users, ids, target):
    with rolled_back():
        before = Notification.objects.filter(recipient=users["la.staff"], read_at__isnull=True).count()
        response = staff_client.post(reverse("notification_mark_read"), {"id": ids, "next": target})
        assert response.status_code == 302
        location = response["Location"]
        assert location == target or location == reverse("notification_list")
        if not any(pk.isascii() and pk.isdigit() for pk in ids) and ids:
            assert Notification.objects.filter(recipient=users["la.staff"], read_at__isnull=True).count() == before


@FAST
@given(delivery=hostile_text(), language=hostile_text())
def test_notification_preferences_refuse_what_is_no_choice(staff_client, users, delivery, language):
    with rolled_back():
        response = staff_client.post(reverse("notification_preferences"), {"delivery": delivery, "language": language})
        assert response.status_code in (200, 302)
        if response.status_code == 200:  # not a choice: the form comes back and says why
            errors = page_errors(response.content.decode())
            assert errors and all(vietnamese(error) for error in errors)
        assert not Preference.objects.filter(user=users["la.staff"]).exclude(language__in=["vi", "en"]).exists()


@FAST
@given(language=hostile_text(), target=hostile_text())
@example(language="en\x00", target="/\x01")
def test_the_language_switch_takes_anything(staff_client, users, language, target):
    with rolled_back():
        response = staff_client.post(reverse("set_language"), {"language": language, "next": target})
        assert response.status_code in (200, 302, 204)
        assert not Preference.objects.filter(user=users["la.staff"]).exclude(language__in=["vi", "en", ""]).exists()


@FEW
@given(target=hostile_text(), party=hostile_text())
@example(target="report_detail", party="²")
@example(target="http://[::1", party="9" * 5000)
def test_the_documents_panel_and_the_issue_form_take_any_next_and_party(users, la_report, target, party):
    client = Client(raise_request_exception=True)
    client.force_login(users["la.leader"])
    with rolled_back():
        panel = client.get(reverse("document_report_panel", args=[la_report.pk]), {"next": target})
        if not refused_address(panel, [target]):
            assert panel.status_code in (200, 204)
        url = reverse("document_consolidated_issue", args=[la_report.period_id])
        query = {} if "\x00" in party else {"party": party}
        issued = client.post(f"{url}?{urlencode(query)}", {"signer": party, "next": target})
        assert issued.status_code in (302, 403)  # never confirmed: refused with a message, nothing issued


# --- login and passwords ----------------------------------------------------------------------------------------


@pytest.fixture
def fast_hashing(settings, users):
    """A quick hasher, and la.staff's password hashed with it: what is tested is the form, not PBKDF2's cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users["la.staff"].set_password("mật khẩu cũ")
    users["la.staff"].save()
    return users


@FAST
@given(username=hostile_text(long=300), password=hostile_text())
@example(username="x" * 12_000, password="x")
@example(username="la.staff\x00", password="\x00")
def test_a_login_with_anything_is_refused_with_a_message(fast_hashing, username, password):
    client = Client(raise_request_exception=True)
    with rolled_back():
        for url in (reverse("login"), "/admin/login/"):
            response = client.post(url, {"username": username, "password": password})
            assert response.status_code in (200, 429)
            errors = page_errors(response.content.decode())
            assert errors and all(vietnamese(error) for error in errors)


@FAST
@given(email=hostile_text(long=300))
def test_a_password_reset_takes_any_address(db, email):
    client = Client(raise_request_exception=True)
    with rolled_back():
        response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            errors = page_errors(response.content.decode())
            assert errors and all(vietnamese(error) for error in errors)


@FAST
@given(old=hostile_text(), new=hostile_text(long=300))
def test_a_password_change_takes_anything(fast_hashing, old, new):
    users = fast_hashing
    client = Client(raise_request_exception=True)
    client.force_login(users["la.staff"])
    with rolled_back():
        response = client.post(
            reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 200  # the old password is never a hostile text
        errors = page_errors(response.content.decode())
        assert errors and all(vietnamese(error) for error in errors)


@FAST
@given(uid=hostile_text(), token=hostile_text(), target=hostile_text())
@example(uid="9" * 400, token="x" * 5000, target="//evil.example/")
def test_a_reset_link_and_the_login_page_take_any_address(db, uid, token, target):
    client = Client(raise_request_exception=True)
    link = reverse("password_reset_confirm", args=["UID", "TOKEN"])
    link = link.replace("UID", quote(uid, safe="") or "x").replace("TOKEN", quote(token, safe="") or "x")
    response = client.get(link)
    if not refused_address(response, [uid, token]):
        assert response.status_code in (200, 302, 404)
    response = client.get(reverse("login"), {"next": target})
    if not refused_address(response, [target]):
        assert response.status_code == 200


# --- commands ---------------------------------------------------------------------------------------------------


@FAST
@given(day=hostile_text())
@example(day="9999-12-31")
@example(day="0001-01-01")
@example(day="2026-02-29")
def test_send_reminders_refuses_a_day_it_cannot_run_for(demo, day):
    with rolled_back():
        try:
            call_command("send_reminders", "--date", day, "--dry-run", stdout=io.StringIO())
        except CommandError as refused:
            assert vietnamese(str(refused)) and "\x00" not in str(refused)


def test_send_reminders_runs_a_far_day_it_can_reach(demo):
    out = io.StringIO()
    call_command("send_reminders", "--date", "2999-12-31", "--dry-run", stdout=out)
    assert "31/12/2999" in out.getvalue()


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ("inf", "tối đa"),
        ("1e309", "tối đa"),
        ("9" * 400, "tối đa"),
        ("NaN", "lớn hơn 0"),
        ("-inf", "lớn hơn 0"),
        ("1e-400", "lớn hơn 0"),
        ("\x00", "không phải là một số"),
        ("mười", "không phải là một số"),
    ],
)
def test_generate_bench_data_refuses_a_scale_it_cannot_make(demo, scale, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_bench_data", f"--scale={scale}", stdout=io.StringIO())


@pytest.mark.parametrize(
    "args",
    [
        ["report", "9" * 400],
        ["report", "-1"],
        ["review", "1", "99999"],
        ["review", "9" * 30, "2025"],
        ["consolidated", "1", "--party", "9" * 30],
    ],
)
def test_render_report_refuses_an_id_that_names_nothing(demo, tmp_path, args):
    with pytest.raises(CommandError):
        call_command("render_report", *args, "-o", str(tmp_path / "x.pdf"), stdout=io.StringIO())
