"""The SMTP relay settings: URL forms, authentication against a real server."""

from __future__ import annotations

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
