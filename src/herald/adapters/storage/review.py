"""The review policy, proposed changes to published bulletins, and emergency steps.

A proposal keeps the content it would give the bulletin as one JSON document (its lists
are never queried, only read back whole when someone approves it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import translated
from herald.adapters.storage.tables.review import EmergencyStepRow, ProposalRow, ReviewPolicyRow
from herald.domain.bulletin import BulletinContent, Fix, NoFix, Restart
from herald.domain.catalog import ChannelRef, VersionRef
from herald.domain.errors import Conflict, NotFound
from herald.domain.ids import parse_cve_id, parse_product_id
from herald.domain.publisher import SectionKind
from herald.domain.review_policy import (
    AmendmentReview,
    EmergencyStep,
    EmergencyStepKind,
    Proposal,
    ProposalKind,
    ReviewPolicy,
)
from herald.domain.scoring import parse_cvss
from herald.domain.statements import BulletinKind, Justification, NotAffected
from herald.domain.weaknesses import CweId

_ROW = 1
_Choice = TypeVar("_Choice", NoFix, Restart)


class SqlReviewStore:
    """What stands between a change to a published bulletin and its readers."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    # the policy

    @translated
    def policy(self) -> ReviewPolicy:
        """The stored policy; the default (material amendments reviewed) until one is set."""
        row = self._session.get(ReviewPolicyRow, _ROW)
        return ReviewPolicy() if row is None else ReviewPolicy(AmendmentReview(row.amendments))

    @translated
    def save_policy(self, policy: ReviewPolicy) -> None:
        row = self._session.get(ReviewPolicyRow, _ROW)
        if row is None:
            row = ReviewPolicyRow(id=_ROW)
            self._session.add(row)
        row.amendments = policy.amendments.value
        self._session.flush()

    # proposals

    @translated
    def proposal(self, article_id: str) -> Proposal | None:
        row = self._session.get(ProposalRow, article_id, populate_existing=True)
        return None if row is None else _proposal_from_row(row)

    @translated
    def proposals(self) -> Sequence[Proposal]:
        """Every waiting proposal, oldest first."""
        rows = self._session.scalars(
            select(ProposalRow)
            .order_by(ProposalRow.proposed_at, ProposalRow.article_id)
            .execution_options(populate_existing=True)
        )
        return [_proposal_from_row(row) for row in rows]

    @translated
    def add_proposal(self, proposal: Proposal) -> None:
        """``Conflict`` when the bulletin has a proposal waiting already."""
        if self._session.get(ProposalRow, proposal.article_id) is not None:
            raise Conflict(
                f"{proposal.article_id} has a proposed change waiting already; "
                "approve or discard it first"
            )
        self._session.add(
            ProposalRow(
                article_id=proposal.article_id,
                kind=proposal.kind.value,
                summary=proposal.summary,
                on_date=proposal.on,
                proposed_by=proposal.proposed_by,
                proposed_at=proposal.proposed_at,
                content=None if proposal.content is None else content_to_json(proposal.content),
                changed=list(proposal.changed),
            )
        )
        self._session.flush()

    @translated
    def drop_proposal(self, article_id: str) -> None:
        row = self._session.get(ProposalRow, article_id)
        if row is None:
            raise NotFound(f"{article_id} has no proposed change waiting")
        self._session.delete(row)
        self._session.flush()

    # emergency steps

    @translated
    def add_emergency(self, step: EmergencyStep) -> EmergencyStep:
        row = EmergencyStepRow(
            article_id=step.article_id,
            kind=step.kind.value,
            reason=step.reason,
            taken_by=step.taken_by,
            taken_at=step.taken_at,
        )
        self._session.add(row)
        self._session.flush()
        return _step_from_row(row)

    @translated
    def open_emergencies(self, article_id: str | None = None) -> Sequence[EmergencyStep]:
        """Emergency steps nobody has reviewed yet, oldest first (of one bulletin, if given)."""
        query = select(EmergencyStepRow).where(EmergencyStepRow.reviewed_at.is_(None))
        if article_id is not None:
            query = query.where(EmergencyStepRow.article_id == article_id)
        rows = self._session.scalars(
            query.order_by(EmergencyStepRow.id).execution_options(populate_existing=True)
        )
        return [_step_from_row(row) for row in rows]

    @translated
    def close_emergency(self, step: EmergencyStep) -> None:
        """Store the review of ``step`` (its ``reviewed_by`` and ``reviewed_at``)."""
        row = self._session.get(EmergencyStepRow, step.id)
        if row is None:
            raise NotFound(f"no emergency step {step.id}")
        row.reviewed_by = step.reviewed_by
        row.reviewed_at = step.reviewed_at
        self._session.flush()


