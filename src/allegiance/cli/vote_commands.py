"""votes: how each state voted on one resolution."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import Format, emit, fail


@app.command()
def votes(
    symbol: str = typer.Argument(..., help="Resolution symbol, e.g. A/RES/ES-11/1 or ES-11/1."),
    region: str = typer.Option(
        None,
        "--region",
        help="post-soviet, eu, central-asia, south-caucasus, baltic, europe, asia, ...",
    ),
    states: str = typer.Option(None, "--states", help="Comma-separated ISO3 codes."),
    fmt: Format = typer.Option(Format.table, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file (csv or json)."),
    db: Path = DbOption,
) -> None:
    """How each state voted on one roll call (CSV columns: state, name, vote)."""
    from allegiance.store.store import UnknownRollCallError

    store = open_store(db)
    try:
        frame = store.votes(symbol, region=region, states=states.split(",") if states else None)
    except (UnknownRollCallError, ValueError) as exc:
        fail(str(exc))
    a = frame.attrs
    title = f"{a['symbol']} ({a['date']:%d %B %Y}): {a['title']}"
    counts = frame["vote"].value_counts().to_dict()
    if fmt == Format.table:
        title += "\n" + ", ".join(f"{k}: {v}" for k, v in counts.items())
    emit(frame, fmt, title=title, attribution=a["attribution"], out=out)
