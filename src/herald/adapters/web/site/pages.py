"""The public pages, rendered: what each one reads through ``PublicationService`` and
how it is laid out. ``routes/site.py`` maps URLs to these and caches the result.

Nothing here reads storage directly: every bulletin comes from the publication
service, which never returns a draft or an embargoed bulletin.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from herald.adapters.formats import RenderFormat, render
from herald.adapters.formats import _layout as layout
from herald.adapters.formats.html import inline_markdown_to_html, render_article
from herald.adapters.formats.html import title_text as document_title_text
from herald.adapters.formats.machine import MACHINE_FORMATS, Scope
from herald.adapters.web.site.cache import Page
from herald.adapters.web.site.query import PAGE_SIZE, ListFilters, parse_filters, parse_page
from herald.config import Settings
from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import Catalog, Product, ProductVersion
from herald.domain.errors import NotFound
from herald.domain.product_status import products_of
from herald.domain.publisher import Publisher
from herald.services.ports.bulletins import BulletinHeadline, BulletinQuery
from herald.services.publication import PublicationService, PublicBulletin

HTML = "text/html; charset=utf-8"
PRODUCT_PAGE_LIMIT = 1_000
"""The most bulletins a product page lists per version (newest first)."""
SITEMAP_LIMIT = 50_000
"""The sitemap protocol's limit of URLs per file."""


@dataclass(frozen=True)
class Site:
    """What every page of one generation shares: read once per generation."""

    generation: int
    publisher: Publisher
    catalog: Catalog
    years: tuple[int, ...]
    """Years of first publication that have public bulletins, newest first."""
    total: int
    """Public bulletins in all."""
    latest: datetime | None
    """The newest change of any public bulletin."""

    @property
    def versions(self) -> Mapping[str, tuple[str, ...]]:
        return {p.id: tuple(v.name for v in p.versions) for p in self.catalog.products}


@dataclass(frozen=True)
class Row:
    """A bulletin as one line of a list."""

    article_id: str
    title_html: Markup
    severity: str | None
    cves: tuple[str, ...]
    published_on: date | None
    updated_on: date
    withdrawn: bool

    @classmethod
    def of(cls, bulletin: Bulletin) -> Row:
        return cls(
            article_id=bulletin.article_id,
            title_html=inline_markdown_to_html(bulletin.title),
            severity=bulletin.severity,
            cves=tuple(bulletin.cves),
            published_on=bulletin.published_at.date() if bulletin.published_at else None,
            updated_on=bulletin.updated_on,
            withdrawn=bulletin.status is Status.WITHDRAWN,
        )


@dataclass(frozen=True)
class Link:
    """A bulletin as one link of a long list (product pages)."""

    article_id: str
    title_html: Markup
    withdrawn: bool

    @classmethod
    def of(cls, headline: BulletinHeadline) -> Link:
        return cls(
            article_id=headline.article_id,
            title_html=inline_markdown_to_html(headline.title),
            withdrawn=headline.status is Status.WITHDRAWN,
        )


