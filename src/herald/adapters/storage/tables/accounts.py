"""Staff accounts, the account policy and failed sign-ins (revision 0002; private)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from herald.adapters.storage.tables.base import Base


class UserRow(Base, public=False):
    """A staff account."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(primary_key=True)
    display_name: Mapped[str]
    roles: Mapped[list[str]] = mapped_column(JSON)
    """Role names, sorted."""
    password_hash: Mapped[str]
    active: Mapped[bool] = mapped_column(Boolean)
    session_generation: Mapped[int] = mapped_column(Integer, server_default="0")
    """Signing out moves it on: sessions of an earlier generation are over."""
    created_at: Mapped[datetime] = mapped_column(server_default=func.current_timestamp())
    """When the account was stored (set by the database)."""
    must_change_password: Mapped[bool] = mapped_column(Boolean, server_default="0")
    """The password is a temporary one (revision 0009)."""
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    """The base32 TOTP secret; None without a second factor."""
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    """A secret being enrolled."""
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The last TOTP step accepted (replay protection)."""
    recovery_codes: Mapped[list[str]] = mapped_column(JSON, server_default="[]")
    """SHA-256 hashes of the unused recovery codes, sorted."""


class AccountPolicyRow(Base, public=False):
    """Rules for every staff account, in a single row (``id`` is always 1; no row means
    the defaults)."""

    __tablename__ = "account_policy"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    require_second_factor: Mapped[bool] = mapped_column(Boolean)
    """Every member must have a second factor (they enroll at their next sign-in)."""


class SignInFailureRow(Base, public=False):
    """One failed sign-in for a throttle key (a username or a client address)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index(None, "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str]
    at: Mapped[datetime]
