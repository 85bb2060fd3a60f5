"""Imports point one way: domain <- services <- adapters <- bootstrap."""

from __future__ import annotations

import ast
import re
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


COMPOSITION_ROOT_USERS = frozenset(
    {"__main__.py", "adapters/web/app.py", "adapters/web/factory.py", "adapters/cli/context.py"}
)
"""The modules that may import ``herald.bootstrap``; every other one receives services."""


def test_only_the_app_factory_and_the_cli_context_know_the_composition_root() -> None:
    users = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "herald.bootstrap" in _imports(path)
    }
    assert users <= COMPOSITION_ROOT_USERS, (
        f"only {sorted(COMPOSITION_ROOT_USERS)} may import herald.bootstrap; "
        f"also: {sorted(users - COMPOSITION_ROOT_USERS)}"
    )


ADAPTER_IMPORTS: dict[str, frozenset[str]] = {
    "cli": frozenset(
        {
            "csaf_import",
            "csaf_validation",
            "delivery",
            "formats",
            "signing",
            "site_export",
            "source",
            "web",
        }
    ),
    "csaf_distribution": frozenset({"formats", "signing"}),
    "csaf_import": frozenset({"csaf_validation"}),
    "delivery": frozenset({"formats"}),
    "site_export": frozenset({"formats", "site_export_asgi", "web"}),
    "web": frozenset({"csaf_distribution", "formats", "signing"}),
}
"""Which adapter may import which other adapter (``herald.adapters.<name>``, a package
or a module). Storage, source, formats, signing and the validator import no other
adapter: they are the leaves. A new edge is a design decision: add it here, with a
reason in the commit, or move the shared code down into the domain or a leaf."""


def _adapter_of(path: Path) -> str:
    return path.relative_to(PACKAGE / "adapters").parts[0].removesuffix(".py")


def _adapter_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in _modules("adapters"):
        source = _adapter_of(path)
        if source == "__init__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
                if node.module == "herald.adapters":
                    names = [f"herald.adapters.{alias.name}" for alias in node.names]
            for name in names:
                if name.startswith("herald.adapters."):
                    target = name.split(".")[2]
                    if target != source:
                        edges.setdefault(source, set()).add(target)
    return edges


def test_adapters_import_only_the_adapters_allowed() -> None:
    edges = _adapter_edges()
    unexpected = {
        source: sorted(targets - ADAPTER_IMPORTS.get(source, frozenset()))
        for source, targets in edges.items()
        if targets - ADAPTER_IMPORTS.get(source, frozenset())
    }
    assert unexpected == {}, f"adapter imports not in ADAPTER_IMPORTS: {unexpected}"
    stale = {
        source: sorted(allowed - edges.get(source, set()))
        for source, allowed in ADAPTER_IMPORTS.items()
        if allowed - edges.get(source, set())
    }
    assert stale == {}, f"ADAPTER_IMPORTS allows imports no module makes any more: {stale}"


ARCHITECTURE_DOC = PACKAGE.parents[1] / "docs" / "architecture.md"


def _top_level_names() -> list[str]:
    """``herald.<layer>`` and ``herald.adapters.<name>`` for every package and module."""
    names = [
        f"herald.{path.name.removesuffix('.py')}"
        for path in PACKAGE.iterdir()
        if path.name not in {"__init__.py", "__main__.py", "py.typed", "adapters", "__pycache__"}
    ]
    names += [
        f"herald.adapters.{path.name.removesuffix('.py')}"
        for path in (PACKAGE / "adapters").iterdir()
        if path.name not in {"__init__.py", "__pycache__"}
    ]
    return sorted(names)


def _documented(name: str, text: str) -> bool:
    return f"`{name}`" in text


def test_docs_architecture_names_every_top_level_package() -> None:
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    missing = [name for name in _top_level_names() if not _documented(name, text)]
    assert missing == [], f"docs/architecture.md does not name {missing}"


def test_docs_architecture_names_no_package_that_is_gone() -> None:
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`(herald(?:\.[a-z_]+)+)`", text))
    gone = sorted(
        name
        for name in named
        if not (PACKAGE.parent / (name.replace(".", "/") + ".py")).exists()
        and not (PACKAGE.parent / name.replace(".", "/")).is_dir()
    )
    assert gone == [], f"docs/architecture.md names {gone}, which do not exist"
