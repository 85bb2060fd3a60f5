"""API tokens: admins issue and revoke them; the JSON API authenticates with them.

Issuing and revoking are audited in the same transaction. The token is returned once,
from ``issue``; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from herald.domain.accounts import Action
from herald.domain.api_tokens import TOKEN_PREFIX, ApiToken, parse_token_name
from herald.domain.audit import AuditEntry
from herald.domain.errors import Conflict, NotFound
from herald.services.actors import OPERATOR, Actor
from herald.services.ports import AuditLog, Clock

MAX_TOKEN_LENGTH = 200
"""Longer presented tokens are refused without hashing."""


class ApiTokenStore(Protocol):
    """Where issued tokens are kept (by the hash of the token)."""

    def add(self, name: str, token_hash: str, created_at: datetime, created_by: str) -> ApiToken:
        """Store a new token; ``Conflict`` when the name is taken."""
        ...

    def all(self) -> Sequence[ApiToken]:
        """Every token, revoked ones too, oldest first."""
        ...

    def find(self, name: str) -> ApiToken | None: ...

    def by_hash(self, token_hash: str) -> ApiToken | None: ...

    def revoke(self, token_id: int, at: datetime) -> None: ...

    def own_webhook(self, token_id: int, subscription_id: int) -> None:
        """Record that the token made the webhook (it alone manages it through the API)."""
        ...

    def webhooks_of(self, token_id: int) -> frozenset[int]: ...


class ApiTokenUnit(Protocol):
    """One transaction over the tokens and the audit log."""

    tokens: ApiTokenStore
    audit: AuditLog

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenService:
    """Issue, list, revoke and check API tokens."""

    def __init__(self, units: Callable[[], ApiTokenUnit], clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def issue(self, name: str, actor: Actor = OPERATOR) -> tuple[ApiToken, str]:
        """A new token named ``name``: the record, and the token itself (shown once)."""
        actor.require(Action.MANAGE_USERS)
        name = parse_token_name(name.strip() if isinstance(name, str) else name)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self._clock.now()
        with self._units() as unit:
            if unit.tokens.find(name) is not None:
                raise Conflict(f"there is a token named {name} already")
            issued = unit.tokens.add(name, token_hash(secret), now, actor.name)
            unit.audit.append(
                AuditEntry(now, actor.name, "token.add", f"token:{name}", None, issued.describe())
            )
            unit.commit()
        return issued, secret

    def tokens(self, actor: Actor = OPERATOR) -> Sequence[ApiToken]:
        actor.require(Action.MANAGE_USERS)
        with self._units() as unit:
            return unit.tokens.all()

    def revoke(self, name: str, actor: Actor = OPERATOR) -> ApiToken:
        """Revoke the token named ``name`` (``NotFound`` if none); harmless to repeat."""
        actor.require(Action.MANAGE_USERS)
        now = self._clock.now()
        with self._units() as unit:
            found = unit.tokens.find(name) if isinstance(name, str) else None
            if found is None:
                raise NotFound(f"no API token named {str(name)[:64]!r}")
            if not found.active:
                return found
            unit.tokens.revoke(found.id, now)
            revoked = ApiToken(found.id, found.name, found.created_at, found.created_by, now)
            unit.audit.append(
                AuditEntry(
                    now,
                    actor.name,
                    "token.revoke",
                    f"token:{found.name}",
                    found.describe(),
                    revoked.describe(),
                )
            )
            unit.commit()
        return revoked

    def own_webhook(self, token: ApiToken, subscription_id: int) -> None:
        with self._units() as unit:
            unit.tokens.own_webhook(token.id, subscription_id)
            unit.commit()

    def webhooks_of(self, token: ApiToken) -> frozenset[int]:
        """The ids of the webhooks ``token`` made."""
        with self._units() as unit:
            return unit.tokens.webhooks_of(token.id)

    def authenticate(self, token: str) -> ApiToken | None:
        """The active token ``token`` is, or None (unknown, malformed or revoked)."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
            return None
        with self._units() as unit:
            found = unit.tokens.by_hash(token_hash(token))
        return found if found is not None and found.active else None


__all__ = ["ApiTokenService", "ApiTokenStore", "ApiTokenUnit", "token_hash"]
