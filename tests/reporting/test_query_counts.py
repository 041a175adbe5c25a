"""The reporting pages: what each role sees, and bounded queries whatever the size of the report."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Commitment
from reporting import workflow as services

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def grow(report, n: int) -> None:
    """Give the report's party n more commitments (and entries)."""
    item = report.period.agreement.items.first()
    Commitment.objects.bulk_create(
        Commitment(item=item, responsible_party=report.party, description=f"Cam kết thêm {i}") for i in range(n)
    )
    services.sync_entries(report)


@pytest.mark.parametrize("name", ["report_detail", "report_edit", "report_history"])
def test_report_pages_have_bounded_queries(client, users, la_report, name):
    client.force_login(users["la.staff"])
    url = reverse(name, args=[la_report.pk])
    before = count_queries(client, url)
    grow(la_report, 25)
    after = count_queries(client, url)
    assert after == before, f"{name}: {before} queries with 9 entries, {after} with 34"
    assert before <= 30


def test_period_and_agreement_pages_have_bounded_queries(client, users, la_report):
    client.force_login(users["la.coord"])
    for url in (
        reverse("period_detail", args=[la_report.period_id]),
        reverse("agreement_detail", args=[la_report.period.agreement_id]),
    ):
        before = count_queries(client, url)
        grow(la_report, 25)
        assert count_queries(client, url) == before, url
        assert before <= 40, (url, before)


def test_home_lists_work_by_role(client, users, la_report):
    services.submit_report(users["la.staff"], la_report)
    client.force_login(users["la.coord"])
    page = client.get(reverse("home")).content.decode()
    assert "Báo cáo chờ duyệt" in page and reverse("report_detail", args=[la_report.pk]) in page
    client.force_login(users["la.staff"])
    page = client.get(reverse("home")).content.decode()
    assert "quá hạn" in page  # the 2011 drafts are long overdue
    assert reverse("report_edit", args=[la_report.pk]) not in page  # submitted: nothing to fill


def test_validation_error_keeps_everything_typed(client, users, la_report):
    from tests.test_concurrent_edits import form_data

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
    from tests.test_concurrent_edits import form_data

    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[la_report.pk])
    data = form_data(client, url)
    first = la_report.entries.order_by("commitment__item__number").first()
    data[f"e{first.pk}-status"] = "done"
    data[f"e{first.pk}-percent_complete"] = "80"
    assert "phải là 100%" in client.post(url, data).content.decode()


def test_decimal_comma_is_accepted_for_indicators(client, users, demo):
    from reporting.models import ProgressReport
    from tests.test_concurrent_edits import form_data

    report = ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An", period__agreement__kind="plan", period__index=2
    )
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[report.pk])
    data = form_data(client, url)
    entry = report.entries.get(commitment__indicator_name="Kim ngạch xuất khẩu")
    data[f"e{entry.pk}-actual_value"] = "6,45"
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert str(entry.actual_value) == "6.4500"


def test_history_shows_who_changed_what(client, users, la_report):
    entry = la_report.entries.first()
    services.save_entry(users["la.staff"], entry, {"status": "on_track", "percent_complete": 25}, 1)
    client.force_login(users["la.coord"])
    page = client.get(reverse("report_history", args=[la_report.pk])).content.decode()
    assert "Chuyên viên Long An" in page and "Đúng tiến độ" in page and "Chưa triển khai" in page


def test_english_on_request_only(client, users):
    client.force_login(users["la.staff"])
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(reverse("home"))["Content-Language"] == "en"


def test_agreement_lists_count_every_party(client, users):
    client.force_login(users["la.staff"])
    for name in ("home", "agreement_list"):
        response = client.get(reverse(name))
        counts = {
            a.title[:30]: a.party_count for a in (response.context.get("agreements") or response.context["filter"].qs)
        }
        assert sorted(counts.values()) == [2, 2, 3], (name, counts)


def test_inline_entry_save_without_htmx_falls_back_to_the_form(client, users, la_report):
    from tests.test_concurrent_edits import form_data

    client.force_login(users["la.staff"])
    entry = la_report.entries.order_by("commitment__item__number").first()
    data = form_data(client, reverse("report_edit", args=[la_report.pk]))
    data[f"e{entry.pk}-percent_complete"] = "45"
    response = client.post(reverse("report_entry_save", args=[la_report.pk, entry.pk]), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    entry.refresh_from_db()
    assert entry.percent_complete == 45


def test_inline_entry_save_reports_a_conflict(client, users, la_report):
    from tests.test_concurrent_edits import form_data

    client.force_login(users["la.staff"])
    entry = la_report.entries.order_by("commitment__item__number").first()
    data = form_data(client, reverse("report_edit", args=[la_report.pk]))
    services.save_entry(users["la.staff"], entry, {"results": "Lưu ở tab khác"}, 1)
    data[f"e{entry.pk}-results"] = "Lưu ở tab này"
    response = client.post(reverse("report_entry_save", args=[la_report.pk, entry.pk]), data, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "Lưu ở tab khác" in page and "Lưu ở tab này" in page
    entry.refresh_from_db()
    assert entry.results == "Lưu ở tab khác"
