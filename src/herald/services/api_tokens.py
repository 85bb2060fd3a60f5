"""API tokens: admins issue and revoke them; the JSON API authenticates with them.

Issuing and revoking are audited in the same transaction. The token is returned once,
from ``issue``; only its SHA-256 is stored. A token works while it is neither revoked
nor expired and its owner's account is active; it acts for its owner (never beyond the
owner's roles) and only within its scopes. Its last use is written at most once a
minute.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from herald.domain.accounts import Action, parse_username
from herald.domain.api_tokens import (
    DEFAULT_LIFETIME,
    TOKEN_PREFIX,
    ApiToken,
    Scope,
    TokenState,
    check_expiry,
    parse_scopes,
    parse_token_name,
)
from herald.domain.audit import AuditEntry
from herald.domain.errors import Conflict, NotFound, ValidationError
from herald.services.actors import OPERATOR, Actor
from herald.services.ports.accounts import UserRepository
from herald.services.ports.common import Clock
from herald.services.ports.unit_of_work import UnitOfWorkFactory

MAX_TOKEN_LENGTH = 200
"""Longer presented tokens are refused without hashing."""


@dataclass(frozen=True)
class Bearer:
    """A request's valid token and whom it acts as."""

    token: ApiToken
    actor: Actor
    """``token:NAME`` in the audit log, with the owner's roles (the operator's trust for a
    token without an owner)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenService:
    """Issue, list, revoke and check API tokens."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def issue(
        self,
        name: str,
        actor: Actor = OPERATOR,
        *,
        scopes: Iterable[Scope | str] = (Scope.WEBHOOKS_OWN,),
        expires_at: datetime | None = None,
        owner: str | None = None,
    ) -> tuple[ApiToken, str]:
        """A new token named ``name``: the record, and the token itself (shown once).

        ``expires_at`` defaults to ``DEFAULT_LIFETIME`` from now; ``owner`` to the
        issuing staff account (the operator's tokens have none unless named). The owner
        must be an active account whose roles allow what the scopes need.
        """
        actor.require(Action.MANAGE_USERS)
        name = parse_token_name(name.strip() if isinstance(name, str) else name)
        wanted = parse_scopes([str(scope) for scope in scopes])
        now = self._clock.now()
        expiry = check_expiry(expires_at if expires_at is not None else now + DEFAULT_LIFETIME, now)
        if owner is None and actor.user is not None:
            owner = actor.user.username
        if owner is not None:
            owner = parse_username(
                owner.strip().lower() if isinstance(owner, str) else owner, "owner"
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._units() as unit:
            if owner is not None:
                _check_owner(unit.users, owner, wanted)
            if unit.tokens.find(name) is not None:
                raise Conflict(f"there is a token named {name} already")
            issued = unit.tokens.add(
                name, token_hash(secret), now, actor.name, wanted, expiry, owner
            )
            unit.audit.append(
                AuditEntry(now, actor.name, "token.add", f"token:{name}", None, issued.describe())
            )
            unit.commit()
        return issued, secret

    def tokens(self, actor: Actor = OPERATOR) -> Sequence[ApiToken]:
        actor.require(Action.MANAGE_USERS)
        with self._units() as unit:
            return unit.tokens.all()

    def state(self, token: ApiToken) -> TokenState:
        """Whether ``token`` is active, expired or revoked now."""
        return token.state(self._clock.now())

    def revoke(self, name: str, actor: Actor = OPERATOR) -> ApiToken:
        """Revoke the token named ``name`` (``NotFound`` if none); harmless to repeat."""
        actor.require(Action.MANAGE_USERS)
        now = self._clock.now()
        with self._units() as unit:
            found = unit.tokens.find(name) if isinstance(name, str) else None
            if found is None:
                raise NotFound(f"no API token named {str(name)[:64]!r}")
            if found.revoked:
                return found
            unit.tokens.revoke(found.id, now)
            revoked = replace(found, revoked_at=now)
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

    def bearer(self, token: str) -> Bearer | None:
        """The valid token ``token`` is and whom it acts as; None when it is unknown,
        malformed, revoked or expired, or its owner's account is not active. Records the
        use (at most once a minute)."""
        if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
            return None
        if len(token) > MAX_TOKEN_LENGTH:
            return None
        now = self._clock.now()
        with self._units() as unit:
            found = unit.tokens.by_hash(token_hash(token))
            if found is None or found.state(now) is not TokenState.ACTIVE:
                return None
            actor = Actor(f"token:{found.name}")
            if found.owner is not None:
                user = unit.users.find(found.owner)
                if user is None or not user.active:
                    return None
                actor = Actor(actor.name, user)
            if found.due_for_last_use(now):
                unit.tokens.record_use(found.id, now)
                unit.commit()
                found = replace(found, last_used_at=now)
        return Bearer(found, actor)

    def authenticate(self, token: str) -> ApiToken | None:
        """The valid token ``token`` is, or None (see ``bearer``)."""
        found = self.bearer(token)
        return found.token if found is not None else None


def _check_owner(users: UserRepository, owner: str, scopes: frozenset[Scope]) -> None:
    user = users.find(owner)
    if user is None or not user.active:
        raise ValidationError("owner", f"no active staff account {owner!r}")
    for scope in sorted(scopes):
        needed = scope.needs
        if needed is not None and not user.may(needed):
            raise ValidationError(
                "scopes",
                f"the owner {owner} may not {needed.value.replace('_', ' ')}, "
                f"which the scope {scope.value} needs",
            )


__all__ = ["ApiTokenService", "Bearer", "token_hash"]
