"""Running the pipeline end to end: stage, canonical table, aggregates, all as Parquet."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from allegiance.sources.base import SourceError
from allegiance.store.events import lookups, pipeline
from allegiance.store.events.engine import Engine, connect, is_uri
from allegiance.store.events.stage import StageReport, is_staged, stage

#: Output folders under ``--out``.
OUTPUTS = ("events", "dyad_month", "dyad_year", "pole_shares", "coverage", "rejections")
REJECTION_COLUMNS = ["dataset", "file", "line", "field", "reason"]


@dataclass
class EventBuild:
    """What a pipeline run produced. The frames are read back from ``out`` when local."""

    out: str
    engine: str
    seconds: float
    files: pd.DataFrame  # per raw file: file, dataset, rows, rejected (empty when staged)
    rejections: pd.DataFrame  # dataset, file, line, field, reason (readers and pipeline)
    ignored: list[str] = field(default_factory=list)
    dyad_month: pd.DataFrame | None = None
    dyad_year: pd.DataFrame | None = None
    pole_shares: pd.DataFrame | None = None
    coverage: pd.DataFrame | None = None


def _codes_folder(source, codes) -> Path:
    candidates = [codes] if codes else []
    if not is_uri(source):
        src = Path(source)
        candidates += [src if src.is_dir() else src.parent, src.parent]
    for c in candidates:
        if c is not None and (Path(c) / "CAMEO.eventcodes.txt").is_file():
            return Path(c)
    raise SourceError(
        "the CAMEO lookup tables (CAMEO.eventcodes.txt, CAMEO.goldsteinscale.txt) were not "
        f"found next to {source}; pass their folder with --codes DIR (the mirror's events/)"
    )


def run(
    engine: Engine,
    staged,
    out,
    codes_folder: Path,
    *,
    root_only: bool = False,
    write_events: bool = True,
    say: Callable[[str], None] = lambda _m: None,
) -> dict[str, str]:
    """Run the pipeline on a staged folder with an engine; write every output under ``out``.

    Returns the path of each output.
    """
    out = str(out).rstrip("/")
    paths = {name: f"{out}/{name}" for name in OUTPUTS}
    source = engine.read_parquet(staged)
    codes = engine.table(lookups.codes(codes_folder))
    countries = engine.table(lookups.countries())
    plover = engine.table(lookups.plover())
    events = pipeline.canonical(source, codes, countries, plover)
    if write_events:
        say(f"{engine.name}: writing the canonical event table")
        engine.write(events, paths["events"], partition_by="year_month")
        events = engine.written(paths["events"], events)
    say(f"{engine.name}: dyad-month aggregates")
    months = pipeline.dyad_month(events, root_only)
    engine.write(months, paths["dyad_month"])
    months = engine.written(paths["dyad_month"], months)
    years = pipeline.dyad_year(months)
    engine.write(years, paths["dyad_year"])
    years = engine.written(paths["dyad_year"], years)
    poles = engine.table(lookups.poles())
    engine.write(pipeline.pole_shares(years, poles), paths["pole_shares"])
    say(f"{engine.name}: coverage and rejected rows")
    engine.write(
        pipeline.coverage(pipeline.located(source, codes, countries, plover)), paths["coverage"]
    )
    engine.write(pipeline.rejected(source, codes, countries, plover), paths["rejections"])
    return paths


def read_output(path) -> pd.DataFrame:
    """One output folder read back with pyarrow (local paths only)."""
    import pyarrow.dataset as ds

    files = sorted(Path(path).rglob("*.parquet"))
    if not files:
        return pd.DataFrame()
    return ds.dataset([str(f) for f in files], format="parquet").to_table().to_pandas()


def build_events(
    source,
    out,
    *,
    engine: str = "duckdb",
    spark_remote: str | None = None,
    session=None,
    codes: Path | None = None,
    root_only: bool = False,
    write_events: bool = True,
    staged_dir=None,
    stage_only: bool = False,
    progress: Callable[[str], None] | None = None,
    **engine_options,
) -> EventBuild:
    """Stage raw event files (unless ``source`` is staged already) and run the pipeline.

    Parameters
    ----------
    source : path or URI
        A folder of raw event files (GDELT zips, ICEWS/POLECAT tab files, Parquet
        extracts), or a staged folder (``year_month=...`` partitions, possibly on object
        storage as ``s3a://...``).
    out : path or URI
        Where the outputs go: ``events/`` (partitioned by year-month), ``dyad_month/``,
        ``dyad_year/``, ``pole_shares/``, ``coverage/``, ``rejections/``.
    engine : {"duckdb", "spark"}
    spark_remote : str, optional
        ``sc://HOST:PORT`` of a Spark Connect server.
    session : pyspark.sql.SparkSession, optional
        An existing Spark session.
    codes : Path, optional
        The folder with ``CAMEO.eventcodes.txt`` (default: beside ``source``).
    root_only : bool
        Aggregate GDELT root events only (events from a lead paragraph).
    write_events : bool
        Write the canonical event table (the aggregates are computed either way).
    staged_dir : path, optional
        Keep the staged Parquet here (default: a temporary folder, deleted after the run).
    stage_only : bool
        Stop after staging (to copy the staged folder to object storage for a cluster).

    Returns
    -------
    EventBuild
    """
    started = time.perf_counter()
    say = progress or (lambda _m: None)
    codes_folder = None if stage_only else _codes_folder(source, codes)
    with tempfile.TemporaryDirectory(prefix="allegiance-staged-") as scratch:
        if is_staged(source):
            staged, report = source, StageReport(pd.DataFrame(columns=["file", "dataset", "rows",
                                                                        "rejected"]))  # fmt: skip
        else:
            staged = Path(staged_dir) if staged_dir else Path(scratch) / "staged"
            report = stage(Path(source), staged, progress=say)
            if report.rows == 0 or stage_only:
                staged = None
        paths = {}
        if staged is not None:
            eng = connect(engine, spark_remote=spark_remote, session=session, **engine_options)
            try:
                paths = run(eng, staged, out, codes_folder, root_only=root_only,
                            write_events=write_events, say=say)  # fmt: skip
            finally:
                eng.close()
    readers = pd.DataFrame(
        [(_dataset(report, r.file), r.file, _line(r.record), r.field, r.reason)
         for r in report.rejections],
        columns=REJECTION_COLUMNS,
    )  # fmt: skip
    local = not is_uri(out) and paths
    frames = {k: read_output(paths[k]) for k in OUTPUTS[1:]} if local else {}
    pipeline_rejections = frames.pop("rejections", pd.DataFrame(columns=REJECTION_COLUMNS))
    rejections = pd.concat(
        [x for x in (readers, pipeline_rejections.reindex(columns=REJECTION_COLUMNS)) if len(x)]
        or [readers],
        ignore_index=True,
    )
    return EventBuild(
        out=str(out), engine=engine, seconds=time.perf_counter() - started, files=report.files,
        rejections=rejections, ignored=report.ignored, **frames,
    )  # fmt: skip


def _dataset(report: StageReport, file: str) -> str:
    match = report.files.loc[report.files["file"] == file, "dataset"]
    return str(match.iloc[0]) if len(match) else "unknown"


def _line(record: str) -> int | None:
    digits = record.split()[-1]
    return int(digits) if digits.isdigit() else None
