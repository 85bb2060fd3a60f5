"""Alert fan-out: one bulletin to 100,000 email subscribers and 1,000 webhooks.

Not a test. On PostgreSQL, for 1, 2 and 4 ``herald worker`` processes in turn: publish a
bulletin (the outbox rows are written in the publish transaction), start the workers,
and measure deliveries per second, the time to the last delivery, each worker's peak
RSS, and what the sinks saw (lost = expected ids never received, duplicated = receipts
beyond the first). In the same run, the limit: a bare loop in one process that composes
the same messages and sends them to the same sinks with no database (four SMTP
connections in four threads, like one worker's default, and the webhooks through a
16-thread pool).

The sinks run in a process of their own: a minimal asyncio SMTP server (no parsing
beyond the Message-ID) and a minimal HTTP/1.1 server (204 to every POST, keep-alive);
``GET /stats`` and ``GET /reset`` on the HTTP sink read and clear their counters.

    .venv/bin/python bench/alerts.py                       # 100,000 + 1,000, 1/2/4 workers
    .venv/bin/python bench/alerts.py --subscribers 5000 --webhooks 100 --workers 1 2
    .venv/bin/python bench/alerts.py --record              # also append to bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import re
import signal
import smtplib
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import delete, insert

import herald.demo as demo
from herald.adapters.delivery import EmailComposer, HmacTokenSigner, WebhookTargetGuard
from herald.adapters.delivery.webhook import WebhookSender
from herald.adapters.security import Argon2Hasher
from herald.adapters.storage.tables.alerts import (
    AlertDeliveryRow,
    AlertEventRow,
    AlertSubscriptionRow,
)
from herald.bootstrap import Herald, build
from herald.config import Settings
from herald.domain.alerts import (
    AlertFilter,
    Channel,
    Delivery,
    DeliveryStatus,
    Subscription,
    SubscriptionStatus,
)
from herald.domain.document import compose
from herald.services.ports.common import AlertJob
from herald.services.source import SourceItems

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
BASE_URL = "https://bulletins.example.com"
WEBHOOK_SECRET = "whsec_" + "QkVOQ0hCRU5DSEJFTkNIQkVOQ0hCRU5DSEJFTkNIQkU="

# --- the sinks (a process of their own) ---------------------------------------------------


class _Stats:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.smtp: Counter[bytes] = Counter()
        self.http: Counter[bytes] = Counter()
        self.first = 0.0
        self.last = 0.0

    def seen(self, counter: Counter[bytes], key: bytes) -> None:
        now = time.time()
        if not self.first:
            self.first = now
        self.last = now
        counter[key] += 1

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "smtp_total": sum(self.smtp.values()),
                "smtp_distinct": len(self.smtp),
                "http_total": sum(self.http.values()),
                "http_distinct": len(self.http),
                "first": self.first,
                "last": self.last,
            }
        ).encode()


_MESSAGE_ID = re.compile(rb"\r\nMessage-ID: (<[^>\r\n]+>)", re.IGNORECASE)
_WEBHOOK_ID = re.compile(rb"\r\nwebhook-id: ([^\r\n]+)", re.IGNORECASE)


class _SmtpSink(asyncio.Protocol):
    def __init__(self, stats: _Stats) -> None:
        self.stats = stats
        self.buffer = b""
        self.in_data = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies = []
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    break
                message, self.buffer = self.buffer[:end], self.buffer[end + 5 :]
                found = _MESSAGE_ID.search(b"\r\n" + message)
                self.stats.seen(self.stats.smtp, found.group(1) if found else b"?")
                self.in_data = False
                replies.append(b"250 OK\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                break
            line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
            verb = line[:4].upper()
            if verb == b"DATA":
                self.in_data = True
                replies.append(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                replies.append(b"221 bye\r\n")
                self.transport.write(b"".join(replies))
                self.transport.close()
                return
            elif verb == b"EHLO":
                replies.append(b"250-sink\r\n250 8BITMIME\r\n")
            else:
                replies.append(b"250 OK\r\n")
        if replies:
            self.transport.write(b"".join(replies))


class _HttpSink(asyncio.Protocol):
    def __init__(self, stats: _Stats) -> None:
        self.stats = stats
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            if head.startswith(b"GET /stats"):
                body = self.stats.as_json()
                self.transport.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    + f"content-length: {len(body)}\r\n\r\n".encode()
                    + body
                )
            elif head.startswith(b"GET /reset"):
                self.stats.reset()
                self.transport.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
            else:
                found = _WEBHOOK_ID.search(head)
                self.stats.seen(self.stats.http, found.group(1) if found else b"?")
                self.transport.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")


def serve_sinks(smtp_port: int, http_port: int) -> None:
    async def main() -> None:
        stats = _Stats()
        loop = asyncio.get_running_loop()
        smtp = await loop.create_server(lambda: _SmtpSink(stats), "127.0.0.1", smtp_port)
        http = await loop.create_server(lambda: _HttpSink(stats), "127.0.0.1", http_port)
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        print("ready", flush=True)
        await stop.wait()
        smtp.close()
        http.close()

    asyncio.run(main())


# --- the run -------------------------------------------------------------------------------


@dataclass
class Sinks:
    process: subprocess.Popen[str]
    smtp_port: int
    http_port: int

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/stats") as answer:
            return dict(json.loads(answer.read()))

    def reset(self) -> None:
        urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/reset").read()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def start_sinks(smtp_port: int, http_port: int) -> Sinks:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-sinks", str(smtp_port), str(http_port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return Sinks(process, smtp_port, http_port)


def fresh_database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{admin_url.rpartition('/')[0]}/{name}"


def settings(database_url: str, scratch: Path, sinks: Sinks) -> Settings:
    return Settings(
        data_dir=scratch / "var",
        database_url=database_url,
        base_url=BASE_URL,
        secret_key=SECRET,
        smtp_url=f"smtp://127.0.0.1:{sinks.smtp_port}",
        webhook_allow_private=True,
    )


def seed_subscribers(herald: Herald, emails: int, webhooks: int, http_port: int) -> None:
    now = datetime.now(UTC)
    common: dict[str, object] = {
        "status": SubscriptionStatus.ACTIVE.value,
        "products": [],
        "versions": [],
        "minimum_severity": None,
        "editorial": False,
        "created_at": now,
        "confirmed_at": now,
    }
    rows = [
        {**common, "channel": "email", "target": f"user{n}@example.com", "secret": None}
        for n in range(emails)
    ] + [
        {
            **common,
            "channel": "webhook",
            "target": f"http://127.0.0.1:{http_port}/hook/{n}",
            "secret": WEBHOOK_SECRET,
        }
        for n in range(webhooks)
    ]
    with herald.database.engine.begin() as connection:
        for start in range(0, len(rows), 10_000):
            connection.execute(insert(AlertSubscriptionRow), rows[start : start + 10_000])


def clear_outbox(herald: Herald) -> None:
    with herald.database.engine.begin() as connection:
        connection.execute(delete(AlertDeliveryRow))
        connection.execute(delete(AlertEventRow))


@dataclass
class Outcome:
    label: str
    seconds: float
    delivered: int
    lost: int
    duplicated: int
    peak_rss_mb: list[float]
    sending: float
    """Seconds from the sinks' first receipt to their last (start-up left out)."""
    fan_out_seconds: float | None = None

    @property
    def rate(self) -> float:
        return self.delivered / self.sending if self.sending else 0.0


