"""Answers meant for one person are never stored by a browser or a proxy (finding 13.6).

Every staff page (an embargoed bulletin's among them), every staff redirect and error,
every signed-link page and every answer to a request with credentials says
``Cache-Control: no-store``; public pages keep their own caching.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from herald.bootstrap import Herald
from herald.services.actors import Actor

from .conftest import MovableClock
from .staff_support import new_client, signed_in
from .test_site_support import content

EMBARGOED = "CTX990101"


def _actor(herald: Herald, username: str) -> Actor:
    user = herald.accounts.user(username)
    assert user is not None
    return Actor.staff(user)


@pytest.fixture
def embargoed(herald: Herald, clock: MovableClock, staff: dict[str, str]) -> str:
    alice, bob, carol = (_actor(herald, n) for n in ("alice", "bob", "carol"))
    herald.authoring.create_draft(content("An embargoed problem"), EMBARGOED, actor=alice)
    herald.authoring.submit(EMBARGOED, actor=alice)
    herald.authoring.approve(EMBARGOED, actor=bob)
    herald.authoring.schedule(EMBARGOED, clock.now() + timedelta(days=2), actor=carol)
    return EMBARGOED


@pytest.mark.parametrize(
    "path",
    [
        "/staff/",
        f"/staff/bulletins/{EMBARGOED}",
        f"/staff/bulletins/{EMBARGOED}/edit",
        "/staff/audit",
        "/staff/alerts/groups",
        "/staff/catalog/",
        "/staff/account",
        "/staff/bulletins/CTX000000",  # a 404 inside the staff area
    ],
)
def test_every_staff_page_says_no_store(app: FastAPI, embargoed: str, path: str) -> None:
    root = signed_in(app, "root")
    response = root.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    assert response.headers["cache-control"] == "no-store", path


def test_the_sign_in_page_and_the_redirect_to_it_say_no_store(app: FastAPI) -> None:
    client = new_client(app)
    assert client.get("/staff/sign-in").headers["cache-control"] == "no-store"
    redirect = client.get(f"/staff/bulletins/{EMBARGOED}")
    assert redirect.status_code == 303
    assert redirect.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/alerts/subscribe",
        "/alerts/confirm?token=x",
        "/alerts/preferences?token=x",
        "/alerts/unsubscribe?token=x",
    ],
)
def test_signed_link_pages_say_no_store(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["cache-control"] == "no-store", path


def test_an_answer_to_a_token_holder_says_no_store(client: TestClient) -> None:
    response = client.get("/api/v1/webhooks", headers={"Authorization": "Bearer nothing"})
    assert response.status_code == 401
    assert response.headers["cache-control"] == "no-store"
    listed = client.get("/api/v1/bulletins", headers={"Authorization": "Bearer nothing"})
    assert listed.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/bulletins/CTX696397", "/api/v1/bulletins"])
def test_public_pages_keep_their_caching(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", ""), path
