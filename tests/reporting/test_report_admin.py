"""The admin shows a report's workflow (state, version, review, trail) and never writes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting import workflow
from reporting.models import EntryRevision, ProgressReport, ReportTransition

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, users):
    users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    return client


def test_state_and_version_are_shown_not_editable(admin_client, la_report):
    page = admin_client.get(reverse("admin:reporting_progressreport_change", args=[la_report.pk])).content.decode()
    assert 'name="state"' not in page and 'name="version"' not in page and 'name="review_comment"' not in page
    assert 'name="overall_assessment"' in page  # the report's own text stays editable


def test_a_forged_post_does_not_move_the_workflow(admin_client, la_report):
    entries = list(la_report.entries.all())
    data = {
        "state": "approved",
        "version": 99,
        "overall_assessment": la_report.overall_assessment,
        "shortcomings": la_report.shortcomings,
        "next_period_tasks": la_report.next_period_tasks,
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": str(len(entries)),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        "transitions-MIN_NUM_FORMS": "0",
        "transitions-MAX_NUM_FORMS": "1000",
    }
    for index, entry in enumerate(entries):
        data |= {
            f"entries-{index}-id": str(entry.pk),
            f"entries-{index}-report": str(la_report.pk),
            f"entries-{index}-status": entry.status,
            f"entries-{index}-percent_complete": str(entry.percent_complete),
            f"entries-{index}-results": entry.results,
            f"entries-{index}-difficulties": entry.difficulties,
            f"entries-{index}-proposals": entry.proposals,
            f"entries-{index}-version": "42",
        }
    data["overall_assessment"] = "Sửa bởi quản trị."
    response = admin_client.post(reverse("admin:reporting_progressreport_change", args=[la_report.pk]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]  # the save went through
    la_report.refresh_from_db()
    assert la_report.overall_assessment == "Sửa bởi quản trị."
    assert (la_report.state, la_report.version) == ("draft", 1)
    assert {e.version for e in la_report.entries.all()} == {1}


def test_reports_trail_and_revisions_cannot_be_added_or_deleted(admin_client, users, la_report):
    entry = la_report.entries.first()
    workflow.save_entry(users["la.staff"], entry, {"results": "Đã tổ chức hội chợ."}, entry.version)
    workflow.submit_report(users["la.staff"], la_report, confirm_unchanged=True)
    transition, revision = ReportTransition.objects.get(report=la_report), EntryRevision.objects.get(entry=entry)
    for name, pk in [
        ("progressreport", la_report.pk),
        ("progressentry", entry.pk),
        ("reporttransition", transition.pk),
        ("entryrevision", revision.pk),
    ]:
        assert admin_client.get(reverse(f"admin:reporting_{name}_add")).status_code == 403, name
        delete = admin_client.post(reverse(f"admin:reporting_{name}_delete", args=[pk]), {"post": "yes"})
        assert delete.status_code == 403, name
    assert ProgressReport.objects.filter(pk=la_report.pk, state="submitted").exists()
    assert (
        ReportTransition.objects.filter(pk=transition.pk).exists()
        and EntryRevision.objects.filter(pk=revision.pk).exists()
    )


def admin_entry_post(admin_client, entry, **changes):
    data = {
        "status": entry.status,
        "percent_complete": str(entry.percent_complete),
        "actual_value": "",
        "results": entry.results,
        "difficulties": entry.difficulties,
        "proposals": entry.proposals,
    } | changes
    return admin_client.post(reverse("admin:reporting_progressentry_change", args=[entry.pk]), data)


def test_the_admin_reads_figures_the_vietnamese_way(admin_client, demo):
    from tests.support import RETAIL, plan_report

    entry = plan_report().entries.get(commitment__indicator_name=RETAIL)
    assert admin_entry_post(admin_client, entry, actual_value="101.000").status_code == 302
    entry.refresh_from_db()
    assert entry.actual_value == 101000
    page = admin_client.get(reverse("admin:reporting_progressentry_change", args=[entry.pk])).content.decode()
    assert 'value="101.000"' in page
    refused = admin_entry_post(admin_client, entry, actual_value="4.3")
    assert refused.status_code == 200 and "ví dụ 101.000 hoặc 6,6" in refused.content.decode()


@pytest.mark.parametrize(
    ("status", "percent", "message"),
    [
        ("done", "50", "Cam kết đã hoàn thành thì tỷ lệ hoàn thành phải là 100%."),
        ("not_started", "50", "Cam kết chưa triển khai thì tỷ lệ hoàn thành phải là 0%."),
    ],
)
def test_the_admin_says_why_status_and_percentage_disagree(admin_client, la_report, status, percent, message):
    entry = la_report.entries.first()
    response = admin_entry_post(admin_client, entry, status=status, percent_complete=percent)
    assert response.status_code == 200 and message in response.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.percent_complete) == ("not_started", 0)


def test_the_admin_list_writes_figures_the_vietnamese_way(admin_client, demo):
    from decimal import Decimal

    from tests.support import RETAIL, plan_report

    entry = plan_report().entries.get(commitment__indicator_name=RETAIL)
    type(entry).objects.filter(pk=entry.pk).update(actual_value=Decimal("101000.5"))
    page = admin_client.get(reverse("admin:reporting_progressentry_changelist") + f"?id={entry.pk}").content.decode()
    assert "101.000,5" in page and "101000" not in page


def test_the_report_lists_its_entries_each_linked_to_its_own_form(admin_client, demo):
    from tests.support import RETAIL, plan_report

    report = plan_report()
    entry = report.entries.get(commitment__indicator_name=RETAIL)
    type(entry).objects.filter(pk=entry.pk).update(actual_value=101000)
    page = admin_client.get(reverse("admin:reporting_progressreport_change", args=[report.pk])).content.decode()
    assert 'name="entries-0-results"' not in page and 'name="entries-0-status"' not in page  # not edited here
    assert reverse("admin:reporting_progressentry_change", args=[entry.pk]) in page
    assert "101.000" in page and page.count("/admin/reporting/progressentry/") >= report.entries.count()
