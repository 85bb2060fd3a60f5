"""Issued API tokens, kept by the hash of the token (never the token)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from herald.domain.api_tokens import ApiToken, Scope


class ApiTokenStore(Protocol):
    """Where issued tokens are kept (by the hash of the token)."""

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
        """Store a new token; ``Conflict`` when the name is taken."""
        ...

    def all(self) -> Sequence[ApiToken]:
        """Every token, revoked and expired ones too, oldest first."""
        ...

    def find(self, name: str) -> ApiToken | None: ...

    def by_hash(self, token_hash: str) -> ApiToken | None: ...

    def revoke(self, token_id: int, at: datetime) -> None: ...

    def record_use(self, token_id: int, at: datetime) -> None:
        """Set the last use to ``at`` unless one was written less than a minute before."""
        ...

    def own_webhook(self, token_id: int, subscription_id: int) -> None:
        """Record that the token made the webhook (it alone manages it through the API)."""
        ...

    def webhooks_of(self, token_id: int) -> frozenset[int]: ...
