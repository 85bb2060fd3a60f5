"""herald as a CSAF 2.0 trusted provider: the files under ``/.well-known/csaf/``.

``snapshot`` builds the whole distribution (documents, hashes, signatures, indexes,
ROLIE documents, provider metadata, public key, listings) as one immutable value;
``keeper`` keeps the current one per process and swaps in a complete new one when the
site changes; ``security_txt`` makes ``/.well-known/security.txt``.
``docs/csaf-provider.md`` describes the layout and the guarantees.
"""

from herald.adapters.csaf_distribution.document_cache import DocumentCache
from herald.adapters.csaf_distribution.keeper import DistributionKeeper, Signatures
from herald.adapters.csaf_distribution.layout import WELL_KNOWN, DistributionUrls
from herald.adapters.csaf_distribution.security_txt import security_txt
from herald.adapters.csaf_distribution.snapshot import (
    PUBLIC_LABELS,
    DistributedDocument,
    DistributedFile,
    Distribution,
    PublicKey,
    assemble,
    distributed_document,
)

__all__ = [
    "PUBLIC_LABELS",
    "WELL_KNOWN",
    "DistributedDocument",
    "DistributedFile",
    "Distribution",
    "DistributionKeeper",
    "DistributionUrls",
    "DocumentCache",
    "PublicKey",
    "Signatures",
    "assemble",
    "distributed_document",
    "security_txt",
]
