"""The bulletin page's "Status by version and update channel": CTX696397 fixed on both
channels of XenServer 8.4 with XenServer 9 not covered; a VEX statement's page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from herald import demo
from herald.bootstrap import Herald
from herald.services.source import SourceItems


def _status_rows(page: str) -> list[list[str]]:
    table = page.split('<table class="product-status"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells])
    return rows


def test_ctx696397_page_shows_the_status_of_each_channel(client: TestClient) -> None:
    page = client.get("/bulletins/CTX696397").text
    assert '<h3 id="status">Status by version and update channel</h3>' in page
    rows = _status_rows(page)
    assert [row[:5] for row in rows] == [
        ["XenServer 8.4", "Early Access", "Fixed", "8.4.2026-03-19", "8.4.2026-03-19"],
        ["XenServer 8.4", "Normal", "Fixed", "8.4.2026-03-24", "8.4.2026-03-24"],
    ]
    assert '<p class="not-covered">Not covered: XenServer 9 (Public Preview).</p>' in page
    assert "XenServer 9" not in " ".join(" ".join(row) for row in rows)


def test_the_text_rendering_of_ctx696397_has_no_status_table(client: TestClient) -> None:
    text = client.get("/bulletins/CTX696397.txt").text
    assert "Status by version" not in text and "Not covered:" not in text


def test_a_vex_statement_page(herald: Herald, client: TestClient) -> None:
    herald.source.import_items(
        SourceItems(demo.publisher(), demo.catalog().products, (demo.vex_bulletin(),))
    )
    page = client.get("/bulletins/CTX696398").text
    assert "<dt>Kind:</dt><dd>VEX statement</dd>" in page
    assert "This issue does not affect XenServer 8.4." in page
    rows = _status_rows(page)
    assert [(row[1], row[2]) for row in rows] == [
        ("Early Access", "Not affected"),
        ("Normal", "Not affected"),
    ]
    assert rows[0][6].startswith("Component not present: XenServer 8.4 does not ship libarchive")
    assert '<a href="/products/xenserver">' in page
    assert "Not covered: XenServer 9 (Public Preview)." in page
