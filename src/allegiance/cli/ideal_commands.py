"""ideal: dynamic ideal points per state and session."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import Format, console, emit, fail
from allegiance.store.store import ISSUE_CODES, UN_ATTRIBUTION


@app.command()
def ideal(
    since: int = typer.Option(
        None, "--from", help="First year shown (the fit uses every year unless --fit-window)."
    ),
    until: int = typer.Option(None, "--to", help="Last year shown."),
    states: str = typer.Option(
        None, "--states", help="Comma-separated ISO3 codes to show (default: all)."
    ),
    issue: str = typer.Option(
        None, "--issue", help="Fit on one issue only: " + ", ".join(ISSUE_CODES)
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
        False, "--fit-window", help="Fit only on the votes between --from and --to."
    ),
    refresh: bool = typer.Option(False, "--refresh", help="Refit even if cached results exist."),
    fmt: Format = typer.Option(Format.table, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file (csv or json)."),
    db: Path = DbOption,
) -> None:
    """Where each state stands each session on one scale (United States positive).

    Columns: state, period (session), year, estimate, lower, upper, n_votes. Results are
    cached in the store with the settings that produced them.
    """
    store = open_store(db)
    try:
        with console.status("fitting ideal points (cached after the first run)"):
            frame = store.ideal_points(
                since=since if fit_window else None,
                until=until if fit_window else None,
                states=states.split(",") if states else None,
                issue=issue, smoothing=smoothing, n_bootstrap=bootstrap, random_state=seed,
                dynamic=not static, refresh=refresh,
            )  # fmt: skip
    except ValueError as exc:
        fail(str(exc))
    if since is not None:
        frame = frame[frame["year"] >= since]
    if until is not None:
        frame = frame[frame["year"] <= until]
    emit(frame.reset_index(drop=True), fmt, title="Ideal points (dynamic ordinal IRT)",
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip
