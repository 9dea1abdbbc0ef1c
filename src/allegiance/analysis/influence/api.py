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


def index_span(store) -> tuple[int, int]:
    """The years the index covers: 1992 (the first full year after the USSR's end) to the
    latest year with votes."""
    return FIRST_YEAR, int(store.vote_years()[1])


def _years(store, since=None, until=None, years=None) -> list[int]:
    first, last = index_span(store)
    if years is not None:
        ys = [int(years)] if isinstance(years, int) else sorted({int(y) for y in years})
        if not ys:
            raise BadInputError("no years asked for")
    else:
        lo = first if since is None else parse_year(since, "since")
        hi = last if until is None else parse_year(until, "until")
        if lo > hi:
            raise BadInputError(f"since ({lo}) is after until ({hi})")
        ys = list(range(lo, hi + 1))
    outside = [y for y in ys if not first <= y <= last]
    if outside:
        shown = ", ".join(map(str, outside[:3])) + (" ..." if len(outside) > 3 else "")
        raise NoDataError(
            f"no influence index for {shown}: the index covers {first}..{last} (from the first "
            "full year after the USSR's end to the latest year with UN votes in the store)"
        )
    return ys


def _score(store, states, poles, names, kb, years) -> pd.DataFrame:
    from allegiance.analysis.influence.channels import registry

    found = registry()
    parts = []
    for name in names:
        frame = found[name].score(store, states, poles, list(years), kb=kb)
        if frame.attrs.get("sources"):  # the channel names the sources its rows used
            frame = frame.assign(source_ids=",".join(frame.attrs["sources"]))
        parts.append(frame.assign(channel=name))
    parts = [p for p in parts if len(p)]
    front = ["state", "pole", "year", "channel", "score"]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=front)
    return out[front + [c for c in out.columns if c not in front]]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["state", "pole", "year", "channel"], kind="stable").reset_index(
        drop=True
    )


def _observed(store, states, poles, names, kb) -> tuple[tuple, pd.DataFrame]:
    """Every channel's observed scores over the whole span of the index, memoised.

    Each channel scores every (state, pole, year) cell on its own, so the cells of some
    states are those of a larger panel already computed: they are taken from it (the
    years in which a state asked for by name was not a UN member, which the default panel
    leaves out, are scored apart). Returns the memo key and the frame.
    """
    from allegiance.analysis.influence.common import un_members

    first, last = index_span(store)
    span = range(first, last + 1)
    base = ("observed", tuple(poles), tuple(names), id(kb))
    key = (*base, None if states is None else tuple(states))
    memo = _MEMO.setdefault(store, {})
    if key in memo:
        return key, memo[key]
    wanted = None if states is None else set(states)
    larger = [k for k in memo if k[: len(base)] == base and wanted is not None
              and (k[-1] is None or wanted <= set(k[-1]))]  # fmt: skip
    if larger:
        panel = memo[larger[0]]
        out = panel[panel["state"].isin(wanted)]
        if larger[0][-1] is None:
            members = un_members(span)
            members = members[members["state"].isin(wanted)]
            extra = []
            for state in sorted(wanted):
                outside = sorted(set(span) - set(members.loc[members["state"] == state, "year"]))
                if outside:
                    extra.append(_score(store, [state], poles, names, kb, outside))
            out = pd.concat([out, *extra], ignore_index=True) if extra else out
    else:
        out = _score(store, states, poles, names, kb, span)
    memo[key] = _sorted(out)
    return key, memo[key]


