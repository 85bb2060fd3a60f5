"""Signing in to a staff account, throttled: the password, then (for an account with a
second factor) a TOTP code or a recovery code.

Failures are counted per (username, client address) and per client address over
``FAILURE_WINDOW``; past ``FREE_FAILURES`` of either, each failure doubles the wait before
the next attempt (``herald.domain.throttle``: a growing delay, never a lock). Counting a
name only together with the address keeps a stranger from slowing a colleague down by
guessing from elsewhere; an account with a second factor is not held back by its
address's count at all (a guessed password alone gets nobody in), only by its own.
An unknown name costs as much time as a known one. Failures older than the window are
forgotten, for every key, at most once a window per process. Every failure, at the
password or at the code, appends an audit entry (actor: the client address).
``AccountService`` signs in through ``SignIn``, and counts a wrong current password at a
password change as a failure too.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import NoReturn

from herald.domain import totp
from herald.domain.accounts import User
from herald.domain.audit import AuditEntry
from herald.domain.errors import HeraldError, TooManyAttempts
from herald.domain.throttle import FAILURE_WINDOW, wait_left
from herald.services.passwords import MAX_PASSWORD_LENGTH
from herald.services.ports.common import Clock, PasswordHasher
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

_SUBJECT_NAME = re.compile(r"[a-z0-9._-]{1,64}")


class SignInFailed(HeraldError):
    """Wrong username or password, or a wrong code (never says which)."""

    exit_code = 2


def throttle_keys(username: str, client: str) -> tuple[str, str]:
    """The keys a failure counts under: the name at the address, and the address."""
    return (f"user:{username.lower()}@{client}", f"client:{client}")


class SignIn:
    """The two steps of signing in and the throttle they share (one per process)."""

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock
    ) -> None:
        self._unit_of_work = unit_of_work
        self._hasher = hasher
        self._clock = clock
        self._dummy: str | None = None
        self._pruned_at: datetime | None = None

    def password(self, username: str, password: str, client: str) -> User:
        """The user whose password this is; ``SignInFailed`` or ``TooManyAttempts``. For
        an account with a second factor, ``second_factor`` must follow."""
        now = self._clock.now()
        keys = throttle_keys(username, client)
        with self._unit_of_work() as uow:
            user = uow.users.find(username.lower())
            second_factor = user is not None and user.has_second_factor
            self.check_throttle(uow, keys[:1] if second_factor else keys, now)
            stored = user.password_hash if user is not None else self._dummy_hash()
            valid = self._hasher.verify(stored, password[:MAX_PASSWORD_LENGTH])
            if user is None or not valid or not user.active:
                self._fail(uow, keys, now, username, client, "password")
            if not user.has_second_factor:
                uow.sign_in.clear(keys[0])
            if self._hasher.needs_rehash(user.password_hash):
                user = replace(user, password_hash=self._hasher.hash(password))
                uow.users.update(user)
            uow.commit()
            return user

    def second_factor(self, username: str, code: str, client: str) -> User:
        """A current TOTP code not used before, or an unused recovery code (then spent,
        and audited); ``SignInFailed`` or ``TooManyAttempts``."""
        now = self._clock.now()
        keys = throttle_keys(username, client)
        with self._unit_of_work() as uow:
            self.check_throttle(uow, keys[:1], now)  # the name at this address only
            uow.users.lock()  # two requests with one code: the second sees the first's step
            user = uow.users.find(username.lower())
            if user is None or not user.active or user.totp_secret is None:
                self._fail(uow, keys, now, username, client, "code")
            given = code.strip()[:40]
            if totp.looks_like_recovery_code(given):
                hashed = totp.recovery_code_hash(given)
                if hashed not in user.recovery_code_hashes:
                    self._fail(uow, keys, now, username, client, "recovery code")
                after = replace(user, recovery_code_hashes=user.recovery_code_hashes - {hashed})
                uow.users.update(after)
                uow.audit.append(
                    AuditEntry(
                        at=now,
                        actor=user.username,
                        action="user.recovery_code_used",
                        subject=f"user:{user.username}",
                        before=f"recovery_codes_left: {len(user.recovery_code_hashes)}",
                        after=f"recovery_codes_left: {len(after.recovery_code_hashes)}",
                    )
                )
            else:
                step = totp.matching_step(user.totp_secret, given, now, after=user.totp_last_step)
                if step is None:
                    self._fail(uow, keys, now, username, client, "code")
                after = replace(user, totp_last_step=step)
                uow.users.update(after)
            uow.sign_in.clear(keys[0])
            uow.commit()
            return after

    def check_throttle(self, uow: UnitOfWork, keys: tuple[str, ...], now: datetime) -> None:
        """``TooManyAttempts`` (with the seconds left) while a key's wait lasts."""
        since = now - FAILURE_WINDOW
        waits = [
            wait_left(uow.sign_in.failures(key, since), uow.sign_in.latest_failure(key, since), now)
            for key in keys
        ]
        longest = max(waits, default=timedelta(0))
        if longest > timedelta(0):
            seconds = max(1, math.ceil(longest.total_seconds()))
            raise TooManyAttempts(
                f"too many failed sign-ins; try again in {seconds} seconds", seconds
            )

    def count_failure(
        self,
        uow: UnitOfWork,
        keys: tuple[str, str],
        now: datetime,
        username: str,
        client: str,
        what: str,
    ) -> None:
        """Count a failure under ``keys`` and audit it, committed at once."""
        for key in keys:
            uow.sign_in.record_failure(key, now)
        since = now - FAILURE_WINDOW
        if self._pruned_at is None or now - self._pruned_at >= FAILURE_WINDOW:
            uow.sign_in.prune(since)  # at most once a window per process
            self._pruned_at = now
        name = username.strip().lower()
        uow.audit.append(
            AuditEntry(
                at=now,
                actor=client[:64] if client and client != "unknown" else "anonymous",
                action="user.sign_in_failed",
                subject=f"user:{name if _SUBJECT_NAME.fullmatch(name) else '(invalid)'}",
                after=f"failed: {what}",
            )
        )
        uow.commit()

    def _fail(
        self,
        uow: UnitOfWork,
        keys: tuple[str, str],
        now: datetime,
        username: str,
        client: str,
        what: str,
    ) -> NoReturn:
        """Count and audit a failure (committed), then raise ``SignInFailed``."""
        self.count_failure(uow, keys, now, username, client, what)
        if what == "password":
            raise SignInFailed("wrong username or password")
        raise SignInFailed("wrong code")

    def _dummy_hash(self) -> str:
        """A hash to verify unknown names against, so they cost as much as known ones;
        made on first need (Argon2id takes its memory cost, 64 MiB, while hashing)."""
        if self._dummy is None:
            self._dummy = self._hasher.hash("herald-dummy-password-for-timing")
        return self._dummy
