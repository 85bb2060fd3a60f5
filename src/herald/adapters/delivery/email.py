"""The email channel: an SMTP relay (``HERALD_SMTP_URL``) or a Maildir under the data folder.

Each sending thread keeps one SMTP connection open across batches and sends many
messages over it; a connection that drops is reopened once for the message at hand.
"""

from __future__ import annotations

import contextlib
import mailbox
import smtplib
import ssl
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import formatdate
from functools import partial
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from herald.adapters.delivery.email_message import EmailComposer
from herald.domain.errors import ValidationError
from herald.services.ports.common import AlertJob, SendResult

SMTP_TIMEOUT = 30.0


class TransientError(Exception):
    """Worth trying again later."""


class Unreachable(TransientError):
    """The relay does not answer: the rest of the batch would wait the same way."""


class PermanentError(Exception):
    """Not worth trying again (the server refused for good)."""


MessageFactory = Callable[[bool], bytes]
"""Builds a message; ``True`` asks for 8bit parts (the next hop takes 8BITMIME)."""


class Transport(Protocol):
    """Hands one message to the next hop; raises ``TransientError``/``PermanentError``."""

    def send(self, sender: str, recipient: str, message: MessageFactory) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SmtpSettings:
    """An SMTP relay, from ``smtp://user:pass@host:587?starttls=1`` or ``smtps://host:465``."""

    host: str
    port: int
    tls: bool = False
    """TLS from the first byte (smtps)."""
    starttls: bool = False
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValidationError(
                "HERALD_SMTP_URL",
                "expected smtp://[user:pass@]host[:port][?starttls=1] or smtps://",
            )
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise ValidationError("HERALD_SMTP_URL", "has an invalid port") from None
        return cls(
            host=parts.hostname,
            port=port,
            tls=parts.scheme == "smtps",
            starttls=starttls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


class SmtpTransport:
    """One SMTP connection, opened on first use and reused."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings
        self._connection: smtplib.SMTP | None = None

    def send(self, sender: str, recipient: str, message: MessageFactory) -> None:
        for attempt in (1, 2):
            connection = self._connect()
            eight_bit = connection.has_extn("8bitmime")
            options = ["BODY=8BITMIME"] if eight_bit else []
            try:
                refused = connection.sendmail(sender, [recipient], message(eight_bit), options)
            except smtplib.SMTPServerDisconnected as error:
                self._drop()
                if attempt == 2:
                    raise TransientError(f"SMTP connection lost: {error}") from error
                continue
            except smtplib.SMTPRecipientsRefused as error:
                code, reply = next(iter(error.recipients.values()))
                raise _classified(code, reply) from error
            except smtplib.SMTPResponseException as error:
                if error.smtp_code in (421,):
                    self._drop()
                raise _classified(error.smtp_code, error.smtp_error) from error
            except (OSError, smtplib.SMTPException) as error:
                self._drop()
                raise TransientError(f"SMTP error: {error}") from error
            if refused:
                code, reply = next(iter(refused.values()))
                raise _classified(code, reply)
            return

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._connection.quit()
            self._drop()

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        s = self._settings
        connection: smtplib.SMTP | None = None
        try:
            if s.tls:
                connection = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
                )
            else:
                connection = smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT)
            connection.ehlo()
            if s.starttls:
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if s.username is not None:
                connection.login(s.username, s.password or "")
        except (OSError, smtplib.SMTPException) as error:
            if connection is not None:  # refused after connecting: never leak the socket
                with contextlib.suppress(OSError):
                    connection.close()
            if isinstance(error, smtplib.SMTPAuthenticationError):
                raise TransientError(f"SMTP authentication failed: {error.smtp_code}") from error
            raise Unreachable(f"cannot connect to SMTP {s.host}:{s.port}: {error}") from error
        self._connection = connection
        return connection

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError):
                self._connection.close()
        self._connection = None


def _classified(code: int, reply: bytes | str) -> Exception:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    message = f"SMTP {code} {text}".strip()
    return PermanentError(message) if code >= 500 else TransientError(message)


class MaildirTransport:
    """Writes each message into a Maildir (development and the embedded default)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._maildir = mailbox.Maildir(path, create=True)
        self._lock = threading.Lock()

    def send(self, sender: str, recipient: str, message: MessageFactory) -> None:
        content = message(True)
        try:
            with self._lock:
                self._maildir.add(content)
        except OSError as error:
            raise TransientError(f"cannot write to the Maildir: {error}") from error

    def close(self) -> None:
        pass


class EmailSender:
    """``Sender`` for email: ``concurrency`` threads, one transport (connection) each."""

    def __init__(
        self,
        composer: EmailComposer,
        transport_factory: Callable[[], Transport],
        concurrency: int = 4,
    ) -> None:
        self._composer = composer
        self._factory = transport_factory
        self._concurrency = max(1, concurrency)
        self._pool = ThreadPoolExecutor(self._concurrency, thread_name_prefix="herald-smtp")
        self._local = threading.local()
        self._transports: list[Transport] = []
        self._lock = threading.Lock()

    def send(self, jobs: Sequence[AlertJob]) -> list[SendResult]:
        date = formatdate(usegmt=True)
        chunks = [list(jobs[i :: self._concurrency]) for i in range(self._concurrency)]
        futures = [self._pool.submit(self._send_chunk, chunk, date) for chunk in chunks if chunk]
        return [result for future in futures for result in future.result()]

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        with self._lock:
            for transport in self._transports:
                transport.close()
            self._transports.clear()

    def _transport(self) -> Transport:
        transport: Transport | None = getattr(self._local, "transport", None)
        if transport is None:
            transport = self._factory()
            self._local.transport = transport
            with self._lock:
                self._transports.append(transport)
        return transport

    def _send_chunk(self, jobs: Sequence[AlertJob], date: str) -> list[SendResult]:
        transport = self._transport()
        results = []
        unreachable: str | None = None
        for job in jobs:
            if unreachable is not None:
                results.append(SendResult(job.delivery.id, ok=False, error=unreachable))
                continue
            try:
                transport.send(
                    self._composer.sender,
                    job.subscription.target,
                    partial(self._composer.compose, job, date),
                )
            except PermanentError as error:
                results.append(
                    SendResult(job.delivery.id, ok=False, permanent=True, error=str(error))
                )
            except Unreachable as error:
                unreachable = str(error)
                results.append(SendResult(job.delivery.id, ok=False, error=unreachable))
            except TransientError as error:
                results.append(SendResult(job.delivery.id, ok=False, error=str(error)))
            else:
                results.append(SendResult(job.delivery.id, ok=True))
        return results
