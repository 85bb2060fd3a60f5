"""Commands on the catalog, one audited change each: ``herald catalog show``,
``add-product``, ``add-version``, ``lifecycle``, ``add-channel``, ``add-release``.

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
from herald.adapters.cli.output import say
from herald.domain.errors import ValidationError

catalog_app = typer.Typer(
    help="The catalog: products, versions and lifecycle, channels, releases.",
    no_args_is_help=True,
)

ProductArg = Annotated[str, typer.Argument(help="The product's id, e.g. xenserver.")]
VersionArg = Annotated[str, typer.Argument(help="The version's name, e.g. 8.4.")]
LabelOption = Annotated[
    str, typer.Option("--label", help="How the vendor names the state, e.g. 'Public Preview'.")
]


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
        raise


@catalog_app.command("show")
def show(
    product: Annotated[str | None, typer.Argument(help="Only this product.")] = None,
) -> None:
    """Print the products with their versions, channels and releases."""
    with herald_app() as herald:
        catalog = herald.catalog.catalog()
    products = catalog.products if product is None else (catalog.product(product),)
    for item in products:
        say(f"{item.id}: {item.name}")
        for version in item.versions:
            say(f"  {version.name} ({version.state_label})")
            for channel in version.channels:
                say(f"    {channel.name}")
                for release in channel.releases:
                    say(f"      {release.name}  {release.released_on.isoformat()}")


@catalog_app.command("add-product")
def add_product(
    product: ProductArg,
    name: Annotated[str, typer.Option("--name", help="The display name, e.g. XenServer.")] = "",
    url: Annotated[
        str, typer.Option("--update-instructions-url", help="Where customers learn to update.")
    ] = "",
    as_user: AsOption = None,
) -> None:
    """Add a product (no versions yet)."""
    with (
        _named(id="PRODUCT", name="--name", update_instructions_url="--update-instructions-url"),
        herald_app() as herald,
    ):
        added = herald.catalog.add_product(
            product, name, url, acting(herald.accounts, as_user, required=False)
        )
    say(f"product {added.id} added")


@catalog_app.command("add-version")
def add_version(
    product: ProductArg,
    version: VersionArg,
    lifecycle: Annotated[
        str, typer.Option("--lifecycle", help="preview, supported or end_of_life.")
    ] = "supported",
    label: LabelOption = "",
    as_user: AsOption = None,
) -> None:
    """Add a version to a product (listed last: versions go oldest first)."""
    with (
        _named(name="VERSION", lifecycle="--lifecycle", lifecycle_label="--label"),
        herald_app() as herald,
    ):
        herald.catalog.add_version(
            product, version, lifecycle, label, acting(herald.accounts, as_user, required=False)
        )
    say(f"version {product} {version} added")


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
    as_user: AsOption = None,
) -> None:
    """Add an update channel to a version."""
    with _named(name="CHANNEL"), herald_app() as herald:
        herald.catalog.add_channel(
            product, version, channel, acting(herald.accounts, as_user, required=False)
        )
    say(f"channel {product} {version} / {channel} added")


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
    as_user: AsOption = None,
) -> None:
    """Add a release shipped on a channel (e.g. the one that fixes a bulletin)."""
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
        )
    say(f"release {release} added to {product} {version} / {channel}")
