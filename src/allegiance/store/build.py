"""Building the store from a folder laid out like the mirror, atomically.

The new store is written to a temporary file beside the target and moved into place
only when everything succeeded, so a failed build leaves the previous store intact.
Before the move, the new store's coverage is compared with the previous store's; a drop
beyond :data:`allegiance.store.coverage.TOLERANCE` refuses the build unless
``allow_shrink`` (docs/reliability.md). Temporary files left by builds that were killed
are removed at the start of the next build.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from allegiance import states
from allegiance._version import __version__
from allegiance.errors import AllegianceError
from allegiance.sources import kaggle, registry, undl_scrape, unvotes, unxml, voeten
from allegiance.sources.base import SourceError, SourceTables
from allegiance.store import coverage as store_coverage
from allegiance.store.combine import combine
from allegiance.store.complete import complete_votes, tally_checks
from allegiance.store.expect import Expect, check_vote_source
from allegiance.store.official import official_records
from allegiance.vote import Vote


def _supplement(folder: Path) -> SourceTables:
    return unxml.read(folder, source="supplement", pattern="*.jsonl")


def _has(pattern: str) -> Callable[[Path], bool]:
    return lambda folder: any(folder.glob(pattern))


def _undl(folder: Path) -> SourceTables:
    from allegiance.sources import undl

    files = sorted(p for p in folder.iterdir() if p.name.endswith((".csv", ".csv.gz", ".zip")))
    if len(files) != 1:
        raise SourceError(f"{folder}: expected one UN Digital Library voting CSV, found {files}")
    return undl.read(files[0])


@dataclass(frozen=True)
class VoteSource:
    name: str
    folder: str  # relative to the mirror
    read: Callable[[Path], SourceTables]
    #: Whether the folder holds this source's files (the fetch cache keeps only the raw
    #: scrape in ``unga/supplement``, not the transcribed JSON lines).
    present: Callable[[Path], bool] = Path.is_dir
    #: Another folder to read when ``folder`` is absent (older mirror layouts).
    fallback: str | None = None
    #: What the source must hold (figures from the pinned release; docs/reliability.md).
    expect: Expect = Expect()

    @property
    def citation(self) -> str:
        return registry.source(self.name).citation


# Expectations: the sessions each pinned release covers, and about 80% of its roll calls
# (a truncated file falls below; a revision does not). The UN extracts come one file per
# session: each completed session's file must hold 40 resolutions adopted by recorded
# vote (sessions 74-79 hold 80 to 113). A --undl file can be any Digital Library export,
# so it must only be non-empty; the comparison with the previous store guards the rest.
VOTE_SOURCES = (
    VoteSource("undl", "unga/undl", _undl),
    VoteSource("unxml", "unga/unxml_garesolutions", unxml.read,
               expect=Expect(session_file_min=40)),
    VoteSource("supplement", "unga/supplement", _supplement, _has("*.jsonl")),
    VoteSource("undl_scrape", "unga/undl_scrape_3dl_2025", undl_scrape.read, _has("*.csv*"),
               fallback="unga/supplement/raw", expect=Expect(min_rows=150)),
    VoteSource("voeten", "unga/voeten_unvotes_published", voeten.read,
               expect=Expect(min_rows=4_500, sessions=(1, 70))),
    VoteSource("unvotes", "unga/unvotes", unvotes.read,
               expect=Expect(min_rows=5_000, sessions=(1, 74))),
    VoteSource("kaggle", "unga/kaggle_un_data", kaggle.read, expect=Expect(min_rows=4_000)),
)  # fmt: skip


class BuildError(AllegianceError):
    """The store could not be built; the previous store is untouched."""


class ShrinkError(BuildError):
    """The new store would cover less than the previous one beyond the tolerance.

    ``changes`` holds the comparison (:data:`allegiance.store.coverage.CHANGE_COLUMNS`).
    """

    def __init__(self, message: str, changes: pd.DataFrame):
        super().__init__(message)
        self.changes = changes


@dataclass
class BuildReport:
    db: Path
    seconds: float
    sources: pd.DataFrame  # per source: roll calls read, vote rows, rejected
    coverage: pd.DataFrame  # per decade: roll calls and vote rows
    rejections: pd.DataFrame
    conflicts: int
    tally_mismatches: int
    unmatched: int
    missing_sources: list[str] = field(default_factory=list)
    #: Every group whose row count differs from the previous store's
    #: (:data:`allegiance.store.coverage.CHANGE_COLUMNS`); empty if none or no previous store.
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The store the new one was compared with (and replaced); None if there was none.
    compared_with: Path | None = None
    #: When that store had been built.
    previous_built_at: str | None = None
    #: Whether ``allow_shrink`` let a shrink beyond the tolerance through.
    shrink_allowed: bool = False
    #: Temporary files of interrupted builds removed before this one.
    removed_leftovers: list[Path] = field(default_factory=list)
    #: Early roll calls given their symbol or date from the official record
    #: (store/official.py, docs/corrections.md).
    corrected: int = 0


def build(
    mirror: Path,
    db: Path | None = None,
    undl: Path | None = None,
    progress: Callable[[str], None] | None = None,
    allow_shrink: bool = False,
) -> BuildReport:
    """Build the store at ``db`` from the source files under ``mirror``.

    Parameters
    ----------
    mirror : Path
        A folder laid out like ``shared/data`` (``unga/unvotes/...``) or the fetch cache.
    db : Path
        The DuckDB file to write. It is replaced only when the build succeeds.
    undl : Path, optional
        A UN Digital Library "General Assembly Voting Data" CSV to include.
    progress : callable, optional
        Called with a short message before each step.
    allow_shrink : bool
        Replace the previous store even if the new one covers less beyond the tolerance
        (:data:`allegiance.store.coverage.TOLERANCE`) in some session or source-year.

    Raises
    ------
    SourceError
        An input is unreadable, empty, or holds less than its source must (names the file).
    ShrinkError
        The new store would lose more than the tolerance of some group's rows.
    BuildError
        Nothing to build from, or ``db`` is a file that is not a store.

    In every failure the previous store is left as it was, byte for byte.
    """
    from allegiance import paths

    db = Path(db) if db is not None else paths.default_db()
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    mirror = Path(mirror)
    db = Path(db)
    removed = remove_leftovers(db)
    if not mirror.is_dir():
        raise BuildError(f"{mirror}: no such folder; pass --from DIR or run `allegiance fetch`")
    previous = _previous(db, allow_shrink)
    tables: list[SourceTables] = []
    missing: list[str] = []
    for source in VOTE_SOURCES:
        folder = mirror / source.folder
        if source.name == "undl" and undl is not None:
            say(f"reading {source.name} ({undl})")
            from allegiance.sources import undl as undl_reader

            tables.append(undl_reader.read(Path(undl)))
            check_vote_source(tables[-1], source.expect, Path(undl))
            continue
        if (not folder.is_dir() or not source.present(folder)) and source.fallback:
            folder = mirror / source.fallback
        if not folder.is_dir() or not source.present(folder):
            missing.append(source.name)
            continue
        say(f"reading {source.name}")
        tables.append(source.read(folder))
        check_vote_source(tables[-1], source.expect, folder)
    if not tables:
        raise BuildError(f"{mirror}: no General Assembly vote source found under {mirror / 'unga'}")
    # Every input is read and checked before the long steps, so a bad file fails fast.
    from allegiance.store.channels_build import load_channels

    say("reading trade, arms, opinion and boundaries")
    channels = load_channels(mirror)

    say("taking early symbols and dates from the official record")
    tables, corrections = official_records(tables)
    say("matching roll calls across sources")
    combined = combine(tables)
    combined.corrections = _corrections(combined.roll_calls, corrections)
    say("completing absentees and non-members from membership dates")
    full = complete_votes(combined.roll_calls, combined.votes)
    checks = tally_checks(combined.roll_calls, full)

    say("writing the store")
    citations = {s.name: s.citation for s in VOTE_SOURCES}
    rejections = pd.DataFrame(
        [(t.source, r.file, r.record, r.field, r.reason) for t in tables for r in t.rejected],
        columns=["source", "file", "record", "field", "reason"],
    )
    per_source = pd.DataFrame(
        {
            "source": [t.source for t in tables],
            "citation": [citations[t.source] for t in tables],
            "files": [[str(f) for f in t.files] for t in tables],
            "roll_calls": [len(t.roll_calls) for t in tables],
            "vote_rows": [len(t.votes) for t in tables],
            "rejected": [len(t.rejected) for t in tables],
        }
    )
    changes, previous_built_at = _write_atomically(
        db, (combined, full, checks, rejections, per_source, mirror, channels), previous,
        allow_shrink,
    )  # fmt: skip
    rc = combined.roll_calls
    decade = (pd.to_datetime(rc["date"]).dt.year // 10 * 10).rename("decade")
    coverage = (
        rc.assign(decade=decade)
        .groupby("decade")
        .agg(roll_calls=("id", "size"), sessions=("session", "nunique"))
        .join(
            full[full["vote"].isin([Vote.YES, Vote.NO, Vote.ABSTAIN])]
            .assign(decade=full["roll_call_id"].map(rc.set_index("id")["date"]).dt.year // 10 * 10)
            .groupby("decade")
            .size()
            .rename("cast_votes")
        )
        .reset_index()
    )
    # The channel tables add their own sources and rejected rows while writing.
    with duckdb.connect(str(db), read_only=True) as con:
        all_sources = con.execute(
            "SELECT source, roll_calls, vote_rows, rejected FROM sources ORDER BY source"
        ).df()
        all_rejections = con.execute("SELECT * FROM rejections").df()
    return BuildReport(
        db=Path(db),
        seconds=time.perf_counter() - started,
        sources=all_sources,
        coverage=coverage,
        rejections=all_rejections,
        conflicts=len(combined.conflicts),
        tally_mismatches=int((~checks["agrees"]).sum()),
        unmatched=len(combined.unmatched),
        missing_sources=missing,
        changes=changes,
        compared_with=db if previous[0] is not None else None,
        previous_built_at=previous_built_at,
        shrink_allowed=bool(changes["beyond_tolerance"].any()) if len(changes) else False,
        removed_leftovers=removed,
        corrected=int(combined.corrections["roll_call_id"].nunique()),
    )


_LEFTOVER = re.compile(r"\.building-(\d+)(?:\.wal)?$")


def remove_leftovers(db: Path) -> list[Path]:
    """Remove the temporary files of builds of ``db`` that were killed.

    A build writes ``.<name>.building-<pid>`` beside the store; a build killed with
    SIGKILL cannot remove it. Files of a process that is still running (a concurrent
    build) are kept.

    Returns the files removed.
    """
    db = Path(db)
    removed = []
    if not db.parent.is_dir():
        return removed
    for path in db.parent.glob(f".{db.name}.building-*"):
        match = _LEFTOVER.search(path.name)
        if match is None or _running(int(match.group(1))):
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            continue  # another build removed it meanwhile
        removed.append(path)
    return sorted(removed)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own earlier attempt, which ended
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _previous(db: Path, allow_shrink: bool) -> tuple[pd.DataFrame | None, str | None]:
    """The coverage of the store about to be replaced, and when it was built."""
    try:
        return store_coverage.previous(db)
    except store_coverage.NotAStoreError as exc:
        if "lock" in str(exc).lower():
            raise BuildError(
                f"{exc}; another process is writing to it (caching ideal points?): build "
                "again when it has finished"
            ) from exc
        if not allow_shrink:
            raise BuildError(
                f"{exc}; it was left as it is. Choose another --db, or pass --allow-shrink "
                "to replace it with the new store"
            ) from exc
        return None, None


def _write_atomically(db: Path, parts: tuple, previous: tuple, allow_shrink: bool):
    """Write the store beside ``db``, compare it with the previous one, move it into place.

    Returns the comparison and when the previous store was built.
    """
    before, previous_built_at = previous
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(f".{db.name}.building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            _write(con, *parts)
            changes = store_coverage.compare(before, store_coverage.coverage(con))
            beyond = changes[changes["beyond_tolerance"]]
            if len(beyond) and not allow_shrink:
                raise ShrinkError(
                    f"the new store would cover less than the one at {db} (built "
                    f"{previous_built_at}) in {len(beyond)} group(s), beyond the tolerance of "
                    f"{store_coverage.TOLERANCE:.0%}:\n{store_coverage.describe(changes)}\n"
                    "an input is probably damaged or incomplete; if the drop is expected, "
                    "build again with --allow-shrink",
                    changes,
                )
            compared_with = db if before is not None else None
            _record_changes(con, changes, compared_with, previous_built_at, allow_shrink)
        finally:
            con.close()
        os.replace(tmp, db)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    return changes, previous_built_at


def _record_changes(con, changes, compared_with, previous_built_at, allow_shrink) -> None:
    """Keep the comparison in the new store (``build_changes``) for ``allegiance info``."""
    con.execute(
        "CREATE TABLE build_changes (table_name VARCHAR, source VARCHAR, unit VARCHAR, "
        "period INTEGER, before BIGINT, after BIGINT, change BIGINT, beyond_tolerance BOOLEAN)"
    )
    if len(changes):
        con.register("frame", changes)
        con.execute("INSERT INTO build_changes SELECT * FROM frame")
        con.unregister("frame")
    info = {
        "compared_with": str(compared_with or ""),
        "previous_built_at": previous_built_at or "",
        "shrink_tolerance": f"{store_coverage.TOLERANCE:g}",
        "shrink_allowed": "yes" if allow_shrink and changes["beyond_tolerance"].any() else "no",
    }
    con.executemany("INSERT INTO build_info VALUES (?, ?)", list(info.items()))


def _corrections(roll_calls: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """The corrections of the roll calls kept in the store, keyed by their id."""
    columns = ["roll_call_id", "symbol", "field", "before", "after", "rule", "evidence"]
    kept = roll_calls[["id", "source", "source_id"]].rename(columns={"id": "roll_call_id"})
    found = corrections.merge(kept, on=["source", "source_id"], how="inner")
    return found.sort_values(["roll_call_id", "field"], ignore_index=True)[columns]


def _write(con, combined, full, checks, rejections, per_source, mirror, channels) -> None:
    con.execute(resources.files("allegiance.store").joinpath("schema.sql").read_text())
    codes = pd.DataFrame({"code": [int(v) for v in Vote], "label": [v.label for v in Vote]})
    st = states.states().copy()
    st_cols = [
        "iso3",
        "iso2",
        "cow",
        "name",
        "un_name",
        "region",
        "subregion",
        "variants",
        "note",
        "citation",
    ]
    for col in st_cols:
        if col not in st.columns:
            st[col] = None
    members = states.membership()
    rc = combined.roll_calls.copy()
    rc["date"] = pd.to_datetime(rc["date"])
    rc["year"] = rc["date"].dt.year
    rc["issues"] = rc["issues"].fillna("").map(lambda s: [c for c in s.split(",") if c])
    unmatched = combined.unmatched
    um_cols = ["source", "source_id", "date", "symbol", "raw_symbol", "title", "record"]
    unmatched = unmatched[um_cols] if len(unmatched) else pd.DataFrame(columns=um_cols)
    inserts = {
        "vote_codes": codes,
        "states": st[st_cols],
        "un_membership": members[["iso3", "admitted", "left", "citation", "note"]]
        if "note" in members
        else members.assign(note=None)[["iso3", "admitted", "left", "citation", "note"]],
        "roll_calls": rc[["id", "session", "date", "year", "symbol", "raw_symbol", "title", "kind",
                          "issues", "important", "yes", "no", "abstain", "source", "source_id",
                          "symbol_source"]],
        "votes": full.sort_values(["roll_call_id", "state"]),
        "roll_call_sources": combined.links,
        "conflicts": combined.conflicts,
        "tally_checks": checks[["roll_call_id", "source", "yes", "no", "abstain", "counted_yes",
                                "counted_no", "counted_abstain", "agrees"]],
        "unmatched": unmatched,
        "corrections": combined.corrections,
        "rejections": rejections,
        "sources": per_source,
    }  # fmt: skip
    for table, frame in inserts.items():
        con.register("frame", frame)
        con.execute(f"INSERT INTO {table} SELECT * FROM frame")
        con.unregister("frame")
    info = {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_id": uuid.uuid4().hex,
        "allegiance_version": __version__,
        "mirror": str(Path(mirror).resolve()),
    }
    con.executemany("INSERT INTO build_info VALUES (?, ?)", list(info.items()))
    # The other channels (trade, arms, opinion, boundaries) go into the same file.
    from allegiance.store.channels_build import write_channels

    write_channels(con, Path(mirror), channels)
    # Event data (GDELT, ICEWS): the pipeline's aggregates, run with DuckDB (docs/events.md).
    from allegiance.store.events.load import write_events

    write_events(con, Path(mirror) / "events")
    con.execute("CREATE INDEX votes_rc ON votes (roll_call_id)")
    con.execute("CREATE INDEX rc_symbol ON roll_calls (symbol)")
