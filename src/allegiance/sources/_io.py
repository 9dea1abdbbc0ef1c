"""Small helpers the readers share: opening plain or compressed files with clear errors."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pandas as pd

from allegiance.sources.base import Rejection, SourceError


def open_text(path: Path, encoding: str = "utf-8") -> io.TextIOBase:
    """Open ``path`` for reading text, whether plain, ``.gz`` or a one-entry ``.zip``."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: file not found")
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=encoding)
    if path.suffix == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise SourceError(f"{path}: not a readable zip archive ({exc})") from exc
        names = [n for n in archive.namelist() if not n.endswith("/")]
        if len(names) != 1:
            raise SourceError(f"{path}: expected one file in the archive, found {names}")
        return io.TextIOWrapper(archive.open(names[0]), encoding=encoding)
    return open(path, encoding=encoding)  # noqa: SIM115 - the caller closes it


def read_csv(path: Path, required: list[str], **kwargs) -> pd.DataFrame:
    """Read a CSV as strings (``"NA"`` stays Namibia), checking the required columns."""
    try:
        with open_text(path, kwargs.pop("encoding", "utf-8")) as handle:
            frame = pd.read_csv(handle, dtype=str, keep_default_na=False, **kwargs)
    except (EOFError, OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: truncated or damaged file ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise SourceError(f"{path}: empty file ({exc})") from exc
    except pd.errors.ParserError as exc:
        raise SourceError(f"{path}: malformed CSV ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(f"{path}: missing column(s) {missing}")
    return frame


def counts(column: pd.Series, file: str = "", lines: pd.Series | None = None, rejected=None):
    """Tally cells ("141", " 012", "") as nullable integers; blanks stay missing.

    With ``lines`` (each row's line number) and ``rejected`` (a list), a cell that is not a
    whole number of 0 or more is reported there; the tally is left empty and the roll call
    kept (its votes are still good).
    """
    if rejected is None:
        return pd.to_numeric(column.str.strip(), errors="coerce").astype("Int64").to_numpy()
    from allegiance.sources.validate import RowChecks

    checks = RowChecks(file, "line " + lines.astype(str))
    values = checks.number(column, str(column.name), integer=True, minimum=0)
    rejected += [
        Rejection(r.file, r.record, r.field, f"{r.reason}; tally left empty")
        for r in checks.rejected
    ]
    return values.to_numpy()


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
