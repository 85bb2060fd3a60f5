"""Importing source files is all or nothing, and keeps the change-log rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from herald import demo
from herald.domain import ChangeLogEntry, NotFound, RuleViolation, ValidationError
from herald.domain.bulletin import Fix
from herald.domain.catalog import ChannelRef
from herald.domain.ids import ArticleId
from herald.services.ports import UnitOfWorkFactory
from herald.services.reading import ReadingService
from herald.services.source import SourceService
from tests.demo_services import demo_items

DEMO = demo_items()


def test_the_demo_imports_and_exports_unchanged(uow_factory: UnitOfWorkFactory) -> None:
    source = SourceService(uow_factory)
    report = source.import_items(DEMO)
    assert sorted(report.created) == ["bulletin:CTX696397", "product:xenserver", "publisher"]
    assert source.export_items() == DEMO
    again = source.import_items(DEMO)
    assert again.created == again.updated == []
    assert len(again.unchanged) == 3


def test_bulletins_need_a_publisher(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFound, match="no publisher"):
        SourceService(uow_factory).import_items(replace(DEMO, publisher=None))


def test_one_bad_bulletin_stores_nothing(uow_factory: UnitOfWorkFactory) -> None:
    good = replace(demo.reference_bulletin(), article_id=ArticleId("CTX000002"))
    bad_fix = Fix(ChannelRef(demo.XENSERVER, "8.4", "Normal"), release="no-such-release")
    bad = replace(
        demo.reference_bulletin(),
        article_id=ArticleId("CTX000003"),
        fixes=(demo.reference_bulletin().fixes[0], bad_fix),
    )
    items = replace(DEMO, bulletins=(good, bad))
    with pytest.raises(ValidationError) as caught:
        SourceService(uow_factory).import_items(
            items, lambda key, field: f"{key}.yaml:{len(field)}"
        )
    assert caught.value.location == f"bulletin:CTX000003.yaml:{len('fixes[1]')}"
    assert caught.value.field == "fixes[1]"
    assert ReadingService(uow_factory).is_empty()


def test_an_import_cannot_rewrite_a_published_change_log(uow_factory: UnitOfWorkFactory) -> None:
    source = SourceService(uow_factory)
    source.import_items(DEMO)
    original = demo.reference_bulletin()
    edited_log = replace(
        original, changelog=(ChangeLogEntry(date(2026, 3, 25), "Initial Publication"),)
    )
    silent_change = replace(original, severity="High")
    for tampered in (edited_log, silent_change):
        with pytest.raises(RuleViolation):
            source.import_items(replace(DEMO, bulletins=(tampered,)))
    assert ReadingService(uow_factory).bulletin("CTX696397") == original


def test_an_import_may_carry_an_amendment(uow_factory: UnitOfWorkFactory) -> None:
    source = SourceService(uow_factory)
    source.import_items(DEMO)
    original = demo.reference_bulletin()
    amended = replace(
        original,
        severity="High",
        changelog=(*original.changelog, ChangeLogEntry(date(2026, 4, 1), "Severity raised")),
    )
    report = source.import_items(replace(DEMO, bulletins=(amended,)))
    assert report.updated == ["bulletin:CTX696397"]
    assert ReadingService(uow_factory).bulletin("CTX696397").revision == 2


def test_article_ids_must_follow_the_pattern(uow_factory: UnitOfWorkFactory) -> None:
    odd = replace(demo.reference_bulletin(), article_id=ArticleId("KB-1"))
    with pytest.raises(ValidationError, match="not an article id"):
        SourceService(uow_factory).import_items(replace(DEMO, bulletins=(odd,)))
