"""POLECAT event data (PLOVER-coded), the successor of ICEWS (Harvard Dataverse doi:10.7910/DVN/AJGVIT).

The weekly and yearly POLECAT files are tab-separated text with a header row. This reader
finds its columns by name, so extra or reordered columns do not matter; it needs
``Event ID``, ``Event Date`` (``YYYY-MM-DD``), ``Event Type`` (a PLOVER type such as
``CONSULT`` or ``ASSAULT``), ``Actor Country`` and ``Recipient Country``, and uses
``Primary Actor Sector``, ``Primary Recipient Sector`` and ``Story ID`` where present.

The column names follow the published POLECAT files and the PLOVER specification (Halterman
et al. 2023, "PLOVER and POLECAT: A New Political Event Ontology and Dataset"). No POLECAT
file is in the mirror: the reader is tested on small hand-written files in that format
(tests/test_events_readers.py), not on a real download. Countries may be ISO3 codes or
names; names are resolved with :func:`allegiance.states.resolve_names` on the event date.
PLOVER types are checked and turned into quad classes by the pipeline
(:data:`allegiance.sources.cameo.PLOVER_QUAD`); POLECAT has no Goldstein score.
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
    text,
    width_rejections,
)

REQUIRED = ["Event ID", "Event Date", "Event Type", "Actor Country", "Recipient Country"]
OPTIONAL = ["Primary Actor Sector", "Primary Recipient Sector", "Story ID", "Country"]


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


def is_polecat_header(first_line: str) -> bool:
    cells = first_line.rstrip("\r\n").split("\t")
    return all(c in cells for c in REQUIRED) and "CAMEO Code" not in cells


def read(path: Path, label: str | None = None) -> EventRead:
    """Read one POLECAT file.

    Returns
    -------
    EventRead
        Staged rows with ``plover_type`` set; rows with the wrong number of columns or a
        malformed date are rejected with their line.
    """
    path = Path(path)
    label = label or path.name
    if not path.exists():
        raise SourceError(f"{path}: file not found")
    try:
        data = _bytes(path)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        reason = f"truncated or damaged archive ({exc}); the file was not read"
        return EventRead(path, "polecat", empty(), [Rejection(label, "line 1", "file", reason)])
    header = data[: data.find(b"\n")].decode("utf-8", "replace").rstrip("\r").split("\t")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(f"{label}: line 1 lacks the POLECAT columns {missing}")
    wrong: list[tuple[int, int]] = []

    def skip(row) -> str:
        wrong.append((row.number, row.actual_columns))
        return "skip"

    used = REQUIRED + [c for c in OPTIONAL if c in header]
    table = pv.read_csv(
        io.BytesIO(data),
        read_options=pv.ReadOptions(use_threads=False),
        parse_options=pv.ParseOptions(delimiter="\t", quote_char=False, invalid_row_handler=skip),
        convert_options=pv.ConvertOptions(column_types={c: pa.string() for c in header},
                                          include_columns=used, strings_can_be_null=False),
    )  # fmt: skip
    rejected = width_rejections(label, wrong, f"the header has {len(header)}")
    lines = kept_lines(table.num_rows, wrong, first=2)
    check = Checker(label, lines)
    col = table.column
    n = table.num_rows
    date = check.date(col("Event Date").combine_chunks(), "%Y-%m-%d", "Event Date")
    days = pd.Series(date.to_numpy(zero_copy_only=False)).astype("datetime64[ns]")

    def optional(name: str) -> pa.Array | None:
        return text(col(name)) if name in table.column_names else None

    staged = assemble(
        {
            "event_id": text(col("Event ID")),
            "date": date,
            "source_country": _country(col("Actor Country"), days),
            "target_country": _country(col("Recipient Country"), days),
            "source_actor_type": optional("Primary Actor Sector"),
            "target_actor_type": optional("Primary Recipient Sector"),
            "plover_type": pc.utf8_upper(text(col("Event Type"))),
            "action_state": _country(col("Country"), days)
            if "Country" in table.column_names
            else None,
            "document": optional("Story ID"),
            "dataset": pa.array(np.full(n, "polecat", dtype=object), pa.string()),
            "file": pa.array(np.full(n, label, dtype=object), pa.string()),
            "line": pa.array(lines, pa.int64()),
        },
        n,
    )
    return EventRead(path, "polecat", check.keep(staged), rejected + check.rejected)


def _country(values: pa.ChunkedArray, days: pd.Series) -> pa.Array:
    """ISO3 codes as given; names resolved to ISO3 on the event date."""
    raw = pd.Series(text(values).to_pylist(), dtype="object")
    is_code = raw.str.fullmatch(r"[A-Z]{3}").fillna(False).astype(bool)
    names = raw.where(~is_code)
    resolved = states.resolve_names(names, days.fillna(pd.Timestamp("2000-01-01")))
    out = raw.where(is_code | resolved.isna(), resolved.astype("object"))
    return pa.array(out.tolist(), pa.string())
