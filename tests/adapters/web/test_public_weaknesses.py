"""Weaknesses on the public side: the bulletin page and the JSON API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from herald.bootstrap import Herald
from herald.domain import CveId, CweId

from .test_api import content, publish

CVE = CveId("CVE-2026-50001")


def test_the_bulletin_page_names_the_weakness_under_its_cve(
    herald: Herald, client: TestClient
) -> None:
    article = publish(herald, content(1, weaknesses={CVE: (CweId("CWE-787"),)}))
    page = client.get(f"/bulletins/{article}").text
    assert (
        '<li>CVE-2026-50001\n<ul class="weaknesses">\n'
        '<li>Weakness: <a href="https://cwe.mitre.org/data/definitions/787.html" '
        'rel="noopener noreferrer">CWE-787 Out-of-bounds Write</a></li>\n</ul>\n</li>'
    ) in page
    assert "Weakness" not in client.get("/bulletins/CTX696397").text


def test_the_api_lists_each_weakness_with_its_cve(herald: Herald, client: TestClient) -> None:
    article = publish(herald, content(2, weaknesses={CveId("CVE-2026-50002"): (CweId("CWE-20"),)}))
    expected = [
        {
            "cve": "CVE-2026-50002",
            "id": "CWE-20",
            "name": "Improper Input Validation",
            "url": "https://cwe.mitre.org/data/definitions/20.html",
        }
    ]
    listed = {item["article_id"]: item for item in client.get("/api/v1/bulletins").json()["data"]}
    assert listed[article]["weaknesses"] == expected
    assert listed["CTX696397"]["weaknesses"] == []
    detail = client.get(f"/api/v1/bulletins/{article}").json()
    assert detail["weaknesses"] == expected
