"""States that sat in the UN General Assembly: codes, names, membership spells, resolvers.

One table (``data/states.csv``) holds the codes and the names every source uses for a state;
one table (``data/un_membership.csv``) holds the dates a state held a seat. Everything here
reads those two files. Names and codes that several states share over time (``"Russia"`` for the
USSR and the Russian Federation, COW 345 for Yugoslavia and Serbia, ``"China"`` for the
Republic of China before 25 October 1971) are told apart by date, using the membership spells.
"""

from __future__ import annotations

import difflib
import os
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
    "admitted",
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
    "resolve_state",
    "resolve_states",
    "seated_in",
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
        if isinstance(dates, np.datetime64):
            day = dates.astype("datetime64[D]")
        elif isinstance(dates, date):  # any year, also beyond what pandas' Timestamp holds
            day = np.datetime64(dates if not hasattr(dates, "date") else dates.date(), "D")
        else:
            day = np.datetime64(pd.Timestamp(dates).date(), "D")
        return np.full(n, day)
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


def admitted(iso3: str):
    """The day a state first took a General Assembly seat (``None`` for states that never
    held one: Kosovo, Palestine, the Holy See).

    Examples
    --------
    >>> str(admitted("KAZ"))
    '1992-03-02'
    """
    table = _membership()
    days = table.loc[table["iso3"] == resolve_state(iso3), "admitted"]
    return None if days.empty else days.min().date()


def seated_in(iso3: str, year: int) -> bool:
    """Whether a state held a General Assembly seat on some day of ``year``.

    Examples
    --------
    >>> seated_in("KAZ", 1991), seated_in("KAZ", 1992), seated_in("SUN", 1991)
    (False, True, True)
    """
    spell_iso, starts, ends = _spells()
    mine = spell_iso == resolve_state(iso3)
    first, last = np.datetime64(f"{int(year)}-01-01", "D"), np.datetime64(f"{int(year)}-12-31", "D")
    return bool(((starts[mine] <= last) & (ends[mine] > first)).any())


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


def resolve_state(text: str, on=None) -> str:
    """The one resolver of the states a user names: the ISO3 code of ``text`` on ``on``.

    Every place that takes a state from a person (positional arguments and ``--states`` of
    the command line, the knowledge base's queries, the Python API) goes through here.

    Parameters
    ----------
    text : str
        An ISO3 code in any case (``arm``, ``SUN``), a name in any case and with or
        without accents (``Armenia``, ``Türkiye``, ``TURKEY``), the UN's name, or a
        common alias (``UK``, ``USA``, ``DPRK``; the ``variants`` of ``data/states.csv``).
    on : date-like, optional
        The day the name is meant on: a name several states used over time resolves to
        the state it meant then (``"Russia"`` in 1980 is the Soviet Union, ``"China"``
        before 25 October 1971 the Republic of China). A code is exact on every day.
        Without a day, a name that is one state's own short name gives that state
        (``"Russia"`` is ``RUS``), else the state it means today.

    Returns
    -------
    str
        The ISO3 code.

    Raises
    ------
    UnknownStateError
        With the closest codes and names as suggestions.

    Examples
    --------
    >>> resolve_state("arm"), resolve_state("Turkey"), resolve_state("Russia", on="1980")
    ('ARM', 'TUR', 'SUN')
    """
    table = _states()
    raw = "" if text is None else str(text)
    code = raw.strip()
    if not code:
        raise UnknownStateError("no state given; name one by ISO3 code (ARM) or name (Armenia)")
    if code.upper() in table.index:
        return code.upper()
    found = resolve_name(code, on=None if on is None else _day(on))
    if found is not None:
        return found
    raise UnknownStateError(f"unknown state {raw!r}{_suggest(code)}")


def require_state(code: str, on=None) -> str:
    """Check an ISO3 code (or a name) and return the ISO3 code: :func:`resolve_state`."""
    return resolve_state(code, on=on)


def resolve_states(values, on=None) -> list[str]:
    """ISO3 codes for several states (a list, or one comma-separated string), in order.

    Every unknown entry is reported in one error, each with its closest matches, so that a
    list with two typos is corrected in one go.

    Raises
    ------
    UnknownStateError
        Naming every entry that is not a state.

    Examples
    --------
    >>> resolve_states("arm, Azerbaijan,GEO")
    ['ARM', 'AZE', 'GEO']
    """
    if isinstance(values, str):
        values = values.split(",")
    items = [str(v).strip() for v in values if str(v).strip()]
    if not items:
        raise UnknownStateError("no state given; name them by ISO3 code or name: ARM,AZE,GEO")
    codes, unknown = [], []
    for item in items:
        try:
            codes.append(resolve_state(item, on=on))
        except UnknownStateError:
            unknown.append(f"{item!r}{_suggest(item, prefix=' (did you mean ', suffix='?)')}")
    if unknown:
        what = "unknown state" if len(unknown) == 1 else "unknown states"
        raise UnknownStateError(f"{what} {', '.join(unknown)}")
    return list(dict.fromkeys(codes))


def _day(on) -> np.datetime64:
    from allegiance.dates import parse_date

    return np.datetime64(parse_date(on, what="date"), "D")


@cache
def _choices() -> dict[str, str]:
    """What a person might have meant, upper case -> ISO3: codes, names, UN names, variants."""
    table = _states()
    out: dict[str, str] = {}
    for row in table.itertuples(index=False):
        for text in [row.iso3, row.name, row.un_name, *row.variants]:
            out.setdefault(str(text).upper(), row.iso3)
    return out


def _suggest(text: str, prefix: str = "; did you mean ", suffix: str = "?") -> str:
    """The closest codes and names to ``text`` as ``; did you mean Russia (RUS)?``.

    An entry of up to four letters is compared with codes and short aliases, one of three
    or more with names, so that "Rusia" suggests Russia and not "USA"; only the matches nearly as close as the
    best are kept.
    """
    table = _states()
    wanted = str(text).strip().upper()
    choices = {
        k: v
        for k, v in _choices().items()
        if (len(k) <= 3 and len(wanted) <= 4) or (len(k) > 3 and len(wanted) >= 3)
    }
    scored = sorted(
        ((difflib.SequenceMatcher(None, wanted, k).ratio(), k) for k in choices),
        key=lambda pair: (-pair[0], -len(os.path.commonprefix([wanted, pair[1]])), pair[1]),
    )
    if not scored or scored[0][0] < 0.6:
        return ""
    best = scored[0][0]
    labels = [
        f"{table.at[choices[k], 'name']} ({choices[k]})" for r, k in scored if r >= best - 0.1
    ]
    hints = list(dict.fromkeys(labels))[:3]
    return f"{prefix}{', '.join(hints)}{suffix}"


def name(iso3: str) -> str:
    """The common English short name of a state (``name("SUN")`` is ``'Soviet Union'``)."""
    return str(_states().at[require_state(iso3), "name"])
