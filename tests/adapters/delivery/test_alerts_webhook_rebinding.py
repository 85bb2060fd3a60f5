"""Webhook connections go only to addresses the target guard accepted, on the very lookup
used to connect: DNS rebinding, TLS against the host name, redirects.

The receivers are real HTTP(S) servers on loopback that count the TCP connections they
accept; host names (``hooks.test``...) are answered by a scripted resolver given to the
guard (the ``Resolver`` hook), so no test needs real DNS or leaves loopback.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import herald.demo as demo
from herald.adapters.delivery import HmacTokenSigner, WebhookSender, WebhookTargetGuard
from herald.bootstrap import Herald
from herald.domain.alerts import AlertFilter, Channel, Delivery, DeliveryStatus
from herald.domain.bulletin import Bulletin
from herald.services.delivery import DeliveryService
from herald.services.subscriptions import SubscriptionService
from tests.adapters.delivery.conftest import MovableClock, WebhookReceiver, webhook_handler

PUBLIC = ("93.184.215.14",)
LOOPBACK = ("127.0.0.1",)


class ScriptedResolver:
    """``Resolver`` that gives its answers in order, one per lookup, whatever the name."""

    def __init__(self, *answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.lookups: list[str] = []

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        if not self.answers:
            raise OSError(f"the script has no answer left for {host}")
        return self.answers.pop(0)


class _Server(ThreadingHTTPServer):
    """Counts the TCP connections it accepts; speaks TLS when given a context."""

    def __init__(self, receiver: CountingReceiver) -> None:
        super().__init__(("127.0.0.1", 0), webhook_handler(receiver))
        self.receiver = receiver

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        with self.receiver.lock:
            self.receiver.connections += 1
        return connection, address

    def finish_request(self, request: Any, client_address: Any) -> None:
        tls = self.receiver.tls
        if tls is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(5)
        try:
            secure = tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            self.receiver.handshake_failures.append(str(error))
            return
        with secure:
            super().finish_request(secure, client_address)


@dataclass
class CountingReceiver(WebhookReceiver):
    """A ``WebhookReceiver`` that also counts connections and may speak TLS (recording
    the SNI names clients send)."""

    tls: ssl.SSLContext | None = None
    connections: int = 0
    server_names: list[str | None] = field(default_factory=list)
    """The SNI name of each TLS handshake."""
    handshake_failures: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.server_address[1])


@contextmanager
def running(receiver: CountingReceiver) -> Iterator[CountingReceiver]:
    server = _Server(receiver)
    receiver.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@dataclass(frozen=True)
class Authority:
    """A self-signed certificate for ``hooks.test`` (the name only, no IP address)."""

    cert: Path
    key: Path

    def client(self) -> ssl.SSLContext:
        """A client context that trusts this certificate only."""
        return ssl.create_default_context(cafile=str(self.cert))

    def server(self, server_names: list[str | None]) -> ssl.SSLContext:
        """A server context presenting it, appending each client's SNI name to the list."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)

        def note(connection: ssl.SSLObject, name: str | None, _: ssl.SSLContext) -> None:
            server_names.append(name)

        context.sni_callback = note
        return context


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    folder = tmp_path_factory.mktemp("tls")
    found = Authority(cert=folder / "cert.pem", key=folder / "key.pem")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "1"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-subj", "/CN=hooks.test", "-addext", "subjectAltName=DNS:hooks.test"),
            *("-keyout", str(found.key), "-out", str(found.cert)),
        ],
        check=True,
        capture_output=True,
    )
    return found


@pytest.fixture
def tls_receiver(authority: Authority) -> Iterator[CountingReceiver]:
    receiver = CountingReceiver()
    receiver.tls = authority.server(receiver.server_names)
    with running(receiver):
        yield receiver


@pytest.fixture
def plain_receiver() -> Iterator[CountingReceiver]:
    with running(CountingReceiver()) as receiver:
        yield receiver


def publish_new(alerts: Herald) -> Bulletin:
    draft = alerts.authoring.create_draft(demo.reference_content())
    return alerts.authoring.publish(draft.article_id)


@contextmanager
def webhook_path(
    alerts: Herald, guard: WebhookTargetGuard, tls: ssl.SSLContext | None = None
) -> Iterator[tuple[SubscriptionService, DeliveryService]]:
    """herald's subscription service and webhook worker, both checking with ``guard``."""
    signer = HmacTokenSigner(alerts.settings.signing_key)
    database = alerts.database
    subscriptions = SubscriptionService(database.unit_of_work, alerts.clock, signer, guard)
    sender = WebhookSender(alerts.settings.base_url, guard, concurrency=2, timeout=5, tls=tls)
    worker = DeliveryService(database.unit_of_work, alerts.clock, {Channel.WEBHOOK: sender}, signer)
    try:
        yield subscriptions, worker
    finally:
        worker.close()


def only_delivery(alerts: Herald, bulletin: Bulletin) -> Delivery:
    [view] = alerts.alerts.deliveries(bulletin.article_id)
    return view.delivery


