"""``herald export-site``: the public site as static files for a file server or CDN."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from herald.adapters.cli.context import herald_app
from herald.adapters.site_export.export import export_site as write_site
from herald.adapters.web import create_app


def register(app: typer.Typer) -> None:
    app.command("export-site")(export_site)


def export_site(
    destination: Annotated[
        Path, typer.Argument(help="Folder to write; replaced as a whole when the export is done.")
    ],
) -> None:
    """Write every public page, rendering, feed and sitemap to DESTINATION as plain files.

    Search and filters need the live site; docs/site.md explains how to serve the copy.
    """
    with herald_app() as herald:
        app = create_app(herald, run_scheduler=False)
        report = write_site(
            app,
            destination,
            herald.settings.base_url,
            generation=herald.publication.generation,
        )
    for missing in report.missing:
        typer.echo(f"herald: warning: linked but not exported: {missing}", err=True)
    if not report.consistent:
        typer.echo("herald: warning: the site kept changing during the export", err=True)
    typer.echo(f"exported {len(report.files)} files to {destination}")
