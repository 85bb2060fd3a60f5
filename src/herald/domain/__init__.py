"""herald's domain: plain Python values and rules, no web, no SQL."""

from herald.domain.bulletin import (
    INITIAL_PUBLICATION,
    Bulletin,
    BulletinContent,
    ChangeLogEntry,
    Fix,
    Status,
)
from herald.domain.catalog import (
    Catalog,
    ChannelRef,
    Component,
    Lifecycle,
    NotCovered,
    Product,
    ProductVersion,
    Release,
    UpdateChannel,
    VersionRef,
)
from herald.domain.components import ComponentKind, ComponentRef, ProductComponent
from herald.domain.document import BulletinDocument, NarrativeSection, compose
from herald.domain.errors import (
    Conflict,
    HeraldError,
    InvalidTransition,
    NotFound,
    RuleViolation,
    ValidationError,
)
from herald.domain.identity import FileHash, HashAlgorithm, ProductIdentity
from herald.domain.ids import ArticleId, ArticleIdPattern, CveId, ProductId, parse_cve_id
from herald.domain.publisher import Publisher, SectionKind, SectionTemplate
from herald.domain.scoring import CvssScore, CvssVersion, parse_cvss
from herald.domain.version_range import VersionRange, parse_version_range
from herald.domain.weaknesses import CweId, parse_cwe_id

__all__ = [
    "INITIAL_PUBLICATION",
    "ArticleId",
    "ArticleIdPattern",
    "Bulletin",
    "BulletinContent",
    "BulletinDocument",
    "Catalog",
    "ChangeLogEntry",
    "ChannelRef",
    "Component",
    "ComponentKind",
    "ComponentRef",
    "Conflict",
    "CveId",
    "CvssScore",
    "CvssVersion",
    "CweId",
    "FileHash",
    "Fix",
    "HashAlgorithm",
    "HeraldError",
    "InvalidTransition",
    "Lifecycle",
    "NarrativeSection",
    "NotCovered",
    "NotFound",
    "Product",
    "ProductComponent",
    "ProductId",
    "ProductIdentity",
    "ProductVersion",
    "Publisher",
    "Release",
    "RuleViolation",
    "SectionKind",
    "SectionTemplate",
    "Status",
    "UpdateChannel",
    "ValidationError",
    "VersionRange",
    "VersionRef",
    "compose",
    "parse_cve_id",
    "parse_cvss",
    "parse_cwe_id",
    "parse_version_range",
]
