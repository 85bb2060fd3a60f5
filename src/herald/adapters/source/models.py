"""The shape of schema ``herald/v1``: one pydantic model per kind of file.

The models check the shape only (names, types, required fields, no unknown fields);
``decode`` turns them into domain objects, whose constructors check the rest. Values
arrive as text, so numbers, dates and times are parsed here from their written form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag

from herald.adapters.source._fields import describe_value
from herald.adapters.source.identity_models import IdentityShape, ProductComponentShape, Shape
from herald.domain.bulletin import Status
from herald.domain.catalog import Lifecycle
from herald.domain.ids import ArticleIdPattern
from herald.domain.publisher import (
    DEFAULT_END_OF_LIFE_NOTE,
    DEFAULT_PREVIEW_NOTE,
    DEFAULT_SECTIONS,
    DEFAULT_SEVERITIES,
)

SCHEMA_V1 = "herald/v1"
"""The value of ``schema:`` in every file of this version."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})")


def _parse_date(value: object) -> object:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a day of the calendar") from None
    raise ValueError(f"expected a date such as 2026-03-24, got {describe_value(value)}")


def _parse_time(value: object) -> object:
    if isinstance(value, str) and _TIME.fullmatch(value):
        try:
            return dt.datetime.fromisoformat(value).astimezone(dt.UTC)
        except ValueError:
            raise ValueError(f"{value!r} is not a valid time") from None
    raise ValueError(
        f"expected a UTC time such as 2026-03-24T16:00:00Z, got {describe_value(value)}"
    )


_FLAGS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
"""The booleans of YAML 1.2's core schema, as editors read them."""


