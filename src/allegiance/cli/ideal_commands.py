"""ideal: ideal points per state and year (or session) on one scale, with intervals."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from allegiance import issues as issues_
from allegiance.cli import validate
from allegiance.cli.app import DbOption, WideOpt, app, open_store
from allegiance.cli.output import Col, Format, console, emit, working
from allegiance.store.store import UN_ATTRIBUTION


class By(str, Enum):
    year = "year"
    session = "session"


class Votes(str, Enum):
    final = "final"
    all = "all"


@app.command()
def ideal(
    since: str = typer.Option(
        None,
        "--since",
        help="First year shown (the fit uses every year unless --fit-window); with "
        "--by session, the first session that opened in that year or later.",
    ),
    until: str = typer.Option(
        None,
        "--until",
        help="Last year shown; with --by session, the last session that opened by then.",
    ),
    states: str = typer.Option(
        None, "--states", help="Comma-separated ISO3 codes or names to show (default: all)."
    ),
    by: By = typer.Option(By.year, "--by", help="Periods: calendar year (default) or session."),
    votes: Votes = typer.Option(
        Votes.all,
        "--votes",
        help="all (default): every recorded vote, amendments and paragraphs included; "
        "final: votes on whole resolutions only.",
    ),  # fmt: skip
    issue: str = typer.Option(
        None, "--issue", help="Fit on one issue only: " + ", ".join(issues_.issues())
    ),
    smoothing: float = typer.Option(
        0.05,
        "--smoothing",
        help="Variance of a state's yearly step, as a share of the spread of all states "
        "(default 0.05; see docs/ideal_points.md).",
    ),  # fmt: skip
    ci: float = typer.Option(0.95, "--ci", help="Coverage of lower/upper (default 0.95)."),
    fit_window: bool = typer.Option(
        False, "--fit-window", help="Fit only on the votes between --since and --until."
    ),
    refresh: bool = typer.Option(False, "--refresh", help="Refit even if cached results exist."),
    diagnostics: bool = typer.Option(
        False,
        "--diagnostics",
        help="Show how the fit went instead of the estimates: convergence, bridging items "
        "between successive periods, spread of the estimates per period.",
    ),  # fmt: skip
    fmt: Format = typer.Option(Format.table, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file (.csv, .json or .parquet)."),
    wide: bool = WideOpt,
    db: Path = DbOption,
) -> None:
    """Where each state stands each year on one scale (United States positive).

    Columns: state, year (or session), estimate, lower, upper, n_votes. The scale is shared
    by all years: resolutions that return from one session to the next keep their
    parameters. Results are cached beside the store with the settings that produced them.
    """
    fmt = validate.output(fmt, out)
    validate.window(since, until)
    first, last = validate.year(since, "--since"), validate.year(until, "--until")
    validate.issue(issue)
    codes = validate.states(states)
    validate.between(smoothing, 1e-6, 100.0, "--smoothing")
    validate.between(ci, 0.01, 0.999, "--ci")
    store = open_store(db)
    from allegiance.analysis.ideal import ideal_points, in_years

    with working("fitting ideal points (cached beside the store after the first run)"):
        frame = ideal_points(
            store,
            since=first if fit_window else None,
            until=last if fit_window else None,
            by=by.value, votes=votes.value, issue=issue, smoothing=smoothing, ci=ci,
            states=codes, refresh=refresh,
        )  # fmt: skip
    if diagnostics:
        _diagnostics(frame, by.value, first, last, fmt, out, wide)
        return
    frame = in_years(frame, by.value, first, last)
    # Ideal points are on a scale whose unit is the spread of the states: two decimals.
    view = [Col("state"), Col(by.value), Col("estimate", fmt="{:+.2f}"),
            Col("lower", fmt="{:+.2f}"), Col("upper", fmt="{:+.2f}"), Col("n_votes", "votes")]  # fmt: skip
    emit(frame.reset_index(drop=True), fmt, title="Ideal points (dynamic ordinal IRT)",
         attribution=UN_ATTRIBUTION, out=out, view=view, wide=wide)  # fmt: skip


def _diagnostics(frame, by: str, since, until, fmt: Format, out, wide) -> None:
    """One table per period: bridging items to the next period and the spread."""
    from allegiance.measures.ideal_points import diagnostics_table

    d = frame.attrs["diagnostics"]
    from allegiance.analysis.ideal import in_years

    table = in_years(diagnostics_table(d, by), by, since, until)
    reference = "-".join(map(str, d["reference"] or ["all"]))
    prior = (
        f"learned from the reference {by}s"
        if d["discrimination_var_learned"]
        else "fixed, as in Bailey, Strezhnev and Voeten's estimates"
    )
    summary = (
        f"{'converged' if d['converged'] else 'NOT converged'} after {d['n_iter']} EM sweeps; "
        f"{d['n_roll_calls']} roll calls, {d['n_lopsided']} left out as lopsided; "
        f"{d['n_items']} items, {d['n_bridging_items']} of them bridging periods; "
        f"scale: mean 0 and variance 1 over the reference {by}s {reference}; "
        f"prior variance of the discriminations {d['discrimination_var']:.2f} ({prior}); "
        f"fit {d['fit_seconds']:.1f} s, intervals {d['interval_seconds']:.1f} s"
    )
    if fmt == Format.table:
        console.print(summary, markup=False)
    emit(table.reset_index(drop=True), fmt, title="Ideal points: diagnostics per period",
         attribution=UN_ATTRIBUTION, out=out, wide=wide)  # fmt: skip
