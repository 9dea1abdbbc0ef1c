"""``share``: that a partner's share of a state's trade or arms imports is above, below or
changing ("Russia's main remaining export market", "turning away importers such as India")."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from allegiance.analysis.sourcing import citations
from allegiance.claims.kinds.base import Context, Params, Unavailable, register
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks, not_checkable


class ShareParams(Params):
    channel: Literal["trade", "arms"]
    state: str
    partners: list[str]
    flow: Literal["export", "exports", "import", "imports", "total"] = "total"
    years: tuple[int, int] | None = None
    above: float | None = None
    below: float | None = None
    change: Literal["up", "down"] | None = None
    before: tuple[int, int] | None = None
    after: tuple[int, int] | None = None
    min_change: float = 0.01


def _shares(p: ShareParams, ctx: Context, partner: str, span: tuple[int, int]) -> pd.DataFrame:
    """Yearly rows (year, value, total, share, source) from the store's channel methods."""
    from allegiance.analysis.influence.api import arms_share, trade_share

    if p.channel == "trade":
        flow = {"export": "exports", "import": "imports"}.get(p.flow, p.flow)
        frame = trade_share(ctx.store, p.state, partner, span[0], span[1], flow=flow, kb=ctx.kb)
        frame = frame.rename(columns={"value_usd": "value", "total_usd": "total"})
    else:
        frame = arms_share(ctx.store, p.state, partner, span[0], span[1], kb=ctx.kb)
        frame = frame.rename(columns={"tiv": "value", "total_tiv": "total"})
    frame = frame.copy()
    if "year" in frame:
        frame = frame[frame["year"].between(*span)]
    if "preferred" in frame:
        # Several sources may cover a year; the channel's preferred one speaks for it.
        frame = frame[frame["preferred"].astype(bool)]
    return frame.reset_index(drop=True)


def _pooled(frame: pd.DataFrame) -> float:
    """Share over a period: total partner value over total value (not a mean of ratios)."""
    if {"value", "total"} <= set(frame.columns) and frame["total"].sum() > 0:
        return float(frame["value"].sum() / frame["total"].sum())
    return float(frame["share"].mean()) if "share" in frame and len(frame) else float("nan")


@register("share", ShareParams)
def evaluate(p: ShareParams, ctx: Context) -> Verdict:
    """A partner's share of a state's trade or arms imports: above, below, or changing."""
    what = f"{p.channel} share of {', '.join(p.partners)} for {p.state}"
    if ctx.store is None:
        return not_checkable(what, f"no store: {ctx.store_error}")
    ev, checks = Evidence(), []
    for partner in p.partners:
        spans = {}
        if p.years:
            spans["period"] = p.years
        if p.change:
            if not (p.before and p.after):
                return not_checkable(what, "a `change` needs `before` and `after` periods")
            spans.update(before=p.before, after=p.after)
        values = {}
        for name, span in spans.items():
            flow = p.flow if p.channel == "trade" else "arms"
            label = f"{p.state}–{partner} {flow} {span[0]}–{span[1]}"
            try:
                frame = _shares(p, ctx, partner, span)
            # A missing or failing channel makes this part not checkable, named.
            except Unavailable as exc:
                checks.append(Check(label, None, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001
                call = f"{p.channel} share {p.state}–{partner} {span[0]}–{span[1]}"
                checks.append(Check(label, None, f"{call} failed: {type(exc).__name__}: {exc}"))
                continue
            ev.add_rows(label, frame)
            for citation in citations(frame.attrs.get("sources", [])):
                ev.cite(citation.text)
            share = _pooled(frame) if len(frame) else float("nan")
            if pd.isna(share):
                checks.append(Check(label, None, f"no {p.channel} data for {span[0]}–{span[1]}"))
                continue
            values[name] = share
            ev.figures[f"{label} share"] = round(share, 4)
        if "period" in values:
            s = values["period"]
            if p.above is not None:
                checks.append(
                    Check(f"{partner} share above {p.above:.0%}", s > p.above, f"{s:.1%}")
                )
            if p.below is not None:
                checks.append(
                    Check(f"{partner} share below {p.below:.0%}", s < p.below, f"{s:.1%}")
                )
        if p.change and {"before", "after"} <= set(values):
            b, a = values["before"], values["after"]
            moved = a - b >= p.min_change if p.change == "up" else b - a >= p.min_change
            checks.append(Check(f"{partner} share {p.change}", bool(moved), f"{b:.1%} → {a:.1%}"))
    return from_checks(checks, ev)
