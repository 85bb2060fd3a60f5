"""What the machine-readable exports (CSAF, OSV, CVE JSON 5) share: links, instants, JSON text.

Every export is a pure function of a public bulletin, the catalog, the publisher and the
site's base URL; given the same inputs it returns the same bytes (no "now" anywhere), so
a hash of a document is a sound ETag and a later signature covers a stable text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

from herald.domain.bulletin import Bulletin, Status
from herald.domain.errors import RuleViolation

JSON_MEDIA_TYPE = "application/json"
CSAF_SUFFIX = ".csaf.json"
"""``/bulletins/{id}.csaf.json``: a bulletin's CSAF advisory (``machine.CSAF``)."""
OSV_SUFFIX = ".osv.json"
"""``/bulletins/{id}.osv.json``: a bulletin's OSV record (``machine.OSV``)."""
CVE_SUFFIX = ".json"
"""``/cve/{CVE id}.json``: a CVE's CVE JSON 5 record (``machine.CVE5``)."""


@dataclass(frozen=True)
class DocumentLinks:
    """Absolute URLs of a bulletin's public forms, from the site's base URL."""

    base: str
    """``Settings.base_url``; a trailing slash is ignored."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    def bulletin_page(self, article_id: str) -> str:
        return f"{self.base}/bulletins/{_segment(article_id)}"

    def csaf(self, article_id: str) -> str:
        return f"{self.bulletin_page(article_id)}{CSAF_SUFFIX}"

    def osv(self, article_id: str) -> str:
        return f"{self.bulletin_page(article_id)}{OSV_SUFFIX}"

    def cve(self, cve_id: str) -> str:
        return f"{self.base}/cve/{_segment(cve_id)}{CVE_SUFFIX}"


def require_public(bulletin: Bulletin, form: str) -> None:
    """Raise unless readers may see ``bulletin`` (published or withdrawn)."""
    if not bulletin.status.public:
        raise RuleViolation(
            "status",
            f"{bulletin.article_id} is {bulletin.status.label}; only published or withdrawn "
            f"bulletins have a {form} form",
        )


def utc_text(instant: datetime) -> str:
    """``2026-03-24T16:00:00Z``: UTC, whole seconds (RFC 3339, as CSAF, OSV and CVE want)."""
    return to_second(instant).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_second(instant: datetime) -> datetime:
    """``instant`` in UTC without its fraction of a second; a naive instant is taken as UTC."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC).replace(microsecond=0)


def midnight(day: date) -> datetime:
    """The first instant of ``day`` in UTC."""
    return datetime.combine(day, time(), tzinfo=UTC)


def revision_instants(bulletin: Bulletin) -> tuple[datetime, ...]:
    """One UTC instant per change-log entry, strictly increasing.

    The change log keeps days only. An entry's instant is the one herald recorded for
    it when that instant falls on the entry's day (``published_at`` for the first entry;
    ``withdrawn_at`` or else ``updated_at`` for the last), otherwise midnight UTC of its
    day. An instant that would not come after the previous one becomes one second after
    it, so several entries on one day keep their order.
    """
    log = bulletin.changelog
    recorded: dict[int, datetime | None] = {0: bulletin.published_at}
    if len(log) > 1:
        last = bulletin.withdrawn_at if bulletin.status is Status.WITHDRAWN else None
        recorded[len(log) - 1] = last or bulletin.updated_at
    instants: list[datetime] = []
    for index, entry in enumerate(log):
        known = recorded.get(index)
        instant = midnight(entry.on)
        if known is not None and to_second(known).date() == entry.on:
            instant = to_second(known)
        if instants and instant <= instants[-1]:
            instant = instants[-1] + timedelta(seconds=1)
        instants.append(instant)
    return tuple(instants)


def sorted_keys(value: Any) -> Any:
    """``value`` with the keys of every object in alphabetical order (CSAF section 5.3)."""
    if isinstance(value, dict):
        return {key: sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [sorted_keys(item) for item in value]
    return value


def dump_json(document: dict[str, Any]) -> str:
    """Pretty JSON (two-space indent, keys sorted, UTF-8 text) ending with a newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _segment(text: str) -> str:
    return quote(text, safe="")
