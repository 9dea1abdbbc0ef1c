"""Military presence: the pole's forces, bases and facilities on the state's soil.

From the knowledge base (military_presence.yaml). Each site in force on 1 July of the year
counts with the weight of its kind (:data:`allegiance.analysis.influence.weights.PRESENCE_KIND`),
combined as ``1 - prod(1 - w)``. The knowledge base records foreign presence in the
post-Soviet states and Syria only, so the channel scores those hosts (:func:`covered_hosts`)
and is missing elsewhere; a covered host without a listed site scores 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance.analysis.influence.common import finish, grid, noisy_or, pole_members, reference_day
from allegiance.analysis.influence.weights import PRESENCE_KIND

LABEL = "Military presence: the pole's bases, forces and facilities on the state's soil"
#: Source ids (registry.toml) the channel reads; the UN vote sources for `votes` are
#: those of the roll calls used.
SOURCE_IDS: tuple[str, ...] = ("kb",)
SOURCE = "allegiance knowledge base (military_presence.yaml)"


def _kb(kb=None):
    from allegiance import kb as kb_

    return kb if kb is not None else kb_.default()


def covered_hosts(kb) -> set[str]:
    """Hosts the knowledge base documents: the post-Soviet states and every listed host."""
    from allegiance.analysis.regions import region as region_members

    return set(region_members("post-soviet")) | set(kb.military_presence_frame()["host"])


def sites(kb, poles, years) -> pd.DataFrame:
    """Sites of each pole in force on each year's reference day.

    Columns ``state, pole, year, id, site, kind, weight, citation``.
    """
    cols = ["id", "sender", "host", "site", "kind", "first_day", "last_day", "citation"]
    p = kb.military_presence_frame()[cols].astype(
        {c: object for c in ("id", "sender", "host", "site", "kind", "citation")}
    )
    rows = []
    for year in years:
        day = pd.Timestamp(reference_day(year))
        on = p[(p["first_day"] <= day) & (p["last_day"].isna() | (day <= p["last_day"]))]
        for pole in poles:
            mine = on[on["sender"].isin(pole_members(pole.upper(), int(year), kb))]
            rows.append(mine.assign(pole=pole.upper(), year=int(year)))
    t = pd.concat(rows, ignore_index=True) if rows else p.iloc[0:0].assign(pole="", year=0)
    t = t.rename(columns={"host": "state"})
    t["weight"] = t["kind"].map(PRESENCE_KIND).fillna(PRESENCE_KIND.get("other", 0.3))
    return t[["state", "pole", "year", "id", "site", "kind", "weight", "citation"]]


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """The pole's military footprint on each covered host, per year."""
    kb = _kb(kb)
    want = grid(states, poles, years)
    want = want[want["state"].isin(covered_hosts(kb))]
    t = sites(kb, poles, sorted(set(want["year"])))
    keys = ["state", "pole", "year"]
    t = t.sort_values([*keys, "weight", "id"], ascending=[True, True, True, False, True])
    agg = noisy_or(t["weight"], [t[k] for k in keys]).rename("score")
    desc = (
        t["site"]
        + " ("
        + t["kind"].str.replace("_", " ")
        + ", w="
        + t["weight"].round(2).astype(str)
        + ")"
    )
    inputs = desc.groupby([t[k] for k in keys]).agg("; ".join).rename("inputs")
    cites = (
        t.groupby(keys)["citation"]
        .agg(lambda c: SOURCE + ": " + " | ".join(dict.fromkeys(c)))
        .rename("sources")
    )
    frame = want.merge(pd.concat([agg, inputs, cites], axis=1).reset_index(), on=keys, how="left")
    none = frame["score"].isna()
    frame.loc[none, "score"] = 0.0
    frame.loc[none, "inputs"] = "no site of the pole listed"
    frame.loc[none, "sources"] = SOURCE
    frame["coverage_note"] = np.where(
        none, "known absence (host covered by the knowledge base)", "knowledge base"
    )
    return finish(frame)
