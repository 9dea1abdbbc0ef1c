"""Store methods of the knowledge base: memberships, forces, offices, agreements, events.

Each method asks :mod:`allegiance.kb.query` about the package's knowledge base
(:func:`allegiance.knowledge.default`), after checking its codes: states by ISO3 code or
name (or ``"EU"``), organizations by id or name, so that a typo is an error with
suggestions rather than an empty frame. Every frame carries the citation columns
``citation``, ``citation_url``, ``file`` and ``line``, and ``attrs["attribution"]``.

The same methods are on :class:`KnowledgeQueries`, for callers that have no built store
(the knowledge base needs none).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from allegiance import knowledge
from allegiance._lazy import lazy

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
    return None if code is None else knowledge.require_actor(code)


def _cited(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["attribution"] = KB_ATTRIBUTION
    return frame


class KnowledgeQueries:
    """The knowledge-base methods of ``Store`` without a store.

    Examples
    --------
    >>> KnowledgeQueries().members("CSTO", on="2025-03-10")  # doctest: +SKIP
    """


def attach(store_class) -> None:
    """Add this module's methods to ``Store``."""
    for method in (
        memberships,
        members,
        presence,
        offices,
        territories,
        agreements,
        events,
        profile,
        timeline,
    ):
        setattr(store_class, method.__name__, method)
    store_class.kb = property(kb, doc=kb.__doc__)


def kb(self) -> KnowledgeBase:
    """The knowledge base the methods below ask: :func:`allegiance.knowledge.default`."""
    return knowledge.default()


def memberships(self, state=None, org=None, on=None) -> pd.DataFrame:
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
    >>> store.memberships("ARM", on="2025-03-10")  # doctest: +SKIP
    """
    org = None if org is None else knowledge.require_org(org)
    return _cited(query.memberships(self.kb, state=_actor(state), org=org, on=on))


def members(self, org, on=None) -> pd.DataFrame:
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
    >>> store.members("CSTO", on="2025-03-10")[["state", "status"]]  # doctest: +SKIP
    """
    return _cited(query.members(self.kb, knowledge.require_org(org), on=on))


def presence(self, sender=None, host=None, on=None) -> pd.DataFrame:
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
    >>> store.presence(sender="RUS", host="ARM", on="2025-03-10")  # doctest: +SKIP
    """
    return _cited(query.presence(self.kb, _actor(sender), _actor(host), on=on))


def offices(self, sender=None, host=None, on=None) -> pd.DataFrame:
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
    return _cited(query.offices(self.kb, _actor(sender), _actor(host), on=on))


def territories(self, state=None, on=None) -> pd.DataFrame:
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
    return _cited(query.territories(self.kb, _actor(state), on=on))


def agreements(self, party=None, on=None) -> pd.DataFrame:
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
    >>> store.agreements(party="IRN")  # doctest: +SKIP
    """
    return _cited(query.agreements(self.kb, _actor(party), on=on))


def events(self, actor=None, since=None, until=None, kind=None) -> pd.DataFrame:
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
        ids = {o.id for o in self.kb.organizations}
        actor = actor if actor in ids else knowledge.require_actor(actor)
    return _cited(query.events(self.kb, actor, since=since, until=until, kind=kind))


def profile(self, state, on=None) -> dict[str, pd.DataFrame]:
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
    >>> ties = store.profile("AZE", on="2025-03-10")  # doctest: +SKIP
    >>> ties["forces_hosted"]  # doctest: +SKIP
    """
    on = on if on is not None else date.today()
    sections = query.profile(self.kb, knowledge.require_actor(state), on=on)
    return {name: _cited(frame) for name, frame in sections.items()}


def timeline(self, state, since=None) -> pd.DataFrame:
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
    >>> store.timeline("ARM", since=2020)  # doctest: +SKIP
    """
    since = f"{since:04d}" if isinstance(since, int) else since
    return _cited(query.timeline(self.kb, knowledge.require_actor(state), since=since))


attach(KnowledgeQueries)