def channel_scores(store, states=None, poles=None, since=None, until=None, channels=None,
                   years=None, kb=None, imputed: bool = True) -> pd.DataFrame:  # fmt: skip
    """Every channel's score per (state, pole, year), in one long frame.

    Parameters
    ----------
    store : Store
    states, poles : str or list of str, optional
        ISO3 codes or names (default: the UN members of each year) and poles (default
        ``RUS, USA, CHN, TUR, EU``).
    since, until : int, optional
        Default: 1992 to the latest year with votes. ``years`` (a list) may be given
        instead. A year outside that span is a :class:`~allegiance.errors.NoDataError`.
    channels : list of str, optional
        Default: every channel in ``allegiance.analysis.influence.channels``.
    kb : KnowledgeBase, optional
        Default: the package's knowledge base.
    imputed : bool
        Fill gaps (interpolation inside a gap, at most three years' carry-forward after
        the last observation; :mod:`allegiance.analysis.influence.impute`). Default True.
        Filling uses the whole span of the index, so a year's value does not depend on
        which years were asked.

    Returns
    -------
    DataFrame
        ``state, pole, year, channel, score, coverage_note, inputs, sources, imputed,
        imputed_how, imputed_from`` and, where a channel gives them, ``score_lower,
        score_upper``. Missing scores are absent rows.
    """
    from allegiance.analysis.influence import impute
    from allegiance.analysis.influence.channels import registry

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
    key, observed = _observed(store, states_, poles_, names, kb)
    if imputed:
        key = ("imputed", *key[1:])
        memo = _MEMO.setdefault(store, {})
        if key not in memo:
            first, last = index_span(store)
            memo[key] = impute.impute(observed, range(first, last + 1))
        full = memo[key]
    else:
        full = observed.assign(imputed=False, imputed_how="", imputed_from="")
    out = full[full["year"].isin(years_)].reset_index(drop=True).copy()
    return with_sources(out, _channel_sources(store, out, poles_, years_))


def _channel_sources(store, scores: pd.DataFrame, poles, years) -> list[str]:
    """The source ids behind the scores actually given: a channel without a score here
    cites nothing; a channel that names its sources (``source_ids``, or the trade
    channel's ``source``) cites those."""
    from allegiance.analysis.influence.channels import registry

    ids: list[str] = []
    for name, rows in scores.groupby("channel", sort=True):
        if "source_ids" in rows.columns and rows["source_ids"].notna().any():
            ids += sorted({i for v in rows["source_ids"].dropna() for i in str(v).split(",") if i})
        elif name == "votes":
            ids += sorted(set(store.roll_calls(since=min(years), until=max(years))["source"]))
        elif "source" in rows.columns and rows["source"].notna().any():
            ids += sorted(set(rows["source"].dropna().astype(str)))
        else:
            ids += list(getattr(registry()[name].module, "SOURCE_IDS", ()))
    if "EU" in poles:  # the EU's members on each date come from the knowledge base
        ids.append("kb")
    return list(dict.fromkeys(ids))


def _scores_and_index(store, states, poles, since, until, weights, channels, years, kb,
                      same_channels=False):  # fmt: skip
    from allegiance.analysis.influence import index as index_
    from allegiance.analysis.influence import weights as weights_
    from allegiance.analysis.influence.channels import names

    asked = [c.lower() for c in _codes(channels)] if channels is not None else names()
    w = weights_.resolve(asked, weights)
    scores = channel_scores(store, states, poles, since, until, channels, years, kb)
    if same_channels:
        scores = index_.same_channels(scores, w)
    out = index_.combine(scores, w)
    out.attrs["weights"] = w
    if same_channels:
        out.attrs["same_channels"] = scores.attrs["same_channels"]
    return scores, with_sources(out, [], keep=[scores])


def influence(store, states=None, poles=None, since=None, until=None,
              weights: Mapping | str | Path | None = None, channels=None,
              years=None, kb=None, same_channels: bool = False) -> pd.DataFrame:  # fmt: skip
    """The influence index per (state, pole, year), with coverage, band and contributions.

    Parameters
    ----------
    states, poles : str or list of str, optional
        Default: every UN member of each year; the five poles.
    since, until : int, optional
        Default: 1992 to the latest year with votes (or ``years``, a list). A year outside
        that span is a :class:`~allegiance.errors.NoDataError`.
    weights : dict or path, optional
        Channel weights replacing the defaults of ``allegiance.analysis.influence.weights``.
    same_channels : bool
        Rest every value of a state on the same channels: those with a score (observed or
        imputed) for every pole in every year asked. For comparisons between years.

    Returns
    -------
    DataFrame
        ``state, pole, year, index, lower, upper, n_channels, channels, missing,
        reweighted, thin, imputed, evidence, n_evidence, economic, contrib_<channel>...``.
        ``channels`` lists the channels the value rests on; ``missing`` those reweighted
        away; ``imputed`` those filled in; ``evidence`` those with a positive score.
    """
    return _scores_and_index(store, states, poles, since, until, weights, channels, years, kb,
                             same_channels)[1]  # fmt: skip


