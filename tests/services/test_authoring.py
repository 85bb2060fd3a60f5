"""Authoring use cases on SQLite and PostgreSQL: each call is one transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from herald import demo
from herald.adapters.source import SourceTextSerializer
from herald.domain import (
    Conflict,
    CveId,
    InvalidTransition,
    NotFound,
    RuleViolation,
    Status,
    ValidationError,
)
from herald.services.authoring import AuthoringService
from herald.services.ports.unit_of_work import UnitOfWorkFactory
from herald.services.reading import ReadingService
from tests.demo_services import demo_items, source_service

NOW = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


@pytest.fixture
def loaded(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    source_service(uow_factory).import_items(demo_items())
    return uow_factory


def test_a_draft_gets_the_next_article_id(loaded: UnitOfWorkFactory) -> None:
    authoring = AuthoringService(loaded, FixedClock(), SourceTextSerializer())
    first = authoring.create_draft(demo.reference_content())
    second = authoring.create_draft(demo.reference_content())
    assert (first.article_id, second.article_id) == ("CTX696398", "CTX696399")
    assert first.status is Status.DRAFT
    assert ReadingService(loaded).bulletin("CTX696398") == first


def test_article_ids_follow_the_publisher_pattern_and_are_unique(
    loaded: UnitOfWorkFactory,
) -> None:
    authoring = AuthoringService(loaded, FixedClock(), SourceTextSerializer())
    with pytest.raises(ValidationError, match="CTX followed by 6 digits"):
        authoring.create_draft(demo.reference_content(), "KB12")
    with pytest.raises(Conflict):
        authoring.create_draft(demo.reference_content(), "CTX696397")


def test_publish_amend_withdraw_through_the_database(loaded: UnitOfWorkFactory) -> None:
    authoring = AuthoringService(loaded, FixedClock(), SourceTextSerializer())
    reading = ReadingService(loaded)
    draft = authoring.create_draft(demo.reference_content(), "CTX700001")
    published = authoring.publish(draft.article_id)
    assert published.changelog[0].on == NOW.date()
    content = replace(published.content(), cves=(*published.cves, CveId("CVE-2026-4398")))
    amended = authoring.amend(
        draft.article_id, content, "Added CVE-2026-4398", on=date(2026, 11, 2)
    ).bulletin
    assert reading.bulletin(draft.article_id) == amended
    assert amended.revision == 2
    withdrawn = authoring.withdraw(draft.article_id, "Withdrawn: duplicate of CTX696397").bulletin
    stored = reading.bulletin(draft.article_id)
    assert stored == withdrawn
    assert stored.status is Status.WITHDRAWN
    assert [e.summary for e in stored.changelog] == [
        "Initial Publication",
        "Added CVE-2026-4398",
        "Withdrawn: duplicate of CTX696397",
    ]


def test_a_refused_step_changes_nothing(loaded: UnitOfWorkFactory) -> None:
    authoring = AuthoringService(loaded, FixedClock(), SourceTextSerializer())
    reading = ReadingService(loaded)
    before = reading.bulletin("CTX696397")
    with pytest.raises(RuleViolation):
        authoring.amend("CTX696397", replace(before.content(), cves=()), "Removed the CVE")
    with pytest.raises(InvalidTransition):
        authoring.publish("CTX696397")
    with pytest.raises(InvalidTransition, match="never deleted"):
        authoring.delete_draft("CTX696397")
    with pytest.raises(NotFound):
        authoring.withdraw("CTX000001", "x")
    assert reading.bulletin("CTX696397") == before


def test_drafts_can_be_edited_and_deleted(loaded: UnitOfWorkFactory) -> None:
    authoring = AuthoringService(loaded, FixedClock(), SourceTextSerializer())
    draft = authoring.create_draft(replace(demo.reference_content(), severity=None))
    edited = authoring.edit_draft(draft.article_id, demo.reference_content())
    assert ReadingService(loaded).bulletin(draft.article_id).severity == "Medium" == edited.severity
    authoring.delete_draft(draft.article_id)
    with pytest.raises(NotFound):
        ReadingService(loaded).bulletin(draft.article_id)


def test_the_reference_document_reads_back_from_storage(loaded: UnitOfWorkFactory) -> None:
    document = ReadingService(loaded).document("CTX696397")
    assert document.updated_on == date(2026, 3, 24)
    assert document.not_covered_notes[0].startswith("(Note that XenServer 9 is in Public Preview")
