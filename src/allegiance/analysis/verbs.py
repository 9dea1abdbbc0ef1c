"""Verbs that add columns to an analysis frame, peacesciencer-style.

Each ``add_*`` takes a frame from :func:`~allegiance.analysis.frames.state_years` or
:func:`~allegiance.analysis.frames.dyad_years` (or any frame with ``state, year`` and, for
dyads, ``partner``), and returns a copy with documented new columns. Every input row is
kept, in order, with its index; a value that cannot be computed is missing (NaN), never
0. Each verb adds the source ids it used to ``frame.attrs["sources"]``, so that
:func:`~allegiance.analysis.sourcing.cite` lists exactly what a result rests on.

On a state-year frame, ``with_`` names the other side (a pole such as ``RUS`` or ``EU``,
or a state) and the columns carry its code (``agreement_RUS``); on a dyad-year frame the
other side is the ``partner`` column and the columns have no suffix (``agreement``).
Ties dated within a year (memberships, forces, the EU's members) are read on 1 July.

Examples
--------
>>> import allegiance as al                                          # doctest: +SKIP
>>> store = al.open()                                                # doctest: +SKIP
>>> frame = al.state_years(2010, 2024, states=["ARM", "AZE"])        # doctest: +SKIP
>>> frame = al.add_agreement(frame, store, with_="RUS", measure="kappa")  # doctest: +SKIP
>>> frame = al.add_membership(frame, org="CSTO")                     # doctest: +SKIP
>>> print(al.cite(frame))                                            # doctest: +SKIP
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from allegiance.analysis.alignment import Selection, select
from allegiance.analysis.frames import frame_kind
from allegiance.analysis.ideal import ideal_points
from allegiance.analysis.poles import REFERENCE_DAY, pole_members, pole_votes
from allegiance.analysis.sourcing import with_sources
from allegiance.errors import BadInputError, NoDataError
from allegiance.measures.agreement import agreement_with, get_measure
from allegiance.poles import is_pole, pole
from allegiance.states import require_state

__all__ = [
    "add_agreement",
    "add_arms_share",
    "add_energy_share",
    "add_ideal_points",
    "add_influence",
    "add_membership",
    "add_presence",
    "add_trade_share",
]


def _side(code: str) -> str:
    return pole(code).code if is_pole(code) else require_state(code)


def _partners(frame: pd.DataFrame, with_: str | None, verb: str) -> tuple[pd.Series, str]:
    """The other side of each row, and the suffix of the new columns."""
    if frame_kind(frame) == "dyad":
        if with_ is not None:
            raise BadInputError(f"{verb}: a dyad-year frame has its partners; do not pass with_")
        return frame["partner"].map(_side), ""
    if with_ is None:
        raise BadInputError(f"{verb}: on a state-year frame, say with whom: with_='RUS'")
    code = _side(with_)
    return pd.Series(code, index=frame.index), f"_{code}"


def _attach(frame: pd.DataFrame, partners: pd.Series, lookup: pd.DataFrame,
            columns: dict[str, str], ids, note: str) -> pd.DataFrame:  # fmt: skip
    """``frame`` with ``lookup``'s columns (renamed by ``columns``) joined on state,
    partner and year; every row kept in order with its index."""
    keys = pd.DataFrame(
        {"state": frame["state"].to_numpy(), "partner": partners.to_numpy(),
         "year": frame["year"].astype("int64").to_numpy()}
    )  # fmt: skip
    lookup = lookup.drop_duplicates(["state", "partner", "year"])
    joined = keys.merge(lookup, on=["state", "partner", "year"], how="left")
    out = frame.copy()
    for src, dst in columns.items():
        out[dst] = joined[src].to_numpy()
    notes = dict(frame.attrs.get("columns", {}))
    notes.update({dst: note for dst in columns.values()})
    out.attrs = dict(frame.attrs)
    out.attrs["columns"] = notes
    return with_sources(out, ids, keep=[frame])


def add_agreement(frame: pd.DataFrame, store, with_: str | None = None, measure: str = "voeten",
                  kb=None, **selection) -> pd.DataFrame:  # fmt: skip
    """Add voting agreement in the General Assembly per year.

    New columns: ``agreement`` and ``agreement_n`` (roll calls both sides cast a vote on),
    suffixed ``_<WITH>`` on a state-year frame. ``measure`` is ``voeten``, ``kappa``,
    ``pi``, ``s`` or ``coincidence``; ``selection`` takes the filters of
    :func:`allegiance.agreement` (``issue``, ``important``, ``resolutions_only``, ...).
    """
    get_measure(measure)
    partners, suffix = _partners(frame, with_, "add_agreement")
    years = frame["year"].astype(int)
    if frame.empty:
        return _attach(frame, partners, pd.DataFrame(columns=["state", "partner", "year",
                       "agreement", "n"]), {"agreement": "agreement" + suffix,
                       "n": "agreement" + suffix + "_n"}, [], measure)  # fmt: skip
    sel = Selection(since=int(years.min()), until=int(years.max()), by="year", **selection)
    rc, votes, states = select(store, sel)
    period = rc["year"].to_numpy(dtype=np.int64)
    labels = np.unique(period)
    parts = []
    for code in sorted(set(partners)):
        try:
            target = pole_votes(code, rc, votes, states, kb)
        except NoDataError:
            continue  # a partner that never voted: its rows stay missing
        value, n = agreement_with(votes, period, target, measure)
        parts.append(pd.DataFrame({
            "state": np.tile(states, len(labels)), "partner": code,
            "year": np.repeat(labels, len(states)), "agreement": value.ravel(),
            "n": n.ravel(),
        }))  # fmt: skip
    lookup = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["state", "partner", "year", "agreement", "n"])  # fmt: skip
    lookup = lookup[lookup["n"] > 0]
    ids = sorted(set(rc["source"])) + (["kb"] if "EU" in set(partners) else [])
    cols = {"agreement": "agreement" + suffix, "n": "agreement" + suffix + "_n"}
    return _attach(frame, partners, lookup, cols, ids,
                   f"{measure} agreement in UN General Assembly roll calls of the year")  # fmt: skip


def add_ideal_points(frame: pd.DataFrame, store, kb=None, **settings) -> pd.DataFrame:
    """Add dynamic ideal points (one dimension; docs/ideal_points.md) per state and year.

    New columns: ``ideal_point, ideal_lower, ideal_upper`` for the state; on a dyad-year
    frame also ``partner_ideal_point`` and ``ideal_distance`` (absolute difference). A
    pole's position is its seat holder's, or the median of the EU's members. The fit is the
    one on the whole record (docs/ideal_points.md), so a year's value does not depend on
    the frame.
    """
    kind = frame_kind(frame)
    ip = ideal_points(store, **settings)
    per_year = ip.groupby(["state", "year"], as_index=False)[["estimate", "lower", "upper"]].mean()
    own = per_year.rename(columns={"estimate": "ideal_point", "lower": "ideal_lower",
                                   "upper": "ideal_upper"})  # fmt: skip
    out = frame.copy()
    joined = (
        frame[["state", "year"]]
        .astype({"year": "int64"})
        .merge(own, on=["state", "year"], how="left")
    )
    for col in ("ideal_point", "ideal_lower", "ideal_upper"):
        out[col] = joined[col].to_numpy()
    notes = dict(frame.attrs.get("columns", {}))
    notes.update(dict.fromkeys(("ideal_point", "ideal_lower", "ideal_upper"),
                               "dynamic ideal point of the calendar year (one scale for all years)"))  # fmt: skip
    if kind == "dyad":
        positions = {}
        by_year = {int(y): g.set_index("state")["estimate"] for y, g in per_year.groupby("year")}
        for code, year in set(zip(frame["partner"], frame["year"].astype(int), strict=True)):
            est = by_year.get(year)
            if est is None:
                continue
            members = pole_members(code, year, kb) if is_pole(code) else {require_state(code)}
            found = est[est.index.isin(members)]
            if len(found):
                positions[(code, year)] = float(found.median())
        out["partner_ideal_point"] = [
            positions.get((c, int(y)), np.nan) for c, y in zip(frame["partner"], frame["year"],
                                                               strict=True)
        ]  # fmt: skip
        out["ideal_distance"] = (out["ideal_point"] - out["partner_ideal_point"]).abs()
        notes.update(partner_ideal_point="the partner's ideal point (EU: median of members)",
                     ideal_distance="absolute difference of the two ideal points")  # fmt: skip
    out.attrs = dict(frame.attrs)
    out.attrs["columns"] = notes
    eu = kind == "dyad" and "EU" in set(frame["partner"])
    return with_sources(out, sorted(set(ip.attrs.get("sources", []))) + (["kb"] if eu else []),
                        keep=[frame])  # fmt: skip


def add_trade_share(frame: pd.DataFrame, store, with_: str | None = None, flow: str = "total",
                    kb=None) -> pd.DataFrame:  # fmt: skip
    """Add the partner's share of the state's goods trade per year.

    New columns: ``trade_share`` (0-1) and ``trade_source`` (the source used, by the trade
    channel's precedence: Armstat, then COW, then Comtrade), suffixed ``_<WITH>`` on a
    state-year frame. ``flow`` is ``total``, ``exports`` or ``imports``. Missing where no
    source covers the year (COW ends in 2014; Comtrade has 2021 only).
    """
    from allegiance.analysis.influence.channels import trade

    partners, suffix = _partners(frame, with_, "add_trade_share")
    years = frame["year"].astype(int)
    states = sorted(set(frame["state"]))
    flows = trade.annual_flows(store, states, None if frame.empty else [years.min(), years.max()])
    shares = trade.pole_shares(flows, sorted(set(partners)), flow, kb)
    best = trade.preferred(shares).rename(columns={"pole": "partner"})
    ids = sorted(set(best["source"])) + (["kb"] if "EU" in set(partners) else [])
    cols = {"share": "trade_share" + suffix, "source": "trade_source" + suffix}
    return _attach(frame, partners, best, cols, ids, f"share of goods trade ({flow}), USD")


def add_arms_share(frame: pd.DataFrame, store, with_: str | None = None, window: int = 5,
                   kb=None) -> pd.DataFrame:  # fmt: skip
    """Add the partner's share of the arms the state received (SIPRI TIV).

    New columns: ``arms_share`` and ``arms_tiv`` (the partner's TIV, millions) over the
    ``window`` years ending in the year, suffixed ``_<WITH>`` on a state-year frame.
    Missing where nothing was delivered in the window, or where fewer than three of its
    years fall inside SIPRI's coverage (1995-2024 in the mirror).
    """
    from allegiance.analysis.influence.channels import arms

    partners, suffix = _partners(frame, with_, "add_arms_share")
    lo, hi = arms.coverage(store)
    years = sorted({int(y) for y in frame["year"]})
    ends = [y for y in years if min(y, hi) - max(y - window + 1, lo) + 1 >= arms.MIN_YEARS_COVERED]
    got = arms.window_shares(arms.transfers(store), sorted(set(frame["state"])),
                             sorted(set(partners)), ends, window=window, kb=kb)  # fmt: skip
    got = got.rename(columns={"pole": "partner"})
    ids = ["sipri"] + (["kb"] if "EU" in set(partners) else [])
    cols = {"share": "arms_share" + suffix, "value": "arms_tiv" + suffix}
    return _attach(frame, partners, got, cols, ids,
                   f"share of arms received over {window} years to the year (SIPRI TIV)")  # fmt: skip


def add_energy_share(frame: pd.DataFrame, store, with_: str | None = None,
                     kb=None) -> pd.DataFrame:  # fmt: skip
    """Add the partner's share of the state's energy trade (the energy channel's score).

    New columns: ``energy_share`` (the partner's share of the state's gas and oil imports
    by volume, combined in Mtoe; for net exporters such as Russia, Kazakhstan,
    Azerbaijan and Turkmenistan, its share of their exports), ``energy_lower`` and
    ``energy_upper`` (the range when part of the volume has no known counterpart), and
    ``energy_basis`` (``imports`` or ``exports``), suffixed ``_<WITH>`` on a state-year
    frame. Missing where no source covers the state and year (docs/influence.md).
    """
    from allegiance.analysis.influence.channels import energy

    partners, suffix = _partners(frame, with_, "add_energy_share")
    if "energy_flows" not in store.tables or frame.empty:
        scores = pd.DataFrame(columns=["state", "pole", "year", "score", "score_lower",
                                       "score_upper"])  # fmt: skip
        ids: list[str] = []
    else:
        scores = energy.score(store, sorted(set(frame["state"])), sorted(set(partners)),
                              sorted({int(y) for y in frame["year"]}), kb=kb)  # fmt: skip
        ids = list(scores.attrs.get("sources", []))
    lookup = scores.rename(columns={"pole": "partner"})
    lookup["basis"] = np.where(lookup["state"].isin(list(energy.EXPORTERS)), "exports", "imports")
    cols = {"score": "energy_share" + suffix, "score_lower": "energy_lower" + suffix,
            "score_upper": "energy_upper" + suffix, "basis": "energy_basis" + suffix}  # fmt: skip
    ids += ["kb"] if "EU" in set(partners) else []
    return _attach(frame, partners, lookup, cols, ids,
                   "share of gas and oil imports (exporters: exports) by volume")  # fmt: skip


def _book(kb):
    if kb is not None:
        return kb
    from allegiance import kb as kb_

    return kb_.default()


def add_membership(frame: pd.DataFrame, org: str, kb=None) -> pd.DataFrame:
    """Add membership of an organization (knowledge base) on 1 July of each year.

    New columns: ``status_<ORG>`` (``member``, ``suspended``, ``observer``, ``partner``,
    ... or missing) and ``member_<ORG>`` (True for a member, suspended members included);
    on a dyad-year frame also ``partner_status_<ORG>`` and ``partner_member_<ORG>``.
    """
    from allegiance import kb as kb_
    from allegiance.kb.models import MEMBER_STATUSES
    from allegiance.kb.query import memberships

    book = _book(kb)
    code = kb_.require_org(org, book)
    spells = memberships(book, org=code)
    out = frame.copy()
    sides = [("state", "")] + ([("partner", "partner_")] if frame_kind(frame) == "dyad" else [])
    notes = dict(frame.attrs.get("columns", {}))
    for column, prefix in sides:
        status = []
        for who, year in zip(frame[column], frame["year"].astype(int), strict=True):
            day = pd.Timestamp(date(year, *REFERENCE_DAY))
            s = spells[(spells["state"] == who) & (spells["first_day"] <= day)
                       & (spells["last_day"].isna() | (day <= spells["last_day"]))]  # fmt: skip
            status.append(s.sort_values("first_day")["status"].iloc[-1] if len(s) else None)
        out[f"{prefix}status_{code}"] = status
        out[f"{prefix}member_{code}"] = [s in MEMBER_STATUSES for s in status]
        notes[f"{prefix}status_{code}"] = f"status in the {code} on 1 July (knowledge base)"
        notes[f"{prefix}member_{code}"] = f"member of the {code} on 1 July (suspended included)"
    out.attrs = dict(frame.attrs)
    out.attrs["columns"] = notes
    return with_sources(out, ["kb"], keep=[frame])


def add_presence(frame: pd.DataFrame, sender: str | None = None, kb=None) -> pd.DataFrame:
    """Add the number of the sender's military sites on the state's soil on 1 July.

    On a state-year frame ``sender`` is required and the column is ``presence_<SENDER>``;
    on a dyad-year frame the sender is the partner (a pole's members for a pole) and the
    column is ``presence``. Missing for hosts the knowledge base does not cover (it
    records foreign forces in the post-Soviet states and the hosts it lists), 0 for a
    covered host without such forces.
    """
    from allegiance.analysis.influence.channels import military

    book = _book(kb)
    partners, suffix = _partners(frame, sender, "add_presence")
    sites = book.military_presence_frame()
    covered = military.covered_hosts(book)
    counts = []
    for host, who, year in zip(frame["state"], partners, frame["year"].astype(int), strict=True):
        if host not in covered:
            counts.append(np.nan)
            continue
        day = pd.Timestamp(date(year, *REFERENCE_DAY))
        senders = pole_members(who, year, book) if is_pole(who) else {who}
        on = sites[(sites["host"] == host) & sites["sender"].isin(senders)
                   & (sites["first_day"] <= day) & (sites["last_day"].isna()
                                                     | (day <= sites["last_day"]))]  # fmt: skip
        counts.append(float(len(on)))
    out = frame.copy()
    out["presence" + suffix] = counts
    out.attrs = dict(frame.attrs)
    out.attrs["columns"] = {**frame.attrs.get("columns", {}),
                            "presence" + suffix: "military sites on the state's soil on 1 July"}  # fmt: skip
    return with_sources(out, ["kb"], keep=[frame])


def add_influence(frame: pd.DataFrame, store, pole_: str | None = None, kb=None,
                  **kw) -> pd.DataFrame:  # fmt: skip
    """Add the influence index of a pole (docs/influence.md) per state and year.

    New columns: ``influence``, ``influence_lower``, ``influence_upper`` and
    ``influence_channels`` (the channels the value rests on), suffixed ``_<POLE>`` on a
    state-year frame; on a dyad-year frame every partner must be a pole. ``kw`` goes to
    :func:`allegiance.analysis.influence` (``weights``, ``channels``).
    """
    from allegiance.analysis.influence.api import influence

    partners, suffix = _partners(frame, pole_, "add_influence")
    not_poles = sorted({p for p in partners if not is_pole(p)})
    if not_poles:
        raise BadInputError(f"add_influence: partners must be poles, not {', '.join(not_poles)}")
    years = sorted({int(y) for y in frame["year"]})
    idx = influence(store, sorted(set(frame["state"])), sorted(set(partners)), years=years,
                    kb=kb, **kw) if len(frame) else pd.DataFrame()  # fmt: skip
    lookup = idx.rename(columns={"pole": "partner"}) if len(idx) else pd.DataFrame(
        columns=["state", "partner", "year", "index", "lower", "upper", "channels"])  # fmt: skip
    cols = {"index": "influence" + suffix, "lower": "influence" + suffix + "_lower",
            "upper": "influence" + suffix + "_upper", "channels": "influence" + suffix + "_channels"}  # fmt: skip
    out = _attach(frame, partners, lookup, cols, [], "influence index (docs/influence.md)")
    return with_sources(out, [], keep=[idx]) if len(idx) else out
