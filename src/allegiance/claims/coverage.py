"""How far the data go, so that a claim about a later date is never decided.

Each source ends somewhere: the votes at the last roll call of the store, trade and arms
at their last year, a survey at its last wave (:meth:`Store.coverage_ends`). The
knowledge base has no end date of its own; it is taken to be known up to its *as-of
date*: the newest date of any source it cites (a citation's date or the day it was
accessed), since it was compiled from sources up to then. A record with an open end says
"still in force" only up to that date. A claim about a later date is
``not checkable (beyond the data: <source> ends <date>)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from allegiance.claims.verdict import Check

#: Knowledge-base collections by the name the claims kinds use.
KB_COLLECTIONS = {
    "memberships": "memberships",
    "presence": "military_presence",
    "forces": "military_presence",
    "office": "offices",
    "territory": "territories",
    "agreement": "agreements",
    "event": "events",
}


@dataclass(frozen=True)
class End:
    """The last day a source covers."""

    source: str
    last: date
    note: str = ""

    def reason(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"beyond the data: {self.source} ends {self.last.isoformat()}{note}"

    def check(self, what: str) -> Check:
        """The not-checkable part of a claim about a date after :attr:`last`."""
        return Check(what, None, self.reason())


def kb_end(ctx, collection: str | None = None) -> End:
    """The as-of date of the knowledge base: the newest date of any source it cites.

    ``collection`` (``memberships``, ``presence``, ...) only names, in the reason, the
    records the claim was checked against.
    """
    key = ("kb_end",)
    if key not in ctx.cache:
        days = [
            d.end
            for record in ctx.kb.records()
            for c in record.citations
            for d in (c.date, c.accessed)
            if d is not None
        ]
        ctx.cache[key] = max(days)
    name = KB_COLLECTIONS.get(collection, collection) if collection else None
    label = f" ({name.replace('_', ' ')})" if name else ""
    return End(f"the knowledge base{label}", ctx.cache[key], "the newest source it cites")


def _ends(ctx) -> pd.DataFrame:
    key = ("store_ends",)
    if key not in ctx.cache:
        ctx.cache[key] = ctx.store.coverage_ends()
    return ctx.cache[key]


def store_end(ctx, table: str, sources: list[str] | None = None) -> End | None:
    """The last day ``table`` covers (of the given sources, or of any), or None if absent."""
    ends = _ends(ctx)
    rows = ends[ends["table_name"] == table]
    if sources is not None:
        rows = rows[rows["source"].isin(sources)]
    if rows.empty:
        return None
    best = rows.loc[rows["last"].idxmax()]
    label = {"roll_calls": "the votes", "trade_flows": "trade", "arms_transfers": "arms"}.get(
        table, table
    )
    return End(f"{label} ({best['source']})", pd.Timestamp(best["last"]).date())


def year_end(end: End | None) -> int | None:
    """The last full year of data an :class:`End` covers (None if no data)."""
    if end is None:
        return None
    return end.last.year if end.last >= date(end.last.year, 12, 1) else end.last.year - 1
