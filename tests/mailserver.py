"""A real SMTP server for the tests (aiosmtpd), in a thread of the test process.

The app talks to it through Django's SMTP backend (EMAIL_HOST/EMAIL_PORT), as in production; the
test reads what arrived.  It can refuse (451, a temporary failure) or hold a session at RCPT
until released, to stand for a mail server that is down or slow.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return str(part.get_content())
        return ""

    @property
    def text(self) -> str:
        return self.part("text/plain")

    @property
    def html(self) -> str:
        return self.part("text/html")


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: int = 0  # refuse this many messages with 451 before accepting
    hold: threading.Event | None = None  # when set up, RCPT waits until the event is set
    sessions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        with self.lock:
            self.sessions += 1
        if self.hold is not None:
            import asyncio

            while not self.hold.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 Requested action aborted: try again later"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            self.received.append(Received(to=list(envelope.rcpt_tos), message=message))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.received if address in m.to]

    def wait_for(self, count: int, timeout: float = 60) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return self.received
            time.sleep(0.1)
        raise AssertionError(f"expected {count} messages, got {len(self.received)}: {self.subjects()}")

    def subjects(self) -> list[tuple[str, str]]:
        return [(",".join(m.to), m.subject) for m in self.received]


@pytest.fixture
def mail_server(settings: Any) -> Iterator[MailServer]:
    """A real SMTP server; the app's mail goes to it through the SMTP backend."""
    server = MailServer()
    server.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 30
    try:
        yield server
    finally:
        server.controller.stop()
