"""Control characters and bidi overrides: refused on the way in, escaped on the way out
(finding 13.5).

A YAML import with ESC, NUL, a C1 control or U+202E in a title, a problem, a mitigation,
a product name or a publisher's brand is refused with one line naming the file and the
field, like the staff form refuses it; nothing changes. Text that is stored anyway (an
old database) prints as a visible escape, never as the raw character, and Rich markup in
it prints as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.adapters.cli.conftest import Herald, assert_one_line_error
from tests.adapters.cli.test_commands import DRAFT

UNSAFE = {
    "escape": "\x1b[2J\x1b[31m",
    "nul": "\x00",
    "c1": "\x9b31m",
    "bidi-override": "\u202e",
    "bidi-isolate": "\u2066",
}


def _exported(herald: Herald, directory: Path) -> dict[str, bytes]:
    assert herald("export", str(directory)).exit_code == 0
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*.yaml")}


def _yaml_string(value: str) -> str:
    """A YAML double-quoted scalar holding ``value`` (escapes for the unsafe characters)."""
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in value)
    return f'"{escaped}"'


@pytest.mark.parametrize("kind", sorted(UNSAFE))
@pytest.mark.parametrize(
    ("field", "edit"),
    [
        (
            "title",
            lambda t, bad: t.replace(
                "title: XenServer Security Update for CVE-2026-5000",
                f"title: {_yaml_string('XenServer ' + bad + 'update')}",
            ),
        ),
        (
            "problem",
            lambda t, bad: t.replace(
                "problem: |\n  An issue has been identified in XenServer 8.4 that may allow a "
                "guest to crash the host.",
                f"problem: {_yaml_string('An issue ' + bad)}",
            ),
        ),
        (
            "mitigation",
            lambda t, bad: t.replace(
                "mitigation: Disable PCI passthrough.",
                f"mitigation: {_yaml_string('Disable ' + bad)}",
            ),
        ),
    ],
)
def test_a_bulletin_file_with_an_unsafe_character_is_refused(
    herald: Herald, tmp_path: Path, kind: str, field: str, edit: object
) -> None:
    assert herald("demo").exit_code == 0
    before = _exported(herald, tmp_path / "before")
    path = tmp_path / "CTX700001.yaml"
    edited = edit(DRAFT, UNSAFE[kind])  # type: ignore[operator]
    assert edited != DRAFT
    path.write_text(edited, encoding="utf-8")
    result = herald("import", str(path))
    assert_one_line_error(result, "CTX700001.yaml", field, exit_code=2)
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert _exported(herald, tmp_path / "after") == before


@pytest.mark.parametrize(
    ("file", "key"),
    [("products/xenserver.yaml", "name"), ("publisher.yaml", "brand")],
)
def test_a_catalog_or_publisher_file_with_an_unsafe_character_is_refused(
    herald: Herald, tmp_path: Path, file: str, key: str
) -> None:
    assert herald("demo").exit_code == 0
    before = _exported(herald, tmp_path / "before")
    source = tmp_path / "in"
    _exported(herald, source)
    path = source / file
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [
        f"{key}: {_yaml_string('Xen' + UNSAFE['escape'] + 'Server')}"
        if line.startswith(f"{key}:")
        else line
        for line in lines
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = herald("import", str(source))
    assert_one_line_error(result, Path(file).name, key, exit_code=2)
    assert _exported(herald, tmp_path / "after") == before


def test_stored_text_prints_escaped_and_markup_prints_as_written(
    herald: Herald, database_url: str, tmp_path: Path
) -> None:
    assert herald("demo").exit_code == 0
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    assert herald("import", str(tmp_path / "draft.yaml")).exit_code == 0
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as connection:  # what an older herald let in
            connection.execute(
                text("UPDATE bulletins SET title = :title WHERE article_id = 'CTX700001'"),
                {"title": "Update \x1b]8;;https://evil.example\x07here\u202e [red]x[/red]"},
            )
    finally:
        engine.dispose()
    for args in (("bulletin", "show", "CTX700001"), ("bulletin", "list")):
        shown = herald(*args)
        assert shown.exit_code == 0, shown.stderr
        assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout, args
        assert "\x07" not in shown.stdout
        assert "\\x1b]8;;https://evil.example" in shown.stdout, args
        assert "[red]x[/red]" in shown.stdout or "[red]x[/red" in shown.stdout, args
