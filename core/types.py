"""Who acts: the types that every layer's signatures share."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

# Readers may be anonymous (they see nothing); writers are always a signed-in user.
Actor: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view under @login_required: its user is a real account."""

    user: User
