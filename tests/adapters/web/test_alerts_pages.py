"""The public alert pages: subscribe, confirm, preferences and unsubscribe, end to end
through the real outbox worker and the Maildir it writes to (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from herald.bootstrap import Herald
from herald.domain.alerts import AlertFilter, SubscriptionStatus

from .conftest import MovableClock
from .staff_support import new_client
from .test_alerts_support import errors_on, inbox_of, link, path_of, run_worker, text_of
from .test_api import content, publish

ADDRESS = "reader@example.com"


def _status(herald: Herald, address: str) -> SubscriptionStatus | None:
    for subscription in herald.subscriptions.subscriptions():
        if subscription.target == address:
            return subscription.status
    return None


def _subscribe(client: TestClient, address: str = ADDRESS, **fields: str | list[str]) -> str:
    response = client.post("/alerts/subscribe", data={"email": address, **fields})
    assert response.status_code == 200, response.text
    return response.text


def test_the_form_offers_the_catalog_and_the_severity_scale(client: TestClient) -> None:
    response = client.get("/alerts/subscribe")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert 'name="email"' in html
    assert 'value="xenserver"' in html
    assert 'value="xenserver:8.4"' in html
    for severity in ("Critical", "High", "Medium", "Low"):
        assert f'<option value="{severity}"' in html
    assert 'name="editorial" value="yes"' in html


def test_subscribe_confirm_change_preferences_and_unsubscribe_in_one_click(
    herald: Herald, app: FastAPI, client: TestClient
) -> None:
    inbox = inbox_of(herald)
    page = _subscribe(client, products="xenserver", editorial="no")
    assert "Check your inbox" in page
    assert _status(herald, ADDRESS) is SubscriptionStatus.PENDING

    assert run_worker(herald) == 1
    [confirmation] = inbox.new_messages()
    assert confirmation["To"] == ADDRESS
    confirm = link(confirmation, "confirm")

    shown = client.get(confirm)  # what a link scanner does: nothing changes
    assert shown.status_code == 200
    assert 'action="/alerts/confirm"' in shown.text
    assert shown.headers["referrer-policy"] == "same-origin"
    assert _status(herald, ADDRESS) is SubscriptionStatus.PENDING

    token = confirm.split("token=", 1)[1]
    confirmed = client.post("/alerts/confirm", data={"token": token})
    assert confirmed.status_code == 200
    assert "You are subscribed" in confirmed.text
    assert _status(herald, ADDRESS) is SubscriptionStatus.ACTIVE

    article_id = publish(herald, content(1))
    run_worker(herald)
    [alert] = inbox.new_messages()
    assert alert["To"] == ADDRESS
    assert article_id in text_of(alert)
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    preferences = link(alert, "preferences")
    form = client.get(preferences)
    assert form.status_code == 200
    assert ADDRESS in form.text
    assert 'value="xenserver" checked' in form.text
    saved = client.post(
        preferences,
        data={"versions": "xenserver:8.4", "minimum_severity": "High", "editorial": "yes"},
    )
    assert saved.status_code == 200
    assert "Saved" in saved.text
    [mine] = [s for s in herald.subscriptions.subscriptions() if s.target == ADDRESS]
    assert mine.filter.versions == ("xenserver:8.4",)
    assert mine.filter.minimum_severity == "High"
    assert mine.filter.editorial is True

    # RFC 8058: the mail provider posts to the List-Unsubscribe URL, no cookie, no CSRF token
    unsubscribe_url = path_of(alert["List-Unsubscribe"].strip("<>"))
    with new_client(app) as provider:
        done = provider.post(
            unsubscribe_url,
            content=b"List-Unsubscribe=One-Click",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    assert done.status_code == 200
    assert "set-cookie" not in done.headers
    assert _status(herald, ADDRESS) is SubscriptionStatus.UNSUBSCRIBED

    publish(herald, content(2))
    run_worker(herald)
    assert [m for m in inbox.new_messages() if m["To"] == ADDRESS] == []

    with new_client(app) as provider:  # idempotent
        again = provider.post(unsubscribe_url, data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200


def test_the_unsubscribe_link_shows_a_button_and_changes_nothing_on_get(
    herald: Herald, client: TestClient
) -> None:
    added = herald.subscriptions.add_email(ADDRESS, AlertFilter())
    token = herald.subscriptions.unsubscribe_token(added.id)
    page = client.get("/alerts/unsubscribe", params={"token": token})
    assert page.status_code == 200
    assert "List-Unsubscribe" in page.text
    assert _status(herald, ADDRESS) is SubscriptionStatus.ACTIVE


def test_subscribing_twice_is_harmless_and_looks_the_same(
    herald: Herald, client: TestClient
) -> None:
    inbox = inbox_of(herald)
    first = _subscribe(client)
    second = _subscribe(client)
    assert first == second
    run_worker(herald)
    assert len(inbox.new_messages()) == 1  # one confirmation within ten minutes

    herald.subscriptions.add_email("known@example.com", AlertFilter())  # already active
    run_worker(herald)
    inbox.new_messages()
    active = _subscribe(client, "known@example.com")
    fresh = _subscribe(client, "stranger@example.com")
    assert active.replace("known@", "X@") == fresh.replace("stranger@", "X@")
    run_worker(herald)
    assert [m["To"] for m in inbox.new_messages()] == ["stranger@example.com"]
    assert _status(herald, "known@example.com") is SubscriptionStatus.ACTIVE


def test_bogus_used_and_expired_tokens_get_a_clear_4xx_page(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    for path in ("/alerts/preferences", "/alerts/unsubscribe"):
        response = client.post(path, data={"token": "bogus"})
        assert response.status_code == 400
        assert "This link does not work" in response.text
    assert client.get("/alerts/preferences", params={"token": "x.y"}).status_code == 400
    assert client.post("/alerts/confirm", data={"token": "nope"}).status_code == 400
    assert client.get("/alerts/confirm").status_code == 400
    assert client.get("/alerts/confirm", params={"token": "t" * 600}).status_code == 422

    # another purpose's token is refused too
    subscription = herald.subscriptions.add_email(ADDRESS, AlertFilter())
    unsubscribe = herald.subscriptions.unsubscribe_token(subscription.id)
    assert client.get("/alerts/preferences", params={"token": unsubscribe}).status_code == 400

    inbox = inbox_of(herald)
    _subscribe(client, "late@example.com")
    run_worker(herald)
    [message] = inbox.new_messages()
    token = link(message, "confirm").split("token=", 1)[1]
    clock.advance(timedelta(hours=49))
    expired = client.post("/alerts/confirm", data={"token": token})
    assert expired.status_code == 400
    assert "expired" in expired.text
    assert _status(herald, "late@example.com") is SubscriptionStatus.PENDING


def test_invalid_or_oversized_input_names_the_field_and_changes_nothing(
    herald: Herald, client: TestClient
) -> None:
    cases: list[tuple[dict[str, str | list[str]], str]] = [
        ({"email": "not an address"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a" * 2000 + "@example.com"}, "email"),
        ({"email": ADDRESS, "products": "no-such-product"}, "products"),
        ({"email": ADDRESS, "versions": "xenserver:0.1"}, "versions"),
        ({"email": ADDRESS, "versions": "justtext"}, "versions"),
        ({"email": ADDRESS, "minimum_severity": "Apocalyptic"}, "minimum_severity"),
        ({"email": ADDRESS, "editorial": "maybe"}, "editorial"),
        ({"email": ADDRESS, "products": ["xenserver"] * 201}, "products"),
        ({"email": "line\nbreak@example.com"}, "email"),
    ]
    for fields, field in cases:
        response = client.post("/alerts/subscribe", data=fields)
        assert response.status_code == 422, (fields, response.status_code)
        assert field in errors_on(response.text), (field, errors_on(response.text))
    assert herald.subscriptions.subscriptions() == []
    assert run_worker(herald) == 0

    subscription = herald.subscriptions.add_email(ADDRESS, AlertFilter())
    token = herald.subscriptions.preferences_token(subscription.id)
    refused = client.post(
        "/alerts/preferences", data={"token": token, "minimum_severity": "Apocalyptic"}
    )
    assert refused.status_code == 422
    assert "minimum_severity" in errors_on(refused.text)
    assert herald.subscriptions.preferences(token).filter == AlertFilter()


def test_forms_posted_from_another_site_are_refused_but_one_click_is_not(
    herald: Herald, client: TestClient
) -> None:
    evil = {"origin": "https://evil.example"}
    response = client.post("/alerts/subscribe", data={"email": ADDRESS}, headers=evil)
    assert response.status_code == 403
    response = client.post(
        "/alerts/subscribe",
        data={"email": ADDRESS},
        headers={"referer": "https://evil.example/page"},
    )
    assert response.status_code == 403
    assert herald.subscriptions.subscriptions() == []
    same_site = client.post(
        "/alerts/subscribe", data={"email": ADDRESS}, headers={"origin": "https://testserver"}
    )
    assert same_site.status_code == 200

    subscription = herald.subscriptions.add_email("other@example.com", AlertFilter())
    token = herald.subscriptions.unsubscribe_token(subscription.id)
    one_click = client.post(
        f"/alerts/unsubscribe?token={token}", data={"List-Unsubscribe": "One-Click"}, headers=evil
    )
    assert one_click.status_code == 200
    assert _status(herald, "other@example.com") is SubscriptionStatus.UNSUBSCRIBED


def test_alert_pages_are_never_cached_and_the_site_links_to_them(client: TestClient) -> None:
    for _ in range(2):  # a second request would come from the page cache if kept there
        response = client.get("/alerts/subscribe")
        assert response.headers["cache-control"] == "no-store"
        assert "etag" not in response.headers
    home = client.get("/").text
    assert 'href="/alerts/subscribe"' in home
    bulletin = client.get("/bulletins/CTX696397").text
    assert 'class="subscribe-link"' in bulletin
