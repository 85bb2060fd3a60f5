"""``herald csaf export`` and ``herald csaf import``.

Export prints the CSAF 2.0 advisory of a public bulletin. Import reads another
vendor's CSAF 2.0 advisory into a draft bulletin and catalog entries, in one
transaction, and prints what could not be mapped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from herald.adapters.cli.acting import AsOption, acting
from herald.adapters.cli.context import herald_app
from herald.adapters.cli.csaf import csaf_app
from herald.adapters.cli.formats import public_sources
from herald.adapters.csaf_import import plan_import, read_source
from herald.adapters.formats.csaf import csaf_filename
from herald.adapters.formats.csaf_versions import CsafVersion
from herald.adapters.formats.machine import CSAF


@csaf_app.command("export", help=CSAF.export_help)
def export(
    article_id: Annotated[str, typer.Argument(help="The article id, e.g. CTX696397.")],
    version: Annotated[
        CsafVersion, typer.Option("--csaf-version", help="2.0, or the 2.1 draft.")
    ] = CsafVersion.V2_0,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file, or into this folder under the standard's file name.",
        ),
    ] = None,
) -> None:
    """Print the CSAF advisory of a public bulletin (``CSAF.export_help``)."""
    with herald_app() as herald:
        sources = public_sources(
            herald.publication, herald.reading, herald.settings, article_id, csaf_version=version
        )
    text = CSAF.render(sources, sources.bulletin.article_id)
    if output is None:
        typer.echo(text, nl=False)
        return
    target = output / csaf_filename(sources.bulletin.article_id) if output.is_dir() else output
    target.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {target}")


@csaf_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="A CSAF 2.0 advisory (JSON file).")],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Import a document that fails the CSAF schema or a mandatory test; "
            "the failures head the report.",
        ),
    ] = False,
    as_user: AsOption = None,
) -> None:
    """Turn another vendor's CSAF advisory into a draft bulletin plus catalog entries.

    The file is first validated (CSAF 2.0 schema and mandatory tests, as ``herald csaf
    validate --tests basic``); an invalid document is refused unless ``--force``. All
    or nothing: on any error the database is unchanged. The report lists what could
    not be mapped (product status categories, notes, CVSS v2, ...).
    """
    source = read_source(path, force=force)
    with herald_app() as herald:
        result = herald.csaf_import.import_draft(
            lambda catalog, publisher: plan_import(
                source.document, catalog, publisher, validation=source.report_lines()
            ),
            acting(herald.accounts, as_user, required=False),
        )
    draft = result.draft
    typer.echo(
        f"{draft.article_id} imported as a draft: {len(draft.cves)} CVE(s), "
        f"{len(draft.affected)} affected version(s), {len(draft.fixes)} fix(es)"
    )
    if result.products:
        typer.echo(f"catalog: {', '.join(result.products)} created or extended")
    if result.report:
        typer.echo("report:")
        for line in result.report:
            typer.echo(f"  - {line}")
