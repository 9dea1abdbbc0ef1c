"""Whole-panel views for dashboards: the influence index of every state, pole and year,
computed once, and the per-state, per-pole and per-year slices a page shows.

The influence index of one state does not depend on which other states are asked for, so
the slices of one whole panel are the values :func:`~allegiance.analysis.influence.api.influence`,
:func:`~allegiance.analysis.influence.api.sphere` give for that state, pole or year (the
tests check it on the real store). Drift is not sliced from the panel: it compares years
on the channels present in both, so it is :func:`allegiance.drift` itself. Computing the panel once (about 15 s on two cores) and
slicing it (milliseconds) is what lets a web page answer quickly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from allegiance.analysis.influence.api import (
    SINGLE_STATE_POLES,
    channel_scores,
    influence,
    latest_full_year,
)
from allegiance.analysis.sourcing import with_sources
from allegiance.dates import parse_year
from allegiance.errors import NoDataError
from allegiance.poles import pole
from allegiance.states import require_state
from allegiance.vote import Vote

__all__ = [
    "IndexPanel",
    "whole_panel",
    "sphere_map",
    "state_channels",
    "state_index",
    "votes_by_region",
]

#: How many channels the map's tooltip lists per state.
TOP_CHANNELS = 3


@dataclass
class IndexPanel:
    """The influence index and the channel scores of every UN member, pole and year.

    Attributes
    ----------
    index : DataFrame
        :func:`allegiance.influence` for every state, pole and year (1992 to the latest
        year with votes).
    scores : DataFrame
        :func:`allegiance.channel_scores` over the same grid.
    first, last : int
        The years covered; ``latest_full`` is the latest year both votes and arms cover
        (the default year of a sphere).
    """

    index: pd.DataFrame
    scores: pd.DataFrame
    first: int
    last: int
    latest_full: int
    _index_by_state: dict = field(default_factory=dict, repr=False)
    _scores_by_state: dict = field(default_factory=dict, repr=False)
    _years: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index_by_state = {k: g for k, g in self.index.groupby("state", sort=False)}
        self._scores_by_state = {k: g for k, g in self.scores.groupby("state", sort=False)}
        # The poles' own states are the centres, not members, of spheres (as in sphere()).
        members = self.index[~self.index["state"].isin(SINGLE_STATE_POLES)]
        self._years = {int(k): g for k, g in members.groupby("year", sort=False)}

    @property
    def states(self) -> list[str]:
        return sorted(self._index_by_state)


def whole_panel(store, kb=None) -> IndexPanel:
    """The whole panel: the index and channel scores of every UN member, pole and year.

    Parameters
    ----------
    store : Store
    kb : KnowledgeBase, optional
        Default: the package's knowledge base.

    Examples
    --------
    >>> panel = whole_panel(store)                         # doctest: +SKIP
    >>> sphere_map(panel, "RUS", 2022).head()              # doctest: +SKIP
    """
    scores = channel_scores(store, kb=kb)
    index = influence(store, kb=kb)
    years = sorted(int(y) for y in index["year"].unique())
    if not years:
        raise NoDataError("the store gives no influence index (no votes since 1992?)")
    return IndexPanel(index, scores, years[0], years[-1], latest_full_year(store))


def _year(panel: IndexPanel, year) -> int:
    year = panel.latest_full if year is None else parse_year(year)
    if not panel.first <= year <= panel.last:
        raise NoDataError(f"no influence index in {year}; it covers {panel.first}..{panel.last}")
    return year


def sphere_map(panel: IndexPanel, pole_: str, year=None) -> pd.DataFrame:
    """Every state's standing towards a pole in a year, with what the index rests on.

    The rows are those of :func:`allegiance.sphere` (same rule, same values) plus
    ``top_channels``: the channels that contribute most to the pole's index, as
    ``"channel share"`` items (the share of the index each contributes).

    Returns
    -------
    DataFrame
        ``state, year, status, pole_index, lower, upper, leader, leader_index, runner_up,
        lead, n_channels, channels, top_channels``. States with no index in the year are
        absent: a map shows them as ``insufficient data``.
    """
    from allegiance.analysis.influence import sphere as sphere_rule

    code = pole(pole_).code
    year = _year(panel, year)
    rows = panel._years.get(year, panel.index.iloc[:0])
    out = sphere_rule.membership(rows, code, year)
    out.insert(1, "year", year)
    mine = rows[rows["pole"] == code].set_index("state")
    contrib = [c for c in mine.columns if c.startswith("contrib_")]
    out["top_channels"] = [
        _top(mine.loc[s, contrib], mine.at[s, "index"]) if s in mine.index else ""
        for s in out["state"]
    ]
    return with_sources(out.reset_index(drop=True), [], keep=[panel.index])


def _top(contributions: pd.Series, index: float) -> str:
    ranked = contributions.dropna().astype(float).sort_values(ascending=False)
    ranked = ranked[ranked > 0].head(TOP_CHANNELS)
    if ranked.empty or not index:
        return ""
    return "; ".join(f"{k.removeprefix('contrib_')} {v / index:.0%}" for k, v in ranked.items())


def state_index(panel: IndexPanel, state: str, poles=None) -> pd.DataFrame:
    """One state's index per pole and year (the rows :func:`allegiance.influence` gives)."""
    code = require_state(state)
    rows = panel._index_by_state.get(code, panel.index.iloc[:0])
    if poles is not None:
        rows = rows[rows["pole"].isin([pole(p).code for p in poles])]
    return with_sources(rows.reset_index(drop=True), [], keep=[panel.index])


def state_channels(panel: IndexPanel, state: str, year=None) -> pd.DataFrame:
    """Every channel's score for every pole in one year, with its inputs and sources
    (the ``channels`` part of :func:`allegiance.profile`)."""
    code = require_state(state)
    year = _year(panel, year)
    rows = panel._scores_by_state.get(code, panel.scores.iloc[:0])
    rows = rows[rows["year"] == year].reset_index(drop=True)
    return with_sources(rows, [], keep=[panel.scores])


def votes_by_region(votes: pd.DataFrame, store) -> pd.DataFrame:
    """How each UN M49 region voted on one roll call.

    Parameters
    ----------
    votes : DataFrame
        :func:`allegiance.votes` of one roll call (``state, name, vote``).
    store : Store
        For the region of each state (the states table).

    Returns
    -------
    DataFrame
        ``region, yes, no, abstain, absent, members``, one row per region and a last row
        ``all`` whose counts are the counted tally of the roll call.
    """
    regions = store.states().set_index("iso3")["region"]
    labels = [v.label for v in (Vote.YES, Vote.NO, Vote.ABSTAIN, Vote.ABSENT)]
    frame = votes.assign(region=votes["state"].map(regions).fillna("(no region)"))
    counts = pd.crosstab(frame["region"], frame["vote"]).reindex(columns=labels, fill_value=0)
    counts["members"] = counts.sum(axis=1)
    total = counts.sum().to_frame().T.assign(region="all").set_index("region")
    out = pd.concat([counts, total]).rename_axis("region").reset_index()
    out.columns.name = None
    out[[*labels, "members"]] = out[[*labels, "members"]].astype(int)
    out.attrs.update({k: v for k, v in votes.attrs.items() if k != "sources"})
    return with_sources(out, [], keep=[votes])
