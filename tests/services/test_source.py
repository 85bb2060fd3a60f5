"""Importing source files: all or nothing, audited, and respectful of published history."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from herald import demo
from herald.adapters.security import Argon2Hasher
from herald.domain import ChangeLogEntry, NotFound, RuleViolation, ValidationError
from herald.domain.accounts import Role, User
from herald.domain.bulletin import Bulletin, Fix, Status
from herald.domain.catalog import ChannelRef
from herald.domain.errors import Forbidden, InvalidTransition
from herald.domain.ids import ArticleId
from herald.services.actors import Actor
from herald.services.ports.unit_of_work import UnitOfWorkFactory
from herald.services.reading import ReadingService
from herald.services.source import ImportOptions, SourceService
from tests.demo_services import demo_items, source_service

DEMO = demo_items()
NOW = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


def _staff(username: str, *roles: Role) -> Actor:
    hashed = Argon2Hasher(cheap=True).hash("irrelevant password")
    return Actor.staff(User(username, username.title(), frozenset(roles), hashed))


def _audit(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str, str]]:
    """(actor, action, subject) of every audit entry, oldest first."""
    with uow_factory() as uow:
        entries = uow.audit.list(limit=1000)
    return [(e.actor, e.action, e.subject) for e in reversed(entries)]


def _stored(uow_factory: UnitOfWorkFactory, article_id: str = "CTX696397") -> Bulletin:
    return ReadingService(uow_factory).bulletin(article_id)


@pytest.fixture
def loaded(uow_factory: UnitOfWorkFactory) -> SourceService:
    source = source_service(uow_factory, FixedClock())
    source.import_items(DEMO)
    return source


def test_the_demo_imports_audited_and_exports_unchanged(uow_factory: UnitOfWorkFactory) -> None:
    source = source_service(uow_factory)
    report = source.import_items(DEMO)
    assert sorted(report.created) == ["bulletin:CTX696397", "product:xenserver", "publisher"]
    assert source.export_items() == DEMO
    assert _audit(uow_factory) == [
        ("cli", "publisher.import", "publisher"),
        ("cli", "product.import", "product:xenserver"),
        ("cli", "bulletin.import", "bulletin:CTX696397"),
    ]
    again = source.import_items(DEMO)
    assert again.created == again.updated == []
    assert len(again.unchanged) == 3
    assert len(_audit(uow_factory)) == 3


def test_bulletins_need_a_publisher(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFound, match="no publisher"):
        source_service(uow_factory).import_items(replace(DEMO, publisher=None))


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
        source_service(uow_factory).import_items(
            items, lambda key, field: f"{key}.yaml:{len(field)}"
        )
    assert caught.value.location == f"bulletin:CTX000003.yaml:{len('fixes[1]')}"
    assert caught.value.field == "fixes[1]"
    assert ReadingService(uow_factory).is_empty()
    assert _audit(uow_factory) == []


def test_a_published_bulletin_does_not_change_without_amend(
    loaded: SourceService, uow_factory: UnitOfWorkFactory
) -> None:
    original = demo.reference_bulletin()
    lowered = replace(
        original,
        severity="Low",
        changelog=(*original.changelog, ChangeLogEntry(date(2026, 4, 1), "Severity lowered")),
    )
    with pytest.raises(RuleViolation) as caught:
        loaded.import_items(replace(DEMO, bulletins=(lowered,)), lambda key, _f: f"{key}.yaml")
    assert caught.value.location == "bulletin:CTX696397.yaml"
    assert "CTX696397 is published; the file changes severity, changelog" in str(caught.value)
    assert "--amend" in str(caught.value)
    assert _stored(uow_factory) == original
    assert len(_audit(uow_factory)) == 3


def test_a_rewritten_change_log_is_refused_even_with_amend(
    loaded: SourceService, uow_factory: UnitOfWorkFactory
) -> None:
    original = demo.reference_bulletin()
    edited_log = replace(
        original,
        severity="High",
        changelog=(ChangeLogEntry(date(2026, 3, 25), "Initial Publication"),),
    )
    with pytest.raises(RuleViolation, match="never edited"):
        loaded.import_items(
            replace(DEMO, bulletins=(edited_log,)),
            options=ImportOptions(amend=True, summary="x"),
        )
    assert _stored(uow_factory) == original


def test_a_dry_run_reports_field_by_field_and_stores_nothing(
    loaded: SourceService, uow_factory: UnitOfWorkFactory
) -> None:
    original = demo.reference_bulletin()
    lowered = replace(original, severity="Low")
    report = loaded.import_items(
        replace(DEMO, bulletins=(lowered,)),
        options=ImportOptions(amend=True, summary="Severity lowered", dry_run=True),
    )
    assert report.dry_run
    (item,) = [i for i in report.items if i.key == "bulletin:CTX696397"]
    assert item.outcome == "amended" and item.fields == ("severity",)
    assert "-severity: Medium\n" in item.diff and "+severity: Low\n" in item.diff
    assert _stored(uow_factory) == original
    assert len(_audit(uow_factory)) == 3


def test_the_operator_amends_by_import_on_the_emergency_path(
    loaded: SourceService, uow_factory: UnitOfWorkFactory
) -> None:
    original = demo.reference_bulletin()
    lowered = replace(original, severity="Low")
    report = loaded.import_items(
        replace(DEMO, bulletins=(lowered,)),
        options=ImportOptions(amend=True, summary="Severity lowered to Low"),
    )
    assert report.updated == ["bulletin:CTX696397"]
    stored = _stored(uow_factory)
    assert (stored.severity, stored.revision) == ("Low", 2)
    assert stored.changelog[-1] == ChangeLogEntry(NOW.date(), "Severity lowered to Low")
    assert _audit(uow_factory)[3:] == [
        ("cli", "bulletin.amend", "bulletin:CTX696397"),
        ("cli", "bulletin.emergency", "bulletin:CTX696397"),
    ]
    with uow_factory() as uow:
        (step,) = uow.review.open_emergencies("CTX696397")
    assert step.taken_by == "cli"


def test_the_file_s_new_change_log_entry_is_the_summary(
    loaded: SourceService, uow_factory: UnitOfWorkFactory
) -> None:
    original = demo.reference_bulletin()
    entry = ChangeLogEntry(date(2026, 4, 1), "Title clarified")
    retitled = replace(original, title="A clearer title", changelog=(*original.changelog, entry))
    with pytest.raises(ValidationError) as caught:
        loaded.import_items(
            replace(DEMO, bulletins=(retitled,)),
            options=ImportOptions(amend=True, summary="Something else"),
        )
    assert caught.value.field == "--summary"
    loaded.import_items(replace(DEMO, bulletins=(retitled,)), options=ImportOptions(amend=True))
    stored = _stored(uow_factory)
    assert stored.changelog[-1] == entry and stored.title == "A clearer title"
    with uow_factory() as uow:
        assert uow.review.open_emergencies("CTX696397") == []  # editorial: no second person


def test_a_named_publisher_s_material_amendment_waits(
    loaded: SourceService, uow_factory: UnitOfWorkFactory
) -> None:
    original = demo.reference_bulletin()
    raised = replace(original, severity="Critical")
    report = loaded.import_items(
        replace(DEMO, bulletins=(raised,)),
        actor=_staff("pat", Role.PUBLISHER),
        options=ImportOptions(amend=True, summary="Severity raised"),
    )
    assert report.proposed == ["bulletin:CTX696397"] and report.updated == []
    assert _stored(uow_factory) == original
    with uow_factory() as uow:
        proposal = uow.review.proposal("CTX696397")
    assert proposal is not None and proposal.proposed_by == "pat"
    assert proposal.changed == ("severity",)
    assert _audit(uow_factory)[-1] == ("pat", "bulletin.propose_amend", "bulletin:CTX696397")


def test_a_file_may_withdraw_a_published_bulletin(
    loaded: SourceService, uow_factory: UnitOfWorkFactory
) -> None:
    original = demo.reference_bulletin()
    entry = ChangeLogEntry(date(2026, 4, 2), "Withdrawn: duplicate")
    withdrawn = replace(
        original,
        status=Status.WITHDRAWN,
        changelog=(*original.changelog, entry),
        withdrawn_at=datetime(2026, 4, 2, tzinfo=UTC),
    )
    report = loaded.import_items(
        replace(DEMO, bulletins=(withdrawn,)), options=ImportOptions(amend=True)
    )
    assert report.items[-1].outcome == "withdrawn"
    assert _stored(uow_factory).status is Status.WITHDRAWN
    assert ("cli", "bulletin.withdraw", "bulletin:CTX696397") in _audit(uow_factory)


def test_drafts_take_the_file_s_content_but_not_its_status(
    loaded: SourceService, uow_factory: UnitOfWorkFactory
) -> None:
    author = _staff("alice", Role.AUTHOR)
    draft = replace(
        demo.reference_bulletin(),
        article_id=ArticleId("CTX700001"),
        status=Status.DRAFT,
        changelog=(),
        published_at=None,
    )
    loaded.import_items(replace(DEMO, bulletins=(draft,)), actor=author)
    edited = replace(draft, title="Edited in the file")
    report = loaded.import_items(replace(DEMO, bulletins=(edited,)), actor=author)
    assert report.updated == ["bulletin:CTX700001"]
    assert _stored(uow_factory, "CTX700001").title == "Edited in the file"
    assert _audit(uow_factory)[-2:] == [
        ("alice", "bulletin.import", "bulletin:CTX700001"),
        ("alice", "bulletin.import", "bulletin:CTX700001"),
    ]
    approved = replace(edited, status=Status.APPROVED, approved_by="alice")
    with pytest.raises(InvalidTransition, match="only through the workflow"):
        loaded.import_items(replace(DEMO, bulletins=(approved,)), actor=author)
    assert _stored(uow_factory, "CTX700001").status is Status.DRAFT


def test_roles_limit_what_an_import_may_touch(
    loaded: SourceService, uow_factory: UnitOfWorkFactory
) -> None:
    author = _staff("alice", Role.AUTHOR)
    renamed = replace(DEMO.products[0], name="XenServer (renamed)")
    with pytest.raises(Forbidden):
        loaded.import_items(replace(DEMO, products=(renamed,), bulletins=()), actor=author)
    history = replace(demo.reference_bulletin(), article_id=ArticleId("CTX000002"))
    with pytest.raises(Forbidden):
        loaded.import_items(replace(DEMO, bulletins=(history,)), actor=author)
    publisher = _staff("pat", Role.PUBLISHER)
    with pytest.raises(Forbidden):  # publishing history needs an admin
        loaded.import_items(replace(DEMO, bulletins=(history,)), actor=publisher)
    assert len(_audit(uow_factory)) == 3
    report = loaded.import_items(replace(DEMO, products=(renamed,), bulletins=()), actor=publisher)
    assert report.updated == ["product:xenserver"]
    assert _audit(uow_factory)[-1] == ("pat", "product.import", "product:xenserver")


def test_article_ids_must_follow_the_pattern(uow_factory: UnitOfWorkFactory) -> None:
    odd = replace(demo.reference_bulletin(), article_id=ArticleId("KB-1"))
    with pytest.raises(ValidationError, match="not an article id"):
        source_service(uow_factory).import_items(replace(DEMO, bulletins=(odd,)))
