"""CSAF 2.0 advisories (profile ``csaf_security_advisory``) of public bulletins.

``csaf_document`` is a pure function of the bulletin, the catalog, the publisher and
the site's base URL. The product tree comes from ``csaf_products``; what differs
between CSAF 2.0 and the 2.1 draft (TLP label, ``$schema``, score slots, withdrawn
profile) from ``csaf_versions``. ``docs/machine-readable.md`` maps every field and
explains the choices (versions not covered, withdrawn bulletins, CVSS v4.0 in 2.0).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from herald import __version__
from herald.adapters.formats.csaf_common import (
    DocumentLinks,
    dump_json,
    require_public,
    revision_instants,
    sorted_keys,
    utc_text,
)
from herald.adapters.formats.csaf_identity import CatalogUris, identification_helper
from herald.adapters.formats.csaf_products import ProductTree, build_product_tree
from herald.adapters.formats.csaf_status import (
    affected_ids,
    flags,
    product_status,
    remediations,
    threats,
    update_url,
)
from herald.adapters.formats.csaf_versions import CsafVersion
from herald.adapters.formats.stream_products import (
    Statements,
    StreamProduct,
    statements,
    status_sentences,
)
from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import Catalog
from herald.domain.document import BulletinDocument, Weakness, compose
from herald.domain.errors import NotFound
from herald.domain.identity import NO_IDENTITY, ProductIdentity
from herald.domain.ids import CveId
from herald.domain.publisher import Publisher
from herald.domain.statements import BulletinKind

CATEGORY = "csaf_security_advisory"
VEX_CATEGORY = "csaf_vex"
"""The profile of a VEX statement (``BulletinKind.VEX``)."""
WITHDRAWN_CATEGORY = "csaf_withdrawn"
"""The CSAF 2.1 profile of a withdrawn document (2.0 has none)."""
WITHDRAWAL_NOTE_TITLE = "Reasoning for Withdrawal"
"""The title CSAF 2.1 prescribes for the note explaining a withdrawal; herald uses it in 2.0 too."""
GENERATOR = "herald"
CVE_RECORD_URL = "https://www.cve.org/CVERecord?id={cve}"

_NOT_IN_FILE_NAME = re.compile(r"[^+\-a-z0-9]+")


def csaf_filename(tracking_id: str) -> str:
    """The file name CSAF 2.0 section 5.1 prescribes for a document with ``tracking_id``.

    Lower-case the id, replace each run of characters other than ``a-z``, ``0-9``,
    ``+`` and ``-`` by one ``_``, append ``.json``: ``CTX696397`` → ``ctx696397.json``.
    """
    return _NOT_IN_FILE_NAME.sub("_", tracking_id.lower()) + ".json"


DISTRIBUTION_FOLDER = "/.well-known/csaf/"
"""Where the trusted provider's documents live (CSAF 2.0 section 7.1.1)."""


def distributed_url(bulletin: Bulletin, base_url: str) -> str:
    """The document's URL in the provider's folders: ``<year>/<file name>``, the year
    of its initial release (requirement 11) and the name of section 5.1."""
    year = revision_instants(bulletin)[0].year
    name = csaf_filename(bulletin.article_id)
    return f"{base_url.rstrip('/')}{DISTRIBUTION_FOLDER}{year:04d}/{name}"


def csaf_document(
    bulletin: Bulletin,
    catalog: Catalog,
    publisher: Publisher,
    base_url: str,
    *,
    version: CsafVersion = CsafVersion.V2_0,
    document_url: str | None = None,
) -> dict[str, Any]:
    """The CSAF advisory of a published or withdrawn bulletin, as a JSON-ready dict.

    ``document_url`` is the document's own URL, one of its ``self`` references
    (default: ``distributed_url``, its place in the trusted provider's folders, so the
    copy at ``/bulletins/{id}.csaf.json`` and ``herald csaf export`` give the same
    bytes as the distribution). Raises ``RuleViolation`` for a bulletin readers cannot
    see.
    """
    require_public(bulletin, "CSAF")
    links = DocumentLinks(base_url)
    reader = compose(bulletin, catalog, publisher)
    withdrawn = bulletin.status is Status.WITHDRAWN
    found = statements(bulletin, catalog)
    document: dict[str, Any] = {
        "document": _document_part(
            bulletin,
            reader,
            found,
            catalog,
            publisher,
            links,
            version,
            document_url or distributed_url(bulletin, base_url),
        )
    }
    if version.schema_url is not None:
        document["$schema"] = version.schema_url
    if withdrawn and version.has_withdrawn_profile:
        return _sorted(document)
    tree = build_product_tree(found, publisher, _helpers(catalog, CatalogUris(base_url), version))
    document["product_tree"] = tree.tree
    vulnerabilities = [
        _vulnerability(cve, bulletin, reader, catalog, publisher, found, tree, version)
        for cve in bulletin.cves
    ]
    if vulnerabilities:
        document["vulnerabilities"] = vulnerabilities
    return _sorted(document)


