"""reporting.workflow.drafts: saving entries, the rules a saved entry keeps and the revision of every change."""

import pytest

from reporting import workflow as services

pytestmark = pytest.mark.django_db


def test_done_requires_full_percent(la_report, users):
    entry = la_report.entries.first()
    with pytest.raises(services.ReportingError, match="100%"):
        services.save_entry(users["la.staff"], entry, {"status": "done", "percent_complete": 90}, entry.version)
    entry.refresh_from_db()
    assert entry.status == "not_started" and entry.version == 1


def test_every_saved_change_has_a_revision(la_report, users):
    entry = la_report.entries.first()
    la_report.entries.filter(pk=entry.pk).update(status="on_track")  # under way: its percentage may move
    e1 = services.save_entry(users["la.staff"], entry, {"percent_complete": 10}, 1)
    services.save_entry(users["la.staff"], e1, {"percent_complete": 30, "results": "Đã làm"}, 2)
    revisions = list(entry.revisions.values_list("version", "changes"))
    assert revisions == [
        (2, {"percent_complete": [0, 10]}),
        (3, {"percent_complete": [10, 30], "results": ["", "Đã làm"]}),
    ]


def test_not_started_with_a_percentage_is_refused(la_report, users):
    entry = la_report.entries.first()
    with pytest.raises(services.ReportingError, match="chưa triển khai thì tỷ lệ hoàn thành phải là 0%"):
        services.save_entry(users["la.staff"], entry, {"percent_complete": 50}, entry.version)
    entry.refresh_from_db()
    assert (entry.status, entry.percent_complete, entry.version) == ("not_started", 0, 1)
