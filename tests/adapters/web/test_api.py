"""The JSON API on both backends: lists, filters, cursors, details, products, errors."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

import herald.demo as demo
from herald.bootstrap import Herald
from herald.domain import (
    BulletinContent,
    ChannelRef,
    Component,
    CveId,
    Fix,
    Lifecycle,
    Product,
    ProductId,
    ProductVersion,
    Release,
    UpdateChannel,
    VersionRef,
)
from herald.services.actors import Actor
from herald.services.source import SourceItems

from .conftest import MovableClock, later

XENSERVER = demo.XENSERVER
XENCENTER = ProductId("xencenter")


def content(n: int, **changes: Any) -> BulletinContent:
    """A publishable bulletin about XenServer 8.4 naming CVE-2026-5<n>."""
    base = BulletinContent(
        title=f"XenServer Security Update {n}",
        severity="High",
        cves=(CveId(f"CVE-2026-{50000 + n}"),),
        problem=f"Issue number {n} in the hypervisor.",
        affected=(VersionRef(XENSERVER, "8.4"),),
        fixes=(
            Fix(ChannelRef(XENSERVER, "8.4", "Early Access"), release="8.4.2026-03-19"),
            Fix(ChannelRef(XENSERVER, "8.4", "Normal"), release="8.4.2026-03-24"),
        ),
    )
    return replace(base, **changes)


def xencenter_content(n: int, **changes: Any) -> BulletinContent:
    return content(
        n,
        title=f"XenCenter Security Update {n}",
        affected=(VersionRef(XENCENTER, "2024"),),
        fixes=(Fix(ChannelRef(XENCENTER, "2024", "Stable"), release="2024.3.0"),),
        **changes,
    )


def add_xencenter(herald: Herald) -> None:
    product = Product(
        id=XENCENTER,
        name="XenCenter",
        versions=(
            ProductVersion(
                name="2024",
                lifecycle=Lifecycle.SUPPORTED,
                channels=(
                    UpdateChannel(
                        "Stable",
                        (
                            Release("2024.2.0", date(2026, 1, 10)),
                            Release(
                                "2024.3.0", date(2026, 3, 1), (Component("xencenter-ui", "3.0"),)
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    herald.source.import_items(SourceItems(None, (product,), ()))


def publish(herald: Herald, bulletin: BulletinContent) -> str:
    article_id = herald.authoring.create_draft(bulletin).article_id
    herald.authoring.publish(article_id)
    return article_id


def ids(response: Any) -> list[str]:
    return [item["article_id"] for item in response.json()["data"]]


def error_field(response: Any) -> str | None:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    field: str | None = body["error"].get("field")
    return field


# --- the list and its cursor ---------------------------------------------------------


def test_walking_every_page_shows_each_bulletin_once_in_order(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    created = []
    for n in range(30):
        if n % 3 == 0:  # three bulletins share each publication instant: ties by article id
            clock.advance(timedelta(hours=1))
        created.append(publish(herald, content(n)))
    expected = [*reversed(created), str(demo.REFERENCE_ID)]

    seen: list[str] = []
    url: str | None = "/api/v1/bulletins?limit=7"
    pages = 0
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == 31
        assert len(body["data"]) <= 7
        seen.extend(ids(response))
        pages += 1
        link = response.headers.get("link")
        if body["next_cursor"] is None:
            assert link is None
            url = None
        else:
            assert link is not None and link.endswith('>; rel="next"')
            assert link.startswith("<https://bulletins.example.com/api/v1/bulletins?")
            assert "limit=7" in link
            url = f"/api/v1/bulletins?limit=7&cursor={body['next_cursor']}"
    assert seen == expected
    assert pages == 5


def test_the_link_header_leads_to_the_next_page_with_the_same_filters(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    for n in range(5):
        clock.advance(timedelta(minutes=1))
        publish(herald, content(n, severity="Low"))
    first = client.get("/api/v1/bulletins", params={"severity": "low", "limit": 2})
    target = first.headers["link"].removeprefix("<https://bulletins.example.com").split(">")[0]
    second = client.get(target)
    assert second.status_code == 200
    assert len(ids(second)) == 2 and not set(ids(first)) & set(ids(second))
    assert {item["severity"] for item in second.json()["data"]} == {"Low"}


def test_a_summary_carries_what_a_list_needs(client: TestClient) -> None:
    (item,) = client.get("/api/v1/bulletins").json()["data"]
    assert item == {
        "article_id": "CTX696397",
        "title": "XenServer Security Update for CVE-2026-4397",
        "severity": "Medium",
        "cves": ["CVE-2026-4397"],
        "cvss": [],
        "weaknesses": [],
        "status": "published",
        "revision": 1,
        "published_at": "2026-03-24T16:00:00Z",
        "updated_at": "2026-03-24T16:00:00Z",
        "updated_on": "2026-03-24",
        "affected": [{"product": "xenserver", "version": "8.4"}],
        "urls": {
            "html": "https://bulletins.example.com/bulletins/CTX696397",
            "api": "https://bulletins.example.com/api/v1/bulletins/CTX696397",
        },
        "kind": "advisory",
    }


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwiQ1RYMDAwMDAxIl0",
        "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwiQ1RYMDAwMDAxIl0.AAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "",
    ],
)
def test_a_cursor_not_issued_by_the_api_is_refused(client: TestClient, cursor: str) -> None:
    response = client.get("/api/v1/bulletins", params={"cursor": cursor})
    assert response.status_code == 422
    assert error_field(response) == "cursor"


def test_a_tampered_cursor_is_refused(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    for n in range(3):
        clock.advance(timedelta(minutes=1))
        publish(herald, content(n))
    cursor = client.get("/api/v1/bulletins?limit=1").json()["next_cursor"]
    payload, _, signature = cursor.rpartition(".")
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    for forged in (f"{flipped}.{signature}", f"{payload}.{signature[:-1]}x", cursor[::-1]):
        response = client.get("/api/v1/bulletins", params={"cursor": forged})
        assert response.status_code == 422
        assert error_field(response) == "cursor"
    assert client.get("/api/v1/bulletins", params={"cursor": cursor}).status_code == 200


@pytest.mark.parametrize(
    ("limit", "status"),
    [("0", 422), ("101", 422), ("-1", 422), ("ten", 422), ("1", 200), ("100", 200)],
)
def test_limit_is_between_1_and_100(client: TestClient, limit: str, status: int) -> None:
    response = client.get("/api/v1/bulletins", params={"limit": limit})
    assert response.status_code == status
    if status == 422:
        assert error_field(response) == "limit"


def test_the_default_page_has_twenty(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    for n in range(21):
        clock.advance(timedelta(minutes=1))
        publish(herald, content(n))
    body = client.get("/api/v1/bulletins").json()
    assert len(body["data"]) == 20 and body["total"] == 22 and body["next_cursor"]


# --- filters -------------------------------------------------------------------------


@pytest.fixture
def varied(herald: Herald, clock: MovableClock) -> dict[str, str]:
    """Four public bulletins besides the demo, and a draft that never shows."""
    add_xencenter(herald)
    made = {
        "critical": publish(herald, content(1, severity="Critical", problem="Heap overflow.")),
        "xencenter": publish(herald, xencenter_content(2, severity="Low")),
    }
    clock.advance(timedelta(days=400))
    made["next_year"] = publish(herald, content(3, title="Guest escape via grant tables"))
    made["withdrawn"] = publish(herald, content(4, severity="Low"))
    herald.authoring.withdraw(made["withdrawn"], "Withdrawn: the issue was not reproducible")
    made["draft"] = herald.authoring.create_draft(content(5, severity="Critical")).article_id
    return made


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"product": "xencenter"}, ["xencenter"]),
        (
            {"product": "xenserver", "version": "8.4"},
            ["withdrawn", "next_year", "critical", "demo"],
        ),
        ({"product": "xencenter", "version": "2024"}, ["xencenter"]),
        ({"severity": "critical"}, ["critical"]),
        ({"severity": "Low"}, ["withdrawn", "xencenter"]),
        ({"year": "2027"}, ["withdrawn", "next_year"]),
        ({"year": "2026", "severity": "Medium"}, ["demo"]),
        ({"cve": "CVE-2026-50002"}, ["xencenter"]),
        ({"cve": "cve-2026-4397"}, ["demo"]),
        ({"q": "grant TABLES"}, ["next_year"]),
        ({"q": "heap overflow"}, ["critical"]),
        ({"q": "CTX696397"}, ["demo"]),
        ({"q": "  "}, ["withdrawn", "next_year", "xencenter", "critical", "demo"]),
        ({"q": "nothing like this"}, []),
    ],
)
def test_filters(
    client: TestClient, varied: dict[str, str], params: dict[str, str], expected: list[str]
) -> None:
    names = {**{v: k for k, v in varied.items()}, "CTX696397": "demo"}
    response = client.get("/api/v1/bulletins", params=params)
    assert response.status_code == 200, response.text
    assert [names[i] for i in ids(response)] == expected
    assert response.json()["total"] == len(expected)


def test_a_withdrawn_bulletin_stays_listed_as_withdrawn(
    client: TestClient, varied: dict[str, str]
) -> None:
    data = client.get("/api/v1/bulletins").json()["data"]
    status = {item["article_id"]: item["status"] for item in data}
    assert status[varied["withdrawn"]] == "withdrawn"
    assert varied["draft"] not in status


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"product": "nope"}, "product"),
        ({"product": "Not A Slug!"}, "product"),
        ({"version": "8.4"}, "version"),
        ({"product": "xenserver", "version": "7.1"}, "version"),
        ({"severity": "Apocalyptic"}, "severity"),
        ({"cve": "CVE-26-1"}, "cve"),
        ({"year": "1900"}, "year"),
        ({"year": "twenty"}, "year"),
        ({"q": "x" * 201}, "q"),
        ({"q": "nul\x00byte"}, "q"),
        ({"product": "xenserver\x00"}, "product"),
    ],
)
def test_a_bad_parameter_is_a_422_naming_it(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/bulletins", params=params)
    assert response.status_code == 422, response.text
    assert error_field(response) == field


# --- one bulletin ----------------------------------------------------------------------


def test_a_bulletin_in_full(client: TestClient) -> None:
    response = client.get("/api/v1/bulletins/CTX696397")
    assert response.status_code == 200
    body = response.json()
    assert body["article_id"] == "CTX696397"
    assert body["revisions"] == [
        {"revision": 1, "date": "2026-03-24", "summary": "Initial Publication"}
    ]
    assert body["affected_statement"] == "This issue affects XenServer 8.4."
    assert [fix["channel"] for fix in body["fixes"]] == ["Early Access", "Normal"]
    assert [s["kind"] for s in body["sections"]] == [
        "customer_action",
        "vendor_action",
        "support",
        "alerts",
        "reporting",
    ]
    assert body["publisher"] == {"name": "Cloud Software Group, Inc.", "brand": "Citrix"}
    assert body["withdrawn_at"] is None
    assert "changelog" not in body and "format" not in body


def test_a_bulletin_s_status_per_version_and_channel(client: TestClient) -> None:
    body = client.get("/api/v1/bulletins/CTX696397").json()
    assert body["kind"] == "advisory"
    assert body["not_affected"] == body["under_investigation"] == []
    assert body["product_status"] == [
        {
            "product": "xenserver",
            "version": "8.4",
            "channel": "Early Access",
            "status": "fixed",
            "first_fixed": "8.4.2026-03-19",
            "recommended": "8.4.2026-03-19",
            "restart": None,
            "remedies": ["vendor_fix"],
            "justification": None,
        },
        {
            "product": "xenserver",
            "version": "8.4",
            "channel": "Normal",
            "status": "fixed",
            "first_fixed": "8.4.2026-03-24",
            "recommended": "8.4.2026-03-24",
            "restart": None,
            "remedies": ["vendor_fix"],
            "justification": None,
        },
    ]
    assert body["not_covered"] == [
        {"product": "xenserver", "version": "9", "label": "Public Preview"}
    ]
    assert body["fixes"][1] == {
        "product": "XenServer",
        "version": "8.4",
        "channel": "Normal",
        "release": "8.4.2026-03-24",
        "mitigation": None,
        "workaround": None,
        "no_fix": None,
        "no_fix_reason": None,
        "url": None,
        "restart": None,
    }


def test_a_vex_statement_in_the_api(herald: Herald, client: TestClient) -> None:
    herald.source.import_items(
        SourceItems(demo.publisher(), demo.catalog().products, (demo.vex_bulletin(),))
    )
    body = client.get("/api/v1/bulletins/CTX696398").json()
    assert body["kind"] == "vex"
    assert body["severity"] is None
    assert body["not_affected"] == [
        {
            "product": "xenserver",
            "version": "8.4",
            "justification": "component_not_present",
            "impact": demo.vex_bulletin().not_affected[0].impact,
        }
    ]
    assert [(s["channel"], s["status"], s["justification"]) for s in body["product_status"]] == [
        ("Early Access", "known_not_affected", "component_not_present"),
        ("Normal", "known_not_affected", "component_not_present"),
    ]
    listed = client.get("/api/v1/bulletins").json()["data"]
    assert {item["article_id"]: item["kind"] for item in listed} == {
        "CTX696397": "advisory",
        "CTX696398": "vex",
    }


def test_an_amendment_adds_a_revision(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    clock.advance(timedelta(days=3))
    changed = replace(demo.reference_content(), severity="High")
    herald.authoring.amend("CTX696397", changed, "Raised the severity to High")
    body = client.get("/api/v1/bulletins/CTX696397").json()
    assert body["revision"] == 2
    assert body["severity"] == "High"
    assert body["revisions"] == [
        {"revision": 1, "date": "2026-03-24", "summary": "Initial Publication"},
        {"revision": 2, "date": "2026-11-05", "summary": "Raised the severity to High"},
    ]
    assert body["updated_at"] == "2026-11-05T10:00:00Z"
    assert body["published_at"] == "2026-03-24T16:00:00Z"


def test_a_withdrawn_bulletin_says_when(herald: Herald, client: TestClient) -> None:
    herald.authoring.withdraw("CTX696397", "Withdrawn: superseded by CTX700000")
    body = client.get("/api/v1/bulletins/CTX696397").json()
    assert body["status"] == "withdrawn"
    assert body["withdrawn_at"] == "2026-11-02T10:00:00Z"
    assert body["revisions"][-1]["summary"] == "Withdrawn: superseded by CTX700000"


def test_drafts_embargoes_and_unknown_ids_get_the_same_404(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    def answer(article_id: str) -> tuple[int, str, str]:
        response = client.get(f"/api/v1/bulletins/{article_id}")
        return response.status_code, response.headers["content-type"], response.text

    before = [answer("CTX696398"), answer("CTX696399")]
    assert before[0][0] == 404
    assert before[0][2] == '{"error":{"status":404,"message":"no bulletin \'CTX696398\'"}}'
    draft = herald.authoring.create_draft(content(1), article_id="CTX696398").article_id
    embargoed = herald.authoring.create_draft(content(2), article_id="CTX696399").article_id
    herald.authoring.submit(embargoed)
    herald.accounts.add_user("bob", "Bob Reviewer", ["reviewer"], "correct horse battery staple")
    reviewer = herald.accounts.user("bob")
    assert reviewer is not None
    herald.authoring.approve(embargoed, Actor.staff(reviewer))
    herald.authoring.schedule(embargoed, later(clock, hours=2))
    assert [answer(draft), answer(embargoed)] == before
    assert ids(client.get("/api/v1/bulletins")) == ["CTX696397"]

    clock.advance(timedelta(hours=2, seconds=1))
    assert client.get(f"/api/v1/bulletins/{embargoed}").status_code == 200
    assert ids(client.get("/api/v1/bulletins")) == [embargoed, "CTX696397"]


@pytest.mark.parametrize("article_id", ["ctx%00", "%E2%80%AE", "a" * 65, "..%2F..%2Fetc"])
def test_odd_ids_are_plain_404s(client: TestClient, article_id: str) -> None:
    response = client.get(f"/api/v1/bulletins/{article_id}")
    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/json"


def test_unknown_api_routes_answer_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "message": "Not Found"}}


# --- products ----------------------------------------------------------------------------


def test_products(herald: Herald, client: TestClient) -> None:
    add_xencenter(herald)
    body = client.get("/api/v1/products").json()
    assert [p["id"] for p in body["data"]] == ["xenserver", "xencenter"]
    xenserver = body["data"][0]
    assert [
        {k: v for k, v in version.items() if k != "identity"} for version in xenserver["versions"]
    ] == [
        {"name": "8.4", "lifecycle": "supported", "state": "Supported", "covered": True},
        {"name": "9", "lifecycle": "preview", "state": "Public Preview", "covered": False},
    ]
    assert xenserver["versions"][0]["identity"] == {
        "cpe": "cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*",
        "purls": [],
        "hashes": [],
        "model_numbers": [],
        "skus": [],
        "serial_numbers": [],
        "sbom_urls": [],
    }
    assert xenserver["urls"]["api"] == "https://bulletins.example.com/api/v1/products/xenserver"


def test_a_product_with_its_versions_and_channels(client: TestClient) -> None:
    body = client.get("/api/v1/products/xenserver").json()
    assert body["name"] == "XenServer"
    v84 = body["versions"][0]
    assert v84["url"] == "https://bulletins.example.com/api/v1/products/xenserver/versions/8.4"
    assert [c["name"] for c in v84["channels"]] == ["Early Access", "Normal"]
    assert v84["channels"][1]["latest_release"] == {
        "name": "8.4.2026-03-24",
        "released_on": "2026-03-24",
    }
    assert v84["channels"][1]["releases_url"].endswith("/versions/8.4/channels/Normal/releases")
    assert body["versions"][1]["channels"] == []
    assert [(c["id"], c["kind"]) for c in body["components"]] == [
        ("xen-hypervisor", "kernel"),
        ("xapi", "application"),
    ]
    assert body["components"][0]["identity"]["purls"] == ["pkg:rpm/xenserver/xen-hypervisor"]


def test_a_version_with_releases_and_components(client: TestClient) -> None:
    body = client.get("/api/v1/products/xenserver/versions/8.4").json()
    assert body["product"] == "xenserver" and body["covered"] is True
    early = body["channels"][0]
    assert early["name"] == "Early Access"
    assert early["releases"] == [
        {
            "name": "8.4.2026-03-19",
            "released_on": "2026-03-19",
            "components": [{"name": "xen-hypervisor", "version": "4.17.5-20"}],
            "identity": {
                "cpe": None,
                "purls": [],
                "hashes": [],
                "model_numbers": [],
                "skus": [],
                "serial_numbers": [],
                "sbom_urls": [],
            },
        }
    ]


def test_the_releases_of_a_channel(herald: Herald, client: TestClient) -> None:
    add_xencenter(herald)
    response = client.get("/api/v1/products/xencenter/versions/2024/channels/Stable/releases")
    assert [r["name"] for r in response.json()["data"]] == ["2024.2.0", "2024.3.0"]
    spaced = client.get("/api/v1/products/xenserver/versions/8.4/channels/Early%20Access/releases")
    assert [r["name"] for r in spaced.json()["data"]] == ["8.4.2026-03-19"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/products/nope",
        "/api/v1/products/xenserver/versions/7",
        "/api/v1/products/xenserver/versions/8.4/channels/Beta/releases",
        "/api/v1/products/nope/versions/8.4/channels/Normal/releases",
    ],
)
def test_unknown_catalog_entries_are_json_404s(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert error_field(response) is None


# --- the OpenAPI document ----------------------------------------------------------------


def test_the_openapi_document_describes_every_operation(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    api_paths = {p for p in spec["paths"] if p.startswith("/api/v1/")}
    assert api_paths == {
        "/api/v1/bulletins",
        "/api/v1/bulletins/{article_id}",
        "/api/v1/products",
        "/api/v1/products/{product_id}",
        "/api/v1/products/{product_id}/versions/{version}",
        "/api/v1/products/{product_id}/versions/{version}/channels/{channel}/releases",
        "/api/v1/subscriptions",  # alerts (test_alerts_api)
        "/api/v1/webhooks",
        "/api/v1/webhooks/{webhook_id}",
        "/api/v1/webhooks/{webhook_id}/secret",
    }
    listing = spec["paths"]["/api/v1/bulletins"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "product",
        "version",
        "severity",
        "year",
        "cve",
        "q",
        "limit",
        "cursor",
    }
    assert all(p.get("description") for p in listing["parameters"])
    assert {"200", "304", "422"} <= set(listing["responses"])
    detail = spec["paths"]["/api/v1/bulletins/{article_id}"]["get"]["responses"]
    assert detail["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert "Link" in listing["responses"]["200"]["headers"]
    assert not any(p.startswith("/feeds") for p in spec["paths"])