def content_to_json(content: BulletinContent) -> dict[str, Any]:
    """A bulletin's content as a JSON object (``content_from_json`` reads it back)."""
    return {
        "title": content.title,
        "severity": content.severity,
        "cves": [str(cve) for cve in content.cves],
        "cvss": [score.vector for score in content.cvss],
        "weaknesses": {cve: list(cwes) for cve, cwes in content.weaknesses.items()},
        "problem": content.problem,
        "affected": [[ref.product, ref.version] for ref in content.affected],
        "fixes": [
            {
                "channel": [fix.channel.product, fix.channel.version, fix.channel.channel],
                "release": fix.release,
                "mitigation": fix.mitigation,
                "workaround": fix.workaround,
                "no_fix": None if fix.no_fix is None else fix.no_fix.value,
                "no_fix_reason": fix.no_fix_reason,
                "url": fix.url,
                "restart": None if fix.restart is None else fix.restart.value,
            }
            for fix in content.fixes
        ],
        "sections": {kind.value: text for kind, text in content.sections.items()},
        "kind": content.kind.value,
        "not_affected": [
            {
                "version": [s.version.product, s.version.version],
                "justification": s.justification.value,
                "impact": s.impact,
            }
            for s in content.not_affected
        ],
        "under_investigation": [[ref.product, ref.version] for ref in content.under_investigation],
    }


def content_from_json(data: dict[str, Any]) -> BulletinContent:
    """The content ``content_to_json`` wrote; a proposal stored before revision 0017 has
    no statements and no remedy details (it reads as an advisory without them)."""
    return BulletinContent(
        title=data["title"],
        severity=data["severity"],
        cves=tuple(parse_cve_id(text) for text in data["cves"]),
        cvss=tuple(parse_cvss(vector) for vector in data["cvss"]),
        weaknesses={
            parse_cve_id(cve): tuple(CweId(cwe) for cwe in cwes)
            for cve, cwes in data.get("weaknesses", {}).items()
        },
        problem=data["problem"],
        affected=tuple(
            VersionRef(parse_product_id(product), version) for product, version in data["affected"]
        ),
        fixes=tuple(
            Fix(
                ChannelRef(
                    parse_product_id(fix["channel"][0]), fix["channel"][1], fix["channel"][2]
                ),
                release=fix["release"],
                mitigation=fix["mitigation"],
                workaround=fix.get("workaround"),
                no_fix=_optional(NoFix, fix.get("no_fix")),
                no_fix_reason=fix.get("no_fix_reason"),
                url=fix.get("url"),
                restart=_optional(Restart, fix.get("restart")),
            )
            for fix in data["fixes"]
        ),
        sections={SectionKind(kind): text for kind, text in data["sections"].items()},
        kind=BulletinKind(data.get("kind", BulletinKind.ADVISORY.value)),
        not_affected=tuple(
            NotAffected(
                VersionRef(parse_product_id(item["version"][0]), item["version"][1]),
                Justification(item["justification"]),
                item["impact"],
            )
            for item in data.get("not_affected", ())
        ),
        under_investigation=tuple(
            VersionRef(parse_product_id(product), version)
            for product, version in data.get("under_investigation", ())
        ),
    )


def _optional(kind: type[_Choice], value: str | None) -> _Choice | None:
    return None if value is None else kind(value)


def _proposal_from_row(row: ProposalRow) -> Proposal:
    return Proposal(
        article_id=row.article_id,
        kind=ProposalKind(row.kind),
        summary=row.summary,
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        content=None if row.content is None else content_from_json(row.content),
        on=row.on_date,
        changed=tuple(row.changed),
    )


def _step_from_row(row: EmergencyStepRow) -> EmergencyStep:
    return EmergencyStep(
        id=row.id,
        article_id=row.article_id,
        kind=EmergencyStepKind(row.kind),
        reason=row.reason,
        taken_by=row.taken_by,
        taken_at=row.taken_at,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
    )
