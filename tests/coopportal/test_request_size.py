"""coopportal.middleware.RequestSizeLimitMiddleware: a body over its sender's cap is answered 413 from its
Content-Length, before a byte of it is read (issue 12, point 7).

The request goes through Django's whole WSGI stack (the test client's handler) with a `wsgi.input` that
counts what is read from it, as a server's socket would deliver it.
"""

from __future__ import annotations

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from reporting.models import Evidence
from tests.support import png_bytes, post_with_file

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class WatchedInput(io.RawIOBase):
    """A request body of `size` bytes that is produced only as it is read, and counts what was read."""

    def __init__(self, size: int) -> None:
        self.size, self.consumed = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.consumed)
        buffer[:count] = b"a" * count
        self.consumed += count
        return count


def post(client: Client, path: str, body: WatchedInput, length: int | None, **extra):
    environ = {"wsgi.input": body, "CONTENT_TYPE": "application/x-www-form-urlencoded", **extra}
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    return client.generic("POST", path, **environ)


def test_an_anonymous_100_mb_login_post_is_refused_unread(caplog):
    body = WatchedInput(100 * MB)
    with caplog.at_level(logging.WARNING, logger="coopportal.security"):
        response = post(Client(enforce_csrf_checks=True), "/login/", body, 100 * MB)
    assert response.status_code == 413
    assert body.consumed == 0
    page = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in page and "chưa có gì được lưu" in page
    (line,) = [r.getMessage() for r in caplog.records if r.name == "coopportal.security"]
    assert "status=413 user=anonymous method=POST path=/login/" in line and str(100 * MB) in line


@override_settings(REQUEST_MAX_BYTES_ANONYMOUS=1000)
def test_the_anonymous_cap_is_the_limit_not_a_guess(users):
    """At the cap the login form is read (and the wrong password said); one byte over, it is not."""
    body = "username=la.staff&password=wrong"
    padded = (body + "&pad=" + "x" * 1000)[:1000].encode()
    at_cap = Client().post("/login/", padded, content_type="application/x-www-form-urlencoded")
    assert at_cap.status_code == 200 and at_cap.context["form"].errors
    over = Client().post("/login/", padded + b"x", content_type="application/x-www-form-urlencoded")
    assert over.status_code == 413


def test_a_body_without_content_length_is_never_read():
    """Chunked, no Content-Length: Django reads nothing of it (its form is empty); nothing is buffered."""
    body = WatchedInput(100 * MB)
    response = post(Client(), "/login/", body, None, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 200  # the login page again: an empty form
    assert body.consumed == 0


@override_settings(REQUEST_MAX_BYTES_ANONYMOUS=100, REQUEST_MAX_BYTES=2000, REQUEST_MAX_BYTES_UPLOAD=200_000)
def test_a_signed_in_user_gets_the_form_cap_except_where_files_are_taken(staff, la_report, media):
    # A form without files (marking notifications read) over REQUEST_MAX_BYTES: refused unread.
    body = WatchedInput(5000)
    response = post(staff, reverse("notification_mark_read"), body, 5000)
    assert response.status_code == 413 and body.consumed == 0
    assert "lưu từng kết quả một" in response.content.decode()  # a signed-in user is told how to go on
    # The edit page takes files (@accepts_uploads): the same size and more go through.
    response, entry = post_with_file(staff, la_report, SimpleUploadedFile("anh.png", png_bytes() + b"\0" * 5000))
    assert response.status_code == 302
    assert Evidence.objects.filter(entry=entry).exists()


@override_settings(REQUEST_MAX_BYTES_ANONYMOUS=100, REQUEST_MAX_BYTES=2000, REQUEST_MAX_BYTES_UPLOAD=3000)
def test_an_upload_over_the_upload_cap_is_refused_unread(staff, la_report):
    body = WatchedInput(10_000)
    url = reverse("report_entry_save", args=[la_report.pk, la_report.entries.first().pk])
    response = post(staff, url, body, 10_000, CONTENT_TYPE="multipart/form-data; boundary=x")
    assert response.status_code == 413 and body.consumed == 0
