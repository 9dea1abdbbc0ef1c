"""How states voted on one roll call, for a region or a list of states."""

from __future__ import annotations

from collections.abc import Iterable

from allegiance._lazy import lazy
from allegiance.analysis.regions import region as region_members
from allegiance.analysis.sourcing import UN_ATTRIBUTION, with_sources
from allegiance.dates import parse_date

pd = lazy("pandas")

__all__ = ["KINDS", "roll_calls", "vote_rows", "votes"]

#: What a roll call was on: a whole resolution (or a motion), an amendment, a paragraph.
KINDS = ("resolution", "amendment", "paragraph")


def vote_rows(store, symbol, region: str | None = None, states: Iterable[str] | None = None,
              kb=None):  # fmt: skip
    """:func:`votes` as plain rows ``(about, columns, rows)``, without pandas."""
    wanted = None
    if region is not None or states is not None:
        about = store.roll_call_record(symbol)
        day = parse_date(about["date"])
        from allegiance.states import resolve_states  # pandas: only when states are named

        wanted = set(resolve_states(states, on=day)) if states is not None else set()
        if region is not None:
            wanted |= set(region_members(region, day, kb))
    return store.vote_rows(symbol, states=wanted)


def votes(store, symbol, region: str | None = None, states: Iterable[str] | None = None,
          kb=None) -> pd.DataFrame:  # fmt: skip
    """How each state voted on one roll call: columns ``state, name, vote``.

    Parameters
    ----------
    store : Store
    symbol : str or int
        The resolution symbol in any common spelling (``A/RES/ES-11/1``, ``ES-11/1``) or
        the store's roll-call id.
    region : str, optional
        Keep the members of a region on the vote's date (``post-soviet``, ``eu``, ...).
    states : list of str, optional
        Keep these states (ISO3 codes or names).

    Returns
    -------
    pandas.DataFrame
        ``attrs`` carry the roll call's symbol, date, title, official tally, source and
        the UN attribution.

    Examples
    --------
    >>> al.votes(store, "A/RES/ES-11/1", region="south-caucasus")  # doctest: +SKIP
    """
    about, columns, rows = vote_rows(store, symbol, region=region, states=states, kb=kb)
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs.update(about, date=pd.Timestamp(about["date"]))
    frame.attrs["sources"] = [about["source"]]
    return frame


def roll_calls(store, since=None, until=None, session: int | None = None,
               issue: str | None = None, important: bool = False, search: str | None = None,
               kind: str | None = None) -> pd.DataFrame:  # fmt: skip
    """The roll calls of the store, one row each, oldest first, filtered.

    Parameters
    ----------
    store : Store
    since, until : year, year-month or date, optional
        Inclusive window.
    session : int, optional
        One regular session (the 77th opened in September 2022).
    issue : str, optional
        An issue area of ``data/issues.toml`` (``ukraine``, ``nu``, ``hr``, ...).
    important : bool
        Only the US State Department's important votes.
    search : str, optional
        Words that must all appear in the title or the symbol (any case).
    kind : str, optional
        ``resolution``, ``amendment`` or ``paragraph``.

    Returns
    -------
    pandas.DataFrame
        ``id, date, session, symbol, title, kind, issues, important, yes, no, abstain,
        source``; ``id`` is what ``allegiance votes ID`` takes when there is no symbol.
        The official tally (``yes, no, abstain``) is the source's.

    Examples
    --------
    >>> al.roll_calls(store, since=2022, issue="ukraine")  # doctest: +SKIP
    """
    from allegiance.dates import window
    from allegiance.errors import BadInputError

    if session is not None and int(session) < 1:
        raise BadInputError(f"session must be 1 or more, not {session}")
    if kind is not None and kind not in KINDS:
        raise BadInputError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
    window(since, until)
    frame = store.roll_calls(
        session=session, since=since, until=until, issue=issue, kind=kind,
        important=True if important else None, search=search,
    )  # fmt: skip
    frame = frame[["id", "date", "session", "symbol", "title", "kind", "issues", "important",
                   "yes", "no", "abstain", "source"]].reset_index(drop=True)  # fmt: skip
    frame.attrs["attribution"] = UN_ATTRIBUTION
    return with_sources(frame, sorted(set(frame["source"])))
