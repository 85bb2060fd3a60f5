"""One transaction over the SQL repositories."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from types import TracebackType
from typing import Self

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from herald.adapters.storage.accounts import SqlSignInThrottle, SqlUserRepository
from herald.adapters.storage.api_tokens import SqlApiTokenStore
from herald.adapters.storage.audit import SqlAuditLog
from herald.adapters.storage.bulletins import SqlBulletinRepository
from herald.adapters.storage.errors import storage_errors
from herald.adapters.storage.outbox import SqlOutbox
from herald.adapters.storage.predisclosures import SqlPredisclosureStore
from herald.adapters.storage.rate_limits import SqlRateLimitStore
from herald.adapters.storage.repositories import SqlCatalogRepository, SqlPublisherRepository
from herald.adapters.storage.review import SqlReviewStore
from herald.adapters.storage.sessions import SqlSessionStore
from herald.adapters.storage.site import PublicChanges, SqlSiteState
from herald.adapters.storage.subscriptions import SqlSubscriptionStore
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


class SqlUnitOfWork:
    """One SQLAlchemy session: commit to keep the changes, leave without to roll them back.

    Use it as a context manager, once::

        with database.unit_of_work() as uow:
            uow.bulletins.add(bulletin)
            uow.commit()

    It is the one unit of work: every repository and store of ``UnitOfWork`` is here,
    on the same session (the API tokens and the staff sessions too).

    A commit of a unit of work that wrote to a public table (one declared
    ``public=True`` in ``tables``: through ``publisher``, ``catalog`` or ``bulletins``)
    also bumps ``site`` (the site generation), in the same transaction: a public change
    is never visible under the generation of the state before it. Writes to the private
    tables (``users``, ``audit``, ``sign_in``, the alert stores, ``review``, ``tokens``,
    ``rate_limits``, ``sessions``) do not bump it; neither does a unit of work that only
    read. A service may still call ``site.bump()`` itself; the commit then bumps again
    only for public writes made after that call.

    ``on_public_commit`` hears the new generation after each commit that moved it (the
    ``Database`` keeps the newest one, so this process sees its own changes at once).
    """

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

    def __init__(
        self,
        session: Session,
        where: str,
        on_public_commit: Callable[[int], None] | None = None,
    ) -> None:
        self._session = session
        self._where = where
        self._on_public_commit = on_public_commit
        self._changes = PublicChanges(session)
        self.publisher = SqlPublisherRepository(session, where)
        self.catalog = SqlCatalogRepository(session, where)
        self.bulletins = SqlBulletinRepository(session, where)
        self.users = SqlUserRepository(session, where)
        self.audit = SqlAuditLog(session, where)
        self.sign_in = SqlSignInThrottle(session, where)
        self._site = SqlSiteState(session, where, self._changes)
        self.site = self._site
        self.subscriptions = SqlSubscriptionStore(session, where)
        self.outbox = SqlOutbox(session, where)
        self.predisclosures = SqlPredisclosureStore(session, where)
        self.review = SqlReviewStore(session, where)
        self.tokens = SqlApiTokenStore(session, where)
        self.rate_limits = SqlRateLimitStore(session, where)
        self.sessions = SqlSessionStore(session, where)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back anything not committed and give the connection back."""
        try:
            if exc is None:
                with storage_errors(self._where):
                    self._session.rollback()
            else:
                # The error already on its way out says more than a failed rollback would.
                with suppress(SQLAlchemyError):
                    self._session.rollback()
        finally:
            self._session.close()

    def commit(self) -> None:
        """Make everything done so far permanent; bump the site generation first if it
        wrote anything public (see the class)."""
        with storage_errors(self._where):
            self._session.flush()
            if self._changes.pending:
                self.site.bump()
            self._session.commit()
            self._changes.settled()
        bumped, self._site.last_bump = self._site.last_bump, None
        if bumped is not None and self._on_public_commit is not None:
            self._on_public_commit(bumped)
