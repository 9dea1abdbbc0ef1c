"""The staged event table every event reader writes, and the helpers they share.

A reader (:mod:`gdelt`, :mod:`icews`, :mod:`polecat`) turns one raw file into an Arrow
table with :data:`STAGED_SCHEMA`: typed values, the actor countries as the dataset writes
them (CAMEO codes; ICEWS names already resolved to ISO3 where they name a state), and the
file and line each row came from. Rows it cannot read (wrong number of columns, a date or
number that does not parse) are returned as :class:`~allegiance.sources.base.Rejection`
with file and line, never dropped silently. Turning codes into states, checking event
codes and aggregating is the pipeline's job (:mod:`allegiance.store.events`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from allegiance.sources.base import Rejection

STAGED_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("date", pa.date32()),
        ("source_country", pa.string()),  # CAMEO/ISO3 code (or the raw name if unresolved)
        ("target_country", pa.string()),
        ("source_actor_type", pa.string()),  # GDELT Actor1Type1Code, ICEWS sectors, ...
        ("target_actor_type", pa.string()),
        ("cameo_code", pa.string()),  # CAMEO datasets
        ("plover_type", pa.string()),  # PLOVER datasets (POLECAT)
        ("goldstein", pa.float64()),  # as the dataset gives it (ICEWS: Intensity)
        ("num_mentions", pa.int64()),  # GDELT only
        ("num_sources", pa.int64()),
        ("num_articles", pa.int64()),
        ("tone", pa.float64()),  # GDELT AvgTone
        ("action_state", pa.string()),  # ISO3 of the country where the event took place
        ("source_url", pa.string()),
        ("document", pa.string()),  # the report an event was coded from: URL, story id
        ("is_root_event", pa.bool_()),  # GDELT: from the lead paragraph; others null
        ("dataset", pa.string()),  # gdelt1, gdelt2, icews, polecat
        ("file", pa.string()),
        ("line", pa.int64()),  # line in the file (row for Parquet extracts)
    ]
)


@dataclass
class EventRead:
    """What a reader got from one file."""

    file: Path
    dataset: str
    table: pa.Table  # STAGED_SCHEMA
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.table.num_rows


def kept_lines(n_rows: int, wrong: list[tuple[int, int]], first: int) -> np.ndarray:
    """The file line of each row a tab-separated read kept, when the rows of ``wrong``
    (``(line, columns)`` of rows with the wrong number of columns) were skipped; ``first``
    is the line of the first data row."""
    skipped = np.array(sorted(n for n, _ in wrong if n is not None), dtype=np.int64)
    lines = np.arange(first, n_rows + len(skipped) + first, dtype=np.int64)
    return lines[~np.isin(lines, skipped)] if len(skipped) else lines


def width_rejections(label: str, wrong: list[tuple[int, int]], expected: str) -> list[Rejection]:
    """One rejection per row with the wrong number of columns, naming the line."""
    return [Rejection(label, f"line {line}", "row", f"{got} columns where {expected}")
            for line, got in wrong]  # fmt: skip


def empty() -> pa.Table:
    return STAGED_SCHEMA.empty_table()


class Checker:
    """Collects rejected rows while columns are parsed, then drops them in one go.

    ``lines`` gives the file line of every row of the table being parsed.
    """

    def __init__(self, file: str, lines: np.ndarray, unit: str = "line"):
        self.file = file
        self.lines = lines
        self.unit = unit  # "line" in text files, "row" in Parquet
        self.bad = np.zeros(len(lines), dtype=bool)
        self.rejected: list[Rejection] = []

    def flag(self, mask: pa.Array | np.ndarray, field: str, values: pa.Array, why: str) -> None:
        mask = np.asarray(pc.fill_null(mask, False) if isinstance(mask, pa.Array) else mask)
        for i in np.flatnonzero(mask & ~self.bad):
            self.rejected.append(
                Rejection(self.file, f"{self.unit} {int(self.lines[i])}", field,
                          f"{why}: {values[int(i)].as_py()!r}")
            )  # fmt: skip
        self.bad |= mask

    def date(self, values: pa.Array, fmt: str, field: str) -> pa.Array:
        """Dates in ``fmt``; a value that does not parse rejects its row."""
        values = pc.utf8_trim_whitespace(values)
        parsed = pc.strptime(values, format=fmt, unit="s", error_is_null=True)
        self.flag(pc.and_(pc.is_valid(values), pc.is_null(parsed)), field, values,
                  f"not a date in the form {fmt}")  # fmt: skip
        self.flag(pc.is_null(values), field, values, "missing date")
        return pc.cast(parsed, pa.date32())

    def number(self, values: pa.Array, kind: pa.DataType, field: str) -> pa.Array:
        """Numbers; an empty cell is null, a value that does not parse rejects its row."""
        values = pc.utf8_trim_whitespace(values)
        values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
        pattern = (
            r"^[+-]?\d+$"
            if pa.types.is_integer(kind)
            else r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
        )
        ok = pc.match_substring_regex(values, pattern)
        self.flag(pc.invert(ok), field, values, "not a number")
        clean = pc.if_else(ok, values, pa.scalar(None, pa.string()))
        return pc.cast(clean, kind)

    def keep(self, table: pa.Table) -> pa.Table:
        return table.filter(pa.array(~self.bad)) if self.bad.any() else table


def resolve_countries(names: list, days) -> pa.Array:
    """ISO3 of country names on their dates (:func:`allegiance.states.resolve_names`);
    names that are not states become null."""
    import pandas as pd

    from allegiance import states

    frame = pd.Series(names, dtype="object")
    resolved = states.resolve_names(frame, pd.Series(days).fillna(pd.Timestamp("2000-01-01")))
    return pa.array(resolved.astype("object").where(resolved.notna(), None).tolist(), pa.string())


def text(values: pa.Array) -> pa.Array:
    """Strings with surrounding blanks removed and empty cells as null."""
    values = pc.utf8_trim_whitespace(pc.cast(values, pa.string()))
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def nulls(n: int, kind: pa.DataType) -> pa.Array:
    return pa.nulls(n, kind)


def assemble(columns: dict[str, pa.Array], n: int) -> pa.Table:
    """A STAGED_SCHEMA table from the columns a reader has; the others are null."""
    arrays = []
    for f in STAGED_SCHEMA:
        value = columns.get(f.name)
        if value is None:
            value = pa.nulls(n, f.type)
        elif isinstance(value, pa.ChunkedArray):
            value = value.combine_chunks()
        if not isinstance(value, pa.Array):
            value = pa.array(value, type=f.type)
        arrays.append(value.cast(f.type))
    return pa.Table.from_arrays(arrays, schema=STAGED_SCHEMA)
