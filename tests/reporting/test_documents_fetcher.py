"""WeasyPrint may load only the app's static files and stored uploads; user text can never fetch a URL.

A real HTTP server on 127.0.0.1 records every request it gets: none may arrive.
"""

from __future__ import annotations

import os
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from reporting import workflow
from reporting.documents.fetcher import FetchRefused, SafeURLFetcher
from reporting.documents.kinds import PartyReportDocument, font_base
from reporting.documents.pdf import render_pdf
from tests.support import content_text, periods_of

STATIC = Path(settings.BASE_DIR) / "static"
FONT = STATIC / "fonts" / "LiberationSerif-Regular.ttf"


class Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"\x89PNG\r\n\x1a\n")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A local HTTP server thread; yields its base URL and empties its record of hits."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    with urllib.request.urlopen(f"{base}/control") as response:  # the recorder works: this one counts
        assert response.status == 200
    assert Recorder.hits == ["/control"]
    Recorder.hits.clear()
    yield base
    httpd.shutdown()
    httpd.server_close()
    Recorder.hits.clear()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    media = tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    settings.MEDIA_ROOT = str(media)
    return media


def test_fetcher_refuses_every_scheme_but_local_files(server: str, media: Path) -> None:
    fetcher = SafeURLFetcher()
    for url in [
        f"{server}/x.png",
        f"https://127.0.0.1:{server.rsplit(':', 1)[1]}/x.png",
        "ftp://127.0.0.1/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "gopher://127.0.0.1:70/",
        "//127.0.0.1/x.png",
        "x.png",
    ]:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert Recorder.hits == []


def test_fetcher_refuses_files_outside_static_and_media(media: Path, tmp_path: Path) -> None:
    fetcher = SafeURLFetcher()
    (media / "evidence" / "passwd").symlink_to("/etc/passwd")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in [
        "file:///etc/passwd",
        f"file://{STATIC}/../../../../etc/passwd",
        f"file://{STATIC}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"file://{media}/evidence/passwd",  # a symlink inside MEDIA_ROOT that leads out of it
        outside.as_uri(),
        f"file://{settings.BASE_DIR}/coopportal/settings.py",
        f"file://attacker.example{FONT}",
        f"file://{STATIC}/fonts/",  # a folder
        f"file://{STATIC}/fonts/missing.ttf",
    ]:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 9 and fetcher.served == []


def test_fetcher_serves_static_files_and_uploads(media: Path) -> None:
    fetcher = SafeURLFetcher()
    upload = media / "evidence" / "scan.png"
    upload.write_bytes(b"\x89PNG\r\n\x1a\nrest")
    for url, body, kind in [
        (FONT.as_uri(), FONT.read_bytes(), "font/ttf"),
        (f"file://localhost{FONT}", FONT.read_bytes(), "font/ttf"),
        (upload.as_uri(), upload.read_bytes(), "image/png"),
    ]:
        response = fetcher.fetch(url)
        assert (response.read(), response.content_type) == (body, kind)
        response.close()


def test_weasyprint_fetches_nothing_even_from_raw_markup(server: str, media: Path) -> None:
    """Were markup ever to get through unescaped, WeasyPrint still could not reach out."""
    attempts = [
        f'<img src="{server}/img.png">',
        f'<link rel="stylesheet" href="{server}/style.css">',
        f"<style>@import url('{server}/import.css'); p {{ background: url('{server}/bg.png') }}</style>",
        '<img src="file:///etc/passwd">',
        f'<img src="file://{STATIC}/../../../../etc/passwd">',
        f'<object data="{server}/object"></object><embed src="{server}/embed">',
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{server}/svg.png" width="10" height="10"/></svg>',
        f'<p style="background-image: url(https://127.0.0.1:{server.rsplit(":", 1)[1]}/tls.png)">x</p>',
    ]
    html = f"<html><body><p>Thử nghiệm</p>{''.join(attempts)}</body></html>"
    fetcher = SafeURLFetcher()
    pdf = render_pdf(html, font_base(), fetcher)
    assert pdf.startswith(b"%PDF-")
    assert Recorder.hits == []
    assert any(url.startswith(server) for url in fetcher.refused)
    assert "file:///etc/passwd" in fetcher.refused
    assert fetcher.served == []


@pytest.mark.django_db
def test_user_text_is_escaped_in_html_and_pdf(server: str, media: Path, users: Any, tmp_path: Path) -> None:
    report = periods_of(2026)[-1].reports.get(party__body__name="Sở Công Thương tỉnh Long An")
    entry = report.entries.order_by("commitment__order").first()
    assert entry is not None
    typed = f'<img src="{server}/x.png"> Báo cáo kèm theo: file:///etc/passwd <script>alert("x")</script>'
    workflow.save_entry(users["la.staff"], entry, {"results": typed, "difficulties": typed}, entry.version)
    workflow.save_report_fields(users["la.staff"], report, {"shortcomings": typed}, report.version)
    report.refresh_from_db()
    document = PartyReportDocument(report, viewer=users["la.leader"])
    main, _appendix = document.html_parts()
    assert "<img" not in main.split("<body>")[1] and "<script>" not in main
    assert f"&lt;img src=&quot;{server}/x.png&quot;&gt;" in main
    fetcher = SafeURLFetcher()
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(main, font_base(), fetcher))
    assert Recorder.hits == [] and fetcher.refused == []
    assert {os.path.basename(url) for url in fetcher.served} <= {p.name for p in (STATIC / "fonts").glob("*.ttf")}
    text = content_text(path)
    assert typed in text, "the typed text appears as text, not as markup"
    assert "root:x:0:0" not in text
    # and through the normal path, the one downloads use
    document.generate()
    assert Recorder.hits == []
