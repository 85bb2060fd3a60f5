"""Who may use what: every route of the web app, declared once in ``ACCESS``, and checked.

``ACCESS`` maps each route (``"METHOD /path"``, as ``app.routes`` lists it; HEAD goes
with GET) to the cases that exercise it. A case states who may use it:

- ``PUBLIC``: anyone, no session, no token;
- ``TOKEN``: a program with an API token (``Authorization: Bearer``), on the webhooks
  that token made;
- ``SIGNED_LINK``: a subscriber holding the signed link herald emailed;
- ``STAFF``: a signed-in staff member; with ``action``, only roles that may take it
  (``herald.domain.accounts``), without, every member.

A route missing from ``ACCESS`` fails ``test_every_route_is_declared``, so no route is
added without saying who may use it; ``docs/authorization.md`` lists the same table
and ``test_the_documented_table_is_the_declared_one`` keeps the two equal.

Each staff case runs against real objects (a draft, a bulletin in review, a webhook, a
group member, an API token…) made by ``world`` on a fresh database, with the session's
CSRF token, so that what is tested is the authorization, not a 404 or the CSRF check.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

import herald.demo as demo
from herald.adapters.storage.tables.base import Base
from herald.adapters.web import create_app
from herald.bootstrap import Herald
from herald.domain import totp
from herald.domain.accounts import Action, Role, User
from herald.domain.alerts import (
    AlertFilter,
    Channel,
    DeliveryStatus,
    SubscriberGroup,
    SubscriptionStatus,
)
from herald.services.actors import Actor
from herald.services.ports.common import Clock
from tests.conftest import DatabaseSnapshots
from tests.demo_services import prepared_services, settings_for

from .conftest import PASSWORD, MovableClock, add_staff
from .staff_support import StaffClient, bulletin_form, local_input, new_client, signed_in, token_of
from .test_alerts_support import inbox_of, link, run_worker
from .test_api import content

DOCS = Path(__file__).resolve().parents[3] / "docs" / "authorization.md"
NEW_PASSWORD = "a passphrase of their own"


class Kind(StrEnum):
    """Who may use a route."""

    PUBLIC = "public"
    TOKEN = "API token"
    SIGNED_LINK = "signed link"
    STAFF = "staff"


@dataclass(frozen=True)
class Case:
    """One way to use a route: who may, a real path, and what to send."""

    kind: Kind
    path: str
    """The path to request; ``{names}`` are filled from ``World.values``."""
    action: Action | None = None
    """For staff: the action the member's roles must allow; None for every member."""
    form: Mapping[str, str | list[str]] = field(default_factory=dict)
    """A valid form (staff and public POSTs; the CSRF token is added for staff)."""
    json: Mapping[str, Any] | None = None
    """A valid JSON body (API)."""
    changes: bool = True
    """Whether an allowed POST changes what herald stores (a preview does not)."""

    def who(self) -> str:
        """As ``docs/authorization.md`` says it, the roles read from the domain."""
        if self.kind is not Kind.STAFF:
            return self.kind.value
        if self.action is None:
            return "staff: any member"
        roles = [r.value for r in Role if User("x", "x", frozenset({r}), "").may(self.action)]
        return f"staff: {self.action.value} ({', '.join(roles)})"


def public(path: str, **body: Any) -> Case:
    return Case(Kind.PUBLIC, path, **body)


def for_staff(
    path: str,
    action: Action | None = None,
    form: Mapping[str, str | list[str]] | None = None,
    *,
    changes: bool = True,
) -> Case:
    return Case(Kind.STAFF, path, action, form or {}, changes=changes)


def by_token(path: str, json: Mapping[str, Any] | None = None) -> Case:
    return Case(Kind.TOKEN, path, json=json)


def signed_link(path: str) -> Case:
    return Case(Kind.SIGNED_LINK, path)


_WEBHOOK_FORM = {"url": "http://127.0.0.1:9/other-hook", "minimum_severity": "High"}
_GROUP_FORM = {"title": "Partners (renamed)", "subject_prefix": "[P]", "intro": "Hello."}

