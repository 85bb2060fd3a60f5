"""What only a real ``herald`` process shows: the exit status the shell sees, output on
the right stream, and no traceback. The other CLI tests run the same app in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.adapters.cli.conftest import Herald, Result, assert_one_line_error
from tests.adapters.cli.test_commands import DRAFT


def test_success_prints_to_stdout_and_exits_0(herald_process: Herald) -> None:
    assert herald_process("demo").exit_code == 0
    shown = herald_process("bulletin", "show", "CTX696397")
    assert shown.exit_code == 0, shown.stderr
    assert "CVE-2026-4397" in shown.stdout
    assert "Traceback" not in shown.stderr


def test_each_kind_of_mistake_is_one_line_with_its_exit_status(
    herald_process: Herald, tmp_path: Path
) -> None:
    herald_process("demo")
    bad = tmp_path / "CTX700003.yaml"
    bad.write_text(DRAFT.replace("CTX700001", "CTX700003").replace("title:", "titel:"), "utf-8")
    assert_one_line_error(herald_process("import", str(bad)), "CTX700003.yaml:4:", exit_code=2)
    assert_one_line_error(herald_process("bulletin", "show", "CTX000001"), "CTX000001", exit_code=3)
    missing = tmp_path / "nowhere.yaml"
    assert_one_line_error(herald_process("import", str(missing)), "nowhere.yaml", exit_code=2)


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "HERALD_DATABASE_URL": "postgresql://postgres@127.0.0.1:9/herald"}
    env["HERALD_DATA_DIR"] = str(tmp_path / "var")
    completed = subprocess.run(  # this interpreter, running herald
        [sys.executable, "-m", "herald", "bulletin", "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    result = Result(completed.returncode, completed.stdout, completed.stderr)
    assert_one_line_error(result, "HERALD_DATABASE_URL", "Connection refused", exit_code=1)
