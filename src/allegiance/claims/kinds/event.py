"""``event``: that an event happened (or an agreement was signed), when, and its figures."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd

from allegiance.claims.kinds.base import Context, Params, When, date_check, fuzzy, register
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks, not_checkable
from allegiance.kb import query


class EventParams(Params):
    record: Literal["event", "agreement"] = "event"
    kind: str | list[str] | None = None
    actors: list[str] | None = None
    text: str | None = None
    since: When | None = None
    until: When | None = None
    date: When | None = None
    figures: dict[str, int | float | str] = {}
    by: dt.date | None = None


def _find(p: EventParams, ctx: Context) -> pd.DataFrame:
    kinds = [p.kind] if isinstance(p.kind, str) else p.kind
    if p.record == "event":
        rows = query.events(ctx.kb)
        actors_col, date_col, text_cols = "actors", "date", ("summary", "place")
    else:
        rows = query.agreements(ctx.kb)
        actors_col, date_col, text_cols = "parties", "signed", ("name", "note")
    if kinds:
        rows = rows[rows["kind"].isin(kinds)]
    for actor in p.actors or []:
        rows = rows[rows[actors_col].fillna("").str.split(",").apply(lambda a, x=actor: x in a)]
    if p.text:
        hay = rows[list(text_cols)].fillna("").agg(" ".join, axis=1)
        rows = rows[hay.str.contains(p.text, case=False, regex=False)]
    start = pd.to_datetime(rows[date_col].map(lambda d: fuzzy(d).start))
    if p.since is not None:
        rows = rows[start >= pd.Timestamp(fuzzy(p.since).start)]
    if p.until is not None:
        rows = rows[start.loc[rows.index] <= pd.Timestamp(fuzzy(p.until).end)]
    return rows.assign(when=rows[date_col]).reset_index(drop=True)


def _figure_check(name: str, claimed, recorded) -> bool | None:
    if recorded is None:
        return None
    if isinstance(claimed, (int, float)) and isinstance(recorded, (int, float)):
        return float(claimed) == float(recorded)
    if isinstance(claimed, str) and isinstance(recorded, str):
        return claimed.lower() in recorded.lower()
    return None


def _figures(ctx: Context, record: str, ids: list[str]) -> dict[str, dict]:
    if record != "event":
        return {i: {} for i in ids}
    by_id = {e.id: e for e in ctx.kb.events}
    return {i: dict(by_id[i].figures) for i in ids}


@register("event", EventParams)
def evaluate(p: EventParams, ctx: Context) -> Verdict:
    """That an event happened by a date, on the date claimed, with the figures claimed."""
    by = p.by or ctx.on
    what = f"{p.record} {p.kind or ''} of {', '.join(p.actors or [])} {p.text or ''}".strip()
    found = _find(p, ctx)
    ev = Evidence()
    cols = [
        c
        for c in (
            "id",
            "when",
            "kind",
            "actors",
            "parties",
            "name",
            "figures",
            "summary",
            "citation",
            "citation_url",
            "file",
            "line",
        )
        if c in found
    ]
    ev.add_rows("records", found[cols])
    if found.empty:
        return not_checkable(what, "the knowledge base records no such event", ev)
    caveats = [
        f"{r['id']}: {r[c]}"
        for _, r in found.iterrows()
        for c in ("confidence", "note")
        if isinstance(r.get(c), str)
    ]
    checks, corrections = [], []
    happened = found[found["when"].map(lambda d: fuzzy(d).start <= by)]
    if happened.empty:
        later = "; ".join(f"{r['id']} on {r['when']}" for _, r in found.iterrows())
        checks.append(Check(f"happened by {by}", False, f"only later: {later}"))
        corrections.append(
            f"as of {by} this had not happened; the knowledge base dates it {later} "
            f"(source: {found['citation'].iloc[0]})"
        )
        return from_checks(checks, ev, corrections, caveats)
    candidates = happened
    if p.date is not None:
        claimed = fuzzy(p.date)
        results = {r["id"]: date_check(claimed, fuzzy(r["when"])) for _, r in happened.iterrows()}
        matching = [i for i, ok in results.items() if ok]
        dates = ", ".join(f"{r['when']} ({r['id']})" for _, r in happened.iterrows())
        if matching:
            checks.append(Check(f"in {p.date}", True, f"dated {dates}"))
            candidates = happened[happened["id"].isin(matching)]
        elif None in results.values():
            checks.append(Check(f"in {p.date}", None, f"the sources date it only as {dates}"))
        else:
            checks.append(Check(f"in {p.date}", False, f"dated {dates}"))
            corrections.append(
                f"the date is {dates}, not {p.date} (source: {happened['citation'].iloc[0]})"
            )
    else:
        checks.append(Check(f"happened by {by}", True, f"{len(happened)} record(s)"))
    figures = _figures(ctx, p.record, candidates["id"].tolist())
    for name, claimed in p.figures.items():
        recorded = [f[name] for f in figures.values() if name in f]
        ev.figures[name] = recorded[0] if len(recorded) == 1 else recorded
        results = [_figure_check(name, claimed, r) for r in recorded]
        if not recorded:
            checks.append(
                Check(f"{name} = {claimed}", None, f"no figure {name!r} in the knowledge base")
            )
            continue
        ok = True if True in results else (False if False in results else None)
        checks.append(
            Check(f"{name} = {claimed}", ok, f"recorded: {', '.join(map(str, recorded))}")
        )
        if ok is False:
            cite = candidates["citation"].iloc[0]
            corrections.append(
                f"{name} is {', '.join(map(str, recorded))}, not {claimed} (source: {cite})"
            )
    return from_checks(checks, ev, corrections, caveats)
