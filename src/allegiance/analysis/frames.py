"""Analysis frames to compose evidence on, as peacesciencer's ``create_stateyears()`` and
``create_dyadyears()``: one row per state and year, or per pair and year. The ``add_*``
verbs of :mod:`allegiance.analysis.verbs` add columns to them.

Who counts as a state in a year: a member of the United Nations on **1 July** of the year
(the reference day every yearly figure of allegiance uses), from the states tables
(``data/un_membership.csv``; docs/states.md). Russia is a member from 1991-12-24, so
``RUS`` has rows from 1992 and the USSR (``SUN``) until 1991.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from allegiance.analysis.poles import REFERENCE_DAY
from allegiance.analysis.sourcing import with_sources
from allegiance.dates import parse_year
from allegiance.errors import BadInputError
from allegiance.poles import is_pole, pole
from allegiance.states import members_on, require_state

__all__ = ["dyad_years", "state_years"]

SYSTEMS = ("un",)


def _years(since, until) -> list[int]:
    first, last = parse_year(since, "since"), parse_year(until, "until")
    if first > last:
        raise BadInputError(f"since ({first}) is after until ({last})")
    return list(range(first, last + 1))


def _members(year: int) -> frozenset[str]:
    return members_on(date(year, *REFERENCE_DAY))


def state_years(since, until, states=None, system: str = "un") -> pd.DataFrame:
    """One row per UN member state and year: columns ``state, year``.

    Parameters
    ----------
    since, until : int or str
        First and last year (inclusive).
    states : list of str, optional
        Keep these states (ISO3 codes or names); a state that was not a member in a year
        has no row that year.
    system : {"un"}
        The state system: UN members on 1 July of the year.

    Examples
    --------
    >>> frame = state_years(1991, 1992, states=["RUS", "SUN", "EST"])
    >>> frame.to_dict("list")
    {'state': ['SUN', 'EST', 'RUS'], 'year': [1991, 1992, 1992]}
    """
    if system not in SYSTEMS:
        raise BadInputError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    wanted = None if states is None else {require_state(s) for s in _list(states)}
    rows = []
    for year in _years(since, until):
        members = _members(year)
        codes = members if wanted is None else members & wanted
        rows += [(code, year) for code in sorted(codes)]
    frame = pd.DataFrame(rows, columns=["state", "year"])
    frame["year"] = frame["year"].astype("int64")
    return with_sources(frame, ["un_membership"])


def dyad_years(since, until, states=None, partners=None, directed: bool = True) -> pd.DataFrame:
    """One row per pair of states (or state and pole) and year: ``state, partner, year``.

    Parameters
    ----------
    since, until : int or str
        First and last year (inclusive).
    states : list of str, optional
        The first side (default: every UN member of the year).
    partners : list of str, optional
        The second side: states or poles (``RUS``, ``USA``, ``CHN``, ``TUR``, ``EU``);
        default every UN member of the year. A pole code means the pole (``RUS`` is the
        USSR's seat before 1992, ``EU`` its members on the date); a state has rows only in
        the years it was a member, a pole in every year.
    directed : bool
        With ``False``, each unordered pair of states appears once (``state < partner``);
        rows with a pole partner are kept as they are.

    Examples
    --------
    >>> dyad_years(2020, 2020, states=["ARM", "AZE"], partners=["RUS", "EU"]).shape
    (4, 3)
    """
    wanted = None if states is None else {require_state(s) for s in _list(states)}
    poles_, others = [], None
    if partners is not None:
        others = set()
        for code in _list(partners):
            if is_pole(code):
                poles_.append(pole(code).code)
            else:
                others.add(require_state(code))
    rows = []
    for year in _years(since, until):
        members = _members(year)
        left = sorted(members if wanted is None else members & wanted)
        right = sorted(members if others is None else members & others)
        for s in left:
            rows += [(s, p, year) for p in right if p != s and (directed or s < p)]
            rows += [(s, p, year) for p in poles_ if not _is_self(s, p, year)]
    frame = pd.DataFrame(rows, columns=["state", "partner", "year"])
    frame = frame.sort_values(["year", "state", "partner"], kind="stable").reset_index(drop=True)
    frame["year"] = frame["year"].astype("int64")
    return with_sources(frame, ["un_membership"])


def _is_self(state: str, code: str, year: int) -> bool:
    """A seat pole is not its own partner (RUS with RUS, the USSR with RUS before 1992)."""
    p = pole(code)
    return bool(p.seats) and state == p.seat_on(date(year, *REFERENCE_DAY))


def _list(value) -> list[str]:
    return [v.strip() for v in value.split(",")] if isinstance(value, str) else list(value)


def frame_kind(frame: pd.DataFrame) -> str:
    """``"dyad"`` for a frame with ``state, partner, year``; ``"state"`` for ``state, year``."""
    missing = [c for c in ("state", "year") if c not in frame.columns]
    if missing:
        raise BadInputError(
            f"the frame has no {', '.join(missing)} column; start from al.state_years() or "
            "al.dyad_years()"
        )
    return "dyad" if "partner" in frame.columns else "state"
