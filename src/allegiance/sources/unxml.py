"""Reader for the UN's machine-readable General Assembly resolution extracts
(``UNxml/GAresolutions``, ``data_extract/<session>.json``, JSON Lines, one resolution a
line) and for the supplement files written in the same layout.

Only resolutions adopted by a recorded vote are roll calls. A member in none of the
lists ``MS_in_favour``, ``MS_against`` and ``MS_abstaining`` was absent or did not vote:
the extracts list no absentees (the supplement adds ``MS_absent``). Session 79 repeats
some records; copies with the same votes are merged and counted, copies that differ are
rejected.

Terms: "when using the files, the user must acknowledge the United Nations as the source
of the information" (UNxml/GAresolutions README).
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._io import open_text
from allegiance.sources.base import Rejection, SourceError, SourceTables
from allegiance.sources.symbols import normalise, session_of
from allegiance.vote import Vote

SOURCE = "unxml"
_LISTS = {
    "MS_in_favour": Vote.YES,
    "MS_against": Vote.NO,
    "MS_abstaining": Vote.ABSTAIN,
    "MS_absent": Vote.ABSENT,
}
_COUNTS = {"yes": "MS_in_favour_count", "no": "MS_against_count", "abstain": "MS_abstaining_count"}
_REQUIRED = ("symbol", "adoption_date")


def read(folder: Path, source: str = SOURCE, pattern: str = "*.json*") -> SourceTables:
    """Read every extract in ``folder`` (``74.json.gz``, ``ES-11.json``, ...)."""
    files = sorted(p for p in Path(folder).glob(pattern) if p.suffix in {".json", ".gz", ".jsonl"})
    if not files:
        raise SourceError(f"{folder}: no JSON extracts found")
    return read_files(files, source)


def read_files(files: list[Path], source: str = SOURCE) -> SourceTables:
    rejected: list[Rejection] = []
    records: dict[str, dict] = {}
    for path in files:
        for line_no, record in _records(path, rejected):
            if not _is_recorded_vote(record):
                continue
            parsed = _parse(record, path, line_no, rejected)
            if parsed is None:
                continue
            previous = records.get(parsed["source_id"])
            if previous is None:
                records[parsed["source_id"]] = parsed
            elif previous["votes"] == parsed["votes"]:
                rejected.append(
                    Rejection(path.name, f"line {line_no}", "symbol",
                              f"{parsed['source_id']} repeats {previous['record']} with the "
                              "same votes: merged")
                )  # fmt: skip
            else:
                rejected.append(
                    Rejection(path.name, f"line {line_no}", "MS_in_favour",
                              f"{parsed['source_id']} repeats {previous['record']} with "
                              "different votes: copy rejected")
                )  # fmt: skip
    roll_calls = pd.DataFrame(
        [{k: v for k, v in r.items() if k != "votes"} for r in records.values()]
    )
    if roll_calls.empty:
        raise SourceError(f"{files[0].parent}: no resolutions adopted by a recorded vote")
    roll_calls["source"] = source
    for col in ("yes", "no", "abstain", "session"):
        roll_calls[col] = roll_calls[col].astype("Int64")
    roll_calls["important"] = pd.array([pd.NA] * len(roll_calls), dtype="boolean")
    vote_rows = [
        (sid, state, int(code)) for sid, r in records.items() for state, code in r["votes"].items()
    ]
    votes = pd.DataFrame(vote_rows, columns=["source_id", "state", "vote"])
    votes["vote"] = votes["vote"].astype("int16")
    return SourceTables(
        source, roll_calls, votes, rejected, lists_absentees=False, files=list(files)
    )


def _records(path: Path, rejected: list[Rejection]):
    read = 0
    try:
        with open_text(path) as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    rejected.append(Rejection(path.name, f"line {line_no}", "json", str(exc)))
                    continue
                read += 1
                yield line_no, record
    except (EOFError, OSError, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: truncated or damaged file ({exc})") from exc
    if read == 0:
        # A 0-byte file, or a compressed file of nothing, reads as no lines at all: a
        # failed download, never a session without resolutions.
        raise SourceError(
            f"{path}: empty: no resolution record could be read; fetch the file again"
        )


def _is_recorded_vote(record: dict) -> bool:
    kind = f"{record.get('adoption_type', '')} {record.get('voting_type', '')}".lower()
    if "recorded" in kind:
        return True
    return "adoption_type" not in record and any(k in record for k in _LISTS)


def _parse(record: dict, path: Path, line_no: int, rejected: list[Rejection]) -> dict | None:
    where = f"line {line_no}"
    missing = [k for k in _REQUIRED if not record.get(k)]
    if missing:
        rejected.append(Rejection(path.name, where, missing[0], "missing"))
        return None
    day = _date(record["adoption_date"])
    if day is None:
        rejected.append(Rejection(path.name, where, "adoption_date", repr(record["adoption_date"])))
        return None
    symbol = normalise(record["symbol"])
    if symbol is None:
        rejected.append(
            Rejection(path.name, where, "symbol", f"not a resolution symbol: {record['symbol']!r}")
        )
        return None
    names = {key: record.get(key) or [] for key in _LISTS}
    if not any(names.values()):
        rejected.append(
            Rejection(
                path.name, where, "MS_in_favour", f"{symbol}: recorded vote with no member lists"
            )
        )
        return None
    votes: dict[str, int] = {}
    for key, code in _LISTS.items():
        for name in names[key]:
            state = _state(name, day)
            if state is None:
                rejected.append(
                    Rejection(path.name, where, key, f"{symbol}: unknown member {name!r}")
                )
            elif state in votes:
                rejected.append(Rejection(path.name, where, key, f"{symbol}: {name} listed twice"))
            else:
                votes[state] = code
    session = _session(path, day)
    return {
        "source": "",
        "source_id": symbol,
        "session": session,
        "date": day,
        "symbol": symbol,
        "raw_symbol": record["symbol"],
        "title": (record.get("title") or "").strip(),
        "kind": "resolution",
        "issues": "",
        **{
            key: _tally(record, field, symbol, path, where, rejected)
            for key, field in _COUNTS.items()
        },
        "record": f"{path.name} line {line_no}",
        "votes": votes,
    }


@lru_cache(maxsize=4096)
def _state_by_year(name: str, year: int) -> str | None:
    return states.resolve_name(name, on=pd.Timestamp(year=year, month=7, day=1))


def _state(name: str, day: pd.Timestamp) -> str | None:
    # Names change meaning only across years (e.g. YUGOSLAVIA), so resolving once per
    # name and year is exact enough and keeps the reader fast.
    return _state_by_year(name, day.year)


def _date(text: str) -> pd.Timestamp | None:
    text = str(text).replace("\u00a0", " ").strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d %B %Y"):
        day = pd.to_datetime(text, format=fmt, errors="coerce")
        if not pd.isna(day):
            return day.normalize()
    return None


def _count(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value).strip()
    if text.upper() in {"N.A.", "N.A", "NA", "-", ""}:
        return 0  # the extracts write N.A. for zero
    return int(text) if text.isdigit() else None


def _tally(record, field, symbol, path, where, rejected) -> int | None:
    value = record.get(field)
    count = _count(value)
    if count is None and value is not None:
        rejected.append(
            Rejection(
                path.name, where, field, f"{symbol}: not a count: {value!r}; tally left empty"
            )
        )
    return count


def _session(path: Path, day: pd.Timestamp) -> int:
    stem = re.sub(r"\.json.*$", "", path.name)
    return int(stem) if stem.isdigit() else session_of(day.date())
