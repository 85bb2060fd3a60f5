"""CycloneDX 1.6 VEX documents (BOMs with ``vulnerabilities``) of public bulletins.

``components`` are the products the bulletin's statements name (``stream_products``): a
version, or an affected update channel (its releases are the ``versions`` its
vulnerability entries list). ``vulnerabilities`` has one entry per CVE and component,
as CycloneDX keeps one ``analysis`` per entry:

- an affected channel with a fixed release: ``resolved``, response ``update``; its
  releases before the fix ``affected``, the fixed ones ``unaffected``;
- affected with no fixed release: ``exploitable``, with ``workaround_available`` when the
  remedy gives a mitigation or workaround and ``will_not_fix`` when no fix is planned (or
  the version is past its end of life);
- not affected: ``not_affected``, the justification mapped (``JUSTIFICATION``), the
  impact statement as ``detail``, the version ``unaffected``;
- under investigation: ``in_triage``, the version ``unknown``.

The BOM's ``serialNumber`` is a name-based UUID of the document's URL, the same for every
revision (``version`` counts them), so the bytes depend only on the bulletin.
``docs/machine-readable.md`` maps every field.
"""

from __future__ import annotations

import uuid
from typing import Any, assert_never

from herald import __version__
from herald.adapters.formats.csaf_common import (
    DocumentLinks,
    dump_json,
    require_public,
    revision_instants,
    utc_text,
)
from herald.adapters.formats.schema_check import CYCLONEDX_SCHEMA, schema_problems
from herald.adapters.formats.stream_products import (
    Level,
    Statement,
    StreamProduct,
    Verdict,
    action_statement,
    identifiers,
    statements,
)
from herald.domain.bulletin import Bulletin, NoFix
from herald.domain.catalog import Catalog, Lifecycle
from herald.domain.document import compose
from herald.domain.publisher import Publisher
from herald.domain.scoring import CvssScore, CvssVersion
from herald.domain.statements import Justification

CYCLONEDX_SUFFIX = ".cdx.json"
"""``/bulletins/{id}.cdx.json``: a bulletin's CycloneDX VEX (``machine.CYCLONEDX``)."""
CYCLONEDX_MEDIA_TYPE = "application/vnd.cyclonedx+json"
SPEC_VERSION = "1.6"
SCHEMA_URL = "http://cyclonedx.org/schema/bom-1.6.schema.json"
CVE_RECORD_URL = "https://www.cve.org/CVERecord?id={cve}"

JUSTIFICATION: dict[Justification, str] = {
    Justification.COMPONENT_NOT_PRESENT: "requires_dependency",
    Justification.VULNERABLE_CODE_NOT_PRESENT: "code_not_present",
    Justification.VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY: "requires_environment",
    Justification.VULNERABLE_CODE_NOT_IN_EXECUTE_PATH: "code_not_reachable",
    Justification.INLINE_MITIGATIONS_ALREADY_EXIST: "protected_at_runtime",
}
"""CSAF's (and OpenVEX's) justification → CycloneDX's ``impactAnalysisJustification``.

The vulnerable component is absent: "exploitability requires a dependency that is not
present". Its vulnerable code is absent: "the code has been removed". An adversary
cannot control it: "exploitability requires a certain environment which is not
present". It is never executed: "not invoked at runtime". Built-in protections stop
it: "exploits are prevented at runtime". The author's impact statement goes along as
``detail`` every time.
"""

_SEVERITIES = frozenset({"critical", "high", "medium", "low", "info", "none"})


def cyclonedx_url(article_id: str, base_url: str) -> str:
    return f"{DocumentLinks(base_url).bulletin_page(article_id)}{CYCLONEDX_SUFFIX}"


def cyclonedx_vex(
    bulletin: Bulletin, catalog: Catalog, publisher: Publisher, base_url: str
) -> dict[str, Any]:
    """The CycloneDX VEX of a published or withdrawn bulletin, as a JSON-ready dict."""
    require_public(bulletin, "CycloneDX")
    instants = revision_instants(bulletin)
    found = statements(bulletin, catalog)
    notes = compose(bulletin, catalog, publisher).not_covered_notes
    named = [s for s in found.items if s.product.level is not Level.RELEASE]
    serial = uuid.uuid5(uuid.NAMESPACE_URL, cyclonedx_url(bulletin.article_id, base_url))
    return {
        "$schema": SCHEMA_URL,
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": serial.urn,
        "version": bulletin.revision,
        "metadata": {
            "timestamp": utc_text(instants[-1]),
            "tools": {
                "components": [{"type": "application", "name": "herald", "version": __version__}]
            },
            "supplier": {"name": publisher.name, "url": [publisher.namespace_url]},
        },
        "components": [_component(s.product, catalog, publisher) for s in named],
        "vulnerabilities": [
            _vulnerability(cve, statement, found.items, bulletin, publisher, base_url, notes)
            for cve in bulletin.cves
            for statement in named
        ],
    }


def render_cyclonedx(
    bulletin: Bulletin, catalog: Catalog, publisher: Publisher, base_url: str
) -> str:
    """The CycloneDX VEX as pretty JSON text with sorted keys."""
    return dump_json(cyclonedx_vex(bulletin, catalog, publisher, base_url))


def check(text: str) -> list[str]:
    """What the CycloneDX 1.6 JSON schema refuses in ``text`` (empty when valid)."""
    return schema_problems(CYCLONEDX_SCHEMA, text)


