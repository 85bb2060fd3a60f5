"""HTTP validators for public reads: ``ETag``, ``Last-Modified``, ``Cache-Control``, 304.

The ETag is a hash of the representation's bytes, not of the site generation: the
generation moves with every change to a public table, drafts and embargoed bulletins
included, so a generation-based tag would let anyone polling a public URL see that
unpublished work happened. A content hash moves only when the public bytes do.
``Last-Modified`` is what the caller knows of the content's last change.

Preconditions follow RFC 9110 section 13.2.2: ``If-None-Match`` decides alone when
present (weak comparison, ``*`` included); ``If-Modified-Since`` counts only without
it. Evaluate them after the 404 and 422 checks: preconditions never turn an error
into a 304.

Usage::

    return http_cache.respond(request, body, "application/json", last_modified=changed)

``prepare`` builds the same answer once, as ``Prepared``: its 200 and its 304 as sent,
so a cache (``site_cache``) can send it again without rebuilding either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from herald.services.ports.bulletins import BulletinQuery
from herald.services.publication import PublicationService

MAX_AGE = 60
"""Seconds a cache may reuse a public response without asking again."""


def etag_of(body: bytes) -> str:
    """A weak ETag naming ``body``: ``W/"<32 hex digits of its SHA-256>"``.

    Weak, because the same content may travel re-encoded (compressed by a proxy).
    """
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def is_not_modified(request: Request, etag: str, last_modified: datetime | None = None) -> bool:
    """True when the client's stored copy is current, so a 304 may answer a GET."""
    return not_modified(
        request.headers.get("if-none-match"),
        request.headers.get("if-modified-since"),
        etag,
        last_modified,
    )


def not_modified(
    if_none_match: str | None,
    if_modified_since: str | None,
    etag: str,
    last_modified: datetime | None = None,
) -> bool:
    """``is_not_modified`` from the two request headers' values (None when absent)."""
    if if_none_match is not None:
        return _matches(if_none_match, etag)
    since = _http_date(if_modified_since)
    if since is None or last_modified is None:
        return False
    return _to_second(last_modified) <= since


def cache_headers(
    etag: str, last_modified: datetime | None = None, max_age: int = MAX_AGE
) -> dict[str, str]:
    """The validator and freshness headers of a 200 (and of the matching 304)."""
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(_to_second(last_modified), usegmt=True)
    return headers


def respond(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    last_modified: datetime | None = None,
    headers: Mapping[str, str] | None = None,
    max_age: int = MAX_AGE,
) -> Response:
    """A 200 with ``body`` and its validators, or an empty 304 when the client is current.

    ``headers`` are extra headers for the 200 (a ``Link``, say).
    """
    etag = etag_of(body)
    validators = cache_headers(etag, last_modified, max_age)
    if is_not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=validators)
    return Response(body, media_type=media_type, headers={**validators, **(headers or {})})


@dataclass(frozen=True)
class Wire:
    """A response start as sent: status and raw headers."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]

    @classmethod
    def of(cls, response: Response) -> Wire:
        return cls(response.status_code, tuple(response.raw_headers))


@dataclass(frozen=True)
class Prepared:
    """What ``respond`` sends for one body, built once: the 200 and the 304."""

    body: bytes
    etag: str
    last_modified: datetime | None
    full: Wire
    short: Wire

    def answer(
        self, if_none_match: str | None, if_modified_since: str | None
    ) -> tuple[Wire, bytes]:
        """The start and body for a request with these header values."""
        if not_modified(if_none_match, if_modified_since, self.etag, self.last_modified):
            return self.short, b""
        return self.full, self.body

    def response(self, request: Request) -> Response:
        """What ``respond`` answers ``request`` with (the same bytes)."""
        wire, body = self.answer(
            request.headers.get("if-none-match"), request.headers.get("if-modified-since")
        )
        response = Response(body, status_code=wire.status)
        response.raw_headers = list(wire.headers)
        return response


def prepare(
    body: bytes,
    media_type: str,
    *,
    last_modified: datetime | None = None,
    headers: Mapping[str, str] | None = None,
    max_age: int = MAX_AGE,
) -> Prepared:
    """``respond``'s answers for ``body``, built once (same arguments)."""
    etag = etag_of(body)
    validators = cache_headers(etag, last_modified, max_age)
    full = Response(body, media_type=media_type, headers={**validators, **(headers or {})})
    short = Response(status_code=304, headers=validators)
    return Prepared(body, etag, last_modified, Wire.of(full), Wire.of(short))


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    ours = _opaque(etag)
    return any(_opaque(tag) == ours for tag in if_none_match.split(",") if tag.strip())


def _opaque(tag: str) -> str:
    """The tag without its weakness marker (weak comparison, RFC 9110 section 8.8.3.2)."""
    tag = tag.strip()
    return tag[2:] if tag.startswith(("W/", "w/")) else tag


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _to_second(instant: datetime) -> datetime:
    """HTTP dates have one-second resolution; a naive instant is taken as UTC."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC).replace(microsecond=0)


def newest_change(publication: PublicationService) -> datetime | None:
    """When any public bulletin last changed: a ``Last-Modified`` that is safe for every
    list and feed, whatever its filters (a bulletin that leaves a filtered list changed)."""
    newest = publication.bulletins(BulletinQuery(order="updated", limit=1)).bulletins
    return newest[0].updated_at if newest else None
