"""Printing DataFrames as a readable table, CSV or JSON, with their attribution."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def emit(
    frame: pd.DataFrame,
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
    if fmt == Format.csv:
        text = frame.to_csv(index=False)
    elif fmt == Format.json:
        rows = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        payload = {"title": title, "attribution": attribution, "rows": rows}
        text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    else:
        if out is not None:
            raise ValueError("--out needs --format csv or json")
        console.print(_table(frame, title, floatfmt))
        if attribution:
            console.print(f"[dim]{attribution}[/dim]")
        return
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
        err.print(f"wrote {len(frame)} rows to {out}")
    else:
        sys.stdout.write(text)
    if attribution and fmt == Format.csv:
        err.print(f"[dim]{attribution}[/dim]")


def _table(frame: pd.DataFrame, title: str | None, floatfmt: str) -> Table:
    table = Table(title=title, header_style="bold", show_lines=False)
    for col in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(
            frame[col]
        )
        table.add_column(str(col), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(v, floatfmt) for v in row))
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


def fail(message: str, code: int = 1):
    """Print a clear error and exit."""
    import typer

    err.print(f"[bold red]error:[/bold red] {message}")
    raise typer.Exit(code)
