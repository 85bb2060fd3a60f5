"""Routes: herald as a CSAF 2.0 trusted provider.

=========================================  =============================================
``/.well-known/csaf/provider-metadata.json``  the provider metadata (requirements 7, 9)
``/.well-known/csaf/{path}``               documents, hashes, signatures, ``index.txt``,
                                           ``changes.csv``, ROLIE feeds, the public key,
                                           folder listings (``/`` and ``2026/``)
``/.well-known/security.txt``              RFC 9116 with the ``CSAF:`` field (requirement 8),
                                           cleartext-signed with the distribution's key
=========================================  =============================================

Every answer for ``/.well-known/csaf/`` comes from one snapshot of the distribution
(``DistributionKeeper.current``), so no response mixes two revisions. Nothing here
redirects (requirement 6): a folder is listed with or without its trailing slash.
``docs/csaf-provider.md`` describes the distribution.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from herald.adapters.csaf_distribution import DistributionUrls, security_txt
from herald.adapters.signing import SigningUnavailable
from herald.adapters.web import http_cache
from herald.adapters.web.deps import (
    ClockDep,
    CsafDistributionDep,
    PublicationDep,
    SettingsDep,
    SignaturesDep,
)
from herald.domain.errors import NotFound

router = APIRouter(include_in_schema=False)
log = logging.getLogger("herald.csaf")

_GET = ["GET", "HEAD"]
UNAVAILABLE = "The CSAF distribution is unavailable; the operator has been told why."
_ANY_ORIGIN = {"Access-Control-Allow-Origin": "*"}
"""Browser-based CSAF tools may read the public files (CSAF 2.1 asks for it; 2.0 is silent)."""


@router.api_route("/.well-known/csaf", methods=_GET)
def distribution_folder(request: Request, csaf_distribution: CsafDistributionDep) -> Response:
    """The listing of the distribution's top folder (no redirect to the trailing slash)."""
    return distribution_file(request, csaf_distribution, "")


@router.api_route("/.well-known/csaf/{path:path}", methods=_GET)
def distribution_file(
    request: Request, csaf_distribution: CsafDistributionDep, path: str
) -> Response:
    """One file (or folder listing) of the current CSAF distribution."""
    try:
        distribution = csaf_distribution.current()
    except SigningUnavailable as error:
        log.error("cannot build the CSAF distribution: %s", error.message)
        return PlainTextResponse(UNAVAILABLE, status_code=503)
    found = distribution.get(path)
    if found is None:
        raise NotFound(f"There is no file /.well-known/csaf/{path}.")
    return http_cache.respond(request, found.body, found.media_type, headers=_ANY_ORIGIN)


@router.api_route("/.well-known/security.txt", methods=_GET)
def security(
    request: Request,
    settings: SettingsDep,
    clock: ClockDep,
    publication: PublicationDep,
    signatures: SignaturesDep,
    csaf_distribution: CsafDistributionDep,
) -> Response:
    """How to report a vulnerability, and where the CSAF provider metadata is.

    Signed (an OpenPGP cleartext signature, as RFC 9116 section 2.3 recommends) with the
    key that signs the CSAF documents; unsigned when there is no key.
    """
    body = security_txt(
        DistributionUrls(settings.base_url),
        publication.publisher(),
        clock.now(),
    )
    try:
        fingerprint = csaf_distribution.current().fingerprint
        if fingerprint is not None:
            body = signatures.cleartext(body, fingerprint)
    except SigningUnavailable as error:
        log.error("security.txt is served unsigned: %s", error.message)
    return http_cache.respond(request, body, "text/plain; charset=utf-8")