def influence_change(store, state: str, pole_: str, since, until, **kw) -> pd.DataFrame:
    """Each channel's part in the change of a pole's index in ``state`` between two years,
    both years resting on the same channels (those present in both)."""
    from allegiance.analysis.influence.index import decompose_change

    state, code = require_state(state), pole(pole_).code
    first, last = parse_year(since, "since"), parse_year(until, "until")
    idx = influence(store, state, code, years=[first, last], same_channels=True, **kw)
    out = decompose_change(idx, state, code, first, last)
    out.attrs["channels"] = idx.attrs.get("same_channels", {}).get(state, [])
    return with_sources(out, [], keep=[idx])


def latest_full_year(store) -> int:
    """The latest year both long series (votes, SIPRI arms) cover."""
    arms = store.arms_years()
    votes = store.vote_years()[1]
    return min(votes, arms[1]) if arms else votes


def _sphere_states(store, states, region, year, kb):
    wanted = _states(states)
    if region is not None:
        from allegiance.analysis.regions import region as region_members

        wanted = sorted(set(wanted or []) | set(region_members(region, f"{year}-07-01", kb)))
    return wanted


def sphere(store, pole_: str, year=None, threshold: float | None = None,
           margin: float | None = None, min_evidence: int | None = None, states=None,
           region: str | None = None, kb=None, sensitivity: int = 0,
           compare_with=None, **kw) -> pd.DataFrame:  # fmt: skip
    """Every UN member's standing towards a pole in ``year``.

    ``status`` is ``in sphere``, ``contested``, ``insufficient data`` or ``outside`` (see
    :mod:`allegiance.analysis.influence.sphere`: threshold 0.40, margin 0.05, at least
    three channels with positive evidence, one economic). ``year`` defaults to the latest
    year covered by both votes and arms transfers. ``states`` or ``region`` keep only
    those states.

    Parameters
    ----------
    sensitivity : int
        Number of weight draws around the defaults (0: none; the CLI's ``--sensitivity``
        uses 200). Adds ``in_sphere_share`` and ``robustness`` (``robust`` or
        ``weight-dependent``; :mod:`allegiance.analysis.influence.sensitivity`).
    compare_with : int, optional
        An earlier (or later) year: adds ``status_<Y0>``, ``status_<Y>``, ``pole_index_<Y0>``,
        ``pole_index_<Y>`` computed for each state on the same channels in both years
        (``compared_on``), so that a change cannot come from a channel appearing or
        disappearing.
    """
    from allegiance.analysis.influence import sensitivity as sensitivity_
    from allegiance.analysis.influence import sphere as sphere_

    code = pole(pole_).code
    year = parse_year(year) if year is not None else latest_full_year(store)
    _years(store, years=[year])
    threshold = sphere_.THRESHOLD if threshold is None else float(threshold)
    margin = sphere_.MARGIN if margin is None else float(margin)
    min_evidence = sphere_.MIN_EVIDENCE if min_evidence is None else int(min_evidence)
    wanted = _sphere_states(store, states, region, year, kb)
    scores, idx = _scores_and_index(store, wanted, None, None, None, kw.pop("weights", None),
                                    kw.pop("channels", None), [year], kb)  # fmt: skip
    if kw:
        raise BadInputError(f"sphere() got unknown option(s) {', '.join(sorted(kw))}")
    # The poles' own states are the centres, not members, of spheres.
    idx = idx[~idx["state"].isin(SINGLE_STATE_POLES)]
    out = sphere_.membership(idx, code, year, threshold, margin, min_evidence)
    out.insert(1, "year", year)
    if sensitivity:
        draws = sensitivity_.draw_weights(idx.attrs["weights"], int(sensitivity))
        shares = sensitivity_.in_sphere_share(scores, idx, code, draws, threshold, margin,
                                              min_evidence)  # fmt: skip
        out = out.merge(shares.drop(columns="year"), on="state", how="left")
        out["robustness"] = sensitivity_.robustness(out["status"], out["in_sphere_share"])
        out.attrs["draws"] = int(sensitivity)
    if compare_with is not None:
        out = _compare(store, out, code, parse_year(compare_with, "compare_with"), year, wanted,
                       threshold, margin, min_evidence, kb, idx.attrs["weights"])  # fmt: skip
    return with_sources(out, [], keep=[idx])


