"""The signed-in user's own account: the login lockout page, the password length rule, the reset e-mail.

django.contrib.auth's views do the work (login, password change and reset); this module holds the
places where the project differs: the page django-axes shows a locked-out login; the minimum length
rule, whose message Django 5.2's Vietnamese catalogue lacks (its msgid changed), so it is the
project's own, Vietnamese first like every other; and the absolute links of the reset e-mail, which
start with SITE_URL (never with the Host header of the request that asked for the mail).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


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
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        return super().form_valid(form)


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
