"""Trade: the pole's share of the state's total goods trade (exports + imports).

Sources, in order of precedence where they overlap (:data:`PRECEDENCE`):

1. ``armstat`` — Armenia's official statistics by partner and month, 2007-2024; imports
   by country of origin. The reporter's own statistics, both flows, most recent.
2. ``cow_trade`` — Correlates of War dyadic trade v4.0, to 2014; both flows as the
   reporter records them. Missing flows are skipped, never read as 0.
3. ``comtrade`` — the 2021 UN Comtrade export cross-section. A state's total is its own
   reported exports plus its partners' reported exports to it (mirror imports, FOB).
   For a state that does not report (Kazakhstan, Turkmenistan, Iran, Algeria and 54
   others in 2021) only the mirror imports exist: a share of imports alone is another
   quantity than a share of total trade (Russia has 38% of Kazakhstan's imports but about
   a fifth of its trade), so the channel does not use it; :func:`pole_shares` still gives
   it with ``flow="imports"``.

A state-year whose total trade in the source is under :data:`MIN_TOTAL_USD` has no share
(the channel is missing there): such a total is a microstate's handful of shipments or a
source that recorded only some of the state's partners.

The share is computed over every partner row, territories and unknown partners included;
the EU is the sum over its members on 1 July of the year. Where two sources give a share
for the same state, pole and year, they should agree within :data:`TOLERANCE`; if they do
not, the note says by how much and the source of higher precedence is kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance.analysis.influence.common import finish, fmt_usd, grid, pole_members

LABEL = "Trade: the pole's share of the state's total goods trade"

#: Which source wins where several cover a state-year: a reporter's own official
#: statistics, then COW's reporter-based dyads, then the Comtrade cross-section.
PRECEDENCE = ("armstat", "cow_trade", "comtrade")

#: Largest difference (0.06 = 6 share points) expected between two sources' shares of the
#: same pole in the same state-year on the same basis (the reporter's own exports and
#: imports). Armstat and COW agree within 5.2 points over 2007-2014 (largest: Russia,
#: 2007); Armstat and Comtrade exports within 1.1 points in 2021. A Comtrade total built
#: on mirror imports (partners' FOB exports) is another basis: its gap is reported, not
#: held to the tolerance. Larger gaps are flagged in the note.
TOLERANCE = 0.06

#: Least total trade (exports + imports, USD) of a state-year for a share; below it the
#: channel is missing. Under $100 million a year are the smallest island states (Tuvalu,
#: Nauru, Palau, Kiribati, Tonga, São Tomé) and years in which COW recorded only a few of a
#: state's partners (Armenia 1992-1993).
MIN_TOTAL_USD = 100e6

#: Source ids (registry.toml) the channel reads; the UN vote sources for `votes` are
#: those of the roll calls used.
SOURCE_IDS: tuple[str, ...] = ("armstat", "cow_trade", "comtrade")
SOURCE_NAMES = {
    "armstat": "Armstat (Statistical Committee of the Republic of Armenia), monthly trade by partner",
    "cow_trade": "Correlates of War Dyadic Trade v4.0 (Barbieri & Keshk 2016)",
    "comtrade": "UN Comtrade 2021 exports by partner (mirror imports for the state's imports)",
}
FLOWS = ("total", "exports", "imports")


def annual_flows(store, states=None, years=None) -> pd.DataFrame:
    """Annual flows by source, reporter and partner, in USD.

    Columns ``source, reporter, year, partner, exports, imports``. For ``comtrade`` the
    imports are mirror imports (the partner's reported exports to the reporter).
    """
    since, until = (None, None) if years is None else (int(min(years)), int(max(years)))
    out = store.annual_trade_flows(since, until).rename(
        columns={"exports_usd": "exports", "imports_usd": "imports"}
    )
    if states:
        out = out[out["reporter"].isin(list(states))]
    return out.sort_values(["source", "reporter", "year", "partner"], kind="stable").reset_index(
        drop=True
    )


def pole_shares(flows: pd.DataFrame, poles, flow: str = "total", kb=None) -> pd.DataFrame:
    """The pole's share of each reporter's trade, per source and year (no I/O).

    Parameters
    ----------
    flows : DataFrame
        ``source, reporter, year, partner, exports, imports`` (as :func:`annual_flows`).
    poles : list of str
        Poles or single states (a partner code that is not a pole is itself).
    flow : {"total", "exports", "imports"}

    Returns
    -------
    DataFrame
        ``source, state, pole, year, value, total, share, flow_used, n_partners,
        n_missing``. ``flow_used`` says which flows entered: a source that has only one
        flow for a state (Comtrade mirror imports for a non-reporter) uses that one.
    """
    if flow not in FLOWS:
        raise ValueError(f"flow must be one of {', '.join(FLOWS)}, not {flow!r}")
    f = flows.copy()
    keys = ["source", "reporter", "year"]
    has = f[["exports", "imports"]].notna().groupby([f[k] for k in keys]).transform("max")
    use_ex = has["exports"] & (flow in ("total", "exports"))
    use_im = has["imports"] & (flow in ("total", "imports"))
    f["value"] = np.where(use_ex, f["exports"].fillna(0), 0.0) + np.where(
        use_im, f["imports"].fillna(0), 0.0
    )
    f["missing"] = (use_ex & f["exports"].isna()) | (use_im & f["imports"].isna())
    f["flow_used"] = np.select(
        [use_ex & use_im, use_ex, use_im], ["exports+imports", "exports", "imports"], default=""
    )
    if f["source"].eq("comtrade").any():
        mirror = f["source"].eq("comtrade") & f["flow_used"].str.contains("imports")
        f.loc[mirror, "flow_used"] = f.loc[mirror, "flow_used"].str.replace(
            "imports", "mirror imports"
        )
    f = f[f["flow_used"] != ""]
    cols = ["source", "state", "pole", "year", "value", "total", "share", "flow_used", "n_partners",
            "n_missing"]  # fmt: skip
    if f.empty:
        return pd.DataFrame(columns=cols)
    totals = f.groupby(keys).agg(total=("value", "sum"), n_partners=("partner", "size"),
                                 n_missing=("missing", "sum"), flow_used=("flow_used", "first"))  # fmt: skip
    years = totals.index.get_level_values("year").unique()
    members = pd.DataFrame(
        [(p.upper(), int(y), m) for p in poles for y in years for m in pole_members(p, int(y), kb)],
        columns=["pole", "year", "partner"],
    )
    in_pole = f.merge(members, on=["year", "partner"])
    values = in_pole.groupby(["pole", *keys])["value"].sum()
    parts = []
    for pole in poles:
        pole = pole.upper()
        value = (
            values.xs(pole, level="pole") if pole in values.index.get_level_values("pole") else None
        )
        value = value.reindex(totals.index, fill_value=0.0) if value is not None else 0.0
        parts.append(totals.assign(value=value, pole=pole).reset_index())
    if not parts:
        return pd.DataFrame(columns=["source", "state", "pole", "year", "value", "total", "share",
                                     "flow_used", "n_partners", "n_missing"])  # fmt: skip
    out = pd.concat(parts, ignore_index=True).rename(columns={"reporter": "state"})
    out["share"] = out["value"] / out["total"].where(out["total"] > 0)
    out = out[[not (s in pole_members(p, int(y), kb) and p != "EU")
               for s, p, y in zip(out["state"], out["pole"], out["year"], strict=True)]]  # fmt: skip
    out["year"] = out["year"].astype(int)
    cols = [
        "source",
        "state",
        "pole",
        "year",
        "value",
        "total",
        "share",
        "flow_used",
        "n_partners",
        "n_missing",
    ]
    return (
        out[cols]
        .sort_values(["state", "pole", "year", "source"], kind="stable")
        .reset_index(drop=True)
    )


def preferred(shares: pd.DataFrame) -> pd.DataFrame:
    """One row per (state, pole, year): the source of highest precedence, with the gap to
    the others (``max_gap``) and the sources that were overruled (no I/O)."""
    s = shares.dropna(subset=["share"]).copy()
    s["rank"] = (
        s["source"].map({src: i for i, src in enumerate(PRECEDENCE)}).fillna(len(PRECEDENCE))
    )
    s = s.sort_values(["state", "pole", "year", "rank"], kind="stable")
    keys = ["state", "pole", "year"]
    best = s.drop_duplicates(keys, keep="first")
    spread = s.groupby(keys).agg(max_share=("share", "max"), min_share=("share", "min"),
                                 n_sources=("source", "size"))  # fmt: skip
    rest = s[s.duplicated(keys, keep="first")]
    others = rest.groupby(keys)["source"].agg(",".join).rename("others")
    best = best.merge(spread.reset_index(), on=keys).merge(
        others.reset_index(), on=keys, how="left"
    )
    best["others"] = best["others"].fillna("")
    mirror = (
        rest[rest["flow_used"].str.contains("mirror")].groupby(keys).size().rename("others_mirror")
    )
    best = best.merge(mirror.reset_index(), on=keys, how="left")
    best["others_mirror"] = best["others_mirror"].fillna(0) > 0
    best["max_gap"] = (best["max_share"] - best["min_share"]).where(best["n_sources"] > 1)
    return best.drop(columns=["rank", "max_share", "min_share"])


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """The pole's share of each state's trade, per year, from the best source."""
    want = grid(states, poles, years)
    flows = annual_flows(store, None, years)
    flows = flows[flows["reporter"].isin(want["state"].unique())]
    shares = pole_shares(flows, poles, "total", kb)
    # A share of total trade needs both flows; one flow alone is another quantity.
    both = shares["flow_used"].str.contains("exports") & shares["flow_used"].str.contains("imports")
    best = preferred(shares[both & (shares["total"] >= MIN_TOTAL_USD)])
    frame = want.merge(best, on=["state", "pole", "year"], how="inner")
    notes = []
    for src, fl, miss, n, gap, others, mir in zip(frame["source"], frame["flow_used"], frame["n_missing"],
                                             frame["n_partners"], frame["max_gap"], frame["others"], frame["others_mirror"], strict=True):  # fmt: skip
        note = f"{src}: {fl}"
        if miss:
            note += f"; {miss} of {n} partner flows missing (skipped)"
        if others:
            note += f"; also in {others}"
            if pd.notna(gap) and mir:
                note += f" (differs by {gap:.1%}; mirror-based, another basis; {src} kept)"
            elif pd.notna(gap) and gap > TOLERANCE:
                note += f" (differs by {gap:.1%}, over the {TOLERANCE:.0%} tolerance; {src} kept)"
            elif pd.notna(gap):
                note += f" (within {gap:.1%})"
        notes.append(note)
    frame["coverage_note"] = notes
    frame["score"] = frame["share"]
    frame["inputs"] = [
        f"{p} {fmt_usd(v)} of {fmt_usd(t)} ({fl}, {y})"
        for p, v, t, fl, y in zip(frame["pole"], frame["value"], frame["total"], frame["flow_used"], frame["year"], strict=True)
    ]  # fmt: skip
    frame["sources"] = frame["source"].map(SOURCE_NAMES)
    return finish(frame.rename(columns={"value": "value_usd", "total": "total_usd"}))
