"""Alert emails: multipart/alternative with the bulletin's own text and HTML renderings.

The expensive part (rendering the bulletin) happens once per event and group template;
per recipient only ``To``, ``Message-ID`` and the two signed links change, so messages
are assembled from pre-rendered parts (base64 bodies, CRLF lines) without building an
``EmailMessage`` tree each time.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate
from urllib.parse import urlsplit

from herald.adapters.formats.html import render_html, title_text
from herald.adapters.formats.text import render_text
from herald.domain.alerts import AlertEvent, EventKind
from herald.services.ports.common import AlertJob, TokenSigner

_BASE64_LINE = re.compile(".{1,76}")
_UNSUBSCRIBE = "\x00UNSUBSCRIBE\x00"
_PREFERENCES = "\x00PREFERENCES\x00"


@dataclass(frozen=True)
class _Rendered:
    subject: str
    """Encoded header value."""
    text: str
    html: str


def _encode_header(value: str) -> str:
    if value.isascii():
        return value
    return Header(value, "utf-8").encode()


_MAX_LINE = 900
"""Octets per body line, safely under SMTP's 998."""


def _crlf_lines(text: str) -> str:
    """CRLF line endings, with lines too long for SMTP broken at a space."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        while len(line.encode("utf-8")) > _MAX_LINE:
            limit = _MAX_LINE if line.isascii() else _MAX_LINE // 4  # UTF-8: ≤ 4 octets each
            cut = line.rfind(" ", 0, limit)
            if cut <= 0:
                lines.append(line[:limit])
                line = line[limit:]
            else:
                lines.append(line[:cut])
                line = line[cut + 1 :]
        lines.append(line)
    return "\r\n".join(lines)


def _b64_lines(text: str) -> str:
    """Base64 in lines of 76 characters, CRLF-terminated (one C call for the encoding)."""
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return "\r\n".join(_BASE64_LINE.findall(encoded))


def _event_line(event: AlertEvent) -> str:
    match event.kind:
        case EventKind.PUBLISHED:
            return "A new security bulletin has been published."
        case EventKind.MODIFIED:
            kind = "material" if event.material else "editorial"
            changed = ", ".join(event.changed) or "text"
            return (
                f"This bulletin was updated (revision {event.revision}, {kind} change: "
                f"{changed}). {event.entry_on}: {event.entry_summary}"
            )
        case EventKind.WITHDRAWN:
            return f"This bulletin was withdrawn. {event.entry_on}: {event.entry_summary}"
        case EventKind.PREDISCLOSED:
            when = event.release_at.strftime("%Y-%m-%d %H:%M UTC") if event.release_at else "?"
            return (
                f"TLP:AMBER - EMBARGOED until {when}. Predisclosure to the {event.group} list: "
                "share it only within your organisation on a need-to-know basis, and do not "
                "publish anything about it before the embargo lifts."
            )
        case EventKind.CONFIRM:
            return ""


def _subject_label(event: AlertEvent) -> str:
    match event.kind:
        case EventKind.PUBLISHED:
            return "New security bulletin"
        case EventKind.MODIFIED:
            return f"Updated security bulletin (revision {event.revision})"
        case EventKind.WITHDRAWN:
            return "Withdrawn security bulletin"
        case EventKind.PREDISCLOSED:
            when = event.release_at.strftime("%Y-%m-%d %H:%M UTC") if event.release_at else "?"
            return f"[EMBARGOED until {when}] TLP:AMBER predisclosure"
        case EventKind.CONFIRM:
            return "Confirm your subscription"


class EmailComposer:
    """Builds the bytes of alert emails, caching renderings per event and group."""

    def __init__(self, base_url: str, sender: str, signer: TokenSigner) -> None:
        self._base_url = base_url
        self._sender = sender
        self._signer = signer
        self._host = urlsplit(base_url).hostname or "localhost"
        self._cache: dict[tuple[str, str], _Rendered] = {}

    @property
    def sender(self) -> str:
        return self._sender

    def message_id(self, job: AlertJob) -> str:
        return f"<alert.{job.delivery.idempotency_key}@{self._host}>"

    def compose(self, job: AlertJob, date: str | None = None, eight_bit: bool = False) -> bytes:
        """The complete message, CRLF line endings, ready for SMTP or a Maildir.

        ``eight_bit`` sends the parts as UTF-8 text (``8bit``, lines of at most 998 octets)
        for relays that announce 8BITMIME: no per-recipient base64 of the whole body.
        """
        subscription = job.subscription
        unsubscribe = (
            f"{self._base_url}/alerts/unsubscribe?token="
            f"{self._signer.sign('unsubscribe', str(subscription.id))}"
        )
        preferences = (
            f"{self._base_url}/alerts/preferences?token="
            f"{self._signer.sign('preferences', str(subscription.id))}"
        )
        rendered = self._rendered(job)
        text, body_html = rendered.text, rendered.html
        if job.event.kind is EventKind.CONFIRM:
            confirm = f"{self._base_url}/alerts/confirm?token={job.token}"
            text = text.replace(_PREFERENCES, confirm)
            body_html = body_html.replace(_PREFERENCES, html.escape(confirm))
        else:
            text = text.replace(_UNSUBSCRIBE, unsubscribe).replace(_PREFERENCES, preferences)
            body_html = body_html.replace(_UNSUBSCRIBE, html.escape(unsubscribe)).replace(
                _PREFERENCES, html.escape(preferences)
            )
        boundary = f"==herald-{job.event.id}"
        headers = [
            f"From: {self._sender}",
            f"To: {formataddr(('', subscription.target))}",
            f"Subject: {rendered.subject}",
            f"Date: {date or formatdate(usegmt=True)}",
            f"Message-ID: {self.message_id(job)}",
            "MIME-Version: 1.0",
            f"List-Id: <alerts.{self._host}>",
            f"List-Unsubscribe: <{unsubscribe}>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "Auto-Submitted: auto-generated",
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
        ]
        if job.event.kind is EventKind.CONFIRM:
            headers = [h for h in headers if not h.startswith("List-Unsubscribe")]
        encoding = "8bit" if eight_bit else "base64"
        parts = "".join(
            f"--{boundary}\r\n"
            f'Content-Type: {media}; charset="utf-8"\r\n'
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
            f"{content if eight_bit else _b64_lines(content)}\r\n"
            for media, content in (("text/plain", text), ("text/html", body_html))
        )
        message = "\r\n".join(headers) + "\r\n\r\n" + parts + f"--{boundary}--\r\n"
        return message.encode("utf-8")

    def _rendered(self, job: AlertJob) -> _Rendered:
        group = job.group
        key = (job.event.id, group.name if group else "")
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) > 256:
                self._cache = {}  # a new dict: threads holding the old one are unaffected
            cached = self._cache[key] = self._render(job)
        return cached

    def _render(self, job: AlertJob) -> _Rendered:
        event, document, group = job.event, job.document, job.group
        prefix = group.subject_prefix if group else ""
        if event.kind is EventKind.CONFIRM or document is None:
            subject = f"{prefix}{_subject_label(event)}"
            text = (
                "Someone (hopefully you) asked for security alerts at this address.\r\n"
                f"To confirm, open this link within 48 hours:\r\n\r\n{_PREFERENCES}\r\n\r\n"
                "If it was not you, ignore this email: nothing will be sent.\r\n"
            )
            body = (
                "<!doctype html><html><body><p>Someone (hopefully you) asked for security "
                "alerts at this address.</p>"
                f'<p><a href="{_PREFERENCES}">Confirm the subscription</a> (within 48 hours).'
                "</p><p>If it was not you, ignore this email: nothing will be sent.</p>"
                "</body></html>"
            )
            return _Rendered(_encode_header(subject), _crlf_lines(text), _crlf_lines(body))
        subject = f"{prefix}{_subject_label(event)}: {document.article_id} {title_text(document)}"
        page = f"{self._base_url}/bulletins/{document.article_id}"
        notes = [line for line in (group.intro if group else "", _event_line(event)) if line]
        footer_text = (
            f"Read it online: {page}\r\n"
            f"Change what you receive: {_PREFERENCES}\r\n"
            f"Unsubscribe: {_UNSUBSCRIBE}\r\n"
        )
        text = (
            "\r\n\r\n".join(notes)
            + "\r\n\r\n"
            + render_text(document).replace("\n", "\r\n")
            + "\r\n\r\n-- \r\n"
            + footer_text
        )
        banner = "".join(
            f'<p style="padding:0.5rem 1rem;border:1px solid #999">{html.escape(line)}</p>'
            for line in notes
        )
        footer = (
            '<hr><p style="max-width:46rem;margin:1rem auto;padding:0 1rem">'
            f'<a href="{html.escape(page)}">Read it online</a> · '
            f'<a href="{_PREFERENCES}">Change what you receive</a> · '
            f'<a href="{_UNSUBSCRIBE}">Unsubscribe</a></p>'
        )
        page_html = render_html(document)
        head, _, rest = page_html.partition("<body>")
        main, _, tail = rest.rpartition("</body>")
        body = f"{head}<body>{banner}{main}{footer}</body>{tail}"
        return _Rendered(_encode_header(subject), _crlf_lines(text), _crlf_lines(body))
