"""``presence``: a pole's forces, offices or controlled territory in a state on a date,
and their withdrawal or closure."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field

from allegiance.claims import citing
from allegiance.claims.coverage import kb_end
from allegiance.claims.kinds.base import (
    Context,
    Params,
    Partner,
    PresenceKinds,
    Scope,
    State,
    States,
    When,
    by_reading,
    date_check,
    fuzzy,
    register,
)
from allegiance.claims.scopes import members
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks, not_checkable
from allegiance.kb import query


class PresenceParams(Params):
    of: Literal["forces", "office", "territory"] = "forces"
    sender: Partner = "RUS"
    host: State | None = None
    kinds: PresenceKinds | None = None
    site: str | None = None
    agency: str | None = None
    on: When | None = None
    expect: Literal["present", "ended"] = "present"
    count: Annotated[int, Field(ge=0)] | None = None
    when: When | None = None
    scope: Scope | None = None
    only: States | None = None

    def too_loose(self):
        out = []
        if self.host is None and self.scope is None:
            out.append((("host",), "where: give host or scope"))
        if self.only is not None and self.scope is None:
            out.append((("only",), "only needs a scope to compare within"))
        if self.when is not None and self.expect != "ended":
            out.append((("when",), "when is the date of a withdrawal or closure: "
                        "use it with expect: ended"))  # fmt: skip
        return out


_END = {"forces": "end", "office": "closed", "territory": "until"}
_START = {"forces": "start", "office": "opened", "territory": "since"}
_HOST = {"forces": "host", "office": "host", "territory": "de_jure"}


def _rows(p: PresenceParams, ctx: Context, hosts: list[str] | None) -> pd.DataFrame:
    if p.of == "forces":
        rows = query.presence(ctx.kb, sender=p.sender)
        if p.kinds:
            rows = rows[rows["kind"].isin(p.kinds)]
        if p.site:
            rows = rows[rows["site"].str.contains(p.site, case=False, na=False)]
    elif p.of == "office":
        rows = query.offices(ctx.kb, sender=p.sender)
        if p.agency:
            rows = rows[rows["agency"].str.contains(p.agency, case=False, na=False)]
    else:
        rows = query.territories(ctx.kb)
        rows = rows[(rows["controlled_by"] == p.sender) | (rows["backed_by"] == p.sender)]
        if p.kinds:  # occupied, separatist or annexed
            rows = rows[rows["status"].isin(p.kinds)]
        if p.site:
            rows = rows[rows["name"].str.contains(p.site, case=False, na=False)]
    if hosts is not None:
        rows = rows[rows[_HOST[p.of]].isin(hosts)]
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


def _sources(ctx, p, rows: pd.DataFrame, ended: bool) -> list[dict]:
    col = _END[p.of] if ended else _START[p.of]
    words = citing.END_WORDS if ended else ("deploy", "open", "station", "base", "agree")
    out = []
    for _, r in rows.iterrows():
        record = citing.record_by_id(ctx.kb, r["id"])
        out += citing.backing(record, r[col] if isinstance(r[col], str) else None, words)
    return out


def _only(p: PresenceParams, ctx: Context, on: date) -> Verdict:
    def one(reading):
        states = members(reading, on, ctx.kb)
        rows = _rows(p, ctx, states)
        live = rows[_in_force(rows, on)]
        hosts = sorted(set(live[_HOST[p.of]]))
        ev = Evidence()
        ev.add_rows("records", live)
        ev.figures["hosts"] = hosts
        check = Check(
            f"only {', '.join(p.only) or 'none'} host {p.sender} {p.of} on {on}",
            hosts == sorted(p.only),
            f"hosts: {', '.join(hosts) or 'none'}",
            _sources(ctx, p, live, ended=False),
        )
        return from_checks([check], ev), states, check.detail

    return by_reading(p.scope, one)


@register("presence", PresenceParams)
def evaluate(p: PresenceParams, ctx: Context) -> Verdict:
    """A pole's forces, offices or territory in a state: present on a date, or ended (when)."""
    on = fuzzy(p.on).start if p.on is not None else ctx.on
    end = kb_end(ctx, p.of)
    claimed = fuzzy(p.when)
    if on > end.last or (claimed is not None and claimed.start > end.last):
        late = on if on > end.last else p.when
        return from_checks([end.check(f"{p.sender} {p.of} on {late}")], Evidence())
    if p.only is not None:
        return _only(p, ctx, on)

    def one(reading):
        hosts = [p.host] if p.host else []
        if reading is not None:
            hosts += [s for s in members(reading, on, ctx.kb) if s not in hosts]
        rows = _rows(p, ctx, hosts)
        where = p.host if reading is None else reading
        what = f"{p.sender} {p.of} in {where}"
        ev = Evidence()
        ev.add_rows("records", rows)
        caveats = _caveats(rows)
        if rows.empty:
            v = not_checkable(what, "the knowledge base records no such presence", ev)
            return v, hosts, "no record"
        live = rows[_in_force(rows, on)]
        ev.figures["in force on " + str(on)] = len(live)
        if p.expect == "present":
            if p.count is not None:
                check = Check(
                    f"{p.count} {what} on {on}",
                    len(live) == p.count,
                    f"{len(live)}: " + "; ".join(_label(p, r) for _, r in live.iterrows()),
                    _sources(ctx, p, live, ended=False),
                )
            else:
                check = Check(f"{what} on {on}", not live.empty, f"{len(live)} in force",
                              _sources(ctx, p, live, ended=False))  # fmt: skip
            return from_checks([check], ev, caveats=caveats), hosts, check.detail
        checks, corrections = [], []
        for i, r in rows.iterrows():
            ended = r[_END[p.of]]
            label = _label(p, r)
            sources = _sources(ctx, p, rows.loc[[i]], ended=True)
            if ended is None or pd.isna(ended):
                checks.append(Check(f"{label} ended by {on}", False,
                                    f"still in place as of {end.last} (the data's as-of date)",
                                    sources))  # fmt: skip
                continue
            if fuzzy(ended).start > on:
                checks.append(Check(f"{label} ended by {on}", False, f"ended only in {ended}",
                                    sources))  # fmt: skip
                continue
            if claimed is None:
                checks.append(Check(f"{label} ended by {on}", True, f"ended {ended}", sources))
                continue
            ok = date_check(claimed, fuzzy(ended))
            checks.append(Check(f"{label} ended in {p.when}", ok, f"ended {ended}", sources))
            if ok is False:
                cite = sources[0]["text"] if sources else r["citation"]
                corrections.append(f"{label} ended in {ended}, not {p.when} (source: {cite})")
        v = from_checks(checks, ev, corrections, caveats=caveats)
        return v, hosts, f"{sum(c.ok is True for c in checks)} of {len(checks)} ended"

    return by_reading(p.scope, one, label=p.host or "")
