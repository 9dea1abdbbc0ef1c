"""Institutions: membership in organizations led by or built around the pole.

From the knowledge base (organizations.yaml ``led_by``; memberships.yaml). Each
membership in force on 1 July of the year counts with the depth of the organization's
kind times the weight of the status (both in :mod:`allegiance.analysis.influence.weights`); the
memberships combine as ``1 - prod(1 - w)``, so the score stays in [0, 1], a second tie
adds less than the first and no single forum can outweigh a mutual-defence alliance.

The knowledge base lists every member of each organization it records, so a state with
no membership in the pole's organizations scores 0 (known absence), not missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance.analysis.influence.common import finish, grid, noisy_or, reference_day
from allegiance.analysis.influence.weights import INSTITUTION_DEPTH, STATUS_WEIGHT

LABEL = "Institutions: membership in the pole's organizations, weighted by depth"
#: Source ids (registry.toml) the channel reads; the UN vote sources for `votes` are
#: those of the roll calls used.
SOURCE_IDS: tuple[str, ...] = ("kb",)
SOURCE = "allegiance knowledge base (organizations.yaml, memberships.yaml)"


def _kb(kb=None):
    from allegiance import kb as kb_

    return kb if kb is not None else kb_.default()


def ties(kb, poles, years) -> pd.DataFrame:
    """Memberships in force on each year's reference day in organizations led by a pole.

    Columns ``state, pole, year, org, kind, status, weight, citation``.
    """
    orgs = (
        kb.organizations_frame()[["id", "kind", "led_by"]]
        .rename(columns={"id": "org"})
        .astype(object)
    )
    orgs = orgs[orgs["led_by"].isin([p.upper() for p in poles])]
    cols = ["state", "org", "status", "first_day", "last_day", "citation"]
    spells = kb.memberships_frame()[cols].astype(
        {c: object for c in ("state", "org", "status", "citation")}
    )
    spells = spells.merge(orgs, on="org")
    rows = []
    for year in years:
        day = pd.Timestamp(reference_day(year))
        on = spells[
            (spells["first_day"] <= day) & (spells["last_day"].isna() | (day <= spells["last_day"]))
        ]
        # One status per (state, org) on a day: the spell that started last.
        on = on.sort_values("first_day", kind="stable").drop_duplicates(
            ["state", "org"], keep="last"
        )
        rows.append(on.assign(year=int(year)))
    if not rows:
        return pd.DataFrame(
            columns=["state", "pole", "year", "org", "kind", "status", "weight", "citation"]
        )
    t = pd.concat(rows, ignore_index=True).rename(columns={"led_by": "pole"})
    t["weight"] = t["kind"].map(INSTITUTION_DEPTH).fillna(0.0) * t["status"].map(
        STATUS_WEIGHT
    ).fillna(0.0)
    return t[["state", "pole", "year", "org", "kind", "status", "weight", "citation"]]


def combine(weights: pd.Series) -> float:
    """``1 - prod(1 - w)``: independent ties, each adding to what is left (no I/O)."""
    return float(1 - np.prod(1 - np.clip(np.asarray(weights, dtype=float), 0, 1)))


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """Depth of each state's membership in each pole's organizations, per year."""
    want = grid(states, poles, years)
    t = ties(_kb(kb), poles, sorted(set(want["year"])))
    t = t[t["weight"] > 0].sort_values(["state", "pole", "year", "weight", "org"],
                                        ascending=[True, True, True, False, True])  # fmt: skip
    keys = ["state", "pole", "year"]
    agg = noisy_or(t["weight"], [t[k] for k in keys]).rename("score").to_frame()
    described = t.assign(d=t["org"] + " (" + t["kind"].str.replace("_", " ") + ", " + t["status"]
                         + ", w=" + t["weight"].round(2).astype(str) + ")")  # fmt: skip
    agg["inputs"] = described.groupby(keys)["d"].agg("; ".join)
    agg["sources"] = t.groupby(keys)["citation"].agg(
        lambda c: SOURCE + ": " + " | ".join(dict.fromkeys(c))
    )
    frame = want.merge(agg.reset_index(), on=keys, how="left")
    none = frame["score"].isna()
    frame.loc[none, "score"] = 0.0
    frame.loc[none, "inputs"] = "no membership in the pole's organizations"
    frame.loc[none, "sources"] = SOURCE
    frame["coverage_note"] = np.where(
        none, "known absence (member lists are complete)", "knowledge base"
    )
    return finish(frame)
