"""The knowledge base's answers: memberships, forces, offices, agreements, events, ties.

Each function asks :mod:`allegiance.kb.query` about a knowledge base (``kb=None`` means
the package's, :func:`allegiance.kb.default`), after checking its codes: states by ISO3 code or
name (or ``"EU"``), organizations by id or name, so that a typo is an error with
suggestions rather than an empty frame. Every frame carries the citation columns
``citation``, ``citation_url``, ``file`` and ``line``, and ``attrs["attribution"]``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from allegiance import kb as kb_
from allegiance._lazy import lazy
from allegiance.dates import parse_date

pd = lazy("pandas")

if TYPE_CHECKING:
    from allegiance.kb.load import KnowledgeBase


# The knowledge base's models take a while to import and most commands never need them.
query = lazy("allegiance.kb.query")

#: What to say of figures drawn from the knowledge base.
KB_ATTRIBUTION = (
    "Knowledge base of allegiance (allegiance/kb/data): each row cites its source in "
    "`citation` and `citation_url`."
)


def _actor(code: str | None) -> str | None:
    return None if code is None else kb_.require_actor(code)


def _cited(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["attribution"] = KB_ATTRIBUTION
    frame.attrs["sources"] = ["kb"]
    return frame


def _book(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb if kb is not None else kb_.default()


def _day(value, end: bool = False, what: str = "on"):
    """Every ``on``/``since``/``until`` goes through the package's one date parser."""
    return None if value is None else parse_date(value, end=end, what=what)


