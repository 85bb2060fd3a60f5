"""Audit entries for catalog and publisher changes, whoever makes them.

Every change to a product (its versions, lifecycle states, channels and releases) or to
the publisher's settings is one entry whose before and after are the herald/v1 source
text of the whole product (or publisher), so the audit page shows the change as a diff
of two files, exactly as for bulletins.
"""

from __future__ import annotations

from datetime import datetime

from herald.domain.audit import AuditEntry
from herald.domain.catalog import Product
from herald.domain.publisher import Publisher
from herald.services.ports.common import SourceSerializer
from herald.services.ports.unit_of_work import UnitOfWork


def audit_product(
    uow: UnitOfWork,
    serializer: SourceSerializer,
    *,
    actor: str,
    action: str,
    before: Product | None,
    after: Product | None,
    at: datetime,
) -> None:
    """Append the entry for one product change (``product.add``, ``product.change``,
    ``catalog.release.add``, …), in ``uow``'s transaction; nothing when nothing changed."""
    if before == after:
        return
    subject = after if after is not None else before
    assert subject is not None
    uow.audit.append(
        AuditEntry(
            at=at,
            actor=actor,
            action=action,
            subject=f"product:{subject.id}",
            before=serializer.product(before) if before is not None else None,
            after=serializer.product(after) if after is not None else None,
        )
    )


def audit_publisher(
    uow: UnitOfWork,
    serializer: SourceSerializer,
    *,
    actor: str,
    action: str,
    before: Publisher | None,
    after: Publisher,
    at: datetime,
) -> None:
    """Append the entry for a change of the publisher's settings; nothing when equal."""
    if before == after:
        return
    uow.audit.append(
        AuditEntry(
            at=at,
            actor=actor,
            action=action,
            subject="publisher",
            before=serializer.publisher(before) if before is not None else None,
            after=serializer.publisher(after),
        )
    )
