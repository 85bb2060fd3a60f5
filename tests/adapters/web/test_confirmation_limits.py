"""One client cannot make herald mail hundreds of addresses (finding 13.2).

Confirmation emails are limited per client address and in all (settings
``HERALD_CONFIRMATIONS_PER_CLIENT`` and ``HERALD_CONFIRMATIONS_PER_HOUR``), on the API and
on the form, across every worker (the count is in the database); past a limit the
answer is 429 with ``Retry-After`` and nothing is sent. The form has a honeypot field a
person never fills: a robot that fills it gets the usual answer and no email goes out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from herald.adapters.web import create_app
from herald.bootstrap import Herald
from herald.domain.alerts import AlertFilter
from herald.domain.errors import TooManyAttempts
from tests.adapters.web.conftest import MovableClock
from tests.adapters.web.test_alerts_support import inbox_of, run_worker
from tests.demo_services import demo_services, settings_for

PER_CLIENT = 3
OVERALL = 5


@pytest.fixture
def limited(database_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Herald]:
    settings = settings_for(
        database_url,
        tmp_path / "var",
        confirmations_per_client=PER_CLIENT,
        confirmations_per_hour=OVERALL,
    )
    with demo_services(settings, clock) as services:
        yield services


def _client(herald: Herald) -> TestClient:
    return TestClient(create_app(herald, run_scheduler=False), base_url="https://testserver")


def test_the_api_answers_429_past_the_clients_limit_and_sends_no_more(
    limited: Herald, clock: MovableClock
) -> None:
    with _client(limited) as client:
        answers = [
            client.post("/api/v1/subscriptions", json={"email": f"user{n}@example.com"})
            for n in range(PER_CLIENT + 4)
        ]
        assert [a.status_code for a in answers] == [202] * PER_CLIENT + [429] * 4
        refused = answers[-1]
        assert 3500 <= int(refused.headers["retry-after"]) <= 3600
        assert "confirmation emails" in refused.json()["error"]["message"]
        assert run_worker(limited) == PER_CLIENT
        assert len(inbox_of(limited).new_messages()) == PER_CLIENT
        clock.advance(timedelta(hours=1, seconds=1))
        again = client.post("/api/v1/subscriptions", json={"email": "later@example.com"})
        assert again.status_code == 202


def test_the_form_shows_the_limit_with_retry_after(limited: Herald) -> None:
    with _client(limited) as client:
        for n in range(PER_CLIENT):
            sent = client.post("/alerts/subscribe", data={"email": f"form{n}@example.com"})
            assert (sent.status_code == 200 and "Check your inbox" in sent.text) or sent.is_success
        refused = client.post("/alerts/subscribe", data={"email": "one-more@example.com"})
        assert refused.status_code == 429
        assert "Too many confirmation emails" in refused.text
        assert int(refused.headers["retry-after"]) > 0
    assert run_worker(limited) == PER_CLIENT


def test_the_limit_holds_across_workers(limited: Herald, database_url: str, tmp_path: Path) -> None:
    """Two herald processes on one database (two workers) share the count."""
    other_settings = settings_for(
        database_url,
        tmp_path / "var",
        confirmations_per_client=PER_CLIENT,
        confirmations_per_hour=OVERALL,
    )
    with demo_services(other_settings, limited.clock) as other:
        first, second = _client(limited), _client(other)
        with first, second:
            codes = [
                (first if n % 2 else second)
                .post("/api/v1/subscriptions", json={"email": f"w{n}@example.com"})
                .status_code
                for n in range(PER_CLIENT + 2)
            ]
    assert codes.count(202) == PER_CLIENT and codes.count(429) == 2


def test_the_overall_limit_counts_every_client(limited: Herald) -> None:
    for n in range(OVERALL):
        limited.subscriptions.subscribe(f"c{n}@example.com", AlertFilter(), client=f"10.0.0.{n}")
    with pytest.raises(TooManyAttempts):
        limited.subscriptions.subscribe("c-last@example.com", AlertFilter(), client="10.9.9.9")
    assert run_worker(limited) == OVERALL


def test_an_address_already_active_or_just_asked_costs_nothing(limited: Herald) -> None:
    limited.subscriptions.add_email("known@example.com", AlertFilter())
    for _ in range(PER_CLIENT + 2):
        limited.subscriptions.subscribe("known@example.com", AlertFilter(), client="1.2.3.4")
        limited.subscriptions.subscribe("repeat@example.com", AlertFilter(), client="1.2.3.4")
    limited.subscriptions.subscribe("fresh@example.com", AlertFilter(), client="1.2.3.4")
    assert run_worker(limited) == 2  # repeat@ once (within its interval), fresh@ once


def test_a_robot_filling_the_honeypot_gets_the_usual_page_and_no_email(
    limited: Herald,
) -> None:
    with _client(limited) as client:
        form = client.get("/alerts/subscribe").text
        assert 'name="website"' in form and 'tabindex="-1"' in form
        robot = client.post(
            "/alerts/subscribe",
            data={"email": "bot-target@example.com", "website": "https://spam.example"},
        )
        person = client.post("/alerts/subscribe", data={"email": "person@example.com"})
    assert robot.status_code == person.status_code == 200
    assert robot.text.replace("bot-target", "X") == person.text.replace("person", "X")
    assert run_worker(limited) == 1
    assert [s.target for s in limited.subscriptions.subscriptions()] == ["person@example.com"]