def test_a_name_rebound_to_loopback_after_the_check_is_not_connected_to(
    alerts: Herald, tls_receiver: CountingReceiver, authority: Authority, clock: MovableClock
) -> None:
    """Public to the subscription check and to the send-time check, loopback to the
    connection's own lookup: the receiver (its certificate trusted, so a connection would
    deliver) sees no connection, and the delivery waits for a retry like any connection
    error."""
    resolver = ScriptedResolver(PUBLIC, PUBLIC, LOOPBACK, PUBLIC, LOOPBACK)
    guard = WebhookTargetGuard(allow_private=False, resolver=resolver)
    with webhook_path(alerts, guard, authority.client()) as (subscriptions, worker):
        hook = subscriptions.subscribe_webhook(
            f"https://hooks.test:{tls_receiver.port}/hook", AlertFilter()
        )
        tls_receiver.secrets["/hook"] = hook.secret or ""
        bulletin = publish_new(alerts)
        worker.drain()
        first = only_delivery(alerts, bulletin)
        first_drain = clock.now()
        clock.advance(timedelta(hours=1))
        worker.drain()
        second = only_delivery(alerts, bulletin)

    assert resolver.answers == [] and set(resolver.lookups) == {"hooks.test"}
    assert tls_receiver.connections == 0 and tls_receiver.requests == []
    reason = "ConnectError: not connected: url: hooks.test resolves to a loopback address 127.0.0.1"
    assert (first.status, first.attempts, first.last_error) == (
        DeliveryStatus.PENDING,
        1,
        reason,
    )
    assert first.next_attempt_at > first_drain  # a backoff, as for any connection error
    assert (second.status, second.attempts, second.last_error) == (
        DeliveryStatus.PENDING,
        2,
        reason,
    )


def test_when_private_targets_are_allowed_the_rebound_name_is_reached(
    alerts: Herald, tls_receiver: CountingReceiver, authority: Authority
) -> None:
    """The same answers with ``allow_private``: the loopback receiver gets the request,
    over TLS for the name (SNI ``hooks.test``, its certificate verified), ``Host`` as in
    the URL."""
    resolver = ScriptedResolver(PUBLIC, PUBLIC, LOOPBACK)
    guard = WebhookTargetGuard(allow_private=True, resolver=resolver)
    url = f"https://hooks.test:{tls_receiver.port}/hook"
    with webhook_path(alerts, guard, authority.client()) as (subscriptions, worker):
        hook = subscriptions.subscribe_webhook(url, AlertFilter())
        tls_receiver.secrets["/hook"] = hook.secret or ""
        bulletin = publish_new(alerts)
        worker.drain()

    assert only_delivery(alerts, bulletin).status is DeliveryStatus.SENT
    assert [r.verified for r in tls_receiver.requests] == [True]
    assert tls_receiver.requests[0].headers["host"] == f"hooks.test:{tls_receiver.port}"
    assert tls_receiver.server_names == ["hooks.test"]


def test_the_certificate_is_verified_against_the_host_name(
    alerts: Herald, tls_receiver: CountingReceiver, authority: Authority
) -> None:
    """``other.test`` also resolves to the receiver, whose certificate names only
    ``hooks.test``: the TLS handshake fails, nothing is sent, the delivery is retried."""
    resolver = ScriptedResolver(LOOPBACK, LOOPBACK, LOOPBACK)
    guard = WebhookTargetGuard(allow_private=True, resolver=resolver)
    with webhook_path(alerts, guard, authority.client()) as (subscriptions, worker):
        subscriptions.subscribe_webhook(
            f"https://other.test:{tls_receiver.port}/hook", AlertFilter()
        )
        bulletin = publish_new(alerts)
        worker.drain()

    delivery = only_delivery(alerts, bulletin)
    assert delivery.status is DeliveryStatus.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in (delivery.last_error or "")
    assert "other.test" in (delivery.last_error or "")
    assert tls_receiver.connections == 1 and tls_receiver.requests == []
    assert tls_receiver.server_names == ["other.test"]


def test_each_vetted_address_is_tried_in_the_resolver_order(
    alerts: Herald, plain_receiver: CountingReceiver
) -> None:
    """Nothing listens on 127.0.0.2 at the receiver's port: the next address is used."""
    resolver = ScriptedResolver(LOOPBACK, LOOPBACK, ("127.0.0.2", "127.0.0.1"))
    guard = WebhookTargetGuard(allow_private=True, resolver=resolver)
    with webhook_path(alerts, guard) as (subscriptions, worker):
        hook = subscriptions.subscribe_webhook(
            f"http://hooks.test:{plain_receiver.port}/hook", AlertFilter()
        )
        plain_receiver.secrets["/hook"] = hook.secret or ""
        bulletin = publish_new(alerts)
        worker.drain()

    assert only_delivery(alerts, bulletin).status is DeliveryStatus.SENT
    assert [r.verified for r in plain_receiver.requests] == [True]


def test_a_redirect_is_not_followed(alerts: Herald, plain_receiver: CountingReceiver) -> None:
    """A 307 to the same receiver (the resolver would answer for it) ends the delivery."""
    plain_receiver.status = 307
    plain_receiver.location = f"http://hooks.test:{plain_receiver.port}/elsewhere"
    resolver = ScriptedResolver(LOOPBACK, LOOPBACK, LOOPBACK, LOOPBACK)
    guard = WebhookTargetGuard(allow_private=True, resolver=resolver)
    with webhook_path(alerts, guard) as (subscriptions, worker):
        subscriptions.subscribe_webhook(
            f"http://hooks.test:{plain_receiver.port}/hook", AlertFilter()
        )
        bulletin = publish_new(alerts)
        worker.drain()

    delivery = only_delivery(alerts, bulletin)
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.last_error == "HTTP 307: redirects not followed"
    assert plain_receiver.paths == ["/hook"] and plain_receiver.connections == 1
