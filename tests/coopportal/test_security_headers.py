"""The security headers of every response (coopportal.middleware.SecurityHeadersMiddleware and Django's own).

Content-Security-Policy and Permissions-Policy everywhere; Cache-Control: no-store on whatever a
signed-in user receives (pages, evidence, PDFs), since on a shared office computer it must not stay in
the browser cache; a view's own Cache-Control (never_cache) kept; and the templates free of inline
script, which the policy would block.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.documents.kinds import PartyReportDocument
from reporting.models import Evidence
from tests.support import ROOT, issue_via_page, la_report_of, png_bytes, post_with_file

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def assert_always(response: Any) -> None:
    """The headers every response of the app carries, signed in or not."""
    assert response["Content-Security-Policy"] == CSP
    assert response["Permissions-Policy"] == PERMISSIONS
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def no_store(response: Any) -> bool:
    return "no-store" in [part.strip() for part in response.get("Cache-Control", "").split(",")]


def test_the_default_policy_is_the_setting():
    assert settings.CONTENT_SECURITY_POLICY == CSP
    assert settings.SECURE_REFERRER_POLICY == "same-origin" and settings.SECURE_CONTENT_TYPE_NOSNIFF


def test_the_middleware_comes_right_after_whitenoise():
    """Static files are answered by WhiteNoise before it (they keep their caching); everything else passes it."""
    middleware = settings.MIDDLEWARE
    ours = middleware.index("coopportal.middleware.SecurityHeadersMiddleware")
    assert ours == middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1


def test_a_page_to_a_signed_in_user(staff: Any, la_report: Any):
    for url in (
        reverse("home"),
        reverse("report_edit", args=[la_report.pk]),
        reverse("report_detail", args=[la_report.pk]),
    ):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert_always(response)
        assert response["Cache-Control"] == "no-store", url


def test_another_page_and_a_redirect_are_not_stored_either(staff: Any):
    response = staff.get(reverse("agreement_list") + "?page=1")
    assert no_store(response)
    response = staff.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and no_store(response) and response["Content-Security-Policy"] == CSP


def test_an_evidence_download(staff: Any, la_report: Any):
    response, entry = post_with_file(staff, la_report, SimpleUploadedFile("bien-ban.png", png_bytes()))
    assert response.status_code == 302
    download = staff.get(reverse("evidence_download", args=[Evidence.objects.get(entry=entry).pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
    assert_always(download)
    assert download["Cache-Control"] == "no-store"


@pytest.mark.usefixtures("media")
def test_a_draft_pdf_and_an_issued_pdf(client: Any, users: Any, la_report: Any, first_half: Any):
    client.force_login(users["la.coord"])
    draft = client.get(reverse("document_report_pdf", args=[la_report.pk]))  # drawn in the request
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"
    assert_always(draft)
    assert draft["Cache-Control"] == "no-store"

    report = la_report_of(first_half)
    client.force_login(users["la.leader"])
    assert issue_via_page(client, PartyReportDocument(report)).status_code == 302
    issued = client.get(reverse("document_report_pdf", args=[report.pk]))  # the stored file
    assert issued.status_code == 200 and b"".join(issued.streaming_content)[:5] == b"%PDF-"
    assert_always(issued)
    assert issued["Cache-Control"] == "no-store"


def test_the_login_page_to_an_anonymous_visitor(client: Any):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_always(response)  # the policy, yes; no-store is not required (LoginView sets never_cache anyway)
    anonymous = client.get(reverse("password_reset"))
    assert_always(anonymous)


def test_a_never_cache_view_keeps_its_own_cache_control(client: Any, users: Any):
    client.force_login(users["la.staff"])
    response = client.get(reverse("notification_list"))  # never_cache
    assert response.status_code == 200
    assert_always(response)
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    health = client.get("/healthz")  # never_cache, signed in or not
    assert health["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_an_operator_can_tighten_the_policy(client: Any, settings: Any):
    settings.CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
    assert client.get(reverse("login"))["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


# --- the templates: nothing the policy would block ---------------------------------------------------

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
HX_ON = re.compile(r"\shx-on[:\-]", re.IGNORECASE)


def test_the_scan_sees_the_templates():
    assert len(TEMPLATES) > 20 and ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_a_template_has_no_inline_script(template: Path):
    text = template.read_text(encoding="utf-8")
    for match in SCRIPT.finditer(text):
        assert re.search(r"\bsrc\s*=", match["attrs"]), f"inline <script> in {template}: {match[0]}"
    assert not HANDLER.search(text), f"an on*= event handler in {template}"
    assert not JS_URL.search(text), f"a javascript: URL in {template}"
    assert not HX_ON.search(text), f"hx-on (evaluated by htmx, needs 'unsafe-eval') in {template}"


def test_the_scan_would_catch_them():
    assert SCRIPT.search("<script>alert(1)</script>") and not re.search(r"\bsrc\s*=", "")
    assert HANDLER.search('<button type="button" onclick="go()">') and HANDLER.search("<body\n  onload='x()'>")
    assert not HANDLER.search('<a href="/x" data-on="1">') and not HANDLER.search('<input name="confirm">')
