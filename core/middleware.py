"""A request whose address holds NUL is refused before any view reads it (400).

Nobody types NUL, and no page of the app writes it into a link; PostgreSQL refuses it in any text
("A string literal cannot contain NUL"), so a search term, a filter or an admin autocomplete that
passed it to a query answered with a 500.  The forms refuse it in what they read, on the field
(core.forms.PlainTextMixin); this refuses it in the path and the query string, which many views,
Django's admin among them, read without a form.  The 400 page says the address was not understood.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL in the request's address")
        return self.get_response(request)
