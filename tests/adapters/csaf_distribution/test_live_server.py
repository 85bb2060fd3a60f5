"""The distribution from a real ``herald serve`` on loopback: two worker processes on
PostgreSQL (one on SQLite), amendments made by another process meanwhile.

Each request opens its own connection, so requests spread over the workers. A hash or
signature fetched after a document is never of an older revision, whichever worker
answers; every signature verifies with the published key alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from herald import demo
from herald.adapters.signing import SigningKey
from herald.bootstrap import Herald
from tests.adapters.csaf_distribution.conftest import MovableClock, make_herald
from tests.adapters.csaf_distribution.test_provider import provider_schema_errors, verify
from tests.live_server import free_port, herald_serve

DOC = "/.well-known/csaf/2026/ctx696397.json"


@pytest.fixture
def server(
    database_url: str, short_dir: Path, key_home: Path, signing_key: SigningKey
) -> Iterator[str]:
    del signing_key  # the key exists before the server starts
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "HERALD_DATABASE_URL": database_url,
        "HERALD_DATA_DIR": str(short_dir / "var"),
        "HERALD_GNUPG_HOME": str(key_home),
        "HERALD_BASE_URL": url,
        "HERALD_SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    }
    env.pop("HERALD_SIGNING_KEY", None)
    subprocess.run(  # this interpreter, running herald
        [sys.executable, "-m", "herald", "demo"], env=env, check=True, capture_output=True
    )
    workers = "1" if database_url.startswith("sqlite") else "2"
    with herald_serve(env, short_dir / "serve.log", port, "--workers", workers, "--no-access-log"):
        yield url


@pytest.fixture
def writer(database_url: str, short_dir: Path, key_home: Path) -> Iterator[Herald]:
    """herald's services in this process: another writer than the server's workers."""
    services = make_herald(database_url, short_dir / "var", key_home, MovableClock())
    try:
        yield services
    finally:
        services.close()


def test_workers_never_serve_a_hash_or_signature_older_than_the_document(
    server: str, writer: Herald, tmp_path: Path
) -> None:
    fresh = httpx.Limits(max_keepalive_connections=0)  # one connection per request
    with httpx.Client(base_url=server, limits=fresh, timeout=30) as client:

        def get(path: str) -> bytes:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response.content

        metadata = json.loads(get("/.well-known/csaf/provider-metadata.json"))
        assert provider_schema_errors(metadata) == []
        assert metadata["role"] == "csaf_trusted_provider"
        versions: dict[bytes, int] = {}
        done = threading.Event()
        samples: list[tuple[int, bytes, bytes, bool, bool]] = []
        failures: list[BaseException] = []

        def record(newer_than: int = 0) -> int:
            """Note the hash and signature files of the document's version once the site
            serves a version newer than ``newer_than`` (a worker may reuse the site
            generation it read for half a second), so that no version goes unrecorded."""
            deadline = time.monotonic() + 10
            while True:
                body = get(DOC)
                version = int(json.loads(body)["document"]["tracking"]["version"])
                if version > newer_than or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            versions[get(f"{DOC}.sha256")] = version
            versions[get(f"{DOC}.asc")] = version
            return version

        def write() -> None:
            clock = writer.clock
            assert isinstance(clock, MovableClock)
            number, last = 0, first_version
            try:
                while not done.is_set() and number < 12:
                    number += 1
                    clock.advance(timedelta(minutes=1))
                    problem = f"{demo.reference_content().problem} Revision {number}."
                    changed = replace(demo.reference_content(), problem=problem)
                    writer.authoring.amend("CTX696397", changed, f"Clarified ({number})")
                    last = record(newer_than=last)
            except BaseException as error:  # reported by the test thread
                failures.append(error)

        def read() -> None:
            try:
                for _ in range(12):
                    first = get(DOC)
                    digest = get(f"{DOC}.sha256")
                    signature = get(f"{DOC}.asc")
                    second = get(DOC)
                    version = int(json.loads(first)["document"]["tracking"]["version"])
                    matches = digest.startswith(hashlib.sha256(first).hexdigest().encode())
                    samples.append((version, digest, signature, first == second, matches))
            except BaseException as error:
                failures.append(error)

        first_version = record()
        threads = [threading.Thread(target=read) for _ in range(3)]
        amender = threading.Thread(target=write)
        amender.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        amender.join()
        assert failures == []
        assert max(versions.values()) >= 3
        for version, digest, signature, unchanged, matches in samples:
            assert versions[digest] >= version
            assert versions[signature] >= version
            if unchanged:
                assert matches
        [key] = metadata["public_openpgp_keys"]
        public_key = get(key["url"].removeprefix(server))
        line = verify(get(f"{DOC}.asc"), get(DOC), public_key, tmp_path / "g")
        assert key["fingerprint"] in line
