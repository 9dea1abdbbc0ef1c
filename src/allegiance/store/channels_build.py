"""Loading the non-vote channels (trade, arms, opinion, US troops, boundaries) into the store.

Each table is documented in docs/schema_channels.md. Values are converted to one unit per
table (trade in USD, arms in millions of SIPRI TIV); a missing value stays NULL and is never
written as 0. Rows a reader rejects go to the ``rejections`` table and every source read
gets a row in ``sources``. A source absent from the mirror is skipped.

Every source is validated the same way whatever its reader (docs/reliability.md): its rows
against the rules of its table (:data:`TABLES`: natural key, required columns, ranges),
then its coverage against its :class:`~allegiance.store.expect.Expect`. A new table needs
an entry in :data:`TABLES` (its rules, and how the build counts its coverage to compare
with the previous store) and a new source an ``expect``; nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from allegiance.sources import (
    armstat,
    caucasus_barometer,
    comtrade,
    cow_trade,
    natural_earth,
    registry,
    sipri,
    troopdata,
)
from allegiance.store.expect import Expect, RowRules, check_coverage, check_rows

TRADE_COLUMNS = [
    "reporter", "partner", "partner_name", "partner_kind", "year", "month",
    "exports_usd", "imports_usd", "imports_consignment_usd", "source",
]  # fmt: skip
ARMS_COLUMNS = [
    "supplier", "recipient", "supplier_name", "recipient_name", "supplier_kind",
    "recipient_kind", "year", "tiv", "source",
]  # fmt: skip
US_TROOPS_COLUMNS = [
    "host", "host_name", "year", "quarter", "report", "troops_active_duty", "troops_all",
]  # fmt: skip
OPINION_COLUMNS = [
    "state", "year", "variable", "variable_label", "code", "value_label", "share",
    "n_unweighted", "n_country_total", "survey", "source_file",
]  # fmt: skip

_DDL = """
CREATE TABLE IF NOT EXISTS trade_flows (
    reporter VARCHAR, partner VARCHAR, partner_name VARCHAR, partner_kind VARCHAR,
    year INTEGER, month INTEGER, exports_usd DOUBLE, imports_usd DOUBLE,
    imports_consignment_usd DOUBLE, source VARCHAR);
CREATE TABLE IF NOT EXISTS arms_transfers (
    supplier VARCHAR, recipient VARCHAR, supplier_name VARCHAR, recipient_name VARCHAR,
    supplier_kind VARCHAR, recipient_kind VARCHAR, year INTEGER, tiv DOUBLE, source VARCHAR);
CREATE TABLE IF NOT EXISTS opinion (
    state VARCHAR, year INTEGER, variable VARCHAR, variable_label VARCHAR, code INTEGER,
    value_label VARCHAR, share DOUBLE, n_unweighted INTEGER, n_country_total INTEGER,
    survey VARCHAR, source_file VARCHAR);
CREATE TABLE IF NOT EXISTS us_troops (
    host VARCHAR, host_name VARCHAR, year INTEGER, quarter INTEGER, report VARCHAR,
    troops_active_duty INTEGER, troops_all DOUBLE);
