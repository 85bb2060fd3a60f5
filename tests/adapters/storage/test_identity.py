"""Components and identifiers, stored and read back (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from herald import demo
from herald.adapters.storage import Database, SqlUnitOfWork
from herald.adapters.storage.tables.base import Base
from herald.adapters.storage.tables.identity import (
    ComponentIdentifierRow,
    ProductComponentRow,
    ReleaseIdentifierRow,
    VersionIdentifierRow,
)
from herald.domain import (
    Catalog,
    ComponentKind,
    FileHash,
    HashAlgorithm,
    Product,
    ProductComponent,
    ProductIdentity,
)
from herald.domain.catalog import CatalogReferences, public_catalog
from tests import strategies

UowFactory = Callable[[], SqlUnitOfWork]

ISO_HASH = FileHash(HashAlgorithm.SHA256, "ab" * 32, "XenServer-8.4.iso")
FULL = ProductIdentity(
    cpe="cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*",
    purls=("pkg:generic/xenserver@8.4", "pkg:rpm/xenserver/xenserver-release@8.4.0"),
    hashes=(ISO_HASH, FileHash(HashAlgorithm.SHA512, "cd" * 64, "XenServer-8.4.iso")),
    model_numbers=("XS-84",),
    skus=("XS-84-STD", "XS-84-PREM"),
    serial_numbers=("SN-1",),
    sbom_urls=("https://downloads.example.com/xenserver-8.4.spdx.json",),
)


def _save(uow_factory: UowFactory, *products: Product) -> None:
    with uow_factory() as uow:
        for product in products:
            uow.catalog.save_product(product)
        uow.commit()


def _load(uow_factory: UowFactory) -> Catalog:
    with uow_factory() as uow:
        return uow.catalog.load()


def _with_identities(product: Product) -> Product:
    """The demo product with every kind of identifier on 8.4 and on a release."""
    version = product.version("8.4")
    normal = version.channel("Normal")
    release = replace(
        normal.releases[0], identity=ProductIdentity(purls=("pkg:generic/xenserver@8.4.1",))
    )
    channels = tuple(
        replace(c, releases=(release,)) if c.name == "Normal" else c for c in version.channels
    )
    changed = replace(version, identity=FULL, channels=channels)
    return replace(
        product, versions=tuple(changed if v.name == "8.4" else v for v in product.versions)
    )


def _count(database: Database, row: type[Base]) -> int:
    with database.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(row)) or 0)


def test_the_demo_catalog_keeps_its_identifiers_and_components(uow_factory: UowFactory) -> None:
    _save(uow_factory, *demo.catalog().products)

    stored = _load(uow_factory)

    assert stored == demo.catalog()
    product = stored.product("xenserver")
    assert product.version("8.4").identity.cpe == "cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*"
    assert [(c.id, c.kind) for c in product.components] == [
        ("xen-hypervisor", ComponentKind.KERNEL),
        ("xapi", ComponentKind.APPLICATION),
    ]
    assert product.components[0].identity.purls == ("pkg:rpm/xenserver/xen-hypervisor",)


def test_every_kind_of_identifier_reads_back_in_order(
    database: Database, uow_factory: UowFactory
) -> None:
    product = _with_identities(demo.catalog().products[0])
    _save(uow_factory, product)

    assert _load(uow_factory).product("xenserver") == product
    assert _count(database, VersionIdentifierRow) == 1 + 2 + 2 + 1 + 2 + 1 + 1 + 1
    assert _count(database, ReleaseIdentifierRow) == 1


def test_changed_identifiers_replace_the_stored_ones(
    database: Database, uow_factory: UowFactory
) -> None:
    product = _with_identities(demo.catalog().products[0])
    _save(uow_factory, product)
    version = product.version("8.4")
    fewer = replace(version, identity=ProductIdentity(purls=(FULL.purls[1], FULL.purls[0])))
    changed = replace(
        product,
        versions=tuple(fewer if v.name == "8.4" else v for v in product.versions),
        components=(
            ProductComponent("qemu", "QEMU", ComponentKind.APPLICATION),
            *(replace(c, identity=ProductIdentity()) for c in product.components),
        ),
    )

    _save(uow_factory, changed)

    assert _load(uow_factory).product("xenserver") == changed
    assert _count(database, VersionIdentifierRow) == 2 + 1  # 8.4's two purls, 9's CPE
    assert _count(database, ComponentIdentifierRow) == 0
    assert _count(database, ProductComponentRow) == 3  # qemu, xen-hypervisor, xapi


def test_removing_a_product_entry_removes_its_identifiers(
    database: Database, uow_factory: UowFactory
) -> None:
    product = _with_identities(demo.catalog().products[0])
    _save(uow_factory, product)
    bare = replace(
        product, components=(), versions=tuple(v for v in product.versions if v.name != "8.4")
    )

    _save(uow_factory, bare)

    assert _load(uow_factory).product("xenserver") == bare
    assert _count(database, ReleaseIdentifierRow) == 0
    assert _count(database, ComponentIdentifierRow) == 0
    assert _count(database, ProductComponentRow) == 0
    assert _count(database, VersionIdentifierRow) == 1  # 9's CPE


def test_a_hidden_product_hides_its_components_and_identifiers(uow_factory: UowFactory) -> None:
    product = replace(_with_identities(demo.catalog().products[0]), hidden=True)
    _save(uow_factory, product)

    stored = _load(uow_factory)

    assert stored.product("xenserver").components  # staff see them
    assert public_catalog(stored, CatalogReferences()) == Catalog()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(product=strategies.products)
def test_any_product_reads_back_equal(uow_factory: UowFactory, product: Product) -> None:
    with uow_factory() as uow:
        uow.catalog.save_product(product)
        assert uow.catalog.load().product(product.id) == product  # left without a commit
