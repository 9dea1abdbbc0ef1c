"""UN General Assembly votes: agreement with the pole and, when available, ideal-point
proximity.

The agreement is Voeten's measure (1 - |v1 - v2| / 2 on the yes-abstain-no scale) over
the roll calls of the calendar year on which both the state and the pole cast a vote; the
EU's position is the plurality of its members on the vote's date
(:func:`allegiance.alignment.pole_votes`).

When the store has ``ideal_points`` (dynamic IRT, one dimension, fitted once on 1992 to
the latest vote so that a year's value does not depend on the years asked), the score is
the mean of
the agreement and the proximity ``1 - |x_state - x_pole| / (max x - min x)`` of that year,
where max and min run over every state's estimate that year, so proximity is in [0, 1].
The EU's position is the median of its members' estimates. The bootstrap interval of the
state's estimate gives ``score_lower`` and ``score_upper``. Without ideal points the score
is the agreement alone and the note says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance.analysis.alignment import Selection, select
from allegiance.analysis.ideal import IDEAL_POINTS_FROM, ideal_points
from allegiance.analysis.influence.common import finish, grid, pole_members
from allegiance.analysis.poles import pole_votes
from allegiance.measures.agreement import MIN_N, agreement_with

LABEL = "UN votes: agreement (and ideal-point proximity) with the pole"
#: Source ids (registry.toml) the channel reads; the UN vote sources for `votes` are
#: those of the roll calls used.
SOURCE_IDS: tuple[str, ...] = ()
SOURCE = "UN General Assembly roll calls (store votes; see `allegiance info`)"


#: Set by the index when it asks for the ideal-point bootstrap; 0 means point estimates.
N_BOOTSTRAP = 0


def agreement_table(store, poles, years, kb=None) -> pd.DataFrame:
    """Agreement of every state with each pole per year: ``state, pole, year, agreement, n``."""
    years = sorted(int(y) for y in years)
    rc, votes, states = select(store, Selection(since=years[0], until=years[-1]))
    period = rc["year"].to_numpy(dtype=np.int64)
    labels = np.unique(period)
    parts = []
    for pole in poles:
        target = pole_votes(pole.upper(), rc, votes, states, kb)
        value, n = agreement_with(votes, period, target, "voeten")
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


def proximity_table(store, poles, years, n_bootstrap: int = 0, kb=None) -> pd.DataFrame | None:
    """Ideal-point proximity to each pole per year (None when no ideal point could be fitted)."""
    years = sorted(int(y) for y in years)
    # One fit over a fixed span, so a year's value does not depend on which years were asked.
    last = store.vote_years()[1]
    since, until = min(IDEAL_POINTS_FROM, years[0]), max(last, years[-1])
    ip = ideal_points(store, since=since, until=until, n_bootstrap=n_bootstrap, random_state=0)
    if ip is None or len(ip) == 0:
        return None
    ip = ip[ip["year"].isin(years)]
    ip = ip[["state", "year", "estimate", "lower", "upper"]].dropna(subset=["estimate"])
    ip = ip.groupby(["state", "year"], as_index=False).mean()
    spread = ip.groupby("year")["estimate"].agg(lambda x: x.max() - x.min()).rename("spread")
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
        part = part.join(spread, on="year")
        scale = part["spread"].where(part["spread"] > 0)
        for col, src in (("proximity", "estimate"), ("prox_a", "lower"), ("prox_b", "upper")):
            part[col] = 1 - (part[src] - part["x_pole"]).abs() / scale
        part["prox_lower"] = part[["prox_a", "prox_b", "proximity"]].min(axis=1).clip(0, 1)
        part["prox_upper"] = part[["prox_a", "prox_b", "proximity"]].max(axis=1).clip(0, 1)
        # The interval between lower and upper may contain the pole's position.
        inside = (part["lower"] <= part["x_pole"]) & (part["x_pole"] <= part["upper"])
        part.loc[inside, "prox_upper"] = 1.0
        parts.append(part[["state", "pole", "year", "estimate", "x_pole", "proximity",
                           "prox_lower", "prox_upper"]])  # fmt: skip
    return pd.concat(parts, ignore_index=True) if parts else None


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """Each state's closeness to each pole in the General Assembly, per year."""
    want = grid(states, poles, years)
    agree = agreement_table(store, poles, years, kb)
    frame = want.merge(agree, on=["state", "pole", "year"], how="inner")
    frame = frame[frame["agreement"].notna()]
    prox, why = None, "ideal points not available in this store"
    try:
        prox = proximity_table(store, poles, years, N_BOOTSTRAP, kb)
    except Exception as exc:  # noqa: BLE001 - an estimator failure degrades the channel, flagged
        why = f"ideal points failed: {type(exc).__name__}: {exc}"
    if prox is not None:
        frame = frame.merge(prox, on=["state", "pole", "year"], how="left")
        has = frame["proximity"].notna()
        frame["score"] = np.where(
            has, (frame["agreement"] + frame["proximity"]) / 2, frame["agreement"]
        )
        frame["score_lower"] = np.where(
            has, (frame["agreement"] + frame["prox_lower"]) / 2, frame["agreement"]
        )
        frame["score_upper"] = np.where(
            has, (frame["agreement"] + frame["prox_upper"]) / 2, frame["agreement"]
        )
        method = np.where(
            has, "agreement and ideal-point proximity", "agreement only (no ideal point)"
        )
        inputs = [
            f"agreement {a:.3f} on {n} roll calls; ideal point {e:+.2f} vs pole {x:+.2f}, "
            f"proximity {p:.3f}" if h else f"agreement {a:.3f} on {n} roll calls"
            for a, n, e, x, p, h in zip(frame["agreement"], frame["n"], frame["estimate"],
                                        frame["x_pole"], frame["proximity"], has, strict=True)
        ]  # fmt: skip
    else:
        frame["score"] = frame["agreement"]
        method = np.full(len(frame), f"agreement only ({why})")
        inputs = [
            f"agreement {a:.3f} on {n} roll calls"
            for a, n in zip(frame["agreement"], frame["n"], strict=True)
        ]
    sparse = np.where(frame["n"] < MIN_N, f"; sparse: fewer than {MIN_N} roll calls", "")
    frame["coverage_note"] = pd.Series(method, index=frame.index) + sparse
    frame["inputs"] = inputs
    frame["sources"] = SOURCE
    keep = [c for c in ("score_lower", "score_upper") if c in frame]
    return finish(
        frame[["state", "pole", "year", "score", "coverage_note", "inputs", "sources", *keep]]
    )
