"""Atom 1.0 and RSS 2.0 feeds of bulletins, built with feedgen (lxml underneath).

One entry per bulletin, identified by its page URL, so a bulletin that changes keeps
its entry: the entry's ``updated`` (Atom) or ``pubDate`` (RSS) moves to the change
and its summary leads with the newest change-log line. A withdrawn bulletin's title
and summary say so. Given the same bulletins, the bytes are the same (no "now"
anywhere), so a hash of them is a sound ETag. ``docs/feeds.md`` describes the feeds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from markupsafe import Markup, escape

from herald import __version__
from herald.adapters.formats.html import markdown_to_html
from herald.domain.bulletin import Bulletin, Status
from herald.domain.document import BulletinDocument

ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
RSS_MEDIA_TYPE = "application/rss+xml; charset=utf-8"
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)
"""The ``updated`` of a feed without entries (a fixed instant keeps its bytes stable)."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FeedEntry:
    """One bulletin in a feed, with its absolute links."""

    bulletin: Bulletin
    """The public bulletin (its instants)."""
    document: BulletinDocument
    """What readers see of it."""
    url: str
    """Its page; also the entry's id (Atom) and permalink guid (RSS)."""
    json_url: str
    """Its JSON in the API (named in the HTML content)."""

    @property
    def withdrawn(self) -> bool:
        return self.document.status is Status.WITHDRAWN

    @property
    def published(self) -> datetime:
        return _utc(self.bulletin.published_at or self.bulletin.updated_at)

    @property
    def updated(self) -> datetime:
        return _utc(self.bulletin.updated_at)

    @property
    def title(self) -> str:
        prefix = "[Withdrawn] " if self.withdrawn else ""
        return f"{prefix}{self.document.article_id}: {self.document.title}"

    @property
    def latest_change(self) -> str:
        """'Revision 2 (2026-04-02): Added the fix for 8.4 Normal', or the withdrawal."""
        if not self.document.changelog:
            return ""
        entry = self.document.changelog[-1]
        if self.withdrawn:
            return f"Withdrawn on {entry.on.isoformat()}: {entry.summary}"
        return f"Revision {self.document.revision} ({entry.on.isoformat()}): {entry.summary}"

    def summary(self) -> str:
        """Plain text: the latest change, the severity and CVE ids, what is affected."""
        document = self.document
        change = self.latest_change
        facts = [change if not change or change.endswith((".", "!", "?")) else f"{change}."]
        if document.severity:
            facts.append(f"Severity: {document.severity}.")
        if document.cves:
            facts.append(f"{', '.join(document.cves)}.")
        facts.append(document.affected_statement)
        return " ".join(fact for fact in facts if fact)

    def content(self) -> str:
        """HTML: the summary's facts and the problem (Markdown, sanitised)."""
        document = self.document
        parts = [Markup("<p><strong>{}</strong></p>").format(self.latest_change)]
        facts = [f"Severity: {document.severity}"] if document.severity else []
        facts.extend(document.cves)
        if facts:
            parts.append(Markup("<p>{}</p>").format(" · ".join(facts)))
        parts.append(markdown_to_html(document.problem))
        parts.append(Markup("<p>{}</p>").format(document.affected_statement))
        parts.append(
            Markup('<p><a href="{}">Read the bulletin</a> (<a href="{}">JSON</a>)</p>').format(
                self.url, self.json_url
            )
        )
        return str(Markup("\n").join(escape(part) for part in parts))


@dataclass(frozen=True)
class Feed:
    """A feed: its own URL, the page it mirrors and its entries (newest change first)."""

    title: str
    """E.g. "Citrix security bulletins: XenServer"."""
    description: str
    """One sentence on what it carries."""
    url: str
    """The feed's own URL; also its id."""
    site_url: str
    """The HTML page the feed mirrors."""
    author: str
    """The publisher's name."""
    entries: Sequence[FeedEntry]
    """In order, newest change first."""

    @property
    def updated(self) -> datetime:
        return max((entry.updated for entry in self.entries), default=EMPTY_FEED_UPDATED)


def render_atom(feed: Feed) -> bytes:
    """The feed as an Atom 1.0 document (UTF-8)."""
    generator = _generator(feed, "atom")
    for item in feed.entries:
        entry = generator.add_entry(order="append")
        entry.id(item.url)
        entry.title(_xml(item.title))
        # One link: feedgen 1.0 drops rel and type from entry links, so a second
        # (the JSON) would read as another alternate page.
        entry.link(href=item.url, rel="alternate", type="text/html")
        entry.published(item.published)
        entry.updated(item.updated)
        entry.summary(_xml(item.summary()))
        entry.content(_xml(item.content()), type="html")
        for term in _categories(item):
            entry.category(term=_xml(term))
    return bytes(generator.atom_str(pretty=True))


def render_rss(feed: Feed) -> bytes:
    """The feed as an RSS 2.0 document (UTF-8); ``pubDate`` is the entry's last change."""
    generator = _generator(feed, "rss")
    for item in feed.entries:
        entry = generator.add_entry(order="append")
        entry.guid(item.url, permalink=True)
        entry.title(_xml(item.title))
        entry.link(href=item.url)
        entry.pubDate(item.updated)
        entry.description(_xml(item.summary()))
        entry.content(_xml(item.content()))
        for term in _categories(item):
            entry.category(term=_xml(term))
    return bytes(generator.rss_str(pretty=True))


def _generator(feed: Feed, kind: str) -> FeedGenerator:
    generator = FeedGenerator()
    generator.id(feed.url)
    generator.title(_xml(feed.title))
    generator.author({"name": _xml(feed.author)})
    if kind == "atom":
        generator.link(href=feed.site_url, rel="alternate", type="text/html")
        generator.link(href=feed.url, rel="self", type="application/atom+xml")
        generator.subtitle(_xml(feed.description))
    else:
        generator.link(href=feed.url, rel="self", type="application/rss+xml")
        generator.link(href=feed.site_url, rel="alternate")
        generator.description(_xml(feed.description))
    generator.language("en")
    generator.generator("herald", version=__version__)
    generator.updated(feed.updated)
    return generator


def _categories(item: FeedEntry) -> list[str]:
    terms = [item.document.severity] if item.document.severity else []
    terms.extend(item.document.cves)
    if item.withdrawn:
        terms.append("withdrawn")
    return terms


def _xml(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (lxml refuses them)."""
    return _NOT_XML.sub("", text)


def _utc(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
