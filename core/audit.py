"""Writing the audit trail: one call in each service function (and each admin save), inside its transaction.

An entry names the object it is about, in words as it read then (`object_repr`), and the agreement
it belongs to (`agreement_id`), so that an agreement's history is one indexed query.  core knows
nothing of agreements (imports run the other way): a model says which agreement it belongs to with
an `agreement_id` column, or with `audit_agreement_id()` when the agreement is further away
(the `InAgreement` protocol).  Reading the trail (labels, what changed) is core/trail.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from django.db import models
from django.db.models.fields.files import FieldFile

from core.models import AuditEntry
from core.types import Actor

REPR_LENGTH = AuditEntry._meta.get_field("object_repr").max_length or 300


@runtime_checkable
class InAgreement(Protocol):
    """A row whose agreement is not its own `agreement_id` column (a commitment: its item's)."""

    def audit_agreement_id(self) -> int | None: ...


def agreement_of(obj: models.Model) -> int | None:
    """The id of the agreement `obj` belongs to (the agreement's own for an agreement), or None."""
    if isinstance(obj, InAgreement):
        return obj.audit_agreement_id()
    value = getattr(obj, "agreement_id", None)
    return value if isinstance(value, int) else None


def actor_name(actor: Actor | None) -> str:
    if actor is None or not actor.is_authenticated:
        return ""
    return actor.get_full_name() or actor.get_username()


def audit_entry(
    actor: Actor | None, action: str, obj: models.Model, *, agreement_id: int | None = None, **data: Any
) -> AuditEntry:
    """The entry of `action` on `obj`, not saved yet: for a bulk insert, or for a row about to be deleted.

    `agreement_id` when the caller knows it better (a row deleted since); otherwise `agreement_of(obj)`.
    """
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry(
        actor=user,
        actor_name=actor_name(user),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        object_repr=str(obj)[:REPR_LENGTH],
        agreement_id=agreement_id if agreement_id is not None else agreement_of(obj),
        data=data,
    )


def audit(
    actor: Actor | None, action: str, obj: models.Model, *, agreement_id: int | None = None, **data: Any
) -> AuditEntry:
    """Record `action` on `obj` by `actor` (None or anonymous: the system, e.g. a scheduled job)."""
    entry = audit_entry(actor, action, obj, agreement_id=agreement_id, **data)
    entry.save()
    return entry


def audit_bulk(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Save entries made by audit_entry() in one INSERT (a bulk write keeps a fixed number of queries)."""
    return AuditEntry.objects.bulk_create(entries)


# --- what a row holds, for the admin's writes --------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as the trail keeps it in JSON: a related row by its name, a date in ISO, a figure as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()  # one instant, one text, whatever zone it was read in
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"  # 1500, whether read from the database (1500.0000) or a form (1500.0)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Iterable):
        return [plain(item) for item in value]
    return str(value)


def snapshot(obj: models.Model, m2m: Mapping[str, Iterable[Any]] | None = None) -> dict[str, Any]:
    """Every field a person may edit, as the trail keeps it (a deleted row's last state; the values compared).

    `m2m` gives many-to-many values that are not saved yet (an admin form's, before save_related).
    """
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or not field.editable:
            continue
        if field.is_relation:
            values[field.name] = plain(getattr(obj, field.name)) if getattr(obj, field.attname) is not None else None
        else:
            values[field.name] = plain(field.value_from_object(obj))
    for m2m_field in obj._meta.many_to_many:
        if not m2m_field.editable:
            continue
        if m2m is not None and m2m_field.name in m2m:
            related: Iterable[Any] = m2m[m2m_field.name]
        else:
            related = getattr(obj, m2m_field.name).all() if obj.pk is not None else []
        values[m2m_field.name] = sorted(plain(related))
    return values


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """field -> [before, after] for each field whose value differs."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
