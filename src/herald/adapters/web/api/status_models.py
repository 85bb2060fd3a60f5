"""The JSON API's models of what a bulletin states per version: not affected (with a VEX
justification), and the status of every stream derived from the bulletin
(``domain.product_status``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from herald.domain import product_status
from herald.domain.bulletin import Restart
from herald.domain.product_status import StreamStatus
from herald.domain.statements import Justification, NotAffected


class NotAffectedVersion(BaseModel):
    """A version the bulletin states not affected, with why."""

    product: str = Field(description="The product id.", examples=["xenserver"])
    version: str = Field(description="The version name.", examples=["8.4"])
    justification: Justification = Field(
        description="The CSAF VEX justification.", examples=["component_not_present"]
    )
    impact: str = Field(
        description="The impact statement: why the vulnerability does not bear on this "
        "version (Markdown).",
        examples=["XenServer 8.4 does not ship libarchive."],
    )

    @classmethod
    def build(cls, statement: NotAffected) -> NotAffectedVersion:
        return cls(
            product=statement.version.product,
            version=statement.version.version,
            justification=statement.justification,
            impact=statement.impact,
        )


StreamStatusName = Literal["fixed", "known_affected", "known_not_affected", "under_investigation"]


class StreamStatusLine(BaseModel):
    """The status of one update channel of one supported version, derived from the
    bulletin's statements and the catalog."""

    product: str = Field(description="The product id.", examples=["xenserver"])
    version: str = Field(description="The version name.", examples=["8.4"])
    channel: str | None = Field(
        description="The update channel; null for a version without channels.",
        examples=["Normal"],
    )
    status: StreamStatusName = Field(
        description="``fixed``, ``known_affected``, ``known_not_affected`` or "
        "``under_investigation`` (CSAF product status).",
        examples=["fixed"],
    )
    first_fixed: str | None = Field(
        description="The first release on the channel with the fix.", examples=["8.4.2026-03-24"]
    )
    recommended: str | None = Field(
        description="The release to install: the newest fixed release on the channel.",
        examples=["8.4.2026-03-24"],
    )
    restart: Restart | None = Field(
        description="What applying the fix restarts, when stated.", examples=[None]
    )
    remedies: list[str] = Field(
        description="The CSAF remediation categories of the channel's remedy: vendor_fix, "
        "mitigation, workaround, none_available, no_fix_planned.",
        examples=[["vendor_fix"]],
    )
    justification: Justification | None = Field(
        description="Why it is not affected (status ``known_not_affected``).", examples=[None]
    )

    @classmethod
    def build(cls, stream: StreamStatus) -> StreamStatusLine:
        remedy = stream.remedy
        return cls(
            product=stream.version.product,
            version=stream.version.version,
            channel=stream.channel,
            status=stream.status.value,
            first_fixed=stream.first_fixed,
            recommended=stream.recommended,
            restart=remedy.restart if remedy is not None else None,
            remedies=[category.value for category in remedy.categories] if remedy else [],
            justification=stream.not_affected.justification if stream.not_affected else None,
        )


class UnsupportedVersion(BaseModel):
    """A version bulletins do not cover (preview, end of life): never stated not affected."""

    product: str = Field(description="The product id.", examples=["xenserver"])
    version: str = Field(description="The version name.", examples=["9"])
    label: str = Field(description="The vendor's words for its state.", examples=["Public Preview"])

    @classmethod
    def build(cls, unsupported: product_status.UnsupportedVersion) -> UnsupportedVersion:
        return cls(
            product=unsupported.version.product,
            version=unsupported.version.version,
            label=unsupported.label,
        )
