"""API tokens: what lets a program use the token-authenticated JSON API.

A token is shown once when it is issued; herald keeps only its SHA-256 (the token is
32 random bytes, so a fast hash is enough) and finds it by that hash.

Every token names its scopes (what it may do, at least one), expires (90 days after
issue unless told otherwise, a year at most) and acts for an owner, a staff account: it
may never do more than its owner's roles allow, and it stops working when the owner's
account is deactivated. Tokens made before scopes existed have no owner (see
``docs/authorization.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from herald.domain.accounts import Action
from herald.domain.errors import ValidationError

TOKEN_PREFIX = "hrld_"  # noqa: S105 - a public prefix, not a secret
"""Every token starts with it, so that secret scanners can recognise one."""

DEFAULT_LIFETIME = timedelta(days=90)
"""How long a token works when its issuer does not say."""
MAX_LIFETIME = timedelta(days=365)
"""The longest a token may work."""
LAST_USE_PRECISION = timedelta(minutes=1)
"""The last use is written at most once per this long (not a write per request)."""

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_DURATION = re.compile(r"([1-9][0-9]{0,3})\s*(d|w|y)")
_DURATION_UNITS = {"d": timedelta(days=1), "w": timedelta(weeks=1), "y": timedelta(days=365)}


class Scope(StrEnum):
    """What a token may do."""

    READ_PUBLIC = "read:public"
    """Read public data through token-authenticated calls (the public API needs no token:
    this scope grants nothing more than it)."""
    WEBHOOKS_OWN = "webhooks:own"
    """List, create, change, rotate and delete the webhooks this token made."""
    SUBSCRIPTIONS_MANAGE = "subscriptions:manage"
    """Manage alert subscriptions and groups; no API route offers that yet."""

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]

    @property
    def needs(self) -> Action | None:
        """What the owner's roles must allow for a token to hold this scope."""
        return _NEEDS[self]


_DESCRIPTIONS = {
    Scope.READ_PUBLIC: "read public data (no more than the public API shows anyone)",
    Scope.WEBHOOKS_OWN: "manage the webhooks this token makes (/api/v1/webhooks)",
    Scope.SUBSCRIPTIONS_MANAGE: "manage alert subscriptions and groups (no API route yet)",
}
_NEEDS: dict[Scope, Action | None] = {
    Scope.READ_PUBLIC: None,
    Scope.WEBHOOKS_OWN: Action.PUBLISH,
    Scope.SUBSCRIPTIONS_MANAGE: Action.PUBLISH,
}


class TokenState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class ApiToken:
    """An issued token (never the token itself)."""

    id: int
    name: str
    """Unique; says whose or what for, e.g. ``siem-integration``."""
    created_at: datetime
    created_by: str
    """Who issued it (a username, or ``cli``)."""
    scopes: frozenset[Scope]
    """What it may do (at least one)."""
    expires_at: datetime
    """From this instant on it no longer works."""
    owner: str | None = None
    """The staff account it acts for; None only for tokens made before owners existed
    (or by the operator without naming one)."""
    revoked_at: datetime | None = None
    """Set when revoked; a revoked token never works again."""
    last_used_at: datetime | None = None
    """When it last authenticated a request (to the minute; None: never)."""

    def state(self, now: datetime) -> TokenState:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if now >= self.expires_at:
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes

    @property
    def scope_names(self) -> str:
        """Its scopes, sorted, comma-separated (``webhooks:own, read:public``)."""
        return ", ".join(sorted(scope.value for scope in self.scopes))

    def due_for_last_use(self, now: datetime) -> bool:
        """Whether a use at ``now`` should be written (at most once a minute)."""
        return self.last_used_at is None or now - self.last_used_at >= LAST_USE_PRECISION

    def describe(self) -> str:
        """Its state as the audit log keeps it."""
        lines = [
            f"name: {self.name}",
            f"scopes: {self.scope_names}",
            f"owner: {self.owner if self.owner is not None else '(none)'}",
            f"expires_at: {self.expires_at.isoformat()}",
            f"created_at: {self.created_at.isoformat()}",
            f"created_by: {self.created_by}",
        ]
        if self.revoked_at is not None:
            lines.append(f"revoked_at: {self.revoked_at.isoformat()}")
        return "\n".join(lines) + "\n"


def parse_token_name(text: str, field: str = "name") -> str:
    """1 to 64 lower-case letters, digits, '.', '-' or '_', starting with a letter or digit."""
    if not isinstance(text, str) or not _NAME.fullmatch(text):
        raise ValidationError(
            field,
            "use 1 to 64 lower-case letters, digits, '.', '-' or '_', "
            "starting with a letter or digit",
        )
    return text


def parse_scopes(names: Iterable[str], field: str = "scopes") -> frozenset[Scope]:
    """Scopes by name (``webhooks:own``); at least one."""
    scopes: set[Scope] = set()
    for name in names:
        text = name.strip() if isinstance(name, str) else name
        try:
            scopes.add(Scope(text))
        except ValueError:
            known = ", ".join(scope.value for scope in Scope)
            raise ValidationError(field, f"{str(text)[:40]!r} is not a scope ({known})") from None
    if not scopes:
        known = ", ".join(scope.value for scope in Scope)
        raise ValidationError(field, f"give at least one scope ({known})")
    return frozenset(scopes)


def parse_expiry(text: str, now: datetime, field: str = "expires") -> datetime:
    """When a token issued at ``now`` expires: a lifetime (``30d``, ``12w``, ``1y``) or a
    date (``2027-03-31``: the token works until that day begins, UTC); empty: the default
    lifetime. At most ``MAX_LIFETIME`` ahead, and in the future."""
    if not isinstance(text, str):
        raise ValidationError(field, "give a lifetime such as 30d or a date such as 2027-03-31")
    text = text.strip().lower()
    if not text:
        return now + DEFAULT_LIFETIME
    duration = _DURATION.fullmatch(text)
    if duration is not None:
        return check_expiry(now + int(duration[1]) * _DURATION_UNITS[duration[2]], now, field)
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(
            field,
            f"{text[:40]!r} is neither a lifetime (e.g. 30d, 12w, 1y) nor a date (YYYY-MM-DD)",
        )
    return check_expiry(datetime.combine(day, time(), tzinfo=UTC), now, field)


def check_expiry(expires_at: datetime, now: datetime, field: str = "expires") -> datetime:
    """``expires_at`` when it is after ``now`` and at most ``MAX_LIFETIME`` ahead."""
    if expires_at <= now:
        raise ValidationError(field, "the expiry must be in the future")
    if expires_at - now > MAX_LIFETIME:
        raise ValidationError(
            field, f"a token may work for {MAX_LIFETIME.days} days at most (e.g. 365d, 1y)"
        )
    return expires_at
