"""``herald osv export`` and ``herald cve export``: machine-readable forms of public bulletins.

Only bulletins readers can see are exported: a draft or an embargoed bulletin gives a
one-line error (exit 2), an unknown id or CVE exit 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from herald.adapters.cli.context import herald_app
from herald.adapters.formats.cve5 import PLACEHOLDER_ORG_ID, render_cve
from herald.adapters.formats.osv import render_osv
from herald.bootstrap import Herald
from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import Catalog
from herald.domain.errors import NotFound, RuleViolation
from herald.domain.ids import parse_cve_id
from herald.domain.publisher import Publisher

osv_app = typer.Typer(help="OSV records of public bulletins.", no_args_is_help=True)
cve_app = typer.Typer(
    help="CVE JSON 5 records (CNA containers) of public CVEs.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(osv_app, name="osv")
    app.add_typer(cve_app, name="cve")


@dataclass(frozen=True)
class Exportable:
    """A public bulletin with the catalog and publisher its documents are made from."""

    bulletin: Bulletin
    catalog: Catalog
    publisher: Publisher
    base_url: str


def public_bulletin(herald: Herald, article_id: str) -> Exportable:
    """The public bulletin ``article_id``; a one-line error for a draft or unknown id."""
    try:
        public = herald.publication.bulletin(article_id)
    except NotFound:
        stored = herald.reading.bulletin(article_id)  # NotFound (exit 3) when unknown
        raise RuleViolation(
            "status",
            f"{stored.article_id} is {stored.status.label}; only published or withdrawn "
            "bulletins are exported",
        ) from None
    return Exportable(
        public.bulletin,
        herald.publication.catalog(),
        herald.publication.publisher(),
        herald.settings.base_url,
    )


def bulletin_for_cve(herald: Herald, cve: str) -> Bulletin:
    """The newest public bulletin naming ``cve`` (a withdrawn one only when no other is)."""
    found = herald.publication.by_cve(parse_cve_id(cve, "cve"))
    if not found:
        raise NotFound(f"no public bulletin names {cve}")
    current = [b for b in found if b.status is not Status.WITHDRAWN]
    return (current or list(found))[0]


@osv_app.command("export")
def osv_export(
    article_id: Annotated[str, typer.Argument(help="The article id, e.g. CTX696397.")],
) -> None:
    """Print the OSV record of a public bulletin (JSON, keys sorted)."""
    with herald_app() as herald:
        item = public_bulletin(herald, article_id)
    typer.echo(render_osv(item.bulletin, item.catalog, item.publisher, item.base_url), nl=False)


@cve_app.command("export")
def cve_export(
    cve: Annotated[str, typer.Argument(help="The CVE id, e.g. CVE-2026-4397.")],
    org_id: Annotated[
        str | None,
        typer.Option(
            "--org-id",
            help="The CNA's organisation UUID (providerMetadata.orgId); "
            "default: HERALD_CNA_ORG_ID.",
        ),
    ] = None,
) -> None:
    """Print the CVE JSON 5 CNA container of a CVE, from the public bulletin naming it."""
    with herald_app() as herald:
        bulletin = bulletin_for_cve(herald, cve)
        item = public_bulletin(herald, bulletin.article_id)
        chosen = org_id or herald.settings.cna_org_id or PLACEHOLDER_ORG_ID
    text = render_cve(
        item.bulletin, cve.strip(), item.catalog, item.publisher, item.base_url, org_id=chosen
    )
    typer.echo(text, nl=False)
