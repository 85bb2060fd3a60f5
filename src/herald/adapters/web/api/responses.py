"""What every answer of the public JSON API shares: JSON with its validators (or a 304),
and how the OpenAPI document describes those headers and the error answers.

Each 200 carries a weak ``ETag`` (a hash of the body) and ``Cache-Control``; bulletin
responses also carry ``Last-Modified`` and are kept per site generation and URL in the
site cache (``site_cache.keep``), like the site's pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from herald.adapters.web import http_cache
from herald.adapters.web.api.models import ErrorResponse
from herald.adapters.web.site import cache as site_cache

CACHE_HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "Weak validator: a hash of the body.",
        "schema": {"type": "string"},
        "required": True,
    },
    "Cache-Control": {
        "description": f"`public, max-age={http_cache.MAX_AGE}`.",
        "schema": {"type": "string"},
        "required": True,
    },
}
LAST_MODIFIED: dict[str, Any] = {
    "Last-Modified": {
        "description": "The newest change of a public bulletin the response depends on.",
        "schema": {"type": "string"},
    }
}
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {
        "description": "Not Modified: the copy named by `If-None-Match` (or, without it, "
        "dated by `If-Modified-Since`) is current. Empty body."
    }
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "A parameter is invalid; `error.field` names it."}
}


def not_found(what: str) -> dict[int | str, dict[str, Any]]:
    return {404: {"model": ErrorResponse, "description": f"No such {what}."}}


def json_answer(
    request: Request,
    body: BaseModel,
    last_modified: datetime | None = None,
    headers: dict[str, str] | None = None,
    *,
    generation: int | None = None,
) -> Response:
    """``body`` as JSON with its validators, or a 304.

    With the ``generation`` read before the body's data, the answer is also kept in the
    site cache for this URL and sent from there until the generation moves.
    """
    if generation is not None:
        answer = http_cache.prepare(
            body.model_dump_json().encode(),
            "application/json",
            last_modified=last_modified,
            headers=headers,
        )
        return site_cache.keep(request, generation, answer)
    return http_cache.respond(
        request,
        body.model_dump_json().encode(),
        "application/json",
        last_modified=last_modified,
        headers=headers,
    )
