"""CSAF 2.0 validation: the JSON schema and the tests of section 6, offline.

``CsafValidator`` reads files safely (size, encoding and nesting limits), validates
them against the packaged CSAF schema with a compiled jsonschema-rs validator, indexes
each document once and runs the mandatory (6.1), optional (6.2) and informative (6.3)
tests over that index. Reports are plain data (``FileReport``, ``BatchReport``) with a
text and a JSON rendering.
"""

from herald.adapters.csaf_validation.checks import Check
from herald.adapters.csaf_validation.loading import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    DocumentLoadError,
    LoadLimits,
    load_json_file,
    parse_json_bytes,
)
from herald.adapters.csaf_validation.parallel import (
    prepare_batch_process,
    validate_paths_in_processes,
)
from herald.adapters.csaf_validation.report import (
    BatchReport,
    FileReport,
    Finding,
    Level,
    SkippedTest,
    render_json,
    render_text,
)
from herald.adapters.csaf_validation.schema import compiled_schemas, referencing_registry
from herald.adapters.csaf_validation.validator import (
    SCHEMA_TEST_ID,
    CsafValidator,
    Preset,
    all_checks,
    expand_paths,
    validate_document,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "SCHEMA_TEST_ID",
    "BatchReport",
    "Check",
    "CsafValidator",
    "DocumentLoadError",
    "FileReport",
    "Finding",
    "Level",
    "LoadLimits",
    "Preset",
    "SkippedTest",
    "all_checks",
    "compiled_schemas",
    "expand_paths",
    "load_json_file",
    "parse_json_bytes",
    "prepare_batch_process",
    "referencing_registry",
    "render_json",
    "render_text",
    "validate_document",
    "validate_paths_in_processes",
]
