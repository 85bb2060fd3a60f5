"""The alert rules: which change makes which event, materiality, matching, backoff."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from herald import demo
from herald.domain.alerts import (
    AlertEvent,
    AlertFilter,
    EventKind,
    RetryPolicy,
    SubscriberGroup,
    event_for,
    idempotency_key,
    parse_email,
)
from herald.domain.bulletin import Bulletin, BulletinContent, ChangeLogEntry, Fix, Status
from herald.domain.catalog import ChannelRef, VersionRef
from herald.domain.errors import ValidationError
from herald.domain.ids import CveId, ProductId

XENSERVER = ProductId("xenserver")
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
SCALE = ("Critical", "High", "Medium", "Low")


def published() -> Bulletin:
    return demo.reference_bulletin()


def amended(**content: object) -> tuple[Bulletin, Bulletin]:
    before = published()
    changed: BulletinContent = replace(before.content(), **content)  # type: ignore[arg-type]
    after = replace(
        before.with_content(changed, NOW),
        changelog=(*before.changelog, ChangeLogEntry(date(2026, 11, 2), "Changed")),
    )
    return before, after


def test_publication_and_release_make_a_published_event() -> None:
    draft = replace(published(), status=Status.SCHEDULED, changelog=())
    event = event_for(draft, published(), "e" * 32, NOW)
    assert event is not None and event.kind is EventKind.PUBLISHED
    assert event.versions == ("xenserver:8.4",)
    assert event.entry_summary == "Initial Publication"


def test_drafts_and_unpublished_steps_make_no_event() -> None:
    draft = replace(published(), status=Status.DRAFT, changelog=())
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED):
        assert event_for(draft, replace(draft, status=status), "e" * 32, NOW) is None
    assert event_for(None, draft, "e" * 32, NOW) is None


@pytest.mark.parametrize(
    ("change", "material"),
    [
        ({"severity": "High"}, True),
        ({"cves": (CveId("CVE-2026-4397"), CveId("CVE-2026-4398"))}, True),
        ({"affected": (VersionRef(XENSERVER, "8.4"), VersionRef(XENSERVER, "9"))}, True),
        ({"fixes": (Fix(ChannelRef(XENSERVER, "8.4", "Normal"), mitigation="Wait."),)}, True),
        ({"title": "A better title"}, False),
        ({"problem": "Reworded."}, False),
    ],
)
def test_a_modification_is_material_when_it_changes_severity_versions_fixes_or_cves(
    change: dict[str, object], material: bool
) -> None:
    before, after = amended(**change)
    event = event_for(before, after, "e" * 32, NOW)
    assert event is not None and event.kind is EventKind.MODIFIED
    assert event.entry_summary == "Changed"
    assert event.material is material
    assert set(event.changed) == set(change)


def test_a_withdrawal_makes_a_withdrawn_event() -> None:
    before = published()
    after = replace(
        before,
        status=Status.WITHDRAWN,
        changelog=(*before.changelog, ChangeLogEntry(date(2026, 11, 2), "Withdrawn: dup")),
    )
    event = event_for(before, after, "e" * 32, NOW)
    assert event is not None and event.kind is EventKind.WITHDRAWN
    assert event.entry_summary == "Withdrawn: dup"


def event(**fields: object) -> AlertEvent:
    base = AlertEvent(
        id="e" * 32,
        kind=EventKind.PUBLISHED,
        at=NOW,
        article_id="CTX1",
        severity="Medium",
        versions=("xenserver:8.4",),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("alert_filter", "wanted"),
    [
        (AlertFilter(), True),
        (AlertFilter(products=("xenserver",)), True),
        (AlertFilter(products=("citrix-hypervisor",)), False),
        (AlertFilter(versions=("xenserver:8.4",)), True),
        (AlertFilter(versions=("xenserver:9",)), False),
        (AlertFilter(minimum_severity="Medium"), True),
        (AlertFilter(minimum_severity="High"), False),
        (AlertFilter(minimum_severity="Low"), True),
    ],
)
def test_filters(alert_filter: AlertFilter, wanted: bool) -> None:
    assert alert_filter.matches(event(), SCALE) is wanted


def test_editorial_modifications_reach_only_those_who_asked() -> None:
    editorial = event(kind=EventKind.MODIFIED, material=False, changed=("title",))
    assert not AlertFilter().matches(editorial, SCALE)
    assert AlertFilter(editorial=True).matches(editorial, SCALE)
    material = replace(editorial, material=True, changed=("severity",))
    assert AlertFilter().matches(material, SCALE)


def test_a_bulletin_without_severity_reaches_only_filters_without_a_minimum() -> None:
    assert AlertFilter().matches(event(severity=None), SCALE)
    assert not AlertFilter(minimum_severity="Low").matches(event(severity=None), SCALE)


@pytest.mark.parametrize(
    "text", ["", "no-at-sign", "a@b", "a@-b.example", "two@@example.com", "x" * 250 + "@e.com"]
)
def test_bad_addresses_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="email"):
        parse_email(text)


def test_addresses_are_one_subscription_whatever_their_case() -> None:
    assert parse_email(" Bob@Example.COM ") == "bob@example.com"


def test_bad_filters_and_groups_are_refused() -> None:
    with pytest.raises(ValidationError, match="versions"):
        AlertFilter(versions=("xenserver",))
    with pytest.raises(ValidationError, match="products"):
        AlertFilter(products=tuple(f"p{n}" for n in range(201)))
    with pytest.raises(ValidationError, match="group"):
        SubscriberGroup("Not A Name", "Title")


def test_idempotency_keys_have_no_dots() -> None:
    assert "." not in idempotency_key("e" * 32, 12345)


@given(attempts=st.integers(min_value=1, max_value=60), seed=st.integers(0, 2**32))
def test_backoff_grows_with_jitter_and_stays_under_the_cap(attempts: int, seed: int) -> None:
    policy = RetryPolicy()
    delay = policy.next_attempt(attempts, NOW, rng=random.Random(seed)) - NOW
    full = min(policy.base * 2 ** min(attempts - 1, 30), policy.cap)
    assert full / 2 <= delay <= full


def test_retry_after_is_honoured_and_the_maximum_age_gives_up() -> None:
    policy = RetryPolicy()
    assert policy.next_attempt(1, NOW, retry_after=600) - NOW >= timedelta(seconds=600)
    assert not policy.expired(NOW, NOW + timedelta(hours=71))
    assert policy.expired(NOW, NOW + timedelta(hours=72))
