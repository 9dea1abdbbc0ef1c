"""fetch, build and info: getting the data and seeing what the store holds."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance import paths
from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import Format, console, emit, err, fail


@app.command()
def fetch(
    dest: Path = typer.Option(
        None, "--dest", help="Cache folder (default: $ALLEGIANCE_HOME/mirror)."
    ),
    only: str = typer.Option(None, "--only", help="Comma-separated registry names to fetch."),
    events: str = typer.Option(
        None, "--events", help="gdelt1 or gdelt2: GDELT event files from --since to --until."
    ),
    since: str = typer.Option(None, "--since", help="With --events: first day (or year)."),
    until: str = typer.Option(None, "--until", help="With --events: last day (or year)."),
) -> None:
    """Download the pinned official releases into the cache, checking every hash."""
    if events:
        from allegiance.cli.event_commands import fetch_events_command

        return fetch_events_command(events, since, until, dest)
    from allegiance.sources.fetch import FetchError
    from allegiance.sources.fetch import fetch as do_fetch

    try:
        got = do_fetch(names=only.split(",") if only else None, dest=dest, progress=True)
    except FetchError as exc:
        fail(str(exc))
    console.print(f"{len(got)} files in {dest or paths.cache_dir()}")


@app.command()
def build(
    source: Path = typer.Option(
        None,
        "--from",
        help="A folder laid out like the mirror (default: $ALLEGIANCE_MIRROR or the fetch cache).",
    ),
    undl: Path = typer.Option(None, "--undl", help="A UN Digital Library voting CSV to include."),
    db: Path = DbOption,
) -> None:
    """Build the store from the mirror; prints coverage, rejected rows and conflicts."""
    from allegiance.sources.base import SourceError
    from allegiance.store.build import BuildError
    from allegiance.store.build import build as do_build

    mirror = source or paths.default_mirror()
    if mirror is None:
        fail(
            "no data to build from: pass --from DIR (a local mirror) or run `allegiance fetch` first"
        )
    target = db or paths.default_db()
    try:
        with console.status("building the store") as status:
            report = do_build(Path(mirror), target, undl=undl, progress=lambda m: status.update(m))
    except (BuildError, SourceError) as exc:
        fail(f"{exc}\nthe previous store (if any) is unchanged")
    emit(report.coverage, title="Coverage by decade")
    emit(report.sources, title="Sources")
    if report.missing_sources:
        err.print(f"sources not found in the mirror: {', '.join(report.missing_sources)}")
    if len(report.rejections):
        by = report.rejections.groupby(["source", "field"]).size().reset_index(name="rows")
        emit(
            by,
            title=f"Rejected rows: {len(report.rejections)} (see `allegiance info --rejections`)",
        )
    console.print(
        f"conflicts between sources: {report.conflicts}; tallies that disagree with the "
        f"listed votes: {report.tally_mismatches}; secondary roll calls not matched: "
        f"{report.unmatched}"
    )
    console.print(f"[green]store written to {report.db} in {report.seconds:.1f} s[/green]")


@app.command()
def info(
    db: Path = DbOption,
    by: str = typer.Option("decade", "--by", help="decade or session."),
    rejections: bool = typer.Option(False, "--rejections", help="List every rejected row."),
    conflicts: bool = typer.Option(
        False, "--conflicts", help="List every conflict between sources."
    ),
    tallies: bool = typer.Option(
        False, "--tallies", help="List tallies that disagree with the votes."
    ),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Coverage of the current store, and its checks."""
    store = open_store(db)
    if rejections:
        return emit(store.rejections(), fmt, title="Rejected rows")
    if conflicts:
        return emit(store.conflicts(), fmt, title="Conflicts between sources")
    if tallies:
        return emit(
            store.tally_checks(), fmt, title="Official tallies that disagree with the votes"
        )
    summary = store.info()
    if by not in {"decade", "session"}:
        fail("--by takes decade or session")
    emit(summary["decades" if by == "decade" else "sessions"], fmt, title=f"Roll calls by {by}")
    if fmt == Format.table:
        emit(summary["sources"], title="Sources")
        emit(summary["checks"], title="Checks")
