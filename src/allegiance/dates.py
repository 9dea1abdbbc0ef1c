"""One parser for every ``on=``, ``since=`` and ``until=`` argument.

A value may be a year (``2022`` or ``"2022"``), a year and month (``"2022-03"``), a date
(``"2022-03-02"``, :class:`datetime.date`, :class:`datetime.datetime` or a pandas
``Timestamp``). A year or a month stands for its first day when it opens a window and for
its last day when it closes one.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from allegiance.errors import BadDateError

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value, end: bool = False, what: str = "date") -> date:
    """The day ``value`` means: its first day, or its last when ``end`` is true.

    Parameters
    ----------
    value : int, str, date or datetime
        ``2022``, ``"2022"``, ``"2022-03"``, ``"2022-03-02"``, a date or a datetime.
    end : bool
        Whether the value closes a window (``until``): a year or month then means its
        last day.
    what : str
        The argument's name, for the error message.

    Raises
    ------
    BadDateError
        For anything else, naming the value and the accepted forms.

    Examples
    --------
    >>> parse_date(2022)
    datetime.date(2022, 1, 1)
    >>> parse_date("2024-02", end=True)
    datetime.date(2024, 2, 29)
    >>> parse_date("2022-02-30")
    Traceback (most recent call last):
    ...
    allegiance.errors.BadDateError: date '2022-02-30' is not a date: day is out of range for month
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp, without importing pandas
        return value.to_pydatetime().date()
    if isinstance(value, bool) or value is None:
        raise BadDateError(f"{what} {value!r} is not a year, year-month or date")
    if isinstance(value, int):
        value = f"{value:04d}" if 1000 <= value <= 9999 else str(value)
    text = str(value).strip()
    try:
        if _YEAR.match(text):
            year = int(text)
            return date(year, 12, 31) if end else date(year, 1, 1)
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return date(year, month, last if end else 1)
        if m := _DAY.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if "T" in text or " " in text:
            return datetime.fromisoformat(text).date()
    except ValueError as exc:
        raise BadDateError(f"{what} {value!r} is not a date: {exc}") from None
    raise BadDateError(
        f"{what} {value!r} is not a year, year-month or date; write 2022, 2022-03 or 2022-03-02"
    )


def parse_year(value, what: str = "year") -> int:
    """A year from ``2022``, ``"2022"`` or a date (its year).

    >>> parse_year("2014")
    2014
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return parse_date(value, what=what).year


def window(since=None, until=None) -> tuple[date | None, date | None]:
    """``since`` and ``until`` as days, checked to be in order.

    >>> window(2014, 2012)
    Traceback (most recent call last):
    ...
    allegiance.errors.BadDateError: since (2014-01-01) is after until (2012-12-31)
    """
    first = None if since is None else parse_date(since, what="since")
    last = None if until is None else parse_date(until, end=True, what="until")
    if first is not None and last is not None and first > last:
        raise BadDateError(f"since ({first}) is after until ({last})")
    return first, last
