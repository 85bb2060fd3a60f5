"""A real ``herald serve`` process for tests that need one: a free loopback port, the
wait until ``/healthz`` answers, and a clean stop (SIGTERM, then SIGKILL)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

STARTUP_TIMEOUT = 60.0
"""Seconds ``herald serve`` may take to answer (imports and migrations on a busy machine)."""


def free_port() -> int:
    """A loopback TCP port nothing listens on (now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def herald_serve(
    env: dict[str, str], log: Path, port: int, *options: str
) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m herald serve --port PORT OPTIONS`` until the block ends; fails the test
    with the server's output when it does not answer in time."""
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "herald", "serve", "--port", str(port), *options],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"herald serve did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
