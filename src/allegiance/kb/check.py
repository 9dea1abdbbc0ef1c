"""Consistency rules across the knowledge base that a schema alone cannot express.

:func:`allegiance.kb.load.load_kb` checks each record's shape; :func:`check_kb` checks
what records say about each other: that codes and ids refer to something, that spells
of one state in one organization do not overlap, that ends do not precede starts,
that citations can be followed, and that no one joins an organization before it (or
a predecessor) existed. The rules are listed in ``docs/knowledge.md``.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from allegiance.kb.load import KnowledgeBase, Problem
from allegiance.kb.models import FuzzyDate, Membership, Organization, Record

#: Actor codes valid besides state codes and organization ids.
EXTRA_ACTORS = frozenset({"EU"})

#: The value of ``territories.controlled_by`` for local separatist authorities.
SEPARATISTS = "separatists"

_CODE = re.compile(r"^[A-Z]{3}$")


def default_state_codes() -> set[str] | None:
    """The ISO3 codes of ``allegiance.states.states()``, or None if it cannot be read."""
    try:
        from allegiance.states import states
    except ImportError:
        return None
    try:
        return set(states()["iso3"].dropna().astype(str))
    except Exception as exc:  # noqa: BLE001 - any failure means "no table to check against"
        warnings.warn(f"allegiance.states could not be read ({exc})", stacklevel=3)
        return None


def check_kb(kb: KnowledgeBase, state_codes: Iterable[str] | None = None) -> list[Problem]:
    """List everything inconsistent in a loaded knowledge base.

    Parameters
    ----------
    kb : KnowledgeBase
    state_codes : iterable of str, optional
        Valid state codes (ISO3). Default: the ``iso3`` column of
        ``allegiance.states.states()``. If that table is not available, codes are only
        checked to be three capital letters and a warning says so.

    Returns
    -------
    list of Problem
        Sorted by file and line; empty when all is well.
    """
    codes = set(state_codes) if state_codes is not None else default_state_codes()
    if codes is None:
        warnings.warn(
            "no table of state codes (allegiance.states) to check against: state codes are "
            "only checked to be three capital letters",
            stacklevel=2,
        )
    problems: list[Problem] = []
    problems += [Problem(name, 0, "", "file not found") for name in kb.missing_files]
    problems += _unique_ids(kb)
    problems += _references(kb, codes)
    problems += _orders(kb)
    problems += _overlaps(kb.memberships)
    problems += _before_founding(kb)
    problems += _citations(kb)
    return sorted(problems, key=lambda p: (p.file, p.line, p.field))


def reference_problems(
    kb: KnowledgeBase, state_codes: Iterable[str] | None = None
) -> list[Problem]:
    """Every reference to an organization, state or territory that does not resolve.

    These are the problems that would make a record silently drop out of a query (a
    membership of an unknown organization is in no organization's member list), so
    :func:`allegiance.kb.load.load_kb` with ``strict`` fails on them.

    Parameters
    ----------
    kb : KnowledgeBase
    state_codes : iterable of str, optional
        As in :func:`check_kb`.

    Returns
    -------
    list of Problem
        Each with file, line and field, sorted.
    """
    codes = set(state_codes) if state_codes is not None else default_state_codes()
    problems = _references(kb, codes)
    return sorted(problems, key=lambda p: (p.file, p.line, p.field))


def records(kb: KnowledgeBase) -> list[Record]:
    """Every record of every file."""
    return [
        *kb.organizations,
        *kb.memberships,
        *kb.military_presence,
        *kb.territories,
        *kb.offices,
        *kb.agreements,
        *kb.events,
    ]


def _at(record: Record, field: str, message: str) -> Problem:
    return Problem(record.file, record.line_of(field), field, message)


def _unique_ids(kb: KnowledgeBase) -> list[Problem]:
    out = []
    for group in (
        kb.organizations,
        kb.military_presence,
        kb.territories,
        kb.offices,
        kb.agreements,
        kb.events,
    ):
        first: dict[str, Record] = {}
        for r in group:
            rid = r.id  # type: ignore[attr-defined]
            if rid in first:
                out.append(_at(r, "id", f"duplicate id {rid!r} (first at line {first[rid].line})"))
            else:
                first[rid] = r
    return out


def _references(kb: KnowledgeBase, codes: set[str] | None) -> list[Problem]:
    orgs = {o.id for o in kb.organizations}
    territories = {t.id: t for t in kb.territories}
    out: list[Problem] = []

    def state(r: Record, field: str, code: str) -> None:
        if codes is None:
            if not _CODE.match(code):
                out.append(_at(r, field, f"{code!r} is not a three-letter ISO3 code"))
        elif code not in codes:
            out.append(_at(r, field, f"unknown state code {code!r} (not in allegiance.states)"))

    def actor(r: Record, field: str, code: str) -> None:
        if code in orgs or code in EXTRA_ACTORS:
            return
        if codes is None and _CODE.match(code):
            return
        if codes is not None and code in codes:
            return
        out.append(
            _at(r, field, f"unknown actor {code!r}: not a state code, 'EU' or an organization id")
        )

    for o in kb.organizations:
        for i, p in enumerate(o.predecessors):
            if p not in orgs:
                out.append(_at(o, f"predecessors[{i}]", f"unknown organization {p!r}"))
            elif p == o.id:
                out.append(_at(o, f"predecessors[{i}]", "an organization cannot precede itself"))
    for m in kb.memberships:
        actor(m, "state", m.state)  # the EU is itself a member of some bodies
        if m.org not in orgs:
            out.append(_at(m, "org", f"unknown organization {m.org!r} (not in organizations.yaml)"))
    for p in kb.military_presence:
        state(p, "sender", p.sender)
        state(p, "host", p.host)
        if p.territory is None:
            continue
        where = territories.get(p.territory)
        if where is None:
            out.append(
                _at(p, "territory", f"unknown territory {p.territory!r} (not in territories.yaml)")
            )
        elif where.de_jure != p.host:
            out.append(
                _at(
                    p,
                    "host",
                    f"{p.host} but territory {p.territory!r} belongs de jure to {where.de_jure}",
                )
            )
    for t in kb.territories:
        state(t, "de_jure", t.de_jure)
        if t.controlled_by != SEPARATISTS:
            state(t, "controlled_by", t.controlled_by)
        if t.backed_by is not None:
            state(t, "backed_by", t.backed_by)
        for i, rec in enumerate(t.recognised_by):
            state(t, f"recognised_by[{i}].state", rec.state)
    for o in kb.offices:
        state(o, "sender", o.sender)
        state(o, "host", o.host)
    for a in kb.agreements:
        for i, code in enumerate(a.parties):
            actor(a, f"parties[{i}]", code)
    for e in kb.events:
        for i, code in enumerate(e.actors):
            actor(e, f"actors[{i}]", code)
    return out


def _order(r: Record, start_field: str, end_field: str) -> Problem | None:
    start: FuzzyDate | None = getattr(r, start_field)
    end: FuzzyDate | None = getattr(r, end_field)
    # Only an end that is certainly earlier is an error: "2009" to "2009-03" is fine.
    if start is not None and end is not None and end.end < start.start:
        return _at(r, end_field, f"{end} is before {start_field} {start}")
    return None


def _orders(kb: KnowledgeBase) -> list[Problem]:
    pairs: list[tuple[list, str, str]] = [
        (kb.organizations, "founded", "dissolved"),
        (kb.memberships, "start", "end"),
        (kb.military_presence, "start", "end"),
        (kb.territories, "since", "until"),
        (kb.offices, "opened", "closed"),
        (kb.agreements, "signed", "in_force"),
        (kb.agreements, "signed", "ended"),
        (kb.agreements, "in_force", "ended"),
        (kb.events, "date", "end_date"),
    ]
    out = [p for group, a, b in pairs for r in group if (p := _order(r, a, b)) is not None]
    for t in kb.territories:
        for i, rec in enumerate(t.recognised_by):
            if rec.until is not None and rec.until.end < rec.since.start:
                out.append(_at(t, f"recognised_by[{i}].until", f"{rec.until} is before since"))
    return out


def _overlaps(memberships: list[Membership]) -> list[Problem]:
    """Spells of one (state, org) that certainly overlap.

    Two spells overlap when the later one certainly starts before the earlier one
    certainly ends (latest reading of the start < earliest reading of the end). One
    spell may start on the day another ends: that is how a status changes.
    """
    by_pair: dict[tuple[str, str], list[Membership]] = defaultdict(list)
    for m in memberships:
        by_pair[(m.state, m.org)].append(m)
    out = []
    for (state, org), spells in by_pair.items():
        spells = sorted(spells, key=lambda m: m.start)
        for i, later in enumerate(spells):
            for earlier in spells[:i]:
                if earlier.end is None or later.start.end < earlier.end.start:
                    until = earlier.end or "ongoing"
                    out.append(
                        _at(
                            later,
                            "start",
                            f"{state} in {org}: spell from {later.start} overlaps the spell "
                            f"{earlier.start} to {until} at line {earlier.line}",
                        )
                    )
    return out


def _earliest_founding(org: Organization, orgs: dict[str, Organization]) -> FuzzyDate:
    """The founding date of ``org`` or of its earliest (transitive) predecessor."""
    seen: set[str] = set()
    best = org.founded
    todo = list(org.predecessors)
    while todo:
        oid = todo.pop()
        if oid in seen or oid not in orgs:
            continue
        seen.add(oid)
        best = min(best, orgs[oid].founded, key=lambda d: d.start)
        todo += orgs[oid].predecessors
    return best


def _before_founding(kb: KnowledgeBase) -> list[Problem]:
    orgs = {o.id: o for o in kb.organizations}
    out = []
    for m in kb.memberships:
        org = orgs.get(m.org)
        if org is None:
            continue
        founded = _earliest_founding(org, orgs)
        if m.start.end < founded.start:
            origin = "" if founded is org.founded else " (counting its predecessors)"
            out.append(
                _at(m, "start", f"{m.start} is before {m.org} was founded{origin}: {founded}")
            )
        if org.dissolved is not None and m.end is None:
            out.append(_at(m, "end", f"ongoing, but {m.org} was dissolved {org.dissolved}"))
    return out


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a well-formed http(s) URL, or None if it is."""
    if url != url.strip() or any(c.isspace() for c in url):
        return "URL contains whitespace"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "URL must start with http:// or https://"
    host = parts.hostname or ""
    if host.endswith("."):
        return f"host {host!r} ends with a dot (a typo?)"
    if "." not in host or host.startswith(".") or ".." in host:
        return f"URL has no valid host: {url!r}"
    return None


def _citations(kb: KnowledgeBase) -> list[Problem]:
    out = []
    for r in records(kb):
        for i, c in enumerate(r.citations):
            if not c.url and not c.symbol:
                out.append(_at(r, f"citations[{i}]", "a citation needs a url or a symbol"))
            if c.url and (why := url_problem(c.url)):
                out.append(_at(r, f"citations[{i}].url", why))
    return out
