"""CVE JSON 5.1 CNA containers: what a CNA submits to CVE Services for one CVE.

``cve_cna_container`` takes the public bulletin that names the CVE and returns a
published CNA container (``containers.cna`` of a CVE record). The CNA's organisation
UUID (``providerMetadata.orgId``) comes from the caller; ``PLACEHOLDER_ORG_ID`` stands
in until the publisher's real one is configured (CVE Services replaces nothing: a real
submission needs the real UUID).
"""

from __future__ import annotations

from typing import Any

from herald.adapters.formats.csaf_common import (
    DocumentLinks,
    dump_json,
    require_public,
    revision_instants,
    utc_text,
)
from herald.adapters.formats.csaf_versions import cvss_json
from herald.adapters.formats.packages import first_package
from herald.adapters.formats.stream_products import Level, Verdict, no_fix_sentence, statements
from herald.domain.bulletin import Bulletin, Fix
from herald.domain.catalog import Catalog, VersionRef
from herald.domain.document import Weakness, compose
from herald.domain.errors import ValidationError
from herald.domain.ids import CveId
from herald.domain.publisher import Publisher
from herald.domain.scoring import CvssVersion

PLACEHOLDER_ORG_ID = "00000000-0000-4000-8000-000000000000"
"""A syntactically valid version 4 UUID that names no CNA: the demo's ``orgId``."""
_TEXT_LIMIT = 4096
_TITLE_LIMIT = 256


def cve_cna_container(
    bulletin: Bulletin,
    cve: str,
    catalog: Catalog,
    publisher: Publisher,
    base_url: str,
    *,
    org_id: str = PLACEHOLDER_ORG_ID,
) -> dict[str, Any]:
    """The published CNA container for ``cve`` from ``bulletin`` (which must name it)."""
    require_public(bulletin, "CVE")
    if cve not in bulletin.cves:
        raise ValidationError("cve", f"{bulletin.article_id} does not name {cve}")
    links = DocumentLinks(base_url)
    reader = compose(bulletin, catalog, publisher)
    problem = reader.problem.strip() or bulletin.title
    container: dict[str, Any] = {
        "providerMetadata": {"orgId": org_id},
        "title": _clip(bulletin.title, _TITLE_LIMIT),
        "datePublic": utc_text(revision_instants(bulletin)[0]),
        "descriptions": [
            {
                "lang": "en",
                "value": _clip(problem, _TEXT_LIMIT),
                "supportingMedia": [{"base64": False, "type": "text/markdown", "value": problem}],
            }
        ],
        "affected": _affected(bulletin, catalog, publisher),
        "references": _references(bulletin, CveId(cve), publisher, links),
        "source": {"advisory": bulletin.article_id, "discovery": "UNKNOWN"},
    }
    weaknesses = reader.weaknesses.get(CveId(cve), ())
    if weaknesses:
        container["problemTypes"] = [{"descriptions": [_problem_type(w) for w in weaknesses]}]
    metrics = [_metric(score.version, cvss_json(score)) for score in bulletin.cvss]
    if metrics:
        container["metrics"] = metrics
    solutions = [text for fix in bulletin.fixes if (text := _solution(fix, catalog))]
    if solutions:
        container["solutions"] = [_text("\n".join(solutions))]
    workarounds = [text for fix in bulletin.fixes if (text := _workaround(fix, catalog))]
    if workarounds:
        container["workarounds"] = [_text("\n".join(workarounds))]
    return container


def render_cve(
    bulletin: Bulletin,
    cve: str,
    catalog: Catalog,
    publisher: Publisher,
    base_url: str,
    *,
    org_id: str = PLACEHOLDER_ORG_ID,
) -> str:
    """The CNA container as pretty JSON text with sorted keys."""
    return dump_json(cve_cna_container(bulletin, cve, catalog, publisher, base_url, org_id=org_id))


