"""The audit log's hash chain: ``previous_hash`` and ``chain_hash`` on every entry.

Entries already stored are chained here, in sequence-number order, by the rule of
``herald.domain.audit_chain`` (version 1, kept as long as any log holds it), so an
upgraded database verifies. ``previous_hash`` is unique: the log cannot fork.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 07:45:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import context, op

from herald.domain.audit import AuditEntry
from herald.domain.audit_chain import GENESIS_HASH, chain_hash

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_audit_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("subject", sa.String()),
    sa.column("before", sa.Text()),
    sa.column("after", sa.Text()),
    sa.column("previous_hash", sa.String(64)),
    sa.column("chain_hash", sa.String(64)),
)

_KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
_BATCH = 500


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("previous_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("chain_hash", sa.String(length=64), nullable=True))
    if context.is_offline_mode():
        # Printed SQL cannot hash rows it never reads: such a script suits an empty log.
        op.execute(
            "-- 0005: entries already in audit_log are chained only when migrating online "
            "(herald init); on a non-empty audit_log the NOT NULL below fails, changing nothing"
        )
    else:
        _chain_existing_entries()
    # On SQLite the batch rebuilds the table: keep AUTOINCREMENT (numbers never reused).
    with op.batch_alter_table("audit_log", table_kwargs=_KEEP_AUTOINCREMENT) as batch:
        batch.alter_column("previous_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("chain_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(batch.f("uq_audit_log_previous_hash"), ["previous_hash"])


def downgrade() -> None:
    with op.batch_alter_table("audit_log", table_kwargs=_KEEP_AUTOINCREMENT) as batch:
        batch.drop_constraint(batch.f("uq_audit_log_previous_hash"), type_="unique")
        batch.drop_column("chain_hash")
        batch.drop_column("previous_hash")


def _chain_existing_entries() -> None:
    """Chain the stored entries in sequence-number order, a batch of rows at a time."""
    connection = op.get_bind()
    previous = GENESIS_HASH
    last_id = -1
    while True:
        rows = connection.execute(
            sa.select(
                _audit_log.c.id,
                _audit_log.c.at,
                _audit_log.c.actor,
                _audit_log.c.action,
                _audit_log.c.subject,
                _audit_log.c.before,
                _audit_log.c.after,
            )
            .where(_audit_log.c.id > last_id)
            .order_by(_audit_log.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            entry = AuditEntry(
                at=_utc(row.at),
                actor=row.actor,
                action=row.action,
                subject=row.subject,
                before=row.before,
                after=row.after,
                id=row.id,
            )
            current = chain_hash(previous, entry)
            connection.execute(
                sa.update(_audit_log)
                .where(_audit_log.c.id == row.id)
                .values(previous_hash=previous, chain_hash=current)
            )
            previous = current
        last_id = rows[-1].id


def _utc(at: datetime) -> datetime:
    """As herald reads it: SQLite keeps no zone (its values are UTC), PostgreSQL converts."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
