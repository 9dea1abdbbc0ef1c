"""Sphere membership: which pole, if any, a state leans to in a year (pure functions).

A state is in pole P's sphere in a year when P's index is the highest of the poles, clears
:data:`THRESHOLD`, leads the runner-up by at least :data:`MARGIN`, and rests on at least
:data:`MIN_CHANNELS` channels; otherwise the state is ``contested``. Seen from one pole, a
state is ``in sphere``, ``contested``, or ``outside`` (in another pole's sphere).

Why these values: the votes channel alone puts most states at 0.6-0.9 agreement with every
pole, so an index near 0.3 comes from votes and little else; 0.4 asks for real ties in at
least one other channel. A lead under 0.05 is inside the typical re-weighting band.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

THRESHOLD = 0.40
MARGIN = 0.05
MIN_CHANNELS = 2


def leaders(index: pd.DataFrame, threshold: float = THRESHOLD, margin: float = MARGIN,
            min_channels: int = MIN_CHANNELS) -> pd.DataFrame:  # fmt: skip
    """Per (state, year): the leading pole, its lead, and whether the state is in its sphere.

    Returns ``state, year, leader, leader_index, runner_up, runner_up_index, lead,
    n_channels, sphere`` where ``sphere`` is the leader or None (contested).
    """
    cols = ["state", "year", "leader", "leader_index", "runner_up", "runner_up_index", "lead",
            "n_channels", "sphere"]  # fmt: skip
    if index.empty:
        return pd.DataFrame(columns=cols)
    ranked = index.sort_values(
        ["state", "year", "index", "pole"], ascending=[True, True, False, True], kind="stable"
    )
    first = ranked.groupby(["state", "year"]).nth(0).set_index(["state", "year"])
    second = ranked.groupby(["state", "year"]).nth(1).set_index(["state", "year"])
    out = pd.DataFrame({"leader": first["pole"], "leader_index": first["index"],
                        "n_channels": first["n_channels"]})  # fmt: skip
    out["runner_up"] = second["pole"].reindex(out.index)
    out["runner_up_index"] = second["index"].reindex(out.index)
    out["lead"] = out["leader_index"] - out["runner_up_index"].fillna(0.0)
    ok = (
        (out["leader_index"] >= threshold)
        & (out["lead"] >= margin)
        & (out["n_channels"] >= min_channels)
    )
    out["sphere"] = np.where(ok, out["leader"], None)
    return out.reset_index()[cols]


def membership(index: pd.DataFrame, pole: str, year: int, threshold: float = THRESHOLD,
               margin: float = MARGIN, min_channels: int = MIN_CHANNELS) -> pd.DataFrame:  # fmt: skip
    """Every state's standing towards ``pole`` in ``year``.

    Returns ``state, status, pole_index, lower, upper, leader, leader_index, runner_up,
    lead, n_channels, channels`` with ``status`` in ``in sphere``, ``contested``,
    ``outside``; sorted by status, then by the pole's index (highest first).
    """
    pole = pole.upper()
    year_rows = index[index["year"] == int(year)]
    lead = leaders(year_rows, threshold, margin, min_channels)
    mine = year_rows[year_rows["pole"] == pole][["state", "index", "lower", "upper", "channels"]]
    mine = mine.rename(columns={"index": "pole_index"})
    out = lead.merge(mine, on="state", how="left")
    out["status"] = np.where(out["sphere"].eq(pole), "in sphere",
                             np.where(out["sphere"].isna(), "contested", "outside"))  # fmt: skip
    order = {"in sphere": 0, "contested": 1, "outside": 2}
    out = out.assign(_o=out["status"].map(order)).sort_values(["_o", "pole_index", "state"],
                                                                ascending=[True, False, True], kind="stable")  # fmt: skip
    cols = ["state", "status", "pole_index", "lower", "upper", "leader", "leader_index", "runner_up",
            "lead", "n_channels", "channels"]  # fmt: skip
    return out[cols].reset_index(drop=True)
