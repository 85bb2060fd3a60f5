"""Routes: the public knowledge center, server-rendered HTML that needs no script.

=========================================  =========================================
``/``, ``/page/{n}/``                      bulletins, newest first; filters and search
``/bulletins/{id}``                        one bulletin
``/bulletins/{id}.json`` ``.txt`` ``.md``  its machine-readable renderings
``/products/``, ``/products/{id}``         the catalog and what affects each version
``/cve/{id}``                              the bulletin (303) or bulletins naming a CVE
``/sitemap.xml``, ``/robots.txt``          for crawlers
=========================================  =========================================

Every page is rendered once per site generation and path and kept in memory
(``site_cache``); a cached request only shares a generation read and is answered on
the event loop. ``docs/site.md`` has the details.
"""

from __future__ import annotations

import re
import threading

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from herald.adapters.formats import RenderFormat
from herald.adapters.web.site.cache import cached
from herald.adapters.web.site.pages import Pages
from herald.adapters.web.site.query import parse_page
from herald.domain.errors import NotFound
from herald.domain.ids import parse_cve_id

router = APIRouter(include_in_schema=False)

_GET = ["GET", "HEAD"]
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
"""What an article or product id may look like in a URL; anything else is a 404."""
_ALTERNATES = {
    ".json": RenderFormat.JSON,
    ".txt": RenderFormat.TEXT,
    ".md": RenderFormat.MARKDOWN,
}
_CREATING = threading.Lock()


def for_static_export(app: FastAPI) -> None:
    """Render ``app``'s pages for a static copy: no search form, no live-only links."""
    app.state.static_site = True
    app.state.templates.env.globals["static_site"] = True
    app.state.site_pages = Pages(app)


def _pages(request: Request) -> Pages:
    pages: Pages | None = getattr(request.app.state, "site_pages", None)
    if pages is None:
        with _CREATING:
            pages = getattr(request.app.state, "site_pages", None)
            if pages is None:
                pages = Pages(request.app)
                request.app.state.site_pages = pages
    return pages


@router.api_route("/", methods=_GET)
async def bulletin_list(request: Request) -> Response:
    params = request.query_params
    return await cached(
        request,
        lambda generation: _pages(request).bulletin_list(generation, params, params.get("page")),
    )


@router.api_route("/page/{number}/", methods=_GET)
async def numbered_page(number: str, request: Request) -> Response:
    if parse_page(number) == 1:
        query = request.url.query
        return RedirectResponse(f"/?{query}" if query else "/", status_code=308)
    params = request.query_params
    return await cached(
        request, lambda generation: _pages(request).bulletin_list(generation, params, number)
    )


@router.api_route("/bulletins/{name}", methods=_GET)
async def bulletin(name: str, request: Request) -> Response:
    stem, dot, suffix = name.partition(".")
    fmt = _ALTERNATES.get(f"{dot}{suffix}") if dot else None
    if (dot and fmt is None) or not _ID.fullmatch(stem):
        raise NotFound(f"No public bulletin has the article id {name}.")
    if fmt is None:
        return await cached(request, lambda generation: _pages(request).bulletin(generation, stem))
    return await cached(
        request, lambda generation: _pages(request).alternate(generation, stem, fmt)
    )


@router.api_route("/products/", methods=_GET)
async def products(request: Request) -> Response:
    return await cached(request, lambda generation: _pages(request).products(generation))


@router.api_route("/products/{product_id}", methods=_GET)
async def product(product_id: str, request: Request) -> Response:
    if not _ID.fullmatch(product_id):
        raise NotFound(f"There is no product {product_id}.")
    return await cached(request, lambda generation: _pages(request).product(generation, product_id))


@router.api_route("/cve/{cve_id}", methods=_GET)
async def cve(cve_id: str, request: Request) -> Response:
    parsed = parse_cve_id(cve_id, "cve")
    return await cached(request, lambda generation: _pages(request).cve(generation, parsed))


@router.api_route("/sitemap.xml", methods=_GET)
async def sitemap(request: Request) -> Response:
    return await cached(request, lambda generation: _pages(request).sitemap(generation))


@router.api_route("/robots.txt", methods=_GET)
async def robots(request: Request) -> Response:
    return await cached(request, lambda _: _pages(request).robots())
