"""Reader for the UN Dag Hammarskjöld Library's "General Assembly Voting Data".

Format: one CSV row per (adopted resolution, Member State), as described by the data
dictionaries published with the dataset (UN Digital Library record 4060887):

- version 5 (February 2026) and later: ``undl_id, ms_code, ms_name, ms_vote, date,
  session, resolution, ..., total_yes, total_no, total_abstentions, total_non_voting,
  total_ms, undl_link``, votes ``Y``/``N``/``A``/``X``;
- version 1 (September 2024): ``undl_id, ms_codes, ms_names, ms_votes, resolutions,
  title, modality, ..., date, yes, no, abstentions, non-voting, total-voting,
  undl_link``, votes ``Y``/``N``/``A``/``NV``.

The version is told by the header. The file may be plain, ``.gz`` or a one-entry
``.zip``; it is read in chunks (the full release is about 950,000 rows and 360 MB).
Only resolutions adopted by a vote are in the dataset, so every roll call is of kind
``resolution``. "Non-voting" (``X``/``NV``) means a member that did not vote: it is coded
:attr:`Vote.ABSENT`. A member with no row is left to the store builder, which decides it
from membership dates.

Cite: United Nations Dag Hammarskjöld Library, General Assembly Voting Data, United
Nations, version N, downloaded from https://digitallibrary.un.org/record/4060887,
[download date]. Terms: Copyright United Nations; non-commercial use with attribution.
"""

from __future__ import annotations

import csv
import gzip
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from allegiance.sources._io import open_text
from allegiance.sources.base import ROLL_CALL_COLUMNS, Rejection, SourceError, SourceTables
from allegiance.sources.symbols import normalise, session_of
from allegiance.vote import Vote

SOURCE = "undl"
#: Rows read at a time; bounds memory on the full release.
CHUNK_ROWS = 100_000
#: Row-level rejections kept in detail per field; beyond that one summary line per field.
MAX_DETAIL = 1000

