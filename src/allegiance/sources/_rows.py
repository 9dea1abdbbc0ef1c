"""Row checks for readers of tidy files (parquet): counted rejections with row and field.

A reader runs each check on the whole frame; a row fails at most once, for the first check
it fails, and the rejection names the file, the row (counted from 1) and the field.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources.base import Rejection, SourceError


def load_parquet(path: str | Path, required: list[str]) -> pd.DataFrame:
    """Read a parquet file, or raise :class:`SourceError` naming the file and the problem."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"{path}: file not found")
    try:
        raw = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: not a readable parquet file ({exc})") from exc
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise SourceError(f"{path}: missing column(s) {missing}")
    return raw.reset_index(drop=True)


class RowChecks:
    """Counted rejections of a parquet file's rows, each with its row number and field.

    A row is rejected once, for the first check it fails; :attr:`ok` marks the rest.
    """

    def __init__(self, path: Path, raw: pd.DataFrame):
        self.file = Path(path).name
        self.raw = raw
        # Rows counted from 1, as a reader of the file would count them.
        self.where = "row " + pd.Series(raw.index + 1, index=raw.index).astype(str)
        self.bad = pd.Series(False, index=raw.index)
        self.rejected: list[Rejection] = []

    def reject(self, mask: pd.Series, field: str, reason: str, values=None) -> None:
        """Reject the rows in ``mask`` not yet rejected; ``{v!r}`` in ``reason`` is the value."""
        mask = mask.fillna(True).astype(bool) & ~self.bad
        if not mask.any():
            return
        shown = (values if values is not None else self.raw[field])[mask]
        self.rejected.extend(
            Rejection(self.file, w, field, reason.format(v=v))
            for w, v in zip(self.where[mask], shown, strict=True)
        )
        self.bad |= mask

    @property
    def ok(self) -> pd.Series:
        return ~self.bad

    def number(self, field: str, low: float, high: float, unit: str = "") -> pd.Series:
        """``field`` as float; non-numbers and values outside [low, high] are rejected.

        An empty cell stays missing (NaN) and is not rejected.
        """
        raw = self.raw[field]
        value = pd.to_numeric(raw, errors="coerce").astype("float64")
        self.reject(value.isna() & raw.notna(), field, "not a number: {v!r}")
        unit = f" {unit}" if unit else ""
        self.reject(
            value.notna() & ((value < low) | (value > high)),
            field,
            f"{{v!r}} outside the plausible range [{low:g}, {high:g}]{unit}",
        )
        return value

    def month(self, field: str) -> pd.Series:
        """``field`` as a first-of-month timestamp; anything else is rejected."""
        day = pd.to_datetime(self.raw[field].astype("string"), errors="coerce")
        self.reject(day.isna(), field, "not a date: {v!r}")
        self.reject(day.notna() & day.dt.day.ne(1), field, "not the first day of a month: {v!r}")
        return day

    def duplicates(self, keys: pd.DataFrame, field: str, what: str) -> None:
        """Reject every later row repeating the ``keys`` of an earlier accepted row."""
        again = keys[self.ok].duplicated(keep="first").reindex(keys.index, fill_value=False)
        self.reject(again, field, f"repeats the {what} of an earlier row: {{v!r}}")
