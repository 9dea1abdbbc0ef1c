"""Time and memory of DynamicIdealPoints on the whole UNGA record.

Usage::

    .venv/bin/python bench/bench_ideal_points.py [--bootstrap N] [--smoothing S] [--extend]
    .venv/bin/python bench/bench_ideal_points.py --store PATH/allegiance.duckdb

By default reads Voeten's published RData (1946-2015) from the read-only mirror
(``$ALLEGIANCE_MIRROR`` or ``../shared/data``). With ``--store`` it fits a built store's
votes (1946-2026, bridged items) through ``Store.ideal_point_votes()``. Nothing is written.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

import pandas as pd

from allegiance.measures.ideal_points import DynamicIdealPoints

#: The few Correlates of War codes shown in the summary; others keep their COW number.
COW_ISO3 = {
    2: "USA",
    20: "CAN",
    200: "GBR",
    220: "FRA",
    255: "DEU",
    365: "RUS",
    366: "EST",
    367: "LVA",
    368: "LTU",
    630: "IRN",
    666: "ISR",
    710: "CHN",
    731: "PRK",
    750: "IND",
    40: "CUB",
}


def load_voeten(mirror: Path) -> pd.DataFrame:
    import pyreadr

    path = mirror / "unga" / "voeten_unvotes_published" / "UNVotesPublished.RData"
    x = pyreadr.read_r(str(path))["x"]
    return pd.DataFrame(
        {
            "roll_call": x["rcid"].to_numpy(),
            "state": [COW_ISO3.get(c, f"COW{c}") for c in x["ccode"].to_numpy()],
            "period": x["session"].to_numpy(),
            "vote": x["vote"].to_numpy(),
            "year": x["year"].to_numpy(),
        }
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", type=int, default=2)
    parser.add_argument("--smoothing", type=float, default=0.1)
    parser.add_argument("--max-iter", type=int, default=500)
    parser.add_argument(
        "--extend",
        action="store_true",
        help="append sessions 61-70 again as sessions 71-80 (new roll calls): a stand-in of "
        "the size of the full 1946-2026 record (about 1M cast votes, 80 sessions)",
    )
    parser.add_argument("--store", type=Path, help="a built allegiance store to read instead")
    args = parser.parse_args()

    mirror = Path(os.environ.get("ALLEGIANCE_MIRROR", Path(__file__).parents[2] / "shared/data"))
    t0 = time.perf_counter()
    if args.store:
        from allegiance.store.store import open as open_store

        votes = open_store(args.store).ideal_point_votes()
    else:
        votes = load_voeten(mirror)
    if args.extend:
        late = votes[votes["period"] > 60].copy()
        late["period"] += 10
        late["year"] += 10
        late["roll_call"] += votes["roll_call"].max()
        votes = pd.concat([votes, late], ignore_index=True)
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
