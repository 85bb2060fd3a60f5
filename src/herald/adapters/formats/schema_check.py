"""The published JSON schemas of the VEX exports, checked offline (``schemas/``).

``schema_problems(name, text)`` parses a document and lists what its schema refuses,
one line each (``/statements/0/status: ...``); an empty list means valid. The schemas
are packaged files registered under their ``$id``s, formats (``date-time``, ``iri``…)
are asserted, and nothing is ever fetched. ``schemas/README.md`` names each file's
source, commit and licence.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

OPENVEX_SCHEMA = "openvex_json_schema_0.2.0.json"
CYCLONEDX_SCHEMA = "bom-1.6.schema.json"
_REFERENCED = ("spdx.schema.json", "jsf-0.82.schema.json")
_MAX_PROBLEMS = 50


def _load(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schemas", name).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _offline(uri: str) -> Any:
    raise ValueError(f"the export schemas are packaged; herald does not fetch {uri}")


@cache
def _validator(name: str) -> Any:
    schema = _load(name)
    pairs = [(str(_load(other)["$id"]), _load(other)) for other in _REFERENCED]
    registry = jsonschema_rs.Registry(pairs, retriever=_offline)
    return jsonschema_rs.validator_for(
        schema, registry=registry, validate_formats=True, retriever=_offline
    )


def schema_problems(name: str, text: str) -> list[str]:
    """What the packaged schema ``name`` refuses in the JSON ``text`` (empty: valid)."""
    try:
        document = json.loads(text)
    except ValueError as error:
        return [f"not JSON: {error}"]
    validator = _validator(name)
    if validator.is_valid(document):
        return []
    problems = []
    for found in validator.iter_errors(document):
        path = "".join(f"/{part}" for part in found.instance_path)
        message = " ".join(str(found.message).split())
        problems.append(f"{path or '/'}: {message[:240]}")
        if len(problems) >= _MAX_PROBLEMS:
            break
    return problems
