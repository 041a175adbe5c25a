"""The pages a person meets when something is refused or missing, and the log line of every refusal.

Django's own handlers show bare pages ("403 Forbidden") and log a refusal without saying who asked.
These render templates/400.html, 403.html, 403_csrf.html, 404.html and 500.html in the app's layout
and language (coopportal/urls.py names them; settings.CSRF_FAILURE_VIEW the CSRF one), and write
one line to the `coopportal.security` logger for each refused or hidden request: the user's id, the
method, the path and the client's address, never a query string, a password-reset token or a form
field.  A refusal is a WARNING; a 404 is INFO (the access helpers answer 404 for what a user may not
know exists, so a run of them from one user is worth seeing, one alone is not).

The 500 page must come out when nothing else does: with the database down the signed-in user
cannot be loaded, and a context processor may fail the same way.  It is drawn with the request's
context first and, should that fail, again with only what needs no database; failing that too,
with a fixed page.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from axes.helpers import get_client_ip_address
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

security_log = logging.getLogger("coopportal.security")
logger = logging.getLogger(__name__)

# The token of a password-reset link is a credential: the log keeps its place, not its value.
_RESET_TOKEN = re.compile(r"^(/reset/[^/]+/)[^/]+/")


def client_ip(request: HttpRequest) -> str:
    """The client's address as the login protection sees it (LOGIN_PROXY_COUNT behind proxies)."""
    try:
        return get_client_ip_address(request) or "-"
    except Exception:  # a malformed forwarded header must not turn a 403 into a 500
        return str(request.META.get("REMOTE_ADDR") or "-")


def _user_id(request: HttpRequest) -> str:
    """The signed-in user's id, "anonymous", or "unknown" when the user cannot be loaded (database down)."""
    try:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return "anonymous"
        return str(user.pk)
    except Exception:
        return "unknown"


def safe_path(request: HttpRequest) -> str:
    return _RESET_TOKEN.sub(r"\1***/", request.path)


def log_refusal(request: HttpRequest, status: int, what: str) -> None:
    """One line per refused (403) or hidden (404) request: who, what, from where; no secret."""
    security_log.log(
        logging.INFO if status == 404 else logging.WARNING,
        "%s: status=%d user=%s method=%s path=%s ip=%s",
        what,
        status,
        _user_id(request),
        request.method,
        safe_path(request),
        client_ip(request),
    )


def _back_url(request: HttpRequest) -> str:
    """The page the user came from, if it is one of ours (the Referer of a link followed in the app)."""
    referer = str(request.META.get("HTTP_REFERER", ""))
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page of a request with a foreign Host header
        return ""
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return referer
    return ""


def _render(request: HttpRequest, template: str, status: int, context: dict[str, Any]) -> HttpResponse:
    body = loader.get_template(template).render({"back_url": _back_url(request), **context}, request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _render(request, "400.html", 400, {})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    log_refusal(request, 403, "access denied")
    # The access helpers raise PermissionDenied with a sentence for the user (who may do this);
    # Django's own refusals carry none.
    return _render(request, "403.html", 403, {"reason": str(exception)})


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    log_refusal(request, 404, "not found")
    return _render(request, "404.html", 404, {})


def method_not_allowed(request: HttpRequest, refused: HttpResponse) -> HttpResponse:
    """The page of a 405 (coopportal.middleware.MethodNotAllowedPageMiddleware): an address of a button opened as
    a page (GET /logout/, a bookmarked "publish"), where Django answers with an empty body. Its Allow stays."""
    log_refusal(request, 405, "method not allowed")
    response = _render(request, "405.html", 405, {})
    response["Allow"] = refused.get("Allow", "")
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a form sent from a page too old (the session ended, another login)."""
    log_refusal(request, 403, f"csrf failure ({reason})")
    return _render(request, "403_csrf.html", 403, {})


FALLBACK_500 = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Lỗi hệ thống · CoopPortal</title></head>
<body><h1>Đã xảy ra lỗi trong hệ thống</h1>
<p>Lỗi đã được ghi lại. Vui lòng thử lại sau ít phút.</p>
<p><a href="/">Về trang chủ</a></p></body></html>"""


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the layout, however broken the rest is (see the module's docstring)."""
    template = "500.html"
    try:
        return HttpResponse(loader.get_template(template).render({}, request), status=500)
    except Exception:
        logger.warning("The 500 page could not use the request's context; drawn without it.", exc_info=True)
    try:
        context: dict[str, Any] = {"request": request}
        try:
            context["csrf_token"] = get_token(request)  # a cookie, no database: the language switch still works
        except Exception:
            context["csrf_token"] = ""
        return HttpResponse(loader.get_template(template).render(context), status=500)
    except Exception:
        logger.exception("The 500 page could not be drawn; the fixed page was sent.")
    return HttpResponse(FALLBACK_500, status=500)
