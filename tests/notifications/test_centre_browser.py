"""The notification centre in Debian's chromium: la.staff submits Long An's 2011 report (reporting.workflow);
la.coord sees the count in the top bar, opens the centre, follows the notification to the report, and
comes back to one fewer unread."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from notifications.models import Kind, Notification
from reporting import workflow
from reporting.models import ProgressReport
from tests.support import fill_report, login, notify_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def unread_of(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_the_coordinator_follows_a_notification_to_the_report(page: Page, live_demo, artifacts):
    base = live_demo.url
    users = {u.username: u for u in get_user_model().objects.all()}
    report = ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An", period__agreement__signed_on="2011-10-14", period__year=2011
    )
    workflow.submit_report(users["la.staff"], fill_report(users, report))
    coordinator = users["la.coord"]
    notify_user(coordinator, 2)  # two more, older, about the programme
    submitted = Notification.objects.get(recipient=coordinator, kind=Kind.REPORT_SUBMITTED, report=report)
    unread = unread_of(coordinator)
    assert unread == 4  # the demo's one, the submission and these two

    login(page, base, "la.coord")
    count = page.get_by_test_id("unread-count")
    expect(count).to_have_text(str(unread))
    page.get_by_role("link", name="Thông báo").click()
    expect(page).to_have_url(f"{base}{reverse('notification_list')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    items = page.get_by_test_id("notification")
    expect(items).to_have_count(unread)
    expect(page.locator("li.unread")).to_have_count(unread)
    newest = items.first  # the submission is the newest
    expect(newest).to_contain_text("Sở Công Thương tỉnh Long An đã gửi báo cáo")
    page.screenshot(path=str(artifacts / "notifications-centre.png"), full_page=True)

    newest.locator("a.headline").click()
    expect(page).to_have_url(f"{base}{submitted.url}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Sở Công Thương tỉnh Long An")
    expect(heading).to_contain_text("Báo cáo 6 tháng cuối năm 2011")
    expect(page.locator("#report-state")).to_have_text("Đã gửi")
    expect(count).to_have_text(str(unread - 1))  # this page's top bar already counts it read
    page.screenshot(path=str(artifacts / "notifications-target.png"), full_page=True)

    page.go_back()
    expect(page).to_have_url(f"{base}{reverse('notification_list')}")
    expect(count).to_have_text(str(unread - 1))
    expect(page.locator("li.unread")).to_have_count(unread - 1)
    expect(items.first).to_have_class("read")
    page.screenshot(path=str(artifacts / "notifications-centre-after.png"), full_page=True)
    assert unread_of(coordinator) == unread - 1

    # "Đánh dấu đã đọc" on one, then all: the count goes with them, and the bell shows none at the end.
    page.locator("li.unread").first.get_by_role("button", name="Đánh dấu đã đọc").click()
    expect(page.locator(".msg-success")).to_have_text("Đã đánh dấu 1 thông báo là đã đọc.")
    expect(count).to_have_text(str(unread - 2))
    page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
    expect(page.locator(".msg-success")).to_have_text(f"Đã đánh dấu {unread - 2} thông báo là đã đọc.")
    expect(count).to_have_count(0)
    expect(page.locator("li.unread")).to_have_count(0)
    page.screenshot(path=str(artifacts / "notifications-all-read.png"), full_page=True)
    assert unread_of(coordinator) == 0


def test_the_record_of_an_agreement_and_the_preferences(page: Page, live_demo, artifacts):
    """la.coord reaches what was sent for the 2011 agreement from its page, then chooses a morning digest."""
    base = live_demo.url
    users = {u.username: u for u in get_user_model().objects.all()}
    report = ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An", period__agreement__signed_on="2011-10-14", period__year=2011
    )
    workflow.submit_report(users["la.staff"], fill_report(users, report))
    workflow.return_report(users["la.coord"], report, "Thiếu số liệu về hội chợ thương mại.")

    login(page, base, "la.coord")
    page.goto(f"{base}{reverse('agreement_detail', args=[report.period.agreement_id])}")
    page.get_by_role("link", name="Nhắc việc và thông báo đã gửi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhắc việc và thông báo đã gửi")
    rows = page.get_by_test_id("record-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Báo cáo bị trả lại")
    expect(rows.first).to_contain_text("Chuyên viên Long An")
    expect(rows.last).to_contain_text("Điều phối Long An")
    expect(rows.last).to_contain_text("Chờ gửi")
    page.screenshot(path=str(artifacts / "notifications-record.png"), full_page=True)
    page.get_by_label("Loại").select_option(label="Báo cáo đã được gửi")
    page.get_by_role("button", name="Lọc").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Điều phối Long An")

    page.goto(f"{base}{reverse('notification_preferences')}")
    page.get_by_label("Gộp thành một e-mail mỗi sáng").check()
    page.get_by_label("English").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".msg-success")).to_have_text("Đã lưu cách nhận thông báo.")
    expect(page.get_by_label("Gộp thành một e-mail mỗi sáng")).to_be_checked()
    page.screenshot(path=str(artifacts / "notifications-preferences.png"), full_page=True)
    preference = users["la.coord"].notification_preference
    preference.refresh_from_db()
    assert (preference.delivery, preference.language) == ("digest", "en")
