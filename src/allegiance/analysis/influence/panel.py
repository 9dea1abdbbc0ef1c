"""The whole panel of the index in one frame, and how well the channels cover it.

:func:`index_panel` is the index of every state towards every pole in every year, with
each value's standing towards its pole (``in sphere``, ``outside``, ``contested``,
``insufficient data``), behind ``allegiance index``. :func:`channel_coverage` counts the
state-years each channel covers, observed or imputed, behind ``allegiance info
--channels``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from allegiance.analysis.influence.api import (
    SINGLE_STATE_POLES,
    _poles,
    _states,
    _years,
    channel_scores,
    index_span,
    influence,
    latest_full_year,
)
from allegiance.analysis.influence.index import ECONOMIC
from allegiance.analysis.sourcing import with_sources
from allegiance.poles import POLES

__all__ = ["PANEL_COLUMNS", "channel_coverage", "index_panel"]

#: Columns of :func:`index_panel` before the ``contrib_<channel>`` columns.
PANEL_COLUMNS = ["state", "pole", "year", "index", "lower", "upper", "n_channels", "channels",
                 "imputed", "status"]  # fmt: skip
#: Status of a row whose state is itself a single-state pole (Russia towards the EU, ...).
IS_A_POLE = "is a pole"


def index_panel(store, poles=None, states=None, since=None, until=None,
                weights: Mapping | str | Path | None = None, threshold: float | None = None,
                margin: float | None = None, kb=None) -> pd.DataFrame:  # fmt: skip
    """The influence index of every state towards every pole per year, with its standing.

    Parameters
    ----------
    poles, states : str or list of str, optional
        Keep only these poles and states (default: the five poles; every UN member of each
        year). The standing is decided against all five poles whatever is kept.
    since, until : int, optional
        Default: 1992 to the latest full year (the latest year with both votes and SIPRI
        arms data; later years of votes may be asked for with ``until``). A year outside
        1992 to the latest year with votes is a :class:`~allegiance.errors.NoDataError`.
    weights : dict or path, optional
        Channel weights (docs/influence.md); ``threshold`` and ``margin`` of the sphere
        rule (default 0.40 and 0.05).

    Returns
    -------
    DataFrame
        ``state, pole, year, index, lower, upper, n_channels, channels, imputed, status``
        and one ``contrib_<channel>`` column per channel, sorted by state, pole and year.
        ``status`` is ``in sphere`` (the state is in this pole's sphere), ``outside`` (in
        another's, or in none), ``contested``, ``insufficient data``, or ``is a pole`` for
        the rows of
        Russia, the United States, China and Türkiye themselves.

    Examples
    --------
    >>> panel = al.index_panel(store, poles="RUS", states="ARM,KAZ", since=2014)  # doctest: +SKIP
    """
    from allegiance.analysis.influence import sphere as sphere_

    states_ = _states(states)
    keep_poles = _poles(poles)
    years = _years(store, since, latest_full_year(store) if until is None else until)
    idx = influence(store, states_, list(POLES), years=years, weights=weights, kb=kb)
    members = idx[~idx["state"].isin(SINGLE_STATE_POLES)]
    lead = sphere_.leaders(
        members,
        sphere_.THRESHOLD if threshold is None else float(threshold),
        sphere_.MARGIN if margin is None else float(margin),
    )
    out = idx.merge(lead[["state", "year", "assignment", "sphere"]], on=["state", "year"],
                    how="left")  # fmt: skip
    status = np.where(out["sphere"].eq(out["pole"]), sphere_.IN,
                      np.where(out["sphere"].notna() | out["assignment"].eq(sphere_.NO_SPHERE),
                               sphere_.OUTSIDE, out["assignment"]))  # fmt: skip
    out["status"] = np.where(out["state"].isin(SINGLE_STATE_POLES), IS_A_POLE, status)
    out = out[out["pole"].isin(keep_poles)]
    contrib = [c for c in out.columns if c.startswith("contrib_")]
    out = out[PANEL_COLUMNS + contrib].reset_index(drop=True)
    out.attrs["weights"] = idx.attrs.get("weights")
    return with_sources(out, [], keep=[idx])


def channel_coverage(store, states=None, region: str | None = "post-soviet", since=1995,
                     until=None, kb=None) -> pd.DataFrame:  # fmt: skip
    """Share of state-years each channel covers, observed or imputed.

    A state-year counts for a channel when the channel scores the state for at least one
    pole that year.

    Parameters
    ----------
    states, region : optional
        The states (default: the post-Soviet states; ``region=None`` and ``states=None``:
        every UN member of each year).
    since, until : int
        Default: 1995 to the latest full year (votes and SIPRI arms data).

    Returns
    -------
    DataFrame
        ``channel, state_years, observed, imputed, missing, share_covered`` (shares of the
        state-years), and a last row ``any economic`` (trade, energy or arms, observed or
        imputed), whose ``share_covered`` is the coverage target's figure.
    """
    if states is None and region is not None:
        from allegiance.analysis.regions import region as region_members

        states = region_members(region, kb=kb)
    states_ = _states(states)
    lo = index_span(store)[0] if since is None else int(since)
    hi = latest_full_year(store) if until is None else int(until)
    scores = channel_scores(store, states_, None, since=lo, until=hi, kb=kb)
    cells = scores.groupby(["state", "year", "channel"])["imputed"].min().reset_index()
    if states_ is None:
        from allegiance.analysis.influence.common import un_members

        grid = un_members(range(lo, hi + 1))
    else:
        grid = pd.DataFrame([(s, y) for s in states_ for y in range(lo, hi + 1)],
                            columns=["state", "year"])  # fmt: skip
    total = len(grid)
    rows = []
    for channel, got in cells.groupby("channel"):
        got = got.merge(grid, on=["state", "year"])
        observed = int((~got["imputed"].astype(bool)).sum())
        imputed = int(got["imputed"].astype(bool).sum())
        rows.append((channel, total, observed / total, imputed / total,
                     1 - (observed + imputed) / total, (observed + imputed) / total))  # fmt: skip
    econ = cells[cells["channel"].isin(ECONOMIC)].merge(grid, on=["state", "year"])
    econ = econ.groupby(["state", "year"])["imputed"].min()
    observed = int((~econ.astype(bool)).sum())
    imputed = int(econ.astype(bool).sum())
    rows.append(("any economic", total, observed / total, imputed / total,
                 1 - (observed + imputed) / total, (observed + imputed) / total))  # fmt: skip
    out = pd.DataFrame(rows, columns=["channel", "state_years", "observed", "imputed", "missing",
                                      "share_covered"])  # fmt: skip
    out.attrs.update(since=lo, until=hi, region=region if states is not None else None)
    return with_sources(out, [], keep=[scores])
