"""Whatever the list's parameters hold, the site answers below 500."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

NAMES = ("q", "product", "version", "severity", "year", "page", "other")
VALUES = st.one_of(
    st.text(max_size=250),
    st.sampled_from(
        [
            *("", "0", "-1", "1", "2", "9" * 30, "1e3", "xenserver", "8.4", "High", "2026"),
            *("%", "_", "'; DROP TABLE bulletins; --", "\\", "\u0000", "\ufeff", "\ud7ff"),
            "CVE-2026-4397",
        ]
    ),
)
PARAMS = st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=6)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(params=PARAMS)
@example(params=[("page", "0")])
@example(params=[("year", "99999")])
@example(params=[("q", "%")])
@example(params=[("q", "x" * 201)])
@example(params=[("version", "8.4"), ("product", "xenserver"), ("product", "nope")])
def test_the_list_never_fails_whatever_its_parameters(
    client: TestClient, params: list[tuple[str, str]]
) -> None:
    query = urlencode(params)
    for path in (f"/?{query}", f"/page/2/?{query}"):
        response = client.get(path)
        assert response.status_code < 500, (path, response.text[-400:])
        assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    "path",
    [
        "/page/0/",
        "/page/abc/",
        "/page/99999999999/",
        "/cve/%00",
        "/cve/CVE-9999-99999999999999999999",
        "/bulletins/" + "A" * 300,
        "/products/" + "x" * 300,
        "/products/%E2%80%AE",
        "/bulletins/CTX696397.JSON",
    ],
)
def test_odd_paths_are_4xx(client: TestClient, path: str) -> None:
    assert 400 <= client.get(path).status_code < 500
