"""Weaknesses: CWE ids, checked against the CWE catalogue herald ships.

The catalogue is MITRE's CWE list (``data/cwe-<version>.json``: every *weakness* with
its name; categories and views are not weaknesses and are not in it). A bulletin names
weaknesses per CVE (``Bulletin.weaknesses``); the CSAF validator's test 6.1.11 reads the
same file.

A CWE id is written ``CWE-787``. The parser forgives spaces around the id and the
case of the prefix (`` cwe-787 `` is ``CWE-787``), and keeps that canonical form; it
guesses nothing else: a bare number (``787``) or leading zeros (``CWE-0787``) are
refused, as is an id the catalogue has no weakness for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import NewType

from herald.domain.errors import ValidationError

CweId = NewType("CweId", str)
"""A CWE id of a weakness in the catalogue, such as ``CWE-787``."""

CWE_VERSION = "4.14"
"""The version of the CWE catalogue in ``data/``."""

DEFINITION_URL = "https://cwe.mitre.org/data/definitions/{number}.html"
"""Where MITRE describes a weakness."""

_CWE = re.compile(r"CWE-([1-9][0-9]{0,6})", re.IGNORECASE)


@cache
def weakness_names() -> Mapping[str, str]:
    """``CWE-79`` → its name, for every weakness in the catalogue."""
    text = (
        resources.files(__package__)
        .joinpath("data")
        .joinpath(f"cwe-{CWE_VERSION}.json")
        .read_text("utf-8")
    )
    names: dict[str, str] = json.loads(text)["weaknesses"]
    return MappingProxyType(names)


def parse_cwe_id(text: str, field: str = "weaknesses") -> CweId:
    """A weakness of the catalogue, from ``CWE-787`` (or `` cwe-787 ``): ``CWE-787``.

    ``ValidationError`` naming ``field`` for text that is not a CWE id (``CWE-abc``) and
    for an id that is no weakness in the catalogue (``CWE-999999``, a category, a view).
    """
    candidate = text.strip() if isinstance(text, str) else text
    match = _CWE.fullmatch(candidate) if isinstance(candidate, str) else None
    if match is None:
        raise ValidationError(field, f"{text!r} is not a CWE id (expected CWE-NNN, e.g. CWE-787)")
    cwe = CweId(f"CWE-{match.group(1)}")
    if cwe not in weakness_names():
        raise ValidationError(field, f"{cwe} is not a weakness in CWE {CWE_VERSION}")
    return cwe


def weakness_name(cwe: CweId) -> str:
    """The catalogue's name of ``cwe``: ``Out-of-bounds Write`` for ``CWE-787``."""
    return weakness_names()[cwe]


def weakness_title(cwe: CweId) -> str:
    """The id and its name, as readers see them: ``CWE-787 Out-of-bounds Write``."""
    return f"{cwe} {weakness_name(cwe)}"


def definition_url(cwe: CweId) -> str:
    """MITRE's page on ``cwe``: ``https://cwe.mitre.org/data/definitions/787.html``."""
    return DEFINITION_URL.format(number=cwe.removeprefix("CWE-"))


def cwe_sort_key(cwe: CweId) -> int:
    """Order CWE ids by number (CWE-20 before CWE-787)."""
    return int(cwe.removeprefix("CWE-"))
