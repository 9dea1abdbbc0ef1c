"""agree, align, cohesion, matrix: alignment measured from votes."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from allegiance import issues as issues_
from allegiance._lazy import lazy
from allegiance.cli import validate
from allegiance.cli.app import DbOption, SinceOpt, UntilOpt, WideOpt, app, open_store
from allegiance.cli.output import Col, Format, emit, working
from allegiance.errors import BadInputError
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
FormatOpt = typer.Option(Format.table, "--format", help="table (default), csv, json or parquet.")
OutOpt = typer.Option(
    None, "--out", help="Write to this file; .csv, .json or .parquet sets the format."
)
MatrixStatesOpt = typer.Option(None, "--states", help="Only these states (ISO3 codes or names).")

#: Agreement is a share of roll calls: two decimals are what a year of ~90 votes supports.
SHARE = "{:.2f}"
SPARSE_NOTE = "sparse: fewer than {min_n} roll calls; such values move a lot with one vote."


def _sparse(frame, min_n: int) -> str | None:
    """The note on sparse values, when a row is sparse."""
    return SPARSE_NOTE.format(min_n=min_n) if frame["sparse"].any() else None


def _selection(by, since, until, issue, important, resolutions_only, drop_unanimous) -> dict:
    return dict(by=by.value, since=since, until=until, issue=issue, important=important,
                resolutions_only=resolutions_only, drop_unanimous=drop_unanimous)  # fmt: skip


def _checked(fmt, out, since, until, issue) -> tuple[Format, object]:
    """Check the options every alignment command shares; the day names are read on."""
    from allegiance.dates import parse_date

    fmt = validate.output(fmt, out)
    validate.window(since, until)
    validate.issue(issue)
    return fmt, (None if until is None else parse_date(until, end=True, what="until"))


@app.command()
def agree(
    state: str = typer.Argument(..., help="ISO3 code or name of a state (or a pole: RUS, EU...)."),
    partner: str = typer.Argument(..., help="Another state or pole."),
    measure: Measure = MeasureOpt, by: By = ByOpt, since: str = SinceOpt, until: str = UntilOpt,
    issue: str = IssueOpt, important: bool = ImportantOpt, resolutions_only: bool = ResolutionsOpt,
    drop_unanimous: bool = UnanimousOpt, min_n: int = MinNOpt, fmt: Format = FormatOpt,
    out: Path = OutOpt, wide: bool = WideOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """How often two states vote alike, per year or session.

    Columns: state, partner, year (or session), agreement, n, sparse. Years before a
    state joined the UN are left out.
    """
    fmt, on = _checked(fmt, out, since, until, issue)
    validate.at_least(min_n, 1, "--min-n")
    a, b = validate.side(state, on), validate.side(partner, on)
    store = open_store(db)
    frame = api.agreement(store, a, b, measure=measure.value, min_n=min_n,
                          **_selection(by, since, until, issue, important, resolutions_only, drop_unanimous))  # fmt: skip
    view = [Col("state", level=3), Col("partner", level=3), Col(by.value),
            Col("agreement", fmt=SHARE), Col("n"), Col("sparse")]  # fmt: skip
    emit(frame, fmt, title=f"{measure.value} agreement of {a} and {b}", view=view, wide=wide,
         attribution=UN_ATTRIBUTION, out=out, note=_sparse(frame, min_n))  # fmt: skip


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
    out: Path = OutOpt, wide: bool = WideOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """A state's agreement with each pole per year (or session) and the closest pole.

    Columns: state, year, one per pole, closest, n, sparse. Russia is the USSR before
    1992; China is the PRC from 1971; EU is the majority vote of the members on the vote's
    date. Years before the state joined the UN are left out. The closest pole is named on
    --closest-by (kappa by default), whatever --measure the table shows.
    """
    fmt, on = _checked(fmt, out, since, until, issue)
    validate.at_least(min_n, 1, "--min-n")
    pole_list = validate.poles(poles)
    code = validate.state(state, on)
    store = open_store(db)
    with working("measuring agreement with the poles"):
        frame = api.alignment(store, code, poles=pole_list, measure=measure.value, min_n=min_n,
                              closest_by=closest_by.value,
                              **_selection(by, since, until, issue, important, resolutions_only, drop_unanimous))  # fmt: skip
    shown = [c for c in frame.columns if f"n_{c}" in frame.columns]
    if fmt not in (Format.json, Format.table):
        frame = frame[["state", by.value, *shown, "closest", "n", "sparse"]]
    view = [Col("state", level=3), Col(by.value), *(Col(p, fmt=SHARE) for p in shown),
            Col("closest"), Col("n"), Col("sparse"),
            *(Col(f"n_{p}", level=3) for p in shown)]  # fmt: skip
    emit(frame, fmt, title=f"{measure.value} agreement of {code} with the poles (closest by {closest_by.value})",
         view=view,
         wide=wide, attribution=UN_ATTRIBUTION, out=out,
         note=_sparse(frame, min_n))  # fmt: skip


@app.command()
def cohesion(
    region: str = typer.Option(None, "--region", help="post-soviet, central-asia, eu, nato, csto, ..."),
    states: str = typer.Option(None, "--states", help="Comma-separated ISO3 codes or names."),
    by: By = ByOpt, since: str = SinceOpt, until: str = UntilOpt, issue: str = IssueOpt,
    important: bool = ImportantOpt, resolutions_only: bool = ResolutionsOpt,
    drop_unanimous: bool = UnanimousOpt, fmt: Format = FormatOpt, out: Path = OutOpt,
    wide: bool = WideOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """How alike a bloc votes, per year: the Hix-Noury-Roland agreement index (ai).

    Also the share of roll calls on which all voting members agreed, and n.
    """
    if (region is None) == (states is None):
        raise BadInputError("give --region NAME or --states A,B,C (one of them)")
    fmt, on = _checked(fmt, out, since, until, issue)
    validate.region(region)
    codes = validate.states(states, on)
    store = open_store(db)
    frame = api.cohesion(store, states=codes, region=region,
                         **_selection(by, since, until, issue, important, resolutions_only, drop_unanimous))  # fmt: skip
    view = [Col(by.value), Col("ai", fmt=SHARE), Col("unanimous_share", "unanimous", fmt="{:.0%}"),
            Col("n"), Col("members")]  # fmt: skip
    emit(frame, fmt, title=f"Cohesion of {region or ', '.join(codes)}", view=view, wide=wide,
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip


@app.command()
def matrix(
    year: str = typer.Option(..., "--year", help="The year."),
    measure: Measure = MeasureOpt,
    region: str = typer.Option(None, "--region", help="Only the members of a region on 1 July."),
    states: str = MatrixStatesOpt,
    map_: bool = typer.Option(False, "--map", help="Print the 2-D MDS map (state, x, y) instead."),
    fmt: Format = typer.Option(Format.csv, "--format", help="csv (default), table, json or parquet."),
    out: Path = OutOpt, wide: bool = WideOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """The state x state agreement matrix of one year (default CSV), or its 2-D map.

    As a table, a matrix fits the terminal only for a handful of states: narrow it with
    --region or --states, or add --wide.
    """
    fmt = validate.output(fmt, out)
    first = validate.year(year)
    validate.region(region)
    codes = validate.states(states, on=f"{first}-07-01")
    validate.seated(codes, first, "--states")
    store = open_store(db)
    kw = dict(states=codes, region=region)
    if map_:
        frame = api.matrix_map(store, first, measure.value, **kw)
        view = [Col("state"), Col("x", fmt="{:+.3f}"), Col("y", fmt="{:+.3f}")]
    else:
        frame = api.matrix(store, first, measure.value, **kw).reset_index()
        view = [Col("state"), *(Col(c, fmt=SHARE, kind="number") for c in frame.columns[1:])]
        if fmt == Format.table and not wide:
            _check_matrix_fits(len(frame))
    emit(frame, fmt, title=f"{measure.value} agreement, {first}", view=view, wide=wide,
         attribution=UN_ATTRIBUTION, out=out)  # fmt: skip


def _check_matrix_fits(n: int) -> None:
    """A matrix cut to the terminal's width would be a different matrix: refuse instead."""
    from allegiance.cli.output import console

    cell = 4  # "0.87"
    room = (console.width - 3) // (cell + 3)
    if n > room:
        raise BadInputError(
            f"a matrix of {n} states does not fit {console.width} columns (at most {room} do); "
            "narrow it with --region or --states, add --wide, or write it with --format csv"
        )
