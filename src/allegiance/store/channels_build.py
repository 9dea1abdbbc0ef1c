"""Loading the non-vote channels (trade, arms, opinion, boundaries) into the store.

Each table is documented in docs/schema_channels.md. Values are converted to one unit per
table (trade in USD, arms in millions of SIPRI TIV); a missing value stays NULL and is never
written as 0. Rows a reader rejects go to the ``rejections`` table and every source read
gets a row in ``sources``. A source absent from the mirror is skipped.
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
)

TRADE_COLUMNS = [
    "reporter", "partner", "partner_name", "partner_kind", "year", "month",
    "exports_usd", "imports_usd", "imports_consignment_usd", "source",
]  # fmt: skip
ARMS_COLUMNS = [
    "supplier", "recipient", "supplier_name", "recipient_name", "supplier_kind",
    "recipient_kind", "year", "tiv", "source",
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
CREATE TABLE IF NOT EXISTS boundaries (iso3 VARCHAR, name VARCHAR, geojson VARCHAR);
"""


@dataclass(frozen=True)
class _Loaded:
    table: str
    frame: pd.DataFrame
    rejected: list
    files: list[Path]


@dataclass(frozen=True)
class ChannelSource:
    name: str
    path: str  # relative to the mirror
    load: Callable[[Path], _Loaded]

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
    return _Loaded("trade_flows", frame, read.rejected, [path])


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
    return _Loaded("trade_flows", frame, read.rejected, [path])


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
    return _Loaded("trade_flows", frame, read.rejected, [path])


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
    return _Loaded("arms_transfers", frame, read.rejected, [path])


def _barometer(path: Path) -> _Loaded:
    read = caucasus_barometer.read(path)
    frame = read.frame.rename(columns={"weighted_share": "share"})[OPINION_COLUMNS]
    return _Loaded("opinion", frame, read.rejected, [path])


def _natural_earth(path: Path) -> _Loaded:
    features = natural_earth.read(path)
    frame = pd.DataFrame(
        {
            "iso3": list(features),
            "name": [f.get("properties", {}).get("NAME") for f in features.values()],
            "geojson": [json.dumps(f, ensure_ascii=False) for f in features.values()],
        }
    )
    return _Loaded("boundaries", frame, [], [path])


CHANNEL_SOURCES = (
    ChannelSource("cow_trade", "trade/cow_dyadic_trade_v4_1870_2014.parquet", _cow),
    ChannelSource("comtrade", "trade/comtrade_exports_by_partner_2021.csv.gz", _comtrade),
    ChannelSource("armstat", "trade/armstat_armenia_trade_by_partner_monthly_2007_2024.csv.gz",
                  _armstat),
    ChannelSource("sipri", "arms/sipri_tiv_by_supplier_recipient_year_1995_2024.csv", _sipri),
    ChannelSource("caucasus_barometer",
                  "opinion/caucasus_barometer_foreign_policy_attitudes_2009_2011_2020.csv",
                  _barometer),
    ChannelSource("natural_earth", "geo/ne_110m_admin_0_countries.geojson.gz", _natural_earth),
)  # fmt: skip

_COLUMNS = {"trade_flows": TRADE_COLUMNS, "arms_transfers": ARMS_COLUMNS,
            "opinion": OPINION_COLUMNS, "boundaries": ["iso3", "name", "geojson"]}  # fmt: skip


def _nullable(frame: pd.DataFrame) -> pd.DataFrame:
    """Pandas dtypes that DuckDB reads with NULL for missing (a float NaN would stay NaN)."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_float_dtype(values):
            out[col] = values.astype("Float64")
        elif pd.api.types.is_integer_dtype(values):
            out[col] = values.astype("Int64")
        else:
            out[col] = values.astype("string")
    return pd.DataFrame(out)


def write_channels(con, mirror: Path) -> list[str]:
    """Write the channel tables; a source missing from the mirror is skipped.

    Returns the names of the sources that were skipped.
    """
    con.execute(_DDL)
    skipped = []
    for source in CHANNEL_SOURCES:
        path = Path(mirror) / source.path
        if not path.is_file():
            skipped.append(source.name)
            continue
        loaded = source.load(path)
        frame = _nullable(loaded.frame[_COLUMNS[loaded.table]])
        con.register("frame", frame)
        con.execute(f"INSERT INTO {loaded.table} SELECT * FROM frame")
        con.unregister("frame")
        rejected = pd.DataFrame(
            [(source.name, r.file, r.record, r.field, r.reason) for r in loaded.rejected],
            columns=["source", "file", "record", "field", "reason"],
        )
        if len(rejected):
            con.register("rejected", rejected)
            con.execute("INSERT INTO rejections SELECT * FROM rejected")
            con.unregister("rejected")
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, NULL, NULL, ?)",
            [source.name, source.citation, [str(f) for f in loaded.files], len(rejected)],
        )
    con.execute("CREATE INDEX trade_reporter ON trade_flows (reporter, year)")
    con.execute("CREATE INDEX arms_recipient ON arms_transfers (recipient, year)")
    from allegiance.store.energy_build import write_energy  # energy and Pew: energy_build.py

    return skipped + write_energy(con, mirror)
