"""``herald csaf validate`` in a subprocess: output and exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.adapters.csaf_validation.builders import advisory


def _herald(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "herald", "csaf", "validate", *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _write(folder: Path, name: str, document: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_valid_file_exits_0(tmp_path: Path) -> None:
    result = _herald(_write(tmp_path, "good.json", advisory()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].endswith(
        "good.json: valid (0 errors, 0 warnings, 0 notes)"
    )
    assert result.stderr == ""


def test_an_invalid_file_exits_1_and_lists_the_failed_tests(tmp_path: Path) -> None:
    document = advisory()
    document["product_tree"]["branches"][0]["branches"][0]["branches"][1]["product"][
        "product_id"
    ] = "CSAFPID-1"
    result = _herald(_write(tmp_path, "bad.json", document))
    assert result.returncode == 1
    assert (
        "  error   6.1.2 /product_tree/branches/0/branches/0/branches/1/product/product_id : "
        "Product id CSAFPID-1 is already defined at "
        "/product_tree/branches/0/branches/0/branches/0/product/product_id"
    ) in result.stdout.splitlines()


def test_a_batch_goes_on_after_unreadable_files(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.json", advisory())
    cut = tmp_path / "cut.json"
    cut.write_bytes(b'{"document": {')
    result = _herald(cut, tmp_path / "absent.json", good)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{cut}: invalid: not valid JSON: ")
    assert lines[1].startswith(f"{tmp_path / 'absent.json'}: invalid: cannot read: ")
    assert lines[2] == f"{good}: valid (0 errors, 0 warnings, 0 notes)"
    assert lines[-1] == "3 files checked, 2 invalid"
    assert "Traceback" not in result.stderr


def test_folders_are_searched_for_json_files(tmp_path: Path) -> None:
    (tmp_path / "2026").mkdir()
    _write(tmp_path / "2026", "a.json", advisory())
    _write(tmp_path, "b.json", advisory())
    (tmp_path / "notes.txt").write_text("not a document", encoding="utf-8")
    result = _herald(tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "2 files checked, 0 invalid"


def test_the_json_format_and_the_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "good.json", advisory())
    result = _herald("--format", "json", "--max-size", "100", path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["files"][0]["load_error"]["reason"] == "too_large"
    result = _herald("--format", "json", "--tests", "basic", path)
    assert result.returncode == 0
    assert json.loads(result.stdout)["valid"] is True


def test_a_bad_option_is_a_usage_error(tmp_path: Path) -> None:
    result = _herald("--format", "yaml", tmp_path)
    assert result.returncode == 2


def test_jobs_spread_the_files_and_keep_the_report_identical(tmp_path: Path) -> None:
    for number in range(7):
        document = advisory()
        if number % 3 == 1:
            document["document"]["tracking"]["version"] = "9"
        _write(tmp_path, f"advisory-{number}.json", document)
    (tmp_path / "advisory-cut.json").write_bytes(b'{"document": {')
    one = _herald("--format", "json", tmp_path)
    two = _herald("--format", "json", "--jobs", "2", tmp_path)
    assert two.returncode == one.returncode == 1
    assert two.stdout == one.stdout
    names = [Path(entry["file"]).name for entry in json.loads(two.stdout)["files"]]
    assert names == sorted(names)
    assert [entry["valid"] for entry in json.loads(two.stdout)["files"]] == [
        True,
        False,
        True,
        True,
        False,
        True,
        True,
        False,
    ]


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5"])
def test_jobs_must_be_a_number_from_one_or_auto(tmp_path: Path, jobs: str) -> None:
    result = _herald("--jobs", jobs, tmp_path)
    assert result.returncode == 2
    assert "--jobs" in result.stderr and "Traceback" not in result.stderr


def test_jobs_auto_gives_the_report_of_one_process(tmp_path: Path) -> None:
    for number in range(3):
        _write(tmp_path, f"advisory-{number}.json", advisory())
    one = _herald("--format", "json", "--jobs", "1", tmp_path)
    auto = _herald("--format", "json", "--jobs", "auto", tmp_path)
    default = _herald("--format", "json", tmp_path)
    assert one.returncode == auto.returncode == default.returncode == 0
    assert one.stdout == auto.stdout == default.stdout
