"""Who may read, edit and review progress reports, their evidence and their official documents.

One helper per object kind returns the object or raises: Http404 when the user may not even
know it exists, PermissionDenied when they may see it but not do this.  `readable_reports`
is the same read rule as a queryset, for lists, dashboards and jobs.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from agreements.access import (
    DOCUMENT_ROLES,
    document_parties,
    get_agreement_for,
    is_site_admin,
    parties_of,
    party_roles,
    visible_agreements,
)
from agreements.models import Agreement, Party, Role
from core.types import Actor
from reporting.models import Evidence, ProgressReport, ReportingPeriod

# What a counterpart party's coordinators and leaders may read: what another party has sent.
SHARED_STATES = (ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED)
COUNTERPART_ROLES = frozenset({Role.COORDINATOR, Role.LEADER})


def readable_reports(user: Actor) -> QuerySet[ProgressReport]:
    """Every report the user may read: their own parties' in any state, counterparts' once sent."""
    if is_site_admin(user):
        return ProgressReport.objects.all()
    own = parties_of(user).values("pk")
    counterpart_agreements = parties_of(user, COUNTERPART_ROLES).values("agreement_id")
    return ProgressReport.objects.filter(
        Q(party_id__in=own) | Q(party__agreement_id__in=counterpart_agreements, state__in=SHARED_STATES)
    )


def can_read_report(user: Actor, report: ProgressReport) -> bool:
    if is_site_admin(user) or party_roles(user, report.party):
        return True
    if report.state not in SHARED_STATES:
        return False
    return any(party_roles(user, party) & COUNTERPART_ROLES for party in report.party.agreement.parties.all())


def can_edit_report(user: Actor, report: ProgressReport) -> bool:
    return Role.STAFF in party_roles(user, report.party)


def can_review_report(user: Actor, report: ProgressReport) -> bool:
    return Role.COORDINATOR in party_roles(user, report.party)


def can_download_report_pdf(user: Actor, report: ProgressReport) -> bool:
    return is_site_admin(user) or bool(party_roles(user, report.party) & DOCUMENT_ROLES)


def _report(user: Actor, report_id: int) -> ProgressReport:
    report = (
        ProgressReport.objects.select_related("party__body", "party__agreement", "period__agreement")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can_read_report(user, report):
        raise Http404
    return report


def get_report_for_read(user: Actor, report_id: int) -> ProgressReport:
    return _report(user, report_id)


def get_report_for_edit(user: Actor, report_id: int) -> ProgressReport:
    report = _report(user, report_id)
    if not can_edit_report(user, report):
        raise PermissionDenied
    return report


def get_report_for_review(user: Actor, report_id: int) -> ProgressReport:
    report = _report(user, report_id)
    if not can_review_report(user, report):
        raise PermissionDenied
    return report


def get_report_pdf_for(user: Actor, report_id: int) -> ProgressReport:
    """A party's report whose official PDF the user may download: 404 if unreadable, 403 if not allowed."""
    report = _report(user, report_id)
    if not can_download_report_pdf(user, report):
        raise PermissionDenied
    return report


def get_period_for(user: Actor, period_id: int) -> ReportingPeriod:
    period = ReportingPeriod.objects.select_related("agreement").filter(pk=period_id).first()
    if period is None or not visible_agreements(user).filter(pk=period.agreement_id).exists():
        raise Http404
    return period


def get_evidence_for_read(user: Actor, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.select_related("entry__report").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    get_report_for_read(user, evidence.entry.report_id)
    return evidence


def get_evidence_for_edit(user: Actor, evidence_id: int) -> Evidence:
    evidence = get_evidence_for_read(user, evidence_id)
    get_report_for_edit(user, evidence.entry.report_id)
    return evidence


def get_agreement_pdf_for(user: Actor, agreement_id: int, party_id: int | None = None) -> tuple[Agreement, Party]:
    """An agreement and the party issuing its consolidated / yearly report (the user's own, or `party_id`)."""
    agreement = get_agreement_for(user, agreement_id)
    parties = document_parties(user, agreement)
    chosen = next((p for p in parties if party_id is None or p.pk == party_id), None)
    if chosen is None:
        raise PermissionDenied
    return agreement, chosen
