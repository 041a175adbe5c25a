"""The pages of a refused or missing request (coopportal/errors.py): in the app's layout and language, saying
what happened and where to go; each refusal logged with who, what and from where, and no secret.

Django's test client re-raises a view's exception; the 500 tests turn that off (`raise_request_exception`)
and use tests/coopportal/error_urls.py, the app's URLs plus one view that fails. pytest-django runs the
app with DEBUG off, so Django calls the handlers as in production.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from coopportal.logs import RefusalWithoutTraceback
from reporting.models import ProgressReport
from tests.support import ROOT, la_report_of, switch_language

pytestmark = pytest.mark.django_db

SECURITY = "coopportal.security"


def in_english(text: str) -> str:
    """What the English catalogue makes of a Vietnamese msgid, as a page shows it (escaped: "party&#x27;s")."""
    with translation.override("en"):
        return escape(gettext(text))


def assert_layout(page: str, language: str) -> None:
    assert f'<html lang="{language}">' in page
    assert 'class="topbar"' in page and "css/app.css" in page  # base.html, not Django's bare page
    assert 'data-testid="error-page"' in page


def security_lines(caplog: Any) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == SECURITY]


# --- 404 --------------------------------------------------------------------------------------------


def test_404_for_an_anonymous_visitor_offers_the_login(client: Client, caplog: Any) -> None:
    with caplog.at_level(logging.INFO, logger=SECURITY):
        response = client.get("/khong-co-trang-nay/", REMOTE_ADDR="203.0.113.7")
    page = response.content.decode()
    assert response.status_code == 404
    assert_layout(page, "vi")
    assert "Không tìm thấy trang" in page and "Bạn chưa đăng nhập" in page
    assert f'href="{reverse("login")}?next=/khong-co-trang-nay/"' in page
    assert f'href="{reverse("home")}"' in page
    [line] = security_lines(caplog)
    assert line == "not found: status=404 user=anonymous method=GET path=/khong-co-trang-nay/ ip=203.0.113.7"
    assert [r.levelno for r in caplog.records if r.name == SECURITY] == [logging.INFO]


def test_404_of_a_report_hidden_from_a_signed_in_user_in_vietnamese_and_english(
    client: Client, users: Any, la_report: Any, caplog: Any
) -> None:
    # Long An's report in the 2011 Long An – Tây Ninh agreement: Tiền Giang has no part in it, so for
    # tg.staff it does not exist.
    hidden = la_report
    client.force_login(users["tg.staff"])
    url = reverse("report_detail", args=[hidden.pk])
    with caplog.at_level(logging.INFO, logger=SECURITY):
        response = client.get(url, HTTP_REFERER="http://testserver/agreements/")
    page = response.content.decode()
    assert response.status_code == 404
    assert_layout(page, "vi")
    assert "Không tìm thấy trang" in page and "thuộc một bên mà tài khoản của bạn không tham gia" in page
    assert 'href="http://testserver/agreements/"' in page  # back where the user came from
    assert "Đăng xuất" in page and f'href="{reverse("login")}' not in page  # signed in: the top bar, no login link
    assert hidden.party.body.name not in page  # nothing of the hidden report
    [line] = security_lines(caplog)
    assert f"user={users['tg.staff'].pk} method=GET path={url} ip=127.0.0.1" in line

    switch_language(client, "en")
    response = client.get(url, HTTP_REFERER="https://elsewhere.example/")
    page = response.content.decode()
    assert response.status_code == 404
    assert_layout(page, "en")
    assert response["Content-Language"] == "en"
    assert in_english("Không tìm thấy trang") in page
    assert "My tasks" in page and "Log out" in page  # the top bar in English
    assert "elsewhere.example" not in page  # no way back to another site


# --- 403 --------------------------------------------------------------------------------------------


def test_a_refused_pdf_says_who_may_download_it_and_is_logged(
    client: Client, users: Any, first_half: Any, caplog: Any
) -> None:
    report = la_report_of(first_half)  # approved: Tiền Giang's leader reads it, but its PDF is Long An's to issue
    url = reverse("document_report_pdf", args=[report.pk])
    client.force_login(users["tg.leader"])
    with caplog.at_level(logging.INFO, logger=SECURITY):
        response = client.get(url, REMOTE_ADDR="198.51.100.20", HTTP_REFERER=f"http://testserver/reports/{report.pk}/")
    page = response.content.decode()
    assert response.status_code == 403
    assert_layout(page, "vi")
    assert "Bạn không có quyền thực hiện việc này" in page
    assert "chỉ lãnh đạo và bộ phận điều phối của bên báo cáo tải được" in page
    assert f'href="http://testserver/reports/{report.pk}/"' in page
    [record] = [r for r in caplog.records if r.name == SECURITY]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        f"access denied: status=403 user={users['tg.leader'].pk} method=GET path={url} ip=198.51.100.20"
    )

    # Own party's staff prepare the data but do not download the official PDF either; in English this time.
    client.force_login(users["la.staff"])
    switch_language(client, "en")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 403
    assert_layout(page, "en")
    assert in_english("Bạn không có quyền thực hiện việc này") in page
    assert in_english("Văn bản PDF của báo cáo này chỉ lãnh đạo và bộ phận điều phối của bên báo cáo tải được.") in page


def test_a_refused_post_is_logged_without_the_form(client: Client, users: Any, la_report: Any, caplog: Any) -> None:
    client.force_login(users["tn.coord"])  # the counterpart's coordinator: reads, does not edit
    url = reverse("report_edit", args=[la_report.pk])
    la_report.state = ProgressReport.State.SUBMITTED
    la_report.save(update_fields=["state"])
    with caplog.at_level(logging.INFO, logger=SECURITY):
        response = client.post(url, {"overall_assessment": "bí mật của biểu mẫu"})
    assert response.status_code == 403
    assert "Chỉ chuyên viên của bên báo cáo mới cập nhật được báo cáo này." in response.content.decode()
    [line] = security_lines(caplog)
    assert line.startswith(f"access denied: status=403 user={users['tn.coord'].pk} method=POST path={url} ")
    assert "bí mật" not in " ".join(r.getMessage() for r in caplog.records)


def test_a_password_reset_token_never_reaches_the_log(client: Client, caplog: Any) -> None:
    with caplog.at_level(logging.INFO, logger=SECURITY):
        client.get("/reset/MQ/cdefg-0123456789abcdef/extra/?token=abc")
    [line] = security_lines(caplog)
    assert "path=/reset/MQ/***/extra/ " in line
    assert "0123456789abcdef" not in line and "token=abc" not in line


# --- CSRF and 400 -----------------------------------------------------------------------------------


def test_a_form_sent_without_its_token_gets_the_layout_and_is_logged(users: Any, caplog: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["la.staff"])
    with caplog.at_level(logging.INFO, logger=SECURITY):
        response = client.post(reverse("logout"))
    page = response.content.decode()
    assert response.status_code == 403
    assert_layout(page, "vi")
    assert "Biểu mẫu đã hết hạn, chưa gửi được" in page and "tải lại trang" in page
    assert 'name="csrfmiddlewaretoken"' in page  # the language switch of the page itself still works
    [line] = security_lines(caplog)
    assert line.startswith("csrf failure (CSRF cookie not set.): status=403 user=")
    assert settings.CSRF_FAILURE_VIEW == "coopportal.errors.csrf_failure"


def test_a_request_for_a_foreign_host_gets_the_400_page(client: Client) -> None:
    response = client.get(reverse("login"), HTTP_HOST="attacker.example")
    page = response.content.decode()
    assert response.status_code == 400
    assert_layout(page, "vi")
    assert "Yêu cầu không hợp lệ" in page and "attacker.example" not in page


# --- 500 --------------------------------------------------------------------------------------------


@pytest.mark.urls("tests.coopportal.error_urls")
def test_a_failing_view_gets_the_500_page_in_the_users_language(users: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(users["la.leader"])
    response = client.get("/test-only/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert_layout(page, "vi")
    assert "Đã xảy ra lỗi trong hệ thống" in page and "Lỗi đã được ghi lại" in page
    assert "Đăng xuất" in page  # drawn with the request: the user's own top bar
    assert "a bug in a view" not in page and "Traceback" not in page

    switch_language(client, "en")
    response = client.get("/test-only/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert_layout(page, "en")
    assert in_english("Đã xảy ra lỗi trong hệ thống") in page and "My tasks" in page


def failing_context_processor(request: Any) -> dict[str, Any]:
    raise RuntimeError("a context processor that needs what is broken")


@pytest.mark.urls("tests.coopportal.error_urls")
def test_the_500_page_is_drawn_without_the_request_context_when_that_fails(settings: Any, users: Any) -> None:
    engine = settings.TEMPLATES[0]
    processors = [*engine["OPTIONS"]["context_processors"], f"{__name__}.failing_context_processor"]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}]
    client = Client(raise_request_exception=False)
    client.force_login(users["la.leader"])
    response = client.get("/test-only/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert_layout(page, "vi")
    assert "Đã xảy ra lỗi trong hệ thống" in page
    assert 'name="csrfmiddlewaretoken" value="' in page  # the language switch keeps its token
    assert "Đăng xuất" not in page  # the user is not known without the context


DATABASE_DOWN = """
import django
from django.conf import settings
django.setup()
settings.DEBUG = False  # DEBUG=true only spares the subprocess a real SECRET_KEY and collected static files
from django.test import Client
client = Client(raise_request_exception=False)
client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32  # a session to load: the database is asked
response = client.get("/")
print(response.status_code)
print(response.content.decode())
"""


def test_the_500_page_comes_out_with_the_database_down(tmp_path: Any) -> None:
    """A real process of the app whose PostgreSQL does not answer (nothing listens on port 9)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coopportal.settings",
        "DEBUG": "true",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/coopportal_down",
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "testserver",
        "COOPPORTAL_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", DATABASE_DOWN], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    status, _, page = result.stdout.partition("\n")
    assert status == "500", result.stdout + result.stderr
    assert "OperationalError" in result.stderr  # Django logged the real error
    assert "The 500 page could not use the request's context; drawn without it." in result.stderr
    assert_layout(page, "vi")
    assert "Đã xảy ra lỗi trong hệ thống" in page


