"""CREA Russia Fossil Tracker: Russia's fossil-fuel exports by destination, monthly 2016-2022.

CREA rebuilt these from the importers' customs data (UN Comtrade; Eurostat for the gas of
EU members), so they are partner-reported (basis ``partner_reported``). Each flow has a
value in euros and a quantity in tonnes, as two rows; the reader puts them on one row
(``eur``, and ``mt`` = tonnes / 1e6). A missing value stays missing.

- ``EU`` is the sum of the EU members' rows (destination_is_eu_member): it is kept with code
  ``EU``, kind ``eu`` and ``aggregate`` True, and must never be added to its members.
- Coverage depends on who reports (energy/SOURCES.md): the file ends in November 2022,
  China's rows end in December 2021, Korea's in 2019, Kazakhstan's in 2019; Türkiye's
  customs report no crude and almost no pipeline gas by origin (1.1 Mt of gas in 2021,
  when Türkiye took about 26 bcm of Russian gas). A sum over destinations is therefore
  below Russia's exports, by a margin that varies by year.
- Commodities: ``natural_gas`` (pipeline gas, fuel ``gas_pipeline``), ``lng``, ``oil``
  (crude, fuel ``crude``), ``oil_products``, ``coal``, ``coke``, ``coal_gas``, ``tar``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources._rows import RowChecks, load_parquet
from allegiance.sources.base import ChannelTable
from allegiance.sources.energy_common import frame, resolve_sides

SOURCE = "crea"

COMMODITIES = {
    "natural_gas": "gas_pipeline", "lng": "lng", "oil": "crude", "oil_products": "oil_products",
    "coal": "coal", "coke": "coke", "coal_gas": "coal_gas", "tar": "tar",
}  # fmt: skip
UNITS = ("eur", "tonne")
_REQUIRED = ["origin", "destination", "date", "commodity", "unit", "value"]
# Russia's largest monthly flow to one destination (crude to the EU) is about 15 Mt and
# EUR 8bn; these bounds are ten times that.
_MAX = {"tonne": 2e8, "eur": 1e11}


def read(path: str | Path) -> ChannelTable:
    """Read CREA's Russian exports by destination.

    Returns
    -------
    ChannelTable
        ``frame`` with ``ENERGY_COLUMNS``, monthly, exporter Russia, series
        ``russia_exports``. Rejected: an origin other than Russia, unknown commodities or
        units, negative or implausibly large values, destinations that are neither a state,
        a territory nor ``EU``, and a second row for the same flow and unit.
    """
    path = Path(path)
    raw = load_parquet(path, _REQUIRED)
    check = RowChecks(path, raw)
    day = check.month("date")
    origin = raw["origin"].astype("string").str.strip()
    o_code, _ = resolve_sides(origin, day, {})
    check.reject(o_code.ne("RUS").fillna(True), "origin", "not Russia: {v!r}")
    commodity = raw["commodity"].astype("string").str.strip()
    check.reject(~commodity.isin(list(COMMODITIES)), "commodity", "not a known commodity: {v!r}")
    unit = raw["unit"].astype("string").str.strip()
    check.reject(~unit.isin(UNITS), "unit", "not eur or tonne: {v!r}")
    value = pd.to_numeric(raw["value"], errors="coerce")
    check.reject(value.isna() & raw["value"].notna(), "value", "not a number: {v!r}")
    check.reject(value < 0, "value", "negative quantity: {v!r}")
    check.reject(value > unit.map(_MAX).astype("float64"), "value", "{v!r} is implausibly large")
    destination = raw["destination"].astype("string").str.strip()
    d_code, d_kind = resolve_sides(destination, day, {"EU": "eu"})
    check.reject(d_kind.isna(), "destination", "neither a state, a territory nor EU: {v!r}")
    check.duplicates(pd.DataFrame({"d": destination, "m": day, "c": commodity, "u": unit}),
                     "value", "destination, month, commodity and unit")  # fmt: skip
    ok = check.ok
    rows = pd.DataFrame(
        {
            "exporter": o_code, "importer": d_code, "importer_name": destination,
            "importer_kind": d_kind, "year": day.dt.year, "month": day.dt.month,
            "commodity": commodity,
        }
    )[ok]  # fmt: skip
    keys = list(rows.columns)
    amounts = pd.DataFrame({"eur": value.where(unit.eq("eur")),
                            "tonne": value.where(unit.eq("tonne"))})[ok]  # fmt: skip
    merged = (
        pd.concat([rows, amounts], axis=1)
        .groupby(keys, dropna=False, sort=True, observed=True)[["eur", "tonne"]]
        .sum(min_count=1)
        .reset_index()
    )
    out = frame(
        {
            "exporter": merged["exporter"],
            "exporter_name": "Russia",
            "exporter_kind": "state",
            "importer": merged["importer"],
            "importer_name": merged["importer_name"],
            "importer_kind": merged["importer_kind"],
            "year": merged["year"],
            "month": merged["month"],
            "fuel": merged["commodity"].map(COMMODITIES),
            "mt": merged["tonne"] / 1e6,
            "eur": merged["eur"],
            "basis": "partner_reported",
            "aggregate": merged["importer_kind"].eq("eu"),
            "series": "russia_exports",
            "source": SOURCE,
        },
        len(merged),
    )
    return ChannelTable(out, check.rejected, path)
