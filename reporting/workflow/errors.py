"""The errors of the reporting workflow; each message is for the user, as it is."""

from __future__ import annotations

from typing import Any

from core.errors import DomainError


class ReportingError(DomainError):
    """A rule of the reporting process was broken; the message is for the user."""


class EditConflict(ReportingError):
    """Someone else saved first. `changes` maps field -> (value now stored, value this user sent)."""

    def __init__(self, message: str, changes: dict[str, tuple[Any, Any]], current: Any) -> None:
        super().__init__(message)
        self.changes = changes
        self.current = current


class DraftConflict(ReportingError):
    """One or more parts of the draft were saved by someone else since this user loaded them."""

    def __init__(self, message: str, conflicts: dict[str, EditConflict]) -> None:
        super().__init__(message)
        self.conflicts = conflicts  # "report" or "entry-<id>" -> conflict
