"""The admin audit page shows the last chain hash, to be noted outside herald."""

from __future__ import annotations

import re

from fastapi import FastAPI

from herald.bootstrap import Herald
from herald.domain.audit_chain import ChainIntact
from tests.adapters.web.staff_support import signed_in

_SHOWN = re.compile(
    r'Last chain hash \(entry #(\d+)\): <code id="last-chain-hash">([0-9a-f]{64})</code>'
)


def shown_head(page: str) -> tuple[int, str]:
    found = _SHOWN.search(page)
    assert found is not None, "no last chain hash on the page"
    return int(found.group(1)), found.group(2)


def test_the_page_shows_the_hash_verify_ends_at(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    root = signed_in(app, "root")
    report = herald.audit.verify()
    assert isinstance(report, ChainIntact) and report.last is not None
    assert shown_head(root.get("/staff/audit").text) == (report.last.id, report.last_hash)
    # Filtered or paged, the page still shows the newest entry of the whole log.
    assert shown_head(root.get("/staff/audit?subject=user:nobody").text)[1] == report.last_hash

    herald.api_tokens.issue("siem")
    newer = herald.audit.verify(noted_hash=report.last_hash)
    assert isinstance(newer, ChainIntact)
    assert shown_head(root.get("/staff/audit").text)[1] == newer.last_hash != report.last_hash
