"""Issue 8, point 5: history is not a to-do list; the demo shows a living state.

The 2011 agreement and the 2021 plan were entered after the fact (tracked from 01/09/2026): no period
of theirs is opened, reminded or late. The programme 2025–2026 has its reports of the first half of
2026 in every state of the review, taken there through reporting.workflow by the demo users, and the
second half open as drafts.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from agreements.models import Agreement
from core import clock
from core.models import AuditEntry
from reporting.models import EntryRevision, ProgressReport, ReportTransition
from reporting.queries import reports_to_fill
from reporting.workflow import agreement_windows
from tests.support import periods_of

pytestmark = pytest.mark.django_db

LONG_AN, TAY_NINH, TIEN_GIANG = (f"Sở Công Thương tỉnh {name}" for name in ("Long An", "Tây Ninh", "Tiền Giang"))


def history() -> list[Agreement]:
    return [Agreement.objects.get(signed_on="2011-10-14"), Agreement.objects.get(kind=Agreement.Kind.PLAN)]


def test_the_2011_agreement_and_the_2021_plan_are_history(demo: None) -> None:
    for agreement in history():
        assert agreement.status == Agreement.Status.EXPIRED
        assert agreement.tracked_from == datetime.date(2026, 9, 1) > agreement.period_end
        assert not agreement.reporting_periods.exists()
        assert not ProgressReport.objects.filter(period__agreement=agreement).exists()
        # The notes say the day of entry is a demo assumption.
        assert "01/09/2026" in agreement.notes and "giả định của dữ liệu mẫu" in agreement.notes


def test_la_staff_home_shows_no_history(client: Any, users: dict[str, Any]) -> None:
    la_staff = users["la.staff"]
    to_fill = list(reports_to_fill(la_staff, clock.today()))
    assert to_fill and all(r.period.agreement.kind == Agreement.Kind.PROGRAMME for r in to_fill)
    overdue = [r for r in to_fill if r.period.deadline < clock.today()]
    assert all(r.period.agreement.kind == Agreement.Kind.PROGRAMME for r in overdue)
    client.force_login(la_staff)
    home = client.get(reverse("home")).content.decode()
    for year in [*range(2011, 2016), 2021]:  # no period of the history is listed (their titles may be)
        assert f"tháng đầu năm {year}" not in home and f"tháng cuối năm {year}" not in home
    assert "6 tháng cuối năm 2026" in home  # the open draft, deadline 24/12/2026


def test_the_2011_agreement_page_shows_its_periods_as_not_reported(client: Any, users: dict[str, Any]) -> None:
    agreement = history()[0]
    client.force_login(users["la.coord"])
    page = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    windows = agreement_windows(agreement)
    assert len(windows) == 9  # the second half of 2011, then two a year to 2015
    assert page.count("Không báo cáo trên hệ thống") == len(windows)


def test_the_programme_first_half_of_2026_stands_in_every_state(demo: None) -> None:
    first_half, second_half = periods_of(2026)
    states = {r.party.body.name: r.state for r in first_half.reports.select_related("party__body")}
    assert states == {LONG_AN: "approved", TAY_NINH: "submitted", TIEN_GIANG: "returned"}
    assert second_half.deadline == datetime.date(2026, 12, 24) and second_half.start <= clock.today()
    assert set(second_half.reports.values_list("state", flat=True)) == {"draft"}
    returned = first_half.reports.get(party__body__name=TIEN_GIANG)
    assert returned.review_comment.startswith("Đề nghị bổ sung danh sách doanh nghiệp")
    assert returned.entries.exclude(review_comment="").exists()
    # The notes say the content is illustrative.
    assert "minh họa" in first_half.agreement.notes


def test_the_states_were_reached_through_the_workflow_by_the_demo_users(demo: None) -> None:
    first_half = periods_of(2026)[0]
    trail = {
        r.party.body.name: [(t.to_state, t.actor.username) for t in r.transitions.order_by("pk")]
        for r in first_half.reports.select_related("party__body")
    }
    assert trail == {
        LONG_AN: [("submitted", "la.staff"), ("approved", "la.coord")],
        TAY_NINH: [("submitted", "tn.staff")],
        TIEN_GIANG: [("submitted", "tg.staff"), ("returned", "tg.coord")],
    }
    for report in first_half.reports.all():
        assert report.overall_assessment and report.next_period_tasks
        assert all(entry.results for entry in report.entries.all())
        assert EntryRevision.objects.filter(entry__report=report).count() == report.entries.count()
    assert AuditEntry.objects.filter(action="report.approved").exists()
    # Nothing else was moved: 2025 and the second half of 2026 are untouched drafts.
    assert ReportTransition.objects.exclude(report__period=first_half).count() == 0
