"""Catalog editing on SQLite and PostgreSQL: each change is one transaction with one
audit entry, checked against the actor's roles; a refused change changes nothing."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest

from herald import demo
from herald.adapters.source import SourceTextSerializer
from herald.domain.accounts import Role, User
from herald.domain.audit import AuditEntry
from herald.domain.catalog import Catalog, Component, Lifecycle
from herald.domain.catalog_editing import with_channel
from herald.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from herald.services.actors import Actor
from herald.services.catalog import CatalogService
from herald.services.ports.unit_of_work import UnitOfWorkFactory

NOW = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)
CAROL = Actor.staff(User("carol", "Carol Publisher", frozenset({Role.PUBLISHER}), ""))
ALICE = Actor.staff(User("alice", "Alice Author", frozenset({Role.AUTHOR}), ""))


class FixedClock:
    def now(self) -> datetime:
        return NOW


@pytest.fixture
def loaded(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The demo publisher, catalog and CTX696397, stored directly (no audit entries)."""
    with uow_factory() as uow:
        uow.publisher.save(demo.publisher())
        for product in demo.catalog().products:
            uow.catalog.save_product(product)
        uow.bulletins.add(demo.reference_bulletin())
        uow.commit()
    return uow_factory


@pytest.fixture
def catalog(loaded: UnitOfWorkFactory) -> CatalogService:
    return CatalogService(loaded, FixedClock(), SourceTextSerializer())


def _stored(uow_factory: UnitOfWorkFactory) -> Catalog:
    with uow_factory() as uow:
        return uow.catalog.load()


def _audit(uow_factory: UnitOfWorkFactory) -> list[AuditEntry]:
    with uow_factory() as uow:
        return list(uow.audit.list(subject=None, limit=100, before_id=None))


def test_a_fixed_release_is_added_to_a_channel_with_one_audit_entry(
    catalog: CatalogService, loaded: UnitOfWorkFactory
) -> None:
    catalog.add_release(
        "xenserver",
        "8.4",
        "Normal",
        "8.4.2026-11-02",
        "2026-11-02",
        "xen-hypervisor 4.17.5-21\nxapi 25.1.0",
        actor=CAROL,
    )
    channel = _stored(loaded).product("xenserver").version("8.4").channel("Normal")
    assert [r.name for r in channel.releases] == ["8.4.2026-03-24", "8.4.2026-11-02"]
    added = channel.release("8.4.2026-11-02")
    assert added.released_on == date(2026, 11, 2)
    assert added.components == (
        Component("xen-hypervisor", "4.17.5-21"),
        Component("xapi", "25.1.0"),
    )
    [entry] = [e for e in _audit(loaded) if e.action.startswith("catalog.")]
    assert (entry.actor, entry.action, entry.subject, entry.at) == (
        "carol",
        "catalog.release.add",
        "product:xenserver",
        NOW,
    )
    assert entry.before is not None and entry.after is not None
    assert "8.4.2026-11-02" not in entry.before
    assert "8.4.2026-11-02" in entry.after and "xapi" in entry.after


def test_each_kind_of_change_is_stored_and_audited(
    catalog: CatalogService, loaded: UnitOfWorkFactory
) -> None:
    catalog.add_product("xenapp", "XenApp", "https://docs.example.com/update", actor=CAROL)
    catalog.change_product("xenapp", "XenApp and XenDesktop", "", actor=CAROL)
    catalog.add_version("xenapp", "2402", "preview", "Tech Preview", actor=CAROL)
    catalog.change_version("xenapp", "2402", Lifecycle.SUPPORTED, "", actor=CAROL)
    catalog.add_channel("xenapp", "2402", "LTSR", actor=CAROL)
    catalog.add_release("xenapp", "2402", "LTSR", "2402 CU1", date(2026, 10, 1), actor=CAROL)
    catalog.change_release(
        "xenapp", "2402", "LTSR", "2402 CU1", "2026-10-02", "vda 2402.1", actor=CAROL
    )
    catalog.change_version("xenserver", "9", "end_of_life", "", actor=CAROL)

    stored = _stored(loaded)
    product = stored.product("xenapp")
    assert (product.name, product.update_instructions_url) == ("XenApp and XenDesktop", None)
    version = product.version("2402")
    assert (version.lifecycle, version.lifecycle_label) == (Lifecycle.SUPPORTED, None)
    release = version.channel("LTSR").release("2402 CU1")
    assert release.released_on == date(2026, 10, 2)
    assert release.components == (Component("vda", "2402.1"),)
    nine = stored.product("xenserver").version("9")
    assert (nine.lifecycle, nine.state_label) == (Lifecycle.END_OF_LIFE, "End of Life")
    assert [p.id for p in stored.products] == ["xenserver", "xenapp"]

    entries = [e for e in reversed(_audit(loaded)) if e.action.startswith("catalog.")]
    assert [(e.action, e.subject) for e in entries] == [
        ("catalog.product.add", "product:xenapp"),
        ("catalog.product.change", "product:xenapp"),
        ("catalog.version.add", "product:xenapp"),
        ("catalog.version.change", "product:xenapp"),
        ("catalog.channel.add", "product:xenapp"),
        ("catalog.release.add", "product:xenapp"),
        ("catalog.release.change", "product:xenapp"),
        ("catalog.version.change", "product:xenserver"),
    ]
    assert entries[0].before is None and entries[0].after is not None
    assert "lifecycle: preview" in (entries[3].before or "")
    assert "lifecycle: supported" in (entries[3].after or "")


