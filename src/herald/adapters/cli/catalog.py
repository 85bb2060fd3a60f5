"""Commands on the catalog, one audited change each: ``herald catalog show``,
``add-product``, ``add-version``, ``lifecycle``, ``add-channel``, ``add-release``,
``identity``, ``component``, ``hide`` and ``unhide``.

``--cpe``, ``--purl`` (repeatable) and the other identifier options (on ``add-version``,
``identity`` and ``component``) say how customers' scanners recognise the entry; a
malformed one is refused naming the option, and nothing is written.

``--hidden`` on the ``add-*`` commands (and ``hide``) keeps an entry off every public
surface until a published bulletin names it: for entries created for an embargoed fix.

Changes act as the operator (``cli`` in the audit log) unless ``--as`` names a staff
account, which then needs ``manage_catalog`` (publisher or admin), as on the web.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from herald.adapters.cli.acting import AsOption, acting
from herald.adapters.cli.context import herald_app
from herald.adapters.cli.identity_options import (
    CpeOption,
    HashOption,
    ModelOption,
    PurlOption,
    SbomOption,
    SerialOption,
    SkuOption,
    count_text,
    identity_from_options,
    identity_option,
)
from herald.adapters.cli.output import say
from herald.domain.components import ComponentKind, parse_component_kind
from herald.domain.errors import ValidationError
from herald.domain.identity import ProductIdentity

catalog_app = typer.Typer(
    help="The catalog: products, versions and lifecycle, channels, releases.",
    no_args_is_help=True,
)

ProductArg = Annotated[str, typer.Argument(help="The product's id, e.g. xenserver.")]
VersionArg = Annotated[str, typer.Argument(help="The version's name, e.g. 8.4.")]
LabelOption = Annotated[
    str, typer.Option("--label", help="How the vendor names the state, e.g. 'Public Preview'.")
]
HiddenOption = Annotated[
    bool,
    typer.Option(
        "--hidden",
        help="Hide it from the public until a published bulletin names it (for an embargoed fix).",
    ),
]
HIDDEN_NOTE = "(hidden until a bulletin names it)"
"""How ``show`` marks an entry the public does not see yet."""


def register(app: typer.Typer) -> None:
    app.add_typer(catalog_app, name="catalog")


@contextmanager
def _named(**options: str) -> Iterator[None]:
    """Errors name the command's argument or option rather than the service's field."""
    try:
        yield
    except ValidationError as error:
        if error.field in options:
            raise ValidationError(options[error.field], error.reason) from error
        option = identity_option(error.field)
        if option is not None:
            raise ValidationError(option, error.reason) from error
        raise


@catalog_app.command("show")
def show(
    product: Annotated[str | None, typer.Argument(help="Only this product.")] = None,
) -> None:
    """Print the products with their components, versions, channels and releases, with
    their CPE and purls; entries the public does not see yet are marked (hidden until a
    bulletin names it)."""
    with herald_app() as herald:
        catalog = herald.catalog.catalog()
    products = catalog.products if product is None else (catalog.product(product),)
    for item in products:
        say(f"{item.id}: {item.name}{_hidden(item.hidden)}")
        for part in item.components:
            say(f"  component {part.id}: {part.name} ({part.kind}){_ids(part.identity)}")
        for version in item.versions:
            say(
                f"  {version.name} ({version.state_label}){_ids(version.identity)}"
                f"{_hidden(version.hidden)}"
            )
            for channel in version.channels:
                say(f"    {channel.name}{_hidden(channel.hidden)}")
                for release in channel.releases:
                    say(
                        f"      {release.name}  {release.released_on.isoformat()}"
                        f"{_ids(release.identity)}{_hidden(release.hidden)}"
                    )


def _ids(identity: ProductIdentity) -> str:
    shown = [identity.cpe, *identity.purls] if identity.cpe else list(identity.purls)
    return "".join(f"  {text}" for text in shown)


def _hidden(hidden: bool) -> str:
    return f"  {HIDDEN_NOTE}" if hidden else ""


@catalog_app.command("add-product")
def add_product(
    product: ProductArg,
    name: Annotated[str, typer.Option("--name", help="The display name, e.g. XenServer.")] = "",
    url: Annotated[
        str, typer.Option("--update-instructions-url", help="Where customers learn to update.")
    ] = "",
    hidden: HiddenOption = False,
    as_user: AsOption = None,
) -> None:
    """Add a product (no versions yet)."""
    with (
        _named(id="PRODUCT", name="--name", update_instructions_url="--update-instructions-url"),
        herald_app() as herald,
    ):
        added = herald.catalog.add_product(
            product, name, url, acting(herald.accounts, as_user, required=False), hidden=hidden
        )
    say(f"product {added.id} added{_hidden(hidden)}")


@catalog_app.command("add-version")
def add_version(
    product: ProductArg,
    version: VersionArg,
    lifecycle: Annotated[
        str, typer.Option("--lifecycle", help="preview, supported or end_of_life.")
    ] = "supported",
    label: LabelOption = "",
    hidden: HiddenOption = False,
    cpe: CpeOption = "",
    purl: PurlOption = None,
    file_hash: HashOption = None,
    model_number: ModelOption = None,
    sku: SkuOption = None,
    serial_number: SerialOption = None,
    sbom_url: SbomOption = None,
    as_user: AsOption = None,
) -> None:
    """Add a version to a product (listed last: versions go oldest first), with its
    identifiers when given."""
    identity = identity_from_options(
        cpe, purl, file_hash, model_number, sku, serial_number, sbom_url
    )
    with (
        _named(name="VERSION", lifecycle="--lifecycle", lifecycle_label="--label"),
        herald_app() as herald,
    ):
        herald.catalog.add_version(
            product,
            version,
            lifecycle,
            label,
            acting(herald.accounts, as_user, required=False),
            hidden=hidden,
            identity=identity,
        )
    say(f"version {product} {version} added{_hidden(hidden)}")


@catalog_app.command("lifecycle")
def lifecycle(
    product: ProductArg,
    version: VersionArg,
    state: Annotated[str, typer.Argument(help="preview, supported or end_of_life.")],
    label: LabelOption = "",
    as_user: AsOption = None,
) -> None:
    """Set a version's lifecycle state (and label)."""
    with _named(lifecycle="STATE", lifecycle_label="--label"), herald_app() as herald:
        changed = herald.catalog.change_version(
            product, version, state, label, acting(herald.accounts, as_user, required=False)
        )
    say(f"version {product} {version} is now {changed.version(version).state_label}")


