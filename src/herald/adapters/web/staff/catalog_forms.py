"""The staff catalog forms: their fields, reading them, placing the catalog service's
errors next to the field they name, which form on a product's page failed, and the
paths the forms post to and redirect to. The routes are ``catalog.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from herald.adapters.web.forms import FormErrors, FormReader
from herald.domain.catalog import Lifecycle, Product
from herald.domain.catalog_editing import NAME_LIMIT
from herald.domain.errors import Conflict, NotFound, ValidationError
from herald.domain.ids import parse_product_id

LIFECYCLES = (
    (Lifecycle.PREVIEW.value, "Preview"),
    (Lifecycle.SUPPORTED.value, "Supported"),
    (Lifecycle.END_OF_LIFE.value, "End of life"),
)
"""The lifecycle states the forms offer, in their order."""
URL_LIMIT = 2000
COMPONENTS_LIMIT = 20_000


@dataclass(frozen=True)
class FormField:
    """A posted field: its name (the service's field name too), its label and limit."""

    name: str
    label: str
    limit: int = NAME_LIMIT
    one_line: bool = True


NAME = FormField("name", "the name")
VERSION = FormField("version", "the version")
CHANNEL = FormField("channel", "the channel")
RELEASE = FormField("release", "the release")
LIFECYCLE = FormField("lifecycle", "the lifecycle state", 40)
LABEL = FormField("lifecycle_label", "the label")
URL = FormField("update_instructions_url", "the URL", URL_LIMIT)
DATE = FormField("released_on", "the date", 40)
COMPONENTS = FormField("components", "the components", COMPONENTS_LIMIT, one_line=False)
CPE = FormField("cpe", "the CPE", 500)
PURLS = FormField("purls", "the package URLs", COMPONENTS_LIMIT, one_line=False)


def checked_product_id(text: str) -> str:
    """The product id in a URL; ``NotFound`` when it cannot be one."""
    try:
        return parse_product_id(text)
    except ValidationError:
        raise NotFound(f"no product {text[:70]!r}") from None


def product_path(product_id: str) -> str:
    return f"/staff/catalog/{product_id}"


def release_path(product_id: str, version: str, channel: str, release: str) -> str:
    query = urlencode({"version": version, "channel": channel, "release": release})
    return f"{product_path(product_id)}/release?{query}"


def read_fields(reader: FormReader, fields: Sequence[FormField]) -> dict[str, str]:
    return {
        f.name: reader.text(f.name, limit=f.limit, one_line=f.one_line, label=f.label)
        for f in fields
    }


def place_error(
    errors: FormErrors, error: ValidationError | Conflict, fields: Sequence[FormField]
) -> None:
    """The service's error next to the field it names (a taken id is the ``id`` field's)."""
    if isinstance(error, Conflict):
        errors.add("id", error.message)
        return
    names = {f.name for f in fields}
    listed = error.field.split("[", 1)[0]  # purls[1]: the purls field
    field = error.field if error.field in names else listed if listed in names else "form"
    errors.add(field, error.reason)


def version_form(prefix: str) -> Callable[[Product, dict[str, str]], str | None]:
    """The key of the version's form on the page (``prefix-<index>``), None if unknown."""

    def key(product: Product, typed: dict[str, str]) -> str | None:
        names = [v.name for v in product.versions]
        name = typed.get("version", "")
        return f"{prefix}-{names.index(name)}" if name in names else None

    return key
