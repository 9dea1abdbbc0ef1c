"""What each source must hold for a build to use it, and the checks of that.

Readers reject bad rows one at a time; the checks here look at a source as a whole, so
that an empty, truncated or implausibly small input fails the build with the file and the
reason instead of quietly shrinking the store. Each source declares an :class:`Expect`
beside its entry in the build's table of sources (``VOTE_SOURCES`` in
:mod:`allegiance.store.build`, ``CHANNEL_SOURCES`` in
:mod:`allegiance.store.channels_build`); the figures are set from the pinned releases
and listed in docs/reliability.md.

:class:`RowRules` says what a valid row of a store table is (its natural key, the columns
that may not be missing, the range of each number); :func:`check_rows` applies them to
every channel source, whatever its reader, so a new source is validated by registering it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from allegiance.sources.base import Rejection, SourceError, SourceTables
from allegiance.sources.validate import RowChecks


@dataclass(frozen=True)
class Expect:
    """What one source must contain.

    Attributes
    ----------
    min_rows : int
        Fewest roll calls (vote sources) or rows (other sources) the source may yield.
    sessions : tuple of int, optional
        ``(first, last)``: every regular session in this range must have a roll call.
    years : tuple of int
        Every year listed must have at least one row.
    session_file_min : int
        For sources read from one file per regular session (``74.json.gz``): fewest roll
        calls each such file must yield. The newest session's file is exempt, since its
        session is still under way; it must still not be empty.
    """

    min_rows: int = 1
    sessions: tuple[int, int] | None = None
    years: tuple[int, ...] = ()
    session_file_min: int = 0


@dataclass(frozen=True)
class RowRules:
    """What a valid row of one store table is.

    Attributes
    ----------
    key : tuple of str
        The natural key: two rows of one source with the same key are one fact told twice
        (merged when their values agree, the later copy rejected when they differ). A
        missing part of the key compares equal to another missing part.
    key_requires : tuple of str
        Key columns without which a row cannot be told apart from others in this table
        (a Comtrade territory reporter is stored without a code): such rows are not
        compared here; their reader compares them on the source's own codes.
    required : tuple of str
        Columns that may not be missing.
    ranges : mapping of str to (min, max)
        Inclusive bounds of numeric columns (None: unbounded on that side).
    coverage : tuple of (str, str or None)
        SQL expressions naming the source and the year of a row, for the comparison of
        a new store with the previous one (:mod:`allegiance.store.coverage`).
    """

    key: tuple[str, ...] = ()
    key_requires: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    ranges: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)
    coverage: tuple[str, str | None] = ("source", "year")


_SESSION_FILE = re.compile(r"^(\d+)\.json")


def check_vote_source(tables: SourceTables, expect: Expect, folder: Path) -> None:
    """Fail if a vote source holds less than ``expect`` says.

    Raises
    ------
    SourceError
        Naming the file (or the folder) and what is missing.
    """
    rc = tables.roll_calls
    if len(rc) < expect.min_rows:
        raise SourceError(
            f"{folder}: {len(rc)} roll call(s) read, fewer than the {expect.min_rows} this "
            "source must hold: the files are empty, truncated or not the expected release"
        )
    if expect.sessions is not None:
        first, last = expect.sessions
        have = set(rc["session"].dropna().astype(int))
        lacking = [s for s in range(first, last + 1) if s not in have]
        if lacking:
            raise SourceError(
                f"{folder}: no roll call for session(s) {_ranges(lacking)}; this source must "
                f"cover sessions {first}-{last}: the files are truncated or not the expected "
                "release"
            )
    if expect.session_file_min:
        _check_session_files(tables, expect.session_file_min)


def _check_session_files(tables: SourceTables, minimum: int) -> None:
    by_file = tables.roll_calls["record"].str.extract(r"^(\S+) line", expand=False).value_counts()
    sessions = {
        path: int(m.group(1)) for path in tables.files if (m := _SESSION_FILE.match(path.name))
    }
    if not sessions:
        return
    newest = max(sessions.values())
    for path, session in sorted(sessions.items(), key=lambda item: item[1]):
        n = int(by_file.get(path.name, 0))
        if session != newest and n < minimum:
            raise SourceError(
                f"{path}: {n} resolution(s) adopted by recorded vote, fewer than the {minimum} "
                "a completed session's extract must hold: the file is truncated or damaged; "
                "fetch it again"
            )


def check_rows(
    frame: pd.DataFrame,
    rules: RowRules,
    file: str,
    records: pd.Series | None = None,
) -> tuple[pd.DataFrame, list[Rejection]]:
    """Reject rows of a loaded channel source that break ``rules``.

    Readers already reject bad cells as they parse; this is the same rule applied to
    every source of a table at the one place they all pass, so that no reader can let a
    NaN, a negative amount or a repeated row into the store.

    Parameters
    ----------
    frame : DataFrame
        The source's rows in the table's columns.
    rules : RowRules
    file : str
        The file's name, for rejections.
    records : Series, optional
        Where each row was read (``"line 12"``), in the frame's order; default
        ``"row N"``.

    Returns
    -------
    (DataFrame, list of Rejection)
        The rows kept, and one rejection per row dropped or merged.
    """
    frame = frame.reset_index(drop=True)
    if records is None or len(records) != len(frame):
        records = "row " + pd.Series(frame.index + 1, index=frame.index).astype(str)
    checks = RowChecks(file, records.reset_index(drop=True).set_axis(frame.index))
    for col in rules.required:
        checks.reject(frame[col].isna(), col, "missing (a value is required)")
    for col, (low, high) in rules.ranges.items():
        value = pd.to_numeric(frame[col], errors="coerce").astype("float64")
        outside = value.notna() & ~value.between(
            -float("inf") if low is None else low, float("inf") if high is None else high
        )
        # Text where a number belongs (a reader that coerced nothing) is out of range too.
        outside |= frame[col].notna() & value.isna()
        checks.reject(
            outside,
            col,
            lambda rows, c=col, lo=low, hi=high: [
                f"{v!r} is outside [{'' if lo is None else lo}, {'' if hi is None else hi}]"
                for v in frame.loc[rows, c]
            ],
        )
    if rules.key:
        keys = frame[list(rules.key)]
        comparable = frame[list(rules.key_requires)].notna().all(axis=1)
        values = frame.drop(columns=list(rules.key))
        sub = RowChecks(file, checks.where[comparable & ~checks.bad])
        sub.repeated(keys[comparable & ~checks.bad], values, ", ".join(rules.key))
        checks.rejected += sub.rejected
        checks.bad |= sub.bad.reindex(frame.index, fill_value=False)
    return frame[~checks.bad].reset_index(drop=True), checks.rejected


def check_coverage(frame: pd.DataFrame, expect: Expect, path: Path) -> None:
    """Fail if a channel source's kept rows are fewer, or cover fewer years, than expected.

    Raises
    ------
    SourceError
        Naming the file and what is missing.
    """
    if len(frame) < expect.min_rows:
        raise SourceError(
            f"{path}: {len(frame)} usable row(s), fewer than the {expect.min_rows} this "
            "source must hold: the file is empty, truncated or not the expected release"
        )
    if expect.years:
        have = set(pd.to_numeric(frame["year"], errors="coerce").dropna().astype(int))
        lacking = [y for y in expect.years if y not in have]
        if lacking:
            raise SourceError(
                f"{path}: no usable row for year(s) {_ranges(lacking)}; this source must "
                f"cover {_ranges(list(expect.years))}: the file is truncated or not the "
                "expected release"
            )


def _ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` as ``"1-3, 7"``."""
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out)
