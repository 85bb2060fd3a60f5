"""herald as a CSAF 2.0 trusted provider, read the way a CSAF downloader reads it.

Start at ``/.well-known/security.txt`` and ``provider-metadata.json``, follow the
ROLIE feed, ``index.txt`` and ``changes.csv``, and check every document, hash file and
signature with the published key (``gpg --verify`` in a GnuPG home holding only that
key). SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from herald import demo
from herald.adapters.csaf_validation import Level, Preset, validate_document
from herald.adapters.formats.csaf import csaf_filename
from herald.adapters.signing import SigningKey
from herald.bootstrap import Herald
from tests.adapters.csaf_distribution.conftest import BASE_URL, WELL_KNOWN, Fetch, stop_agent
from tests.adapters.csaf_validation.standards import CSAF, require

FEED = "feed-tlp-white.json"
ROLIE_CSAF = {"scheme": "urn:ietf:params:rolie:category:information-type", "term": "csaf"}


def metadata(fetch: Fetch) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(fetch("provider-metadata.json"))
    return found


def provider_schema_errors(document: object) -> list[str]:
    folder = require(CSAF / "schemas" / "2.0" / "json_schema")
    provider = json.loads((folder / "provider_json_schema.json").read_text(encoding="utf-8"))
    advisory = json.loads((folder / "csaf_json_schema.json").read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        advisory["$id"], Resource.from_contents(advisory, DRAFT202012)
    )
    validator = Draft202012Validator(provider, registry=registry, format_checker=FormatChecker())
    return [error.message for error in validator.iter_errors(document)]


def verify(signature: bytes, data: bytes | None, public_key: bytes, home: Path) -> str:
    """``gpg --verify`` in a new home that holds only ``public_key``; the VALIDSIG line.

    ``data`` is what a detached ``signature`` signs; None when ``signature`` is a
    cleartext-signed text that holds its data.
    """
    home.mkdir(mode=0o700)
    (home / "key.asc").write_bytes(public_key)
    (home / "doc.asc").write_bytes(signature)
    files = [str(home / "doc.asc")]
    if data is not None:
        (home / "doc").write_bytes(data)
        files.append(str(home / "doc"))
    gpg = ["gpg", "--homedir", str(home), "--batch", "--no-tty"]
    subprocess.run([*gpg, "--import", str(home / "key.asc")], capture_output=True, check=True)
    result = subprocess.run(
        [*gpg, "--status-fd", "1", "--verify", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    stop_agent(home)
    if result.returncode != 0:
        return ""
    return next((line for line in result.stdout.splitlines() if "VALIDSIG" in line), "")


def publish_more(herald: Herald) -> None:
    """Two more public bulletins: one first published in 2025, one amended; and a withdrawn one."""
    base = demo.reference_content()
    herald.authoring.create_draft(
        base.__class__(**{**base.__dict__, "title": "Older update"}), article_id="CTX100001"
    )
    herald.authoring.publish("CTX100001", on=date(2025, 5, 1))
    herald.authoring.create_draft(
        base.__class__(**{**base.__dict__, "title": "Later update"}), article_id="CTX100002"
    )
    herald.authoring.publish("CTX100002")
    herald.authoring.withdraw("CTX100002", "Withdrawn: XenServer is not affected")


def test_provider_metadata_is_valid_and_names_the_published_key(
    fetch: Fetch, signing_key: SigningKey
) -> None:
    found = metadata(fetch)
    assert provider_schema_errors(found) == []
    assert found["canonical_url"] == f"{BASE_URL}{WELL_KNOWN}provider-metadata.json"
    assert found["role"] == "csaf_trusted_provider"
    assert found["publisher"] == {
        "category": "vendor",
        "name": "Cloud Software Group, Inc.",
        "namespace": "https://www.cloud.com",
    }
    [key] = found["public_openpgp_keys"]
    assert key["fingerprint"] == signing_key.fingerprint
    published = fetch(key["url"])
    assert published == signing_key.public_key
    [distribution] = found["distributions"]
    assert distribution["directory_url"] == f"{BASE_URL}{WELL_KNOWN}"
    assert distribution["rolie"]["feeds"] == [
        {
            "summary": "All TLP:WHITE advisories of Cloud Software Group, Inc.",
            "tlp_label": "WHITE",
            "url": f"{BASE_URL}{WELL_KNOWN}{FEED}",
        }
    ]


def test_every_document_is_valid_at_its_year_path_with_matching_hashes(
    herald: Herald, fetch: Fetch
) -> None:
    publish_more(herald)
    paths = fetch("index.txt").decode().splitlines()
    assert sorted(paths) == [
        "2025/ctx100001.json",
        "2026/ctx100002.json",
        "2026/ctx696397.json",
    ]
    for path in paths:
        body = fetch(path)
        document = json.loads(body)
        tracking = document["document"]["tracking"]
        year, name = path.split("/")
        assert tracking["initial_release_date"][:4] == year
        assert name == csaf_filename(tracking["id"])
        assert document["document"]["distribution"]["tlp"]["label"] == "WHITE"
        report = validate_document(document, Preset.FULL)
        assert report.count(Level.ERROR) == 0, report.findings
        assert f"{BASE_URL}{WELL_KNOWN}{path}" in {
            reference["url"] for reference in document["document"]["references"]
        }
        for algorithm in ("sha256", "sha512"):
            line = fetch(f"{path}.{algorithm}").decode()
            assert line == f"{hashlib.new(algorithm, body).hexdigest()}  {name}\n"


def test_every_signature_verifies_with_the_published_key_alone(
    herald: Herald, fetch: Fetch, tmp_path: Path, signing_key: SigningKey
) -> None:
    publish_more(herald)
    [key] = metadata(fetch)["public_openpgp_keys"]
    public_key = fetch(key["url"])
    for number, path in enumerate(fetch("index.txt").decode().splitlines()):
        line = verify(fetch(f"{path}.asc"), fetch(path), public_key, tmp_path / f"g{number}")
        assert signing_key.fingerprint in line, path
    tampered = fetch("2026/ctx696397.json").replace(b"Medium", b"Low")
    assert verify(fetch("2026/ctx696397.json.asc"), tampered, public_key, tmp_path / "t") == ""


def test_index_and_changes_list_exactly_the_documents_in_order(
    herald: Herald, fetch: Fetch
) -> None:
    publish_more(herald)
    index = fetch("index.txt").decode()
    assert index.endswith("\n")
    paths = index.splitlines()
    initial = {
        p: json.loads(fetch(p))["document"]["tracking"]["initial_release_date"] for p in paths
    }
    assert paths == sorted(paths, key=lambda p: (initial[p], p), reverse=True)
    rows = list(csv.reader(io.StringIO(fetch("changes.csv").decode(), newline="")))
    assert sorted(path for path, _ in rows) == sorted(paths)
    for path, instant in rows:
        current = json.loads(fetch(path))["document"]["tracking"]["current_release_date"]
        assert instant == current
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", instant)
    instants = [instant for _, instant in rows]
    assert instants == sorted(instants, reverse=True)
    assert not rows[0][0].startswith("path")  # no heading


def test_the_rolie_feed_lists_every_document_with_its_hashes_and_signature(
    herald: Herald, fetch: Fetch
) -> None:
    publish_more(herald)
    feed = json.loads(fetch(FEED))["feed"]
    # the shape the CSAF TC's auxiliary ROLIE schema and CSAF checkers expect
    assert re.fullmatch(r"[a-zA-Z0-9+\-_.]+", feed["id"])
    assert feed["link"][0] == {"rel": "self", "href": f"{BASE_URL}{WELL_KNOWN}{FEED}"}
    assert feed["category"][0] == ROLIE_CSAF
    assert all(entry["link"][0]["rel"] == "self" for entry in feed["entry"])
    assert {"scheme": "https://www.first.org/tlp/", "term": "WHITE"} in feed["category"]
    paths = fetch("index.txt").decode().splitlines()
    by_url = {entry["content"]["src"]: entry for entry in feed["entry"]}
    assert sorted(by_url) == sorted(f"{BASE_URL}{WELL_KNOWN}{path}" for path in paths)
    for url, entry in by_url.items():
        links = {(link["rel"], link["href"]) for link in entry["link"]}
        assert links == {
            ("self", url),
            ("hash", f"{url}.sha256"),
            ("hash", f"{url}.sha512"),
            ("signature", f"{url}.asc"),
        }
        tracking = json.loads(fetch(url))["document"]["tracking"]
        assert entry["id"] == tracking["id"]
        assert entry["published"] == tracking["initial_release_date"]
        assert entry["updated"] == tracking["current_release_date"]
        assert entry["content"]["type"] == "application/json"
        assert entry["format"]["version"] == "2.0"
    assert feed["updated"] == max(entry["updated"] for entry in feed["entry"])
    service = json.loads(fetch("service.json"))["service"]
    [workspace] = service["workspace"]
    assert [c["href"] for c in workspace["collection"]] == [f"{BASE_URL}{WELL_KNOWN}{FEED}"]
    [distribution] = metadata(fetch)["distributions"]
    assert distribution["rolie"]["categories"] == [f"{BASE_URL}{WELL_KNOWN}category-white.json"]
    assert distribution["rolie"]["services"] == [f"{BASE_URL}{WELL_KNOWN}service.json"]
    terms = json.loads(fetch("category-white.json"))["categories"]["category"]
    assert terms == [{"term": "XenServer"}]


def test_security_txt_points_at_the_provider_metadata(client: TestClient, fetch: Fetch) -> None:
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    fields = [line.split(": ", 1) for line in response.text.splitlines() if ": " in line]
    csaf_lines = [value for name, value in fields if name == "CSAF"]
    assert csaf_lines == [metadata(fetch)["canonical_url"]]
    names = {name for name, _ in fields}
    assert {"Contact", "Expires"} <= names  # RFC 9116 requires both


def test_security_txt_is_signed_with_the_published_key(
    client: TestClient, fetch: Fetch, signing_key: SigningKey, tmp_path: Path
) -> None:
    signed = client.get("/.well-known/security.txt").content
    assert signed.startswith(b"-----BEGIN PGP SIGNED MESSAGE-----")
    assert b"\nCSAF: " + metadata(fetch)["canonical_url"].encode() + b"\n" in signed
    [key] = metadata(fetch)["public_openpgp_keys"]
    public_key = fetch(key["url"])
    home = tmp_path / "verify"
    line = verify(signed, None, public_key, home)
    assert signing_key.fingerprint in line
    tampered = signed.replace(b"Preferred-Languages: en", b"Preferred-Languages: de")
    assert verify(tampered, None, public_key, tmp_path / "tampered") == ""
    assert client.get("/.well-known/security.txt").content == signed  # signed once, then kept


def test_media_types_and_no_redirects(client: TestClient) -> None:
    expected = {
        "provider-metadata.json": "application/json",
        "index.txt": "text/plain",
        "changes.csv": "text/csv",
        FEED: "application/json",
        "2026/ctx696397.json": "application/json",
        "2026/ctx696397.json.sha512": "text/plain",
        "2026/ctx696397.json.asc": "application/pgp-signature",
        "2026/": "text/html",
        "2026": "text/html",
        "": "text/html",
    }
    for path, media_type in expected.items():
        response = client.get(WELL_KNOWN + path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(media_type), path
        assert response.headers["access-control-allow-origin"] == "*", path
    bare = client.get(WELL_KNOWN.rstrip("/"))
    assert bare.status_code == 200
    assert client.get(f"{WELL_KNOWN}2026/nothing.json").status_code == 404
    listing = client.get(f"{WELL_KNOWN}2026/").text
    for name in ("ctx696397.json", "ctx696397.json.sha256", "ctx696397.json.asc"):
        assert f'href="{BASE_URL}{WELL_KNOWN}2026/{name}"' in listing
