"""Drift: is a state moving towards or away from a pole? (pure functions)

For each pole P, the gap ``g_t = index(P, t) - max over other poles Q of index(Q, t)`` is
regressed on the year by ordinary least squares over the window. The slope's t-test
(n - 2 degrees of freedom) decides, with one more condition: P's own index must move the
same way, by at least :data:`MIN_OWN_CHANGE` over the window (its OLS slope times the
years spanned). Slope > 0 with p < ``alpha`` and P's own index rising so is ``moving
towards P``; slope < 0 with p < ``alpha`` and P's own index falling so is ``moving away
from P``; otherwise ``stable``. Fewer than :data:`MIN_YEARS` years give
``insufficient data``.

Why the second condition: the gap also moves when the best alternative moves. Estonia's EU
index falls from 2019 as it buys arms from the United States and South Korea instead of
EU members, so Russia's gap behind the EU narrows while Russia's own index in Estonia
falls too: that is not Estonia moving towards Russia. And a pole's index that rises by a
few thousandths along an interpolated line (Lithuania's trade with China, 1.8% in 2014 to
3.0% in 2021) is not a move either.

Because the OLS slope is linear in the series, the slope of the gap splits exactly into
one slope per channel: the slope of (P's contribution - the best alternative's
contribution of that year) for the channel.

Caveats: years are not independent (autocorrelated series make the t-test too eager).
A channel entering or leaving the index would shift its level; the API computes drift on
the channels present in every year and pole of the window
(:func:`allegiance.analysis.influence.index.same_channels`), so that cannot happen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

MIN_YEARS = 5
ALPHA = 0.05
#: Least change of the pole's own index over the window (fitted) for a move.
MIN_OWN_CHANGE = 0.03


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


def classify(slope: float, p: float, n: int, pole: str, alpha: float = ALPHA,
             own_change: float | None = None) -> str:  # fmt: skip
    """The trend's label. ``own_change`` (the fitted change of the pole's own index over the
    window) must go the gap's way by at least :data:`MIN_OWN_CHANGE` for a move (None:
    not checked)."""
    if n < MIN_YEARS or np.isnan(slope):
        return "insufficient data"
    own = np.nan if own_change is None else own_change
    if p < alpha and slope > 0 and (own_change is None or own >= MIN_OWN_CHANGE):
        return f"moving towards {pole}"
    if p < alpha and slope < 0 and (own_change is None or own <= -MIN_OWN_CHANGE):
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
    gap_last, slope, se, t, p, pole_change, trend`` (``pole_change``: the fitted change of
    the pole's own index over the window); ``by_channel`` has ``pole, channel, slope`` (the channel slopes of
    a pole add up to its slope).
    """
    summary, parts = [], []
    for pole in poles:
        pole = pole.upper()
        g = gaps(index, pole)
        if g.empty:
            summary.append({"pole": pole, "from": None, "to": None, "n": 0, "gap_first": np.nan,
                            "gap_last": np.nan, "slope": np.nan, "se": np.nan, "t": np.nan,
                            "p": np.nan, "pole_change": np.nan, "trend": "insufficient data"})  # fmt: skip
            continue
        g = g.dropna(subset=["gap"]).sort_values("year")
        fit = trend(g["year"], g["gap"])
        own = trend(g["year"], g["pole_index"])["slope"] * (g["year"].max() - g["year"].min())
        summary.append({"pole": pole, "from": int(g["year"].min()), "to": int(g["year"].max()),
                        "n": fit["n"], "gap_first": g["gap"].iloc[0], "gap_last": g["gap"].iloc[-1],
                        "slope": fit["slope"], "se": fit["se"], "t": fit["t"], "p": fit["p"],
                        "pole_change": own,
                        "trend": classify(fit["slope"], fit["p"], fit["n"], pole, alpha, own)})  # fmt: skip
        for c in [c for c in g.columns if c.startswith("diff_")]:
            parts.append({"pole": pole, "channel": c.removeprefix("diff_"),
                          "slope": trend(g["year"], g[c])["slope"]})  # fmt: skip
    return pd.DataFrame(summary), pd.DataFrame(parts, columns=["pole", "channel", "slope"])
