"""Sphere membership: which pole, if any, a state leans to in a year (pure functions).

A pole's index in a state *rests on evidence* when at least :data:`MIN_EVIDENCE` channels
give it a positive score (a known absence, 0, is not evidence), one of them economic
(trade, energy or arms; :data:`allegiance.analysis.influence.index.ECONOMIC`). With P the
pole of the highest index, the state's assignment in a year is

* ``in sphere`` (of P): P's index rests on evidence, is at least :data:`THRESHOLD`, and
  leads the runner-up by at least :data:`MARGIN`;
* ``contested``: the same, but the lead is under the margin (torn between two poles);
* ``insufficient data``: P's index is at least the threshold but does not rest on
  evidence, or no pole's index does: the data cannot say where the state belongs;
* ``no sphere``: otherwise (P's index is under the threshold, and some pole's index rests
  on evidence): the state is in nobody's sphere.

Seen from one pole, a state is ``in sphere``, ``contested``, ``insufficient data`` or
``outside`` (in another pole's sphere, or in none).

Why these values: with the chance-corrected votes channel, a state with no tie to a pole
beyond the General Assembly scores about 0.2-0.4 on votes and 0 on institutions and
military; 0.40 asks for real ties in other channels. A lead under 0.05 is inside the
typical re-weighting band. Three channels with evidence, one economic, keep a state from
being placed by its votes and one membership alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

THRESHOLD = 0.40
MARGIN = 0.05
MIN_EVIDENCE = 3

IN, CONTESTED, OUTSIDE, INSUFFICIENT = "in sphere", "contested", "outside", "insufficient data"
NO_SPHERE = "no sphere"
STATUSES = (IN, CONTESTED, INSUFFICIENT, OUTSIDE)


def has_evidence(index: pd.DataFrame, min_evidence: int = MIN_EVIDENCE) -> pd.Series:
    """Per row of an index frame: enough positive channels, one of them economic."""
    return (index["n_evidence"] >= min_evidence) & index["economic"].astype(bool)


def leaders(index: pd.DataFrame, threshold: float = THRESHOLD, margin: float = MARGIN,
            min_evidence: int = MIN_EVIDENCE) -> pd.DataFrame:  # fmt: skip
    """Per (state, year): the leading pole, its lead, its evidence, and the state's sphere.

    Returns ``state, year, leader, leader_index, runner_up, runner_up_index, lead,
    n_channels, evidence, assignment, sphere``: ``assignment`` is ``in sphere``,
    ``contested``, ``insufficient data`` or ``no sphere``; ``sphere`` is the leader when it
    is ``in sphere``, else None.
    """
    cols = ["state", "year", "leader", "leader_index", "runner_up", "runner_up_index", "lead",
            "n_channels", "evidence", "assignment", "sphere"]  # fmt: skip
    if index.empty:
        return pd.DataFrame(columns=cols)
    ranked = index.sort_values(
        ["state", "year", "index", "pole"], ascending=[True, True, False, True], kind="stable"
    )
    first = ranked.groupby(["state", "year"]).nth(0).set_index(["state", "year"])
    second = ranked.groupby(["state", "year"]).nth(1).set_index(["state", "year"])
    out = pd.DataFrame({"leader": first["pole"], "leader_index": first["index"],
                        "n_channels": first["n_channels"], "evidence": first["evidence"]})  # fmt: skip
    out["runner_up"] = second["pole"].reindex(out.index)
    out["runner_up_index"] = second["index"].reindex(out.index)
    out["lead"] = out["leader_index"] - out["runner_up_index"].fillna(0.0)
    enough = has_evidence(first, min_evidence)
    anyone = has_evidence(index, min_evidence).groupby([index["state"], index["year"]]).any()
    anyone = anyone.reindex(out.index, fill_value=False)
    high = out["leader_index"] >= threshold
    clear = out["lead"] >= margin
    out["assignment"] = np.select(
        [enough & high & clear, enough & high, high | ~anyone],
        [IN, CONTESTED, INSUFFICIENT],
        default=NO_SPHERE,
    )
    out["sphere"] = np.where(out["assignment"] == IN, out["leader"], None)
    return out.reset_index()[cols]


def status_towards(lead: pd.DataFrame, pole: str) -> pd.Series:
    """Each state's standing towards ``pole`` from :func:`leaders`: ``in sphere``,
    ``contested`` (torn between ``pole`` and another: it leads or is the runner-up),
    ``insufficient data``, or ``outside`` (in another pole's sphere, in none, or torn
    between two other poles: Italy between the EU and the US is outside Russia's sphere)."""
    mine = lead["leader"].eq(pole) | lead["runner_up"].eq(pole)
    other_contest = lead["assignment"].eq(CONTESTED) & ~mine
    return pd.Series(
        np.where(lead["sphere"].eq(pole), IN,
                 np.where(lead["sphere"].notna() | lead["assignment"].eq(NO_SPHERE)
                          | other_contest, OUTSIDE, lead["assignment"])),
        index=lead.index,
    )  # fmt: skip


def membership(index: pd.DataFrame, pole: str, year: int, threshold: float = THRESHOLD,
               margin: float = MARGIN, min_evidence: int = MIN_EVIDENCE) -> pd.DataFrame:  # fmt: skip
    """Every state's standing towards ``pole`` in ``year``.

    Returns ``state, status, sphere, pole_index, lower, upper, leader, leader_index,
    runner_up, lead, n_channels, channels, evidence, imputed`` with ``status`` in
    :data:`STATUSES` and ``sphere`` the pole whose sphere the state is in (None if none);
    sorted by status, then by the pole's index (highest first).
    """
    pole = pole.upper()
    year_rows = index[index["year"] == int(year)]
    lead = leaders(year_rows, threshold, margin, min_evidence).drop(columns="evidence")
    mine = year_rows[year_rows["pole"] == pole][["state", "index", "lower", "upper", "channels",
                                                 "evidence", "imputed"]]  # fmt: skip
    mine = mine.rename(columns={"index": "pole_index"})
    out = lead.merge(mine, on="state", how="left")
    out["status"] = status_towards(out, pole)
    order = {s: i for i, s in enumerate(STATUSES)}
    out = out.assign(_o=out["status"].map(order)).sort_values(
        ["_o", "pole_index", "state"], ascending=[True, False, True], kind="stable"
    )
    cols = ["state", "status", "sphere", "pole_index", "lower", "upper", "leader", "leader_index",
            "runner_up", "lead", "n_channels", "channels", "evidence", "imputed"]  # fmt: skip
    return out[cols].reset_index(drop=True)
