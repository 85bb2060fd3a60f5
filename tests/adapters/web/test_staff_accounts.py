"""Account lifecycle and the second factor on the staff web side, on both databases:
an admin at /staff/users, a member at /staff/account, and the sign-in steps after the
password (a code, a new password, an enrollment)."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from herald.adapters.web.staff import account as staff_account
from herald.adapters.web.staff import routes as staff_routes
from herald.bootstrap import Herald
from herald.domain import totp
from herald.services.actors import OPERATOR
from tests.adapters.web.conftest import PASSWORD, MovableClock
from tests.adapters.web.staff_support import (
    StaffClient,
    bulletin_form,
    new_client,
    sign_in_form,
    signed_in,
    token_of,
)

NEW_PASSWORD = "a passphrase of my own"


@pytest.fixture(autouse=True)
def _no_failure_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_routes, "FAILURE_DELAY_SECONDS", 0.0)
    monkeypatch.setattr(staff_account, "FAILURE_DELAY_SECONDS", 0.0)


def _form_error(html: str) -> str:
    match = re.search(r'<p class="alert" role="alert" id="form-error">([^<]*)</p>', html)
    assert match is not None, html
    return match.group(1)


def _field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="error" id="{name}-error">([^<]*)</p>', html)
    assert match is not None, html
    return match.group(1)


def _actions(herald: Herald, subject: str) -> list[tuple[str, str]]:
    entries = herald.audit.page(OPERATOR, subject=subject, size=50).entries
    return [(e.action, e.actor) for e in reversed(entries)]


def _secret(html: str) -> str:
    match = re.search(r"otpauth://totp/herald:[a-z]+\?secret=([A-Z2-7]+)&amp;issuer=herald", html)
    assert match is not None, html
    return match.group(1)


def _code(secret: str, clock: MovableClock, offset: int = 0) -> str:
    return totp.hotp(totp.secret_bytes(secret), totp.step_at(clock.now()) + offset)


def _enroll(member: StaffClient, clock: MovableClock) -> tuple[str, list[str]]:
    """Set up a second factor at /staff/account; the secret and the recovery codes."""
    assert member.post("/staff/account/second-factor").status_code == 303
    secret = _secret(member.get("/staff/account").text)
    shown = member.post("/staff/account/second-factor/confirm", {"code": _code(secret, clock)})
    assert shown.status_code == 200, shown.text
    assert shown.headers["cache-control"] == "no-store"
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", shown.text)
    return secret, codes


def _post_with_page_token(client: TestClient, page: str, path: str, **form: str) -> httpx.Response:
    token = token_of(client.get(page).text)
    response: httpx.Response = client.post(path, data={"csrf_token": token, **form})
    return response


# --- the lifecycle, by an admin ------------------------------------------------------------


def test_a_deactivated_member_is_signed_out_at_once_and_cannot_sign_in(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    root = signed_in(app, "root")
    response = root.post("/staff/users/alice/deactivate")
    assert response.status_code == 303 and response.headers["location"] == "/staff/users"
    assert "Account alice deactivated." in root.get("/staff/users").text
    assert alice.get("/staff/").status_code == 303  # the open session ended
    assert alice.post("/staff/bulletins/new", bulletin_form()).status_code in {303, 403}
    refused = sign_in_form(new_client(app), "alice")
    assert refused.status_code == 400
    assert _form_error(refused.text) == "Wrong username or password."
    assert root.post("/staff/users/alice/reactivate").status_code == 303
    assert sign_in_form(new_client(app), "alice").status_code == 303
    actions = [a for a in _actions(herald, "user:alice") if a[0] != "user.sign_in_failed"]
    assert actions[1:] == [("user.deactivate", "root"), ("user.reactivate", "root")]


def test_the_last_admin_is_refused_next_to_their_row(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    root = signed_in(app, "root")
    for step, form in (("deactivate", {}), ("roles", {"roles": ["author"]})):
        refused = root.post(f"/staff/users/root/{step}", form)
        assert refused.status_code == 422
        error = re.search(r'id="error-root">([^<]*)<', refused.text)
        assert error is not None
        assert error.group(1) == "root is the last active admin; make another account admin first"
    assert root.get("/staff/users").status_code == 200  # still an admin
    assert _actions(herald, "user:root") == [("user.add", "cli")]


def test_an_admin_changes_roles_and_the_session_follows(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    root, bob = signed_in(app, "root"), signed_in(app, "bob")
    assert bob.get("/staff/bulletins/new").status_code == 403
    response = root.post("/staff/users/bob/roles", {"roles": ["reviewer", "author"]})
    assert response.status_code == 303
    assert bob.get("/staff/bulletins/new").status_code == 200
    bad = root.post("/staff/users/bob/roles", {"roles": ["boss"]})
    assert bad.status_code == 422 and "&#39;boss&#39; is not a role" in bad.text
    assert root.post("/staff/users/nobody/roles", {"roles": ["author"]}).status_code == 404
    assert root.post("/staff/users/bob/promote").status_code == 404
    assert _actions(herald, "user:bob")[-1] == ("user.roles", "root")


def test_sign_out_everywhere_ends_every_session_of_the_member(
    app: FastAPI, staff: dict[str, str]
) -> None:
    carol_here, carol_there = signed_in(app, "carol"), signed_in(app, "carol")
    root = signed_in(app, "root")
    assert root.post("/staff/users/carol/sign-out-everywhere").status_code == 303
    assert carol_here.get("/staff/").status_code == 303
    assert carol_there.get("/staff/").status_code == 303
    assert root.get("/staff/").status_code == 200


def test_a_reset_password_is_shown_once_and_must_be_changed_first(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    root = signed_in(app, "root")
    shown = root.post("/staff/users/alice/reset-password")
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    match = re.search(r"shown this once:\s*<code>([a-z0-9-]+)</code>", shown.text)
    assert match is not None
    temporary = match.group(1)
    assert temporary not in root.get("/staff/users").text
    assert alice.get("/staff/").status_code == 303  # her sessions ended
    assert sign_in_form(new_client(app), "alice").status_code == 400  # the old password

    client = new_client(app)
    step = sign_in_form(client, "alice", temporary)
    assert step.headers["location"] == "/staff/sign-in/password"
    for path in ("/staff/", "/staff/account", "/staff/bulletins/new"):  # nothing else first
        response = client.get(path)
        assert response.headers["location"] == "/staff/sign-in/password", path
    page = client.get("/staff/sign-in/password")
    assert page.status_code == 200 and "Choose a new password" in page.text
    token = token_of(page.text)
    blocked = client.post("/staff/bulletins/new", data={"csrf_token": token, **bulletin_form()})
    assert blocked.headers["location"] == "/staff/sign-in/password"
    form = {"csrf_token": token, "new_password": NEW_PASSWORD, "confirm_password": "different"}
    mismatch = client.post("/staff/sign-in/password", data=form)
    assert mismatch.status_code == 422
    assert _field_error(mismatch.text, "confirm_password") == "the two passwords differ"
    same = {**form, "new_password": temporary, "confirm_password": temporary}
    reused = client.post("/staff/sign-in/password", data=same)
    assert _field_error(reused.text, "new_password") == "choose a password of your own"
    done = client.post("/staff/sign-in/password", data={**form, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/staff/"
    assert "Signed in as <strong>Alice Author</strong>" in client.get("/staff/").text
    assert sign_in_form(new_client(app), "alice", NEW_PASSWORD).status_code == 303
    assert [a for a, _ in _actions(herald, "user:alice") if "failed" not in a][-2:] == [
        "user.reset_password",
        "user.change_password",
    ]


def test_a_member_changes_their_own_password(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    here, elsewhere = signed_in(app, "bob"), signed_in(app, "bob")
    page = here.get("/staff/account")
    assert page.status_code == 200 and '<a href="/staff/account">Account</a>' in page.text
    form = {"current_password": "not my password", "new_password": NEW_PASSWORD}
    wrong = here.post("/staff/account/password", {**form, "confirm_password": NEW_PASSWORD})
    assert wrong.status_code == 422
    assert _field_error(wrong.text, "current_password") == "that is not your current password"
    short = {"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"}
    too_short = here.post("/staff/account/password", short)
    assert _field_error(too_short.text, "new_password") == "use at least 12 characters"
    right = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    changed = here.post("/staff/account/password", {**right, "confirm_password": NEW_PASSWORD})
    assert changed.status_code == 303
    page = here.get("/staff/account")  # the session started anew, with a new token
    assert page.status_code == 200 and "Password changed; your other sessions ended." in page.text
    assert token_of(page.text) != here.token
    assert elsewhere.get("/staff/").status_code == 303  # other sessions ended
    assert sign_in_form(new_client(app), "bob", NEW_PASSWORD).status_code == 303
    assert _actions(herald, "user:bob")[-1] == ("user.change_password", "bob")


# --- the second factor --------------------------------------------------------------------


def test_enrolling_then_signing_in_with_a_code(
    app: FastAPI, herald: Herald, staff: dict[str, str], clock: MovableClock
) -> None:
    alice = signed_in(app, "alice")
    started = alice.post("/staff/account/second-factor")
    assert started.headers["location"] == "/staff/account#second-factor"
    page = alice.get("/staff/account")
    secret = _secret(page.text)
    assert page.headers["cache-control"] == "no-store"
    assert f"otpauth://totp/herald:alice?secret={secret}&amp;issuer=herald" in page.text
    wrong = alice.post("/staff/account/second-factor/confirm", {"code": _code(secret, clock, 5)})
    assert wrong.status_code == 422 and "not the current code" in wrong.text
    shown = alice.post("/staff/account/second-factor/confirm", {"code": _code(secret, clock)})
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", shown.text)
    assert len(codes) == 10 and "not shown again" in shown.text
    assert "On: signing in takes a code" in alice.get("/staff/account").text
    assert not any(code in alice.get("/staff/account").text for code in codes)

    client = new_client(app)
    first = sign_in_form(client, "alice")
    assert first.headers["location"] == "/staff/sign-in/code"
    assert client.get("/staff/").headers["location"] == "/staff/sign-in/code"  # not signed in
    form_page = client.get("/staff/sign-in/code")
    assert 'autocomplete="one-time-code"' in form_page.text
    token = token_of(form_page.text)
    bad = client.post("/staff/sign-in/code", data={"csrf_token": token, "code": "000000"})
    assert bad.status_code == 400 and _form_error(bad.text) == "Wrong code."
    clock.advance(timedelta(seconds=30))
    code = _code(secret, clock)
    good = client.post("/staff/sign-in/code", data={"csrf_token": token, "code": code})
    assert good.status_code == 303 and good.headers["location"] == "/staff/"
    assert "Signed in as <strong>Alice Author</strong>" in client.get("/staff/").text

    replay = new_client(app)
    assert sign_in_form(replay, "alice").headers["location"] == "/staff/sign-in/code"
    again = _post_with_page_token(replay, "/staff/sign-in/code", "/staff/sign-in/code", code=code)
    assert again.status_code == 400  # the same code, the same step: a replay
    recovered = _post_with_page_token(
        replay, "/staff/sign-in/code", "/staff/sign-in/code", code=codes[0]
    )
    assert recovered.status_code == 303
    assert "Recovery code used; 9 left" in replay.get("/staff/").text
    spent = new_client(app)
    sign_in_form(spent, "alice")
    used = _post_with_page_token(spent, "/staff/sign-in/code", "/staff/sign-in/code", code=codes[0])
    assert used.status_code == 400
    actions = [a for a, _ in _actions(herald, "user:alice")]
    assert actions.count("user.enroll_second_factor") == 1
    assert actions.count("user.recovery_code_used") == 1
    assert actions.count("user.sign_in_failed") == 3


def test_wrong_codes_are_throttled_like_passwords_and_audited(
    app: FastAPI, herald: Herald, staff: dict[str, str], clock: MovableClock
) -> None:
    secret, _ = _enroll(signed_in(app, "carol"), clock)
    client = new_client(app)
    sign_in_form(client, "carol")
    token = token_of(client.get("/staff/sign-in/code").text)
    for _ in range(5):
        response = client.post("/staff/sign-in/code", data={"csrf_token": token, "code": "123456"})
        assert response.status_code == 400
    refused = client.post(
        "/staff/sign-in/code", data={"csrf_token": token, "code": _code(secret, clock, 1)}
    )
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) == 2
    assert "Too many failed sign-ins" in _form_error(refused.text)
    assert client.get("/staff/").status_code == 303
    failed = [(a, actor) for a, actor in _actions(herald, "user:carol") if "failed" in a]
    assert failed == [("user.sign_in_failed", "testclient")] * 5


def test_a_half_done_sign_in_expires(
    app: FastAPI, staff: dict[str, str], clock: MovableClock
) -> None:
    secret, _ = _enroll(signed_in(app, "bob"), clock)
    client = new_client(app)
    sign_in_form(client, "bob")
    token = token_of(client.get("/staff/sign-in/code").text)
    clock.advance(timedelta(minutes=11))
    late = client.post(
        "/staff/sign-in/code", data={"csrf_token": token, "code": _code(secret, clock)}
    )
    assert late.status_code == 303 and late.headers["location"] == "/staff/sign-in"
    assert client.get("/staff/").headers["location"].startswith("/staff/sign-in?next=")


def test_an_admin_requires_a_second_factor_and_members_enroll_at_sign_in(
    app: FastAPI, herald: Herald, staff: dict[str, str], clock: MovableClock
) -> None:
    root = signed_in(app, "root")
    refused = root.post("/staff/users/policy", {"require_second_factor": "on"})
    assert refused.status_code == 422
    assert "set up your own second factor first" in refused.text
    assert not herald.accounts.second_factor_required()
    _enroll(root, clock)
    bob = signed_in(app, "bob")  # signed in before the policy
    assert root.post("/staff/users/policy", {"require_second_factor": "on"}).status_code == 303
    assert 'name="require_second_factor" value="on" checked' in root.get("/staff/users").text
    assert bob.get("/staff/").headers["location"] == "/staff/sign-in/enroll"

    client = new_client(app)
    assert sign_in_form(client, "alice").headers["location"] == "/staff/sign-in/enroll"
    assert client.get("/staff/audit").headers["location"] == "/staff/sign-in/enroll"
    page = client.get("/staff/sign-in/enroll")
    assert "every staff account needs a second factor" in page.text
    token = token_of(page.text)
    assert client.post("/staff/sign-in/enroll", data={"csrf_token": token}).status_code == 303
    secret = _secret(client.get("/staff/sign-in/enroll").text)
    wrong = client.post(
        "/staff/sign-in/enroll/confirm", data={"csrf_token": token, "code": "000000"}
    )
    assert wrong.status_code == 422 and _field_error(wrong.text, "code").startswith("that is not")
    done = client.post(
        "/staff/sign-in/enroll/confirm",
        data={"csrf_token": token, "code": _code(secret, clock)},
    )
    assert done.status_code == 200 and "not shown again" in done.text
    assert client.get("/staff/").status_code == 200
    assert _actions(herald, "policy:accounts") == [("policy.second_factor", "root")]


def test_an_admin_resets_a_members_second_factor(
    app: FastAPI, herald: Herald, staff: dict[str, str], clock: MovableClock
) -> None:
    _enroll(signed_in(app, "alice"), clock)
    assert sign_in_form(new_client(app), "alice").headers["location"] == "/staff/sign-in/code"
    root = signed_in(app, "root")
    assert "/staff/users/alice/reset-second-factor" in root.get("/staff/users").text
    assert root.post("/staff/users/alice/reset-second-factor").status_code == 303
    assert sign_in_form(new_client(app), "alice").headers["location"] == "/staff/"
    assert _actions(herald, "user:alice")[-1] == ("user.reset_second_factor", "root")
    again = root.post("/staff/users/alice/reset-second-factor")
    assert again.status_code == 422 and "alice has no second factor" in again.text


def test_the_sign_in_steps_without_a_half_done_sign_in_go_back_to_the_form(
    client: TestClient, staff: dict[str, str]
) -> None:
    token = token_of(client.get("/staff/sign-in").text)
    for path in ("/staff/sign-in/code", "/staff/sign-in/password", "/staff/sign-in/enroll"):
        assert client.get(path).headers["location"] == "/staff/sign-in", path
        response = client.post(path, data={"csrf_token": token, "code": "123456"})
        assert response.headers["location"] == "/staff/sign-in", path
