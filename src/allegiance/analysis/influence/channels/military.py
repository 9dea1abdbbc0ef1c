"""Military presence: the pole's forces on the state's soil, with the host's consent.

Only presence the host government consents to is a tie of alignment. Forces stationed
without that consent (occupied Crimea and the occupied regions of Ukraine, Abkhazia, South
Ossetia, Transnistria) are coercion: they are left out of this score, named in its
inputs, and reported by :func:`allegiance.analysis.influence.coercion.coercion`.

Two sources, one per kind of pole:

* **USA**: US active-duty personnel in the host (troopdata, store table ``us_troops``), the
  mean of the year's reports, on a log scale between :data:`US_FLOOR` and :data:`US_CAP`::

      score = clip(log10(troops / US_FLOOR) / log10(US_CAP / US_FLOOR), 0, 1)

  so 100 troops or fewer (embassy Marine guards, attachés, exercises) score 0, 1,000 score
  0.5 and 10,000 or more score 1. Every host troopdata lists in the year is scored; a host
  it does not list is missing. The knowledge base's US sites (Manas, Karshi-Khanabad) are
  the same troops, so they are named in the inputs but not added.
* **Every other pole**: the sites of the knowledge base (military_presence.yaml) in force
  on 1 July, with the host's consent, each weighted by its kind
  (:data:`allegiance.analysis.influence.weights.PRESENCE_KIND`) and combined as
  ``1 - prod(1 - w)``. The knowledge base records foreign presence in the post-Soviet
  states and the hosts it lists (Syria), so the channel scores those hosts
  (:func:`covered_hosts`) and is missing elsewhere; a covered host without a consented
  site scores 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance.analysis.influence.common import finish, grid, noisy_or, pole_members, reference_day
from allegiance.analysis.influence.weights import PRESENCE_KIND

LABEL = "Military presence: the pole's forces on the state's soil, with the host's consent"
#: Source ids (registry.toml) the channel reads.
SOURCE_IDS: tuple[str, ...] = ("kb", "troopdata")
SOURCE = "allegiance knowledge base (military_presence.yaml)"
US_SOURCE = (
    "troopdata: US active-duty personnel by host (Allen, Flynn and Machain 2022; DMDC; Kane 2006)"
)

#: US personnel at or below which the score is 0: a Marine security guard detachment and
#: defence attachés number tens; a few hundred is a training or rotational presence.
US_FLOOR = 100
#: US personnel at or above which the score is 1: a garrison of 10,000 or more (Germany,
#: Japan, Korea, Italy) is as deep a military tie as the channel measures.
US_CAP = 10_000


def _kb(kb=None):
    from allegiance import kb as kb_

    return kb if kb is not None else kb_.default()


def covered_hosts(kb) -> set[str]:
    """Hosts the knowledge base documents: the post-Soviet states and every listed host."""
    from allegiance.analysis.regions import region as region_members

    return set(region_members("post-soviet")) | set(kb.military_presence_frame()["host"])


def sites(kb, poles, years) -> pd.DataFrame:
    """Sites of each pole in force on each year's reference day, consented or not.

    Columns ``state, pole, year, id, site, kind, weight, consent, citation``.
    """
    cols = ["id", "sender", "host", "site", "kind", "first_day", "last_day", "consent",
            "citation"]  # fmt: skip
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
    t["consent"] = t["consent"].astype(bool)
    return t[["state", "pole", "year", "id", "site", "kind", "weight", "consent", "citation"]]


def us_troops(store) -> pd.DataFrame:
    """US active-duty personnel per host and year (mean of the year's reports) and its score.

    Columns ``state, year, troops, n_reports, reports, score``.
    """
    t = store.us_troops()
    if t.empty:
        return pd.DataFrame(columns=["state", "year", "troops", "n_reports", "reports", "score"])
    t["troops_active_duty"] = t["troops_active_duty"].astype(float)
    t["report"] = t["report"].fillna("no report named")
    g = t.groupby(["host", "year"])
    out = pd.DataFrame({
        "troops": g["troops_active_duty"].mean(),
        "n_reports": g.size(),
        "reports": g["report"].agg(lambda r: ", ".join(dict.fromkeys(r))),
    }).reset_index().rename(columns={"host": "state"})  # fmt: skip
    out["year"] = out["year"].astype(int)
    out["score"] = us_score(out["troops"])
    return out


def us_score(troops) -> np.ndarray:
    """The documented transformation of US personnel into a score in [0, 1] (no I/O)."""
    x = np.asarray(troops, dtype=float)
    with np.errstate(divide="ignore"):
        s = np.log10(np.maximum(x, 1.0) / US_FLOOR) / np.log10(US_CAP / US_FLOOR)
    return np.clip(s, 0.0, 1.0)


def _kb_scores(kb, want: pd.DataFrame) -> pd.DataFrame:
    want = want[want["state"].isin(covered_hosts(kb))]
    if want.empty:
        return want.iloc[0:0]
    t = sites(kb, sorted(set(want["pole"])), sorted(set(want["year"])))
    keys = ["state", "pole", "year"]
    t = t.sort_values([*keys, "weight", "id"], ascending=[True, True, True, False, True])
    ok, coerced = t[t["consent"]], t[~t["consent"]]
    agg = noisy_or(ok["weight"], [ok[k] for k in keys]).rename("score")
    desc = (
        ok["site"]
        + " ("
        + ok["kind"].str.replace("_", " ")
        + ", w="
        + ok["weight"].round(2).astype(str)
        + ")"
    )
    inputs = desc.groupby([ok[k] for k in keys]).agg("; ".join).rename("inputs")
    cites = (
        ok.groupby(keys)["citation"]
        .agg(lambda c: SOURCE + ": " + " | ".join(dict.fromkeys(c)))
        .rename("sources")
    )
    left_out = coerced.groupby(keys)["site"].agg("; ".join).rename("not_consented")
    found = pd.concat([agg, inputs, cites], axis=1)
    frame = want.merge(found.reset_index(), on=keys, how="left")
    frame = frame.merge(left_out.reset_index(), on=keys, how="left")
    none = frame["score"].isna()
    frame.loc[none, "score"] = 0.0
    frame.loc[none, "inputs"] = "no consented site of the pole listed"
    frame.loc[none, "sources"] = SOURCE
    frame["coverage_note"] = np.where(
        none, "known absence (host covered by the knowledge base)", "knowledge base"
    )
    out = frame["not_consented"].notna()
    frame.loc[out, "inputs"] = (
        frame.loc[out, "inputs"]
        + "; not counted, without the host's consent (coercion): "
        + frame.loc[out, "not_consented"]
    )
    return frame.drop(columns="not_consented")


def _us_scores(store, kb, want: pd.DataFrame) -> pd.DataFrame:
    troops = us_troops(store)
    frame = want.merge(troops, on=["state", "year"], how="inner")
    if frame.empty:
        return frame
    listed = sites(kb, ["USA"], sorted(set(frame["year"])))
    named = listed.groupby(["state", "year"])["site"].agg("; ".join).rename("kb_sites")
    frame = frame.merge(named.reset_index(), on=["state", "year"], how="left")
    frame["inputs"] = [
        f"{t:,.0f} US active-duty personnel (mean of {n} report{'s' * (n > 1)}: {r})"
        + (f"; knowledge base lists {k} (the same troops, not added)" if isinstance(k, str) else "")
        for t, n, r, k in zip(frame["troops"], frame["n_reports"], frame["reports"],
                              frame["kb_sites"], strict=True)
    ]  # fmt: skip
    frame["coverage_note"] = np.where(
        frame["troops"] <= US_FLOOR,
        f"troopdata; {US_FLOOR} or fewer scores 0",
        f"troopdata; log scale from {US_FLOOR} (0) to {US_CAP:,} (1)",
    )
    frame["sources"] = US_SOURCE
    frame["troops_active_duty"] = frame["troops"]
    return frame


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """The pole's consented military footprint on each state's soil, per year."""
    kb = _kb(kb)
    want = grid(states, poles, years)
    parts = [_kb_scores(kb, want[want["pole"] != "USA"]), _us_scores(store, kb,
                                                                     want[want["pole"] == "USA"])]  # fmt: skip
    parts = [p for p in parts if len(p)]
    if not parts:
        return finish(pd.DataFrame())
    frame = pd.concat(parts, ignore_index=True)
    keep = ["state", "pole", "year", "score", "coverage_note", "inputs", "sources"]
    if "troops_active_duty" in frame:
        keep.append("troops_active_duty")
    return finish(frame[keep])
