"""``share``: that a partner's share of a state's trade or arms imports is above, below or
changing ("Russia's main remaining export market", "turning away importers such as India")."""

from __future__ import annotations

from typing import Literal

from allegiance.claims.coverage import year_end
from allegiance.claims.kinds import series
from allegiance.claims.kinds.base import Context, Params, Partners, State, Unavailable, register
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks, not_checkable


class ShareParams(Params):
    channel: Literal["trade", "arms", "energy"]
    state: State
    partners: Partners
    flow: Literal["export", "exports", "import", "imports", "total"] = "total"
    years: tuple[int, int] | None = None
    above: float | None = None
    below: float | None = None
    change: Literal["up", "down"] | None = None
    before: tuple[int, int] | None = None
    after: tuple[int, int] | None = None
    min_change: float = 0.01

    def too_loose(self):
        out = []
        level = self.above is not None or self.below is not None
        if not level and self.change is None:
            out.append((("change",), "say what the claim asserts: above/below with years, or "
                        "change with before and after"))  # fmt: skip
        if level and self.years is None:
            out.append((("years",), "above/below need the years to pool"))
        if self.change is not None and not (self.before and self.after):
            out.append((("before",), "change needs before and after periods"))
        return out


@register("share", ShareParams)
def evaluate(p: ShareParams, ctx: Context) -> Verdict:
    """A partner's share of a state's trade, energy trade or arms imports: level or change."""
    what = f"{p.channel} share of {', '.join(p.partners)} for {p.state}"
    if ctx.store is None:
        return not_checkable(what, f"no store: {ctx.store_error}")
    measure = f"{p.channel}_share"
    ev, checks = Evidence(), []
    for partner in p.partners:
        spans = {}
        if p.years:
            spans["period"] = p.years
        if p.change:
            spans.update(before=p.before, after=p.after)
        values, sources = {}, []
        for name, span in spans.items():
            flow = p.flow if p.channel != "arms" else "arms"
            label = f"{p.state}–{partner} {flow} {span[0]}–{span[1]}"
            try:
                end = series.data_end(ctx, measure, p.state, partner, p.flow)
                if end is not None and span[1] > year_end(end):
                    checks.append(end.check(label))
                    continue
                frame = series.yearly(ctx, measure, p.state, partner,
                                      range(span[0], span[1] + 1), p.flow)  # fmt: skip
            # A missing or failing channel makes this part not checkable, named.
            except Unavailable as exc:
                checks.append(Check(label, None, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001
                call = f"{p.channel} share {p.state}–{partner} {span[0]}–{span[1]}"
                checks.append(Check(label, None, f"{call} failed: {type(exc).__name__}: {exc}"))
                continue
            ev.add_rows(label, frame)
            sources += series.cite(ev, frame)
            share = series.pooled(frame)
            if share != share:  # NaN
                checks.append(Check(label, None, f"no {p.channel} data for {span[0]}–{span[1]}"))
                continue
            years = sorted(frame.loc[frame["value"].notna(), "year"].astype(int))
            if len(years) < span[1] - span[0] + 1 and p.channel != "arms":
                ev.figures[f"{label} years with data"] = years
            values[name] = share
            ev.figures[f"{label} share"] = round(share, 4)
        if "period" in values:
            s = values["period"]
            if p.above is not None:
                checks.append(Check(f"{partner} share above {p.above:.0%}", s > p.above,
                                    f"{s:.1%}", sources))  # fmt: skip
            if p.below is not None:
                checks.append(Check(f"{partner} share below {p.below:.0%}", s < p.below,
                                    f"{s:.1%}", sources))  # fmt: skip
        if p.change and {"before", "after"} <= set(values):
            b, a = values["before"], values["after"]
            moved = a - b >= p.min_change if p.change == "up" else b - a >= p.min_change
            checks.append(Check(f"{partner} share {p.change}", bool(moved), f"{b:.1%} → {a:.1%}",
                                sources))  # fmt: skip
    return from_checks(checks, ev)