CREATE TABLE IF NOT EXISTS boundaries (iso3 VARCHAR, name VARCHAR, geojson VARCHAR);
"""


@dataclass(frozen=True)
class _Loaded:
    table: str
    frame: pd.DataFrame
    rejected: list
    files: list[Path]
    #: Where each row of ``frame`` was read ("line 12"), if the reader tells.
    records: pd.Series | None = None


@dataclass(frozen=True)
class LoadedSource:
    """One channel source read and validated, ready to write."""

    source: ChannelSource
    loaded: _Loaded


@dataclass(frozen=True)
class ChannelSource:
    name: str
    path: str  # relative to the mirror
    load: Callable[[Path], _Loaded]
    #: What the source must hold (figures from the pinned release; docs/reliability.md).
    expect: Expect = Expect()

    @property
    def citation(self) -> str:
        return registry.source(self.name).citation


def _cow(path: Path) -> _Loaded:
    read = cow_trade.read(path)
    f = read.frame
    frame = pd.DataFrame(
        {
            "reporter": f["reporter"],
            "partner": f["partner"],
            "partner_name": pd.NA,
            "partner_kind": "state",
            "year": f["year"],
            "month": pd.NA,
            # COW is in current million USD.
            "exports_usd": f["exports_musd"].astype(float) * 1e6,
            "imports_usd": f["imports_musd"].astype(float) * 1e6,
            "imports_consignment_usd": float("nan"),
            "source": "cow_trade",
        }
    )
    return _Loaded("trade_flows", frame, read.rejected, [path], read.records)


def _comtrade(path: Path) -> _Loaded:
    read = comtrade.read(path)
    f = read.frame[read.frame["flow"].eq("export")]
    # Comtrade's "World" rows (W00) are totals, not partners; they stay out so that sums
    # over partners never count trade twice.
    frame = pd.DataFrame(
        {
            "reporter": f["reporter"],
            "partner": f["partner"],
            "partner_name": f["partner_name"],
            "partner_kind": f["partner_kind"],
            "year": f["year"],
            "month": pd.NA,
            "exports_usd": f["value_usd"].astype(float),
            "imports_usd": float("nan"),
            "imports_consignment_usd": float("nan"),
            "source": "comtrade",
        }
    )
    return _Loaded("trade_flows", frame, read.rejected, [path], read.records)


def _armstat(path: Path) -> _Loaded:
    read = armstat.read(path)
    f = read.frame
    frame = pd.DataFrame(
        {
            "reporter": f["reporter"],
            "partner": f["partner"],
            "partner_name": f["partner_name"],
            "partner_kind": f["partner_kind"],
            "year": f["year"],
            "month": f["month"],
            # Armstat is in thousand USD; imports are by country of origin.
            "exports_usd": f["exports_kusd"].astype(float) * 1e3,
            "imports_usd": f["imports_kusd"].astype(float) * 1e3,
            "imports_consignment_usd": f["imports_consignment_kusd"].astype(float) * 1e3,
            "source": "armstat",
        }
    )
    return _Loaded("trade_flows", frame, read.rejected, [path], read.records)


def _sipri(path: Path) -> _Loaded:
    read = sipri.read_tiv(path)
    f = read.frame
    frame = pd.DataFrame(
        {
            "supplier": f["supplier"],
            "recipient": f["recipient"],
            "supplier_name": f["supplier_name"],
            "recipient_name": f["recipient_name"],
            "supplier_kind": f["supplier_kind"],
            "recipient_kind": f["recipient_kind"],
            "year": f["year"],
            "tiv": f["tiv_millions"].astype(float),
            "source": "sipri",
        }
    )
    return _Loaded("arms_transfers", frame, read.rejected, [path], read.records)


def _barometer(path: Path) -> _Loaded:
    read = caucasus_barometer.read(path)
    frame = read.frame.rename(columns={"weighted_share": "share"})[OPINION_COLUMNS]
    return _Loaded("opinion", frame, read.rejected, [path], read.records)


def _troopdata(path: Path) -> _Loaded:
    read = troopdata.read(path)
    return _Loaded("us_troops", read.frame[US_TROOPS_COLUMNS], read.rejected, [path],
                   read.records)  # fmt: skip


def _natural_earth(path: Path) -> _Loaded:
    features = natural_earth.read(path)
    frame = pd.DataFrame(
        {
            "iso3": list(features),
            "name": [f.get("properties", {}).get("NAME") for f in features.values()],
            "geojson": [json.dumps(f, ensure_ascii=False) for f in features.values()],
        }
    )
    records = pd.Series([f"feature {i}" for i in range(len(frame))])
    return _Loaded("boundaries", frame, [], [path], records)


# Expectations: about 70% of the rows of the pinned release (a truncated or half-written
# file falls below; a revision of the release does not), and every year it covers.
CHANNEL_SOURCES = (
    ChannelSource("cow_trade", "trade/cow_dyadic_trade_v4_1870_2014.parquet", _cow,
                  Expect(min_rows=1_000_000, years=tuple(range(1870, 2015)))),
    ChannelSource("comtrade", "trade/comtrade_exports_by_partner_2021.csv.gz", _comtrade,
                  Expect(min_rows=15_000, years=(2021,))),
    ChannelSource("armstat", "trade/armstat_armenia_trade_by_partner_monthly_2007_2024.csv.gz",
                  _armstat, Expect(min_rows=20_000, years=tuple(range(2007, 2025)))),
    ChannelSource("sipri", "arms/sipri_tiv_by_supplier_recipient_year_1995_2024.csv", _sipri,
                  Expect(min_rows=8_000, years=tuple(range(1995, 2025)))),
    ChannelSource("caucasus_barometer",
                  "opinion/caucasus_barometer_foreign_policy_attitudes_2009_2011_2020.csv",
                  _barometer, Expect(min_rows=300, years=(2009, 2010, 2011, 2020))),
    ChannelSource("troopdata", "bases/us_troops_by_host_country_1950_2024.parquet", _troopdata,
                  Expect(min_rows=20_000, years=tuple(range(1950, 2025)))),
    ChannelSource("natural_earth", "geo/ne_110m_admin_0_countries.geojson.gz", _natural_earth,
                  Expect(min_rows=170)),
)  # fmt: skip

_COLUMNS = {"trade_flows": TRADE_COLUMNS, "arms_transfers": ARMS_COLUMNS,
            "opinion": OPINION_COLUMNS, "us_troops": US_TROOPS_COLUMNS,
            "boundaries": ["iso3", "name", "geojson"]}  # fmt: skip

_YEAR = (1800, 2100)
#: What a valid row of each table is, and how its coverage is counted (source, year).
TABLES: dict[str, RowRules] = {
    "trade_flows": RowRules(
        key=("reporter", "partner", "partner_name", "year", "month"),
        key_requires=("reporter",),
        required=("year",),
        ranges={"year": _YEAR, "month": (1, 12), "exports_usd": (0, None),
                "imports_usd": (0, None), "imports_consignment_usd": (0, None)},
    ),
    "arms_transfers": RowRules(
        key=("supplier_name", "supplier_kind", "recipient_name", "recipient_kind", "year"),
        required=("supplier_name", "recipient_name", "year", "tiv"),
        ranges={"year": _YEAR, "tiv": (0, None)},
    ),
    "opinion": RowRules(
        key=("survey", "state", "year", "variable", "code"),
        required=("state", "year", "variable", "code", "share"),
        ranges={"year": _YEAR, "share": (0, 1), "n_unweighted": (0, None),
                "n_country_total": (0, None)},
        coverage=("survey", "year"),
    ),
    "us_troops": RowRules(
        key=("host", "year", "quarter"),
        required=("host", "year", "quarter", "troops_active_duty"),
        ranges={"year": _YEAR, "quarter": (1, 4), "troops_active_duty": (0, None),
                "troops_all": (0, None)},
        coverage=("'troopdata'", "year"),
    ),
    "boundaries": RowRules(key=("iso3",), required=("iso3", "geojson"),
                           coverage=("'natural_earth'", None)),
    # Written by energy_build (its readers validate the rows); listed here for the
    # comparison of a new store's coverage with the previous one.
    "energy_flows": RowRules(coverage=("source", "year")),
    "opinion_pew": RowRules(coverage=("'pew'", "year")),
}  # fmt: skip


def _nullable(frame: pd.DataFrame) -> pd.DataFrame:
    """Pandas dtypes that DuckDB reads with NULL for missing (a float NaN would stay NaN)."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_bool_dtype(values):
            out[col] = values.astype("boolean")
        elif pd.api.types.is_float_dtype(values):
            out[col] = values.astype("Float64")
        elif pd.api.types.is_integer_dtype(values):
            out[col] = values.astype("Int64")
        else:
            out[col] = values.astype("string")
    return pd.DataFrame(out)


