"""Events: the pole's share of a state's cooperative interactions in event data.

From the event pipeline's dyad-years (GDELT, ICEWS, POLECAT; docs/events.md): the
cooperative events (verbal and material, CAMEO quad classes 1-2 or their PLOVER
equivalents) between the state and the pole, in either direction, over all the state's
cooperative events with other states. Conflict is a separate signal, reported beside the
score (``conflict_share``: the pole's share of the state's conflictual events), not mixed
into it. Counts are unweighted and duplicates (same dyad, day, code and report) are left
out.

The weight is 0 by default (weights.py): event counts follow news attention, which is
unevenly spread across states and years, and the only real data at hand is a GDELT extract
of events located in Georgia, 2011-2013. A dataset whose events all took place in one state
is scored for that state only, and the note says that its interactions abroad are missing.
A state-year with fewer than :data:`MIN_EVENTS` cooperative events, or fewer than
:data:`MIN_DAYS` days of data, gets no score.
"""

from __future__ import annotations

import pandas as pd

from allegiance.analysis.influence.common import finish, grid, pole_members

LABEL = "Events: the pole's share of the state's cooperative events (GDELT/ICEWS/POLECAT)"
DEFAULT_WEIGHT = 0.0
#: Source ids (registry.toml) the channel may read.
SOURCE_IDS: tuple[str, ...] = ("gdelt", "icews", "polecat")
SOURCES = {
    "gdelt1": "GDELT 1.0 event data (the GDELT Project)",
    "gdelt2": "GDELT 2.0 event data (the GDELT Project)",
    "icews": "ICEWS coded event data (Boschee et al., Harvard Dataverse doi:10.7910/DVN/28075)",
    "polecat": "POLECAT event data (PLOVER-coded, Harvard Dataverse doi:10.7910/DVN/AJGVIT)",
}
#: Fewest cooperative state-to-state events of a state in a year for a score.
MIN_EVENTS = 50
#: Fewest days of data in a year for a score (a sample of a few days says little).
MIN_DAYS = 90
#: Share of a dataset's events in one place above which it is an extract about that place.
LOCATED = 0.95
SCOPE_COLUMNS = ["dataset", "year", "months", "days", "located_in", "events"]
QUAD_COLUMNS = ["verbal_cooperation", "material_cooperation", "verbal_conflict",
                "material_conflict"]  # fmt: skip


def _has_events(store) -> bool:
    return "event_dyad_years" in store.tables


def scope(store) -> pd.DataFrame:
    """Per dataset and year: the months and days with data and, for an extract about one
    place, that state (``located_in``; null for data covering the world)."""
    if not _has_events(store):
        return pd.DataFrame(columns=SCOPE_COLUMNS)
    c = store.event_counts(by="coverage")
    if c.empty:
        return pd.DataFrame(columns=SCOPE_COLUMNS)
    by_place = c.groupby(["dataset", "year", "action_state"], dropna=False)["events"].sum()
    total = c.groupby(["dataset", "year"])["events"].sum()
    top = by_place.reset_index().sort_values("events").groupby(["dataset", "year"]).tail(1)
    top = top.set_index(["dataset", "year"])
    share = top["events"] / total
    months = c.groupby(["dataset", "year"])["month"].nunique()
    days = c.groupby(["dataset", "year", "month"])["days"].max().groupby(["dataset", "year"]).sum()
    located = top["action_state"].where(share >= LOCATED)
    return pd.DataFrame(
        {"months": months, "days": days, "located_in": located, "events": total}
    ).reset_index()


def _undirected(years: pd.DataFrame) -> pd.DataFrame:
    cols = ["dataset", "year", "cooperation", "conflict", "events", *QUAD_COLUMNS]
    out = years[[*cols, "state", "partner"]].rename(columns={"partner": "other"})
    back = years[[*cols, "partner", "state"]].rename(columns={"partner": "state",
                                                              "state": "other"})  # fmt: skip
    return pd.concat([out, back], ignore_index=True)


