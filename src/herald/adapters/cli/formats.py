"""``herald <format> export``: the machine-readable documents of public bulletins.

One command group per format of ``herald.adapters.formats.machine.MACHINE_FORMATS``
(``herald csaf``, ``herald osv``, ``herald cve``), each with an ``export`` command
made here from the format's scope: ``export ARTICLE_ID`` for a format of bulletins,
``export CVE [--org-id]`` for a format of CVEs. A format with options of its own
brings its group (``herald csaf``, whose ``export`` lives in ``csaf_documents``).

Only bulletins readers can see are exported: a draft or an embargoed bulletin gives a
one-line error (exit 2), an unknown id or CVE exit 3.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from herald.adapters.cli import csaf
from herald.adapters.cli.context import herald_app
from herald.adapters.formats.csaf_versions import CsafVersion
from herald.adapters.formats.cve5 import PLACEHOLDER_ORG_ID
from herald.adapters.formats.machine import (
    MACHINE_FORMATS,
    MachineFormat,
    Scope,
    Sources,
    newest_naming,
)
from herald.config import Settings
from herald.domain.bulletin import Bulletin
from herald.domain.errors import NotFound, RuleViolation
from herald.domain.ids import parse_cve_id
from herald.services.publication import PublicationService
from herald.services.reading import ReadingService

ArticleId = Annotated[str, typer.Argument(help="The article id, e.g. CTX696397.")]
CveArgument = Annotated[str, typer.Argument(help="The CVE id, e.g. CVE-2026-4397.")]
OrgIdOption = Annotated[
    str | None,
    typer.Option(
        "--org-id",
        help="The CNA's organisation UUID (providerMetadata.orgId); default: HERALD_CNA_ORG_ID.",
    ),
]


def register(app: typer.Typer) -> None:
    """One command group per machine-readable format, in the registry's order."""
    own_groups = {"csaf": csaf.group()}
    for fmt in MACHINE_FORMATS:
        group = own_groups.get(fmt.name)
        if group is None:
            group = typer.Typer(help=fmt.summary, no_args_is_help=True)
            group.command("export", help=fmt.export_help)(_export_command(fmt))
        app.add_typer(group, name=fmt.name)


def _export_command(fmt: MachineFormat) -> Callable[..., None]:
    if fmt.scope is Scope.BULLETIN:

        def export_bulletin(article_id: ArticleId) -> None:
            with herald_app() as herald:
                sources = public_sources(
                    herald.publication, herald.reading, herald.settings, article_id
                )
            typer.echo(fmt.render(sources, sources.bulletin.article_id), nl=False)

        return export_bulletin

    def export_cve(cve: CveArgument, org_id: OrgIdOption = None) -> None:
        with herald_app() as herald:
            bulletin = bulletin_for_cve(herald.publication, cve)
            sources = public_sources(
                herald.publication,
                herald.reading,
                herald.settings,
                bulletin.article_id,
                org_id=org_id,
            )
        typer.echo(fmt.render(sources, cve.strip()), nl=False)

    return export_cve


def public_sources(
    publication: PublicationService,
    reading: ReadingService,
    settings: Settings,
    article_id: str,
    *,
    org_id: str | None = None,
    csaf_version: CsafVersion = CsafVersion.V2_0,
) -> Sources:
    """What the documents of the public bulletin ``article_id`` are made from; a
    one-line error for a draft or unknown id."""
    try:
        public = publication.bulletin(article_id)
    except NotFound:
        stored = reading.bulletin(article_id)  # NotFound (exit 3) when unknown
        raise RuleViolation(
            "status",
            f"{stored.article_id} is {stored.status.label}; only published or withdrawn "
            "bulletins are exported",
        ) from None
    return Sources(
        public.bulletin,
        publication.catalog(),
        publication.publisher(),
        settings.base_url,
        cna_org_id=org_id or settings.cna_org_id or PLACEHOLDER_ORG_ID,
        csaf_version=csaf_version,
    )


def bulletin_for_cve(publication: PublicationService, cve: str) -> Bulletin:
    """The newest public bulletin naming ``cve`` (a withdrawn one only when no other is)."""
    found = publication.by_cve(parse_cve_id(cve, "cve"))
    if not found:
        raise NotFound(f"no public bulletin names {cve}")
    return newest_naming(found)
