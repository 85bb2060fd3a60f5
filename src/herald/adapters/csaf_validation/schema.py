"""The CSAF 2.0 JSON schema, offline: packaged files registered under the URLs it uses.

The CSAF schema ``$ref``s the FIRST CVSS schemas by URL
(``https://www.first.org/cvss/cvss-v3.1.json``), while the files declare their own
ids with a date suffix (draft-04 ``"id": "...cvss-v3.0.json?20170531"``, draft-07
``"$id": "...cvss-v3.1.json?20211103"``). Both registries below serve each file
under the URL the CSAF schema uses *and* under its own id, and fetch nothing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
import referencing
import referencing.jsonschema

CSAF_SCHEMA_ID = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"
CVSS_URLS = {
    "2.0": "https://www.first.org/cvss/cvss-v2.0.json",
    "3.0": "https://www.first.org/cvss/cvss-v3.0.json",
    "3.1": "https://www.first.org/cvss/cvss-v3.1.json",
}
_FILES = {
    CSAF_SCHEMA_ID: "csaf_json_schema.json",
    CVSS_URLS["2.0"]: "cvss-v2.0.json",
    CVSS_URLS["3.0"]: "cvss-v3.0.json",
    CVSS_URLS["3.1"]: "cvss-v3.1.json",
}
_MAX_MESSAGE = 240


@cache
def schema_document(url: str) -> dict[str, Any]:
    """The packaged schema registered under ``url``."""
    folder = resources.files(__package__).joinpath("schemas")
    text = folder.joinpath(_FILES[url]).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _own_id(schema: dict[str, Any]) -> str | None:
    value = schema.get("$id", schema.get("id"))
    return value if isinstance(value, str) else None


def _resources() -> list[tuple[str, dict[str, Any]]]:
    pairs: list[tuple[str, dict[str, Any]]] = []
    for url in _FILES:
        schema = schema_document(url)
        pairs.append((url, schema))
        own = _own_id(schema)
        if own is not None and own != url:
            pairs.append((own, schema))
    return pairs


def referencing_registry() -> referencing.Registry[Any]:
    """A ``referencing`` registry for the ``jsonschema`` package.

    It never fetches: ``referencing``'s default retrieval raises ``NoSuchResource``.
    """
    registry: referencing.Registry[Any] = referencing.Registry()
    for url, schema in _resources():
        specification = referencing.jsonschema.specification_with(
            str(schema.get("$schema", "https://json-schema.org/draft/2020-12/schema"))
        )
        registry = registry.with_resource(url, specification.create_resource(schema))
    return registry.crawl()


def _offline(uri: str) -> Any:
    raise ValueError(f"the CSAF validator works offline and does not fetch {uri}")


def _strict_url(url: str) -> str:
    return url.replace(".json", "-strict.json")


def _strict(schema: Any) -> Any:
    """The schema with ``additionalProperties: false`` on every object with properties.

    References to the CVSS schemas are pointed at their strict copies.
    """
    if isinstance(schema, dict):
        result = {key: _strict(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            result["additionalProperties"] = False
        reference = schema.get("$ref")
        if isinstance(reference, str) and reference in _FILES:
            result["$ref"] = _strict_url(reference)
        return result
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


def _strict_resources() -> list[tuple[str, dict[str, Any]]]:
    pairs = []
    for url in CVSS_URLS.values():
        strict = _strict(schema_document(url))
        strict.pop("id", None)
        strict["$id" if "$id" in schema_document(url) else "id"] = _strict_url(url)
        pairs.append((_strict_url(url), strict))
    return pairs


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One schema violation: where and what."""

    path: str
    message: str


def _pointer(parts: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _describe(error: Any) -> str:
    """The library's message, with a dumped object or array replaced by a short word."""
    message = " ".join(str(error.message).split())
    instance = error.instance
    if isinstance(instance, dict | list):
        word = "the object" if isinstance(instance, dict) else "the array"
        for sort_keys in (False, True):
            dumped = json.dumps(
                instance, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys
            )
            if message.startswith(dumped):
                message = word + message[len(dumped) :]
                break
    return _shorten(message)


def _shorten(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


class CompiledSchemas:
    """The compiled validators: CSAF (formats asserted), strict CSAF (6.2.20), each CVSS."""

    def __init__(self) -> None:
        registry = jsonschema_rs.Registry(_resources() + _strict_resources(), retriever=_offline)
        csaf = schema_document(CSAF_SCHEMA_ID)
        self._csaf = jsonschema_rs.validator_for(
            csaf, registry=registry, validate_formats=True, retriever=_offline
        )
        strict = copy.deepcopy(csaf)
        strict["$id"] = CSAF_SCHEMA_ID.replace(".json", "_strict.json")
        self._strict = jsonschema_rs.validator_for(
            _strict(strict), registry=registry, validate_formats=False, retriever=_offline
        )
        self._cvss = {
            version: jsonschema_rs.validator_for(
                schema_document(url), validate_formats=False, retriever=_offline
            )
            for version, url in CVSS_URLS.items()
        }

    @staticmethod
    def _errors(validator: Any, instance: Any) -> Iterator[SchemaError]:
        if validator.is_valid(instance):
            return
        for error in validator.iter_errors(instance):
            yield SchemaError(_pointer(error.instance_path), _describe(error))

    def csaf_errors(self, document: Any) -> list[SchemaError]:
        """Violations of the CSAF 2.0 schema (with ``date-time`` and ``uri`` formats)."""
        return list(self._errors(self._csaf, document))

    def strict_errors(self, document: Any) -> list[SchemaError]:
        """Violations of the schema with additional properties forbidden everywhere."""
        return list(self._errors(self._strict, document))

    def cvss_errors(self, version: str, score: Any) -> list[SchemaError] | None:
        """Violations of the FIRST schema of that CVSS version; None for an unknown version."""
        validator = self._cvss.get(version)
        if validator is None:
            return None
        return list(self._errors(validator, score))


@cache
def compiled_schemas() -> CompiledSchemas:
    """Compiled once per process."""
    return CompiledSchemas()
