"""What an author states about a version that herald cannot derive: not affected, and why.

The five justifications are CSAF 2.0's VEX flags (section 3.2.3.5), the same five that
OpenVEX and CycloneDX VEX name; ``domain.product_status`` turns these statements, the
affected versions and the fixes into a status for every supported version and channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from herald.domain.catalog import VersionRef
from herald.domain.errors import ValidationError
from herald.domain.text import check_text


class BulletinKind(StrEnum):
    """What a bulletin is: a security advisory, or a VEX statement only.

    A VEX statement tells customers how a vulnerability (usually in a third-party
    component) bears on the products: it may state every version not affected, and needs
    no affected version, fix or severity. Its CSAF document uses the ``csaf_vex`` profile.
    """

    ADVISORY = "advisory"
    VEX = "vex"

    @property
    def label(self) -> str:
        return "security advisory" if self is BulletinKind.ADVISORY else "VEX statement"


class Justification(StrEnum):
    """Why a version is not affected: CSAF's VEX justifications, in its order."""

    COMPONENT_NOT_PRESENT = "component_not_present"
    VULNERABLE_CODE_NOT_PRESENT = "vulnerable_code_not_present"
    VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY = (
        "vulnerable_code_cannot_be_controlled_by_adversary"
    )
    VULNERABLE_CODE_NOT_IN_EXECUTE_PATH = "vulnerable_code_not_in_execute_path"
    INLINE_MITIGATIONS_ALREADY_EXIST = "inline_mitigations_already_exist"

    @property
    def label(self) -> str:
        """How a reader sees it: "Vulnerable code not present"."""
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class NotAffected:
    """The author's statement that a version is not affected, why, and how they know."""

    version: VersionRef
    """The version, on every one of its update channels."""
    justification: Justification
    """One of the five VEX justifications."""
    impact: str
    """The impact statement: why the vulnerability does not bear on this version, in the
    author's words (one paragraph; CSAF's ``threats[impact]``, OpenVEX's
    ``impact_statement``)."""

    def __post_init__(self) -> None:
        if not self.impact.strip():
            raise ValidationError(
                "not_affected.impact", f"{self.version}: say why it is not affected"
            )
        check_text(self.impact, "not_affected.impact")
