"""The committed JSON Schema and the examples in docs/source-format.md cannot drift.

Run with ``HERALD_REGENERATE=1`` to rewrite them from the code, then review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from herald import demo
from herald.adapters.source import (
    SourceBundle,
    json_schema,
    json_schema_text,
    load_paths,
)
from herald.adapters.source.models import BulletinSectionsShape, PublisherSectionsShape
from herald.adapters.source.writer import bundle_files
from herald.domain import SectionKind

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = ROOT / "docs" / "schema" / "herald-source-v1.schema.json"
GUIDE = ROOT / "docs" / "source-format.md"
REGENERATE = os.environ.get("HERALD_REGENERATE") == "1"
DEMO_BLOCK = re.compile(r"(<!-- demo: (?P<name>\S+) -->\n```yaml\n)(?P<body>.*?)(```)", re.S)


def _demo_files() -> dict[str, str]:
    bundle = SourceBundle(demo.publisher(), demo.catalog().products, (demo.reference_bulletin(),))
    return {path.as_posix(): text for path, text in bundle_files(bundle).items()}


def test_the_committed_schema_is_the_generated_one() -> None:
    if REGENERATE:
        SCHEMA.write_text(json_schema_text(), encoding="utf-8")
    assert SCHEMA.read_text(encoding="utf-8") == json_schema_text()


def test_the_schema_has_the_three_kinds() -> None:
    schema = json_schema()
    assert schema["discriminator"]["propertyName"] == "kind"
    assert set(schema["discriminator"]["mapping"]) == {"publisher", "product", "bulletin"}
    for kind in ("PublisherFile", "ProductFile", "BulletinFile"):
        assert schema["$defs"][kind]["additionalProperties"] is False
        assert schema["$defs"][kind]["properties"]["schema"]["const"] == "herald/v1"


def test_section_shapes_name_every_section_kind() -> None:
    kinds = {kind.value for kind in SectionKind}
    assert set(PublisherSectionsShape.model_fields) == kinds
    assert set(BulletinSectionsShape.model_fields) == kinds


def test_the_guide_shows_the_demo_files_as_written() -> None:
    files = _demo_files()
    guide = GUIDE.read_text(encoding="utf-8")
    if REGENERATE:
        guide = DEMO_BLOCK.sub(lambda m: m[1] + files[m["name"]] + m[4], guide)
        GUIDE.write_text(guide, encoding="utf-8")
    shown = {match["name"]: match["body"] for match in DEMO_BLOCK.finditer(guide)}
    assert shown == files


def test_the_hand_written_example_in_the_guide_reads(tmp_path: Path) -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    example = guide.split("A draft written by hand needs much less:\n\n```yaml\n")[1]
    (tmp_path / "draft.yaml").write_text(example.split("```")[0], encoding="utf-8")

    (bulletin,) = load_paths([tmp_path]).bulletins

    assert bulletin.cves == ("CVE-2026-4398",)
    assert bulletin.weaknesses == {"CVE-2026-4398": ("CWE-787",)}
    assert bulletin.updated_at == bulletin.created_at
    assert bulletin.problem.startswith("An issue has been identified")
