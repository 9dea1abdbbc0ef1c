"""Arms: the pole's share of the state's imports of major conventional arms.

SIPRI trend-indicator values (TIV) delivered to the state over a five-year window ending
in the year (:data:`WINDOW`), because deliveries are lumpy: one frigate makes a year. The
total counts every supplier, non-state and unknown ones included. A window with no
deliveries at all gives no score (a share of nothing is undefined, not 0), and so does a
window with less than :data:`MIN_TIV` delivered: a share of a few armoured vehicles says
little about dependence. SIPRI's data run 1995-2024; a window needs at least
:data:`MIN_YEARS_COVERED` of its years inside that range, and the note says when it is
cut short.
"""

from __future__ import annotations

import pandas as pd

from allegiance.analysis.influence.common import finish, grid, pole_members

LABEL = "Arms: the pole's share of the state's arms imports (SIPRI TIV, 5-year window)"
#: Source ids (registry.toml) the channel reads; the UN vote sources for `votes` are
#: those of the roll calls used.
SOURCE_IDS: tuple[str, ...] = ("sipri",)
SOURCE = "SIPRI Arms Transfers Database (TIV of deliveries; data generated 12 Feb 2026)"

#: Years in the window ending in the scored year.
WINDOW = 5
#: Fewest years of a window that must fall inside SIPRI's coverage.
MIN_YEARS_COVERED = 3
#: Least TIV (millions) delivered over the window for a share: below it the channel is
#: missing. 30 TIV million is about the 30th percentile of all recipients' five-year
#: totals 1999-2024; it drops shares resting on a few vehicles or helicopters, such as
#: Georgia's 2020-2024 window (20 TIV million, 14 of them from Türkiye).
MIN_TIV = 30.0


def transfers(store) -> pd.DataFrame:
    """``supplier, recipient, year, tiv`` of every delivery row in the store."""
    return store.arms_transfers()


def coverage(store) -> tuple[int, int]:
    return store.arms_years() or (0, -1)


def window_shares(
    rows: pd.DataFrame, recipients, poles, ends, window: int = WINDOW, kb=None
) -> pd.DataFrame:
    """The pole's share of TIV received over ``[end - window + 1, end]`` (no I/O).

    The pole's members are taken in each delivery year (a state that joins the EU counts
    for the EU from then on). Returns ``state, pole, year, value, total, share, first, last``.
    """
    rows = rows[rows["recipient"].isin(list(recipients))]
    years = sorted({int(y) for y in rows["year"].dropna()})
    members = pd.DataFrame(
        [(p.upper(), y, m) for p in poles for y in years for m in pole_members(p, y, kb)],
        columns=["pole", "year", "supplier"],
    )
    labelled = rows.merge(members, on=["year", "supplier"])
    out = []
    for end in sorted({int(e) for e in ends}):
        first = end - window + 1
        total = rows[rows["year"].between(first, end)].groupby("recipient")["tiv"].sum()
        by_pole = (
            labelled[labelled["year"].between(first, end)]
            .groupby(["pole", "recipient"])["tiv"]
            .sum()
        )
        for pole in poles:
            pole = pole.upper()
            got = (
                by_pole.xs(pole, level="pole")
                if pole in by_pole.index.get_level_values(0)
                else None
            )
            value = got.reindex(total.index, fill_value=0.0) if got is not None else total * 0.0
            out.append(pd.DataFrame({"state": total.index, "pole": pole, "year": end,
                                     "value": value.to_numpy(), "total": total.to_numpy(),
                                     "first": first, "last": end}))  # fmt: skip
    if not out:
        return pd.DataFrame(
            columns=["state", "pole", "year", "value", "total", "share", "first", "last"]
        )
    frame = pd.concat(out, ignore_index=True)
    frame["share"] = frame["value"] / frame["total"].where(frame["total"] > 0)
    return frame


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """The pole's share of each state's arms imports over the five years to each year."""
    want = grid(states, poles, years)
    lo, hi = coverage(store)
    ends = [
        y
        for y in sorted(set(want["year"]))
        if min(y, hi) - max(y - WINDOW + 1, lo) + 1 >= MIN_YEARS_COVERED
    ]
    if not ends:
        return finish(pd.DataFrame())
    shares = window_shares(transfers(store), want["state"].unique(), poles, ends, kb=kb)
    frame = want.merge(shares, on=["state", "pole", "year"], how="inner").dropna(subset=["share"])
    frame = frame[frame["total"] >= MIN_TIV]
    frame["score"] = frame["share"]
    span = [
        f"{max(f, lo)}-{min(t, hi)}" for f, t in zip(frame["first"], frame["last"], strict=True)
    ]
    frame["coverage_note"] = [
        f"window {s}" + (" (cut short by SIPRI's coverage)" if (f < lo or t > hi) else "")
        for s, f, t in zip(span, frame["first"], frame["last"], strict=True)
    ]
    frame["inputs"] = [f"{p} {v:,.0f} of {t:,.0f} TIV million received {s}"
                       for p, v, t, s in zip(frame["pole"], frame["value"], frame["total"], span, strict=True)]  # fmt: skip
    frame["sources"] = SOURCE
    frame = frame.rename(columns={"value": "tiv", "total": "total_tiv"})
    return finish(frame[["state", "pole", "year", "score", "coverage_note", "inputs", "sources",
                         "tiv", "total_tiv"]])  # fmt: skip
