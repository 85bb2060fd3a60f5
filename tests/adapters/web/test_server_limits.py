"""``herald serve`` limits what one client can hold (finding 13.8), on a real server.

A client slow to send its headers loses the connection after ``HERALD_HEADER_TIMEOUT``;
past ``HERALD_MAX_CONNECTIONS`` a worker answers 503 instead of queueing without end; a
bad setting stops ``herald serve`` with one line naming it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from herald.config import ServerLimits
from herald.domain.errors import ValidationError
from tests.demo_services import TEST_SECRET_KEY
from tests.live_server import free_port, herald_serve

HEADER_TIMEOUT = 1.0
MAX_CONNECTIONS = 4


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "HERALD_DATA_DIR": str(tmp_path / "var"),
        "HERALD_DATABASE_URL": f"sqlite:///{tmp_path / 'herald.db'}",
        "HERALD_SECRET_KEY": TEST_SECRET_KEY,
        **extra,
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    tmp_path = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = _environment(
        tmp_path,
        HERALD_HEADER_TIMEOUT=str(HEADER_TIMEOUT),
        HERALD_MAX_CONNECTIONS=str(MAX_CONNECTIONS),
    )
    with herald_serve(env, tmp_path / "serve.log", port, "--no-access-log"):
        yield "127.0.0.1", port


def _slow_client(address: tuple[str, int]) -> socket.socket:
    """A connection that has sent half a request's headers."""
    connection = socket.create_connection(address, timeout=10)
    connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return connection


def _closed_within(connection: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed the connection; None if it was still open."""
    started = time.monotonic()
    connection.settimeout(seconds)
    try:
        while connection.recv(1024):
            pass
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - started


def test_a_client_slow_to_send_its_headers_is_cut_off(server: tuple[str, int]) -> None:
    connections = [_slow_client(server) for _ in range(3)]
    try:
        for connection in connections:
            closed_after = _closed_within(connection, HEADER_TIMEOUT + 5)
            assert closed_after is not None, "a slow-header connection stayed open"
            assert closed_after <= HEADER_TIMEOUT + 2
    finally:
        for connection in connections:
            connection.close()


def test_headers_sent_in_pieces_within_the_deadline_are_served(server: tuple[str, int]) -> None:
    with socket.create_connection(server, timeout=10) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\n")
        time.sleep(HEADER_TIMEOUT / 3)
        connection.sendall(b"Host: 127.0.0.1\r\n\r\n")
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 200")


def test_the_deadline_applies_again_to_the_next_request_on_a_kept_connection(
    server: tuple[str, int],
) -> None:
    with socket.create_connection(server, timeout=10) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert connection.recv(4096).startswith(b"HTTP/1.1 200")
        connection.sendall(b"GET /healthz HTTP/1.1\r\n")  # and then nothing more
        assert _closed_within(connection, HEADER_TIMEOUT + 5) is not None


def test_past_the_connection_limit_a_worker_answers_503(server: tuple[str, int]) -> None:
    host, port = server
    holding = [_slow_client(server) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.2)
        refused = httpx.get(f"http://{host}:{port}/healthz", timeout=5)
        assert refused.status_code == 503
    finally:
        for connection in holding:
            connection.close()
    time.sleep(0.2)
    assert httpx.get(f"http://{host}:{port}/healthz", timeout=5).status_code == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HERALD_HEADER_TIMEOUT", "soon"),
        ("HERALD_HEADER_TIMEOUT", "0"),
        ("HERALD_MAX_CONNECTIONS", "-3"),
        ("HERALD_KEEP_ALIVE_TIMEOUT", "9999"),
        ("HERALD_FORWARDED_ALLOW_IPS", "10.0.0.1,,"),
    ],
)
def test_a_bad_limit_stops_serve_with_one_line_naming_it(
    tmp_path: Path, name: str, value: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        ServerLimits.from_environment({name: value})
    assert raised.value.field == name
    done = subprocess.run(
        [sys.executable, "-m", "herald", "serve", "--port", str(free_port())],
        env=_environment(tmp_path, **{name: value}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0], done.stderr


def test_the_limits_have_safe_defaults() -> None:
    limits = ServerLimits.from_environment({})
    assert limits.header_timeout == 10.0
    assert limits.max_connections == 1000
    assert limits.forwarded_allow_ips == "127.0.0.1,::1"
