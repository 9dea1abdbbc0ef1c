"""Symbols and dates of the early roll calls, taken from the official record.

Voeten's dataverse release (and the unvotes package, which shares its roll calls) dates
the roll calls of the first 30 sessions only approximately, often one to three weeks
before the meeting, and writes no resolution symbol: its ``unres`` (``R/26/2758G``) holds
the resolution's number only from the 18th session on, with a letter per roll call, not
per part of the resolution. The UN Digital Library's voting records (the resolution-level
scrape, source ``kaggle``) give each resolution adopted by recorded vote with its
symbol (``A/RES/2758(XXVI)``) and the day of the vote. This module pairs the two and
lets each paired roll call take the record's symbol and date; every change is kept as a
correction with its rule and evidence (``allegiance info --corrections``,
docs/corrections.md).

Pairing rules, tried in order, each requiring a pair unique on both sides:

``number``
    Same session, Voeten's resolution number (18th session on) equal to the record's,
    identical yes-no-abstain tallies.
``tally``
    Same session, identical tallies, where Voeten gives no usable number (before the
    18th session, or no ``unres``): the tally must occur once in the session on each
    side, and the record's day must lie 7 days before to 60 days after Voeten's.
``number, near tally``
    Same session and number, Voeten's roll call the only one under that number (no
    letter), tallies differing by at most 3 votes on each count (a vote recorded
    differently), the record the only one under that number.

Only roll calls on a whole resolution are paired (not amendments or paragraphs). The
votes Voeten files under the same resolution number on the same day (motions,
amendments and paragraph votes taken at the same meeting, like the seven votes on the
representation of China on 25 October 1971) take the same corrected date (rule
``same meeting``).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from allegiance.sources.base import SourceTables

__all__ = ["CORRECTION_COLUMNS", "LAST_SESSION", "official_records"]

#: Sessions whose symbols are of the old form (A/RES/2758(XXVI)); from the 31st session
#: resolutions are numbered per session and the sources agree on symbols and dates.
LAST_SESSION = 30
#: Voeten's ``unres`` holds the resolution number from this session on (checked against
#: the Digital Library records: before it, the numbers are not resolution numbers).
FIRST_NUMBERED = 18
#: How far the record's day may lie from Voeten's under the ``tally`` rule.
EARLIEST, LATEST = pd.Timedelta(days=-7), pd.Timedelta(days=60)
#: Largest difference on each count under the ``number, near tally`` rule.
NEAR = 3

#: Sources whose early roll calls are corrected, and the source of the official record.
CORRECTED = ("voeten", "unvotes")
RECORD = "kaggle"

CORRECTION_COLUMNS = ["source", "source_id", "symbol", "field", "before", "after", "rule",
                      "evidence"]  # fmt: skip

_VOETEN = re.compile(r"^R/(\d+)/(\d+)([A-Z]?)$")
_OLD = re.compile(r"^A/RES/(\d+)[A-Z]?\(([IVXLC]+)\)$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _from_roman(text: str) -> int:
    values = [_ROMAN[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def official_records(tables: list[SourceTables]) -> tuple[list[SourceTables], pd.DataFrame]:
    """The tables with early symbols and dates taken from the official record, and the
    corrections made (``CORRECTION_COLUMNS``; one row per changed field)."""
    record = next((t for t in tables if t.source == RECORD), None)
    if record is None:
        return tables, pd.DataFrame(columns=CORRECTION_COLUMNS)
    official = _records(record.roll_calls)
    by_source: dict[str, SourceTables] = {}
    corrections = []
    for table in sorted(
        (t for t in tables if t.source in CORRECTED), key=lambda t: CORRECTED.index(t.source)
    ):
        if table.source == "unvotes" and "voeten" in by_source:
            # unvotes has no tallies but shares Voeten's roll-call ids: it follows Voeten.
            roll_calls = _follow(table.roll_calls, by_source["voeten"].roll_calls)
            by_source[table.source] = replace(table, roll_calls=roll_calls)
            continue
        roll_calls, changes = _correct(table.roll_calls, official)
        by_source[table.source] = replace(table, roll_calls=roll_calls)
        corrections.append(changes)
    out = [by_source.get(t.source, t) for t in tables]
    frame = (
        pd.concat(corrections, ignore_index=True)
        if corrections
        else pd.DataFrame(columns=CORRECTION_COLUMNS)
    )
    return out, frame


def _follow(rc: pd.DataFrame, leader: pd.DataFrame) -> pd.DataFrame:
    """``rc`` with the symbol and date of the leader's roll call of the same id, where the
    leader's were corrected (sessions 1-30)."""
    early = pd.to_numeric(leader["session"], errors="coerce") <= LAST_SESSION
    lead = leader[early].set_index("source_id")
    rc = rc.copy()
    hit = rc["source_id"].isin(lead.index)
    ids = rc.loc[hit, "source_id"]
    for column in ("symbol", "date", "symbol_source"):
        if column in lead:
            if column not in rc:
                rc[column] = pd.Series(None, index=rc.index, dtype=object)
            rc.loc[hit, column] = lead[column].reindex(ids).to_numpy()
    return rc


