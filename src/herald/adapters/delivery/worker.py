"""The worker loop: release due embargoes, emit due predisclosures, drain the outbox.

``herald worker`` runs it in the foreground; ``herald serve`` runs one in a thread of
its own. A passing error (the database restarting, a dropped connection) is logged and
the loop goes on after a pause: rows claimed by a batch that could not be recorded are
retaken when their lease ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from herald.domain.errors import HeraldError
from herald.services.delivery import DeliveryService

log = logging.getLogger("herald.worker")

ERROR_PAUSE_SECONDS = 2.0


@dataclass
class WorkerLoop:
    """One worker: ``run`` until ``stop`` is called (or, with ``once``, until idle)."""

    service: DeliveryService
    release_due: Callable[[], object]
    predisclose_due: Callable[[], object]
    batch: int = 500
    poll: float = 1.0
    lanes: int = 1
    """Batches in flight at once: while one lane sends, another claims or records."""
    handled: int = 0
    """Deliveries handled so far."""
    _stopping: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, *, once: bool = False) -> int:
        """Work until stopped; with ``once``, until nothing is due. Deliveries handled."""
        helpers = [
            threading.Thread(target=self._lane, args=(once,), name=f"herald-lane-{n}")
            for n in range(1, self.lanes)
        ]
        for helper in helpers:
            helper.start()
        try:
            self._main_lane(once)
        finally:
            if not once:
                self._stopping.set()
            for helper in helpers:
                helper.join()
        return self.handled

    def _lane(self, once: bool) -> None:
        """A helper lane: only drains the outbox."""
        while not self._stopping.is_set():
            try:
                count = self.service.run_once(self.batch)
            except HeraldError as error:
                log.warning("worker: %s; retrying in %.0f s", error, ERROR_PAUSE_SECONDS)
                if once:
                    return
                self._stopping.wait(ERROR_PAUSE_SECONDS)
                continue
            with self._lock:
                self.handled += count
            if count == 0:
                if once:
                    return
                self._stopping.wait(self.poll)

    def _main_lane(self, once: bool) -> None:
        while not self._stopping.is_set():
            try:
                self.release_due()
                self.predisclose_due()
                count = self.service.run_once(self.batch)
            except HeraldError as error:
                if once:
                    raise
                log.warning("worker: %s; retrying in %.0f s", error, ERROR_PAUSE_SECONDS)
                self._stopping.wait(ERROR_PAUSE_SECONDS)
                continue
            with self._lock:
                self.handled += count
            if count == 0:
                if once:
                    break
                self._stopping.wait(self.poll)

    def stop(self) -> None:
        """Finish the batch at hand, then return from ``run``."""
        self._stopping.set()

    def start_thread(self) -> None:
        """Run in a daemon thread (``herald serve``)."""
        self._thread = threading.Thread(target=self._run_logged, name="herald-worker", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
        self.service.close()

    def _run_logged(self) -> None:
        try:
            self.run()
        except Exception:  # the thread must say why it ended
            log.exception("the alert worker stopped")
