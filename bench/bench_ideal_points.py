"""Time and memory of DynamicIdealPoints on the whole UNGA record.

Usage::

    .venv/bin/python bench/bench_ideal_points.py [--bootstrap N] [--smoothing S] [--store PATH]

Fits every vote of a built store (1946-2026, bridged items; ``--store``, else
``$ALLEGIANCE_BENCH_DB``, else a store built now from the mirror) through
``Store.ideal_point_votes()``. Nothing is written to the store.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from allegiance.measures.ideal_points import DynamicIdealPoints


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", type=int, default=2)
    parser.add_argument("--smoothing", type=float, default=0.1)
    parser.add_argument("--max-iter", type=int, default=500)
    parser.add_argument(
        "--store", type=Path, help="a built store (default: $ALLEGIANCE_BENCH_DB or a new build)"
    )
    args = parser.parse_args()

    from _common import store_db

    from allegiance.store.store import open as open_store

    t0 = time.perf_counter()
    votes = open_store(args.store or store_db()).ideal_point_votes()
    n_cast = int(votes["vote"].isin([1, 2, 3]).sum())
    print(
        f"loaded {len(votes):,} rows ({n_cast:,} cast votes, "
        f"{votes.roll_call.nunique():,} roll calls, {votes.state.nunique()} states, "
        f"{votes.period.nunique()} sessions) in {time.perf_counter() - t0:.1f} s"
    )
    rss_loaded = peak_rss_mb()

    model = DynamicIdealPoints(smoothing=args.smoothing, max_iter=args.max_iter, random_state=0)
    cpu0 = time.process_time()
    model.fit(votes)
    cpu = time.process_time() - cpu0
    print(
        f"fit: {model.fit_seconds_:.1f} s, {model.n_iter_} iterations, "
        f"converged={model.converged_}, CPU {cpu:.1f} s, peak RSS {peak_rss_mb():.0f} MB "
        f"(after loading: {rss_loaded:.0f} MB)"
    )

    if args.bootstrap:
        boot = DynamicIdealPoints(
            smoothing=args.smoothing,
            max_iter=args.max_iter,
            n_bootstrap=args.bootstrap,
            random_state=0,
        ).fit(votes)
        print(
            f"bootstrap: {boot.bootstrap_seconds_per_replicate_:.1f} s per replicate "
            f"({boot.bootstrap_n_converged_}/{args.bootstrap} converged), "
            f"peak RSS {peak_rss_mb():.0f} MB"
        )

    ip = model.ideal_points_
    mean = ip.groupby("state")["estimate"].mean()
    show = ["USA", "ISR", "GBR", "FRA", "CAN", "IND", "CHN", "RUS", "IRN", "CUB", "PRK"]
    print("mean ideal point:", ", ".join(f"{s} {mean[s]:+.2f}" for s in show if s in mean))


if __name__ == "__main__":
    main()
