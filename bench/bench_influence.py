"""Time of the full influence index: every UN member x five poles x 1992-2026.

Usage::

    .venv/bin/python bench/bench_influence.py --store PATH/allegiance.duckdb [--repeat 3]
    .venv/bin/python bench/bench_influence.py            # builds a store in a temp folder first

Prints the seconds of each channel, of the combination, and of the whole index from a
fresh store handle (nothing cached), then checks that a second run gives identical values.
The store build itself is timed separately and is not part of the index's figure.
The index writes nothing; ``store.ideal_points`` (used by the votes channel when the store
has it) fits once and caches its fit in the store, so the first run includes that fit.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

import allegiance as al
from allegiance.analysis.influence import POLES
from allegiance.analysis.influence import index as index_
from allegiance.analysis.influence import weights as weights_
from allegiance.analysis.influence.channels import registry
from allegiance.store.store import Store


def _mirror() -> Path:
    env = os.environ.get("ALLEGIANCE_MIRROR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


def run(db: Path, years: list[int]) -> tuple[pd.DataFrame, dict[str, float]]:
    timings: dict[str, float] = {}
    with Store(db) as store:
        started = time.perf_counter()
        parts = []
        for name, channel in registry().items():
            t = time.perf_counter()
            parts.append(channel.score(store, None, list(POLES), years).assign(channel=name))
            timings[name] = time.perf_counter() - t
        t = time.perf_counter()
        scores = pd.concat(parts, ignore_index=True)
        idx = index_.combine(scores, weights_.resolve(list(registry())))
        timings["combine"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - started
        t = time.perf_counter()
        again = al.influence(Store(db), None, None, years=years)
        timings["al.influence (fresh handle)"] = time.perf_counter() - t
    pd.testing.assert_frame_equal(idx.reset_index(drop=True), again.reset_index(drop=True))
    return idx, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--store", type=Path, help="A built store; default: build one from the mirror."
    )
    parser.add_argument("--from", dest="since", type=int, default=1992)
    parser.add_argument("--to", dest="until", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    years = list(range(args.since, args.until + 1))
    print(f"cpus: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.store
        if db is None:
            from allegiance.store.build import build

            db = Path(tmp) / "allegiance.duckdb"
            t = time.perf_counter()
            build(_mirror(), db)
            print(f"store build (not part of the index figure): {time.perf_counter() - t:.1f} s")
        for i in range(args.repeat):
            idx, timings = run(db, years)
            print(f"run {i + 1}: {len(idx):,} index values "
                  f"({idx['state'].nunique()} states x {idx['pole'].nunique()} poles x {len(years)} years)")  # fmt: skip
            for name, seconds in timings.items():
                print(f"  {name:<32} {seconds:7.2f} s")
        print("second run identical: yes")


if __name__ == "__main__":
    main()
