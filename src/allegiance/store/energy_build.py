"""Loading the energy flows and the Pew opinion shares into the store (issue 12).

Two tables, documented in docs/schema.md ("Energy and Pew opinion tables"):

``energy_flows``
    Every energy reader's rows, one unit per column (``bcm``, ``mt``, ``tj``, ``eur``,
    ``usd``), with the source, the series of the source, the basis and the flags
    (``aggregate``, ``part_of``, ``nowcast``).
``opinion_pew``
    Pew Global Attitudes favourable/unfavourable shares, one row per surveyed country,
    wave and target. Its shape (one row per target, the answers as columns) is not the
    Caucasus Barometer's (one row per answer code), so it has its own table.

As for the other channel tables, a missing value is NULL, never 0; rejected rows go to
``rejections``; every source read gets one row in ``sources``; a source whose files are
all absent from the mirror is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources import crea, ei_energy, eurostat_energy, iea_gas, mgimo, pew, registry
from allegiance.sources.energy_common import ENERGY_COLUMNS
from allegiance.store.channels_build import _nullable
from allegiance.store.expect import Expect, check_coverage

_DDL = """
CREATE TABLE IF NOT EXISTS energy_flows (
    exporter VARCHAR, exporter_name VARCHAR, exporter_kind VARCHAR,
    importer VARCHAR, importer_name VARCHAR, importer_kind VARCHAR,
    year INTEGER, month INTEGER, fuel VARCHAR,
    bcm DOUBLE, mt DOUBLE, tj DOUBLE, eur DOUBLE, usd DOUBLE,
    basis VARCHAR, route VARCHAR, aggregate BOOLEAN, part_of VARCHAR, nowcast BOOLEAN,
    series VARCHAR, source VARCHAR);
CREATE TABLE IF NOT EXISTS opinion_pew (
    state VARCHAR, year INTEGER, target VARCHAR, favorable DOUBLE, unfavorable DOUBLE,
    very_favorable DOUBLE, somewhat_favorable DOUBLE, somewhat_unfavorable DOUBLE,
    very_unfavorable DOUBLE, dont_know DOUBLE, refused DOUBLE, n_respondents INTEGER,
    sum_weights DOUBLE, survey VARCHAR);
"""

#: Source key, table, and (file under the mirror, reader) for each of its files.
ENERGY_SOURCES = (
    ("ei_statistical_review", "energy_flows", (
        ("energy/ei_statistical_review_energy_trade_movements_2016_2025.parquet",
         ei_energy.read_trade_movements),
        ("energy/ei_statistical_review_gas_interregional_trade_2000_2025.parquet",
         ei_energy.read_interregional),
    )),
    ("iea_gas_trade_flows", "energy_flows", (
        ("energy/iea_gas_trade_flows_borderpoints_monthly_2008_2022.parquet", iea_gas.read),
    )),
    ("eurostat_energy", "energy_flows", (
        ("energy/eurostat_energy_imports_by_partner_monthly_2008_2022.parquet",
         eurostat_energy.read),
    )),
    ("crea", "energy_flows", (
        ("energy/crea_russia_fossil_exports_by_destination_monthly_2016_2022.parquet", crea.read),
    )),
    ("mgimo", "energy_flows", (
        ("energy/mgimo_russia_exports_partner_reported_monthly_2019_2026.parquet", mgimo.read),
    )),
    ("pew", "opinion_pew", (
        ("opinion/pew_global_attitudes_country_views_2002_2023.parquet", pew.read),
    )),
)  # fmt: skip

_COLUMNS = {"energy_flows": ENERGY_COLUMNS, "opinion_pew": pew.COLUMNS}

#: What each file must yield (about 70-80% of the rows of the staged release, and its first
#: and last years), so that an empty or truncated file fails the build (docs/reliability.md).
EXPECT = {
    "energy/ei_statistical_review_energy_trade_movements_2016_2025.parquet":
        Expect(min_rows=15_000, years=(2016, 2023)),
    "energy/ei_statistical_review_gas_interregional_trade_2000_2025.parquet":
        Expect(min_rows=1_800, years=(2000, 2025)),
    "energy/iea_gas_trade_flows_borderpoints_monthly_2008_2022.parquet":
        Expect(min_rows=28_000, years=(2008, 2022)),
    "energy/eurostat_energy_imports_by_partner_monthly_2008_2022.parquet":
        Expect(min_rows=90_000, years=(2008, 2022)),
    "energy/crea_russia_fossil_exports_by_destination_monthly_2016_2022.parquet":
        Expect(min_rows=13_000, years=(2016, 2022)),
    "energy/mgimo_russia_exports_partner_reported_monthly_2019_2026.parquet":
        Expect(min_rows=1_300, years=(2019, 2025)),
    "opinion/pew_global_attitudes_country_views_2002_2023.parquet":
        Expect(min_rows=2_000, years=(2002, 2023)),
}  # fmt: skip


def write_energy(con, mirror: Path) -> list[str]:
    """Write ``energy_flows`` and ``opinion_pew``; return the sources skipped (no file)."""
    con.execute(_DDL)
    skipped = []
    for name, table, files in ENERGY_SOURCES:
        present = [
            (rel, Path(mirror) / rel, read) for rel, read in files if (Path(mirror) / rel).is_file()
        ]
        if not present:
            skipped.append(name)
            continue
        rejected, paths = [], []
        for rel, path, read in present:
            loaded = read(path)
            check_coverage(loaded.frame, EXPECT[rel], path)
            frame = _nullable(loaded.frame[_COLUMNS[table]])
            con.register("frame", frame)
            con.execute(f"INSERT INTO {table} SELECT * FROM frame")
            con.unregister("frame")
            rejected += loaded.rejected
            paths.append(str(path))
        if rejected:
            rows = pd.DataFrame(
                [(name, r.file, r.record, r.field, r.reason) for r in rejected],
                columns=["source", "file", "record", "field", "reason"],
            )
            con.register("rejected", rows)
            con.execute("INSERT INTO rejections SELECT * FROM rejected")
            con.unregister("rejected")
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, NULL, NULL, ?)",
            [name, registry.source(name).citation, paths, len(rejected)],
        )
    con.execute("CREATE INDEX energy_exporter ON energy_flows (exporter, year)")
    con.execute("CREATE INDEX energy_importer ON energy_flows (importer, year)")
    return skipped
