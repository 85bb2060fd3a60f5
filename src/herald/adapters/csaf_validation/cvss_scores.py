"""CVSS v2 and v3.x: the scores a vector gives, and the JSON property of each metric.

The arithmetic is the ``cvss`` package's (RedHat's implementation of the FIRST
specifications); this module adds what the CSAF tests need around it: the version
chosen from the ``version`` property, defaults for absent temporal and
environmental groups, and the mapping between vector metrics and the property names
and values of the FIRST JSON schemas. Results are cached per vector.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cvss
from cvss.exceptions import CVSSError


@dataclass(frozen=True, slots=True)
class Computed:
    """Scores and severities that a vector gives (severities upper case, v3 only)."""

    base_score: float
    temporal_score: float
    environmental_score: float
    base_severity: str | None = None
    temporal_severity: str | None = None
    environmental_severity: str | None = None


_V2_TEMPORAL = ("E", "RL", "RC")
_V2_ENVIRONMENTAL = ("CDP", "TD", "CR", "IR", "AR")


def _v2_metrics(vector: str) -> set[str]:
    return {part.split(":", 1)[0] for part in vector.split("/")}


@lru_cache(maxsize=4096)
def compute_v2(vector: str) -> Computed | None:
    """Scores of a CVSS v2 vector; None when the vector is malformed."""
    present = _v2_metrics(vector)
    full = vector
    if not present.intersection(_V2_TEMPORAL):
        full += "/E:ND/RL:ND/RC:ND"
    if not present.intersection(_V2_ENVIRONMENTAL):
        full += "/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND"
    try:
        base, temporal, environmental = cvss.CVSS2(full).scores()
    except (CVSSError, ValueError, KeyError, IndexError):
        return None
    temporal = base if temporal is None else temporal
    environmental = temporal if environmental is None else environmental
    return Computed(float(base), float(temporal), float(environmental))


@lru_cache(maxsize=4096)
def compute_v3(vector: str, version: str) -> Computed | None:
    """Scores of a CVSS v3 vector computed as ``version`` (3.0 or 3.1) says; None if malformed."""
    prefix, _, rest = vector.partition("/")
    if not prefix.startswith("CVSS:3") or not rest:
        return None
    try:
        result = cvss.CVSS3(f"CVSS:{version}/{rest}")
        base, temporal, environmental = result.scores()
        severities = result.severities()
    except (CVSSError, ValueError, KeyError, IndexError):
        return None
    return Computed(
        float(base),
        float(temporal),
        float(environmental),
        *(str(severity).upper() for severity in severities),
    )


@lru_cache(maxsize=4096)
def vector_metrics(vector: str, *, v3: bool) -> dict[str, str] | None:
    """The metrics written in a vector, by abbreviation; None for a repeated metric."""
    parts = vector.split("/")[1:] if v3 else vector.split("/")
    metrics: dict[str, str] = {}
    for part in parts:
        key, _, value = part.partition(":")
        if key in metrics:
            return None
        metrics[key] = value
    return metrics


_NOT_DEFINED_V3 = {"X": "NOT_DEFINED"}
_IMPACT_V3 = {"H": "HIGH", "L": "LOW", "N": "NONE"}
_REQUIREMENT_V3 = {"X": "NOT_DEFINED", "H": "HIGH", "M": "MEDIUM", "L": "LOW"}
_AV_V3 = {"N": "NETWORK", "A": "ADJACENT_NETWORK", "L": "LOCAL", "P": "PHYSICAL"}
_AC_V3 = {"L": "LOW", "H": "HIGH"}
_PR_V3 = {"N": "NONE", "L": "LOW", "H": "HIGH"}
_UI_V3 = {"N": "NONE", "R": "REQUIRED"}
_S_V3 = {"U": "UNCHANGED", "C": "CHANGED"}

V3_PROPERTIES: dict[str, tuple[str, dict[str, str]]] = {
    "AV": ("attackVector", _AV_V3),
    "AC": ("attackComplexity", _AC_V3),
    "PR": ("privilegesRequired", _PR_V3),
    "UI": ("userInteraction", _UI_V3),
    "S": ("scope", _S_V3),
    "C": ("confidentialityImpact", _IMPACT_V3),
    "I": ("integrityImpact", _IMPACT_V3),
    "A": ("availabilityImpact", _IMPACT_V3),
    "E": (
        "exploitCodeMaturity",
        {
            **_NOT_DEFINED_V3,
            "H": "HIGH",
            "F": "FUNCTIONAL",
            "P": "PROOF_OF_CONCEPT",
            "U": "UNPROVEN",
        },
    ),
    "RL": (
        "remediationLevel",
        {
            **_NOT_DEFINED_V3,
            "U": "UNAVAILABLE",
            "W": "WORKAROUND",
            "T": "TEMPORARY_FIX",
            "O": "OFFICIAL_FIX",
        },
    ),
    "RC": (
        "reportConfidence",
        {**_NOT_DEFINED_V3, "C": "CONFIRMED", "R": "REASONABLE", "U": "UNKNOWN"},
    ),
    "CR": ("confidentialityRequirement", _REQUIREMENT_V3),
    "IR": ("integrityRequirement", _REQUIREMENT_V3),
    "AR": ("availabilityRequirement", _REQUIREMENT_V3),
    "MAV": ("modifiedAttackVector", {**_NOT_DEFINED_V3, **_AV_V3}),
    "MAC": ("modifiedAttackComplexity", {**_NOT_DEFINED_V3, **_AC_V3}),
    "MPR": ("modifiedPrivilegesRequired", {**_NOT_DEFINED_V3, **_PR_V3}),
    "MUI": ("modifiedUserInteraction", {**_NOT_DEFINED_V3, **_UI_V3}),
    "MS": ("modifiedScope", {**_NOT_DEFINED_V3, **_S_V3}),
    "MC": ("modifiedConfidentialityImpact", {**_NOT_DEFINED_V3, **_IMPACT_V3}),
    "MI": ("modifiedIntegrityImpact", {**_NOT_DEFINED_V3, **_IMPACT_V3}),
    "MA": ("modifiedAvailabilityImpact", {**_NOT_DEFINED_V3, **_IMPACT_V3}),
}
"""Vector metric → (JSON property, vector value → property value), FIRST cvss-v3.x schema."""

_IMPACT_V2 = {"N": "NONE", "P": "PARTIAL", "C": "COMPLETE"}
_REQUIREMENT_V2 = {"L": "LOW", "M": "MEDIUM", "H": "HIGH", "ND": "NOT_DEFINED"}

V2_PROPERTIES: dict[str, tuple[str, dict[str, str]]] = {
    "AV": ("accessVector", {"L": "LOCAL", "A": "ADJACENT_NETWORK", "N": "NETWORK"}),
    "AC": ("accessComplexity", {"H": "HIGH", "M": "MEDIUM", "L": "LOW"}),
    "Au": ("authentication", {"M": "MULTIPLE", "S": "SINGLE", "N": "NONE"}),
    "C": ("confidentialityImpact", _IMPACT_V2),
    "I": ("integrityImpact", _IMPACT_V2),
    "A": ("availabilityImpact", _IMPACT_V2),
    "E": (
        "exploitability",
        {
            "U": "UNPROVEN",
            "POC": "PROOF_OF_CONCEPT",
            "F": "FUNCTIONAL",
            "H": "HIGH",
            "ND": "NOT_DEFINED",
        },
    ),
    "RL": (
        "remediationLevel",
        {
            "OF": "OFFICIAL_FIX",
            "TF": "TEMPORARY_FIX",
            "W": "WORKAROUND",
            "U": "UNAVAILABLE",
            "ND": "NOT_DEFINED",
        },
    ),
    "RC": (
        "reportConfidence",
        {"UC": "UNCONFIRMED", "UR": "UNCORROBORATED", "C": "CONFIRMED", "ND": "NOT_DEFINED"},
    ),
    "CDP": (
        "collateralDamagePotential",
        {
            "N": "NONE",
            "L": "LOW",
            "LM": "LOW_MEDIUM",
            "MH": "MEDIUM_HIGH",
            "H": "HIGH",
            "ND": "NOT_DEFINED",
        },
    ),
    "TD": (
        "targetDistribution",
        {"N": "NONE", "L": "LOW", "M": "MEDIUM", "H": "HIGH", "ND": "NOT_DEFINED"},
    ),
    "CR": ("confidentialityRequirement", _REQUIREMENT_V2),
    "IR": ("integrityRequirement", _REQUIREMENT_V2),
    "AR": ("availabilityRequirement", _REQUIREMENT_V2),
}
"""Vector metric → (JSON property, vector value → property value), FIRST cvss-v2.0 schema."""


def _abbreviations(
    properties: dict[str, tuple[str, dict[str, str]]],
) -> dict[str, tuple[str, dict[str, str]]]:
    """JSON property → (metric, property value → vector value)."""
    return {
        name: (metric, {value: short for short, value in values.items()})
        for metric, (name, values) in properties.items()
    }


_V3_BY_PROPERTY = _abbreviations(V3_PROPERTIES)
_V2_BY_PROPERTY = _abbreviations(V2_PROPERTIES)


def effective_vector(cvss_object: dict[str, object], *, v3: bool) -> str | None:
    """The vector with the metrics that only the JSON properties give appended to it."""
    vector = cvss_object.get("vectorString")
    if not isinstance(vector, str):
        return None
    metrics = vector_metrics(vector, v3=v3)
    if metrics is None:
        return None
    extra = []
    for name, (metric, values) in (_V3_BY_PROPERTY if v3 else _V2_BY_PROPERTY).items():
        value = cvss_object.get(name)
        if metric not in metrics and isinstance(value, str) and value in values:
            extra.append(f"{metric}:{values[value]}")
    return "/".join([vector, *extra])
