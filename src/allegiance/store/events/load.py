"""Loading the event aggregates into the store (called by ``allegiance build``).

The pipeline runs with DuckDB on the mirror's ``events/`` folder; the aggregates become
the tables ``event_dyad_months``, ``event_dyad_years``, ``event_pole_shares`` and
``event_coverage`` (docs/schema.md). Rejected rows join the store's ``rejections`` table
and each dataset gets a row in ``sources``. A mirror without event files adds empty tables.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from allegiance.sources import registry
from allegiance.store.events.run import build_events

#: Registry source of each dataset label.
SOURCE_OF = {"gdelt1": "gdelt", "gdelt2": "gdelt", "icews": "icews", "polecat": "polecat"}

_DYAD = """dataset VARCHAR, state VARCHAR, partner VARCHAR, year INTEGER, {month}
    events BIGINT, verbal_cooperation BIGINT, material_cooperation BIGINT,
    verbal_conflict BIGINT, material_conflict BIGINT, cooperation BIGINT, conflict BIGINT,
    mentions BIGINT, cooperation_mentions BIGINT, conflict_mentions BIGINT,
    goldstein_n BIGINT, goldstein_sum DOUBLE, goldstein_weight BIGINT,
    goldstein_weighted_sum DOUBLE, tone_n BIGINT, tone_sum DOUBLE, goldstein_mean DOUBLE,
    goldstein_weighted_mean DOUBLE, tone_mean DOUBLE"""
DDL = {
    "event_dyad_months": _DYAD.format(month="month INTEGER,"),
    "event_dyad_years": _DYAD.format(month=""),
    "event_pole_shares": """dataset VARCHAR, state VARCHAR, year INTEGER, pole VARCHAR,
        cooperation BIGINT, conflict BIGINT, events BIGINT, cooperation_total BIGINT,
        conflict_total BIGINT, events_total BIGINT, cooperation_share DOUBLE,
        conflict_share DOUBLE""",
    "event_coverage": """dataset VARCHAR, year INTEGER, month INTEGER, action_state VARCHAR,
        events BIGINT, days BIGINT, state_events BIGINT""",
}
_FRAMES = {"event_dyad_months": "dyad_month", "event_dyad_years": "dyad_year",
           "event_pole_shares": "pole_shares", "event_coverage": "coverage"}  # fmt: skip


def write_events(con, folder: Path) -> pd.DataFrame:
    """Run the pipeline on ``folder`` and write its tables through the connection ``con``.

    Returns the per-file summary (``file, dataset, rows, rejected``).
    """
    for table, columns in DDL.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
    folder = Path(folder)
    if not (folder.is_dir() and (folder / "CAMEO.eventcodes.txt").is_file()):
        return pd.DataFrame(columns=["file", "dataset", "rows", "rejected"])
    with tempfile.TemporaryDirectory(prefix="allegiance-events-") as out:
        built = build_events(folder, out, engine="duckdb", write_events=False, threads=2)
    for table, name in _FRAMES.items():
        frame = getattr(built, name)
        if frame is None or frame.empty:
            continue
        con.register("frame", frame)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
        con.unregister("frame")
    rejected = built.rejections
    if len(rejected):
        rows = pd.DataFrame(
            {
                "source": rejected["dataset"].map(SOURCE_OF).fillna("events"),
                "file": rejected["file"],
                "record": [f"line {x}" if pd.notna(x) else "file" for x in rejected["line"]],
                "field": rejected["field"],
                "reason": rejected["reason"],
            }
        )
        con.register("rejected", rows)
        con.execute("INSERT INTO rejections SELECT * FROM rejected")
        con.unregister("rejected")
    files = built.files
    for source in sorted({SOURCE_OF.get(d, d) for d in files["dataset"]} - {"unknown"}):
        mine = files[files["dataset"].map(lambda d, s=source: SOURCE_OF.get(d, d) == s)]
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, NULL, NULL, ?)",
            [source, registry.source(source).citation, [str(folder / f) for f in mine["file"]],
             int(mine["rejected"].sum())],
        )  # fmt: skip
    con.execute(
        "INSERT INTO sources VALUES (?, ?, ?, NULL, NULL, 0)",
        ["cameo", registry.source("cameo").citation,
         [str(folder / "CAMEO.eventcodes.txt"), str(folder / "CAMEO.goldsteinscale.txt")]],
    )  # fmt: skip
    return files