def _compare(store, out, code, then, now, wanted, threshold, margin, min_evidence, kb, weights):
    """Both years' standing on the channels present in both, per state."""
    from allegiance.analysis.influence import sphere as sphere_

    if then == now:
        raise BadInputError(f"compare_with ({then}) is the year of the sphere itself")
    both = influence(store, wanted, None, years=sorted([then, now]), kb=kb, weights=weights,
                     same_channels=True)  # fmt: skip
    both = both[~both["state"].isin(SINGLE_STATE_POLES)]
    used = both.attrs.get("same_channels", {})
    for y in (then, now):
        lead = sphere_.leaders(both[both["year"] == y], threshold, margin, min_evidence)
        lead = lead.assign(**{f"status_{y}": sphere_.status_towards(lead, code)})
        mine = both[(both["year"] == y) & (both["pole"] == code)][["state", "index"]]
        mine = mine.rename(columns={"index": f"pole_index_{y}"})
        out = out.merge(lead[["state", f"status_{y}"]], on="state", how="left")
        out = out.merge(mine, on="state", how="left")
    out["compared_on"] = out["state"].map(lambda s: ",".join(used.get(s, [])))
    out.attrs["compare_with"] = then
    return out


def drift(store, state: str, since=None, until=None, poles=None, alpha: float | None = None,
          **kw) -> pd.DataFrame:  # fmt: skip
    """Is ``state`` moving towards or away from each pole? One row per pole.

    The trend is the OLS slope of (pole's index - best alternative's index) over the
    years ``since``..``until`` (default: the ten years to the latest full year), with its
    t-test and classification, and ``slope_<channel>`` columns that add up to ``slope``.
    Every year and pole rests on the same channels (``channels``: those with a score,
    observed or imputed, for every pole in every year of the window), so a trend cannot
    come from a channel appearing or disappearing; ``imputed`` lists the channels filled
    in somewhere in the window.
    """
    from allegiance.analysis.influence import drift as drift_

    state = require_state(state)
    until = parse_year(until, "until") if until is not None else latest_full_year(store)
    since = parse_year(since, "since") if since is not None else until - 10
    if since >= until:
        raise BadInputError(f"since ({since}) must be before until ({until})")
    poles_ = _poles(poles)
    idx = influence(store, state, list(POLES), since, until, same_channels=True, **kw)
    if idx.empty:
        raise NoDataError(f"no influence index for {state} in {since}..{until}")
    summary, by_channel = drift_.drift(idx, poles_, drift_.ALPHA if alpha is None else alpha)
    wide = by_channel.pivot(index="pole", columns="channel", values="slope").add_prefix("slope_")
    out = summary.merge(wide.reset_index(), on="pole", how="left")
    out.insert(0, "state", state)
    used = idx.attrs.get("same_channels", {}).get(state, [])
    filled = sorted({c for v in idx["imputed"] for c in v.split(",") if c})
    out.insert(out.columns.get_loc("trend") + 1, "channels", ",".join(used))
    out.insert(out.columns.get_loc("channels") + 1, "imputed", ",".join(filled))
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

    Returns ``{"index": ..., "channels": ..., "coercion": ...}``: the index per pole with
    its band and coverage; every channel's score for every pole with its inputs and
    sources; and the forces stationed without the host's consent
    (:func:`allegiance.analysis.influence.coercion.coercion`), which are not in the index.
    """
    from allegiance import kb as kb_
    from allegiance.analysis.influence.coercion import coercion

    state = require_state(state)
    year = parse_year(year) if year is not None else latest_full_year(store)
    _years(store, years=[year])
    scores, idx = _scores_and_index(store, state, None, None, None, kw.pop("weights", None),
                                    kw.pop("channels", None), [year], kb)  # fmt: skip
    if kw:
        raise BadInputError(f"profile() got unknown option(s) {', '.join(sorted(kw))}")
    forced = coercion(kb if kb is not None else kb_.default(), [state], list(POLES), [year])
    return {"index": idx, "channels": scores, "coercion": with_sources(forced, ["kb"])}
