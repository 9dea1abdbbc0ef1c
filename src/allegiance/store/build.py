"""Building the store from a folder laid out like the mirror, atomically.

The new store is written to a temporary file beside the target and moved into place
only when everything succeeded, so a failed build leaves the previous store intact.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

import allegiance
from allegiance import states
from allegiance.sources import kaggle, registry, undl_scrape, unvotes, unxml, voeten
from allegiance.sources.base import SourceError, SourceTables
from allegiance.store.combine import combine
from allegiance.store.complete import complete_votes, tally_checks
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

    @property
    def citation(self) -> str:
        return registry.source(self.name).citation


VOTE_SOURCES = (
    VoteSource("undl", "unga/undl", _undl),
    VoteSource("unxml", "unga/unxml_garesolutions", unxml.read),
    VoteSource("supplement", "unga/supplement", _supplement, _has("*.jsonl")),
    VoteSource("undl_scrape", "unga/undl_scrape_3dl_2025", undl_scrape.read, _has("*.csv*"),
               fallback="unga/supplement/raw"),
    VoteSource("voeten", "unga/voeten_unvotes_published", voeten.read),
    VoteSource("unvotes", "unga/unvotes", unvotes.read),
    VoteSource("kaggle", "unga/kaggle_un_data", kaggle.read),
)  # fmt: skip


class BuildError(Exception):
    """The store could not be built; the previous store is untouched."""


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


def build(
    mirror: Path,
    db: Path,
    undl: Path | None = None,
    progress: Callable[[str], None] | None = None,
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
    """
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    mirror = Path(mirror)
    if not mirror.is_dir():
        raise BuildError(f"{mirror}: no such folder; pass --from DIR or run `allegiance fetch`")
    tables: list[SourceTables] = []
    missing: list[str] = []
    for source in VOTE_SOURCES:
        folder = mirror / source.folder
        if source.name == "undl" and undl is not None:
            say(f"reading {source.name} ({undl})")
            from allegiance.sources import undl as undl_reader

            tables.append(undl_reader.read(Path(undl)))
            continue
        if (not folder.is_dir() or not source.present(folder)) and source.fallback:
            folder = mirror / source.fallback
        if not folder.is_dir() or not source.present(folder):
            missing.append(source.name)
            continue
        say(f"reading {source.name}")
        tables.append(source.read(folder))
    if not tables:
        raise BuildError(f"{mirror}: no General Assembly vote source found under {mirror / 'unga'}")

    say("matching roll calls across sources")
    combined = combine(tables)
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
    _write_atomically(Path(db), combined, full, checks, rejections, per_source, mirror)
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
    )


def _write_atomically(db, combined, full, checks, rejections, per_source, mirror) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(f".{db.name}.building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            _write(con, combined, full, checks, rejections, per_source, mirror)
        finally:
            con.close()
        os.replace(tmp, db)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise


def _write(con, combined, full, checks, rejections, per_source, mirror) -> None:
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
        "rejections": rejections,
        "sources": per_source,
    }  # fmt: skip
    for table, frame in inserts.items():
        con.register("frame", frame)
        con.execute(f"INSERT INTO {table} SELECT * FROM frame")
        con.unregister("frame")
    info = {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "allegiance_version": allegiance.__version__,
        "mirror": str(Path(mirror).resolve()),
    }
    con.executemany("INSERT INTO build_info VALUES (?, ?)", list(info.items()))
    # The other channels (trade, arms, opinion, boundaries) go into the same file.
    from allegiance.store.channels_build import write_channels

    write_channels(con, Path(mirror))
    # Event data (GDELT, ICEWS): the pipeline's aggregates, run with DuckDB (docs/events.md).
    from allegiance.store.events.load import write_events

    write_events(con, Path(mirror) / "events")
    con.execute("CREATE INDEX votes_rc ON votes (roll_call_id)")
    con.execute("CREATE INDEX rc_symbol ON roll_calls (symbol)")
