"""Staff accounts and the sign-in throttle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import translated
from herald.adapters.storage.mapping import user_from_row, user_to_row
from herald.adapters.storage.tables.accounts import AccountPolicyRow, SignInFailureRow, UserRow
from herald.domain.accounts import User
from herald.domain.errors import Conflict, NotFound


class SqlUserRepository:
    """Staff accounts by username."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def find(self, username: str) -> User | None:
        row = self._session.get(UserRow, username, populate_existing=True)
        return None if row is None else _from_row(row)

    @translated
    def list(self) -> Sequence[User]:
        """Every account, by username."""
        rows = self._session.scalars(
            select(UserRow).order_by(UserRow.username).execution_options(populate_existing=True)
        )
        return [_from_row(row) for row in rows]

    @translated
    def add(self, user: User) -> None:
        """``Conflict`` when the username is taken."""
        if self._session.get(UserRow, user.username) is not None:
            raise Conflict(f"username {user.username} is already taken")
        row = UserRow(username=user.username)
        _to_row(user, row)
        self._session.add(row)
        self._session.flush()

    @translated
    def update(self, user: User) -> None:
        """Store a new state of an account; ``NotFound`` when there is none."""
        row = self._session.get(UserRow, user.username)
        if row is None:
            raise NotFound(f"no user {user.username}")
        _to_row(user, row)
        self._session.flush()

    @translated
    def lock(self) -> None:
        """``SELECT ... FOR UPDATE`` on every account (SQLite has one writer anyway)."""
        self._session.execute(select(UserRow.username).with_for_update()).all()

    @translated
    def second_factor_required(self) -> bool:
        row = self._session.get(AccountPolicyRow, 1, populate_existing=True)
        return row is not None and row.require_second_factor

    @translated
    def require_second_factor(self, required: bool) -> None:
        row = self._session.get(AccountPolicyRow, 1)
        if row is None:
            self._session.add(AccountPolicyRow(id=1, require_second_factor=required))
        else:
            row.require_second_factor = required
        self._session.flush()


def _from_row(row: UserRow) -> User:
    return replace(
        user_from_row(row),
        must_change_password=row.must_change_password,
        totp_secret=row.totp_secret,
        totp_pending_secret=row.totp_pending_secret,
        totp_last_step=row.totp_last_step,
        recovery_code_hashes=frozenset(row.recovery_codes or ()),
    )


def _to_row(user: User, row: UserRow) -> None:
    user_to_row(user, row)
    row.must_change_password = user.must_change_password
    row.totp_secret = user.totp_secret
    row.totp_pending_secret = user.totp_pending_secret
    row.totp_last_step = user.totp_last_step
    row.recovery_codes = sorted(user.recovery_code_hashes)


class SqlSignInThrottle:
    """Failed sign-ins, one row each, counted per key over a window."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def failures(self, key: str, since: datetime) -> int:
        """Failed attempts for ``key`` after ``since``."""
        count = self._session.scalar(
            select(func.count())
            .select_from(SignInFailureRow)
            .where(SignInFailureRow.key == key, SignInFailureRow.at > since)
        )
        return count or 0

    @translated
    def latest_failure(self, key: str, since: datetime) -> datetime | None:
        latest = self._session.scalar(
            select(func.max(SignInFailureRow.at)).where(
                SignInFailureRow.key == key, SignInFailureRow.at > since
            )
        )
        if latest is not None and latest.tzinfo is None:  # SQLite keeps no zone
            latest = latest.replace(tzinfo=UTC)
        return latest

    @translated
    def record_failure(self, key: str, at: datetime) -> None:
        self._session.add(SignInFailureRow(key=key, at=at))
        self._session.flush()

    @translated
    def clear(self, key: str) -> None:
        """Forget every failure of ``key`` (after a successful sign-in)."""
        self._session.execute(
            delete(SignInFailureRow).where(SignInFailureRow.key == key),
            execution_options={"synchronize_session": False},
        )

    @translated
    def prune(self, before: datetime) -> int:
        """Forget failures older than ``before`` (no window looks that far back); how many.

        A maintenance step, so that attempts with ever new keys do not grow the table
        without end (``AccountService`` runs it now and then).
        """
        result = self._session.execute(
            delete(SignInFailureRow).where(SignInFailureRow.at < before),
            execution_options={"synchronize_session": False},
        )
        return int(getattr(result, "rowcount", 0))
