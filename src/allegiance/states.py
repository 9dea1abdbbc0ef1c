"""States that sat in the UN General Assembly: codes, names, membership spells, resolvers.

One table (``data/states.csv``) holds the codes and the names every source uses for a state;
one table (``data/un_membership.csv``) holds the dates a state held a seat. Everything here
reads those two files. Names and codes that several states share over time (``"Russia"`` for the
USSR and the Russian Federation, COW 345 for Yugoslavia and Serbia, ``"China"`` for the
Republic of China before 25 October 1971) are told apart by date, using the membership spells.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from allegiance.errors import UnknownStateError

__all__ = [
    "UnknownStateError",
    "is_member",
    "members_on",
    "membership",
    "name",
    "normalize_name",
    "require_state",
    "resolve_cow",
    "resolve_iso2",
    "resolve_name",
    "resolve_names",
    "states",
]

# Characters that NFKD does not reduce to ASCII letters. "Ý" appears in "TÜRKÝYE" in the UN's
# session-79 extract: it is the byte of Turkish "İ" read in the wrong code page.
_TRANSLATE = str.maketrans({"İ": "I", "ı": "i", "Ý": "I", "ý": "i", "&": " and "})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Spells without an end run to this date, so that interval tests need no special case.
_OPEN_END = np.datetime64("2262-01-01", "D")


def normalize_name(text: str) -> str:
    """The form names are matched in: lower case, no accents, punctuation as single spaces.

    Parameters
    ----------
    text : str
        A country name as a source writes it.

    Returns
    -------
    str
        E.g. ``"TÜRKİYE"``, ``"Türkiye"`` and ``"TÜRKÝYE"`` all give ``"turkiye"``;
        ``"Côte d’Ivoire"`` and ``"COTE D'IVOIRE"`` give ``"cote d ivoire"``.
    """
    text = unicodedata.normalize("NFKD", str(text).translate(_TRANSLATE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def _split(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part] if cell else []


@cache
def _states() -> pd.DataFrame:
    path = resources.files("allegiance") / "data" / "states.csv"
    with path.open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    for column in ("variants", "iso2_alt", "cow_alt"):
        table[column] = table[column].map(_split)
    table["cow"] = pd.to_numeric(table["cow"].replace("", None)).astype("Int64")
    table["m49"] = pd.to_numeric(table["m49"].replace("", None)).astype("Int64")
    # Indexed by ISO3 for .loc lookups; the unnamed index avoids clashing with the column.
    return table.set_index(pd.Index(table["iso3"].to_numpy(), name=None))


@cache
def _membership() -> pd.DataFrame:
    path = resources.files("allegiance") / "data" / "un_membership.csv"
    with path.open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    table["admitted"] = pd.to_datetime(table["admitted"])
    table["left"] = pd.to_datetime(table["left"].replace("", None))
    return table


def states() -> pd.DataFrame:
    """The states table, one row per state that sat in the General Assembly.

    Also rows for Kosovo, Palestine and the Holy See (``un_observer`` in ``note``), which
    never held a seat but are named by trade and arms data.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3, iso2, iso2_alt, cow, cow_alt, name, un_name, m49, region, subregion,
        variants, note, citation``. ``variants``, ``iso2_alt`` and ``cow_alt`` are lists.
        See ``docs/states.md``.

    Examples
    --------
    >>> states().loc["SUN", "name"]
    'Soviet Union'
    """
    return _states().copy()


def membership() -> pd.DataFrame:
    """UN membership spells: ``iso3, admitted, left, citation, note``.

    ``left`` is ``NaT`` for current members. A spell covers ``admitted <= day < left``.
    """
    return _membership().copy()


@cache
def _spells() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    table = _membership()
    starts = table["admitted"].to_numpy("datetime64[D]")
    ends = table["left"].fillna(pd.Timestamp(str(_OPEN_END))).to_numpy("datetime64[D]")
    return table["iso3"].to_numpy(str), starts, ends


def _as_days(dates, n: int) -> np.ndarray:
    """Dates (scalar or array-like, strings or datetimes) as ``datetime64[D]`` of length n."""
    if dates is None:
        return np.full(n, np.datetime64(date.today(), "D"))
    if np.ndim(dates) == 0:
        return np.full(n, np.datetime64(pd.Timestamp(dates).date(), "D"))
    return pd.to_datetime(pd.Series(dates).reset_index(drop=True)).to_numpy("datetime64[D]")


def is_member(iso3, dates) -> np.ndarray:
    """Whether each state held a General Assembly seat on each date.

    Parameters
    ----------
    iso3 : array-like of str
        ISO3 codes as in ``states()``.
    dates : scalar or array-like
        One date for all, or one per code (anything ``pandas.to_datetime`` reads).

    Returns
    -------
    numpy.ndarray of bool
        False for unknown codes and missing dates.

    Examples
    --------
    >>> is_member(["SUN", "RUS"], "1980-01-01").tolist()
    [True, False]
    """
    codes = pd.Series(np.asarray(iso3, dtype=object)).reset_index(drop=True)
    days = _as_days(dates, len(codes))
    spell_iso, starts, ends = _spells()
    result = np.zeros(len(codes), dtype=bool)
    frame = pd.DataFrame({"iso3": codes, "day": days})
    for code, rows in frame.groupby("iso3", sort=False).groups.items():
        mine = spell_iso == code
        if not mine.any():
            continue
        d = days[np.asarray(rows)][:, None]
        result[np.asarray(rows)] = ((d >= starts[mine]) & (d < ends[mine])).any(axis=1)
    return result


def members_on(day=None) -> frozenset[str]:
    """The ISO3 codes of the UN members on a date (today if ``None``).

    Examples
    --------
    >>> len(members_on("2011-07-14"))
    193
    """
    spell_iso, starts, ends = _spells()
    d = _as_days(day, 1)[0]
    return frozenset(spell_iso[(starts <= d) & (d < ends)].tolist())


@cache
def _lookup(kind: str) -> dict[str, tuple[str, ...]]:
    """Key (normalised name, ISO2 or COW code as str) -> the states that use it."""
    table = _states()
    keys: dict[str, list[str]] = {}

    def add(key: str, iso3: str) -> None:
        if key and iso3 not in keys.setdefault(key, []):
            keys[key].append(iso3)

    for row in table.itertuples(index=False):
        if kind == "name":
            for text in [row.name, row.un_name, *row.variants]:
                add(normalize_name(text), row.iso3)
        elif kind == "iso2":
            for code in [row.iso2, *row.iso2_alt]:
                add(code.upper(), row.iso3)
        else:
            for code in [row.cow, *row.cow_alt]:
                if not pd.isna(code) and code != "":
                    add(str(int(code)), row.iso3)
    return {key: tuple(value) for key, value in keys.items()}


def _pick(candidates: tuple[str, ...], day: np.datetime64) -> str:
    """The state among several sharing a name or code that the name meant on ``day``.

    The one whose membership covers the day; else the next to be admitted (FR Yugoslavia
    between 1992 and 2000 held no seat but is the state COW 345 means then); else the last.
    """
    if len(candidates) == 1:
        return candidates[0]
    spell_iso, starts, ends = _spells()
    best_next, best_next_start, last, last_end = None, None, candidates[-1], None
    for iso3 in candidates:
        mine = spell_iso == iso3
        if ((starts[mine] <= day) & (day < ends[mine])).any():
            return iso3
        later = starts[mine][starts[mine] > day]
        if later.size and (best_next_start is None or later.min() < best_next_start):
            best_next, best_next_start = iso3, later.min()
        if mine.any() and (last_end is None or ends[mine].max() > last_end):
            last, last_end = iso3, ends[mine].max()
    return best_next if best_next is not None else last


def _map_unique(values: pd.Series, fn) -> pd.Series:
    """``values.map(fn)`` computed once per distinct value (sources repeat a few hundred
    names over a million rows)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype="object"), use_na_sentinel=True)
    mapped = np.array([fn(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], dtype="object")


def _resolve(keys: pd.Series, dates, kind: str) -> pd.Series:
    """Vectorised lookup. Keys one state uses are mapped directly; only the few keys shared
    over time are resolved per unique (key, day) pair."""
    keys = pd.Series(keys, dtype="object").reset_index(drop=True)
    lookup = _lookup(kind)
    single = {key: found[0] for key, found in lookup.items() if len(found) == 1}
    result = pd.Series(_map_unique(keys, lambda k: single.get(k)), dtype="string")
    shared_keys = {key for key, found in lookup.items() if len(found) > 1}
    shared = _map_unique(keys, lambda k: k in shared_keys).to_numpy(dtype=bool)
    if shared.any():
        days = _as_days(dates, len(keys))[shared]
        frame = pd.DataFrame({"key": keys[shared].to_numpy(), "day": days})
        unique = frame.drop_duplicates()
        picked = [
            _pick(lookup[key], day)
            for key, day in zip(unique["key"], unique["day"].to_numpy("datetime64[D]"), strict=True)
        ]
        unique = unique.assign(iso3=picked)
        merged = frame.merge(unique, on=["key", "day"], how="left")
        result[shared] = merged["iso3"].to_numpy()
    return result


def resolve_names(names: pd.Series, dates: pd.Series | None = None) -> pd.Series:
    """ISO3 codes for country names as sources write them, or ``<NA>``.

    Parameters
    ----------
    names : pandas.Series of str
        Names in any case, with or without accents (``"TÜRKİYE"``, ``"Côte d’Ivoire"``).
    dates : pandas.Series or scalar, optional
        The date each name was used. A name shared over time ("Russia", "Yugoslavia",
        "China", "Yemen") is resolved to the state it meant then. Default: today.

    Returns
    -------
    pandas.Series of string dtype
        Same length and index as ``names``. Non-states (territories, "Unknown country",
        rebel groups) are ``<NA>``.
    """
    names = pd.Series(names)
    keys = _map_unique(names, lambda s: normalize_name(s) if isinstance(s, str) else None)
    result = _resolve(keys, dates, "name")
    result.index = names.index
    return result


def resolve_name(text: str, on=None) -> str | None:
    """The ISO3 code of one country name on a date, or ``None``.

    Without a date, a name that is one state's own ``name`` gives that state
    ("Yugoslavia" gives ``YUG``); otherwise the state it means today.

    Examples
    --------
    >>> resolve_name("Russia", on="1980-01-01"), resolve_name("RUSSIAN FEDERATION")
    ('SUN', 'RUS')
    """
    key = normalize_name(text)
    candidates = _lookup("name").get(key)
    if not candidates:
        return None
    if on is None and len(candidates) > 1:
        table = _states()
        for iso3 in candidates:
            if key in (normalize_name(table.at[iso3, "name"]),):
                return iso3
    return _pick(candidates, _as_days(on, 1)[0])


def resolve_iso2(codes, dates=None) -> pd.Series:
    """ISO3 codes for ISO 3166-1 alpha-2 codes (and the alpha-2 codes sources use for
    historic states: ``SU``, ``YU``, ``CS``, ``DD``, ``YD``), by date.

    Namibia's ``"NA"`` is a code, not a missing value: read sources with
    ``keep_default_na=False``.
    """
    codes = pd.Series(codes)
    keys = _map_unique(codes, lambda c: c.strip().upper() if isinstance(c, str) else None)
    result = _resolve(keys, dates, "iso2")
    result.index = codes.index
    return result


def resolve_cow(codes, dates) -> pd.Series:
    """ISO3 codes for Correlates of War country codes on dates.

    COW 365 is the USSR until 1991-12-24 and Russia after; 345 is Yugoslavia, then
    FR Yugoslavia / Serbia and Montenegro, then Serbia; 260 (West Germany) and 255 are DEU.
    """
    codes = pd.Series(codes)
    numbers = pd.Series(pd.to_numeric(codes, errors="coerce").to_numpy())
    keys = _map_unique(numbers, lambda c: None if pd.isna(c) else str(int(c)))
    result = _resolve(keys, dates, "cow")
    result.index = codes.index
    return result


def require_state(code: str) -> str:
    """Check an ISO3 code (or a name) and return the ISO3 code.

    Raises
    ------
    UnknownStateError
        With the closest codes and names as suggestions.
    """
    table = _states()
    text = str(code).strip()
    if text.upper() in table.index:
        return text.upper()
    by_name = resolve_name(text)
    if by_name is not None:
        return by_name
    labels = {
        iso3: f"{label} ({iso3})" for iso3, label in zip(table.index, table["name"], strict=True)
    }
    options = {**{iso3.upper(): iso3 for iso3 in table.index}}
    options.update(
        {label.upper(): iso3 for iso3, label in zip(table.index, table["name"], strict=True)}
    )
    close = difflib.get_close_matches(text.upper(), list(options), n=5, cutoff=0.6)
    hints = list(dict.fromkeys(labels[options[match]] for match in close))[:3]
    hint = f"; did you mean {', '.join(hints)}?" if hints else ""
    raise UnknownStateError(f"unknown state {code!r}{hint}")


def name(iso3: str) -> str:
    """The common English short name of a state (``name("SUN")`` is ``'Soviet Union'``)."""
    return str(_states().at[require_state(iso3), "name"])