ACCESS: dict[str, tuple[Case, ...]] = {
    # the public site, its documents and feeds
    "GET /": (public("/"),),
    "GET /page/{number}/": (public("/page/1/"),),
    "GET /bulletins/{name}": (public("/bulletins/{published}"),),
    "GET /bulletins/{article_id}.csaf.json": (public("/bulletins/{published}.csaf.json"),),
    "GET /bulletins/{article_id}.osv.json": (public("/bulletins/{published}.osv.json"),),
    "GET /bulletins/{article_id}.openvex.json": (public("/bulletins/{published}.openvex.json"),),
    "GET /bulletins/{article_id}.cdx.json": (public("/bulletins/{published}.cdx.json"),),
    "GET /products/": (public("/products/"),),
    "GET /products/{product_id}": (public("/products/xenserver"),),
    "GET /cve/{cve_id}": (public("/cve/CVE-2026-4397"),),
    "GET /cve/{cve_id}.json": (public("/cve/CVE-2026-4397.json"),),
    "GET /sitemap.xml": (public("/sitemap.xml"),),
    "GET /robots.txt": (public("/robots.txt"),),
    "GET /healthz": (public("/healthz"),),
    "GET /static/{path}": (public("/static/herald.css"),),
    "GET /feeds/": (public("/feeds/"),),
    "GET /feeds/bulletins.atom": (public("/feeds/bulletins.atom"),),
    "GET /feeds/bulletins.rss": (public("/feeds/bulletins.rss"),),
    "GET /feeds/products/{product_id}.atom": (public("/feeds/products/xenserver.atom"),),
    "GET /feeds/products/{product_id}.rss": (public("/feeds/products/xenserver.rss"),),
    "GET /.well-known/security.txt": (public("/.well-known/security.txt"),),
    "GET /.well-known/csaf": (public("/.well-known/csaf"),),
    "GET /.well-known/csaf/{path}": (public("/.well-known/csaf/provider-metadata.json"),),
    # the public JSON API
    "GET /api/": (public("/api/"),),
    "GET /api/v1/openapi.json": (public("/api/v1/openapi.json"),),
    "GET /api/v1/bulletins": (public("/api/v1/bulletins"),),
    "GET /api/v1/bulletins/{article_id}": (public("/api/v1/bulletins/{published}"),),
    "GET /api/v1/products": (public("/api/v1/products"),),
    "GET /api/v1/products/{product_id}": (public("/api/v1/products/xenserver"),),
    "GET /api/v1/products/{product_id}/versions/{version}": (
        public("/api/v1/products/xenserver/versions/8.4"),
    ),
    "GET /api/v1/products/{product_id}/versions/{version}/channels/{channel}/releases": (
        public("/api/v1/products/xenserver/versions/8.4/channels/Normal/releases"),
    ),
    "POST /api/v1/subscriptions": (
        public("/api/v1/subscriptions", json={"email": "reader@example.org"}),
    ),
    # webhooks through the API: an API token, on the webhooks it made
    "GET /api/v1/webhooks": (by_token("/api/v1/webhooks"),),
    "POST /api/v1/webhooks": (
        by_token("/api/v1/webhooks", {"url": "http://127.0.0.1:9/new-hook"}),
    ),
    "GET /api/v1/webhooks/{webhook_id}": (by_token("/api/v1/webhooks/{api_webhook}"),),
    "PATCH /api/v1/webhooks/{webhook_id}": (
        by_token("/api/v1/webhooks/{api_webhook}", {"url": "http://127.0.0.1:9/moved"}),
    ),
    "POST /api/v1/webhooks/{webhook_id}/secret": (
        by_token("/api/v1/webhooks/{api_webhook}/secret"),
    ),
    "DELETE /api/v1/webhooks/{webhook_id}": (by_token("/api/v1/webhooks/{api_webhook}"),),
    # subscribers: the subscribe form is public; the rest needs the emailed link
    "GET /alerts/subscribe": (public("/alerts/subscribe"),),
    "POST /alerts/subscribe": (public("/alerts/subscribe", form={"email": "r@example.org"}),),
    "GET /alerts/confirm": (signed_link("/alerts/confirm?token={confirm_token}"),),
    "POST /alerts/confirm": (signed_link("/alerts/confirm?token={confirm_token}"),),
    "GET /alerts/preferences": (signed_link("/alerts/preferences?token={preferences_token}"),),
    "POST /alerts/preferences": (signed_link("/alerts/preferences?token={preferences_token}"),),
    "GET /alerts/unsubscribe": (signed_link("/alerts/unsubscribe?token={unsubscribe_token}"),),
    "POST /alerts/unsubscribe": (signed_link("/alerts/unsubscribe?token={unsubscribe_token}"),),
    # staff: signing in and out
    "GET /staff/sign-in": (public("/staff/sign-in"),),
    "POST /staff/sign-in": (
        public("/staff/sign-in", form={"username": "alice", "password": PASSWORD}),
    ),
    "POST /staff/sign-out": (public("/staff/sign-out"),),
    # the sign-in steps after the password: only a sign-in half done; else to /staff/sign-in
    "GET /staff/sign-in/code": (public("/staff/sign-in/code"),),
    "POST /staff/sign-in/code": (public("/staff/sign-in/code", form={"code": "123456"}),),
    "GET /staff/sign-in/password": (public("/staff/sign-in/password"),),
    "POST /staff/sign-in/password": (
        public(
            "/staff/sign-in/password",
            form={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        ),
    ),
    "GET /staff/sign-in/enroll": (public("/staff/sign-in/enroll"),),
    "POST /staff/sign-in/enroll": (public("/staff/sign-in/enroll"),),
    "POST /staff/sign-in/enroll/confirm": (
        public("/staff/sign-in/enroll/confirm", form={"code": "123456"}),
    ),
    # staff: every member
    "GET /staff/": (for_staff("/staff/"),),
    "GET /staff/bulletins/{article_id}": (for_staff("/staff/bulletins/{draft}"),),
    "POST /staff/preview": (for_staff("/staff/preview", None, bulletin_form(), changes=False),),
    # staff: one's own account
    "GET /staff/account": (for_staff("/staff/account"),),
    "POST /staff/account/password": (
        for_staff(
            "/staff/account/password",
            None,
            {
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
                "confirm_password": NEW_PASSWORD,
            },
        ),
    ),
    "POST /staff/account/second-factor": (for_staff("/staff/account/second-factor"),),
    "POST /staff/account/second-factor/confirm": (
        # alice and root have an enrollment under way (World.enroll_code is its code)
        for_staff("/staff/account/second-factor/confirm", None, {"code": "{enroll_code}"}),
    ),
    # staff: drafts
    "GET /staff/bulletins/new": (for_staff("/staff/bulletins/new", Action.WRITE_DRAFT),),
    "POST /staff/bulletins/new": (
        for_staff("/staff/bulletins/new", Action.WRITE_DRAFT, bulletin_form()),
    ),
    "GET /staff/bulletins/{article_id}/edit": (
        for_staff("/staff/bulletins/{draft}/edit", Action.WRITE_DRAFT),
    ),
    "POST /staff/bulletins/{article_id}/edit": (
        for_staff("/staff/bulletins/{draft}/edit", Action.WRITE_DRAFT, bulletin_form()),
    ),
    "POST /staff/bulletins/{article_id}/delete": (
        for_staff("/staff/bulletins/{draft}/delete", Action.WRITE_DRAFT),
    ),
    # the workflow steps share one route; the step names the action
    "POST /staff/bulletins/{article_id}/{step}": (
        for_staff("/staff/bulletins/{draft}/submit", Action.WRITE_DRAFT),
        for_staff("/staff/bulletins/{in_review}/approve", Action.REVIEW),
        for_staff("/staff/bulletins/{in_review}/request-changes", Action.REVIEW),
        for_staff("/staff/bulletins/{approved}/publish", Action.PUBLISH),
        for_staff("/staff/bulletins/{scheduled}/unschedule", Action.PUBLISH),
    ),
    # staff: publication
    "POST /staff/bulletins/{article_id}/schedule": (
        for_staff(
            "/staff/bulletins/{approved}/schedule", Action.PUBLISH, {"release_at": "{tomorrow}"}
        ),
    ),
    "GET /staff/bulletins/{article_id}/amend": (
        for_staff("/staff/bulletins/{published}/amend", Action.PUBLISH),
    ),
    "POST /staff/bulletins/{article_id}/amend": (
        for_staff(
            "/staff/bulletins/{published}/amend",
            Action.PUBLISH,
            bulletin_form(summary="Rewritten for the matrix test"),
        ),
    ),
    "POST /staff/bulletins/{article_id}/withdraw": (
        for_staff(
            "/staff/bulletins/{published}/withdraw", Action.PUBLISH, {"summary": "Not affected"}
        ),
    ),
    # staff: the second person (changes waiting, emergency steps) and the review policy
    "POST /staff/bulletins/{article_id}/approve-change": (
        for_staff("/staff/bulletins/{proposed}/approve-change", Action.REVIEW),
    ),
    "POST /staff/bulletins/{article_id}/discard-change": (
        for_staff("/staff/bulletins/{proposed}/discard-change", Action.REVIEW),
    ),
    "POST /staff/bulletins/{article_id}/review-emergency": (
        for_staff("/staff/bulletins/{emergency}/review-emergency", Action.REVIEW),
    ),
    "POST /staff/bulletins/{article_id}/emergency-publish": (
        for_staff(
            "/staff/bulletins/{draft}/emergency-publish",
            Action.EMERGENCY,
            {"emergency": "Exploited in the wild; already public"},
        ),
    ),
    "GET /staff/settings": (for_staff("/staff/settings", Action.MANAGE_SETTINGS),),
    "POST /staff/settings/review-policy": (
        for_staff("/staff/settings/review-policy", Action.MANAGE_SETTINGS, {"amendments": "every"}),
    ),
    # staff: alerts (publishers)
    "GET /staff/alerts/": (for_staff("/staff/alerts/", Action.PUBLISH),),
    "GET /staff/alerts/groups": (for_staff("/staff/alerts/groups", Action.PUBLISH),),
    "POST /staff/alerts/groups": (
        for_staff("/staff/alerts/groups", Action.PUBLISH, {"name": "vendors", "title": "Vendors"}),
    ),
    "GET /staff/alerts/groups/{name}": (for_staff("/staff/alerts/groups/{group}", Action.PUBLISH),),
    "POST /staff/alerts/groups/{name}": (
        for_staff("/staff/alerts/groups/{group}", Action.PUBLISH, _GROUP_FORM),
    ),
    "POST /staff/alerts/groups/{name}/delete": (
        for_staff("/staff/alerts/groups/{group}/delete", Action.PUBLISH),
    ),
    "POST /staff/alerts/groups/{name}/members": (
        for_staff(
            "/staff/alerts/groups/{group}/members", Action.PUBLISH, {"email": "new@example.org"}
        ),
    ),
    "POST /staff/alerts/groups/{name}/members/{subscription_id}/remove": (
        for_staff("/staff/alerts/groups/{group}/members/{member}/remove", Action.PUBLISH),
    ),
    "GET /staff/alerts/webhooks": (for_staff("/staff/alerts/webhooks", Action.PUBLISH),),
    "POST /staff/alerts/webhooks": (
        for_staff("/staff/alerts/webhooks", Action.PUBLISH, _WEBHOOK_FORM),
    ),
    "GET /staff/alerts/webhooks/{subscription_id}": (
        for_staff("/staff/alerts/webhooks/{webhook}", Action.PUBLISH),
    ),
    "POST /staff/alerts/webhooks/{subscription_id}": (
        for_staff("/staff/alerts/webhooks/{webhook}", Action.PUBLISH, _WEBHOOK_FORM),
    ),
    "POST /staff/alerts/webhooks/{subscription_id}/rotate": (
        for_staff("/staff/alerts/webhooks/{webhook}/rotate", Action.PUBLISH),
    ),
    "POST /staff/alerts/webhooks/{subscription_id}/delete": (
        for_staff("/staff/alerts/webhooks/{webhook}/delete", Action.PUBLISH),
    ),
    "GET /staff/alerts/bulletins/{article_id}": (
        for_staff("/staff/alerts/bulletins/{published}", Action.PUBLISH),
    ),
    "POST /staff/alerts/bulletins/{article_id}/resend": (
        # nothing failed: "0 failed deliveries queued again"
        for_staff("/staff/alerts/bulletins/{published}/resend", Action.PUBLISH, changes=False),
    ),
    "POST /staff/alerts/bulletins/{article_id}/predisclosure": (
        for_staff(
            "/staff/alerts/bulletins/{approved}/predisclosure",
            Action.PUBLISH,
            {"group": "partners"},
        ),
    ),
    # staff: the catalog (every member looks; publishers and admins change it)
    "GET /staff/catalog/": (for_staff("/staff/catalog/"),),
    "POST /staff/catalog/": (
        for_staff("/staff/catalog/", Action.MANAGE_CATALOG, {"id": "xenapp", "name": "XenApp"}),
    ),
    "GET /staff/catalog/{product_id}": (for_staff("/staff/catalog/xenserver"),),
    "POST /staff/catalog/{product_id}": (
        for_staff("/staff/catalog/xenserver", Action.MANAGE_CATALOG, {"name": "XenServer (new)"}),
    ),
    "POST /staff/catalog/{product_id}/versions": (
        for_staff(
            "/staff/catalog/xenserver/versions",
            Action.MANAGE_CATALOG,
            {"name": "10", "lifecycle": "preview"},
        ),
    ),
    "POST /staff/catalog/{product_id}/lifecycle": (
        for_staff(
            "/staff/catalog/xenserver/lifecycle",
            Action.MANAGE_CATALOG,
            {"version": "9", "lifecycle": "supported"},
        ),
    ),
    "POST /staff/catalog/{product_id}/identity": (
        for_staff(
            "/staff/catalog/xenserver/identity",
            Action.MANAGE_CATALOG,
            {"version": "8.4", "cpe": "", "purls": "pkg:generic/xenserver@8.4"},
        ),
    ),
    "POST /staff/catalog/{product_id}/channels": (
        for_staff(
            "/staff/catalog/xenserver/channels",
            Action.MANAGE_CATALOG,
            {"version": "8.4", "name": "Extended"},
        ),
    ),
    "POST /staff/catalog/{product_id}/releases": (
        for_staff(
            "/staff/catalog/xenserver/releases",
            Action.MANAGE_CATALOG,
            {
                "version": "8.4",
                "channel": "Normal",
                "name": "8.4.2026-11-02",
                "released_on": "2026-11-02",
            },
        ),
    ),
    "GET /staff/catalog/{product_id}/release": (
        for_staff(
            "/staff/catalog/xenserver/release?version=8.4&channel=Normal&release=8.4.2026-03-24",
            Action.MANAGE_CATALOG,
        ),
    ),
    "POST /staff/catalog/{product_id}/release": (
        for_staff(
            "/staff/catalog/xenserver/release",
            Action.MANAGE_CATALOG,
            {
                "version": "8.4",
                "channel": "Normal",
                "release": "8.4.2026-03-24",
                "released_on": "2026-03-25",
            },
        ),
    ),
    # staff: admins
    "GET /staff/alerts/tokens": (for_staff("/staff/alerts/tokens", Action.MANAGE_USERS),),
    "POST /staff/alerts/tokens": (
        for_staff(
            "/staff/alerts/tokens",
            Action.MANAGE_USERS,
            {"name": "new-token", "scopes": ["webhooks:own"], "expires": "30d"},
        ),
    ),
    "POST /staff/alerts/tokens/{name}/revoke": (
        for_staff("/staff/alerts/tokens/{token_name}/revoke", Action.MANAGE_USERS),
    ),
    "GET /staff/users": (for_staff("/staff/users", Action.MANAGE_USERS),),
    "POST /staff/users": (
        for_staff(
            "/staff/users",
            Action.MANAGE_USERS,
            {
                "username": "frank",
                "display_name": "Frank",
                "roles": ["author"],
                "password": PASSWORD,
            },
        ),
    ),
    "POST /staff/users/policy": (
        # turning off what is off: the page answers, nothing changes (an admin turning it
        # on needs a second factor of their own first: tests/adapters/web/test_staff_accounts)
        for_staff("/staff/users/policy", Action.MANAGE_USERS, changes=False),
    ),
    "POST /staff/users/{username}/{step}": (
        for_staff("/staff/users/gus/deactivate", Action.MANAGE_USERS),
        for_staff("/staff/users/hal/reactivate", Action.MANAGE_USERS),
        for_staff("/staff/users/gus/roles", Action.MANAGE_USERS, {"roles": ["reviewer"]}),
        for_staff("/staff/users/gus/reset-password", Action.MANAGE_USERS),
        for_staff("/staff/users/gus/sign-out-everywhere", Action.MANAGE_USERS),
        for_staff("/staff/users/gus/reset-second-factor", Action.MANAGE_USERS),
    ),
    "GET /staff/audit": (for_staff("/staff/audit", Action.READ_AUDIT),),
}
"""Every route of the app, and who may use it (``docs/authorization.md`` shows it)."""


# --- the route table itself ---------------------------------------------------------------


def served_routes(app: FastAPI) -> set[str]:
    """``"METHOD /path"`` for every route the app serves (HEAD folded into GET; a mount
    counts as ``GET <prefix>/{path}``)."""
    found = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            found.add(f"GET {route.path}/{{path}}")
            continue
        assert route.path is not None and route.methods, route
        path = route.path.replace("{path:path}", "{path}")
        found |= {f"{method} {path}" for method in route.methods if method != "HEAD"}
    return found


def test_every_route_is_declared(app: FastAPI) -> None:
    served = served_routes(app)
    assert len(served) > 70 and {"GET /", "GET /staff/", "GET /static/{path}"} <= served
    missing = sorted(served - ACCESS.keys())
    assert not missing, (
        f"routes with no entry in ACCESS (say who may use them): {', '.join(missing)}"
    )
    stale = sorted(ACCESS.keys() - served)
    assert not stale, f"ACCESS names routes the app does not serve: {', '.join(stale)}"


def test_the_documented_table_is_the_declared_one() -> None:
    documented = dict(
        re.findall(r"^\| `([A-Z]+ [^`]+)` \| ([^|]+?) \|", DOCS.read_text(), re.MULTILINE)
    )
    declared = {
        route: "; ".join(sorted({c.who() for c in cases})) for route, cases in ACCESS.items()
    }
    assert documented == declared


# --- the world every case runs in ---------------------------------------------------------


@pytest.fixture
def prepared(
    request: pytest.FixtureRequest,
    database_url: str,
    tmp_path: Path,
    clock: MovableClock,
    database_snapshots: DatabaseSnapshots,
) -> Iterator[tuple[Herald, World | None]]:
    """herald with the demo data, and the staff and the ``World`` when the test asks for
    it (made once per worker and backend, put back for each case); webhook targets on
    loopback allowed (port 9, which refuses: only the resend test runs the worker)."""
    settings = settings_for(database_url, tmp_path / "var", webhook_allow_private=True)
    key, prepare = ("world", make_world) if "world" in request.fixturenames else ("demo", None)
    with prepared_services(
        settings, clock, database_snapshots, key, prepare or (lambda _: None)
    ) as made:
        yield made


@pytest.fixture
def herald(prepared: tuple[Herald, World | None]) -> Herald:
    return prepared[0]


@pytest.fixture
def world(prepared: tuple[Herald, World | None]) -> World:
    made = prepared[1]
    assert made is not None
    return made


@pytest.fixture
def staff(herald: Herald) -> dict[str, str]:
    return add_staff(herald)


@dataclass(frozen=True)
class World:
    """Real objects for every path parameter, made through the services."""

    draft: str
    """alice's draft."""
    in_review: str
    approved: str
    scheduled: str
    published: str
    member: int
    """An email subscriber in the group ``partners``."""
    webhook: int
    """A webhook staff added."""
    api_token: str
    """The API token ``siem``."""
    api_webhook: int
    """A webhook ``siem`` made through the API."""
    tomorrow: str
    proposed: str
    """Published; pat (a publisher) proposed a material amendment that waits."""
    emergency: str
    """Published by dave (an admin) on the emergency path, not yet reviewed."""
    group: str = "partners"
    token_name: str = "siem"
    enroll_code: str = ""
    """The current code of the second factor alice and root are enrolling."""
    sessions: Mapping[Persona, Session] = field(default_factory=dict)
    """A browser session each persona began by signing in (``browser`` takes it up)."""

    def path(self, case: Case) -> str:
        return case.path.format(**vars(self))

    def form(self, case: Case) -> dict[str, str | list[str]]:
        return {
            name: value.format(**vars(self)) if isinstance(value, str) else value
            for name, value in case.form.items()
        }


@dataclass(frozen=True)
class Session:
    """What a browser keeps of a sign-in: its cookies and the session's CSRF token."""

    cookies: tuple[tuple[str, str], ...]
    token: str

    @classmethod
    def of(cls, member: StaffClient) -> Session:
        return cls(tuple(member.client.cookies.items()), member.token)

    def browser(self, app: FastAPI) -> StaffClient:
        """A new browser holding this session."""
        client = new_client(app)
        for name, value in self.cookies:
            client.cookies.set(name, value)
        return StaffClient(client, self.token)


def _sessions(herald: Herald) -> dict[Persona, Session]:
    """Each persona's browser session, begun through the sign-in form: the members', an
    admin's that signed out, and dave's (``browser`` deactivates him)."""
    app = create_app(herald, run_scheduler=False)
    admin = signed_in(app, "root")  # signing out ends every session root had: first
    assert admin.post("/staff/sign-out").status_code == 303
    sessions = {Persona.SIGNED_OUT: Session.of(admin)}
    for persona in MEMBERS:
        assert persona.role is not None
        sessions[persona] = Session.of(signed_in(app, USERNAMES[persona.role]))
    sessions[Persona.DEACTIVATED] = Session.of(signed_in(app, "dave"))
    return sessions


def _actor(herald: Herald, username: str) -> Actor:
    user = herald.accounts.user(username)
    assert user is not None
    return Actor.staff(user)


def make_world(herald: Herald) -> World:
    """Real objects for every path parameter, made through the services."""
    clock = herald.clock
    add_staff(herald)
    herald.accounts.add_user("dave", "Dave Departed", ["admin"], PASSWORD)
    alice, bob, carol = (_actor(herald, name) for name in ("alice", "bob", "carol"))
    authoring = herald.authoring
    draft = authoring.create_draft(content(1), actor=alice).article_id
    in_review = authoring.submit(authoring.create_draft(content(2), actor=alice).article_id, alice)
    approved = authoring.approve(
        authoring.submit(
            authoring.create_draft(content(3), actor=alice).article_id, alice
        ).article_id,
        bob,
    )
    to_schedule = authoring.approve(
        authoring.submit(
            authoring.create_draft(content(4), actor=alice).article_id, alice
        ).article_id,
        bob,
    )
    scheduled = authoring.schedule(to_schedule.article_id, clock.now() + timedelta(days=2), carol)
    subscriptions = herald.subscriptions
    subscriptions.save_group(SubscriberGroup(name="partners", title="Partners"), carol)
    member = subscriptions.add_email("partner@example.org", AlertFilter(), "partners", carol)
    webhook = subscriptions.subscribe_webhook("http://127.0.0.1:9/hook", AlertFilter(), None, carol)
    token, secret = herald.api_tokens.issue("siem")
    api_webhook = subscriptions.subscribe_webhook(
        "http://127.0.0.1:9/siem", AlertFilter(), None, Actor("token:siem")
    )
    herald.api_tokens.own_webhook(token, api_webhook.id)
    enroll_code = _accounts(herald, clock)
    proposed, emergency = _second_person(herald, alice, bob, carol)
    return World(
        draft=draft,
        in_review=in_review.article_id,
        approved=approved.article_id,
        scheduled=scheduled.article_id,
        published=demo.reference_bulletin().article_id,
        member=member.id,
        webhook=webhook.id,
        api_token=secret,
        api_webhook=api_webhook.id,
        tomorrow=local_input(clock.now() + timedelta(days=1)),
        enroll_code=enroll_code,
        proposed=proposed,
        emergency=emergency,
        sessions=_sessions(herald),
    )


def _second_person(herald: Herald, alice: Actor, bob: Actor, carol: Actor) -> tuple[str, str]:
    """A published bulletin with pat's material amendment waiting, and one dave (an
    admin) published on the emergency path; their article ids."""
    authoring = herald.authoring
    herald.accounts.add_user("pat", "Pat Publisher", ["publisher"], PASSWORD)
    proposed = authoring.create_draft(content(5), actor=alice).article_id
    authoring.submit(proposed, alice)
    authoring.approve(proposed, bob)
    published = authoring.publish(proposed, actor=carol)
    raised = replace(published.content(), severity="Critical")
    outcome = authoring.amend(proposed, raised, "Severity raised", actor=_actor(herald, "pat"))
    assert outcome.proposal is not None
    emergency = authoring.create_draft(content(6), actor=alice).article_id
    authoring.publish(emergency, actor=_actor(herald, "dave"), emergency="Already public")
    return proposed, emergency


ENROLLING = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _accounts(herald: Herald, clock: Clock) -> str:
    """gus (author, with a second factor) and hal (deactivated) for the admins' steps;
    alice and root enrolling the secret ``ENROLLING``. Returns its current code."""
    accounts = herald.accounts
    accounts.add_user("gus", "Gus Author", ["author"], PASSWORD)
    secret = accounts.start_second_factor("gus").totp_pending_secret
    assert secret is not None
    accounts.confirm_second_factor("gus", totp.totp(totp.secret_bytes(secret), clock.now()))
    accounts.add_user("hal", "Hal Gone", ["author"], PASSWORD)
    accounts.deactivate("hal")
    with herald.database.unit_of_work() as uow:
        for name in ("alice", "root"):
            user = uow.users.find(name)
            assert user is not None
            uow.users.update(replace(user, totp_pending_secret=ENROLLING))
        uow.commit()
    return totp.totp(totp.secret_bytes(ENROLLING), clock.now())


BROWSER_STATE = frozenset({"staff_sessions"})
"""Tables that hold the browsers' own state (their sessions: a CSRF token, a flash
message, a session ended by a refusal), which a request changes as it changed the
session cookie before sessions were kept on the server."""


def state(herald: Herald) -> dict[str, list[str]]:
    """Every row of every table herald keeps (but the browsers' sessions): what a
    request could change."""
    with herald.database.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(table.select()))
            for table in Base.metadata.sorted_tables
            if table.name not in BROWSER_STATE
        }