@catalog_app.command("add-channel")
def add_channel(
    product: ProductArg,
    version: VersionArg,
    channel: Annotated[str, typer.Argument(help="The channel's name, e.g. Normal.")],
    hidden: HiddenOption = False,
    as_user: AsOption = None,
) -> None:
    """Add an update channel to a version."""
    with _named(name="CHANNEL"), herald_app() as herald:
        herald.catalog.add_channel(
            product,
            version,
            channel,
            acting(herald.accounts, as_user, required=False),
            hidden=hidden,
        )
    say(f"channel {product} {version} / {channel} added{_hidden(hidden)}")


@catalog_app.command("add-release")
def add_release(
    product: ProductArg,
    version: VersionArg,
    channel: Annotated[str, typer.Argument(help="The channel it shipped on.")],
    release: Annotated[str, typer.Argument(help="The release's name, e.g. 8.4.2026-11-02.")],
    on: Annotated[str, typer.Option("--date", help="The day it shipped (YYYY-MM-DD).")] = "",
    component: Annotated[
        list[str] | None,
        typer.Option("--component", metavar="'NAME VERSION'", help="A component (repeatable)."),
    ] = None,
    hidden: HiddenOption = False,
    as_user: AsOption = None,
) -> None:
    """Add a release shipped on a channel (e.g. the one that fixes a bulletin; --hidden
    while that bulletin is under embargo)."""
    with (
        _named(name="RELEASE", released_on="--date", components="--component"),
        herald_app() as herald,
    ):
        herald.catalog.add_release(
            product,
            version,
            channel,
            release,
            on,
            "\n".join(component or []),
            acting(herald.accounts, as_user, required=False),
            hidden=hidden,
        )
    say(f"release {release} added to {product} {version} / {channel}{_hidden(hidden)}")


