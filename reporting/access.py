"""Who may read, edit and review progress reports, their evidence and their official documents.

One helper per object kind returns the object or raises: Http404 when the user may not even
know it exists, PermissionDenied when they may see it but not do this (with a sentence saying who
may, which the 403 page shows: coopportal/errors.py).  `readable_reports`
is the same read rule as a queryset, for lists, dashboards and jobs; `readable_among` the same rule for
the reports of one agreement whose parties are read already.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from agreements.access import (
    DOCUMENT_ROLES,
    document_parties,
    get_agreement_for,
    is_site_admin,
    issues_for,
    parties_of,
    party_roles,
    visible_agreements,
)
from agreements.models import Agreement, Party, Role
from core.models import AuditEntry
from core.types import Actor
from reporting.models import Evidence, OfficialDocument, ProgressEntry, ProgressReport, ReportingPeriod

# What a counterpart party's coordinators and leaders may read: what another party has sent.
SHARED_STATES = (ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED)
COUNTERPART_ROLES = frozenset({Role.COORDINATOR, Role.LEADER})


def readable_reports(user: Actor) -> QuerySet[ProgressReport]:
    """Every report the user may read: their own parties' in any state, counterparts' once sent."""
    if is_site_admin(user):
        return ProgressReport.objects.all()
    own = parties_of(user).values("pk")
    counterpart_agreements = parties_of(user, COUNTERPART_ROLES).values("agreement_id")
    # The counterparts as party ids, not through the report's party: joining every report to its party to
    # compare agreements doubled the cost of a coordinator's report list (20,000 reports: 22 -> 12 ms).
    counterparts = Party.objects.filter(agreement_id__in=counterpart_agreements).values("pk")
    return ProgressReport.objects.filter(Q(party_id__in=own) | Q(party_id__in=counterparts, state__in=SHARED_STATES))


def readable_among(user: Actor, parties: Sequence[Party], prefix: str = "") -> Q:
    """The reports of one agreement's `parties` (all of them, read already) the user may read, as a condition
    on ProgressReport (on a relation to it with `prefix`, e.g. "report__").

    The rule of `can_read_report`, with the parties' ids computed here instead of `readable_reports`'
    subqueries: PostgreSQL then does not walk every party of the user's agreements for each row (the
    indicators of a coordinator of 500 agreements' dashboard: 40 -> 20 ms).
    """
    ids = [party.pk for party in parties]
    if is_site_admin(user):
        return Q(**{f"{prefix}party_id__in": ids})
    roles = {party.pk: party_roles(user, party) for party in parties}
    own = [pk for pk in ids if roles[pk]]
    condition = Q(**{f"{prefix}party_id__in": own})
    if any(held & COUNTERPART_ROLES for held in roles.values()):
        others = [pk for pk in ids if not roles[pk]]
        condition |= Q(**{f"{prefix}party_id__in": others, f"{prefix}state__in": SHARED_STATES})
    return condition


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
    return issues_for(user, report.party)


def issued_documents(user: Actor) -> QuerySet[OfficialDocument]:
    """Every issued document the user may download: those of the parties they issue for (admins: all).

    The list's counterpart of document_views._stored_for (get_report_pdf_for, get_agreement_pdf_for): the
    leaders and coordinators of the issuing party, the replaced copies included.
    """
    documents = OfficialDocument.objects.filter(number__isnull=False)
    if is_site_admin(user):
        return documents
    return documents.filter(issuing_party__in=parties_of(user, DOCUMENT_ROLES))


def offers_documents(user: Actor, agreement: Agreement) -> bool:
    """The report and period pages show their official documents section: the user issues in some party's name
    (agreements.access.document_parties).  Only the parties' ids are needed: read as the page has read them (the
    period page has them already), not joined to their bodies again."""
    return any(issues_for(user, party) for party in agreement.parties.all())


def _report(user: Actor, report_id: int) -> ProgressReport:
    try:
        # get(), not first(): first() orders by pk, and ordering made Django hash all 90 selected columns.
        report = ProgressReport.objects.select_related("party__body", "party__agreement", "period").get(pk=report_id)
    except ProgressReport.DoesNotExist:
        raise Http404 from None
    if report.period.agreement_id == report.party.agreement_id:
        report.period.agreement = report.party.agreement  # the same row: read once, not joined twice
    if not can_read_report(user, report):
        raise Http404
    return report


def get_report_for_read(user: Actor, report_id: int) -> ProgressReport:
    return _report(user, report_id)


def get_report_for_edit(user: Actor, report_id: int) -> ProgressReport:
    report = _report(user, report_id)
    if not can_edit_report(user, report):
        raise PermissionDenied(_("Chỉ chuyên viên của bên báo cáo mới cập nhật được báo cáo này."))
    return report


def get_report_for_review(user: Actor, report_id: int) -> ProgressReport:
    report = _report(user, report_id)
    if not can_review_report(user, report):
        raise PermissionDenied(_("Chỉ bộ phận điều phối của bên báo cáo mới duyệt được báo cáo này."))
    return report


def get_report_pdf_for(user: Actor, report_id: int) -> ProgressReport:
    """A party's report whose official PDF the user may download: 404 if unreadable, 403 if not allowed."""
    report = _report(user, report_id)
    if not can_download_report_pdf(user, report):
        raise PermissionDenied(
            _("Văn bản PDF của báo cáo này chỉ lãnh đạo và bộ phận điều phối của bên báo cáo tải được.")
        )
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
        raise PermissionDenied(
            _("Văn bản báo cáo của thỏa thuận chỉ lãnh đạo và bộ phận điều phối của bên ban hành tải được.")
        )
    return agreement, chosen


