"""Workflow events become notifications at once: submitted, returned, approved, issued."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from agreements.access import members_with_role
from agreements.models import Party, Role
from notifications import services
from notifications.models import Kind
from notifications.tasks import queue_sender
from reporting import signals
from reporting.models import EntryRevision, OfficialDocument, ProgressReport, ReportingPeriod, ReportTransition

State = ProgressReport.State


def _party_members(party: Party, roles: tuple[str, ...]) -> set[int]:
    found: set[int] = set()
    for body in filter(None, (party.body, party.coordinating_office)):
        for role in roles:
            found |= set(members_with_role(body, role).values_list("pk", flat=True))
    return found


def _editors(report: ProgressReport) -> set[int]:
    """Who wrote the report: the authors of its entries' revisions and whoever sent it."""
    writers = set(
        EntryRevision.objects.filter(entry__report=report, actor__is_active=True).values_list("actor_id", flat=True)
    )
    writers |= set(
        ReportTransition.objects.filter(report=report, to_state=State.SUBMITTED, actor__is_active=True).values_list(
            "actor_id", flat=True
        )
    )
    writers.discard(None)
    return writers or _party_members(report.party, (Role.STAFF,))


def on_report_transitioned(
    sender: Any, report: ProgressReport, transition: ReportTransition, actor: User, **kwargs: Any
) -> None:
    party = report.party
    if transition.to_state == State.SUBMITTED:
        kind, recipients, url = Kind.REPORT_SUBMITTED, _party_members(party, (Role.COORDINATOR,)), "report_detail"
    elif transition.to_state == State.RETURNED:
        kind, recipients, url = Kind.REPORT_RETURNED, _editors(report), "report_edit"
    elif transition.to_state == State.APPROVED:
        kind, recipients, url = (
            Kind.REPORT_APPROVED,
            _party_members(party, (Role.STAFF, Role.LEADER)),
            "report_detail",
        )
    else:
        return
    recipients.discard(actor.pk)  # nobody is told of what they just did themselves
    _notify(
        kind,
        recipients,
        target=f"report:{report.pk}",
        stage=f"{transition.to_state}:{transition.pk}",
        agreement_id=report.period.agreement_id,
        url=reverse(url, args=[report.pk]),
        report_id=report.pk,
        due_on=report.period.deadline,
        params={"actor": actor.get_full_name() or actor.get_username(), "comment": transition.comment},
    )


def _own_copies(document: OfficialDocument) -> str:
    """Where another party's leaders find their own copies: the documents section of the document's period
    (the last period of its year, for a yearly review); the agreement when it has no such period."""
    period_id = document.period_id
    if period_id is None and document.year is not None:
        periods = ReportingPeriod.objects.filter(agreement_id=document.agreement_id, year=document.year)
        period_id = periods.order_by("-start").values_list("pk", flat=True).first()
    if period_id is None:
        return reverse("agreement_detail", args=[document.agreement_id])
    return reverse("period_detail", args=[period_id]) + "#official-documents"


def on_document_issued(sender: Any, document: OfficialDocument, number: str, actor: User, **kwargs: Any) -> None:
    """The leaders of every party; the issuing party's download it, the others' open the period's documents,
    where their own party's copies are (a party reads another's official documents only through its own
    copy, reporting.access)."""
    issuers: set[int] = set()
    others: set[int] = set()
    for party in document.agreement.parties.select_related("body", "coordinating_office"):
        leaders = _party_members(party, (Role.LEADER,))
        (issuers if party.pk == document.issuing_party_id else others).update(leaders)
    others -= issuers
    fields: dict[str, Any] = {
        "target": f"document:{document.pk}",
        "stage": "issued",
        "agreement_id": document.agreement_id,
        "document_id": document.pk,
        "params": {"number": number, "actor": actor.get_full_name() or actor.get_username()},
    }
    _notify(Kind.DOCUMENT_ISSUED, issuers - {actor.pk}, url=reverse("document_download", args=[document.pk]), **fields)
    _notify(
        Kind.DOCUMENT_ISSUED,
        others - {actor.pk},
        url=_own_copies(document),
        **fields,
    )


def _notify(kind: str, recipients: set[int], **fields: Any) -> None:
    ids = services.notify(kind, recipients, **fields)
    if ids:
        # The e-mails leave only once the event is committed; the 5-minute sweep covers a lost message.
        transaction.on_commit(lambda: queue_sender(ids))


signals.report_transitioned.connect(on_report_transitioned, dispatch_uid="notifications.report_transitioned")
signals.document_issued.connect(on_document_issued, dispatch_uid="notifications.document_issued")
