"""The publisher and the catalog, stored and read back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from herald import demo
from herald.adapters.storage import SqlUnitOfWork
from herald.domain import (
    Catalog,
    Component,
    Lifecycle,
    Product,
    ProductVersion,
    Release,
    UpdateChannel,
    ValidationError,
)

from .samples import XENSERVER, custom_publisher, hypervisor, rich_bulletin, seed, xenserver

UowFactory = Callable[[], SqlUnitOfWork]


def _catalog(uow_factory: UowFactory) -> Catalog:
    with uow_factory() as uow:
        return uow.catalog.load()


def test_no_publisher_before_one_is_saved(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        assert uow.publisher.get() is None
        assert uow.catalog.load() == Catalog()


def test_publisher_round_trip_and_replace(uow_factory: UowFactory) -> None:
    for publisher in (demo.publisher(), custom_publisher(), demo.publisher()):
        with uow_factory() as uow:
            uow.publisher.save(publisher)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.publisher.get()
        assert stored == publisher
        assert stored is not None
        assert list(stored.sections) == list(publisher.sections)


def test_demo_catalog_round_trip(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        for product in demo.catalog().products:
            uow.catalog.save_product(product)
        uow.commit()
    assert _catalog(uow_factory) == demo.catalog()


def test_products_keep_their_order_when_replaced(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        seed(uow, xenserver(), hypervisor())
    renamed = replace(xenserver(), name="XenServer (renamed)")
    with uow_factory() as uow:
        uow.catalog.save_product(renamed)
        uow.commit()
    assert _catalog(uow_factory) == Catalog((renamed, hypervisor()))


def test_save_product_diffs_the_tree(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        seed(uow, hypervisor())
    product = hypervisor()
    ltsr = product.versions[0].channels[0]
    changed = replace(
        product,
        update_instructions_url="https://example.com/update",
        versions=(
            ProductVersion("9.0", Lifecycle.PREVIEW, "Tech Preview"),
            replace(
                product.versions[0],
                lifecycle=Lifecycle.END_OF_LIFE,
                channels=(
                    UpdateChannel("CR", (Release("CR-1", date(2026, 2, 1)),)),
                    replace(
                        ltsr,
                        releases=(
                            Release("CU1-2026-02", date(2026, 2, 5), (Component("xen", "4.13.6"),)),
                            replace(
                                ltsr.releases[0],
                                components=(Component("qemu", "4.2.2"), Component("xen", "4.13.5")),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    with uow_factory() as uow:
        uow.catalog.save_product(changed)
        uow.commit()
    assert _catalog(uow_factory) == Catalog((changed,))
    shrunk = replace(changed, versions=(replace(changed.versions[1], channels=()),))
    with uow_factory() as uow:
        uow.catalog.save_product(shrunk)
        uow.commit()
    assert _catalog(uow_factory) == Catalog((shrunk,))


def test_save_product_checks_names(uow_factory: UowFactory) -> None:
    twice = replace(hypervisor(), versions=hypervisor().versions * 2)
    with uow_factory() as uow, pytest.raises(ValidationError, match="appears twice"):
        uow.catalog.save_product(twice)


def _stored_rich_bulletin(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        seed(uow, xenserver(), hypervisor())
    with uow_factory() as uow:
        uow.bulletins.add(rich_bulletin())
        uow.commit()


def _drop_release(product: Product, version: str, channel: str, release: str) -> Product:
    def channels(v: ProductVersion) -> tuple[UpdateChannel, ...]:
        return tuple(
            replace(c, releases=tuple(r for r in c.releases if r.name != release))
            if v.name == version and c.name == channel
            else c
            for c in v.channels
        )

    return replace(
        product, versions=tuple(replace(v, channels=channels(v)) for v in product.versions)
    )


def test_save_product_refuses_to_drop_a_referenced_release(uow_factory: UowFactory) -> None:
    _stored_rich_bulletin(uow_factory)
    before = _catalog(uow_factory)
    dropped = _drop_release(xenserver(), "8.4", "Normal", "8.4.2026-03-24")
    with uow_factory() as uow:
        with pytest.raises(ValidationError) as caught:
            uow.catalog.save_product(dropped)
        uow.commit()
    error = caught.value
    assert error.field == "versions[1].channels[1].releases"
    assert "'8.4.2026-03-24'" in error.reason
    assert "xenserver 8.4 / Normal" in error.reason
    assert "CTX700001" in error.reason
    assert _catalog(uow_factory) == before


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ("drop version 9", "versions", "version '9' of xenserver"),
        ("drop version 8.2", "versions", "version '8.2' of xenserver"),
        ("drop channel Early Access", "versions[1].channels", "channel 'Early Access'"),
    ],
)
def test_save_product_refuses_to_drop_what_a_bulletin_names(
    uow_factory: UowFactory, change: str, field: str, words: str
) -> None:
    _stored_rich_bulletin(uow_factory)
    product = xenserver()
    what, name = change.removeprefix("drop ").split(" ", 1)
    if what == "version":
        product = replace(product, versions=tuple(v for v in product.versions if v.name != name))
    else:
        product = replace(
            product,
            versions=tuple(
                replace(v, channels=tuple(c for c in v.channels if c.name != name))
                for v in product.versions
            ),
        )
    with uow_factory() as uow, pytest.raises(ValidationError) as caught:
        uow.catalog.save_product(product)
    assert caught.value.field == field
    assert words in caught.value.reason
    assert "CTX700001" in caught.value.reason


def test_save_product_drops_what_no_bulletin_names(uow_factory: UowFactory) -> None:
    _stored_rich_bulletin(uow_factory)
    dropped = _drop_release(xenserver(), "8.4", "Early Access", "8.4.2026-03-19")
    with uow_factory() as uow:
        uow.catalog.save_product(dropped)
        uow.commit()
    assert _catalog(uow_factory).product(XENSERVER) == dropped
