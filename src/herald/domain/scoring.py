"""CVSS vectors, parsed and scored with the maintained ``cvss`` package."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError

from herald.domain.errors import ValidationError


class CvssVersion(StrEnum):
    V3_1 = "3.1"
    V4_0 = "4.0"


@dataclass(frozen=True)
class CvssScore:
    """A CVSS base vector with its score and severity."""

    version: CvssVersion
    """3.1 or 4.0."""
    vector: str
    """The normalised vector string, e.g. ``CVSS:3.1/AV:L/...``."""
    base_score: float
    """The base score, 0.0 to 10.0."""
    base_severity: str
    """NONE, LOW, MEDIUM, HIGH or CRITICAL."""


def parse_cvss(vector: str, field: str = "cvss") -> CvssScore:
    """Parse a v3.1 or v4.0 vector; raise naming ``field`` when it is not one."""
    text = vector.strip() if isinstance(vector, str) else ""
    try:
        if text.startswith("CVSS:3.1/"):
            v3 = CVSS3(text)
            return CvssScore(
                CvssVersion.V3_1,
                v3.clean_vector(),
                float(v3.scores()[0]),
                str(v3.severities()[0]).upper(),
            )
        if text.startswith("CVSS:4.0/"):
            v4 = CVSS4(text)
            return CvssScore(
                CvssVersion.V4_0, v4.clean_vector(), float(v4.base_score), str(v4.severity).upper()
            )
    except CVSSError as error:
        raise ValidationError(field, f"{vector!r} is not a valid CVSS vector ({error})") from error
    raise ValidationError(
        field, f"{vector!r} is not a CVSS vector (expected CVSS:3.1/... or CVSS:4.0/...)"
    )