# --- the console ----------------------------------------------------------------------------------


@pytest.mark.urls("tests.coopportal.error_urls")
def test_the_console_has_a_line_for_a_refusal_and_the_traceback_of_an_error(users: Any, first_half: Any) -> None:
    """settings.LOGGING: a 403 is one line on the console (Django logged it with its PermissionDenied
    traceback: 134 of them in one probe), a 500 keeps its traceback."""
    [console] = [
        h for h in logging.getLogger().handlers if any(isinstance(f, RefusalWithoutTraceback) for f in h.filters)
    ]
    stream = io.StringIO()
    before = console.setStream(stream)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(users["tg.leader"])
        assert client.get(reverse("document_report_pdf", args=[la_report_of(first_half).pk])).status_code == 403
        refused = stream.getvalue()
        assert "Forbidden (Permission denied)" in refused and "access denied: status=403" in refused
        assert "Traceback" not in refused
        assert client.get("/test-only/broken/").status_code == 500
        failed = stream.getvalue()[len(refused) :]
        assert "Traceback" in failed and "RuntimeError: a bug in a view" in failed
    finally:
        console.setStream(before)


# --- 405 --------------------------------------------------------------------------------------------


def test_an_address_of_a_button_opened_as_a_page_says_what_it_is(client: Client, users: Any, caplog: Any) -> None:
    """GET /logout/ (a bookmark, a typed address): Django answered 405 with an empty page."""
    client.force_login(users["la.staff"])
    with caplog.at_level(logging.INFO, logger=SECURITY):
        response = client.get(reverse("logout"))
    page = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST, OPTIONS"
    assert_layout(page, "vi")
    assert "Địa chỉ này không mở trực tiếp được" in page and "Đăng xuất" in page
    assert [line.split(":")[0] for line in security_lines(caplog)] == ["method not allowed"]
    assert client.get(reverse("home")).status_code == 200  # still signed in: nothing was done

    switch_language(client, "en")
    page = client.get(reverse("logout")).content.decode()
    assert_layout(page, "en")
    assert in_english("Địa chỉ này không mở trực tiếp được") in page
