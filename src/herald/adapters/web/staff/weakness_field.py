"""The bulletin form's "Weaknesses (CWE ids)" field: one line per CVE that has any.

A line is a CVE id of the bulletin, a colon, and its CWE ids separated by commas or
spaces: ``CVE-2026-4397: CWE-787, CWE-20``. CWE ids are read as the domain reads them
(``herald.domain.weaknesses.parse_cwe_id``: any case, known weaknesses only). Every
problem is recorded against the field, naming the line's CVE.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from herald.adapters.web.forms import FormReader
from herald.domain.errors import ValidationError
from herald.domain.ids import CveId, parse_cve_id
from herald.domain.weaknesses import CweId, parse_cwe_id

FIELD = "weaknesses"
"""The form field's name, and the domain field its problems map to."""

_SEPARATORS = re.compile(r"[,\s]+")


def weaknesses_text(weaknesses: Mapping[CveId, tuple[CweId, ...]], cves: Sequence[CveId]) -> str:
    """The field's text for stored weaknesses, one line per CVE in the bulletin's order."""
    return "\n".join(f"{cve}: {', '.join(weaknesses[cve])}" for cve in cves if weaknesses.get(cve))


def read_weaknesses(reader: FormReader, cves: Sequence[CveId]) -> dict[CveId, tuple[CweId, ...]]:
    """The CWE ids by CVE the field gives; problems go to ``reader.errors[FIELD]``."""
    found: dict[CveId, tuple[CweId, ...]] = {}
    for line in reader.lines(FIELD):
        cve_text, colon, cwe_text = line.partition(":")
        if not colon:
            reader.errors.add(
                FIELD, f"{line!r}: write a CVE id, a colon and its CWE ids (CVE-2026-4397: CWE-787)"
            )
            continue
        try:
            cve = parse_cve_id(cve_text, FIELD)
        except ValidationError as error:
            reader.errors.add(FIELD, error.reason)
            continue
        if cve not in cves:
            reader.errors.add(FIELD, f"{cve} is not in the CVE list of this bulletin")
            continue
        if cve in found:
            reader.errors.add(FIELD, f"{cve} has two lines; give its CWE ids on one")
            continue
        cwes = _cwe_ids(reader, cve, cwe_text)
        if cwes:
            found[cve] = cwes
    return found


def _cwe_ids(reader: FormReader, cve: CveId, text: str) -> tuple[CweId, ...]:
    cwes: list[CweId] = []
    for part in _SEPARATORS.split(text.strip()):
        if not part:
            continue
        try:
            cwe = parse_cwe_id(part, FIELD)
        except ValidationError as error:
            reader.errors.add(FIELD, f"{cve}: {error.reason}")
            return ()
        if cwe in cwes:
            reader.errors.add(FIELD, f"{cve}: {cwe} appears twice")
            return ()
        cwes.append(cwe)
    if not cwes:
        reader.errors.add(FIELD, f"{cve}: give its CWE ids after the colon, or remove the line")
    return tuple(cwes)
