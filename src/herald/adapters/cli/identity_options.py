"""The options that give a catalog entry's identifiers (``--cpe``, ``--purl``, ``--hash``,
``--model-number``, ``--sku``, ``--serial-number``, ``--sbom-url``), shared by the catalog
commands, and the option each error of an identity names."""

from __future__ import annotations

from typing import Annotated

import typer

from herald.domain.errors import ValidationError
from herald.domain.identity import ProductIdentity, parse_identity

CpeOption = Annotated[
    str,
    typer.Option(
        "--cpe", help="A CPE 2.3 name, e.g. cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*."
    ),
]
PurlOption = Annotated[
    list[str] | None, typer.Option("--purl", help="A package URL in canonical form (repeatable).")
]
HashOption = Annotated[
    list[str] | None,
    typer.Option(
        "--hash",
        metavar="'ALGORITHM:VALUE FILE'",
        help="A file's hash, e.g. 'sha256:9f86... x.iso' (repeatable).",
    ),
]
ModelOption = Annotated[
    list[str] | None, typer.Option("--model-number", help="A model number (repeatable).")
]
SkuOption = Annotated[list[str] | None, typer.Option("--sku", help="A SKU (repeatable).")]
SerialOption = Annotated[
    list[str] | None, typer.Option("--serial-number", help="A serial number (repeatable).")
]
SbomOption = Annotated[
    list[str] | None, typer.Option("--sbom-url", help="An https:// URL of an SBOM (repeatable).")
]
IDENTITY_OPTIONS = {
    "cpe": "--cpe",
    "purls": "--purl",
    "hashes": "--hash",
    "model_numbers": "--model-number",
    "skus": "--sku",
    "serial_numbers": "--serial-number",
    "sbom_urls": "--sbom-url",
}
"""The option behind each field of an identity."""


def identity_option(field: str) -> str | None:
    """The option behind an identity's field (``purls[1]`` -> ``--purl``), if any."""
    return IDENTITY_OPTIONS.get(field.split("[", 1)[0].split(".", 1)[0])


def identity_from_options(
    cpe: str,
    purls: list[str] | None,
    hashes: list[str] | None,
    model_numbers: list[str] | None,
    skus: list[str] | None,
    serial_numbers: list[str] | None,
    sbom_urls: list[str] | None,
) -> ProductIdentity:
    """The identity the options give, checked before anything is opened or written; an
    error names the option."""
    try:
        return parse_identity(
            cpe,
            purls or (),
            hashes or (),
            model_numbers or (),
            skus or (),
            serial_numbers or (),
            sbom_urls or (),
        )
    except ValidationError as error:
        option = identity_option(error.field)
        if option is None:
            raise
        raise ValidationError(option, error.reason) from error


def count_text(identity: ProductIdentity) -> str:
    """How many identifiers ``identity`` holds, in words."""
    count = sum(len(getattr(identity, name)) for name in IDENTITY_OPTIONS if name != "cpe") + (
        identity.cpe is not None
    )
    return f"{count} identifier{'' if count == 1 else 's'}"
