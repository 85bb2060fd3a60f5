"""Benchmark: herald's CSAF validator against @secvisogram/csaf-validator-lib, same files.

    .venv/bin/python bench/csaf_validate.py [--count 10000] [--rounds 3] [--jobs 2]

Both validators run the CSAF 2.0 JSON schema and every mandatory test (6.1) on the
same files: the OASIS validator test corpus (every file named in ``testcases.json``)
and ``--count`` generated advisories of realistic size, a share of them with one
planted error each (``bench/csaf/generate.py``). Each side reads every file from disk
(page cache), parses it and validates it, in one process, after a warm-up pass; the
rounds alternate between the two so both see the same machine load. Herald's side
calls ``prepare_batch_process()`` (``gc.freeze()``) after its warm-up, as ``herald
csaf validate`` does. Reported per
side: documents per second (wall clock and CPU time, median of the rounds), and the
verdict (valid or not) on every file; the script lists every file where the verdicts
differ, with the tests each side failed.

Each round also times a "read+parse+schema only" pass on herald's side (read the file,
orjson, the CSAF schema with jsonschema-rs; no depth limit, index, section 6 test or
report): the least any validator working on Python objects must spend per document,
reported as its own row.

With ``--jobs N`` (N > 1) each round also times ``herald csaf validate --jobs N``'s
code path (``validate_paths_in_processes``) on the same files, wall clock only, *pool
start-up included*; it is reported as its own row, since the reference runs in one
process (Node's CPU time does include its GC and compiler threads).

The reference library is installed with npm, pinned, where the tests install it
(``tests/adapters/csaf_validation/reference_library.py``: ``~/.cache/herald/``);
installing it is not timed. The Node script that drives it is written there by this
file (see ``NODE_SCRIPT``); the generated corpus goes to the scratch folder (default
``/tmp/herald-bench-csaf``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent / "csaf"))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from generate import generate  # bench/csaf is not a package: found through sys.path
from tests.adapters.csaf_validation.reference_library import PACKAGE, VERSION, installation
from tests.adapters.csaf_validation.standards import suite_files

from herald.adapters.csaf_validation import (
    CsafValidator,
    Preset,
    prepare_batch_process,
    validate_paths_in_processes,
)
from herald.adapters.csaf_validation.schema import compiled_schemas

REFERENCE_PACKAGE = PACKAGE
REFERENCE_VERSION = VERSION

NODE_SCRIPT = """\
// Written by herald's bench/csaf_validate.py: run the reference library's schema test
// and all its mandatory tests on every file of a list; print verdicts and timings.
import fs from 'node:fs'
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js'
import { csaf_2_0 } from '@secvisogram/csaf-validator-lib/schemaTests.js'
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js'

const [listFile, warmupArg] = process.argv.slice(2)
const files = fs.readFileSync(listFile, 'utf8').split('\\n').filter(Boolean)
const tests = [csaf_2_0, ...Object.values(mandatory)]

async function pass(record) {
  const verdicts = {}
  for (const file of files) {
    let result
    try {
      result = await validateStrict(tests, JSON.parse(fs.readFileSync(file, 'utf8')))
    } catch (error) {
      verdicts[file] = { valid: false, failed: ['load: ' + String(error).slice(0, 80)] }
      continue
    }
    if (record) {
      verdicts[file] = {
        valid: result.isValid,
        failed: result.tests.filter((t) => !t.isValid).map((t) => t.name),
      }
    }
  }
  return verdicts
}

for (let i = 0; i < Number(warmupArg); i++) await pass(false)
const cpu = process.cpuUsage()
const start = process.hrtime.bigint()
const verdicts = await pass(true)
const wall = Number(process.hrtime.bigint() - start) / 1e9
const used = process.cpuUsage(cpu)
process.stdout.write(JSON.stringify({ wall, cpu: (used.user + used.system) / 1e6, verdicts }))
"""


def _install_reference() -> tuple[str, Path]:
    """The pinned library (installed once, as the tests do) and Node's version."""
    folder = installation()
    (folder / "bench-validate.mjs").write_text(NODE_SCRIPT)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True)
    return node.stdout.strip(), folder


