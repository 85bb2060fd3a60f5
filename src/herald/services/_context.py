"""Helpers the services share: loading the publisher and catalog a rule needs."""

from __future__ import annotations

from herald.domain.bulletin import Bulletin
from herald.domain.errors import NotFound
from herald.domain.publisher import Publisher
from herald.services.ports.unit_of_work import UnitOfWork


def require_publisher(uow: UnitOfWork) -> Publisher:
    """The stored publisher; ``NotFound`` with a hint when there is none yet."""
    publisher = uow.publisher.get()
    if publisher is None:
        raise NotFound("no publisher yet: run `herald demo` or import a publisher file")
    return publisher


def require_bulletin(uow: UnitOfWork, article_id: str) -> Bulletin:
    """The stored bulletin; ``NotFound`` naming the id when there is none."""
    bulletin = uow.bulletins.find(article_id)
    if bulletin is None:
        raise NotFound(f"no bulletin {article_id!r}")
    return bulletin
