"""The staff side of alerts: subscriber groups, webhooks (secret shown once), deliveries
per bulletin with resend, predisclosure, API tokens; roles and CSRF. Webhook deliveries
go to a real HTTP receiver on loopback (private targets allowed for the test)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi import FastAPI

from herald.bootstrap import Herald
from herald.domain.alerts import AlertFilter, Channel, SubscriberGroup, SubscriptionStatus
from herald.services.actors import OPERATOR
from tests.conftest import DatabaseSnapshots
from tests.demo_services import demo_services, settings_for

from .conftest import MovableClock
from .staff_support import StaffClient, new_client, signed_in
from .test_alerts_support import errors_on, run_worker
from .test_api import content, publish

_SECRET = re.compile(r'id="secret" readonly value="(whsec_[^"]+|hrld_[^"]+)"')


@pytest.fixture
def herald(
    database_url: str, tmp_path: Path, clock: MovableClock, database_snapshots: DatabaseSnapshots
) -> Iterator[Herald]:
    """As the web tests' ``herald``, with webhooks to loopback allowed."""
    settings = settings_for(database_url, tmp_path / "var", webhook_allow_private=True)
    with demo_services(settings, clock, database_snapshots) as services:
        yield services


class Receiver:
    """A webhook receiver on loopback answering ``status`` to every POST."""

    def __init__(self) -> None:
        self.status = 204
        self.bodies: list[bytes] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                receiver.bodies.append(self.rfile.read(length))
                self.send_response(receiver.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def carol(app: FastAPI, staff: dict[str, str]) -> StaffClient:
    return signed_in(app, staff["publisher"])


def _secret(html: str) -> str:
    match = _SECRET.search(html)
    assert match is not None, "no secret on the page"
    return match.group(1)


# --- roles and CSRF ---------------------------------------------------------------------


def test_authors_and_reviewers_cannot_manage_alerts(app: FastAPI, staff: dict[str, str]) -> None:
    for role in ("author", "reviewer"):
        member = signed_in(app, staff[role])
        for path in ("/staff/alerts/", "/staff/alerts/groups", "/staff/alerts/webhooks"):
            assert member.get(path).status_code == 403, (role, path)
        refused = member.post("/staff/alerts/groups", {"name": "partners", "title": "Partners"})
        assert refused.status_code == 403
        assert 'href="/staff/alerts/"' not in member.get("/staff/").text


def test_only_admins_manage_api_tokens(app: FastAPI, staff: dict[str, str]) -> None:
    carol = signed_in(app, staff["publisher"])
    assert carol.get("/staff/alerts/tokens").status_code == 403
    assert carol.post("/staff/alerts/tokens", {"name": "siem"}).status_code == 403
    assert signed_in(app, staff["admin"]).get("/staff/alerts/tokens").status_code == 200


def test_alert_forms_need_the_csrf_token_and_this_site(
    herald: Herald, app: FastAPI, carol: StaffClient
) -> None:
    without = carol.client.post("/staff/alerts/groups", data={"name": "p", "title": "P"})
    assert without.status_code == 403
    cross = carol.client.post(
        "/staff/alerts/groups",
        data={"name": "p", "title": "P", "csrf_token": carol.token},
        headers={"origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert herald.subscriptions.groups() == []
    assert carol.get("/staff/alerts/groups").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(app: FastAPI) -> None:
    with new_client(app) as visitor:
        response = visitor.get("/staff/alerts/webhooks")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/sign-in?next=/staff/alerts/webhooks")


# --- groups -----------------------------------------------------------------------------


def test_a_group_is_created_edited_given_members_and_deleted(
    herald: Herald, carol: StaffClient
) -> None:
    created = carol.post(
        "/staff/alerts/groups",
        {"name": "partners", "title": "Channel partners", "subject_prefix": "[Partner] "},
    )
    assert created.status_code == 303
    assert created.headers["location"] == "/staff/alerts/groups/partners"

    taken = carol.post("/staff/alerts/groups", {"name": "partners", "title": "Again"})
    assert taken.status_code == 422
    assert "name" in errors_on(taken.text)
    for fields, field in [
        ({"name": "Not OK", "title": "x"}, "name"),
        ({"name": "ok", "title": ""}, "title"),
        ({"name": "ok", "title": "x", "subject_prefix": "p" * 61}, "subject_prefix"),
    ]:
        refused = carol.post("/staff/alerts/groups", fields)
        assert refused.status_code == 422
        assert field in errors_on(refused.text), (field, errors_on(refused.text))

    saved = carol.post(
        "/staff/alerts/groups/partners",
        {"title": "Partners", "subject_prefix": "[P] ", "intro": "For partners only."},
    )
    assert saved.status_code == 303
    [group] = herald.subscriptions.groups()
    assert (group.title, group.subject_prefix, group.intro) == (
        "Partners",
        "[P] ",
        "For partners only.",
    )

    bad = carol.post("/staff/alerts/groups/partners/members", {"email": "nobody"})
    assert bad.status_code == 422
    assert "email" in errors_on(bad.text)
    added = carol.post("/staff/alerts/groups/partners/members", {"email": "ops@partner.example"})
    assert added.status_code == 303
    [member] = herald.subscriptions.subscriptions(group="partners")
    assert member.status is SubscriptionStatus.ACTIVE
    assert "ops@partner.example" in carol.get("/staff/alerts/groups/partners").text

    removed = carol.post(f"/staff/alerts/groups/partners/members/{member.id}/remove")
    assert removed.status_code == 303
    assert herald.subscriptions.subscriptions(group="partners") == []

    assert carol.post("/staff/alerts/groups/partners/delete").status_code == 303
    assert herald.subscriptions.groups() == []
    assert carol.get("/staff/alerts/groups/partners").status_code == 404


# --- webhooks ---------------------------------------------------------------------------


def test_a_webhook_secret_is_shown_once_and_rotated(
    herald: Herald, carol: StaffClient, receiver: Receiver
) -> None:
    added = carol.post(
        "/staff/alerts/webhooks",
        {"url": receiver.url, "products": "xenserver", "editorial": "no"},
    )
    assert added.status_code == 200
    assert added.headers["cache-control"] == "no-store"
    secret = _secret(added.text)
    [webhook] = herald.subscriptions.subscriptions(Channel.WEBHOOK)
    assert webhook.secret == secret
    assert webhook.filter.products == ("xenserver",)

    for path in ("/staff/alerts/webhooks", f"/staff/alerts/webhooks/{webhook.id}"):
        page = carol.get(path)
        assert page.status_code == 200
        assert secret not in page.text

    rotated = carol.post(f"/staff/alerts/webhooks/{webhook.id}/rotate", {"overlap_hours": "72"})
    assert rotated.status_code == 200
    new_secret = _secret(rotated.text)
    assert new_secret != secret
    [stored] = herald.subscriptions.subscriptions(Channel.WEBHOOK)
    assert stored.secret == new_secret and stored.previous_secret == secret
    assert stored.previous_until is not None
    until = stored.previous_until.strftime("%Y-%m-%d %H:%M UTC")
    assert f"also signs every request until {until}" in rotated.text
    assert until in carol.get(f"/staff/alerts/webhooks/{webhook.id}").text
    bad = carol.post(f"/staff/alerts/webhooks/{webhook.id}/rotate", {"overlap_hours": "a week"})
    assert bad.status_code == 422 and "overlap_hours" in bad.text
    assert herald.subscriptions.subscriptions(Channel.WEBHOOK)[0].secret == new_secret

    refused = carol.post(f"/staff/alerts/webhooks/{webhook.id}", {"url": "ftp://x.example/"})
    assert refused.status_code == 422
    assert "url" in errors_on(refused.text)
    saved = carol.post(
        f"/staff/alerts/webhooks/{webhook.id}", {"url": receiver.url + "/v2", "editorial": "yes"}
    )
    assert saved.status_code == 303
    [webhook] = herald.subscriptions.subscriptions(Channel.WEBHOOK)
    assert webhook.target == receiver.url + "/v2"
    assert webhook.filter == AlertFilter(editorial=True)

    assert carol.post(f"/staff/alerts/webhooks/{webhook.id}/delete").status_code == 303
    assert herald.subscriptions.subscriptions(Channel.WEBHOOK)[0].status is (
        SubscriptionStatus.UNSUBSCRIBED
    )
    assert carol.get(f"/staff/alerts/webhooks/{webhook.id}").status_code == 404


def test_invalid_webhooks_name_their_field(herald: Herald, carol: StaffClient) -> None:
    for fields, field in [
        ({"url": ""}, "url"),
        ({"url": "https://[::1/"}, "url"),
        ({"url": "http://127.0.0.1:9/x", "minimum_severity": "Nope"}, "minimum_severity"),
        ({"url": "http://127.0.0.1:9/x", "group": "no-such-group"}, "group"),
    ]:
        response = carol.post("/staff/alerts/webhooks", fields)
        assert response.status_code == 422, (fields, response.status_code)
        assert field in errors_on(response.text), (field, errors_on(response.text))
    assert herald.subscriptions.subscriptions() == []


# --- deliveries and resend --------------------------------------------------------------


def test_staff_see_failed_deliveries_and_resend_them(
    herald: Herald, carol: StaffClient, receiver: Receiver
) -> None:
    herald.subscriptions.subscribe_webhook(receiver.url, AlertFilter())
    herald.subscriptions.add_email("reader@example.com", AlertFilter())
    receiver.status = 400  # a permanent failure: no retry by itself
    article_id = publish(herald, content(1))
    run_worker(herald)

    bulletin_page = carol.get(f"/staff/bulletins/{article_id}").text
    assert f'href="/staff/alerts/bulletins/{article_id}"' in bulletin_page
    page = carol.get(f"/staff/alerts/bulletins/{article_id}")
    assert page.status_code == 200
    assert "1 pending" not in page.text
    assert "1 sent, 1 failed" in page.text
    assert receiver.url in page.text
    assert "400" in page.text  # the last error
    [failed] = [
        v.delivery for v in herald.alerts.deliveries(article_id) if v.delivery.status == "failed"
    ]

    receiver.status = 204
    resent = carol.post(
        f"/staff/alerts/bulletins/{article_id}/resend", {"delivery": str(failed.id)}
    )
    assert resent.status_code == 303
    assert "0 failed" in carol.get(f"/staff/alerts/bulletins/{article_id}").text
    run_worker(herald)
    assert len(receiver.bodies) == 2
    assert "2 sent, 0 failed" in carol.get(f"/staff/alerts/bulletins/{article_id}").text

    other = carol.post("/staff/alerts/bulletins/CTX696397/resend", {"delivery": str(failed.id)})
    assert other.status_code == 404  # not a delivery of that bulletin


def test_resend_every_failed_delivery_of_a_bulletin(
    herald: Herald, carol: StaffClient, receiver: Receiver
) -> None:
    herald.subscriptions.subscribe_webhook(receiver.url, AlertFilter())
    herald.subscriptions.subscribe_webhook(receiver.url + "/2", AlertFilter())
    receiver.status = 410
    article_id = publish(herald, content(2))
    run_worker(herald)
    assert carol.post(f"/staff/alerts/bulletins/{article_id}/resend").status_code == 303
    statuses = {v.delivery.status for v in herald.alerts.deliveries(article_id)}
    assert statuses == {"pending"}


# --- predisclosure ----------------------------------------------------------------------


def test_a_predisclosure_group_is_attached_to_a_bulletin_not_yet_public(
    herald: Herald, carol: StaffClient
) -> None:
    herald.subscriptions.save_group(SubscriberGroup("partners", "Partners"))
    draft = herald.authoring.create_draft(content(3)).article_id
    path = f"/staff/alerts/bulletins/{draft}"
    assert 'name="group"' in carol.get(path).text

    unknown = carol.post(f"{path}/predisclosure", {"group": "nobody"})
    assert unknown.status_code == 422
    assert "group" in errors_on(unknown.text)
    assert herald.alerts.predisclosure(draft) is None

    attached = carol.post(f"{path}/predisclosure", {"group": "partners"})
    assert attached.status_code == 303
    assert herald.alerts.predisclosure(draft) == "partners"
    assert 'value="partners" selected' in carol.get(path).text

    detached = carol.post(f"{path}/predisclosure", {"group": ""})
    assert detached.status_code == 303
    assert herald.alerts.predisclosure(draft) is None

    public = carol.post("/staff/alerts/bulletins/CTX696397/predisclosure", {"group": "partners"})
    assert public.status_code == 422
    assert "public" in errors_on(public.text)["group"]


# --- API tokens -------------------------------------------------------------------------


def test_an_admin_issues_a_token_shown_once_and_revokes_it(
    herald: Herald, app: FastAPI, staff: dict[str, str]
) -> None:
    root = signed_in(app, staff["admin"])
    issued = root.post("/staff/alerts/tokens", {"name": "siem", "scopes": "webhooks:own"})
    assert issued.status_code == 200
    assert issued.headers["cache-control"] == "no-store"
    token = _secret(issued.text)
    assert token not in root.get("/staff/alerts/tokens").text
    assert herald.api_tokens.authenticate(token) is not None

    taken = root.post("/staff/alerts/tokens", {"name": "siem", "scopes": "webhooks:own"})
    assert taken.status_code == 422
    assert "name" in errors_on(taken.text)

    assert root.post("/staff/alerts/tokens/siem/revoke").status_code == 303
    assert herald.api_tokens.authenticate(token) is None
    log = herald.audit.page(OPERATOR, subject="token:siem").entries
    assert [(e.actor, e.action) for e in log] == [
        (staff["admin"], "token.revoke"),
        (staff["admin"], "token.add"),
    ]


def test_an_active_subscriber_joins_a_group_with_its_own_filter(
    herald: Herald, carol: StaffClient
) -> None:
    herald.subscriptions.save_group(SubscriberGroup("partners", "Partners"))
    wanted = AlertFilter(products=("xenserver",), minimum_severity="High")
    herald.subscriptions.add_email("ops@partner.example", wanted)
    added = carol.post("/staff/alerts/groups/partners/members", {"email": "ops@Partner.Example"})
    assert added.status_code == 303
    [member] = herald.subscriptions.subscriptions(group="partners")
    assert member.target == "ops@partner.example"  # the domain is compared in lower case
    assert member.filter == wanted
    assert len(herald.subscriptions.subscriptions()) == 1