def wait_for(sinks: Sinks, expected: int, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        stats = sinks.stats()
        if stats["smtp_distinct"] + stats["http_distinct"] >= expected:
            return stats
        if time.monotonic() > deadline:
            return stats
        time.sleep(0.2)


def run_workers(
    herald: Herald, sinks: Sinks, workers: int, env: dict[str, str], args: argparse.Namespace
) -> Outcome:
    clear_outbox(herald)
    sinks.reset()
    started = time.perf_counter()
    draft = herald.authoring.create_draft(demo.reference_content())
    herald.authoring.publish(draft.article_id)
    fan_out = time.perf_counter() - started
    expected = args.subscribers + args.webhooks
    start = time.time()
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "herald",
                "worker",
                "--once",
                "--concurrency",
                str(args.concurrency),
                "--webhook-concurrency",
                "16",
                "--batch",
                str(args.batch),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    peaks = []
    for process in processes:
        _, err = process.communicate(timeout=args.timeout)
        found = re.search(r"peak RSS (\d+) MB", err)
        if process.returncode != 0 or found is None:
            raise SystemExit(f"worker failed ({process.returncode}): {err[-2000:]}")
        peaks.append(float(found.group(1)))
    stats = wait_for(sinks, expected, 30)
    views = herald.alerts.counts(draft.article_id)
    distinct = stats["smtp_distinct"] + stats["http_distinct"]
    total = stats["smtp_total"] + stats["http_total"]
    if views.sent != expected:
        print(f"  database: {views}", file=sys.stderr)
    return Outcome(
        label=f"herald, {workers} worker{'s' if workers > 1 else ''}",
        seconds=stats["last"] - start,
        sending=stats["last"] - stats["first"],
        delivered=distinct,
        lost=expected - distinct,
        duplicated=total - distinct,
        peak_rss_mb=peaks,
        fan_out_seconds=fan_out,
    )


def bare_loop(
    herald: Herald, sinks: Sinks, args: argparse.Namespace, processes: int = 1
) -> Outcome:
    """The same messages, composed by the same code, sent with no database at all, from
    ``processes`` forked processes of ``--concurrency`` SMTP connections each."""
    sinks.reset()
    signer = HmacTokenSigner(lambda: SECRET)
    composer = EmailComposer(BASE_URL, herald.settings.sender_address, signer)
    bulletin = herald.reading.bulletin("CTX696397")
    document = compose(bulletin, herald.reading.catalog(), herald.reading.publisher())
    from herald.domain.alerts import event_for

    event = event_for(None, bulletin, "b" * 32, datetime.now(UTC))
    assert event is not None
    now = datetime.now(UTC)

    def job(number: int, channel: Channel, target: str) -> AlertJob:
        delivery = Delivery(number, event.id, number, channel, DeliveryStatus.PENDING, 1, now, now)
        subscription = Subscription(
            number,
            channel,
            target,
            SubscriptionStatus.ACTIVE,
            AlertFilter(),
            secret=WEBHOOK_SECRET,
        )
        return AlertJob(delivery, event, subscription, document, None)

    threads = args.concurrency
    emails = [job(n, Channel.EMAIL, f"user{n}@example.com") for n in range(args.subscribers)]
    hooks = [
        job(10_000_000 + n, Channel.WEBHOOK, f"http://127.0.0.1:{sinks.http_port}/hook/{n}")
        for n in range(args.webhooks)
    ]
    start = time.time()

    def send_emails(chunk: Sequence[AlertJob]) -> None:
        connection = smtplib.SMTP("127.0.0.1", sinks.smtp_port)
        for item in chunk:
            message = composer.compose(item, None, True)
            connection.sendmail(
                composer.sender, [item.subscription.target], message, ["BODY=8BITMIME"]
            )
        connection.quit()

    sender = WebhookSender(BASE_URL, WebhookTargetGuard(allow_private=True), 16)
    webhook_thread = threading.Thread(target=sender.send, args=(hooks,))

    def send_share(share: Sequence[AlertJob]) -> None:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(send_emails, [share[i::threads] for i in range(threads)]))

    children = [
        multiprocessing.get_context("fork").Process(target=send_share, args=(emails[p::processes],))
        for p in range(1, processes)
    ]
    for child in children:  # forked before any thread starts here
        child.start()
    webhook_thread.start()
    send_share(emails[0::processes])
    for child in children:
        child.join()
    webhook_thread.join()
    sender.close()
    expected = len(emails) + len(hooks)
    stats = wait_for(sinks, expected, 30)
    distinct = stats["smtp_distinct"] + stats["http_distinct"]
    total = stats["smtp_total"] + stats["http_total"]
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Outcome(
        f"bare loop (no database, {processes} process{'es' if processes > 1 else ''})",
        stats["last"] - start,
        distinct,
        expected - distinct,
        total - distinct,
        [peak],
        stats["last"] - stats["first"],
    )


