"""reporting.access: `readable_reports(user)` and `readable_among(user, parties)` are the same rule as
`can_read_report` on every report."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from agreements.models import Agreement
from reporting import workflow
from reporting.access import can_read_report, readable_among, readable_reports
from reporting.models import ProgressEntry, ProgressReport
from tests.support import fill_and_approve_period, periods_of

pytestmark = pytest.mark.django_db


def test_the_queryset_and_the_object_rule_agree_for_every_user_and_report(users, la_report):
    fill_and_approve_period(users, periods_of(2025)[0])  # approved reports of three parties
    # a submitted one; the rest stay drafts
    workflow.submit_report(users["la.staff"], la_report, confirm_unchanged=True)
    reports = list(ProgressReport.objects.select_related("party__agreement", "party__body"))
    assert {r.state for r in reports} >= {"draft", "submitted", "approved"}
    for user in [*users.values(), AnonymousUser()]:
        expected = {r.pk for r in reports if can_read_report(user, r)}
        assert set(readable_reports(user).values_list("pk", flat=True)) == expected, user


def test_the_rule_among_one_agreements_parties_agrees_too(users, la_report):
    fill_and_approve_period(users, periods_of(2025)[0])
    workflow.submit_report(users["la.staff"], la_report, confirm_unchanged=True)
    reports = list(ProgressReport.objects.select_related("party__agreement", "party__body"))
    agreements = list(Agreement.objects.prefetch_related("parties"))
    assert any(len(a.parties.all()) > 2 for a in agreements)
    for user in [*users.values(), AnonymousUser()]:
        for agreement in agreements:
            parties = list(agreement.parties.all())
            expected = {r.pk for r in reports if r.party.agreement_id == agreement.pk and can_read_report(user, r)}
            found = ProgressReport.objects.filter(readable_among(user, parties))
            assert set(found.values_list("pk", flat=True)) == expected, (user, agreement)
            entries = ProgressEntry.objects.filter(readable_among(user, parties, "report__"))
            assert set(entries.values_list("report_id", flat=True)) <= expected
            assert set(entries.values_list("report_id", flat=True)) == {
                pk for pk in expected if ProgressEntry.objects.filter(report_id=pk).exists()
            }


def test_counterparts_read_sent_reports_but_not_drafts(users, la_report):
    readable = readable_reports(users["tn.coord"])
    assert not readable.filter(pk=la_report.pk).exists()
    workflow.submit_report(users["la.staff"], la_report, confirm_unchanged=True)
    assert readable_reports(users["tn.coord"]).filter(pk=la_report.pk).exists()
    assert not readable_reports(users["tn.staff"]).filter(pk=la_report.pk).exists()


def test_a_bounded_number_of_queries(users, django_assert_max_num_queries):
    user = users["la.coord"]
    user.__dict__.pop("_coopportal_roles_by_body", None)
    with django_assert_max_num_queries(4):  # memberships, one per generation of predecessors, the report list
        list(readable_reports(user))