def _component(product: StreamProduct, catalog: Catalog, publisher: Publisher) -> dict[str, Any]:
    component: dict[str, Any] = {
        "type": "application",
        "bom-ref": product.slug,
        "name": product.product_name,
        "version": product.version.version,
        "supplier": {"name": publisher.name},
    }
    if product.channel is not None:
        whole = f"{product.product_name} {product.version.version}"
        component["description"] = f"The {product.channel} update channel of {whole}"
        component["properties"] = [{"name": "herald:channel", "value": product.channel}]
    known = identifiers(product, catalog)
    for key, field in (("cpe23", "cpe"), ("purl", "purl")):
        if key in known:
            component[field] = known[key]
    return component


def _vulnerability(
    cve: str,
    statement: Statement,
    everything: tuple[Statement, ...],
    bulletin: Bulletin,
    publisher: Publisher,
    base_url: str,
    notes: tuple[str, ...],
) -> dict[str, Any]:
    links = DocumentLinks(base_url)
    instants = revision_instants(bulletin)
    product = statement.product
    entry: dict[str, Any] = {
        "bom-ref": f"{cve}/{product.slug}",
        "id": cve,
        "source": {"name": "CVE", "url": CVE_RECORD_URL.format(cve=cve)},
        "advisories": [
            {
                "title": f"{publisher.brand} security bulletin {bulletin.article_id}",
                "url": links.bulletin_page(bulletin.article_id),
            },
            {"title": f"{bulletin.article_id} (CSAF 2.0)", "url": links.csaf(bulletin.article_id)},
        ],
        "published": utc_text(instants[0]),
        "updated": utc_text(instants[-1]),
        "affects": [{"ref": product.slug, **_versions(statement, everything)}],
        "analysis": {
            **_analysis(statement, notes),
            "firstIssued": utc_text(instants[0]),
            "lastUpdated": utc_text(instants[-1]),
        },
    }
    if bulletin.problem.strip():
        entry["description"] = bulletin.problem
    if statement.verdict is Verdict.AFFECTED:
        entry["recommendation"] = action_statement(statement, notes)
        ratings = _ratings(bulletin, publisher)
        if ratings:
            entry["ratings"] = ratings
        remedy = statement.remedy
        workaround = (
            [text for text in (remedy.mitigation, remedy.workaround) if text] if remedy else []
        )
        if workaround:
            entry["workaround"] = "\n\n".join(workaround)
    return entry


def _versions(statement: Statement, everything: tuple[Statement, ...]) -> dict[str, Any]:
    """``versions``: a channel's releases with their status, or the version's own."""
    product, stream = statement.product, statement.stream
    if product.level is Level.CHANNEL and stream is not None:
        listed = [{"version": name, "status": "affected"} for name in stream.affected_releases]
        listed.extend(
            {"version": s.product.release, "status": "unaffected"}
            for s in everything
            if s.stream is stream and s.product.release is not None
        )
        return {"versions": listed} if listed else {}
    status = {
        Verdict.AFFECTED: "affected",
        Verdict.FIXED: "unaffected",
        Verdict.NOT_AFFECTED: "unaffected",
        Verdict.UNDER_INVESTIGATION: "unknown",
    }[statement.verdict]
    return {"versions": [{"version": product.version.version, "status": status}]}


def _analysis(statement: Statement, notes: tuple[str, ...]) -> dict[str, Any]:
    match statement.verdict:
        case Verdict.NOT_AFFECTED:
            stated = statement.not_affected
            analysis: dict[str, Any] = {"state": "not_affected"}
            if stated is not None:
                analysis["justification"] = JUSTIFICATION[stated.justification]
                analysis["detail"] = stated.impact
            return analysis
        case Verdict.UNDER_INVESTIGATION:
            return {"state": "in_triage", "detail": "The version is under investigation."}
        case Verdict.AFFECTED | Verdict.FIXED:
            return _affected_analysis(statement, notes)
        case _:
            assert_never(statement.verdict)


def _affected_analysis(statement: Statement, notes: tuple[str, ...]) -> dict[str, Any]:
    remedy, unsupported = statement.remedy, statement.unsupported
    responses: list[str] = []
    resolved = remedy is not None and remedy.release is not None
    if resolved:
        responses.append("update")
    if remedy is not None and (remedy.mitigation or remedy.workaround):
        responses.append("workaround_available")
    no_fix_planned = remedy is not None and remedy.no_fix is NoFix.NO_FIX_PLANNED
    if no_fix_planned or (
        unsupported is not None and unsupported.lifecycle is Lifecycle.END_OF_LIFE
    ):
        responses.append("will_not_fix")
    analysis: dict[str, Any] = {
        "state": "resolved" if resolved else "exploitable",
        "detail": action_statement(statement, notes),
    }
    if responses:
        analysis["response"] = responses
    return analysis


def _ratings(bulletin: Bulletin, publisher: Publisher) -> list[dict[str, Any]]:
    """The CVSS scores, and the publisher's severity when CycloneDX has that word."""
    ratings = [_cvss_rating(score) for score in bulletin.cvss]
    severity = (bulletin.severity or "").lower()
    if severity in _SEVERITIES:
        ratings.append(
            {"source": {"name": publisher.name}, "severity": severity, "method": "other"}
        )
    return ratings


def _cvss_rating(score: CvssScore) -> dict[str, Any]:
    match score.version:
        case CvssVersion.V3_1:
            method = "CVSSv31"
        case CvssVersion.V4_0:
            method = "CVSSv4"
        case _:
            assert_never(score.version)
    return {
        "method": method,
        "score": score.base_score,
        "severity": score.base_severity.lower(),
        "vector": score.vector,
    }