def report(outcomes: Sequence[Outcome], args: argparse.Namespace) -> str:
    limit = max(o.rate for o in outcomes if o.label.startswith("bare"))
    lines = [
        "| run | deliveries/s (first to last receipt) | time to last delivery (from start) "
        "| vs bare loop | fan-out (publish tx) "
        "| peak RSS per process | lost | duplicated |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for o in outcomes:
        fan_out = f"{o.fan_out_seconds:.2f} s" if o.fan_out_seconds is not None else "–"
        rss = ", ".join(f"{p:.0f} MB" for p in o.peak_rss_mb)
        lines.append(
            f"| {o.label} | {o.rate:,.0f} | {o.seconds:.1f} s | {o.rate / limit:.0%} "
            f"| {fan_out} | {rss} | {o.lost} | {o.duplicated} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--webhooks", type=int, default=1_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--concurrency", type=int, default=4, help="SMTP threads per worker")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--bare-processes",
        type=int,
        nargs="+",
        default=[1, 2],
        help="processes of the bare loop, one row each ('vs bare loop' is against the fastest)",
    )
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/herald-bench-alerts"))
    parser.add_argument("--smtp-port", type=int, default=18025)
    parser.add_argument("--http-port", type=int, default=18080)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--serve-sinks", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sinks:
        serve_sinks(*args.serve_sinks)
        return

    args.scratch.mkdir(parents=True, exist_ok=True)
    load_at_start = os.getloadavg()[0]
    sinks = start_sinks(args.smtp_port, args.http_port)
    database_url = fresh_database(args.admin_url, "herald_bench_alerts")
    herald = build(settings(database_url, args.scratch, sinks), hasher=Argon2Hasher(cheap=True))
    try:
        herald.source.import_items(
            SourceItems(demo.publisher(), demo.catalog().products, (demo.reference_bulletin(),))
        )
        seeding = time.perf_counter()
        seed_subscribers(herald, args.subscribers, args.webhooks, args.http_port)
        print(
            f"seeded {args.subscribers:,} email and {args.webhooks:,} webhook subscriptions "
            f"in {time.perf_counter() - seeding:.1f} s",
            file=sys.stderr,
        )
        env = {
            **os.environ,
            "HERALD_DATABASE_URL": database_url,
            "HERALD_DATA_DIR": str(args.scratch / "var"),
            "HERALD_BASE_URL": BASE_URL,
            "HERALD_SECRET_KEY": SECRET,
            "HERALD_SMTP_URL": f"smtp://127.0.0.1:{args.smtp_port}",
            "HERALD_WEBHOOK_ALLOW_PRIVATE": "1",
        }
        outcomes = [bare_loop(herald, sinks, args, n) for n in args.bare_processes]
        print(report(outcomes, args), file=sys.stderr)
        for workers in args.workers:
            outcomes.append(run_workers(herald, sinks, workers, env, args))
            bare = [o for o in outcomes if o.label.startswith("bare")]
            print(report([*bare, outcomes[-1]], args).splitlines()[-1], file=sys.stderr)
    finally:
        herald.close()
        sinks.stop()
    table = report(outcomes, args)
    command = "python bench/alerts.py " + " ".join(sys.argv[1:])
    text = (
        f"\n## Alerts: fan-out of one bulletin ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n\n"
        f"{args.subscribers:,} email subscribers and {args.webhooks:,} webhooks, PostgreSQL "
        f"{server_version(args.admin_url)} on the same host; {platform.platform()}, "
        f"{os.cpu_count()} CPUs, load average {load_at_start:.1f} at the start (the machine "
        f"is shared); `{command.strip()}` (worker: `--concurrency {args.concurrency} "
        f"--batch {args.batch}`, two lanes). Peak RSS of a worker is its VmHWM; the bare "
        f"loop's is the whole bench process (it holds every message's job in memory)."
        f"\n\n{table}\n"
    )
    print(text)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write(text)


def server_version(admin_url: str) -> str:
    with psycopg.connect(admin_url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


if __name__ == "__main__":
    main()
