"""The SMTP relay settings: URL forms, authentication against a real server."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from herald.adapters.delivery.email import SmtpSettings, SmtpTransport
from herald.domain.errors import ValidationError
from tests.adapters.delivery.conftest import SmtpSink

MESSAGE = (
    b"From: alerts@example.com\r\nTo: a@example.com\r\nSubject: hi\r\n"
    b"Message-ID: <m1@example.com>\r\n\r\nhello\r\n"
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relay.example", SmtpSettings("relay.example", 25)),
        (
            "smtp://user%40corp:p%3Ass@relay.example:587?starttls=1",
            SmtpSettings(
                "relay.example", 587, starttls=True, username="user@corp", password="p:ss"
            ),
        ),
        (
            "smtps://u:p@relay.example",
            SmtpSettings("relay.example", 465, tls=True, username="u", password="p"),
        ),
    ],
)
def test_smtp_urls(url: str, expected: SmtpSettings) -> None:
    assert SmtpSettings.parse(url) == expected


@pytest.mark.parametrize("url", ["http://relay.example", "smtp://", "smtp://relay.example:x"])
def test_bad_smtp_urls_name_the_setting(url: str) -> None:
    with pytest.raises(ValidationError, match="HERALD_SMTP_URL"):
        SmtpSettings.parse(url)


@pytest.fixture
def guarded_smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink(credentials=("alerts", "s3cret"))
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


def test_authentication_with_the_relay(guarded_smtp: SmtpSink, tmp_path: Path) -> None:
    good = SmtpTransport(SmtpSettings.parse(f"smtp://alerts:s3cret@127.0.0.1:{guarded_smtp.port}"))
    try:
        good.send("alerts@example.com", "a@example.com", lambda eight_bit: MESSAGE)
        good.send("alerts@example.com", "b@example.com", lambda eight_bit: MESSAGE)
    finally:
        good.close()
    assert [to for _, (to,) in guarded_smtp.envelopes] == ["a@example.com", "b@example.com"]

    assert guarded_smtp.logins == ["alerts"]  # one connection, one login, two messages


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A self-signed certificate for 127.0.0.1 that clients trust (``SSL_CERT_FILE``, read
    by ``ssl.create_default_context``); the server context that presents it."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    files = ["-keyout", str(key), "-out", str(cert)]
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [*request, *subject, *files],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    return server


def _relay(**options: object) -> Iterator[SmtpSink]:
    sink = SmtpSink(credentials=("alerts", "s3cret"), **options)  # type: ignore[arg-type]
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def starttls_relay(certificate: ssl.SSLContext) -> Iterator[SmtpSink]:
    yield from _relay(starttls=certificate)


@pytest.fixture
def smtps_relay(certificate: ssl.SSLContext) -> Iterator[SmtpSink]:
    yield from _relay(implicit_tls=certificate)


def _send_one(url: str) -> None:
    transport = SmtpTransport(SmtpSettings.parse(url))
    try:
        transport.send("alerts@example.com", "a@example.com", lambda eight_bit: MESSAGE)
    finally:
        transport.close()


def test_starttls_then_authentication(starttls_relay: SmtpSink) -> None:
    """The relay refuses AUTH and mail before STARTTLS: delivery proves the upgrade."""
    _send_one(f"smtp://alerts:s3cret@127.0.0.1:{starttls_relay.port}?starttls=1")
    assert [to for _, (to,) in starttls_relay.envelopes] == ["a@example.com"]
    assert starttls_relay.logins == ["alerts"]


def test_without_starttls_such_a_relay_refuses(starttls_relay: SmtpSink) -> None:
    with pytest.raises(Exception):  # noqa: B017 - the transport's own classification
        _send_one(f"smtp://alerts:s3cret@127.0.0.1:{starttls_relay.port}")
    assert starttls_relay.envelopes == []


def test_the_relay_certificate_is_verified(
    starttls_relay: SmtpSink, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-bundle.pem"))
    with pytest.raises(Exception):  # noqa: B017 - an untrusted certificate, whatever its class
        _send_one(f"smtp://alerts:s3cret@127.0.0.1:{starttls_relay.port}?starttls=1")
    assert starttls_relay.envelopes == [] and starttls_relay.logins == []


def test_smtps_speaks_tls_from_the_start(smtps_relay: SmtpSink) -> None:
    _send_one(f"smtps://alerts:s3cret@127.0.0.1:{smtps_relay.port}")
    assert [to for _, (to,) in smtps_relay.envelopes] == ["a@example.com"]
    assert smtps_relay.logins == ["alerts"]
