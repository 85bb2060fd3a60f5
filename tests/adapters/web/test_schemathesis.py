"""Property tests of the JSON API from its own OpenAPI document (schemathesis).

For every operation under ``/api/v1`` schemathesis generates valid and invalid
requests; every answer must be a declared status with a declared content type,
conform to its response schema and headers, and never be a server error. Two
phases, on each backend: the coverage phase (boundary values, deterministic) and
random fuzzing bounded to ``MAX_EXAMPLES`` per operation and generation mode.

``schemathesis.pytest.from_fixture`` does not run under pytest 9 (it writes
``Node._nodeid``, which is gone), so the cases are driven here directly.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from herald.bootstrap import Herald

from .conftest import MovableClock
from .test_alerts_api import ALERT_OPERATIONS
from .test_api import add_xencenter, content, publish, xencenter_content

MAX_EXAMPLES = int(os.environ.get("HERALD_SCHEMATHESIS_EXAMPLES", "30"))
"""Examples per operation and mode; raise it (environment) for a longer hunt."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    unsupported_method,
    allow_header_conformance,
]


@pytest.fixture
def api_schema(herald: Herald, app: FastAPI, clock: MovableClock) -> Any:
    """The API's own OpenAPI document, with a few more bulletins to find."""
    add_xencenter(herald)
    for n in range(3):
        clock.advance(timedelta(hours=1))
        publish(herald, content(n))
    publish(herald, xencenter_content(9, severity="Low"))
    herald.authoring.create_draft(content(20))
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app).include(
        path_regex="^/api/v1/"
    )


def _schema_for(app: FastAPI, path: str) -> Any:
    """The API's schema, with the answers schemathesis should take as acceptance for
    ``path`` (``ALSO_RIGHT``)."""
    expected = ["2XX", "401", "403", "404", *ALSO_RIGHT.get(path, [])]
    config = SchemathesisConfig.from_dict(
        {"checks": {"positive_data_acceptance": {"expected-statuses": expected}}}
    )
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config).include(
        path_regex="^/api/v1/"
    )


ALSO_RIGHT: dict[str, list[str]] = {
    # a cursor is opaque: only one this API gave (signed) is taken, any other is 422 on
    # `cursor` (docs/api.md); no schema can tell a signed cursor from an invented one
    "/api/v1/bulletins": ["422"],
}
"""Answers to schema-valid requests that are right for reasons a schema cannot state."""


OPERATIONS = [
    "/api/v1/bulletins",
    "/api/v1/bulletins/{article_id}",
    "/api/v1/products",
    "/api/v1/products/{product_id}",
    "/api/v1/products/{product_id}/versions/{version}",
    "/api/v1/products/{product_id}/versions/{version}/channels/{channel}/releases",
]


def test_every_operation_is_exercised(api_schema: Any) -> None:
    """Here (GET) or in test_alerts_api (``ALERT_OPERATIONS``)."""
    found = sorted((op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations())
    expected = [("GET", path) for path in OPERATIONS] + ALERT_OPERATIONS
    assert found == sorted(expected)


@pytest.mark.parametrize(
    ("path", "mode"),
    [
        (path, mode)
        for path in OPERATIONS
        for mode in GenerationMode
        if path != "/api/v1/products" or mode is GenerationMode.POSITIVE  # no parameters
    ],
    ids=str,
)
def test_the_api_keeps_its_own_promises(
    api_schema: Any, app: FastAPI, path: str, mode: GenerationMode
) -> None:
    operation = _schema_for(app, path)[path]["GET"]

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(operation.as_strategy(generation_mode=mode))
    def check(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(checks=CHECKS)

    check()


@pytest.mark.parametrize("path", OPERATIONS)
def test_boundary_cases(api_schema: Any, app: FastAPI, path: str) -> None:
    """Schemathesis's coverage phase: each parameter at and past its bounds, missing,
    of the wrong type, and the operation called with other methods."""
    schema = _schema_for(app, path)
    operation = schema[path]["GET"]
    cases = schema.iter_coverage_cases(
        operation,
        generation_modes=list(GenerationMode),
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
    )
    called = 0
    for case in cases:
        case.call_and_validate(checks=CHECKS)
        called += 1
    assert called > 0
