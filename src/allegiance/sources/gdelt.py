"""GDELT event files: 1.0 historical and daily files, 2.0 15-minute exports, Parquet extracts.

Formats (GDELT Event Codebook V1.03 and V2.0, the GDELT Project):

- **GDELT 1.0**, tab-separated, no header, zipped. The historical files (``YYYY.zip`` to
  2005, ``YYYYMM.zip`` to March 2013) have 57 columns; the daily files
  (``YYYYMMDD.export.CSV.zip``, from 1 April 2013) add ``SOURCEURL`` (58 columns).
- **GDELT 2.0**, tab-separated, no header, zipped, one file every 15 minutes
  (``YYYYMMDDHHMMSS.export.CSV.zip``): 61 columns, with an ADM2 code for each of the three
  geographies and ``DATEADDED`` as YYYYMMDDHHMMSS.
- **Parquet** extracts with the 1.0 column names (the mirror's Georgia extract).

Every row becomes one row of :data:`~allegiance.sources.event_table.STAGED_SCHEMA`. A row
with the wrong number of columns, a malformed ``SQLDATE`` or a number that does not parse
is rejected with its file and line. A truncated or damaged zip archive is rejected whole
(the line where the data end is reported): a partial 15-minute file would be hard to tell
from a complete one later, so it is better fetched again.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import pyarrow.parquet as pq

from allegiance.sources.base import Rejection, SourceError
from allegiance.sources.event_table import (
    Checker,
    EventRead,
    assemble,
    empty,
    kept_lines,
    resolve_countries,
    text,
)

_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]  # fmt: skip
_GEO1 = ["Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"]
_GEO2 = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
_EVENT = ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
          "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]  # fmt: skip


def _columns(geo: list[str]) -> list[str]:
    return [
        "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
        *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR), *_EVENT,
        *(f"Actor1Geo_{c}" for c in geo), *(f"Actor2Geo_{c}" for c in geo),
        *(f"ActionGeo_{c}" for c in geo), "DATEADDED", "SOURCEURL",
    ]  # fmt: skip


#: GDELT 1.0 event fields in file order (the daily files' 58; the historical files stop
#: before SOURCEURL).
GDELT1_COLUMNS = _columns(_GEO1)
#: GDELT 2.0 event fields in file order (61).
GDELT2_COLUMNS = _columns(_GEO2)

_WIDTHS = {57: ("gdelt1", GDELT1_COLUMNS[:57]), 58: ("gdelt1", GDELT1_COLUMNS),
           61: ("gdelt2", GDELT2_COLUMNS)}  # fmt: skip
_V2_NAME = re.compile(r"^\d{14}\.export\.CSV(\.zip)?$", re.IGNORECASE)
_V1_NAME = re.compile(r"^(\d{4}|\d{6}|\d{8}\.export\.CSV)(\.zip)?$", re.IGNORECASE)
_USED = ["GLOBALEVENTID", "SQLDATE", "Actor1CountryCode", "Actor2CountryCode",
         "Actor1Type1Code", "Actor2Type1Code", "IsRootEvent", "EventCode", "GoldsteinScale",
         "NumMentions", "NumSources", "NumArticles", "AvgTone", "ActionGeo_FullName",
         "SOURCEURL"]  # fmt: skip


_OPTIONAL = ("SOURCEURL", "ActionGeo_FullName")


def dataset_of(path: Path) -> str | None:
    """``gdelt2`` for 15-minute export names, ``gdelt1`` for 1.0 names, else ``None``."""
    name = Path(path).name
    if _V2_NAME.match(name):
        return "gdelt2"
    if _V1_NAME.match(name):
        return "gdelt1"
    return None


def is_gdelt_file(path: Path) -> bool:
    return dataset_of(path) is not None


def read(path: Path, label: str | None = None) -> EventRead:
    """Read one GDELT event file (raw zip/TSV or a Parquet extract with 1.0 columns).

    Parameters
    ----------
    path : Path
        ``20150218230000.export.CSV.zip``, ``20130401.export.CSV.zip``, ``201302.zip``,
        an unzipped ``.CSV``, or a ``.parquet`` extract.
    label : str, optional
        How the file is named in rejections and in the ``file`` column (default: its name).

    Returns
    -------
    EventRead
        The staged rows and the rejected ones (file, line, field, reason).

    Raises
    ------
    SourceError
        The file does not exist or is not a GDELT event file at all (no known width).
    """
    path = Path(path)
    label = label or path.name
    if not path.exists():
        raise SourceError(f"{path}: file not found")
    if path.suffix == ".parquet":
        return _read_parquet(path, label)
    try:
        data = _raw_bytes(path)
    except _Truncated as exc:
        reason = (
            f"truncated or damaged zip archive ({exc.why}); the data end after line "
            f"{exc.lines}. The file was not read: fetch it again"
        )
        rejection = Rejection(label, f"line {exc.lines + 1}", "file", reason)
        return EventRead(path, dataset_of(path) or "gdelt", empty(), [rejection])
    return _read_tsv(data, path, label)


class _Truncated(Exception):
    def __init__(self, why: str, lines: int):
        super().__init__(why)
        self.why, self.lines = why, lines


def _raw_bytes(path: Path) -> bytes:
    if path.suffix.lower() != ".zip":
        return path.read_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            if len(names) != 1:
                raise SourceError(f"{path}: expected one file in the zip archive, found {names}")
            return archive.read(names[0])
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
        raise _Truncated(str(exc), _lines_before_damage(path)) from None


def _lines_before_damage(path: Path) -> int:
    """Complete lines that can still be inflated from the first entry of a damaged zip."""
    raw = path.read_bytes()
    if len(raw) < 30 or raw[:4] != b"PK\x03\x04":
        return 0
    start = 30 + int.from_bytes(raw[26:28], "little") + int.from_bytes(raw[28:30], "little")
    method = int.from_bytes(raw[8:10], "little")
    if method == 0:
        return raw[start:].count(b"\n")
    inflate = zlib.decompressobj(-15)
    lines = 0
    for at in range(start, len(raw), 1 << 16):
        try:
            lines += inflate.decompress(raw[at : at + (1 << 16)]).count(b"\n")
        except zlib.error:
            break
    return lines


def _read_tsv(data: bytes, path: Path, label: str) -> EventRead:
    first = data[: data.find(b"\n")] if b"\n" in data else data
    width = first.count(b"\t") + 1 if first else 0
    if width not in _WIDTHS:
        raise SourceError(
            f"{label}: line 1 has {width} tab-separated columns; a GDELT event file has 57 or "
            "58 (1.0) or 61 (2.0)"
        )
    dataset, names = _WIDTHS[width]
    wrong: list[tuple[int, int]] = []

    def skip(row) -> str:
        wrong.append((row.number, row.actual_columns))
        return "skip"

    table = pv.read_csv(
        io.BytesIO(data),
        read_options=pv.ReadOptions(column_names=names, use_threads=False, block_size=1 << 24),
        parse_options=pv.ParseOptions(delimiter="\t", quote_char=False, invalid_row_handler=skip),
        convert_options=pv.ConvertOptions(
            column_types={n: pa.string() for n in names}, include_columns=[n for n in _USED
                                                                           if n in names],
            strings_can_be_null=False,
        ),
    )  # fmt: skip
    rejected = [
        Rejection(label, f"line {line}", "row",
                  f"{got} tab-separated columns where the file's rows have {width}")
        for line, got in wrong
    ]  # fmt: skip
    # Physical lines of the rows kept: every line but the skipped ones (no quoting in GDELT).
    lines = kept_lines(table.num_rows, wrong, first=1)
    out = _stage(table, dataset, label, lines)
    out.rejected[:0] = rejected
    out.file = path
    return out


def _read_parquet(path: Path, label: str) -> EventRead:
    try:
        schema = pq.read_schema(path)
        missing = [c for c in _USED if c not in schema.names and c not in _OPTIONAL]
        if missing:
            raise SourceError(f"{label}: not a GDELT event extract; missing columns {missing}")
        table = pq.read_table(path, columns=[c for c in _USED if c in schema.names])
    except (pa.ArrowInvalid, OSError) as exc:
        raise SourceError(f"{label}: cannot read the Parquet file ({exc})") from exc
    table = table.cast(pa.schema([(n, pa.string()) for n in table.column_names]))
    # A Parquet file has rows, not lines.
    out = _stage(table, "gdelt1", label, np.arange(1, table.num_rows + 1), unit="row")
    out.file = path
    return out


def _stage(
    table: pa.Table, dataset: str, label: str, lines: np.ndarray, unit: str = "line"
) -> EventRead:
    check = Checker(label, lines, unit)
    col = table.column
    n = table.num_rows
    date = check.date(col("SQLDATE").combine_chunks(), "%Y%m%d", "SQLDATE")
    numbers = {
        "goldstein": check.number(col("GoldsteinScale").combine_chunks(), pa.float64(),
                                  "GoldsteinScale"),
        "num_mentions": check.number(col("NumMentions").combine_chunks(), pa.int64(),
                                     "NumMentions"),
        "num_sources": check.number(col("NumSources").combine_chunks(), pa.int64(), "NumSources"),
        "num_articles": check.number(col("NumArticles").combine_chunks(), pa.int64(),
                                     "NumArticles"),
        "tone": check.number(col("AvgTone").combine_chunks(), pa.float64(), "AvgTone"),
    }  # fmt: skip
    root = check.number(col("IsRootEvent").combine_chunks(), pa.int64(), "IsRootEvent")
    url = text(col("SOURCEURL")) if "SOURCEURL" in table.column_names else pa.nulls(n, pa.string())
    place = (text(col("ActionGeo_FullName")) if "ActionGeo_FullName" in table.column_names
             else pa.nulls(n, pa.string()))  # fmt: skip
    staged = assemble(
        {
            "event_id": text(col("GLOBALEVENTID")),
            "date": date,
            "source_country": text(col("Actor1CountryCode")),
            "target_country": text(col("Actor2CountryCode")),
            "source_actor_type": text(col("Actor1Type1Code")),
            "target_actor_type": text(col("Actor2Type1Code")),
            "cameo_code": text(col("EventCode")),
            **numbers,
            "action_state": _action_state(place, date),
            "source_url": url,
            "document": url,
            "is_root_event": pc.equal(root, 1),
            "dataset": pa.array(np.full(n, dataset, dtype=object), pa.string()),
            "file": pa.array(np.full(n, label, dtype=object), pa.string()),
            "line": pa.array(lines, pa.int64()),
        },
        n,
    )
    return EventRead(Path(label), dataset, check.keep(staged), check.rejected)


def _action_state(place: pa.Array, date: pa.Array) -> pa.Array:
    """The state where an event took place: GDELT's geographic names end with the country
    ("Tbilisi, T'bilisi, Georgia"; "Atlanta, Georgia, United States")."""
    country = pc.utf8_trim_whitespace(
        pc.list_element(pc.split_pattern(pc.utf8_reverse(place), ",", max_splits=1), 0)
    )
    country = pc.utf8_reverse(country)
    days = date.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
    return resolve_countries(country.to_pylist(), days)
