"""Full build of the store from the mirror: wall time and peak memory (issue 2 target:
under 30 s and under 2 GB on 2 cores)."""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import MIRROR, machine


def _run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "allegiance.cli", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    """The build alone (``--no-ideal``), then the whole-record ideal-point fit that
    ``allegiance build`` runs after it by default, timed apart."""
    db = Path(tempfile.mkdtemp(prefix="allegiance-bench-")) / "allegiance.duckdb"
    seconds = _run(["build", "--from", str(MIRROR), "--db", str(db), "--no-ideal"])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"machine: {machine()}")
    print(
        f"build from mirror: {seconds:.1f} s wall, peak RSS {peak:.0f} MiB, "
        f"store {db.stat().st_size / 2**20:.0f} MiB"
    )
    fit = _run(["ideal", "--states", "USA", "--db", str(db)])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"then the whole-record ideal points into the cache (allegiance ideal, interpreter "
        f"and store reading included): {fit:.1f} s wall, peak RSS so far {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
