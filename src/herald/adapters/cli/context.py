"""How a command gets herald's services: built once per invocation from the environment.

This module and the web app factory are the only adapters that import
``herald.bootstrap``; commands take what they need from the object ``herald_app``
yields and hand helpers only the services those use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from herald.adapters.delivery.worker import WorkerLoop
from herald.bootstrap import Herald, build, delivery_service
from herald.config import Settings


@contextmanager
def herald_app() -> Iterator[Herald]:
    """herald's services for one command, closed afterwards."""
    app = build(Settings.from_environment())
    try:
        yield app
    finally:
        app.close()


@contextmanager
def delivery_loop(
    *,
    email_concurrency: int,
    webhook_concurrency: int,
    lease_seconds: float,
    batch: int,
    poll: float,
    lanes: int,
) -> Iterator[WorkerLoop]:
    """The worker's loop (embargo releases, predisclosure, the outbox), closed afterwards."""
    with herald_app() as herald:
        loop = WorkerLoop(
            delivery_service(
                herald,
                email_concurrency=email_concurrency,
                webhook_concurrency=webhook_concurrency,
                lease_seconds=lease_seconds,
            ),
            herald.authoring.release_due,
            herald.alerts.predisclose_due,
            batch=batch,
            poll=poll,
            lanes=lanes,
        )
        try:
            yield loop
        finally:
            loop.service.close()
