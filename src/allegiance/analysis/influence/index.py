"""Combining channel scores into the influence index, its band, and its decomposition.

Pure functions of DataFrames: no store, no files. The index of a pole in a state-year is
the weighted mean of the channel scores that exist there,

    index = sum_c w_c s_c / sum_c w_c      (c over the channels with a score),

so a missing channel is reweighted away, never read as 0, and is listed in ``missing``.
Each channel's contribution is ``w_c s_c / sum_c w_c``; the contributions add up to the
index, and the change of the index between two years is the sum of the changes of the
contributions.

The uncertainty band (``lower``, ``upper``) is the range of the index over

* leaving out each available channel in turn (re-weighting: how much the value rests on
  one channel), when at least two channels are available; and
* a channel's own band where it reports one (``score_lower``/``score_upper``; the votes
  channel's interval from the ideal points' intervals, and the widened band of an imputed
  value,
  :mod:`allegiance.analysis.influence.impute`), the other channels held at their scores.

Besides the value, each row says what it rests on: ``imputed`` lists the channels whose
score was filled in, and ``evidence`` the channels carrying positive evidence of a tie
(a score above 0: a known absence, 0, is not evidence), which the sphere rule counts
(:mod:`allegiance.analysis.influence.sphere`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

KEYS = ["state", "pole", "year"]

#: Channels that measure economic dependence; a sphere needs positive evidence in one of
#: them (energy is counted by name, whether or not its module is installed).
ECONOMIC = ("trade", "energy", "arms")


def wide(scores: pd.DataFrame, column: str = "score") -> pd.DataFrame:
    """Channel scores as a (state, pole, year) x channel table; NaN where missing."""
    if scores.empty:
        return pd.DataFrame(index=pd.MultiIndex.from_arrays([[], [], []], names=KEYS))
    return scores.pivot_table(
        index=KEYS, columns="channel", values=column, aggfunc="first"
    ).sort_index()


def combine(
    scores: pd.DataFrame, weights: Mapping[str, float], min_channels: int = 2
) -> pd.DataFrame:
    """The index per (state, pole, year) from long channel scores.

    Parameters
    ----------
    scores : DataFrame
        ``state, pole, year, channel, score`` and optionally ``score_lower``,
        ``score_upper``.
    weights : mapping
        Channel -> weight (>= 0); channels absent from it weigh 0.
    min_channels : int
        Fewer channels than this set ``thin`` (the value rests on too little).

    Returns
    -------
    DataFrame
        ``state, pole, year, index, lower, upper, n_channels, channels, missing,
        reweighted, thin, imputed, evidence, n_evidence, economic`` and one
        ``contrib_<channel>`` column per channel. ``imputed`` and ``evidence`` are
        comma-separated channel names; ``economic`` is true when an economic channel
        (:data:`ECONOMIC`) is among the evidence.
    """
    s = wide(scores)
    # Every weighted channel is a column, so one without any score here is listed missing.
    channels = sorted(
        {c for c in s.columns if weights.get(c, 0) > 0} | {c for c, w in weights.items() if w > 0}
    )
    s = s.reindex(columns=channels)
    if s.empty or not channels:
        return pd.DataFrame(columns=[*KEYS, "index", "lower", "upper", "n_channels", "channels",
                                     "missing", "reweighted", "thin", "imputed", "evidence",
                                     "n_evidence", "economic"])  # fmt: skip
    S = s.to_numpy(dtype=float)
    have = ~np.isnan(S)
    W = np.array([weights[c] for c in channels], dtype=float)
    Wa = np.where(have, W, 0.0)
    total = Wa.sum(axis=1)
    filled = np.where(have, S, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = (Wa * filled).sum(axis=1) / total
        contrib = Wa * filled / total[:, None]
    variants = [index]
    # Leave one channel out (only where another channel remains).
    for j in range(len(channels)):
        rest = total - Wa[:, j]
        ok = have[:, j] & (rest > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            loo = ((Wa * filled).sum(axis=1) - Wa[:, j] * filled[:, j]) / rest
        variants.append(np.where(ok, loo, index))
    # A channel's own band, the others held.
    for bound in ("score_lower", "score_upper"):
        if bound not in scores.columns or scores[bound].isna().all():
            continue
        b = wide(scores, bound).reindex(index=s.index, columns=channels).to_numpy(dtype=float)
        for j in range(len(channels)):
            if np.isnan(b[:, j]).all():
                continue
            moved = filled.copy()
            use = have[:, j] & ~np.isnan(b[:, j])
            moved[use, j] = b[use, j]
            with np.errstate(invalid="ignore", divide="ignore"):
                variants.append((Wa * moved).sum(axis=1) / total)
    V = np.vstack(variants)
    out = s.index.to_frame(index=False)
    out["index"] = index
    out["lower"] = V.min(axis=0)
    out["upper"] = V.max(axis=0)
    out["n_channels"] = have.sum(axis=1)
    names = np.array(channels, dtype=object)
    out["channels"] = [",".join(names[row]) for row in have]
    out["missing"] = [",".join(names[~row]) for row in have]
    out["reweighted"] = ~have.all(axis=1)
    out["thin"] = out["n_channels"] < min_channels
    if "imputed" in scores.columns:
        imp = wide(scores.assign(imputed=scores["imputed"].astype(float)), "imputed")
        imp = imp.reindex(index=s.index, columns=channels).to_numpy(dtype=float)
        imp = have & (np.nan_to_num(imp) > 0)
    else:
        imp = np.zeros_like(have)
    out["imputed"] = [",".join(names[row]) for row in imp]
    positive = have & (filled > 0)
    out["evidence"] = [",".join(names[row]) for row in positive]
    out["n_evidence"] = positive.sum(axis=1)
    is_economic = np.array([c in ECONOMIC for c in channels])
    out["economic"] = (positive & is_economic[None, :]).any(axis=1)
    for j, c in enumerate(channels):
        out[f"contrib_{c}"] = contrib[:, j]
    out = out[out["n_channels"] > 0]
    return out.sort_values(KEYS, kind="stable").reset_index(drop=True)


def same_channels(scores: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Keep, per state, only the channels that have a score in every (pole, year) of it.

    A comparison between years (a trend, a sphere then and now) made on these scores
    cannot come from a channel appearing or disappearing. Channels weighted 0 are
    dropped first. ``attrs["same_channels"]`` maps each state to the channels kept.
    """
    if weights is not None:
        scores = scores[scores["channel"].map(lambda c: weights.get(c, 0) > 0)]
    if scores.empty:
        out = scores.copy()
        out.attrs["same_channels"] = {}
        return out
    cells = scores.drop_duplicates(["state", "pole", "year"]).groupby("state").size()
    per_channel = scores.groupby(["state", "channel"]).size()
    need = cells.reindex(per_channel.index.get_level_values("state")).to_numpy()
    kept = per_channel[per_channel.to_numpy() == need].reset_index()[["state", "channel"]]
    out = scores.merge(kept, on=["state", "channel"], how="inner")
    out.attrs = dict(scores.attrs)
    out.attrs["same_channels"] = {
        state: sorted(group["channel"]) for state, group in kept.groupby("state")
    }
    return out.sort_values([*KEYS, "channel"], kind="stable").reset_index(drop=True)