def memberships(state=None, org=None, on=None, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Membership spells of states in organizations, from the knowledge base.

    Parameters
    ----------
    state : str, optional
        ISO3 code or name of a state, or ``"EU"``.
    org : str, optional
        Organization id (``"CSTO"``) or name.
    on : date or str, optional
        Keep the spells in force on this day, one per (state, org): the state's status
        then (``member``, ``suspended``, ``observer``, ``partner``, ...).

    Returns
    -------
    pandas.DataFrame
        Columns ``state, org, status, start, end, first_day, last_day, citation,
        citation_url, n_citations, confidence, note, file, line``.

    Raises
    ------
    ValueError
        If ``state`` or ``org`` is unknown (the message suggests close matches).

    Examples
    --------
    >>> al.memberships("ARM", on="2025-03-10")  # doctest: +SKIP
    """
    org = None if org is None else kb_.require_org(org)
    return _cited(query.memberships(_book(kb), state=_actor(state), org=org, on=_day(on)))


def members(org, on=None, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """The member states of an organization on a date, suspended members included.

    Parameters
    ----------
    org : str
        Organization id (``"CSTO"``) or name.
    on : date or str, optional
        Default: today.

    Returns
    -------
    pandas.DataFrame
        One row per member; ``status`` is ``"member"`` or ``"suspended"`` (a state that
        has suspended or frozen its participation). Columns as :meth:`memberships`.

    Examples
    --------
    >>> al.members("CSTO", on="2025-03-10")[["state", "status"]]  # doctest: +SKIP
    """
    return _cited(query.members(_book(kb), kb_.require_org(org), on=_day(on)))


def presence(sender=None, host=None, on=None, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Armed forces of one state on another's soil: bases, radars, peacekeepers, guards.

    Parameters
    ----------
    sender : str, optional
        The state whose forces they are (ISO3 code or name).
    host : str, optional
        The state on whose soil they are (ISO3 code or name).
    on : date or str, optional
        Keep the deployments in place on this day.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, sender, host, site, kind, start, end, size, size_note, territory``
        and the citation columns.

    Examples
    --------
    >>> al.presence(sender="RUS", host="ARM", on="2025-03-10")  # doctest: +SKIP
    """
    return _cited(query.presence(_book(kb), _actor(sender), _actor(host), on=_day(on)))


def offices(sender=None, host=None, on=None, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Offices of one state's agencies in another (e.g. a Russian House), optionally open on a day.

    Parameters
    ----------
    sender, host : str, optional
        ISO3 codes or names of the state that runs the office and of the one it is in.
    on : date or str, optional
        Keep the offices open on this day.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, agency, sender, host, city, name, opened, closed, closure_note``
        and the citation columns.
    """
    return _cited(query.offices(_book(kb), _actor(sender), _actor(host), on=_day(on)))


def territories(state=None, on=None, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Occupied, separatist or annexed territories, optionally involving one state.

    Parameters
    ----------
    state : str, optional
        Matches the de jure sovereign, the controlling state or the backer.
    on : date or str, optional
        Keep the territories in that status on this day; ``recognised_by`` then lists
        the states recognising them on the day.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, name, de_jure, status, controlled_by, backed_by, since, until,
        recognised_by`` and the citation columns.
    """
    return _cited(query.territories(_book(kb), _actor(state), on=_day(on)))


def agreements(party=None, on=None, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Treaties and other agreements between states, from the knowledge base.

    Not to be confused with :meth:`agreement`, the voting agreement of two states.

    Parameters
    ----------
    party : str, optional
        Keep the agreements with this state (ISO3 code or name, or ``"EU"``) as a party.
    on : date or str, optional
        Keep the agreements in force on this day (from ``in_force``, else ``signed``,
        through ``ended``).

    Returns
    -------
    pandas.DataFrame
        Columns ``id, name, kind, parties, signed, in_force, ended`` and the citation
        columns; ``parties`` is comma-separated.

    Examples
    --------
    >>> al.agreements(party="IRN")  # doctest: +SKIP
    """
    return _cited(query.agreements(_book(kb), _actor(party), on=_day(on)))


def events(
    actor=None, since=None, until=None, kind=None, kb: KnowledgeBase | None = None
) -> pd.DataFrame:
    """Dated events that bear on alignment: wars, expulsions, closures, withdrawals.

    Parameters
    ----------
    actor : str, optional
        A state (ISO3 code or name), ``"EU"`` or an organization id among the actors.
    since, until : date or str, optional
        Inclusive bounds on the first day the event's date can mean.
    kind : str, optional
        ``war``, ``shootdown``, ``conviction``, ``expulsion``, ``closure``, ``attack``,
        ``election``, ``protest``, ``referendum``, ``sanction``, ``withdrawal``, ``other``.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, date, end_date, kind, actors, place, figures, summary`` and the
        citation columns.
    """
    if actor is not None:
        ids = {o.id for o in _book(kb).organizations}
        actor = actor if actor in ids else kb_.require_actor(actor)
    return _cited(
        query.events(
            _book(kb),
            actor,
            since=_day(since, what="since"),
            until=_day(until, True, "until"),
            kind=kind,
        )
    )


def ties(state, on=None, kb: KnowledgeBase | None = None) -> dict[str, pd.DataFrame]:
    """All of one state's ties on one day.

    Parameters
    ----------
    state : str
        ISO3 code or name.
    on : date or str, optional
        Default: today.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``memberships`` (its status in each organization), ``forces_hosted`` (foreign
        forces on its soil), ``forces_abroad`` (its forces elsewhere), ``offices`` (sent
        or hosted), ``agreements`` (in force, as a party) and ``territories`` (as
        sovereign, controller or backer); each with the citation columns.

    Examples
    --------
    >>> ties = al.ties("AZE", on="2025-03-10")  # doctest: +SKIP
    >>> ties["forces_hosted"]  # doctest: +SKIP
    """
    on = _day(on) if on is not None else date.today()
    sections = query.profile(_book(kb), kb_.require_actor(state), on=on)
    return {name: _cited(frame) for name, frame in sections.items()}


def timeline(state, since=None, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Everything the knowledge base dates about one state, in order.

    Parameters
    ----------
    state : str
        ISO3 code or name.
    since : date, str or int, optional
        Drop what certainly happened before this day; a year (``2020``) means its first day.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (as written, e.g. ``"2024-02"``), ``day`` (its first day),
        ``kind``, ``what``, ``citation``, ``citation_url``, ``file``, ``line``.

    Examples
    --------
    >>> al.timeline("ARM", since=2020)  # doctest: +SKIP
    """
    since = _day(since, what="since")
    return _cited(query.timeline(_book(kb), kb_.require_actor(state), since=since))
