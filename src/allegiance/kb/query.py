"""Questions to the knowledge base, answered as DataFrames that carry their citations.

Every function is pure: it takes a
:class:`~allegiance.kb.load.KnowledgeBase` and returns a new frame with the columns of
the matching ``KnowledgeBase.*_frame()``, including ``citation`` (the first source,
on one line), ``citation_url``, ``file`` and ``line``.

"On date D" follows :func:`allegiance.kb.models.in_force`: a spell counts from the
first day its start can mean through the last day its end can mean. When two spells
of the same state in the same organization both cover D (they share a boundary day or,
at coarse precision, a month or year), the one that started later wins, so a state has
one status per organization on any date.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from allegiance.kb.load import KnowledgeBase
from allegiance.kb.models import MEMBER_STATUSES, FuzzyDate, as_day

DateLike = date | str | FuzzyDate | pd.Timestamp


def _on(frame: pd.DataFrame, on: DateLike | None) -> pd.DataFrame:
    """Rows whose span [first_day, last_day] covers ``on`` (all rows if ``on`` is None)."""
    if on is None:
        return frame
    day = pd.Timestamp(as_day(on))
    covers = (frame["first_day"] <= day) & (frame["last_day"].isna() | (day <= frame["last_day"]))
    return frame[covers]


def _done(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by, kind="stable").reset_index(drop=True)


def _has(frame: pd.DataFrame, column: str, code: str) -> pd.Series:
    """Whether ``code`` is one of the comma-separated codes in ``column``."""
    return frame[column].fillna("").str.split(",").apply(lambda codes: code in codes)


def memberships(
    kb: KnowledgeBase,
    state: str | None = None,
    org: str | None = None,
    on: DateLike | None = None,
) -> pd.DataFrame:
    """Membership spells, optionally of one state, in one organization, or on one date.

    Parameters
    ----------
    kb : KnowledgeBase
    state : str, optional
        ISO3 code of the state (or ``"EU"``).
    org : str, optional
        Organization id, e.g. ``"CSTO"``.
    on : date or str, optional
        Keep the spells in force on this day; one row per (state, org).

    Returns
    -------
    pandas.DataFrame
        Columns of ``kb.memberships_frame()``: ``state, org, status, start, end,
        first_day, last_day, citation, citation_url, ...``.

    Examples
    --------
    >>> memberships(kb, state="ARM", on="2024-06-01")  # doctest: +SKIP
    """
    frame = kb.memberships_frame()
    if state is not None:
        frame = frame[frame["state"] == state]
    if org is not None:
        frame = frame[frame["org"] == org]
    if on is not None:
        frame = _on(frame, on).sort_values("first_day", kind="stable")
        frame = frame.drop_duplicates(["state", "org"], keep="last")
    return _done(frame, ["org", "state", "first_day"])


def _require_org(kb: KnowledgeBase, org: str) -> None:
    if kb.organization(org) is None:
        known = ", ".join(sorted(o.id for o in kb.organizations)) or "none"
        raise ValueError(f"unknown organization {org!r}; organizations.yaml has: {known}")


def members(kb: KnowledgeBase, org: str, on: DateLike | None = None) -> pd.DataFrame:
    """The members of ``org`` on a date, suspended members included.

    Parameters
    ----------
    kb : KnowledgeBase
    org : str
    on : date or str, optional
        Default: today.

    Returns
    -------
    pandas.DataFrame
        One row per member state; ``status`` is ``"member"`` or ``"suspended"``.

    Raises
    ------
    ValueError
        If ``org`` is not an organization of the knowledge base.
    """
    _require_org(kb, org)
    frame = memberships(kb, org=org, on=on if on is not None else date.today())
    return _done(frame[frame["status"].isin(MEMBER_STATUSES)], ["state"])


def org_members_on(kb: KnowledgeBase, org: str, on: DateLike) -> list[str]:
    """Codes of the members of ``org`` (suspended included) on one date, sorted.

    For many dates, use :func:`member_spells` and join on the date instead.
    """
    return sorted(members(kb, org, on)["state"])


def member_spells(kb: KnowledgeBase, org: str) -> pd.DataFrame:
    """Spells of full membership in ``org`` (member or suspended), for joins on dates.

    Consecutive ``member`` and ``suspended`` spells are kept as they are; a vote on day
    D was cast by a member when ``first_day <= D`` and (``last_day`` is NaT or
    ``D <= last_day``).

    Returns
    -------
    pandas.DataFrame
        Columns ``state, status, first_day, last_day, citation, citation_url``.

    Examples
    --------
    >>> spells = member_spells(kb, "EU")  # doctest: +SKIP
    >>> pairs = votes.merge(spells, on="state")  # doctest: +SKIP
    >>> in_eu = pairs[(pairs.first_day <= pairs.date)
    ...               & (pairs.last_day.isna() | (pairs.date <= pairs.last_day))]  # doctest: +SKIP
    """
    _require_org(kb, org)
    frame = memberships(kb, org=org)
    frame = frame[frame["status"].isin(MEMBER_STATUSES)]
    columns = ["state", "status", "first_day", "last_day", "citation", "citation_url"]
    return frame[columns].reset_index(drop=True)


def presence(
    kb: KnowledgeBase,
    sender: str | None = None,
    host: str | None = None,
    on: DateLike | None = None,
) -> pd.DataFrame:
    """Military presence of ``sender`` in ``host`` (either optional), optionally on a date."""
    frame = kb.military_presence_frame()
    if sender is not None:
        frame = frame[frame["sender"] == sender]
    if host is not None:
        frame = frame[frame["host"] == host]
    return _done(_on(frame, on), ["sender", "host", "first_day"])


def offices(
    kb: KnowledgeBase,
    sender: str | None = None,
    host: str | None = None,
    on: DateLike | None = None,
) -> pd.DataFrame:
    """Offices of ``sender`` agencies in ``host``, optionally open on a date."""
    frame = kb.offices_frame()
    if sender is not None:
        frame = frame[frame["sender"] == sender]
    if host is not None:
        frame = frame[frame["host"] == host]
    return _done(_on(frame, on), ["sender", "host", "first_day"])


def territories(
    kb: KnowledgeBase, state: str | None = None, on: DateLike | None = None
) -> pd.DataFrame:
    """Occupied, separatist or annexed territories, optionally involving ``state``.

    ``state`` matches the de jure sovereign, the controlling state or the backer. With
    ``on``, only territories in that status on the date are kept, and the column
    ``recognised_by`` lists the states recognising it on that date.
    """
    frame = kb.territories_frame()
    if state is not None:
        frame = frame[
            (frame["de_jure"] == state)
            | (frame["controlled_by"] == state)
            | (frame["backed_by"] == state)
        ]
    if on is not None:
        frame = _on(frame, on).copy()
        day = as_day(on)
        by_id = {t.id: t for t in kb.territories}
        frame["recognised_by"] = [
            ",".join(
                r.state
                for r in by_id[tid].recognised_by
                if r.since.start <= day and (r.until is None or day <= r.until.end)
            )
            for tid in frame["id"]
        ]
    return _done(frame, ["de_jure", "first_day"])


def agreements(
    kb: KnowledgeBase, party: str | None = None, on: DateLike | None = None
) -> pd.DataFrame:
    """Agreements, optionally with ``party`` among the parties, optionally in force on a date.

    An agreement is in force from ``in_force`` (or, if that is not given, ``signed``)
    through ``ended``.
    """
    frame = kb.agreements_frame()
    if party is not None:
        frame = frame[_has(frame, "parties", party)]
    return _done(_on(frame, on), ["first_day", "id"])


def events(
    kb: KnowledgeBase,
    actor: str | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    kind: str | None = None,
) -> pd.DataFrame:
    """Events, optionally with ``actor`` among the actors, of one kind, within dates.

    ``since`` and ``until`` are inclusive and compared with the first day the event's
    date can mean.
    """
    frame = kb.events_frame()
    if actor is not None:
        frame = frame[_has(frame, "actors", actor)]
    if kind is not None:
        frame = frame[frame["kind"] == kind]
    if since is not None:
        frame = frame[frame["first_day"] >= pd.Timestamp(as_day(since))]
    if until is not None:
        frame = frame[frame["first_day"] <= pd.Timestamp(as_day(until))]
    return _done(frame, ["first_day", "id"])


def profile(kb: KnowledgeBase, state: str, on: DateLike) -> dict[str, pd.DataFrame]:
    """All of one state's ties on one date.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``memberships`` (its status in each organization), ``forces_hosted`` (foreign
        forces on its soil), ``forces_abroad`` (its forces elsewhere), ``offices`` (sent
        or hosted), ``agreements`` (in force, as a party) and ``territories`` (in which
        it is sovereign, controller or backer).
    """
    sent = offices(kb, sender=state, on=on)
    hosted = offices(kb, host=state, on=on)
    return {
        "memberships": memberships(kb, state=state, on=on),
        "forces_hosted": presence(kb, host=state, on=on),
        "forces_abroad": presence(kb, sender=state, on=on),
        "offices": _done(pd.concat([sent, hosted], ignore_index=True), ["sender", "host"]),
        "agreements": agreements(kb, party=state, on=on),
        "territories": territories(kb, state=state, on=on),
    }


# How a status reads in "becomes ... of CSTO".
_STATUS = {
    "member": "member",
    "suspended": "suspended member",
    "observer": "observer",
    "candidate": "candidate",
    "partner": "partner",
    "applicant": "applicant",
}

TIMELINE_COLUMNS = ["date", "day", "kind", "what", "citation", "citation_url", "file", "line"]


def timeline(kb: KnowledgeBase, state: str, since: DateLike | None = None) -> pd.DataFrame:
    """Everything the knowledge base dates about one state, in order.

    Rows are the starts and ends of memberships and military presence (sent or hosted),
    office openings and closures, agreement signatures, entries into force and ends,
    territory changes and recognitions, and events naming the state as an actor.

    Parameters
    ----------
    kb : KnowledgeBase
    state : str
    since : date or str, optional
        Drop rows whose date certainly falls before this day (a row dated ``"2024"``
        is kept for ``since="2024-06-01"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (as written, e.g. ``"2024-02"``), ``day`` (its first day, for
        sorting), ``kind``, ``what``, ``citation``, ``citation_url``, ``file``, ``line``.
    """
    rows: list[dict] = []

    def add(when: FuzzyDate | None, kind: str, what: str, record) -> None:
        if when is None:
            return
        first = record.citations[0]
        rows.append(
            {
                "date": str(when),
                "day": pd.Timestamp(when.start),
                "_last": pd.Timestamp(when.end),
                "kind": kind,
                "what": what,
                "citation": first.one_line(),
                "citation_url": first.url,
                "file": record.file,
                "line": record.line,
            }
        )

    orgs = {o.id: o.name for o in kb.organizations}
    for m in kb.memberships:
        if m.state == state:
            name = orgs.get(m.org, m.org)
            add(m.start, "membership", f"becomes {_STATUS[m.status]} of {name} ({m.org})", m)
            add(m.end, "membership", f"ceases to be {_STATUS[m.status]} of {name} ({m.org})", m)
    for p in kb.military_presence:
        if state in (p.sender, p.host):
            what = f"{p.sender} {p.kind.replace('_', ' ')} in {p.host}: {p.site}"
            add(p.start, "presence", f"{what}: starts", p)
            add(p.end, "presence", f"{what}: ends", p)
    for o in kb.offices:
        if state in (o.sender, o.host):
            add(o.opened, "office", f"{o.name} ({o.agency}) opened", o)
            add(o.closed, "office", f"{o.name} ({o.agency}) closed", o)
    for a in kb.agreements:
        if state in a.parties:
            add(a.signed, "agreement", f"{a.name} signed", a)
            add(a.in_force, "agreement", f"{a.name} in force", a)
            add(a.ended, "agreement", f"{a.name} ended", a)
    for t in kb.territories:
        if state in (t.de_jure, t.controlled_by, t.backed_by):
            add(t.since, "territory", f"{t.name} ({t.de_jure}) becomes {t.status}", t)
            add(t.until, "territory", f"{t.name} ({t.de_jure}) ceases to be {t.status}", t)
        for r in t.recognised_by:
            if state in (r.state, t.de_jure):
                add(r.since, "recognition", f"{r.state} recognises {t.name}", t)
                add(r.until, "recognition", f"{r.state} withdraws recognition of {t.name}", t)
    for e in kb.events:
        if state in e.actors:
            add(e.date, f"event: {e.kind}", e.summary, e)
    frame = pd.DataFrame(rows, columns=[*TIMELINE_COLUMNS, "_last"])
    if since is not None:
        frame = frame[frame["_last"] >= pd.Timestamp(as_day(since))]
    return _done(frame.drop(columns="_last"), ["day", "kind"])
