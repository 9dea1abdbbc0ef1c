"""Filling a channel's gaps: interpolation inside a gap, a short carry-forward after it.

Pure functions of DataFrames: no store, no files. A channel observed before and after a
gap is interpolated linearly across it; after its last observation it is carried forward
for at most :data:`MAX_CARRY_FORWARD` years; before its first observation it stays
missing. Every filled value is flagged (``imputed``, with ``imputed_how`` and the years it
rests on), and its band is widened by :data:`STEP` of its channel per year of distance to
the nearest observation, so that the index's band (which moves each channel to the ends of
its own band) grows with what was filled in.

Why: without filling, the index of a state re-weights itself whenever a channel appears
or disappears (trade from COW ends in 2014 and returns from Comtrade in 2021), and a trend
over such a window is partly a change of composition, not of ties.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

#: Years after its last observation that a channel is carried forward. Three years reach
#: the latest full year from the last global trade cross-section (Comtrade 2021 to 2024)
#: without stretching a survey or a cross-section across a decade.
MAX_CARRY_FORWARD = 3

#: Widening of the band of a filled value, per year of distance to the nearest observation,
#: by channel: the 90th percentile of the absolute year-on-year change of the channel's
#: observed scores, 1995-2024, over every state and pole (measured on the store built
#: from the mirror; docs/influence.md). The knowledge-base channels (institutions,
#: military) are complete where they are scored and never filled. Opinion has no
#: consecutive survey years to measure and energy is not yet measured: they take
#: :data:`DEFAULT_STEP`.
STEP: dict[str, float] = {
    "votes": 0.09,
    "trade": 0.035,
    "arms": 0.10,
    "institutions": 0.0,
    "military": 0.01,
}
DEFAULT_STEP = 0.10

KEYS = ["state", "pole", "channel"]


def impute(scores: pd.DataFrame, years, max_carry: int = MAX_CARRY_FORWARD,
           step: Mapping[str, float] | None = None) -> pd.DataFrame:  # fmt: skip
    """The observed channel scores with their gaps filled, over ``years``.

    Parameters
    ----------
    scores : DataFrame
        Long channel scores (``state, pole, year, channel, score`` and optionally
        ``score_lower, score_upper, coverage_note, inputs, sources``): observations only.
    years : iterable of int
        The span to fill (consecutive years).
    max_carry : int
        Years a channel is carried forward after its last observation.

    Returns
    -------
    DataFrame
        The rows of ``scores`` within ``years`` with ``imputed = False``, and one row per
        filled value with ``imputed = True``, ``imputed_how`` (``interpolated`` or
        ``carried forward``), ``imputed_from`` (the observed years used), the score, its
        band, a note and the sources of the observations it rests on.
    """
    step = STEP if step is None else step
    years = np.arange(int(min(years)), int(max(years)) + 1)
    obs = scores[scores["year"].isin(years)].copy()
    obs["imputed"] = False
    obs["imputed_how"] = ""
    obs["imputed_from"] = ""
    if obs.empty:
        return obs
    wide = obs.pivot_table(index=KEYS, columns="year", values="score", aggfunc="first")
    wide = wide.reindex(columns=years)
    Y = wide.to_numpy(dtype=float)
    have = ~np.isnan(Y)
    n_years = len(years)
    pos = np.arange(n_years)[None, :].repeat(len(Y), axis=0)
    prev = np.where(have, pos, -1)
    prev = np.maximum.accumulate(prev, axis=1)
    nxt = np.where(have, pos, n_years)
    nxt = np.minimum.accumulate(nxt[:, ::-1], axis=1)[:, ::-1]
    gap = ~have & (prev >= 0)
    inside = gap & (nxt < n_years)
    carried = gap & (nxt >= n_years) & (pos - prev <= max_carry)
    fill = inside | carried
    if not fill.any():
        return obs.reset_index(drop=True)
    r, c = np.nonzero(fill)
    p, q = prev[r, c], nxt[r, c]
    y_prev = Y[r, p]
    is_inside = inside[r, c]
    q_safe = np.where(is_inside, q, p)
    y_next = Y[r, q_safe]
    frac = np.where(is_inside, (c - p) / np.maximum(q_safe - p, 1), 0.0)
    value = y_prev + frac * (y_next - y_prev)
    distance = np.where(is_inside, np.minimum(c - p, q_safe - c), c - p)
    keys = wide.index.to_frame(index=False).iloc[r].reset_index(drop=True)
    widen = keys["channel"].map(lambda ch: step.get(ch, DEFAULT_STEP)).to_numpy() * distance
    lo = np.minimum(value, np.minimum(y_prev, y_next)) - widen
    hi = np.maximum(value, np.maximum(y_prev, y_next)) + widen
    filled = keys.assign(
        year=years[c],
        score=value,
        score_lower=np.clip(lo, 0.0, 1.0),
        score_upper=np.clip(hi, 0.0, 1.0),
        imputed=True,
        imputed_how=np.where(is_inside, "interpolated", "carried forward"),
        imputed_from=[
            f"{years[a]} and {years[b]}" if i else f"{years[a]}"
            for a, b, i in zip(p, q_safe, is_inside, strict=True)
        ],
    )
    filled["coverage_note"] = [
        f"imputed: interpolated between {f} ({a:.3f} and {b:.3f})"
        if how == "interpolated"
        else f"imputed: carried forward from {f} ({a:.3f}), {d} year{'s' * int(d > 1)} on"
        for how, f, a, b, d in zip(filled["imputed_how"], filled["imputed_from"], y_prev,
                                   y_next, distance, strict=True)
    ]  # fmt: skip
    lookup = pd.MultiIndex.from_arrays([keys["state"], keys["pole"], keys["channel"], years[p]])
    before = obs.set_index([*KEYS, "year"])
    said = before["inputs"].reindex(lookup).fillna("").to_numpy() if "inputs" in obs else None
    filled["inputs"] = [
        (f"{years[a]}: {t}; " if t else "")
        + f"band widened by {w:.3f} for {d} year{'s' * int(d > 1)} from an observation"
        for a, t, w, d in zip(p, said if said is not None else [""] * len(p), widen, distance,
                              strict=True)
    ]  # fmt: skip
    for col in ("sources", "source"):
        if col in obs.columns:
            filled[col] = before[col].reindex(lookup).to_numpy()
    out = pd.concat([obs, filled], ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out.sort_values(["state", "pole", "year", "channel"], kind="stable").reset_index(
        drop=True
    )
