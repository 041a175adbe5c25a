"""Writing the audit trail: one call in each service function, inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from core.models import AuditEntry
from core.types import Actor


def audit(actor: Actor | None, action: str, obj: models.Model, **data: Any) -> AuditEntry:
    """Record `action` on `obj` by `actor` (None or anonymous: the system, e.g. a scheduled job)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        data=data,
    )
