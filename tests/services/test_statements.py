"""Statements through the services: imported whole or not at all, URLs under the policy,
a change of status material, the dry run's diff showing them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from herald import demo
from herald.adapters.security import Argon2Hasher
from herald.adapters.source import SourceTextSerializer
from herald.domain import ValidationError, VersionRef
from herald.domain.accounts import Role, User
from herald.domain.bulletin import Bulletin, NoFix, Restart
from herald.domain.statements import BulletinKind, Justification, NotAffected
from herald.domain.urls import UrlPolicy
from herald.services.actors import Actor
from herald.services.ports.unit_of_work import UnitOfWorkFactory
from herald.services.reading import ReadingService
from herald.services.recording import Recorder
from herald.services.source import ImportOptions, SourceService
from tests.demo_services import demo_items, source_service

DEMO = demo_items()
NOW = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)
V84 = VersionRef(demo.XENSERVER, "8.4")


class FixedClock:
    def now(self) -> datetime:
        return NOW


def _publisher_named(username: str) -> Actor:
    hashed = Argon2Hasher(cheap=True).hash("irrelevant password")
    return Actor.staff(User(username, username.title(), frozenset({Role.PUBLISHER}), hashed))


def _locate(key: str, field: str) -> str:
    return f"{key}.yaml:{field}"


def _reference_with(**changes: object) -> Bulletin:
    bulletin = demo.reference_bulletin()
    return replace(bulletin, **changes)  # type: ignore[arg-type]


def test_a_vex_statement_imports_and_exports_unchanged(uow_factory: UnitOfWorkFactory) -> None:
    source = source_service(uow_factory, FixedClock())
    items = replace(DEMO, bulletins=(demo.reference_bulletin(), demo.vex_bulletin()))
    report = source.import_items(items)
    assert "bulletin:CTX696398" in report.created
    stored = ReadingService(uow_factory).bulletin("CTX696398")
    assert stored == demo.vex_bulletin()
    assert stored.kind is BulletinKind.VEX and stored.severity is None
    assert source.export_items().bulletins == (demo.reference_bulletin(), demo.vex_bulletin())


def test_a_justification_on_an_affected_version_is_refused_and_nothing_stored(
    uow_factory: UnitOfWorkFactory,
) -> None:
    statement = NotAffected(V84, Justification.COMPONENT_NOT_PRESENT, "Not shipped.")
    bad = _reference_with(not_affected=(statement,))
    with pytest.raises(ValidationError) as caught:
        source_service(uow_factory).import_items(replace(DEMO, bulletins=(bad,)), _locate)
    assert caught.value.field == "not_affected[0]"
    assert "listed as affected" in caught.value.reason
    assert caught.value.location == "bulletin:CTX696397.yaml:not_affected[0]"
    assert ReadingService(uow_factory).is_empty()


def test_under_investigation_on_a_preview_version_is_refused(
    uow_factory: UnitOfWorkFactory,
) -> None:
    bad = replace(demo.vex_bulletin(), under_investigation=(VersionRef(demo.XENSERVER, "9"),))
    with pytest.raises(ValidationError) as caught:
        source_service(uow_factory).import_items(replace(DEMO, bulletins=(bad,)), _locate)
    assert caught.value.field == "under_investigation[0]"
    assert "Public Preview" in caught.value.reason
    assert ReadingService(uow_factory).is_empty()


def test_a_remedy_url_must_be_https(uow_factory: UnitOfWorkFactory) -> None:
    first, second = demo.reference_bulletin().fixes
    plain_http = replace(second, url="http://docs.example.com/fix")
    bad = _reference_with(fixes=(first, plain_http))
    with pytest.raises(ValidationError) as caught:
        source_service(uow_factory).import_items(replace(DEMO, bulletins=(bad,)), _locate)
    assert caught.value.field == "fixes[1].url"
    assert "is not an https:// URL" in caught.value.reason
    assert caught.value.location == "bulletin:CTX696397.yaml:fixes[1].url"
    assert ReadingService(uow_factory).is_empty()


def test_http_remedy_urls_when_the_operator_allows_them(uow_factory: UnitOfWorkFactory) -> None:
    recorder = Recorder(SourceTextSerializer(), urls=UrlPolicy(allow_http=True))
    source = SourceService(uow_factory, FixedClock(), recorder, UrlPolicy(allow_http=True))
    first, second = demo.reference_bulletin().fixes
    fine = _reference_with(fixes=(first, replace(second, url="http://docs.example.com/fix")))
    source.import_items(replace(DEMO, bulletins=(fine,)))
    assert ReadingService(uow_factory).bulletin("CTX696397").fixes[1].url == (
        "http://docs.example.com/fix"
    )


def test_a_changed_status_is_material_and_waits_for_a_second_person(
    uow_factory: UnitOfWorkFactory,
) -> None:
    source = source_service(uow_factory, FixedClock())
    source.import_items(replace(DEMO, bulletins=(demo.vex_bulletin(),)))
    investigating = replace(demo.vex_bulletin(), not_affected=(), under_investigation=(V84,))
    report = source.import_items(
        replace(DEMO, bulletins=(investigating,)),
        actor=_publisher_named("pat"),
        options=ImportOptions(amend=True, summary="8.4 under investigation again"),
    )
    assert report.proposed == ["bulletin:CTX696398"]
    with uow_factory() as uow:
        proposal = uow.review.proposal("CTX696398")
    assert proposal is not None
    assert proposal.changed == ("not_affected", "under_investigation")
    assert proposal.content == investigating.content()
    assert ReadingService(uow_factory).bulletin("CTX696398") == demo.vex_bulletin()


def test_the_dry_run_diff_shows_the_new_remedy_fields(uow_factory: UnitOfWorkFactory) -> None:
    source = source_service(uow_factory, FixedClock())
    source.import_items(DEMO)
    first, second = demo.reference_bulletin().fixes
    restarting = _reference_with(
        fixes=(replace(first, restart=Restart.MACHINE), replace(second, mitigation="Meanwhile."))
    )
    report = source.import_items(
        replace(DEMO, bulletins=(restarting,)),
        options=ImportOptions(amend=True, summary="Restart noted", dry_run=True),
    )
    (item,) = [i for i in report.items if i.key == "bulletin:CTX696397"]
    assert item.fields == ("fixes",)
    assert "+    restart: machine\n" in item.diff
    assert "+    mitigation: |-\n+      Meanwhile.\n" in item.diff
    assert ReadingService(uow_factory).bulletin("CTX696397") == demo.reference_bulletin()


def test_no_fix_planned_with_a_workaround_is_a_draft_remedy(
    uow_factory: UnitOfWorkFactory,
) -> None:
    source = source_service(uow_factory, FixedClock())
    source.import_items(DEMO)
    first, second = demo.reference_bulletin().fixes
    draft = replace(
        demo.reference_bulletin(),
        article_id=demo.VEX_ID,
        status=demo.reference_bulletin().status.DRAFT,
        changelog=(),
        published_at=None,
        not_covered=(),
        fixes=(
            first,
            replace(
                second,
                release=None,
                no_fix=NoFix.NO_FIX_PLANNED,
                no_fix_reason="Normal moves to 8.5.",
                workaround="Switch the host to Early Access.",
            ),
        ),
    )
    source.import_items(replace(DEMO, bulletins=(draft,)))
    stored = ReadingService(uow_factory).bulletin(demo.VEX_ID)
    assert stored.fixes[1].no_fix is NoFix.NO_FIX_PLANNED
    assert stored.fixes[1].workaround == "Switch the host to Early Access."
