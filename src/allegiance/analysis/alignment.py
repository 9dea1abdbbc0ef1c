"""Alignment from votes: agreement of two states, of a state with the poles, cohesion of a
bloc, and the state x state matrix, as tidy DataFrames keyed by ``year`` (or ``session``).

This layer selects roll calls and votes from the store and hands arrays to the pure
measures in :mod:`allegiance.measures`. Defaults (stated in ``--help`` and
docs/measures.md): measure ``voeten``; periods by calendar ``year``; every kind of roll
call (whole resolutions, amendments and paragraph votes, as in Voeten's published
scores); unanimous roll calls kept; values resting on fewer than 10 roll calls flagged
``sparse``. The closest pole of :func:`alignment` is named on :data:`CLOSEST_MEASURE`
(chance-corrected), the measure of the index's votes channel, whatever measure the table
shows. Every frame carries the UN attribution in ``attrs["attribution"]`` and the
sources of the roll calls it used in ``attrs["sources"]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from allegiance.analysis.poles import POLES, membership_mask, org_spells, pole_votes
from allegiance.analysis.regions import region as region_members
from allegiance.analysis.sourcing import UN_ATTRIBUTION, with_sources
from allegiance.dates import parse_year, window
from allegiance.errors import BadInputError, NoDataError
from allegiance.measures.agreement import (
    MIN_N,
    agreement_matrix,
    agreement_with,
    dyad_agreement,
    get_measure,
)
from allegiance.measures.cohesion import cohesion as cohesion_measure
from allegiance.measures.mds import agreement_map
from allegiance.poles import is_pole, pole
from allegiance.states import require_state, resolve_states
from allegiance.vote import CAST, Vote

__all__ = [
    "CLOSEST_MEASURE",
    "POLES",
    "Selection",
    "agreement",
    "alignment",
    "cohesion",
    "matrix",
    "matrix_map",
]

#: The measure on which :func:`alignment` names the closest pole by default, and the one
#: the index's votes channel uses: Cohen's kappa (Häge 2011). Raw agreement is high with
#: every pole at once (a state voting with the majority agrees 0.8-0.95 with Russia,
#: China and the EU), so its maximum names a pole by a few hundredths; kappa discounts
#: what two states share by chance.
CLOSEST_MEASURE = "kappa"


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
            raise BadInputError(f"by must be 'year' or 'session', not {self.by!r}")
        window(self.since, self.until)  # a bad date or an empty window fails here

    def describe(self) -> str:
        parts = [f"{self.since or 'first'}..{self.until or 'last'}"]
        if self.issue:
            parts.append(f"issue {self.issue}")
        if self.important:
            parts.append("important votes")
        if self.resolutions_only:
            parts.append("whole resolutions")
        return ", ".join(parts)


def select(store, selection: Selection) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """The roll calls, their vote array (roll calls x states) and the state order.

    Raises
    ------
    NoDataError
        When no roll call matches the selection.
    """
    rc = store.roll_calls(
        since=selection.since,
        until=selection.until,
        issue=selection.issue,
        kind="resolution" if selection.resolutions_only else None,
        important=True if selection.important else None,
    )
    if rc.empty:
        raise NoDataError(
            f"no roll calls in the store for {selection.describe()}; "
            f"the store covers {'..'.join(map(str, store.vote_years()))}"
        )
    votes, states = store.vote_array(rc["id"].to_numpy())
    if selection.drop_unanimous:
        cast = np.isin(votes, CAST)
        first = np.where(cast, votes, 0).max(axis=1)
        unanimous = ~(cast & (votes != first[:, None])).any(axis=1)
        rc, votes = rc[~unanimous].reset_index(drop=True), votes[~unanimous]
    return rc, votes, states


def _periods(rc: pd.DataFrame, by: str) -> np.ndarray:
    return rc["year" if by == "year" else "session"].to_numpy(dtype=np.int64)


def _side(code: str, on=None) -> str:
    """A pole code as it is, or a state's ISO3 code (names accepted, read on ``on``); a
    name that resolves to a pole's code is that pole ("Russia" is ``RUS``, as ``"RUS"``)."""
    if is_pole(code):
        return pole(code).code
    iso3 = require_state(code, on=on)
    return pole(iso3).code if is_pole(iso3) else iso3


def _end(sel: Selection):
    """The day names are read on: the end of the window asked for (None: today)."""
    return window(sel.since, sel.until)[1]


def _finish(frame: pd.DataFrame, rc: pd.DataFrame, **attrs) -> pd.DataFrame:
    frame = with_sources(frame, sorted(set(rc["source"])))
    frame.attrs["attribution"] = UN_ATTRIBUTION
    frame.attrs.update(attrs)
    return frame


