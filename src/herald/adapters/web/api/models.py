"""The JSON API's response bodies, as pydantic models (they make the OpenAPI schemas).

Each model has a ``build`` classmethod that takes domain objects and, where it links,
the ``web.urls.PublicUrls``.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from herald.adapters.formats.json_document import document_to_dict
from herald.adapters.web.api.status_models import (
    NotAffectedVersion,
    StreamStatusLine,
    UnsupportedVersion,
)
from herald.adapters.web.urls import PublicUrls
from herald.domain.bulletin import Bulletin, Fix, NoFix, Restart, Status
from herald.domain.catalog import VersionRef
from herald.domain.document import BulletinDocument
from herald.domain.document import FixLine as DocumentFixLine
from herald.domain.document import Weakness as DocumentWeakness
from herald.domain.scoring import CvssScore
from herald.domain.statements import BulletinKind


def _utc(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


PublicStatus = Literal["published", "withdrawn"]
KIND_FIELD = Field(
    description="``advisory`` (a security advisory) or ``vex`` (a VEX statement only).",
    examples=["advisory"],
)


# --- errors ------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status code.", examples=[422])
    message: str = Field(
        description="What went wrong, for people.", examples=["limit: Input should be <= 100"]
    )
    field: str | None = Field(
        default=None,
        description="The parameter or field at fault (absent when none is).",
        examples=["limit"],
    )


class ErrorResponse(BaseModel):
    """Every error under ``/api/`` has this body."""

    error: ErrorDetail


# --- bulletins ---------------------------------------------------------------------


class Cvss(BaseModel):
    version: Literal["3.1", "4.0"] = Field(description="The CVSS version.", examples=["3.1"])
    score: float = Field(description="The base score, 0.0 to 10.0.", ge=0, le=10, examples=[5.3])
    severity: str = Field(
        description="The CVSS base severity: NONE, LOW, MEDIUM, HIGH or CRITICAL.",
        examples=["MEDIUM"],
    )
    vector: str = Field(
        description="The normalised vector string.",
        examples=["CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:C/C:H/I:N/A:N"],
    )

    @classmethod
    def build(cls, score: CvssScore) -> Cvss:
        return cls(
            version=score.version.value,
            score=score.base_score,
            severity=score.base_severity,
            vector=score.vector,
        )


class Weakness(BaseModel):
    cve: str = Field(description="The CVE id it concerns.", examples=["CVE-2026-4397"])
    id: str = Field(description="The CWE id.", examples=["CWE-787"])
    name: str = Field(
        description="The weakness's name in the CWE list herald ships (4.14).",
        examples=["Out-of-bounds Write"],
    )
    url: str = Field(
        description="MITRE's page on the weakness.",
        examples=["https://cwe.mitre.org/data/definitions/787.html"],
    )

    @classmethod
    def all_of(cls, bulletin: Bulletin) -> list[Weakness]:
        """Every weakness of ``bulletin``, CVE by CVE in the order of its CVE list."""
        return [
            cls(cve=cve, id=weakness.id, name=weakness.name, url=weakness.url)
            for cve in bulletin.cves
            for weakness in map(DocumentWeakness.of, bulletin.weaknesses.get(cve, ()))
        ]


class AffectedVersion(BaseModel):
    product: str = Field(description="The product id.", examples=["xenserver"])
    version: str = Field(description="The version name.", examples=["8.4"])

    @classmethod
    def build(cls, ref: VersionRef) -> AffectedVersion:
        return cls(product=ref.product, version=ref.version)


class BulletinUrls(BaseModel):
    html: str = Field(
        description="The bulletin's page on the knowledge center.",
        examples=["https://bulletins.example.com/bulletins/CTX696397"],
    )
    api: str = Field(
        description="This API's full view of the bulletin.",
        examples=["https://bulletins.example.com/api/v1/bulletins/CTX696397"],
    )

    @classmethod
    def build(cls, urls: PublicUrls, article_id: str) -> BulletinUrls:
        return cls(html=urls.bulletin_html(article_id), api=urls.bulletin_api(article_id))


class BulletinSummary(BaseModel):
    """A public bulletin in a list."""

    article_id: str = Field(description="The publisher's article id.", examples=["CTX696397"])
    title: str = Field(examples=["XenServer Security Update for CVE-2026-4397"])
    severity: str | None = Field(
        description="The publisher's severity (its own scale), if set.", examples=["Medium"]
    )
    cves: list[str] = Field(description="The CVE ids.", examples=[["CVE-2026-4397"]])
    cvss: list[Cvss] = Field(description="CVSS base scores, if given.")
    weaknesses: list[Weakness] = Field(description="The CWE ids of each CVE that has any.")
    status: PublicStatus = Field(
        description="``published``, or ``withdrawn`` (it stays listed).", examples=["published"]
    )
    revision: int = Field(
        description="1 at the initial publication, one more per later change-log entry.",
        ge=1,
        examples=[1],
    )
    published_at: datetime = Field(
        description="When it was first published (UTC).", examples=["2026-03-24T16:00:00Z"]
    )
    updated_at: datetime = Field(
        description="When it last changed (UTC).", examples=["2026-03-24T16:00:00Z"]
    )
    updated_on: date = Field(
        description='The date readers see as "Updated On" (the last change-log entry).',
        examples=["2026-03-24"],
    )
    affected: list[AffectedVersion] = Field(description="The affected product versions.")
    urls: BulletinUrls
    kind: BulletinKind = KIND_FIELD

    @classmethod
    def build(cls, bulletin: Bulletin, urls: PublicUrls) -> BulletinSummary:
        return cls(
            kind=bulletin.kind,
            article_id=bulletin.article_id,
            title=bulletin.title,
            severity=bulletin.severity,
            cves=list(bulletin.cves),
            cvss=[Cvss.build(score) for score in bulletin.cvss],
            weaknesses=Weakness.all_of(bulletin),
            status=_public_status(bulletin.status),
            revision=max(bulletin.revision, 1),
            published_at=_utc(bulletin.published_at or bulletin.updated_at),
            updated_at=_utc(bulletin.updated_at),
            updated_on=bulletin.updated_on,
            affected=[AffectedVersion.build(ref) for ref in bulletin.affected],
            urls=BulletinUrls.build(urls, bulletin.article_id),
        )


class BulletinList(BaseModel):
    """One page of bulletins, newest first by first publication."""

    data: list[BulletinSummary] = Field(description="The bulletins on this page, in order.")
    next_cursor: str | None = Field(
        description="Pass as ``cursor`` for the next page; null on the last page.",
        examples=["WyIyMDI2LTAzLTI0VDE2OjAwOjAwKzAwOjAwIiwiQ1RYNjk2Mzk3Il0.abc"],
    )
    total: int = Field(
        description="How many bulletins match the filters, over all pages.", ge=0, examples=[42]
    )


class Revision(BaseModel):
    revision: int = Field(description="1 is the initial publication.", ge=1, examples=[1])
    date: dt.date = Field(description="The day of the change.", examples=["2026-03-24"])
    summary: str = Field(description="What changed.", examples=["Initial Publication"])


class FixLine(BaseModel):
    product: str = Field(description="The product's display name.", examples=["XenServer"])
    version: str = Field(examples=["8.4"])
    channel: str = Field(description="The update channel.", examples=["Normal"])
    release: str | None = Field(
        description="The first release with the fix (CSAF ``vendor_fix``); null when there "
        "is none.",
        examples=["8.4.2026-03-24"],
    )
    mitigation: str | None = Field(
        description="What lowers the risk until the channel is updated, or when there is no "
        "fix (Markdown).",
        examples=[None],
    )
    workaround: str | None = Field(
        default=None,
        description="A change of configuration or use that avoids the vulnerability (Markdown).",
        examples=[None],
    )
    no_fix: NoFix | None = Field(
        default=None,
        description="``none_available`` (no fixed release yet) or ``no_fix_planned``; null "
        "when there is a release.",
        examples=[None],
    )
    no_fix_reason: str | None = Field(
        default=None, description="Why there is no fix (Markdown).", examples=[None]
    )
    url: str | None = Field(
        default=None, description="Where the remedy is described.", examples=[None]
    )
    restart: Restart | None = Field(
        default=None,
        description="What applying the fixed release restarts (CSAF ``restart_required``); "
        "null when not stated.",
        examples=["machine"],
    )

    @classmethod
    def build(cls, line: DocumentFixLine, fix: Fix) -> FixLine:
        return cls(
            product=line.product,
            version=line.version,
            channel=line.channel,
            release=fix.release,
            mitigation=fix.mitigation,
            workaround=fix.workaround,
            no_fix=fix.no_fix,
            no_fix_reason=fix.no_fix_reason,
            url=fix.url,
            restart=fix.restart,
        )


class Section(BaseModel):
    kind: str = Field(
        description="customer_action, vendor_action, support, alerts or reporting.",
        examples=["customer_action"],
    )
    heading: str = Field(examples=["What Customers Should Do"])
    body: str = Field(description="Markdown text.")


class PublisherName(BaseModel):
    name: str = Field(examples=["Cloud Software Group, Inc."])
    brand: str = Field(examples=["Citrix"])


class BulletinDetail(BaseModel):
    """A public bulletin as readers see it, with its revisions.

    The fields after ``affected`` are those of the JSON rendering (``docs/renderings.md``);
    the change log appears as numbered ``revisions``.
    """

    model_config = ConfigDict(extra="ignore")

    article_id: str = Field(examples=["CTX696397"])
    title: str = Field(examples=["XenServer Security Update for CVE-2026-4397"])
    status: PublicStatus = Field(examples=["published"])
    revision: int = Field(description="The number of the latest revision.", ge=1, examples=[1])
    severity: str | None = Field(examples=["Medium"])
    cves: list[str] = Field(examples=[["CVE-2026-4397"]])
    cvss: list[Cvss]
    weaknesses: list[Weakness] = Field(description="The CWE ids of each CVE that has any.")
    published_at: datetime = Field(description="When it was first published (UTC).")
    updated_at: datetime = Field(description="When it last changed (UTC).")
    updated_on: date = Field(description='The "Updated On" date.', examples=["2026-03-24"])
    withdrawn_at: datetime | None = Field(description="When it was withdrawn (UTC), or null.")
    affected: list[AffectedVersion]
    problem: str = Field(description="The description of the problem (Markdown).")
    identifier_intro: str = Field(examples=["This issue has the following identifier:"])
    affected_statement: str = Field(examples=["This issue affects XenServer 8.4."])
    not_covered_notes: list[str] = Field(
        description="Versions the bulletin does not cover (preview, end of life), in words."
    )
    fixes: list[FixLine]
    kind: BulletinKind = KIND_FIELD
    not_affected: list[NotAffectedVersion] = Field(
        description="Versions stated not affected, with their justification and impact."
    )
    under_investigation: list[AffectedVersion] = Field(
        description="Versions stated under investigation."
    )
    product_status: list[StreamStatusLine] = Field(
        description="The derived status of every supported version and update channel of "
        "the bulletin's products, in catalog order."
    )
    not_covered: list[UnsupportedVersion] = Field(
        description="The versions of those products that bulletins do not cover."
    )
    sections: list[Section] = Field(description="The narrative sections, filled in.")
    revisions: list[Revision] = Field(description="The change log, oldest first.")
    disclaimer: str
    publisher: PublisherName
    urls: BulletinUrls

    @classmethod
    def build(
        cls, bulletin: Bulletin, document: BulletinDocument, urls: PublicUrls
    ) -> BulletinDetail:
        rendered: dict[str, Any] = document_to_dict(document)
        return cls.model_validate(
            {
                **rendered,
                "revision": max(document.revision, 1),
                "weaknesses": Weakness.all_of(bulletin),
                "published_at": _utc(bulletin.published_at or bulletin.updated_at),
                "updated_at": _utc(bulletin.updated_at),
                "withdrawn_at": _utc(bulletin.withdrawn_at) if bulletin.withdrawn_at else None,
                "affected": [AffectedVersion.build(ref) for ref in bulletin.affected],
                "fixes": [
                    FixLine.build(line, fix)
                    for line, fix in zip(document.fixes, bulletin.fixes, strict=True)
                ],
                "kind": bulletin.kind,
                "not_affected": [NotAffectedVersion.build(s) for s in bulletin.not_affected],
                "under_investigation": [
                    AffectedVersion.build(ref) for ref in bulletin.under_investigation
                ],
                "product_status": [
                    StreamStatusLine.build(line.stream) for line in document.statuses
                ],
                "not_covered": [
                    UnsupportedVersion.build(u.unsupported) for u in document.unsupported
                ],
                "revisions": [
                    Revision(revision=number, date=entry.on, summary=entry.summary)
                    for number, entry in enumerate(document.changelog, start=1)
                ],
                "urls": BulletinUrls.build(urls, bulletin.article_id),
            }
        )


def _public_status(status: Status) -> PublicStatus:
    return "withdrawn" if status is Status.WITHDRAWN else "published"
