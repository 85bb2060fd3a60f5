"""One place that maps errors to responses: JSON under /api, an HTML page elsewhere.

A 4xx names the field or parameter; a 500 reveals nothing.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from herald.domain.errors import (
    Conflict,
    Forbidden,
    HeraldError,
    NotFound,
    TooManyAttempts,
    ValidationError,
)

log = logging.getLogger("herald.web")


def status_of(error: HeraldError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, ValidationError):
        return 422
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, TooManyAttempts):
        return 429
    return 400


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(
    request: Request,
    templates: Jinja2Templates,
    status: int,
    message: str,
    field: str | None = None,
) -> Response:
    """The error as JSON (API) or as the site's error page."""
    if _wants_json(request):
        body: dict[str, object] = {"error": {"status": status, "message": message}}
        if field:
            body["error"] = {**body["error"], "field": field}  # type: ignore[dict-item]
        return JSONResponse(body, status_code=status)
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
    )


def install(app: FastAPI, templates: Jinja2Templates) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(HeraldError)
    async def _herald(request: Request, error: HeraldError) -> Response:
        response = error_response(
            request, templates, status_of(error), error.message, getattr(error, "field", None)
        )
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {}
        location = [
            str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body")
        ]
        field = ".".join(location) or None
        message = f"{field}: {first.get('msg', 'invalid input')}" if field else "invalid input"
        return error_response(request, templates, 422, message, field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        messages = {404: "Not found", 405: "Method not allowed"}
        message = str(error.detail) if error.detail else messages.get(error.status_code, "Error")
        response = error_response(request, templates, error.status_code, message)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if _wants_json(request):
            return JSONResponse({"error": {"status": 500, "message": "internal error"}}, 500)
        return HTMLResponse("<!doctype html><title>Error</title><h1>Internal error</h1>", 500)
