"""Celery tasks with a real worker: large reports rendered in the background, failures, opening periods.

The worker is a real `celery -A coopportal worker --pool=solo` subprocess on a queue of its own,
pointed at the test database; the tests commit their data (transaction=True) so it sees them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from agreements.models import Agreement
from reporting import workflow
from reporting.documents.kinds import ConsolidatedReportDocument, PartyReportDocument
from reporting.documents.tasks import render_official_document
from reporting.models import DocumentNumberCounter, OfficialDocument, ProgressReport, ReportingPeriod
from reporting.tasks import open_due_reporting_periods
from tests.support import content_text, fill_and_approve_period, issue_via_page, periods_of
from tests.workers import Worker, start_worker, wait_for


@pytest.fixture
def worker(transactional_db: Any, settings: Any, tmp_path: Path) -> Iterator[Worker]:
    """A real Celery worker on a unique queue, reading the pytest-django test database."""
    queue = f"documents-test-{uuid.uuid4().hex[:10]}"
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    settings.DOCUMENTS_CELERY_QUEUE = queue
    running = start_worker(tmp_path, queue=queue, env={"MEDIA_ROOT": str(media)})
    try:
        yield running
    finally:
        running.stop()
        connection.close()  # the flush after the test must not wait on our connection


@pytest.fixture
def approved_period(worker: Worker, users: dict[str, Any]) -> ReportingPeriod:
    period = periods_of(2025)[0]
    fill_and_approve_period(users, period)
    return period


@pytest.mark.django_db(transaction=True)
def test_large_report_is_rendered_by_the_worker(
    client: Any, users: Any, worker: Worker, approved_period: ReportingPeriod, settings: Any, tmp_path: Path
) -> None:
    settings.DOCUMENTS_ASYNC_THRESHOLD = 2  # the demo consolidated report (8 commitments) counts as large
    url = reverse("document_consolidated_pdf", args=[approved_period.pk])
    client.force_login(users["la.leader"])
    la_party = approved_period.agreement.parties.get(body__name="Sở Công Thương tỉnh Long An")
    assert issue_via_page(client, ConsolidatedReportDocument(approved_period, la_party)).status_code == 302
    response = client.get(url)
    assert response.status_code == 202
    stored = OfficialDocument.objects.get()
    status_url = reverse("document_status", args=[stored.pk])
    assert status_url in response.content.decode()

    states = []

    def ready() -> bool:
        status = client.get(status_url).json()
        states.append(status["state"])
        return bool(status["state"] == "ready")

    wait_for(ready, worker, "the document to be ready")
    assert states[-1] == "ready" and set(states) <= {"pending", "rendering", "ready"}
    assert re.search(r"Task reporting\.tasks\.render_official_document\[.*\] succeeded .*'ready'", worker.log)
    download = client.get(url)
    assert download.status_code == 200
    path = tmp_path / "consolidated.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    assert "Số: 01/BC-SCT" in content_text(path)

    # The same task delivered again (acks_late, a redelivery): claimed already, nothing happens.
    finished = OfficialDocument.objects.get().finished_at
    render_official_document.apply_async(args=(stored.pk,), queue=worker.queue)
    wait_for(lambda: "succeeded" in worker.log and "'not-claimed'" in worker.log, worker, "the second delivery")
    assert OfficialDocument.objects.get().finished_at == finished
    assert DocumentNumberCounter.objects.get().last_number == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_render_shows_a_clear_message(
    client: Any, users: Any, worker: Worker, approved_period: ReportingPeriod, settings: Any
) -> None:
    settings.DOCUMENTS_ASYNC_THRESHOLD = 2
    report = approved_period.reports.get(party__body__name="Sở Công Thương tỉnh Long An")
    url = reverse("document_report_pdf", args=[report.pk])
    client.force_login(users["la.leader"])
    with transaction.atomic():  # the task leaves on commit, after the report was reopened: it must fail
        assert issue_via_page(client, PartyReportDocument(report)).status_code == 302
        workflow.reopen_report(users["la.coord"], report, "Bổ sung số liệu.")
    stored = OfficialDocument.objects.get()
    status_url = reverse("document_status", args=[stored.pk])
    status = wait_for(
        lambda: (s := client.get(status_url).json())["state"] == "failed" and s, worker, "the render to fail"
    )
    assert "Không tạo được tệp PDF" in status["error"] and "mở lại" in status["error"]
    assert not status["busy"] and stored.number == 1  # the number was given when it was issued, and stays
    # Approved again: the page and the panel show the error until the user asks to try again.
    workflow.submit_report(users["la.staff"], report)
    workflow.approve_report(users["la.coord"], report)
    settings.DOCUMENTS_ASYNC_THRESHOLD = 200  # small enough now to render in the request
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert status["error"] in panel and 'role="alert"' in panel and "retry=1" in panel
    page = client.get(url)
    assert page.status_code == 202 and status["error"] in page.content.decode() and "retry=1" in page.content.decode()
    assert client.get(url + "?retry=1").status_code == 200
    assert OfficialDocument.objects.get().state == "ready"


@pytest.mark.django_db
def test_open_due_reporting_periods_is_idempotent(demo: None) -> None:
    programme = Agreement.objects.get(status=Agreement.Status.IN_FORCE)
    latest = programme.reporting_periods.order_by("-start").first()
    assert latest is not None
    latest_start = latest.start
    latest.delete()  # as if the hourly task had not run since the period began
    before = ReportingPeriod.objects.count()
    reports_before = ProgressReport.objects.count()
    opened = open_due_reporting_periods()
    # What it really created, not every begun period: one period, a report per party.
    assert (opened["periods"], opened["reports"]) == (1, programme.parties.count())
    assert ReportingPeriod.objects.count() == before + 1
    assert programme.reporting_periods.filter(start=latest_start).get().reports.count() == programme.parties.count()
    assert ProgressReport.objects.count() == reports_before + programme.parties.count()
    snapshot = sorted(ReportingPeriod.objects.values_list("pk", flat=True))
    again = open_due_reporting_periods()
    assert (again["periods"], again["reports"], again["entries"]) == (0, 0, 0)
    assert sorted(ReportingPeriod.objects.values_list("pk", flat=True)) == snapshot
    assert PeriodicTask.objects.filter(task=open_due_reporting_periods.name).exists()  # the schedule, in the database


@pytest.mark.django_db(transaction=True)
def test_a_large_draft_is_drawn_by_the_worker(
    client: Any, users: Any, worker: Worker, settings: Any, tmp_path: Path
) -> None:
    """A draft above the threshold never holds the web worker: the progress page, then the file."""
    settings.DOCUMENTS_ASYNC_THRESHOLD = 2
    period = periods_of(2026)[-1]  # every party still drafting
    url = reverse("document_consolidated_pdf", args=[period.pk])
    client.force_login(users["la.coord"])
    response = client.get(url)
    assert response.status_code == 202
    draft = OfficialDocument.objects.get()
    status_url = reverse("document_status", args=[draft.pk])
    wait_for(lambda: client.get(status_url).json()["state"] == "ready", worker, "the draft to be drawn")
    download = client.get(url)
    assert download.status_code == 200
    path = tmp_path / "draft.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    text = content_text(path)
    assert "DỰ THẢO" in text and not re.search(r"Số: \d", text)
    assert not DocumentNumberCounter.objects.exists()
