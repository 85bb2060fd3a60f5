"""The webhook sender's httpx transport over its own httpcore pool, against raw loopback
servers: bodies stream through, connections are reused, and httpcore's errors arrive as
httpx's (which the sender records as connection failures)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator

import httpcore
import httpx
import pytest

from herald.adapters.delivery.pool_transport import PoolTransport

Conversation = Callable[[socket.socket], None]
"""What the server does with one accepted connection."""


@contextlib.contextmanager
def raw_server(conversation: Conversation) -> Iterator[tuple[str, list[int]]]:
    """A loopback TCP server running ``conversation`` on each connection; its base URL
    and the number of connections accepted so far (one-item list)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = [0]
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            accepted[0] += 1
            with connection:
                conversation(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def answer_twice(connection: socket.socket) -> None:
    """Two requests on one kept-alive connection, each answered with a 5-byte body."""
    for _ in range(2):
        if not read_request(connection):
            return
        connection.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello")


def hang_up(connection: socket.socket) -> None:
    """Reads the request, then closes its side without a word (and waits for the client
    to close, so no unread byte turns the close into a reset)."""
    read_request(connection)
    connection.shutdown(socket.SHUT_WR)
    stay_silent(connection)


def stay_silent(connection: socket.socket) -> None:
    """Reads whatever comes, answers nothing, until the client gives up and closes."""
    connection.settimeout(2)
    with contextlib.suppress(TimeoutError):
        while connection.recv(4096):
            pass


def client(timeout: float = 5.0) -> httpx.Client:
    transport = PoolTransport(
        network_backend=httpcore.SyncBackend(),
        ssl_context=httpx.create_ssl_context(trust_env=False),
        limits=httpx.Limits(max_connections=2, max_keepalive_connections=2),
    )
    return httpx.Client(transport=transport, timeout=timeout)


def test_bodies_arrive_and_the_connection_is_reused() -> None:
    with raw_server(answer_twice) as (url, accepted), client() as http:
        answers = [http.get(f"{url}/one"), http.get(f"{url}/two")]
    assert [(a.status_code, a.text) for a in answers] == [(200, "hello"), (200, "hello")]
    assert accepted == [1]


def test_a_peer_that_hangs_up_is_an_httpx_protocol_error() -> None:
    with (
        raw_server(hang_up) as (url, _),
        client() as http,
        pytest.raises(httpx.RemoteProtocolError) as caught,
    ):
        http.post(f"{url}/hook", content=b"{}")
    assert caught.value.request.url == f"{url}/hook"


def test_a_silent_peer_is_an_httpx_read_timeout() -> None:
    with (
        raw_server(stay_silent) as (url, _),
        client(timeout=0.3) as http,
        pytest.raises(httpx.ReadTimeout),
    ):
        http.post(f"{url}/hook", content=b"{}")


def test_nobody_listening_is_an_httpx_connect_error() -> None:
    with raw_server(hang_up) as (url, _):
        pass  # the port is free again
    with client() as http, pytest.raises(httpx.ConnectError):
        http.post(f"{url}/hook", content=b"{}")
