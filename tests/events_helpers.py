"""Small event files written from real rows of the mirror's GDELT extract, for the tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyarrow.parquet as pq

from allegiance.sources.gdelt import GDELT1_COLUMNS

EXTRACT = "gdelt1_events_actiongeo_georgia_2011_06_2013_05.parquet"


def gdelt_lines(mirror: Path, n: int) -> list[str]:
    """The first ``n`` rows of the real extract as GDELT 1.0 daily-file lines (58 columns)."""
    table = pq.read_table(mirror / "events" / EXTRACT, columns=GDELT1_COLUMNS).slice(0, n)
    out = []
    for row in table.to_pylist():
        cells = []
        for name in GDELT1_COLUMNS:
            value = row[name]
            cells.append("" if value is None else str(value))
        out.append("\t".join(cells))
    return out


def write_zip(path: Path, lines: list[str], inner: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(inner or path.name.removesuffix(".zip"), "\n".join(lines) + "\n")
    return path


def bad_gdelt_file(mirror: Path, folder: Path) -> Path:
    """A daily GDELT file whose every row is bad in one way, with known lines:

    line 1: an unknown CAMEO code (999); line 2: 57 columns in a 58-column file;
    line 3: SQLDATE 2011-13-45; line 4: NumMentions "many".
    """
    rows = [line.split("\t") for line in gdelt_lines(mirror, 4)]
    code = GDELT1_COLUMNS.index("EventCode")
    rows[0][code] = "999"
    rows[1] = rows[1][:-1]
    rows[2][GDELT1_COLUMNS.index("SQLDATE")] = "20111345"
    rows[3][GDELT1_COLUMNS.index("NumMentions")] = "many"
    # Line 1 is read first, so the file's width comes from it: keep it at 58 columns.
    return write_zip(folder / "20130401.export.CSV.zip", ["\t".join(r) for r in rows])
