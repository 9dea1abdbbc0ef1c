"""Checks of the rows of a parquet file, on top of :class:`allegiance.sources.validate.RowChecks`
(one rejection per row, with its row number, field and value). The parquet readers
(energy, Pew, US troops) read the file with :func:`allegiance.sources._io.load_parquet`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources._io import load_parquet
from allegiance.sources.validate import RowChecks as _RowChecks

__all__ = ["RowChecks", "load_parquet"]


class RowChecks(_RowChecks):
    """The one row-check type, given the frame of a parquet file: rows counted from 1, and
    reasons that may name the value (``"not a number: {v!r}"``)."""

    def __init__(self, path: Path, raw: pd.DataFrame):
        super().__init__(
            Path(path).name, "row " + pd.Series(raw.index + 1, index=raw.index).astype(str)
        )
        self.raw = raw

    def reject(self, mask: pd.Series, field: str, reason, values=None) -> None:  # type: ignore[override]
        """Reject the rows in ``mask`` not yet rejected; ``{v!r}`` in ``reason`` is the value.

        A missing mask entry counts as rejected (a check that could not be made).
        """
        if not isinstance(reason, str) or "{v" not in reason:
            super().reject(mask.fillna(True), field, reason)
            return
        shown = values if values is not None else self.raw[field]
        super().reject(mask.fillna(True), field,
                       lambda rows: [reason.format(v=v) for v in shown[rows]])  # fmt: skip

    @property
    def ok(self) -> pd.Series:
        return ~self.bad

    def number(self, field: str, low: float, high: float, unit: str = "") -> pd.Series:  # type: ignore[override]
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

    def year(self, field: str, low: int, high: int = 2100, what: str = "year") -> pd.Series:
        """``field`` as a nullable integer year; anything outside [low, high] is rejected."""
        year = pd.to_numeric(self.raw[field], errors="coerce").astype("Int64")
        self.reject(year.isna() | (year < low) | (year > high), field, f"not a {what}: {{v!r}}")
        return year

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