def agreement(
    store,
    state: str,
    partner: str,
    measure: str = "voeten",
    min_n: int = MIN_N,
    kb=None,
    **selection,
) -> pd.DataFrame:
    """Agreement of ``state`` and ``partner`` per year (or session).

    Parameters
    ----------
    store : Store
    state, partner : str
        ISO3 codes or names of states, or poles (``RUS``, ``EU``, ...).
    measure : str
        ``voeten``, ``coincidence``, ``kappa``, ``pi`` or ``s`` (docs/measures.md).
    min_n : int
        Values resting on fewer roll calls are flagged ``sparse``.
    kb : KnowledgeBase, optional
        For the EU's members (default: the package's knowledge base).
    **selection
        ``since``, ``until``, ``issue``, ``important``, ``resolutions_only``,
        ``drop_unanimous``, ``by`` (``"year"`` or ``"session"``); see :class:`Selection`.

    Returns
    -------
    pandas.DataFrame
        Columns ``state, partner, year`` (or ``session``), ``agreement, n, sparse``;
        ``n`` is the number of roll calls both cast a vote on. Periods in which either
        cast no vote are left out.

    Examples
    --------
    >>> al.agreement(store, "ARM", "RUS", measure="kappa", since=2014)  # doctest: +SKIP
    """
    get_measure(measure)
    sel = Selection(**selection)
    state, partner = _side(state, _end(sel)), _side(partner, _end(sel))
    rc, votes, states = select(store, sel)
    va, vb = (pole_votes(code, rc, votes, states, kb) for code in (state, partner))
    out = dyad_agreement(va, vb, _periods(rc, sel.by), measure, min_n=min_n)
    out = out[out["n"] > 0].rename(columns={"period": sel.by, "value": "agreement"})
    if out.empty:
        raise NoDataError(f"{state} and {partner} never both voted in {sel.describe()}")
    out.insert(0, "state", state)
    out.insert(1, "partner", partner)
    return _finish(out.reset_index(drop=True), rc, measure=measure)


def alignment(
    store,
    state: str,
    poles=POLES,
    measure: str = "voeten",
    min_n: int = MIN_N,
    kb=None,
    closest_by: str | None = CLOSEST_MEASURE,
    **selection,
) -> pd.DataFrame:
    """One state's agreement with each pole per year (or session), and the closest pole.

    Parameters
    ----------
    measure : str
        The measure of the pole columns (default ``voeten``).
    closest_by : str or None
        The measure on which ``closest`` is named (default :data:`CLOSEST_MEASURE`,
        kappa, as in the index's votes channel); None names it on ``measure``. A state is
        never its own closest pole.

    Returns
    -------
    pandas.DataFrame
        Columns ``state, year`` (or ``session``), one per pole, ``closest``, ``n`` (roll
        calls on which the state cast a vote), ``sparse``, and ``n_<POLE>`` per pole.
        Periods in which the state cast no vote (before it joined the UN) are left out.
        ``attrs["closest_by"]`` names the measure of ``closest``.
    """
    get_measure(measure)
    closest_by = measure if closest_by is None else closest_by
    get_measure(closest_by)
    sel = Selection(**selection)
    state = require_state(state, on=_end(sel))
    poles = [pole(p).code for p in poles]
    rc, votes, states = select(store, sel)
    period = _periods(rc, sel.by)
    own = pole_votes(state, rc, votes, states, kb)
    target = np.stack([pole_votes(p, rc, votes, states, kb) for p in poles], axis=1)
    value, n = agreement_with(target, period, own, measure)
    labels = np.unique(period)
    frame = pd.DataFrame(value, columns=poles)
    ranked = value if closest_by == measure else agreement_with(target, period, own, closest_by)[0]
    # A pole is not its own closest pole (Russia agrees with itself perfectly).
    ranked = np.where(np.array([p == state for p in poles])[None, :], np.nan, ranked)
    has_any = ~np.isnan(ranked).all(axis=1)
    closest = np.full(len(frame), None, dtype=object)
    closest[has_any] = np.array(poles)[np.nanargmax(ranked[has_any], axis=1)]
    frame.insert(0, "state", state)
    frame.insert(1, sel.by, labels)
    frame["closest"] = closest
    cast = np.isin(own, CAST)
    frame["n"] = pd.Series(cast).groupby(period).sum().reindex(labels).to_numpy()
    frame["sparse"] = frame["n"] < min_n
    for i, p in enumerate(poles):
        frame[f"n_{p}"] = n[:, i]
    frame = frame[frame["n"] > 0].reset_index(drop=True)
    if frame.empty:
        raise NoDataError(f"{state} cast no vote in {sel.describe()}")
    return _finish(frame, rc, measure=measure, closest_by=closest_by)


