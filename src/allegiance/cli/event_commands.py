"""events: build the event aggregates on DuckDB or Spark, and show a state's monthly series."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import Format, console, emit, err, fail

_HELP = """Event data (GDELT, ICEWS, POLECAT): cooperation and conflict by dyad and month.

\b
allegiance events build --from DIR --out DIR [--engine duckdb|spark] [--spark-remote sc://HOST:PORT]
allegiance events build --from RAW --staged DIR --stage-only
allegiance events STATE --pole P [--since Y] [--until Y] [--format csv|json] [--out FILE]
"""


@app.command(help=_HELP)
def events(
    target: str = typer.Argument(..., help="`build`, or a state (ISO3 or name)."),
    source: str = typer.Option(
        None, "--from", help="build: raw event files, or a staged folder (year_month=...)."
    ),
    out: str = typer.Option(
        None, "--out", help="build: output folder or URI; STATE: write csv/json to this file."
    ),
    engine: str = typer.Option("duckdb", "--engine", help="build: duckdb or spark."),
    spark_remote: str = typer.Option(
        None, "--spark-remote", help="build: a Spark Connect server, sc://HOST:PORT."
    ),
    codes: Path = typer.Option(
        None, "--codes", help="build: folder with CAMEO.eventcodes.txt (default: beside --from)."
    ),
    root_only: bool = typer.Option(
        False, "--root-only", help="build: aggregate GDELT root events only."
    ),
    staged: Path = typer.Option(
        None, "--staged", help="build: keep the staged Parquet (by year-month) in this folder."
    ),
    stage_only: bool = typer.Option(
        False, "--stage-only", help="build: stop after staging (needs --staged)."
    ),
    pole: str = typer.Option(None, "--pole", help="STATE: the pole (RUS, USA, CHN, TUR, EU)."),
    since: int = typer.Option(None, "--since", help="STATE: first year (inclusive)."),
    until: int = typer.Option(None, "--until", help="STATE: last year (inclusive)."),
    fmt: Format = typer.Option(Format.table, "--format"),
    db: Path = DbOption,
) -> None:
    if target == "build":
        return _build(source, out, engine, spark_remote, codes, root_only, staged, stage_only)
    if pole is None:
        fail("give the pole: allegiance events STATE --pole RUS|USA|CHN|TUR|EU")
    from allegiance.analysis.influence.channels.events import monthly
    from allegiance.poles import pole as pole_of
    from allegiance.states import require_state

    state = require_state(target)
    pole = pole_of(pole).code
    store = open_store(db)
    series = monthly(store, state, pole, since=since, until=until)
    if series.empty:
        fail(
            f"insufficient data: no event data between {state} and {pole}"
            + (f" in {since or ''}-{until or ''}" if since or until else "")
            + "; see `allegiance events build` and docs/events.md for coverage"
        )
    from allegiance.analysis.sourcing import cite

    attribution = " ".join(cite(series).splitlines()) if series.attrs.get("sources") else None
    if fmt == Format.table:  # the full set of columns is in csv and json
        series = series[["dataset", "month", "days", "events", "cooperation", "conflict",
                         "pole_to_state", "state_to_pole", "goldstein_mean"]]  # fmt: skip
    emit(series, fmt, title=f"Events between {state} and {pole} by month (both directions)",
         attribution=attribution, out=Path(out) if out else None)  # fmt: skip


def _build(source, out, engine, spark_remote, codes, root_only, staged, stage_only) -> None:
    if stage_only and not staged:
        fail("--stage-only needs --staged DIR (where the staged Parquet goes)")
    if not source or not (out or stage_only):
        fail("events build needs --from DIR (raw or staged event files) and --out DIR")
    from allegiance.sources.base import SourceError
    from allegiance.store.events import ENGINES, EngineError, build_events

    if engine not in ENGINES:
        fail(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    if spark_remote and engine != "spark":
        fail("--spark-remote needs --engine spark")
    if "://" not in str(source) and not Path(source).exists():
        fail(f"{source}: no such folder")
    try:
        with console.status("building event aggregates") as status:
            built = build_events(
                source, out or staged, engine=engine, spark_remote=spark_remote, codes=codes,
                root_only=root_only, staged_dir=staged, stage_only=stage_only,
                progress=lambda m: status.update(m),
            )  # fmt: skip
    except (SourceError, EngineError) as exc:
        fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - an engine's own error, shown without traceback
        fail(f"the {engine} engine failed: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    if len(built.files):
        emit(built.files, title="Files read")
    if built.ignored:
        err.print(f"not event files, ignored: {', '.join(built.ignored)}")
    if len(built.rejections):
        by = built.rejections.groupby(["file", "field"]).size().reset_index(name="rows")
        emit(by, title=f"Rejected rows: {len(built.rejections)} (file, line and reason in "
                       f"{built.out}/rejections and below)")  # fmt: skip
        for row in built.rejections.head(20).itertuples(index=False):
            err.print(f"  {row.file}: line {row.line}: {row.field}: {row.reason}")
    if stage_only:
        console.print(f"[green]staged Parquet in {staged} in {built.seconds:.1f} s[/green]")
        return
    console.print(f"[green]{built.engine}: outputs in {built.out} in {built.seconds:.1f} s[/green]")


def fetch_events_command(version: str, since: str | None, until: str | None, dest) -> None:
    """``allegiance fetch --events gdelt1|gdelt2 --since --until`` (called by ``fetch``)."""
    from allegiance.sources.fetch import FetchError
    from allegiance.sources.gdelt_fetch import fetch_events

    if not since or not until:
        fail("--events needs --since and --until (dates, YYYY-MM-DD, or years)")
    try:
        first, last = _day(since, start=True), _day(until, start=False)
    except ValueError as exc:
        fail(str(exc))
    try:
        got = fetch_events(version, first, last, dest=Path(dest) if dest else None)
    except FetchError as exc:
        fail(str(exc))
    folder = got[0].parent if got else dest
    console.print(f"{len(got)} GDELT files in {folder}; next: allegiance events build --from "
                  f"{folder} --out DIR --codes <mirror>/events")  # fmt: skip


def _day(text: str, start: bool) -> date:
    text = str(text).strip()
    if text.isdigit() and len(text) == 4:
        return date(int(text), 1, 1) if start else date(int(text), 12, 31)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD) or a year") from None