# --- personas -------------------------------------------------------------------------------


class Persona(StrEnum):
    """Who is at the browser."""

    VISITOR = "visitor"
    """No cookie at all."""
    ANONYMOUS = "anonymous"
    """A session from the sign-in page (so a CSRF token), nobody signed in."""
    SIGNED_OUT = "signed-out"
    """An admin who signed out, posting with the token of their old session."""
    DEACTIVATED = "deactivated"
    """An admin whose account was deactivated after signing in."""
    AUTHOR = "author"
    REVIEWER = "reviewer"
    PUBLISHER = "publisher"
    ADMIN = "admin"

    @property
    def role(self) -> Role | None:
        return Role(self.value) if self.value in set(Role) else None

    def may(self, action: Action | None) -> bool:
        """What ``herald.domain.accounts`` allows this persona's role."""
        if self.role is None:
            return False
        return action is None or User("x", "x", frozenset({self.role}), "").may(action)


USERNAMES = {
    Role.AUTHOR: "alice",
    Role.REVIEWER: "bob",
    Role.PUBLISHER: "carol",
    Role.ADMIN: "root",
}


def browser(app: FastAPI, herald: Herald, persona: Persona, world: World) -> StaffClient:
    """A new browser as ``persona``: a signed-in one holds the session that persona began
    when the world was made (the world is put back for each case, its sessions too)."""
    if persona is Persona.VISITOR:
        return StaffClient(new_client(app), "")
    if persona is Persona.ANONYMOUS:
        client = new_client(app)
        return StaffClient(client, token_of(client.get("/staff/sign-in").text))
    member = world.sessions[persona].browser(app)
    if persona is Persona.DEACTIVATED:
        with herald.database.unit_of_work() as uow:
            user = uow.users.find("dave")
            assert user is not None
            uow.users.update(replace(user, active=False))
            uow.commit()
    return member


