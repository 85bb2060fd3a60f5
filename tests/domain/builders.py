"""Small builders of valid domain objects for the domain tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from herald import demo
from herald.domain import Bulletin, BulletinContent, CveId
from herald.domain.ids import ArticleId
from herald.domain.workflow import new_draft, publish

DAY = date(2026, 3, 24)
NOON = datetime(2026, 3, 24, 12, 0, tzinfo=UTC)


def draft(**changes: object) -> Bulletin:
    """A valid, publishable draft about XenServer 8.4; keyword arguments change its content."""
    content = replace(demo.reference_content(), **changes)  # type: ignore[arg-type]
    return new_draft(ArticleId("CTX100001"), content, demo.catalog(), demo.publisher(), NOON)


def published(**changes: object) -> Bulletin:
    return publish(draft(**changes), demo.catalog(), demo.publisher(), DAY, NOON)


def content(**changes: object) -> BulletinContent:
    return replace(demo.reference_content(), **changes)  # type: ignore[arg-type]


CVE_A = CveId("CVE-2026-4397")
CVE_B = CveId("CVE-2026-4398")
