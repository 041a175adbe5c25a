"""Optimistic locking: the one conditional UPDATE that bumps a row's version.

The UPDATE matches only the version the user loaded, so of two people saving the same row
the second matches nothing and is told, whatever the timing between their reads.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F


def bump_version(model: type[models.Model], pk: int, expected_version: int, **fields: Any) -> bool:
    """Write `fields` and version + 1 where the row still has `expected_version`; False if it has moved on."""
    return (
        model._default_manager.filter(pk=pk, version=expected_version).update(version=F("version") + 1, **fields) == 1
    )
