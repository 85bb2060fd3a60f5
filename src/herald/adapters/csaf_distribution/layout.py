"""Where each file of the CSAF distribution lives, and the small text files' formats.

Everything sits under ``/.well-known/csaf/`` (CSAF 2.0 requirement 9):

========================================  ===============================================
``provider-metadata.json``                requirement 7
``index.txt``, ``changes.csv``            requirements 12 and 13
``<YYYY>/<file name>.json``               requirement 11 (year of ``initial_release_date``)
``<YYYY>/<file name>.json.sha256|.sha512`` requirement 18
``<YYYY>/<file name>.json.asc``           requirement 19
``feed-tlp-white.json``                   requirement 15 (one ROLIE feed per TLP label)
``service.json``, ``category-white.json``  requirements 16 and 17 (one category document per feed)
``openpgp/<FINGERPRINT>.asc``             requirement 20 (the public key)
========================================  ===============================================

Paths in a ``Distribution`` are relative to that folder; a folder's own listing
(requirement 14) is its path with a trailing slash (``""`` for the top, ``"2026/"``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import quote

WELL_KNOWN = "/.well-known/csaf/"
"""The URL path of the distribution's top folder."""
PROVIDER_METADATA = "provider-metadata.json"
INDEX = "index.txt"
CHANGES = "changes.csv"
SERVICE = "service.json"
KEY_FOLDER = "openpgp/"

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
CSV = "text/csv; charset=utf-8"
SIGNATURE = "application/pgp-signature"
PUBLIC_KEY = "application/pgp-keys"
HTML = "text/html; charset=utf-8"


def feed_name(tlp_label: str) -> str:
    """``feed-tlp-white.json`` for ``WHITE``; ``feed-unlabeled.json`` for ``UNLABELED``."""
    label = tlp_label.lower()
    return "feed-unlabeled.json" if label == "unlabeled" else f"feed-tlp-{label}.json"


def category_name(tlp_label: str) -> str:
    """``category-white.json``: the ROLIE category document beside the feed of a label
    (the name CSAF tools such as the BSI's checker look for)."""
    return f"category-{tlp_label.lower()}.json"


def key_file(fingerprint: str) -> str:
    return f"{KEY_FOLDER}{fingerprint}.asc"


@dataclass(frozen=True)
class DistributionUrls:
    """Absolute URLs of the distribution's files, from the site's base URL."""

    base: str
    """``Settings.base_url``; a trailing slash is ignored."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    @property
    def folder(self) -> str:
        """The top folder, with its trailing slash (the provider's ``directory_url``)."""
        return f"{self.base}{WELL_KNOWN}"

    def of(self, path: str) -> str:
        """The URL of ``path`` (relative to the top folder)."""
        return self.folder + quote(path, safe="/")

    @property
    def provider_metadata(self) -> str:
        return self.of(PROVIDER_METADATA)

    @property
    def security_txt(self) -> str:
        return f"{self.base}/.well-known/security.txt"


def hash_line(digest: str, file_name: str) -> bytes:
    """A hash file's content: the hex digest, two spaces, the file name (``sha256sum -c``)."""
    return f"{digest}  {file_name}\n".encode("ascii")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha512(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest()


def index_txt(paths: list[str]) -> bytes:
    """Requirement 12: one document path per line, each line ending with a newline."""
    return "".join(f"{path}\n" for path in paths).encode("utf-8")


def changes_csv(rows: list[tuple[str, str]]) -> bytes:
    """Requirement 13: ``path,current_release_date`` per line, no heading, newest first.

    Paths (year folder and section 5.1 file name) and RFC 3339 instants hold no comma,
    quote or line break, so no field needs quoting (RFC 4180); CSAF 2.1 writes them
    unquoted too.
    """
    return "".join(f"{path},{instant}\r\n" for path, instant in rows).encode("utf-8")
