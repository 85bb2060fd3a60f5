"""A CSAF product's ``product_identification_helper`` as the identity of the catalog entry
an import creates for it.

Each identifier is taken on its own, so one herald cannot read does not lose the others:
a CPE 2.2 URI (``cpe:/a:...``, what many vendors still write) becomes the CPE 2.3 name
it stands for, a purl is written in canonical form, a hash of an algorithm herald
accepts is kept; what is left out (another hash algorithm, an http:// SBOM URL,
``x_generic_uris``) is named in the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from herald.adapters.csaf_import.state import Plan
from herald.domain.errors import ValidationError
from herald.domain.identity import (
    NO_IDENTITY,
    FileHash,
    HashAlgorithm,
    ProductIdentity,
    canonical_purl,
    check_cpe,
    check_label,
    check_sbom_url,
    cpe_from_uri,
)


def identity_of(helper: object, product_id: str, plan: Plan) -> ProductIdentity:
    """The identity ``helper`` gives; what herald cannot keep goes to the report."""
    if not isinstance(helper, Mapping):
        return NO_IDENTITY
    where = f"{product_id}: product_identification_helper"
    fields: dict[str, Any] = {
        "cpe": _cpe(helper.get("cpe"), where, plan),
        "purls": _purls(helper.get("purl"), where, plan),
        "hashes": _hashes(helper.get("hashes"), where, plan),
    }
    for name, check in (
        ("model_numbers", check_label),
        ("skus", check_label),
        ("serial_numbers", check_label),
        ("sbom_urls", check_sbom_url),
    ):
        kept: list[str] = []
        for value in _strings(helper.get(name)):
            try:
                check(value, name)
            except ValidationError as error:
                plan.note(f"{where}.{name}: {error.reason}; left out")
                continue
            if value not in kept:
                kept.append(value)
        fields[name] = tuple(kept)
    if helper.get("x_generic_uris"):
        plan.note(f"{where}.x_generic_uris: not imported")
    try:
        return ProductIdentity(**fields)
    except ValidationError as error:
        plan.note(f"{where}.{error.field}: {error.reason}; no identifiers imported")
        return NO_IDENTITY


def _cpe(value: object, where: str, plan: Plan) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        if value.lower().startswith("cpe:/"):
            converted = cpe_from_uri(value)
            plan.note(f"{where}.cpe: the CPE 2.2 URI {value!r} is kept as {converted!r}")
            return converted
        check_cpe(value)
    except ValidationError as error:
        plan.note(f"{where}.cpe: {error.reason}; left out")
        return None
    return value


def _purls(value: object, where: str, plan: Plan) -> tuple[str, ...]:
    if not isinstance(value, str):
        return ()
    try:
        return (canonical_purl(value),)
    except ValueError as error:
        plan.note(f"{where}.purl: {value[:100]!r} is not a package URL ({error}); left out")
        return ()


def _hashes(value: object, where: str, plan: Plan) -> tuple[FileHash, ...]:
    found: list[FileHash] = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("filename"), str):
            continue
        for file_hash in entry.get("file_hashes") or []:
            if not isinstance(file_hash, Mapping):
                continue
            algorithm, digest = file_hash.get("algorithm"), file_hash.get("value")
            try:
                kept = FileHash(
                    HashAlgorithm(str(algorithm).lower()),
                    str(digest).lower(),
                    entry["filename"],
                )
            except (ValueError, ValidationError):
                plan.note(
                    f"{where}.hashes: the {algorithm} hash of {entry['filename']!r} is left out"
                )
                continue
            if all((h.file_name, h.algorithm) != (kept.file_name, kept.algorithm) for h in found):
                found.append(kept)
    return tuple(found)


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