def _reference_pass(library: Path, list_file: Path, warmup: int) -> dict[str, Any]:
    completed = subprocess.run(
        ["node", str(library / "bench-validate.mjs"), str(list_file), str(warmup)],
        cwd=library,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def _floor_pass(files: list[Path]) -> dict[str, Any]:
    """Only what any validator on Python objects must do: read, parse (orjson), schema.

    No depth limit, no index, no section 6 test, no report: the figure shows how much
    of the per-document budget is gone before herald's own tests start.
    """
    schema = compiled_schemas()
    start = time.perf_counter()
    for path in files:
        schema.csaf_errors(orjson.loads(path.read_bytes()))
    return {"wall": time.perf_counter() - start}


def _herald_pass(validator: CsafValidator, files: list[Path]) -> dict[str, Any]:
    verdicts: dict[str, Any] = {}
    cpu = time.process_time()
    start = time.perf_counter()
    for path in files:
        report = validator.validate_file(path)
        failed = report.failed_tests() or (
            [report.load_reason or "load"] if report.load_error else []
        )
        verdicts[str(path)] = {"valid": report.valid, "failed": failed}
    return {
        "wall": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "verdicts": verdicts,
    }


def _herald_jobs_pass(validator: CsafValidator, files: list[Path], jobs: int) -> dict[str, Any]:
    start = time.perf_counter()
    batch = validate_paths_in_processes(validator, files, jobs)
    wall = time.perf_counter() - start
    verdicts = {
        report.source: {
            "valid": report.valid,
            "failed": report.failed_tests()
            or ([report.load_reason or "load"] if report.load_error else []),
        }
        for report in batch.files
    }
    return {"wall": wall, "verdicts": verdicts}


def _corpus(scratch: Path, count: int, seed: int) -> tuple[list[Path], dict[str, str]]:
    folder = scratch / f"generated-{count}-{seed}"
    manifest = folder / "planted.json"
    if manifest.is_file():
        planted: dict[str, str] = json.loads(manifest.read_text())
    else:
        if folder.exists():
            shutil.rmtree(folder)
        planted = generate(folder, count, seed=seed)
        manifest.write_text(json.dumps(planted, indent=0))
    return [folder / name for name in sorted(planted)], planted


def run_corpus(
    name: str,
    files: list[Path],
    scratch: Path,
    library: Path,
    rounds: int,
    planted: dict[str, str] | None = None,
    jobs: int = 1,
) -> dict[str, Any]:
    list_file = scratch / f"{name}.txt"
    list_file.write_text("\n".join(map(str, files)) + "\n")
    validator = CsafValidator(Preset.BASIC)
    _herald_pass(validator, files)  # warm-up: compiled schemas, caches
    prepare_batch_process()  # as `herald csaf validate` does before its files
    herald_runs, reference_runs, jobs_runs, floor_runs = [], [], [], []
    for _ in range(rounds):
        herald_runs.append(_herald_pass(validator, files))
        floor_runs.append(_floor_pass(files))
        if jobs > 1:
            jobs_runs.append(_herald_jobs_pass(validator, files, jobs))
        reference_runs.append(_reference_pass(library, list_file, warmup=1))
    herald_verdicts = herald_runs[-1]["verdicts"]
    reference_verdicts = reference_runs[-1]["verdicts"]
    disagreements = [
        {
            "file": file,
            "herald": herald_verdicts[file],
            "reference": reference_verdicts[file],
            "planted": (planted or {}).get(Path(file).name),
        }
        for file in map(str, files)
        if herald_verdicts[file]["valid"] != reference_verdicts[file]["valid"]
    ]
    missed_plants = (
        sorted(
            file
            for file in map(str, files)
            if planted.get(Path(file).name) and herald_verdicts[file]["valid"]
        )
        if planted
        else []
    )

    def rate(runs: list[dict[str, Any]], key: str) -> float:
        return float(statistics.median(len(files) / run[key] for run in runs))

    extra: dict[str, Any] = {}
    if jobs_runs:
        extra[f"herald --jobs {jobs} docs/s (wall, pool start included)"] = rate(jobs_runs, "wall")
        extra[f"herald --jobs {jobs} same verdicts as one process"] = all(
            run["verdicts"] == herald_verdicts for run in jobs_runs
        )

    return {
        "corpus": name,
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
        "invalid (herald)": sum(1 for verdict in herald_verdicts.values() if not verdict["valid"]),
        "invalid (reference)": sum(
            1 for verdict in reference_verdicts.values() if not verdict["valid"]
        ),
        "herald docs/s (wall)": rate(herald_runs, "wall"),
        "read+parse+schema only docs/s (wall)": rate(floor_runs, "wall"),
        "reference docs/s (wall)": rate(reference_runs, "wall"),
        "herald docs/s (cpu)": rate(herald_runs, "cpu"),
        "reference docs/s (cpu)": rate(reference_runs, "cpu"),
        **extra,
        "disagreements": disagreements,
        "planted errors herald missed": missed_plants,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="generated advisories")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per side")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/herald-bench-csaf"))
    parser.add_argument(
        "--jobs", type=int, default=2, help="also time herald over N processes (1: skip)"
    )
    parser.add_argument("--json", type=Path, help="also write the full results here")
    arguments = parser.parse_args()

    node, library = _install_reference()
    generated, planted = _corpus(arguments.scratch, arguments.count, arguments.seed)
    results = [
        run_corpus("oasis", suite_files(), arguments.scratch, library, arguments.rounds),
        run_corpus(
            "generated",
            generated,
            arguments.scratch,
            library,
            arguments.rounds,
            planted,
            jobs=arguments.jobs,
        ),
    ]
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Node {node}, {REFERENCE_PACKAGE} {REFERENCE_VERSION}"
    )
    print(f"machine: {machine}")
    print(f"load average at the end: {os.getloadavg()}")
    for result in results:
        print(f"\n## {result['corpus']}: {result['files']} files, {result['bytes']} bytes")
        for key, value in result.items():
            if key in ("corpus", "files", "bytes", "disagreements", "planted errors herald missed"):
                continue
            print(f"  {key}: {value:.1f}" if isinstance(value, float) else f"  {key}: {value}")
        for kind in ("wall", "cpu"):
            ratio = result[f"herald docs/s ({kind})"] / result[f"reference docs/s ({kind})"]
            print(f"  speed ratio ({kind}): {ratio:.2f}x")
        floor = result["read+parse+schema only docs/s (wall)"] / result["reference docs/s (wall)"]
        print(f"  speed ratio (read+parse+schema only, wall): {floor:.2f}x")
        for key in [key for key in result if key.startswith("herald --jobs") and "docs/s" in key]:
            ratio = result[key] / result["reference docs/s (wall)"]
            print(f"  speed ratio ({key.split(' docs/s')[0]}, wall): {ratio:.2f}x")
        print(f"  agreement: {result['files'] - len(result['disagreements'])}/{result['files']}")
        for disagreement in result["disagreements"]:
            print(f"  - {json.dumps(disagreement)}")
        if result["planted errors herald missed"]:
            print(f"  planted errors herald missed: {result['planted errors herald missed']}")
    if arguments.json:
        arguments.json.write_text(json.dumps({"machine": machine, "results": results}, indent=1))


if __name__ == "__main__":
    main()