#: Column names of each data dictionary version, by the role they play here.
COLUMNS = {
    5: {
        "id": "undl_id",
        "state": "ms_code",
        "vote": "ms_vote",
        "date": "date",
        "symbol": "resolution",
        "yes": "total_yes",
        "no": "total_no",
        "abstain": "total_abstentions",
        "session": "session",
        "title": "title",
        "non_voting": "total_non_voting",
    },
    1: {
        "id": "undl_id",
        "state": "ms_codes",
        "vote": "ms_votes",
        "date": "date",
        "symbol": "resolutions",
        "yes": "yes",
        "no": "no",
        "abstain": "abstentions",
        "title": "title",
        "non_voting": "non-voting",
    },
}
_REQUIRED = ("id", "state", "vote", "date", "symbol", "yes", "no", "abstain")
_VOTES = {"Y": Vote.YES, "N": Vote.NO, "A": Vote.ABSTAIN, "X": Vote.ABSENT, "NV": Vote.ABSENT}
_SUFFIXES = (".csv", ".csv.gz", ".csv.zip", ".zip", ".gz")
_SESSION_IN_SYMBOL = re.compile(r"^A/RES/(\d+)/")
_ROMAN_SESSION = re.compile(r"\(([IVXLC]+)\)$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def read(path: Path) -> SourceTables:
    """Read a "General Assembly Voting Data" CSV into the canonical tables.

    Parameters
    ----------
    path : Path
        The CSV (plain, ``.gz`` or one-entry ``.zip``), or a folder holding exactly one.

    Returns
    -------
    SourceTables
        ``roll_calls`` (one per ``undl_id``; official tallies from the totals columns),
        ``votes`` (ISO3 state, :class:`Vote` code) and the rows that were rejected.

    Raises
    ------
    SourceError
        The file is missing, damaged, or lacks a required column.

    Examples
    --------
    >>> tables = read(Path("mirror/unga/undl"))  # doctest: +SKIP
    >>> tables.votes.query("state == 'NAM'").head()  # doctest: +SKIP
    """
    path = _the_file(Path(path))
    known = _known_states()
    rejected = _Rejections(path.name)
    calls: list[pd.DataFrame] = []
    listed: list[pd.DataFrame] = []
    try:
        with open_text(path, encoding="utf-8-sig") as handle:
            names, columns = _version(path, handle.readline())
            rejected.fields = columns
            reader = pd.read_csv(
                handle,
                header=None,
                names=names,
                dtype=str,
                keep_default_na=False,
                usecols=list(columns.values()),
                chunksize=CHUNK_ROWS,
            )
            first_line = 2  # line 1 is the header
            for chunk in reader:
                chunk = chunk.rename(columns={v: k for k, v in columns.items()})
                chunk.index = np.arange(first_line, first_line + len(chunk))
                first_line += len(chunk)
                _read_chunk(chunk, known, rejected, calls, listed)
    except (EOFError, OSError, zipfile.BadZipFile, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: truncated or damaged file ({exc})") from exc
    except pd.errors.ParserError as exc:
        raise SourceError(f"{path}: malformed CSV ({exc})") from exc

    roll_calls = _roll_calls(calls)
    rows = _drop_duplicates(listed, rejected)
    _check_totals(roll_calls, rows, rejected)
    vote_table = rows.loc[rows["ok"], ["source_id", "state", "vote"]].reset_index(drop=True)
    roll_calls = roll_calls[ROLL_CALL_COLUMNS]
    return SourceTables(
        SOURCE,
        roll_calls,
        vote_table,
        rejected.done(),
        lists_absentees=True,
        files=[path],
    )


class _Rejections:
    """Rejections as found, with at most ``MAX_DETAIL`` rows in detail per field."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Rejection] = []
        self.per_field: dict[str, int] = {}
        self.fields: dict[str, str] = COLUMNS[5]  # column names of the file's version

    def add(self, record: str, field: str, reason: str) -> None:
        seen = self.per_field.get(field, 0)
        self.per_field[field] = seen + 1
        if seen < MAX_DETAIL:
            self.items.append(Rejection(self.file, record, field, reason))

    def done(self) -> list[Rejection]:
        out = list(self.items)
        for field, count in self.per_field.items():
            if count > MAX_DETAIL:
                out.append(
                    Rejection(self.file, "more rows", field,
                              f"{count - MAX_DETAIL} further rows rejected for {field} "
                              f"({count} in all)")
                )  # fmt: skip
        return out


def _the_file(path: Path) -> Path:
    if not path.is_dir():
        if not path.exists():
            raise SourceError(f"{path}: file not found")
        return path
    found = sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(_SUFFIXES))
    if len(found) != 1:
        what = "no CSV" if not found else f"several CSVs ({', '.join(p.name for p in found)})"
        raise SourceError(f"{path}: expected one General Assembly Voting Data CSV, found {what}")
    return found[0]


def _version(path: Path, header: str) -> tuple[list[str], dict[str, str]]:
    names = [c.strip() for c in next(csv.reader([header]), [])]
    # The version whose column names the header shares most; version 5 on a tie.
    version = max(COLUMNS, key=lambda v: (len(set(COLUMNS[v].values()) & set(names)), v))
    wanted = COLUMNS[version]
    missing = [wanted[k] for k in _REQUIRED if wanted[k] not in names]
    if missing:
        raise SourceError(
            f"{path}: missing column {missing[0]!r} (General Assembly Voting Data, data "
            f"dictionary version {version}; all missing: {missing})"
        )
    return names, {k: v for k, v in wanted.items() if v in names}


def _known_states() -> frozenset[str] | None:
    try:
        from allegiance import states
    except ImportError:  # pragma: no cover - the states table ships with the package
        return None
    return frozenset(states.states()["iso3"])


def _is_state(codes: pd.Series, known: frozenset[str] | None) -> pd.Series:
    if known is None:
        return codes.str.fullmatch(r"[A-Z]{3}")
    return codes.isin(known)


def _read_chunk(
    chunk: pd.DataFrame,
    known: frozenset[str] | None,
    rejected: _Rejections,
    calls: list[pd.DataFrame],
    listed: list[pd.DataFrame],
) -> None:
    for col in ("id", "state", "vote", "date", "symbol"):
        chunk[col] = chunk[col].str.strip()
    chunk["vote"] = chunk["vote"].str.upper()
    code = chunk["vote"].map({k: int(v) for k, v in _VOTES.items()})
    day = pd.to_datetime(chunk["date"], format="ISO8601", errors="coerce").dt.normalize()
    no_id = chunk["id"].eq("")
    bad_vote = code.isna()
    bad_date = day.isna()
    bad_state = ~_is_state(chunk["state"], known)

    for line in chunk.index[no_id]:
        rejected.add(f"line {line}", rejected.fields["id"], "empty")
    for line, value in chunk.loc[~no_id & bad_vote, "vote"].items():
        rejected.add(f"line {line}", rejected.fields["vote"], f"unknown vote code {value!r}")
    for line, value in chunk.loc[~no_id & ~bad_vote & bad_date, "date"].items():
        rejected.add(f"line {line}", rejected.fields["date"], f"unparseable date {value!r}")
    for line, value in chunk.loc[~no_id & ~bad_vote & ~bad_date & bad_state, "state"].items():
        rejected.add(
            f"line {line}", rejected.fields["state"], f"unknown Member State code {value!r}"
        )

    dated = chunk[~no_id & ~bad_date].assign(day=day[~no_id & ~bad_date], line=lambda f: f.index)
    calls.append(dated.drop_duplicates("id"))

    # Every row with a known vote counts as listed (for the check against the totals);
    # only those with a valid date and state become votes.
    known_vote = ~no_id & ~bad_vote
    listed.append(
        pd.DataFrame(
            {
                "source_id": chunk.loc[known_vote, "id"].to_numpy(),
                "state": chunk.loc[known_vote, "state"].to_numpy(),
                "vote": code[known_vote].astype("int16").to_numpy(),
                "line": chunk.index[known_vote].to_numpy(),
                "ok": (~bad_date & ~bad_state)[known_vote].to_numpy(),
            }
        )
    )


def _roll_calls(calls: list[pd.DataFrame]) -> pd.DataFrame:
    frame = pd.concat(calls, ignore_index=True).drop_duplicates("id") if calls else pd.DataFrame()
    if frame.empty:
        frame = pd.DataFrame(columns=["id", "symbol", "day", "line", "title", "session"])
    symbol = [normalise(raw) if raw else None for raw in frame["symbol"]]
    stated = frame["session"] if "session" in frame else pd.Series([""] * len(frame))
    session = [
        _session(sym, str(given), day)
        for sym, given, day in zip(symbol, stated, frame["day"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "source": SOURCE,
            "source_id": frame["id"].astype(str).to_numpy(),
            "session": pd.array(session, dtype="Int64"),
            "date": pd.to_datetime(frame["day"]).to_numpy(),
            "symbol": pd.array(symbol, dtype="object"),
            "raw_symbol": frame["symbol"].to_numpy(),
            "title": (frame["title"] if "title" in frame else pd.Series([""] * len(frame)))
            .str.strip()
            .to_numpy(),
            "kind": "resolution",
            "issues": "",
            "important": pd.array([pd.NA] * len(frame), dtype="boolean"),
            "record": ("line " + frame["line"].astype(str)).to_numpy(),
        }
    )
    for col in ("yes", "no", "abstain"):
        given = frame[col].str.strip() if col in frame else pd.Series([""] * len(frame))
        out[col] = pd.to_numeric(given.replace("", None), errors="coerce").astype("Int64").array
        out[f"raw_{col}"] = given.to_numpy()
    return out


def _session(symbol: str | None, given: str, day) -> int | None:
    """The regular session: the source's own for regular resolutions, else the date's.

    Emergency special and special session resolutions fall in the regular session sitting
    on their date (``ROLL_CALL_COLUMNS``).
    """
    if pd.isna(day):
        return None
    special = symbol is not None and ("/ES-" in symbol or "/S-" in symbol)
    if not special:
        if given.strip().isdigit():
            return int(given)
        if symbol and (m := _SESSION_IN_SYMBOL.match(symbol)):
            return int(m.group(1))
        if symbol and (m := _ROMAN_SESSION.search(symbol)):
            return _roman(m.group(1))
    return session_of(pd.Timestamp(day).date())


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _drop_duplicates(listed: list[pd.DataFrame], rejected: _Rejections) -> pd.DataFrame:
    """Keep the first row of each (undl_id, ms_code); later copies are rejected."""
    columns = {"source_id": str, "state": str, "vote": "int16", "line": "int64", "ok": bool}
    frame = pd.concat(listed, ignore_index=True) if listed else pd.DataFrame(columns=columns)
    frame = frame.astype(columns)
    repeated = frame.duplicated(["source_id", "state"], keep="first")
    if repeated.any():
        first = frame[~repeated].set_index(["source_id", "state"])["line"]
        for row in frame[repeated & frame["ok"]].itertuples(index=False):
            rejected.add(
                f"line {row.line}",
                rejected.fields["state"],
                f"{row.state} already has a row for undl_id {row.source_id} "
                f"(line {first[(row.source_id, row.state)]}): duplicate row not used",
            )
    return frame[~repeated]


def _check_totals(roll_calls: pd.DataFrame, rows: pd.DataFrame, rejected: _Rejections) -> None:
    """Report resolutions whose listed Y/N/A rows disagree with their stated totals.

    The resolution is kept: the totals stay as the official tallies and the votes as
    listed, since the record (e.g. a ``vote_note`` on a changed vote) may explain it.
    """
    if roll_calls.empty:
        return
    counts = (
        rows.groupby(["source_id", "vote"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=[int(v) for v in (Vote.YES, Vote.NO, Vote.ABSTAIN, Vote.ABSENT)],
                 fill_value=0)
    )  # fmt: skip
    counts.columns = ["n_yes", "n_no", "n_abstain", "n_absent"]
    calls = roll_calls.join(counts, on="source_id")
    unreadable = pd.Series(False, index=calls.index)
    for col in ("yes", "no", "abstain"):
        unreadable |= calls[f"raw_{col}"].ne("") & calls[col].isna()
    stated = calls[["yes", "no", "abstain"]].notna().all(axis=1) & calls["n_yes"].notna()
    differs = stated & (
        calls["yes"].ne(calls["n_yes"])
        | calls["no"].ne(calls["n_no"])
        | calls["abstain"].ne(calls["n_abstain"])
    )
    for call in calls[unreadable | differs].itertuples(index=False):
        if pd.isna(call.n_yes) or any(pd.isna(v) for v in (call.yes, call.no, call.abstain)):
            given = {c: getattr(call, f"raw_{c}") for c in ("yes", "no", "abstain")}
            bad = [f"{c}={raw!r}" for c, raw in given.items() if raw and pd.isna(getattr(call, c))]
            rejected.add(
                call.record, "totals", f"{_label(call)}: unreadable total(s) {', '.join(bad)}"
            )
            continue
        y, n, a, x = (int(v) for v in (call.n_yes, call.n_no, call.n_abstain, call.n_absent))
        rejected.add(
            call.record,
            "totals",
            f"{_label(call)}: listed votes Y {y}, N {n}, A {a} (non-voting {x}) disagree "
            f"with the totals Y {call.yes}, N {call.no}, A {call.abstain}; kept as listed",
        )


def _label(call) -> str:
    symbol = call.symbol if isinstance(call.symbol, str) else call.raw_symbol
    return f"{symbol} (undl_id {call.source_id})"
