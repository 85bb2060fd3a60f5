"""The site generation for a request, read once for many concurrent requests.

Every public page needs the current generation (``PublicationService.generation``,
which releases due embargoes first). Under load, requests would each send the same
read to the database from a worker thread. Here they share reads without ever getting
an answer older than themselves: when no read is running, a request starts one; when
one is running (it began before the request arrived, so it may be too old), the
request waits for the next read, which starts as soon as the running one ends and
serves everyone who arrived meanwhile. At most two reads are ever pending, and a
cached page is answered on the event loop without a worker thread.

Before any of that, ``known`` (``PublicationService.known_generation``) may answer
without I/O: a server process reuses a generation it read less than
``publication.GENERATION_MAX_AGE`` seconds ago, unless a release is due or the process
committed a change since (``EmbargoKeeper``).
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable

from anyio import to_thread
from fastapi import FastAPI


class GenerationReader:
    """Coalesces ``read`` calls per event loop; see the module docstring."""

    def __init__(
        self, read: Callable[[], int], known: Callable[[], int | None] | None = None
    ) -> None:
        self._read = read
        self._known = known
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopState] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def known(self) -> int | None:
        """The generation ``known`` vouches for without I/O, if any (no read is started)."""
        return None if self._known is None else self._known()

    async def current(self) -> int:
        """A generation read that started after this call, or one ``known`` vouches for."""
        known = self.known()
        if known is not None:
            return known
        loop = asyncio.get_running_loop()
        with self._lock:
            state = self._loops.get(loop)
            if state is None:
                state = self._loops[loop] = _LoopState(self._read)
        return await state.current(loop)


class _LoopState:
    def __init__(
        self, read: Callable[[], int], known: Callable[[], int | None] | None = None
    ) -> None:
        self._read = read
        self._known = known
        self._busy = False
        self._next: asyncio.Future[int] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def current(self, loop: asyncio.AbstractEventLoop) -> int:
        if not self._busy:
            batch: asyncio.Future[int] = loop.create_future()
            self._start(loop, batch)
        else:
            if self._next is None:
                self._next = loop.create_future()
            batch = self._next
        return await asyncio.shield(batch)

    def _start(self, loop: asyncio.AbstractEventLoop, batch: asyncio.Future[int]) -> None:
        self._busy = True
        batch.add_done_callback(_retrieve)
        task = loop.create_task(self._cycle(loop, batch))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _cycle(self, loop: asyncio.AbstractEventLoop, batch: asyncio.Future[int]) -> None:
        try:
            value = await to_thread.run_sync(self._read)
        except Exception as error:  # handed to every waiting request
            if not batch.done():
                batch.set_exception(error)
        else:
            if not batch.done():
                batch.set_result(value)
        finally:
            waiting, self._next = self._next, None
            if waiting is not None:
                self._start(loop, waiting)
            else:
                self._busy = False


def _retrieve(future: asyncio.Future[int]) -> None:
    """Mark an error as seen even when every waiter went away."""
    if not future.cancelled():
        future.exception()


_CREATING = threading.Lock()


def reader_of(app: FastAPI) -> GenerationReader:
    """The app's reader (made on first use) over ``herald.publication``."""
    reader: GenerationReader | None = getattr(app.state, "site_generation", None)
    if reader is None:
        with _CREATING:
            reader = getattr(app.state, "site_generation", None)
            if reader is None:
                publication = app.state.herald.publication
                reader = GenerationReader(publication.generation, publication.known_generation)
                app.state.site_generation = reader
    return reader
