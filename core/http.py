"""Where a form may send its user back to: a page of this site, whatever the `next` field says."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request: HttpRequest, target: str) -> str:
    """`target` if it is a page of this site named by its path ("/notifications/?page=2") or its whole address,
    else "".

    A word is neither: redirect() would take "home" for the name of a view and "report_detail" (which needs
    an id) would fail with a 500; another host, or a scheme-relative "//host", is an open redirect.
    """
    try:
        path = urlsplit(target).path
    except ValueError:  # "http://[" (an unclosed IPv6 address) is no address at all
        return ""
    if not path.startswith("/"):
        return ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


# The largest primary key a PostgreSQL bigint holds.
MAX_ID = 2**63 - 1


def id_param(value: str) -> int | None:
    """An object's id as a request writes it ("12"), or None: ASCII digits only (str.isdigit() takes "²", which
    int() refuses) and no more than a bigint holds (int() refuses 4,300 digits and more with a ValueError)."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))):
        return None
    number = int(value)
    return number if number <= MAX_ID else None
