"""The progress page of a PDF in Debian's chromium: it says why it waits, shows a failure, and recovers by itself.

One page stays open on the download of an issued consolidated report while, around it: the broker
is unreachable (the page explains it), the render is given up on (the page shows the error and the
retry link), then the broker is back, a real Celery worker runs, and someone retries from elsewhere:
the open page, only polling, follows and downloads the file.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from reporting.documents.kinds import ConsolidatedReportDocument
from reporting.documents.rendering import INTERRUPTED_MESSAGE
from reporting.models import OfficialDocument
from tests.support import fill_and_approve_period, issue_now, login, periods_of
from tests.workers import start_worker, use_broker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 90_000
State = OfficialDocument.State


@pytest.fixture
def broker_at() -> Iterator[Any]:
    yield use_broker
    use_broker(django_settings.CELERY_BROKER_URL)


def test_the_progress_page_explains_shows_the_failure_and_recovers(
    page: Page, live_demo: Any, settings: Any, tmp_path: Any, broker_at: Any, artifacts: Any
) -> None:
    base = live_demo.url
    media, scratch = tmp_path / "media", tmp_path / "scratch"
    queue = f"progress-{uuid.uuid4().hex[:10]}"
    settings.MEDIA_ROOT, settings.DOCUMENTS_SCRATCH_DIR, settings.DOCUMENTS_CELERY_QUEUE = str(media), scratch, queue
    settings.DOCUMENTS_ASYNC_THRESHOLD = 2  # the consolidated report (8 commitments) goes to the worker
    users = {u.username: u for u in get_user_model().objects.all()}
    period = periods_of(2025)[0]
    fill_and_approve_period(users, period)
    party = period.agreement.parties.get(body__name="Sở Công Thương tỉnh Long An")

    broker_at("redis://127.0.0.1:1/0")  # the broker is down when the document is issued
    stored = issue_now(users, "la.leader", ConsolidatedReportDocument(period, party))
    assert stored.state == State.PENDING and stored.error
    login(page, base, "la.coord")
    downloads: list[Any] = []
    page.on("download", lambda download: downloads.append(download))
    url = f"{base}{reverse('document_consolidated_pdf', args=[period.pk])}"
    assert page.goto(url).status == 202
    box = page.locator("#document-progress")
    expect(box.locator("[data-role=notice]")).to_contain_text("Dịch vụ xử lý nền tạm thời không hoạt động")
    expect(box.locator("[data-role=progress]")).to_be_visible()
    expect(box.locator("[data-role=error]")).to_be_hidden()
    expect(box.locator("[data-role=late]")).to_be_hidden()  # the notice says why; it is not "late"
    page.screenshot(path=str(artifacts / "progress-broker-down.png"), full_page=True)

    # The render is given up on (as the sweep does after repeated interruptions): the open page shows it.
    OfficialDocument.objects.filter(pk=stored.pk).update(
        state=State.FAILED, error=INTERRUPTED_MESSAGE.format(attempts=3)
    )
    expect(box.locator("[data-role=error]")).to_contain_text("bị ngắt giữa chừng 3 lần")
    expect(box.locator("[data-role=notice]")).to_be_hidden()
    expect(box.locator("[data-role=progress]")).to_be_hidden()
    expect(box.get_by_role("link", name="Thử tạo lại")).to_be_visible()
    page.screenshot(path=str(artifacts / "progress-failed.png"), full_page=True)

    # The broker is back, a worker runs, and someone retries from another browser: the page follows.
    broker_at(django_settings.CELERY_BROKER_URL)
    worker = start_worker(tmp_path, queue=queue, env={"MEDIA_ROOT": str(media), "DOCUMENTS_SCRATCH_DIR": str(scratch)})
    try:
        other = Client()
        other.force_login(users["la.leader"])
        assert other.get(reverse("document_consolidated_pdf", args=[period.pk]) + "?retry=1").status_code == 202
        for _ in range(WAIT_MS // 250):
            if downloads:
                break
            page.wait_for_timeout(250)
        assert downloads, f"the page did not download the file; worker log:\n{worker.log[-3000:]}"
        assert downloads[0].suggested_filename.startswith("01-BC-SCT-")
    finally:
        worker.stop()
    assert OfficialDocument.objects.get().state == State.READY
