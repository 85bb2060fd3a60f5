"""Routes: the machine-readable documents of public bulletins.

=========================================  =========================================
``/bulletins/{id}.csaf.json``              the CSAF 2.0 advisory
``/bulletins/{id}.osv.json``               the OSV record
``/cve/{CVE-ID}.json``                     the CVE JSON 5 CNA container of one CVE
=========================================  =========================================

Every read goes through ``PublicationService`` (drafts and embargoed bulletins are a
404, like unknown ids); responses carry a content-hash ETag and answer 304.
This router is included before the site's, whose ``/bulletins/{name}`` would
otherwise take these paths. ``docs/machine-readable.md`` describes the documents.
"""

from __future__ import annotations

import re
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from herald.adapters.formats.csaf import render_csaf
from herald.adapters.formats.csaf_common import JSON_MEDIA_TYPE
from herald.adapters.formats.cve5 import PLACEHOLDER_ORG_ID, render_cve
from herald.adapters.formats.osv import render_osv
from herald.adapters.web import http_cache
from herald.adapters.web.deps import HeraldDep
from herald.bootstrap import Herald
from herald.domain.bulletin import Bulletin, Status
from herald.domain.errors import NotFound, ValidationError
from herald.domain.ids import parse_cve_id

router = APIRouter(include_in_schema=False)

_GET = ["GET", "HEAD"]
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


@router.api_route("/bulletins/{article_id}.csaf.json", methods=_GET)
def csaf(article_id: str, request: Request, herald: HeraldDep) -> Response:
    """The CSAF 2.0 advisory of a public bulletin."""
    bulletin = _public(herald, article_id)
    catalog, publisher = herald.publication.catalog(), herald.publication.publisher()
    text = render_csaf(bulletin, catalog, publisher, herald.settings.base_url)
    return _respond(request, text, bulletin.updated_at)


@router.api_route("/bulletins/{article_id}.osv.json", methods=_GET)
def osv(article_id: str, request: Request, herald: HeraldDep) -> Response:
    """The OSV record of a public bulletin."""
    bulletin = _public(herald, article_id)
    catalog, publisher = herald.publication.catalog(), herald.publication.publisher()
    text = render_osv(bulletin, catalog, publisher, herald.settings.base_url)
    return _respond(request, text, bulletin.updated_at)


@router.api_route("/cve/{cve_id}.json", methods=_GET)
def cve(cve_id: str, request: Request, herald: HeraldDep) -> Response:
    """The CVE JSON 5 CNA container of a CVE, from the newest public bulletin naming it."""
    try:
        parsed = parse_cve_id(cve_id, "cve")
    except ValidationError:
        raise NotFound(f"There is no CVE record {cve_id}.") from None
    found = herald.publication.by_cve(parsed)
    if not found:
        raise NotFound(f"No public bulletin names {parsed}.")
    current = [b for b in found if b.status is not Status.WITHDRAWN]
    bulletin = (current or list(found))[0]
    catalog, publisher = herald.publication.catalog(), herald.publication.publisher()
    org_id = herald.settings.cna_org_id or PLACEHOLDER_ORG_ID
    text = render_cve(bulletin, parsed, catalog, publisher, herald.settings.base_url, org_id=org_id)
    return _respond(request, text, bulletin.updated_at)


def _public(herald: Herald, article_id: str) -> Bulletin:
    if not _ID.fullmatch(article_id):
        raise NotFound(f"No public bulletin has the article id {article_id}.")
    return herald.publication.bulletin(article_id).bulletin


def _respond(request: Request, text: str, changed: datetime) -> Response:
    return http_cache.respond(request, text.encode("utf-8"), JSON_MEDIA_TYPE, last_modified=changed)
