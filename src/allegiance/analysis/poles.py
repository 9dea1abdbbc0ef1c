"""Who a pole is in a vote or a year: the seat holder, or the EU's members on the date.

The poles themselves are one table (``data/poles.toml``, :mod:`allegiance.poles`); the
EU's members come from the knowledge base, passed explicitly (``kb=None`` means the
package's knowledge base).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from allegiance.errors import NoDataError
from allegiance.measures.agreement import majority_position
from allegiance.poles import POLES, is_pole, pole

if TYPE_CHECKING:
    from allegiance.kb.load import KnowledgeBase

__all__ = ["POLES", "REFERENCE_DAY", "membership_mask", "pole_members", "pole_votes"]

#: Ties dated within a year (memberships, bases, the EU's members) are read on this day
#: of the year, so that a year's value describes the middle of the year.
REFERENCE_DAY = (7, 1)


def reference_day(year: int) -> date:
    return date(int(year), *REFERENCE_DAY)


def _kb(kb):
    if kb is not None:
        return kb
    from allegiance import kb as kb_

    return kb_.default()


_SPELLS: dict[tuple[int, str], pd.DataFrame] = {}


def org_spells(org: str, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Membership spells of an organization (``state, status, first_day, last_day``)."""
    from allegiance.kb.query import member_spells

    kb = _kb(kb)
    key = (id(kb), org)
    if key not in _SPELLS:
        _SPELLS[key] = member_spells(kb, org)
    return _SPELLS[key]


def pole_members(code: str, year: int, kb: KnowledgeBase | None = None) -> frozenset[str]:
    """The states that make up a pole on the reference day (1 July) of ``year``.

    ``EU`` is its members on that day (knowledge base); a seat pole is the state holding
    the seat then (``RUS`` is the USSR, ``SUN``, before 1992); any other code is a state,
    which is its own only member.
    """
    if not is_pole(code):
        return frozenset({code})
    p = pole(code)
    day = reference_day(year)
    if p.organization:
        s = org_spells(p.organization, kb)
        ts = pd.Timestamp(day)
        on = (s["first_day"] <= ts) & (s["last_day"].isna() | (ts <= s["last_day"]))
        return frozenset(s.loc[on, "state"])
    # Before a seat's first holder (China before 1971) the pole is still that state for
    # trade and arms; only its votes are missing.
    holder = p.seat_on(day) or (p.seats[0][1] if p.seats else None)
    return frozenset() if holder is None else frozenset({holder})


def membership_mask(spells: pd.DataFrame, dates: pd.Series, states: list[str]) -> np.ndarray:
    """Boolean (roll calls x states): was the state in the spells on each vote's date."""
    day = pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[D]")
    col = {s: i for i, s in enumerate(states)}
    mask = np.zeros((len(day), len(states)), dtype=bool)
    for code, first, last in spells[["state", "first_day", "last_day"]].itertuples(index=False):
        if code in col:
            first = np.datetime64(first, "D")
            last = np.datetime64("9999-12-31") if pd.isna(last) else np.datetime64(last, "D")
            mask[:, col[code]] |= (day >= first) & (day <= last)
    return mask


def pole_votes(
    code: str, rc: pd.DataFrame, votes: np.ndarray, states: list[str], kb=None
) -> np.ndarray:
    """The vote vector of a pole or a state on each selected roll call.

    A seat pole votes as the state holding its seat on the vote's date (0, no vote,
    before the first holder); the EU votes as the majority of its members on the date;
    any other code is a state's own column.
    """
    if is_pole(code):
        p = pole(code)
        if p.organization:
            mask = membership_mask(org_spells(p.organization, kb), rc["date"], states)
            return majority_position(np.where(mask, votes, 0))
        days = pd.to_datetime(rc["date"]).dt.date.to_numpy()
        out = np.zeros(len(rc), dtype=np.int8)
        for first, holder in p.seats:
            if holder in states:
                on = days >= first
                out[on] = votes[on, states.index(holder)]
        return out
    try:
        return votes[:, states.index(code)]
    except ValueError:
        raise NoDataError(
            f"{code!r} cast no vote in the roll calls selected; give the ISO3 code of a "
            "state that was a UN member then"
        ) from None
