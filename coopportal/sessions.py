"""The session engine (settings.SESSION_ENGINE): Django's database sessions, strict about the cookie.

Django accepts any session cookie of eight characters or more and looks it up in the database;
one with a NUL byte made psycopg2 refuse the query, and an anonymous visitor got a 500.  Django
itself only ever issues 32 characters from [a-z0-9]: any other cookie is no session (the request
goes on anonymous and gets a new one), and is never sent to the database.
"""

from __future__ import annotations

import re

from django.contrib.sessions.backends import db

_ISSUED_KEY = re.compile(r"[a-z0-9]{32}")


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return key is not None and _ISSUED_KEY.fullmatch(key) is not None
