"""``event``: that something happened, when, and its figures.

The search covers every dated moment of the knowledge base: events; the signature (and
end) of agreements; the deployment and withdrawal of military presence; the opening and
closing of offices; the start and end of control of territories. A claim names the
record directly (``record: <id>``) or finds it by actors, kind, words and dates (see
:mod:`allegiance.claims.matching` for how words match). A correction (a wrong date or
figure) is offered only when the claim identifies its record: by id, or by words or a
kind that leave one record for the claim's actors; otherwise the claim is
``not checkable`` and the verdict says what was searched and found.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from allegiance.claims import citing
from allegiance.claims.coverage import kb_end
from allegiance.claims.kinds.base import (
    Actors,
    Context,
    EventKinds,
    Params,
    RecordRef,
    When,
    date_check,
    fuzzy,
    one_or_many,
    register,
)
from allegiance.claims.matching import contains, record_text, sentence
from allegiance.claims.refs import RECORD_TYPES
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks, not_checkable
from allegiance.kb.models import FuzzyDate


class EventParams(Params):
    record: RecordRef = "any"
    kind: EventKinds | None = None
    actors: Actors | None = None
    text: str | None = None
    since: When | None = None
    until: When | None = None
    date: When | None = None
    figures: dict[str, int | float | str] = {}
    by: When | None = None

    def too_loose(self):
        named = self.record not in RECORD_TYPES
        dated = self.date is not None or self.since is not None or self.until is not None
        if named or self.text or (self.actors and (self.kind or dated)) or (self.kind and dated):
            return []
        return [(("actors",), "the check does not say which record: give record: <id>, "
                 "words (text), or actors with a kind or a date")]  # fmt: skip


@dataclass(frozen=True)
class Moment:
    """One dated moment of a knowledge-base record."""

    type: str  # event, agreement, presence, office, territory
    record: object
    moment: str  # what happened then: event, signature, deployment, withdrawal, ...
    kinds: frozenset[str]  # the kinds a claim may call it by
    when: FuzzyDate
    actors: frozenset[str]

    @property
    def id(self) -> str:
        return self.record.id


_CONTROL = {"annexed": "annexation", "occupied": "occupation", "separatist": "secession"}
#: The kinds of moment a claim may name besides the kinds of events and agreements.
MOMENT_KINDS = ("signature", "end", "deployment", "withdrawal", "opening", "closure",
                *_CONTROL.values(), "end of control")  # fmt: skip
#: Words that describe each moment, for picking the citations that back it.
_WORDS = {
    "withdrawal": citing.END_WORDS,
    "closure": ("clos", "terminat", "shut", "ceas"),
    "end": ("end", "terminat", "expir", "withdr"),
    "end of control": ("retook", "restor", "dissol", "end"),
    "deployment": ("deploy", "arriv", "station", "open", "agree"),
    "opening": ("open", "inaugur", "establish"),
    "signature": ("sign", "conclud", "agree"),
}
_COLLECTION = {
    "event": "events",
    "agreement": "agreements",
    "presence": "military_presence",
    "office": "offices",
    "territory": "territories",
}


def _moments(kb) -> list[Moment]:
    out = []
    for e in kb.events:
        out.append(Moment("event", e, "event", frozenset({e.kind}), e.date, frozenset(e.actors)))
    for a in kb.agreements:
        parties = frozenset(a.parties)
        out.append(Moment("agreement", a, "signature", frozenset({"signature", a.kind}), a.signed,
                          parties))  # fmt: skip
        if a.ended is not None:
            out.append(Moment("agreement", a, "end", frozenset({"end"}), a.ended, parties))
    for m in kb.military_presence:
        sides = frozenset({m.sender, m.host})
        out.append(Moment("presence", m, "deployment", frozenset({"deployment", m.kind}), m.start,
                          sides))  # fmt: skip
        if m.end is not None:
            out.append(Moment("presence", m, "withdrawal", frozenset({"withdrawal", m.kind}), m.end,
                              sides))  # fmt: skip
    for o in kb.offices:
        sides = frozenset({o.sender, o.host})
        out.append(Moment("office", o, "opening", frozenset({"opening"}), o.opened, sides))
        if o.closed is not None:
            out.append(Moment("office", o, "closure", frozenset({"closure"}), o.closed, sides))
    for t in kb.territories:
        sides = frozenset(s for s in (t.de_jure, t.controlled_by, t.backed_by) if s and len(s) == 3)
        start = _CONTROL[t.status]
        out.append(Moment("territory", t, start, frozenset({start}), t.since, sides))
        if t.until is not None:
            out.append(Moment("territory", t, "end of control", frozenset({"end of control"}),
                              t.until, sides))  # fmt: skip
    return out


#: The words a moment adds to its record's text: a presence record's end is its withdrawal.
_MOMENT_WORDS = {
    "signature": "signature signed",
    "end": "end ended terminated",
    "deployment": "deployment deployed stationed",
    "withdrawal": "withdrawal withdrawn withdrew",
    "opening": "opening opened",
    "closure": "closure closed",
    "annexation": "annexation annexed",
    "occupation": "occupation occupied",
    "secession": "secession separatist",
    "end of control": "end of control",
}


def _text(ctx: Context, m: Moment, primary: bool) -> str:
    key = ("event_text", m.type, m.id, primary)
    if key not in ctx.cache:
        ctx.cache[key] = record_text(m.record, primary)
    extra = _MOMENT_WORDS.get(m.moment, "") if primary else ""
    return f"{ctx.cache[key]} {extra}"


def _find(p: EventParams, ctx: Context) -> tuple[list[Moment], list[tuple[Moment, str]]]:
    """The moments the claim may be about, and the records that only mention its words
    (in a note or a cited document), each with the sentence that does."""
    key = ("event_moments",)
    if key not in ctx.cache:
        ctx.cache[key] = _moments(ctx.kb)
    found: list[Moment] = ctx.cache[key]
    if p.record in RECORD_TYPES:
        if p.record != "any":
            found = [m for m in found if m.type == p.record]
    else:
        found = [m for m in found if m.id == p.record]
    actors = set(p.actors or [])
    found = [m for m in found if actors <= m.actors]
    kinds = set(one_or_many(p.kind))
    if kinds:
        found = [m for m in found if kinds & m.kinds]
    if p.since is not None:
        found = [m for m in found if m.when.start >= fuzzy(p.since).start]
    if p.until is not None:
        found = [m for m in found if m.when.start <= fuzzy(p.until).end]
    mentions: list[tuple[Moment, str]] = []
    if p.text:
        about = [m for m in found if contains(_text(ctx, m, True), p.text)]
        seen = {m.id for m in about}
        for m in found:
            if m.id in seen:
                continue
            said = sentence(_text(ctx, m, False), p.text)
            if said:
                mentions.append((m, said))
                seen.add(m.id)
        found = about
    return found, mentions


def _searched(p: EventParams) -> str:
    parts = [f"{p.record} records" if p.record in RECORD_TYPES else f"record {p.record}"]
    if p.actors:
        parts.append(f"with actors {', '.join(p.actors)}")
    if p.kind:
        parts.append(f"of kind {' or '.join(one_or_many(p.kind))}")
    if p.text:
        parts.append(f"whose text has the words {p.text!r}")
    if p.since or p.until:
        parts.append(f"dated {p.since or '…'} to {p.until or '…'}")
    return "searched " + " ".join(parts)


def _identified(p: EventParams, moments: list[Moment]) -> bool:
    """Whether the claim picks out its record: by id, or by words or a kind that leave one
    record (per kind claimed) for its actors."""
    if p.record not in RECORD_TYPES:
        return True
    if not (p.text or p.kind):
        return False
    groups = [[m for m in moments if k in m.kinds] for k in one_or_many(p.kind)] or [moments]
    return all(len({m.id for m in g}) == 1 for g in groups if g)


def _frame(moments: list[Moment]) -> pd.DataFrame:
    rows = []
    for m in moments:
        r = m.record
        about = getattr(r, "summary", None) or getattr(r, "name", None) or getattr(r, "site", "")
        sources = citing.backing(r, m.when, _WORDS.get(m.moment, ()))
        rows.append({
            "id": m.id, "record": m.type, "moment": m.moment, "when": str(m.when),
            "kind": ", ".join(sorted(m.kinds)), "actors": ", ".join(sorted(m.actors)),
            "about": about, "citation": sources[0]["text"] if sources else "",
            "citation_url": sources[0]["url"] if sources else None, "file": r.file, "line": r.line,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["id", "record", "moment", "when", "kind", "actors", "about",
                                       "citation", "citation_url", "file", "line"])  # fmt: skip


def _sources(moments: list[Moment]) -> list[dict]:
    out = []
    for m in moments:
        for s in citing.backing(m.record, m.when, _WORDS.get(m.moment, ())):
            if s not in out:
                out.append(s)
    return out


def _dates(moments: list[Moment]) -> str:
    return ", ".join(f"{m.when} ({m.id}{'' if m.moment == 'event' else ', ' + m.moment})"
                     for m in moments)  # fmt: skip


def _figure_check(claimed, recorded) -> bool | None:
    if recorded is None:
        return None
    if isinstance(claimed, (int, float)) and isinstance(recorded, (int, float)):
        return float(claimed) == float(recorded)
    if isinstance(claimed, str) and isinstance(recorded, str):
        return claimed.lower() in recorded.lower()
    return None


@register("event", EventParams)
def evaluate(p: EventParams, ctx: Context) -> Verdict:
    """That something happened by a date, on the date claimed, with the figures claimed."""
    by = fuzzy(p.by).end if p.by is not None else ctx.on
    what = " ".join(
        x for x in (p.record if p.record != "any" else "record", " or ".join(one_or_many(p.kind)),
                    "of " + ", ".join(p.actors) if p.actors else "", repr(p.text) if p.text else "")
        if x
    )  # fmt: skip
    found, mentions = _find(p, ctx)
    ev = Evidence()
    ev.add_rows("records", _frame(found))
    if mentions:
        ev.add_rows("records that only mention the words", _frame([m for m, _ in mentions]))
    end = kb_end(ctx, _COLLECTION.get(p.record))
    claimed = fuzzy(p.date)
    late = [d for d in (claimed.start if claimed else None, by) if d is not None and d > end.last]
    if claimed is not None and claimed.start > end.last:
        return from_checks([end.check(f"{what} in {p.date}")], ev)
    if not found:
        if mentions:
            said = "; ".join(f"{m.id} ({m.type}) says: {text}" for m, text in mentions)
            v = not_checkable(what, f"{_searched(p)}: no record is about it; only mentioned in "
                              f"passing in a record about something else: {said}", ev)  # fmt: skip
            v.caveats = [f"{m.id}: {text}" for m, text in mentions]
            return v
        return not_checkable(what, f"{_searched(p)}: the knowledge base records none", ev)
    caveats = [f"{m.id}: {text}" for m in {m.id: m for m in found}.values()
               for text in (getattr(m.record, "confidence", None), getattr(m.record, "note", None))
               if isinstance(text, str)]  # fmt: skip
    checks, corrections = [], []
    happened = [m for m in found if m.when.start <= by]
    if not happened:
        later = _dates(found)
        if late:
            checks.append(end.check(f"happened by {by}"))
        elif _identified(p, found):
            checks.append(Check(f"happened by {by}", False, f"only later: {later}",
                                _sources(found)))  # fmt: skip
            corrections.append(f"as of {by} this had not happened; the knowledge base dates it "
                               f"{later} (source: {_sources(found)[0]['text']})")  # fmt: skip
        else:
            checks.append(Check(f"happened by {by}", None,
                                f"{_searched(p)}: found only later records that may be other "
                                f"events: {later}"))  # fmt: skip
        return from_checks(checks, ev, corrections, caveats)
    candidates = happened
    if claimed is not None:
        results = [(m, date_check(claimed, m.when)) for m in happened]
        matching = [m for m, ok in results if ok]
        if matching:
            checks.append(Check(f"in {p.date}", True, f"dated {_dates(matching)}",
                                _sources(matching)))  # fmt: skip
            candidates = matching
        elif any(ok is None for _, ok in results):
            vague = [m for m, ok in results if ok is None]
            checks.append(Check(f"in {p.date}", None,
                                f"the sources date it only as {_dates(vague)}", _sources(vague)))  # fmt: skip
        elif _identified(p, happened):
            checks.append(Check(f"in {p.date}", False, f"dated {_dates(happened)}",
                                _sources(happened)))  # fmt: skip
            corrections.append(f"the date is {_dates(happened)}, not {p.date} "
                               f"(source: {_sources(happened)[0]['text']})")  # fmt: skip
        else:
            checks.append(Check(f"in {p.date}", None,
                                f"{_searched(p)}: no record dated {p.date}; found only records "
                                f"that may be other events: {_dates(happened)}"))  # fmt: skip
    else:
        checks.append(Check(f"happened by {by}", True, f"{len({m.id for m in happened})} "
                            f"record(s): {_dates(happened)}", _sources(happened)))  # fmt: skip
    figures = {m.id: dict(getattr(m.record, "figures", {}) or {}) for m in candidates}
    for name, value in p.figures.items():
        recorded = [f[name] for f in figures.values() if name in f]
        ev.figures[name] = recorded[0] if len(recorded) == 1 else recorded
        if not recorded:
            checks.append(Check(f"{name} = {value}", None,
                                f"no figure {name!r} in the knowledge base"))  # fmt: skip
            continue
        results = [_figure_check(value, r) for r in recorded]
        ok = True if True in results else (False if False in results else None)
        backing = [s for m in candidates if name in figures[m.id]
                   for s in citing.backing(m.record, None, (str(figures[m.id][name]),))]  # fmt: skip
        shown = ", ".join(map(str, recorded))
        checks.append(Check(f"{name} = {value}", ok, f"recorded: {shown}", backing))
        if ok is False:
            cite = backing[0]["text"] if backing else ""
            corrections.append(f"{name} is {shown}, not {value} (source: {cite})")
    return from_checks(checks, ev, corrections, caveats)
