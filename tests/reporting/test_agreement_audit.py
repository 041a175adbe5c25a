"""An agreement's history (reporting.views.agreement_audit): every change to the agreement and to what hangs on
it, from its audit trail, newest first, filtered by kind of object, fifty a page, in a fixed number of queries.

The 2011 Long An – Tây Ninh agreement: its coordinators (either party) and the superuser read it; the
parties' staff and leaders get 403; Tiền Giang (no party) 404.  A coordinator of the other party sees
that Long An's draft was saved, never what it says (nor the name of a file attached to it).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from core.audit import audit
from reporting import workflow
from tests.support import fill_report, png_bytes

pytestmark = pytest.mark.django_db

SECRET = "Hạn chế nội bộ của Long An, chưa gửi"
FILE_NAME = "bien-ban-noi-bo-long-an.png"


def history_url(agreement: Agreement) -> str:
    return reverse("agreement_audit", args=[agreement.pk])


def cells(page: str) -> list[list[str]]:
    """The text of each cell of each row, tags dropped and whitespace collapsed."""
    found = []
    for row in re.findall(r'<tr data-testid="audit-row">(.*?)</tr>', page, flags=re.S):
        texts = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        found.append([" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in texts])
    return found


def first_report(agreement: Agreement, index: int = 0) -> Any:
    period = agreement.reporting_periods.order_by("start")[index]
    return period.reports.get(party__body__name="Sở Công Thương tỉnh Long An")


@pytest.fixture
def history(users: dict[str, Any], agreement: Agreement) -> Agreement:
    """Long An's first report a draft (saved, a file attached); its second approved, then reopened; the admin
    renamed the agreement."""
    staff, coordinator = users["la.staff"], users["la.coord"]
    draft = first_report(agreement)
    workflow.save_report_fields(staff, draft, {"shortcomings": SECRET}, draft.version)
    entry = draft.entries.order_by("pk").first()
    workflow.add_evidence(staff, entry, SimpleUploadedFile(FILE_NAME, png_bytes(), content_type="image/png"))
    sent = fill_report(users, first_report(agreement, 1))
    workflow.submit_report(staff, sent)
    workflow.approve_report(coordinator, sent)
    workflow.reopen_report(coordinator, sent, "Bổ sung số liệu xuất khẩu")
    audit(users["admin"], "admin.updated", agreement, changes={"title": [agreement.title, "Thỏa thuận (đã sửa)"]})
    return agreement


def test_a_coordinator_reads_who_did_what_to_what_and_when(client, users, history):
    client.force_login(users["la.coord"])
    response = client.get(history_url(history))
    assert response.status_code == 200
    rows = cells(response.content.decode())
    # Newest first: the admin's rename, then the reopening, ... , the periods opened when it was tracked.
    renamed = rows[0]
    assert renamed[1] == "Quản trị"
    assert renamed[2] == "Sửa thỏa thuận hợp tác (trang quản trị)"
    assert renamed[3] == f"Thỏa thuận hợp tác {history.title}"
    assert renamed[4] == f"Tên văn bản {history.title} → Thỏa thuận (đã sửa)"
    reopened = rows[1]
    assert (reopened[1], reopened[2]) == ("Điều phối Long An", "Mở lại báo cáo đã phê duyệt")
    assert reopened[3].startswith("Báo cáo tiến độ Sở Công Thương tỉnh Long An")
    assert reopened[4] == "Ý kiến Bổ sung số liệu xuất khẩu"
    actions = [row[2] for row in rows]
    for label in (
        "Phê duyệt báo cáo",
        "Cập nhật tình trạng cam kết theo báo cáo đã phê duyệt",
        "Gửi báo cáo",
        "Cập nhật kết quả thực hiện cam kết",
        "Đính kèm minh chứng",
        "Lưu báo cáo",
    ):
        assert label in actions, label
    assert not response.context["page"].has_next()
    opened = rows[-1]  # the oldest: the periods the system opened when the agreement was tracked
    assert (opened[1], opened[2], opened[3]) == ("Hệ thống", "Mở kỳ báo cáo", f"Thỏa thuận hợp tác {history.title}")
    assert opened[4].startswith("Đã mở ")
    draft_saved = [row for row in rows if row[2] == "Lưu báo cáo"][-1]  # the older one
    assert draft_saved[4] == f"Hạn chế — → {SECRET}"  # their own party's draft: every word
    assert FILE_NAME in response.content.decode()


def test_the_other_partys_coordinator_sees_that_a_draft_changed_not_what_it_says(client, users, history):
    client.force_login(users["tn.coord"])
    response = client.get(history_url(history))
    assert response.status_code == 200
    page = response.content.decode()
    assert SECRET not in page and FILE_NAME not in page
    rows = cells(page)
    saved = next(row for row in rows if row[2] == "Lưu báo cáo")
    assert saved[3] == "Báo cáo tiến độ"  # not even which report
    assert saved[4] == "Nội dung của báo cáo này chỉ người được xem báo cáo mới thấy."
    # The approved (then reopened: returned) report is Long An's to read again now, not Tây Ninh's.
    reopened = next(row for row in rows if row[2] == "Mở lại báo cáo đã phê duyệt")
    assert "Bổ sung số liệu xuất khẩu" not in reopened[4]


def test_the_superuser_reads_everything(client, users, history):
    client.force_login(users["admin"])
    page = client.get(history_url(history)).content.decode()
    assert SECRET in page and FILE_NAME in page


@pytest.mark.parametrize("username", ["la.staff", "la.leader", "tn.staff", "tn.leader"])
def test_staff_and_leaders_of_the_parties_are_refused(client, users, history, username):
    client.force_login(users[username])
    response = client.get(history_url(history))
    assert response.status_code == 403
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("username", ["tg.staff", "tg.coord", "tg.leader"])
def test_an_outsider_does_not_know_it_exists(client, users, history, username):
    client.force_login(users[username])
    response = client.get(history_url(history))
    assert response.status_code == 404
    assert history.title not in response.content.decode()


def test_anonymous_is_sent_to_the_login_page(client, agreement):
    response = client.get(history_url(agreement))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")


def test_an_agreement_that_does_not_exist_is_404(client, users):
    client.force_login(users["admin"])
    assert client.get(reverse("agreement_audit", args=[999999])).status_code == 404


def test_only_this_agreements_entries(client, users, agreement):
    programme = Agreement.objects.get(kind=Agreement.Kind.PROGRAMME)
    ours = audit(users["admin"], "admin.updated", agreement, changes={"notes": ["", "a"]})
    theirs = audit(users["admin"], "admin.updated", programme, changes={"notes": ["", "b"]})
    client.force_login(users["la.coord"])
    shown = [line.entry.pk for line in client.get(history_url(agreement)).context["lines"]]
    assert ours.pk in shown and theirs.pk not in shown


def test_the_agreement_page_links_to_it_for_coordinators_only(client, users, agreement):
    detail = reverse("agreement_detail", args=[agreement.pk])
    for username, linked in [("la.coord", True), ("tn.coord", True), ("admin", True), ("la.staff", False)]:
        client.force_login(users[username])
        assert (history_url(agreement) in client.get(detail).content.decode()) is linked, username


def test_filter_by_kind_of_object(client, users, history):
    client.force_login(users["la.coord"])
    response = client.get(history_url(history), {"kind": "reporting.progressreport"})
    types = {line.entry.object_type for line in response.context["lines"]}
    assert types == {"reporting.progressreport"}
    page = response.content.decode()
    assert '<option value="reporting.progressreport" selected>Báo cáo tiến độ</option>' in page
    everything = client.get(history_url(history))
    kinds = dict(everything.context["kinds"])
    assert kinds["agreements.agreement"] == "Thỏa thuận hợp tác" and kinds["reporting.evidence"] == "Tệp minh chứng"
    assert {line.entry.object_type for line in everything.context["lines"]} > types
    assert client.get(history_url(history), {"kind": "nonsense"}).context["lines"] == []


def test_fifty_a_page_and_the_filter_kept(client, users, agreement):
    for n in range(55):
        audit(users["admin"], "admin.updated", agreement, changes={"notes": [str(n), str(n + 1)]})
    client.force_login(users["la.coord"])
    first = client.get(history_url(agreement), {"kind": "agreements.agreement"})
    assert len(first.context["lines"]) == 50
    page = first.content.decode()
    assert 'href="?kind=agreements.agreement&amp;page=2"' in page
    second = client.get(history_url(agreement), {"kind": "agreements.agreement", "page": 2})
    assert len(second.context["lines"]) == 56 - 50  # and the periods opened when it was tracked
    assert second.context["lines"][-1].entry.action == "periods.opened"


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("username", ["tn.coord", "la.coord", "admin"])
def test_the_queries_do_not_grow_with_the_entries(client, users, agreement, django_assert_num_queries, username):
    """One entry of each kind, then fifty of each: the same queries (a counterpart's page reads which
    reports it may read, in one query for the page)."""
    staff = users["la.staff"]
    report = first_report(agreement)
    entry = report.entries.order_by("pk").first()
    evidence = workflow.add_evidence(staff, entry, SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))

    def one_of_each(n: int) -> None:
        nonlocal report, entry
        report = workflow.save_report_fields(staff, report, {"shortcomings": f"Hạn chế {n}"}, report.version)
        entry = workflow.save_entry(staff, entry, {"results": f"Kết quả {n}"}, entry.version)
        audit(staff, "evidence.added", evidence, entry=entry.pk)

    one_of_each(0)
    client.force_login(users[username])
    url = history_url(agreement)
    client.get(url)  # the session is read and cached like on any later page
    few = count_queries(client, url)
    for n in range(1, 51):
        one_of_each(n)
    assert len(client.get(url).context["lines"]) == 50
    with django_assert_num_queries(few):
        client.get(url)
    # The session and its renewal, the user, their roles (two), the agreement and its parties, the count and
    # the page, which reports the page's entries and files belong to and which the reader may read (three),
    # the kinds for the filter, the unread notifications of the header.
    assert few <= 18
