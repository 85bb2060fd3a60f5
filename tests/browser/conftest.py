"""The real server in a subprocess, driven by Debian's Chromium through Playwright.

A site is set up as an operator would: ``herald demo``, then ``herald users add …
--password-stdin`` (and ``herald import``), then ``herald serve`` on a free port, waiting
for ``/healthz``; afterwards the server gets SIGTERM (then SIGKILL).

- ``site``: one per backend (SQLite and PostgreSQL) and session, shared by the tests that
  only read (they never publish or edit; signing in is fine): the demo data, three more
  published bulletins (``data/``) and alice;
- ``fresh_site``: one per test on its ``database_url``, for tests that change data: the
  demo data and alice (author), bob (reviewer) and carol (publisher), loaded by the
  commands once per worker and backend and put back from a snapshot for the next tests.

The browser is Debian's ``/usr/bin/chromium`` (override with ``HERALD_CHROMIUM``), one per
session (per xdist worker); herald never downloads one. When it is missing the tests are
skipped with the reason, unless ``HERALD_REQUIRE_BROWSER=1``, which makes them fail.

Screenshots go to ``test-artifacts/browser/`` (ignored by git), and a failing test leaves
one of each of its pages there. ``HERALD_UPDATE_SCREENSHOTS=1`` also rewrites the README's
images ``docs/images/site-*.png``.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)
from psycopg import sql

from tests.conftest import POSTGRES_ADMIN_URL, DatabaseSnapshots
from tests.conftest import _admin as admin_connection

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
IMAGES = ROOT / "docs" / "images"
DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = Path(os.environ.get("HERALD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

PASSWORD = "correct horse battery staple"
STAFF = {
    "alice": ("Alice Author", "author"),
    "bob": ("Bob Reviewer", "reviewer"),
    "carol": ("Carol Publisher", "publisher"),
}
"""username: (display name, role); every one signs in with ``PASSWORD``."""

SECRET_KEY = secrets.token_urlsafe(32)
"""The sites' ``HERALD_SECRET_KEY``: one per session, so a site put back from a snapshot
has the key it was made with."""

DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)

STARTUP_TIMEOUT = 30.0
COMMAND_TIMEOUT = 60.0
UPDATE_SCREENSHOTS = os.environ.get("HERALD_UPDATE_SCREENSHOTS") == "1"


# --- the server ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A running ``herald serve``."""

    url: str
    """Its base URL, ``http://127.0.0.1:<port>`` (also its ``HERALD_BASE_URL``)."""
    log: Path
    """The server's stdout and stderr."""

    def __call__(self, path: str) -> str:
        """The absolute URL of ``path``."""
        return f"{self.url}{path}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _herald(env: dict[str, str], *commands: tuple[list[str], str | None]) -> None:
    """Run ``python -m herald ARGS`` for each (ARGS, stdin), side by side; all must succeed."""
    running = [
        (
            args,
            stdin,
            subprocess.Popen(
                [sys.executable, "-m", "herald", *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            ),
        )
        for args, stdin in commands
    ]
    for args, stdin, process in running:
        _, err = process.communicate(stdin, timeout=COMMAND_TIMEOUT)
        assert process.returncode == 0, f"herald {' '.join(args)}: {process.returncode}\n{err}"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``herald serve`` on a free port; a port taken meanwhile is tried again."""
    for _attempt in range(3):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "herald", "serve", "--port", str(port)],
                env={**env, "HERALD_BASE_URL": url},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if _healthy(url):
                return process, url
            time.sleep(0.1)
        _stop(process)
        output_text = log.read_text(encoding="utf-8", errors="replace")
        if "address already in use" not in output_text.lower():
            pytest.fail(
                f"herald serve did not answer {url}/healthz within {STARTUP_TIMEOUT:.0f} s "
                f"(exit status {process.returncode}); its output:\n{output_text}"
            )
    pytest.fail(f"herald serve found no free port; its last output:\n{output_text}")


def _start(
    database_url: str,
    folder: Path,
    *,
    more: bool,
    staff: Iterable[str],
    snapshots: DatabaseSnapshots | None = None,
) -> Iterator[Site]:
    """Load the demo data, maybe ``data/``, add ``staff``; serve; yield; stop the server.

    With ``snapshots``, the loading runs once per worker and backend and what it wrote is
    put back for the next sites."""
    env = {
        **os.environ,
        "HERALD_DATABASE_URL": database_url,
        "HERALD_DATA_DIR": str(folder / "var"),
        "HERALD_SECRET_KEY": SECRET_KEY,
        "COLUMNS": "200",
    }
    names = tuple(staff)

    def load() -> None:
        _herald(env, (["demo"], None))  # creates the schema; then the rest at once
        commands: list[tuple[list[str], str | None]] = (
            [(["import", str(DATA)], None)] if more else []
        )
        for username in names:
            name, role = STAFF[username]
            add = ["users", "add", username, "--name", name, "--role", role, "--password-stdin"]
            commands.append((add, f"{PASSWORD}\n"))
        _herald(env, *commands)

    if snapshots is None:
        load()
    else:
        snapshots.restore_or_make(("browser site", more, names), folder / "var", load)
    log = folder / "serve.log"
    process, url = _serve(env, log)
    try:
        yield Site(url, log)
    finally:
        _stop(process)


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ],
)
def backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgres``: the backend under ``site``."""
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def site(
    browser: Browser,  # first: no server is started when there is no browser
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    _postgres_unavailable: str | None,
) -> Iterator[Site]:
    """The demo data, three more published bulletins and alice; shared, so read only.

    One server per backend (and xdist worker): tests that change data use ``fresh_site``.
    """
    folder = tmp_path_factory.mktemp(f"site-{backend}")
    if backend == "sqlite":
        yield from _start(f"sqlite:///{folder / 'herald.db'}", folder, more=True, staff=["alice"])
        return
    with _postgres_database(_postgres_unavailable) as url:
        yield from _start(url, folder, more=True, staff=["alice"])


@pytest.fixture
def fresh_site(
    browser: Browser, database_url: str, database_snapshots: DatabaseSnapshots, tmp_path: Path
) -> Iterator[Site]:
    """The demo data and every member of ``STAFF`` on this test's ``database_url``: to change.

    ``herald demo`` and ``herald users add`` run for the first such site of a worker and
    backend; the next ones get what they wrote back (``database_snapshots``)."""
    yield from _start(database_url, tmp_path, more=False, staff=STAFF, snapshots=database_snapshots)


@contextmanager
def _postgres_database(unavailable: str | None) -> Iterator[str]:
    """A new PostgreSQL database for the session's ``site``, made as ``tests/conftest.py`` does."""
    if unavailable is not None:
        if os.environ.get("HERALD_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{unavailable} (and HERALD_REQUIRE_POSTGRES=1)")
        pytest.skip(unavailable)
    name = f"herald_test_{secrets.token_hex(6)}"
    with admin_connection() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{POSTGRES_ADMIN_URL.rpartition('/')[0]}/{name}"
    finally:
        with admin_connection() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (install Debian's chromium package)"
        if os.environ.get("HERALD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (and HERALD_REQUIRE_BROWSER=1)")
        pytest.skip(reason)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


class NewPage(Protocol):
    def __call__(self, viewport: ViewportSize = DESKTOP) -> Page: ...


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember each phase's report on the test, so fixtures can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[NewPage]:
    """``new_page(viewport=PHONE)``: a page in a fresh context (its own cookies).

    A failing test leaves a screenshot of each of its pages in ``test-artifacts/browser/``.
    """
    contexts: list[BrowserContext] = []

    def make(viewport: ViewportSize = DESKTOP) -> Page:
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for number, context in enumerate(contexts):
            for index, page in enumerate(context.pages):
                shoot(page, f"FAILED-{request.node.name}-{number}-{index}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: NewPage) -> Page:
    """A desktop-sized page in a fresh browser context."""
    return new_page()


def shoot(page: Page, name: str, readme_image: str | None = None) -> Path:
    """Save a full-page screenshot as a test artifact; maybe (``HERALD_UPDATE_SCREENSHOTS``)
    also the window's view of it as the README image ``docs/images/<readme_image>``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    path = ARTIFACTS / f"{safe}.png"
    page.screenshot(path=path, full_page=True)
    if readme_image is not None and UPDATE_SCREENSHOTS:
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=IMAGES / readme_image)  # what the window shows, not the page
    return path


def sign_in(page: Page, site: Site, username: str) -> None:
    """Sign ``username`` in through the form, as a person does."""
    page.goto(site("/staff/sign-in"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site("/staff/"))
    expect(page.get_by_role("status").first).to_have_text(f"Signed in as {STAFF[username][0]}.")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/staff/sign-in$"))
    expect(page.get_by_role("status").first).to_have_text("Signed out.")


def listed(page: Page) -> list[str]:
    """The article ids in a page's bulletin table, in order."""
    return page.locator("table.bulletins tbody tr td:first-child a").all_inner_texts()