def test_a_change_that_changes_nothing_writes_no_entry(
    catalog: CatalogService, loaded: UnitOfWorkFactory
) -> None:
    before = _audit(loaded)
    catalog.change_version("xenserver", "8.4", "supported", "", actor=CAROL)
    assert _audit(loaded) == before


def test_an_author_may_not_change_the_catalog(
    catalog: CatalogService, loaded: UnitOfWorkFactory
) -> None:
    before, entries = _stored(loaded), _audit(loaded)
    with pytest.raises(Forbidden, match="alice may not manage catalog"):
        catalog.add_release("xenserver", "8.4", "Normal", "x", "2026-11-02", actor=ALICE)
    with pytest.raises(Forbidden):
        catalog.add_product("other", "Other", actor=ALICE)
    with pytest.raises(Forbidden):
        catalog.change_version("xenserver", "9", "supported", actor=ALICE)
    assert _stored(loaded) == before and _audit(loaded) == entries


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda c: c.add_product("XenServer!", "X"), "id", "is not a product id"),
        (lambda c: c.add_product("other", "  "), "name", "must not be empty"),
        (
            lambda c: c.add_product("other", "Other", "ftp://x"),
            "update_instructions_url",
            "is not an http(s) URL",
        ),
        (lambda c: c.change_product("xenserver", ""), "name", "must not be empty"),
        (lambda c: c.add_version("xenserver", "", "supported"), "name", "must not be empty"),
        (
            lambda c: c.add_version("xenserver", "8.4", "supported"),
            "name",
            "XenServer has a version '8.4' already",
        ),
        (
            lambda c: c.add_version("xenserver", "10", "beta"),
            "lifecycle",
            "'beta' is not a lifecycle state",
        ),
        (
            lambda c: c.change_version("xenserver", "7.1", "supported"),
            "version",
            "XenServer has no version '7.1'",
        ),
        (
            lambda c: c.add_channel("xenserver", "8.4", "Normal"),
            "name",
            "has a channel 'Normal' already",
        ),
        (
            lambda c: c.add_release("xenserver", "9", "Normal", "9.0.1", "2026-11-02"),
            "channel",
            "XenServer 9 has no channel 'Normal'",
        ),
        (
            lambda c: c.add_release("xenserver", "8.4", "Normal", "8.4.x", "2026-13-01"),
            "released_on",
            "'2026-13-01' is not a date",
        ),
        (
            lambda c: c.add_release("xenserver", "8.4", "Normal", "8.4.2026-03-24", "2026-11-02"),
            "name",
            "has a release '8.4.2026-03-24' already",
        ),
        (
            lambda c: c.add_release("xenserver", "8.4", "Normal", "8.4.x", "2026-11-02", "xapi"),
            "components",
            "line 1",
        ),
        (
            lambda c: c.change_release("xenserver", "8.4", "Normal", "nope", "2026-11-02"),
            "release",
            "has no release 'nope'",
        ),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    catalog: CatalogService,
    loaded: UnitOfWorkFactory,
    change: Callable[[CatalogService], object],
    field: str,
    message: str,
) -> None:
    before, entries = _stored(loaded), _audit(loaded)
    with pytest.raises(ValidationError, match=re.escape(message)) as raised:
        change(catalog)
    assert raised.value.field == field
    assert _stored(loaded) == before and _audit(loaded) == entries


def test_unknown_and_taken_product_ids(catalog: CatalogService, loaded: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFound, match="no product 'nope'"):
        catalog.add_version("nope", "1", "supported")
    with pytest.raises(Conflict, match="there is a product 'xenserver' already"):
        catalog.add_product("xenserver", "XenServer again")
    assert _stored(loaded) == demo.catalog()


def test_a_change_waits_for_another_change_to_the_product(
    catalog: CatalogService, loaded: UnitOfWorkFactory
) -> None:
    """Each change reads, edits and saves the whole product, so two changes to one product
    take turns: the second starts from what the first stored, and neither is lost."""
    with loaded() as uow:
        uow.catalog.lock_product("xenserver")
        first = uow.catalog.load().product("xenserver")
        with ThreadPoolExecutor(1) as pool:
            second = pool.submit(
                catalog.add_release,
                "xenserver",
                "8.4",
                "Normal",
                "8.4.2026-11-02",
                "2026-11-02",
                actor=CAROL,
            )
            time.sleep(0.5)
            assert not second.done(), "the second change did not wait"
            uow.catalog.save_product(with_channel(first, "8.4", "Extended"))
            uow.commit()
            second.result(timeout=30)
    version = _stored(loaded).product("xenserver").version("8.4")
    assert [c.name for c in version.channels] == ["Early Access", "Normal", "Extended"]
    assert [r.name for r in version.channel("Normal").releases][-1] == "8.4.2026-11-02"
