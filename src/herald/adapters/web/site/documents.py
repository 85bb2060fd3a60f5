"""Routes: the machine-readable documents of public bulletins.

=========================================  =========================================
``/bulletins/{id}.csaf.json``              the CSAF 2.0 advisory
``/bulletins/{id}.osv.json``               the OSV record
``/cve/{CVE-ID}.json``                     the CVE JSON 5 CNA container of one CVE
=========================================  =========================================

One route per format of ``herald.adapters.formats.machine.MACHINE_FORMATS``, at its
scope's folder and suffix. Every read goes through ``PublicationService`` (drafts and
embargoed bulletins are a 404, like unknown ids); responses carry a content-hash ETag
and answer 304. This router is included before the site's, whose ``/bulletins/{name}``
would otherwise take these paths. ``docs/machine-readable.md`` describes the documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from herald.adapters.formats.cve5 import PLACEHOLDER_ORG_ID
from herald.adapters.formats.machine import (
    MACHINE_FORMATS,
    MachineFormat,
    Scope,
    Sources,
    newest_naming,
)
from herald.adapters.web import http_cache
from herald.adapters.web.deps import PublicationDep, SettingsDep
from herald.config import Settings
from herald.domain.bulletin import Bulletin
from herald.domain.errors import NotFound, ValidationError
from herald.domain.ids import parse_cve_id
from herald.services.publication import PublicationService

router = APIRouter(include_in_schema=False)

_GET = ["GET", "HEAD"]
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")

Handler = Callable[[str, Request, Settings, PublicationService], Response]


def _of_bulletin(fmt: MachineFormat) -> Handler:
    def document(
        article_id: str, request: Request, settings: SettingsDep, publication: PublicationDep
    ) -> Response:
        bulletin = _public(publication, article_id)
        return _respond(request, settings, publication, fmt, bulletin, bulletin.article_id)

    document.__doc__ = f"The {fmt.label} of a public bulletin."
    return document


def _of_cve(fmt: MachineFormat) -> Handler:
    def document(
        cve_id: str, request: Request, settings: SettingsDep, publication: PublicationDep
    ) -> Response:
        try:
            parsed = parse_cve_id(cve_id, "cve")
        except ValidationError:
            raise NotFound(f"There is no CVE record {cve_id}.") from None
        found = publication.by_cve(parsed)
        if not found:
            raise NotFound(f"No public bulletin names {parsed}.")
        return _respond(request, settings, publication, fmt, newest_naming(found), parsed)

    document.__doc__ = f"The {fmt.label} of a CVE, from the newest public bulletin naming it."
    return document


for _fmt in MACHINE_FORMATS:
    _parameter = "article_id" if _fmt.scope is Scope.BULLETIN else "cve_id"
    router.add_api_route(
        f"{_fmt.scope.folder}{{{_parameter}}}{_fmt.suffix}",
        (_of_bulletin if _fmt.scope is Scope.BULLETIN else _of_cve)(_fmt),
        methods=_GET,
        name=_fmt.name,
    )


def _public(publication: PublicationService, article_id: str) -> Bulletin:
    if not _ID.fullmatch(article_id):
        raise NotFound(f"No public bulletin has the article id {article_id}.")
    return publication.bulletin(article_id).bulletin


def _respond(
    request: Request,
    settings: Settings,
    publication: PublicationService,
    fmt: MachineFormat,
    bulletin: Bulletin,
    subject: str,
) -> Response:
    sources = Sources(
        bulletin,
        publication.catalog(),
        publication.publisher(),
        settings.base_url,
        cna_org_id=settings.cna_org_id or PLACEHOLDER_ORG_ID,
    )
    body = fmt.body(sources, subject)
    return http_cache.respond(request, body, fmt.media_type, last_modified=bulletin.updated_at)
