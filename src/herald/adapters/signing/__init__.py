"""OpenPGP signatures of distributed documents (CSAF 2.0 requirements 19 and 20)."""

from herald.adapters.signing.openpgp import (
    OpenPgpSigner,
    SigningKey,
    SigningUnavailable,
)
from herald.adapters.signing.signature_cache import SignatureCache

__all__ = [
    "OpenPgpSigner",
    "SignatureCache",
    "SigningKey",
    "SigningUnavailable",
]
