"""``validate_paths_in_processes``: the same reports, in the same order, as one process."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from herald.adapters.csaf_validation import (
    BatchReport,
    CsafValidator,
    Preset,
    validate_paths_in_processes,
)
from herald.adapters.csaf_validation.parallel import (
    AUTO_MIN_FILES,
    automatic_jobs,
    available_cpus,
)
from tests.adapters.csaf_validation.builders import advisory


def _folder(tmp_path: Path) -> Path:
    for number in range(6):
        document = advisory()
        if number % 2:
            document["vulnerabilities"][0]["product_status"]["known_affected"] = ["CSAFPID-9"]
        (tmp_path / f"{number}.json").write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "9-cut.json").write_bytes(b"[")
    return tmp_path


def _in_a_process_with_another_thread(validator: CsafValidator, folder: Path) -> BatchReport:
    """Runs the batch while a second thread is alive: workers come from a fork server."""
    stop = threading.Event()
    waiter = threading.Thread(target=stop.wait)
    waiter.start()
    try:
        return validate_paths_in_processes(validator, [folder], 2)
    finally:
        stop.set()
        waiter.join()


def test_workers_from_a_fork_server_give_the_same_batch(tmp_path: Path) -> None:
    validator = CsafValidator(Preset.BASIC)
    folder = _folder(tmp_path)
    alone = validator.validate_paths([folder])
    assert [report.valid for report in alone.files] == [True, False] * 3 + [False]
    assert _in_a_process_with_another_thread(validator, folder) == alone


def test_jobs_below_one_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        validate_paths_in_processes(CsafValidator(), [tmp_path], 0)


def test_a_large_batch_is_spread_over_the_cpus_and_a_small_one_is_not() -> None:
    assert automatic_jobs(AUTO_MIN_FILES - 1, cpus=8) == 1
    assert automatic_jobs(AUTO_MIN_FILES, cpus=8) == 8
    assert automatic_jobs(10_000, cpus=1) == 1
    assert available_cpus() >= 1


def test_automatic_jobs_give_the_same_batch(tmp_path: Path) -> None:
    validator = CsafValidator(Preset.BASIC)
    folder = _folder(tmp_path)
    assert validate_paths_in_processes(validator, [folder], None) == validator.validate_paths(
        [folder]
    )
