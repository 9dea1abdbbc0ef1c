"""The full influence panel (every state x 5 poles x 1992 to the latest vote) and its coverage.

Usage::

    .venv/bin/python bench/bench_influence.py --store PATH/allegiance.duckdb [--repeat 2] [--fresh]
    .venv/bin/python bench/bench_influence.py   # $ALLEGIANCE_BENCH_DB, else a store built now

``--fresh`` removes the store's ideal-point cache first, so that the first run measures
the index from a fresh store.

Prints, for each run on a fresh store handle (nothing memoised in the process):

* the seconds (wall clock and CPU of the process) of each channel, the imputation, the
  combination and the standing of every state (``al.index_panel``); the first run on a
  fresh store includes the one-time ideal-point fit, later runs read it from the cache
  beside the store;
* the peak resident memory of the process;
* the share of post-Soviet state-years 1995 to the latest full year with at least one
  economic channel, observed or imputed (``allegiance info --channels``);

and checks that a second run gives identical values. Targets (issue 12): under 10 s with
the ideal points cached and under 30 s from a fresh store, on 2 cores; under 2 GB; and
economic coverage of at least 90%. CPU seconds are printed beside wall seconds because the
machine is shared: on a busy machine the wall clock measures the other jobs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

import pandas as pd
from _common import machine, peak_rss_mib, store_db


class Clock:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def run(db: Path) -> tuple[pd.DataFrame, dict[str, tuple[float, float]], float]:
    """One full panel on a fresh store handle, timed stage by stage."""
    from allegiance.analysis.influence import impute
    from allegiance.analysis.influence import index as index_
    from allegiance.analysis.influence import weights as weights_
    from allegiance.analysis.influence.api import index_span
    from allegiance.analysis.influence.channels import registry
    from allegiance.analysis.influence.panel import channel_coverage, index_panel
    from allegiance.poles import POLES
    from allegiance.store.store import Store

    timings = {}
    with Store(db) as store:
        first, last = index_span(store)
        years = list(range(first, last + 1))
        total = Clock()
        parts = []
        for name, channel in registry().items():
            c = Clock()
            parts.append(channel.score(store, None, list(POLES), years).assign(channel=name))
            timings[f"channel {name}"] = c.read()
        c = Clock()
        scores = impute.impute(pd.concat(parts, ignore_index=True), years)
        timings["imputation"] = c.read()
        c = Clock()
        index_.combine(scores, weights_.resolve(list(registry())))
        timings["combination"] = c.read()
        timings["stages together"] = total.read()
    with Store(db) as store:  # a fresh handle: nothing memoised
        c = Clock()
        panel = index_panel(store, since=first, until=last)
        timings["al.index_panel (fresh handle)"] = c.read()
        c = Clock()
        cover = channel_coverage(store)
        timings["channel_coverage"] = c.read()
    economic = float(cover.loc[cover["channel"] == "any economic", "share_covered"].iloc[0])
    return panel, timings, economic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="A built store; default: see above.")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--fresh", action="store_true", help="Remove the store's ideal-point cache first."
    )
    args = parser.parse_args()
    print(f"machine: {machine()}; load average: {os.getloadavg()[0]:.1f}")
    db = args.store or store_db()
    if args.fresh:
        shutil.rmtree(Path(f"{db}.cache"), ignore_errors=True)
    previous = None
    for i in range(args.repeat):
        panel, timings, economic = run(db)
        print(f"run {i + 1}: {len(panel):,} values ({panel['state'].nunique()} states x "
              f"{panel['pole'].nunique()} poles x {panel['year'].nunique()} years)")  # fmt: skip
        for name, (wall, cpu) in timings.items():
            print(f"  {name:<32} {wall:7.2f} s wall {cpu:7.2f} s CPU")
        if previous is not None:
            pd.testing.assert_frame_equal(previous, panel)
            print("  identical to the previous run: yes")
        previous = panel
    print(f"peak resident memory: {peak_rss_mib():,.0f} MiB")
    print(f"post-Soviet state-years 1995 to the latest full year with an economic channel "
          f"(observed or imputed): {economic:.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
