"""Resolution symbols in the UN's own form, whatever a source writes.

The forms follow the UN Official Document System: ``A/RES/77/1`` from the 31st session
on, ``A/RES/2758(XXVI)`` before it, ``A/RES/ES-11/1`` for emergency special sessions and
``A/RES/S-32/1`` for special sessions. A lettered part is appended to the number
(``A/RES/42/66C``, ``A/RES/2200A(XXI)``).
"""

from __future__ import annotations

import re
from datetime import date

_ROMAN = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]  # fmt: skip

_MODERN = re.compile(r"^(?:A/RES/)?(\d{2,3})/(\d+)\s*(?:\[?([A-Z])\]?)?$")
_OLD = re.compile(r"^(?:A/RES/)?(\d+)\s*(?:\[?([A-Z])\]?)?\s*\(([IVXLC]+)\)\s*(?:\[([A-Z])\])?$")
_SPECIAL = re.compile(r"^(?:A/RES/)?(ES|S)-(\d+)/(\d+)\s*(?:\[?([A-Z])\]?)?$")
#: Voeten's dataverse and the unvotes package write ``R/<session>/<n>``.
_VOETEN = re.compile(r"^R/(\d+)/(\d+)\s*/?\s*([A-Z])?$")

#: The first regular session whose resolutions are numbered per session (A/RES/31/1).
FIRST_NUMBERED_SESSION = 31


def roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def normalise(raw: str | None, session: int | None = None) -> str | None:
    """The UN form of a resolution symbol, or None when ``raw`` is not one.

    Parameters
    ----------
    raw : str
        The symbol as a source writes it.
    session : int, optional
        The regular session, needed for Voeten's ``R/<session>/<n>`` form.

    Examples
    --------
    >>> normalise("R/73/5", 73)
    'A/RES/73/5'
    >>> normalise("A/RES/2200(XXI)[A]")
    'A/RES/2200A(XXI)'
    >>> normalise("ES-11/1.")
    'A/RES/ES-11/1'
    """
    if raw is None:
        return None
    text = str(raw).strip().upper().replace("\u00a0", " ").rstrip(".")
    if not text:
        return None
    if m := _SPECIAL.match(text):
        kind, number, res, part = m.groups()
        return f"A/RES/{kind}-{int(number)}/{int(res)}{part or ''}"
    if m := _MODERN.match(text):
        sess, res, part = m.groups()
        if int(sess) >= FIRST_NUMBERED_SESSION:
            return f"A/RES/{int(sess)}/{int(res)}{part or ''}"
        return None
    if m := _OLD.match(text):
        res, part1, numeral, part2 = m.groups()
        return f"A/RES/{int(res)}{part1 or part2 or ''}({numeral})"
    if m := _VOETEN.match(text):
        sess, res, part = m.groups()
        # Before the 31st session Voeten's numbers cannot be turned into a symbol: before
        # the 18th they are not resolution numbers (R/14/632 is not resolution 632), and
        # after it the letter counts roll calls, not parts. allegiance.store.official
        # takes these symbols from the UN Digital Library's records instead.
        if int(sess) >= FIRST_NUMBERED_SESSION:
            return f"A/RES/{int(sess)}/{int(res)}{part or ''}"
        return None
    return None


def session_of(day: date) -> int:
    """The regular session sitting on ``day``, for sources that do not say.

    A regular session opens on the Tuesday of the third week of September, counting from
    the first week with a working day (rule 1 of the GA's rules of procedure); from the
    78th session (2023) it opens one week earlier. Votes between 1 January and the
    opening belong to the session that opened the previous September. The first session
    opened on 10 January 1946.
    """
    year = day.year
    if year == 1946:
        return 1
    return year - 1945 if day >= _opening(year) else year - 1946


def _opening(year: int) -> date:
    first = date(year, 9, 1)
    while first.weekday() >= 5:  # the first working day of September
        first = date(year, 9, first.day + 1)
    week_one_monday = first.toordinal() - first.weekday()
    weeks = 1 if year >= 2023 else 2
    return date.fromordinal(week_one_monday + 7 * weeks + 1)
