"""Package URLs (purl), checked as the purl specification defines them (test 6.1.13)."""

from __future__ import annotations

import re

_TYPE = re.compile(r"[A-Za-z.+-][A-Za-z0-9.+-]*")
_QUALIFIER_KEY = re.compile(r"[A-Za-z.\-_][A-Za-z0-9.\-_]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
PLAIN_PURL = re.compile(r"pkg:[A-Za-z.+-][A-Za-z0-9.+-]*/(?:[^/?#@%]+/)*[^/?#@%]+(?:@[^/?#@%]+)?")
"""The common shape (type, namespace, name, version; no qualifiers, subpath or escapes)."""


def purl_problem(purl: str) -> str | None:
    """Why ``purl`` is not a valid package URL, or None when it is."""
    if PLAIN_PURL.fullmatch(purl):
        return None
    scheme, colon, rest = purl.partition(":")
    if not colon or scheme.lower() != "pkg":
        return "a purl starts with the scheme 'pkg:'"
    if _BAD_ESCAPE.search(purl):
        return "a '%' that does not start a percent-encoded byte"
    rest = rest.lstrip("/")
    rest, _, subpath = rest.partition("#")
    rest, question, qualifiers = rest.partition("?")
    package_type, slash, remainder = rest.partition("/")
    if not package_type:
        return "the type is missing"
    if not _TYPE.fullmatch(package_type):
        return f"the type {package_type!r} has characters a purl type cannot have"
    if not slash:
        return "the name is missing"
    remainder = remainder.rstrip("/")
    at = remainder.rfind("@")
    if at != -1:
        version = remainder[at + 1 :]
        remainder = remainder[:at]
        if not version:
            return "an '@' without a version"
    name = remainder.rsplit("/", 1)[-1]
    if not name:
        return "the name is missing"
    if question:
        problem = _qualifiers_problem(qualifiers)
        if problem:
            return problem
    if any(segment in {".", ".."} for segment in subpath.split("/") if segment):
        return "the subpath contains '.' or '..'"
    return None


def _qualifiers_problem(qualifiers: str) -> str | None:
    seen: set[str] = set()
    for pair in qualifiers.split("&"):
        if not pair:
            continue
        key, equals, _value = pair.partition("=")
        if not equals:
            return f"the qualifier {pair!r} has no '='"
        if not _QUALIFIER_KEY.fullmatch(key):
            return f"the qualifier key {key!r} is not valid"
        if key.lower() in seen:
            return f"the qualifier {key!r} is given twice"
        seen.add(key.lower())
    return None
