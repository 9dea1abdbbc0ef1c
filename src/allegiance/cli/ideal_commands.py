"""ideal: dynamic ideal points per state and session."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance import issues as issues_
from allegiance.cli import validate
from allegiance.cli.app import DbOption, WideOpt, app, open_store
from allegiance.cli.output import Col, Format, emit, working
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
    wide: bool = WideOpt,
    db: Path = DbOption,
) -> None:
    """Where each state stands each session on one scale (United States positive).

    Columns: state, session, year, estimate, lower, upper, n_votes. Results are cached
    beside the store with the settings that produced them.
    """
    fmt = validate.output(fmt, out)
    validate.window(since, until)
    first, last = validate.year(since, "--since"), validate.year(until, "--until")
    validate.issue(issue)
    codes = validate.states(states)
    validate.at_least(bootstrap, 0, "--bootstrap")
    validate.between(smoothing, 1e-6, 100.0, "--smoothing")
    store = open_store(db)
    from allegiance.analysis.ideal import ideal_points

    with working("fitting ideal points (cached beside the store after the first run)"):
        frame = ideal_points(
            store,
            since=first if fit_window else None,
            until=last if fit_window else None,
            states=codes,
            issue=issue, smoothing=smoothing, n_bootstrap=bootstrap, random_state=seed,
            dynamic=not static, refresh=refresh,
        )  # fmt: skip
    if first is not None:
        frame = frame[frame["year"] >= first]
    if last is not None:
        frame = frame[frame["year"] <= last]
    # Ideal points are on a scale whose unit is the spread of the states: two decimals.
    view = [Col("state"), Col("session"), Col("year"), Col("estimate", fmt="{:+.2f}"),
            Col("lower", fmt="{:+.2f}"), Col("upper", fmt="{:+.2f}"), Col("n_votes", "votes")]  # fmt: skip
    emit(frame.reset_index(drop=True), fmt, title="Ideal points (dynamic ordinal IRT)",
         attribution=UN_ATTRIBUTION, out=out, view=view, wide=wide)  # fmt: skip
