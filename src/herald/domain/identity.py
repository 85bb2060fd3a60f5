"""How customers' tools recognise a product: CPE 2.3 names, package URLs, file hashes,
model numbers, SKUs, serial numbers and SBOM locations.

Scanners and asset databases (osv-scanner, VEX matching, a vendor's software checker)
match advisories by these identifiers, so each is checked when it comes in: a CPE by
the ``cpe`` package (NISTIR 7695's formatted string binding), a package URL by
``packageurl-python`` (and kept in its canonical form, the form matching compares), a
hash by its algorithm's length. Every problem is a ``ValidationError`` naming the field,
e.g. ``cpe`` or ``purls[1]``; a caller that knows more puts its own path in front
(``versions[0].identity.cpe``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from cpe import CPE
from packageurl import PackageURL

from herald.domain.errors import ValidationError
from herald.domain.text import check_text
from herald.domain.urls import checked_web_url

IDENTIFIER_LIMIT = 500
"""The longest identifier (a CPE, a purl, a model number, a file name) accepted."""
IDENTIFIERS_LIMIT = 50
"""The most identifiers of one kind on one catalog entry."""

_CPE_23_PREFIX = "cpe:2.3:"
_HEX = re.compile(r"[0-9a-fA-F]+")


class HashAlgorithm(StrEnum):
    """The hash algorithms herald accepts, as CSAF names them (no MD5 or SHA-1, which
    CSAF tests 6.2.12 and 6.2.13 warn about)."""

    SHA256 = "sha256"
    SHA384 = "sha384"
    SHA512 = "sha512"
    SHA3_256 = "sha3-256"
    SHA3_384 = "sha3-384"
    SHA3_512 = "sha3-512"
    BLAKE2B512 = "blake2b512"

    @property
    def hex_digits(self) -> int:
        """How many hexadecimal digits a value of this algorithm has."""
        return {"256": 64, "384": 96, "512": 128}[self.value[-3:]]


@dataclass(frozen=True)
class FileHash:
    """The hash of one file a product is shipped as, e.g. an ISO image."""

    algorithm: HashAlgorithm
    """The algorithm, e.g. ``sha256``."""
    value: str
    """The hash in lower-case hexadecimal."""
    file_name: str
    """The name of the file hashed, e.g. ``XenServer-8.4.iso``."""

    def __post_init__(self) -> None:
        check_file_hash(self, "")


@dataclass(frozen=True)
class ProductIdentity:
    """The identifiers of one product version, release or component (all optional)."""

    cpe: str | None = None
    """A CPE 2.3 name in the formatted string binding, ``cpe:2.3:a:vendor:product:...``."""
    purls: tuple[str, ...] = ()
    """Package URLs, each in canonical form, e.g. ``pkg:rpm/xenserver/xen@4.17.5``."""
    hashes: tuple[FileHash, ...] = ()
    """Hashes of the files it ships as."""
    model_numbers: tuple[str, ...] = ()
    """Full or partial model numbers (hardware, appliances)."""
    skus: tuple[str, ...] = ()
    """Stock keeping units, as ordered."""
    serial_numbers: tuple[str, ...] = ()
    """Full or partial serial numbers."""
    sbom_urls: tuple[str, ...] = ()
    """Where software bills of materials for it can be retrieved (https:// only)."""

    def __post_init__(self) -> None:
        check_identity(self, "")

    @property
    def is_empty(self) -> bool:
        """Whether it holds no identifier at all."""
        return self == ProductIdentity()


def parse_identity(
    cpe: str = "",
    purls: Iterable[str] = (),
    hashes: Iterable[str] = (),
    model_numbers: Iterable[str] = (),
    skus: Iterable[str] = (),
    serial_numbers: Iterable[str] = (),
    sbom_urls: Iterable[str] = (),
) -> ProductIdentity:
    """An identity from text fields (a form's, a command's options): blanks around each
    value are dropped, and so are blank values; hashes are written ``algorithm:value
    file_name`` (``parse_file_hash``)."""

    def kept(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(value.strip() for value in values if value.strip())

    return ProductIdentity(
        cpe=cpe.strip() or None,
        purls=kept(purls),
        hashes=tuple(
            parse_file_hash(text, f"hashes[{index}]") for index, text in enumerate(kept(hashes))
        ),
        model_numbers=kept(model_numbers),
        skus=kept(skus),
        serial_numbers=kept(serial_numbers),
        sbom_urls=kept(sbom_urls),
    )


def parse_file_hash(text: str, field: str = "hashes") -> FileHash:
    """A hash written ``algorithm:value file_name``, e.g. ``sha256:9f86... XenServer.iso``."""
    algorithm_value, _, file_name = text.strip().partition(" ")
    algorithm, colon, value = algorithm_value.partition(":")
    if not colon or not file_name.strip():
        raise ValidationError(
            field,
            f"{_cut(text)!r}: write a hash as 'algorithm:value file_name', "
            "e.g. 'sha256:9f86... XenServer-8.4.iso'",
        )
    try:
        kind = HashAlgorithm(algorithm.lower())
    except ValueError:
        choices = ", ".join(a.value for a in HashAlgorithm)
        raise ValidationError(
            field, f"{_cut(algorithm)!r} is not a hash algorithm herald accepts (one of {choices})"
        ) from None
    try:
        return FileHash(kind, value.lower(), file_name.strip())
    except ValidationError as error:
        raise ValidationError(field, error.reason) from None


def check_identity(identity: ProductIdentity, field: str) -> None:
    """``ValidationError`` naming the first identifier of ``identity`` that is not valid
    (the field under ``field``, e.g. ``versions[0].identity.purls[1]``)."""
    if identity.cpe is not None:
        check_cpe(identity.cpe, _under(field, "cpe"))
    _check_list(identity.purls, _under(field, "purls"), check_purl)
    _check_count(identity.hashes, _under(field, "hashes"))
    seen: set[tuple[str, str]] = set()
    for index, file_hash in enumerate(identity.hashes):
        where = f"{_under(field, 'hashes')}[{index}]"
        check_file_hash(file_hash, where)
        key = (file_hash.file_name, file_hash.algorithm.value)
        if key in seen:
            raise ValidationError(
                where,
                f"{file_hash.file_name!r} has a {file_hash.algorithm.value} hash already",
            )
        seen.add(key)
    for name in ("model_numbers", "skus", "serial_numbers"):
        _check_list(getattr(identity, name), _under(field, name), check_label)
    _check_list(identity.sbom_urls, _under(field, "sbom_urls"), check_sbom_url)


def check_cpe(text: str, field: str = "cpe") -> None:
    """``ValidationError`` unless ``text`` is a CPE 2.3 formatted string (``cpe:2.3:`` and
    eleven components, NISTIR 7695 section 6.2), as the ``cpe`` package parses it."""
    _check_identifier(text, field)
    if not text.startswith(_CPE_23_PREFIX):
        raise ValidationError(
            field,
            f"{_cut(text)!r} is not a CPE 2.3 name: such a name starts with 'cpe:2.3:' "
            "(the formatted string binding, e.g. cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*)",
        )
    try:
        CPE(text, CPE.VERSION_2_3)
    except (NotImplementedError, ValueError, TypeError, KeyError, IndexError):
        raise ValidationError(
            field,
            f"{_cut(text)!r} is not a CPE 2.3 name: it needs the part (a, o or h) and ten "
            "more components after 'cpe:2.3:', separated by ':', each a value, '*' or '-' "
            "(special characters escaped with '\\')",
        ) from None


def cpe_from_uri(text: str, field: str = "cpe") -> str:
    """A CPE 2.2 URI (``cpe:/a:vendor:product:1.0``) as the CPE 2.3 formatted string that
    names the same (NISTIR 7695 section 6.1: unbind the URI, bind the formatted string)."""
    _check_identifier(text, field)
    if not text.lower().startswith("cpe:/"):
        raise ValidationError(field, f"{_cut(text)!r} is not a CPE 2.2 URI (cpe:/...)")
    try:
        formatted = str(CPE(text).as_fs())
    except (NotImplementedError, ValueError, TypeError, KeyError, IndexError):
        raise ValidationError(field, f"{_cut(text)!r} is not a CPE 2.2 URI") from None
    check_cpe(formatted, field)
    return formatted


def check_purl(text: str, field: str = "purl") -> None:
    """``ValidationError`` unless ``text`` is a package URL in canonical form (the form
    ``packageurl-python`` writes it in, which matching tools compare)."""
    _check_identifier(text, field)
    try:
        canonical = canonical_purl(text)
    except ValueError as error:
        raise ValidationError(field, f"{_cut(text)!r} is not a package URL: {error}") from None
    if canonical != text:
        raise ValidationError(
            field, f"{_cut(text)!r} is not in canonical form: write {_cut(canonical)!r}"
        )


def canonical_purl(text: str) -> str:
    """``text`` parsed as a package URL and written in canonical form; ``ValueError`` when
    it is not one."""
    try:
        parsed = PackageURL.from_string(text)
    except ValueError:
        raise
    except Exception as error:  # the parser's other complaints about odd input
        raise ValueError(str(error)) from None
    return str(parsed.to_string())


def purl_parts(text: str) -> tuple[str, str | None, str, str | None]:
    """The type, namespace, name and version of the package URL ``text``."""
    parsed = PackageURL.from_string(text)
    return parsed.type, parsed.namespace, parsed.name, parsed.version


def purl_without_version(text: str) -> str:
    """The package URL ``text`` names the package by: without version, qualifiers or
    subpath."""
    parsed = PackageURL.from_string(text)
    return str(PackageURL(parsed.type, parsed.namespace, parsed.name).to_string())


def check_file_hash(file_hash: FileHash, field: str) -> None:
    """``ValidationError`` unless the hash's value is hexadecimal of its algorithm's
    length and its file is named on one line."""
    try:
        algorithm = HashAlgorithm(file_hash.algorithm)
    except ValueError:
        choices = ", ".join(a.value for a in HashAlgorithm)
        raise ValidationError(
            _under(field, "algorithm"),
            f"{_cut(str(file_hash.algorithm))!r} is not a hash algorithm herald accepts "
            f"(one of {choices})",
        ) from None
    value_field = _under(field, "value")
    if not _HEX.fullmatch(file_hash.value) or len(file_hash.value) != algorithm.hex_digits:
        raise ValidationError(
            value_field,
            f"{_cut(file_hash.value)!r} is not a {algorithm.value} hash "
            f"({algorithm.hex_digits} hexadecimal digits)",
        )
    if file_hash.value != file_hash.value.lower():
        raise ValidationError(value_field, "write the hash in lower-case hexadecimal")
    check_label(file_hash.file_name, _under(field, "file_name"))


def check_label(text: str, field: str) -> None:
    """A model number, SKU, serial number or file name: one line, not blank, not padded."""
    _check_identifier(text, field)


def check_sbom_url(text: str, field: str) -> None:
    """An SBOM's location: an https:// URL."""
    if checked_web_url(text, field, allow_http=False) != text:
        raise ValidationError(field, "must not start or end with blanks")


def _check_identifier(text: str, field: str) -> None:
    if not text.strip():
        raise ValidationError(field, "must not be empty")
    if text != text.strip():
        raise ValidationError(field, "must not start or end with blanks")
    if len(text) > IDENTIFIER_LIMIT:
        raise ValidationError(
            field, f"is too long ({len(text)} characters; at most {IDENTIFIER_LIMIT})"
        )
    check_text(text, field, one_line=True)


def _check_list(values: Iterable[str], field: str, check: Callable[[str, str], None]) -> None:
    items = tuple(values)
    _check_count(items, field)
    seen: set[str] = set()
    for index, value in enumerate(items):
        check(value, f"{field}[{index}]")
        if value in seen:
            raise ValidationError(f"{field}[{index}]", f"{_cut(value)!r} appears twice")
        seen.add(value)


def _check_count(items: tuple[object, ...], field: str) -> None:
    if len(items) > IDENTIFIERS_LIMIT:
        raise ValidationError(field, f"has {len(items)} entries; at most {IDENTIFIERS_LIMIT}")


def _under(field: str, name: str) -> str:
    return f"{field}.{name}" if field else name


def _cut(text: str) -> str:
    return text if len(text) <= 100 else text[:97] + "..."


NO_IDENTITY = ProductIdentity()
"""The identity of an entry nobody gave identifiers."""