NOT_STAFF = (Persona.VISITOR, Persona.ANONYMOUS, Persona.SIGNED_OUT, Persona.DEACTIVATED)
MEMBERS = (Persona.AUTHOR, Persona.REVIEWER, Persona.PUBLISHER, Persona.ADMIN)
_STAFF = [
    (route.split(" ", 1)[0], case)
    for route, cases in ACCESS.items()
    for case in cases
    if case.kind is Kind.STAFF
]
STAFF_CASES = [pytest.param(method, case, id=f"{method} {case.path}") for method, case in _STAFF]
SECRETS = (content(1).title, "partner@example.org", "Signed in as")
"""Staff data a refused request must not show (a draft's title, a subscriber)."""


def _request(
    member: StaffClient, method: str, path: str, form: Mapping[str, Any]
) -> httpx.Response:
    if method == "GET":
        return member.get(path)
    if not member.token:
        response: httpx.Response = member.client.post(path, data=dict(form))
        return response
    return member.post(path, form)


def _sign_in_for(path: str) -> str:
    return f"/staff/sign-in?next={quote(path, safe='/')}"


def check_refused(persona: Persona, method: str, path: str, response: httpx.Response) -> None:
    """Members whose roles lack the action get 403; everyone else is sent to sign in
    (GET), refused by the CSRF check (no session token: 403), or sent to sign in (a
    visitor's own session; the preview script gets 401)."""
    who = f"{persona} {method} {path}"
    if persona.role is not None:  # the services' refusal, not the CSRF check's
        assert response.status_code == 403, (who, response.status_code, response.text[:300])
        assert "may not" in response.text and "CSRF" not in response.text, who
    elif method == "GET":
        assert response.status_code == 303, (who, response.status_code)
        assert response.headers["location"] == _sign_in_for(path), who
    elif persona in (Persona.VISITOR, Persona.SIGNED_OUT):
        assert response.status_code == 403, (who, response.status_code)
        assert "CSRF" in response.text, who
    elif path == "/staff/preview":
        assert response.status_code == 401, (who, response.status_code)
    else:
        assert response.status_code == 303, (who, response.status_code)
        assert response.headers["location"] == _sign_in_for(path), who
    assert not any(secret in response.text for secret in SECRETS), who


