"""The public JSON API under ``/api/v1``: bulletins (cursor-paged); the product catalog
is ``catalog.py``, whose router this one includes after its own routes.

Every read goes through ``PublicationService``, so an embargoed or draft bulletin is
never listed and its id answers exactly like an unknown one. Each 200 carries a weak
``ETag`` (a hash of the body) and ``Cache-Control``; bulletin responses also carry
``Last-Modified``. Bulletin answers are kept per site generation and URL in the site
cache (``site_cache.keep``), like the site's pages (``responses.py``). ``docs/api.md``
describes the API for its users.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from itsdangerous import BadData, URLSafeSerializer

from herald.adapters.web import http_cache
from herald.adapters.web.api import catalog as api_catalog
from herald.adapters.web.api.models import BulletinDetail, BulletinList, BulletinSummary
from herald.adapters.web.api.responses import (
    CACHE_HEADERS,
    INVALID,
    LAST_MODIFIED,
    NOT_MODIFIED,
    json_answer,
    not_found,
)
from herald.adapters.web.deps import PublicationDep, SettingsDep
from herald.adapters.web.urls import API_PREFIX, PublicUrls
from herald.config import Settings
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog, Product
from herald.domain.errors import NotFound, ValidationError
from herald.domain.ids import parse_cve_id
from herald.services.ports.bulletins import BulletinQuery
from herald.services.publication import PublicationService

router = APIRouter(prefix=API_PREFIX, responses={**INVALID})

PAGE_SIZE = 20
"""Bulletins per page unless ``limit`` says otherwise."""
MAX_PAGE_SIZE = 100
_CURSOR_SALT = "herald.api.cursor.v1"
_ARTICLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# --- bulletins ---------------------------------------------------------------------

ProductParam = Annotated[
    str | None,
    Query(
        description="Only bulletins affecting this product (its id, see `/api/v1/products`).",
        examples=["xenserver"],
        max_length=64,
    ),
]
VersionParam = Annotated[
    str | None,
    Query(
        description="With `product`: only bulletins affecting this version of it.",
        examples=["8.4"],
        max_length=100,
    ),
]
SeverityParam = Annotated[
    str | None,
    Query(
        description="Only bulletins of this severity, from the publisher's scale "
        "(default Critical, High, Medium, Low; case-insensitive).",
        examples=["High"],
        max_length=50,
    ),
]
YearParam = Annotated[
    int | None,
    Query(
        description="Only bulletins first published in this year (UTC).",
        ge=1970,
        le=9999,
        examples=[2026],
    ),
]
CveParam = Annotated[
    str | None,
    Query(
        description="Only bulletins naming this CVE id (case-insensitive).",
        examples=["CVE-2026-4397"],
        max_length=40,
    ),
]
TextParam = Annotated[
    str | None,
    Query(
        description="Case-insensitive search in the article id, title, CVE ids and problem "
        "text (the site's search box).",
        examples=["memory"],
        max_length=200,
    ),
]
LimitParam = Annotated[
    int,
    Query(description="Bulletins per page.", ge=1, le=MAX_PAGE_SIZE, examples=[PAGE_SIZE]),
]
CursorParam = Annotated[
    str | None,
    Query(
        description="The `next_cursor` of the previous page, as given (opaque and signed; "
        "a cursor that was altered is refused with 422). Keep the other parameters "
        "unchanged while paging.",
        max_length=512,
    ),
]


@router.get(
    "/bulletins",
    response_model=BulletinList,
    tags=["bulletins"],
    summary="List public bulletins, newest first",
    responses={
        200: {
            "headers": {
                **CACHE_HEADERS,
                **LAST_MODIFIED,
                "Link": {
                    "description": 'The next page: `<URL>; rel="next"` (absent on the last).',
                    "schema": {"type": "string"},
                },
            }
        },
        **NOT_MODIFIED,
    },
)
def list_bulletins(
    request: Request,
    settings: SettingsDep,
    publication: PublicationDep,
    product: ProductParam = None,
    version: VersionParam = None,
    severity: SeverityParam = None,
    year: YearParam = None,
    cve: CveParam = None,
    q: TextParam = None,
    limit: LimitParam = PAGE_SIZE,
    cursor: CursorParam = None,
) -> Response:
    """Published and withdrawn bulletins, newest first by first publication (then by
    article id), filtered and paged with a cursor. `total` counts every match."""
    generation = publication.generation()
    query = _filters(publication, product, version, severity, year, cve, q)
    after = _decode_cursor(settings, cursor) if cursor is not None else None
    page = publication.bulletins(replace(query, limit=limit + 1, after=after))
    shown = page.bulletins[:limit]
    more = len(page.bulletins) > limit
    next_cursor = _encode_cursor(settings, shown[-1]) if more and shown else None
    urls = PublicUrls(settings.base_url)
    body = BulletinList(
        data=[BulletinSummary.build(bulletin, urls) for bulletin in shown],
        next_cursor=next_cursor,
        total=page.total,
    )
    links: dict[str, str] = {}
    if next_cursor is not None:
        links["Link"] = f'<{_next_url(request, urls, next_cursor)}>; rel="next"'
    return json_answer(
        request, body, http_cache.newest_change(publication), links, generation=generation
    )


@router.get(
    "/bulletins/{article_id}",
    response_model=BulletinDetail,
    tags=["bulletins"],
    summary="One public bulletin with its revisions",
    responses={
        200: {"headers": {**CACHE_HEADERS, **LAST_MODIFIED}},
        **NOT_MODIFIED,
        **not_found("public bulletin (unknown and unpublished ids answer alike)"),
    },
)
def get_bulletin(
    request: Request,
    settings: SettingsDep,
    publication: PublicationDep,
    article_id: Annotated[
        str, Path(description="The article id.", examples=["CTX696397"], max_length=64)
    ],
) -> Response:
    """The bulletin as readers see it; `revisions` numbers its change log (1 is the
    initial publication). A draft, an embargoed bulletin and an unknown id all get the
    same 404."""
    missing = NotFound(f"no bulletin {article_id!r}")
    if not _ARTICLE_ID.fullmatch(article_id):
        raise missing
    generation = publication.generation()
    try:
        public = publication.bulletin(article_id)
    except NotFound:
        raise missing from None
    urls = PublicUrls(settings.base_url)
    body = BulletinDetail.build(public.bulletin, public.document, urls)
    return json_answer(request, body, public.bulletin.updated_at, generation=generation)


# --- helpers -----------------------------------------------------------------------


def _filters(
    publication: PublicationService,
    product: str | None,
    version: str | None,
    severity: str | None,
    year: int | None,
    cve: str | None,
    text: str | None,
) -> BulletinQuery:
    """The query the parameters ask for; ``ValidationError`` naming the first bad one."""
    named = {"product": product, "version": version, "severity": severity, "cve": cve, "q": text}
    for name, value in named.items():
        if value is not None and _CONTROL.search(value):
            raise ValidationError(name, "must not contain control characters")
    if version is not None and product is None:
        raise ValidationError("version", "give product as well")
    if product is not None:
        found = _product(publication.catalog(), product)
        if version is not None and all(v.name != version for v in found.versions):
            raise ValidationError("version", f"{found.name} has no version {version!r}")
    if severity is not None:
        severity = _severity(publication, severity)
    if cve is not None:
        cve = parse_cve_id(cve.strip().upper(), "cve")
    if text is not None:
        text = text.strip() or None
    return BulletinQuery(
        product=product,
        version=version,
        severity=severity,
        year=year,
        cve=cve,
        text=text,
        order="published",
    )


def _product(catalog: Catalog, product_id: str) -> Product:
    try:
        return catalog.product(product_id)
    except NotFound:
        raise ValidationError("product", f"no product {product_id!r}") from None


def _severity(publication: PublicationService, severity: str) -> str:
    scale = publication.publisher().severities
    for known in scale:
        if known.casefold() == severity.strip().casefold():
            return known
    raise ValidationError("severity", f"{severity!r} is not one of {', '.join(scale)}")


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.signing_key(), salt=_CURSOR_SALT)


def _encode_cursor(settings: Settings, last: Bulletin) -> str:
    """A signed token naming the keyset (first publication, article id) of ``last``."""
    instant = last.published_at or last.updated_at
    token: str = _serializer(settings).dumps([instant.isoformat(), last.article_id])
    return token


def _decode_cursor(settings: Settings, token: str) -> tuple[datetime, str]:
    refused = ValidationError("cursor", "is not a cursor this API issued (pass next_cursor as is)")
    try:
        value = _serializer(settings).loads(token)
    except BadData:
        raise refused from None
    match value:
        case [str(instant), str(article_id)]:
            try:
                return datetime.fromisoformat(instant), article_id
            except ValueError:
                raise refused from None
        case _:
            raise refused


def _next_url(request: Request, urls: PublicUrls, cursor: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", cursor))
    return f"{urls.bulletins_api()}?{urlencode(params)}"


router.include_router(api_catalog.router)  # /products...: under this prefix, after /bulletins
