"""Who may do what: the one place where membership and role become permission.

A user acts for a party when one of their memberships is in the party's body, in its
coordinating office, or in a body that succeeded either (today's Sở Công Thương Tây Ninh
answers for the former Long An and Tây Ninh departments).  Views never test roles
themselves: they call a `get_*_for` helper, which returns the object or raises
PermissionDenied / Http404.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from agreements.models import Agreement, Body, Membership, Party, Role

if TYPE_CHECKING:
    from reporting.models import ProgressReport

_CACHE_ATTR = "_coopportal_roles_by_body"


def roles_by_body(user: Any) -> dict[int, set[str]]:
    """Body id -> roles the user holds there, including bodies their bodies succeeded."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    direct: dict[int, set[str]] = defaultdict(set)
    for body_id, role in Membership.objects.filter(user=user).values_list("body_id", "role"):
        direct[body_id].add(role)
    result: dict[int, set[str]] = defaultdict(set)
    frontier: dict[int, set[str]] = dict(direct)
    while frontier:
        for body_id, roles in frontier.items():
            result[body_id] |= roles
        following: dict[int, set[str]] = defaultdict(set)
        predecessors = Body.objects.filter(successor_id__in=list(frontier)).values_list("pk", "successor_id")
        for pk, successor_id in predecessors:
            missing = frontier[successor_id] - result[pk]
            if missing:
                following[pk] |= missing
        frontier = following
    by_body = dict(result)
    setattr(user, _CACHE_ATTR, by_body)
    return by_body


def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        Role.ADMIN in roles for roles in roles_by_body(user).values()
    )


def party_roles(user: Any, party: Party) -> set[str]:
    roles = roles_by_body(user)
    return roles.get(party.body_id, set()) | roles.get(party.coordinating_office_id or 0, set())


def visible_agreements(user: Any) -> QuerySet[Agreement]:
    if is_site_admin(user):
        return Agreement.objects.all()
    body_ids = list(roles_by_body(user))
    # A subquery, not a join: annotations such as Count("parties") must see every party.
    mine = Party.objects.filter(Q(body_id__in=body_ids) | Q(coordinating_office_id__in=body_ids))
    return Agreement.objects.filter(pk__in=mine.values("agreement_id"))


def get_agreement_for(user: Any, agreement_id: int) -> Agreement:
    try:
        return visible_agreements(user).get(pk=agreement_id)
    except Agreement.DoesNotExist:
        raise Http404 from None


def my_parties(user: Any, agreement: Agreement) -> list[Party]:
    return [party for party in agreement.parties.all() if party_roles(user, party)]


def is_agreement_coordinator(user: Any, agreement: Agreement) -> bool:
    return is_site_admin(user) or any(Role.COORDINATOR in party_roles(user, p) for p in agreement.parties.all())


# --- progress reports -------------------------------------------------------------------


def can_read_report(user: Any, report: ProgressReport) -> bool:
    if is_site_admin(user) or party_roles(user, report.party):
        return True
    # Counterparts read what another party has sent, never its drafts or returned work.
    if report.state not in (report.State.SUBMITTED, report.State.APPROVED):
        return False
    return any(
        roles & {Role.COORDINATOR, Role.LEADER}
        for party in report.party.agreement.parties.all()
        for roles in [party_roles(user, party)]
    )


def can_edit_report(user: Any, report: ProgressReport) -> bool:
    return Role.STAFF in party_roles(user, report.party)


def can_review_report(user: Any, report: ProgressReport) -> bool:
    return Role.COORDINATOR in party_roles(user, report.party)


def get_report_for(user: Any, report_id: int, action: str = "read") -> ProgressReport:
    from reporting.models import ProgressReport

    report = (
        ProgressReport.objects.select_related("party__body", "party__agreement", "period__agreement")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can_read_report(user, report):
        raise Http404
    allowed = {"read": can_read_report, "edit": can_edit_report, "review": can_review_report}[action]
    if not allowed(user, report):
        raise PermissionDenied
    return report


def get_period_for(user: Any, period_id: int) -> Any:
    from reporting.models import ReportingPeriod

    period = ReportingPeriod.objects.select_related("agreement").filter(pk=period_id).first()
    if period is None or not visible_agreements(user).filter(pk=period.agreement_id).exists():
        raise Http404
    return period


def get_evidence_for(user: Any, evidence_id: int, action: str = "read") -> Any:
    from reporting.models import Evidence

    evidence = Evidence.objects.select_related("entry__report").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    get_report_for(user, evidence.entry.report_id, action)
    return evidence


# --- official documents (PDF) -------------------------------------------------------------
# Leadership and coordinators download the official reports; staff prepare the data but may not.

DOCUMENT_ROLES = frozenset({Role.COORDINATOR, Role.LEADER})


def document_parties(user: Any, agreement: Agreement) -> list[Party]:
    """The parties in whose name the user may download official PDFs of the agreement (admins: all)."""
    parties = list(agreement.parties.select_related("body__parent", "coordinating_office"))
    if is_site_admin(user):
        return parties
    return [party for party in parties if party_roles(user, party) & DOCUMENT_ROLES]


def can_download_report_pdf(user: Any, report: ProgressReport) -> bool:
    return is_site_admin(user) or bool(party_roles(user, report.party) & DOCUMENT_ROLES)


def get_report_pdf_for(user: Any, report_id: int) -> ProgressReport:
    """A party's report whose official PDF the user may download: 404 if unreadable, 403 if not allowed."""
    report = get_report_for(user, report_id)
    if not can_download_report_pdf(user, report):
        raise PermissionDenied
    return report


def get_agreement_pdf_for(user: Any, agreement_id: int, party_id: int | None = None) -> tuple[Agreement, Party]:
    """An agreement and the party issuing its consolidated / yearly report (the user's own, or `party_id`)."""
    agreement = get_agreement_for(user, agreement_id)
    parties = document_parties(user, agreement)
    chosen = next((p for p in parties if party_id is None or p.pk == party_id), None)
    if chosen is None:
        raise PermissionDenied
    return agreement, chosen
