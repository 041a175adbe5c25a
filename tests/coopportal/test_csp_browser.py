"""The Content-Security-Policy in Debian's chromium: no page breaks it, and the scripts it moved to static/js work.

Staff and a coordinator of Long An walk the pages that carry script (htmx saving an entry, the
documents panel refreshing itself, the progress page of a PDF rendered by a real Celery worker, which
downloads the file when it is ready) with every console message collected: chromium reports each
blocked script or style there ("Refused to ... because it violates the following Content Security
Policy directive").  Last, an inline script is injected on purpose to prove that the policy is
enforced and that such a message would be seen.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from agreements.models import Agreement
from reporting.models import OfficialDocument, ProgressEntry
from tests.support import fill_and_approve_period, la_report_of, login, periods_of
from tests.workers import start_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 90_000


def listen(page: Page, messages: list[str]) -> None:
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))


def violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


def test_no_page_breaks_the_policy_and_the_moved_scripts_work(
    page: Page, live_demo: Any, settings: Any, tmp_path: Any, artifacts: Any
) -> None:
    base = live_demo.url
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    settings.DOCUMENTS_ASYNC_THRESHOLD = 2  # the consolidated report (8 commitments) goes to the worker
    queue = f"csp-test-{uuid.uuid4().hex[:10]}"
    settings.DOCUMENTS_CELERY_QUEUE = queue  # no worker on it yet: the document waits, busy
    users = {u.username: u for u in get_user_model().objects.all()}
    approved = periods_of(2025)[0]
    fill_and_approve_period(users, approved)
    drafting = la_report_of(periods_of(2026)[-1])
    messages: list[str] = []
    listen(page, messages)

    # Staff: home, the agreement, the edit page with an entry saved by htmx.
    login(page, base, "la.staff")
    page.goto(f"{base}/")
    page.goto(f"{base}{reverse('agreement_detail', args=[Agreement.objects.get(kind='programme').pk])}")
    page.goto(f"{base}{reverse('report_edit', args=[drafting.pk])}")
    entry = page.locator("fieldset.entry").first
    entry.get_by_label("Tình trạng").select_option("on_track")
    entry.get_by_label("Tỷ lệ hoàn thành (%)").fill("40")
    entry.get_by_label("Kết quả đạt được").fill("Đã khảo sát nhu cầu của doanh nghiệp.")
    entry.get_by_role("button", name="Lưu mục này").click()
    expect(page.locator("fieldset.entry").first.locator(".saved")).to_be_visible()
    saved = ProgressEntry.objects.filter(report=drafting, results="Đã khảo sát nhu cầu của doanh nghiệp.").get()
    assert (saved.status, saved.percent_complete) == ("on_track", 40)

    # The coordinator issues the consolidated report from the period page: it waits for a worker.
    login(page, base, "la.coord")
    page.goto(f"{base}/")
    page.goto(f"{base}{reverse('period_detail', args=[approved.pk])}")
    panel = page.locator("#official-documents")
    panel.get_by_label("Tôi xác nhận cấp số và ban hành").first.check()
    panel.get_by_role("button", name="Cấp số và ban hành").first.click()
    expect(page.get_by_text("Đã cấp số 01/BC-SCT")).to_be_visible()
    expect(panel.locator("progress")).to_be_visible()  # fetched by documents-panel.js: busy
    assert OfficialDocument.objects.get().state == OfficialDocument.State.PENDING
    page.evaluate("window.stayedOnThePage = true")

    # A second tab on the download: the progress page.
    progress = page.context.new_page()
    listen(progress, messages)
    url = f"{base}{reverse('document_consolidated_pdf', args=[approved.pk])}"
    assert progress.goto(url).status == 202
    expect(progress.locator("#document-progress [data-role=state]")).to_be_visible()
    progress.screenshot(path=str(artifacts / "csp-progress.png"), full_page=True)

    downloads: list[Any] = []
    progress.on("download", lambda download: downloads.append(download))
    worker = start_worker(tmp_path, queue=queue, env={"MEDIA_ROOT": str(media)})
    try:
        # The progress page polls the status and turns into the download when the file is ready ...
        for _ in range(WAIT_MS // 250):
            if downloads:
                break
            progress.wait_for_timeout(250)
        assert downloads, f"no download; worker log:\n{worker.log[-3000:]}"
        assert downloads[0].suggested_filename.startswith("01-BC-SCT-")
        # ... and the panel of the period page refreshes itself, without a reload.
        expect(panel.get_by_text("đã ban hành: số 01/BC-SCT")).to_be_visible(timeout=WAIT_MS)
        expect(panel.locator("progress")).to_have_count(0)
        assert page.evaluate("window.stayedOnThePage") is True
    finally:
        worker.stop()
    assert OfficialDocument.objects.get().state == OfficialDocument.State.READY
    progress.close()

    # The document shown as HTML (its own <style>, the static fonts) and the notification centre.
    page.goto(f"{url}?format=html")
    page.goto(f"{base}{reverse('notification_list')}")
    expect(page.locator("main")).to_be_visible()

    assert violations(messages) == [], "\n".join(messages)
    assert not [m for m in messages if m.startswith("pageerror")], "\n".join(messages)

    # The policy is enforced, and a violation would be seen: an inline script is refused.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = true';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran === undefined")
    assert violations(messages), "\n".join(messages)
