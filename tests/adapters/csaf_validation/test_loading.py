"""The safe loader: each kind of bad input gives one clear error, and a batch goes on."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

import pytest

from herald.adapters.csaf_validation import (
    CsafValidator,
    DocumentLoadError,
    LoadLimits,
    load_json_file,
    parse_json_bytes,
)
from tests.adapters.csaf_validation.builders import advisory

LIMITS = LoadLimits(max_bytes=10_000, max_depth=20)


@pytest.mark.parametrize(
    ("data", "reason", "words"),
    [
        (b'{"document": {"title": "cut', "invalid_json", "not valid JSON"),
        (b'{"a": 1,}', "invalid_json", "not valid JSON"),
        (b"", "invalid_json", "not valid JSON"),
        (b'{"a": NaN}', "invalid_json", "not valid JSON"),
        (b'{"a": Infinity}', "invalid_json", "not valid JSON"),
        (b'{"a": "caf\xe9"}', "not_utf8", "offset 10"),
        (b"\xff\xfe{\x00}\x00", "not_utf8", "offset 0"),
        (b"[" * 21 + b"]" * 21, "too_deep", "limit of 20"),
        (b'{"a":' * 21 + b"1" + b"}" * 21, "too_deep", "limit of 20"),
        (b"[" * 5_000, "too_deep", "limit of 20"),
        (b" " * 10_001, "too_large", "limit of 10000 bytes"),
    ],
    ids=[
        "truncated",
        "trailing-comma",
        "empty",
        "nan",
        "infinity",
        "latin-1",
        "utf-16",
        "deep-arrays",
        "deep-objects",
        "very-deep-and-cut",
        "too-large",
    ],
)
def test_bad_input_is_one_clear_error(data: bytes, reason: str, words: str) -> None:
    with pytest.raises(DocumentLoadError) as caught:
        parse_json_bytes(data, "bad.json", LIMITS)
    assert caught.value.reason == reason
    assert words in caught.value.detail
    assert str(caught.value).startswith("bad.json: ")
    assert "\n" not in str(caught.value)


def test_good_input_within_the_limits_is_parsed() -> None:
    assert parse_json_bytes(b"[" * 20 + b"]" * 20, "ok.json", LIMITS) is not None
    assert parse_json_bytes(b'\xef\xbb\xbf{"a": "\xc3\xa9"}', "bom.json", LIMITS) == {"a": "é"}


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(DocumentLoadError) as caught:
        load_json_file(tmp_path / "absent.json")
    assert caught.value.reason == "unreadable"


def test_a_large_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "large.json"
    path.write_bytes(b"[" + b"1," * 50_000 + b"1]")
    with pytest.raises(DocumentLoadError) as caught:
        load_json_file(path, LoadLimits(max_bytes=1000))
    assert caught.value.reason == "too_large"


def test_the_batch_goes_on_after_bad_files(tmp_path: Path) -> None:
    (tmp_path / "a-cut.json").write_bytes(b'{"document": ')
    (tmp_path / "b-good.json").write_text(json.dumps(advisory()), encoding="utf-8")
    (tmp_path / "c-latin1.json").write_bytes(b'{"x": "\xe9"}')
    (tmp_path / "d-deep.json").write_bytes(b"[" * 100 + b"]" * 100)
    batch = CsafValidator().validate_paths([tmp_path])
    verdicts = {Path(report.source).name: report for report in batch.files}
    assert list(verdicts) == ["a-cut.json", "b-good.json", "c-latin1.json", "d-deep.json"]
    assert verdicts["b-good.json"].valid
    assert [
        verdicts[name].load_reason for name in ("a-cut.json", "c-latin1.json", "d-deep.json")
    ] == [
        "invalid_json",
        "not_utf8",
        "too_deep",
    ]
    assert not batch.valid


def _through_a_pipe(pipe: Path, data: bytes, limits: LoadLimits) -> object:
    """``load_json_file`` on a named pipe (no size known in advance) fed by a thread."""
    os.mkfifo(pipe)

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), pipe.open("wb") as stream:
            stream.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        return load_json_file(pipe, limits)
    finally:
        writer.join(timeout=10)


def test_a_pipe_is_read_whole_and_within_the_limit(tmp_path: Path) -> None:
    document = [list(range(100))] * 20
    data = json.dumps(document).encode()
    whole = _through_a_pipe(tmp_path / "a.json", data, LoadLimits(max_bytes=len(data)))
    assert whole == document
    with pytest.raises(DocumentLoadError) as caught:
        _through_a_pipe(tmp_path / "b.json", data, LoadLimits(max_bytes=len(data) - 1))
    assert caught.value.reason == "too_large"
