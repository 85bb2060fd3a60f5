"""API tokens in SQL: their store (``SqlUnitOfWork.tokens``), over ``api_tokens`` and
``api_token_webhooks`` (which token made which webhook; ``tables/api_tokens.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import translated
from herald.adapters.storage.tables.api_tokens import ApiTokenRow, ApiTokenWebhookRow
from herald.domain.api_tokens import LAST_USE_PRECISION, ApiToken, Scope

_SCOPES = frozenset(scope.value for scope in Scope)
"""Scope names this herald knows (a name it does not know grants nothing)."""


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        id=row.id,
        name=row.name,
        created_at=row.created_at,
        created_by=row.created_by,
        scopes=frozenset(Scope(name) for name in row.scopes if name in _SCOPES),
        expires_at=row.expires_at,
        owner=row.owner,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


class SqlApiTokenStore:
    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def add(
        self,
        name: str,
        token_hash: str,
        created_at: datetime,
        created_by: str,
        scopes: frozenset[Scope],
        expires_at: datetime,
        owner: str | None,
    ) -> ApiToken:
        row = ApiTokenRow(
            name=name,
            token_hash=token_hash,
            created_at=created_at,
            created_by=created_by,
            scopes=sorted(scope.value for scope in scopes),
            expires_at=expires_at,
            owner=owner,
        )
        self._session.add(row)
        self._session.flush()
        return _token(row)

    @translated
    def all(self) -> Sequence[ApiToken]:
        rows = self._session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))
        return [_token(row) for row in rows]

    @translated
    def find(self, name: str) -> ApiToken | None:
        row = self._session.scalar(select(ApiTokenRow).where(ApiTokenRow.name == name))
        return _token(row) if row is not None else None

    @translated
    def by_hash(self, token_hash: str) -> ApiToken | None:
        row = self._session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
        return _token(row) if row is not None else None

    @translated
    def revoke(self, token_id: int, at: datetime) -> None:
        self._session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    @translated
    def record_use(self, token_id: int, at: datetime) -> None:
        # One conditional UPDATE: concurrent requests write the minute once between them.
        recent = at - LAST_USE_PRECISION + timedelta(microseconds=1)
        self._session.execute(
            update(ApiTokenRow)
            .where(
                ApiTokenRow.id == token_id,
                or_(ApiTokenRow.last_used_at.is_(None), ApiTokenRow.last_used_at < recent),
            )
            .values(last_used_at=at)
        )

    @translated
    def own_webhook(self, token_id: int, subscription_id: int) -> None:
        self._session.add(ApiTokenWebhookRow(subscription_id=subscription_id, token_id=token_id))
        self._session.flush()

    @translated
    def webhooks_of(self, token_id: int) -> frozenset[int]:
        ids = self._session.scalars(
            select(ApiTokenWebhookRow.subscription_id).where(
                ApiTokenWebhookRow.token_id == token_id
            )
        )
        return frozenset(ids)
