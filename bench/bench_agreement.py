"""All dyad-years 1946-2026 for one measure, vectorised versus a straightforward pandas
group-by of the same measure (issue 3 target: under 10 s, under 2 GB), and one state's
alignment with the five poles over all years (target: under 1 s)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from _common import machine, peak_rss_mib, store_db, timed

import allegiance as al
from allegiance.measures.agreement import agreement_matrix


def pandas_voeten(long: pd.DataFrame) -> pd.DataFrame:
    """The obvious implementation: self-join votes on roll call, group by dyad and year."""
    cast = long[long["vote"].isin([1, 2, 3])]
    pairs = cast.merge(cast, on=["roll_call_id", "year"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["state_a"] < pairs["state_b"]]
    pairs["agree"] = 1 - (pairs["vote_a"] - pairs["vote_b"]).abs() / 2
    return pairs.groupby(["year", "state_a", "state_b"])["agree"].agg(["mean", "size"])


def main() -> None:
    store = al.open(store_db())
    rc = store.roll_calls()
    load, (votes, states) = timed(lambda: store.vote_array(rc["id"].to_numpy()), repeat=1)
    period = rc["year"].to_numpy()
    fast, result = timed(lambda: agreement_matrix(votes, period, "voeten"), repeat=3)
    dyad_years = int((result.n > 0).sum() // 2)
    print(f"machine: {machine()}")
    print(
        f"votes loaded from the store: {votes.shape[0]} roll calls x {votes.shape[1]} states in {load:.2f} s"
    )
    print(f"vectorised voeten, all dyad-years ({dyad_years} with shared votes): {fast:.2f} s")
    for measure in ("coincidence", "kappa", "pi", "s"):
        t, _ = timed(lambda m=measure: agreement_matrix(votes, period, m), repeat=1)
        print(f"vectorised {measure}: {t:.2f} s")
    print(f"peak RSS so far: {peak_rss_mib():.0f} MiB")

    long = store.sql(
        "SELECT v.roll_call_id, r.year, v.state, v.vote FROM votes v "
        "JOIN roll_calls r ON r.id = v.roll_call_id WHERE r.year BETWEEN 1990 AND 1999"
    )
    start = time.perf_counter()
    slow = pandas_voeten(long)
    slow_t = time.perf_counter() - start
    decade = (period >= 1990) & (period <= 1999)
    fast_decade, check = timed(
        lambda: agreement_matrix(votes[decade], period[decade], "voeten"), repeat=3
    )
    i, j = states.index("ARM"), states.index("RUS")
    assert np.isclose(
        check.value[list(check.periods).index(1995), i, j], slow.loc[(1995, "ARM", "RUS"), "mean"]
    )
    print(
        f"pandas group-by voeten, 1990-1999 only: {slow_t:.2f} s (vectorised on the same decade: {fast_decade:.3f} s)"
    )
    print(f"peak RSS after the pandas group-by: {peak_rss_mib():.0f} MiB")

    al.alignment(store, "ARM")  # warm the knowledge base and the vote cache
    t, _ = timed(lambda: al.alignment(store, "ARM"), repeat=3)
    print(f"al.alignment(store, 'ARM') with five poles, all years (warm): {t:.2f} s")


if __name__ == "__main__":
    main()