def _parse_flag(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _FLAGS:
        return _FLAGS[value]
    raise ValueError(f"expected true or false, got {describe_value(value)}")


Flag = Annotated[bool, BeforeValidator(_parse_flag)]
"""``true`` or ``false`` (not ``yes``, ``on`` or ``1``, which YAML 1.2 reads as text)."""

Day = Annotated[dt.date, BeforeValidator(_parse_date)]
"""A calendar day, written ``YYYY-MM-DD``."""

UtcTime = Annotated[dt.datetime, BeforeValidator(_parse_time)]
"""A moment, written in ISO 8601 with ``Z`` (or an offset, converted to UTC)."""


# --- publisher -------------------------------------------------------------------------


class SectionTemplateShape(Shape):
    """A narrative section's heading and body, with ``{placeholders}``."""

    title: str
    """The heading, e.g. ``What {brand} is Doing``."""
    body: str
    """The paragraph (Markdown)."""


class PublisherSectionsShape(Shape):
    """Templates by section kind; a kind left out falls back to herald's wording."""

    customer_action: SectionTemplateShape | None = None
    """What customers should do."""
    vendor_action: SectionTemplateShape | None = None
    """What the vendor is doing."""
    support: SectionTemplateShape | None = None
    """How to obtain support."""
    alerts: SectionTemplateShape | None = None
    """How to subscribe to alerts."""
    reporting: SectionTemplateShape | None = None
    """How to report vulnerabilities."""


_DEFAULT_PATTERN = ArticleIdPattern()


class ArticleIdsShape(Shape):
    """The article id scheme: a prefix and a fixed number of digits."""

    prefix: str = _DEFAULT_PATTERN.prefix
    """Letters before the number."""
    digits: int = _DEFAULT_PATTERN.digits
    """How many digits follow the prefix."""


class PublisherFile(Shape):
    """``kind: publisher``: the vendor behind the bulletins (one per herald)."""

    schema_: Literal["herald/v1"] = Field(alias="schema")
    """The format version."""
    kind: Literal["publisher"]
    """What the file holds."""
    name: str
    """Legal name, e.g. ``Cloud Software Group, Inc.``."""
    short_name: str
    """How the legal text abbreviates it."""
    brand: str
    """The brand customers know."""
    namespace_url: str
    """The vendor's namespace URL (CSAF ``publisher.namespace``)."""
    update_instructions_url: str
    """Where customers learn to apply updates (a product may override it)."""
    knowledge_center_url: str
    """The public list of bulletins."""
    support_url: str
    """Support contact details."""
    alerts_url: str
    """Where customers subscribe to alerts."""
    reporting_url: str
    """Where researchers report vulnerabilities."""
    disclaimer: str
    """The legal text shown under "Environment"."""
    sections: PublisherSectionsShape = PublisherSectionsShape(
        **{
            kind.value: SectionTemplateShape(title=template.title, body=template.body)
            for kind, template in DEFAULT_SECTIONS.items()
        }
    )
    """Section templates by kind; when the key is absent, herald's wording for every kind."""
    preview_note: str = DEFAULT_PREVIEW_NOTE
    """The note on a preview version a bulletin does not cover."""
    end_of_life_note: str = DEFAULT_END_OF_LIFE_NOTE
    """The note on an end-of-life version a bulletin does not cover."""
    article_ids: ArticleIdsShape = ArticleIdsShape()
    """The article id scheme."""
    severities: list[str] = Field(default_factory=lambda: list(DEFAULT_SEVERITIES))
    """The severity scale, highest first."""


# --- product ---------------------------------------------------------------------------


class ComponentShape(Shape):
    """A component a release ships."""

    name: str
    """The package or module name."""
    version: str
    """Its version in the release."""


def _components_form(value: Any) -> str:
    return "components-as-mapping" if isinstance(value, dict) else "components-as-list"


Components = Annotated[
    Annotated[dict[str, str], Tag("components-as-mapping")]
    | Annotated[list[ComponentShape], Tag("components-as-list")],
    Discriminator(_components_form),
]
"""``name: version`` pairs, or a list of ``{name, version}`` (when a name repeats)."""

COMPONENT_FORMS = frozenset({"components-as-mapping", "components-as-list"})
"""The union tags pydantic puts in an error's location; not part of any field path."""


class ReleaseShape(Shape):
    """One dated update shipped on a channel."""

    name: str
    """The release's version string, unique within its channel."""
    date: Day
    """The day it shipped."""
    components: Components = Field(default_factory=list)
    """The component versions it ships (by component id when the product declares
    ``components``)."""
    hidden: Flag = False
    """Hidden until a public bulletin names it: staff see it, the public does not."""
    identity: IdentityShape | None = None
    """The release's own identifiers, when it has any."""


class ChannelShape(Shape):
    """A stream of releases for one version, e.g. ``Early Access``."""

    name: str
    """The channel's name, unique within its version."""
    releases: list[ReleaseShape] = Field(default_factory=list)
    """Its releases, in the order they shipped."""
    hidden: Flag = False
    """Hidden until a public bulletin names it: staff see it, the public does not."""


class VersionShape(Shape):
    """A version of the product, e.g. ``8.4``."""

    name: str
    """The version's name, unique within its product (quote numbers: ``'8.4'``)."""
    lifecycle: Lifecycle
    """Only supported versions are covered by bulletins."""
    lifecycle_label: str | None = None
    """The vendor's words for the state, e.g. ``Public Preview``."""
    channels: list[ChannelShape] = Field(default_factory=list)
    """Its update channels."""
    hidden: Flag = False
    """Hidden until a public bulletin names it: staff see it, the public does not."""
    identity: IdentityShape | None = None
    """How customers' tools recognise it: CPE, purls, hashes, model numbers, ..."""


class ProductFile(Shape):
    """``kind: product``: a product with its versions, channels and releases."""

    schema_: Literal["herald/v1"] = Field(alias="schema")
    """The format version."""
    kind: Literal["product"]
    """What the file holds."""
    id: str
    """Short, stable key: lower-case letters, digits and hyphens."""
    name: str
    """Display name."""
    update_instructions_url: str | None = None
    """Where customers learn to update it; the publisher's URL when absent."""
    versions: list[VersionShape] = Field(default_factory=list)
    """Its versions, oldest first."""
    hidden: Flag = False
    """Hidden until a public bulletin names it: staff see it, the public does not."""
    components: list[ProductComponentShape] = Field(default_factory=list)
    """The pieces it includes, which releases name by id."""


# --- bulletin --------------------------------------------------------------------------


class VersionRefShape(Shape):
    """One version of one product."""

    product: str
    """The product's id."""
    version: str
    """The version's name."""


class FixShape(Shape):
    """How one channel is remedied: give ``release`` or ``mitigation``, not both."""

    product: str
    """The product's id."""
    version: str
    """The version's name."""
    channel: str
    """The channel's name."""
    release: str | None = None
    """The first release on the channel with the fix."""
    mitigation: str | None = None
    """What to do when no release fixes it (Markdown)."""


class BulletinSectionsShape(Shape):
    """Section bodies that replace the publisher's templates for this bulletin."""

    customer_action: str | None = None
    """What customers should do (Markdown)."""
    vendor_action: str | None = None
    """What the vendor is doing (Markdown)."""
    support: str | None = None
    """How to obtain support (Markdown)."""
    alerts: str | None = None
    """How to subscribe to alerts (Markdown)."""
    reporting: str | None = None
    """How to report vulnerabilities (Markdown)."""


class ChangeLogEntryShape(Shape):
    """One line of the change log."""

    date: Day
    """The day of the change."""
    summary: str
    """What changed, on one line."""


class NotCoveredShape(Shape):
    """A version the bulletin states it does not cover, as it stood when published."""

    product: str
    """The product's id."""
    version: str
    """The version's name."""
    lifecycle: Lifecycle
    """Its state then: preview or end of life."""
    label: str
    """The vendor's words for that state."""


class BulletinFile(Shape):
    """``kind: bulletin``: one security bulletin."""

    schema_: Literal["herald/v1"] = Field(alias="schema")
    """The format version."""
    kind: Literal["bulletin"]
    """What the file holds."""
    article_id: str
    """The publisher's article id, e.g. ``CTX696397``."""
    title: str
    """The headline."""
    status: Status = Status.DRAFT
    """Where it stands: draft, in_review, approved, scheduled, published or withdrawn."""
    severity: str | None = None
    """A severity from the publisher's scale."""
    cves: list[str] = Field(default_factory=list)
    """CVE ids, e.g. ``CVE-2026-4397``."""
    cvss: list[str] = Field(default_factory=list)
    """CVSS v3.1 or v4.0 base vectors; the scores are computed from them."""
    problem: str = ""
    """The description of the problem (Markdown)."""
    affected: list[VersionRefShape] = Field(default_factory=list)
    """The affected versions."""
    fixes: list[FixShape] = Field(default_factory=list)
    """The remedy per affected channel."""
    sections: BulletinSectionsShape = BulletinSectionsShape()
    """Section bodies that replace the publisher's templates."""
    changelog: list[ChangeLogEntryShape] = Field(default_factory=list)
    """The change log, oldest first; it only grows."""
    not_covered: list[NotCoveredShape] = Field(default_factory=list)
    """Versions the bulletin said it does not cover when it was last published."""
    created_at: UtcTime
    """When the draft was created."""
    updated_at: UtcTime | None = None
    """When anything last changed; ``created_at`` when absent."""
    published_at: UtcTime | None = None
    """When it was first published."""
    withdrawn_at: UtcTime | None = None
    """When it was withdrawn."""
    release_at: UtcTime | None = None
    """The embargo of a scheduled bulletin: the instant it publishes itself."""
    created_by: str | None = None
    """The username of the author who created the draft; absent when imported."""
    submitted_by: str | None = None
    """The username of who last submitted it for review."""
    approved_by: str | None = None
    """The username of the reviewer who approved it."""


FILE_MODELS: dict[str, type[PublisherFile] | type[ProductFile] | type[BulletinFile]] = {
    "publisher": PublisherFile,
    "product": ProductFile,
    "bulletin": BulletinFile,
}
"""The model of each ``kind``."""

SourceFile = Annotated[PublisherFile | ProductFile | BulletinFile, Field(discriminator="kind")]
"""Any file of schema ``herald/v1``."""
