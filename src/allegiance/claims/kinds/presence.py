"""``presence``: a pole's forces, offices or controlled territory in a state on a date,
and their withdrawal or closure."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd

from allegiance.claims.kinds.base import (
    Context,
    Params,
    When,
    date_check,
    fuzzy,
    region_on,
    register,
    scope_readings,
)
from allegiance.claims.verdict import (
    Check,
    Evidence,
    ScopeResult,
    Verdict,
    across_scopes,
    from_checks,
    not_checkable,
)
from allegiance.kb import query


class PresenceParams(Params):
    of: Literal["forces", "office", "territory"] = "forces"
    sender: str = "RUS"
    host: str | None = None
    kinds: list[str] | None = None
    site: str | None = None
    agency: str | None = None
    on: date | None = None
    expect: Literal["present", "ended"] = "present"
    count: int | None = None
    when: When | None = None
    scope: str | list[str] | None = None
    only: list[str] | None = None


_END = {"forces": "end", "office": "closed", "territory": "until"}
_START = {"forces": "start", "office": "opened", "territory": "since"}


def _rows(p: PresenceParams, ctx: Context, host: str | None = None) -> pd.DataFrame:
    host = host or p.host
    if p.of == "forces":
        rows = query.presence(ctx.kb, sender=p.sender, host=host)
        if p.kinds:
            rows = rows[rows["kind"].isin(p.kinds)]
        if p.site:
            rows = rows[rows["site"].str.contains(p.site, case=False, na=False)]
    elif p.of == "office":
        rows = query.offices(ctx.kb, sender=p.sender, host=host)
        if p.agency:
            rows = rows[rows["agency"].str.contains(p.agency, case=False, na=False)]
    else:
        rows = query.territories(ctx.kb)
        rows = rows[(rows["controlled_by"] == p.sender) | (rows["backed_by"] == p.sender)]
        if host:
            rows = rows[rows["de_jure"] == host]
    return rows.reset_index(drop=True)


def _in_force(rows: pd.DataFrame, on: date) -> pd.Series:
    day = pd.Timestamp(on)
    return (rows["first_day"] <= day) & (rows["last_day"].isna() | (day <= rows["last_day"]))


def _label(p: PresenceParams, r) -> str:
    if p.of == "forces":
        return f"{r['site']} ({r['kind']})"
    return str(r["name"])


def _caveats(rows: pd.DataFrame) -> list[str]:
    out = []
    for col in ("closure_note", "confidence"):
        if col in rows:
            out += [f"{r['id']}: {r[col]}" for _, r in rows.iterrows() if isinstance(r[col], str)]
    return out


def _only(p: PresenceParams, ctx: Context, on: date) -> Verdict:
    rows = _rows(p, ctx)
    live = rows[_in_force(rows, on)]
    host_col = "de_jure" if p.of == "territory" else "host"
    results = []
    for name in scope_readings(p.scope):
        members = region_on(name, on)
        hosts = sorted(set(live.loc[live[host_col].isin(members), host_col]))
        ev = Evidence()
        ev.add_rows("records", live[live[host_col].isin(members)])
        ev.figures["hosts"] = hosts
        check = Check(
            f"only {', '.join(p.only) or 'none'} host {p.sender} {p.of} on {on}",
            hosts == sorted(p.only),
            f"hosts: {', '.join(hosts) or 'none'}",
        )
        v = from_checks([check], ev)
        results.append((ScopeResult(name, members, v.verdict, check.detail), v))
    if len(results) == 1:
        results[0][1].scopes = [results[0][0]]
        return results[0][1]
    return across_scopes(results)


@register("presence", PresenceParams)
def evaluate(p: PresenceParams, ctx: Context) -> Verdict:
    """A pole's forces, offices or territory in a state: present on a date, or ended (when)."""
    on = p.on or ctx.on
    if p.only is not None:
        if not p.scope:
            return not_checkable("presence", "`only` needs a `scope` to compare within")
        return _only(p, ctx, on)
    rows = _rows(p, ctx)
    what = f"{p.sender} {p.of} in {p.host or 'any state'}"
    ev = Evidence()
    ev.add_rows("records", rows)
    caveats = _caveats(rows)
    if rows.empty:
        return not_checkable(what, "the knowledge base records no such presence", ev)
    live = rows[_in_force(rows, on)]
    ev.figures["in force on " + str(on)] = len(live)
    checks, corrections = [], []
    if p.expect == "present":
        if p.count is not None:
            checks.append(
                Check(
                    f"{p.count} {what} on {on}",
                    len(live) == p.count,
                    f"{len(live)}: " + "; ".join(_label(p, r) for _, r in live.iterrows()),
                )
            )
        else:
            checks.append(Check(f"{what} on {on}", not live.empty, f"{len(live)} in force"))
        return from_checks(checks, ev, caveats=caveats)
    claimed = fuzzy(p.when)
    for _, r in rows.iterrows():
        end = r[_END[p.of]]
        label = _label(p, r)
        if end is None or pd.isna(end):
            checks.append(
                Check(f"{label} ended by {on}", False, "still in place per the knowledge base")
            )
            continue
        if fuzzy(end).start > on:
            checks.append(Check(f"{label} ended by {on}", False, f"ended only in {end}"))
            continue
        if claimed is None:
            checks.append(Check(f"{label} ended by {on}", True, f"ended {end}"))
            continue
        ok = date_check(claimed, fuzzy(end))
        checks.append(Check(f"{label} ended in {p.when}", ok, f"ended {end}"))
        if ok is False:
            corrections.append(f"{label} ended in {end}, not {p.when} (source: {r['citation']})")
    return from_checks(checks, ev, corrections, caveats=caveats)