@catalog_app.command("identity")
def identity(
    product: ProductArg,
    version: VersionArg,
    channel: Annotated[str | None, typer.Argument(help="The channel, for a release.")] = None,
    release: Annotated[str | None, typer.Argument(help="The release, for a release.")] = None,
    cpe: CpeOption = "",
    purl: PurlOption = None,
    file_hash: HashOption = None,
    model_number: ModelOption = None,
    sku: SkuOption = None,
    serial_number: SerialOption = None,
    sbom_url: SbomOption = None,
    as_user: AsOption = None,
) -> None:
    """Set the identifiers of a version, or of a release (with its channel): the options
    given replace all of them (none given: the entry has none)."""
    given = identity_from_options(cpe, purl, file_hash, model_number, sku, serial_number, sbom_url)
    with _named(channel="CHANNEL", release="RELEASE", version="VERSION"), herald_app() as herald:
        herald.catalog.set_identity(
            product,
            given,
            version,
            channel,
            release,
            acting(herald.accounts, as_user, required=False),
        )
    entry = f"{product} {version}" + (f" / {channel} {release}" if channel else "")
    say(f"{entry}: {count_text(given)}")


@catalog_app.command("component")
def component(
    product: ProductArg,
    component_id: Annotated[str, typer.Argument(help="Its id, e.g. xen-hypervisor.")],
    name: Annotated[str, typer.Option("--name", help="Its display name.")] = "",
    kind: Annotated[
        str, typer.Option("--kind", help="application, library, kernel, firmware or other.")
    ] = ComponentKind.OTHER.value,
    cpe: CpeOption = "",
    purl: PurlOption = None,
    file_hash: HashOption = None,
    model_number: ModelOption = None,
    sku: SkuOption = None,
    serial_number: SerialOption = None,
    sbom_url: SbomOption = None,
    as_user: AsOption = None,
) -> None:
    """Add a component the product includes, or change the one of that id (its name,
    kind and identifiers: those given replace the old ones)."""
    given = identity_from_options(cpe, purl, file_hash, model_number, sku, serial_number, sbom_url)
    with _named(kind="--kind"):
        component_kind = parse_component_kind(kind)
    with _named(id="COMPONENT_ID", name="--name"), herald_app() as herald:
        herald.catalog.set_component(
            product,
            component_id,
            name,
            component_kind,
            given,
            acting(herald.accounts, as_user, required=False),
        )
    say(f"component {product} / {component_id.strip()}: {count_text(given)}")


EntryVersion = Annotated[str | None, typer.Argument(help="The version, for a version or below.")]
EntryChannel = Annotated[str | None, typer.Argument(help="The channel, for a channel or below.")]
EntryRelease = Annotated[str | None, typer.Argument(help="The release, for a release.")]


@catalog_app.command("hide")
def hide(
    product: ProductArg,
    version: EntryVersion = None,
    channel: EntryChannel = None,
    release: EntryRelease = None,
    as_user: AsOption = None,
) -> None:
    """Hide the product, or the version, channel or release named, until a published
    bulletin names it (it stays public if one already does)."""
    _set_hidden(True, product, version, channel, release, as_user)


@catalog_app.command("unhide")
def unhide(
    product: ProductArg,
    version: EntryVersion = None,
    channel: EntryChannel = None,
    release: EntryRelease = None,
    as_user: AsOption = None,
) -> None:
    """Show the product, or the version, channel or release named, to the public now."""
    _set_hidden(False, product, version, channel, release, as_user)


def _set_hidden(
    hidden: bool,
    product: str,
    version: str | None,
    channel: str | None,
    release: str | None,
    as_user: str | None,
) -> None:
    with _named(version="VERSION", channel="CHANNEL", release="RELEASE"), herald_app() as herald:
        herald.catalog.set_hidden(
            product,
            hidden,
            version,
            channel,
            release,
            acting(herald.accounts, as_user, required=False),
        )
    entry = " ".join(part for part in (product, version) if part)
    if channel:
        entry += f" / {channel}"
    if release:
        entry += f" {release}"
    say(f"{entry} is {'hidden until a bulletin names it' if hidden else 'visible to the public'}")