def _sorted(document: dict[str, Any]) -> dict[str, Any]:
    """The keys of every object sorted, as CSAF section 5.3 recommends."""
    ordered: dict[str, Any] = sorted_keys(document)
    return ordered


def render_csaf(
    bulletin: Bulletin,
    catalog: Catalog,
    publisher: Publisher,
    base_url: str,
    *,
    version: CsafVersion = CsafVersion.V2_0,
) -> str:
    """The CSAF document as pretty JSON text with sorted keys (CSAF section 5.3)."""
    return dump_json(csaf_document(bulletin, catalog, publisher, base_url, version=version))


# --- /document -------------------------------------------------------------------


def _document_part(
    bulletin: Bulletin,
    reader: BulletinDocument,
    found: Statements,
    catalog: Catalog,
    publisher: Publisher,
    links: DocumentLinks,
    version: CsafVersion,
    document_url: str,
) -> dict[str, Any]:
    withdrawn = bulletin.status is Status.WITHDRAWN
    category = VEX_CATEGORY if bulletin.kind is BulletinKind.VEX else CATEGORY
    if withdrawn and version.has_withdrawn_profile:
        category = WITHDRAWN_CATEGORY
    part: dict[str, Any] = {
        "category": category,
        "csaf_version": version.value,
        "distribution": {
            "tlp": {"label": version.public_tlp_label, "url": "https://www.first.org/tlp/"}
        },
        "lang": "en",
        "notes": _document_notes(bulletin, reader, found),
        "publisher": {
            "category": "vendor",
            "name": publisher.name,
            "namespace": publisher.namespace_url,
        },
        "references": [
            {
                "category": "self",
                "summary": f"{publisher.brand} security bulletin {bulletin.article_id}",
                "url": links.bulletin_page(bulletin.article_id),
            },
            {
                "category": "self",
                "summary": f"This advisory as a CSAF {version.value} document",
                "url": document_url,
            },
            {
                "category": "external",
                "summary": "Instructions for applying updates",
                "url": update_url(bulletin.affected, catalog, publisher),
            },
        ],
        "title": f"Withdrawn: {bulletin.title}" if withdrawn else bulletin.title,
        "tracking": _tracking(bulletin),
    }
    if bulletin.severity:
        part["aggregate_severity"] = {"text": bulletin.severity}
    return part


def _document_notes(
    bulletin: Bulletin, reader: BulletinDocument, found: Statements
) -> list[dict[str, str]]:
    notes: list[dict[str, str]] = []
    if bulletin.status is Status.WITHDRAWN and bulletin.changelog:
        entry = bulletin.changelog[-1]
        notes.append(
            {
                "category": "description",
                "title": WITHDRAWAL_NOTE_TITLE,
                "text": (
                    f"{bulletin.article_id} was withdrawn on {entry.on.isoformat()}: "
                    f"{entry.summary} The rest of this document is the bulletin as it "
                    "stood before its withdrawal."
                ),
            }
        )
    said = status_sentences(found)
    summary = [reader.affected_statement] if bulletin.affected or not said else list(said)
    if reader.severity:
        summary.append(f"Severity: {reader.severity}.")
    if reader.cves:
        summary.append(f"{reader.identifier_intro} {', '.join(reader.cves)}.")
    notes.append({"category": "summary", "title": "Summary", "text": " ".join(summary)})
    if reader.problem.strip():
        notes.append(
            {"category": "details", "title": "Description of Problem", "text": reader.problem}
        )
    stated = [reader.affected_statement] if bulletin.affected or not said else []
    affected = " ".join([*stated, *said, *reader.not_covered_notes])
    notes.append({"category": "general", "title": "Affected Versions", "text": affected})
    for section in reader.sections:
        if section.body.strip() and section.heading.strip():
            notes.append({"category": "general", "title": section.heading, "text": section.body})
    notes.append({"category": "legal_disclaimer", "title": "Disclaimer", "text": reader.disclaimer})
    return notes


