"""Staff accounts: creating them, their lifecycle (deactivation, roles, password resets,
sign-out everywhere), the second factor (TOTP and recovery codes), and signing in with
throttling of repeated failures (``sign_in.py``; the password rules are ``passwords.py``).

Every change to an account appends one audit entry (subject ``user:<username>``, the
account's state before and after as a few ``key: value`` lines, never a secret), and so
does every failed sign-in, at the password or at the code (actor: the client address).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from herald.domain import totp
from herald.domain.accounts import Action, User, parse_roles, parse_username
from herald.domain.audit import AuditEntry
from herald.domain.errors import Conflict, NotFound, ValidationError
from herald.services.actors import OPERATOR, Actor
from herald.services.passwords import MAX_PASSWORD_LENGTH, check_password, temporary_password
from herald.services.ports.common import Clock, PasswordHasher
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from herald.services.sign_in import SignIn, throttle_keys
from herald.services.sign_in import SignInFailed as SignInFailed  # staff routes import it here

POLICY_SUBJECT = "policy:accounts"
"""The audit subject of the account policy (whether a second factor is required)."""


@dataclass(frozen=True)
class Member:
    """A signed-in account as a session sees it."""

    user: User
    """The active account."""
    second_factor_required: bool
    """Whether the account policy requires a second factor of every member."""

    @property
    def must_enroll(self) -> bool:
        """Required but not set up: the member may do nothing else first."""
        return self.second_factor_required and not self.user.has_second_factor


@dataclass(frozen=True)
class Enrollment:
    """A confirmed second factor: the recovery codes, shown once."""

    user: User
    recovery_codes: tuple[str, ...]


class AccountService:
    """Creates staff accounts, changes them, and checks passwords and codes."""

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock
    ) -> None:
        self._unit_of_work = unit_of_work
        self._hasher = hasher
        self._clock = clock
        self._sign_in = SignIn(unit_of_work, hasher, clock)

    # --- accounts ---------------------------------------------------------------------

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

    def member(self, username: str) -> Member | None:
        """The active account of that name with the policy that applies to it."""
        with self._unit_of_work() as uow:
            user = uow.users.find(username)
            if user is None or not user.active:
                return None
            return Member(user, uow.users.second_factor_required())

    def end_sessions(self, username: str) -> None:
        """Sign ``username`` out everywhere: every session begun so far is over."""
        with self._unit_of_work() as uow:
            user = uow.users.find(username)
            if user is None:
                return
            uow.users.update(replace(user, session_generation=user.session_generation + 1))
            uow.commit()

    # --- the lifecycle (admins) -----------------------------------------------------------

    def deactivate(self, username: str, actor: Actor = OPERATOR) -> User:
        """The account can no longer sign in; its sessions end at once."""
        return self._change(
            username,
            actor,
            "user.deactivate",
            lambda user: replace(
                user,
                active=False,
                session_generation=user.session_generation + int(user.active),
            ),
            field="active",
        )

    def reactivate(self, username: str, actor: Actor = OPERATOR) -> User:
        return self._change(
            username, actor, "user.reactivate", lambda user: replace(user, active=True)
        )

    def set_roles(self, username: str, roles: list[str], actor: Actor = OPERATOR) -> User:
        parsed = parse_roles(roles)
        return self._change(
            username, actor, "user.roles", lambda user: replace(user, roles=parsed), field="roles"
        )

    def reset_password(self, username: str, actor: Actor = OPERATOR) -> tuple[User, str]:
        """A temporary password (returned once, stored only as a hash) that must be
        changed at the next sign-in; every session of the account ends."""
        temporary = temporary_password()
        hashed = self._hasher.hash(temporary)
        user = self._change(
            username,
            actor,
            "user.reset_password",
            lambda user: replace(
                user,
                password_hash=hashed,
                must_change_password=True,
                session_generation=user.session_generation + 1,
            ),
        )
        return user, temporary

    def sign_out_everywhere(self, username: str, actor: Actor = OPERATOR) -> User:
        """End every session of the account, in every browser."""
        return self._change(
            username,
            actor,
            "user.sign_out_everywhere",
            lambda user: replace(user, session_generation=user.session_generation + 1),
        )

    def reset_second_factor(self, username: str, actor: Actor = OPERATOR) -> User:
        """Remove the account's second factor and recovery codes (a lost device); when
        the policy requires one, the member enrolls again at the next sign-in."""
        return self._change(
            username,
            actor,
            "user.reset_second_factor",
            lambda user: replace(
                user,
                totp_secret=None,
                totp_pending_secret=None,
                totp_last_step=None,
                recovery_code_hashes=frozenset(),
            ),
        )

    def second_factor_required(self) -> bool:
        with self._unit_of_work() as uow:
            return uow.users.second_factor_required()

    def require_second_factor(self, required: bool, actor: Actor = OPERATOR) -> None:
        """Require (or stop requiring) a second factor of every member. An admin turning
        it on must have one already, or they would be sent to enroll at once."""
        actor.require(Action.MANAGE_USERS)
        if required and actor.user is not None and not actor.user.has_second_factor:
            raise ValidationError(
                "require_second_factor",
                "set up your own second factor first (Account page)",
            )
        with self._unit_of_work() as uow:
            before = uow.users.second_factor_required()
            if before == required:
                return
            uow.users.require_second_factor(required)
            uow.audit.append(
                AuditEntry(
                    at=self._clock.now(),
                    actor=actor.name,
                    action="policy.second_factor",
                    subject=POLICY_SUBJECT,
                    before=f"require_second_factor: {_yes(before)}",
                    after=f"require_second_factor: {_yes(required)}",
                )
            )
            uow.commit()

    def _change(
        self,
        username: str,
        actor: Actor,
        action: str,
        change: _Change,
        *,
        field: str = "username",
    ) -> User:
        """Apply ``change`` to the account, keeping an active admin, with an audit entry;
        ``NotFound`` for an unknown account, ``ValidationError`` when nothing changes."""
        actor.require(Action.MANAGE_USERS)
        with self._unit_of_work() as uow:
            uow.users.lock()
            before = uow.users.find(username.strip().lower())
            if before is None:
                raise NotFound(f"no user {username.strip()[:64]!r}")
            after = change(before)
            if _state(after) == _state(before) and action in _NEEDS_A_CHANGE:
                raise ValidationError(field, _NEEDS_A_CHANGE[action].format(before.username))
            if before.is_admin and not after.is_admin:
                others = [
                    u for u in uow.users.list() if u.is_admin and u.username != before.username
                ]
                if not others:
                    raise ValidationError(
                        field,
                        f"{before.username} is the last active admin; "
                        "make another account admin first",
                    )
            self._store(uow, actor, action, before, after)
            uow.commit()
            return after

    def _store(self, uow: UnitOfWork, actor: Actor, action: str, before: User, after: User) -> None:
        uow.users.update(after)
        uow.audit.append(
            AuditEntry(
                at=self._clock.now(),
                actor=actor.name,
                action=action,
                subject=f"user:{after.username}",
                before=_state(before),
                after=_state(after),
            )
        )

    # --- one's own account ----------------------------------------------------------------

    def change_password(
        self, username: str, current: str, new: str, client: str = "unknown"
    ) -> User:
        """A member changes their own password (``current`` must be right); every other
        session of theirs ends (the caller starts the new one). A wrong ``current`` counts
        as a failed sign-in from ``client`` (and is audited), so a session left open
        cannot be used to guess the password; past the limit, ``TooManyAttempts``."""
        check_password(new, "new_password")
        now = self._clock.now()
        keys = throttle_keys(username, client)
        with self._unit_of_work() as uow:
            self._sign_in.check_throttle(uow, keys, now)
            user = self._active(uow, username)
            if not self._hasher.verify(user.password_hash, current[:MAX_PASSWORD_LENGTH]):
                self._sign_in.count_failure(uow, keys, now, username, client, "current password")
                raise ValidationError("current_password", "that is not your current password")
            return self._new_password(uow, user, new)

    def replace_temporary_password(self, username: str, new: str) -> User:
        """At sign-in, after a reset: the temporary password gives way to the member's own."""
        check_password(new, "new_password")
        with self._unit_of_work() as uow:
            user = self._active(uow, username)
            if not user.must_change_password:
                raise ValidationError("new_password", "your password is not a temporary one")
            if self._hasher.verify(user.password_hash, new):
                raise ValidationError("new_password", "choose a password of your own")
            return self._new_password(uow, user, new)

    def _new_password(self, uow: UnitOfWork, user: User, new: str) -> User:
        after = replace(
            user,
            password_hash=self._hasher.hash(new),
            must_change_password=False,
            session_generation=user.session_generation + 1,
        )
        self._store(uow, Actor.staff(user), "user.change_password", user, after)
        uow.commit()
        return after

    def start_second_factor(self, username: str) -> User:
        """A new secret to enroll (the account shows it until confirmed with a code)."""
        with self._unit_of_work() as uow:
            user = replace(self._active(uow, username), totp_pending_secret=totp.new_secret())
            uow.users.update(user)
            uow.commit()
            return user

    def confirm_second_factor(self, username: str, code: str) -> Enrollment:
        """The code shows the device has the secret: it becomes the account's second
        factor (replacing any earlier one) with fresh recovery codes, shown once."""
        with self._unit_of_work() as uow:
            user = self._active(uow, username)
            if user.totp_pending_secret is None:
                raise ValidationError("code", "start the set-up first")
            step = totp.matching_step(user.totp_pending_secret, code, self._clock.now())
            if step is None:
                raise ValidationError(
                    "code",
                    "that is not the current code of this secret (is the device's clock right?)",
                )
            codes = tuple(totp.new_recovery_codes())
            after = replace(
                user,
                totp_secret=user.totp_pending_secret,
                totp_pending_secret=None,
                totp_last_step=step,
                recovery_code_hashes=frozenset(totp.recovery_code_hash(c) for c in codes),
            )
            self._store(uow, Actor.staff(user), "user.enroll_second_factor", user, after)
            uow.commit()
            return Enrollment(after, codes)

    def _active(self, uow: UnitOfWork, username: str) -> User:
        user = uow.users.find(username)
        if user is None or not user.active:
            raise NotFound(f"no active user {username[:64]!r}")
        return user

    # --- signing in (sign_in.py) ---------------------------------------------------------

    def sign_in(self, username: str, password: str, client: str) -> User:
        """The user whose password this is; ``SignInFailed`` or ``TooManyAttempts``
        (throttled per name and address, every failure audited: ``sign_in.py``). For an
        account with a second factor, ``verify_second_factor`` must follow."""
        return self._sign_in.password(username, password, client)

    def verify_second_factor(self, username: str, code: str, client: str) -> User:
        """The second step of signing in: a current TOTP code not used before, or an
        unused recovery code (then spent, and audited). ``SignInFailed`` or
        ``TooManyAttempts``, counted as password failures are."""
        return self._sign_in.second_factor(username, code, client)


_Change = Callable[[User], User]

_NEEDS_A_CHANGE = {
    "user.deactivate": "{} is already deactivated",
    "user.reactivate": "{} is already active",
    "user.roles": "{} already has these roles",
    "user.reset_second_factor": "{} has no second factor",
}
"""Changes that must change something, and what to say when they would not."""


def _yes(value: bool) -> str:
    return "true" if value else "false"


def _state(user: User) -> str:
    """An account as the audit log shows it (no hash, no secret)."""
    return "\n".join(
        (
            f"roles: {sorted(r.value for r in user.roles)}",
            f"active: {_yes(user.active)}",
            f"second_factor: {_yes(user.has_second_factor)}",
            f"recovery_codes_left: {len(user.recovery_code_hashes)}",
            f"must_change_password: {_yes(user.must_change_password)}",
            f"session_generation: {user.session_generation}",
        )
    )
