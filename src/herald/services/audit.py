"""Reading and verifying the audit log (admins and the operator only)."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass

from herald.domain.accounts import Action
from herald.domain.audit import AuditEntry
from herald.domain.audit_chain import ChainedEntry, ChainReport, verify_chain
from herald.services.actors import OPERATOR, Actor
from herald.services.ports.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class AuditPage:
    """A page of entries, newest first."""

    entries: tuple[AuditEntry, ...]
    next_before_id: int | None
    """The ``before_id`` of the next (older) page, when there is one."""
    head: ChainedEntry | None = None
    """The newest entry of the whole log with its chain hash (to note outside herald)."""


class AuditService:
    """The append-only log of every change, for those allowed to read it."""

    def __init__(self, read_unit_of_work: UnitOfWorkFactory) -> None:
        self._read = read_unit_of_work

    def page(
        self,
        actor: Actor,
        *,
        subject: str | None = None,
        before_id: int | None = None,
        size: int = 50,
    ) -> AuditPage:
        actor.require(Action.READ_AUDIT)
        with self._read() as uow:
            entries = list(uow.audit.list(subject=subject, limit=size + 1, before_id=before_id))
            head = uow.audit.head()
        shown = tuple(entries[:size])
        more = len(entries) > size and bool(shown)
        return AuditPage(shown, shown[-1].id if more else None, head)

    def verify(self, actor: Actor = OPERATOR, *, noted_hash: str | None = None) -> ChainReport:
        """Check the whole hash chain, and that ``noted_hash`` (noted earlier) is still in it."""
        actor.require(Action.READ_AUDIT)
        with self._read() as uow, closing(uow.audit.chain()) as entries:
            return verify_chain(entries, noted_hash=noted_hash)
