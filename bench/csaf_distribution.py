"""Time the CSAF distribution's builds: first (render and sign everything), after a
change that is not public (reuse), after one amendment (one document again).

    python bench/csaf_distribution.py [COUNT] [--database-url URL]

Seeds COUNT bulletins (``bench/seed.py``) into a new SQLite file (or the given empty
PostgreSQL database), makes a demo signing key in a temporary GnuPG home, and prints
the wall time of each build. A second "process" on the same data folder then builds
with every signature already kept (what a restart or another worker pays).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import seed_bulletins  # the sibling benchmark module

from herald import demo
from herald.adapters.csaf_distribution import Distribution
from herald.bootstrap import Herald, build
from herald.config import Settings
from herald.services.source import SourceItems


def timed(label: str, herald: Herald) -> Distribution:
    started = time.perf_counter()
    distribution = herald.csaf_distribution.current()
    elapsed = time.perf_counter() - started
    size = sum(len(file.body) for file in distribution.files.values()) / 1e6
    count = len(distribution.documents)
    print(f"{label:<44} {elapsed:8.2f} s  ({count} documents, {size:.1f} MB of files)")
    return distribution


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hb", dir="/tmp"))
    url = args.database_url or f"sqlite:///{folder / 'herald.db'}"
    settings = Settings(
        data_dir=folder / "var",
        database_url=url,
        base_url="https://security.example.com",
        gnupg_home=folder / "gnupg",
    )
    herald = build(settings)
    try:
        herald.source.import_items(
            SourceItems(demo.publisher(), demo.catalog().products, (demo.reference_bulletin(),))
        )
        seed_bulletins(herald.database, args.count, seed=0)
        herald.signatures.signer.generate("Benchmark PSIRT", None)
        timed("first build (render and sign every document)", herald)
        timed("again, nothing changed", herald)
        herald.authoring.create_draft(replace(demo.reference_content(), title="Draft"))
        timed("after a draft was written (not public)", herald)
        changed = replace(demo.reference_content(), severity="High")
        herald.authoring.amend("CTX696397", changed, "Raised the severity to High")
        timed("after one amendment", herald)
        other = build(settings, migrate=False)
        try:
            timed("another process, signatures kept", other)
        finally:
            other.close()
    finally:
        herald.close()
        subprocess.run(
            ["gpgconf", "--homedir", str(folder / "gnupg"), "--kill", "gpg-agent"], check=False
        )
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
