"""Every write of the agreements app: each takes the acting user, runs atomically, audits, raises AgreementError."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from agreements.models import Agreement, Commitment, CooperationItem, Party
from core import clock, limits
from core.audit import audit
from core.errors import DomainError
from core.types import Actor


class AgreementError(DomainError):
    """A rule of the agreements was broken; the message is for the user."""


def add_commitment(
    actor: Actor | None,
    item: CooperationItem,
    responsible_party: Party,
    description: str,
    *,
    due_on: datetime.date | None = None,
    source: str = "",
) -> Commitment:
    """A new commitment at the end of an item's list, led by one of the agreement's parties."""
    if responsible_party.agreement_id != item.agreement_id:
        raise AgreementError(_("Bên chủ trì phải là một bên của cùng thỏa thuận với nội dung hợp tác."))
    description = description.strip()
    if not description:
        raise AgreementError(_("Hãy ghi nội dung cam kết."))
    try:
        limits.check_lengths(Commitment, {"description": description})
    except ValidationError as exc:
        raise AgreementError(" ".join(exc.messages)) from None
    with transaction.atomic():
        # The item row lock serialises two additions to the same item, so their orders differ.
        CooperationItem.objects.select_for_update().get(pk=item.pk)
        last = Commitment.objects.filter(item=item).aggregate(last=Max("order"))["last"] or 0
        commitment = Commitment.objects.create(
            item=item, responsible_party=responsible_party, description=description, due_on=due_on, order=last + 1
        )
        audit(actor, "commitment.added", commitment, item=item.pk, party=responsible_party.pk, source=source)
    return commitment


def record_commitment_statuses(actor: Actor | None, statuses: dict[int, str], *, source: str) -> int:
    """Set the status of commitments from an approved report (the latest approved word on each)."""
    changed = 0
    with transaction.atomic():
        commitments = Commitment.objects.select_for_update(of=("self",)).select_related("item")  # item: the agreement
        for commitment in commitments.filter(pk__in=list(statuses)).order_by("pk"):
            if commitment.status != statuses[commitment.pk]:
                before = commitment.status
                commitment.status = statuses[commitment.pk]
                commitment.save(update_fields=["status"])
                audit(actor, "commitment.status", commitment, before=before, after=commitment.status, source=source)
                changed += 1
    return changed


def archive_agreement(actor: Actor | None, agreement: Agreement) -> Agreement:
    """Take an agreement off the lists, keeping it, its reports and their history: what replaces deleting it."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.archived_at is not None:
            return locked
        if locked.status == Agreement.Status.IN_FORCE:
            raise AgreementError(
                _(
                    "Thỏa thuận “%(title)s” đang hiệu lực nên chưa lưu trữ được: hãy chuyển tình trạng sang "
                    "“Hết hiệu lực”, “Chấm dứt” hoặc “Được thay thế” trước."
                )
                % {"title": locked.title}
            )
        locked.archived_at = clock.now()
        locked.save(update_fields=["archived_at", "updated_at"])
        audit(actor, "agreement.archived", locked)
    return locked


def unarchive_agreement(actor: Actor | None, agreement: Agreement) -> Agreement:
    """Bring an archived agreement back to the lists."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.archived_at is None:
            return locked
        locked.archived_at = None
        locked.save(update_fields=["archived_at", "updated_at"])
        audit(actor, "agreement.unarchived", locked)
    return locked
