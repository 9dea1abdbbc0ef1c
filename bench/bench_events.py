"""Event pipeline at scale: DuckDB and Spark local[2] end to end from Parquet, and pandas.

SYNTHETIC DATA. The real GDELT Georgia extract of the mirror (105,438 events) is staged
once and replicated into 10 M ... 100 M events, each copy with shifted event ids and dates
shifted by two weeks per copy, written as Parquet partitioned by year-month in a temporary
folder. The copies are for timing only, never for findings.

Each run is a fresh process (so its peak memory is its own): the pipeline reads the staged
Parquet and writes the aggregates (as ``allegiance build`` does); ``--with-events-table``
also writes the canonical event table partitioned by year-month. Peak memory is the largest resident set of the process and its children (the
JVM for Spark), sampled every 0.2 s. The pandas baseline does the same resolution,
deduplication and dyad-month aggregation on a 5 M slice in plain pandas.

    python bench/bench_events.py [--sizes 10,50,100] [--engines duckdb,spark]
                                 [--spark-sizes 10] [--pandas 5] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import MIRROR, machine  # noqa: E402

EXTRACT = MIRROR / "events" / "gdelt1_events_actiongeo_georgia_2011_06_2013_05.parquet"


def replicate(millions: int, folder: Path) -> int:
    """Write ``millions`` M synthetic events (copies of the real extract) under ``folder``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    from allegiance.sources import gdelt

    base = gdelt.read(EXTRACT).table
    n = base.num_rows
    copies = -(-millions * 1_000_000 // n)
    want = millions * 1_000_000
    ids = pc.cast(base.column("event_id"), pa.int64())
    days = pc.cast(base.column("date"), pa.int32())
    part = ds.partitioning(pa.schema([("year_month", pa.string())]), flavor="hive")
    written = 0
    batch = []
    for i in range(copies):
        take = min(n, want - written)
        t = base.slice(0, take)
        shifted = pc.cast(pc.cast(pc.add(days.slice(0, take), i * 14), pa.int32()), pa.date32())
        t = t.set_column(
            t.schema.get_field_index("event_id"),
            "event_id",
            pc.cast(pc.add(ids.slice(0, take), i * 10**9), pa.string()),
        )
        t = t.set_column(t.schema.get_field_index("date"), "date", shifted)
        t = t.set_column(
            t.schema.get_field_index("file"),
            "file",
            pa.array(np.full(take, f"synthetic-{i}", dtype=object), pa.string()),
        )
        month = pc.strftime(pc.cast(shifted, pa.timestamp("s")), format="%Y-%m")
        batch.append(t.append_column("year_month", month))
        written += take
        if len(batch) == 20 or written >= want:
            ds.write_dataset(
                pa.concat_tables(batch),
                folder,
                format="parquet",
                partitioning=part,
                basename_template=f"copy{i}-{{i}}.parquet",
                existing_data_behavior="overwrite_or_ignore",
                max_rows_per_group=1 << 20,
            )
            batch = []
        if written >= want:
            break
    return written


def _peak_rss(stop: threading.Event, out: list[int]) -> None:
    """Largest RSS of this process plus its descendants, in bytes."""
    me = os.getpid()
    page = os.sysconf("SC_PAGE_SIZE")
    while not stop.is_set():
        parents, rss = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
                rss[int(entry)] = int(fields[21]) * page
            except (OSError, IndexError, ValueError):
                continue
        family, frontier = {me}, [me]
        while frontier:
            p = frontier.pop()
            kids = [c for c, pp in parents.items() if pp == p and c not in family]
            family.update(kids)
            frontier.extend(kids)
        out.append(sum(rss.get(p, 0) for p in family))
        stop.wait(0.2)


def one(
    engine: str, staged: Path, out: Path, codes: Path, events: int, write_events: bool = False
) -> dict:
    """Run the pipeline once (in this process) and return its figures."""
    from allegiance.store.events import connect, run

    samples: list[int] = []
    stop = threading.Event()
    sampler = threading.Thread(target=_peak_rss, args=(stop, samples), daemon=True)
    sampler.start()
    options = {}
    if engine == "duckdb":
        options = {"threads": 2, "memory_limit": "3GB", "temp_directory": str(out) + ".spill"}
    else:
        os.environ.setdefault("ALLEGIANCE_SPARK_MEMORY", "3g")
    started = time.perf_counter()
    eng = connect(engine, **options)
    startup = time.perf_counter() - started
    run(eng, staged, out, codes, write_events=write_events)
    eng.close()
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    return {
        "engine": engine,
        "events": events,
        "wall_s": wall,
        "startup_s": startup,
        "events_per_s": events / wall,
        "peak_rss_gib": max(samples) / 2**30,
        "write_events": write_events,
        "load": os.getloadavg()[0],
    }


def pandas_baseline(staged: Path, codes: Path, events: int) -> dict:
    """The same resolution, deduplication and dyad-month counts in plain pandas."""
    import pandas as pd
    import pyarrow.dataset as ds

    from allegiance.store.events import lookups

    started = time.perf_counter()
    cols = [
        "event_id",
        "date",
        "source_country",
        "target_country",
        "cameo_code",
        "goldstein",
        "num_mentions",
        "tone",
        "document",
        "dataset",
        "file",
        "line",
    ]
    t = ds.dataset(staged, format="parquet", partitioning="hive").to_table(columns=cols)
    e = t.slice(0, events).to_pandas()
    spells = lookups.countries()
    key = (pd.to_datetime(e["date"]).dt.strftime("%Y%m%d")).astype(int)
    e = e.assign(day_key=key)
    for side in ("source", "target"):
        m = (
            e[[f"{side}_country", "day_key"]]
            .reset_index()
            .merge(spells, left_on=f"{side}_country", right_on="code", how="left")
        )
        m = m[(m["day_key"] >= m["first_key"]) & (m["day_key"] < m["last_key"])]
        e[f"{side}_state"] = m.set_index("index")["state"].reindex(e.index)
    c = lookups.codes(codes)[["cameo_code", "quad_class"]]
    e = e.merge(c, on="cameo_code", how="inner")
    e = e.sort_values(["event_id", "file", "line"])
    dup = (
        e.duplicated(["dataset", "date", "source_state", "target_state", "cameo_code", "document"])
        & e["document"].notna()
    )
    e = e[
        ~dup
        & e["source_state"].notna()
        & e["target_state"].notna()
        & (e["source_state"] != e["target_state"])
    ]
    e["year"] = pd.to_datetime(e["date"]).dt.year
    e["month"] = pd.to_datetime(e["date"]).dt.month
    for q in (1, 2, 3, 4):
        e[f"q{q}"] = (e["quad_class"] == q).astype("int64")
    months = e.groupby(["dataset", "source_state", "target_state", "year", "month"]).agg(
        events=("event_id", "size"),
        q1=("q1", "sum"),
        q2=("q2", "sum"),
        q3=("q3", "sum"),
        q4=("q4", "sum"),
        goldstein_mean=("goldstein", "mean"),
        tone_mean=("tone", "mean"),
        mentions=("num_mentions", "sum"),
    )
    wall = time.perf_counter() - started
    return {
        "engine": "pandas",
        "events": events,
        "wall_s": wall,
        "events_per_s": events / wall,
        "dyad_months": len(months),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,50,100", help="millions of events (DuckDB)")
    parser.add_argument("--spark-sizes", default="10", help="millions of events (Spark)")
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--pandas", type=int, default=5, help="millions for the pandas slice")
    parser.add_argument("--work", default=None, help="scratch folder (default: a temp folder)")
    parser.add_argument(
        "--with-events-table",
        action="store_true",
        help="also write the canonical event table (100 M rows at 100 M)",
    )
    parser.add_argument(
        "--one", nargs=5, metavar=("ENGINE", "STAGED", "OUT", "EVENTS", "W"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    codes = MIRROR / "events"
    if args.one:
        engine, staged, out, events, w = args.one
        print(json.dumps(one(engine, Path(staged), Path(out), codes, int(events), w == "1")))
        return
    work = Path(args.work or tempfile.mkdtemp(prefix="allegiance-bench-events-"))
    print(f"machine: {machine()}")
    print(
        "data: SYNTHETIC - the real GDELT Georgia extract (105,438 events) replicated with "
        "shifted ids and dates; timings only, never findings"
    )
    print(
        "run: staged Parquet -> aggregates (dyad-month, dyad-year, pole shares, coverage, "
        "rejections) as Parquet"
        + (
            " + the canonical event table"
            if args.with_events_table
            else "; the canonical event table is not written"
        )
    )
    sizes = sorted(
        {int(s) for s in args.sizes.split(",")} | {int(s) for s in args.spark_sizes.split(",")}
    )
    results = []
    for size in sizes:
        staged = work / f"staged-{size}M"
        if not staged.exists():
            started = time.perf_counter()
            n = replicate(size, staged)
            print(
                f"replicated {n:,} events in {time.perf_counter() - started:.0f} s "
                f"({sum(f.stat().st_size for f in staged.rglob('*.parquet')) / 2**30:.2f} GiB)"
            )
        n = size * 1_000_000
        engines = [
            e
            for e in args.engines.split(",")
            if (e == "duckdb" and str(size) in args.sizes.split(","))
            or (e == "spark" and str(size) in args.spark_sizes.split(","))
        ]
        for engine in engines:
            out = work / f"out-{engine}-{size}M"
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    engine,
                    str(staged),
                    str(out),
                    str(n),
                    "1" if args.with_events_table else "0",
                ],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                print(f"{engine} {size}M failed: {proc.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append(r)
            print(
                f"{engine:7s} {n / 1e6:6.0f} M events: {r['wall_s']:7.1f} s, "
                f"{r['events_per_s'] / 1e6:5.2f} M events/s, peak RSS "
                f"{r['peak_rss_gib']:.2f} GiB (engine start {r['startup_s']:.1f} s, load "
                f"average {r['load']:.1f})"
            )
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(str(out) + ".spill", ignore_errors=True)
    if args.pandas:
        smallest = work / f"staged-{sizes[0]}M"
        n = args.pandas * 1_000_000
        p = pandas_baseline(smallest, codes, n)
        import pyarrow.dataset as ds

        sliced = work / f"slice-{args.pandas}M"
        table = ds.dataset(smallest, format="parquet", partitioning="hive").to_table()
        ds.write_dataset(
            table.slice(0, n),
            sliced,
            format="parquet",
            partitioning=["year_month"],
            partitioning_flavor="hive",
            existing_data_behavior="overwrite_or_ignore",
        )
        del table
        duck = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                "duckdb",
                str(sliced),
                str(work / "out-slice"),
                str(n),
                "0",
            ],
            capture_output=True,
            text=True,
        )
        d = json.loads(duck.stdout.strip().splitlines()[-1])
        print(
            f"pandas  {n / 1e6:6.0f} M events: {p['wall_s']:7.1f} s, "
            f"{p['events_per_s'] / 1e6:5.2f} M events/s (DuckDB on the same slice "
            f"{d['wall_s']:.1f} s: {p['wall_s'] / d['wall_s']:.1f}x faster)"
        )
    if len([r for r in results if r["engine"] == "duckdb"]) >= 2:
        duck = sorted((r for r in results if r["engine"] == "duckdb"), key=lambda r: r["events"])
        per = [r["wall_s"] / (r["events"] / 1e6) for r in duck]
        print(
            "duckdb seconds per million events by size: "
            + ", ".join(f"{r['events'] / 1e6:.0f}M {s:.2f}" for r, s in zip(duck, per, strict=True))
        )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