def _affected(bulletin: Bulletin, catalog: Catalog, publisher: Publisher) -> list[dict[str, Any]]:
    """One entry per product, a status per version the bulletin speaks of: ``affected``
    (an affected version, whichever channel), ``unaffected`` (a fixed release, a version
    stated not affected), ``unknown`` (under investigation); ``defaultStatus`` unknown
    for the rest (versions not covered included)."""
    by_product: dict[str, list[dict[str, str]]] = {}
    for statement in statements(bulletin, catalog).items:
        product = statement.product
        version = product.release if product.level is Level.RELEASE else product.version.version
        status = _CVE_STATUS[statement.verdict]
        entry = {"version": _clip(version or "", 1024), "status": status}
        by_product.setdefault(product.version.product, []).append(entry)
    entries = []
    for product_id, versions in by_product.items():
        record: dict[str, Any] = {
            "vendor": _clip(publisher.name, 512),
            "product": _clip(catalog.product(product_id).name, 2048),
            "defaultStatus": "unknown",
            "versions": _unique(versions),
        }
        affected = [ref for ref in bulletin.affected if ref.product == product_id]
        record.update(_identified(catalog, affected))
        entries.append(record)
    return entries


_CVE_STATUS = {
    Verdict.AFFECTED: "affected",
    Verdict.FIXED: "unaffected",
    Verdict.NOT_AFFECTED: "unaffected",
    Verdict.UNDER_INVESTIGATION: "unknown",
}
"""A statement's verdict → CVE JSON 5 ``versions[].status``."""


def _identified(catalog: Catalog, refs: list[VersionRef]) -> dict[str, Any]:
    """The affected versions' CPEs, and the package collection and name their purls agree
    on (when every version with a purl names the same registry package)."""
    identities = [catalog.version(ref).identity for ref in refs]
    found: dict[str, Any] = {}
    cpes = list(dict.fromkeys(i.cpe for i in identities if i.cpe is not None))
    if cpes:
        found["cpes"] = cpes
    packages = {first_package(i.purls) for i in identities if i.purls}
    if len(packages) == 1 and (package := packages.pop()) is not None:
        found["collectionURL"] = package.collection
        found["packageName"] = _clip(package.name, 2048)
    return found


def _references(
    bulletin: Bulletin, cve: CveId, publisher: Publisher, links: DocumentLinks
) -> list[dict[str, Any]]:
    return [
        {
            "url": links.bulletin_page(bulletin.article_id),
            "name": _clip(f"{publisher.brand} security bulletin {bulletin.article_id}", 512),
            "tags": ["vendor-advisory"],
        },
        {
            "url": links.csaf(bulletin.article_id),
            "name": _clip(f"{bulletin.article_id} (CSAF 2.0)", 512),
            "tags": ["vendor-advisory"],
        },
        {"url": links.cve(cve), "name": f"{cve} (CVE JSON 5)", "tags": ["related"]},
    ]


def _problem_type(weakness: Weakness) -> dict[str, str]:
    return {
        "lang": "en",
        "cweId": weakness.id,
        "description": _clip(weakness.title, _TEXT_LIMIT),
        "type": "CWE",
    }


def _metric(version: CvssVersion, data: dict[str, Any]) -> dict[str, Any]:
    key = "cvssV3_1" if version is CvssVersion.V3_1 else "cvssV4_0"
    return {"format": "CVSS", "scenarios": [{"lang": "en", "value": "GENERAL"}], key: data}


def _where(fix: Fix, catalog: Catalog) -> str:
    return f"{catalog.display_name(fix.channel.version_ref)}, {fix.channel.channel} channel"


def _solution(fix: Fix, catalog: Catalog) -> str | None:
    """The fixed release, or why there is none."""
    if fix.release is not None:
        return f"{_where(fix, catalog)}: update to {fix.release} or later."
    reason = no_fix_sentence(fix)
    return f"{_where(fix, catalog)}: {reason}" if reason else None


def _workaround(fix: Fix, catalog: Catalog) -> str | None:
    """What to do meanwhile: the mitigation and the workaround."""
    texts = [text for text in (fix.mitigation, fix.workaround) if text]
    return f"{_where(fix, catalog)}: {' '.join(texts)}" if texts else None


def _text(value: str) -> dict[str, Any]:
    return {"lang": "en", "value": _clip(value, _TEXT_LIMIT)}


def _unique(items: list[dict[str, str]]) -> list[dict[str, str]]:
    """One entry per version string, the first said (a release named like an affected
    version must not contradict it)."""
    seen: dict[str, dict[str, str]] = {}
    for item in items:
        seen.setdefault(item["version"], item)
    return list(seen.values())


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis when cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