def shares(store, states, poles, years, kb=None) -> pd.DataFrame:
    """Each pole's share of each state's cooperative and conflictual events, per dataset.

    Returns ``dataset, state, pole, year, cooperation, cooperation_total, conflict,
    conflict_total, cooperation_share, conflict_share``.
    """
    columns = ["dataset", "state", "pole", "year", "cooperation", "cooperation_total",
               "conflict", "conflict_total", "cooperation_share", "conflict_share"]  # fmt: skip
    if not _has_events(store):
        return pd.DataFrame(columns=columns)
    y = store.event_counts(by="year")
    y = y[y["year"].isin([int(v) for v in years])]
    if y.empty:
        return pd.DataFrame(columns=columns)
    both = _undirected(y)
    if states is not None:
        both = both[both["state"].isin([s.upper() for s in states])]
    totals = both.groupby(["dataset", "state", "year"])[["cooperation", "conflict"]].sum()
    rows = []
    for pole in poles:
        pole = pole.upper()
        for year in sorted(both["year"].unique()):
            members = pole_members(pole, int(year), kb)
            part = both[(both["year"] == year) & both["other"].isin(members)]
            part = part[part["state"] != part["other"]]
            got = part.groupby(["dataset", "state", "year"])[["cooperation", "conflict"]].sum()
            t = totals.xs(year, level="year", drop_level=False)
            got = got.reindex(t.index, fill_value=0)
            frame = pd.DataFrame(
                {
                    "cooperation": got["cooperation"],
                    "cooperation_total": t["cooperation"],
                    "conflict": got["conflict"],
                    "conflict_total": t["conflict"],
                }
            ).reset_index()
            # A state is not scored against a pole it is; an EU member against the others.
            frame = frame[~((pole != "EU") & frame["state"].isin(members))]
            rows.append(frame.assign(pole=pole))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)
    out["cooperation_share"] = out["cooperation"] / out["cooperation_total"].where(
        out["cooperation_total"] > 0
    )
    out["conflict_share"] = out["conflict"] / out["conflict_total"].where(out["conflict_total"] > 0)
    return out[columns]


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """The pole's share of each state's cooperative events; conflict share beside it."""
    want = grid(states, poles, years)
    if want.empty:
        return finish(pd.DataFrame())
    s = shares(store, list(want["state"].unique()), poles, sorted(set(want["year"])), kb)
    if s.empty:
        return finish(pd.DataFrame())
    where = scope(store)
    s = s.merge(where, on=["dataset", "year"], how="left")
    s = s[s["located_in"].isna() | (s["located_in"] == s["state"])]
    s = s[(s["cooperation_total"] >= MIN_EVENTS) & (s["days"] >= MIN_DAYS)]
    # One dataset per state-year: the one with the most cooperative events (datasets code
    # the same news, so they are never added together).
    best = s.groupby(["state", "year"])["cooperation_total"].transform("max")
    s = s[s["cooperation_total"] == best].drop_duplicates(["state", "pole", "year"])
    frame = want.merge(s, on=["state", "pole", "year"], how="inner")
    if frame.empty:
        return finish(pd.DataFrame())
    frame["score"] = frame["cooperation_share"]
    frame["coverage_note"] = [
        f"{d}: {int(n)} days of data in {int(m)} month(s)"
        + (f"; events located in {loc} only, interactions abroad missing" if pd.notna(loc)
           else "")
        for d, n, m, loc in zip(frame["dataset"], frame["days"], frame["months"],
                                frame["located_in"], strict=True)
    ]  # fmt: skip
    frame["inputs"] = [
        f"{c} of {ct} cooperative events with {p}; conflict {k} of {kt}"
        + (f" ({ks:.0%})" if pd.notna(ks) else "")
        for c, ct, p, k, kt, ks in zip(frame["cooperation"], frame["cooperation_total"],
                                      frame["pole"], frame["conflict"], frame["conflict_total"],
                                      frame["conflict_share"], strict=True)
    ]  # fmt: skip
    frame["sources"] = frame["dataset"].map(SOURCES).fillna(frame["dataset"])
    return finish(frame[["state", "pole", "year", "score", "coverage_note", "inputs", "sources",
                         "conflict_share", "cooperation", "cooperation_total", "conflict",
                         "conflict_total", "dataset"]])  # fmt: skip


def monthly(store, state: str, pole: str, since=None, until=None, kb=None) -> pd.DataFrame:
    """Events between a state and a pole per month, both directions together.

    Returns ``dataset, month`` (``YYYY-MM``), ``days`` (days of the month with any event
    in the dataset: its coverage), ``events, cooperation, conflict``, the four
    quad-class counts, ``pole_to_state`` and ``state_to_pole`` (events in each direction),
    ``goldstein_mean`` and ``tone_mean``. Months that the dataset covers but with no event
    between the two are 0; months the dataset does not cover are absent (not 0).
    """
    columns = ["dataset", "month", "days", "events", "cooperation", "conflict", *QUAD_COLUMNS,
               "pole_to_state", "state_to_pole", "goldstein_mean", "tone_mean"]  # fmt: skip
    if not _has_events(store):
        return pd.DataFrame(columns=columns)
    state, pole = state.upper(), pole.upper()
    m = store.event_counts(by="month", since=since, until=until)
    m = m[(m["state"] == state) | (m["partner"] == state)]
    member = pd.Series(
        [m.loc[i, "partner"] if m.loc[i, "state"] == state else m.loc[i, "state"] for i in m.index],
        index=m.index, dtype="object",
    )  # fmt: skip
    in_pole = pd.Series(
        [o in pole_members(pole, int(y), kb) and o != state for o, y in zip(member, m["year"],
                                                                         strict=True)],
        index=m.index, dtype=bool,
    )  # fmt: skip
    m = m[in_pole]
    m = m.assign(
        pole_to_state=(m["partner"] == state) * m["events"],
        state_to_pole=(m["state"] == state) * m["events"],
    )
    sums = ["events", "cooperation", "conflict", *QUAD_COLUMNS, "pole_to_state",
            "state_to_pole", "goldstein_sum", "goldstein_n", "tone_sum", "tone_n"]  # fmt: skip
    got = m.groupby(["dataset", "year", "month"])[sums].sum()
    cov = store.event_counts(by="coverage", since=since, until=until)
    days = cov.groupby(["dataset", "year", "month"])["days"].max()
    got = got.reindex(days.index, fill_value=0).join(days).reset_index()
    if since is not None:
        got = got[got["year"] >= int(since)]
    if until is not None:
        got = got[got["year"] <= int(until)]
    got["goldstein_mean"] = got["goldstein_sum"] / got["goldstein_n"].where(got["goldstein_n"] > 0)
    got["tone_mean"] = got["tone_sum"] / got["tone_n"].where(got["tone_n"] > 0)
    got["month"] = [f"{int(y):04d}-{int(mo):02d}" for y, mo in zip(got["year"], got["month"],
                                                                  strict=True)]  # fmt: skip
    out = got[columns].sort_values(["dataset", "month"]).reset_index(drop=True)
    out.attrs["sources"] = sorted({"cameo", *(d[:5] if d.startswith("gdelt") else d
                                              for d in out["dataset"])})  # fmt: skip
    return out
