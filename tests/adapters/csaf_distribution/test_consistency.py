"""The distribution changes as a whole: an amendment moves document, hashes, signature,
changes.csv and feed together; concurrent readers never see a document beside another
revision's hash; drafts and embargoed bulletins are nowhere; the static export holds
the same bytes; processes sharing a data folder serve the same signatures.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from herald import demo
from herald.adapters.csaf_distribution import Distribution
from herald.adapters.site_export.export import export_site
from herald.adapters.web import create_app
from herald.bootstrap import Herald
from herald.services.actors import Actor
from herald.services.source import SourceItems
from tests.adapters.csaf_distribution.conftest import (
    WELL_KNOWN,
    Fetch,
    MovableClock,
    make_herald,
)

DOC = "2026/ctx696397.json"


def test_an_amendment_changes_document_hashes_signature_index_and_feed_together(
    herald: Herald, fetch: Fetch, clock: MovableClock
) -> None:
    names = [DOC, f"{DOC}.sha256", f"{DOC}.sha512", f"{DOC}.asc", "changes.csv"]
    before = {name: fetch(name) for name in names}
    feed_before = json.loads(fetch("feed-tlp-white.json"))
    clock.advance(timedelta(days=1))
    changed = replace(demo.reference_content(), severity="High")
    herald.authoring.amend("CTX696397", changed, "Raised the severity to High")
    after = {name: fetch(name) for name in names}
    for name in names:
        assert after[name] != before[name], name
    document = json.loads(after[DOC])
    assert document["document"]["tracking"]["version"] == "2"
    assert after[f"{DOC}.sha256"].startswith(hashlib.sha256(after[DOC]).hexdigest().encode())
    assert after[f"{DOC}.sha512"].startswith(hashlib.sha512(after[DOC]).hexdigest().encode())
    current = document["document"]["tracking"]["current_release_date"]
    assert after["changes.csv"].decode().splitlines()[0] == f"{DOC},{current}"
    [entry] = json.loads(fetch("feed-tlp-white.json"))["feed"]["entry"]
    assert entry["updated"] == current != feed_before["feed"]["entry"][0]["updated"]


def test_interleaved_reads_never_see_a_document_with_an_older_hash_or_signature(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    """Readers fetch document, hash, signature, document while amendments land.

    A hash or signature fetched after a document is never of an older revision, and
    when both document reads agree (no change in between) they are that document's.
    The writer records every revision's hash and signature right after making it.
    """
    versions: dict[bytes, int] = {}
    done = threading.Event()
    samples: list[tuple[int, bytes, bytes, bool, bool]] = []

    def record() -> None:
        body = client.get(WELL_KNOWN + DOC).content
        version = int(json.loads(body)["document"]["tracking"]["version"])
        versions[client.get(f"{WELL_KNOWN}{DOC}.sha256").content] = version
        versions[client.get(f"{WELL_KNOWN}{DOC}.asc").content] = version

    def write() -> None:
        number = 0
        while not done.is_set():
            number += 1
            clock.advance(timedelta(minutes=1))
            problem = f"{demo.reference_content().problem} Revision {number}."
            changed = replace(demo.reference_content(), problem=problem)
            herald.authoring.amend("CTX696397", changed, f"Clarified the problem ({number})")
            record()

    def read() -> None:
        for _ in range(25):
            first = client.get(WELL_KNOWN + DOC).content
            digest = client.get(f"{WELL_KNOWN}{DOC}.sha256").content
            signature = client.get(f"{WELL_KNOWN}{DOC}.asc").content
            second = client.get(WELL_KNOWN + DOC).content
            version = int(json.loads(first)["document"]["tracking"]["version"])
            matches = digest.startswith(hashlib.sha256(first).hexdigest().encode())
            samples.append((version, digest, signature, first == second, matches))

    record()
    writer = threading.Thread(target=write)
    readers = [threading.Thread(target=read) for _ in range(3)]
    writer.start()
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    done.set()
    writer.join()
    assert max(versions.values()) >= 3  # amendments landed while reading
    for version, digest, signature, unchanged, matches in samples:
        assert versions[digest] >= version
        assert versions[signature] >= version
        if unchanged:
            assert matches
            assert versions[signature] == version
    assert any(unchanged for _, _, _, unchanged, _ in samples)


def test_drafts_and_embargoed_bulletins_are_nowhere_in_the_distribution(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    base = demo.reference_content()
    secret = replace(base, title="Embargoed issue ZEBRA-7731")
    herald.authoring.create_draft(replace(base, title="Draft issue ZEBRA-7731"), "CTX100003")
    herald.authoring.create_draft(secret, "CTX100004")
    herald.authoring.submit("CTX100004")
    herald.authoring.approve("CTX100004", Actor("another-operator"))
    herald.authoring.schedule("CTX100004", clock.now() + timedelta(hours=1))
    distribution = herald.csaf_distribution.current()
    _assert_absent(distribution, ("ZEBRA-7731", "CTX100003", "ctx100003", "CTX100004", "ctx100004"))
    assert client.get(f"{WELL_KNOWN}2026/ctx100004.json").status_code == 404
    clock.advance(timedelta(hours=1, seconds=1))
    released = herald.csaf_distribution.current()
    assert "2026/ctx100004.json" in released.files
    assert client.get(f"{WELL_KNOWN}2026/ctx100004.json").status_code == 200
    _assert_absent(released, ("CTX100003", "ctx100003", "Draft issue"))


def _assert_absent(distribution: Distribution, secrets: tuple[str, ...]) -> None:
    for path, file in distribution.files.items():
        for secret in secrets:
            assert secret.encode() not in file.body, (path, secret)
            assert secret not in path


def test_the_static_export_holds_the_same_files_with_the_same_bytes(
    herald: Herald, client: TestClient, tmp_path: Path
) -> None:
    app = create_app(herald, run_scheduler=False)
    report = export_site(app, tmp_path / "public", herald.settings.base_url)
    assert [missing for missing in report.missing if "/.well-known/" in missing] == []
    distribution = herald.csaf_distribution.current()
    root = tmp_path / "public" / ".well-known" / "csaf"
    for path, file in distribution.files.items():
        written = root / (f"{path}index.html" if path == "" or path.endswith("/") else path)
        assert written.read_bytes() == file.body, path
    security = tmp_path / "public" / ".well-known" / "security.txt"
    assert security.read_bytes() == client.get("/.well-known/security.txt").content


def test_two_processes_on_one_data_folder_serve_the_same_signatures(
    herald: Herald, database_url: str, short_dir: Path, key_home: Path, clock: MovableClock
) -> None:
    other = make_herald(database_url, short_dir / "var", key_home, clock, migrate=False)
    try:
        mine, theirs = herald.csaf_distribution.current(), other.csaf_distribution.current()
    finally:
        other.close()
    assert mine.files.keys() == theirs.files.keys()
    for path in mine.files:
        assert mine.files[path].body == theirs.files[path].body, path
    signatures = list((short_dir / "var" / "csaf-signatures").rglob("*.asc"))
    assert len(signatures) == 1  # signed once, by whichever process came first


def test_a_catalog_change_renders_every_document_again(herald: Herald, fetch: Fetch) -> None:
    before = fetch(DOC)
    [product] = demo.catalog().products
    renamed = replace(product, name="XenServer Platform")
    herald.source.import_items(SourceItems(products=(renamed,)))
    after = fetch(DOC)
    assert after != before
    assert b"XenServer Platform" in after
    assert fetch(f"{DOC}.sha256").startswith(hashlib.sha256(after).hexdigest().encode())
    categories = json.loads(fetch("category-white.json"))["categories"]["category"]
    assert categories == [{"term": "XenServer Platform"}]


def test_rendered_documents_are_kept_for_other_processes_and_a_damaged_one_is_redone(
    herald: Herald, database_url: str, short_dir: Path, key_home: Path, clock: MovableClock
) -> None:
    mine = herald.csaf_distribution.current()
    kept = sorted((short_dir / "var" / "csaf-documents").rglob("*.json"))
    assert [path.read_bytes() for path in kept] == [doc.body for doc in mine.documents]
    kept[0].write_bytes(b'{"document": ')  # damaged, e.g. by a full disk
    other = make_herald(database_url, short_dir / "var", key_home, clock, migrate=False)
    try:
        theirs = other.csaf_distribution.current()
    finally:
        other.close()
    assert dict(theirs.files) == dict(mine.files)
    assert kept[0].read_bytes() == mine.documents[0].body
