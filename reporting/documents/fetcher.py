"""The URL fetcher WeasyPrint is given: the app's own static files and stored uploads, nothing else.

Every resource of an official document (the embedded fonts, nothing more today) is a file of
the app.  Text typed by users is escaped before it reaches the HTML, and even if markup got
through, this fetcher refuses http(s), ftp, data: and every other scheme, and file:// URLs
that do not resolve (after following "..", percent-encoding and symlinks) to a file inside
STATICFILES_DIRS, STATIC_ROOT or MEDIA_ROOT.  So a document can never make the server open a
connection or read /etc/passwd.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2", ".css": "text/css"}


class FetchRefused(ValueError):
    """WeasyPrint asked for a URL outside the allowed folders; it gets nothing (and logs a warning)."""


def allowed_roots() -> list[Path]:
    """The folders a document may read from: the app's static files and the stored uploads."""
    roots: list[Path] = [Path(str(d[1] if isinstance(d, tuple) else d)) for d in settings.STATICFILES_DIRS]
    roots += [Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
    return [root.resolve() for root in roots]


class SafeURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """Serves file:// URLs under the allowed roots from disk; refuses everything else."""

    def __init__(self, roots: Iterable[Path] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self.roots = [Path(root).resolve() for root in (roots if roots is not None else allowed_roots())]
        self.refused: list[str] = []
        self.served: list[str] = []

    def local_path(self, url: str) -> Path:
        """The file a URL names, or FetchRefused when it is not one of ours."""
        try:
            parts = urlsplit(url)
        except ValueError:
            raise FetchRefused(f"URL không hợp lệ: {url[:200]}") from None
        if parts.scheme.lower() != "file":
            raise FetchRefused(f"Không được tải tài nguyên qua giao thức “{parts.scheme or '?'}”: {url[:200]}")
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"Không được tải tệp từ máy khác: {url[:200]}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise FetchRefused(f"Tệp nằm ngoài thư mục tĩnh và thư mục tải lên: {url[:200]}")
        if not path.is_file():
            raise FetchRefused(f"Không có tệp: {url[:200]}")
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            path = self.local_path(url)
        except FetchRefused:
            self.refused.append(url)
            logger.warning("Official document: refused to fetch %s", url[:200])
            raise
        self.served.append(url)
        content_type = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type or "application/octet-stream"}
        )
