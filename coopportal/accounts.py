"""The signed-in user's own account: the login lockout page, the password length rule, the reset e-mail.

django.contrib.auth's views do the work (login, password change and reset); this module holds the
places where the project differs: the page django-axes shows a locked-out login; the minimum length
rule, whose message Django 5.2's Vietnamese catalogue lacks (its msgid changed), so it is the
project's own, Vietnamese first like every other; and the absolute links of the reset e-mail, which
start with SITE_URL (never with the Host header of the request that asked for the mail).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import ngettext

from coopportal.errors import client_ip

security_log = logging.getLogger("coopportal.security")


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: Any) -> HttpResponse:
    """What /login/ and /admin/login/ answer while a username is locked out from this address (429)."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cool_off.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


# The width of django-axes' username column.
AXES_USERNAME_LENGTH = 255


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """settings.AXES_USERNAME_CALLABLE: the username a failed login is counted under, as django-axes reads it,
    cut to the width of its column.

    Django's login form leaves the username's length unchecked, so a pasted page of text reached axes'
    varchar(255) and the login answered with a 500 instead of "wrong username or password".
    """
    source: Any = credentials if credentials is not None else getattr(request, "POST", {})
    username = source.get(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))
    return username[:AXES_USERNAME_LENGTH] if isinstance(username, str) else username


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form; the mail is plain text, in the language of the page it was asked from."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not _may_mail_reset(form.cleaned_data["email"]):
            # The same page as for a mail sent: whether an address has an account is nobody's to learn here.
            security_log.warning(
                "password reset mail held back: more than %d for one address in an hour; ip=%s",
                settings.PASSWORD_RESET_MAILS_PER_HOUR,
                client_ip(self.request),
            )
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        return super().form_valid(form)


def _may_mail_reset(email: str) -> bool:
    """Fewer than PASSWORD_RESET_MAILS_PER_HOUR asked for this address in the hour since its first ask (counted
    in the shared cache, by a hash: no address is stored)."""
    key = "password-reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    cache.add(key, 0, timeout=3600)
    try:
        asked = cache.incr(key)
    except ValueError:  # expired between the two calls: a new hour
        cache.set(key, 1, timeout=3600)
        asked = 1
    return asked <= settings.PASSWORD_RESET_MAILS_PER_HOUR


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule (OPTIONS min_length), with the message in the project's catalogue."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Mật khẩu phải có ít nhất %(min_length)d ký tự.",
            "Mật khẩu phải có ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}
