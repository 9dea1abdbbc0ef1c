"""Printing results as a table that fits the terminal, or as CSV, JSON or Parquet.

A table is for reading: each command says which columns it shows, under which short
header and rounded to what the number means (:class:`Col`), and the table is fitted to
the terminal's width (80 columns by default when the output is not a terminal, or
``$COLUMNS``). Key columns (codes, ids) are never cut; long text is cut with an ellipsis
or wrapped; columns that still do not fit are left out and named under the table.
``--wide`` prints every column, unabbreviated, at its natural width. CSV, JSON and
Parquet always carry every column at full precision. Text is never read as markup.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from allegiance._lazy import lazy

np = lazy("numpy")
pd = lazy("pandas")

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def configure_consoles() -> None:
    """Take the width from ``$COLUMNS`` at every run (the consoles outlive one command when
    the command line runs in-process, as in the tests)."""
    columns = os.environ.get("COLUMNS", "")
    for each in (console, err):
        each.width = int(columns) if columns.isdigit() and int(columns) > 0 else None


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


#: The format each ``--out`` extension means.
EXTENSIONS = {".csv": Format.csv, ".json": Format.json, ".parquet": Format.parquet}


def out_format(fmt: Format, out: Path | None) -> Format:
    """The format to write: ``--format``, or the one ``--out``'s extension names.

    Commands call it before any work, so that a bad ``--out`` fails at once.

    Raises
    ------
    BadInputError
        For an unknown extension, a directory, a folder that cannot be created, or a
        format that contradicts the extension.
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
    check_writable(out, "--out")
    return implied


def check_writable(out: Path, option: str) -> None:
    """Fail now, not after the work, if ``out`` cannot be written (its folder is a file)."""
    from allegiance.errors import BadInputError

    for parent in Path(out).parents:
        if parent.exists():
            if not parent.is_dir():
                raise BadInputError(f"{option} {out}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK):
                raise BadInputError(f"{option} {out}: the folder {parent} cannot be written")
            return


@dataclass(frozen=True)
class Col:
    """How a table shows one column of a result.

    Parameters
    ----------
    name : str
        The column of the frame.
    header : str, optional
        The header in a table (default: the column's name).
    fmt : str or callable, optional
        ``"{:.2f}"``-style format or a function of the value; default ``{:.3f}`` for
        fractional numbers.
    kind : str
        ``key`` (never cut: codes, ids), ``number``, ``text`` (cut with an ellipsis) or
        ``prose`` (wrapped over several lines). Default: guessed from the values.
    level : int
        1: always shown; 2: shown when the terminal has room; 3: only with ``--wide``.
    """

    name: str
    header: str | None = None
    fmt: str | Callable | None = None
    kind: str | None = None
    level: int = 1


#: Columns never cut (codes and ids), and columns of sentences that wrap rather than being
#: cut, when a command does not say.
KEY_NAMES = {"state", "partner", "pole", "id", "symbol", "iso3", "code", "source", "leader"}
PROSE_NAMES = {"evidence", "reason", "message", "coverage_note", "description", "note"}

#: The narrowest a cut text column and a wrapped prose column become; and the widths they
#: keep before an optional column is left out for them.
MIN_TEXT, MIN_PROSE = 10, 18
COMFORTABLE_TEXT, COMFORTABLE_PROSE = 32, 40


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
    view: Sequence[Col] | None = None,
    wide: bool = False,
    note: str | None = None,
) -> None:
    """Write ``frame`` in ``fmt`` to stdout or ``out``; the attribution goes with it.

    A table shows the columns of ``view`` (default: every column) fitted to the terminal,
    or every column at natural width with ``wide``; ``note`` is printed under it. CSV
    stays plain (the attribution goes to stderr) so that it loads anywhere; JSON is an
    object with ``title``, ``attribution`` and ``rows``.
    """
    fmt = out_format(fmt, out)
    if fmt == Format.table:
        print_table(frame, title, view=view, wide=wide, floatfmt=floatfmt, note=note)
        if attribution:
            console.print(attribution, style="dim", markup=False)
        return
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
        err.print(attribution, style="dim", markup=False)


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


# -- tables ----------------------------------------------------------------------------------


@dataclass
class _Column:
    spec: Col
    header: str
    cells: list[str]
    kind: str
    width: int


def print_table(
    frame: pd.DataFrame | Rows,
    title: str | None = None,
    view: Sequence[Col] | None = None,
    wide: bool = False,
    floatfmt: str = "{:.3f}",
    note: str | None = None,
) -> None:
    """Print ``frame`` as a table that fits the terminal (see the module's docstring)."""
    columns, rows = _columns_and_rows(frame)
    specs = list(view) if view is not None else [Col(c) for c in columns]
    specs = [s for s in specs if s.name in columns]
    if wide:  # every column of the frame, under its own name, in the view's formats
        known = {s.name: s for s in specs}
        specs = [Col(c, fmt=known[c].fmt if c in known else None, kind=known.get(c, Col(c)).kind)
                 for c in columns]  # fmt: skip
    built = [_build(spec, [row[columns.index(spec.name)] for row in rows], floatfmt, wide)
             for spec in specs]  # fmt: skip
    width = console.width
    hidden: list[str] = []
    if not wide:
        built, hidden = _fit(built, width)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for col in built:
        numeric = col.kind == "number"
        table.add_column(
            Text(col.header),
            justify="right" if numeric else "left",
            no_wrap=col.kind != "prose",
            overflow="fold" if col.kind == "prose" else "ellipsis",
            min_width=col.width if col.kind != "prose" else None,
            max_width=col.width,
        )
    for i in range(len(rows)):
        table.add_row(*(Text(_cut(col, col.cells[i])) for col in built))
    if title:
        console.print(Text(title, style="bold"))
    natural = sum(c.width for c in built) + 3 * max(len(built) - 1, 0)
    if wide and natural > width:  # rich never prints wider than its console: widen it
        saved = console._width
        console.width = natural
        try:
            console.print(table, crop=False)
        finally:
            console._width = saved
    else:
        console.print(table)
    if hidden:
        console.print(
            f"not shown for lack of room: {', '.join(hidden)} (--wide shows every column)",
            style="dim",
            markup=False,
        )
    if note:
        console.print(note, style="dim", markup=False)


