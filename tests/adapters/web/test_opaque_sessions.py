"""The session cookie holds only an opaque id; the session is kept on the server
(security finding 13.11), on both databases.

Before, the cookie was Starlette's signed session: base64 JSON anyone holding it could
read (the username, the CSRF token, the sign-in step). Now it is a random id, and the
server keeps the session in ``staff_sessions`` under the SHA-256 of that id.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from herald.adapters.security import Argon2Hasher
from herald.adapters.storage.tables.sessions import StaffSessionRow
from herald.adapters.web import create_app
from herald.adapters.web.staff import account as staff_account
from herald.adapters.web.staff import routes as staff_routes
from herald.bootstrap import Herald, build
from herald.domain import totp
from herald.services.sessions import SESSION_LIFETIME, session_hash
from tests.adapters.web.conftest import MovableClock
from tests.adapters.web.staff_support import (
    StaffClient,
    new_client,
    sign_in_form,
    signed_in,
    token_of,
)
from tests.demo_services import settings_for

COOKIE = "herald_session"
OPAQUE_ID = re.compile(r"[A-Za-z0-9_-]{43}")
"""``secrets.token_urlsafe(32)``: 256 random bits."""


@pytest.fixture(autouse=True)
def _no_failure_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_routes, "FAILURE_DELAY_SECONDS", 0.0)
    monkeypatch.setattr(staff_account, "FAILURE_DELAY_SECONDS", 0.0)


@pytest.fixture
def other_worker(
    database_url: str, tmp_path: Path, clock: MovableClock, herald: Herald
) -> Iterator[FastAPI]:
    """A second herald process on the same database: its own data folder, its own
    secret key, its own engine and app (``herald`` made the data first)."""
    settings = settings_for(
        database_url,
        tmp_path / "other-worker",
        secret_key="another-workers-secret-key-that-is-long-enough",
    )
    services = build(settings, migrate=False, clock=clock, hasher=Argon2Hasher(cheap=True))
    try:
        yield create_app(services, run_scheduler=False)
    finally:
        services.close()


def _cookie(client: TestClient) -> str:
    value = client.cookies.get(COOKIE)
    assert value, "no session cookie"
    return str(value)


def _with_cookie(app: FastAPI, value: str) -> TestClient:
    """A new browser holding ``value`` as its session cookie (a copy, or a forgery)."""
    client = new_client(app)
    client.cookies.set(COOKIE, value)
    return client


def _decodings(value: str) -> list[bytes]:
    """Every way base64 could read the cookie: whole, and each dot-separated part (the
    signed cookie was ``base64(json).timestamp.signature``)."""
    found = [value.encode()]
    for part in [value, *value.split(".")]:
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                found.append(decode(part + "=" * (-len(part) % 4)))
            except (binascii.Error, ValueError):
                continue
    return found


def _is_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        return False
    return True


def _rows(herald: Herald, **where: Any) -> list[StaffSessionRow]:
    with Session(herald.database.engine) as session:
        return list(session.scalars(select(StaffSessionRow).filter_by(**where)))


def _count(herald: Herald) -> int:
    with herald.database.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(StaffSessionRow)) or 0)


def _stored(herald: Herald, cookie: str) -> StaffSessionRow | None:
    found = _rows(herald, id_hash=session_hash(cookie))
    return found[0] if found else None


def _signed_in_cookie(app: FastAPI, username: str) -> tuple[StaffClient, str]:
    member = signed_in(app, username)
    return member, _cookie(member.client)


# --- what the cookie holds -------------------------------------------------------------------


def test_the_cookie_is_an_opaque_id_that_reads_as_nothing(
    app: FastAPI, staff: dict[str, str]
) -> None:
    alice, cookie = _signed_in_cookie(app, "alice")
    assert OPAQUE_ID.fullmatch(cookie), cookie
    for raw in _decodings(cookie):
        assert b"alice" not in raw.lower()
        assert alice.token.encode() not in raw
        assert not _is_json(raw), raw
    assert alice.token not in cookie


def test_the_session_is_kept_on_the_server_under_the_hash_of_the_id(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice, cookie = _signed_in_cookie(app, "alice")
    row = _stored(herald, cookie)
    assert row is not None
    assert row.id_hash == hashlib.sha256(cookie.encode()).hexdigest()
    assert row.username == "alice" and row.data["user"] == "alice"
    assert row.data["csrf"] == alice.token
    assert row.expires_at - row.created_at == SESSION_LIFETIME
    everything = repr([(r.id_hash, r.username, r.data) for r in _rows(herald)])
    assert cookie not in everything  # the id itself is stored nowhere


# --- two workers, one database ----------------------------------------------------------------


def test_the_same_cookie_works_on_another_worker_of_the_same_database(
    app: FastAPI, other_worker: FastAPI, staff: dict[str, str]
) -> None:
    alice, cookie = _signed_in_cookie(app, "alice")
    there = StaffClient(_with_cookie(other_worker, cookie), alice.token)
    page = there.get("/staff/")
    assert page.status_code == 200
    assert "Signed in as <strong>Alice Author</strong>" in page.text
    assert token_of(page.text) == alice.token  # the same session, not a copy of it
    assert there.post("/staff/sign-out").status_code == 303  # a form posted to the other one
    assert alice.get("/staff/").status_code == 303  # ... ends it on the first one too


# --- ending and replacing sessions ------------------------------------------------------------


def test_a_copied_cookie_stops_working_after_sign_out(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice, cookie = _signed_in_cookie(app, "alice")
    copy = _with_cookie(app, cookie)
    assert copy.get("/staff/").status_code == 200
    assert alice.post("/staff/sign-out").status_code == 303
    assert _stored(herald, cookie) is None  # gone from the server, not only from the browser
    assert copy.get("/staff/").status_code == 303
    assert copy.post("/staff/sign-out", data={"csrf_token": alice.token}).status_code == 403


def test_signing_out_deletes_every_stored_session_of_the_account_only(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice, _ = _signed_in_cookie(app, "alice")
    signed_in(app, "alice")  # another browser of hers
    signed_in(app, "bob")
    assert len(_rows(herald, username="alice")) == 2
    assert alice.post("/staff/sign-out").status_code == 303
    assert _rows(herald, username="alice") == []
    assert len(_rows(herald, username="bob")) == 1
    # the flash message of the sign-out lives on in a visitor's session, under a new id
    assert "Signed out." in alice.get("/staff/sign-in").text


@pytest.mark.parametrize("step", ["sign-out-everywhere", "deactivate", "reset-password"])
def test_an_admin_ending_a_members_sessions_deletes_them_on_the_server(
    app: FastAPI, herald: Herald, staff: dict[str, str], step: str
) -> None:
    carol, _ = _signed_in_cookie(app, "carol")
    signed_in(app, "carol")
    root = signed_in(app, "root")
    assert len(_rows(herald, username="carol")) == 2
    assert root.post(f"/staff/users/carol/{step}").status_code in (200, 303)
    assert _rows(herald, username="carol") == []
    assert carol.get("/staff/").status_code == 303
    assert root.get("/staff/").status_code == 200


def test_signing_in_issues_a_new_id_and_ends_the_old_one(
    client: TestClient, app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    planted_token = token_of(client.get("/staff/sign-in").text)
    planted = _cookie(client)  # say an attacker planted this id in the browser
    assert _stored(herald, planted) is not None
    assert sign_in_form(client, "alice").status_code == 303
    issued = _cookie(client)
    assert issued != planted and OPAQUE_ID.fullmatch(issued)
    assert _stored(herald, planted) is None
    attacker = _with_cookie(app, planted)
    assert attacker.get("/staff/").status_code == 303
    refused = attacker.post("/staff/sign-out", data={"csrf_token": planted_token})
    assert refused.status_code == 403
    assert client.get("/staff/").status_code == 200


def test_each_sign_in_step_issues_a_new_id(
    client: TestClient, app: FastAPI, herald: Herald, clock: MovableClock
) -> None:
    """Password, then code: the half-done sign-in and the session each get their own id."""
    accounts = herald.accounts
    accounts.add_user("gus", "Gus Author", ["author"], "correct horse battery staple")
    secret = accounts.start_second_factor("gus").totp_pending_secret
    assert secret is not None
    accounts.confirm_second_factor("gus", totp.totp(totp.secret_bytes(secret), clock.now()))
    client.get("/staff/sign-in")
    visitor = _cookie(client)
    assert sign_in_form(client, "gus").headers["location"] == "/staff/sign-in/code"
    pending = _cookie(client)
    row = _stored(herald, pending)
    assert row is not None and row.username == "gus" and "user" not in row.data
    token = token_of(client.get("/staff/sign-in/code").text)
    clock.advance(timedelta(seconds=30))
    code = totp.totp(totp.secret_bytes(secret), clock.now())
    done = client.post("/staff/sign-in/code", data={"csrf_token": token, "code": code})
    assert done.status_code == 303 and done.headers["location"] == "/staff/"
    session = _cookie(client)
    assert len({visitor, pending, session}) == 3
    assert _stored(herald, visitor) is None and _stored(herald, pending) is None
    assert client.get("/staff/").status_code == 200


# --- ids the server does not know ------------------------------------------------------------


def _tampered(cookie: str) -> str:
    last = "A" if cookie[-1] != "A" else "B"
    return cookie[:-1] + last


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(_tampered, id="tampered"),
        pytest.param(lambda _: "x" * 43, id="unknown"),
        pytest.param(lambda _: "forged", id="malformed"),
    ],
)
def test_a_tampered_or_unknown_id_counts_as_signed_out_and_is_cleared(
    app: FastAPI, herald: Herald, staff: dict[str, str], forge: Any
) -> None:
    _, cookie = _signed_in_cookie(app, "alice")
    before = _count(herald)
    forged = _with_cookie(app, forge(cookie))
    response = forged.get("/staff/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/sign-in")
    cleared = response.headers["set-cookie"]
    assert cleared.startswith(f"{COOKIE}=;") and "max-age=0" in cleared.lower()
    assert _count(herald) == before  # nothing made for it


def test_an_expired_session_is_refused(
    app: FastAPI, herald: Herald, staff: dict[str, str], clock: MovableClock
) -> None:
    alice = signed_in(app, "alice")
    clock.advance(SESSION_LIFETIME - timedelta(seconds=1))
    assert alice.get("/staff/").status_code == 200
    clock.advance(timedelta(seconds=1))
    response = alice.get("/staff/")
    assert response.status_code == 303
    assert "max-age=0" in response.headers["set-cookie"].lower()


def test_the_server_side_expiry_is_enforced_on_its_own(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    """A stored session past its ``expires_at`` is refused even when what it holds
    (the instant of sign-in) would still pass."""
    alice, cookie = _signed_in_cookie(app, "alice")
    with herald.database.engine.begin() as connection:
        connection.execute(
            update(StaffSessionRow)
            .where(StaffSessionRow.id_hash == session_hash(cookie))
            .values(expires_at=StaffSessionRow.created_at)
        )
    assert alice.get("/staff/").status_code == 303


def test_expired_sessions_are_deleted_along_the_way(
    app: FastAPI, herald: Herald, staff: dict[str, str], clock: MovableClock
) -> None:
    _, old = _signed_in_cookie(app, "alice")
    clock.advance(SESSION_LIFETIME + timedelta(minutes=2))
    _, new = _signed_in_cookie(app, "bob")
    assert _stored(herald, old) is None
    assert _stored(herald, new) is not None


# --- what it costs ---------------------------------------------------------------------------


def test_an_unchanged_session_is_not_written_and_its_last_use_once_a_minute(
    app: FastAPI, herald: Herald, staff: dict[str, str], clock: MovableClock
) -> None:
    alice, cookie = _signed_in_cookie(app, "alice")
    alice.get("/staff/")  # shows (and so takes) the sign-in flash message
    row = _stored(herald, cookie)
    assert row is not None
    for _ in range(3):
        response = alice.get("/staff/")
        assert response.status_code == 200 and "set-cookie" not in response.headers
    clock.advance(timedelta(seconds=59))
    alice.get("/staff/")
    assert _unchanged(_stored(herald, cookie), row)
    clock.advance(timedelta(seconds=2))
    alice.get("/staff/")
    seen = _stored(herald, cookie)
    assert seen is not None and seen.last_seen_at == clock.now()
    assert seen.data == row.data


def _unchanged(now: StaffSessionRow | None, then: StaffSessionRow) -> bool:
    return now is not None and (now.data, now.last_seen_at) == (then.data, then.last_seen_at)


def test_public_pages_leave_the_session_cookie_alone(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    """No ``Set-Cookie`` on a public answer: not for a live session, not for a stale id."""
    alice, cookie = _signed_in_cookie(app, "alice")
    for path in ("/", "/bulletins/CTX696397"):
        assert "set-cookie" not in alice.get(path).headers
        stale = _with_cookie(app, _tampered(cookie)).get(path)
        assert stale.status_code == 200 and "set-cookie" not in stale.headers


def test_a_visitor_without_a_cookie_costs_no_session(client: TestClient, herald: Herald) -> None:
    before = _count(herald)
    for path in ("/", "/staff/", "/staff/bulletins/new"):
        response = client.get(path)
        assert "set-cookie" not in response.headers, path
    assert _count(herald) == before
