"""The sources that back the fact a claim is checked against.

A knowledge-base record cites several documents; often one gives the start of a
membership, another its end. The fact checked (a join, an exit, a status on a date, a
withdrawal) is backed by the citations that speak of it: those whose quoted words or
title mention the fact's year, or words of the fact ("withdr", "suspend", ...). When no
citation does, every citation of the record is shown, never only the first.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from allegiance.kb.models import FuzzyDate

#: Records by (file, line), per knowledge base (kept with the base it indexes).
_INDEXES: dict[int, tuple[Any, dict[tuple[str, int], Any]]] = {}


def _index(kb) -> dict[tuple[str, int], Any]:
    held = _INDEXES.get(id(kb))
    if held is None or held[0] is not kb:
        index = {(r.file, r.line): r for r in kb.records()}
        held = _INDEXES[id(kb)] = (kb, index)
    return held[1]


def record_at(kb, file: str, line: int):
    """The knowledge-base record read from ``file`` at ``line`` (None if there is none)."""
    try:
        return _index(kb).get((str(file), int(line)))
    except (TypeError, ValueError):
        return None


def record_by_id(kb, record_id: str):
    """The record with id ``record_id`` in any collection that has ids (None if none)."""
    return next((r for r in kb.records() if getattr(r, "id", None) == record_id), None)


def entry(citation) -> dict[str, str | None]:
    """A citation as evidence: its one-line text, URL and quoted words."""
    return {"text": citation.one_line(), "url": citation.url, "quote": citation.quote}


def _year(day: date | FuzzyDate | str | None) -> str | None:
    if day is None:
        return None
    if isinstance(day, (date, FuzzyDate)):
        return str(day.year if isinstance(day, date) else day.start.year)
    match = re.match(r"\d{4}", str(day))
    return match.group(0) if match else None


def backing(record, day=None, words: tuple[str, ...] = ()) -> list[dict[str, str | None]]:
    """The citations of ``record`` that back a fact of date ``day`` described by ``words``.

    A citation scores 2 if its quote or title mentions the fact's year and 1 for each of
    ``words`` (word beginnings, any case) it mentions; those with the best positive score
    back the fact. If none scores, all the record's citations are returned.
    """
    if record is None:
        return []
    year = _year(day)
    scored = []
    for c in record.citations:
        text = f"{c.quote or ''} {c.title}".casefold()
        score = 2 * bool(year and year in text)
        score += sum(bool(re.search(rf"\b{re.escape(w.casefold())}", text)) for w in words)
        scored.append((score, c))
    best = max(score for score, _ in scored)
    chosen = [c for score, c in scored if score == best] if best > 0 else record.citations
    return [entry(c) for c in chosen]


#: Words that describe a change of status, for :func:`backing`.
STATUS_WORDS = {
    "member": ("member", "join", "admit", "accession", "accede", "signed", "found"),
    "suspended": ("suspen", "froze", "frozen", "freez"),
    "observer": ("observer",),
    "candidate": ("candidate",),
    "applicant": ("appl",),
    "partner": ("partner",),
}
EXIT_WORDS = ("withdr", "left", "leav", "exit", "quit", "lapse", "not to extend", "ceas")
END_WORDS = ("withdr", "left", "leav", "clos", "hand", "ended", "ceas", "transfer", "evacuat")
