"""OpenVEX 0.2.0 documents of public bulletins.

One document per bulletin, one statement per CVE and product of the bulletin's
statements (``stream_products``: versions, channels, fixed releases):

- ``affected``: a channel's releases without the fix, an affected version without
  channels or one bulletins do not cover; ``action_statement`` is the remedy in words;
- ``fixed``: each release with the fix;
- ``not_affected``: a version stated not affected, with its justification (OpenVEX's
  five labels are CSAF's, by the same names) and the author's impact statement;
- ``under_investigation``: a version still being looked at.

A product is named by its purl or CPE when the catalog has one (``identifiers``) and
otherwise by herald's own IRI for it (``product_iri``); ``status_notes`` says in words
what it stands for, as OpenVEX products carry no name. The document's ``@id`` is its
URL, ``author`` the publisher, ``timestamp`` the initial publication, ``last_updated``
the latest revision (each statement's ``timestamp`` too: the bulletin says it as of
then), ``version`` the revision. ``docs/machine-readable.md`` maps every field.
"""

from __future__ import annotations

from typing import Any

from herald import __version__
from herald.adapters.formats.csaf_common import (
    DocumentLinks,
    dump_json,
    require_public,
    revision_instants,
    utc_text,
)
from herald.adapters.formats.schema_check import OPENVEX_SCHEMA, schema_problems
from herald.adapters.formats.stream_products import (
    Statement,
    StreamProduct,
    Verdict,
    action_statement,
    described,
    identifiers,
    product_iri,
    statements,
)
from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import Catalog
from herald.domain.document import compose
from herald.domain.publisher import Publisher

CONTEXT = "https://openvex.dev/ns/v0.2.0"
OPENVEX_SUFFIX = ".openvex.json"
"""``/bulletins/{id}.openvex.json``: a bulletin's OpenVEX document (``machine.OPENVEX``)."""
OPENVEX_MEDIA_TYPE = "application/json"
"""OpenVEX registers no media type of its own; it is JSON(-LD)."""
CVE_RECORD_URL = "https://www.cve.org/CVERecord?id={cve}"

STATUS_OF = {
    Verdict.AFFECTED: "affected",
    Verdict.FIXED: "fixed",
    Verdict.NOT_AFFECTED: "not_affected",
    Verdict.UNDER_INVESTIGATION: "under_investigation",
}
"""herald's verdict → OpenVEX status (CSAF's known_affected, fixed, known_not_affected,
under_investigation)."""


def openvex_url(article_id: str, base_url: str) -> str:
    """The document's URL, also its ``@id``."""
    return f"{DocumentLinks(base_url).bulletin_page(article_id)}{OPENVEX_SUFFIX}"


def openvex_document(
    bulletin: Bulletin, catalog: Catalog, publisher: Publisher, base_url: str
) -> dict[str, Any]:
    """The OpenVEX document of a published or withdrawn bulletin, as a JSON-ready dict."""
    require_public(bulletin, "OpenVEX")
    instants = revision_instants(bulletin)
    found = statements(bulletin, catalog)
    notes = compose(bulletin, catalog, publisher).not_covered_notes
    withdrawn = _withdrawal(bulletin)
    items = [
        _statement(cve, statement, bulletin, catalog, publisher, base_url, notes, withdrawn)
        for cve in bulletin.cves
        for statement in found.items
    ]
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": openvex_url(bulletin.article_id, base_url),
        "author": publisher.name,
        "role": "vendor",
        "timestamp": utc_text(instants[0]),
        "version": bulletin.revision,
        "tooling": f"herald {__version__}",
        "statements": items,
    }
    if len(instants) > 1:
        document["last_updated"] = utc_text(instants[-1])
    return document


def render_openvex(
    bulletin: Bulletin, catalog: Catalog, publisher: Publisher, base_url: str
) -> str:
    """The OpenVEX document as pretty JSON text with sorted keys."""
    return dump_json(openvex_document(bulletin, catalog, publisher, base_url))


def check(text: str) -> list[str]:
    """What the OpenVEX 0.2.0 JSON schema refuses in ``text`` (empty when valid)."""
    return schema_problems(OPENVEX_SCHEMA, text)


def openvex_product(product: StreamProduct, catalog: Catalog, base_url: str) -> dict[str, Any]:
    """A product struct: its purl (or herald's IRI) as ``@id``, and its identifiers."""
    known = identifiers(product, catalog)
    struct: dict[str, Any] = {"@id": known.get("purl") or product_iri(product, base_url)}
    if known:
        struct["identifiers"] = known
    return struct


def _statement(
    cve: str,
    statement: Statement,
    bulletin: Bulletin,
    catalog: Catalog,
    publisher: Publisher,
    base_url: str,
    notes: tuple[str, ...],
    withdrawn: str,
) -> dict[str, Any]:
    vulnerability: dict[str, Any] = {"@id": CVE_RECORD_URL.format(cve=cve), "name": cve}
    if bulletin.problem.strip():
        vulnerability["description"] = bulletin.problem
    item: dict[str, Any] = {
        "vulnerability": vulnerability,
        "products": [openvex_product(statement.product, catalog, base_url)],
        "status": STATUS_OF[statement.verdict],
        "status_notes": f"{withdrawn}{described(statement)}",
        "supplier": publisher.name,
        "timestamp": utc_text(revision_instants(bulletin)[-1]),
    }
    stated = statement.not_affected
    if statement.verdict is Verdict.NOT_AFFECTED and stated is not None:
        item["justification"] = stated.justification.value
        item["impact_statement"] = stated.impact
    if statement.verdict is Verdict.AFFECTED:
        item["action_statement"] = action_statement(statement, notes)
    return item


def _withdrawal(bulletin: Bulletin) -> str:
    """A withdrawn bulletin's statements say so first."""
    if bulletin.status is not Status.WITHDRAWN or not bulletin.changelog:
        return ""
    entry = bulletin.changelog[-1]
    return f"Withdrawn on {entry.on.isoformat()}: {entry.summary} "
