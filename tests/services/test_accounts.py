"""Staff accounts through the service, on SQLite and PostgreSQL: the lifecycle, the last
admin, the second factor, the throttle and the audit entries every change leaves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from herald.adapters.security import Argon2Hasher
from herald.domain import totp
from herald.domain.accounts import Role, User
from herald.domain.audit import AuditEntry
from herald.domain.errors import Forbidden, NotFound, TooManyAttempts, ValidationError
from herald.services.accounts import AccountService
from herald.services.actors import Actor
from herald.services.ports.unit_of_work import UnitOfWorkFactory
from herald.services.sign_in import SignInFailed

PASSWORD = "correct horse battery staple"
CLIENT = "192.0.2.7"


@dataclass
class Clock:
    current: datetime = field(default=datetime(2026, 11, 2, 10, 0, 5, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(uow_factory: UnitOfWorkFactory, clock: Clock) -> AccountService:
    service = AccountService(uow_factory, Argon2Hasher(cheap=True), clock)
    service.add_user("root", "Rita Admin", ["admin"], PASSWORD)
    service.add_user("alice", "Alice Author", ["author"], PASSWORD)
    return service


def _actor(accounts: AccountService, username: str) -> Actor:
    user = accounts.user(username)
    assert user is not None
    return Actor.staff(user)


def _audit(uow_factory: UnitOfWorkFactory, subject: str) -> Sequence[AuditEntry]:
    with uow_factory() as uow:
        return list(reversed(uow.audit.list(subject=subject)))


def _find(uow_factory: UnitOfWorkFactory, username: str) -> User:
    with uow_factory() as uow:
        user = uow.users.find(username)
    assert user is not None
    return user


def _code(secret: str, at: datetime, offset: int = 0) -> str:
    return totp.hotp(totp.secret_bytes(secret), totp.step_at(at) + offset)


def test_a_deactivated_account_cannot_sign_in_until_reactivated(
    accounts: AccountService, uow_factory: UnitOfWorkFactory
) -> None:
    root = _actor(accounts, "root")
    generation = _find(uow_factory, "alice").session_generation
    accounts.deactivate("alice", root)
    alice = _find(uow_factory, "alice")
    assert not alice.active and alice.session_generation == generation + 1
    assert not alice.session_valid(alice.session_generation)
    assert accounts.user("alice") is None
    with pytest.raises(SignInFailed):
        accounts.sign_in("alice", PASSWORD, CLIENT)
    with pytest.raises(ValidationError, match="already deactivated"):
        accounts.deactivate("alice", root)
    accounts.reactivate("alice", root)
    assert accounts.sign_in("alice", PASSWORD, CLIENT).username == "alice"
    entries = [e for e in _audit(uow_factory, "user:alice") if e.action != "user.sign_in_failed"]
    assert [(e.action, e.actor) for e in entries] == [
        ("user.add", "cli"),
        ("user.deactivate", "root"),
        ("user.reactivate", "root"),
    ]
    assert "active: true" in (entries[1].before or "")
    assert "active: false" in (entries[1].after or "")


def test_the_last_active_admin_stays(
    accounts: AccountService, uow_factory: UnitOfWorkFactory
) -> None:
    root = _actor(accounts, "root")
    with pytest.raises(ValidationError, match="last active admin") as caught:
        accounts.deactivate("root", root)
    assert caught.value.field == "active"
    with pytest.raises(ValidationError, match="last active admin") as caught:
        accounts.set_roles("root", ["author"], root)
    assert caught.value.field == "roles"
    assert _find(uow_factory, "root").is_admin
    accounts.add_user("dave", "Dave Admin", ["admin"], PASSWORD)
    accounts.deactivate("dave")  # an inactive admin does not count
    with pytest.raises(ValidationError, match="last active admin"):
        accounts.deactivate("root")
    accounts.reactivate("dave")
    accounts.set_roles("root", ["author", "reviewer"], root)
    assert _find(uow_factory, "root").roles == {Role.AUTHOR, Role.REVIEWER}
    entry = _audit(uow_factory, "user:root")[-1]
    assert entry.action == "user.roles"
    assert "roles: ['admin']" in (entry.before or "")
    assert "roles: ['author', 'reviewer']" in (entry.after or "")


def test_only_admins_manage_accounts_and_bad_input_names_the_field(
    accounts: AccountService, uow_factory: UnitOfWorkFactory
) -> None:
    alice = _actor(accounts, "alice")
    with pytest.raises(Forbidden):
        accounts.deactivate("root", alice)
    with pytest.raises(Forbidden):
        accounts.reset_password("root", alice)
    with pytest.raises(NotFound):
        accounts.deactivate("nobody")
    with pytest.raises(ValidationError, match="'boss' is not a role"):
        accounts.set_roles("alice", ["boss"])
    with pytest.raises(ValidationError, match="already has these roles"):
        accounts.set_roles("alice", ["author"])
    assert [e.action for e in _audit(uow_factory, "user:alice")] == ["user.add"]


def test_a_reset_password_is_temporary_and_must_be_changed(
    accounts: AccountService, uow_factory: UnitOfWorkFactory
) -> None:
    before = _find(uow_factory, "alice")
    user, temporary = accounts.reset_password("alice", _actor(accounts, "root"))
    assert user.must_change_password and len(temporary) >= 12
    assert user.session_generation == before.session_generation + 1
    with pytest.raises(SignInFailed):
        accounts.sign_in("alice", PASSWORD, CLIENT)
    signed = accounts.sign_in("alice", temporary, CLIENT)
    assert signed.must_change_password
    with pytest.raises(ValidationError, match="of your own") as caught:
        accounts.replace_temporary_password("alice", temporary)
    assert caught.value.field == "new_password"
    with pytest.raises(ValidationError, match="12 characters"):
        accounts.replace_temporary_password("alice", "short")
    changed = accounts.replace_temporary_password("alice", "a brand new passphrase")
    assert not changed.must_change_password
    assert accounts.sign_in("alice", "a brand new passphrase", CLIENT).username == "alice"
    with pytest.raises(ValidationError, match="not a temporary one"):
        accounts.replace_temporary_password("alice", "yet another passphrase")
    entries = _audit(uow_factory, "user:alice")
    reset = next(e for e in entries if e.action == "user.reset_password")
    assert reset.actor == "root" and "must_change_password: true" in (reset.after or "")
    assert all(temporary not in f"{e.before}{e.after}" for e in entries)
    assert entries[-1].action == "user.change_password" and entries[-1].actor == "alice"


def test_changing_ones_password_needs_the_current_one(
    accounts: AccountService, uow_factory: UnitOfWorkFactory
) -> None:
    with pytest.raises(ValidationError, match="not your current password") as caught:
        accounts.change_password("alice", "wrong password!!", "a brand new passphrase")
    assert caught.value.field == "current_password"
    generation = _find(uow_factory, "alice").session_generation
    after = accounts.change_password("alice", PASSWORD, "a brand new passphrase")
    assert after.session_generation == generation + 1  # other sessions end
    assert accounts.sign_in("alice", "a brand new passphrase", CLIENT).username == "alice"


def test_guessing_the_current_password_is_throttled_like_a_sign_in(
    accounts: AccountService, uow_factory: UnitOfWorkFactory, clock: Clock
) -> None:
    for _ in range(5):
        with pytest.raises(ValidationError, match="not your current password"):
            accounts.change_password("alice", "a guess, wrong!!", "a brand new passphrase", CLIENT)
    with pytest.raises(TooManyAttempts):  # even the right one, until the window passes
        accounts.change_password("alice", PASSWORD, "a brand new passphrase", CLIENT)
    with pytest.raises(TooManyAttempts):
        accounts.sign_in("alice", PASSWORD, CLIENT)
    failed = [e for e in _audit(uow_factory, "user:alice") if e.action == "user.sign_in_failed"]
    assert [e.after for e in failed] == ["failed: current password"] * 5
    clock.current += timedelta(minutes=16)
    accounts.change_password("alice", PASSWORD, "a brand new passphrase", CLIENT)
    assert accounts.sign_in("alice", "a brand new passphrase", CLIENT).username == "alice"


def test_sign_out_everywhere_moves_the_generation_on(
    accounts: AccountService, uow_factory: UnitOfWorkFactory
) -> None:
    generation = _find(uow_factory, "alice").session_generation
    accounts.sign_out_everywhere("alice", _actor(accounts, "root"))
    alice = _find(uow_factory, "alice")
    assert not alice.session_valid(generation) and alice.session_valid(generation + 1)
    assert _audit(uow_factory, "user:alice")[-1].action == "user.sign_out_everywhere"


def _enroll(accounts: AccountService, clock: Clock, username: str) -> tuple[str, list[str]]:
    secret = accounts.start_second_factor(username).totp_pending_secret
    assert secret is not None
    enrolled = accounts.confirm_second_factor(username, _code(secret, clock.now()))
    return secret, list(enrolled.recovery_codes)


def test_enrolling_a_second_factor_needs_a_current_code(
    accounts: AccountService, uow_factory: UnitOfWorkFactory, clock: Clock
) -> None:
    with pytest.raises(ValidationError, match="start the set-up first"):
        accounts.confirm_second_factor("alice", "123456")
    secret = accounts.start_second_factor("alice").totp_pending_secret
    assert secret is not None
    with pytest.raises(ValidationError, match="not the current code") as caught:
        accounts.confirm_second_factor("alice", _code(secret, clock.now(), offset=3))
    assert caught.value.field == "code"
    assert not _find(uow_factory, "alice").has_second_factor
    enrolled = accounts.confirm_second_factor("alice", _code(secret, clock.now()))
    assert len(enrolled.recovery_codes) == 10
    alice = _find(uow_factory, "alice")
    assert alice.totp_secret == secret and alice.totp_pending_secret is None
    assert alice.recovery_code_hashes == {
        totp.recovery_code_hash(c) for c in enrolled.recovery_codes
    }
    entry = _audit(uow_factory, "user:alice")[-1]
    assert entry.action == "user.enroll_second_factor" and entry.actor == "alice"
    assert "second_factor: true" in (entry.after or "") and secret not in (entry.after or "")


def test_the_second_step_takes_a_code_once_or_a_recovery_code_once(
    accounts: AccountService, uow_factory: UnitOfWorkFactory, clock: Clock
) -> None:
    secret, codes = _enroll(accounts, clock, "alice")
    clock.current += timedelta(seconds=30)
    code = _code(secret, clock.now())
    assert accounts.verify_second_factor("alice", code, CLIENT).username == "alice"
    with pytest.raises(SignInFailed):  # the same code again, in the same step: a replay
        accounts.verify_second_factor("alice", code, CLIENT)
    clock.current += timedelta(seconds=30)
    with pytest.raises(SignInFailed):  # the code of the step before, already passed
        accounts.verify_second_factor("alice", _code(secret, clock.now(), -1), CLIENT)
    accounts.verify_second_factor("alice", _code(secret, clock.now()), CLIENT)
    assert accounts.verify_second_factor("alice", codes[0].upper(), CLIENT).username == "alice"
    with pytest.raises(SignInFailed):
        accounts.verify_second_factor("alice", codes[0], CLIENT)
    assert len(_find(uow_factory, "alice").recovery_code_hashes) == 9
    actions = [e.action for e in _audit(uow_factory, "user:alice")]
    assert actions.count("user.recovery_code_used") == 1
    assert actions.count("user.sign_in_failed") == 3


def test_second_factor_failures_share_the_password_throttle(
    accounts: AccountService, uow_factory: UnitOfWorkFactory, clock: Clock
) -> None:
    secret, _ = _enroll(accounts, clock, "alice")
    accounts.sign_in("alice", PASSWORD, CLIENT)
    for _ in range(3):
        with pytest.raises(SignInFailed):
            accounts.verify_second_factor("alice", "000000", CLIENT)
    for _ in range(2):
        with pytest.raises(SignInFailed):
            accounts.sign_in("alice", "wrong password!!", CLIENT)
    with pytest.raises(TooManyAttempts):
        accounts.verify_second_factor("alice", _code(secret, clock.now(), 1), CLIENT)
    with pytest.raises(TooManyAttempts):
        accounts.sign_in("alice", PASSWORD, CLIENT)
    accounts.sign_in("alice", PASSWORD, "198.51.100.1")  # elsewhere: not locked out
    clock.current += timedelta(minutes=16)
    assert accounts.verify_second_factor("alice", _code(secret, clock.now()), CLIENT)
    failed = [e for e in _audit(uow_factory, "user:alice") if e.action == "user.sign_in_failed"]
    assert [e.after for e in failed] == ["failed: code"] * 3 + ["failed: password"] * 2
    assert {e.actor for e in failed} == {CLIENT}
    assert all(PASSWORD not in f"{e.before}{e.after}" for e in failed)


def test_failed_sign_ins_of_unknown_names_are_audited_without_secrets(
    accounts: AccountService, uow_factory: UnitOfWorkFactory
) -> None:
    with pytest.raises(SignInFailed):
        accounts.sign_in("Mallory", "guess number one", "unknown")
    with pytest.raises(SignInFailed):
        accounts.sign_in("x' OR 1=1 --", "guess number two", CLIENT)
    (mallory,) = _audit(uow_factory, "user:mallory")
    assert (mallory.actor, mallory.action) == ("anonymous", "user.sign_in_failed")
    (odd,) = _audit(uow_factory, "user:(invalid)")
    assert odd.actor == CLIENT and "guess" not in f"{odd.before}{odd.after}"


def test_an_admin_resets_a_second_factor(
    accounts: AccountService, uow_factory: UnitOfWorkFactory, clock: Clock
) -> None:
    _enroll(accounts, clock, "alice")
    accounts.reset_second_factor("alice", _actor(accounts, "root"))
    alice = _find(uow_factory, "alice")
    assert not alice.has_second_factor and not alice.recovery_code_hashes
    entry = _audit(uow_factory, "user:alice")[-1]
    assert (entry.action, entry.actor) == ("user.reset_second_factor", "root")
    with pytest.raises(ValidationError, match="has no second factor"):
        accounts.reset_second_factor("alice")


def test_requiring_a_second_factor(
    accounts: AccountService, uow_factory: UnitOfWorkFactory, clock: Clock
) -> None:
    member = accounts.member("alice")
    assert member is not None and not member.must_enroll
    with pytest.raises(ValidationError, match="your own second factor first") as caught:
        accounts.require_second_factor(True, _actor(accounts, "root"))
    assert caught.value.field == "require_second_factor"
    with pytest.raises(Forbidden):
        accounts.require_second_factor(True, _actor(accounts, "alice"))
    _enroll(accounts, clock, "root")
    accounts.require_second_factor(True, _actor(accounts, "root"))
    assert accounts.second_factor_required()
    member = accounts.member("alice")
    assert member is not None and member.must_enroll
    root = accounts.member("root")
    assert root is not None and not root.must_enroll
    accounts.require_second_factor(False)
    (on, off) = _audit(uow_factory, "policy:accounts")
    assert (on.actor, on.after) == ("root", "require_second_factor: true")
    assert (off.actor, off.after) == ("cli", "require_second_factor: false")
