"""``compare``: two measures, or one measure for two partners, of one state and period:
"Kazakhstan votes with Russia more often than with the US", "trade with China overtook
trade with Russia in 2023"."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from allegiance.claims.coverage import year_end
from allegiance.claims.kinds import series
from allegiance.claims.kinds.base import Context, Params, Partner, State, Unavailable, register
from allegiance.claims.refs import PARTNER
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks, not_checkable

Measure = Literal["agreement", "trade_share", "energy_share", "arms_share", "influence"]
Flow = Literal["export", "exports", "import", "imports", "total"]
#: How many years before a claimed overtaking year are searched for the actual one.
LOOKBACK = 10


class Side(BaseModel):
    """One side of a comparison: a measure of the state with one partner."""

    model_config = ConfigDict(extra="forbid")

    partner: Partner
    measure: Measure | None = None
    flow: Flow | None = None


class CompareParams(Params):
    state: State
    measure: Measure | None = None
    a: Annotated[str | Side, PARTNER]
    b: Annotated[str | Side, PARTNER]
    flow: Flow = "total"
    years: tuple[int, int] | None = None
    overtook: int | None = None
    expect: Literal["greater", "less"] = "greater"
    margin: float = 0.0

    def too_loose(self):
        out = []
        for name in ("a", "b"):
            side = getattr(self, name)
            if self.measure is None and (isinstance(side, str) or side.measure is None):
                out.append(((name,), "which measure: give measure (agreement, trade_share, "
                            "energy_share, arms_share, influence) here or for the comparison"))  # fmt: skip
        if (self.years is None) == (self.overtook is None):
            out.append((("years",), "give years (A above B over a period) or overtook "
                        "(the year A overtook B), one of them"))  # fmt: skip
        if self.years is not None and self.years[0] > self.years[1]:
            out.append((("years",), "the first year comes first"))
        return out

    def side(self, name: str) -> tuple[str, str, str]:
        """(measure, partner, flow) of side ``a`` or ``b``."""
        side = getattr(self, name)
        if isinstance(side, str):
            return self.measure, side, self.flow
        return side.measure or self.measure, side.partner, side.flow or self.flow


def _label(measure: str, partner: str, flow: str) -> str:
    unit = series.UNITS[measure]
    if measure in ("trade_share", "energy_share") and flow != "total":
        unit = unit.replace("trade", f"{flow}")
    return f"{unit} with {partner}" if measure == "agreement" else f"{unit} of {partner}"


def _value_text(measure: str, value: float) -> str:
    if value != value:
        return "no data"
    return f"{value:.1%}" if measure.endswith("share") else f"{value:.3f}"


def _crossings(a: pd.Series, b: pd.Series) -> list[int]:
    """Years in which ``a`` rose above ``b`` after a year (with data) it was not above."""
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1).dropna().sort_index()
    out, before = [], None
    for year, row in both.iterrows():
        above = row["a"] > row["b"]
        if above and before is False:
            out.append(int(year))
        before = bool(above)
    return out


@register("compare", CompareParams)
def evaluate(p: CompareParams, ctx: Context) -> Verdict:
    """Two measures of one state compared over a period, or the year one overtook the other."""
    what = f"compare for {p.state}"
    if ctx.store is None:
        return not_checkable(what, f"no store: {ctx.store_error}")
    sides = [p.side("a"), p.side("b")]
    labels = [_label(*s) for s in sides]
    last = p.years[1] if p.years else p.overtook
    first = p.years[0] if p.years else p.overtook - LOOKBACK
    ev, frames, sources = Evidence(), [], []
    for (measure, partner, flow), label in zip(sides, labels, strict=True):
        try:
            end = series.data_end(ctx, measure, p.state, partner, flow)
            if end is not None and last > year_end(end):
                return from_checks([end.check(f"{label} in {last}")], ev)
            frame = series.yearly(ctx, measure, p.state, partner, range(first, last + 1), flow)
        except Unavailable as exc:
            return from_checks([Check(label, None, str(exc))], ev)
        ev.add_rows(label, frame)
        sources += series.cite(ev, frame)
        frames.append(frame)
    checks, corrections = [], []
    if p.years is not None:
        va, vb = (series.pooled(f) for f in frames)
        for label, v in zip(labels, (va, vb), strict=True):
            ev.figures[f"{label} {p.years[0]}–{p.years[1]}"] = None if v != v else round(v, 4)
        detail = "; ".join(f"{lab}: {_value_text(s[0], v)}"
                           for lab, s, v in zip(labels, sides, (va, vb), strict=True))  # fmt: skip
        relation = ">" if p.expect == "greater" else "<"
        what = f"{labels[0]} {relation} {labels[1]} ({p.years[0]}–{p.years[1]})"
        if va != va or vb != vb:
            checks.append(Check(what, None, f"no data for one side: {detail}"))
        else:
            ok = va > vb + p.margin if p.expect == "greater" else va < vb - p.margin
            checks.append(Check(what, bool(ok), detail, sources))
        return from_checks(checks, ev, corrections)
    a, b = (f.set_index("year")["value"] for f in frames)
    year = p.overtook
    what = f"{labels[0]} overtook {labels[1]} in {year}"
    crossings = _crossings(a, b)
    ev.figures["years A rose above B"] = crossings
    shown = "; ".join(
        f"{y}: {_value_text(sides[0][0], a.get(y, float('nan')))} vs "
        f"{_value_text(sides[1][0], b.get(y, float('nan')))}"
        for y in range(year - 1, year + 1)
    )
    if pd.isna(a.get(year)) or pd.isna(b.get(year)):
        checks.append(Check(what, None, f"no data for {year}: {shown}"))
    elif year in crossings:
        checks.append(Check(what, True, shown, sources))
    else:
        checks.append(Check(what, False, shown, sources))
        actual = [y for y in crossings if y <= year] or crossings
        if actual:
            corrections.append(f"{labels[0]} rose above {labels[1]} in "
                               f"{', '.join(map(str, actual))}, not {year}")  # fmt: skip
        else:
            corrections.append(f"{labels[0]} did not rise above {labels[1]} in {first}–{last}")
    return from_checks(checks, ev, corrections)
