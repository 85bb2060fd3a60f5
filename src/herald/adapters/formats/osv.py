"""OSV records (schema 1.7) of public bulletins.

OSV names affected software by a package in a registered ecosystem; XenServer and the
like have none, and the schema's pattern refuses any other ecosystem string, so each
affected version is an ``affected`` entry *without* ``package``: the product is named in
its ``database_specific``, each fixed channel is an ``ECOSYSTEM`` range (introduced
``0``, fixed at the channel's release) and ``versions`` lists the catalog's releases
before the fix. The id carries the ``x_`` prefix the OSV format reserves for databases
not aggregated by OSV.dev. ``docs/machine-readable.md`` quotes the rules behind this.
"""

from __future__ import annotations

from typing import Any, assert_never

from herald.adapters.formats.csaf_common import (
    DocumentLinks,
    dump_json,
    require_public,
    revision_instants,
    utc_text,
)
from herald.adapters.formats.packages import first_package
from herald.adapters.formats.stream_products import no_fix_sentence
from herald.domain.bulletin import Bulletin, Fix, Status
from herald.domain.catalog import Catalog, ChannelRef, UpdateChannel, VersionRef
from herald.domain.document import BulletinDocument, compose
from herald.domain.errors import NotFound
from herald.domain.identity import ProductIdentity
from herald.domain.publisher import Publisher
from herald.domain.scoring import CvssScore, CvssVersion

SCHEMA_VERSION = "1.7.5"
"""The OSV schema version of the shared ``schema.json`` (v1.7.5 and later commits)."""
ID_PREFIX = "x_"
"""OSV's prefix for a local database that OSV.dev does not aggregate."""


def osv_id(article_id: str) -> str:
    """The OSV id of a bulletin: ``x_CTX696397``."""
    return f"{ID_PREFIX}{article_id}"


def osv_record(
    bulletin: Bulletin, catalog: Catalog, publisher: Publisher, base_url: str
) -> dict[str, Any]:
    """The OSV record of a published or withdrawn bulletin, as a JSON-ready dict."""
    require_public(bulletin, "OSV")
    links = DocumentLinks(base_url)
    reader = compose(bulletin, catalog, publisher)
    instants = revision_instants(bulletin)
    record: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": osv_id(bulletin.article_id),
        "modified": utc_text(max(instants[-1], bulletin.updated_at)),
        "published": utc_text(instants[0]),
        "summary": _summary(bulletin),
        "details": _details(reader, bulletin, catalog),
        "affected": [_affected(ref, bulletin, catalog, publisher) for ref in bulletin.affected],
        "references": _references(bulletin, catalog, publisher, links),
        "database_specific": {
            "article_id": bulletin.article_id,
            "publisher": publisher.name,
            "severity": bulletin.severity,
            "revision": bulletin.revision,
            "status": bulletin.status.value,
            "url": links.bulletin_page(bulletin.article_id),
            "csaf": links.csaf(bulletin.article_id),
            "not_covered": list(reader.not_covered_notes),
        },
    }
    cwe_ids = list(dict.fromkeys(w.id for ws in reader.weaknesses.values() for w in ws))
    if cwe_ids:
        record["database_specific"]["cwe_ids"] = cwe_ids
    if bulletin.status is Status.WITHDRAWN and bulletin.withdrawn_at is not None:
        record["withdrawn"] = utc_text(bulletin.withdrawn_at)
    if len(bulletin.cves) == 1:
        record["aliases"] = list(bulletin.cves)
    elif bulletin.cves:
        # Several CVEs are several vulnerabilities, not aliases of one another (aliases
        # are transitive); OSV's ``upstream`` is for an advisory that bundles them.
        record["upstream"] = list(bulletin.cves)
    if bulletin.cvss:
        record["severity"] = [_severity(score) for score in bulletin.cvss]
    return record


def render_osv(bulletin: Bulletin, catalog: Catalog, publisher: Publisher, base_url: str) -> str:
    """The OSV record as pretty JSON text with sorted keys."""
    return dump_json(osv_record(bulletin, catalog, publisher, base_url))


def _summary(bulletin: Bulletin) -> str:
    if bulletin.status is Status.WITHDRAWN and bulletin.changelog:
        # OSV: "Any rationale for why the vulnerability has been withdrawn should go
        # into the summary text."
        return f"Withdrawn: {bulletin.changelog[-1].summary} ({bulletin.title})"
    return bulletin.title


