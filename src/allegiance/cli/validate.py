"""Every option checked before any work starts.

A command calls these first, so that a typo in ``--states``, a date that is not one, an
unknown region or issue, or an ``--out`` that cannot be written fails at once with its
remedy, instead of after seconds of computing. Each raises the typed error of
:mod:`allegiance.errors`; the command line turns it into one line and exit code 2.
"""

from __future__ import annotations

import re
from pathlib import Path

from allegiance.cli.output import Format, out_format
from allegiance.errors import BadInputError


def split(value: str | None) -> list[str] | None:
    """A comma-separated option as a list (None stays None)."""
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def output(fmt: Format, out: Path | None) -> Format:
    """The format to write (``--out``'s extension or ``--format``), checked."""
    return out_format(fmt, out)


def window(since, until) -> None:
    """``--since``/``--until``: each a year, year-month or date, in order."""
    from allegiance.dates import window as window_

    window_(since, until)


def year(value, option: str = "--year") -> int | None:
    """A year option given as text (``--year 2020``)."""
    from allegiance.dates import parse_year

    return None if value is None else parse_year(value, option)


def states(value: str | None, on=None, option: str = "--states") -> list[str] | None:
    """ISO3 codes for ``--states`` (codes in any case, names, aliases), every typo named."""
    from allegiance.states import resolve_states

    items = split(value)
    if items is None:
        return None
    if not items:
        raise BadInputError(f"{option} is empty; give codes or names such as ARM,AZE,GEO")
    return resolve_states(items, on=on)


def state(value: str, on=None) -> str:
    """One state (a positional argument), by code, name or alias."""
    from allegiance.states import resolve_state

    return resolve_state(value, on=on)


def side(value: str, on=None) -> str:
    """A state or a pole (``RUS``, ``EU``, ``European Union``)."""
    from allegiance.poles import is_pole, pole

    if is_pole(value):
        return pole(value).code
    if " ".join(str(value).split()).casefold() == "european union":
        return "EU"
    return state(value, on=on)


def region(name: str | None) -> None:
    """``--region``: a named group, an M49 region, ``world`` or an organization."""
    if name is None:
        return
    from allegiance.analysis.regions import region as region_

    region_(name)


def issue(code: str | None) -> None:
    """``--issue``: one of the issue areas of ``data/issues.toml``."""
    if code is None:
        return
    from allegiance.issues import issue as issue_

    issue_(code)


def poles(value: str | None) -> list[str] | None:
    """``--poles``: codes of the poles table."""
    items = split(value)
    if items is None:
        return None
    if not items:
        raise BadInputError("--poles is empty; give poles such as RUS,USA,CHN,TUR,EU")
    from allegiance.poles import pole

    return [pole(p).code for p in items]


def at_least(value, lowest, option: str) -> None:
    """A number option that cannot go below ``lowest``."""
    if value is not None and value < lowest:
        raise BadInputError(f"{option} must be at least {lowest}, not {value}")


def between(value, lowest, highest, option: str) -> None:
    """A number option that must lie in ``[lowest, highest]``."""
    if value is not None and not lowest <= value <= highest:
        raise BadInputError(f"{option} must be between {lowest} and {highest}, not {value}")


def readable(path: Path | None, option: str) -> None:
    """An input file option: it must exist and be a file."""
    if path is None:
        return
    path = Path(path)
    if not path.exists():
        raise BadInputError(f"{option} {path}: no such file")
    if path.is_dir():
        raise BadInputError(f"{option} {path} is a folder; give a file")


def seated(codes: list[str] | None, year: int | None, option: str) -> None:
    """States asked for by name must have held a UN seat in ``year``: a result for
    Kazakhstan in 1980 would describe a Soviet republic as a state. States that never
    held a seat (Kosovo, Palestine, the Holy See) are let through."""
    if not codes or year is None or year < 1945:  # before the UN: the store says so
        return
    from allegiance.states import admitted, seated_in

    absent = [c for c in codes if admitted(c) is not None and not seated_in(c, year)]
    if absent:
        since = ", ".join(f"{c} from {admitted(c):%Y-%m-%d}" for c in absent)
        raise BadInputError(
            f"insufficient data: {', '.join(absent)} held no UN seat in {year} ({since}); "
            f"leave {'it' if len(absent) == 1 else 'them'} out or ask for a year it was a member"
        )


def from_admission(code: str, since: int | None, option: str = "--since") -> None:
    """A window asked for must not start before the state's first UN seat."""
    if since is None:
        return
    from allegiance.states import admitted

    first = admitted(code)
    if first is not None and since < first.year:
        raise BadInputError(
            f"insufficient data: {code} held no UN seat before {first:%Y-%m-%d}; "
            f"use {option} {first.year} or later"
        )


_DAY = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")


def yaml_file(path: Path, option: str) -> None:
    """A YAML file a command reads (a claims file) must exist and be readable. Its content
    (YAML syntax, dates, codes) is checked by the claims loader before any work, which
    lists every problem at once with file and line (docs/claims.md)."""
    readable(path, option)
