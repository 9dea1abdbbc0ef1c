"""agree, align, cohesion, matrix: alignment measured from votes."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import Format, emit, fail
from allegiance.store.store import ISSUE_CODES, UN_ATTRIBUTION


class Measure(str, Enum):
    voeten = "voeten"
    coincidence = "coincidence"
    kappa = "kappa"
    pi = "pi"
    s = "s"


class By(str, Enum):
    year = "year"
    session = "session"


MeasureOpt = typer.Option(
    Measure.voeten, "--measure",
    help="voeten (default): 1-|v1-v2|/2 over shared yes/abstain/no; coincidence: US State "
    "Department identical/(identical+opposite), yes/no only; kappa, pi: chance-corrected "
    "(Häge 2011); s: Signorino-Ritter S.",
)  # fmt: skip
ByOpt = typer.Option(By.year, "--by", help="Periods: calendar year (default) or session.")
FromOpt = typer.Option(None, "--from", help="First year (inclusive). Default: 1946.")
ToOpt = typer.Option(None, "--to", help="Last year (inclusive). Default: the latest vote.")
IssueOpt = typer.Option(
    None,
    "--issue",
    help="Only roll calls on one issue: " + ", ".join(f"{k} ({v})" for k, v in ISSUE_CODES.items()),
)
ImportantOpt = typer.Option(False, "--important", help="Only US State Department important votes.")
ResolutionsOpt = typer.Option(
    False,
    "--resolutions-only",
    help="Only votes on whole resolutions (default: amendments and paragraph votes too).",
)
UnanimousOpt = typer.Option(
    False, "--drop-unanimous", help="Drop roll calls on which every voter agreed (default: keep)."
)
MinNOpt = typer.Option(10, "--min-n", help="Flag values resting on fewer roll calls (default 10).")
FormatOpt = typer.Option(Format.table, "--format")
OutOpt = typer.Option(None, "--out", help="Write to this file (csv or json).")


def _selection(by, since, until, issue, important, resolutions_only, drop_unanimous) -> dict:
    return dict(by=by.value, since=since, until=until, issue=issue, important=important,
                resolutions_only=resolutions_only, drop_unanimous=drop_unanimous)  # fmt: skip


@app.command()
def agree(
    a: str = typer.Argument(..., help="ISO3 code of a state (or EU)."),
    b: str = typer.Argument(..., help="ISO3 code of another state (or EU)."),
    measure: Measure = MeasureOpt, by: By = ByOpt, since: int = FromOpt, until: int = ToOpt,
    issue: str = IssueOpt, important: bool = ImportantOpt, resolutions_only: bool = ResolutionsOpt,
    drop_unanimous: bool = UnanimousOpt, min_n: int = MinNOpt, fmt: Format = FormatOpt,
    out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """How often two states vote alike, per period (CSV columns: period, value, n, sparse)."""
    store = open_store(db)
    try:
        frame = store.agreement(a, b, measure=measure.value, min_n=min_n,
                                **_selection(by, since, until, issue, important, resolutions_only, drop_unanimous))  # fmt: skip
    except ValueError as exc:
        fail(str(exc))
    emit(frame, fmt, title=f"{measure.value} agreement of {a.upper()} and {b.upper()}",
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip


@app.command()
def align(
    state: str = typer.Argument(..., help="ISO3 code of the state."),
    poles: str = typer.Option("RUS,USA,CHN,TUR,EU", "--poles", help="Comma-separated poles."),
    measure: Measure = MeasureOpt, by: By = ByOpt, since: int = FromOpt, until: int = ToOpt,
    issue: str = IssueOpt, important: bool = ImportantOpt, resolutions_only: bool = ResolutionsOpt,
    drop_unanimous: bool = UnanimousOpt, min_n: int = MinNOpt, fmt: Format = FormatOpt,
    out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """A state's agreement with each pole per period and the closest pole.

    CSV columns: period, one per pole, closest, n, sparse. Russia is the USSR before 1992;
    China is the PRC from 1971; EU is the majority vote of the members on the vote's date.
    """
    store = open_store(db)
    pole_list = [p.strip().upper() for p in poles.split(",") if p.strip()]
    try:
        frame = store.alignment(state, poles=pole_list, measure=measure.value, min_n=min_n,
                                **_selection(by, since, until, issue, important, resolutions_only, drop_unanimous))  # fmt: skip
    except ValueError as exc:
        fail(str(exc))
    if fmt != Format.json:
        frame = frame[["period", *pole_list, "closest", "n", "sparse"]]
    emit(frame, fmt, title=f"{measure.value} agreement of {state.upper()} with the poles",
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip


@app.command()
def cohesion(
    region: str = typer.Option(None, "--region", help="post-soviet, central-asia, eu, nato, csto, ..."),
    states: str = typer.Option(None, "--states", help="Comma-separated ISO3 codes."),
    by: By = ByOpt, since: int = FromOpt, until: int = ToOpt, issue: str = IssueOpt,
    important: bool = ImportantOpt, resolutions_only: bool = ResolutionsOpt,
    drop_unanimous: bool = UnanimousOpt, fmt: Format = FormatOpt, out: Path = OutOpt,
    db: Path = DbOption,
) -> None:  # fmt: skip
    """How alike a bloc votes, per period: the Hix-Noury-Roland agreement index (ai), the
    share of roll calls on which all voting members agreed, and n."""
    if (region is None) == (states is None):
        fail("give --region NAME or --states A,B,C")
    store = open_store(db)
    try:
        frame = store.cohesion(states=states.split(",") if states else None, region=region,
                               **_selection(by, since, until, issue, important, resolutions_only, drop_unanimous))  # fmt: skip
    except ValueError as exc:
        fail(str(exc))
    emit(frame, fmt, title=f"Cohesion of {region or states}", attribution=UN_ATTRIBUTION, out=out)


@app.command()
def matrix(
    year: int = typer.Option(..., "--year", help="The year."),
    measure: Measure = MeasureOpt,
    map_: bool = typer.Option(False, "--map", help="Print the 2-D MDS map (state, x, y) instead."),
    fmt: Format = typer.Option(Format.csv, "--format"),
    out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """The state x state agreement matrix of one year (default CSV), or its 2-D map."""
    store = open_store(db)
    try:
        frame = (
            store.matrix_map(year, measure.value)
            if map_
            else store.matrix(year, measure.value).reset_index()
        )
    except ValueError as exc:
        fail(str(exc))
    emit(
        frame, fmt, title=f"{measure.value} agreement, {year}", attribution=UN_ATTRIBUTION, out=out
    )
