"""Source files -> a ``SourceBundle``; every problem becomes one ``file:line: field: message``."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import pydantic
from pydantic_core import ErrorDetails

from herald.adapters.source import decode
from herald.adapters.source._fields import (
    FieldPath,
    Problem,
    describe_value,
    parse_field,
    render_field,
)
from herald.adapters.source._yaml import Document, parse
from herald.adapters.source.bundle import (
    PUBLISHER_KEY,
    Origin,
    SourceBundle,
    bulletin_key,
    product_key,
)
from herald.adapters.source.models import (
    COMPONENT_FORMS,
    FILE_MODELS,
    SCHEMA_V1,
    ProductFile,
    PublisherFile,
)
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Product
from herald.domain.errors import ValidationError
from herald.domain.publisher import Publisher

MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest file read (5 MB); a bulletin or a product is a few kilobytes."""

SUFFIXES = (".yaml", ".yml")
"""The files read from a folder."""

SUPPORTED_SCHEMAS = (SCHEMA_V1,)
"""Schema versions this herald reads. A later version keeps reading the earlier ones."""

Item = Publisher | Product | Bulletin


def load_paths(paths: Sequence[Path]) -> SourceBundle:
    """Read files, and folders recursively (``*.yaml``, ``*.yml``, hidden ones skipped).

    Raises ``ValidationError`` located at ``file:line`` for the first problem found.
    """
    publisher: tuple[Publisher, Origin] | None = None
    products: dict[str, tuple[Product, Origin]] = {}
    bulletins: dict[str, tuple[Bulletin, Origin]] = {}
    for path in source_files(paths):
        item, origin = load_file(path)
        if isinstance(item, Publisher):
            if publisher is not None:
                raise _again(origin, "kind", "a second publisher", publisher[1])
            publisher = (item, origin)
        elif isinstance(item, Product):
            if item.id in products:
                raise _again(origin, "id", f"product {item.id!r}", products[item.id][1])
            products[item.id] = (item, origin)
        else:
            if item.article_id in bulletins:
                first = bulletins[item.article_id][1]
                raise _again(origin, "article_id", f"bulletin {item.article_id!r}", first)
            bulletins[item.article_id] = (item, origin)
    origins = {product_key(key): origin for key, (_, origin) in products.items()}
    origins |= {bulletin_key(key): origin for key, (_, origin) in bulletins.items()}
    if publisher is not None:
        origins[PUBLISHER_KEY] = publisher[1]
    return SourceBundle(
        publisher=publisher[0] if publisher else None,
        products=tuple(product for product, _ in products.values()),
        bulletins=tuple(bulletin for bulletin, _ in bulletins.values()),
        origins=origins,
    )


