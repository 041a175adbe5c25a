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
    e1 = services.save_entry(users["la.staff"], entry, {"percent_complete": 10}, 1)
    services.save_entry(users["la.staff"], e1, {"percent_complete": 30, "results": "Đã làm"}, 2)
    revisions = list(entry.revisions.values_list("version", "changes"))
    assert revisions == [
        (2, {"percent_complete": [0, 10]}),
        (3, {"percent_complete": [10, 30], "results": ["", "Đã làm"]}),
    ]