def _records(rc: pd.DataFrame) -> pd.DataFrame:
    """The record's old-form resolutions: symbol, session, number, day, tally, record id."""
    found = rc["symbol"].fillna("").str.extract(_OLD)
    keep = found[0].notna() & rc[["yes", "no", "abstain"]].notna().all(axis=1)
    out = pd.DataFrame(
        {
            "symbol": rc.loc[keep, "symbol"],
            "session": found.loc[keep, 1].map(_from_roman).astype(int),
            "number": found.loc[keep, 0].astype(int),
            "day": pd.to_datetime(rc.loc[keep, "date"]),
            "yes": rc.loc[keep, "yes"].astype(int),
            "no": rc.loc[keep, "no"].astype(int),
            "abstain": rc.loc[keep, "abstain"].astype(int),
            "record_id": rc.loc[keep, "source_id"].astype(str),
        }
    )
    out = out[out["session"] <= LAST_SESSION]
    # A symbol listed twice is not a record to pair with.
    return out[~out["symbol"].duplicated(keep=False)].reset_index(drop=True)


def _early(rc: pd.DataFrame) -> pd.DataFrame:
    """The source's roll calls of sessions 1-30 with their number, letter and tally."""
    session = pd.to_numeric(rc["session"], errors="coerce")
    early = rc[(session <= LAST_SESSION) & rc[["yes", "no", "abstain"]].notna().all(axis=1)]
    parts = early["raw_symbol"].fillna("").astype(str).str.extract(_VOETEN)
    numbered = parts[0].notna() & (pd.to_numeric(early["session"]) >= FIRST_NUMBERED)
    return pd.DataFrame(
        {
            "row": early.index,
            "session": pd.to_numeric(early["session"]).astype(int),
            "number": pd.to_numeric(parts[1].where(numbered), errors="coerce"),
            "letter": parts[2].where(numbered).fillna(""),
            "day": pd.to_datetime(early["date"]),
            "kind": early["kind"],
            "yes": early["yes"].astype(int),
            "no": early["no"].astype(int),
            "abstain": early["abstain"].astype(int),
        }
    )


