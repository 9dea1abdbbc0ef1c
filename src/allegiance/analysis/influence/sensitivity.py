"""How much do the weights matter? Sphere membership under weights drawn around the defaults.

Pure functions of DataFrames: no store, no files. The channel weights are drawn from a
Dirichlet distribution whose mean is the default weights (normalised to sum to 1) and
whose concentration is :data:`CONCENTRATION`::

    w ~ Dirichlet(CONCENTRATION * w_default / sum(w_default))

so a default weight of 0.25 varies with a standard deviation of about 0.09 (0.10-0.45 in
nine draws out of ten). For each draw the index is recomputed from the same channel scores
and the sphere rule applied; a state's ``in_sphere_share`` is the share of draws in which
it is in the pole's sphere. It is ``robust`` when its standing (in the sphere or not) is
the same as under the default weights in at least :data:`ROBUST_SHARE` of the draws, and
``weight-dependent`` otherwise. Evidence does not depend on the weights, so a state with
``insufficient data`` stays so in every draw. Draws are seeded (:data:`SEED`): the result
is reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from allegiance.analysis.influence.index import wide
from allegiance.analysis.influence.sphere import MIN_EVIDENCE

#: Dirichlet concentration: larger draws stay closer to the defaults.
CONCENTRATION = 20.0
#: Number of weight draws.
N_DRAWS = 200
#: Share of draws that must agree with the default standing for ``robust``.
ROBUST_SHARE = 0.90
SEED = 0


def draw_weights(weights: Mapping[str, float], n: int = N_DRAWS,
                 concentration: float = CONCENTRATION, seed: int = SEED) -> pd.DataFrame:  # fmt: skip
    """``n`` weight vectors around ``weights`` (channels with weight 0 stay at 0).

    Returns a frame of ``n`` rows and one column per channel; each row sums to 1.
    """
    names = [c for c, w in weights.items() if w > 0]
    mean = np.array([weights[c] for c in names], dtype=float)
    mean = mean / mean.sum()
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.dirichlet(concentration * mean, size=n), columns=names)


def in_sphere_share(scores: pd.DataFrame, index: pd.DataFrame, pole: str, draws: pd.DataFrame,
                    threshold: float, margin: float,
                    min_evidence: int = MIN_EVIDENCE) -> pd.DataFrame:  # fmt: skip
    """Share of weight draws in which each state is in ``pole``'s sphere, per year.

    Parameters
    ----------
    scores : DataFrame
        The channel scores the index was combined from (``state, pole, year, channel,
        score``).
    index : DataFrame
        The index under the default weights (for the evidence of each row).
    draws : DataFrame
        Weight vectors (:func:`draw_weights`).

    Returns
    -------
    DataFrame
        ``state, year, in_sphere_share``.
    """
    channels = list(draws.columns)
    s = wide(scores).reindex(columns=channels)
    keys = index.set_index(["state", "pole", "year"]).index
    s = s.reindex(keys)
    S = s.to_numpy(dtype=float)
    have = ~np.isnan(S)
    W = draws.to_numpy(dtype=float).T  # channels x draws
    with np.errstate(invalid="ignore", divide="ignore"):
        values = (np.where(have, S, 0.0) @ W) / (have.astype(float) @ W)  # rows x draws
    enough = ((index["n_evidence"] >= min_evidence) & index["economic"].astype(bool)).to_numpy()
    rows = index[["state", "pole", "year"]].reset_index(drop=True)
    groups = rows.groupby(["state", "year"], sort=True).indices
    out = []
    is_pole = (rows["pole"] == pole.upper()).to_numpy()
    for (state, year), at in groups.items():
        v = values[at]  # poles x draws
        v = np.where(np.isnan(v), -np.inf, v)
        order = np.argsort(-v, axis=0, kind="stable")
        top, second = order[0], order[1] if len(at) > 1 else order[0]
        cols = np.arange(v.shape[1])
        lead = v[top, cols] - (v[second, cols] if len(at) > 1 else 0.0)
        ok = is_pole[at][top] & enough[at][top] & (v[top, cols] >= threshold) & (lead >= margin)
        out.append((state, int(year), float(ok.mean())))
    return pd.DataFrame(out, columns=["state", "year", "in_sphere_share"])


def robustness(
    status: pd.Series, share: pd.Series, robust_share: float = ROBUST_SHARE
) -> pd.Series:
    """``robust`` or ``weight-dependent`` from the default standing and the share of draws."""
    agree = np.where(status.eq("in sphere"), share, 1 - share)
    return pd.Series(np.where(agree >= robust_share, "robust", "weight-dependent"),
                     index=status.index)  # fmt: skip
