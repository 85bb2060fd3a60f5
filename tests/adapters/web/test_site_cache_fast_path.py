"""``CachedPages``: a cached page answered before FastAPI, with the same bytes and headers.

A request carrying the session cookie (here an id the server does not know, which the
session middleware ignores on a public page) always goes through FastAPI, so it gives
the reference answer.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from herald.adapters.web import http_cache
from herald.adapters.web.middleware import SECURITY_HEADERS
from herald.adapters.web.site import routes as site
from herald.bootstrap import Herald

THROUGH_FASTAPI = {"Cookie": "herald_session=not-a-signed-session"}
PATHS = (
    "/",
    "/bulletins/CTX696397",
    "/bulletins/CTX696397.json",
    "/products/xenserver",
    "/sitemap.xml",
    "/robots.txt",
    "/cve/CVE-2026-4397",  # a redirect
    "/?severity=High",
)


def _comparable(response: object) -> tuple[int, list[tuple[str, str]], bytes]:
    status = response.status_code  # type: ignore[attr-defined]
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()  # type: ignore[attr-defined]
        if name.lower() != "date"
    ]
    return status, headers, response.content  # type: ignore[attr-defined]


def no_fastapi(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on a page that reaches the site routes fails the test."""

    async def refuse(*_: object) -> None:
        raise AssertionError("reached FastAPI")

    monkeypatch.setattr(site, "cached", refuse)


@pytest.mark.parametrize("path", PATHS)
def test_a_cached_page_is_answered_before_fastapi_with_the_same_bytes(
    client: TestClient, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = client.get(path, headers=THROUGH_FASTAPI)  # renders and caches
    assert reference.status_code in (200, 303)
    no_fastapi(monkeypatch)
    fast = client.get(path)
    assert _comparable(fast) == _comparable(reference)
    for name, value in SECURITY_HEADERS:
        assert fast.headers[name.decode()] == value.decode()
    head = client.head(path)
    assert head.status_code == reference.status_code and head.content == b""
    assert [(k, v) for k, v in head.headers.multi_items() if k != "date"] == _comparable(reference)[
        1
    ]


def test_a_current_tag_gets_the_same_304_as_through_fastapi(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = "/bulletins/CTX696397"
    tag = client.get(path).headers["etag"]
    for condition in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        reference = client.get(path, headers={**THROUGH_FASTAPI, "If-None-Match": condition})
        assert reference.status_code == 304
        with monkeypatch.context() as patch:
            no_fastapi(patch)
            fast = client.get(path, headers={"If-None-Match": condition})
        assert _comparable(fast) == _comparable(reference)
    with monkeypatch.context() as patch:
        no_fastapi(patch)
        stale = client.get(path, headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.headers["etag"] == tag


def test_a_change_is_never_answered_from_an_older_generation(
    client: TestClient, herald: Herald
) -> None:
    before = client.get("/bulletins/CTX696397")
    herald.authoring.withdraw("CTX696397", "Withdrawn: not affected")
    after = client.get("/bulletins/CTX696397")
    assert after.status_code == 200
    assert after.content != before.content and b"Withdrawn" in after.content
    assert after.headers["etag"] != before.headers["etag"]


def test_other_requests_go_on_to_fastapi(client: TestClient) -> None:
    client.get("/")
    assert client.post("/").status_code == 405  # not intercepted, whatever is cached
    assert client.get("/bulletins/CTX000000").status_code == 404  # errors are never cached
    assert client.get("/bulletins/CTX000000").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/api/v1/bulletins", "/api/v1/bulletins?limit=1", "/api/v1/bulletins/CTX696397"],
)
def test_api_answers_are_kept_and_sent_again_with_the_same_bytes(
    client: TestClient, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = client.get(path, headers=THROUGH_FASTAPI)
    assert reference.status_code == 200
    tag, changed = reference.headers["etag"], reference.headers["last-modified"]
    conditions: tuple[dict[str, str], ...] = (
        {"If-None-Match": tag},
        {"If-Modified-Since": changed},
        {},
    )
    references = [
        client.get(path, headers={**THROUGH_FASTAPI, **condition}) for condition in conditions
    ]
    with monkeypatch.context() as patch:
        patch.setattr(http_cache, "prepare", _refuse)
        for condition, expected in zip(conditions, references, strict=True):
            fast = client.get(path, headers=condition)
            assert _comparable(fast) == _comparable(expected)
    assert [r.status_code for r in references] == [304, 304, 200]


def test_api_answers_follow_the_generation(client: TestClient, herald: Herald) -> None:
    before = client.get("/api/v1/bulletins/CTX696397")
    herald.authoring.withdraw("CTX696397", "Withdrawn: not affected")
    after = client.get("/api/v1/bulletins/CTX696397")
    assert after.json()["status"] == "withdrawn" != before.json()["status"]
    assert after.headers["etag"] != before.headers["etag"]


def _refuse(*_: object, **__: object) -> None:
    raise AssertionError("rebuilt instead of sent from the cache")


def test_a_request_with_a_body_meets_the_body_limit_as_before(client: TestClient) -> None:
    client.get("/")
    too_large = client.request("GET", "/", content=b"x" * 1_000_001)
    assert too_large.status_code == 413
