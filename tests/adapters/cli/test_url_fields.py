"""Every way a URL comes in refuses what is not a web address (finding 13.4).

The YAML import (products and the publisher) and the catalog commands give one line
naming the file or option and the field, exit 2 and change nothing; ``http://`` passes
only with ``HERALD_ALLOW_HTTP_URLS=1``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.cli.conftest import Herald, assert_one_line_error


def _exported(herald: Herald, directory: Path) -> dict[str, bytes]:
    assert herald("export", str(directory)).exit_code == 0
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*.yaml")}


@pytest.mark.parametrize(
    ("file", "field", "url"),
    [
        ("products/xenserver.yaml", "update_instructions_url", "javascript:alert(1)"),
        ("products/xenserver.yaml", "update_instructions_url", "data:text/html,hi"),
        ("products/xenserver.yaml", "update_instructions_url", "http://docs.example.com/"),
        ("publisher.yaml", "support_url", "javascript:alert(document.cookie)"),
        ("publisher.yaml", "reporting_url", "http://www.example.com/report"),
    ],
)
def test_an_imported_file_with_a_bad_url_is_refused_whole(
    herald: Herald, tmp_path: Path, file: str, field: str, url: str
) -> None:
    assert herald("demo").exit_code == 0
    before = _exported(herald, tmp_path / "before")
    source = tmp_path / "in"
    _exported(herald, source)
    path = source / file
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [f"{field}: '{url}'" if line.startswith(f"{field}:") else line for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = herald("import", str(source))
    assert_one_line_error(result, Path(file).name, field, exit_code=2)
    assert _exported(herald, tmp_path / "after") == before


def test_http_is_imported_where_the_setting_allows_it(herald: Herald, tmp_path: Path) -> None:
    assert herald("demo").exit_code == 0
    source = tmp_path / "in"
    _exported(herald, source)
    path = source / "products" / "xenserver.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "https://docs.xenserver.com/", "http://docs.xenserver.com/"
    )
    path.write_text(text, encoding="utf-8")
    refused = herald("import", str(source))
    assert_one_line_error(refused, "xenserver.yaml", "update_instructions_url", exit_code=2)
    allowed = herald("import", str(source), extra_env={"HERALD_ALLOW_HTTP_URLS": "1"})
    assert allowed.exit_code == 0, allowed.stderr
    stored = _exported(herald, tmp_path / "after")["products/xenserver.yaml"].decode()
    assert "update_instructions_url: http://docs.xenserver.com/" in stored


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://docs.example.com/"])
def test_the_catalog_commands_refuse_a_bad_url(herald: Herald, url: str) -> None:
    assert herald("demo").exit_code == 0
    before = herald("catalog", "show").stdout
    added = herald(
        "catalog", "add-product", "hypervisor", "--name", "Hyper", "--update-instructions-url", url
    )
    assert_one_line_error(added, "--update-instructions-url", exit_code=2)
    assert herald("catalog", "show").stdout == before
