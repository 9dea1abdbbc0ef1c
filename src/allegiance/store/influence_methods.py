"""Store methods of one capability, attached to ``Store`` by ``attach``: channels of
influence, the influence index, spheres, drift, and the trade and arms shares behind them.
See docs/influence.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from allegiance._lazy import lazy

pd = lazy("pandas")


#: Poles that are one state; they are left out of the states a sphere lists.
SINGLE_STATE_POLES = ("RUS", "USA", "CHN", "TUR")

#: First year of the index by default: the first full year after the USSR's end.
FIRST_YEAR = 1992


def _codes(value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [v.strip().upper() for v in value.split(",") if v.strip()]
    return [str(v).upper() for v in value]


def _known(codes: list[str] | None, what: str, extra=()) -> list[str] | None:
    """Check codes against the states table (and ``extra``), with a message that helps."""
    if codes is None:
        return None
    from allegiance import states

    known = set(states.states()["iso3"]) | set(extra)
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(
            f"unknown {what} {', '.join(map(repr, unknown))}; give ISO3 codes such as ARM"
            + (" or the pole EU" if "EU" in extra else "")
        )
    return codes


def _years(store, years) -> list[int]:
    if years is None:
        last = store.sql("SELECT max(year) AS y FROM roll_calls")["y"].iloc[0]
        return list(range(FIRST_YEAR, int(last) + 1))
    if isinstance(years, int):
        return [years]
    return sorted({int(y) for y in years})


def channel_scores(self, states=None, poles=None, years=None, channels=None) -> pd.DataFrame:
    """Every channel's score per (state, pole, year), in one long frame.

    Parameters
    ----------
    states, poles : str or list of str, optional
        ISO3 codes (default: the UN members of each year) and poles (default
        ``RUS, USA, CHN, TUR, EU``).
    years : int or iterable of int, optional
        Default: 1992 to the latest year with votes.
    channels : list of str, optional
        Default: every channel in ``allegiance.influence.channels``.

    Returns
    -------
    DataFrame
        ``state, pole, year, channel, score, coverage_note, inputs, sources`` and, where a
        channel gives them, ``score_lower, score_upper``. Missing scores are absent rows.
    """
    from allegiance.influence import POLES
    from allegiance.influence.channels import registry

    found = registry()
    names = _codes(channels)
    names = [n.lower() for n in names] if names else list(found)
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ValueError(f"unknown channel(s) {', '.join(unknown)}; channels: {', '.join(found)}")
    states_ = _known(_codes(states), "state")
    poles_ = _known(_codes(poles), "pole", extra=("EU",)) or list(POLES)
    years_ = _years(self, years)
    from allegiance.influence.channels import votes

    key = ("channel_scores", tuple(states_ or ()), tuple(poles_), tuple(years_), tuple(names),
           votes.N_BOOTSTRAP)  # fmt: skip
    if key not in self._cache:
        parts = []
        for name in names:
            frame = found[name].score(self, states_, poles_, years_)
            parts.append(frame.assign(channel=name))
        parts = [p for p in parts if len(p)]
        front = ["state", "pole", "year", "channel", "score"]
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=front)
        out = out[front + [c for c in out.columns if c not in front]]
        self._cache[key] = out.sort_values(
            ["state", "pole", "year", "channel"], kind="stable"
        ).reset_index(drop=True)
    return self._cache[key].copy()


def influence(self, state=None, pole=None, years=None, weights: Mapping | str | Path | None = None,
              channels=None, ideal_bootstrap: int = 0) -> pd.DataFrame:  # fmt: skip
    """The influence index per (state, pole, year), with coverage, band and contributions.

    Parameters
    ----------
    state, pole : str or list of str, optional
        Default: every UN member of each year; the five poles.
    years : int or iterable of int, optional
        Default: 1992 to the latest year with votes.
    weights : dict or path, optional
        Channel weights replacing the defaults of ``allegiance.influence.weights``.
    ideal_bootstrap : int
        Bootstrap replicates of the ideal points (when the store has them) for the band.

    Returns
    -------
    DataFrame
        ``state, pole, year, index, lower, upper, n_channels, channels, missing,
        reweighted, thin, contrib_<channel>...``. ``channels`` lists the channels the value
        rests on; ``missing`` those reweighted away; ``thin`` flags fewer than two.
    """
    from allegiance.influence import index as index_
    from allegiance.influence import weights as weights_
    from allegiance.influence.channels import names, votes

    before = votes.N_BOOTSTRAP
    votes.N_BOOTSTRAP = int(ideal_bootstrap)
    try:
        scores = self.channel_scores(state, pole, years, channels)
    finally:
        votes.N_BOOTSTRAP = before
    asked = [c.lower() for c in _codes(channels)] if channels is not None else names()
    w = weights_.resolve(asked, weights)
    out = index_.combine(scores, w)
    out.attrs["weights"] = w
    return out


def influence_change(
    self, state: str, pole: str, year_from: int, year_to: int, **kw
) -> pd.DataFrame:
    """Each channel's part in the change of ``pole``'s index in ``state`` between two years."""
    from allegiance.influence.index import decompose_change

    idx = self.influence(state, pole, [int(year_from), int(year_to)], **kw)
    return decompose_change(idx, state.upper(), pole.upper(), int(year_from), int(year_to))


def latest_full_year(self) -> int:
    """The latest year both trade-independent long series (votes, SIPRI arms) cover."""
    arms = self.sql("SELECT max(year) AS y FROM arms_transfers")["y"].iloc[0]
    votes = self.sql("SELECT max(year) AS y FROM roll_calls")["y"].iloc[0]
    return int(min(v for v in (arms, votes) if pd.notna(v)))


def sphere(self, pole: str, year: int | None = None, threshold: float | None = None,
           margin: float | None = None, min_channels: int | None = None, **kw) -> pd.DataFrame:  # fmt: skip
    """Every UN member's standing towards ``pole`` in ``year``: in sphere, contested, outside.

    See :mod:`allegiance.influence.sphere` for the rule and its default threshold (0.40),
    margin (0.05) and minimum number of channels (2). ``year`` defaults to the latest year
    covered by both votes and arms transfers.
    """
    from allegiance.influence import POLES
    from allegiance.influence import sphere as sphere_

    if pole.upper() not in POLES:
        raise ValueError(f"unknown pole {pole!r}; spheres are computed for {', '.join(POLES)}")
    year = int(year) if year is not None else latest_full_year(self)
    idx = self.influence(None, None, [year], **kw)
    # The poles' own states are the centres, not members, of spheres.
    idx = idx[~idx["state"].isin(SINGLE_STATE_POLES)]
    out = sphere_.membership(
        idx, pole, year,
        threshold=sphere_.THRESHOLD if threshold is None else threshold,
        margin=sphere_.MARGIN if margin is None else margin,
        min_channels=sphere_.MIN_CHANNELS if min_channels is None else min_channels,
    )  # fmt: skip
    out.insert(1, "year", year)
    return out


def drift(self, state: str, since: int | None = None, until: int | None = None, poles=None,
          alpha: float | None = None, **kw) -> pd.DataFrame:  # fmt: skip
    """Is ``state`` moving towards or away from each pole? One row per pole.

    The trend is the OLS slope of (pole's index - best alternative's index) over the
    years ``since``..``until`` (default: the ten years to the latest full year), with its
    t-test and classification, and ``slope_<channel>`` columns that add up to ``slope``.
    """
    from allegiance.influence import POLES
    from allegiance.influence import drift as drift_

    until = int(until) if until is not None else latest_full_year(self)
    since = int(since) if since is not None else until - 10
    if since >= until:
        raise ValueError(f"--from ({since}) must be before --to ({until})")
    poles_ = _codes(poles) or list(POLES)
    idx = self.influence(state.upper(), list(POLES), range(since, until + 1), **kw)
    if idx.empty:
        raise ValueError(f"no influence index for {state!r}; give an ISO3 code of a UN member")
    summary, by_channel = drift_.drift(idx, poles_, drift_.ALPHA if alpha is None else alpha)
    wide = by_channel.pivot(index="pole", columns="channel", values="slope").add_prefix("slope_")
    out = summary.merge(wide.reset_index(), on="pole", how="left")
    out.insert(0, "state", state.upper())
    return out


def trade_share(self, state: str, partner: str, years=None, flow: str = "total") -> pd.DataFrame:
    """``partner``'s share of ``state``'s goods trade per year and source.

    ``partner`` is a state or a pole (``EU``: the members on 1 July of the year). ``flow``
    is ``total`` (exports + imports), ``exports`` or ``imports`` (for Comtrade, the
    partners' reported exports: mirror imports). Every source covering a year is listed;
    ``preferred`` marks the one the trade channel uses.

    Returns
    -------
    DataFrame
        ``state, partner, year, source, flow_used, value, total, share, preferred``
        (values in USD).
    """
    from allegiance.influence.channels import trade

    ys = (
        None
        if years is None
        else ([int(years)] if isinstance(years, int) else [int(y) for y in years])
    )
    flows = trade.annual_flows(self, None, ys)
    flows = flows[flows["reporter"] == state.upper()]
    if ys is not None:
        flows = flows[flows["year"].isin(ys)]
    shares = trade.pole_shares(flows, [partner.upper()], flow)
    best = trade.preferred(shares)[["state", "pole", "year", "source"]].assign(preferred=True)
    out = shares.merge(best, on=["state", "pole", "year", "source"], how="left")
    out["preferred"] = out["preferred"].fillna(False).astype(bool)
    out = out.rename(columns={"pole": "partner"})
    return out[
        ["state", "partner", "year", "source", "flow_used", "value", "total", "share", "preferred"]
    ]


def arms_share(self, recipient: str, supplier: str, since: int, until: int) -> pd.DataFrame:
    """``supplier``'s share of the arms (SIPRI TIV) delivered to ``recipient``, since..until.

    Returns one row: ``recipient, supplier, since, until, value, total, share, source``
    (``value`` and ``total`` in millions of TIV; ``share`` NaN when nothing was delivered).
    """
    from allegiance.influence.channels import arms

    since, until = int(since), int(until)
    got = arms.window_shares(arms.transfers(self), [recipient.upper()], [supplier.upper()], [until],
                             window=until - since + 1)  # fmt: skip
    value = float(got["value"].iloc[0]) if len(got) else 0.0
    total = float(got["total"].iloc[0]) if len(got) else 0.0
    return pd.DataFrame([{
        "recipient": recipient.upper(), "supplier": supplier.upper(), "since": since, "until": until,
        "value": value, "total": total, "share": value / total if total > 0 else float("nan"),
        "source": arms.SOURCE,
    }])  # fmt: skip


def influence_profile(self, state: str, year: int | None = None, **kw) -> dict[str, pd.DataFrame]:
    """Everything behind one state's index in one year.

    Returns ``{"index": ..., "channels": ...}``: the index per pole with its band and
    coverage, and every channel's score for every pole with its inputs and sources.
    """
    year = int(year) if year is not None else latest_full_year(self)
    idx = self.influence(state.upper(), None, [year], **kw)
    scores = self.channel_scores(state.upper(), None, [year])
    return {"index": idx, "channels": scores}


def attach(store_class) -> None:
    """Add this module's methods to ``Store`` (``profile`` belongs to the knowledge base;
    this module's is ``influence_profile``)."""
    for fn in (channel_scores, influence, influence_change, sphere, drift, trade_share, arms_share,
               influence_profile):  # fmt: skip
        setattr(store_class, fn.__name__, fn)


__all__: Iterable[str] = ["attach"]
