"""Yearly values of the measures that ``share`` and ``compare`` claims are checked on.

Each measure is read through the public analysis functions (:func:`al.trade_share`,
:func:`al.arms_share`, :func:`al.agreement`, :func:`al.influence`, and an energy share
once the energy channel provides one) and returned as one frame per state and partner:
``year, value, weight, source`` where ``value`` is the yearly figure and ``weight`` what
pools years into a period (trade and arms totals, roll calls). A measure the store cannot
give raises :class:`Unavailable` with the reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance.analysis.sourcing import citations
from allegiance.claims.coverage import End, store_end, year_end
from allegiance.claims.kinds.base import Context, Unavailable

MEASURES = ("agreement", "trade_share", "energy_share", "arms_share", "influence")
UNITS = {
    "agreement": "agreement in UN votes",
    "trade_share": "share of trade",
    "energy_share": "share of energy trade",
    "arms_share": "share of arms imports",
    "influence": "influence index",
}


def _trade(ctx: Context, state: str, partner: str, flow: str) -> pd.DataFrame:
    from allegiance.analysis.influence.api import trade_share

    flow = {"export": "exports", "import": "imports"}.get(flow, flow)
    key = ("trade_share", state, partner, flow)
    if key not in ctx.cache:  # every year at once: periods and the data's end come from it
        ctx.cache[key] = trade_share(ctx.store, state, partner, flow=flow, kb=ctx.kb)
    frame = ctx.cache[key]
    frame = frame[frame["preferred"].astype(bool)]
    out = pd.DataFrame({"year": frame["year"].astype(int), "value": frame["share"],
                        "weight": frame["total_usd"], "part": frame["value_usd"],
                        "source": frame["source"]})  # fmt: skip
    out.attrs["sources"] = list(frame.attrs.get("sources", []))
    return out.sort_values("year").reset_index(drop=True)


def _arms(ctx: Context, state: str, partner: str, years: range) -> pd.DataFrame:
    from allegiance.analysis.influence.api import arms_share

    rows, sources = [], []
    for year in years:
        got = arms_share(ctx.store, state, partner, year, year, kb=ctx.kb)
        sources += list(got.attrs.get("sources", []))
        r = got.iloc[0]
        rows.append({"year": year, "value": r["share"], "weight": r["total_tiv"],
                     "part": r["tiv"], "source": r["source"]})  # fmt: skip
    out = pd.DataFrame(rows, columns=["year", "value", "weight", "part", "source"])
    out.attrs["sources"] = list(dict.fromkeys(sources))
    return out


def _agreement(ctx: Context, state: str, partner: str, years: range) -> pd.DataFrame:
    from allegiance.analysis.alignment import agreement

    frame = agreement(ctx.store, state, partner, since=years.start, until=years.stop - 1,
                      kb=ctx.kb)  # fmt: skip
    out = pd.DataFrame({"year": frame["year"].astype(int), "value": frame["agreement"],
                        "weight": frame["n"], "source": "un_votes"})  # fmt: skip
    out.attrs["sources"] = list(frame.attrs.get("sources", []))
    return out


def _influence(ctx: Context, state: str, partner: str, years: range) -> pd.DataFrame:
    from allegiance.analysis.influence.api import influence

    frame = influence(ctx.store, state, partner, years=years, kb=ctx.kb)
    out = pd.DataFrame({"year": frame["year"].astype(int), "value": frame["index"],
                        "weight": 1.0, "source": "index"})  # fmt: skip
    out.attrs["sources"] = list(frame.attrs.get("sources", []))
    return out


def _energy(ctx: Context, state: str, partner: str, years: range, flow: str) -> pd.DataFrame:
    from allegiance.analysis.influence import api

    energy_share = getattr(api, "energy_share", None)
    if energy_share is None:
        raise Unavailable(
            "no energy data: this store has no energy table (the energy channel is not "
            "in this build), so energy shares cannot be checked"
        )
    flow = {"export": "exports", "import": "imports"}.get(flow, flow)
    frame = energy_share(ctx.store, state, partner, years.start, years.stop - 1, flow=flow,
                         kb=ctx.kb)  # fmt: skip
    if "preferred" in frame:
        frame = frame[frame["preferred"].astype(bool)]
    out = pd.DataFrame({"year": frame["year"].astype(int), "value": frame["share"],
                        "weight": frame.get("total", 1.0), "source": frame.get("source", "")})  # fmt: skip
    out.attrs["sources"] = list(frame.attrs.get("sources", []))
    return out


def yearly(ctx: Context, measure: str, state: str, partner: str, years: range,
           flow: str = "total") -> pd.DataFrame:  # fmt: skip
    """``measure`` of ``partner`` for ``state`` per year within ``years`` (cached)."""
    key = ("series", measure, state, partner, years.start, years.stop, flow)
    if key not in ctx.cache:
        if measure == "trade_share":
            frame = _trade(ctx, state, partner, flow)
        elif measure == "arms_share":
            frame = _arms(ctx, state, partner, years)
        elif measure == "agreement":
            frame = _agreement(ctx, state, partner, years)
        elif measure == "influence":
            frame = _influence(ctx, state, partner, years)
        elif measure == "energy_share":
            frame = _energy(ctx, state, partner, years, flow)
        else:
            raise ValueError(f"unknown measure {measure!r}; measures: {', '.join(MEASURES)}")
        sources = frame.attrs.get("sources", [])
        frame = frame[frame["year"].between(years.start, years.stop - 1)].reset_index(drop=True)
        frame.attrs["sources"] = sources
        ctx.cache[key] = frame
    return ctx.cache[key]


def pooled(frame: pd.DataFrame) -> float:
    """A period's value: shares pooled (partner value over total value), agreement
    weighted by roll calls, the index averaged."""
    if frame.empty:
        return float("nan")
    if "part" in frame and frame["weight"].fillna(0).sum() > 0:
        return float(frame["part"].fillna(0).sum() / frame["weight"].fillna(0).sum())
    ok = frame["value"].notna() & frame["weight"].notna()
    if not ok.any():
        return float("nan")
    return float(np.average(frame.loc[ok, "value"], weights=frame.loc[ok, "weight"]))


def data_end(ctx: Context, measure: str, state: str, partner: str, flow: str) -> End | None:
    """The last day the data behind ``measure`` cover (for trade: this reporter's)."""
    if measure in ("agreement", "influence"):
        return store_end(ctx, "roll_calls")
    if measure == "arms_share":
        return store_end(ctx, "arms_transfers")
    if measure == "trade_share":
        frame = _trade(ctx, state, partner, flow)
        if frame.empty:
            return None
        last = int(frame["year"].max())
        source = frame.loc[frame["year"] == last, "source"].iloc[0]
        from datetime import date

        return End(f"trade for {state} ({source})", date(last, 12, 31))
    return None


def last_year(ctx, measure, state, partner, flow) -> int | None:
    return year_end(data_end(ctx, measure, state, partner, flow))


def cite(ev, frame: pd.DataFrame) -> list[dict]:
    """Cite the sources a frame used; returns them as evidence entries."""
    out = []
    for key in frame.attrs.get("sources", []):
        try:
            (c,) = citations([key])
        except Exception:  # noqa: BLE001 - a source id outside the registry (kb, un_membership)
            continue
        entry = {"text": c.text, "url": c.url, "quote": None}
        ev.cite(c.text, c.url)
        out.append(entry)
    return out
