"""agree, align, cohesion, matrix: alignment measured from votes."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from allegiance import issues as issues_
from allegiance._lazy import lazy
from allegiance.cli.app import DbOption, SinceOpt, UntilOpt, app, open_store, split
from allegiance.cli.output import Format, emit
from allegiance.store.store import UN_ATTRIBUTION

api = lazy("allegiance.analysis.alignment")


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
IssueOpt = typer.Option(
    None,
    "--issue",
    help="Only roll calls on one issue: "
    + ", ".join(f"{k} ({v.label})" for k, v in issues_.issues().items()),
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
OutOpt = typer.Option(None, "--out", help="Write to this file (.csv, .json or .parquet).")


def _selection(by, since, until, issue, important, resolutions_only, drop_unanimous) -> dict:
    return dict(by=by.value, since=since, until=until, issue=issue, important=important,
                resolutions_only=resolutions_only, drop_unanimous=drop_unanimous)  # fmt: skip


@app.command()
def agree(
    state: str = typer.Argument(..., help="ISO3 code or name of a state (or a pole: RUS, EU...)."),
    partner: str = typer.Argument(..., help="Another state or pole."),
    measure: Measure = MeasureOpt, by: By = ByOpt, since: str = SinceOpt, until: str = UntilOpt,
    issue: str = IssueOpt, important: bool = ImportantOpt, resolutions_only: bool = ResolutionsOpt,
    drop_unanimous: bool = UnanimousOpt, min_n: int = MinNOpt, fmt: Format = FormatOpt,
    out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """How often two states vote alike, per year or session.

    CSV columns: state, partner, year (or session), agreement, n, sparse.
    """
    store = open_store(db)
    frame = api.agreement(store, state, partner, measure=measure.value, min_n=min_n,
                          **_selection(by, since, until, issue, important, resolutions_only, drop_unanimous))  # fmt: skip
    a, b = frame["state"].iloc[0], frame["partner"].iloc[0]
    emit(frame, fmt, title=f"{measure.value} agreement of {a} and {b}",
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip


@app.command()
def align(
    state: str = typer.Argument(..., help="ISO3 code or name of the state."),
    poles: str = typer.Option("RUS,USA,CHN,TUR,EU", "--poles", help="Comma-separated poles."),
    closest_by: Measure = typer.Option(
        Measure.kappa, "--closest-by", help="The measure that names the closest pole (default "
        "kappa, chance-corrected, as in the index's votes channel).",
    ),
    measure: Measure = MeasureOpt, by: By = ByOpt, since: str = SinceOpt, until: str = UntilOpt,
    issue: str = IssueOpt, important: bool = ImportantOpt, resolutions_only: bool = ResolutionsOpt,
    drop_unanimous: bool = UnanimousOpt, min_n: int = MinNOpt, fmt: Format = FormatOpt,
    out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """A state's agreement with each pole per year (or session) and the closest pole.

    CSV columns: state, year, one per pole, closest, n, sparse. Russia is the USSR before
    1992; China is the PRC from 1971; EU is the majority vote of the members on the vote's
    date. Years before the state joined the UN are left out. The closest pole is named on
    --closest-by (kappa by default), whatever --measure the table shows.
    """
    store = open_store(db)
    frame = api.alignment(store, state, poles=split(poles), measure=measure.value, min_n=min_n,
                          closest_by=closest_by.value,
                          **_selection(by, since, until, issue, important, resolutions_only, drop_unanimous))  # fmt: skip
    pole_list = [c for c in frame.columns if f"n_{c}" in frame.columns]
    if fmt != Format.json:
        frame = frame[["state", by.value, *pole_list, "closest", "n", "sparse"]]
    emit(frame, fmt, title=f"{measure.value} agreement of {frame['state'].iloc[0]} with the poles "
         f"(closest by {closest_by.value})",
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip


@app.command()
def cohesion(
    region: str = typer.Option(None, "--region", help="post-soviet, central-asia, eu, nato, csto, ..."),
    states: str = typer.Option(None, "--states", help="Comma-separated ISO3 codes or names."),
    by: By = ByOpt, since: str = SinceOpt, until: str = UntilOpt, issue: str = IssueOpt,
    important: bool = ImportantOpt, resolutions_only: bool = ResolutionsOpt,
    drop_unanimous: bool = UnanimousOpt, fmt: Format = FormatOpt, out: Path = OutOpt,
    db: Path = DbOption,
) -> None:  # fmt: skip
    """How alike a bloc votes, per year: the Hix-Noury-Roland agreement index (ai), the
    share of roll calls on which all voting members agreed, and n."""
    if (region is None) == (states is None):
        raise typer.BadParameter("give --region NAME or --states A,B,C")
    store = open_store(db)
    frame = api.cohesion(store, states=split(states), region=region,
                         **_selection(by, since, until, issue, important, resolutions_only, drop_unanimous))  # fmt: skip
    emit(frame, fmt, title=f"Cohesion of {region or states}", attribution=UN_ATTRIBUTION, out=out)


@app.command()
def matrix(
    year: int = typer.Option(..., "--year", help="The year."),
    measure: Measure = MeasureOpt,
    region: str = typer.Option(None, "--region", help="Only the members of a region on 1 July."),
    states: str = typer.Option(None, "--states", help="Only these states (ISO3 codes or names)."),
    map_: bool = typer.Option(False, "--map", help="Print the 2-D MDS map (state, x, y) instead."),
    fmt: Format = typer.Option(Format.csv, "--format"),
    out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """The state x state agreement matrix of one year (default CSV), or its 2-D map."""
    store = open_store(db)
    kw = dict(states=split(states), region=region)
    frame = (
        api.matrix_map(store, year, measure.value, **kw)
        if map_
        else api.matrix(store, year, measure.value, **kw).reset_index()
    )
    emit(
        frame, fmt, title=f"{measure.value} agreement, {year}", attribution=UN_ATTRIBUTION, out=out
    )
