"""The channels of influence, the influence index, spheres, drift, and the trade and arms
shares behind them, as plain functions of a store (and a knowledge base).
See docs/influence.md.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from allegiance.analysis.sourcing import with_sources
from allegiance.dates import parse_year
from allegiance.errors import BadInputError, NoDataError
from allegiance.poles import POLES, pole
from allegiance.states import require_state

__all__ = [
    "arms_share",
    "channel_scores",
    "energy_share",
    "drift",
    "influence",
    "influence_change",
    "latest_full_year",
    "profile",
    "sphere",
    "trade_share",
]

#: Poles that are one state; they are left out of the states a sphere lists.
SINGLE_STATE_POLES = tuple(p for p in POLES if p != "EU")

#: First year of the index by default: the first full year after the USSR's end.
FIRST_YEAR = 1992

#: Channel scores computed in this process, per store (a store is immutable once built).
_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _codes(value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _states(value) -> list[str] | None:
    codes = _codes(value)
    return None if codes is None else [require_state(c) for c in codes]


def _poles(value) -> list[str]:
    codes = _codes(value)
    return list(POLES) if codes is None else [pole(c).code for c in codes]


def _years(store, since=None, until=None, years=None) -> list[int]:
    if years is not None:
        ys = [int(years)] if isinstance(years, int) else sorted({int(y) for y in years})
        if not ys:
            raise BadInputError("no years asked for")
        return ys
    first = FIRST_YEAR if since is None else parse_year(since, "since")
    last = store.vote_years()[1] if until is None else parse_year(until, "until")
    if first > last:
        raise BadInputError(f"since ({first}) is after until ({last})")
    return list(range(first, last + 1))


def channel_scores(store, states=None, poles=None, since=None, until=None, channels=None,
                   years=None, kb=None) -> pd.DataFrame:  # fmt: skip
    """Every channel's score per (state, pole, year), in one long frame.

    Parameters
    ----------
    store : Store
    states, poles : str or list of str, optional
        ISO3 codes or names (default: the UN members of each year) and poles (default
        ``RUS, USA, CHN, TUR, EU``).
    since, until : int, optional
        Default: 1992 to the latest year with votes. ``years`` (a list) may be given
        instead.
    channels : list of str, optional
        Default: every channel in ``allegiance.analysis.influence.channels``.
    kb : KnowledgeBase, optional
        Default: the package's knowledge base.

    Returns
    -------
    DataFrame
        ``state, pole, year, channel, score, coverage_note, inputs, sources`` and, where a
        channel gives them, ``score_lower, score_upper``. Missing scores are absent rows.
    """
    from allegiance.analysis.influence.channels import registry, votes

    found = registry()
    names = _codes(channels)
    names = [n.lower() for n in names] if names else list(found)
    unknown = [n for n in names if n not in found]
    if unknown:
        raise BadInputError(
            f"unknown channel(s) {', '.join(unknown)}; channels: {', '.join(found)}"
        )
    states_ = _states(states)
    poles_ = _poles(poles)
    years_ = _years(store, since, until, years)
    key = (tuple(states_ or ()), tuple(poles_), tuple(years_), tuple(names), votes.N_BOOTSTRAP,
           id(kb))  # fmt: skip
    memo = _MEMO.setdefault(store, {})
    if key not in memo:
        parts, declared = [], {}
        for name in names:
            frame = found[name].score(store, states_, poles_, years_, kb=kb)
            if frame.attrs.get("sources"):  # the channel says which sources its rows used
                declared[name] = list(frame.attrs["sources"])
            parts.append(frame.assign(channel=name))
        parts = [p for p in parts if len(p)]
        front = ["state", "pole", "year", "channel", "score"]
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=front)
        out = out[front + [c for c in out.columns if c not in front]]
        out = out.sort_values(["state", "pole", "year", "channel"], kind="stable")
        memo[key] = (out.reset_index(drop=True), declared)
    out, declared = memo[key]
    out = out.copy()
    out.attrs = {}
    return with_sources(out, _channel_sources(store, out, poles_, years_, declared))


def _channel_sources(store, scores: pd.DataFrame, poles, years, declared=None) -> list[str]:
    """The source ids behind the scores actually given: a channel without a score here
    cites nothing, and the trade channel cites the sources its rows came from."""
    from allegiance.analysis.influence.channels import registry

    ids: list[str] = []
    for name, rows in scores.groupby("channel", sort=True):
        if name in (declared or {}):
            ids += declared[name]
        elif name == "votes":
            ids += sorted(set(store.roll_calls(since=min(years), until=max(years))["source"]))
        elif "source" in rows.columns and rows["source"].notna().any():
            ids += sorted(set(rows["source"].dropna().astype(str)))
        else:
            ids += list(getattr(registry()[name].module, "SOURCE_IDS", ()))
    if "EU" in poles:  # the EU's members on each date come from the knowledge base
        ids.append("kb")
    return list(dict.fromkeys(ids))


def influence(store, states=None, poles=None, since=None, until=None,
              weights: Mapping | str | Path | None = None, channels=None,
              ideal_bootstrap: int = 0, years=None, kb=None) -> pd.DataFrame:  # fmt: skip
    """The influence index per (state, pole, year), with coverage, band and contributions.

    Parameters
    ----------
    states, poles : str or list of str, optional
        Default: every UN member of each year; the five poles.
    since, until : int, optional
        Default: 1992 to the latest year with votes (or ``years``, a list).
    weights : dict or path, optional
        Channel weights replacing the defaults of ``allegiance.analysis.influence.weights``.
    ideal_bootstrap : int
        Bootstrap replicates of the ideal points for the band.

    Returns
    -------
    DataFrame
        ``state, pole, year, index, lower, upper, n_channels, channels, missing,
        reweighted, thin, contrib_<channel>...``. ``channels`` lists the channels the value
        rests on; ``missing`` those reweighted away; ``thin`` flags fewer than two.
    """
    from allegiance.analysis.influence import index as index_
    from allegiance.analysis.influence import weights as weights_
    from allegiance.analysis.influence.channels import names, votes

    before = votes.N_BOOTSTRAP
    votes.N_BOOTSTRAP = int(ideal_bootstrap)
    try:
        scores = channel_scores(store, states, poles, since, until, channels, years, kb)
    finally:
        votes.N_BOOTSTRAP = before
    asked = [c.lower() for c in _codes(channels)] if channels is not None else names()
    w = weights_.resolve(asked, weights)
    out = index_.combine(scores, w)
    out.attrs["weights"] = w
    return with_sources(out, [], keep=[scores])


def influence_change(store, state: str, pole_: str, since, until, **kw) -> pd.DataFrame:
    """Each channel's part in the change of a pole's index in ``state`` between two years."""
    from allegiance.analysis.influence.index import decompose_change

    state, code = require_state(state), pole(pole_).code
    first, last = parse_year(since, "since"), parse_year(until, "until")
    idx = influence(store, state, code, years=[first, last], **kw)
    out = decompose_change(idx, state, code, first, last)
    return with_sources(out, [], keep=[idx])


def latest_full_year(store) -> int:
    """The latest year both long series (votes, SIPRI arms) cover."""
    arms = store.arms_years()
    votes = store.vote_years()[1]
    return min(votes, arms[1]) if arms else votes


def sphere(store, pole_: str, year=None, threshold: float | None = None,
           margin: float | None = None, min_channels: int | None = None, states=None,
           region: str | None = None, kb=None, **kw) -> pd.DataFrame:  # fmt: skip
    """Every UN member's standing towards a pole in ``year``: in sphere, contested, outside.

    See :mod:`allegiance.analysis.influence.sphere` for the rule and its default threshold (0.40),
    margin (0.05) and minimum number of channels (2). ``year`` defaults to the latest year
    covered by both votes and arms transfers. ``states`` or ``region`` keep only those
    states.
    """
    from allegiance.analysis.influence import sphere as sphere_

    code = pole(pole_).code
    year = parse_year(year) if year is not None else latest_full_year(store)
    first, last = store.vote_years()
    if not first <= year <= last:
        raise NoDataError(f"no votes in {year}; the store covers {first}..{last}")
    wanted = _states(states)
    if region is not None:
        from allegiance.analysis.regions import region as region_members

        wanted = sorted(set(wanted or []) | set(region_members(region, f"{year}-07-01", kb)))
    idx = influence(store, wanted, None, years=[year], kb=kb, **kw)
    # The poles' own states are the centres, not members, of spheres.
    idx = idx[~idx["state"].isin(SINGLE_STATE_POLES)]
    out = sphere_.membership(
        idx, code, year,
        threshold=sphere_.THRESHOLD if threshold is None else threshold,
        margin=sphere_.MARGIN if margin is None else margin,
        min_channels=sphere_.MIN_CHANNELS if min_channels is None else min_channels,
    )  # fmt: skip
    out.insert(1, "year", year)
    return with_sources(out, [], keep=[idx])


def drift(store, state: str, since=None, until=None, poles=None, alpha: float | None = None,
          **kw) -> pd.DataFrame:  # fmt: skip
    """Is ``state`` moving towards or away from each pole? One row per pole.

    The trend is the OLS slope of (pole's index - best alternative's index) over the
    years ``since``..``until`` (default: the ten years to the latest full year), with its
    t-test and classification, and ``slope_<channel>`` columns that add up to ``slope``.
    """
    from allegiance.analysis.influence import drift as drift_

    state = require_state(state)
    until = parse_year(until, "until") if until is not None else latest_full_year(store)
    since = parse_year(since, "since") if since is not None else until - 10
    if since >= until:
        raise BadInputError(f"since ({since}) must be before until ({until})")
    poles_ = _poles(poles)
    idx = influence(store, state, list(POLES), since, until, **kw)
    if idx.empty:
        raise NoDataError(f"no influence index for {state} in {since}..{until}")
    summary, by_channel = drift_.drift(idx, poles_, drift_.ALPHA if alpha is None else alpha)
    wide = by_channel.pivot(index="pole", columns="channel", values="slope").add_prefix("slope_")
    out = summary.merge(wide.reset_index(), on="pole", how="left")
    out.insert(0, "state", state)
    return with_sources(out, [], keep=[idx])


def trade_share(store, state: str, partner: str, since=None, until=None,
                flow: str = "total", kb=None) -> pd.DataFrame:  # fmt: skip
    """``partner``'s share of ``state``'s goods trade per year and source.

    ``partner`` is a state or a pole (``EU``: the members on 1 July of the year). ``flow``
    is ``total`` (exports + imports), ``exports`` or ``imports`` (for Comtrade, the
    partners' reported exports: mirror imports). Every source covering a year is listed;
    ``preferred`` marks the one the trade channel uses.

    Returns
    -------
    DataFrame
        ``state, partner, year, source, flow_used, value_usd, total_usd, share,
        preferred``.
    """
    from allegiance.analysis.influence.channels import trade

    state = require_state(state)
    partner = pole(partner).code if partner.upper() == "EU" else require_state(partner)
    first = None if since is None else parse_year(since, "since")
    last = None if until is None else parse_year(until, "until")
    flows = trade.annual_flows(store, None, None)
    flows = flows[flows["reporter"] == state]
    if first is not None:
        flows = flows[flows["year"] >= first]
    if last is not None:
        flows = flows[flows["year"] <= last]
    shares = trade.pole_shares(flows, [partner], flow, kb)
    best = trade.preferred(shares)[["state", "pole", "year", "source"]].assign(preferred=True)
    out = shares.merge(best, on=["state", "pole", "year", "source"], how="left")
    out["preferred"] = out["preferred"].fillna(False).astype(bool)
    out = out.rename(columns={"pole": "partner", "value": "value_usd", "total": "total_usd"})
    out = out[["state", "partner", "year", "source", "flow_used", "value_usd", "total_usd",
               "share", "preferred"]].reset_index(drop=True)  # fmt: skip
    ids = list(dict.fromkeys(out["source"])) + (["kb"] if partner == "EU" else [])
    return with_sources(out, ids)


def energy_share(store, state: str, partner: str, since=None, until=None,
                 flow: str = "total", kb=None) -> pd.DataFrame:  # fmt: skip
    """``partner``'s share of ``state``'s energy trade per year (the energy channel).

    The share is of the state's gas and oil imports by volume (combined in Mtoe); for a net
    exporter (Russia, Kazakhstan, Azerbaijan, Turkmenistan, Norway) of its exports
    (docs/influence.md). ``flow`` is accepted for symmetry with :func:`trade_share`; only
    ``total`` is meaningful, since the basis is fixed by the state.

    Returns
    -------
    DataFrame
        ``state, partner, year, share, lower, upper, basis``; no row for a year no source
        covers.
    """
    from allegiance.analysis.influence.channels import energy

    if flow not in ("total", "imports", "exports"):
        raise BadInputError(f"flow must be total, imports or exports, not {flow!r}")
    state = require_state(state)
    partner = pole(partner).code if partner.upper() == "EU" else require_state(partner)
    first = 1992 if since is None else parse_year(since, "since")
    last = store.vote_years()[1] if until is None else parse_year(until, "until")
    columns = ["state", "partner", "year", "share", "lower", "upper", "basis"]
    if "energy_flows" not in store.tables:
        return with_sources(pd.DataFrame(columns=columns), [])
    got = energy.score(store, [state], [partner], list(range(first, last + 1)), kb=kb)
    out = got.rename(columns={"pole": "partner", "score": "share", "score_lower": "lower",
                              "score_upper": "upper"})  # fmt: skip
    out["basis"] = "exports" if state in energy.EXPORTERS else "imports"
    out = out.reindex(columns=columns).reset_index(drop=True)
    return with_sources(
        out, list(got.attrs.get("sources", [])) + (["kb"] if partner == "EU" else [])
    )


def arms_share(store, state: str, partner: str, since, until, kb=None) -> pd.DataFrame:
    """``partner``'s share of the arms (SIPRI TIV) delivered to ``state``, since..until.

    Returns one row: ``state, partner, since, until, tiv, total_tiv, share, source``
    (TIV in millions; ``share`` NaN when nothing was delivered).
    """
    from allegiance.analysis.influence.channels import arms

    state = require_state(state)
    partner = pole(partner).code if partner.upper() == "EU" else require_state(partner)
    first, last = parse_year(since, "since"), parse_year(until, "until")
    if first > last:
        raise BadInputError(f"since ({first}) is after until ({last})")
    got = arms.window_shares(arms.transfers(store), [state], [partner], [last],
                             window=last - first + 1, kb=kb)  # fmt: skip
    tiv = float(got["value"].iloc[0]) if len(got) else 0.0
    total = float(got["total"].iloc[0]) if len(got) else 0.0
    out = pd.DataFrame([{
        "state": state, "partner": partner, "since": first, "until": last, "tiv": tiv,
        "total_tiv": total, "share": tiv / total if total > 0 else float("nan"),
        "source": "sipri",
    }])  # fmt: skip
    return with_sources(out, ["sipri"] + (["kb"] if partner == "EU" else []))


def profile(store, state: str, year=None, kb=None, **kw) -> dict[str, pd.DataFrame]:
    """Everything behind one state's index in one year.

    Returns ``{"index": ..., "channels": ...}``: the index per pole with its band and
    coverage, and every channel's score for every pole with its inputs and sources.
    """
    state = require_state(state)
    year = parse_year(year) if year is not None else latest_full_year(store)
    first, last = store.vote_years()
    if not first <= year <= last:
        raise NoDataError(f"no data for {year}; the store's votes cover {first}..{last}")
    idx = influence(store, state, None, years=[year], kb=kb, **kw)
    scores = channel_scores(store, state, None, years=[year], kb=kb)
    return {"index": idx, "channels": scores}
