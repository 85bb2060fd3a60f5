"""Signatures made once per document: kept on disk by key and by the document's hash.

An OpenPGP signature carries the instant it was made, so signing the same bytes twice
gives two different (equally valid) signatures. Every herald process on a host shares
``$HERALD_DATA_DIR/csaf-signatures/<fingerprint>/<sha256>.asc``: the first process to
sign a document links its signature into place (``os.link`` fails when the file is
there), and every other process, request and restart reads that file. So each document
is signed once, and every worker serves the same signature bytes.
"""

from __future__ import annotations

import hashlib
import os
import threading
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
        """The kept signature of ``data`` by ``key``, made and kept when there is none."""
        digest = hashlib.sha256(data).hexdigest()
        path = self._folder / key.fingerprint / f"{digest}.asc"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        signature = self._signer.sign(data, key.fingerprint)
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{digest}.{os.getpid()}.{threading.get_ident()}.tmp")
        staging.write_bytes(signature)
        try:
            os.link(staging, path)
        except FileExistsError:
            signature = path.read_bytes()
        finally:
            staging.unlink(missing_ok=True)
        return signature
