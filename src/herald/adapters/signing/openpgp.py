"""OpenPGP signing through GnuPG (``gpg``), by way of python-gnupg.

herald keeps its keys in a GnuPG home of its own (``Settings.gnupg_home``, by default
``$HERALD_DATA_DIR/gnupg``) and signs with one key there: the one
``HERALD_SIGNING_KEY`` names, or the only secret key in that home. Signatures are
detached and ASCII-armoured, as CSAF 2.0 requirement 19 wants (``.asc``).

Nothing runs ``gpg`` until a key is needed, so building herald's services stays cheap
and works where GnuPG is not installed; the error then names what is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gnupg

from herald.domain.errors import Conflict, HeraldError, ValidationError

GPG_BINARY = "gpg"
_EMAIL = re.compile(r"[^@\s<>()]+@[^@\s<>()]+\.[^@\s<>()]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f<>]")
MAX_NAME_LENGTH = 200


class SigningUnavailable(HeraldError):
    """GnuPG cannot be run, or the configured key cannot be used."""


@dataclass(frozen=True)
class SigningKey:
    """The public side of the key herald signs with."""

    fingerprint: str
    """Upper-case hexadecimal, without spaces (40 characters for an OpenPGP v4 key)."""
    user_id: str
    """``Name <email>`` as the key states it."""
    created: datetime
    """When the key was made (UTC)."""
    public_key: bytes
    """The ASCII-armoured public key (what readers import to verify signatures)."""


class OpenPgpSigner:
    """Signs bytes with one secret key of a GnuPG home; thread-safe."""

    def __init__(self, home: Path, fingerprint: str | None = None) -> None:
        self._home = home
        self._wanted = fingerprint
        self._lock = threading.Lock()
        self._gpg: Any = None

    @property
    def home(self) -> Path:
        return self._home

    def key(self) -> SigningKey | None:
        """The key to sign with; None when the home holds no secret key and none is named.

        Raises ``SigningUnavailable`` when the named key is absent, when several keys
        leave the choice open, or when ``gpg`` cannot be run.
        """
        if self._wanted is None and not _has_keyring(self._home):
            return None
        gpg = self._client()
        with self._lock:
            secret = gpg.list_keys(secret=True)
        fingerprints = [str(entry["fingerprint"]).upper() for entry in secret]
        if self._wanted is not None:
            if self._wanted not in fingerprints:
                raise SigningUnavailable(
                    f"HERALD_SIGNING_KEY: no secret key {self._wanted} in {self._home}"
                )
            chosen = self._wanted
        elif not fingerprints:
            return None
        elif len(fingerprints) > 1:
            raise SigningUnavailable(
                f"{self._home} holds {len(fingerprints)} secret keys; "
                "name the one to sign with in HERALD_SIGNING_KEY"
            )
        else:
            chosen = fingerprints[0]
        return self._describe(chosen, secret[fingerprints.index(chosen)])

    def sign(self, data: bytes, fingerprint: str) -> bytes:
        """A detached, ASCII-armoured OpenPGP signature of ``data`` by ``fingerprint``."""
        return self._sign(data, fingerprint, b"-----BEGIN PGP SIGNATURE-----", detach=True)

    def clearsign(self, text: bytes, fingerprint: str) -> bytes:
        """``text`` inside an OpenPGP cleartext signature (RFC 4880 section 7) by ``fingerprint``.

        What RFC 9116 asks of a signed ``security.txt``: the text stays readable, and
        ``gpg --verify`` checks it in place.
        """
        return self._sign(text, fingerprint, b"-----BEGIN PGP SIGNED MESSAGE-----", clearsign=True)

    def _sign(self, data: bytes, fingerprint: str, armour: bytes, **mode: bool) -> bytes:
        gpg = self._client()
        with self._lock:
            result = gpg.sign(data, keyid=fingerprint, binary=False, **mode)
        signed = str(result).encode("utf-8")
        if not signed.startswith(armour):
            raise SigningUnavailable(
                f"gpg could not sign with {fingerprint}: {result.status or 'no signature'}"
            )
        return signed

    def generate(self, name: str, email: str | None) -> SigningKey:
        """Make an Ed25519 signing key without a passphrase (for tests and demos).

        Refuses (``Conflict``) when the home already holds a secret key, and bad names
        or addresses (``ValidationError`` naming ``--name`` or ``--email``).
        """
        name = name.strip()
        if not name or len(name) > MAX_NAME_LENGTH or _CONTROL.search(name):
            raise ValidationError(
                "--name", f"give 1 to {MAX_NAME_LENGTH} characters without control characters or <>"
            )
        if email is not None and not _EMAIL.fullmatch(email):
            raise ValidationError("--email", f"{email!r} is not an email address")
        if _has_keyring(self._home):
            with self._lock:
                held = self._client_unlocked().list_keys(secret=True)
            if held:
                fingerprint = str(held[0]["fingerprint"]).upper()
                raise Conflict(f"{self._home} already holds the signing key {fingerprint}")
        self._home.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._home.chmod(0o700)
        lines = ["Key-Type: EDDSA", "Key-Curve: ed25519", "Key-Usage: sign", f"Name-Real: {name}"]
        if email:
            lines.append(f"Name-Email: {email}")
        lines += ["Expire-Date: 0", "%no-protection", "%commit", ""]
        gpg = self._client()
        with self._lock:
            made = gpg.gen_key("\n".join(lines))
        fingerprint = str(made.fingerprint or "").upper()
        if not fingerprint:
            raise SigningUnavailable(f"gpg could not make a key in {self._home}: {made.status}")
        with self._lock:
            secret = gpg.list_keys(secret=True, keys=[fingerprint])
        return self._describe(fingerprint, secret[0])

    def close(self) -> None:
        """Stop the gpg-agent GnuPG started for this home (it would otherwise linger)."""
        gpgconf = shutil.which("gpgconf")
        if self._gpg is None or gpgconf is None:
            return
        subprocess.run(  # noqa: S603  # a fixed program and arguments, no shell
            [gpgconf, "--homedir", str(self._home), "--kill", "gpg-agent"],
            capture_output=True,
            check=False,
            timeout=30,
        )

    def _describe(self, fingerprint: str, entry: dict[str, Any]) -> SigningKey:
        gpg = self._client()
        with self._lock:
            public = gpg.export_keys(fingerprint)
        uids = entry.get("uids") or [""]
        created = datetime.fromtimestamp(int(entry.get("date") or 0), tz=UTC)
        return SigningKey(fingerprint, str(uids[0]), created, str(public).encode("ascii"))

    def _client(self) -> Any:
        with self._lock:
            return self._client_unlocked()

    def _client_unlocked(self) -> Any:
        if self._gpg is None:
            if shutil.which(GPG_BINARY) is None:
                raise SigningUnavailable("gpg is not installed (Debian: apt-get install gnupg)")
            self._home.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                self._gpg = gnupg.GPG(gpgbinary=GPG_BINARY, gnupghome=str(self._home))
            except (OSError, ValueError) as error:
                raise SigningUnavailable(f"gpg cannot use {self._home}: {error}") from None
        return self._gpg


def _has_keyring(home: Path) -> bool:
    """Whether ``home`` may hold secret keys (skips running gpg on an empty data folder)."""
    return (home / "private-keys-v1.d").is_dir() and any((home / "private-keys-v1.d").iterdir())


__all__ = ["OpenPgpSigner", "SigningKey", "SigningUnavailable"]
