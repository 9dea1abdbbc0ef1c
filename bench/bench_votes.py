"""`allegiance votes` latency (issue 2 target: under 1 s), from the CLI and from Python."""

from __future__ import annotations

import subprocess
import sys
import time

from _common import machine, store_db, timed

import allegiance as al


def main() -> None:
    db = store_db()
    cli = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "allegiance.cli",
                "votes",
                "A/RES/ES-11/1",
                "--format",
                "csv",
                "--db",
                str(db),
            ],
            check=True,
            capture_output=True,
        )
        cli.append(time.perf_counter() - start)
    store = al.open(db)
    api, _ = timed(lambda: al.votes(store, "A/RES/ES-11/1", region="post-soviet"), repeat=5)
    print(f"machine: {machine()}")
    print(f"allegiance votes A/RES/ES-11/1 (CLI, incl. interpreter start): best {min(cli):.2f} s")
    print(f"al.votes(store, ..., region='post-soviet') (Python, warm): {api * 1000:.1f} ms")


if __name__ == "__main__":
    main()
