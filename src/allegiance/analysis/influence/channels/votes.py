"""UN General Assembly votes: chance-corrected agreement and ideal-point proximity.

Raw agreement barely tells poles apart: a state that votes with the majority agrees 80-95%
with Russia, China, Türkiye and the EU at once. The channel therefore uses two measures
that discount what any two states share by chance or by the General Assembly's majority:

* **Agreement beyond chance**: Cohen's kappa on yes-abstain-no over the roll calls of the
  calendar year on which both the state and the pole voted (Häge 2011; the measure is
  :data:`allegiance.analysis.alignment.CLOSEST_MEASURE`, the same one ``align`` uses to
  name the closest pole). Kappa at or below 0 is no agreement beyond chance and scores 0:
  ``k = max(kappa, 0)``. The EU votes as the plurality of its members on the vote's date.
* **Ideal-point proximity**: ``p = max(0, 1 - |x_state - x_pole| / (SPREAD_SDS * sd))``,
  where ``x`` are the year's ideal points (:func:`allegiance.ideal_points`, one fit over
  1992 to the latest vote, averaged over the sessions of the calendar year) and ``sd`` is
  the standard deviation of all states' estimates that year. Two states
  :data:`SPREAD_SDS` standard deviations apart or more share nothing. The EU's position
  is the median of its members' estimates.

The score is the mean ``(k + p) / 2``; without ideal points it is ``k`` alone and the note
says so. The 95% interval of the state's ideal point (analytic, docs/ideal_points.md)
gives ``score_lower`` and ``score_upper``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance.analysis.alignment import CLOSEST_MEASURE, Selection, select
from allegiance.analysis.ideal import ideal_points
from allegiance.analysis.influence.common import finish, grid, pole_members
from allegiance.analysis.poles import pole_votes
from allegiance.measures.agreement import MIN_N, agreement_with

LABEL = "UN votes: agreement beyond chance (kappa) and ideal-point proximity with the pole"
#: Source ids (registry.toml) the channel reads; the UN vote sources for `votes` are
#: those of the roll calls used.
SOURCE_IDS: tuple[str, ...] = ()
SOURCE = "UN General Assembly roll calls (store votes; see `allegiance info`)"


#: The agreement measure of the channel: chance-corrected (Häge 2011).
MEASURE = CLOSEST_MEASURE

#: Ideal points this many standard deviations of the year's estimates apart, or more, have
#: no proximity. Two states drawn at random from a normal spread are on average 1.13 sd
#: apart (2/sqrt(pi)), so a random pair scores about 0.44 and the Belarus-Russia pair
#: (0.3-0.6 sd since 1996) about 0.8; Estonia-Russia is beyond 1 sd from 1999 on.
SPREAD_SDS = 2.0


def agreement_table(store, poles, years, kb=None) -> pd.DataFrame:
    """Kappa of every state with each pole per year: ``state, pole, year, agreement, n``."""
    years = sorted(int(y) for y in years)
    rc, votes, states = select(store, Selection(since=years[0], until=years[-1]))
    period = rc["year"].to_numpy(dtype=np.int64)
    labels = np.unique(period)
    parts = []
    for pole in poles:
        target = pole_votes(pole.upper(), rc, votes, states, kb)
        value, n = agreement_with(votes, period, target, MEASURE)
        parts.append(
            pd.DataFrame(
                {
                    "state": np.tile(states, len(labels)),
                    "pole": pole.upper(),
                    "year": np.repeat(labels, len(states)),
                    "agreement": value.ravel(),
                    "n": n.ravel(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _year_points(store) -> pd.DataFrame | None:
    """Ideal points per state and calendar year, from the one fit on the whole record
    (so that a year's value does not depend on which years were asked)."""
    ip = ideal_points(store, by="year")
    if ip is None or len(ip) == 0:
        return None
    ip = ip[["state", "year", "estimate", "lower", "upper"]].dropna(subset=["estimate"])
    return ip.groupby(["state", "year"], as_index=False).mean()


def proximity_table(store, poles, years, kb=None) -> pd.DataFrame | None:
    """Ideal-point proximity to each pole per year (None when no ideal point could be fitted).

    Columns ``state, pole, year, estimate, x_pole, sd, distance_sd, proximity, prox_lower,
    prox_upper``; ``distance_sd`` is the distance in standard deviations of the year.
    """
    years = sorted(int(y) for y in years)
    ip = _year_points(store)
    if ip is None:
        return None
    ip = ip[ip["year"].isin(years)]
    sd = ip.groupby("year")["estimate"].std().rename("sd")
    parts = []
    for pole in poles:
        pole = pole.upper()
        xs = {}
        for year, rows in ip.groupby("year"):
            members = rows[rows["state"].isin(pole_members(pole, int(year), kb))]
            if len(members):
                xs[int(year)] = float(members["estimate"].median())
        if not xs:
            continue
        part = ip.assign(pole=pole, x_pole=ip["year"].map(xs)).dropna(subset=["x_pole"])
        part = part.join(sd, on="year")
        scale = SPREAD_SDS * part["sd"].where(part["sd"] > 0)
        part["distance_sd"] = (part["estimate"] - part["x_pole"]).abs() / part["sd"]
        for col, src in (("proximity", "estimate"), ("prox_a", "lower"), ("prox_b", "upper")):
            part[col] = (1 - (part[src] - part["x_pole"]).abs() / scale).clip(lower=0)
        part["prox_lower"] = part[["prox_a", "prox_b", "proximity"]].min(axis=1).clip(0, 1)
        part["prox_upper"] = part[["prox_a", "prox_b", "proximity"]].max(axis=1).clip(0, 1)
        # The interval between lower and upper may contain the pole's position.
        inside = (part["lower"] <= part["x_pole"]) & (part["x_pole"] <= part["upper"])
        part.loc[inside, "prox_upper"] = 1.0
        parts.append(part[["state", "pole", "year", "estimate", "x_pole", "sd", "distance_sd",
                           "proximity", "prox_lower", "prox_upper"]])  # fmt: skip
    return pd.concat(parts, ignore_index=True) if parts else None


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """Each state's closeness to each pole in the General Assembly, per year."""
    want = grid(states, poles, years)
    agree = agreement_table(store, poles, years, kb)
    frame = want.merge(agree, on=["state", "pole", "year"], how="inner")
    frame = frame[frame["agreement"].notna()].copy()
    frame["kappa"] = frame["agreement"]
    k = frame["kappa"].clip(lower=0.0)
    prox, why = None, "ideal points not available in this store"
    try:
        prox = proximity_table(store, poles, years, kb)
    except Exception as exc:  # noqa: BLE001 - an estimator failure degrades the channel, flagged
        why = f"ideal points failed: {type(exc).__name__}: {exc}"
    if prox is not None:
        frame = frame.merge(prox, on=["state", "pole", "year"], how="left")
        k = frame["kappa"].clip(lower=0.0)
        has = frame["proximity"].notna()
        frame["score"] = np.where(has, (k + frame["proximity"]) / 2, k)
        frame["score_lower"] = np.where(has, (k + frame["prox_lower"]) / 2, k)
        frame["score_upper"] = np.where(has, (k + frame["prox_upper"]) / 2, k)
        method = np.where(has, "kappa and ideal-point proximity", "kappa only (no ideal point)")
        inputs = [
            f"kappa {a:+.3f} on {n} roll calls; ideal point {e:+.2f} vs pole {x:+.2f}, "
            f"{d:.2f} sd apart, proximity {p:.3f}" if h else f"kappa {a:+.3f} on {n} roll calls"
            for a, n, e, x, d, p, h in zip(frame["kappa"], frame["n"], frame["estimate"],
                                           frame["x_pole"], frame["distance_sd"],
                                           frame["proximity"], has, strict=True)
        ]  # fmt: skip
    else:
        frame["score"] = k
        method = np.full(len(frame), f"kappa only ({why})")
        inputs = [
            f"kappa {a:+.3f} on {n} roll calls"
            for a, n in zip(frame["kappa"], frame["n"], strict=True)
        ]
    sparse = np.where(frame["n"] < MIN_N, f"; sparse: fewer than {MIN_N} roll calls", "")
    frame["coverage_note"] = pd.Series(method, index=frame.index) + sparse
    frame["inputs"] = inputs
    frame["sources"] = SOURCE
    keep = [c for c in ("score_lower", "score_upper", "kappa", "proximity") if c in frame]
    return finish(
        frame[["state", "pole", "year", "score", "coverage_note", "inputs", "sources", *keep]]
    )
