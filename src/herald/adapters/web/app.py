"""``create_app``: the FastAPI application around herald's services."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from herald import __version__
from herald.adapters.web import errors
from herald.adapters.web.api import alerts as alerts_api
from herald.adapters.web.api import bulletins as api
from herald.adapters.web.middleware import (
    CONTENT_SECURITY_POLICY,
    BodyLimit,
    PrivateAnswers,
    SecurityHeaders,
    security_headers,
)
from herald.adapters.web.sessions import SESSION_COOKIE, ServerSessions
from herald.adapters.web.site import alerts, csaf_provider, documents, feeds
from herald.adapters.web.site import routes as site
from herald.adapters.web.site.cache import CachedPages
from herald.adapters.web.staff import alerts as staff_alerts
from herald.adapters.web.staff import catalog as staff_catalog
from herald.adapters.web.staff import routes as staff
from herald.adapters.web.staff.pages import sign_in_first
from herald.adapters.web.staff.session import SignInFirst, session_owner
from herald.bootstrap import Herald, in_process_worker

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 1_000_000
"""The largest request body accepted (forms and API input)."""
EMBARGO_POLL_SECONDS = 30.0
"""The longest the background task sleeps between looks at the schedule."""

log = logging.getLogger("herald.web")


class HeraldApp(FastAPI):
    """FastAPI with the page cache in front of everything, Starlette's middleware included.

    A cached public page costs no routing and no middleware (``site_cache.CachedPages``);
    everything else goes through the whole stack.
    """

    front: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.front is None:
            await super().__call__(scope, receive, send)
        else:
            await self.front(scope, receive, send)

    async def through_middleware(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The application without its front: Starlette's middleware, then the routes."""
        await super().__call__(scope, receive, send)


@cache
def _every_route() -> APIRouter:
    """The wings' routers and the static files, included once per process.

    FastAPI works out each route's dependencies (signatures, parameter models) once per
    inclusion, on the first request. Every application of the process shares this one
    inclusion, so a second app (each test has its own) costs no second analysis. Routes
    find their services through ``request.app``, the application serving the request,
    and so never mix two apps' services; dependency overrides are not used.
    """
    router = APIRouter()
    for wing in (
        api.router,
        alerts_api.router,
        feeds.router,
        staff.router,
        staff_alerts.router,
        staff_catalog.router,
        alerts.router,
        documents.router,
        csaf_provider.router,
        site.router,
    ):
        router.include_router(wing)
    router.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return router


def create_app(herald: Herald, *, run_scheduler: bool = True) -> FastAPI:
    """The web application; ``run_scheduler`` starts the embargo task with the server."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_release_on_time(herald)) if run_scheduler else None
        worker = in_process_worker(herald) if run_scheduler else None  # alerts
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
                await run_in_threadpool(worker.join, 30.0)
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = HeraldApp(
        title="herald",
        version=__version__,
        description="Security bulletins: the public JSON API of the knowledge center.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN: not on a strict-CSP, offline site
        redoc_url=None,
        lifespan=lifespan,
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(
        base_url=herald.settings.base_url,
        version=__version__,
        content_security_policy=CONTENT_SECURITY_POLICY,
    )
    app.state.herald = herald
    app.state.templates = templates
    errors.install(app, templates)
    app.add_exception_handler(SignInFirst, _to_sign_in)
    app.router.routes.extend(_every_route().routes)

    @app.get("/api/", include_in_schema=False)
    def api_index(request: Request) -> Response:
        """A readable list of the API's operations, from its own OpenAPI document."""
        operations = [
            {"method": method.upper(), "path": path, "summary": spec.get("summary", "")}
            for path, item in app.openapi().get("paths", {}).items()
            for method, spec in item.items()
        ]
        return templates.TemplateResponse(request, "api.html", {"operations": operations})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        """For load balancers: 200 when the database answers."""
        herald.publication.generation()
        return PlainTextResponse("ok")

    app.add_middleware(
        ServerSessions,
        sessions=herald.sessions,
        owner=session_owner,
        secure=herald.settings.secure_cookies,
    )
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(PrivateAnswers)
    app.add_middleware(SecurityHeaders, hsts=herald.settings.secure_cookies)
    app.front = CachedPages(
        app.through_middleware,
        site=app,
        session_cookie=SESSION_COOKIE,
        extra_headers=security_headers(hsts=herald.settings.secure_cookies),
    )
    return app


async def _to_sign_in(request: Request, _: Exception) -> Response:
    """A staff page asked for by someone not (fully) signed in: the way to sign in."""
    return sign_in_first(request)


async def _release_on_time(herald: Herald) -> None:
    """Sleep until the next embargo lifts (or a while), then release what is due."""
    while True:
        try:
            await run_in_threadpool(herald.embargo.catch_up)
        except Exception:  # the loop must outlive a passing database error
            log.exception("releasing scheduled bulletins failed; retrying")
        upcoming = herald.embargo.next_release_at
        delay = EMBARGO_POLL_SECONDS
        if upcoming is not None:
            delay = min(delay, max((upcoming - datetime.now(UTC)).total_seconds(), 0.0) + 0.01)
        await asyncio.sleep(delay)
