"""Signatures made once per document: kept on disk by key and by the document's hash.

An OpenPGP signature carries the instant it was made, so signing the same bytes twice
gives two different (equally valid) signatures. Every herald process on a host shares
``$HERALD_DATA_DIR/csaf-signatures/<fingerprint>/<sha256>.asc`` (a detached signature)
and ``<sha256>.signed.txt`` (a cleartext-signed text, such as ``security.txt``): the
first process to sign links its file into place (``os.link`` fails when the file is
there), and every other process, request and restart reads that file. So each document
is signed once, and every worker serves the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from herald.adapters.signing.openpgp import OpenPgpSigner, SigningKey


class SignatureCache:
    """Detached signatures of documents, made by ``signer`` on a miss and kept in ``folder``."""

    def __init__(self, signer: OpenPgpSigner, folder: Path) -> None:
        self._signer = signer
        self._folder = folder

    @property
    def signer(self) -> OpenPgpSigner:
        return self._signer

    @property
    def folder(self) -> Path:
        return self._folder

    def key(self) -> SigningKey | None:
        """The key signatures are made with (None: no key, documents go unsigned)."""
        return self._signer.key()

    def signature(self, data: bytes, key: SigningKey) -> bytes:
        """The kept detached signature of ``data`` by ``key``, made and kept when there is none."""
        return self._kept(data, key.fingerprint, ".asc", self._signer.sign)

    def cleartext(self, text: bytes, fingerprint: str) -> bytes:
        """``text`` cleartext-signed by the key ``fingerprint`` (kept: signed once)."""
        return self._kept(text, fingerprint, ".signed.txt", self._signer.clearsign)

    def _kept(
        self, data: bytes, fingerprint: str, suffix: str, sign: Callable[[bytes, str], bytes]
    ) -> bytes:
        digest = hashlib.sha256(data).hexdigest()
        path = self._folder / fingerprint / f"{digest}{suffix}"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        signed = sign(data, fingerprint)
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{digest}.{os.getpid()}.{threading.get_ident()}.tmp")
        staging.write_bytes(signed)
        try:
            os.link(staging, path)
        except FileExistsError:
            signed = path.read_bytes()
        finally:
            staging.unlink(missing_ok=True)
        return signed
