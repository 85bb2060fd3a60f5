"""Editing the catalog one change at a time: products, versions and their lifecycle,
update channels and releases.

Every change is checked against the actor's roles (``Action.MANAGE_CATALOG``: publishers
and admins; the operator at the command line may too), made in one transaction with its
audit entry (``catalog_audit.audit_product``: the product's source text before and
after), and refused as a whole, naming the field, when any part of it breaks a rule.
Names are the keys bulletins refer to, so versions, channels and releases keep theirs;
their lifecycle state, label, dates and components may change.

Any entry may be created ``hidden`` (or marked so later, ``set_hidden``): the public
catalog (``PublicationService``) leaves it out until a public bulletin names it. Staff
read the whole catalog here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from herald.domain.accounts import Action
from herald.domain.catalog import Catalog, Component, Lifecycle, Product, ProductVersion, Release
from herald.domain.catalog_editing import (
    checked_name,
    identity_of,
    new_product,
    parse_components,
    parse_lifecycle,
    parse_release_date,
    with_channel,
    with_component,
    with_details,
    with_hidden,
    with_identity,
    with_release,
    with_release_changed,
    with_version,
    with_version_state,
)
from herald.domain.components import ComponentKind, ProductComponent, parse_component_id
from herald.domain.errors import Conflict, NotFound
from herald.domain.identity import NO_IDENTITY, ProductIdentity, parse_identity
from herald.domain.ids import parse_product_id
from herald.domain.urls import HTTPS_ONLY, UrlPolicy
from herald.services.actors import OPERATOR, Actor
from herald.services.catalog_audit import audit_product
from herald.services.ports.common import Clock, SourceSerializer
from herald.services.ports.unit_of_work import UnitOfWorkFactory

Edit = Callable[[Product], Product]

ComponentsInput = tuple[Component, ...] | str
"""Components as values, or as text one a line (``name version``)."""


class CatalogService:
    """Reads the catalog for staff, and makes each audited change to it."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        serializer: SourceSerializer,
        urls: UrlPolicy = HTTPS_ONLY,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._serializer = serializer
        self._urls = urls

    # reading (every staff member)

    def catalog(self) -> Catalog:
        with self._unit_of_work() as uow:
            return uow.catalog.load()

    def product(self, product_id: str) -> Product:
        """The product; ``NotFound`` when there is none of that id."""
        return self.catalog().product(product_id)

    # products

    def add_product(
        self,
        product_id: str,
        name: str,
        update_instructions_url: str = "",
        actor: Actor = OPERATOR,
        *,
        hidden: bool = False,
    ) -> Product:
        """A new product, without versions yet; ``Conflict`` when the id is taken.

        ``hidden``: kept off every public surface until a public bulletin names it (for
        a product created for an embargoed fix)."""
        actor.require(Action.MANAGE_CATALOG)
        key = parse_product_id(product_id.strip(), "id")
        product = replace(new_product(key, name, update_instructions_url), hidden=hidden)
        self._urls.check(product.update_instructions_url, "update_instructions_url")
        with self._unit_of_work() as uow:
            if any(p.id == key for p in uow.catalog.load().products):
                raise Conflict(f"there is a product {key!r} already")
            uow.catalog.save_product(product)
            audit_product(
                uow,
                self._serializer,
                actor=actor.name,
                action="catalog.product.add",
                before=None,
                after=product,
                at=self._clock.now(),
            )
            uow.commit()
        return product

    def change_product(
        self,
        product_id: str,
        name: str,
        update_instructions_url: str = "",
        actor: Actor = OPERATOR,
    ) -> Product:
        """A new display name and update-instructions URL (the id never changes)."""
        return self._edit(
            actor,
            "catalog.product.change",
            product_id,
            lambda p: self._checked(with_details(p, name, update_instructions_url)),
        )

    def _checked(self, product: Product) -> Product:
        self._urls.check(product.update_instructions_url, "update_instructions_url")
        return product

    # versions

    def add_version(
        self,
        product_id: str,
        name: str,
        lifecycle: Lifecycle | str,
        lifecycle_label: str = "",
        actor: Actor = OPERATOR,
        *,
        hidden: bool = False,
        identity: ProductIdentity = NO_IDENTITY,
    ) -> Product:
        """A new version, listed after the others (versions go oldest first), with its
        identifiers; ``hidden`` until a public bulletin names it, when asked."""
        state = _lifecycle(lifecycle)
        label = _label(lifecycle_label)
        version = ProductVersion(name, state, label, hidden=hidden, identity=identity)
        return self._edit(
            actor, "catalog.version.add", product_id, lambda p: with_version(p, version)
        )

    def change_version(
        self,
        product_id: str,
        version: str,
        lifecycle: Lifecycle | str,
        lifecycle_label: str = "",
        actor: Actor = OPERATOR,
    ) -> Product:
        """A version's lifecycle state (preview, supported, end of life) and its label."""
        state = _lifecycle(lifecycle)
        label = _label(lifecycle_label)
        return self._edit(
            actor,
            "catalog.version.change",
            product_id,
            lambda p: with_version_state(p, version, state, label),
        )

    # channels and releases

    def add_channel(
        self,
        product_id: str,
        version: str,
        name: str,
        actor: Actor = OPERATOR,
        *,
        hidden: bool = False,
    ) -> Product:
        """A new, empty update channel of a version; ``hidden`` until a public bulletin
        names it, when asked."""
        return self._edit(
            actor,
            "catalog.channel.add",
            product_id,
            lambda p: with_channel(p, version, name, hidden=hidden),
        )

    def add_release(
        self,
        product_id: str,
        version: str,
        channel: str,
        name: str,
        released_on: date | str,
        components: ComponentsInput = (),
        actor: Actor = OPERATOR,
        *,
        hidden: bool = False,
    ) -> Product:
        """A release shipped on a channel of a version (e.g. the one that fixes a bulletin);
        ``hidden`` until a public bulletin names it, when asked (a release made for an
        embargoed fix)."""
        release = Release(name, _day(released_on), _components(components), hidden=hidden)
        return self._edit(
            actor,
            "catalog.release.add",
            product_id,
            lambda p: with_release(p, version, channel, release),
        )

    def change_release(
        self,
        product_id: str,
        version: str,
        channel: str,
        release: str,
        released_on: date | str,
        components: ComponentsInput = (),
        actor: Actor = OPERATOR,
    ) -> Product:
        """A release's date and components (it keeps its name and its visibility)."""
        changed = Release(release, _day(released_on), _components(components))
        return self._edit(
            actor,
            "catalog.release.change",
            product_id,
            lambda p: with_release_changed(p, version, channel, changed),
        )

    # identity and components

    def set_identity(
        self,
        product_id: str,
        identity: ProductIdentity,
        version: str,
        channel: str | None = None,
        release: str | None = None,
        actor: Actor = OPERATOR,
    ) -> Product:
        """Replace the identifiers (CPE, purls, hashes, ...) of a version, or of a release
        (named with its channel)."""
        return self._edit(
            actor,
            "catalog.identity.change",
            product_id,
            lambda p: with_identity(p, identity, version, channel, release),
        )

    def set_cpe_and_purls(
        self,
        product_id: str,
        version: str,
        cpe: str,
        purls: Sequence[str],
        actor: Actor = OPERATOR,
    ) -> Product:
        """A version's CPE and purls (blank: none), its other identifiers kept (the staff
        form's change)."""
        given = parse_identity(cpe, purls)

        def edit(product: Product) -> Product:
            kept = identity_of(product, version)
            changed = replace(kept, cpe=given.cpe, purls=given.purls)
            return with_identity(product, changed, version)

        return self._edit(actor, "catalog.identity.change", product_id, edit)

    def set_component(
        self,
        product_id: str,
        component_id: str,
        name: str,
        kind: ComponentKind,
        identity: ProductIdentity = NO_IDENTITY,
        actor: Actor = OPERATOR,
    ) -> Product:
        """Add a component to the product, or change the one of that id (its name, kind
        and identifiers)."""
        component = ProductComponent(parse_component_id(component_id), name, kind, identity)
        return self._edit(
            actor,
            "catalog.component.change",
            product_id,
            lambda p: with_component(p, component),
        )

    # visibility

    def set_hidden(
        self,
        product_id: str,
        hidden: bool,
        version: str | None = None,
        channel: str | None = None,
        release: str | None = None,
        actor: Actor = OPERATOR,
    ) -> Product:
        """Mark the product, or the version, channel or release named, hidden until a
        public bulletin names it (``hidden``), or visible to all.

        Hiding an entry a public bulletin already names changes nothing the public sees:
        it stays public. The change is audited as ``catalog.visibility.change``.
        """
        return self._edit(
            actor,
            "catalog.visibility.change",
            product_id,
            lambda p: with_hidden(p, hidden, version, channel, release),
        )

    # the one way a product changes

    def _edit(self, actor: Actor, action: str, product_id: str, edit: Edit) -> Product:
        actor.require(Action.MANAGE_CATALOG)
        with self._unit_of_work() as uow:
            uow.catalog.lock_product(product_id)
            before = _find(uow.catalog.load(), product_id)
            after = edit(before)
            if after != before:
                uow.catalog.save_product(after)
                audit_product(
                    uow,
                    self._serializer,
                    actor=actor.name,
                    action=action,
                    before=before,
                    after=after,
                    at=self._clock.now(),
                )
                uow.commit()
        return after


def _find(catalog: Catalog, product_id: str) -> Product:
    for product in catalog.products:
        if product.id == product_id:
            return product
    raise NotFound(f"no product {product_id[:70]!r}")


def _lifecycle(value: Lifecycle | str) -> Lifecycle:
    return value if isinstance(value, Lifecycle) else parse_lifecycle(value)


def _label(text: str) -> str | None:
    return checked_name(text, "lifecycle_label") if text.strip() else None


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else parse_release_date(value)


def _components(value: ComponentsInput) -> tuple[Component, ...]:
    if isinstance(value, str):
        return parse_components(value)
    for component in value:
        checked_name(component.name, "components")
        checked_name(component.version, "components")
    return tuple(value)
