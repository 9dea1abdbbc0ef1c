"""``trend``: that a state's alignment, influence index or ideal point moved in a direction
between two periods ("Armenia is moving West", "Russian influence is declining")."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from allegiance.analysis.alignment import alignment
from allegiance.analysis.ideal import ideal_points
from allegiance.analysis.influence.api import channel_scores, influence
from allegiance.claims.coverage import store_end, year_end
from allegiance.claims.kinds.base import (
    Context,
    Issue,
    Params,
    Poles,
    Scope,
    State,
    States,
    by_reading,
    register,
)
from allegiance.claims.scopes import states_in
from allegiance.claims.verdict import (
    Check,
    Evidence,
    Verdict,
    from_checks,
    not_checkable,
)

#: Fewer roll calls than this in a period leave an agreement too noisy to compare.
MIN_ROLL_CALLS = 10


class TrendParams(Params):
    state: State | None = None
    states: States | None = None
    scope: Scope | None = None
    measure: Literal["alignment", "influence", "ideal_point"] = "alignment"
    poles: Poles
    direction: Literal["toward", "away", "up", "down"]
    before: tuple[int, int]
    after: tuple[int, int]
    min_change: float = 0.02
    issue: Issue | None = None
    resolutions_only: bool = False

    def too_loose(self):
        out = []
        if not (self.state or self.states or self.scope):
            out.append((("state",), "whose movement: give state, states or scope"))
        for name in ("before", "after"):
            first, last = getattr(self, name)
            if first > last:
                out.append(((name,), f"{name} runs from {first} to {last}: the first year "
                            "comes first"))  # fmt: skip
        if self.before[1] >= self.after[0]:
            out.append((("after",), "the after period must start after the before period"))
        return out


def _alignment(p: TrendParams, ctx: Context, state: str) -> tuple[pd.DataFrame, str | None]:
    key = ("alignment", state, tuple(p.poles), p.before[0], p.after[1], p.issue, p.resolutions_only)
    if key not in ctx.cache:
        frame = alignment(
            ctx.store,
            state,
            poles=p.poles,
            since=p.before[0],
            until=p.after[1],
            issue=p.issue,
            resolutions_only=p.resolutions_only,
        )
        ctx.cache[key] = frame
    return ctx.cache[key], None


def _pooled_alignment(frame: pd.DataFrame, pole: str, span: tuple[int, int]) -> tuple[float, int]:
    """Agreement over a period: the yearly values weighted by their roll calls."""
    rows = frame[(frame["year"].astype(int) >= span[0]) & (frame["year"].astype(int) <= span[1])]
    n = rows[f"n_{pole}"].fillna(0).to_numpy(float)
    v = rows[pole].to_numpy(float)
    ok = ~np.isnan(v) & (n > 0)
    if not ok.any():
        return float("nan"), 0
    return float(np.average(v[ok], weights=n[ok])), int(n[ok].sum())


def _influence(ctx: Context, state: str, pole: str, p: TrendParams) -> pd.DataFrame:
    """The store's influence index of ``pole`` in ``state`` per year: ``year, value``."""
    years = range(p.before[0], p.after[1] + 1)
    # Both periods on the channels present in every year compared, as drift does: a trend
    # must not come from a channel appearing or disappearing (docs/influence.md).
    frame = influence(ctx.store, state, pole, years=years, kb=ctx.kb, same_channels=True)
    out = frame[["year", "index", "channels"]].rename(columns={"index": "value"})
    try:
        scores = channel_scores(ctx.store, state, pole, years=years, kb=ctx.kb)
        out.attrs["sources"] = sorted(set(scores["sources"].dropna().astype(str)))
    except Exception:  # noqa: BLE001 - the index stands without its source list
        out.attrs["sources"] = []
    return out


def _closeness(ctx: Context, state: str, pole: str, p: TrendParams) -> pd.DataFrame:
    """Minus the distance between the ideal points of ``state`` and ``pole`` per year, so
    that moving toward the pole is a rise: ``year, value``."""
    key = ("ideal_points", p.before[0], p.after[1], p.issue)
    if key not in ctx.cache:
        ctx.cache[key] = ideal_points(ctx.store, since=p.before[0], until=p.after[1], issue=p.issue)
    points = ctx.cache[key]
    per_year = points.groupby(["state", "year"])["estimate"].mean().unstack("state")
    if pole not in per_year or state not in per_year:
        raise LookupError(f"no ideal points for {state if state in per_year else pole}")
    value = -(per_year[state] - per_year[pole]).abs()
    return value.rename("value").reset_index()


def _one_state(p: TrendParams, ctx: Context, state: str, ev: Evidence) -> list[Check]:
    up = p.direction in ("toward", "up")
    checks = []
    if p.measure == "alignment":
        frame, _ = _alignment(p, ctx, state)
        ev.add_rows(f"{state} alignment", frame[["year", *p.poles, "n"]])
    for pole in p.poles:
        if pole == state:
            continue
        periods = f"{p.before[0]}–{p.before[1]} to {p.after[0]}–{p.after[1]}"
        what = f"{state} {p.direction} {pole} ({p.measure}, {periods})"
        if p.measure == "alignment":
            (b, nb), (a, na) = (_pooled_alignment(frame, pole, s) for s in (p.before, p.after))
            if min(nb, na) < MIN_ROLL_CALLS:
                checks.append(Check(what, None, f"too few roll calls ({nb}, {na})"))
                continue
        else:
            series = _influence if p.measure == "influence" else _closeness
            try:
                s = series(ctx, state, pole, p)
            # Any failure of an optional measure makes the pair not checkable, named.
            except Exception as exc:  # noqa: BLE001
                checks.append(Check(what, None, f"{p.measure} not available: {exc}"))
                continue
            ev.add_rows(f"{state} {pole} {p.measure}", s)
            for source in s.attrs.get("sources", []):
                ev.cite(source)
            b = s[s.year.between(*p.before)]["value"].mean()
            a = s[s.year.between(*p.after)]["value"].mean()
            if pd.isna(a) or pd.isna(b):
                checks.append(Check(what, None, f"no {p.measure} values for one of the periods"))
                continue
        change = a - b
        ev.figures[f"{state}-{pole} before"] = round(b, 4)
        ev.figures[f"{state}-{pole} after"] = round(a, 4)
        moved = change >= p.min_change if up else change <= -p.min_change
        checks.append(
            Check(what, bool(moved), f"{b:.3f} → {a:.3f} ({change:+.3f}; min. {p.min_change})")
        )
    return checks


@register("trend", TrendParams)
def evaluate(p: TrendParams, ctx: Context) -> Verdict:
    """A state's alignment, influence index or ideal point moved in a direction between periods."""
    if ctx.store is None:
        return not_checkable(f"{p.measure} trend", f"no vote store: {ctx.store_error}")
    end = store_end(ctx, "roll_calls")
    if end is not None and p.after[1] > year_end(end):
        return from_checks([end.check(f"{p.measure} trend to {p.after[1]}")], Evidence())
    listed = [s for s in [p.state, *(p.states or [])] if s]

    def one(reading):
        states = states_in(listed, reading, ctx.on, ctx.kb)
        ev, checks = Evidence(), []
        for state in states:
            checks += _one_state(p, ctx, state, ev)
        if p.measure == "alignment":
            from allegiance.store.store import UN_ATTRIBUTION

            ev.cite(UN_ATTRIBUTION)
        v = from_checks(checks, ev)
        held = sum(c.ok is True for c in checks)
        return v, states, f"{held} of {len(checks)} state-pole pairs moved {p.direction}"

    return by_reading(p.scope, one)
