"""Atom and RSS feeds of public bulletins, and the HTML page that lists them.

The documents come from ``herald.adapters.formats.feeds``; links are absolute, from
``Settings.base_url``. ``docs/feeds.md`` describes the feeds for their readers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from herald.adapters.formats.feeds import (
    ATOM_MEDIA_TYPE,
    RSS_MEDIA_TYPE,
    Feed,
    FeedEntry,
    render_atom,
    render_rss,
)
from herald.adapters.web import http_cache
from herald.adapters.web.deps import PublicationDep, SettingsDep, TemplatesDep
from herald.adapters.web.urls import PublicUrls
from herald.config import Settings
from herald.domain.catalog import Product
from herald.services.ports.bulletins import BulletinQuery
from herald.services.publication import PublicationService

router = APIRouter(prefix="/feeds", include_in_schema=False)

_GET = ["GET", "HEAD"]
FEED_SIZE = 50
"""Entries per feed: the bulletins that changed last."""

Renderer = Callable[[Feed], bytes]
ProductIdPath = Annotated[str, Path(max_length=64)]


@router.api_route("/", methods=_GET)
def feeds_index(
    request: Request, settings: SettingsDep, publication: PublicationDep, templates: TemplatesDep
) -> Response:
    """The feeds on offer, for people."""
    urls = PublicUrls(settings.base_url)
    products = [
        {
            "name": product.name,
            "atom": urls.product_feed(product.id, "atom"),
            "rss": urls.product_feed(product.id, "rss"),
        }
        for product in publication.catalog().products
    ]
    page = templates.TemplateResponse(
        request,
        "feeds/index.html",
        {
            "all_feeds": {"atom": urls.feed("atom"), "rss": urls.feed("rss")},
            "products": products,
            "limit": FEED_SIZE,
        },
    )
    return http_cache.respond(request, bytes(page.body), "text/html; charset=utf-8")


@router.api_route("/bulletins.atom", methods=_GET)
def all_bulletins_atom(
    request: Request, settings: SettingsDep, publication: PublicationDep
) -> Response:
    """Every public bulletin, Atom 1.0."""
    return _feed(request, settings, publication, None, "atom")


@router.api_route("/bulletins.rss", methods=_GET)
def all_bulletins_rss(
    request: Request, settings: SettingsDep, publication: PublicationDep
) -> Response:
    """Every public bulletin, RSS 2.0."""
    return _feed(request, settings, publication, None, "rss")


@router.api_route("/products/{product_id}.atom", methods=_GET)
def product_atom(
    request: Request, settings: SettingsDep, publication: PublicationDep, product_id: ProductIdPath
) -> Response:
    """The public bulletins affecting one product, Atom 1.0."""
    return _feed(request, settings, publication, product_id, "atom")


@router.api_route("/products/{product_id}.rss", methods=_GET)
def product_rss(
    request: Request, settings: SettingsDep, publication: PublicationDep, product_id: ProductIdPath
) -> Response:
    """The public bulletins affecting one product, RSS 2.0."""
    return _feed(request, settings, publication, product_id, "rss")


def _feed(
    request: Request,
    settings: Settings,
    publication: PublicationService,
    product_id: str | None,
    suffix: str,
) -> Response:
    product = publication.catalog().product(product_id) if product_id else None
    feed = build_feed(settings, publication, product, suffix)
    render: Renderer = render_atom if suffix == "atom" else render_rss
    media_type = ATOM_MEDIA_TYPE if suffix == "atom" else RSS_MEDIA_TYPE
    return http_cache.respond(
        request,
        render(feed),
        media_type,
        last_modified=http_cache.newest_change(publication),
    )


def build_feed(
    settings: Settings, publication: PublicationService, product: Product | None, suffix: str
) -> Feed:
    """The feed of the ``FEED_SIZE`` bulletins that changed last (of ``product``)."""
    urls = PublicUrls(settings.base_url)
    page = publication.bulletins(
        BulletinQuery(product=product.id if product else None, order="updated", limit=FEED_SIZE)
    )
    documents = publication.documents(page.bulletins)
    publisher = publication.publisher()
    entries = [
        FeedEntry(
            bulletin=bulletin,
            document=document,
            url=urls.bulletin_html(bulletin.article_id),
            json_url=urls.bulletin_api(bulletin.article_id),
        )
        for bulletin, document in zip(page.bulletins, documents, strict=True)
    ]
    title = f"{publisher.brand} security bulletins"
    about = "every product"
    if product is not None:
        title, about = f"{title}: {product.name}", product.name
    return Feed(
        title=title,
        description=f"Security bulletins from {publisher.name} about {about}, newest change first.",
        url=urls.product_feed(product.id, suffix) if product else urls.feed(suffix),
        site_url=urls.product_html(product.id) if product else urls.home(),
        author=publisher.name,
        entries=entries,
    )
