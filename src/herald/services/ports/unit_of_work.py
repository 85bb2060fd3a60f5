"""The unit of work: one transaction, and every repository and store inside it."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from herald.services.ports.accounts import SignInThrottle, UserRepository
from herald.services.ports.alerts import Outbox, PredisclosureStore, SubscriptionStore
from herald.services.ports.api_tokens import ApiTokenStore
from herald.services.ports.audit import AuditLog
from herald.services.ports.bulletins import BulletinRepository
from herald.services.ports.catalog import CatalogRepository, PublisherRepository
from herald.services.ports.rate_limits import RateLimitStore
from herald.services.ports.review import ReviewStore
from herald.services.ports.sessions import SessionStore
from herald.services.ports.site import SiteState


class UnitOfWork(Protocol):
    """One transaction: everything done through it is committed together or not at all."""

    publisher: PublisherRepository
    catalog: CatalogRepository
    bulletins: BulletinRepository
    users: UserRepository
    audit: AuditLog
    sign_in: SignInThrottle
    site: SiteState
    subscriptions: SubscriptionStore
    outbox: Outbox
    predisclosures: PredisclosureStore
    review: ReviewStore
    tokens: ApiTokenStore
    rate_limits: RateLimitStore
    sessions: SessionStore

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back anything not committed."""
        ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
