"""What every reader returns, and how it reports what it could not read.

A reader knows one raw format and nothing else does. It turns its files into the
canonical frames below; the store builder combines them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from allegiance.errors import AllegianceError

#: Columns of ``SourceTables.roll_calls``; one row per recorded vote in the source.
ROLL_CALL_COLUMNS = [
    "source",  # short name of the source, e.g. "voeten"
    "source_id",  # the roll call's id inside that source (rcid, symbol, record id), as str
    "session",  # regular session number (Int64); emergency sessions fall in a regular one
    "date",  # datetime64 (day)
    "symbol",  # normalised UN symbol, e.g. "A/RES/77/1", "A/RES/ES-11/1"; <NA> if unknown
    "raw_symbol",  # the symbol as the source writes it
    "title",  # short title or description
    "kind",  # "resolution", "amendment" or "paragraph"
    "issues",  # comma-separated issue codes (me, nu, di, hr, co, ec, ukraine) or ""
    "important",  # boolean (nullable): US State Department "important vote"
    "yes",  # official tallies where the source gives them (Int64, nullable)
    "no",
    "abstain",
    "record",  # where in the file: "line 12", "record 5", "rcid 3" (for error messages)
]

#: Columns of ``SourceTables.votes``; one row per (roll call, state) the source lists.
VOTE_COLUMNS = ["source_id", "state", "vote"]  # state: ISO3 key of `states`; vote: Vote code


class SourceError(AllegianceError):
    """A source file cannot be read at all (missing, truncated, wrong format).

    The message names the file, and where it can, the line or record and the field.
    """


@dataclass(frozen=True)
class Rejection:
    """One row a reader could not take, with where and why."""

    file: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.reason}"


@dataclass
class SourceTables:
    """The canonical frames read from one source."""

    source: str
    roll_calls: pd.DataFrame
    votes: pd.DataFrame
    rejected: list[Rejection] = field(default_factory=list)
    #: True when the source lists absentees and non-members explicitly; otherwise the
    #: builder derives them from UN membership dates.
    lists_absentees: bool = False
    files: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        missing = [c for c in ROLL_CALL_COLUMNS if c not in self.roll_calls.columns]
        if missing:
            raise ValueError(f"{self.source}: roll_calls lacks columns {missing}")
        missing = [c for c in VOTE_COLUMNS if c not in self.votes.columns]
        if missing:
            raise ValueError(f"{self.source}: votes lacks columns {missing}")
        self.roll_calls = self.roll_calls[ROLL_CALL_COLUMNS]
        self.votes = self.votes[VOTE_COLUMNS]


@dataclass
class ChannelTable:
    """The canonical frame read from one non-vote source (trade, arms, opinion), with the
    rows that could not be taken and the file read."""

    frame: pd.DataFrame
    rejected: list[Rejection] = field(default_factory=list)
    file: Path | None = None
    #: Where each row of ``frame`` was read (``"line 12"``), in the frame's order; the
    #: builder names it when it merges or rejects a row. None if the reader cannot tell.
    records: pd.Series | None = None
