"""The publisher: the vendor behind the bulletins, its links, legal text and templates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from herald.domain.errors import ValidationError
from herald.domain.ids import ArticleIdPattern
from herald.domain.templates import check_template
from herald.domain.text import check_text
from herald.domain.urls import checked_web_url


class SectionKind(StrEnum):
    """The narrative sections of a bulletin, in the order they appear."""

    CUSTOMER_ACTION = "customer_action"
    VENDOR_ACTION = "vendor_action"
    SUPPORT = "support"
    ALERTS = "alerts"
    REPORTING = "reporting"


@dataclass(frozen=True)
class SectionTemplate:
    """The heading and body of a narrative section, with placeholders."""

    title: str
    """The heading, e.g. "What {brand} is Doing"."""
    body: str
    """The paragraph, e.g. "We are notifying customers ... at {knowledge_center_url}"."""


DEFAULT_SECTIONS: Mapping[SectionKind, SectionTemplate] = MappingProxyType(
    {
        SectionKind.CUSTOMER_ACTION: SectionTemplate(
            "What Customers Should Do",
            "We have pushed updates to {fixed_channels}. We recommend that customers update "
            "to the latest version from their chosen channel following the instructions at "
            "{update_instructions_url}",
        ),
        SectionKind.VENDOR_ACTION: SectionTemplate(
            "What {brand} is Doing",
            "We are notifying customers and channel partners about this potential security "
            "issue through the publication of this security bulletin on the {brand} Knowledge "
            "Center at {knowledge_center_url}",
        ),
        SectionKind.SUPPORT: SectionTemplate(
            "Obtaining Support on This Issue",
            "If you require technical assistance with this issue, please contact {brand} "
            "Technical Support. Contact details for {brand} Technical Support are available "
            "at {support_url}",
        ),
        SectionKind.ALERTS: SectionTemplate(
            "Subscribe to Receive Alerts",
            "{brand} strongly recommends that all customers subscribe to receive alerts when a "
            "security bulletin is created or modified at {alerts_url}",
        ),
        SectionKind.REPORTING: SectionTemplate(
            "Reporting Security Vulnerabilities to {brand}",
            "{brand} welcomes input regarding the security of its products and considers any "
            "and all potential vulnerabilities seriously. For details on our vulnerability "
            "response process and guidance on how to report security-related issues to "
            "{brand}, please see the following webpage: {reporting_url}",
        ),
    }
)
"""The wording of the reference bulletin, used when a publisher gives no template."""

DEFAULT_PREVIEW_NOTE = (
    "(Note that {product} {version} is in {state}; releases in preview state are not intended "
    "for production use and so are not covered by security bulletins until they exit preview "
    "state.)"
)
DEFAULT_END_OF_LIFE_NOTE = (
    "(Note that {product} {version} has reached {state}; versions past their end of life are "
    "not covered by security bulletins.)"
)
DEFAULT_SEVERITIES = ("Critical", "High", "Medium", "Low")


PUBLISHER_URL_FIELDS = (
    "namespace_url",
    "update_instructions_url",
    "knowledge_center_url",
    "support_url",
    "alerts_url",
    "reporting_url",
)
"""The publisher's fields that hold a web address."""


@dataclass(frozen=True)
class Publisher:
    """The vendor that issues the bulletins (a CSAF publisher)."""

    name: str
    """Legal name, e.g. "Cloud Software Group, Inc."."""
    short_name: str
    """How the legal text abbreviates it, e.g. "Cloud SG"."""
    brand: str
    """The brand customers know, e.g. "Citrix"."""
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
    sections: Mapping[SectionKind, SectionTemplate] = field(
        default_factory=lambda: DEFAULT_SECTIONS
    )
    """Templates for the narrative sections; a kind left out uses the default."""
    preview_note: str = DEFAULT_PREVIEW_NOTE
    """The note on a preview version the bulletin does not cover."""
    end_of_life_note: str = DEFAULT_END_OF_LIFE_NOTE
    """The note on an end-of-life version the bulletin does not cover."""
    article_ids: ArticleIdPattern = field(default_factory=ArticleIdPattern)
    """The article id scheme."""
    severities: tuple[str, ...] = DEFAULT_SEVERITIES
    """The severity scale, highest first."""

    def __post_init__(self) -> None:
        for name in ("name", "short_name", "brand", "namespace_url", "disclaimer"):
            if not str(getattr(self, name)).strip():
                raise ValidationError(name, "must not be empty")
        for name in PUBLISHER_URL_FIELDS:
            checked_web_url(getattr(self, name), name)
        for name in ("name", "short_name", "brand"):
            check_text(getattr(self, name), name, one_line=True)
        for name in ("disclaimer", "preview_note", "end_of_life_note"):
            check_text(getattr(self, name), name)
        for kind, template in self.sections.items():
            check_text(template.title, f"sections.{kind}.title", one_line=True)
            check_text(template.body, f"sections.{kind}.body")
        for kind, template in self.sections.items():
            check_template(template.title, f"sections.{kind}.title")
            check_template(template.body, f"sections.{kind}.body")
        check_template(self.preview_note, "preview_note")
        check_template(self.end_of_life_note, "end_of_life_note")
        if not self.severities:
            raise ValidationError("severities", "must name at least one severity")
        if len(set(self.severities)) != len(self.severities):
            raise ValidationError("severities", "must not repeat a severity")

    def section(self, kind: SectionKind) -> SectionTemplate:
        return self.sections.get(kind, DEFAULT_SECTIONS[kind])
