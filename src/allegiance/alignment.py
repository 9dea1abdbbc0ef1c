"""Alignment from votes: agreement of two states, of a state with the poles, cohesion of a
bloc, and the state x state matrix, as tidy DataFrames.

This layer selects roll calls and votes from the store and hands arrays to the pure
measures in :mod:`allegiance.measures`. Defaults (stated in ``--help`` and
docs/measures.md): measure ``voeten``; periods by calendar ``year``; every kind of roll
call (whole resolutions, amendments and paragraph votes, as in Voeten's published
scores); unanimous roll calls kept; values resting on fewer than 10 roll calls flagged
``sparse``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from allegiance.measures.agreement import (
    MIN_N,
    agreement_matrix,
    agreement_with,
    dyad_agreement,
    get_measure,
    majority_position,
)
from allegiance.measures.cohesion import cohesion as cohesion_measure
from allegiance.measures.mds import agreement_map
from allegiance.vote import CAST

#: The poles, in the order the CLI prints them.
POLES = ("RUS", "USA", "CHN", "TUR", "EU")

#: A pole's seat over time: Russia continues the USSR's seat (24 December 1991); the
#: People's Republic holds China's seat from 25 October 1971 (A/RES/2758 (XXVI)); before
#: that China as a pole has no votes. Each entry: (first day, state code).
POLE_SEATS = {
    "RUS": ((date(1945, 10, 24), "SUN"), (date(1991, 12, 24), "RUS")),
    "CHN": ((date(1971, 10, 25), "CHN"),),
}
POLE_NAMES = {
    "RUS": "Russia (USSR before 1992)",
    "USA": "United States",
    "CHN": "China (PRC, from 1971)",
    "TUR": "Türkiye",
    "EU": "European Union (majority of the members on the vote's date)",
}


@dataclass(frozen=True)
class Selection:
    """Which roll calls a measure rests on."""

    since: int | str | date | None = None
    until: int | str | date | None = None
    issue: str | None = None
    important: bool = False
    resolutions_only: bool = False
    drop_unanimous: bool = False
    by: str = "year"

    def __post_init__(self) -> None:
        if self.by not in ("year", "session"):
            raise ValueError(f"by must be 'year' or 'session', not {self.by!r}")


def select(store, selection: Selection) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """The roll calls, their vote array (roll calls x states) and the state order."""
    rc = store.roll_calls(
        since=selection.since,
        until=selection.until,
        issue=selection.issue,
        kind="resolution" if selection.resolutions_only else None,
        important=True if selection.important else None,
    )
    votes, states = store.vote_array(rc["id"].to_numpy())
    if selection.drop_unanimous and len(rc):
        cast = np.isin(votes, CAST)
        first = np.where(cast, votes, 0).max(axis=1)
        unanimous = ~(cast & (votes != first[:, None])).any(axis=1)
        rc, votes = rc[~unanimous].reset_index(drop=True), votes[~unanimous]
    return rc, votes, states


def _periods(rc: pd.DataFrame, by: str) -> np.ndarray:
    return rc["year" if by == "year" else "session"].to_numpy(dtype=np.int64)


def _column(states: list[str], code: str) -> int:
    try:
        return states.index(code)
    except ValueError:
        raise ValueError(
            f"{code!r} never voted in the store; give an ISO3 code such as ARM"
        ) from None


def agreement(store, a: str, b: str, measure: str = "voeten", min_n: int = MIN_N, **selection):
    """Agreement of states ``a`` and ``b`` per period: columns ``period, value, n, sparse``.

    ``a`` or ``b`` may also be a pole (``EU``). See :class:`Selection` for the filters.
    """
    get_measure(measure)
    sel = Selection(**selection)
    rc, votes, states = select(store, sel)
    va, vb = (pole_votes(p, rc, votes, states) for p in (a.upper(), b.upper()))
    return dyad_agreement(va, vb, _periods(rc, sel.by), measure, min_n=min_n)


def pole_votes(pole: str, rc: pd.DataFrame, votes: np.ndarray, states: list[str]) -> np.ndarray:
    """The vote vector of a state or pole on each selected roll call."""
    if pole == "EU":
        mask = membership_mask("eu", rc["date"], states)
        return majority_position(np.where(mask, votes, 0))
    if pole in POLE_SEATS:
        days = pd.to_datetime(rc["date"]).dt.date.to_numpy()
        out = np.zeros(len(rc), dtype=np.int8)
        for start, code in POLE_SEATS[pole]:
            if code in states:
                on = days >= start
                out[on] = votes[on, states.index(code)]
        return out
    return votes[:, _column(states, pole)]


def alignment(
    store, state: str, poles=POLES, measure: str = "voeten", min_n: int = MIN_N, **selection
):
    """One state's agreement with each pole per period, and the closest pole.

    Columns: ``period``, one per pole, ``closest``, ``n`` (roll calls on which the state
    cast a vote), ``sparse``. Per-pole counts are in ``n_<POLE>``.
    """
    get_measure(measure)
    sel = Selection(**selection)
    rc, votes, states = select(store, sel)
    period = _periods(rc, sel.by)
    own = pole_votes(state.upper(), rc, votes, states)
    target = np.stack([pole_votes(p.upper(), rc, votes, states) for p in poles], axis=1)
    value, n = agreement_with(target, period, own, measure)
    labels = np.unique(period)
    frame = pd.DataFrame(value, columns=[p.upper() for p in poles])
    values = frame.to_numpy()
    has_any = ~np.isnan(values).all(axis=1)
    closest = np.full(len(frame), None, dtype=object)
    closest[has_any] = np.array([p.upper() for p in poles])[np.nanargmax(values[has_any], axis=1)]
    frame.insert(0, "period", labels)
    frame["closest"] = closest
    cast = np.isin(own, CAST)
    frame["n"] = pd.Series(cast).groupby(period).sum().reindex(labels).to_numpy()
    frame["sparse"] = frame["n"] < min_n
    for i, p in enumerate(poles):
        frame[f"n_{p.upper()}"] = n[:, i]
    return frame


def cohesion(store, states: list[str] | None = None, region: str | None = None, **selection):
    """How alike a bloc votes, per period (Hix-Noury-Roland agreement index).

    Columns: ``period, ai, unanimous_share, n, members``. Give an explicit list of ISO3
    codes or a region (``post-soviet``, ``central-asia``, ``eu``, ...; membership is taken
    on each vote's date).
    """
    if (states is None) == (region is None):
        raise ValueError("give either states or a region")
    sel = Selection(**selection)
    rc, votes, codes = select(store, sel)
    if region is not None:
        mask = membership_mask(region, rc["date"], codes)
    else:
        cols = [_column(codes, s.upper()) for s in states]
        mask = np.zeros(votes.shape, dtype=bool)
        mask[:, cols] = True
    group = np.where(mask, votes, 0)
    keep = mask.any(axis=0)
    frame = cohesion_measure(group[:, keep], _periods(rc, sel.by))
    members = pd.Series(mask.sum(axis=1)).groupby(_periods(rc, sel.by)).max()
    frame["members"] = frame["period"].map(members).to_numpy()
    return frame


def membership_mask(region: str, dates: pd.Series, states: list[str]) -> np.ndarray:
    """Boolean (roll calls x states): was the state in ``region`` on each vote's date."""
    spells = _org_spells(region)
    if spells is not None:
        day = pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[D]")
        col = {s: i for i, s in enumerate(states)}
        mask = np.zeros((len(day), len(states)), dtype=bool)
        for code, first, last in spells[["state", "first_day", "last_day"]].itertuples(index=False):
            if code in col:
                first = np.datetime64(first, "D")
                last = np.datetime64("9999-12-31") if pd.isna(last) else np.datetime64(last, "D")
                mask[:, col[code]] |= (day >= first) & (day <= last)
        return mask
    days = pd.to_datetime(pd.Series(dates)).dt.date
    unique = sorted(set(days))
    col = {s: i for i, s in enumerate(states)}
    per_day = {}
    for day in unique:
        row = np.zeros(len(states), dtype=bool)
        for code in _region_on(region, day):
            if code in col:
                row[col[code]] = True
        per_day[day] = row
    return np.stack([per_day[d] for d in days]) if len(days) else np.zeros((0, len(states)), bool)


def _org_spells(region: str) -> pd.DataFrame | None:
    """Membership spells when ``region`` names an organization of the knowledge base."""
    from allegiance import knowledge
    from allegiance.kb.query import member_spells

    kb = knowledge.default()
    org = next((o.id for o in kb.organizations if o.id.lower() == region.strip().lower()), None)
    return None if org is None else member_spells(kb, org)


@lru_cache(maxsize=65536)
def _region_on(region: str, day: date) -> tuple[str, ...]:
    from allegiance import knowledge  # registers the knowledge base's organizations

    knowledge.ensure_regions()
    from allegiance.regions import region_members

    return tuple(region_members(region, day))


def matrix(store, year: int, measure: str = "voeten", **selection) -> pd.DataFrame:
    """The state x state agreement matrix for one year (states that cast a vote)."""
    sel = Selection(since=year, until=year, **selection)
    rc, votes, states = select(store, sel)
    result = agreement_matrix(votes, np.zeros(len(rc), dtype=np.int64), measure)
    value = result.value[0] if len(result.periods) else np.empty((0, 0))
    active = np.isin(votes, CAST).any(axis=0)
    labels = [s for s, a in zip(states, active, strict=True) if a]
    out = pd.DataFrame(value[np.ix_(active, active)], index=labels, columns=labels)
    out.index.name = "state"
    out.attrs["n_roll_calls"] = len(rc)
    return out


def matrix_map(store, year: int, measure: str = "voeten", **selection) -> pd.DataFrame:
    """A 2-D map of the year's agreement matrix by classical multidimensional scaling.

    States with an undefined agreement with any other (too few shared votes) are left
    out of the map and listed in ``attrs['left_out']``.
    """
    m = matrix(store, year, measure, **selection)
    values = m.to_numpy()
    complete = ~np.isnan(values).any(axis=1)
    while not complete.all() and complete.any():
        sub = values[np.ix_(complete, complete)]
        worst = np.isnan(sub).sum(axis=1).argmax()
        if not np.isnan(sub).any():
            break
        complete[np.flatnonzero(complete)[worst]] = False
    kept = m.index[complete]
    out = agreement_map(values[np.ix_(complete, complete)], list(kept))
    out.attrs["left_out"] = list(m.index[~complete])
    return out
