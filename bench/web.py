"""The web benchmark: ``herald serve`` against nginx serving the static export, side by side.

With 10,000 generated bulletins on PostgreSQL, each page is loaded by ``wrk`` on
loopback, first from ``herald serve --workers N`` and then the same page from the
static copy (``herald export-site``) served by nginx with as many workers::

    .venv/bin/python bench/web.py                      # seed, export, measure, record
    .venv/bin/python bench/web.py --reuse --duration 20

Steps: create (or, with ``--reuse``, keep) the database ``herald_bench``, migrate it,
load the demo data and seed the bulletins (``bench/seed.py``); export the site to a
scratch folder; write an nginx configuration there and run nginx in the foreground;
start ``herald serve``; warm both; then run ``wrk -t2 -cC -dDs --latency`` on every
page, herald first, and print the requests a second, the 50 % and 99 % latencies and
the ratio herald/nginx. A dated section goes to ``bench/RESULTS.md`` (``--no-record``
to skip). Child processes are stopped on exit, on an error and on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from seed import seed_bulletins  # noqa: E402  (bench/ is not a package)

from herald import demo  # noqa: E402
from herald.adapters.storage import Database  # noqa: E402
from herald.bootstrap import Herald, build  # noqa: E402
from herald.config import Settings  # noqa: E402
from herald.domain import NotFound  # noqa: E402
from herald.services.source import SourceItems  # noqa: E402

RESULTS = HERE / "RESULTS.md"
DATABASE = "herald_bench"
REFERENCE = "CTX696397"
SEEDED = "CTX100000"
"""The first seeded article id (published or withdrawn; checked before the run)."""
GOAL_RATIO = 0.25
"""A bulletin page at a quarter of nginx's throughput on the static copy, or better."""
GOAL_P99_MS = 50.0
"""And its 99th percentile latency at most 50 ms."""
NGINX = "/usr/sbin/nginx"
WRK = "/usr/bin/wrk"


@dataclass(frozen=True)
class Target:
    """One page: its live URL and the file nginx serves for it."""

    name: str
    live: str
    static: str
    goal: bool = False
    """Whether the issue's goals apply to this page."""


def targets(seeded: str) -> tuple[Target, ...]:
    return (
        Target("list /", "/", "/index.html"),
        Target(
            f"bulletin {REFERENCE}",
            f"/bulletins/{REFERENCE}",
            f"/bulletins/{REFERENCE}/index.html",
            goal=True,
        ),
        Target(
            f"bulletin {seeded}",
            f"/bulletins/{seeded}",
            f"/bulletins/{seeded}/index.html",
            goal=True,
        ),
        Target("API list", "/api/v1/bulletins", "/api/v1/bulletins/index.json"),
    )


