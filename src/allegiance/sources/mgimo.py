"""MGIMO current foreign-trade statistics: Russia's oil and gas exports to main partners.

Russia's trade rebuilt from its partners' customs data (basis ``partner_reported``),
monthly 2019-2026, for China, India, Türkiye, Hungary, Slovakia, Japan and "OTHER".

- ``net_weight`` in thousand tonnes (``mt`` = value / 1000): ``oil_and_products`` (HS 2709,
  2710, 2712-2715; fuel ``oil``) and ``natural_gas_incl_lng`` (HS 2711; fuel ``gas``).
- ``export_value`` in billion USD (``usd`` = value x 1e9): ``oil_and_gas`` (fuel
  ``oil_and_gas``) and ``all_goods_except_oil_and_gas`` (fuel ``non_energy``, kept for the
  share of oil and gas in Russia's exports to a partner).
- "OTHER" is the rest of the countries *in MGIMO's database*, not the rest of the world
  (kind ``residual``): these partners do not add up to Russia's exports, and no share of
  Russia's exports can be taken from this file.
- MGIMO fills months its partners have not yet reported with nowcasts and does not mark
  them: ``nowcast`` is missing (unknown) on every row.
- Pipeline gas to China and Türkiye is largely absent (their customs do not report it by
  origin): take gas to those two from the Statistical Review.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources._rows import RowChecks, load_parquet
from allegiance.sources.base import ChannelTable
from allegiance.sources.energy_common import frame, resolve_sides

SOURCE = "mgimo"

#: (measure, commodity as it starts): (fuel, unit, column, factor to that column's unit).
SERIES = {
    ("net_weight", "oil_and_products"): ("oil", "thousand tonnes", "mt", 1e-3),
    ("net_weight", "natural_gas_incl_lng"): ("gas", "thousand tonnes", "mt", 1e-3),
    ("export_value", "oil_and_gas"): ("oil_and_gas", "billion USD", "usd", 1e9),
    ("export_value", "all_goods_except_oil_and_gas"): ("non_energy", "billion USD", "usd", 1e9),
}
GROUPS = {"OTHER (rest of countries in the MGIMO database)": "residual"}
_REQUIRED = ["period", "exporter", "partner", "commodity", "measure", "value", "unit"]
# Russia's largest monthly export to one partner (oil to China) is about 10 Mt and $8bn.
_MAX = {"thousand tonnes": 100_000.0, "billion USD": 100.0}


def read(path: str | Path) -> ChannelTable:
    """Read MGIMO's partner-reported oil and gas exports of Russia.

    Returns
    -------
    ChannelTable
        ``frame`` with ``ENERGY_COLUMNS``, monthly, series ``net_weight`` or
        ``export_value``, ``nowcast`` missing. Rejected: an exporter other than Russia,
        unknown measure/commodity pairs, a unit that is not the measure's, values that are
        negative or implausibly large, unknown partners, a partner code that differs from
        the states table, and repeated rows.
    """
    path = Path(path)
    raw = load_parquet(path, _REQUIRED)
    check = RowChecks(path, raw)
    day = check.month("period")
    exporter = raw["exporter"].astype("string").str.strip()
    e_code, _ = resolve_sides(exporter, day, {})
    check.reject(e_code.ne("RUS").fillna(True), "exporter", "not Russia: {v!r}")
    measure = raw["measure"].astype("string").str.strip()
    commodity = raw["commodity"].astype("string").str.strip()
    short = commodity.str.split(" ").str[0]
    known = pd.Series([(m, c) in SERIES for m, c in zip(measure, short, strict=True)],
                      index=raw.index)  # fmt: skip
    check.reject(~known, "commodity", "not a known measure and commodity: {v!r}",
                 values=measure.fillna("") + " / " + commodity.fillna(""))  # fmt: skip
    spec = [SERIES.get((m, c)) for m, c in zip(measure, short, strict=True)]
    unit = raw["unit"].astype("string").str.strip()
    want = pd.Series([s[1] if s else None for s in spec], index=raw.index, dtype="string")
    check.reject(known & unit.ne(want), "unit", "{v!r} is not the unit of the measure",
                 values=unit.fillna("") + " for " + measure.fillna(""))  # fmt: skip
    value = pd.to_numeric(raw["value"], errors="coerce")
    check.reject(value.isna(), "value", "not a number: {v!r}")
    check.reject(value < 0, "value", "negative quantity: {v!r}")
    check.reject(value > unit.map(_MAX).astype("float64"), "value", "{v!r} is implausibly large")
    partner = raw["partner"].astype("string").str.strip()
    p_code, p_kind = resolve_sides(partner, day, GROUPS)
    check.reject(p_kind.isna(), "partner", "neither a state nor MGIMO's OTHER: {v!r}")
    if "partner_iso3" in raw.columns:
        given = raw["partner_iso3"].astype("string")
        differs = p_kind.eq("state") & given.notna() & given.ne(p_code)
        check.reject(differs, "partner_iso3", "the file's code {v!r} differs from the states "
                     "table's", values=given + " (states table: " + p_code + ")")  # fmt: skip
    check.duplicates(pd.DataFrame({"p": partner, "d": day, "m": measure, "c": commodity}),
                     "value", "partner, month, measure and commodity")  # fmt: skip
    ok = check.ok
    fuel = pd.Series([s[0] if s else None for s in spec], index=raw.index, dtype="string")
    column = pd.Series([s[2] if s else None for s in spec], index=raw.index, dtype="string")
    factor = pd.Series([s[3] if s else float("nan") for s in spec], index=raw.index)
    scaled = value * factor
    out = frame(
        {
            "exporter": "RUS",
            "exporter_name": exporter[ok],
            "exporter_kind": "state",
            "importer": p_code[ok],
            "importer_name": partner[ok],
            "importer_kind": p_kind[ok],
            "year": day.dt.year[ok],
            "month": day.dt.month[ok],
            "fuel": fuel[ok],
            "mt": scaled.where(column.eq("mt"))[ok],
            "usd": scaled.where(column.eq("usd"))[ok],
            "basis": "partner_reported",
            "nowcast": pd.NA,
            "series": measure[ok],
            "source": SOURCE,
        },
        int(ok.sum()),
    )
    out = out.sort_values(["series", "fuel", "importer_name", "year", "month"], ignore_index=True)
    return ChannelTable(out, check.rejected, path)
