"""Staff accounts: creating them, and signing in with throttling of repeated failures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from herald.domain.accounts import Action, User, parse_roles, parse_username
from herald.domain.audit import AuditEntry
from herald.domain.errors import Conflict, HeraldError, TooManyAttempts, ValidationError
from herald.services.actors import OPERATOR, Actor
from herald.services.ports import Clock, PasswordHasher, UnitOfWorkFactory

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
FAILURE_WINDOW = timedelta(minutes=15)
"""Failed sign-ins count for this long."""
FREE_FAILURES = 5
"""Failures allowed in the window before sign-in for that name or address is refused."""


class SignInFailed(HeraldError):
    """Wrong username or password (never says which)."""

    exit_code = 2


class AccountService:
    """Creates staff accounts and checks their passwords."""

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock
    ) -> None:
        self._unit_of_work = unit_of_work
        self._hasher = hasher
        self._clock = clock
        self._dummy: str | None = None
        self._pruned_at: datetime | None = None

    def add_user(
        self,
        username: str,
        display_name: str,
        roles: list[str],
        password: str,
        actor: Actor = OPERATOR,
    ) -> User:
        actor.require(Action.MANAGE_USERS)
        check_password(password)
        if not display_name.strip():
            raise ValidationError("display_name", "must not be empty")
        user = User(
            username=parse_username(username),
            display_name=display_name.strip(),
            roles=parse_roles(roles),
            password_hash=self._hasher.hash(password),
        )
        with self._unit_of_work() as uow:
            if uow.users.find(user.username) is not None:
                raise Conflict(f"user {user.username!r} already exists")
            uow.users.add(user)
            uow.audit.append(
                AuditEntry(
                    at=self._clock.now(),
                    actor=actor.name,
                    action="user.add",
                    subject=f"user:{user.username}",
                    after=f"roles: {sorted(r.value for r in user.roles)}",
                )
            )
            uow.commit()
        return user

    def users(self, actor: Actor = OPERATOR) -> Sequence[User]:
        actor.require(Action.MANAGE_USERS)
        with self._unit_of_work() as uow:
            return uow.users.list()

    def user(self, username: str) -> User | None:
        """The active account of that name, for a session that names it."""
        with self._unit_of_work() as uow:
            user = uow.users.find(username)
        return user if user is not None and user.active else None

    def end_sessions(self, username: str) -> None:
        """Sign ``username`` out everywhere: every session begun so far is over."""
        with self._unit_of_work() as uow:
            user = uow.users.find(username)
            if user is None:
                return
            uow.users.update(replace(user, session_generation=user.session_generation + 1))
            uow.commit()

    def sign_in(self, username: str, password: str, client: str) -> User:
        """The user whose password this is; ``SignInFailed`` or ``TooManyAttempts``.

        Failures are counted per (username, client address) and per client address
        over ``FAILURE_WINDOW``; past ``FREE_FAILURES`` of either, sign-in is refused
        until the window passes. Counting a name only together with the address keeps
        a stranger from locking a colleague out by guessing from elsewhere. An unknown
        name costs as much time as a known one. Failures older than the window are
        forgotten, for every key, at most once a window per process.
        """
        now = self._clock.now()
        keys = (f"user:{username.lower()}@{client}", f"client:{client}")
        with self._unit_of_work() as uow:
            since = now - FAILURE_WINDOW
            if any(uow.sign_in.failures(key, since) >= FREE_FAILURES for key in keys):
                raise TooManyAttempts(
                    "too many failed sign-ins; try again later",
                    int(FAILURE_WINDOW.total_seconds()),
                )
            user = uow.users.find(username.lower())
            stored = user.password_hash if user is not None else self._dummy_hash()
            valid = self._hasher.verify(stored, password[:MAX_PASSWORD_LENGTH])
            if user is None or not valid or not user.active:
                for key in keys:
                    uow.sign_in.record_failure(key, now)
                if self._pruned_at is None or now - self._pruned_at >= FAILURE_WINDOW:
                    uow.sign_in.prune(since)  # at most once a window per process
                    self._pruned_at = now
                uow.commit()
                raise SignInFailed("wrong username or password")
            uow.sign_in.clear(keys[0])
            if self._hasher.needs_rehash(user.password_hash):
                user = replace(user, password_hash=self._hasher.hash(password))
                uow.users.update(user)
            uow.commit()
            return user

    def _dummy_hash(self) -> str:
        """A hash to verify unknown names against, so they cost as much as known ones;
        made on first need (Argon2id takes its memory cost, 64 MiB, while hashing)."""
        if self._dummy is None:
            self._dummy = self._hasher.hash("herald-dummy-password-for-timing")
        return self._dummy


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError("password", f"use at most {MAX_PASSWORD_LENGTH} characters")
