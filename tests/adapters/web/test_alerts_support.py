"""Helpers for the alert web tests: the Maildir the worker writes to, running the worker
once, and links found in emails. (No tests here.)"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from herald.bootstrap import Herald, delivery_service

_LINK = re.compile(r"https?://[^\s<>\"]+/alerts/[a-z]+\?token=[A-Za-z0-9._~%=-]+")


def run_worker(herald: Herald) -> int:
    """Drain the outbox once (what ``herald worker --once`` does); how many deliveries."""
    service = delivery_service(herald)
    try:
        return service.run_once()
    finally:
        service.close()


@dataclass
class Inbox:
    """The Maildir under the data folder (no SMTP URL configured): messages as they land."""

    path: Path
    seen: set[str] = field(default_factory=set)

    def new_messages(self) -> list[EmailMessage]:
        """Messages that arrived since the last call."""
        folder = self.path / "new"
        found = []
        for file in sorted(folder.iterdir()) if folder.exists() else []:
            if file.name in self.seen:
                continue
            self.seen.add(file.name)
            message = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            found.append(message)
        return found


def inbox_of(herald: Herald) -> Inbox:
    return Inbox(herald.settings.data_dir / "mail")


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    content: str = part.get_content()
    return content


def link(message: EmailMessage, page: str) -> str:
    """The path and query of the ``/alerts/<page>`` link in the message's text."""
    for url in _LINK.findall(text_of(message)):
        parts = urlsplit(url)
        if parts.path == f"/alerts/{page}":
            return f"{parts.path}?{parts.query}"
    raise AssertionError(f"no /alerts/{page} link in {text_of(message)!r}")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def errors_on(html: str) -> dict[str, str]:
    """The messages shown next to form fields, by field name."""
    return dict(re.findall(r'<p class="error" id="([a-z_]+)-error">([^<]*)</p>', html))
