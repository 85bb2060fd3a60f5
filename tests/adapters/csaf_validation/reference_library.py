"""The reference CSAF validator, ``@secvisogram/csaf-validator-lib``, run by Node.

``reference_verdicts(files)`` runs the library's CSAF 2.0 schema test and all its
mandatory tests (``validateStrict``) on each file and returns, per file, whether it is
valid and which tests failed. The library is installed once per machine with npm, pinned
to ``VERSION``, into ``~/.cache/herald/csaf-validator-lib-VERSION`` (``HERALD_CACHE_DIR``
overrides the parent folder); ``bench/csaf_validate.py`` uses the same installation.

Without Node.js and npm, or when the npm registry cannot be reached, the tests that
need the library are skipped with the reason; with ``HERALD_REQUIRE_REFERENCE=1`` (CI
sets it) they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "@secvisogram/csaf-validator-lib"
VERSION = "2.0.10"
_ATTEMPTS = 3

VERDICT_SCRIPT = """\
// Written by herald's tests: the reference library's verdict on every file of a list.
import fs from 'node:fs'
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js'
import { csaf_2_0 } from '@secvisogram/csaf-validator-lib/schemaTests.js'
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js'

const files = fs.readFileSync(process.argv[2], 'utf8').split('\\n').filter(Boolean)
const tests = [csaf_2_0, ...Object.values(mandatory)]
const verdicts = {}
for (const file of files) {
  const result = await validateStrict(tests, JSON.parse(fs.readFileSync(file, 'utf8')))
  verdicts[file] = {
    valid: result.isValid,
    failed: result.tests.filter((t) => !t.isValid).map((t) => t.name),
  }
}
process.stdout.write(JSON.stringify(verdicts))
"""


@dataclass(frozen=True)
class ReferenceVerdict:
    valid: bool
    failed: tuple[str, ...]
    """The library's test names, e.g. ``mandatoryTest_6_1_21`` or ``csaf_2_0``."""


class ReferenceUnavailable(Exception):
    """Node.js or npm is missing, or the package could not be installed."""


def installation() -> Path:
    """The folder holding the pinned library (installed on first use)."""
    parent = Path(os.environ.get("HERALD_CACHE_DIR") or Path.home() / ".cache" / "herald")
    folder = parent / f"csaf-validator-lib-{VERSION}"
    if (folder / "node_modules" / PACKAGE / "package.json").is_file():
        return folder
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise ReferenceUnavailable(f"{tool} is not installed")
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        (staging / "package.json").write_text(
            json.dumps({"name": "herald-csaf-reference", "private": True, "type": "module"})
        )
        _npm_install(staging)
        try:
            staging.rename(folder)  # atomic: another process may have won the race
        except OSError:
            if not (folder / "node_modules" / PACKAGE / "package.json").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _npm_install(folder: Path) -> None:
    command = ["npm", "install", "--no-audit", "--no-fund", "--save-exact", f"{PACKAGE}@{VERSION}"]
    last = ""
    for _ in range(_ATTEMPTS):
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return
        lines = (done.stderr or done.stdout).strip().splitlines()
        last = lines[-1] if lines else f"exit status {done.returncode}"
    raise ReferenceUnavailable(f"npm could not install {PACKAGE}@{VERSION}: {last}")


def require_reference() -> Path:
    """The installation, or skip the test (fail it when ``HERALD_REQUIRE_REFERENCE=1``)."""
    try:
        return installation()
    except ReferenceUnavailable as error:
        if os.environ.get("HERALD_REQUIRE_REFERENCE") == "1":
            pytest.fail(f"the reference library is required: {error}")
        pytest.skip(f"the reference library is unavailable: {error}")


def reference_verdicts(files: list[Path]) -> dict[Path, ReferenceVerdict]:
    """The library's verdict on each file (one Node process for all of them)."""
    folder = require_reference()
    script = folder / "verdicts.mjs"
    if not script.is_file() or script.read_text() != VERDICT_SCRIPT:
        staging = folder / f".verdicts.{os.getpid()}.mjs"
        staging.write_text(VERDICT_SCRIPT)
        staging.replace(script)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(str(path.resolve()) for path in files) + "\n")
    try:
        done = subprocess.run(
            ["node", str(script), listing.name],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    finally:
        Path(listing.name).unlink()
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    return {
        path: ReferenceVerdict(
            bool(found[str(path.resolve())]["valid"]),
            tuple(found[str(path.resolve())]["failed"]),
        )
        for path in files
    }
