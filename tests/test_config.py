"""Settings that herald makes for itself: the secret key kept in the data folder."""

from __future__ import annotations

import multiprocessing
import stat
import threading
from pathlib import Path

from herald.config import Settings


def _key(data_dir: Path) -> str:
    return Settings(data_dir=data_dir, database_url="sqlite://").signing_key()


def test_the_kept_secret_key_is_made_once_and_private(tmp_path: Path) -> None:
    first = _key(tmp_path / "var")
    assert len(first) >= 32
    assert _key(tmp_path / "var") == first
    assert stat.S_IMODE((tmp_path / "var" / "secret.key").stat().st_mode) == 0o600
    assert [path.name for path in (tmp_path / "var").iterdir()] == ["secret.key"]


def test_threads_starting_together_get_one_key(tmp_path: Path) -> None:
    start = threading.Barrier(16)
    keys: list[str] = []

    def ask() -> None:
        start.wait()
        keys.append(_key(tmp_path))

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 16 and len(set(keys)) == 1 and keys[0]


def test_processes_starting_together_get_one_key(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        keys = pool.map(_key, [tmp_path] * 16)
    assert len(set(keys)) == 1 and keys[0]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["secret.key"]
