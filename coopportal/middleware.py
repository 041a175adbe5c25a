from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import ngettext

from coopportal.errors import log_refusal, method_not_allowed

# The session key that holds when its user signed in (seconds since the epoch).
LOGIN_AT = "coopportal_login_at"
# The session key that holds when its expiry was last moved on (seconds since the epoch).
RENEWED_AT = "coopportal_renewed_at"


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which puts
    provincial staff with an English-language browser into the English UI by surprise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _stamp_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Every login, through any view or the test client, starts the absolute clock of its session."""
    if hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[RENEWED_AT] = time.time()


user_logged_in.connect(_stamp_login, dispatch_uid="coopportal.middleware.stamp_login")


class SessionLifetimeMiddleware:
    """A signed-in session lasts SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS in all.

    Idle: a request moves the session's expiry (in the database and the cookie) on when the last move
    is SESSION_RENEW_SECONDS old or older, instead of writing the session on every request
    (SESSION_SAVE_EVERY_REQUEST): a page or a save then costs no UPDATE and no transaction of its own.
    SESSION_COOKIE_AGE is the idle limit plus that interval, so a session ends between SESSION_IDLE_MINUTES
    and one interval more after its last request, never sooner.

    Absolute: Django has no such limit, so the login time is kept in the session and checked on every
    request.  The request then goes on as an anonymous one: a page behind login redirects to the
    login page, which shows why.  A session from before this middleware gets its clock on its next
    request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            signed_in = request.user.is_authenticated
        except DatabaseError:
            # The session cannot be read (the database is down): the view says what that means, /healthz
            # a 503 with what is down, a page the 500 page; not this middleware, with a 500 for both.
            return self.get_response(request)
        if signed_in:
            now = time.time()
            login_at = request.session.get(LOGIN_AT)
            if not isinstance(login_at, (int, float)):
                request.session[LOGIN_AT] = now
            elif now - login_at >= settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                hours = settings.SESSION_MAX_HOURS
                messages.info(
                    request,
                    ngettext(
                        "Phiên làm việc đã kéo dài %(hours)d giờ kể từ khi đăng nhập và đã kết thúc. "
                        "Vui lòng đăng nhập lại.",
                        "Phiên làm việc đã kéo dài %(hours)d giờ kể từ khi đăng nhập và đã kết thúc. "
                        "Vui lòng đăng nhập lại.",
                        hours,
                    )
                    % {"hours": hours},
                )
                return self.get_response(request)
            renewed_at = request.session.get(RENEWED_AT)
            if not isinstance(renewed_at, (int, float)) or now - renewed_at >= settings.SESSION_RENEW_SECONDS:
                request.session[RENEWED_AT] = now  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Content-Security-Policy, Permissions-Policy and Cache-Control: no-store on the app's responses.

    Django 5.2 sets X-Content-Type-Options (SECURE_CONTENT_TYPE_NOSNIFF), Referrer-Policy
    (SECURE_REFERRER_POLICY) and X-Frame-Options itself, but not these:

    - the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) allows scripts only from the app's
      own static files, so that text a party typed can never run as script even if it slipped past
      escaping; this is why the templates hold no inline <script> or on*= attribute (tests check);
    - the Permissions-Policy turns off device features no page uses;
    - every response to a signed-in user is party data (drafts, evidence, PDFs, every page): on the
      shared office computers of the departments it must not stay in the browser's cache for the next
      user, hence `Cache-Control: no-store`.  A view that chose its own Cache-Control (never_cache)
      keeps it.

    It sits just after WhiteNoise: static files are answered before it and keep their long caching.
    A header a view set itself is never replaced.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response.headers and _may_be_signed_in(request):
            response.headers["Cache-Control"] = "no-store"
        return response


def _may_be_signed_in(request: HttpRequest) -> bool:
    """Whether the response may hold a signed-in user's data; when the session cannot be read (the database
    is down), it may."""
    user = getattr(request, "user", None)  # absent when a middleware before authentication answered
    if user is None:
        return False
    try:
        return bool(user.is_authenticated)
    except DatabaseError:
        return True


class RequestSizeLimitMiddleware:
    """Answers 413 to a request body larger than its sender may send, from Content-Length alone, before a
    byte of the body is read.

    Anyone may post to /login/: without a cap Django would read and parse an anonymous 100 MB form.
    The caps (settings, "Request bodies"): REQUEST_MAX_BYTES_ANONYMOUS for a visitor who is not signed in,
    REQUEST_MAX_BYTES for a signed-in user, REQUEST_MAX_BYTES_UPLOAD for a view that takes files
    (core.uploads.accepts_uploads).  A body sent without Content-Length (chunked) is not read by Django
    at all: its form arrives empty.

    The check runs in process_view, before CsrfViewMiddleware reads the form: the view is known then,
    and so is the user (every middleware's request phase has run).  A body up to the anonymous cap is
    let through without looking the session up.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None  # Django reads such a body as empty
        if length <= settings.REQUEST_MAX_BYTES_ANONYMOUS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            limit = settings.REQUEST_MAX_BYTES_ANONYMOUS
        elif getattr(view, "accepts_uploads", False):
            limit = settings.REQUEST_MAX_BYTES_UPLOAD
        else:
            limit = settings.REQUEST_MAX_BYTES
        if length <= limit:
            return None
        log_refusal(request, 413, f"Request body too large ({length} bytes, at most {limit})")
        return render(request, "413.html", {"size": length, "limit": limit}, status=413)


class MethodNotAllowedPageMiddleware:
    """A 405 that a view answered with an empty body (Django's require_POST and require_http_methods) becomes
    the app's page for it, in the user's language and layout (coopportal.errors.method_not_allowed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            return method_not_allowed(request, response)
        return response
