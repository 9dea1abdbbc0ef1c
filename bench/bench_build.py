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


def main() -> None:
    db = Path(tempfile.mkdtemp(prefix="allegiance-bench-")) / "allegiance.duckdb"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "allegiance.cli", "build", "--from", str(MIRROR), "--db", str(db)],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"machine: {machine()}")
    print(
        f"build from mirror: {seconds:.1f} s wall, peak RSS {peak:.0f} MiB, store {db.stat().st_size / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    main()
