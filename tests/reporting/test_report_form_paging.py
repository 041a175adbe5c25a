"""The edit form and the page of a long report, paged by cooperation item (reporting.views.report_edit and
report_detail, issue 11).

Long An leads 9 of the 17 commitments of each of 60 items (support.long_agreement): 540 entries, a page of whole
items up to reporting.item_pages.REPORT_ROWS of them.  A POST saves the entries it holds and no other: page 1
is never touched by a save of page 2.  The report's texts are on every page; a copy left untouched changes
nothing.  Conflicts are still shown and rebased; the submission still checks the whole report.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import item_pages, workflow
from reporting.models import ProgressEntry, ProgressReport
from tests.support import ASSESSMENT, form_data, long_agreement, pdf_bytes

pytestmark = pytest.mark.django_db

ITEMS, PER_ITEM, LED = 60, 17, 9  # Long An leads commitments 1, 3, ..., 17 of every item
PER_PAGE = item_pages.REPORT_ROWS // LED  # whole items of 9 entries: 4 to a page
LAST = -(-ITEMS // PER_PAGE)


def long_report(items: int = ITEMS) -> ProgressReport:
    return long_agreement(items, PER_ITEM).reports.get(party__order=1)


@pytest.fixture
def report(demo) -> ProgressReport:
    return long_report()


def edit(report, **params) -> str:
    return reverse("report_edit", args=[report.pk]) + (f"?{urlencode(params)}" if params else "")


def numbers(page: int) -> list[int]:
    return list(range((page - 1) * PER_PAGE + 1, min(page * PER_PAGE, ITEMS) + 1))


def entries_of(report, page: int) -> list[ProgressEntry]:
    return list(report.entries.filter(commitment__item__number__in=numbers(page)).order_by("pk"))


def stored(report) -> dict[int, tuple[Any, ...]]:
    return {
        pk: rest
        for pk, *rest in report.entries.values_list(
            "pk", "status", "percent_complete", "results", "difficulties", "proposals", "version"
        )
    }


def shown_items(response) -> list[int]:
    return sorted({row["entry"].commitment.item.number for row in response.context["rows"]})


def test_each_page_holds_the_entries_of_its_items(staff, report):
    response = staff.get(edit(report, page=2))
    assert response.status_code == 200
    assert shown_items(response) == numbers(2) == [5, 6, 7, 8]
    assert len(response.context["rows"]) == PER_PAGE * LED <= item_pages.REPORT_ROWS
    page = response.content.decode()
    assert '<strong aria-current="page">Nội dung 5–8</strong>' in page and "Nội dung 57–60" in page
    assert 'id="item-5"' in page and 'id="item-9"' not in page
    assert 'name="next_page"' in page  # save and go on
    assert 'name="report-overall_assessment"' in page  # the report's own texts, on every page
    last = staff.get(edit(report, page=LAST)).content.decode()
    assert 'name="report-overall_assessment"' in last and 'name="next_page"' not in last


def test_a_post_of_page_2_saves_page_2_and_never_touches_page_1(staff, report):
    before = stored(report)
    data = form_data(staff, edit(report, page=2))
    target = entries_of(report, 2)[0]
    data[f"e{target.pk}-results"] = "Kết quả của trang 2"
    response = staff.post(edit(report, page=2), data)
    assert response.status_code == 302 and response["Location"] == edit(report, page=2)
    after = stored(report)
    assert after[target.pk][2] == "Kết quả của trang 2" and after[target.pk][5] == 2
    assert [pk for pk in before if after[pk] != before[pk]] == [target.pk]


def test_a_post_sent_to_another_page_saves_what_it_holds_and_nothing_else(staff, report):
    """The entries saved are those the form holds, not those of the page its address names (an item added
    since would shift the pages): page 2's form sent to page 1 saves page 2's entries and leaves page 1 alone."""
    before = stored(report)
    data = form_data(staff, edit(report, page=2))
    target = entries_of(report, 2)[1]
    data[f"e{target.pk}-proposals"] = "Đề xuất của trang 2"
    assert staff.post(edit(report), data).status_code == 302
    after = stored(report)
    assert after[target.pk][4] == "Đề xuất của trang 2"
    assert [pk for pk in before if after[pk] != before[pk]] == [target.pk]


def test_save_and_next_page(staff, report):
    data = form_data(staff, edit(report, page=2))
    data["next_page"] = ""
    response = staff.post(edit(report, page=2), data)
    assert response.status_code == 302 and response["Location"] == edit(report, page=3)
    # On the last page there is no next one: it stays there.
    data = form_data(staff, edit(report, page=LAST))
    data["next_page"] = ""
    assert staff.post(edit(report, page=LAST), data)["Location"] == edit(report, page=LAST)


def test_an_untouched_copy_of_the_report_texts_on_another_page_changes_nothing(users, report):
    alice, bob = Client(), Client()
    alice.force_login(users["la.staff"])
    bob.force_login(users["la.staff"])
    a = form_data(alice, edit(report))  # Alice opens page 1 while the assessment is still empty
    b = form_data(bob, edit(report, page=3))
    b["report-overall_assessment"] = ASSESSMENT
    assert bob.post(edit(report, page=3), b).status_code == 302
    first = entries_of(report, 1)[0]
    a[f"e{first.pk}-results"] = "Kết quả của trang 1"
    assert alice.post(edit(report), a).status_code == 302  # her copy of the texts is untouched: no conflict
    report.refresh_from_db()
    assert report.overall_assessment == ASSESSMENT
    assert stored(report)[first.pk][2] == "Kết quả của trang 1"


def test_conflicts_on_a_page_are_still_shown_and_rebased(users, report):
    alice, bob = Client(), Client()
    alice.force_login(users["la.staff"])
    bob.force_login(users["la.staff"])
    target = entries_of(report, 3)[0]
    a, b = form_data(alice, edit(report, page=3)), form_data(bob, edit(report, page=3))
    a[f"e{target.pk}-results"] = "Kết quả do Alice nhập"
    assert alice.post(edit(report, page=3), a).status_code == 302
    before = stored(report)
    b[f"e{target.pk}-results"] = "Kết quả do Bob nhập"
    b["report-shortcomings"] = "Hạn chế do Bob nhập"
    response = bob.post(edit(report, page=3), b)
    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa được người khác lưu trước bạn; chưa có gì được lưu" in page
    assert "Kết quả do Alice nhập" in page and "Kết quả do Bob nhập" in page
    assert shown_items(response) == numbers(3)  # the same page, its pager too
    assert '<strong aria-current="page">Nội dung 9–12</strong>' in page
    assert stored(report) == before
    # Saved again on purpose, from the rebased form: page 3 only.
    rebased: dict[str, str] = {}
    for form in [response.context["report_form"], *[row["form"] for row in response.context["rows"]]]:
        rebased.update({k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"})
    assert bob.post(edit(report, page=3), rebased).status_code == 302
    after = stored(report)
    assert after[target.pk][2] == "Kết quả do Bob nhập"
    assert [pk for pk in before if after[pk] != before[pk]] == [target.pk]
    report.refresh_from_db()
    assert report.shortcomings == "Hạn chế do Bob nhập"


def test_an_item_is_reached_on_the_page_that_holds_it(staff, report):
    response = staff.get(edit(report, item=10))
    assert response.status_code == 302 and response["Location"] == edit(report, page=3) + "#item-10"


@pytest.mark.parametrize(("asked", "page"), [("999", LAST), ("abc", 1)])
def test_a_page_that_is_not_one_gives_the_nearest(staff, report, asked, page):
    assert shown_items(staff.get(edit(report, page=asked))) == numbers(page)


def test_one_entry_saved_without_htmx_goes_back_to_its_page(staff, report):
    entry = entries_of(report, 3)[2]
    data = form_data(staff, edit(report, page=3))
    data[f"e{entry.pk}-results"] = "Lưu riêng mục này"
    response = staff.post(reverse("report_entry_save", args=[report.pk, entry.pk]), data)
    assert response.status_code == 302 and response["Location"] == edit(report, page=3) + f"#entry-{entry.pk}"
    assert stored(report)[entry.pk][2] == "Lưu riêng mục này"


@pytest.mark.usefixtures("media")
def test_an_evidence_file_removed_goes_back_to_its_page(staff, users, report):
    entry = entries_of(report, 4)[0]
    workflow.add_evidence(users["la.staff"], entry, SimpleUploadedFile("bien-ban.pdf", pdf_bytes()))
    evidence = entry.evidence.get()
    response = staff.post(reverse("evidence_delete", args=[evidence.pk]))
    assert response.status_code == 302 and response["Location"] == edit(report, page=4) + f"#entry-{entry.pk}"
    assert not entry.evidence.exists()


def test_sending_from_any_page_checks_the_whole_report(staff, report):
    data = form_data(staff, edit(report, page=2))
    data["submit"] = ""
    response = staff.post(edit(report, page=2), data)
    assert response.status_code == 200
    assert len(response.context["check"].entries) == ITEMS * LED
    assert len(response.context["check"].untouched) == ITEMS * LED  # nobody wrote anything on any page


def test_the_report_page_is_paged_as_its_form(staff, report):
    response = staff.get(reverse("report_detail", args=[report.pk]) + "?page=2")
    assert sorted({e.commitment.item.number for e in response.context["entries"]}) == numbers(2)
    page = response.content.decode()
    assert '<strong aria-current="page">Nội dung 5–8</strong>' in page
    assert f'href="{edit(report, page=2)}"' in page  # "Cập nhật báo cáo" opens the same page of the form
    jump = staff.get(reverse("report_detail", args=[report.pk]) + "?item=10")
    assert jump["Location"] == reverse("report_detail", args=[report.pk]) + "?page=3#item-10"


def test_the_coordinator_returning_a_report_comments_on_any_entry(client, users, report):
    """Returning is one act on the whole report: its form has a box for every entry, on every page."""
    workflow.submit_report(users["la.staff"], report, confirm_unchanged=True)
    client.force_login(users["la.coord"])
    response = client.get(reverse("report_detail", args=[report.pk]) + "?page=2")
    assert len(response.context["entries"]) == PER_PAGE * LED
    assert len(response.context["return_form"].entries) == ITEMS * LED


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200, address
    return len(context.captured_queries)


@pytest.mark.parametrize("name", ["report_edit", "report_detail"])
def test_the_same_queries_for_5_items_as_for_60(staff, report, name):
    short = long_report(5)
    few = count_queries(staff, reverse(name, args=[short.pk]))
    assert count_queries(staff, reverse(name, args=[report.pk])) == few
    assert count_queries(staff, reverse(name, args=[report.pk]) + f"?page={LAST}") == few
    assert few <= 30


def test_an_outsider_gets_no_form(client, users, report):
    client.force_login(users["tg.staff"])  # Tiền Giang is no party to this agreement
    assert client.get(edit(report, page=2)).status_code == 404
