"""The same pipeline on Spark (local[2]) gives the same aggregates as on DuckDB.

One Spark session for the whole test run; one Spark build, on the mirror's real event
files plus a file of bad rows (which add no events), compared with the DuckDB build of the
same folder: counts equal exactly, means to 1e-9, bad rows reported the same way.
"""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest
from events_helpers import bad_gdelt_file

from allegiance.store.events import build_events

#: Starting a Spark session takes ~20 s: `make test-fast` leaves these tests out.
pytestmark = pytest.mark.spark

KEYS = {
    "dyad_month": ["dataset", "state", "partner", "year", "month"],
    "dyad_year": ["dataset", "state", "partner", "year"],
    "pole_shares": ["dataset", "state", "year", "pole"],
    "coverage": ["dataset", "year", "month", "action_state"],
}


@pytest.fixture(scope="session")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Spark needs a Java runtime: apt-get install default-jre-headless (.ci/run)")

    from allegiance.store.events.engine import spark_session

    session = spark_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def folder(mirror, tmp_path_factory):
    root = tmp_path_factory.mktemp("events-raw")
    for f in (mirror / "events").iterdir():
        (root / f.name).symlink_to(f)
    bad_gdelt_file(mirror, root)
    return root


@pytest.fixture(scope="module")
def both(folder, spark, tmp_path_factory):
    out = tmp_path_factory.mktemp("events-out")
    duck = build_events(folder, out / "duckdb")
    on_spark = build_events(folder, out / "spark", engine="spark", session=spark)
    return duck, on_spark


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, na_position="first").reset_index(drop=True)


@pytest.mark.parametrize("name", list(KEYS))
def test_same_aggregates_on_duckdb_and_spark(both, name):
    duck, spark = (getattr(b, name) for b in both)
    assert len(duck) > 0 and len(duck) == len(spark)
    a, b = _sorted(duck, KEYS[name]), _sorted(spark[duck.columns], KEYS[name])
    for column in a.columns:
        x, y = a[column], b[column]
        if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
            assert (x.isna() == y.isna()).all(), column
            assert (x - y).abs().max() <= 1e-9 or x.isna().all(), column
        else:
            assert x.astype(str).tolist() == y.astype(str).tolist(), column


def test_counts_are_the_real_ones_on_spark(both):
    _, spark = both
    m = spark.dyad_month
    row = m[(m["state"] == "RUS") & (m["partner"] == "GEO") & (m["year"] == 2011) &
            (m["month"] == 8)]  # fmt: skip
    assert row["events"].tolist() == [11]


def test_bad_rows_are_reported_the_same_on_spark(both):
    duck, spark = both
    cols = ["file", "line", "field", "reason"]
    a = _sorted(duck.rejections[cols], cols)
    b = _sorted(spark.rejections[cols], cols)
    assert a.astype(str).values.tolist() == b.astype(str).values.tolist()
    assert ("20130401.export.CSV.zip", 1, "EventCode") in {
        (r.file, r.line, r.field) for r in b.itertuples()
    }


def test_canonical_event_tables_match(both):
    import pyarrow.dataset as ds

    counts = []
    for built in both:
        t = ds.dataset(f"{built.out}/events", format="parquet", partitioning="hive").to_table(
            columns=["dataset", "duplicate"]
        )
        frame = t.to_pandas()
        counts.append(frame.groupby(["dataset", "duplicate"]).size().to_dict())
    assert counts[0] == counts[1]
    assert sum(v for (d, _), v in counts[0].items() if d == "gdelt1") == 105_438