def check_served(persona: Persona, method: str, path: str, response: httpx.Response) -> None:
    """The handler ran and did its job: a page (GET), or a redirect or a page after a
    POST, never a refusal, a 404 or the sign-in form."""
    who = f"{persona} {method} {path}"
    expected = {200} if method == "GET" else {200, 303}
    assert response.status_code in expected, (who, response.status_code, response.text[:500])
    assert not response.headers.get("location", "").startswith("/staff/sign-in"), who


@pytest.mark.parametrize(("method", "case"), STAFF_CASES)
def test_each_staff_route_serves_exactly_the_roles_allowed(
    app: FastAPI, herald: Herald, world: World, method: str, case: Case
) -> None:
    """Every persona in turn: those refused change nothing; then those allowed are
    served (every one for a GET; for a POST, which changes the world, the least
    privileged one: ``test_admins_may_post_what_their_roles_allow`` covers admins)."""
    path, form = world.path(case), world.form(case)
    allowed = [p for p in MEMBERS if p.may(case.action)]
    assert allowed
    refused = {
        persona: browser(app, herald, persona, world)
        for persona in (*NOT_STAFF, *MEMBERS)
        if persona not in allowed
    }
    before = state(herald)
    for persona, member in refused.items():
        response = _request(member, method, path, form)
        check_refused(persona, method, path, response)
        after = state(herald)
        assert after == before, f"{persona} {method} {path} changed something"
    for persona in allowed if method == "GET" else allowed[:1]:
        member = browser(app, herald, persona, world)
        before = state(herald)
        response = _request(member, method, path, form)
        check_served(persona, method, path, response)
        changed = state(herald) != before
        assert changed == (method != "GET" and case.changes), f"{persona} {method} {path}"


