"""Staff sign-in, sessions, CSRF and roles, on both databases."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from herald.adapters.web.staff import account as staff_account
from herald.adapters.web.staff import routes as staff_routes
from herald.bootstrap import Herald
from herald.domain.bulletin import Status
from tests.adapters.web.conftest import PASSWORD, MovableClock
from tests.adapters.web.staff_support import (
    bulletin_form,
    new_client,
    new_id,
    sign_in_form,
    signed_in,
    token_of,
)


@pytest.fixture(autouse=True)
def _no_failure_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_routes, "FAILURE_DELAY_SECONDS", 0.0)
    monkeypatch.setattr(staff_account, "FAILURE_DELAY_SECONDS", 0.0)


def _alert(html: str) -> str:
    match = re.search(r'<p class="alert" role="alert" id="form-error">([^<]*)</p>', html)
    assert match is not None, html
    return match.group(1)


def test_the_sign_in_form_has_labelled_fields_and_a_csrf_token(client: TestClient) -> None:
    response = client.get("/staff/sign-in")
    assert response.status_code == 200
    assert '<label for="f-username">Username</label>' in response.text
    assert '<label for="f-password">Password</label>' in response.text
    assert 'autocomplete="current-password"' in response.text
    assert len(token_of(response.text)) >= 32


def test_staff_pages_send_visitors_to_the_sign_in_form(client: TestClient) -> None:
    response = client.get("/staff/bulletins/new")
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/sign-in?next=/staff/bulletins/new"


def test_signing_in_opens_a_session_in_a_safe_cookie(
    client: TestClient, staff: dict[str, str]
) -> None:
    response = sign_in_form(client, "alice")
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("herald_session=")
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=lax", "secure", "path=/"} <= flags
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "Signed in as <strong>Alice Author</strong>" in page.text


def test_signing_in_replaces_the_session_and_its_token(
    client: TestClient, staff: dict[str, str]
) -> None:
    before = token_of(client.get("/staff/sign-in").text)
    sign_in_form(client, "bob")
    after = token_of(client.get("/staff/").text)
    assert after != before
    refused = client.post("/staff/sign-out", data={"csrf_token": before})
    assert refused.status_code == 403
    assert client.get("/staff/").status_code == 200


def test_sign_in_returns_to_the_page_asked_for_but_never_elsewhere(
    client: TestClient, staff: dict[str, str]
) -> None:
    token = token_of(client.get("/staff/sign-in?next=/staff/audit").text)
    form = {"username": "root", "password": PASSWORD, "csrf_token": token}
    assert client.post("/staff/sign-in", data={**form, "next": "/staff/audit"}).headers[
        "location"
    ] == ("/staff/audit")
    other = new_client(client.app)  # type: ignore[arg-type]
    token = token_of(other.get("/staff/sign-in").text)
    form = {"username": "root", "password": PASSWORD, "csrf_token": token}
    response = other.post("/staff/sign-in", data={**form, "next": "//evil.example/staff/"})
    assert response.headers["location"] == "/staff/"


def test_unknown_user_and_wrong_password_get_the_same_answer(
    app: FastAPI, staff: dict[str, str]
) -> None:
    wrong_password = sign_in_form(new_client(app), "alice", "not the password at all")
    unknown_user = sign_in_form(new_client(app), "mallory", PASSWORD)
    assert wrong_password.status_code == unknown_user.status_code == 400
    assert _alert(wrong_password.text) == _alert(unknown_user.text) == "Wrong username or password."


def test_repeated_failures_are_refused_with_429(app: FastAPI, staff: dict[str, str]) -> None:
    client = new_client(app)
    for _ in range(5):
        assert sign_in_form(client, "alice", "wrong password!!").status_code == 400
    refused = sign_in_form(client, "alice", PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) == 2  # a delay, not a lock (finding 13.7)
    assert "Too many failed sign-ins" in _alert(refused.text)
    assert "Try again in 2 seconds" in refused.text
    assert client.get("/staff/").status_code == 303


def test_the_clock_lifts_the_throttle(
    app: FastAPI, staff: dict[str, str], clock: MovableClock
) -> None:
    client = new_client(app)
    for _ in range(5):
        sign_in_form(client, "bob", "wrong password!!")
    assert sign_in_form(client, "bob").status_code == 429
    clock.advance(timedelta(seconds=2))
    assert sign_in_form(client, "bob").status_code == 303


def test_failures_past_the_window_are_forgotten_for_every_key(
    app: FastAPI, staff: dict[str, str], clock: MovableClock, herald: Herald
) -> None:
    client = new_client(app)
    for name in ("carol", "dave", "erin"):
        sign_in_form(client, name, "wrong password!!")
    since = clock.now() - timedelta(days=1)
    with herald.database.unit_of_work(read_only=True) as uow:
        assert uow.sign_in.failures("user:dave@testclient", since) == 1
    clock.advance(timedelta(minutes=16))
    sign_in_form(new_client(app), "frank", "wrong password!!")
    with herald.database.unit_of_work(read_only=True) as uow:
        assert uow.sign_in.failures("user:dave@testclient", since) == 0
        assert uow.sign_in.failures("client:testclient", since) == 1  # frank's, just now


def test_signing_out_ends_the_session(app: FastAPI, staff: dict[str, str]) -> None:
    alice = signed_in(app, "alice")
    response = alice.post("/staff/sign-out")
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/sign-in"
    assert alice.get("/staff/").status_code == 303


def test_signing_out_ends_every_copy_of_the_session_and_other_sessions(
    app: FastAPI, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    elsewhere = signed_in(app, "alice")  # another browser of hers
    bob = signed_in(app, "bob")
    stolen = new_client(app)
    stolen.cookies.set("herald_session", alice.client.cookies["herald_session"])
    assert stolen.get("/staff/").status_code == 200  # a copy works while the session lives
    assert alice.post("/staff/sign-out").status_code == 303
    assert stolen.get("/staff/").status_code == 303  # the copy is over, on the server
    assert elsewhere.get("/staff/").status_code == 303
    assert bob.get("/staff/").status_code == 200  # other users are not touched
    again = signed_in(app, "alice")
    assert again.get("/staff/").status_code == 200


def test_a_forged_session_cookie_counts_as_signed_out(app: FastAPI, staff: dict[str, str]) -> None:
    alice = signed_in(app, "alice")
    alice.client.cookies.clear()
    alice.client.cookies.set("herald_session", "forged")
    assert alice.get("/staff/").status_code == 303


# --- CSRF ---------------------------------------------------------------------------------


def _drafts(herald: Herald) -> int:
    return len(herald.reading.bulletins(Status.DRAFT))


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    before = _drafts(herald)
    response = alice.client.post("/staff/bulletins/new", data=bulletin_form())
    assert response.status_code == 403
    assert "CSRF" in response.text and "csrf_token" in response.text
    assert _drafts(herald) == before


def test_a_wrong_csrf_token_is_refused_and_changes_nothing(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form()))
    response = alice.client.post(
        f"/staff/bulletins/{article}/submit", data={"csrf_token": "x" * 43}
    )
    assert response.status_code == 403
    assert "does not match this session" in response.text
    assert herald.reading.bulletin(article).status is Status.DRAFT


def test_the_sign_in_form_needs_its_csrf_token(client: TestClient, staff: dict[str, str]) -> None:
    client.get("/staff/sign-in")
    response = client.post("/staff/sign-in", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "csrf_token" in response.text


def test_a_post_without_any_session_is_refused(client: TestClient, staff: dict[str, str]) -> None:
    response = client.post("/staff/sign-in", data={"username": "alice", "csrf_token": "abc"})
    assert response.status_code == 403
    assert "no CSRF token" in response.text


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"referer": "https://evil.example/form.html"},
    ],
    ids=["origin", "null-origin", "referer"],
)
def test_a_cross_origin_post_is_refused_even_with_the_token(
    app: FastAPI, herald: Herald, staff: dict[str, str], headers: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    before = _drafts(herald)
    response = alice.client.post(
        "/staff/bulletins/new",
        data={**bulletin_form(), "csrf_token": alice.token},
        headers=headers,
    )
    assert response.status_code == 403
    assert "cross-origin request refused" in response.text
    assert _drafts(herald) == before


@pytest.mark.parametrize(
    "origin", ["https://testserver", "https://bulletins.example.com"], ids=["host", "base-url"]
)
def test_a_same_origin_post_passes(
    app: FastAPI, herald: Herald, staff: dict[str, str], origin: str
) -> None:
    alice = signed_in(app, "alice")
    response = alice.client.post(
        "/staff/bulletins/new",
        data={**bulletin_form(), "csrf_token": alice.token},
        headers={"origin": origin, "referer": f"{origin}/staff/bulletins/new"},
    )
    assert response.status_code == 303


# --- roles ----------------------------------------------------------------------------------


def test_an_author_cannot_approve_or_publish(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form()))
    assert alice.post(f"/staff/bulletins/{article}/submit").status_code == 303
    approve = alice.post(f"/staff/bulletins/{article}/approve")
    assert approve.status_code == 403
    assert "alice may not review" in approve.text
    assert alice.post(f"/staff/bulletins/{article}/publish").status_code == 403
    assert herald.reading.bulletin(article).status is Status.IN_REVIEW
    page = alice.get(f"/staff/bulletins/{article}")
    assert "/approve" not in page.text and "/publish" not in page.text


def test_a_reviewer_cannot_write_drafts_and_only_admins_read_the_audit_log(
    app: FastAPI, staff: dict[str, str]
) -> None:
    bob = signed_in(app, "bob")
    assert bob.get("/staff/bulletins/new").status_code == 403
    assert bob.post("/staff/bulletins/new", bulletin_form()).status_code == 403
    assert bob.get("/staff/audit").status_code == 403
    assert bob.get("/staff/users").status_code == 403
    assert "/staff/bulletins/new" not in bob.get("/staff/").text
    carol = signed_in(app, "carol")
    assert carol.get("/staff/audit").status_code == 403
    assert signed_in(app, "root").get("/staff/audit").status_code == 200


# --- accounts -------------------------------------------------------------------------------


def test_an_admin_adds_a_user_who_can_then_sign_in(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    root = signed_in(app, "root")
    form: dict[str, str | list[str]] = {
        "username": "dave",
        "display_name": "Dave Doe",
        "roles": ["author", "reviewer"],
        "password": "short",
    }
    refused = root.post("/staff/users", form)
    assert refused.status_code == 422
    assert 'id="password-error"' in refused.text and "12 characters" in refused.text
    assert root.post("/staff/users", {**form, "password": PASSWORD}).status_code == 303
    assert "Dave Doe" in root.get("/staff/users").text
    taken = root.post("/staff/users", {**form, "password": PASSWORD})
    assert taken.status_code == 409
    assert 'id="username-error"' in taken.text
    assert sign_in_form(new_client(app), "dave").status_code == 303
    assert signed_in(app, "alice").post("/staff/users", form).status_code == 403