@dataclass(frozen=True)
class Figures:
    """What one wrk run measured."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: str
    """Socket errors and non-2xx answers as wrk reports them; empty when none."""


@dataclass(frozen=True)
class Row:
    target: Target
    herald: Figures
    nginx: Figures
    size: int
    """Bytes of the page body from herald."""

    @property
    def ratio(self) -> float:
        return self.herald.requests_per_second / max(self.nginx.requests_per_second, 1e-9)


# --- preparation -------------------------------------------------------------------


def prepare_database(admin_url: str, count: int, reuse: bool) -> str:
    """The URL of a migrated ``herald_bench`` holding the demo data and ``count`` bulletins."""
    base, _, _ = admin_url.rpartition("/")
    url = f"{base}/{DATABASE}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        present = exists.fetchone() is not None
        if present and not reuse:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (DATABASE,),
            )
            admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(DATABASE)))
            present = False
        if not present:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    herald = build(Settings(database_url=url, data_dir=Path(tempfile.gettempdir()) / "hb-var"))
    try:
        if herald.reading.is_empty():
            herald.source.import_items(
                SourceItems(demo.publisher(), demo.catalog().products, (demo.reference_bulletin(),))
            )
        elif not _has(herald, REFERENCE):
            # A database seeded without the demo data: add the reference bulletin alone
            # (the seeded catalog already holds XenServer, with more versions).
            herald.source.import_items(SourceItems(bulletins=(demo.reference_bulletin(),)))
        have = _bulletins(herald.database)
        if have < count + 1:
            started = time.perf_counter()
            seed_bulletins(herald.database, count + 1 - have, seed=0)
            print(f"seeded {count + 1 - have} bulletins in {time.perf_counter() - started:.1f} s")
        with herald.database.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    finally:
        herald.close()
    return url


def _has(herald: Herald, article_id: str) -> bool:
    try:
        herald.reading.bulletin(article_id)
    except NotFound:
        return False
    return True


def _bulletins(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM bulletins").scalar_one())


def export_site(environment: dict[str, str], destination: Path, reuse: bool) -> None:
    if reuse and (destination / "index.html").is_file():
        print(f"reusing the static export in {destination}")
        return
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/herald"), "export-site", str(destination)],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"exported the site in {time.perf_counter() - started:.0f} s")


NGINX_CONF = """\
worker_processes {workers};
pid {scratch}/nginx.pid;
error_log {scratch}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/atom+xml atom; application/rss+xml rss; text/markdown md;
            application/json json; }}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=20000 inactive=60s;
    open_file_cache_valid 60s;
    keepalive_requests 1000000;
    client_body_temp_path {scratch}/nginx-tmp/body;
    proxy_temp_path {scratch}/nginx-tmp/proxy;
    fastcgi_temp_path {scratch}/nginx-tmp/fastcgi;
    uwsgi_temp_path {scratch}/nginx-tmp/uwsgi;
    scgi_temp_path {scratch}/nginx-tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.html index.json;
        location / {{ try_files $uri $uri/index.html $uri/index.json =404; }}
        error_page 404 /404.html;
    }}
}}
"""


def write_nginx_conf(scratch: Path, site: Path, port: int, workers: int) -> Path:
    (scratch / "nginx-tmp").mkdir(exist_ok=True)
    conf = scratch / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, scratch=scratch, port=port, site=site))
    return conf


# --- processes ---------------------------------------------------------------------


class Children:
    """Child processes, each in its own process group, stopped in reverse order."""

    def __init__(self) -> None:
        self._running: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(
        self, name: str, argv: Sequence[str], log: Path, env: dict[str, str] | None = None
    ) -> None:
        with log.open("wb") as output:
            process = subprocess.Popen(
                list(argv), stdout=output, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        self._running.append((name, process))

    def stop(self) -> None:
        for _name, process in reversed(self._running):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self._running):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self._running.clear()

    def check(self) -> None:
        for name, process in self._running:
            if process.poll() is not None:
                raise SystemExit(f"bench: {name} exited with {process.returncode}")


def wait_for(url: str, children: Children, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        children.check()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: {url} did not answer within {timeout:.0f} s")
        time.sleep(0.2)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        if response.status != 200:
            raise SystemExit(f"bench: {url} answered {response.status}")
        body: bytes = response.read()
        return body


# --- measuring ---------------------------------------------------------------------

_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_TOTAL = re.compile(r"(\d+) requests in")
_PERCENTILE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_ERRORS = re.compile(r"^\s*(Socket errors:.*|Non-2xx or 3xx responses:.*)$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> Figures:
    rate, total = _RATE.search(output), _TOTAL.search(output)
    percentiles = {p: float(v) * _UNIT_MS[u] for p, v, u in _PERCENTILE.findall(output)}
    if rate is None or total is None or set(percentiles) != {"50", "99"}:
        raise SystemExit(f"bench: cannot read wrk's output:\n{output}")
    return Figures(
        requests_per_second=float(rate.group(1)),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        requests=int(total.group(1)),
        errors="; ".join(e.strip() for e in _ERRORS.findall(output)),
    )


def wrk_argv(url: str, threads: int, connections: int, duration: int) -> list[str]:
    return [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]


def run_wrk(url: str, threads: int, connections: int, duration: int) -> Figures:
    argv = wrk_argv(url, threads, connections, duration)
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout)


def warm(base: str, paths: Sequence[str], rounds: int) -> None:
    """Each path ``rounds`` times, so every worker process has rendered it."""
    for path in paths:
        for _ in range(rounds):
            fetch(base + path)


# --- reporting ---------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    nginx = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr.strip()
    wrk = subprocess.run([WRK, "-v"], capture_output=True, text=True).stdout.splitlines()
    return {
        "uname -a": " ".join(platform.uname()),
        "nproc": str(os.cpu_count()),
        "CPU": cpu,
        "Python": platform.python_version(),
        "nginx": nginx.removeprefix("nginx version: "),
        "wrk": wrk[0] if wrk else "unknown",
    }


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def postgres_version(url: str) -> str:
    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"


def table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| page | herald req/s | p50 | p99 | nginx req/s | p50 | p99 | herald/nginx | bytes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        h, n = row.herald, row.nginx
        lines.append(
            f"| {row.target.name} (`{row.target.live}`) | {h.requests_per_second:,.0f} | "
            f"{h.p50_ms:.2f} ms | {h.p99_ms:.2f} ms | {n.requests_per_second:,.0f} | "
            f"{n.p50_ms:.2f} ms | {n.p99_ms:.2f} ms | {row.ratio:.0%} | {row.size:,} |"
        )
    return lines


def goals(rows: Sequence[Row], connections: int) -> list[str]:
    lines = []
    for row in rows:
        if not row.target.goal:
            continue
        ratio_met = row.ratio >= GOAL_RATIO
        p99_met = row.herald.p99_ms <= GOAL_P99_MS
        lines.append(
            f"- {row.target.name}: throughput {row.ratio:.0%} of nginx (goal ≥ "
            f"{GOAL_RATIO:.0%}): **{'met' if ratio_met else 'not met'}**; p99 "
            f"{row.herald.p99_ms:.1f} ms at {connections} connections (goal ≤ "
            f"{GOAL_P99_MS:.0f} ms): **{'met' if p99_met else 'not met'}**"
        )
    return lines


def section(
    rows: Sequence[Row],
    args: argparse.Namespace,
    command: str,
    facts: dict[str, str],
    load_before: str,
    load_after: str,
    postgres: str,
    count: int,
) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        f"## Web: herald serve against nginx on the static export ({when})",
        "",
        f"`{command}`",
        "",
        f"{count:,} bulletins on PostgreSQL {postgres} (loopback); `herald serve --workers "
        f"{args.workers}` against nginx with `worker_processes {args.workers}` serving the "
        f"`herald export-site` copy; `wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s --latency` per page, herald first, then nginx. **wrk, nginx, "
        f"herald and PostgreSQL share the same {facts['nproc']} CPUs**, so every figure "
        "includes the load generator's own CPU use; caches warm.",
        "",
        *(f"- {name}: {value}" for name, value in facts.items()),
        f"- load average before the run: {load_before}; after: {load_after}",
        "",
        *table(rows),
        "",
        *goals(rows, args.connections),
    ]
    errors = [
        f"- {row.target.name}, {who}: {figures.errors}"
        for row in rows
        for who, figures in (("herald", row.herald), ("nginx", row.nginx))
        if figures.errors
    ]
    if errors:
        out += ["", "wrk reported errors:", "", *errors]
    return "\n".join(out) + "\n"


def record(text: str, path: Path) -> None:
    existing = path.read_text() if path.exists() else "# Benchmark results\n"
    path.write_text(existing.rstrip("\n") + "\n\n" + text)


# --- main --------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    doc = __doc__ or ""
    parser = argparse.ArgumentParser(
        description=doc.split("\n\n")[0],
        epilog="See bench/README.md.",
    )
    parser.add_argument(
        "--admin-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a superuser connection; herald_bench is made on the same server "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--count", type=int, default=10_000, help="seeded bulletins (default %(default)s)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep herald_bench (seeding only what is missing) and an export already in --scratch",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="herald serve workers and nginx worker_processes (default %(default)s)",
    )
    parser.add_argument(
        "--duration", type=int, default=15, help="seconds per wrk run (default %(default)s)"
    )
    parser.add_argument(
        "--connections", type=int, default=50, help="wrk connections (default %(default)s)"
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default %(default)s)")
    parser.add_argument(
        "--herald-port", type=int, default=8091, help="herald's port (default %(default)s)"
    )
    parser.add_argument(
        "--nginx-port", type=int, default=8092, help="nginx's port (default %(default)s)"
    )
    parser.add_argument(
        "--scratch",
        type=Path,
        default=Path(tempfile.gettempdir()) / "herald-bench-web",
        help="folder for the export, nginx's files and the logs (default %(default)s)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATH",
        help="measure only these live paths (repeatable); default every page",
    )
    parser.add_argument(
        "--no-record", action="store_true", help=f"print only; do not append to {RESULTS}"
    )
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="make the database and the export, then stop (measure later with --reuse)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    for tool in (NGINX, WRK):
        if not Path(tool).exists():
            raise SystemExit(f"bench: {tool} is missing")
    command = shlex.join(["python", "bench/web.py", *(sys.argv[1:] if argv is None else argv)])
    scratch: Path = args.scratch.resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    url = prepare_database(args.admin_url, args.count, args.reuse)
    herald_base = f"http://127.0.0.1:{args.herald_port}"
    nginx_base = f"http://127.0.0.1:{args.nginx_port}"
    environment = {
        **os.environ,
        "HERALD_DATABASE_URL": url,
        "HERALD_DATA_DIR": str(scratch / "var"),
        "HERALD_BASE_URL": nginx_base,
    }
    export_site(environment, scratch / "site", args.reuse)
    if args.prepare_only:
        return 0
    conf = write_nginx_conf(scratch, scratch / "site", args.nginx_port, args.workers)

    children = Children()
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        children.start(
            "nginx",
            [NGINX, "-c", str(conf), "-p", str(scratch), "-g", "daemon off;"],
            log=scratch / "nginx.out",
        )
        children.start(
            "herald serve",
            [
                str(ROOT / ".venv/bin/herald"),
                "serve",
                "--port",
                str(args.herald_port),
                "--workers",
                str(args.workers),
                "--no-access-log",  # as in production behind a proxy that logs
            ],
            env={**environment, "HERALD_BASE_URL": herald_base},
            log=scratch / "herald.out",
        )
        wait_for(f"{nginx_base}/index.html", children)
        wait_for(f"{herald_base}/healthz", children)
        return _measure(args, command, url, herald_base, nginx_base, children)
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        children.stop()
        signal.signal(signal.SIGTERM, previous)


def _measure(
    args: argparse.Namespace,
    command: str,
    url: str,
    herald_base: str,
    nginx_base: str,
    children: Children,
) -> int:
    chosen = [t for t in targets(SEEDED) if not args.only or t.live in args.only]
    # Every worker renders each page once at least (the kernel spreads connections).
    warm(herald_base, [t.live for t in chosen], rounds=20 * args.workers)
    warm(nginx_base, [t.static for t in chosen], rounds=5)
    for target in chosen:
        ours, theirs = fetch(herald_base + target.live), fetch(nginx_base + target.static)
        if abs(len(ours) - len(theirs)) > max(2048, len(theirs) // 10):
            print(
                f"bench: warning: {target.name}: herald sends {len(ours)} bytes, "
                f"nginx {len(theirs)}",
                file=sys.stderr,
            )
    load_before = load_average()
    print(f"load average before: {load_before}")
    rows = []
    for target in chosen:
        children.check()
        size = len(fetch(herald_base + target.live))
        live = run_wrk(herald_base + target.live, args.threads, args.connections, args.duration)
        static = run_wrk(nginx_base + target.static, args.threads, args.connections, args.duration)
        row = Row(target, live, static, size)
        rows.append(row)
        print(
            f"{target.name:24} herald {live.requests_per_second:9,.0f}/s "
            f"p50 {live.p50_ms:7.2f} ms p99 {live.p99_ms:7.2f} ms | nginx "
            f"{static.requests_per_second:9,.0f}/s p50 {static.p50_ms:6.2f} ms "
            f"p99 {static.p99_ms:6.2f} ms | {row.ratio:5.0%}",
            flush=True,
        )
    load_after = load_average()
    text = section(
        rows,
        args,
        command,
        machine(),
        load_before,
        load_after,
        postgres_version(url.replace("postgresql+psycopg", "postgresql")),
        args.count,
    )
    print()
    print(text)
    if not args.no_record:
        record(text, RESULTS)
        print(f"recorded in {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
