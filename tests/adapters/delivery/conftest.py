"""Real peers for the alert tests: an aiosmtpd SMTP server and an HTTP webhook receiver on
loopback, and herald wired to them on each database backend.

- ``smtp``: an ``SmtpSink`` (aiosmtpd ``Controller`` on 127.0.0.1, a free port) that keeps
  every message it accepted; ``smtp.stop()``/``smtp.start()`` take it down and bring it
  back on the same port; ``smtp.delay`` slows every DATA.
- ``receiver``: a ``WebhookReceiver`` (``http.server`` in a thread) that records every
  request and whether its Standard Webhooks signature verified (by our own check and by
  the reference library ``standardwebhooks``); ``receiver.status``
  sets the answer.
- ``alerts``: herald with the demo data, a movable clock, ``HERALD_SMTP_URL`` on ``smtp``
  and private webhook targets allowed.
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from herald.bootstrap import Herald
from herald.config import Settings
from tests.conftest import DatabaseSnapshots
from tests.demo_services import demo_services, settings_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class _Handler:
    sink: SmtpSink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        if self.sink.delay:
            time.sleep(self.sink.delay)  # holds the sink's loop: one message at a time
        if self.sink.reply is not None:
            return self.sink.reply
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.sink.lock:
            self.sink.messages.append(message)
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@dataclass
class SmtpSink:
    """A real SMTP server on loopback that keeps what it receives."""

    port: int = field(default_factory=free_port)
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str | None, list[str]]] = field(default_factory=list)
    delay: float = 0.0
    reply: str | None = None
    """Answer DATA with this instead of accepting (e.g. ``"451 try later"``)."""
    credentials: tuple[str, str] | None = None
    """Offer AUTH (PLAIN/LOGIN, without TLS on loopback) and accept only this user and
    password (aiosmtpd warns about requiring AUTH without TLS, so anonymous mail stays
    possible)."""
    logins: list[str] = field(default_factory=list)
    """User names that authenticated (or tried to)."""
    starttls: ssl.SSLContext | None = None
    """Offer STARTTLS with this server context and refuse mail and AUTH before it."""
    implicit_tls: ssl.SSLContext | None = None
    """Speak TLS from the first byte (``smtps://``) with this server context."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        options: dict[str, Any] = {}
        if self.credentials is not None:
            options = {"authenticator": self._authenticate, "auth_require_tls": False}
        if self.starttls is not None:
            options.update(tls_context=self.starttls, require_starttls=True)
            options["auth_require_tls"] = True
        self._controller = Controller(
            _Handler(self),
            hostname="127.0.0.1",
            port=self.port,
            ready_timeout=10,
            ssl_context=self.implicit_tls,
            **options,
        )
        self._controller.start()

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False)
        given = (data.login.decode(), data.password.decode())
        self.logins.append(given[0])
        return AuthResult(success=given == self.credentials)

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for message in self.messages]


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    """Our own check of the signature and timestamp."""
    reference_verified: bool
    """The Standard Webhooks reference library's check (``standardwebhooks``)."""


@dataclass
class WebhookReceiver:
    """A real HTTP server on loopback that checks Standard Webhooks signatures."""

    secrets: dict[str, str] = field(default_factory=dict)
    """Path -> ``whsec_`` secret, to verify against."""
    status: int = 204
    location: str | None = None
    """A ``location`` header to answer with (for redirect tests)."""
    requests: list[Received] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    """The path of each request, in order."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    def url(self, path: str = "/hook") -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def verify_with_reference(self, path: str, headers: dict[str, str], body: bytes) -> bool:
        secret = self.secrets.get(path)
        if secret is None:
            return False
        try:
            Webhook(secret).verify(body, headers, json_parse=False)
        except WebhookVerificationError:
            return False
        return True

    def verify(self, path: str, headers: dict[str, str], body: bytes) -> bool:
        secret = self.secrets.get(path)
        if secret is None:
            return False
        key = base64.b64decode(secret.removeprefix("whsec_"))
        signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        timely = abs(time.time() - int(headers["webhook-timestamp"])) < 300
        offered = [s.partition(",")[2] for s in headers["webhook-signature"].split()]
        return timely and any(hmac.compare_digest(expected, s) for s in offered)


def webhook_handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    """The request handler of ``receiver``'s HTTP server."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            verified = receiver.verify(self.path, headers, body)
            reference = receiver.verify_with_reference(self.path, headers, body)
            with receiver.lock:
                receiver.paths.append(self.path)
                receiver.requests.append(Received(headers, body, verified, reference))
            self.send_response(receiver.status)
            if receiver.location is not None:
                self.send_header("location", receiver.location)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    found = WebhookReceiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), webhook_handler(found))
    found.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@dataclass
class MovableClock:
    """A clock the test moves by hand (as in the web tests)."""

    current: datetime = START

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def alert_settings(database_url: str, data_dir: Path, smtp_url: str | None) -> Settings:
    return settings_for(database_url, data_dir, smtp_url=smtp_url, webhook_allow_private=True)


@pytest.fixture
def alerts(
    database_url: str,
    tmp_path: Path,
    clock: MovableClock,
    smtp: SmtpSink,
    database_snapshots: DatabaseSnapshots,
) -> Iterator[Herald]:
    """herald on ``database_url`` with the demo data, its emails going to ``smtp``."""
    settings = alert_settings(database_url, tmp_path / "var", smtp.url)
    with demo_services(settings, clock, database_snapshots) as services:
        yield services