ADMIN_POSTS = [
    pytest.param(method, case, id=f"{method} {case.path}")
    for method, case in _STAFF
    if method != "GET" and next(p for p in MEMBERS if p.may(case.action)) is not Persona.ADMIN
]


@pytest.mark.parametrize(("method", "case"), ADMIN_POSTS)
def test_admins_may_post_what_their_roles_allow(
    app: FastAPI, herald: Herald, world: World, method: str, case: Case
) -> None:
    path = world.path(case)
    admin = browser(app, herald, Persona.ADMIN, world)
    before = state(herald)
    response = _request(admin, method, path, world.form(case))
    check_served(Persona.ADMIN, method, path, response)
    assert (state(herald) != before) == case.changes


# --- public routes ----------------------------------------------------------------------------


def _cases(kind: Kind) -> list[tuple[str, Case]]:
    return [
        (route.split(" ", 1)[0], case)
        for route, cases in ACCESS.items()
        for case in cases
        if case.kind is kind
    ]


def test_public_routes_serve_anyone_without_a_session(
    app: FastAPI, herald: Herald, world: World
) -> None:
    for method, case in _cases(Kind.PUBLIC):
        path = world.path(case)
        # its CSRF token is for the staff forms
        visitor = browser(app, herald, Persona.ANONYMOUS, world)
        if method == "GET":
            response = visitor.get(path)
        elif case.json is not None:
            response = visitor.client.request(method, path, json=dict(case.json))
        else:
            response = visitor.post(path, case.form)
        assert response.status_code < 400, (method, path, response.status_code)
        assert not response.headers.get("location", "").startswith("/staff/sign-in?next"), path
        assert not any(secret in response.text for secret in UNPUBLISHED), (method, path)


UNPUBLISHED = tuple(
    text for n in (1, 2, 3, 4) for text in (content(n).title, str(content(n).cves[0]))
)
"""The titles and CVEs of the world's draft, in-review, approved and scheduled bulletins."""


