"""ICEWS coded event data: the yearly and daily files of Harvard Dataverse doi:10.7910/DVN/28075.

Tab-separated with a header row (``Event ID, Event Date, Source Name, Source Sectors,
Source Country, Event Text, CAMEO Code, Intensity, Target Name, Target Sectors, Target
Country, Story ID, Sentence Number, Publisher, City, District, Province, Country,
Latitude, Longitude``), plain, gzipped or zipped. Dates are ``YYYY-MM-DD``.

ICEWS names countries ("Russian Federation", "Occupied Palestinian Territory"); names are
resolved to ISO3 with :func:`allegiance.states.resolve_names` on the event's date, and a
name that is not a state is kept as written (it then resolves to no state). ``Intensity``
is ICEWS's CAMEO-based Goldstein score. ``Story ID`` identifies the report an event was
coded from (deduplication). ICEWS has no mention counts, tone or URL. Files written by R
(the icews package's sample) mark missing cells ``NA``; ICEWS itself spells Namibia out, so
``NA`` is read as missing.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from allegiance import states
from allegiance.sources.base import Rejection, SourceError
from allegiance.sources.event_table import (
    Checker,
    EventRead,
    assemble,
    empty,
    kept_lines,
    resolve_countries,
    text,
    width_rejections,
)

#: The columns of an ICEWS event file, in order.
COLUMNS = ["Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
           "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
           "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
           "Province", "Country", "Latitude", "Longitude"]  # fmt: skip


def _bytes(path: Path) -> bytes:
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return gzip.decompress(path.read_bytes())
    if suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            if len(names) != 1:
                raise SourceError(f"{path}: expected one file in the zip archive, found {names}")
            return archive.read(names[0])
    return path.read_bytes()


def read(path: Path, label: str | None = None) -> EventRead:
    """Read one ICEWS event file.

    Parameters
    ----------
    path : Path
        A ``.tab``/``.tsv`` file, gzipped or zipped.
    label : str, optional
        How the file is named in rejections (default: its name).

    Returns
    -------
    EventRead
        Staged rows; rows with the wrong number of columns or a malformed date or
        intensity are rejected with their line. A damaged archive is rejected whole.
    """
    path = Path(path)
    label = label or path.name
    if not path.exists():
        raise SourceError(f"{path}: file not found")
    try:
        data = _bytes(path)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        reason = f"truncated or damaged archive ({exc}); the file was not read"
        return EventRead(path, "icews", empty(), [Rejection(label, "line 1", "file", reason)])
    header = data[: data.find(b"\n")].decode("utf-8", "replace").rstrip("\r").split("\t")
    if header != COLUMNS:
        raise SourceError(
            f"{label}: line 1 is not the ICEWS header; expected {len(COLUMNS)} columns "
            f"{', '.join(COLUMNS[:5])}, ..., got {header[:5]}"
        )
    wrong: list[tuple[int, int]] = []

    def skip(row) -> str:
        wrong.append((row.number, row.actual_columns))
        return "skip"

    table = pv.read_csv(
        io.BytesIO(data),
        read_options=pv.ReadOptions(use_threads=False, block_size=1 << 24),
        parse_options=pv.ParseOptions(delimiter="\t", quote_char=False, invalid_row_handler=skip),
        convert_options=pv.ConvertOptions(column_types={c: pa.string() for c in COLUMNS},
                                          strings_can_be_null=False),
    )  # fmt: skip
    rejected = width_rejections(label, wrong, f"ICEWS has {len(COLUMNS)}")
    lines = kept_lines(table.num_rows, wrong, first=2)
    check = Checker(label, lines)
    col = table.column
    n = table.num_rows
    date = check.date(col("Event Date").combine_chunks(), "%Y-%m-%d", "Event Date")
    intensity = check.number(col("Intensity").combine_chunks(), pa.float64(), "Intensity")
    days = pd.Series(date.to_numpy(zero_copy_only=False)).astype("datetime64[ns]")
    story = _text(col("Story ID"))
    staged = assemble(
        {
            "event_id": text(col("Event ID")),
            "date": date,
            "source_country": _country(col("Source Country"), days),
            "target_country": _country(col("Target Country"), days),
            "source_actor_type": _text(col("Source Sectors")),
            "target_actor_type": _text(col("Target Sectors")),
            "cameo_code": text(col("CAMEO Code")),
            "goldstein": intensity,
            "action_state": resolve_countries(_text(col("Country")).to_pylist(), days),
            "document": story,
            "dataset": pa.array(np.full(n, "icews", dtype=object), pa.string()),
            "file": pa.array(np.full(n, label, dtype=object), pa.string()),
            "line": pa.array(lines, pa.int64()),
        },
        n,
    )
    return EventRead(path, "icews", check.keep(staged), rejected + check.rejected)


def _text(values: pa.ChunkedArray) -> pa.Array:
    values = text(values)
    return pc.if_else(pc.equal(values, "NA"), pa.scalar(None, pa.string()), values)


def _country(values: pa.ChunkedArray, days: pd.Series) -> pa.Array:
    """ISO3 of each country name on its date; names that are not states are kept as written."""
    names = pd.Series(_text(values).to_pylist(), dtype="object")
    resolved = states.resolve_names(names, days.fillna(pd.Timestamp("2000-01-01")))
    out = resolved.astype("object").where(resolved.notna(), names)
    return pc.cast(pa.array(out.tolist(), pa.string()), pa.string())
