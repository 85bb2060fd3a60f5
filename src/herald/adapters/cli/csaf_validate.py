"""``herald csaf validate``: the CSAF 2.0 schema and the tests of section 6 on files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, assert_never

import typer

from herald.adapters.cli.csaf import csaf_app
from herald.adapters.csaf_validation import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    CsafValidator,
    LoadLimits,
    Preset,
    prepare_batch_process,
    render_json,
    render_text,
    validate_paths_in_processes,
)


class ReportFormat(StrEnum):
    """How the report is printed."""

    TEXT = "text"
    JSON = "json"


@csaf_app.command("validate")
def validate_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="CSAF files, or folders whose *.json files are all checked."),
    ],
    report_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="text (default) or json.")
    ] = ReportFormat.TEXT,
    tests: Annotated[
        Preset,
        typer.Option(
            "--tests",
            help="basic: schema and mandatory tests; extended: also optional (warnings); "
            "full: also informative (notes).",
        ),
    ] = Preset.FULL,
    max_size: Annotated[
        int, typer.Option("--max-size", min=1, help="Largest file read, in bytes.")
    ] = DEFAULT_MAX_BYTES,
    max_depth: Annotated[
        int, typer.Option("--max-depth", min=1, help="Deepest JSON nesting accepted.")
    ] = DEFAULT_MAX_DEPTH,
    jobs: Annotated[
        str,
        typer.Option(
            "--jobs",
            "-j",
            help="Processes to spread the files over: a number, or auto (one per CPU "
            "from 200 files on); the report keeps the files' order.",
        ),
    ] = "auto",
) -> None:
    """Validate CSAF 2.0 documents: JSON schema and the tests of section 6.

    Prints each file's verdict and failed tests with JSON paths. Exit status: 0 when
    every file is valid, 1 when any file is invalid or cannot be read.
    """
    validator = CsafValidator(tests, LoadLimits(max_bytes=max_size, max_depth=max_depth))
    prepare_batch_process()
    batch = validate_paths_in_processes(validator, paths, _jobs(jobs))
    match report_format:
        case ReportFormat.TEXT:
            typer.echo(render_text(batch))
        case ReportFormat.JSON:
            typer.echo(render_json(batch))
        case _:
            assert_never(report_format)
    raise typer.Exit(0 if batch.valid else 1)


def _jobs(value: str) -> int | None:
    """``--jobs``: a whole number from 1, or ``auto`` (None)."""
    if value.strip().lower() == "auto":
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise typer.BadParameter(
            f"give a number from 1, or auto (not {value!r})", param_hint="--jobs"
        )
    return int(value)
