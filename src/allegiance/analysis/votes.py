"""How states voted on one roll call, for a region or a list of states."""

from __future__ import annotations

from collections.abc import Iterable

from allegiance._lazy import lazy
from allegiance.analysis.regions import region as region_members
from allegiance.dates import parse_date

pd = lazy("pandas")

__all__ = ["vote_rows", "votes"]


def vote_rows(store, symbol, region: str | None = None, states: Iterable[str] | None = None,
              kb=None):  # fmt: skip
    """:func:`votes` as plain rows ``(about, columns, rows)``, without pandas."""
    wanted = None
    if region is not None or states is not None:
        about = store.roll_call_record(symbol)
        day = parse_date(about["date"])
        from allegiance.states import require_state  # pandas: only when states are named

        wanted = {require_state(s) for s in states or []}
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
