"""Everything that differs between CSAF 2.0 and CSAF 2.1, in one place.

The exporter (``csaf.py``) builds one model of the advisory and asks the dialect here
for the version-specific parts: the TLP label of a public document, the ``$schema``
URL, where CVSS scores go (2.0: ``scores`` with a ``cvss_v3`` slot only; 2.1:
``metrics`` with ``cvss_v3`` and ``cvss_v4``), where weaknesses go (2.0: one ``cwe``;
2.1: a ``cwes`` list), and what a withdrawn bulletin becomes (2.0 has no withdrawn
profile; 2.1 has ``csaf_withdrawn``).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, assert_never

from cvss import CVSS3

from herald.domain.document import Weakness
from herald.domain.scoring import CvssScore, CvssVersion
from herald.domain.weaknesses import CWE_VERSION

TLP_URL = "https://www.first.org/tlp/"


class CsafVersion(StrEnum):
    """The CSAF versions herald writes."""

    V2_0 = "2.0"
    V2_1 = "2.1"
    """A draft OASIS standard; herald's 2.1 output follows the TC's draft schema."""

    @property
    def public_tlp_label(self) -> str:
        """The label of a document anyone may read: TLP 1.0 ``WHITE`` or TLP 2.0 ``CLEAR``."""
        match self:
            case CsafVersion.V2_0:
                return "WHITE"
            case CsafVersion.V2_1:
                return "CLEAR"
            case _:
                assert_never(self)

    @property
    def schema_url(self) -> str | None:
        """The ``$schema`` a document of this version names (2.1 requires it)."""
        match self:
            case CsafVersion.V2_0:
                return None
            case CsafVersion.V2_1:
                return "https://docs.oasis-open.org/csaf/csaf/v2.1/schema/csaf.json"
            case _:
                assert_never(self)

    @property
    def has_withdrawn_profile(self) -> bool:
        """2.1 has the profile ``csaf_withdrawn`` (no product tree, no vulnerabilities)."""
        return self is CsafVersion.V2_1

    def supports(self, score: CvssScore) -> bool:
        """Whether the document has a slot for ``score`` (2.0 has none for CVSS v4.0)."""
        return score.version is CvssVersion.V3_1 or self is CsafVersion.V2_1

    def score_items(
        self, scores: Sequence[CvssScore], products: Sequence[str]
    ) -> tuple[str, list[dict[str, Any]]] | None:
        """The vulnerability's key and items for ``scores`` that apply to ``products``."""
        usable = [score for score in scores if self.supports(score)]
        if not usable or not products:
            return None
        content = {_slot(score): cvss_json(score) for score in usable}
        match self:
            case CsafVersion.V2_0:
                return "scores", [{**content, "products": list(products)}]
            case CsafVersion.V2_1:
                return "metrics", [{"content": content, "products": list(products)}]
            case _:
                assert_never(self)

    def cwe_items(
        self, weaknesses: Sequence[Weakness]
    ) -> tuple[dict[str, Any], tuple[Weakness, ...]]:
        """The vulnerability's CWE keys for ``weaknesses``, and those they leave out.

        CSAF 2.0 holds one weakness per vulnerability (``cwe``): the first; the caller
        names the rest in a note. CSAF 2.1 lists them all (``cwes``, with the catalogue
        version).
        """
        named = [weakness for weakness in weaknesses if weakness.name]
        if not named:
            return {}, ()
        match self:
            case CsafVersion.V2_0:
                first = named[0]
                return {"cwe": {"id": first.id, "name": first.name}}, tuple(named[1:])
            case CsafVersion.V2_1:
                items = [{"id": w.id, "name": w.name, "version": CWE_VERSION} for w in named]
                return {"cwes": items}, ()
            case _:
                assert_never(self)


def cvss_json(score: CvssScore) -> dict[str, Any]:
    """The FIRST CVSS JSON object of ``score`` (the schema CSAF and CVE records share).

    v3.1 comes from the ``cvss`` package (base metrics spelt out); v4.0 carries the four
    required fields only, because the package's v4.0 JSON names its version ``4`` and
    its severity in title case, which the FIRST schema does not accept.
    """
    match score.version:
        case CvssVersion.V3_1:
            data: dict[str, Any] = CVSS3(score.vector).as_json(minimal=True)
            return data
        case CvssVersion.V4_0:
            return {
                "version": "4.0",
                "vectorString": score.vector,
                "baseScore": score.base_score,
                "baseSeverity": score.base_severity.upper(),
            }
        case _:
            assert_never(score.version)


def _slot(score: CvssScore) -> str:
    match score.version:
        case CvssVersion.V3_1:
            return "cvss_v3"
        case CvssVersion.V4_0:
            return "cvss_v4"
        case _:
            assert_never(score.version)
