"""Commands that set up and move data: init, demo, import, export, catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.tree import Tree

from herald import demo as demo_data
from herald.adapters.cli.acting import AsOption, acting
from herald.adapters.cli.context import herald_app
from herald.adapters.cli.output import SafeConsole, say
from herald.adapters.source import load_paths, write_bundle
from herald.domain.errors import ValidationError
from herald.services.source import ImportOptions, ImportReport, SourceItems


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("import")(import_)
    app.command("export")(export)
    app.command("catalog")(catalog)


def init() -> None:
    """Create the data folder and the database schema (safe to run again)."""
    with herald_app() as herald:
        say(f"database ready: {herald.database.describe()}")


def demo() -> None:
    """Load the reference data (CTX696397) when the database is empty."""
    with herald_app() as herald:
        if not herald.reading.is_empty():
            say("database already holds data; demo data not loaded")
            return
        items = SourceItems(
            publisher=demo_data.publisher(),
            products=demo_data.catalog().products,
            bulletins=(demo_data.reference_bulletin(),),
        )
        report = herald.source.import_items(items)
        say(f"demo data loaded: {len(report.created)} items")


def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="YAML files or folders of them (searched recursively).")
    ],
    amend: Annotated[
        bool,
        typer.Option(
            "--amend",
            help="Changes to published bulletins become amendments (or withdrawals), "
            "under the review policy; without it they are refused.",
        ),
    ] = False,
    summary: Annotated[
        str | None,
        typer.Option(help="With --amend: the change-log entry (else the one the file adds)."),
    ] = None,
    emergency: Annotated[
        str | None,
        typer.Option(
            "--emergency",
            metavar="REASON",
            help="With --amend, admins: amend without a second person, saying why.",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show what would change, field by field; store nothing."),
    ] = False,
    as_user: AsOption = None,
) -> None:
    """Import a publisher, products and bulletins from YAML source files, all or nothing.

    Every change is audited. A published bulletin changes only with --amend.
    """
    if (summary is not None or emergency is not None) and not amend:
        raise ValidationError("--amend", "--summary and --emergency go with --amend")
    bundle = load_paths(paths)
    options = ImportOptions(amend=amend, summary=summary, emergency=emergency, dry_run=dry_run)
    with herald_app() as herald:
        actor = acting(herald.accounts, as_user, required=False)
        report = herald.source.import_items(
            bundle.items, bundle.locate, actor=actor, options=options
        )
    print_report(report)


def print_report(report: ImportReport) -> None:
    """Each changed item (with its diff on a dry run), then the counts."""
    would = "would be " if report.dry_run else ""
    for item in report.items:
        if item.outcome == "unchanged":
            continue
        fields = f": {', '.join(item.fields)}" if item.fields else ""
        urgent = " (emergency path: waits for a review after the fact)" if item.emergency else ""
        outcome = (
            "proposed (waits for a second person)" if item.outcome == "proposed" else item.outcome
        )
        say(f"{item.key} {would}{outcome}{fields}{urgent}")
        if report.dry_run:
            for line in item.diff.splitlines():
                say(f"    {line}")
    proposed = f", {len(report.proposed)} proposed" if report.proposed else ""
    verb = "dry run, nothing stored" if report.dry_run else "imported"
    say(
        f"{verb}: {len(report.created)} created, {len(report.updated)} updated{proposed}, "
        f"{len(report.unchanged)} unchanged"
    )


def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the YAML files into.")],
) -> None:
    """Export the publisher, products and bulletins as YAML source files."""
    with herald_app() as herald:
        items = herald.source.export_items()
    written = write_bundle(items, directory)
    say(f"exported {len(written)} files to {directory}")


def catalog() -> None:
    """Show the products, their versions, channels and latest releases."""
    with herald_app() as herald:
        products = herald.reading.catalog().products
    console = SafeConsole(soft_wrap=True)
    if not products:
        console.print("the catalog is empty")
        return
    for product in products:
        tree = Tree(f"{product.name} ({product.id})")
        for version in product.versions:
            branch = tree.add(f"{product.name} {version.name}: {version.state_label}")
            for channel in version.channels:
                latest = channel.latest_release
                shipped = (
                    f"{latest.name} ({latest.released_on.isoformat()})" if latest else "no release"
                )
                branch.add(f"{channel.name}: {shipped}")
        console.print(tree)
