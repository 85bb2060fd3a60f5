"""``herald worker``: deliver alerts from the outbox (email and webhooks)."""

from __future__ import annotations

import resource
import signal
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from herald.adapters.cli.context import delivery_loop
from herald.domain.errors import ValidationError


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)


def worker(
    concurrency: Annotated[
        int, typer.Option(help="Email sending threads, one SMTP connection each.")
    ] = 4,
    webhook_concurrency: Annotated[
        int, typer.Option(help="Webhook requests in flight at once.")
    ] = 16,
    batch: Annotated[int, typer.Option(help="Deliveries claimed per batch.")] = 500,
    lanes: Annotated[
        int, typer.Option(help="Batches in flight at once (one claims while another sends).")
    ] = 2,
    poll: Annotated[float, typer.Option(help="Seconds to wait when nothing is due.")] = 1.0,
    lease: Annotated[
        float, typer.Option(help="Seconds a claim holds its rows before others may retake them.")
    ] = 120.0,
    once: Annotated[
        bool, typer.Option("--once", help="Stop when nothing is due (instead of waiting).")
    ] = False,
) -> None:
    """Send alerts: release due embargoes, predisclose, drain the outbox; until stopped.

    On PostgreSQL run as many as you like, on as many machines; on SQLite run one.
    """
    for name, value, most in (
        ("--concurrency", concurrency, 10_000),
        ("--webhook-concurrency", webhook_concurrency, 10_000),
        ("--batch", batch, 10_000),
        ("--lanes", lanes, 16),
    ):
        if not 1 <= value <= most:
            raise ValidationError(name, f"give a number from 1 to {most}")
    if not 1 <= lease <= 86_400:
        raise ValidationError("--lease", "give 1 to 86400 seconds")
    if not 0.01 <= poll <= 3600:
        raise ValidationError("--poll", "give 0.01 to 3600 seconds")
    with delivery_loop(
        email_concurrency=concurrency,
        webhook_concurrency=webhook_concurrency,
        lease_seconds=lease,
        batch=batch,
        poll=poll,
        lanes=lanes,
    ) as loop:

        def _stop(signum: int, _: FrameType | None) -> None:
            loop.stop()

        previous = {
            number: signal.signal(number, _stop) for number in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            handled = loop.run(once=once)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
    peak_mb = _peak_rss_mb()
    typer.echo(f"herald worker: {handled} deliveries handled; peak RSS {peak_mb:.0f} MB", err=True)


def _peak_rss_mb() -> float:
    """This process's peak resident set size: ``VmHWM`` (``ru_maxrss`` keeps the parent's
    peak across fork and exec, so it can overstate a worker started by a big process)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
