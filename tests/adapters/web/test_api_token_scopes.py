"""API tokens with scopes, an expiry, an owner and their last use, through the real app:
a request beyond a token's scope is a 403 naming the scope (RFC 6750
``insufficient_scope``); an expired token, or one whose owner was deactivated, is a 401
like an unknown one (``invalid_token``); a token acts within its owner's roles; the
staff page issues tokens with all of it and lists it; tokens made before 0010 migrate to
``webhooks:own``, no owner, an expiry 90 days on."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from herald.adapters.storage import Database
from herald.adapters.storage.database import alembic_config
from herald.adapters.storage.tables.api_tokens import ApiTokenRow
from herald.bootstrap import Herald
from herald.domain.accounts import Role
from herald.domain.alerts import Channel
from herald.domain.api_tokens import Scope, TokenState
from herald.services.actors import OPERATOR

from .conftest import MovableClock
from .staff_support import signed_in
from .test_alerts_support import errors_on

HOOK = "https://93.184.215.14/hooks/herald"
_SECRET = re.compile(r'id="secret" readonly value="(hrld_[^"]+)"')


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def webhooks(herald: Herald) -> list[str]:
    return [s.target for s in herald.subscriptions.subscriptions(Channel.WEBHOOK)]


def deactivate(herald: Herald, username: str) -> None:
    """What deactivating an account leaves in the database: ``active`` is false."""
    with herald.database.unit_of_work() as uow:
        user = uow.users.find(username)
        assert user is not None
        uow.users.update(replace(user, active=False))
        uow.commit()


def set_roles(herald: Herald, username: str, *roles: Role) -> None:
    with herald.database.unit_of_work() as uow:
        user = uow.users.find(username)
        assert user is not None
        uow.users.update(replace(user, roles=frozenset(roles)))
        uow.commit()


# --- scopes -----------------------------------------------------------------------------


def test_a_request_beyond_the_scope_is_403_naming_it(
    herald: Herald, client: TestClient, staff: dict[str, str]
) -> None:
    _, reader = herald.api_tokens.issue("reader", scopes=[Scope.READ_PUBLIC], owner="carol")
    for method, path in (
        ("GET", "/api/v1/webhooks"),
        ("POST", "/api/v1/webhooks"),
        ("GET", "/api/v1/webhooks/1"),
        ("DELETE", "/api/v1/webhooks/1"),
    ):
        body = {"url": HOOK} if method == "POST" else None
        response = client.request(method, path, json=body, headers=bearer(reader))
        assert response.status_code == 403, (method, path, response.text)
        assert response.json() == {
            "error": {"status": 403, "message": "this token lacks the scope webhooks:own"}
        }
        assert response.headers["www-authenticate"] == (
            'Bearer realm="herald", error="insufficient_scope", scope="webhooks:own"'
        )
    assert webhooks(herald) == []
    # The public API needs no token, whatever its scopes.
    assert client.get("/api/v1/bulletins", headers=bearer(reader)).status_code == 200


def test_a_token_acts_within_its_owners_roles(
    herald: Herald, client: TestClient, staff: dict[str, str]
) -> None:
    _, token = herald.api_tokens.issue("carols", owner="carol")
    created = client.post("/api/v1/webhooks", json={"url": HOOK}, headers=bearer(token))
    assert created.status_code == 201, created.text
    hook = created.json()["id"]
    # The audit log names the token (whose own entry names its owner).
    entries = herald.audit.page(OPERATOR, size=50).entries
    assert any(e.actor == "token:carols" for e in entries)

    set_roles(herald, "carol", Role.REVIEWER)  # carol may no longer publish
    refused = client.post("/api/v1/webhooks", json={"url": HOOK + "/2"}, headers=bearer(token))
    assert refused.status_code == 403
    assert "carol may not publish" in refused.json()["error"]["message"]
    assert client.delete(f"/api/v1/webhooks/{hook}", headers=bearer(token)).status_code == 403
    assert webhooks(herald) == [HOOK]


# --- expiry, owners, revocation ---------------------------------------------------------


def test_an_expired_token_is_401_like_an_unknown_one_and_listed_as_expired(
    herald: Herald, client: TestClient, clock: MovableClock, app: FastAPI, staff: dict[str, str]
) -> None:
    _, token = herald.api_tokens.issue("brief", expires_at=clock.now() + timedelta(days=1))
    assert client.get("/api/v1/webhooks", headers=bearer(token)).status_code == 200
    clock.advance(timedelta(days=1))
    expired = client.get("/api/v1/webhooks", headers=bearer(token))
    unknown = client.get("/api/v1/webhooks", headers=bearer("hrld_" + "A" * 43))
    assert expired.status_code == unknown.status_code == 401
    assert expired.json() == unknown.json()
    assert expired.headers["www-authenticate"] == 'Bearer realm="herald", error="invalid_token"'
    assert (
        client.post("/api/v1/webhooks", json={"url": HOOK}, headers=bearer(token)).status_code
        == 401
    )
    assert webhooks(herald) == []

    [listed] = herald.api_tokens.tokens()
    assert herald.api_tokens.state(listed) is TokenState.EXPIRED
    page = signed_in(app, staff["admin"]).get("/staff/alerts/tokens").text
    row = next(r for r in page.split("<tr>") if "<td>brief</td>" in r)
    assert "expired" in row and "2026-11-03 10:00 UTC" in row


def test_a_token_stops_at_once_when_its_owner_is_deactivated(
    herald: Herald, client: TestClient, staff: dict[str, str]
) -> None:
    _, token = herald.api_tokens.issue("carols", owner="carol")
    assert client.get("/api/v1/webhooks", headers=bearer(token)).status_code == 200
    deactivate(herald, "carol")
    response = client.get("/api/v1/webhooks", headers=bearer(token))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert (
        client.post("/api/v1/webhooks", json={"url": HOOK}, headers=bearer(token)).status_code
        == 401
    )
    assert webhooks(herald) == []


def test_a_malformed_authorization_header_is_an_invalid_request(client: TestClient) -> None:
    response = client.get("/api/v1/webhooks", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="herald", error="invalid_request"'
    missing = client.get("/api/v1/webhooks")
    assert missing.headers["www-authenticate"] == 'Bearer realm="herald"'  # no error code


# --- last use ---------------------------------------------------------------------------


def test_the_last_use_is_recorded_at_most_once_a_minute(
    herald: Herald, client: TestClient, clock: MovableClock, app: FastAPI, staff: dict[str, str]
) -> None:
    _, token = herald.api_tokens.issue("siem")

    def last_used() -> datetime | None:
        [found] = herald.api_tokens.tokens()
        return found.last_used_at

    assert last_used() is None
    first = clock.now()
    assert client.get("/api/v1/webhooks", headers=bearer(token)).status_code == 200
    assert last_used() == first
    clock.advance(timedelta(seconds=59))
    assert client.get("/api/v1/webhooks", headers=bearer(token)).status_code == 200
    assert last_used() == first  # not a write per request
    clock.advance(timedelta(seconds=1))
    assert client.get("/api/v1/webhooks", headers=bearer(token)).status_code == 200
    assert last_used() == first + timedelta(minutes=1)
    # A refused request is not a use.
    herald.api_tokens.revoke("siem")
    clock.advance(timedelta(minutes=5))
    assert client.get("/api/v1/webhooks", headers=bearer(token)).status_code == 401
    assert last_used() == first + timedelta(minutes=1)
    page = signed_in(app, staff["admin"]).get("/staff/alerts/tokens").text
    assert "2026-11-02 10:01 UTC" in page


# --- the staff page ---------------------------------------------------------------------


def test_an_admin_issues_a_scoped_token_for_an_owner_with_an_expiry(
    herald: Herald, app: FastAPI, client: TestClient, staff: dict[str, str]
) -> None:
    root = signed_in(app, staff["admin"])
    form = root.get("/staff/alerts/tokens").text
    assert 'name="scopes" value="webhooks:own" checked' in form  # the default
    assert 'name="expires" value="90d"' in form
    issued = root.post(
        "/staff/alerts/tokens",
        {
            "name": "siem",
            "scopes": ["webhooks:own", "read:public"],
            "expires": "30d",
            "owner": "carol",
        },
    )
    assert issued.status_code == 200, issued.text
    assert issued.headers["cache-control"] == "no-store"
    match = _SECRET.search(issued.text)
    assert match is not None
    assert "read:public, webhooks:own" in issued.text and "2026-12-02 10:00 UTC" in issued.text

    [token] = herald.api_tokens.tokens()
    assert token.scopes == {Scope.WEBHOOKS_OWN, Scope.READ_PUBLIC}
    assert token.owner == "carol"
    assert token.expires_at == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert client.get("/api/v1/webhooks", headers=bearer(match[1])).status_code == 200

    [entry] = herald.audit.page(OPERATOR, subject="token:siem").entries
    assert (entry.actor, entry.action) == (staff["admin"], "token.add")
    assert entry.after is not None
    for line in (
        "scopes: read:public, webhooks:own",
        "owner: carol",
        "expires_at: 2026-12-02T10:00:00+00:00",
    ):
        assert line in entry.after

    listed = root.get("/staff/alerts/tokens").text
    row = next(r for r in listed.split("<tr>") if "<td>siem</td>" in r)
    for shown in ("read:public, webhooks:own", "carol", "2026-12-02 10:00 UTC", "Revoke siem"):
        assert shown in row, shown

    mine = root.post(
        "/staff/alerts/tokens", {"name": "mine", "scopes": "read:public", "expires": "2027-01-31"}
    )
    assert mine.status_code == 200
    assert {t.name: t.owner for t in herald.api_tokens.tokens()}["mine"] == staff["admin"]


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"scopes": []}, "scopes", "at least one scope"),
        ({"scopes": "everything"}, "scopes", "not a scope"),
        ({"expires": "400d"}, "expires", "365 days"),
        ({"expires": "2020-01-01"}, "expires", "future"),
        ({"expires": "soon"}, "expires", "lifetime"),
        ({"owner": "nobody"}, "owner", "no active staff account"),
        ({"owner": "bob"}, "scopes", "bob may not publish"),
        ({"name": "Not A Name"}, "name", "lower-case"),
    ],
)
def test_bad_issue_forms_are_422_next_to_the_field_and_issue_nothing(
    herald: Herald,
    app: FastAPI,
    staff: dict[str, str],
    form: dict[str, str | list[str]],
    field: str,
    words: str,
) -> None:
    root = signed_in(app, staff["admin"])
    posted = {"name": "siem", "scopes": ["webhooks:own"], "expires": "30d", **form}
    answer = root.post("/staff/alerts/tokens", posted)
    assert answer.status_code == 422, answer.text
    assert words in errors_on(answer.text).get(field, ""), errors_on(answer.text)
    assert herald.api_tokens.tokens() == []
    assert not herald.audit.page(OPERATOR, subject="token:siem").entries


def test_revoking_from_the_page_is_audited_with_the_tokens_state(
    herald: Herald, app: FastAPI, client: TestClient, staff: dict[str, str]
) -> None:
    _, token = herald.api_tokens.issue("siem", owner="carol")
    root = signed_in(app, staff["admin"])
    assert root.post("/staff/alerts/tokens/siem/revoke").status_code == 303
    assert client.get("/api/v1/webhooks", headers=bearer(token)).status_code == 401
    entry = herald.audit.page(OPERATOR, subject="token:siem").entries[0]
    assert (entry.actor, entry.action) == (staff["admin"], "token.revoke")
    assert entry.after is not None and "owner: carol" in entry.after
    assert "revoked_at:" in entry.after
    row = next(r for r in root.get("/staff/alerts/tokens").text.split("<tr>") if "siem" in r)
    assert "revoked" in row and "Revoke siem" not in row


# --- migration --------------------------------------------------------------------------


def test_tokens_made_before_scopes_migrate_to_webhooks_own_without_owner(
    empty_database_url: str,
) -> None:
    """A token of 0009 gets the scope webhooks:own, no owner, and 90 days to live."""
    database = Database(empty_database_url)
    try:
        with database.migration_connection() as connection:
            command.upgrade(alembic_config(connection), "0009")
            connection.execute(
                insert(ApiTokenRow).values(
                    name="legacy",
                    token_hash="0" * 64,
                    created_at=datetime(2026, 1, 1, tzinfo=UTC),
                    created_by="cli",
                )
            )
        before = datetime.now(UTC)
        database.migrate()
        with database.engine.connect() as connection:
            row = connection.execute(select(ApiTokenRow.__table__)).one()
        assert row.scopes == ["webhooks:own"]
        assert row.owner is None and row.last_used_at is None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        assert before + timedelta(days=89) < expires < datetime.now(UTC) + timedelta(days=91)
        with database.migration_connection() as connection:  # and back down, keeping it
            command.downgrade(alembic_config(connection), "0009")
            assert (
                connection.exec_driver_sql("SELECT name FROM api_tokens").scalar_one() == "legacy"
            )
        database.migrate()
    finally:
        database.dispose()
