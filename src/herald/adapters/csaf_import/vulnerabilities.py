"""Vulnerabilities: CVE ids, product status, problem text, CVSS scores, severity, CWE."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from herald.adapters.csaf_import.state import Plan, items
from herald.domain.errors import ValidationError
from herald.domain.ids import CveId, parse_cve_id
from herald.domain.publisher import Publisher
from herald.domain.scoring import CvssScore, parse_cvss
from herald.domain.weaknesses import CWE_VERSION, CweId, parse_cwe_id, weakness_name

AFFECTED = ("known_affected", "first_affected", "last_affected")
FIXED = ("fixed", "first_fixed", "recommended")
UNMAPPED_STATUS = ("known_not_affected", "under_investigation")
PROBLEM_NOTES = ("description", "summary", "details")


@dataclass
class Findings:
    """What the vulnerabilities of a document say, gathered over all of them."""

    cves: list[CveId] = field(default_factory=list)
    affected_ids: list[str] = field(default_factory=list)
    fixed_ids: list[str] = field(default_factory=list)
    remediations: list[Mapping[str, Any]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(CVE id or position, text) per vulnerability with a description."""
    scores: dict[str, CvssScore] = field(default_factory=dict)
    """The highest score per CVSS version."""
    ratings: list[str] = field(default_factory=list)
    """Severity words in the order they count (the aggregate severity goes first)."""
    weaknesses: dict[CveId, list[CweId]] = field(default_factory=dict)
    """The CWE id of each vulnerability that has one, by CVE (merged when a CVE repeats)."""


def read_vulnerabilities(vulnerabilities: list[Any], plan: Plan) -> Findings:
    """Gather every vulnerability; what herald cannot keep goes to the report."""
    found = Findings()
    for position, vulnerability in enumerate(vulnerabilities):
        where = f"vulnerabilities[{position}]"
        if not isinstance(vulnerability, Mapping):
            plan.note(f"{where}: not an object; dropped")
            continue
        cve = _cve(vulnerability, where, plan)
        if cve is not None and cve not in found.cves:
            found.cves.append(cve)
        _status(vulnerability, found, plan)
        if cve is not None and "cwe" in vulnerability:
            _cwe(vulnerability["cwe"], cve, where, found, plan)
        found.remediations.extend(
            r for r in items(vulnerability, "remediations") if isinstance(r, Mapping)
        )
        text = _problem_text(vulnerability, plan)
        if text:
            found.problems.append((str(cve or where), text))
        _scores(vulnerability, where, found, plan)
        for key in ("flags", "involvements", "acknowledgments", "references", "ids"):
            if key in vulnerability:
                plan.note(f"vulnerabilities[].{key}: not imported")
        for threat in items(vulnerability, "threats"):
            if isinstance(threat, Mapping) and threat.get("category") == "impact":
                found.ratings.append(str(threat.get("details", "")))
            elif isinstance(threat, Mapping):
                plan.note(f"threats ({threat.get('category')}): not imported")
    return found


def _status(vulnerability: Mapping[str, Any], found: Findings, plan: Plan) -> None:
    status = vulnerability.get("product_status") or {}
    for category, products in status.items() if isinstance(status, Mapping) else ():
        ids = [p for p in products if isinstance(p, str)] if isinstance(products, list) else []
        if category in AFFECTED:
            found.affected_ids.extend(ids)
            if category != "known_affected":
                plan.note(f"product_status.{category}: read as affected")
        elif category in FIXED:
            found.fixed_ids.extend(ids)
        elif category in UNMAPPED_STATUS:
            plan.note(
                f"product_status.{category} ({len(ids)} products): herald has no such "
                "status; not imported"
            )


def _cwe(value: object, cve: CveId, where: str, found: Findings, plan: Plan) -> None:
    """The vulnerability's weakness, when it is one of the CWE catalogue herald ships."""
    if not isinstance(value, Mapping) or not isinstance(value.get("id"), str):
        plan.note(f"{where}.cwe: no CWE id; dropped")
        return
    try:
        cwe = parse_cwe_id(value["id"], f"{where}.cwe.id")
    except ValidationError as error:
        plan.note(f"{where}.cwe: {error.reason}; dropped")
        return
    name = value.get("name")
    if isinstance(name, str) and name != weakness_name(cwe):
        plan.note(
            f"{where}.cwe: {cwe} is {weakness_name(cwe)!r} in CWE {CWE_VERSION}, "
            f"not {name!r}; herald shows the catalogue's name"
        )
    kept = found.weaknesses.setdefault(cve, [])
    if cwe not in kept:
        kept.append(cwe)


def _cve(vulnerability: Mapping[str, Any], where: str, plan: Plan) -> CveId | None:
    text = vulnerability.get("cve")
    if not isinstance(text, str):
        plan.note(f"{where}: no CVE id; its vulnerability is not imported")
        return None
    try:
        return parse_cve_id(text, f"{where}.cve")
    except ValidationError:
        plan.note(f"{where}: {text!r} is not a CVE id; dropped")
        return None


def _problem_text(vulnerability: Mapping[str, Any], plan: Plan) -> str:
    kept = []
    for note in items(vulnerability, "notes"):
        if not isinstance(note, Mapping):
            continue
        if note.get("category") in PROBLEM_NOTES and str(note.get("text", "")).strip():
            kept.append(str(note["text"]).strip())
        else:
            plan.note(f"vulnerability notes ({note.get('category')}): not imported")
    return "\n\n".join(kept)


def _scores(vulnerability: Mapping[str, Any], where: str, found: Findings, plan: Plan) -> None:
    for item in items(vulnerability, "scores"):
        if not isinstance(item, Mapping):
            continue
        if "cvss_v2" in item:
            plan.note("CVSS v2.0 scores: herald keeps v3.1 and v4.0 only; dropped")
        v3 = item.get("cvss_v3")
        if not isinstance(v3, Mapping):
            continue
        vector = str(v3.get("vectorString", ""))
        if not vector.startswith("CVSS:3.1/"):
            plan.note(f"CVSS {v3.get('version')} scores: herald keeps v3.1 and v4.0 only; dropped")
            continue
        try:
            score = parse_cvss(vector, f"{where}.scores")
        except ValidationError:
            plan.note(f"{where}: invalid CVSS vector {vector!r}; dropped")
            continue
        found.ratings.append(score.base_severity)
        kept = found.scores.get(score.version.value)
        if kept is None or score.base_score > kept.base_score:
            if kept is not None:
                plan.note("several CVSS v3.1 scores: herald keeps one per bulletin, the highest")
            found.scores[score.version.value] = score


def severity(ratings: list[str], publisher: Publisher, plan: Plan) -> str | None:
    """The first rating that is a word of the publisher's scale, or None (reported)."""
    scale = {name.lower(): name for name in publisher.severities}
    for rating in ratings:
        words = rating.replace(":", " ").split()
        for word in (rating, *words):
            if word.strip().lower() in scale:
                return scale[word.strip().lower()]
    if ratings:
        plan.note(f"severity {ratings[0]!r} is not on the publisher's scale; left empty")
    return None


def problem(problems: list[tuple[str, str]], head: Mapping[str, Any], plan: Plan) -> str:
    """One description as is, several labelled by CVE; else the document's summary note."""
    if len(problems) == 1:
        return problems[0][1]
    if problems:
        return "\n\n".join(f"**{label}**: {text}" for label, text in problems)
    for note in items(head, "notes"):
        if isinstance(note, Mapping) and note.get("category") in PROBLEM_NOTES:
            plan.note(f"the problem is taken from the document note {note.get('title')!r}")
            return str(note.get("text", ""))
    return ""
