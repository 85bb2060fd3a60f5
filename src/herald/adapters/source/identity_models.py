"""The shapes of a product's identifiers and components in schema ``herald/v1``.

``IdentityShape`` sits under a version, a release or a component (``identity:``);
``ProductComponentShape`` is one entry of a product's ``components:``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from herald.domain.components import ComponentKind
from herald.domain.identity import HashAlgorithm


class Shape(BaseModel):
    """What every shape of the format shares: no unknown fields, frozen, documented."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class FileHashShape(Shape):
    """The hash of one file the product ships as."""

    algorithm: HashAlgorithm
    """The hash algorithm, e.g. ``sha256``."""
    value: str
    """The hash in lower-case hexadecimal."""
    file_name: str
    """The name of the file hashed."""


class IdentityShape(Shape):
    """How customers' tools recognise a version, release or component (all optional)."""

    cpe: str | None = None
    """A CPE 2.3 name, e.g. ``cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*``."""
    purls: list[str] = Field(default_factory=list)
    """Package URLs in canonical form, e.g. ``pkg:rpm/xenserver/xen-hypervisor``."""
    hashes: list[FileHashShape] = Field(default_factory=list)
    """Hashes of the files it ships as."""
    model_numbers: list[str] = Field(default_factory=list)
    """Full or partial model numbers."""
    skus: list[str] = Field(default_factory=list)
    """Stock keeping units."""
    serial_numbers: list[str] = Field(default_factory=list)
    """Full or partial serial numbers."""
    sbom_urls: list[str] = Field(default_factory=list)
    """Where SBOMs for it can be retrieved (https:// URLs)."""


class ProductComponentShape(Shape):
    """A piece the product includes: a library, a kernel, a firmware."""

    id: str
    """Its key within the product, which releases' ``components`` name."""
    name: str
    """Its display name."""
    kind: ComponentKind = ComponentKind.OTHER
    """application, library, kernel, firmware or other."""
    identity: IdentityShape | None = None
    """Its own identifiers (typically without a version)."""
