"""What a browser does with CoopPortal's pages, in plain Python: read a form's fields, post them back.

Used by the load test (bench/loadtest/) and by the production-shaped test (tests/production/), which
talk HTTP to a real gunicorn on loopback, with the production settings:

- behind the TLS proxy of a deployment, so every request says `X-Forwarded-Proto: https`
  (SECURE_PROXY_SSL_HEADER): no redirect to https, and CSRF checks the Referer as for https;
- the session and CSRF cookies are Secure, so cookies are kept here by name and always sent (a cookie
  jar would not send a Secure cookie over the loopback's plain http);
- htmx posts carry `HX-Request: true` and the CSRF token in `X-CSRFToken`, as base.html sets it up.
"""

from __future__ import annotations

import http.client
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

_VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}


class _FormFields(HTMLParser):
    """The successful controls (name -> value) inside the element with id `scope` (the whole page if None)."""

    def __init__(self, scope: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.scope, self.depth = scope, (1 if scope is None else 0)
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if self.depth == 0:
            if self.scope is not None and attr.get("id") == self.scope and tag not in _VOID:
                self.depth = 1
            return
        if tag not in _VOID:
            self.depth += 1
        name = attr.get("name", "")
        if tag == "input" and name:
            kind = attr.get("type", "text").lower()
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attr:
                return
            self.fields[name] = attr.get("value", "on" if kind in ("checkbox", "radio") else "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select is not None:
            value = attr.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attr:
                self.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0:
            return
        if tag == "select" and self._select is not None:
            if self._select not in self.fields and self._select_first is not None:
                self.fields[self._select] = self._select_first
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser drops the one newline that may follow <textarea>, as browsers do.
            text = "".join(self._text)
            self.fields[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None
        if tag not in _VOID:
            self.depth -= 1
            if self.scope is not None and self.depth == 0:
                self.depth = -1  # the scope is closed: nothing after it belongs to it

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.depth > 0:
            self._text.append(data)


def form_fields(html: str, scope: str | None = None) -> dict[str, str]:
    """The fields a browser would post from `html` (or from the element with id `scope` in it)."""
    parser = _FormFields(scope)
    parser.feed(html)
    parser.close()
    return parser.fields


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None) -> tuple[bytes, str]:
    """A multipart/form-data body as htmx sends it (hx-encoding): the fields, then each file (maybe empty)."""
    boundary = f"----coopportal{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in (files or {}).items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def cookies_from(set_cookie_headers: list[str]) -> dict[str, str]:
    """name -> value of the Set-Cookie headers of a response (an expired cookie comes back as "")."""
    found: dict[str, str] = {}
    for header in set_cookie_headers:
        pair = header.split(";", 1)[0]
        name, _, value = pair.partition("=")
        expired = re.search(r"(?i);\s*max-age=0\b", header) is not None
        found[name.strip()] = "" if expired else value.strip().strip('"')
    return found


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    """One person's browser against `base` (http://127.0.0.1:PORT), as if through the https proxy."""

    base: str
    timeout: float = 60
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return urlsplit(self.base).netloc

    @property
    def origin(self) -> str:
        return f"https://{self.host}"

    def headers(self, referer: str | None = None, *, htmx: bool = False) -> dict[str, str]:
        headers = {"Host": self.host, "X-Forwarded-Proto": "https", "Accept-Language": "vi"}
        live = {k: v for k, v in self.cookies.items() if v}
        if live:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in live.items())
        if referer is not None:
            headers["Referer"] = self.origin + referer
            headers["Origin"] = self.origin
        if htmx:
            headers["HX-Request"] = "true"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        return headers

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers or self.headers())
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        self.cookies.update(cookies_from(response.headers.get_all("Set-Cookie") or []))
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(
        self,
        path: str,
        fields: dict[str, str],
        *,
        referer: str,
        htmx: bool = False,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Response:
        if htmx or files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers = self.headers(referer, htmx=htmx) | {"Content-Type": content_type}
        return self.request("POST", path, body=body, headers=headers)

    def login(self, username: str, password: str) -> Response:
        """The login form, filled and sent; the session cookie is kept. Raises unless it signed in."""
        page = self.get("/login/")
        assert page.status == 200, page.status
        fields = form_fields(page.text)
        fields.update(username=username, password=password)
        response = self.post("/login/", fields, referer="/login/")
        if response.status != 302 or not self.cookies.get("sessionid"):
            raise AssertionError(f"login of {username} failed: {response.status} {response.text[:500]}")
        return response
