"""A bulletin's remedies and statements, rows to domain objects and back (``mapping`` uses
it for the fixes, the versions stated not affected and those under investigation)."""

from __future__ import annotations

from herald.adapters.storage.tables.bulletins import (
    FixRow,
    NotAffectedRow,
    UnderInvestigationRow,
)
from herald.domain.bulletin import Bulletin, Fix, NoFix, Restart
from herald.domain.catalog import ChannelRef, VersionRef
from herald.domain.ids import ProductId
from herald.domain.statements import Justification, NotAffected


def fix_from_row(row: FixRow) -> Fix:
    return Fix(
        ChannelRef(ProductId(row.product_id), row.version_name, row.channel_name),
        release=row.release_name,
        mitigation=row.mitigation,
        workaround=row.workaround,
        no_fix=None if row.no_fix is None else NoFix(row.no_fix),
        no_fix_reason=row.no_fix_reason,
        url=row.url,
        restart=None if row.restart_required is None else Restart(row.restart_required),
    )


def fix_rows(bulletin: Bulletin) -> list[FixRow]:
    return [
        FixRow(
            article_id=bulletin.article_id,
            position=position,
            product_id=fix.channel.product,
            version_name=fix.channel.version,
            channel_name=fix.channel.channel,
            release_name=fix.release,
            mitigation=fix.mitigation,
            workaround=fix.workaround,
            no_fix=None if fix.no_fix is None else fix.no_fix.value,
            no_fix_reason=fix.no_fix_reason,
            url=fix.url,
            restart_required=None if fix.restart is None else fix.restart.value,
        )
        for position, fix in enumerate(bulletin.fixes)
    ]


def not_affected_from_row(row: NotAffectedRow) -> NotAffected:
    return NotAffected(
        VersionRef(ProductId(row.product_id), row.version_name),
        Justification(row.justification),
        row.impact,
    )


def not_affected_rows(bulletin: Bulletin) -> list[NotAffectedRow]:
    return [
        NotAffectedRow(
            article_id=bulletin.article_id,
            position=position,
            product_id=statement.version.product,
            version_name=statement.version.version,
            justification=statement.justification.value,
            impact=statement.impact,
        )
        for position, statement in enumerate(bulletin.not_affected)
    ]


def under_investigation_rows(bulletin: Bulletin) -> list[UnderInvestigationRow]:
    return [
        UnderInvestigationRow(
            article_id=bulletin.article_id,
            position=position,
            product_id=ref.product,
            version_name=ref.version,
        )
        for position, ref in enumerate(bulletin.under_investigation)
    ]
