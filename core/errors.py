"""The one shape of a domain error: a rule was broken, and the message is for the user as it is."""

from __future__ import annotations


class DomainError(Exception):
    """Raised by a service when a rule is broken; views show `message` to the user unchanged."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
