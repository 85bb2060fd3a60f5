"""``herald serve``: the knowledge center, the API, feeds and the staff side."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from herald.adapters.cli.context import herald_app
from herald.adapters.web.server_protocol import HeaderDeadlineProtocol
from herald.config import ServerLimits

WORKER_HEALTHCHECK_SECONDS = 30
"""How long a worker process may take to answer uvicorn's health check (start-up
included: importing and building the app takes seconds on a busy machine, and
uvicorn's own 5 s would kill and restart such a worker without end)."""


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (use PostgreSQL for more than one).")
    ] = 1,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Proxies trusted for X-Forwarded-* headers (comma-separated; "
            "default: HERALD_FORWARDED_ALLOW_IPS, else 127.0.0.1,::1)."
        ),
    ] = None,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log every request (turn off behind a reverse proxy that logs them).",
        ),
    ] = True,
) -> None:
    """Serve the web site on HOST:PORT; scheduled bulletins publish themselves on time."""
    limits = ServerLimits.from_environment()  # a mistake stops here, before any worker
    with herald_app() as herald:  # migrates the schema once, before any worker starts
        if workers > 1 and herald.database.is_sqlite:
            typer.echo(
                "herald: warning: SQLite allows one writer; use PostgreSQL for workers > 1",
                err=True,
            )
    uvicorn.run(
        "herald.adapters.web.factory:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips or limits.forwarded_allow_ips,
        http=HeaderDeadlineProtocol,  # HERALD_HEADER_TIMEOUT
        limit_concurrency=limits.max_connections,
        timeout_keep_alive=limits.keep_alive_timeout,
        log_level="info",
        access_log=access_log,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
