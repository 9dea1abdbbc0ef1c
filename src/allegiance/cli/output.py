"""Printing DataFrames as a readable table, CSV or JSON, with their attribution."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from allegiance._lazy import lazy

pd = lazy("pandas")

console = Console()
err = Console(stderr=True)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


#: The format each ``--out`` extension means.
EXTENSIONS = {".csv": Format.csv, ".json": Format.json, ".parquet": Format.parquet}


def out_format(fmt: Format, out: Path | None) -> Format:
    """The format to write: ``--format``, or the one ``--out``'s extension names.

    Raises
    ------
    BadInputError
        For an unknown extension, a directory, or a format that contradicts the extension.
    """
    from allegiance.errors import BadInputError

    if out is None:
        if fmt == Format.parquet:
            raise BadInputError("--format parquet needs --out FILE.parquet")
        return fmt
    out = Path(out)
    if out.is_dir():
        raise BadInputError(f"--out {out} is a folder; give a file name such as {out}/result.csv")
    implied = EXTENSIONS.get(out.suffix.lower())
    if implied is None:
        raise BadInputError(
            f"--out {out}: unknown extension {out.suffix or '(none)'}; use .csv, .json or .parquet"
        )
    if fmt not in (Format.table, implied):
        raise BadInputError(
            f"--format {fmt.value} does not match --out {out.name}; use a {fmt.value} file name "
            f"or drop --format"
        )
    return implied


@dataclass(frozen=True)
class Rows:
    """Plain rows with their column names: printed without pandas, for quick commands."""

    columns: list[str]
    rows: list[tuple]

    def __len__(self) -> int:
        return len(self.rows)


def emit(
    frame: pd.DataFrame | Rows,
    fmt: Format = Format.table,
    title: str | None = None,
    attribution: str | None = None,
    out: Path | None = None,
    floatfmt: str = "{:.3f}",
) -> None:
    """Write ``frame`` in ``fmt`` to stdout or ``out``; the attribution goes with it.

    CSV stays plain (the attribution goes to stderr) so that it loads anywhere; JSON is an
    object with ``attribution`` and ``rows``.
    """
    fmt = out_format(fmt, out)
    if fmt == Format.parquet:
        table = (
            frame
            if not isinstance(frame, Rows)
            else pd.DataFrame(frame.rows, columns=frame.columns)
        )
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        table.to_parquet(out, index=False)
        err.print(f"wrote {len(table)} rows to {out}", markup=False)
        return
    if fmt == Format.table:
        rows = isinstance(frame, Rows)
        console.print((_rows_table if rows else _table)(frame, title, floatfmt))
        if attribution:
            console.print(attribution, style="dim", markup=False, highlight=False)
        return
    if isinstance(frame, Rows):
        text = _rows_text(frame, fmt, title, attribution)
    elif fmt == Format.csv:
        text = frame.to_csv(index=False)
    else:
        rows = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        payload = {"title": title, "attribution": attribution, "rows": rows}
        text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
        err.print(f"wrote {len(frame)} rows to {out}", markup=False)
    else:
        sys.stdout.write(text)
    if attribution and fmt == Format.csv:
        err.print(attribution, style="dim", markup=False, highlight=False)


def _rows_text(frame: Rows, fmt: Format, title, attribution) -> str:
    if fmt == Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(frame.columns)
        writer.writerows(frame.rows)
        return buffer.getvalue()
    rows = [dict(zip(frame.columns, row, strict=True)) for row in frame.rows]
    payload = {"title": title, "attribution": attribution, "rows": rows}
    return json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n"


def _rows_table(frame: Rows, title: str | None, floatfmt: str) -> Table:
    table = Table(title=Text(title) if title else None, header_style="bold", show_lines=False)
    for col in frame.columns:
        table.add_column(str(col))
    for row in frame.rows:
        table.add_row(*(Text(_plain_cell(v, floatfmt)) for v in row))
    return table


def _plain_cell(value, floatfmt: str) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return ""
    if isinstance(value, float):
        return floatfmt.format(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def _table(frame: pd.DataFrame, title: str | None, floatfmt: str) -> Table:
    table = Table(title=Text(title) if title else None, header_style="bold", show_lines=False)
    for col in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(
            frame[col]
        )
        table.add_column(str(col), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(_cell(v, floatfmt)) for v in row))
    return table


def _cell(value, floatfmt: str) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return floatfmt.format(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def fail(message: str, code: int = 2):
    """Print a clear error and exit (code 2: an expected failure, see allegiance.cli.main)."""
    import typer

    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)
