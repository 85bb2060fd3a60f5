"""The export's files: where a file server finds each URL (``file_for``), the staging
folder each answer is written into as soon as it is fetched, the small page a same-site
redirect becomes, and the complete folder swapped in for the destination.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from herald.adapters.formats.machine import MACHINE_FORMATS

SUFFIXES = frozenset(
    {".json", ".txt", ".md", ".xml", ".atom", ".rss", ".css", ".js", ".html", ".svg", ".png"}
    | {".ico", ".woff2", ".pdf"}
    | {".csv", ".asc", ".sha256", ".sha512"}  # the CSAF distribution (docs/csaf-provider.md)
    | {PurePosixPath(f"x{fmt.suffix}").suffix for fmt in MACHINE_FORMATS}  # .csaf.json -> .json
)
"""Suffixes a file server recognises: such paths are written as they are."""
_INDEX_SUFFIX = {
    "text/html": ".html",
    "application/json": ".json",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "application/atom+xml": ".xml",
    "application/rss+xml": ".xml",
    "text/plain": ".txt",
    "text/markdown": ".md",
}


def file_for(path: str, media_type: str) -> str | None:
    """Where a file server finds ``path``; None when it cannot be a file."""
    decoded = unquote(path)
    parts = [part for part in decoded.split("/") if part]
    if any(part in {".", ".."} or "\\" in part or "\x00" in part for part in parts):
        return None
    if parts and not decoded.endswith("/") and PurePosixPath(parts[-1]).suffix in SUFFIXES:
        return "/".join(parts)
    kind = media_type.split(";")[0].strip().lower()
    return "/".join([*parts, f"index{_INDEX_SUFFIX.get(kind, '.html')}"])


@dataclass
class StagingFolder:
    """The folder, beside the destination, each file is written into as soon as it is
    fetched."""

    path: Path
    files: set[str] = field(default_factory=set)
    """Files written, relative to the folder."""
    folders: set[Path] = field(default_factory=set)
    """Folders made in it."""

    def store(self, path: str, media_type: str, body: bytes) -> None:
        """Write the answer for ``path`` where a file server finds it (if it can be a file)."""
        name = file_for(path, media_type)
        if name is not None:
            self.write(name, body)

    def write(self, name: str, body: bytes) -> None:
        """Write a fetched file into the staging folder (the first answer for a name wins),
        so the export holds no more than the pages in flight in memory."""
        if name in self.files:
            return
        self.files.add(name)
        target = self.path / name
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        target.write_bytes(body)


def redirect_page(target: str) -> bytes:
    href = escape(target, quote=True)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{REDIRECT_POLICY}">\n'
        f'<title>Moved</title>\n<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{href}">\n</head>\n<body>\n'
        f'<p>This page is at <a href="{href}">{href}</a>.</p>\n</body>\n</html>\n'
    ).encode()


REDIRECT_POLICY = "default-src 'none'"
"""A redirect stand-in is a link and a refresh: it may load and run nothing."""


def swap_in(destination: Path, staging: Path) -> None:
    """Put the complete ``staging`` folder (beside ``destination``) in its place.

    A symlink destination is replaced atomically (``rename`` of a new link); a folder
    is renamed aside and the new one renamed in, then the old one removed.
    """
    parent = staging.parent
    staging.chmod(0o755)
    if destination.is_symlink():
        old = destination.resolve()
        link = parent / f".{destination.name}.link-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(staging.name)
        link.replace(destination)
        if old.is_dir() and old.parent == parent:
            shutil.rmtree(old, ignore_errors=True)
        return
    if destination.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{destination.name}.old.", dir=parent))
        retired.rmdir()
        destination.rename(retired)
        staging.rename(destination)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(destination)
