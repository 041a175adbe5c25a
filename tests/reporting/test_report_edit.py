"""The edit page of a report (reporting.views.report_edit): the form keeps what was typed when it is refused,
and evidence files are checked by their content and size; a bad one is refused with a clear message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from agreements.models import Commitment
from reporting import workflow
from reporting.models import Evidence, ProgressEntry, ProgressReport
from tests.support import (
    RETAIL,
    form_data,
    party_without_commitments,
    plan_report,
    post_with_file,
    switch_language,
)

pytestmark = pytest.mark.django_db


def test_validation_error_keeps_everything_typed(client, users, la_report):
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[la_report.pk])
    data = form_data(client, url)
    first, second = la_report.entries.order_by("commitment__item__number")[:2]
    data[f"e{first.pk}-results"] = "Văn bản dài đã gõ"
    data[f"e{second.pk}-percent_complete"] = "140"
    data["report-shortcomings"] = "Một số hạn chế"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tỷ lệ hoàn thành không thể vượt quá 100%." in page
    assert "Văn bản dài đã gõ" in page and "Một số hạn chế" in page
    first.refresh_from_db()
    assert first.results == ""


def test_done_needs_100_percent_in_the_form(client, users, la_report):
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[la_report.pk])
    data = form_data(client, url)
    first = la_report.entries.order_by("commitment__item__number").first()
    data[f"e{first.pk}-status"] = "done"
    data[f"e{first.pk}-percent_complete"] = "80"
    assert "phải là 100%" in client.post(url, data).content.decode()


def test_decimal_comma_is_accepted_for_indicators(client, users, demo):
    report = plan_report(2)  # the demo keeps the plan as history: the helper tracks it
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[report.pk])
    data = form_data(client, url)
    entry = report.entries.get(commitment__indicator_name="Kim ngạch xuất khẩu")
    data[f"e{entry.pk}-actual_value"] = "6,45"
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert str(entry.actual_value) == "6.4500"


def test_a_text_file_named_pdf_is_refused_and_nothing_else_is_lost(staff, la_report):
    first = la_report.entries.order_by("commitment__item__number").first()
    upload = SimpleUploadedFile("bao-cao.pdf", b"this is not a pdf at all", content_type="application/pdf")
    response, entry = post_with_file(staff, la_report, upload, **{f"e{first.pk}-results": "Nội dung đã nhập"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "không phải PDF, ảnh (JPEG, PNG, WebP), Word hay Excel" in page
    assert "Nội dung đã nhập" in page  # the typed text is still in the form
    assert not Evidence.objects.exists()
    entry.refresh_from_db()
    assert entry.results == ""  # nothing half-saved


@override_settings(MAX_UPLOAD_BYTES=1000)
def test_a_large_file_is_refused(staff, la_report):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    response, _ = post_with_file(staff, la_report, upload)
    assert response.status_code == 200
    assert "vượt giới hạn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_empty_file_is_refused(staff, la_report):
    response, _ = post_with_file(staff, la_report, SimpleUploadedFile("rong.pdf", b""))
    assert response.status_code == 200
    assert not Evidence.objects.exists()


# --- figures typed the way the user's language writes them (issue 8, point 1) ----------------------


def post_figure(client, text: str, indicator: str = RETAIL):
    """The edit page of Long An's 2021 plan report posted untouched but for one indicator's actual value."""
    report = plan_report()
    url = reverse("report_edit", args=[report.pk])
    data = form_data(client, url)
    entry = report.entries.get(commitment__indicator_name=indicator)
    data[f"e{entry.pk}-actual_value"] = text
    return client.post(url, data), entry


@pytest.mark.parametrize(
    ("text", "indicator", "stored"),
    [
        ("101.000", RETAIL, Decimal(101000)),  # one hundred and one thousand, not 101
        ("6,6", "Kim ngạch xuất khẩu", Decimal("6.6")),
        ("1.234.567,5", RETAIL, Decimal("1234567.5")),
    ],
)
def test_vietnamese_figures_are_stored_as_written(staff, text, indicator, stored):
    response, entry = post_figure(staff, text, indicator)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.actual_value == stored


def test_an_ambiguous_vietnamese_figure_is_refused_with_an_example(staff):
    response, entry = post_figure(staff, "4.3", "Kim ngạch nhập khẩu")
    page = response.content.decode()
    assert response.status_code == 200
    assert "“4.3” không phải là một số viết đúng cách" in page and "ví dụ 101.000 hoặc 6,6" in page
    assert 'value="4.3"' in page  # what was typed stays in the box
    entry.refresh_from_db()
    assert entry.actual_value is None


def test_english_figures_are_read_the_english_way(staff):
    switch_language(staff, "en")
    response, entry = post_figure(staff, "101,000")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.actual_value == 101000
    refused, entry = post_figure(staff, "4,3", "Kim ngạch nhập khẩu")
    assert refused.status_code == 200 and "for example 101,000 or 6.6" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.actual_value is None


def test_the_stored_figure_is_shown_in_the_notation_of_the_page(staff):
    response, entry = post_figure(staff, "101.000")
    assert response.status_code == 302
    url = reverse("report_edit", args=[entry.report_id])
    assert 'value="101.000"' in staff.get(url).content.decode()
    # Saved again untouched, it is the same figure: nothing changes, no revision is written.
    assert staff.post(url, form_data(staff, url)).status_code == 302
    entry.refresh_from_db()
    assert (entry.actual_value, entry.version) == (101000, 2)
    switch_language(staff, "en")
    assert 'value="101,000"' in staff.get(url).content.decode()


@pytest.mark.parametrize(("language", "shown"), [("vi", "30,0 MB"), ("en", "30.0 MB")])
def test_evidence_sizes_are_shown_in_the_notation_of_the_page(staff, la_report, language, shown):
    entry = la_report.entries.order_by("commitment__item__number").first()
    Evidence.objects.create(
        entry=entry,
        file="evidence/bien-ban.pdf",
        original_name="bien-ban.pdf",
        content_type="application/pdf",
        size=30 * 1024 * 1024,
    )
    switch_language(staff, language)
    assert f"({shown})" in staff.get(reverse("report_edit", args=[la_report.pk])).content.decode()


# --- status and percentage agree (issue 8, point 4) -----------------------------------------------


@pytest.mark.parametrize(
    ("status", "percent", "message"),
    [
        ("not_started", "50", "Cam kết chưa triển khai thì tỷ lệ hoàn thành phải là 0%."),
        ("on_track", "100", "Tỷ lệ hoàn thành 100% nghĩa là cam kết đã hoàn thành"),
        ("delayed", "100", "Tỷ lệ hoàn thành 100% nghĩa là cam kết đã hoàn thành"),
    ],
)
def test_a_status_that_contradicts_the_percentage_is_refused(staff, la_report, status, percent, message):
    url = reverse("report_edit", args=[la_report.pk])
    data = form_data(staff, url)
    first = la_report.entries.order_by("commitment__item__number").first()
    data[f"e{first.pk}-status"], data[f"e{first.pk}-percent_complete"] = status, percent
    response = staff.post(url, data)
    assert response.status_code == 200 and message in response.content.decode()
    first.refresh_from_db()
    assert (first.status, first.percent_complete, first.version) == ("not_started", 0, 1)


@pytest.mark.parametrize(("status", "percent"), [("delayed", "0"), ("at_risk", "35"), ("cancelled", "40")])
def test_a_status_that_agrees_with_the_percentage_is_saved(staff, la_report, status, percent):
    url = reverse("report_edit", args=[la_report.pk])
    data = form_data(staff, url)
    first = la_report.entries.order_by("commitment__item__number").first()
    data[f"e{first.pk}-status"], data[f"e{first.pk}-percent_complete"] = status, percent
    assert staff.post(url, data).status_code == 302
    first.refresh_from_db()
    assert (first.status, first.percent_complete) == (status, int(percent))


# --- leaving with unsaved text warns (issue 8, point 4) --------------------------------------------


def test_the_edit_page_loads_the_unsaved_warning_from_a_file(staff, la_report):
    page = staff.get(reverse("report_edit", args=[la_report.pk])).content.decode()
    assert '<script src="/static/js/unsaved.js" defer></script>' in page
    assert "data-warn-unsaved" in page and "data-unsaved" not in page.replace("data-warn-unsaved", "")
    assert "beforeunload" not in page  # no inline script: a Content-Security-Policy is planned


def test_input_shown_back_unsaved_is_marked_for_the_warning(staff, la_report):
    url = reverse("report_edit", args=[la_report.pk])
    data = form_data(staff, url)
    first = la_report.entries.order_by("commitment__item__number").first()
    data[f"e{first.pk}-percent_complete"] = "140"
    page = staff.post(url, data).content.decode()
    assert "data-warn-unsaved data-unsaved" in page


# --- a party that leads no commitment (issue 8, point 4) -------------------------------------------


def test_a_party_without_commitments_is_told_where_to_report(client, users, agreement):
    party = party_without_commitments(users, agreement)
    report = workflow.ensure_report(party, agreement.reporting_periods.order_by("start").first())
    client.force_login(users["tg.staff"])
    page = client.get(reverse("report_edit", args=[report.pk])).content.decode()
    assert "Đơn vị không chủ trì cam kết nào trong thỏa thuận này." in page
    assert 'name="report-overall_assessment"' in page


def test_opening_the_form_gives_a_missing_entry_last_period_s_values(client, users, la_report):
    """A commitment of the party without an entry in the draft (added, or given to the party, since the period
    opened) gets one when the form is opened: last period's values where the party reported on it, the
    commitment's own status otherwise; with nothing missing, the form writes nothing."""
    previous = la_report  # the first period's; the draft of the second is the one opened
    report = (
        ProgressReport.objects.filter(party=previous.party, period__start__gt=previous.period.start)
        .order_by("period__start")
        .first()
    )
    assert report is not None and report.is_editable
    carried = previous.entries.filter(commitment__in=report.entries.values("commitment")).first()
    assert carried is not None
    ProgressEntry.objects.filter(pk=carried.pk).update(
        status="delayed", percent_complete=40, difficulties="Thiếu vốn đối ứng", proposals="Bổ sung vốn"
    )
    report.entries.filter(commitment_id=carried.commitment_id).delete()
    added = Commitment.objects.create(
        item=report.period.agreement.items.earliest("number"),
        responsible_party=report.party,
        description="Cam kết mới",
        status="done",
    )
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[report.pk])
    assert client.get(url).status_code == 200
    again = report.entries.get(commitment_id=carried.commitment_id)
    assert (again.status, again.percent_complete, again.difficulties, again.proposals) == (
        "delayed",
        40,
        "Thiếu vốn đối ứng",
        "Bổ sung vốn",
    )
    fresh = report.entries.get(commitment=added)
    assert (fresh.status, fresh.percent_complete, fresh.difficulties) == ("done", 100, "")
    count = report.entries.count()
    assert workflow.sync_entries(report) == 0 and report.entries.count() == count
