"""The API token service on SQLite and PostgreSQL: who may issue, the defaults (scope,
expiry, owner), the rules an issue obeys, and what authentication checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from herald.bootstrap import Herald
from herald.domain.accounts import User
from herald.domain.api_tokens import DEFAULT_LIFETIME, Scope, TokenState, parse_expiry
from herald.domain.errors import Forbidden, ValidationError
from herald.services.actors import Actor
from tests.demo_services import demo_services, settings_for

START = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)
PASSWORD = "correct horse battery"


@dataclass
class Clock:
    current: datetime = field(default=START)

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def herald(database_url: str, tmp_path: Path, clock: Clock) -> Iterator[Herald]:
    with demo_services(settings_for(database_url, tmp_path / "var"), clock) as services:
        services.accounts.add_user("root", "Rita Admin", ["admin"], PASSWORD)
        services.accounts.add_user("carol", "Carol Publisher", ["publisher"], PASSWORD)
        services.accounts.add_user("bob", "Bob Reviewer", ["reviewer"], PASSWORD)
        yield services


def staff(herald: Herald, username: str) -> Actor:
    user = herald.accounts.user(username)
    assert isinstance(user, User)
    return Actor.staff(user)


def test_only_admins_issue_list_and_revoke(herald: Herald) -> None:
    carol = staff(herald, "carol")
    with pytest.raises(Forbidden):
        herald.api_tokens.issue("siem", carol)
    herald.api_tokens.issue("siem", staff(herald, "root"))
    with pytest.raises(Forbidden):
        herald.api_tokens.tokens(carol)
    with pytest.raises(Forbidden):
        herald.api_tokens.revoke("siem", carol)
    assert [t.name for t in herald.api_tokens.tokens()] == ["siem"]


def test_the_defaults_webhooks_own_ninety_days_and_the_issuer_as_owner(
    herald: Herald,
) -> None:
    issued, _ = herald.api_tokens.issue("siem", staff(herald, "root"))
    assert issued.scopes == {Scope.WEBHOOKS_OWN}
    assert issued.expires_at == START + DEFAULT_LIFETIME
    assert issued.owner == "root" and issued.created_by == "root"
    by_operator, _ = herald.api_tokens.issue("ops")
    assert by_operator.owner is None and by_operator.created_by == "cli"
    for_carol, _ = herald.api_tokens.issue("carols", staff(herald, "root"), owner="Carol")
    assert for_carol.owner == "carol"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"scopes": []}, "scopes", "at least one"),
        ({"scopes": ["admin:all"]}, "scopes", "not a scope"),
        ({"expires_at": START}, "expires", "future"),
        ({"expires_at": START + timedelta(days=366)}, "expires", "365 days"),
        ({"owner": "ghost"}, "owner", "no active staff account"),
        ({"owner": "bob"}, "scopes", "bob may not publish, which the scope webhooks:own needs"),
        ({"owner": "Not Valid!"}, "owner", "lower-case"),
    ],
)
def test_bad_issues_name_the_field_and_change_nothing(
    herald: Herald, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        herald.api_tokens.issue("siem", **changes)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert words in caught.value.reason
    assert herald.api_tokens.tokens() == []


def test_a_reviewer_may_own_a_read_only_token(herald: Herald) -> None:
    issued, token = herald.api_tokens.issue("bobs", scopes=["read:public"], owner="bob")
    bearer = herald.api_tokens.bearer(token)
    assert bearer is not None
    assert bearer.token.id == issued.id
    assert bearer.actor.name == "token:bobs"
    assert bearer.actor.user is not None and bearer.actor.user.username == "bob"


def test_authentication_checks_expiry_revocation_and_the_owner(
    herald: Herald, clock: Clock
) -> None:
    _, token = herald.api_tokens.issue("siem", owner="carol", expires_at=START + timedelta(days=2))
    assert herald.api_tokens.authenticate(token) is not None
    clock.current = START + timedelta(days=2) - timedelta(seconds=1)
    assert herald.api_tokens.authenticate(token) is not None
    clock.current = START + timedelta(days=2)
    assert herald.api_tokens.authenticate(token) is None
    [listed] = herald.api_tokens.tokens()
    assert herald.api_tokens.state(listed) is TokenState.EXPIRED

    clock.current = START
    with herald.database.unit_of_work() as uow:
        carol = uow.users.find("carol")
        assert carol is not None
        uow.users.update(replace(carol, active=False))
        uow.commit()
    assert herald.api_tokens.authenticate(token) is None

    _, other = herald.api_tokens.issue("other")
    herald.api_tokens.revoke("other")
    assert herald.api_tokens.authenticate(other) is None
    assert herald.api_tokens.state(herald.api_tokens.tokens()[1]) is TokenState.REVOKED
    for junk in ("", "hrld_", "hrld_" + "x" * 300, "not-a-token"):
        assert herald.api_tokens.authenticate(junk) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", START + timedelta(days=90)),
        ("30d", START + timedelta(days=30)),
        ("2w", START + timedelta(weeks=2)),
        ("1y", START + timedelta(days=365)),
        (" 7D ", START + timedelta(days=7)),
        ("2027-01-31", datetime(2027, 1, 31, tzinfo=UTC)),
    ],
)
def test_expiries_are_lifetimes_or_dates(text: str, expected: datetime) -> None:
    assert parse_expiry(text, START) == expected


@pytest.mark.parametrize("text", ["0d", "366d", "2y", "53w", "2026-11-02", "2027-02-30", "soon"])
def test_bad_expiries_name_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_expiry(text, START, "--expires")
    assert caught.value.field == "--expires"
