"""Failed sign-ins slow the next attempt down; nobody can lock an account (finding 13.7).

Past five failures in fifteen minutes, each failure of a key (the name at an address, or
the address) doubles the wait before the next attempt, from 2 seconds up to 2 minutes;
attempts while waiting are refused (429 with ``Retry-After``) without counting, and the
right password works as soon as the wait is over. An account with a second factor is
not held back by its address's failures, only by its own.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from herald.domain.throttle import FREE_FAILURES, MAX_DELAY, delay_after
from tests.adapters.web.conftest import PASSWORD, MovableClock
from tests.adapters.web.staff_support import new_client, sign_in_form, signed_in, token_of
from tests.adapters.web.test_staff_accounts import _code, _enroll

WRONG = "wrong password!!"


def test_the_delay_doubles_and_stops_growing() -> None:
    assert [delay_after(n).total_seconds() for n in range(FREE_FAILURES)] == [0] * FREE_FAILURES
    waits = [delay_after(FREE_FAILURES + k).total_seconds() for k in range(8)]
    assert waits == [2, 4, 8, 16, 32, 64, 120, 120]
    assert delay_after(10_000) == MAX_DELAY


def test_each_failure_past_the_free_ones_doubles_the_wait(
    app: FastAPI, staff: dict[str, str], clock: MovableClock
) -> None:
    client = new_client(app)
    for _ in range(FREE_FAILURES):
        assert sign_in_form(client, "alice", WRONG).status_code == 400
    for expected in (2, 4, 8, 16):
        refused = sign_in_form(client, "alice", WRONG)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) == expected
        clock.advance(timedelta(seconds=expected - 1))
        assert sign_in_form(client, "alice", WRONG).status_code == 429  # not yet, not counted
        clock.advance(timedelta(seconds=1))
        assert sign_in_form(client, "alice", WRONG).status_code == 400  # counted: doubles
    refused = sign_in_form(client, "alice", PASSWORD)
    assert int(refused.headers["retry-after"]) == 32
    clock.advance(timedelta(seconds=32))
    assert sign_in_form(client, "alice", PASSWORD).status_code == 303


def test_a_stranger_hammering_a_name_cannot_keep_its_owner_out(
    app: FastAPI, staff: dict[str, str], clock: MovableClock
) -> None:
    """Even from the same address (a shared proxy), the owner waits at most two minutes."""
    stranger, owner = new_client(app), new_client(app)
    for _ in range(200):
        sign_in_form(stranger, "root", WRONG)
        clock.advance(timedelta(seconds=1))
    waited = int(sign_in_form(owner, "root", PASSWORD).headers.get("retry-after", "0"))
    assert 0 < waited <= MAX_DELAY.total_seconds()
    clock.advance(timedelta(seconds=waited))
    assert sign_in_form(owner, "root", PASSWORD).status_code == 303


def test_a_second_factor_gets_past_the_addresss_failures(
    app: FastAPI, staff: dict[str, str], clock: MovableClock
) -> None:
    secret, _ = _enroll(signed_in(app, "carol"), clock)
    guesser = new_client(app)
    for name in ("alice", "bob", "dave", "erin", "frank", "gina", "hal"):
        sign_in_form(guesser, name, WRONG)  # the address's count, across names
    assert sign_in_form(new_client(app), "bob", PASSWORD).status_code == 429
    carol = new_client(app)
    answered = sign_in_form(carol, "carol", PASSWORD)
    assert answered.status_code == 303
    assert answered.headers["location"].endswith("/staff/sign-in/code")
    token = token_of(carol.get("/staff/sign-in/code").text)
    done = carol.post(
        "/staff/sign-in/code", data={"csrf_token": token, "code": _code(secret, clock, 1)}
    )
    assert done.status_code == 303, done.text
    assert carol.get("/staff/").status_code == 200
