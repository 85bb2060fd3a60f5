"""The page cache and the shared generation reads, without a database."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from herald.adapters.web.site.cache import Page, PageCache
from herald.adapters.web.site.generation import GenerationReader


def _page(text: str) -> Page:
    return Page.text(text, "text/plain")


_T = TypeVar("_T")


def _run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coroutine`` on a fresh event loop in its own thread.

    The browser tests' Playwright keeps an event loop running in this thread when both
    share a pytest worker, and ``asyncio.run`` refuses to nest in a running loop.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_cache_keeps_the_newest_generation_and_the_most_recent_pages() -> None:
    cache = PageCache(capacity=2)
    cache.put(1, "/a", _page("a"))
    cache.put(1, "/b", _page("b"))
    assert cache.get(1, "/a") == _page("a")  # now /b is the least recent
    cache.put(1, "/c", _page("c"))
    assert cache.get(1, "/b") is None and len(cache) == 2
    assert cache.get(2, "/a") is None, "another generation never hits"
    cache.put(2, "/d", _page("d"))
    assert cache.get(1, "/a") is None and len(cache) == 1
    cache.put(1, "/late", _page("late"))  # rendered at an older generation: dropped
    assert cache.get(2, "/late") is None and cache.get(1, "/late") is None


def test_the_etag_follows_the_bytes_and_not_the_generation() -> None:
    assert _page("x").etag == _page("x").etag
    assert _page("x").etag != _page("y").etag
    assert _page("x").etag != Page.text("x", "text/html").etag


class _Database:
    """A generation read that takes a while and counts how many started."""

    def __init__(self, fail: bool = False) -> None:
        self.started = 0
        self.fail = fail
        self._lock = threading.Lock()

    def read(self) -> int:
        with self._lock:
            self.started += 1
            number = self.started
        time.sleep(0.05)
        if self.fail:
            raise RuntimeError("database down")
        return number


def test_concurrent_requests_share_reads_that_started_after_they_arrived() -> None:
    database = _Database()
    reader = GenerationReader(database.read)

    async def request(delay: float) -> tuple[int, int]:
        await asyncio.sleep(delay)
        arrived_after = database.started
        return arrived_after, await reader.current()

    async def main() -> list[tuple[int, int]]:
        return await asyncio.gather(*(request(i * 0.004) for i in range(30)))

    answers = _run(main())
    for arrived_after, generation in answers:
        assert generation > arrived_after, "an answer never predates its request"
    assert database.started <= 4, "30 requests, a handful of reads"


def test_a_failed_read_reaches_its_waiters_and_the_next_read_is_fresh() -> None:
    database = _Database(fail=True)
    reader = GenerationReader(database.read)

    async def main() -> list[int | BaseException]:
        answers: list[int | BaseException] = await asyncio.gather(
            *(reader.current() for _ in range(5)), return_exceptions=True
        )
        return answers

    assert all(isinstance(answer, RuntimeError) for answer in _run(main()))
    database.fail = False
    assert _run(reader.current()) == database.started


@pytest.mark.parametrize("capacity", [1, 3])
def test_single_flight_renders_a_page_once(capacity: int) -> None:
    cache = PageCache(capacity=capacity)
    renders = []

    def worker() -> None:
        with cache.single_flight("/x"):
            if cache.get(7, "/x") is None:
                renders.append(1)
                time.sleep(0.02)
                cache.put(7, "/x", _page("x"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(renders) == 1