def test_public_routes_show_no_unpublished_bulletin(
    app: FastAPI, herald: Herald, world: World
) -> None:
    """The public paths that name a bulletin answer 404 for every one not yet public."""
    client = new_client(app)
    for method, case in _cases(Kind.PUBLIC):
        if method != "GET" or "{published}" not in case.path:
            continue
        for article_id in (world.draft, world.in_review, world.approved, world.scheduled):
            path = case.path.format(published=article_id)
            response = client.get(path)
            assert response.status_code == 404, (path, response.status_code)
            assert not any(secret in response.text for secret in UNPUBLISHED), path
    for n in (1, 2, 3, 4):
        for path in (f"/cve/{content(n).cves[0]}", f"/cve/{content(n).cves[0]}.json"):
            assert client.get(path).status_code == 404, path


# --- the webhook API: API tokens ----------------------------------------------------------------


def test_the_webhook_api_wants_a_live_token_and_keeps_to_its_webhooks(
    app: FastAPI, herald: Herald, world: World
) -> None:
    """No token, a malformed, unknown, revoked or expired one, one whose owner was
    deactivated, or a staff session: 401. A valid token without the scope webhooks:own:
    403 naming it. A valid token that did not make the webhook: 404 (each manages the
    webhooks it made). Nothing changes; then the token that made it is served."""
    _, other = herald.api_tokens.issue("other")
    _, revoked = herald.api_tokens.issue("old")
    herald.api_tokens.revoke("old")
    _, unscoped = herald.api_tokens.issue("reader", scopes=["read:public"])
    _, expired = herald.api_tokens.issue("brief", expires_at=herald.clock.now() + timedelta(days=1))
    with herald.database.engine.begin() as connection:  # its day is over
        connection.execute(
            Base.metadata.tables["api_tokens"]
            .update()
            .where(Base.metadata.tables["api_tokens"].c.name == "brief")
            .values(expires_at=herald.clock.now())
        )
    _, departed = herald.api_tokens.issue("departed", owner="dave")
    with herald.database.unit_of_work() as uow:
        dave = uow.users.find("dave")
        assert dave is not None
        uow.users.update(replace(dave, active=False))
        uow.commit()
    admin = browser(app, herald, Persona.ADMIN, world).client
    client = new_client(app)
    unauthenticated: dict[str, dict[str, str]] = {
        "no token": {},
        "not bearer": {"Authorization": f"Basic {world.api_token}"},
        "unknown": {"Authorization": "Bearer hrld_" + "A" * 43},
        "revoked": {"Authorization": f"Bearer {revoked}"},
        "expired": {"Authorization": f"Bearer {expired}"},
        "owner deactivated": {"Authorization": f"Bearer {departed}"},
    }
    for token in (other, unscoped):  # their first use is recorded (once a minute)
        client.get("/api/v1/webhooks", headers={"Authorization": f"Bearer {token}"})
    for method, case in _cases(Kind.TOKEN):
        path, body = world.path(case), dict(case.json) if case.json is not None else None
        before = state(herald)
        for why, headers in unauthenticated.items():
            response = client.request(method, path, json=body, headers=headers)
            assert response.status_code == 401, (why, method, path, response.status_code)
            assert response.headers["www-authenticate"].startswith("Bearer"), (why, path)
        signed_in_admin = admin.request(method, path, json=body)
        assert signed_in_admin.status_code == 401, (method, path)
        beyond_scope = client.request(
            method, path, json=body, headers={"Authorization": f"Bearer {unscoped}"}
        )
        assert beyond_scope.status_code == 403, (method, path, beyond_scope.status_code)
        assert "webhooks:own" in beyond_scope.json()["error"]["message"]
        assert 'error="insufficient_scope"' in beyond_scope.headers["www-authenticate"]
        assert state(herald) == before, f"{method} {path} changed something"
        if "{api_webhook}" in case.path:
            response = client.request(
                method, path, json=body, headers={"Authorization": f"Bearer {other}"}
            )
            assert response.status_code == 404, (method, path, response.status_code)
            assert state(herald) == before, f"another token's {method} {path} changed something"
    listed = client.get("/api/v1/webhooks", headers={"Authorization": f"Bearer {other}"})
    assert listed.status_code == 200 and listed.json() == {"webhooks": []}
    owner = {"Authorization": f"Bearer {world.api_token}"}
    for method, case in _cases(Kind.TOKEN):
        body = dict(case.json) if case.json is not None else None
        response = client.request(method, world.path(case), json=body, headers=owner)
        assert response.status_code in {200, 201, 204}, (method, case.path, response.text)


# --- subscribers: signed links ------------------------------------------------------------------


@dataclass(frozen=True)
class Subscriber:
    address: str
    id: int
    confirm: str
    """The token of the confirmation link in their email."""


def _subscribers(herald: Herald, *addresses: str) -> list[Subscriber]:
    for address in addresses:
        herald.subscriptions.subscribe(address, AlertFilter())
    run_worker(herald)
    tokens = {
        message["To"]: link(message, "confirm").split("token=", 1)[1]
        for message in inbox_of(herald).new_messages()
    }
    found = {s.target: s.id for s in herald.subscriptions.subscriptions(Channel.EMAIL)}
    return [Subscriber(a, found[a], tokens[a]) for a in addresses]


def _with_value(token: str, value: str) -> str:
    """``token`` with its signed value replaced (its MAC kept): a forged link."""
    forged = base64.urlsafe_b64encode(value.encode()).rstrip(b"=").decode()
    return f"{forged}.{token.split('.', 1)[1]}"


def test_a_subscribers_link_opens_their_subscription_and_no_other(
    app: FastAPI, herald: Herald
) -> None:
    ann, ben = _subscribers(herald, "ann@example.org", "ben@example.org")
    links = herald.subscriptions
    valid = {
        "confirm_token": ann.confirm,
        "preferences_token": links.preferences_token(ann.id),
        "unsubscribe_token": links.unsubscribe_token(ann.id),
    }
    forged = {
        # ann's link pointed at ben's subscription
        "another id": {
            "confirm_token": _with_value(ann.confirm, f"{ben.id}.{ann.confirm}"),
            "preferences_token": _with_value(valid["preferences_token"], str(ben.id)),
            "unsubscribe_token": _with_value(valid["unsubscribe_token"], str(ben.id)),
        },
        # a link for one purpose used for another
        "another purpose": {
            "confirm_token": valid["unsubscribe_token"],
            "preferences_token": valid["unsubscribe_token"],
            "unsubscribe_token": valid["preferences_token"],
        },
        "no token": dict.fromkeys(valid, ""),
    }
    client = new_client(app)
    for method, case in _cases(Kind.SIGNED_LINK):
        for why, tokens in forged.items():
            path = case.path.format(**tokens)
            before = state(herald)
            response = client.request(method, path)
            assert ben.address not in response.text and ann.address not in response.text, path
            assert state(herald) == before, f"{why}: {method} {path} changed something"
            if method == "POST" or "preferences" in path or why == "no token":
                assert response.status_code == 400, (why, method, path, response.status_code)
            else:  # a button that posts the token back; the POST checks it
                assert response.status_code == 200, (why, method, path)
    opened = client.get(f"/alerts/preferences?token={valid['preferences_token']}")
    assert ann.address in opened.text and ben.address not in opened.text
    for method, case in _cases(Kind.SIGNED_LINK):
        response = client.request(method, case.path.format(**valid))
        assert response.status_code == 200, (method, case.path, response.status_code)
    statuses = {s.target: s.status for s in herald.subscriptions.subscriptions(Channel.EMAIL)}
    assert statuses == {
        ann.address: SubscriptionStatus.UNSUBSCRIBED,
        ben.address: SubscriptionStatus.PENDING,
    }


