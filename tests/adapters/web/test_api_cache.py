"""Validators and 304s on the API: ETag, Last-Modified, Cache-Control."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

import herald.demo as demo
from herald.bootstrap import Herald

from .conftest import MovableClock
from .test_api import content

URLS = [
    "/api/v1/bulletins",
    "/api/v1/bulletins?severity=medium&limit=5",
    "/api/v1/bulletins/CTX696397",
    "/api/v1/products",
    "/api/v1/products/xenserver",
    "/api/v1/products/xenserver/versions/8.4",
    "/api/v1/products/xenserver/versions/8.4/channels/Normal/releases",
]


@pytest.mark.parametrize("url", URLS)
def test_every_read_has_validators_and_answers_304(client: TestClient, url: str) -> None:
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and etag.endswith('"')
    assert first.headers["cache-control"] == "public, max-age=60"

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == "public, max-age=60"

    for header in (f'"other", {etag}', etag.removeprefix("W/"), "*"):
        assert client.get(url, headers={"If-None-Match": header}).status_code == 304
    assert client.get(url, headers={"If-None-Match": 'W/"other"'}).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/bulletins", "/api/v1/bulletins/CTX696397"])
def test_bulletin_reads_carry_last_modified(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.headers["last-modified"] == "Tue, 24 Mar 2026 16:00:00 GMT"
    current = {"If-Modified-Since": "Tue, 24 Mar 2026 16:00:00 GMT"}
    assert client.get(url, headers=current).status_code == 304
    later = {"If-Modified-Since": "Wed, 25 Mar 2026 00:00:00 GMT"}
    assert client.get(url, headers=later).status_code == 304
    earlier = {"If-Modified-Since": "Tue, 24 Mar 2026 15:59:59 GMT"}
    assert client.get(url, headers=earlier).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": "yesterday"}).status_code == 200
    # If-None-Match decides alone when present.
    both = {**current, "If-None-Match": 'W/"stale"'}
    assert client.get(url, headers=both).status_code == 200


def test_an_amendment_changes_the_etag_and_last_modified(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    urls = ["/api/v1/bulletins", "/api/v1/bulletins/CTX696397"]
    before = {url: client.get(url) for url in urls}
    clock.advance(timedelta(days=1))
    herald.authoring.amend(
        "CTX696397", replace(demo.reference_content(), severity="High"), "Severity raised"
    )
    for url in urls:
        stale = before[url].headers["etag"]
        after = client.get(url, headers={"If-None-Match": stale})
        assert after.status_code == 200
        assert after.headers["etag"] != stale
        assert after.headers["last-modified"] == "Tue, 03 Nov 2026 10:00:00 GMT"
        old_date = {"If-Modified-Since": before[url].headers["last-modified"]}
        assert client.get(url, headers=old_date).status_code == 200


def test_unpublished_work_moves_no_public_etag(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    """A draft bumps the site generation; the public tags must not show it."""
    tags = {url: client.get(url).headers["etag"] for url in URLS}
    clock.advance(timedelta(hours=1))
    herald.authoring.create_draft(content(1, severity="Medium"))
    for url, tag in tags.items():
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 304, url


def test_preconditions_never_hide_an_error(client: TestClient) -> None:
    anything = {"If-None-Match": "*", "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}
    assert client.get("/api/v1/bulletins/CTX000001", headers=anything).status_code == 404
    assert client.get("/api/v1/products/nope", headers=anything).status_code == 404
    assert client.get("/api/v1/bulletins?limit=0", headers=anything).status_code == 422
    assert client.get("/api/v1/bulletins?cursor=x", headers=anything).status_code == 422
