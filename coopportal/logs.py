"""Filters of settings.LOGGING. Imported while Django configures logging, before the apps: nothing of Django here."""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """The console keeps one line, not a traceback, for a request refused or not found (Django logs a 403 or
    a 404 with the exception that made it) and for a suspicious one (django.security: a foreign Host header, a
    session cookie that is none); a 500 keeps its traceback. Refusals are many and expected: 134 tracebacks of
    PermissionDenied in one probe of the access rules hid the one that would have mattered."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name.startswith("django.security.") or (isinstance(status, int) and status < 500):
            record.exc_info, record.exc_text = None, None
        return True
