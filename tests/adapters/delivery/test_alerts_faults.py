"""Faults with real processes: a ``herald worker`` killed with SIGKILL mid-batch, and its
PostgreSQL connections terminated while it works. Every alert arrives; a repeat is only
ever the same alert again (same Message-ID), and the tests count the repeats."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

import herald.demo as demo
from herald.bootstrap import Herald
from herald.domain.alerts import AlertFilter, DeliveryStatus
from tests.adapters.delivery.conftest import MovableClock, SmtpSink
from tests.conftest import POSTGRES_ADMIN_URL

BATCH = 10


@pytest.fixture
def clock() -> MovableClock:
    """Real time (the worker subprocess reads the system clock)."""
    return MovableClock(datetime.now(UTC))


@pytest.fixture
def start_worker(
    alerts: Herald, database_url: str, tmp_path: Path, smtp: SmtpSink
) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    env = {
        **os.environ,
        "HERALD_DATABASE_URL": database_url,
        "HERALD_DATA_DIR": str(tmp_path / "var"),
        "HERALD_BASE_URL": alerts.settings.base_url,
        "HERALD_SECRET_KEY": alerts.settings.signing_key(),
        "HERALD_SMTP_URL": smtp.url,
    }

    def start(*args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "herald", "worker", "--concurrency", "1", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def fan_out(alerts: Herald, count: int) -> str:
    for number in range(count):
        alerts.subscriptions.add_email(f"user{number}@example.com", AlertFilter())
    draft = alerts.authoring.create_draft(demo.reference_content())
    return alerts.authoring.publish(draft.article_id).article_id


def expected_ids(alerts: Herald, article_id: str) -> set[str]:
    return {
        f"<alert.{view.delivery.idempotency_key}@bulletins.example.com>"
        for view in alerts.alerts.deliveries(article_id)
    }


def all_sent(alerts: Herald, article_id: str) -> bool:
    views = alerts.alerts.deliveries(article_id)
    return all(view.delivery.status is DeliveryStatus.SENT for view in views)


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_with_the_same_key(
    alerts: Herald, smtp: SmtpSink, start_worker: Callable[..., subprocess.Popen[str]]
) -> None:
    article_id = fan_out(alerts, 40)
    smtp.delay = 0.05
    first = start_worker("--batch", str(BATCH), "--lease", "2", "--poll", "0.1")
    wait_until(lambda: len(smtp.messages) >= 3)
    assert len(smtp.messages) < BATCH  # still inside the first batch, unrecorded
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    time.sleep(1.0)  # what the killed worker had already written reaches the sink
    sent_before_kill = len(smtp.messages)

    time.sleep(2.5)  # the killed worker's lease ends
    smtp.delay = 0.0
    second = start_worker("--batch", str(BATCH), "--lease", "2", "--once")
    assert second.wait(timeout=120) == 0, second.stderr.read() if second.stderr else ""

    received = Counter(smtp.message_ids())
    assert set(received) == expected_ids(alerts, article_id)  # nothing lost
    repeats = sum(received.values()) - len(received)
    assert 1 <= repeats <= sent_before_kill  # only what the killed batch had sent
    assert all(count <= 2 for count in received.values())
    assert all_sent(alerts, article_id)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_dropped_database_connections_are_survived(
    alerts: Herald,
    smtp: SmtpSink,
    database_url: str,
    start_worker: Callable[..., subprocess.Popen[str]],
) -> None:
    article_id = fan_out(alerts, 40)
    alerts.database.dispose()
    smtp.delay = 0.03
    worker = start_worker("--batch", str(BATCH), "--lease", "2", "--poll", "0.1")
    database_name = database_url.rpartition("/")[2]
    terminated = 0
    for threshold in (5, 20):
        wait_until(lambda threshold=threshold: len(smtp.messages) >= threshold)  # type: ignore[misc]
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (database_name,),
            ).fetchall()
        terminated += len(rows)
    assert terminated >= 1

    wait_until(lambda: all_sent(alerts, article_id), timeout=120)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0
    received = Counter(smtp.message_ids())
    assert set(received) == expected_ids(alerts, article_id)
    assert sum(received.values()) - len(received) <= 2 * BATCH
