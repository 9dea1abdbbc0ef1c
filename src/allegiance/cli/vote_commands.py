"""votes: how each state voted on one resolution."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app, open_store, split
from allegiance.cli.output import Format, Rows, emit


@app.command()
def votes(
    symbol: str = typer.Argument(..., help="Resolution symbol, e.g. A/RES/ES-11/1 or ES-11/1."),
    region: str = typer.Option(
        None,
        "--region",
        help="post-soviet, eu, central-asia, south-caucasus, baltic, europe, asia, ...",
    ),
    states: str = typer.Option(None, "--states", help="Comma-separated ISO3 codes or names."),
    fmt: Format = typer.Option(Format.table, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file (.csv, .json or .parquet)."),
    db: Path = DbOption,
) -> None:
    """How each state voted on one roll call (CSV columns: state, name, vote)."""
    from allegiance.analysis.votes import vote_rows

    store = open_store(db)
    about, columns, rows = vote_rows(store, symbol, region=region, states=split(states))
    title = f"{about['symbol']} ({about['date']:%d %B %Y}): {about['title']}"
    if fmt == Format.table:
        counts: dict[str, int] = {}
        for row in rows:
            counts[row[2]] = counts.get(row[2], 0) + 1
        title += "\n" + ", ".join(f"{k}: {v}" for k, v in counts.items())
    emit(Rows(columns, rows), fmt, title=title, attribution=about["attribution"], out=out)