def source_files(paths: Sequence[Path]) -> list[Path]:
    """The files to read, in order: each path given, folders searched and sorted."""
    found: list[Path] = []
    for given in paths:
        if given.is_dir():
            found.extend(
                sorted(
                    path
                    for path in given.rglob("*")
                    if path.suffix.lower() in SUFFIXES
                    and path.is_file()
                    and not any(part.startswith(".") for part in path.relative_to(given).parts)
                )
            )
        elif given.exists():
            found.append(given)
        else:
            raise ValidationError("", "no such file or folder", location=str(given))
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def load_file(path: Path) -> tuple[Item, Origin]:
    """The publisher, product or bulletin one file defines, and where its fields are."""
    text = _read_text(path)
    lines: dict[FieldPath, int] = {(): 1}
    try:
        document = parse(text)
        lines = dict(document.lines)
        item = _decode(document)
    except Problem as problem:
        raise _located(path, problem, lines) from None
    return item, Origin(path, MappingProxyType(lines))


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ValidationError("", f"cannot read the file ({reason})", location=str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            "",
            f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
            "split it into one file per product or bulletin",
            location=f"{path}:1",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ValidationError(
            "",
            f"not UTF-8 text (byte {data[error.start]:#04x}); save the file as UTF-8",
            location=f"{path}:{line}",
        ) from None


def _decode(document: Document) -> Item:
    data = document.data
    if not isinstance(data, dict):
        raise Problem("expected a mapping that starts with 'schema: herald/v1'")
    if "schema" not in data:
        raise Problem("missing; every herald file starts with 'schema: herald/v1'", ("schema",))
    schema = data["schema"]
    if schema not in SUPPORTED_SCHEMAS:
        supported = ", ".join(SUPPORTED_SCHEMAS)
        raise Problem(f"{schema!r} is not a schema this herald reads ({supported})", ("schema",))
    kind = data.get("kind")
    if kind not in FILE_MODELS:
        known = ", ".join(FILE_MODELS)
        raise Problem(f"expected one of {known}, got {describe_value(kind)}", ("kind",))
    model = FILE_MODELS[str(kind)]
    try:
        shape = model.model_validate(data)
    except pydantic.ValidationError as error:
        raise _first_problem(model, error, document) from None
    if isinstance(shape, PublisherFile):
        return decode.publisher(shape)
    if isinstance(shape, ProductFile):
        return decode.product(shape)
    return decode.bulletin(shape)


def _first_problem(
    model: type[pydantic.BaseModel], error: pydantic.ValidationError, document: Document
) -> Problem:
    """The problem written first in the file, in words for a person.

    A missing field comes after any other problem: when a key is misspelt, the
    misspelling is what to report, not the field it fails to give.
    """
    ranked: list[tuple[bool, int, Problem]] = []
    for details in error.errors(include_url=False):
        path: FieldPath = tuple(part for part in details["loc"] if part not in COMPONENT_FORMS)
        problem = Problem(_message(model, details, path), path)
        ranked.append((details["type"] == "missing", _line(document.lines, path), problem))
    return min(ranked, key=lambda entry: entry[:2])[2]


def _message(model: type[pydantic.BaseModel], details: ErrorDetails, path: FieldPath) -> str:
    kind = details["type"]
    value = details["input"]
    context = details.get("ctx") or {}
    if kind == "missing":
        return "required, but missing"
    if kind == "extra_forbidden":
        known = _field_names(model, path[:-1])
        close = difflib.get_close_matches(str(path[-1]), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
        return f"unknown field ({hint})"
    if kind == "string_type":
        return f"expected text, got {describe_value(value)}"
    if kind == "list_type":
        return f"expected a list, got {describe_value(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping, got {describe_value(value)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {describe_value(value)}"
    if kind in ("enum", "literal_error"):
        return f"expected {context.get('expected', 'another value')}, got {describe_value(value)}"
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    return str(details["msg"])


def _field_names(model: type[pydantic.BaseModel], path: FieldPath) -> list[str]:
    """The field names of the model found at ``path`` inside ``model``."""
    annotation: Any = model
    for part in path:
        annotation = _step(annotation, part)
    for candidate in _members(annotation):
        if isinstance(candidate, type) and issubclass(candidate, pydantic.BaseModel):
            return [info.alias or name for name, info in candidate.model_fields.items()]
    return []


def _step(annotation: Any, part: str | int) -> Any:
    for candidate in _members(annotation):
        if isinstance(candidate, type) and issubclass(candidate, pydantic.BaseModel):
            for name, info in candidate.model_fields.items():
                if (info.alias or name) == part:
                    return info.annotation
        elif get_origin(candidate) is list and isinstance(part, int):
            return get_args(candidate)[0]
        elif get_origin(candidate) is dict and isinstance(part, str):
            return get_args(candidate)[1]
    return None


def _members(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return [member for arg in get_args(annotation) for member in _members(arg)]
    return [annotation]


def _line(lines: Mapping[FieldPath, int], path: FieldPath) -> int:
    while path and path not in lines:
        path = path[:-1]
    return int(lines.get(path, 1))


def _located(path: Path, problem: Problem, lines: dict[FieldPath, int]) -> ValidationError:
    where = problem.path
    if problem.domain_field:
        named = parse_field(problem.domain_field)
        for candidate in ((*where, *named), (*where, *named[-1:])):
            if candidate in lines:
                where = candidate
                break
    line = problem.line if problem.line is not None else _line(lines, where)
    message = " ".join(problem.message.splitlines()) or "invalid"
    return ValidationError(render_field(where), message, location=f"{path}:{line}")


def _again(origin: Origin, field_name: str, what: str, first: Origin) -> ValidationError:
    return ValidationError(
        field_name,
        f"{what} is already defined in {first.location(field_name)}",
        location=origin.location(field_name),
    )
