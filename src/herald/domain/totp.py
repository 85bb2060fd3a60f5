"""One-time passwords for the staff's second factor: HOTP (RFC 4226), TOTP (RFC 6238),
and single-use recovery codes.

herald uses TOTP with HMAC-SHA1, a 30-second step and 6 digits, the parameters every
authenticator app understands. A code is accepted for the current step and one step
either side (clock drift), and never twice: the caller keeps the last step accepted and
passes it back (``matching_step(..., after=...)``), so a code seen over a shoulder or in
a proxy's log cannot be replayed within its step.

Recovery codes are random (50 bits each), shown once and stored as SHA-256 hashes: a
slow hash adds nothing to a secret that long.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime
from typing import Literal
from urllib.parse import quote, urlencode

from herald.domain.errors import ValidationError

STEP_SECONDS = 30
"""A TOTP code changes every this many seconds."""
DIGITS = 6
DRIFT_STEPS = 1
"""Steps accepted either side of the current one."""
ISSUER = "herald"
RECOVERY_CODES = 10
"""How many recovery codes an enrollment gives."""

Algorithm = Literal["sha1", "sha256", "sha512"]

_BASE32 = re.compile(r"[A-Z2-7]+=*")
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def new_secret() -> str:
    """A fresh shared secret: 160 random bits (RFC 4226's recommendation) in base32."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """The key a base32 secret (upper or lower case, spaces, with or without padding)
    stands for; ``ValidationError`` naming ``secret`` otherwise."""
    text = secret.replace(" ", "").upper().rstrip("=")
    text += "=" * (-len(text) % 8)
    if not text or not _BASE32.fullmatch(text):
        raise ValidationError("secret", "not a base32 secret")
    try:
        return base64.b32decode(text)
    except ValueError:
        raise ValidationError("secret", "not a base32 secret") from None


def hotp(key: bytes, counter: int, digits: int = DIGITS, algorithm: Algorithm = "sha1") -> str:
    """RFC 4226: the ``digits``-digit code for ``counter`` (dynamic truncation)."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), algorithm).digest()
    offset = mac[-1] & 0x0F
    binary = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFF_FFFF
    return str(binary % 10**digits).zfill(digits)


def step_at(at: datetime | float) -> int:
    """The TOTP time step (T, RFC 6238) an instant falls in."""
    seconds = at.timestamp() if isinstance(at, datetime) else at
    return int(seconds // STEP_SECONDS)


def totp(
    key: bytes, at: datetime | float, digits: int = DIGITS, algorithm: Algorithm = "sha1"
) -> str:
    """RFC 6238: the code at instant ``at`` (T0 = 0, X = 30 s)."""
    return hotp(key, step_at(at), digits, algorithm)


def matching_step(secret: str, code: str, at: datetime, after: int | None = None) -> int | None:
    """The step whose code ``code`` is, within ``DRIFT_STEPS`` of ``at`` and later than
    ``after`` (the last step accepted before); None when there is none."""
    given = code.replace(" ", "").replace("-", "")
    if len(given) != DIGITS or not given.isascii() or not given.isdigit():
        return None
    key = secret_bytes(secret)
    now = step_at(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(hotp(key, step), given):
            return step
    return None


def provisioning_uri(username: str, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (Key Uri Format)."""
    label = quote(f"{ISSUER}:{username}", safe=":@")
    query = urlencode({"secret": secret, "issuer": ISSUER})
    return f"otpauth://totp/{label}?{query}"


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """``count`` fresh codes like ``k7xqm-3fhtw`` (10 characters of 31: about 50 bits)."""
    return [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(count)
    ]


def recovery_code_hash(code: str) -> str:
    """How a recovery code is stored: SHA-256 of its letters (case, spaces and the
    hyphen do not matter)."""
    letters = "".join(c for c in code.lower() if c.isalnum())
    return hashlib.sha256(f"herald-recovery:{letters}".encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    """Whether ``code`` has a recovery code's shape (rather than a TOTP code's)."""
    letters = "".join(c for c in code.lower() if c.isalnum())
    return len(letters) == 10 and all(c in _RECOVERY_ALPHABET for c in letters)
