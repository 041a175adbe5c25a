"""Saving one entry inline (reporting.views.report_entry_save), with htmx or without."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting import workflow as services
from reporting.models import ProgressEntry, ProgressReport
from tests.support import form_data

pytestmark = pytest.mark.django_db


def test_inline_entry_save_without_htmx_falls_back_to_the_form(client, users, la_report):
    client.force_login(users["la.staff"])
    entry = la_report.entries.order_by("commitment__item__number").first()
    data = form_data(client, reverse("report_edit", args=[la_report.pk]))
    data[f"e{entry.pk}-status"] = "on_track"  # 45% of a commitment "not started" is refused
    data[f"e{entry.pk}-percent_complete"] = "45"
    response = client.post(reverse("report_entry_save", args=[la_report.pk, entry.pk]), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    entry.refresh_from_db()
    assert entry.percent_complete == 45


def test_inline_entry_save_reports_a_conflict(client, users, la_report):
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


def test_an_inline_save_makes_a_fixed_number_of_queries(client, users, la_report, django_assert_num_queries):
    """The save fifty people press at once (issue 12, `make loadtest`): a fixed number of queries, whatever the report.

    In production: the session and the user; the report with the access check (memberships, the bodies they
    succeeded); the entry with its commitment, then its evidence; in one transaction the report locked, the
    entry read and updated, its revision and audit entry (the answer shows the row as written, not read
    again); last period's entry for the commitment, which the answer shows as the form does.  The form's check constraints are decided in Python (core.constraints), and the session is not
    written (it is renewed at most once a minute).  Here the transaction is a savepoint pair (the test runs
    inside a transaction).
    """
    client.force_login(users["la.staff"])
    entries = list(la_report.entries.order_by("commitment__item__number")[:2])
    data = form_data(client, reverse("report_edit", args=[la_report.pk]))
    for entry in entries:
        data[f"e{entry.pk}-results"] = "Đã ký kết 12 biên bản ghi nhớ."
        with django_assert_num_queries(17):
            response = client.post(
                reverse("report_entry_save", args=[la_report.pk, entry.pk]), data, HTTP_HX_REQUEST="true"
            )
        assert response.status_code == 200 and 'class="saved"' in response.content.decode()


def test_the_answer_of_an_inline_save_shows_last_period_s_results_as_the_form_does(client, users, la_report):
    previous = la_report  # the first period's; the draft of the second is the one saved
    report = ProgressReport.objects.filter(party=previous.party, period__start__gt=previous.period.start).earliest(
        "period__start"
    )
    entry = report.entries.order_by("commitment__item__number").first()
    ProgressEntry.objects.filter(report=previous, commitment=entry.commitment).update(
        results="Đã ký 2 biên bản <b>ghi nhớ</b>\nvà 1 hợp đồng"
    )
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[report.pk])
    shown = '<p class="prose">Đã ký 2 biên bản &lt;b&gt;ghi nhớ&lt;/b&gt;<br>và 1 hợp đồng</p>'
    assert shown in client.get(url).content.decode()
    data = form_data(client, url)
    data[f"e{entry.pk}-results"] = "Đã ký thêm 1 hợp đồng"
    response = client.post(reverse("report_entry_save", args=[report.pk, entry.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'class="saved"' in response.content.decode()
    assert "Kết quả kỳ trước" in response.content.decode() and shown in response.content.decode()
