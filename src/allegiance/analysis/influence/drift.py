"""Drift: is a state moving towards or away from a pole? (pure functions)

For each pole P, the gap ``g_t = index(P, t) - max over other poles Q of index(Q, t)`` is
regressed on the year by ordinary least squares over the window. The slope's t-test
(n - 2 degrees of freedom) decides: slope > 0 with p < ``alpha`` is ``moving towards P``,
slope < 0 with p < ``alpha`` is ``moving away from P``, otherwise ``stable``. Fewer than
:data:`MIN_YEARS` years give ``insufficient data``.

Because the OLS slope is linear in the series, the slope of the gap splits exactly into
one slope per channel: the slope of (P's contribution - the best alternative's
contribution of that year) for the channel.

Caveats: years are not independent (autocorrelated series make the t-test too eager),
and a channel entering or leaving the index (trade after 2014, outside Armenia) shifts the
level; the decomposition shows when that drives the trend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

MIN_YEARS = 5
ALPHA = 0.05


def trend(years, values) -> dict:
    """OLS slope of ``values`` on ``years`` with its t-test: ``slope, se, t, p, n``."""
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    ok = ~np.isnan(y)
    x, y = x[ok], y[ok]
    n = len(x)
    if n < 3 or np.ptp(x) == 0:
        return {"slope": np.nan, "se": np.nan, "t": np.nan, "p": np.nan, "n": n}
    xc = x - x.mean()
    slope = float((xc * (y - y.mean())).sum() / (xc**2).sum())
    resid = y - y.mean() - slope * xc
    se = float(np.sqrt((resid**2).sum() / (n - 2) / (xc**2).sum()))
    if se == 0:  # a perfect line: the slope is certain
        t = float(np.copysign(np.inf, slope)) if slope else 0.0
        p = 0.0 if slope else 1.0
    else:
        t = slope / se
        p = float(2 * stats.t.sf(abs(t), n - 2))
    return {"slope": slope, "se": se, "t": float(t), "p": p, "n": n}


def classify(slope: float, p: float, n: int, pole: str, alpha: float = ALPHA) -> str:
    if n < MIN_YEARS or np.isnan(slope):
        return "insufficient data"
    if p < alpha and slope > 0:
        return f"moving towards {pole}"
    if p < alpha and slope < 0:
        return f"moving away from {pole}"
    return "stable"


def gaps(index: pd.DataFrame, pole: str) -> pd.DataFrame:
    """Per year of one state's index: the pole's value, the best alternative and the gap,
    and the per-channel difference of contributions (``diff_<channel>``)."""
    cols = [c for c in index.columns if c.startswith("contrib_")]
    rows = []
    for year, g in index.groupby("year"):
        mine = g[g["pole"] == pole]
        other = g[g["pole"] != pole].sort_values(
            ["index", "pole"], ascending=[False, True], kind="stable"
        )
        if mine.empty or other.empty:
            continue
        m, o = mine.iloc[0], other.iloc[0]
        row = {"year": int(year), "pole_index": m["index"], "alternative": o["pole"],
               "alternative_index": o["index"], "gap": m["index"] - o["index"]}  # fmt: skip
        for c in cols:
            row["diff_" + c.removeprefix("contrib_")] = np.nan_to_num(m[c]) - np.nan_to_num(o[c])
        rows.append(row)
    return pd.DataFrame(rows)


def drift(index: pd.DataFrame, poles, alpha: float = ALPHA) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Trend of each pole's gap over the years of one state's ``index`` frame.

    Returns ``(summary, by_channel)``: ``summary`` has ``pole, from, to, n, gap_first,
    gap_last, slope, se, t, p, trend``; ``by_channel`` has ``pole, channel, slope`` (the
    channel slopes of a pole add up to its slope).
    """
    summary, parts = [], []
    for pole in poles:
        pole = pole.upper()
        g = gaps(index, pole)
        if g.empty:
            summary.append({"pole": pole, "from": None, "to": None, "n": 0, "gap_first": np.nan,
                            "gap_last": np.nan, "slope": np.nan, "se": np.nan, "t": np.nan,
                            "p": np.nan, "trend": "insufficient data"})  # fmt: skip
            continue
        g = g.dropna(subset=["gap"]).sort_values("year")
        fit = trend(g["year"], g["gap"])
        summary.append({"pole": pole, "from": int(g["year"].min()), "to": int(g["year"].max()),
                        "n": fit["n"], "gap_first": g["gap"].iloc[0], "gap_last": g["gap"].iloc[-1],
                        "slope": fit["slope"], "se": fit["se"], "t": fit["t"], "p": fit["p"],
                        "trend": classify(fit["slope"], fit["p"], fit["n"], pole, alpha)})  # fmt: skip
        for c in [c for c in g.columns if c.startswith("diff_")]:
            parts.append({"pole": pole, "channel": c.removeprefix("diff_"),
                          "slope": trend(g["year"], g[c])["slope"]})  # fmt: skip
    return pd.DataFrame(summary), pd.DataFrame(parts, columns=["pole", "channel", "slope"])
