"""Imports point one way: domain <- services <- adapters <- bootstrap."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "herald"

FORBIDDEN_IN_DOMAIN = ("sqlalchemy", "alembic", "fastapi", "starlette", "jinja2", "httpx", "yaml")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("domain"), ids=lambda p: p.name)
def test_the_domain_imports_only_itself_and_plain_libraries(path: Path) -> None:
    for name in _imports(path):
        assert not name.startswith(FORBIDDEN_IN_DOMAIN), f"{path.name} imports {name}"
        if name.startswith("herald"):
            assert name.startswith("herald.domain"), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", _modules("services"), ids=lambda p: p.name)
def test_services_import_only_the_domain_and_their_ports(path: Path) -> None:
    for name in _imports(path):
        if name.startswith("herald"):
            assert name.startswith(("herald.domain", "herald.services")), (
                f"{path.name} imports {name}"
            )
        assert not name.startswith(FORBIDDEN_IN_DOMAIN), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", _modules("adapters"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_cli_knows_the_composition_root(path: Path) -> None:
    for name in _imports(path):
        if name == "herald.bootstrap":
            assert "cli" in path.parts or "web" in path.parts, f"{path} imports the bootstrap"
