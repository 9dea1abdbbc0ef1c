"""ideal: dynamic ideal points per state and session."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance import issues as issues_
from allegiance.cli.app import DbOption, app, open_store, split
from allegiance.cli.output import Format, console, emit
from allegiance.dates import parse_year
from allegiance.store.store import UN_ATTRIBUTION


@app.command()
def ideal(
    since: str = typer.Option(
        None, "--since", help="First year shown (the fit uses every year unless --fit-window)."
    ),
    until: str = typer.Option(None, "--until", help="Last year shown."),
    states: str = typer.Option(
        None, "--states", help="Comma-separated ISO3 codes or names to show (default: all)."
    ),
    issue: str = typer.Option(
        None, "--issue", help="Fit on one issue only: " + ", ".join(issues_.issues())
    ),
    smoothing: float = typer.Option(
        0.1, "--smoothing", help="Random-walk variance per session (default 0.1)."
    ),
    bootstrap: int = typer.Option(
        0, "--bootstrap", help="Parametric bootstrap replicates for intervals (default 0)."
    ),
    seed: int = typer.Option(0, "--seed", help="random_state of the bootstrap (default 0)."),
    static: bool = typer.Option(
        False, "--static", help="Independent ideal points per session (no random walk)."
    ),
    fit_window: bool = typer.Option(
        False, "--fit-window", help="Fit only on the votes between --since and --until."
    ),
    refresh: bool = typer.Option(False, "--refresh", help="Refit even if cached results exist."),
    fmt: Format = typer.Option(Format.table, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file (.csv, .json or .parquet)."),
    db: Path = DbOption,
) -> None:
    """Where each state stands each session on one scale (United States positive).

    Columns: state, session, year, estimate, lower, upper, n_votes. Results are cached
    beside the store with the settings that produced them.
    """
    store = open_store(db)
    first = None if since is None else parse_year(since, "since")
    last = None if until is None else parse_year(until, "until")
    from allegiance.analysis.ideal import ideal_points

    with console.status("fitting ideal points (cached after the first run)"):
        frame = ideal_points(
            store,
            since=first if fit_window else None,
            until=last if fit_window else None,
            states=split(states),
            issue=issue, smoothing=smoothing, n_bootstrap=bootstrap, random_state=seed,
            dynamic=not static, refresh=refresh,
        )  # fmt: skip
    if first is not None:
        frame = frame[frame["year"] >= first]
    if last is not None:
        frame = frame[frame["year"] <= last]
    emit(frame.reset_index(drop=True), fmt, title="Ideal points (dynamic ordinal IRT)",
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip
