"""Strict parsing of cell values, row by row, with a rejection for each bad cell.

A reader builds one :class:`RowChecks` per file. Each check marks the rows it rejects and
records where (file, line), which field, and the value as written; a row rejected once is
not reported again by a later check, so the count of rejections is a count of rows. The
reader then keeps ``~checks.bad``.

Numbers are parsed strictly: text that is not a number (``"lots"``), a non-finite number
(``"inf"``, ``"nan"``), a number out of its range (a negative TIV, a share above 1) or a
fraction where a count is expected is rejected, never turned into NaN or kept. A blank
cell is a missing value (NaN) unless the field is required.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from allegiance.sources.base import Rejection

#: A reason for rejected rows: one text, a Series of texts, or a function of their index.
Reasons = str | pd.Series | Callable[[pd.Index], Iterable[str]]


class RowChecks:
    """The rows of one file rejected so far, and why.

    Parameters
    ----------
    file : str
        The file's name, as rejections show it.
    where : pandas.Series
        For each row (same index as the frame being checked), where it is in the file:
        ``"line 12"``, ``"row 5"``.
    """

    def __init__(self, file: str, where: pd.Series):
        self.file = file
        self.where = where
        self.bad = pd.Series(False, index=where.index)
        self.rejected: list[Rejection] = []

    def reject(self, mask: pd.Series, field: str, reasons: Reasons) -> None:
        """Reject the rows of ``mask`` not already rejected, for ``field``, with a reason.

        ``reasons`` is one text for all, a Series of texts, or a function of the rows'
        index returning their texts (so that large files build texts only for bad rows).
        """
        mask = mask.fillna(False).astype(bool) & ~self.bad
        if not mask.any():
            return
        rows = mask.index[mask.to_numpy()]
        if isinstance(reasons, str):
            texts = [reasons] * len(rows)
        elif callable(reasons):
            texts = list(reasons(rows))
        else:
            texts = list(reasons[rows])
        self.rejected += [
            Rejection(self.file, w, field, r) for w, r in zip(self.where[rows], texts, strict=True)
        ]
        self.bad |= mask

    def number(
        self,
        raw: pd.Series,
        field: str,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        integer: bool = False,
        required: bool = False,
        missing_codes: tuple[float, ...] = (),
    ) -> pd.Series:
        """Parse ``raw`` (text or numbers) strictly; rejected cells come back missing.

        Parameters
        ----------
        raw : pandas.Series
            The column as read (strings from a CSV, numbers from a parquet file).
        field : str
            The column's name in the file, for the rejection.
        minimum, maximum : float, optional
            The inclusive range of possible values (``minimum=0`` where a negative is
            impossible).
        integer : bool
            Counts and years: a fraction is rejected; the result is ``Int64``.
        required : bool
            A blank cell is rejected (``missing``) instead of read as missing.
        missing_codes : tuple of float
            Values the source documents as "missing" (COW's ``-9``): read as missing.

        Returns
        -------
        pandas.Series
            ``float64`` (or ``Int64`` with ``integer``), missing where blank or rejected.
        """
        if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            text = raw
            blank = raw.isna()
            value = raw.astype("float64")
        else:
            text = raw.astype("string").str.strip()
            blank = text.isna() | text.eq("")
            value = pd.to_numeric(text.where(~blank), errors="coerce").astype("float64")
        if missing_codes:
            coded = value.isin(missing_codes)
            blank |= coded
            value = value.mask(coded)

        def quoted(prefix: str):
            return lambda rows: [prefix + repr(str(v)) for v in text[rows]]

        if required:
            self.reject(blank, field, "missing (a value is required)")
        not_number = ~blank & (value.isna() | ~np.isfinite(value.fillna(0.0)))
        self.reject(not_number, field, quoted("not a number: "))
        ok = ~blank & ~not_number
        if integer:
            self.reject(ok & (value % 1 != 0), field, quoted("not a whole number: "))
        if minimum is not None:
            below = ok & (value < minimum)
            reason = "negative: " if minimum == 0 else f"below {minimum:g}: "
            self.reject(below, field, quoted(reason))
        if maximum is not None:
            self.reject(ok & (value > maximum), field, quoted(f"above {maximum:g}: "))
        value = value.mask(self.bad | blank)
        return value.round().astype("Int64") if integer else value

    def repeated(self, keys: pd.DataFrame, values: pd.DataFrame, field: str) -> None:
        """Rows whose ``keys`` repeat an earlier row's: merged if the ``values`` agree,
        otherwise rejected (the first row is kept either way), each with a rejection.

        ``field`` names the key in the message (e.g. ``"supplier, recipient, year"``).
        """
        live = keys[~self.bad]
        again = live.duplicated(keep=False)  # missing parts of a key compare equal
        if not again.any():
            return
        text = live[again].astype("string").fillna("\0")
        first: dict[tuple, object] = {}
        reasons = pd.Series("", index=self.where.index)
        mask = pd.Series(False, index=self.where.index)
        for i, key in zip(text.index, text.itertuples(index=False), strict=True):
            if key not in first:
                first[key] = i
                continue
            earlier = first[key]
            same = values.loc[i].equals(values.loc[earlier])
            reasons[i] = (
                f"repeats {self.where[earlier]} with the same values: merged"
                if same
                else f"repeats {self.where[earlier]} with different values: copy rejected"
            )
            mask[i] = True
        self.reject(mask, field, reasons)
