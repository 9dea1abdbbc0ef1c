"""index: the influence index of every state towards every pole per year, in one table."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance._lazy import lazy
from allegiance.cli.app import DbOption, SinceOpt, UntilOpt, app, open_store
from allegiance.cli.output import Format, emit

panel = lazy("allegiance.analysis.influence.panel")
sourcing = lazy("allegiance.analysis.sourcing")


@app.command("index")
def index_(
    pole: str = typer.Option(None, "--pole", help="Only this pole (or comma-separated poles): "
                             "RUS, USA, CHN, TUR, EU. Default: all five."),
    states: str = typer.Option(None, "--states", help="Only these states (comma-separated ISO3 "
                               "codes or names). Default: every UN member of each year."),
    since: str = SinceOpt, until: str = UntilOpt,
    weights: Path = typer.Option(
        None, "--weights", help="JSON or TOML file of channel weights (docs/influence.md).",
        exists=True, dir_okay=False,
    ),
    fmt: Format = typer.Option(Format.table, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file (.csv, .json or .parquet)."),
    db: Path = DbOption,
) -> None:  # fmt: skip
    """The influence index per state, pole and year, with its band, channels and standing.

    Columns: state, pole, year, index, lower, upper, n_channels, channels, imputed (the
    channels filled in), status (in sphere, outside, contested, insufficient data, or is
    a pole), and one contrib_<channel> per channel in CSV and JSON. Default: 1992 to the
    latest year with votes.
    """
    store = open_store(db)
    frame = panel.index_panel(store, poles=pole, states=states, since=since, until=until,
                              weights=None if weights is None else str(weights))  # fmt: skip
    span = f"{frame['year'].min()}-{frame['year'].max()}" if len(frame) else ""
    title = f"Influence index {span}: {frame['state'].nunique()} states x {frame['pole'].nunique()} poles"
    attribution = " ".join(sourcing.cite(frame).splitlines())
    if fmt == Format.table and out is None:
        frame = frame[panel.PANEL_COLUMNS]
    emit(frame, fmt, title=title, attribution=attribution, out=out)
