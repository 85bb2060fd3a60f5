"""Fixtures for the CSAF distribution: herald with the demo data and a signing key.

- ``key_home``: a fresh GnuPG home with a new Ed25519 key (short path under /tmp, as
  gpg-agent's socket path is limited); its agent is stopped afterwards.
- ``herald``: the services on ``database_url`` (SQLite and PostgreSQL) with the demo
  data, signing with the key of ``key_home``; ``app`` and ``client`` serve it.
- ``fetch(path)``: the bytes of a file of the distribution, asserting a 200.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from herald.adapters.security import Argon2Hasher
from herald.adapters.signing import OpenPgpSigner, SigningKey
from herald.adapters.web import create_app
from herald.bootstrap import Herald, build
from tests.demo_services import settings_for, with_demo_data

BASE_URL = "https://bulletins.example.com"
WELL_KNOWN = "/.well-known/csaf/"
START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg is not installed")


@dataclass
class MovableClock:
    current: datetime = field(default=START)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


def stop_agent(home: Path) -> None:
    """Stop the gpg-agent of ``home`` (GnuPG starts one per home and leaves it running)."""
    gpgconf = shutil.which("gpgconf")
    if gpgconf is not None:
        subprocess.run(  # a fixed program and arguments
            [gpgconf, "--homedir", str(home), "--kill", "gpg-agent"],
            capture_output=True,
            check=False,
            timeout=30,
        )


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A new folder with a short path (gpg-agent sockets must fit 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="hk", dir="/tmp"))
    try:
        yield folder
    finally:
        for home in folder.rglob("pubring.kbx"):
            stop_agent(home.parent)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def key_home(short_dir: Path) -> Path:
    return short_dir / "gnupg"


@pytest.fixture
def signing_key(key_home: Path) -> SigningKey:
    signer = OpenPgpSigner(key_home)
    try:
        return signer.generate("Example PSIRT", "psirt@example.com")
    finally:
        signer.close()


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def make_herald(
    database_url: str,
    data_dir: Path,
    key_home: Path,
    clock: MovableClock,
    *,
    migrate: bool = True,
    fingerprint: str | None = None,
) -> Herald:
    settings = settings_for(
        database_url, data_dir, gnupg_home=key_home, openpgp_fingerprint=fingerprint
    )
    return build(settings, clock=clock, hasher=Argon2Hasher(cheap=True), migrate=migrate)


@pytest.fixture
def herald(
    database_url: str,
    short_dir: Path,
    key_home: Path,
    signing_key: SigningKey,
    clock: MovableClock,
) -> Iterator[Herald]:
    del signing_key  # made before herald starts
    with with_demo_data(make_herald(database_url, short_dir / "var", key_home, clock)) as services:
        yield services


@pytest.fixture
def app(herald: Herald) -> FastAPI:
    return create_app(herald, run_scheduler=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


Fetch = Callable[[str], bytes]


@pytest.fixture
def fetch(client: TestClient) -> Fetch:
    """``fetch("index.txt")`` or ``fetch("https://…/.well-known/csaf/…")``: the body of a 200."""

    def get(path: str) -> bytes:
        url = path.removeprefix(BASE_URL)
        if not url.startswith("/"):
            url = WELL_KNOWN + url
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:200])
        return response.content

    return get
