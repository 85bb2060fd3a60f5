"""The webhook channel: Standard Webhooks signed JSON POSTs, sent concurrently.

``webhook-id`` is ``msg_`` + the delivery's idempotency key (the same on every retry),
``webhook-timestamp`` the attempt's Unix time, and ``webhook-signature`` ``v1,`` + the
base64 HMAC-SHA256 of ``id.timestamp.body`` under the base64-decoded ``whsec_`` secret.
For a while after a rotation the header carries two signatures, space-separated: one by
the new secret and one by the previous (``Subscription.signing_secrets``), so a receiver
verifies with either while it switches.

Each send checks the target (``targets.py``) and the connection pool connects only to
addresses the guard accepts on the lookup it connects with (``guarded_backend.py``).
Redirects are never followed: a 3xx fails the delivery for good.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import ssl
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any

import httpx

from herald.adapters.delivery.guarded_backend import GuardedNetworkBackend
from herald.adapters.delivery.pool_transport import PoolTransport
from herald.adapters.delivery.targets import WebhookTargetGuard
from herald.adapters.formats.machine import CSAF
from herald.domain.alerts import AlertEvent
from herald.domain.document import BulletinDocument
from herald.domain.errors import ValidationError
from herald.services.ports.common import AlertJob, SendResult

WEBHOOK_TIMEOUT = 15.0
_RETRYABLE = frozenset({408, 425, 429})
_USER_AGENT = "herald-webhooks/1"


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value for one request."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def payload(event: AlertEvent, document: BulletinDocument | None, base_url: str) -> bytes:
    """The JSON body of an event (the same bytes for every subscriber)."""
    data: dict[str, Any] = {
        "article_id": event.article_id,
        "revision": event.revision,
        "severity": event.severity,
        "affected": list(event.versions),
        "material": event.material,
        "changed": list(event.changed),
        "change": (
            {"on": event.entry_on, "summary": event.entry_summary} if event.entry_on else None
        ),
        "embargoed_until": event.release_at.isoformat() if event.release_at else None,
        "tlp": "AMBER" if event.release_at else "CLEAR",
    }
    if document is not None:
        data["title"] = document.title
        data["cves"] = list(document.cves)
    page = f"{base_url}/bulletins/{event.article_id}"
    data["links"] = {"page": page, "csaf": f"{page}{CSAF.suffix}"}
    body = {"type": event.kind.value, "timestamp": event.at.isoformat(), "data": data}
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


class WebhookSender:
    """``Sender`` for webhooks: a thread pool over one pooled ``httpx.Client`` whose
    connections go only to addresses ``guard`` accepts.

    ``tls`` verifies the receivers' certificates (default: the certifi bundle, as httpx
    without environment variables); tests pass one that trusts their own authority.
    """

    def __init__(
        self,
        base_url: str,
        guard: WebhookTargetGuard,
        concurrency: int = 16,
        timeout: float = WEBHOOK_TIMEOUT,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._base_url = base_url
        self._guard = guard
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        transport = PoolTransport(
            network_backend=GuardedNetworkBackend(guard),
            ssl_context=tls or httpx.create_ssl_context(trust_env=False),
            limits=limits,
        )
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            headers={"user-agent": _USER_AGENT, "content-type": "application/json"},
        )
        self._pool = ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="herald-webhook")
        self._bodies: dict[str, bytes] = {}

    def send(self, jobs: Sequence[AlertJob]) -> list[SendResult]:
        if len(self._bodies) > 256:
            self._bodies = {}  # a new dict: a call in another lane keeps the one it has
        bodies = self._bodies
        for job in jobs:
            if job.event.id not in bodies:
                bodies[job.event.id] = payload(job.event, job.document, self._base_url)
        return list(self._pool.map(partial(self._send_one, bodies), jobs))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._client.close()

    def _send_one(self, bodies: dict[str, bytes], job: AlertJob) -> SendResult:
        delivery_id = job.delivery.id
        url = job.subscription.target
        try:
            self._guard.check(url)
        except ValidationError as error:
            return SendResult(delivery_id, ok=False, permanent=True, error=f"refused: {error}")
        if not job.subscription.secret:
            return SendResult(delivery_id, ok=False, permanent=True, error="no signing secret")
        body = bodies[job.event.id]
        message_id = f"msg_{job.delivery.idempotency_key}"
        timestamp = int(time.time())
        secrets = job.subscription.signing_secrets(datetime.fromtimestamp(timestamp, UTC))
        headers = {
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": " ".join(
                sign(secret, message_id, timestamp, body) for secret in secrets
            ),
        }
        try:
            response = self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            return SendResult(delivery_id, ok=False, error=f"{type(error).__name__}: {error}")
        status = response.status_code
        if 200 <= status < 300:
            return SendResult(delivery_id, ok=True)
        error_text = f"HTTP {status}"
        if 300 <= status < 400:
            return SendResult(
                delivery_id, ok=False, permanent=True, error=f"{error_text}: redirects not followed"
            )
        if status in _RETRYABLE or status >= 500:
            return SendResult(
                delivery_id, ok=False, error=error_text, retry_after=_retry_after(response)
            )
        return SendResult(delivery_id, ok=False, permanent=True, error=error_text)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())