def _unique_pairs(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Rows of ``left`` and ``right`` that share ``on`` and share it with no other row."""
    left = left[~left.duplicated(on, keep=False)]
    right = right[~right.duplicated(on, keep=False)]
    return left.merge(right, on=on, suffixes=("", "_rec"))


def _pairs(early: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """Each source row paired with at most one record, and each record used once."""
    whole = early[early["kind"] == "resolution"]
    tally = ["session", "yes", "no", "abstain"]
    by_number = _unique_pairs(whole[whole["number"].notna()], official, [*tally, "number"])
    exact = {"yes_rec": "yes", "no_rec": "no", "abstain_rec": "abstain"}
    by_number = by_number.assign(rule="number", **{k: by_number[v] for k, v in exact.items()})
    taken_rows, taken_recs = set(by_number["row"]), set(by_number["record_id"])
    rest = whole[whole["number"].isna() & ~whole["row"].isin(taken_rows)]
    by_tally = _unique_pairs(rest, official[~official["record_id"].isin(taken_recs)], tally)
    gap = by_tally["day_rec"] - by_tally["day"]
    by_tally = by_tally[(gap >= EARLIEST) & (gap <= LATEST)]
    by_tally = by_tally.assign(rule="tally", **{k: by_tally[v] for k, v in exact.items()})
    taken_rows |= set(by_tally["row"])
    taken_recs |= set(by_tally["record_id"])
    # The only roll call under its number (no letter) and the only record of that number.
    alone = early[early["number"].notna()].groupby(["session", "number"])["row"].transform("size")
    single = whole[
        whole["number"].notna()
        & (whole["letter"] == "")
        & (alone.reindex(whole.index) == 1)
        & ~whole["row"].isin(taken_rows)
    ]
    recs = official[~official["record_id"].isin(taken_recs)]
    recs = recs[~recs.duplicated(["session", "number"], keep=False)]
    near = single.merge(recs, on=["session", "number"], suffixes=("", "_rec"))
    close = (
        ((near["yes"] - near["yes_rec"]).abs() <= NEAR)
        & ((near["no"] - near["no_rec"]).abs() <= NEAR)
        & ((near["abstain"] - near["abstain_rec"]).abs() <= NEAR)
    )
    near = near[close].assign(rule="number, near tally")
    columns = ["row", "session", "number", "day", "symbol", "day_rec", "record_id", "rule",
               "yes_rec", "no_rec", "abstain_rec"]  # fmt: skip
    found = [f.reindex(columns=columns) for f in (by_number, by_tally, near) if len(f)]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)


def _correct(rc: pd.DataFrame, official: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    early = _early(rc)
    pairs = _pairs(early, official)
    rc = rc.copy()
    if "symbol_source" not in rc:
        rc["symbol_source"] = pd.Series(None, index=rc.index, dtype=object)
    dates = pd.to_datetime(rc["date"])
    new_dates = dates.copy()
    rows = []

    def evidence(p) -> str:
        return (
            f"UN Digital Library record {p.record_id} "
            f"(https://digitallibrary.un.org/record/{p.record_id}): {p.symbol}, voted "
            f"{p.day_rec:%Y-%m-%d}, {int(p.yes_rec)}-{int(p.no_rec)}-{int(p.abstain_rec)}"
        )

    source = rc["source"].iat[0] if len(rc) else ""
    for p in pairs.itertuples(index=False):
        sid = rc.at[p.row, "source_id"]
        before_symbol = rc.at[p.row, "symbol"]
        if pd.isna(before_symbol) or before_symbol != p.symbol:
            rc.at[p.row, "symbol"] = p.symbol
            rc.at[p.row, "symbol_source"] = RECORD
            rows.append((source, sid, p.symbol, "symbol", "" if pd.isna(before_symbol)
                         else before_symbol, p.symbol, p.rule, evidence(p)))  # fmt: skip
        if p.day_rec != dates.at[p.row]:
            new_dates.at[p.row] = p.day_rec
            rows.append((source, sid, p.symbol, "date", f"{dates.at[p.row]:%Y-%m-%d}",
                         f"{p.day_rec:%Y-%m-%d}", p.rule, evidence(p)))  # fmt: skip
    # The other votes filed under the same number on the same day: the same meeting.
    moved = pairs[pairs["number"].notna() & (pairs["day_rec"] != pairs["day"])]
    paired = set(pairs["row"])
    for p in moved.itertuples(index=False):
        same = early[
            (early["session"] == p.session)
            & (early["number"] == p.number)
            & (early["day"] == p.day)
            & ~early["row"].isin(paired)
        ]
        for row in same["row"]:
            if new_dates.at[row] != dates.at[row]:
                continue  # already moved with another resolution of the same number
            new_dates.at[row] = p.day_rec
            rows.append((source, rc.at[row, "source_id"], p.symbol, "date",
                         f"{dates.at[row]:%Y-%m-%d}", f"{p.day_rec:%Y-%m-%d}", "same meeting",
                         f"filed by the source under {p.symbol} on the same day; "
                         + evidence(p)))  # fmt: skip
    rc["date"] = new_dates.astype(rc["date"].dtype) if len(rc) else rc["date"]
    return rc, pd.DataFrame(rows, columns=CORRECTION_COLUMNS)