REPORT_TYPES = frozenset(model._meta.label_lower for model in (ProgressReport, ProgressEntry, Evidence))


def private_audit_entries(user: Actor, entries: Iterable[AuditEntry]) -> set[int]:
    """The audit entries (of an agreement's history) about a report the user may not read: the report, one
    of its entries or evidence files.  Their contents are the report's (a draft's text, a file's name).

    An entry whose report cannot be found any more (its row deleted) is private too.  At most three queries.
    """
    about_reports = [entry for entry in entries if entry.object_type in REPORT_TYPES]
    if not about_reports or is_site_admin(user):
        return set()
    ids: dict[str, set[int]] = defaultdict(set)
    for entry in about_reports:
        ids[entry.object_type].add(entry.object_id)
        if isinstance(entry.data.get("entry"), int):  # a removed evidence file names its entry
            ids[ProgressEntry._meta.label_lower].add(entry.data["entry"])
    report_of: dict[tuple[str, int], int] = {
        (ProgressReport._meta.label_lower, pk): pk for pk in ids[ProgressReport._meta.label_lower]
    }
    if entry_ids := ids[ProgressEntry._meta.label_lower]:
        for pk, report_id in ProgressEntry.objects.filter(pk__in=entry_ids).values_list("pk", "report_id"):
            report_of[(ProgressEntry._meta.label_lower, pk)] = report_id
    if evidence_ids := ids[Evidence._meta.label_lower]:
        for pk, report_id in Evidence.objects.filter(pk__in=evidence_ids).values_list("pk", "entry__report_id"):
            report_of[(Evidence._meta.label_lower, pk)] = report_id
    readable = set(readable_reports(user).filter(pk__in=set(report_of.values())).values_list("pk", flat=True))

    def report_of_entry(entry: AuditEntry) -> int | None:
        found = report_of.get((entry.object_type, entry.object_id))
        if found is None and isinstance(entry.data.get("entry"), int):
            found = report_of.get((ProgressEntry._meta.label_lower, entry.data["entry"]))
        return found

    return {entry.pk for entry in about_reports if report_of_entry(entry) not in readable}
