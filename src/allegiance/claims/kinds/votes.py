"""``votes``: how a set of states voted on one or more roll calls, relative to a pole."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from allegiance.claims.kinds.base import Context, Params, region_on, register, scope_readings
from allegiance.claims.verdict import (
    Check,
    Evidence,
    ScopeResult,
    Verdict,
    across_scopes,
    from_checks,
    not_checkable,
)


class Expect(BaseModel):
    """What the claim says about the states that sided with the pole."""

    model_config = ConfigDict(extra="forbid")

    only: list[str] | None = None
    includes: list[str] | None = None
    excludes: list[str] | None = None
    at_most: int | None = None


class VotesParams(Params):
    resolutions: list[str] | None = None
    issue: str | None = None
    since: date | None = None
    until: date | None = None
    resolutions_only: bool = True
    pole: str = "RUS"
    side: Literal["with", "against"] = "with"
    mode: Literal["any", "majority", "all"] = "majority"
    scope: str | list[str] | None = None
    states: list[str] | None = None
    expect: Expect


def _roll_calls(p: VotesParams, ctx: Context) -> pd.DataFrame:
    store = ctx.store
    if p.resolutions:
        rows = [store.roll_call(s) for s in p.resolutions]
        return pd.DataFrame(rows).reset_index(drop=True)
    return store.roll_calls(
        issue=p.issue,
        since=p.since,
        until=p.until or ctx.on,
        kind="resolution" if p.resolutions_only else None,
    )


def _sided(p: VotesParams, table: pd.DataFrame) -> pd.DataFrame:
    """Per state: roll calls where both it and the pole cast a vote, and how many it sided."""
    cast = {"yes", "no", "abstain"}
    pole = table[p.pole]
    rows = []
    for state in table.columns.drop(p.pole):
        own = table[state]
        both = own.isin(cast) & pole.isin(cast)
        if p.side == "with":
            sided = both & (own == pole)
        else:
            sided = both & (own != pole) & own.isin({"yes", "no"}) & pole.isin({"yes", "no"})
        n, k = int(both.sum()), int(sided.sum())
        ok = {"any": k > 0, "all": n > 0 and k == n, "majority": n > 0 and k > n / 2}[p.mode]
        rows.append({"state": state, "voted": n, "sided": k, "sided_with_pole": ok})
    return pd.DataFrame(rows)


def _judge(p: VotesParams, members: list[str], per_state: pd.DataFrame) -> tuple[list[Check], str]:
    inside = per_state[per_state["state"].isin(members)]
    sided = sorted(inside.loc[inside["sided_with_pole"], "state"])
    e, checks = p.expect, []
    verb = "voted with" if p.side == "with" else "voted against"
    if e.only is not None:
        checks.append(
            Check(
                f"only {', '.join(e.only) or 'none'} {verb} {p.pole}",
                sided == sorted(e.only),
                f"{verb} {p.pole}: {', '.join(sided) or 'none'}",
            )
        )
    if e.includes:
        checks.append(
            Check(
                f"{', '.join(e.includes)} {verb} {p.pole}",
                set(e.includes) <= set(sided),
                f"{verb} {p.pole}: {', '.join(sided) or 'none'}",
            )
        )
    if e.excludes:
        hit = sorted(set(e.excludes) & set(sided))
        checks.append(
            Check(
                f"none of {', '.join(e.excludes)} {verb} {p.pole}",
                not hit,
                f"{', '.join(hit)} did" if hit else "",
            )
        )
    if e.at_most is not None:
        checks.append(
            Check(
                f"at most {e.at_most} {verb} {p.pole}",
                len(sided) <= e.at_most,
                f"{len(sided)}: {', '.join(sided) or 'none'}",
            )
        )
    return checks, f"{verb} {p.pole}: {', '.join(sided) or 'none'} (of {len(members)} states)"


@register("votes", VotesParams)
def evaluate(p: VotesParams, ctx: Context) -> Verdict:
    """How states voted on roll calls relative to a pole, under each reading of the scope."""
    what = f"votes relative to {p.pole}"
    if ctx.store is None:
        return not_checkable(what, f"no vote store: {ctx.store_error}")
    from allegiance.store.store import UN_ATTRIBUTION, UnknownRollCallError

    try:
        rc = _roll_calls(p, ctx)
    except (UnknownRollCallError, ValueError) as exc:
        return not_checkable(what, f"roll call not in the store: {exc}")
    if rc.empty:
        return not_checkable(what, "no roll call in the store matches the selection")
    columns = {}
    for _, r in rc.iterrows():
        v = ctx.store.votes(int(r["id"]))
        columns[str(r["symbol"] or r["id"])] = v.set_index("state")["vote"]
    wide = pd.DataFrame(columns)
    if p.pole not in wide.index:
        return not_checkable(what, f"{p.pole} has no recorded vote on these roll calls")
    per_state = _sided(p, wide.T)
    last_day = pd.Timestamp(rc["date"].max()).date()
    readings = scope_readings(p.scope) or ["listed states"]
    citations = ctx.store.citations().set_index("source")["citation"]
    results = []
    for name in readings:
        members = list(p.states or []) if name == "listed states" else region_on(name, last_day)
        members = [m for m in members if m != p.pole]
        checks, detail = _judge(p, members, per_state)
        ev = Evidence()
        shown = wide.loc[wide.index.isin([*members, p.pole])].reset_index(names="state")
        ev.add_rows("votes", shown.merge(per_state, on="state", how="left"))
        ev.figures.update(
            roll_calls=len(rc),
            states_in_scope=len(members),
            mode=p.mode,
            sided=sorted(
                per_state[per_state.state.isin(members) & per_state.sided_with_pole].state
            ),
        )
        for symbol, source in zip(rc["symbol"], rc["source"], strict=True):
            ev.cite(f"{symbol}: {citations.get(source, source)}")
        ev.cite(UN_ATTRIBUTION)
        v = from_checks(checks, ev)
        results.append((ScopeResult(name, sorted(members), v.verdict, detail), v))
    if len(results) == 1:
        scope, v = results[0]
        v.scopes = [scope]
        v.summary = f"{scope.detail} — {v.summary}"
        return v
    return across_scopes(results)
