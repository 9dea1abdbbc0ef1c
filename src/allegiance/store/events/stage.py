"""Staging: raw event files -> Parquet partitioned by year-month (the pipeline's input).

Each file is read by the reader of its format (:mod:`allegiance.sources.gdelt`,
``icews``, ``polecat``); its rows are written to ``<out>/year_month=YYYY-MM/`` and its
rejected rows are kept with file and line. Files are independent, so staging can be split
across machines by file list; the staged folder is then what a cluster reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from allegiance.sources import gdelt, icews, polecat
from allegiance.sources.base import Rejection, SourceError
from allegiance.sources.event_table import EventRead

#: The CAMEO tables the pipeline reads as lookups, not as events.
LOOKUPS = ("CAMEO.eventcodes.txt", "CAMEO.goldsteinscale.txt")
_TEXT_SUFFIXES = (".tab", ".tsv", ".txt", ".csv", ".gz", ".zip")
_PARTITIONING = ds.partitioning(pa.schema([("year_month", pa.string())]), flavor="hive")


@dataclass
class StageReport:
    """What staging read: one row per file, every rejected row, and the files skipped."""

    files: pd.DataFrame  # file, dataset, rows, rejected
    rejections: list[Rejection] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files that are not event files

    @property
    def rows(self) -> int:
        return int(self.files["rows"].sum()) if len(self.files) else 0


def _first_line(path: Path) -> str:
    import gzip
    import zipfile

    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as f:
                return f.readline(1 << 16).decode("utf-8", "replace")
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if not n.endswith("/")]
                with z.open(names[0]) as f:
                    return f.readline(1 << 16).decode("utf-8", "replace")
        with open(path, "rb") as f:
            return f.readline(1 << 16).decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - a damaged file is classified by name or reported
        return ""


def reader_for(path: Path) -> Callable[..., EventRead] | None:
    """The reader of an event file, or ``None`` for files that are not event files."""
    path = Path(path)
    if gdelt.is_gdelt_file(path):
        return gdelt.read
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        names = pq.read_schema(path).names
        return gdelt.read if {"GLOBALEVENTID", "SQLDATE", "EventCode"} <= set(names) else None
    if not path.name.lower().endswith(_TEXT_SUFFIXES):
        return None
    head = _first_line(path)
    cells = head.rstrip("\r\n").split("\t")
    if cells[: len(icews.COLUMNS)] == icews.COLUMNS:
        return icews.read
    if polecat.is_polecat_header(head):
        return polecat.read
    if len(cells) in (57, 58, 61) and re.fullmatch(r"\d+", cells[0] or ""):
        return gdelt.read
    return None


def event_files(folder: Path) -> tuple[list[tuple[Path, Callable]], list[str]]:
    """Event files under ``folder`` with their reader, and the other files (ignored)."""
    found, ignored = [], []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        if path.name in LOOKUPS:
            continue
        read = reader_for(path)
        if read is None:
            ignored.append(str(path.relative_to(folder)))
        else:
            found.append((path, read))
    return found, ignored


def stage(source: Path, out: Path, progress: Callable[[str], None] | None = None) -> StageReport:
    """Read every event file under ``source`` and write it staged under ``out``.

    A file that cannot be read at all (unknown width, damaged archive) is reported as a
    rejection of the whole file; nothing is dropped without a record.
    """
    source, out = Path(source), Path(out)
    if not source.exists():
        raise SourceError(f"{source}: no such folder or file")
    found, ignored = (
        ([(source, reader_for(source))], []) if source.is_file() else event_files(source)
    )
    found = [(p, r) for p, r in found if r is not None]
    rows, rejections = [], []
    for path, read in found:
        label = str(path.relative_to(source)) if source.is_dir() else path.name
        if progress:
            progress(f"reading {label}")
        try:
            got = read(path, label=label)
        except SourceError as exc:
            rejections.append(Rejection(label, "line 1", "file", str(exc)))
            rows.append((label, "unknown", 0, 1))
            continue
        rejections.extend(got.rejected)
        rows.append((label, got.dataset, got.rows, len(got.rejected)))
        if got.rows:
            _write(got.table, out, label)
    files = pd.DataFrame(rows, columns=["file", "dataset", "rows", "rejected"])
    return StageReport(files, rejections, ignored)


def _write(table: pa.Table, out: Path, label: str) -> None:
    month = pc.strftime(pc.cast(table.column("date"), pa.timestamp("s")), format="%Y-%m")
    table = table.append_column("year_month", month)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)
    ds.write_dataset(
        table, out, format="parquet", partitioning=_PARTITIONING,
        basename_template=f"{stem}-{{i}}.parquet", existing_data_behavior="overwrite_or_ignore",
    )  # fmt: skip


def is_staged(path) -> bool:
    """Whether ``path`` is already a staged folder (or an object-store URI of one)."""
    if "://" in str(path):
        return True
    path = Path(path)
    return path.is_dir() and any(path.glob("year_month=*"))
