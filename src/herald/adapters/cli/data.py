"""Commands that set up and move data: init, demo, import, export, catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.tree import Tree

from herald import demo as demo_data
from herald.adapters.cli.context import herald_app
from herald.adapters.source import load_paths, write_bundle
from herald.services.source import SourceItems


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("import")(import_)
    app.command("export")(export)
    app.command("catalog")(catalog)


def init() -> None:
    """Create the data folder and the database schema (safe to run again)."""
    with herald_app() as herald:
        typer.echo(f"database ready: {herald.database.describe()}")


def demo() -> None:
    """Load the reference data (CTX696397) when the database is empty."""
    with herald_app() as herald:
        if not herald.reading.is_empty():
            typer.echo("database already holds data; demo data not loaded")
            return
        items = SourceItems(
            publisher=demo_data.publisher(),
            products=demo_data.catalog().products,
            bulletins=(demo_data.reference_bulletin(),),
        )
        report = herald.source.import_items(items)
        typer.echo(f"demo data loaded: {len(report.created)} items")


def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="YAML files or folders of them (searched recursively).")
    ],
) -> None:
    """Import a publisher, products and bulletins from YAML source files, all or nothing."""
    bundle = load_paths(paths)
    with herald_app() as herald:
        report = herald.source.import_items(bundle.items, bundle.locate)
    typer.echo(
        f"imported: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged"
    )


def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the YAML files into.")],
) -> None:
    """Export the publisher, products and bulletins as YAML source files."""
    with herald_app() as herald:
        items = herald.source.export_items()
    written = write_bundle(items, directory)
    typer.echo(f"exported {len(written)} files to {directory}")


def catalog() -> None:
    """Show the products, their versions, channels and latest releases."""
    with herald_app() as herald:
        products = herald.reading.catalog().products
    console = Console(highlight=False, soft_wrap=True)
    if not products:
        console.print("the catalog is empty")
        return
    for product in products:
        tree = Tree(f"[bold]{product.name}[/bold] ({product.id})")
        for version in product.versions:
            branch = tree.add(f"{product.name} {version.name}: {version.state_label}")
            for channel in version.channels:
                latest = channel.latest_release
                shipped = (
                    f"{latest.name} ({latest.released_on.isoformat()})" if latest else "no release"
                )
                branch.add(f"{channel.name}: {shipped}")
        console.print(tree)