# --- staff: object-level rules ------------------------------------------------------------------


def test_authors_share_drafts_as_the_roles_say(app: FastAPI, herald: Herald, world: World) -> None:
    """No rule gives a draft an owner: any author edits any unpublished bulletin
    (docs/authoring.md, Roles)."""
    herald.accounts.add_user("erin", "Erin Author", ["author"], PASSWORD)
    erin = signed_in(app, "erin")
    title = "Edited by another author"
    response = erin.post(f"/staff/bulletins/{world.draft}/edit", bulletin_form(title=title))
    assert response.status_code == 303
    assert herald.reading.bulletin(world.draft).title == title


def test_nobody_approves_a_bulletin_they_wrote_or_submitted(
    app: FastAPI, herald: Herald, world: World
) -> None:
    """Whatever their roles: an admin who drafted needs another reviewer."""
    root = signed_in(app, "root")
    created = root.post("/staff/bulletins/new", bulletin_form())
    article_id = created.headers["location"].rsplit("/", 1)[1]
    assert root.post(f"/staff/bulletins/{article_id}/submit").status_code == 303
    before = state(herald)
    refused = root.post(f"/staff/bulletins/{article_id}/approve")
    assert refused.status_code == 422
    assert "approved by a reviewer who is not its author" in refused.text
    assert state(herald) == before
    alice = signed_in(app, "alice")  # submitted someone else's draft: may not approve it either
    herald.accounts.add_user("ada", "Ada Author-Reviewer", ["author", "reviewer"], PASSWORD)
    ada = signed_in(app, "ada")
    assert ada.post(f"/staff/bulletins/{article_id}/request-changes").status_code == 303
    assert ada.post(f"/staff/bulletins/{article_id}/submit").status_code == 303
    before = state(herald)
    assert ada.post(f"/staff/bulletins/{article_id}/approve").status_code == 422
    assert state(herald) == before
    assert alice.post(f"/staff/bulletins/{article_id}/approve").status_code == 403
    assert signed_in(app, "bob").post(f"/staff/bulletins/{article_id}/approve").status_code == 303


def test_staff_webhook_pages_refuse_an_email_subscription(
    app: FastAPI, herald: Herald, world: World
) -> None:
    carol = signed_in(app, "carol")
    before = state(herald)
    for action in ("", "/rotate", "/delete"):
        path = f"/staff/alerts/webhooks/{world.member}{action}"
        response = carol.get(path) if not action else carol.post(path)
        assert response.status_code == 404, (path, response.status_code)
    assert carol.post(f"/staff/alerts/webhooks/{world.member}", _WEBHOOK_FORM).status_code == 404
    assert state(herald) == before


def test_a_delivery_is_resent_only_from_its_own_bulletin(
    app: FastAPI, herald: Herald, world: World, clock: MovableClock
) -> None:
    herald.authoring.publish(world.approved, actor=_actor(herald, "carol"))
    run_worker(herald)  # the webhooks on 127.0.0.1:9 refuse the connection
    clock.advance(timedelta(hours=herald.settings.alert_max_age_hours + 1))
    run_worker(herald)  # ... until they fail for good
    failed = [
        view.delivery
        for view in herald.alerts.deliveries(world.approved)
        if view.delivery.status is DeliveryStatus.FAILED
    ]
    assert failed
    delivery = failed[0]
    carol = signed_in(app, "carol")
    before = state(herald)
    elsewhere = f"/staff/alerts/bulletins/{world.published}/resend"
    response = carol.post(elsewhere, {"delivery": str(delivery.id)})
    assert response.status_code == 404
    assert state(herald) == before
    own = f"/staff/alerts/bulletins/{world.approved}/resend"
    assert carol.post(own, {"delivery": str(delivery.id)}).status_code == 303


def test_a_member_is_removed_only_through_their_own_group(
    app: FastAPI, herald: Herald, world: World
) -> None:
    """The group in the path must be the member's: removing a ``vendors`` member through
    ``partners`` is a 404 and changes nothing."""
    carol = signed_in(app, "carol")
    herald.subscriptions.save_group(SubscriberGroup(name="vendors", title="Vendors"))
    vendor = herald.subscriptions.add_email("v@example.org", AlertFilter(), "vendors")
    before = state(herald)
    wrong = carol.post(f"/staff/alerts/groups/partners/members/{vendor.id}/remove")
    assert wrong.status_code == 404, wrong.status_code
    assert state(herald) == before
    right = carol.post(f"/staff/alerts/groups/vendors/members/{vendor.id}/remove")
    assert right.status_code == 303


def test_an_unknown_api_token_cannot_be_revoked(app: FastAPI, herald: Herald, world: World) -> None:
    root = signed_in(app, "root")
    before = state(herald)
    assert root.post("/staff/alerts/tokens/nobody/revoke").status_code == 404
    assert state(herald) == before


def test_roles_taken_away_apply_to_a_session_already_open(
    app: FastAPI, herald: Herald, world: World
) -> None:
    root = signed_in(app, "root")
    assert root.get("/staff/users").status_code == 200
    with herald.database.unit_of_work() as uow:
        user = uow.users.find("root")
        assert user is not None
        uow.users.update(replace(user, roles=frozenset({Role.AUTHOR})))
        uow.commit()
    assert root.get("/staff/users").status_code == 403
    assert root.post("/staff/alerts/tokens", {"name": "late"}).status_code == 403
    assert [t.name for t in herald.api_tokens.tokens()] == ["siem"]