def _columns_and_rows(frame) -> tuple[list[str], list[tuple]]:
    if isinstance(frame, Rows):
        return list(frame.columns), list(frame.rows)
    return [str(c) for c in frame.columns], list(frame.itertuples(index=False, name=None))


def _build(spec: Col, values: list, floatfmt: str, wide: bool) -> _Column:
    kind = spec.kind or _guess_kind(spec.name, values)
    cells = [_format(v, spec.fmt, floatfmt) for v in values]
    header = spec.name if wide else (spec.header or spec.name)
    width = max([len(header), *(len(c) for c in cells)]) if cells else len(header)
    return _Column(spec, header, cells, kind, width)


def _guess_kind(name: str, values: list) -> str:
    present = [v for v in values if not _missing(v)]
    if present and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) or _is_number(v) for v in present
    ):
        return "number"
    if name in KEY_NAMES:
        return "key"
    return "prose" if name in PROSE_NAMES else "text"


def _is_number(value) -> bool:
    return isinstance(value, (np.integer, np.floating))


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple, dict, str)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _format(value, fmt, floatfmt: str) -> str:
    if _missing(value):
        return ""
    if callable(fmt):
        return str(fmt(value))
    if hasattr(value, "date") and hasattr(value, "hour"):  # a timestamp: its day
        return value.date().isoformat() if not (value.hour or value.minute) else str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if fmt is not None and not isinstance(value, (bool, np.bool_)):
        try:
            return fmt.format(value)
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else ""
    if isinstance(value, float) or _is_float(value):
        return floatfmt.format(value)
    return " ".join(str(value).split())  # one line: newlines and tabs become spaces


def _is_float(value) -> bool:
    return isinstance(value, np.floating)


def _cut(col: _Column, cell: str) -> str:
    if col.kind in ("text",) and len(cell) > col.width:
        return cell[: max(col.width - 1, 1)] + "…"
    return cell


def _fit(columns: list[_Column], width: int) -> tuple[list[_Column], list[str]]:
    """Fit the table to ``width``; returns the columns kept and those left out for lack
    of room.

    In turn: ``--wide``-only columns are left out; long text is cut (prose wrapped) down to
    a comfortable width; optional columns are left out from the right; text is cut down to
    its minimum; other columns but the first and the keys are left out from the right.
    Key and number columns are never cut.
    """
    cols = [c for c in columns if c.spec.level < 3]
    dropped: list[str] = []

    def total() -> int:
        return sum(c.width for c in cols) + 3 * max(len(cols) - 1, 0)

    def drop(candidates: list[_Column]) -> bool:
        if not candidates:
            return False
        gone = candidates[-1]
        cols.remove(gone)
        dropped.append(gone.spec.name)
        for c in cols:  # the others get their natural width back
            c.width = max([len(c.header), *(len(x) for x in c.cells)])
        return True

    while True:
        _shrink(cols, width, total, COMFORTABLE_TEXT, COMFORTABLE_PROSE)
        if total() <= width or not drop([c for c in cols[1:] if c.spec.level == 2]):
            break
    while True:
        _shrink(cols, width, total, MIN_TEXT, MIN_PROSE)
        if total() <= width or not drop([c for c in cols[1:] if c.kind != "key"]):
            break
    return cols, dropped


def _shrink(cols: list[_Column], width: int, total, text: int, prose: int) -> None:
    """Narrow the widest text or prose column, one character at a time, down to the given
    floors, until the table fits."""
    while total() > width:
        shrinkable = [
            c
            for c in cols
            if (c.kind == "text" and c.width > max(text, len(c.header)))
            or (c.kind == "prose" and c.width > max(prose, len(c.header)))
        ]
        if not shrinkable:
            return
        max(shrinkable, key=lambda c: c.width).width -= 1


# -- progress ----------------------------------------------------------------------------------


@contextmanager
def working(message: str) -> Iterator[None]:
    """A spinner on stderr while something that can take more than two seconds runs.

    Shown only on a terminal: piped output and logs stay clean.
    """
    if not err.is_terminal:
        yield
        return
    with err.status(Text(message)):
        yield


def fail(message: str, code: int = 2):
    """Print a clear error and exit (code 2: an expected failure, see allegiance.cli.main)."""
    import typer

    text = "; ".join(line.strip() for line in str(message).splitlines() if line.strip())
    err.print(f"error: {text.replace(':;', ':')}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)
