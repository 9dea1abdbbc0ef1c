"""ideal: ideal points per state and year (or session) on one scale, with intervals."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import Format, console, emit, fail
from allegiance.store.store import ISSUE_CODES, UN_ATTRIBUTION


class By(str, Enum):
    year = "year"
    session = "session"


class Votes(str, Enum):
    final = "final"
    all = "all"


@app.command()
def ideal(
    since: int = typer.Option(
        None,
        "--since",
        "--from",
        help="First year shown (the fit uses every year unless --fit-window).",
    ),  # fmt: skip
    until: int = typer.Option(None, "--until", "--to", help="Last year shown."),
    states: str = typer.Option(
        None, "--states", help="Comma-separated ISO3 codes to show (default: all)."
    ),
    by: By = typer.Option(By.year, "--by", help="Periods: calendar year (default) or session."),
    votes: Votes = typer.Option(
        Votes.all,
        "--votes",
        help="all (default): every recorded vote, amendments and paragraphs included; "
        "final: votes on whole resolutions only.",
    ),  # fmt: skip
    issue: str = typer.Option(
        None,
        "--issue",
        help="Fit on one issue only: " + ", ".join(f"{k} ({v})" for k, v in ISSUE_CODES.items()),
    ),
    smoothing: float = typer.Option(
        0.1,
        "--smoothing",
        help="Variance of a state's yearly step, as a share of the spread of all states "
        "(default 0.05; see docs/ideal_points.md).",
    ),  # fmt: skip
    ci: float = typer.Option(0.95, "--ci", help="Coverage of lower/upper (default 0.95)."),
    fit_window: bool = typer.Option(
        False, "--fit-window", help="Fit only on the votes between --since and --until."
    ),
    diagnostics: bool = typer.Option(
        False,
        "--diagnostics",
        help="Show how the fit went instead of the estimates: convergence, bridging items "
        "between successive periods, spread of the estimates per period.",
    ),  # fmt: skip
    refresh: bool = typer.Option(False, "--refresh", help="Refit even if cached results exist."),
    fmt: Format = typer.Option(Format.table, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file (csv or json)."),
    db: Path = DbOption,
) -> None:
    """Where each state stands each year on one scale (United States positive).

    Columns: state, year (or session), estimate, lower, upper, n_votes. The scale is shared
    by all years: resolutions that return from one session to the next keep their
    parameters. Results are cached in the store with the settings that produced them.
    """
    if not 0 < ci < 1:
        fail(f"--ci must be between 0 and 1, got {ci}")
    store = open_store(db)
    try:
        with console.status("fitting ideal points (cached after the first run)"):
            frame = store.ideal_points(
                since=since if fit_window else None,
                until=until if fit_window else None,
                by=by.value, votes=votes.value, issue=issue, smoothing=smoothing, ci=ci,
                states=states.split(",") if states else None, refresh=refresh,
            )  # fmt: skip
    except ValueError as exc:
        fail(str(exc))
    if diagnostics:
        _diagnostics(frame, by.value, since, until, fmt, out)
        return
    if by == By.year:
        if since is not None:
            frame = frame[frame["year"] >= since]
        if until is not None:
            frame = frame[frame["year"] <= until]
    emit(frame.reset_index(drop=True), fmt, title="Ideal points (dynamic ordinal IRT)",
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip


def _diagnostics(frame, by: str, since, until, fmt: Format, out) -> None:
    """One table per period: bridging items to the next period and the spread."""
    from allegiance.measures.ideal_points import diagnostics_table

    d = frame.attrs["diagnostics"]
    table = diagnostics_table(d, by)
    if by == "year":
        if since is not None:
            table = table[table["year"] >= since]
        if until is not None:
            table = table[table["year"] <= until]
    summary = (
        f"{'converged' if d['converged'] else 'NOT converged'} after {d['n_iter']} EM sweeps; "
        f"{d['n_roll_calls']} roll calls, {d['n_lopsided']} left out as lopsided; "
        f"{d['n_items']} items, {d['n_bridging_items']} of them bridging periods; "
        f"fit {d['fit_seconds']:.1f} s, intervals {d['interval_seconds']:.1f} s"
    )
    if fmt == Format.table:
        console.print(summary)
    emit(table.reset_index(drop=True), fmt, title="Ideal points: diagnostics per period",
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip
