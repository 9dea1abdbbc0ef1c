"""Time, memory and stability of the ideal points on the whole UNGA record.

Usage::

    .venv/bin/python bench/bench_ideal_points.py [--store PATH] [--by year|session]
        [--votes all|final] [--smoothing S] [--compare CSV] [--sensitivity] [--bsv CSV]

Fits every vote of a built store (1946-2026; ``--store``, else ``$ALLEGIANCE_BENCH_DB``,
else a store built now from the mirror) with the defaults of ``allegiance ideal``, and
prints: the time of the point fit and of the intervals (wall and CPU), the peak memory,
the stability figures of issue 11 (spread of the estimates per decade, the United States
in 1980 and 2023, Russia and China in 2023), and with ``--compare`` the per-year rank
correlation with earlier estimates (a CSV with ``state, year, estimate``).
``--sensitivity`` adds the tables of docs/ideal_points.md: how results and held-out fit
move with the smoothing, the prior of the discriminations and the span of the bridges.
``--bsv CSV`` instead compares fits under several priors of the discriminations with
Bailey, Strezhnev and Voeten's published estimates (a file the user supplies: they are
not in the data mirror). Nothing is written to the store.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import machine, peak_rss_mib, store_db
from scipy.stats import norm

from allegiance.analysis.ideal import REFERENCE_YEARS, _reference_periods, _roll_calls
from allegiance.analysis.ideal import _long as long_votes
from allegiance.measures.ideal_points import DynamicIdealPoints
from allegiance.store.store import open as open_store

SMOOTHING = (0.02, 0.05, 0.1, 0.2, 0.4)


def stability(ip: pd.DataFrame, key: str = "period") -> dict[str, float]:
    """The figures of issue 11 on one fit (by year)."""
    voted = ip[ip["n_votes"] > 0]
    wide = voted.pivot(index=key, columns="state", values="estimate")
    sd = voted.groupby(key)["estimate"].std()
    sd = sd[(sd.index >= 1960) & (sd.index < 2030)]
    decades = sd.groupby(sd.index // 10 * 10).mean()
    return {
        "sd_ratio": float(decades.max() / decades.min()),
        "sd_min": float(decades.min()),
        "sd_max": float(decades.max()),
        "usa_1980": float(wide.loc[1980, "USA"]),
        "usa_2023": float(wide.loc[2023, "USA"]),
        "rus_2023": float(wide.loc[2023, "RUS"]),
        "chn_2023": float(wide.loc[2023, "CHN"]),
        "blr_2023": float(wide.loc[2023, "BLR"]),
    }


def rank_correlation(ip: pd.DataFrame, earlier: pd.DataFrame) -> pd.Series:
    """Spearman correlation per year between two sets of estimates of the same states."""
    a = ip[ip["n_votes"] > 0].pivot(index="period", columns="state", values="estimate")
    b = earlier.pivot_table(index="year", columns="state", values="estimate")
    out = {}
    for year in a.index.intersection(b.index):
        both = pd.concat([a.loc[year], b.loc[year]], axis=1).dropna()
        out[int(year)] = both.iloc[:, 0].corr(both.iloc[:, 1], method="spearman")
    return pd.Series(out)


def held_out(votes: pd.DataFrame, unit: str, reference, seed: int = 0, **settings) -> float:
    """Mean log predictive probability of 10% of the votes left out of the fit: random
    votes (``unit="vote"``) or all votes of random state-years (``unit="cell"``)."""
    rng = np.random.default_rng(seed)
    if unit == "vote":
        test = rng.random(len(votes)) < 0.1
    else:
        cells = votes["state"] + "_" + votes["period"].astype(str)
        chosen = cells.drop_duplicates().sample(frac=0.1, random_state=seed)
        test = cells.isin(set(chosen)).to_numpy()
    model = DynamicIdealPoints(ci=None, reference=reference, **settings)
    model.fit(votes[~test])
    t = votes[test].merge(model.ideal_points_[["state", "period", "estimate"]])
    t = t.merge(model.item_params_, on="item").dropna(subset=["discrimination"])
    eta = t["discrimination"] * t["estimate"]
    p_yes, p_no = norm.cdf(t["cut1"] - eta), norm.sf(t["cut2"] - eta)
    p = np.select([t["vote"] == 1, t["vote"] == 3], [p_yes, p_no], 1 - p_yes - p_no)
    return float(np.log(np.clip(p, 1e-12, 1)).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a built store (default: a new build)")
    parser.add_argument("--by", choices=("year", "session"), default="year")
    parser.add_argument("--votes", choices=("all", "final"), default="all")
    parser.add_argument("--smoothing", type=float, default=0.05)
    parser.add_argument("--compare", type=Path, help="CSV of earlier estimates to rank against")
    parser.add_argument("--sensitivity", action="store_true", help="the smoothing table")
    parser.add_argument(
        "--bsv", type=Path, help="published Bailey-Strezhnev-Voeten estimates (CSV) to compare"
    )
    args = parser.parse_args()
    print(machine())

    store = open_store(args.store or store_db())
    if args.bsv:
        compare_with_bsv(store, args.bsv, args.votes)
        return
    t0 = time.perf_counter()
    rc = _roll_calls(store, None, None, args.by, args.votes, None)
    votes = long_votes(store, rc, args.by)
    reference = _reference_periods(rc, args.by, REFERENCE_YEARS)
    print(
        f"loaded {len(votes):,} cast votes on {votes['roll_call'].nunique():,} roll calls "
        f"({votes['item'].nunique():,} items), {votes['state'].nunique()} states, "
        f"{votes['period'].nunique()} periods in {time.perf_counter() - t0:.1f} s; "
        f"peak RSS {peak_rss_mib():.0f} MiB"
    )

    cpu0 = time.process_time()
    model = DynamicIdealPoints(smoothing=args.smoothing, reference=reference).fit(votes)
    cpu = time.process_time() - cpu0
    d = model.diagnostics_
    print(
        f"point fit: {d['fit_seconds']:.1f} s wall, {d['n_iter']} EM sweeps, "
        f"converged={d['converged']}; intervals: {d['interval_seconds']:.1f} s wall "
        f"({d['interval_seconds'] / d['fit_seconds']:.2f} x the point fit); CPU for both "
        f"{cpu:.1f} s; peak RSS {peak_rss_mib():.0f} MiB"
    )
    print(
        f"{d['n_roll_calls']:,} roll calls, {d['n_lopsided']:,} lopsided left out; "
        f"{d['n_items']:,} items, {d['n_bridging_items']:,} bridging periods"
    )
    if args.by == "year":
        s = stability(model.ideal_points_)
        print(
            f"spread per decade since 1960: {s['sd_min']:.2f} to {s['sd_max']:.2f} "
            f"(ratio {s['sd_ratio']:.2f}); USA 1980 {s['usa_1980']:+.2f}, 2023 "
            f"{s['usa_2023']:+.2f} (moved {s['usa_2023'] - s['usa_1980']:+.2f}); 2023: "
            f"RUS {s['rus_2023']:+.2f}, CHN {s['chn_2023']:+.2f}, BLR {s['blr_2023']:+.2f}"
        )
    if args.compare:
        rho = rank_correlation(model.ideal_points_, pd.read_csv(args.compare))
        print(
            f"rank correlation per year with {args.compare.name}: min {rho.min():.3f} "
            f"({rho.idxmin()}), median {rho.median():.3f}, {len(rho)} years"
        )
    if args.sensitivity:
        sensitivity(votes, reference, model, rc)


def sensitivity(votes, reference, default, roll_calls) -> None:
    """How the results move with the smoothing, the prior of the discriminations and the
    span of the bridges (the three tables of docs/ideal_points.md)."""
    from allegiance.measures.ideal_bridge import bridge_items

    base = default.ideal_points_.set_index(["state", "period"])["estimate"]

    def row(label, data, **settings) -> None:
        fit = DynamicIdealPoints(ci=None, reference=reference, **settings).fit(data)
        s = stability(fit.ideal_points_)
        est = fit.ideal_points_.set_index(["state", "period"])["estimate"]
        r = np.corrcoef(est, base.reindex(est.index))[0, 1]
        loss = [held_out(data, unit, reference, **settings) for unit in ("vote", "cell")]
        print(
            f"| {label} | {loss[0]:.4f} / {loss[1]:.4f} | {fit.n_iter_} | "
            f"{fit.discrimination_var_:.2f} | {s['usa_1980']:+.2f} / {s['usa_2023']:+.2f} | "
            f"{s['rus_2023']:+.2f} / {s['chn_2023']:+.2f} | {s['sd_min']:.2f}-{s['sd_max']:.2f} "
            f"({s['sd_ratio']:.2f}) | {r:.3f} |",
            flush=True,
        )

    header = (
        "| held-out log-lik per vote (random votes / state-years) | sweeps | prior variance "
        "of discriminations | USA 1980 / 2023 | RUS / CHN 2023 | spread per decade (ratio) | "
        "correlation with default |"
    )
    print("\n| smoothing " + header)
    for smoothing in SMOOTHING:
        row(str(smoothing), votes, smoothing=smoothing)
    print("\n| prior variance of the discriminations " + header)
    for var in (1.0, None, 2.0, 4.0, 8.0, 25.0):
        row("learned" if var is None else str(var), votes, discrimination_var=var)
    print("\n| bridge span (sessions) " + header)
    for span in (1, 3, 10, 100):
        items = dict(zip(roll_calls["id"], bridge_items(roll_calls, max_span=span), strict=True))
        row(str(span), votes.assign(item=votes["roll_call"].map(items)))


def published_bsv(path: Path) -> tuple[pd.DataFrame, str]:
    """Bailey, Strezhnev and Voeten's estimates (``IdealpointestimatesAll_*.csv`` of their
    Dataverse release or of Voeten's GitHub repository; a subset of its rows will do) as
    ``state, period, bsv`` in our state codes, and the kind of period (``session`` or
    ``year``). Their ``RUS`` before 1992 is our ``SUN``; their ``YUG`` after 1992 (Serbia
    and Montenegro, then Serbia) is left out."""
    raw = pd.read_csv(path)
    by = "session" if "session" in raw.columns else "year"
    value = "IdealPoint" if "IdealPoint" in raw.columns else "IdealPointAll"
    year = raw[by] + 1945 if by == "session" else raw[by]
    state = raw["iso3c"].where(~(raw["iso3c"].eq("RUS") & (year < 1992)), "SUN")
    keep = ~(raw["iso3c"].eq("YUG") & (year > 1992))
    out = pd.DataFrame({"state": state, "period": raw[by], "bsv": raw[value]})[keep]
    return out.dropna(), by


def compare_with_bsv(store, path: Path, votes_kind: str) -> None:
    """Our estimates against the published ones, for each prior of the discriminations:
    the slope of ours on theirs period by period (issue 11: it grew from about 0.4 in the
    1940s to 1.5 in the 2020s), its trend per decade, the error left after one affine map
    of the whole record, and the United States' series."""
    bsv, by = published_bsv(path)
    rc = _roll_calls(store, None, None, by, votes_kind, None)
    votes = long_votes(store, rc, by)
    reference = _reference_periods(rc, by, REFERENCE_YEARS)
    print(f"{path.name}: {len(bsv):,} published {by} estimates of {bsv['state'].nunique()} states")
    print(
        "\n| prior variance of the discriminations | state-periods matched | slope per decade "
        "of the period (first to last) | trend of the slope per decade | error after one map "
        "| United States: correlation / error |\n|---|---|---|---|---|---|"
    )
    for var in (1.0, None, 2.0, 4.0, 25.0):
        fit = DynamicIdealPoints(ci=None, reference=reference, discrimination_var=var).fit(votes)
        ip = fit.ideal_points_
        both = ip[ip["n_votes"] > 0].merge(bsv, on=["state", "period"])
        slope = both.groupby("period")[["bsv", "estimate"]].apply(
            lambda g: np.polyfit(g["bsv"], g["estimate"], 1)[0]
        )
        year = slope.index + 1945 if by == "session" else slope.index
        decades = slope.groupby(year // 10 * 10).mean()
        trend = np.polyfit(year / 10, slope.to_numpy(), 1)[0]
        a = np.polyfit(both["bsv"], both["estimate"], 1)
        error = np.sqrt(np.mean((both["estimate"] - np.polyval(a, both["bsv"])) ** 2))
        usa = both[both["state"] == "USA"]
        r = np.corrcoef(usa["estimate"], usa["bsv"])[0, 1]
        usa_error = np.sqrt(np.mean((usa["estimate"] - usa["bsv"]) ** 2))
        label = f"learned ({fit.discrimination_var_:.2f})" if var is None else f"{var:g}"
        print(
            f"| {label} | {len(both):,} | "
            + " ".join(f"{d}s {v:.2f}" for d, v in decades.items())
            + f" | {trend:+.3f} | {error:.3f} | {r:.3f} / {usa_error:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
