"""Does a public lookup answer a hidden id as fast as a missing one? (security finding 13.1)

Builds herald on a scratch database with the demo data, one draft and one embargoed
bulletin, then requests every public URL that names an article id for a draft id, an
embargoed id and a never-used id, in shuffled order, ``--rounds`` times each, in-process
(the ASGI app through Starlette's test client, so the network adds no noise). Prints the
median and the 90th percentile per path and kind, and the ratio hidden / missing.

    .venv/bin/python bench/hidden_ids.py                    # SQLite in a scratch folder
    .venv/bin/python bench/hidden_ids.py --database-url postgresql://postgres@127.0.0.1:5432/herald_bench_ids
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from herald import demo
from herald.adapters.security import Argon2Hasher
from herald.adapters.web import create_app
from herald.bootstrap import build
from herald.config import Settings
from herald.domain import BulletinContent, ChannelRef, CveId, Fix, VersionRef
from herald.services.actors import Actor
from herald.services.source import SourceItems

PATHS = (
    "/bulletins/{id}",
    "/bulletins/{id}.json",
    "/bulletins/{id}.csaf.json",
    "/api/v1/bulletins/{id}",
)
KINDS = {"draft": "CTX990001", "embargoed": "CTX990002", "missing": "CTX990003"}


def _content(title: str) -> BulletinContent:
    server = demo.XENSERVER
    return BulletinContent(
        title=title,
        severity="High",
        cves=(CveId("CVE-2026-5001"),),
        problem="A problem in XenServer 8.4 that lets a guest read host memory.",
        affected=(VersionRef(server, "8.4"),),
        fixes=(
            Fix(ChannelRef(server, "8.4", "Early Access"), release="8.4.2026-03-19"),
            Fix(ChannelRef(server, "8.4", "Normal"), release="8.4.2026-03-24"),
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite in a scratch folder")
    parser.add_argument("--rounds", type=int, default=150)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="herald-bench-ids-"))
    settings = Settings(
        data_dir=scratch,
        database_url=args.database_url or f"sqlite:///{scratch / 'herald.db'}",
        base_url="https://bulletins.example.com",
        secret_key="bench-secret-key-that-is-long-enough-0123456789",
    )
    herald = build(settings, hasher=Argon2Hasher(cheap=True))
    try:
        herald.source.import_items(
            SourceItems(demo.publisher(), demo.catalog().products, (demo.reference_bulletin(),))
        )
        people = {}
        for name, role in (("alice", "author"), ("bob", "reviewer"), ("carol", "publisher")):
            people[name] = Actor.staff(herald.accounts.add_user(name, name, [role], "x" * 16))
        herald.authoring.create_draft(_content("A draft"), KINDS["draft"], actor=people["alice"])
        embargoed = KINDS["embargoed"]
        herald.authoring.create_draft(_content("An embargo"), embargoed, actor=people["alice"])
        herald.authoring.submit(embargoed, actor=people["alice"])
        herald.authoring.approve(embargoed, actor=people["bob"])
        later = datetime.now(UTC) + timedelta(days=3)
        herald.authoring.schedule(embargoed, later, actor=people["carol"])
        app = create_app(herald, run_scheduler=False)
        with TestClient(app, base_url="https://testserver") as client:
            plan = [(path, kind) for path in PATHS for kind in KINDS] * args.rounds
            random.Random(0).shuffle(plan)
            for path, kind in plan[: len(PATHS) * len(KINDS) * 5]:  # warm up
                client.get(path.format(id=KINDS[kind]))
            times: dict[tuple[str, str], list[float]] = {}
            for path, kind in plan:
                started = time.perf_counter()
                response = client.get(path.format(id=KINDS[kind]))
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 404, (path, kind, response.status_code)
                times.setdefault((path, kind), []).append(elapsed)
        print(f"{args.rounds} requests per path and kind, shuffled; {settings.database_url}")
        print(f"{'path':28} {'kind':10} {'median ms':>10} {'p90 ms':>8} {'÷ missing':>10}")
        for path in PATHS:
            missing = statistics.median(times[(path, "missing")])
            for kind in KINDS:
                found = sorted(times[(path, kind)])
                median = statistics.median(found)
                p90 = found[int(len(found) * 0.9)]
                print(f"{path:28} {kind:10} {median:10.2f} {p90:8.2f} {median / missing:10.2f}")
    finally:
        herald.close()


if __name__ == "__main__":
    main()
