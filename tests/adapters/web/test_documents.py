"""The CSAF, OSV and CVE JSON 5 documents on the site: valid, cached, embargo-safe."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from herald.adapters.site_export.export import export_site
from herald.adapters.web import create_app
from herald.bootstrap import Herald
from herald.domain import CveId
from herald.services.actors import Actor
from tests.adapters.formats.test_csaf_schemas import csaf_errors, cve_errors, osv_errors
from tests.domain.builders import content

from .conftest import MovableClock

CSAF = "/bulletins/CTX696397.csaf.json"
OSV = "/bulletins/CTX696397.osv.json"
CVE = "/cve/CVE-2026-4397.json"
SECRET_ID = "CTX700001"
SECRET_CVE = "CVE-2026-77001"


def test_the_csaf_document(client: TestClient) -> None:
    response = client.get(CSAF)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    assert csaf_errors(document) == []
    assert document["document"]["tracking"]["id"] == "CTX696397"
    self_urls = [r["url"] for r in document["document"]["references"] if r["category"] == "self"]
    assert "https://bulletins.example.com/.well-known/csaf/2026/ctx696397.json" in self_urls
    distributed = client.get("/.well-known/csaf/2026/ctx696397.json")
    assert distributed.content == response.content  # one advisory, the same bytes


def test_the_osv_record_and_the_cve_container(client: TestClient) -> None:
    osv = client.get(OSV)
    assert osv.status_code == 200
    assert osv_errors(osv.json()) == []
    assert osv.json()["id"] == "x_CTX696397"
    cve = client.get(CVE)
    assert cve.status_code == 200
    assert cve_errors(cve.json()) == []


@pytest.mark.parametrize("path", [CSAF, OSV, CVE])
def test_validators_and_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    assert first.headers["last-modified"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.head(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/bulletins/CTX999999.csaf.json",
        "/bulletins/CTX999999.osv.json",
        "/cve/CVE-2026-0001.json",
        "/cve/not-a-cve.json",
        "/bulletins/bad%20id.csaf.json",
    ],
)
def test_unknown_documents_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_bulletin_page_links_its_documents(client: TestClient) -> None:
    page = client.get("/bulletins/CTX696397").text
    for path in (CSAF, OSV, CVE):
        assert f'href="{path}"' in page
    assert client.get("/bulletins/CTX696397.json").status_code == 200


def test_drafts_and_embargoed_bulletins_are_404_until_their_instant(
    herald: Herald, client: TestClient, clock: MovableClock, staff: dict[str, str]
) -> None:
    paths = [
        f"/bulletins/{SECRET_ID}.csaf.json",
        f"/bulletins/{SECRET_ID}.osv.json",
        f"/cve/{SECRET_CVE}.json",
    ]
    secret = content(title="Embargoed", cves=(CveId(SECRET_CVE),))
    herald.authoring.create_draft(secret, SECRET_ID)
    assert [client.get(path).status_code for path in paths] == [404, 404, 404]
    herald.authoring.submit(SECRET_ID)
    reviewer = herald.accounts.user(staff["reviewer"])
    assert reviewer is not None
    herald.authoring.approve(SECRET_ID, actor=Actor.staff(reviewer))
    herald.authoring.schedule(SECRET_ID, clock.now() + timedelta(hours=1))
    assert [client.get(path).status_code for path in paths] == [404, 404, 404]
    clock.advance(timedelta(hours=1, seconds=1))
    responses = [client.get(path) for path in paths]
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert csaf_errors(responses[0].json()) == []


def test_amendments_and_withdrawal_show_in_the_csaf_document(
    herald: Herald, client: TestClient
) -> None:
    current = herald.reading.bulletin("CTX696397").content()
    herald.authoring.amend("CTX696397", replace(current, title="New"), "Retitled", date(2026, 4, 1))
    tracking = client.get(CSAF).json()["document"]["tracking"]
    assert tracking["version"] == "2"
    assert tracking["revision_history"][-1]["summary"] == "Retitled"
    herald.authoring.withdraw("CTX696397", "Issued in error.", date(2026, 4, 2))
    document = client.get(CSAF).json()
    assert csaf_errors(document) == []
    assert document["document"]["tracking"]["version"] == "3"
    assert document["document"]["title"].startswith("Withdrawn: ")
    assert "withdrawn" in client.get(OSV).json()


def test_the_static_export_writes_the_documents(herald: Herald, tmp_path: Path) -> None:
    app = create_app(herald, run_scheduler=False)
    report = export_site(app, tmp_path / "site", herald.settings.base_url)
    assert report.missing == ()
    for path in (CSAF, OSV, CVE):
        assert path.lstrip("/") in report.files
    written = (tmp_path / "site" / CSAF.lstrip("/")).read_text(encoding="utf-8")
    assert csaf_errors(json.loads(written)) == []
