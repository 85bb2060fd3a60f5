"""The alert filter as a form: the choices from the catalog and the severity scale, and
reading a posted filter back, with every problem recorded against its field.

Used by the public subscribe and preferences pages and by the staff webhook forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fastapi import Request
from starlette.exceptions import HTTPException

from herald.adapters.web.deps import services
from herald.adapters.web.forms import FormErrors, FormReader
from herald.config import Settings
from herald.domain.alerts import MAX_FILTER_ITEMS, AlertFilter
from herald.domain.catalog import Catalog
from herald.domain.errors import HeraldError, ValidationError
from herald.domain.publisher import Publisher
from herald.services.publication import PublicationService

ID_LIMIT = 200
"""The longest product id or ``product:version`` value read from a form."""


@dataclass(frozen=True)
class VersionChoice:
    value: str
    """``product:version``."""
    label: str
    state: str
    """Its lifecycle as the vendor names it (e.g. "Public Preview")."""


@dataclass(frozen=True)
class ProductChoice:
    id: str
    name: str
    versions: tuple[VersionChoice, ...]


@dataclass(frozen=True)
class FilterChoices:
    """What a filter form offers."""

    products: tuple[ProductChoice, ...]
    severities: tuple[str, ...]

    @classmethod
    def of(cls, catalog: Catalog, publisher: Publisher) -> FilterChoices:
        return cls(
            tuple(
                ProductChoice(
                    product.id,
                    product.name,
                    tuple(
                        VersionChoice(
                            f"{product.id}:{version.name}",
                            f"{product.name} {version.name}",
                            version.lifecycle_label or version.lifecycle.value.replace("_", " "),
                        )
                        for version in product.versions
                    ),
                )
                for product in catalog.products
            ),
            tuple(publisher.severities),
        )


@dataclass
class FilterValues:
    """A filter as the form shows it (possibly as typed, with errors)."""

    products: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    minimum_severity: str = ""
    editorial: bool = False

    @classmethod
    def of(cls, alert_filter: AlertFilter) -> FilterValues:
        return cls(
            list(alert_filter.products),
            list(alert_filter.versions),
            alert_filter.minimum_severity or "",
            alert_filter.editorial,
        )


def read_filter(reader: FormReader) -> tuple[FilterValues, AlertFilter | None]:
    """The posted filter: as typed, and as an ``AlertFilter`` when it has no problem.

    The catalog and the scale are checked by the service (``ValidationError`` naming
    ``products``, ``versions`` or ``minimum_severity``).
    """
    products = reader.texts("products", limit=ID_LIMIT, max_count=MAX_FILTER_ITEMS)
    versions = reader.texts("versions", limit=ID_LIMIT, max_count=MAX_FILTER_ITEMS)
    severity = reader.text("minimum_severity", limit=100, one_line=True).strip()
    editorial_text = reader.text("editorial", limit=10, one_line=True)
    if editorial_text not in ("", "yes", "no"):
        reader.errors.add("editorial", "answer yes or no")
    values = FilterValues(products, versions, severity, editorial_text == "yes")
    if reader.errors:
        return values, None
    try:
        alert_filter = AlertFilter(
            products=tuple(dict.fromkeys(products)),
            versions=tuple(dict.fromkeys(versions)),
            minimum_severity=severity or None,
            editorial=values.editorial,
        )
    except ValidationError as error:
        add_error(reader.errors, error)
        return values, None
    return values, alert_filter


def add_error(errors: FormErrors, error: HeraldError) -> None:
    """A service's error next to the field it names (``form`` when it names none)."""
    name = getattr(error, "field", "") or "form"
    errors.add(name, getattr(error, "reason", None) or error.message)


def choices(publication: PublicationService) -> FilterChoices:
    """The filter choices from the public catalog (call in a worker thread)."""
    return FilterChoices.of(publication.catalog(), publication.publisher())


def check_same_site(request: Request) -> None:
    """Refuse (403) a form posted from another site (``Origin``, else ``Referer``,
    else ``Sec-Fetch-Site``). Clients that send none of them are not browsers and
    cannot be made to post by another site."""
    settings: Settings = services(request).settings
    allowed = {_origin(settings.base_url), _origin(str(request.base_url))}
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        if origin.rstrip("/").lower() not in allowed:
            raise HTTPException(403, "cross-site form refused: post it from this site's page")
        return
    referer = request.headers.get("referer")
    if referer:
        if _origin(referer) not in allowed:
            raise HTTPException(403, "cross-site form refused: post it from this site's page")
        return
    if request.headers.get("sec-fetch-site") == "cross-site" or origin == "null":
        raise HTTPException(403, "cross-site form refused: post it from this site's page")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def checked_url(url: str) -> str:
    """``url`` when it parses and its host name can be looked up at all.

    ``ValidationError`` on field ``url`` otherwise. (The target guard, which resolves
    the host, lets ``ValueError``/``UnicodeError`` of odd URLs through; this keeps them
    from becoming a 500.)
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        host.encode("idna")
        _ = parts.port
    except (ValueError, UnicodeError):
        raise ValidationError("url", "is not a valid URL (expected https://host/path)") from None
    return url