def cohesion(
    store, states: list[str] | None = None, region: str | None = None, kb=None, **selection
) -> pd.DataFrame:
    """How alike a bloc votes, per year (Hix-Noury-Roland agreement index).

    Give either ``states`` (ISO3 codes or names) or a ``region`` (``post-soviet``,
    ``central-asia``, ``eu``, ...; membership is taken on each vote's date).

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` (or ``session``), ``ai, unanimous_share, n, members``.
    """
    if (states is None) == (region is None):
        raise BadInputError("give either states or a region")
    sel = Selection(**selection)
    rc, votes, codes = select(store, sel)
    if region is not None:
        mask = _region_mask(region, rc["date"], codes, kb)
    else:
        wanted = resolve_states(states, on=_end(sel))
        missing = [s for s in wanted if s not in codes]
        if missing:
            raise NoDataError(f"{', '.join(missing)} cast no vote in the store")
        mask = np.zeros(votes.shape, dtype=bool)
        mask[:, [codes.index(s) for s in wanted]] = True
        # A state counts as a member of the bloc only while it held a seat.
        mask &= votes != int(Vote.NOT_MEMBER)
    group = np.where(mask, votes, 0)
    keep = mask.any(axis=0)
    period = _periods(rc, sel.by)
    frame = cohesion_measure(group[:, keep], period).rename(columns={"period": sel.by})
    members = pd.Series(mask.sum(axis=1)).groupby(period).max()
    frame["members"] = frame[sel.by].map(members).to_numpy()
    frame = frame[frame["members"] > 0].reset_index(drop=True)
    return _finish(frame, rc)


def _region_mask(region: str, dates: pd.Series, states: list[str], kb) -> np.ndarray:
    """Boolean (roll calls x states): was the state in ``region`` on each vote's date."""
    from allegiance import kb as kb_

    book = kb if kb is not None else kb_.default()
    if kb_.is_org(region, book):
        return membership_mask(org_spells(kb_.require_org(region, book), book), dates, states)
    days = pd.to_datetime(pd.Series(dates)).dt.date
    col = {s: i for i, s in enumerate(states)}
    per_day = {}
    for day in sorted(set(days)):
        row = np.zeros(len(states), dtype=bool)
        for code in region_members(region, day, kb):
            if code in col:
                row[col[code]] = True
        per_day[day] = row
    return np.stack([per_day[d] for d in days]) if len(days) else np.zeros((0, len(states)), bool)


def matrix(
    store,
    year,
    measure: str = "voeten",
    states: list[str] | None = None,
    region: str | None = None,
    kb=None,
    **selection,
) -> pd.DataFrame:
    """The state x state agreement matrix for one year (states that cast a vote).

    ``states`` or ``region`` (members on 1 July of the year) keep only those states.
    """
    year = parse_year(year)
    sel = Selection(since=year, until=year, **selection)
    rc, votes, codes = select(store, sel)
    result = agreement_matrix(votes, np.zeros(len(rc), dtype=np.int64), measure)
    value = result.value[0] if len(result.periods) else np.empty((0, 0))
    active = np.isin(votes, CAST).any(axis=0)
    if states is not None or region is not None:
        wanted = set(resolve_states(states, on=date(year, 7, 1))) if states else set()
        if region is not None:
            wanted |= set(region_members(region, date(year, 7, 1), kb))
        active &= np.isin(codes, sorted(wanted))
    labels = [s for s, a in zip(codes, active, strict=True) if a]
    if not labels:
        raise NoDataError(f"none of the states asked for cast a vote in {year}")
    out = pd.DataFrame(value[np.ix_(active, active)], index=labels, columns=labels)
    out.index.name = "state"
    return _finish(out, rc, n_roll_calls=len(rc), measure=measure, year=year)


def matrix_map(store, year, measure: str = "voeten", **kw) -> pd.DataFrame:
    """A 2-D map of the year's agreement matrix by classical multidimensional scaling.

    States with an undefined agreement with any other (too few shared votes) are left
    out of the map and listed in ``attrs['left_out']``.
    """
    m = matrix(store, year, measure, **kw)
    values = m.to_numpy()
    complete = ~np.isnan(values).any(axis=1)
    while not complete.all() and complete.any():
        sub = values[np.ix_(complete, complete)]
        worst = np.isnan(sub).sum(axis=1).argmax()
        if not np.isnan(sub).any():
            break
        complete[np.flatnonzero(complete)[worst]] = False
    kept = m.index[complete]
    if len(kept) < 3:
        raise NoDataError(
            f"a map needs at least 3 states that share enough votes in {year}; "
            f"{len(kept)} do ({', '.join(kept) or 'none'})"
        )
    out = agreement_map(values[np.ix_(complete, complete)], list(kept))
    out.attrs.update(m.attrs)
    out.attrs["left_out"] = list(m.index[~complete])
    return out