def contributions(index: pd.DataFrame) -> pd.DataFrame:
    """Long table of each channel's contribution: ``state, pole, year, channel, contribution``."""
    cols = [c for c in index.columns if c.startswith("contrib_")]
    long = index[KEYS + cols].melt(id_vars=KEYS, var_name="channel", value_name="contribution")
    long["channel"] = long["channel"].str.removeprefix("contrib_")
    return long.sort_values([*KEYS, "channel"], kind="stable").reset_index(drop=True)


def decompose_change(
    index: pd.DataFrame, state: str, pole: str, year_from: int, year_to: int
) -> pd.DataFrame:
    """Each channel's part in the change of one index value between two years.

    Returns ``channel, from, to, change`` plus a last row ``total`` whose ``change`` is the
    change of the index; the channel changes add up to it exactly (a channel present in
    only one year contributes its whole contribution, re-weighting included).
    """
    rows = index[(index["state"] == state) & (index["pole"] == pole)].set_index("year")
    missing = [y for y in (year_from, year_to) if y not in rows.index]
    if missing:
        raise ValueError(f"no index for {state} and {pole} in {', '.join(map(str, missing))}")
    cols = [c for c in index.columns if c.startswith("contrib_")]
    a = rows.loc[year_from, cols].astype(float).fillna(0.0)
    b = rows.loc[year_to, cols].astype(float).fillna(0.0)
    out = pd.DataFrame({"channel": [c.removeprefix("contrib_") for c in cols],
                        "from": a.to_numpy(), "to": b.to_numpy()})  # fmt: skip
    out["change"] = out["to"] - out["from"]
    total = pd.DataFrame({"channel": ["total"], "from": [rows.loc[year_from, "index"]],
                          "to": [rows.loc[year_to, "index"]]})  # fmt: skip
    total["change"] = total["to"] - total["from"]
    return pd.concat([out, total], ignore_index=True)
