"""Opaque, signed tokens for alert links: HMAC-SHA256 over purpose and value."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable

_MAC_BYTES = 20


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class HmacTokenSigner:
    """``TokenSigner`` keyed by herald's secret key; tokens are URL-safe and never expire
    on their own (confirmation tokens expire through their stored nonce)."""

    def __init__(self, secret_key: Callable[[], str]) -> None:
        self._secret_key = secret_key
        self._derived: bytes | None = None

    def sign(self, purpose: str, value: str) -> str:
        payload = value.encode()
        return f"{_b64(payload)}.{_b64(self._mac(purpose, payload))}"

    def verify(self, purpose: str, token: str) -> str | None:
        if not isinstance(token, str) or len(token) > 512 or token.count(".") != 1:
            return None
        encoded, _, mac = token.partition(".")
        try:
            payload, given = _unb64(encoded), _unb64(mac)
            value = payload.decode()
        except (binascii.Error, ValueError):
            return None
        if not hmac.compare_digest(given, self._mac(purpose, payload)):
            return None
        return value

    def _mac(self, purpose: str, payload: bytes) -> bytes:
        if self._derived is None:  # read on first use: the key file may not exist before
            self._derived = hashlib.sha256(
                b"herald alerts\0" + self._secret_key().encode()
            ).digest()
        message = purpose.encode() + b"\0" + payload
        return hmac.digest(self._derived, message, "sha256")[:_MAC_BYTES]
