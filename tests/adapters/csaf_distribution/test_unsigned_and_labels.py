"""Without a key herald is a CSAF provider (hashes, no signatures); documents whose TLP
label is not for everyone are never distributed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from herald import demo
from herald.adapters.csaf_distribution import DistributionUrls, assemble, distributed_document
from herald.adapters.web import create_app
from herald.bootstrap import Herald
from tests.adapters.csaf_distribution.conftest import (
    BASE_URL,
    WELL_KNOWN,
    MovableClock,
    make_herald,
)
from tests.adapters.csaf_distribution.test_provider import provider_schema_errors
from tests.demo_services import demo_items, with_demo_data


@pytest.fixture
def unsigned(database_url: str, short_dir: Path, clock: MovableClock) -> Iterator[Herald]:
    services = make_herald(database_url, short_dir / "var", short_dir / "empty-home", clock)
    with with_demo_data(services) as loaded:
        yield loaded


def test_without_a_key_documents_are_hashed_but_not_signed(unsigned: Herald) -> None:
    with TestClient(create_app(unsigned, run_scheduler=False)) as client:
        metadata = client.get(f"{WELL_KNOWN}provider-metadata.json").json()
        assert provider_schema_errors(metadata) == []
        assert metadata["role"] == "csaf_provider"
        assert "public_openpgp_keys" not in metadata
        assert client.get(f"{WELL_KNOWN}2026/ctx696397.json.sha512").status_code == 200
        assert client.get(f"{WELL_KNOWN}2026/ctx696397.json.asc").status_code == 404
        feed = client.get(f"{WELL_KNOWN}feed-tlp-white.json").json()
        security = client.get("/.well-known/security.txt").text
    [entry] = feed["feed"]["entry"]
    assert "PGP" not in security and "CSAF: " in security
    assert {link["rel"] for link in entry["link"]} == {"self", "hash"}


def test_only_documents_for_everyone_are_distributed() -> None:
    urls = DistributionUrls(BASE_URL)
    white = distributed_document(demo.reference_bulletin(), demo.catalog(), demo.publisher(), urls)
    amber = replace(white, tracking_id="CTX000002", path="2026/ctx000002.json", tlp_label="AMBER")
    red = replace(white, tracking_id="CTX000003", path="2026/ctx000003.json", tlp_label="RED")
    distribution = assemble([white, amber, red], demo.publisher(), urls, None)
    assert distribution.withheld == ("CTX000002", "CTX000003")
    assert [doc.path for doc in distribution.documents] == ["2026/ctx696397.json"]
    assert not any("ctx00000" in path for path in distribution.files)
    index = distribution.files["index.txt"].body.decode()
    assert index == "2026/ctx696397.json\n"
    labels = [
        feed["tlp_label"]
        for feed in json.loads(distribution.files["provider-metadata.json"].body)["distributions"][
            0
        ]["rolie"]["feeds"]
    ]
    assert labels == ["WHITE"]


def test_a_signing_key_is_required_for_every_document_when_given() -> None:
    from herald.adapters.csaf_distribution import PublicKey

    urls = DistributionUrls(BASE_URL)
    white = distributed_document(demo.reference_bulletin(), demo.catalog(), demo.publisher(), urls)
    with pytest.raises(ValueError, match="signature"):
        assemble([white], demo.publisher(), urls, PublicKey("A" * 40, b"key"))


def test_a_named_key_that_is_missing_makes_the_distribution_unavailable_without_details(
    database_url: str, short_dir: Path, clock: MovableClock, caplog: pytest.LogCaptureFixture
) -> None:
    missing = "0123456789ABCDEF0123456789ABCDEF01234567"
    services = make_herald(
        database_url, short_dir / "var", short_dir / "empty-home", clock, fingerprint=missing
    )
    services.source.import_items(demo_items())
    try:
        with TestClient(create_app(services, run_scheduler=False)) as client:
            response = client.get(f"{WELL_KNOWN}provider-metadata.json")
            security = client.get("/.well-known/security.txt")
    finally:
        services.close()
    assert response.status_code == 503
    assert security.status_code == 200  # the contact file is served, unsigned
    assert security.text.startswith("# ")
    assert missing not in response.text and "empty-home" not in response.text
    assert missing in caplog.text  # the operator's log says why


def test_validators_and_head(unsigned: Herald) -> None:
    with TestClient(create_app(unsigned, run_scheduler=False)) as client:
        first = client.get(f"{WELL_KNOWN}2026/ctx696397.json")
        etag = first.headers["etag"]
        again = client.get(f"{WELL_KNOWN}2026/ctx696397.json", headers={"If-None-Match": etag})
        head = client.head(f"{WELL_KNOWN}changes.csv")
    assert again.status_code == 304
    assert head.status_code == 200
    assert head.content == b""
