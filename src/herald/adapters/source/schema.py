"""The JSON Schema of the source format, generated from its models.

``docs/schema/herald-source-v1.schema.json`` is this text; a test keeps them equal.
Editors that validate YAML with JSON Schema (e.g. the YAML language server) can use it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from herald.adapters.source.models import SCHEMA_V1, SourceFile


def json_schema() -> dict[str, Any]:
    """One schema for the three kinds of file, told apart by ``kind``."""
    generated = TypeAdapter(SourceFile).json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"herald source file ({SCHEMA_V1})",
        "description": (
            "One YAML document per file: a publisher, a product or a bulletin. Unquoted "
            "values are read as text, so a version such as 8.10 stays '8.10'."
        ),
        **generated,
    }


def json_schema_text() -> str:
    """The schema as committed: two-space indented JSON with a final newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