class Pages:
    """Renders the public pages of one application."""

    def __init__(self, app: FastAPI) -> None:
        self._settings: Settings = app.state.herald.settings
        self._publication: PublicationService = app.state.herald.publication
        self._templates: Jinja2Templates = app.state.templates
        self._static = bool(getattr(app.state, "static_site", False))
        self._lock = threading.Lock()
        self._site: Site | None = None

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    def site(self, generation: int) -> Site:
        """The shared facts at ``generation`` (read again when it moves)."""
        with self._lock:
            if self._site is not None and self._site.generation == generation:
                return self._site
        publication = self._publication
        newest = publication.bulletins(BulletinQuery(limit=1))
        years: tuple[int, ...] = ()
        if newest.total:
            oldest = publication.bulletins(BulletinQuery(limit=1, offset=newest.total - 1))
            first, last = _year(oldest.bulletins), _year(newest.bulletins)
            years = tuple(range(last, first - 1, -1)) if first and last else ()
        updated = publication.bulletins(BulletinQuery(limit=1, order="updated")).bulletins
        publisher = publication.publisher()
        site = Site(
            generation=generation,
            publisher=publisher,
            catalog=publication.catalog(),
            years=years,
            total=newest.total,
            latest=_utc(updated[0].updated_at) if updated else None,
        )
        self._templates.env.globals["site_name"] = publisher.brand
        with self._lock:
            self._site = site
        return site

    # pages

    def bulletin_list(
        self, generation: int, params: Mapping[str, str], page_text: str | None
    ) -> Page:
        site = self.site(generation)
        filters = parse_filters(params, site.versions, site.publisher.severities)
        page = parse_page(page_text)
        result = self._publication.bulletins(filters.query(page))
        pages = max(1, -(-result.total // PAGE_SIZE))
        if page > pages:
            raise NotFound(f"page: there is no page {page} (the last page is {pages})")
        links = {
            "prev": filters.url(page - 1) if page > 1 else None,
            "next": filters.url(page + 1) if page < pages else None,
        }
        return self._html(
            "site/list.html",
            site.latest,
            site=site,
            filters=filters,
            rows=[Row.of(b) for b in result.bulletins],
            total=result.total,
            page=page,
            pages=pages,
            numbers=_page_numbers(page, pages),
            page_url=filters.url,
            links=links,
            canonical=filters.url(page),
            first=(page - 1) * PAGE_SIZE + 1,
        )

    def bulletin(self, generation: int, article_id: str) -> Page:
        site = self.site(generation)
        public = self._published(article_id)
        bulletin, document = public.bulletin, public.document
        products = {
            product: site.catalog.product(product) for product in products_of(bulletin.content())
        }
        return self._html(
            "site/bulletin.html",
            _utc(bulletin.updated_at),
            site=site,
            document=document,
            title_html=inline_markdown_to_html(document.title),
            title_text=document_title_text(document),
            notice=layout.status_notice(document),
            layout=layout,
            article=render_article(document),
            published_on=bulletin.published_at.date() if bulletin.published_at else None,
            alternates=_alternates(bulletin.article_id),
            machine_alternates=_machine_alternates(bulletin),
            machine_forms=_machine_forms(bulletin),
            products=list(products.values()),
            canonical=f"/bulletins/{bulletin.article_id}",
        )

    def alternate(self, generation: int, article_id: str, fmt: RenderFormat) -> Page:
        public = self._published(article_id)
        return Page.text(
            render(public.document, fmt), fmt.media_type, _utc(public.bulletin.updated_at)
        )

    def products(self, generation: int) -> Page:
        site = self.site(generation)
        return self._html("site/products.html", site.latest, site=site, canonical="/products/")

    def product(self, generation: int, product_id: str) -> Page:
        site = self.site(generation)
        product = site.catalog.product(product_id)
        versions = [self._version(product, version) for version in product.versions]
        return self._html(
            "site/product.html",
            site.latest,
            site=site,
            product=product,
            versions=versions,
            canonical=f"/products/{product.id}",
        )

    def cve(self, generation: int, cve: str) -> Page:
        site = self.site(generation)
        found = self._publication.by_cve(cve)
        if not found:
            raise NotFound(f"No public bulletin names {cve}.")
        if len(found) == 1:
            return Page.redirect(f"/bulletins/{found[0].article_id}")
        return self._html(
            "site/cve.html",
            max(_utc(b.updated_at) for b in found),
            site=site,
            cve=cve,
            rows=[Row.of(b) for b in found],
            canonical=f"/cve/{cve}",
        )

    def sitemap(self, generation: int) -> Page:
        site = self.site(generation)
        base = self.base_url
        pages = max(1, -(-site.total // PAGE_SIZE))
        urls: list[tuple[str, datetime | None]] = [(f"{base}/", site.latest)]
        urls += [(f"{base}{ListFilters().url(n)}", site.latest) for n in range(2, pages + 1)]
        urls.append((f"{base}/products/", site.latest))
        urls += [(f"{base}/products/{p.id}", site.latest) for p in site.catalog.products]
        room = SITEMAP_LIMIT - len(urls)
        if room > 0:
            headlines = self._publication.headlines(BulletinQuery(limit=room))
            urls += [(f"{base}/bulletins/{h.article_id}", _utc(h.updated_at)) for h in headlines]
        body = self._templates.get_template("site/sitemap.xml").render(urls=urls)
        return Page.text(body, "application/xml", site.latest)

    def robots(self) -> Page:
        body = (
            "User-agent: *\n"
            "Disallow: /?\n"
            "Disallow: /staff/\n"
            f"Sitemap: {self.base_url}/sitemap.xml\n"
        )
        return Page.text(body, "text/plain; charset=utf-8")

    # helpers

    def _published(self, article_id: str) -> PublicBulletin:
        """The bulletin and its document, from the publication service, which keeps the
        bulletins read at the current site generation (the one cache of the record; the
        page and its renderings share one read)."""
        try:
            return self._publication.bulletin(article_id)
        except NotFound:
            raise NotFound(f"No public bulletin has the article id {article_id}.") from None

    def _version(self, product: Product, version: ProductVersion) -> dict[str, Any]:
        query = BulletinQuery(product=product.id, version=version.name, limit=1)
        total = self._publication.bulletins(query).total
        found = self._publication.headlines(replace(query, limit=PRODUCT_PAGE_LIMIT))
        return {
            "version": version,
            "channels": [(c, c.latest_release) for c in version.channels],
            "rows": [Link.of(h) for h in found],
            "total": total,
            "all_url": ListFilters(product=product.id, version=version.name).url(),
        }

    def _html(self, template: str, last_modified: datetime | None, **context: Any) -> Page:
        body = self._templates.get_template(template).render(static_site=self._static, **context)
        return Page.text(body, HTML, last_modified)


def _alternates(article_id: str) -> list[tuple[str, str, str]]:
    """(label, URL, media type) of the machine-readable forms of a bulletin."""
    forms = [
        (f"JSON ({article_id}.json)", f"/bulletins/{article_id}.json", "application/json"),
        (f"Plain text ({article_id}.txt)", f"/bulletins/{article_id}.txt", "text/plain"),
        (f"Markdown ({article_id}.md)", f"/bulletins/{article_id}.md", "text/markdown"),
    ]
    forms.append(("JSON API", f"/api/v1/bulletins/{article_id}", "application/json"))
    return forms


def _machine_alternates(bulletin: Bulletin) -> list[tuple[str, str, str]]:
    """(title, URL, media type) of the bulletin's own machine-readable documents."""
    return [
        (fmt.title, fmt.path(subject), fmt.media_type)
        for fmt in MACHINE_FORMATS
        if fmt.scope is Scope.BULLETIN
        for subject in fmt.subjects(bulletin)
    ]


def _machine_forms(bulletin: Bulletin) -> list[tuple[str, str, str]]:
    """(label, URL, media type) of every machine-readable document of the bulletin,
    its CVEs' included."""
    return [
        (
            fmt.label if fmt.scope is Scope.BULLETIN else f"{subject}: {fmt.label}",
            fmt.path(subject),
            fmt.media_type,
        )
        for fmt in MACHINE_FORMATS
        for subject in fmt.subjects(bulletin)
    ]


def _page_numbers(page: int, pages: int) -> list[int | None]:
    """Page numbers to link: the first, the last and two either side; None is a gap."""
    wanted = {1, pages, *range(page - 2, page + 3)}
    numbers: list[int | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= pages):
        if number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


def _year(bulletins: tuple[Bulletin, ...]) -> int | None:
    if bulletins and bulletins[0].published_at is not None:
        return bulletins[0].published_at.year
    return None


def _utc(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