def _details(reader: BulletinDocument, bulletin: Bulletin, catalog: Catalog) -> str:
    parts = [reader.problem.strip(), reader.affected_statement, *reader.not_covered_notes]
    fixes = []
    for fix in bulletin.fixes:
        where = f"{catalog.display_name(fix.channel.version_ref)}, {fix.channel.channel} channel"
        remedies = [f"fixed in {fix.release}"] if fix.release else []
        remedies += [f"mitigation: {fix.mitigation}"] if fix.mitigation else []
        remedies += [f"workaround: {fix.workaround}"] if fix.workaround else []
        remedies += [reason] if (reason := no_fix_sentence(fix)) else []
        fixes.append(f"- {where}: {'; '.join(remedies)}")
    if fixes:
        parts.append("\n".join(fixes))
    return "\n\n".join(part for part in parts if part)


def _affected(
    ref: VersionRef, bulletin: Bulletin, catalog: Catalog, publisher: Publisher
) -> dict[str, Any]:
    product = catalog.product(ref.product)
    version = catalog.version(ref)
    fixes = [fix for fix in bulletin.fixes if fix.channel.version_ref == ref]
    ranges = []
    versions: list[str] = []
    for fix in fixes:
        channel = _channel(catalog, fix.channel)
        if fix.release is not None:
            ranges.append(
                {
                    "type": "ECOSYSTEM",
                    "events": [{"introduced": "0"}, {"fixed": fix.release}],
                    "database_specific": {"channel": fix.channel.channel},
                }
            )
        versions.extend(_affected_releases(channel, fix))
    entry: dict[str, Any] = {
        "database_specific": {
            "vendor": publisher.name,
            "product": product.name,
            "product_id": product.id,
            "version": ref.version,
            "lifecycle": version.lifecycle.value,
            "channels": [
                {
                    "channel": fix.channel.channel,
                    "fixed": fix.release,
                    "mitigation": fix.mitigation,
                    "workaround": fix.workaround,
                    "no_fix": fix.no_fix.value if fix.no_fix else None,
                }
                for fix in fixes
            ],
        }
    }
    _identify(entry, version.identity)
    if ranges:
        entry["ranges"] = ranges
    if versions:
        entry["versions"] = list(dict.fromkeys(versions))
    return entry


def _identify(entry: dict[str, Any], identity: ProductIdentity) -> None:
    """The version's package (when a purl names one in an OSV ecosystem), and its CPE and
    purls in ``database_specific``."""
    package = first_package(identity.purls)
    if package is not None and package.ecosystem is not None:
        entry["package"] = {
            "ecosystem": package.ecosystem,
            "name": package.name,
            "purl": package.purl,
        }
    if identity.cpe is not None:
        entry["database_specific"]["cpe"] = identity.cpe
    if identity.purls:
        entry["database_specific"]["purls"] = list(identity.purls)


def _channel(catalog: Catalog, ref: ChannelRef) -> UpdateChannel | None:
    try:
        return catalog.channel(ref)
    except NotFound:
        return None


def _affected_releases(channel: UpdateChannel | None, fix: Fix) -> list[str]:
    """The channel's releases before its fix (all of them when it has only a mitigation)."""
    if channel is None:
        return []
    names = [release.name for release in channel.releases]
    if fix.release is None:
        return names
    return names[: names.index(fix.release)] if fix.release in names else []


def _references(
    bulletin: Bulletin, catalog: Catalog, publisher: Publisher, links: DocumentLinks
) -> list[dict[str, str]]:
    products = {ref.product for ref in bulletin.affected}
    update_url = publisher.update_instructions_url
    if len(products) == 1:
        product = catalog.product(next(iter(products)))
        update_url = product.update_instructions_url or update_url
    references = [
        {"type": "ADVISORY", "url": links.bulletin_page(bulletin.article_id)},
        {"type": "ADVISORY", "url": links.csaf(bulletin.article_id)},
        {"type": "WEB", "url": update_url},
    ]
    references.extend(
        {"type": "WEB", "url": f"https://www.cve.org/CVERecord?id={cve}"} for cve in bulletin.cves
    )
    return references


def _severity(score: CvssScore) -> dict[str, str]:
    match score.version:
        case CvssVersion.V3_1:
            return {"type": "CVSS_V3", "score": score.vector}
        case CvssVersion.V4_0:
            return {"type": "CVSS_V4", "score": score.vector}
        case _:
            assert_never(score.version)
