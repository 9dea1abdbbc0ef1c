"""fetch, build and info: getting the data and seeing what the store holds."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from allegiance import paths
from allegiance.cli.app import DbOption, WideOpt, app, open_store
from allegiance.cli.output import Col, Format, console, emit, err, fail, out_format


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


#: Exit code of a build that was refused (bad input, a shrink, nothing to build from);
#: the previous store is unchanged. docs/reliability.md lists every exit code.
REFUSED = 2


@app.command()
def build(
    source: Path = typer.Option(
        None,
        "--from",
        help="A folder laid out like the mirror (default: $ALLEGIANCE_MIRROR or the fetch cache).",
    ),
    undl: Path = typer.Option(None, "--undl", help="A UN Digital Library voting CSV to include."),
    db: Path = DbOption,
    allow_shrink: bool = typer.Option(
        False,
        "--allow-shrink",
        help="Replace the store even if the new one covers less than the previous one "
        "(a session's roll calls or a source's rows in a year down by more than 5%).",
    ),
    ideal: bool = typer.Option(
        True,
        "--ideal/--no-ideal",
        help="Fit the default ideal points (the whole record) into the cache beside the "
        "store, so that the index and `profile` need not fit them on first use.",
    ),
) -> None:
    """Build the store from the mirror, atomically; the old store stays if the build fails.

    Prints coverage, rejected rows, conflicts and what changed since the previous store.
    Exit code 2 when the build is refused (the previous store is then unchanged)."""
    from allegiance.sources.base import SourceError
    from allegiance.store.build import BuildError, ShrinkError
    from allegiance.store.build import build as do_build

    mirror = source or paths.default_mirror()
    if mirror is None:
        _refuse(
            "no data to build from: pass --from DIR (a local mirror) or run `allegiance fetch` first"
        )
    target = db or paths.default_db()
    try:
        with console.status("building the store") as status:
            report = do_build(
                Path(mirror),
                target,
                undl=undl,
                progress=lambda m: status.update(m),
                allow_shrink=allow_shrink,
            )
    except ShrinkError as exc:
        _changes(exc.changes, "Coverage compared with the previous store")
        _refuse(f"{exc}; the previous store is unchanged")
    except (BuildError, SourceError) as exc:
        _refuse(f"{exc}; the previous store (if any) is unchanged")
    if report.removed_leftovers:
        names = ", ".join(p.name for p in report.removed_leftovers)
        err.print(f"removed files left by interrupted builds: {names}", markup=False)
    emit(report.coverage, title="Coverage by decade")
    emit(report.sources, title="Sources")
    if report.missing_sources:
        err.print(
            f"sources not found in the mirror: {', '.join(report.missing_sources)}", markup=False
        )
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
    if report.corrected:
        console.print(
            f"early roll calls given their symbol or date from the official record: "
            f"{report.corrected} (allegiance info --corrections)",
            markup=False,
        )
    _compared(report)
    console.print(
        f"store written to {report.db} in {report.seconds:.1f} s", style="green", markup=False
    )
    if ideal:
        import time

        from allegiance.analysis.ideal import fit_default
        from allegiance.store.store import Store

        started = time.perf_counter()
        with (
            console.status("fitting the default ideal points into the cache"),
            Store(report.db) as store,
        ):
            fit_default(store)
        console.print(
            f"ideal points of the whole record cached beside the store in {time.perf_counter() - started:.1f} s",
            markup=False,
        )


def _refuse(message: str) -> None:
    text = " ".join(line.strip() for line in str(message).splitlines() if line.strip())
    err.print("error: " + text, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(REFUSED)


def _compared(report) -> None:
    """What the build changed, as the build prints it and `info` shows it again."""
    if report.compared_with is None:
        console.print("no previous store to compare with", markup=False)
        return
    since = f"the previous store (built {report.previous_built_at or 'at an unknown time'})"
    if not len(report.changes):
        console.print(f"coverage unchanged from {since}", markup=False)
        return
    _changes(report.changes, f"Coverage changed from {since}")
    if report.shrink_allowed:
        err.print(
            "the store was replaced although it shrank beyond the tolerance (--allow-shrink)",
            markup=False,
        )


#: Rows of the comparison a table shows; the store keeps them all (`info --changes`).
_SHOWN = 25


def _changes(changes, title: str) -> None:
    """The comparison as a table narrow enough for a terminal: one line per group."""
    import pandas as pd

    rows = changes.head(_SHOWN)
    what = [
        (table if source == "all" else f"{table} from {source}")
        + ("" if unit == "all" else f", {unit} {period}")
        for table, source, unit, period in rows[
            ["table_name", "source", "unit", "period"]
        ].itertuples(index=False)
    ]
    shown = pd.DataFrame(
        {
            "rows of": what,
            "before": rows["before"].to_numpy(),
            "after": rows["after"].to_numpy(),
            "change": [f"{c:+d}" for c in rows["change"]],
            "beyond 5%": rows["beyond_tolerance"].map({True: "yes", False: ""}).to_numpy(),
        }
    )
    more = len(changes) - len(rows)
    emit(shown, title=title + (f" (first {_SHOWN} of {len(changes)})" if more > 0 else ""))


SOURCES_VIEW = [
    Col("source", kind="key"), Col("read", "roll calls read"), Col("kept"),
    Col("vote_rows", "vote rows"), Col("rejected"), Col("citation", kind="text", level=2),
]  # fmt: skip


class By(str, Enum):
    decade = "decade"
    session = "session"


@app.command()
def info(
    db: Path = DbOption,
    by: By = typer.Option(By.decade, "--by", help="decade (default) or session."),
    rejections: bool = typer.Option(
        False, "--rejections", help="List every rejected or merged row, with file and line."
    ),
    conflicts: bool = typer.Option(
        False, "--conflicts", help="List every conflict between sources."
    ),
    tallies: bool = typer.Option(
        False, "--tallies", help="List tallies that disagree with the votes."
    ),
    changes: bool = typer.Option(
        False, "--changes", help="List every coverage change of the last build."
    ),
    corrections: bool = typer.Option(
        False,
        "--corrections",
        help="List every date and symbol the build took from the official record.",
    ),
    citations: bool = typer.Option(
        False, "--citations", help="Print the full citation of every source."
    ),
    channels: bool = typer.Option(
        False,
        "--channels",
        help="Share of post-Soviet state-years 1995 to the latest year "
        "that each channel of the influence index covers, observed or imputed.",
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="table (default), csv or json."),
    wide: bool = WideOpt,
) -> None:
    """What the store holds: coverage, checks, rejected rows, last build's changes.

    The options list each kind of row in full (rejections, conflicts, tallies, changes,
    corrections of early roll calls, citations)."""
    fmt = out_format(fmt, None)
    store = open_store(db)
    if rejections:
        return emit(store.rejections(), fmt, title="Rejected rows", wide=wide,
                    view=[Col("source"), Col("file", kind="text"), Col("record"), Col("field"),
                          Col("reason", kind="prose")])  # fmt: skip
    if conflicts:
        return emit(store.conflicts(), fmt, title="Conflicts between sources", wide=wide)
    if tallies:
        return emit(
            store.tally_checks(), fmt, title="Official tallies that disagree with the votes",
            wide=wide,
        )  # fmt: skip
    if changes:
        return emit(store.build_changes(), fmt, title="Coverage changes of the last build",
                    wide=wide)  # fmt: skip
    if corrections:
        return _corrections(store, fmt, wide)
    if citations:
        return _citations(store, fmt)
    if channels:
        from allegiance.analysis.influence.panel import channel_coverage

        cover = channel_coverage(store)
        economic = cover.loc[cover["channel"] == "any economic", "share_covered"].iloc[0]
        return emit(cover, fmt, wide=wide, title=(
            f"Channels of the influence index over post-Soviet state-years "
            f"{cover.attrs['since']}-{cover.attrs['until']}: {economic:.1%} have an economic "
            "channel (trade, energy or arms), observed or imputed"))  # fmt: skip
    summary = store.info()
    emit(summary["decades" if by == By.decade else "sessions"], fmt, title=f"Roll calls by {by.value}",
         wide=wide)  # fmt: skip
    if fmt == Format.table:
        emit(summary["sources"], title="Sources", view=SOURCES_VIEW, wide=wide)
        console.print("full citations: allegiance info --citations", style="dim", markup=False)
        emit(summary["checks"], title="Checks", wide=wide)
        if len(summary["rejections"]):
            total = int(summary["rejections"]["rows"].sum())
            emit(summary["rejections"], title=f"Rejected rows: {total}", wide=wide)
            console.print(
                "each with its file, line and reason: allegiance info --rejections", markup=False
            )
        _last_build(summary)


def _citations(store, fmt: Format) -> None:
    """Every source's citation as a paragraph of plain text (never read as markup)."""
    frame = store.citations()
    if fmt != Format.table:
        return emit(frame, fmt, title="Citations")
    for source, citation in frame.itertuples(index=False):
        console.print(f"{source}: {citation}", markup=False)
        console.print()


