"""Shared helpers for the benchmark scripts: where the mirror is, a store to measure."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIRROR = Path(os.environ.get("ALLEGIANCE_MIRROR", ROOT.parent / "shared" / "data"))


def machine() -> str:
    cpus = os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {cpus} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def store_db() -> Path:
    """A store to benchmark queries on: $ALLEGIANCE_BENCH_DB, else one built now."""
    env = os.environ.get("ALLEGIANCE_BENCH_DB")
    if env:
        return Path(env)
    db = Path(tempfile.mkdtemp(prefix="allegiance-bench-")) / "allegiance.duckdb"
    subprocess.run(
        [sys.executable, "-m", "allegiance.cli", "build", "--from", str(MIRROR), "--db", str(db)],
        check=True,
        capture_output=True,
    )
    return db


def timed(fn, repeat: int = 3):
    """Best wall time of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result
