"""The poles alignment is measured against, from ``data/poles.toml``: one table.

A pole is a General Assembly seat held by a state over time (Russia continues the USSR's
seat from 1991-12-24; the People's Republic holds China's from 1971-10-25) or an
organization whose members on a date make it up (the EU). Who the EU's members are is a
fact of the knowledge base; this module only says that the EU is such a pole.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from allegiance.errors import UnknownPoleError


@dataclass(frozen=True)
class Pole:
    code: str
    name: str
    #: (first day, state) for a seat pole, in order; empty for an organization pole.
    seats: tuple[tuple[date, str], ...] = ()
    #: The knowledge base's organization id for an organization pole.
    organization: str | None = None

    def seat_on(self, day: date) -> str | None:
        """The state holding the pole's seat on ``day`` (None before the first)."""
        holder = None
        for first, state in self.seats:
            if day >= first:
                holder = state
        return holder


@cache
def poles() -> dict[str, Pole]:
    """Every pole, by code, in the order the package prints them (RUS, USA, CHN, TUR, EU)."""
    text = resources.files("allegiance").joinpath("data", "poles.toml").read_text("utf-8")
    out = {}
    for code, row in tomllib.loads(text)["poles"].items():
        seats = tuple((date.fromisoformat(s["from"]), s["state"]) for s in row.get("seats", ()))
        out[code] = Pole(code, row["name"], seats, row.get("organization"))
    return out


#: The pole codes, in order.
POLES: tuple[str, ...] = tuple(poles())


def pole(code: str) -> Pole:
    """One pole by code (case-insensitive), or an error naming the poles.

    >>> pole("rus").seat_on(date(1990, 1, 1))
    'SUN'
    """
    found = poles().get(str(code).strip().upper())
    if found is None:
        raise UnknownPoleError(f"unknown pole {code!r}; poles are {', '.join(POLES)}")
    return found


def is_pole(code: str) -> bool:
    return str(code).strip().upper() in poles()