def _corrections(store, fmt: Format, wide: bool) -> None:
    frame = store.corrections()
    view = [Col("roll_call_id", "id", kind="key"), Col("symbol", kind="key"),
            Col("field"), Col("before", kind="key"), Col("after", kind="key"),
            Col("rule", kind="text", level=2), Col("evidence", kind="text", level=2)]  # fmt: skip
    emit(frame, fmt, title=f"Taken from the official record: {len(frame)} corrections",
         view=view, wide=wide, note="docs/corrections.md explains each rule")  # fmt: skip


def _last_build(summary) -> None:
    build_info = dict(summary["build"].itertuples(index=False))
    changes = summary["changes"]
    if "compared_with" not in build_info:
        console.print(
            "this store was built before builds compared coverage; rebuild to record changes",
            markup=False,
        )
        return
    if not build_info["compared_with"]:
        console.print("the last build had no previous store to compare with", markup=False)
        return
    since = (
        f"the previous store (built {build_info.get('previous_built_at') or 'at an unknown time'})"
    )
    if not len(changes):
        console.print(f"the last build left coverage unchanged from {since}", markup=False)
        return
    _changes(changes, f"Coverage changed by the last build, from {since}")
    if len(changes) > _SHOWN:
        console.print("all of them: `allegiance info --changes`", markup=False)
    if build_info.get("shrink_allowed") == "yes":
        console.print(
            "the last build shrank the store beyond the tolerance, allowed by --allow-shrink",
            markup=False,
        )
