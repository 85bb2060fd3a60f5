"""Fill a herald database with many realistic bulletins, fast, and time the list queries.

``seed_bulletins(database, count, seed=...)`` is for benchmarks (this one, the web
site's): it stores the demo publisher and a catalog of six products when they are
missing, then ``count`` bulletins made by the domain's own workflow (drafted, published,
sometimes amended or withdrawn; a few left in draft, in review, approved or scheduled),
written with one multi-row INSERT per table and batch. 10,000 take a few seconds.

Run it as a script to seed a database and time ``BulletinRepository.query``::

    python bench/seed.py postgresql://postgres@127.0.0.1:5432/herald_bench 10000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from herald import demo
from herald.adapters.storage import Database
from herald.adapters.storage.tables.base import Base
from herald.adapters.storage.tables.bulletins import (
    AffectedRow,
    BulletinRow,
    ChangeLogRow,
    CveRow,
    CvssRow,
    FixRow,
    NotCoveredRow,
)
from herald.adapters.storage.tables.site import SiteStateRow
from herald.domain import (
    ArticleId,
    Bulletin,
    BulletinContent,
    Catalog,
    ChangeLogEntry,
    Component,
    CveId,
    CvssScore,
    Fix,
    Lifecycle,
    Product,
    ProductId,
    ProductVersion,
    Publisher,
    Release,
    Status,
    UpdateChannel,
    VersionRef,
    parse_cvss,
)
from herald.domain.workflow import new_draft, publish, withdraw
from herald.services.ports.bulletins import BulletinQuery

BATCH = 1000
"""Bulletins per INSERT round."""

FIRST_NUMBER = 100_000
"""Article ids start at CTX100000 and skip ids already taken."""

_SEVERITIES = (("Critical", 10), ("High", 35), ("Medium", 40), ("Low", 15))
_VECTORS = (
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:H/I:L/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H",
    "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L",
)
_VECTORS_V4 = (
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
)
_WEAKNESSES = (
    "a buffer overflow in the management interface",
    "an authentication bypass in the SAML service provider",
    "improper input validation in the NetScaler gateway",
    "a use-after-free in the virtual GPU driver",
    "memory of a previously terminated VM being exposed to a new one",
    "a cross-site scripting flaw in the administration console",
    "a privilege escalation through the update service",
    "a denial of service when parsing malformed TLS records",
    "an information disclosure in the session recording agent",
    "a race condition in the shared folder redirection",
)
_IMPACTS = (
    "may allow an unauthenticated attacker to execute arbitrary code",
    "may allow a privileged user in a guest VM to read host memory",
    "may allow an attacker on the same network to crash the service",
    "may allow a local user to gain administrative privileges",
    "may allow an attacker to redirect users to a malicious site",
)
_MITIGATIONS = (
    "Disable the affected feature until the fixed release is installed.",
    "Restrict access to the management interface to trusted networks.",
)
_AMENDMENTS = (
    "Added CVSS v4.0 score",
    "Clarified the affected versions",
    "Added the fixed release for the Normal channel",
    "Updated the mitigation",
)


def bench_catalog() -> Catalog:
    """The demo XenServer and five more products, each with supported, end-of-life and
    preview versions, one or two channels and a few releases a year (fixed, not random)."""
    specs = (
        ("citrix-adc", "NetScaler ADC", ("13.0", "13.1", "14.1", "15.0"), 2),
        ("virtual-apps", "Citrix Virtual Apps and Desktops", ("2203", "2311", "2402", "2411"), 2),
        ("workspace-app", "Citrix Workspace app", ("2305", "2309", "2402", "2409"), 1),
        ("session-recording", "Citrix Session Recording", ("7.15", "2203", "2402"), 1),
        ("sharefile", "ShareFile Storage Zones Controller", ("5.10", "5.11", "5.12"), 1),
    )
    products = [_with_history(demo.catalog().product(demo.XENSERVER))]
    for index, (product_id, name, versions, channels) in enumerate(specs):
        built = []
        for position, version in enumerate(versions):
            lifecycle = Lifecycle.SUPPORTED
            if position == 0:
                lifecycle = Lifecycle.END_OF_LIFE
            elif position == len(versions) - 1 and index % 2 == 0:
                lifecycle = Lifecycle.PREVIEW
            streams = ("LTSR", "CR")[:channels] if lifecycle is not Lifecycle.PREVIEW else ()
            built.append(
                ProductVersion(
                    version,
                    lifecycle,
                    "Public Preview" if lifecycle is Lifecycle.PREVIEW else None,
                    tuple(UpdateChannel(s, _releases(version, s, 2016 + index)) for s in streams),
                )
            )
        products.append(Product(ProductId(product_id), name, tuple(built)))
    return Catalog(tuple(products))


def _with_history(product: Product) -> Product:
    """The demo XenServer with an end-of-life 8.2 that has years of releases."""
    old = ProductVersion(
        "8.2",
        Lifecycle.END_OF_LIFE,
        channels=(UpdateChannel("CU1", _releases("8.2", "CU1", 2016, "xen-hypervisor")),),
    )
    return replace(product, versions=(old, *product.versions))


def _releases(
    version: str, channel: str, since: int, component: str = "core"
) -> tuple[Release, ...]:
    """Two releases a year, each shipping one ``component`` (the demo XenServer's
    releases ship one of the components it declares)."""
    releases = []
    for n, year in enumerate(range(since, 2027)):
        for month in (3, 9):
            day = date(year, month, 10 + n % 10)
            name = f"{version}.{channel}.{day:%Y%m%d}"
            releases.append(Release(name, day, (Component(component, f"{version}.{n}.{month}"),)))
    return tuple(releases)


def seed_bulletins(database: Database, count: int, *, seed: int = 0) -> list[str]:
    """Store ``count`` new bulletins (and the publisher and catalog when missing).

    The same ``seed`` on the same database gives the same bulletins. About 93 % are
    published, 3 % withdrawn, and 1 % each draft, in review, approved and scheduled
    (released in 2027); first publications spread over 2016 to early 2026. Returns the
    new article ids. The database is migrated first; the site generation is bumped once.
    """
    database.migrate()
    catalog = _ensure_catalog(database)
    publisher = demo.publisher()
    rng = random.Random(seed)
    with database.engine.connect() as connection:
        taken = set(connection.execute(select(BulletinRow.article_id)).scalars())
    numbers = (n for n in range(FIRST_NUMBER, 10**6) if f"CTX{n:06d}" not in taken)
    article_ids = [ArticleId(f"CTX{next(numbers):06d}") for _ in range(count)]
    cve_numbers = iter(rng.sample(range(1000, 99_999), k=min(98_000, count * 4)))
    products = [p for p in catalog.products if any(v.lifecycle.covered for v in p.versions)]
    for chunk in _chunks(article_ids, BATCH):
        bulletins = [
            _bulletin(article_id, rng, catalog, publisher, products, cve_numbers)
            for article_id in chunk
        ]
        with database.engine.begin() as connection:
            _insert(connection, bulletins)
    with database.engine.begin() as connection:
        connection.execute(
            update(SiteStateRow)
            .where(SiteStateRow.id == 1)
            .values(generation=SiteStateRow.generation + 1)
        )
    return list(article_ids)


def _ensure_catalog(database: Database) -> Catalog:
    with database.unit_of_work() as uow:
        if uow.publisher.get() is None:
            uow.publisher.save(demo.publisher())
        stored = {product.id for product in uow.catalog.load().products}
        for product in bench_catalog().products:
            if product.id not in stored:
                uow.catalog.save_product(product)
        uow.commit()
    with database.unit_of_work(read_only=True) as uow:
        return uow.catalog.load()


def _chunks(items: Sequence[ArticleId], size: int) -> Iterator[Sequence[ArticleId]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulletin(
    article_id: ArticleId,
    rng: random.Random,
    catalog: Catalog,
    publisher: Publisher,
    products: Sequence[Product],
    cve_numbers: Iterator[int],
) -> Bulletin:
    product = rng.choice(products)
    supported = [v for v in product.versions if v.lifecycle is Lifecycle.SUPPORTED]
    affected_versions = rng.sample(supported, k=min(len(supported), rng.choice((1, 1, 2, 3))))
    eol = [v for v in product.versions if v.lifecycle is Lifecycle.END_OF_LIFE]
    if eol and rng.random() < 0.3:
        affected_versions.append(eol[0])
    affected = tuple(VersionRef(product.id, v.name) for v in affected_versions)
    published_at = datetime(2016, 1, 4, 9, tzinfo=UTC) + timedelta(
        minutes=rng.randrange(0, 60 * 24 * 3740)
    )
    year = published_at.year
    cves = tuple(
        CveId(f"CVE-{year}-{next(cve_numbers, 1000 + rng.randrange(10**6))}")
        for _ in range(rng.choice((1, 1, 1, 2, 3)))
    )
    cves = tuple(dict.fromkeys(cves))
    content = BulletinContent(
        title=(
            f"{product.name} Security Update for {cves[0]}"
            if len(cves) == 1
            else f"{product.name} Security Bulletin for Multiple CVEs"
        ),
        severity=rng.choices([s for s, _ in _SEVERITIES], [w for _, w in _SEVERITIES])[0],
        cves=cves,
        cvss=_scores(rng),
        problem=_problem(rng, product, affected_versions, cves),
        affected=affected,
        fixes=_fixes(rng, catalog, affected),
    )
    drafted = published_at - timedelta(days=rng.randrange(1, 30), minutes=rng.randrange(600))
    draft = new_draft(article_id, content, catalog, publisher, drafted)
    draft = replace(draft, created_by="alice", submitted_by="alice")
    roll = rng.random()
    if roll < 0.04:
        status = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED)[
            int(roll * 100)
        ]
        return _unpublished(draft, status, rng)
    approved = replace(draft, status=Status.APPROVED, approved_by="bob")
    published = publish(approved, catalog, publisher, published_at.date(), published_at)
    for _ in range(rng.choice((0, 0, 0, 1, 2))):
        at = published.updated_at + timedelta(days=rng.randrange(1, 60))
        entry = ChangeLogEntry(at.date(), rng.choice(_AMENDMENTS))
        published = replace(published, changelog=(*published.changelog, entry), updated_at=at)
    if roll < 0.07:
        at = published.updated_at + timedelta(days=rng.randrange(1, 90))
        published = withdraw(published, ChangeLogEntry(at.date(), "Withdrawn"), at)
    return published


def _unpublished(draft: Bulletin, status: Status, rng: random.Random) -> Bulletin:
    if status is Status.DRAFT:
        return replace(draft, submitted_by=None)
    if status is Status.IN_REVIEW:
        return replace(draft, status=status)
    approved = replace(draft, status=Status.APPROVED, approved_by="bob")
    if status is Status.APPROVED:
        return approved
    release_at = datetime(2027, 1, 12, 16, tzinfo=UTC) + timedelta(days=rng.randrange(60))
    return replace(approved, status=Status.SCHEDULED, release_at=release_at)


def _scores(rng: random.Random) -> tuple[CvssScore, ...]:
    scores = []
    if rng.random() < 0.8:
        scores.append(parse_cvss(rng.choice(_VECTORS)))
    if rng.random() < 0.3:
        scores.append(parse_cvss(rng.choice(_VECTORS_V4)))
    return tuple(scores)


def _problem(
    rng: random.Random,
    product: Product,
    versions: Sequence[ProductVersion],
    cves: Sequence[str],
) -> str:
    names = ", ".join(v.name for v in versions)
    paragraphs = [
        f"Multiple vulnerabilities have been identified in {product.name} {names}."
        if len(cves) > 1
        else f"An issue has been identified in {product.name} {names}.",
    ]
    for cve in cves:
        paragraphs.append(f"{cve}: {rng.choice(_WEAKNESSES).capitalize()} {rng.choice(_IMPACTS)}.")
    return "\n\n".join(paragraphs)


def _fixes(rng: random.Random, catalog: Catalog, affected: Sequence[VersionRef]) -> tuple[Fix, ...]:
    fixes = []
    for ref in affected:
        for channel in catalog.channels_of(ref):
            releases = catalog.channel(channel).releases
            if releases and rng.random() < 0.92:
                fixes.append(Fix(channel, release=rng.choice(releases[-6:]).name))
            else:
                fixes.append(Fix(channel, mitigation=rng.choice(_MITIGATIONS)))
    return tuple(fixes)


def _insert(connection: Connection, bulletins: Sequence[Bulletin]) -> None:
    """One multi-row INSERT per table for the whole batch."""
    rows: dict[type[Base], list[dict[str, Any]]] = {}

    def add(table: type[Base], values: dict[str, Any]) -> None:
        rows.setdefault(table, []).append(values)

    for b in bulletins:
        key = {"article_id": b.article_id}
        add(
            BulletinRow,
            {
                **key,
                "title": b.title,
                "severity": b.severity,
                "problem": b.problem,
                "status": b.status.value,
                "created_at": b.created_at,
                "updated_at": b.updated_at,
                "published_at": b.published_at,
                "withdrawn_at": b.withdrawn_at,
                "created_by": b.created_by,
                "submitted_by": b.submitted_by,
                "approved_by": b.approved_by,
                "release_at": b.release_at,
            },
        )
        for i, cve in enumerate(b.cves):
            add(CveRow, {**key, "position": i, "cve_id": cve})
        for i, s in enumerate(b.cvss):
            add(
                CvssRow,
                {
                    **key,
                    "position": i,
                    "version": s.version.value,
                    "vector": s.vector,
                    "base_score": s.base_score,
                    "base_severity": s.base_severity,
                },
            )
        for i, ref in enumerate(b.affected):
            add(
                AffectedRow,
                {**key, "position": i, "product_id": ref.product, "version_name": ref.version},
            )
        for i, fix in enumerate(b.fixes):
            add(
                FixRow,
                {
                    **key,
                    "position": i,
                    "product_id": fix.channel.product,
                    "version_name": fix.channel.version,
                    "channel_name": fix.channel.channel,
                    "release_name": fix.release,
                    "mitigation": fix.mitigation,
                },
            )
        for i, note in enumerate(b.not_covered):
            add(
                NotCoveredRow,
                {
                    **key,
                    "position": i,
                    "product_id": note.version.product,
                    "version_name": note.version.version,
                    "lifecycle": note.lifecycle.value,
                    "label": note.label,
                },
            )
        for i, entry in enumerate(b.changelog):
            add(ChangeLogRow, {**key, "position": i, "on": entry.on, "summary": entry.summary})
    for table in (BulletinRow, CveRow, CvssRow, AffectedRow, FixRow, NotCoveredRow, ChangeLogRow):
        values = rows.get(table)
        if values:
            connection.execute(insert(table), values)


# --- timing ------------------------------------------------------------------------------


def time_query(database: Database, query: BulletinQuery, runs: int = 30) -> tuple[float, int]:
    """The median time (ms) of ``query`` in a read-only unit of work, and its total."""
    times = []
    total = 0
    for _ in range(runs):
        with database.unit_of_work(read_only=True) as uow:
            start = time.perf_counter()
            page = uow.bulletins.query(query)
            times.append((time.perf_counter() - start) * 1000)
            total = page.total
    return statistics.median(times), total


QUERIES: dict[str, Callable[[Database], BulletinQuery]] = {
    "first page (public, newest first)": lambda _: BulletinQuery(),
    "first page, text 'memory'": lambda _: BulletinQuery(text="memory"),
    "first page, text 'cve-2019-1'": lambda _: BulletinQuery(text="cve-2019-1"),
    "first page, text 'xenserver use-after-free'": lambda _: BulletinQuery(
        text="xenserver use-after-free"
    ),
    "product citrix-adc, version 14.1": lambda _: BulletinQuery(
        product="citrix-adc", version="14.1"
    ),
    "year 2021, severity Critical": lambda _: BulletinQuery(year=2021, severity="Critical"),
    "by last change, staff (all statuses)": lambda _: BulletinQuery(
        public_only=False, order="updated"
    ),
    "middle page by offset (limit 20)": lambda db: BulletinQuery(offset=_middle(db)),
    "middle page by keyset cursor": lambda db: BulletinQuery(after=_cursor_at(db, _middle(db))),
}


def _middle(database: Database) -> int:
    with database.unit_of_work(read_only=True) as uow:
        total = uow.bulletins.query(BulletinQuery(limit=1)).total
    return max(1, total // 2 // 20 * 20)


def _cursor_at(database: Database, offset: int) -> tuple[datetime, str]:
    with database.unit_of_work(read_only=True) as uow:
        page = uow.bulletins.query(BulletinQuery(offset=offset - 1, limit=1))
    last = page.bulletins[-1]
    assert last.published_at is not None
    return last.published_at, last.article_id


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("url", help="the database URL (migrated if needed)")
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    database = Database(args.url)
    try:
        start = time.perf_counter()
        seed_bulletins(database, args.count, seed=args.seed)
        print(f"seeded {args.count} bulletins in {time.perf_counter() - start:.1f} s")
        if not database.is_sqlite:
            with database.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        for name, build in QUERIES.items():
            median, total = time_query(database, build(database))
            print(f"{median:8.2f} ms  {total:6d} match  {name}")
    finally:
        database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