def _tracking(bulletin: Bulletin) -> dict[str, Any]:
    instants = revision_instants(bulletin)
    history = [
        {"date": utc_text(instant), "number": str(number), "summary": entry.summary}
        for number, (entry, instant) in enumerate(
            zip(bulletin.changelog, instants, strict=True), start=1
        )
    ]
    return {
        "current_release_date": utc_text(instants[-1]),
        "generator": {"engine": {"name": GENERATOR, "version": __version__}},
        "id": bulletin.article_id,
        "initial_release_date": utc_text(instants[0]),
        "revision_history": history,
        "status": "final",
        "version": str(bulletin.revision),
    }


# --- /vulnerabilities[] ----------------------------------------------------------------


def _vulnerability(
    cve: CveId,
    bulletin: Bulletin,
    reader: BulletinDocument,
    catalog: Catalog,
    publisher: Publisher,
    found: Statements,
    tree: ProductTree,
    version: CsafVersion,
) -> dict[str, Any]:
    affected = affected_ids(found, tree)
    notes = [{"category": "description", "title": "Description of Problem", "text": reader.problem}]
    for score in bulletin.cvss:
        if not version.supports(score):
            notes.append(
                {
                    "category": "other",
                    "title": f"CVSS v{score.version.value}",
                    "text": (
                        f"CVSS v{score.version.value} base score {score.base_score} "
                        f"({score.base_severity}): {score.vector}"
                    ),
                }
            )
    cwe, left_out = version.cwe_items(reader.weaknesses.get(cve, ()))
    if left_out:
        notes.append(_further_weaknesses(left_out))
    vulnerability: dict[str, Any] = {
        **cwe,
        "cve": cve,
        "notes": [note for note in notes if note["text"].strip()],
        "product_status": product_status(found, tree),
        "references": [
            {
                "category": "external",
                "summary": f"{cve} in the CVE list",
                "url": CVE_RECORD_URL.format(cve=cve),
            }
        ],
    }
    if not vulnerability["notes"]:
        vulnerability["notes"] = [
            {"category": "description", "title": "Description", "text": reader.title}
        ]
    items = remediations(found, tree, catalog, publisher, reader.not_covered_notes)
    if items:
        vulnerability["remediations"] = items
    scores = version.score_items(bulletin.cvss, affected)
    if scores is not None:
        key, score_items = scores
        vulnerability[key] = score_items
    vulnerability_flags = flags(found, tree)
    if vulnerability_flags:
        vulnerability["flags"] = vulnerability_flags
    vulnerability_threats = threats(bulletin, found, tree)
    if vulnerability_threats:
        vulnerability["threats"] = vulnerability_threats
    return vulnerability


def _further_weaknesses(weaknesses: tuple[Weakness, ...]) -> dict[str, str]:
    """The weaknesses CSAF 2.0's one ``cwe`` leaves out, named in a note."""
    titles = "; ".join(weakness.title for weakness in weaknesses)
    return {"category": "other", "title": "Further weaknesses (CWE)", "text": f"{titles}."}


def _helpers(
    catalog: Catalog, uris: CatalogUris, version: CsafVersion
) -> Callable[[StreamProduct], dict[str, Any]]:
    """Each product's identification helper: the catalog's identifiers of its version
    (a release: its own), then herald's catalog URI for it."""

    def helper(product: StreamProduct) -> dict[str, Any]:
        ref = product.version
        uri = uris.version(ref.product, ref.version)
        identity = _identity(catalog, product)
        if product.channel is not None and product.release is not None:
            uri = uris.release(ref.product, ref.version, product.channel, product.release)
        elif product.channel is not None:
            uri = uris.channel(ref.product, ref.version, product.channel)
        return identification_helper(identity, uri, uris, version)

    return helper


def _identity(catalog: Catalog, product: StreamProduct) -> ProductIdentity:
    try:
        version = catalog.version(product.version)
        if product.channel is not None and product.release is not None:
            # a release has only its own identifiers: the version's CPE names every
            # release of the version, not this one (docs/machine-readable.md)
            return version.channel(product.channel).release(product.release).identity
        return version.identity
    except NotFound:
        return NO_IDENTITY


__all__ = [
    "CATEGORY",
    "VEX_CATEGORY",
    "CsafVersion",
    "csaf_document",
    "csaf_filename",
    "render_csaf",
]
