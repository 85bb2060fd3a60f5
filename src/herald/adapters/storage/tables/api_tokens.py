"""API tokens and the webhooks each made (revisions 0004 and 0010; private)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from herald.adapters.storage.tables.base import Base


class ApiTokenRow(Base, public=False):
    """An issued API token: its name and the SHA-256 of the token, never the token; its
    scopes, expiry, owner and last use."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str]
    revoked_at: Mapped[datetime | None]
    scopes: Mapped[list[str]] = mapped_column(JSON)
    """Scope names, sorted."""
    expires_at: Mapped[datetime]
    owner: Mapped[str | None] = mapped_column(ForeignKey("users.username"))
    """The staff account it acts for; null for tokens made before owners existed."""
    last_used_at: Mapped[datetime | None]


class ApiTokenWebhookRow(Base, public=False):
    """A webhook made through the API, and the token that made it (and alone manages it)."""

    __tablename__ = "api_token_webhooks"

    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("alert_subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    token_id: Mapped[int] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True
    )