def load_channels(mirror: Path) -> list[LoadedSource]:
    """Read and validate every channel source present in the mirror.

    Rows that break their table's rules are added to the source's rejections; a source
    that then holds less than its ``expect`` raises.

    Raises
    ------
    SourceError
        A file cannot be read, lacks a column, or holds too little (names the file).
    """
    out = []
    for source in CHANNEL_SOURCES:
        path = Path(mirror) / source.path
        if not path.is_file():
            continue
        loaded = source.load(path)
        rules = TABLES.get(loaded.table, RowRules())  # a table without rules yet: none
        frame, rejected = check_rows(
            loaded.frame[_COLUMNS[loaded.table]], rules, path.name, loaded.records
        )
        check_coverage(frame, source.expect, path)
        loaded = _Loaded(loaded.table, frame, [*loaded.rejected, *rejected], loaded.files)
        out.append(LoadedSource(source, loaded))
    return out


def write_channels(con, mirror: Path, loaded: list[LoadedSource] | None = None) -> list[str]:
    """Write the channel tables; a source missing from the mirror is skipped.

    ``loaded`` is what :func:`load_channels` returned, when the caller read the sources
    before (the build does, to fail early); default: read them now.

    Returns the names of the sources that were skipped.
    """
    con.execute(_DDL)
    loaded = load_channels(mirror) if loaded is None else loaded
    present = {item.source.name for item in loaded}
    skipped = [source.name for source in CHANNEL_SOURCES if source.name not in present]
    for item in loaded:
        source, loaded_source = item.source, item.loaded
        frame = _nullable(loaded_source.frame[_COLUMNS[loaded_source.table]])
        con.register("frame", frame)
        con.execute(f"INSERT INTO {loaded_source.table} SELECT * FROM frame")
        con.unregister("frame")
        rejected = pd.DataFrame(
            [(source.name, r.file, r.record, r.field, r.reason) for r in loaded_source.rejected],
            columns=["source", "file", "record", "field", "reason"],
        )
        if len(rejected):
            con.register("rejected", rejected)
            con.execute("INSERT INTO rejections SELECT * FROM rejected")
            con.unregister("rejected")
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, NULL, NULL, ?)",
            [source.name, source.citation, [str(f) for f in loaded_source.files], len(rejected)],
        )
    con.execute("CREATE INDEX trade_reporter ON trade_flows (reporter, year)")
    con.execute("CREATE INDEX arms_recipient ON arms_transfers (recipient, year)")
    con.execute("CREATE INDEX us_troops_host ON us_troops (host, year)")
    from allegiance.store.energy_build import write_energy  # energy and Pew: energy_build.py

    return skipped + write_energy(con, mirror)
