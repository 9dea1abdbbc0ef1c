"""Eurostat monthly energy imports by partner country (as cached by CREA), 2008-2022.

36 reporters (EU27, Norway, the United Kingdom, Türkiye, Ukraine, Georgia, Moldova, Serbia,
Montenegro, North Macedonia), one row per reporter, partner, month, commodity and unit.

- ``gas_all`` (all natural gas, LNG included) and ``lng`` are given in TJ (gross
  calorific value, from 2008) and in m3 (from 2014) as separate rows; the reader puts the
  two units of the same flow on one row (``tj``, and ``bcm`` = m3 / 1e9). LNG rows are
  part of the ``gas`` rows (``part_of`` = ``gas``): add one or the other, never both.
- Crude oil, oil products and coal are in tonnes (``mt`` = tonnes / 1e6).
- An empty partner is a partner the reporter did not specify (kind ``unknown``, kept so
  that totals stay complete). Confidential partners are absent rows, not zeros.
- The partner is the one the reporter records (basis ``partner``). For crude oil that is
  the country of origin; for gas many reporters record the country the gas came from
  (Czechia: Germany; Slovakia and Hungary: Ukraine; Poland and Lithuania: Belarus), and
  Georgia, Moldova and Ukraine give no partner at all. The energy channel deals with this
  (docs/influence.md); the reader keeps the partner as recorded.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources._rows import RowChecks, load_parquet
from allegiance.sources.base import ChannelTable
from allegiance.sources.energy_common import frame, resolve_sides

SOURCE = "eurostat_energy"

#: Commodity: (fuel, units allowed).
COMMODITIES = {
    "gas_all": ("gas", ("TJ", "m3")),
    "lng": ("lng", ("TJ", "m3")),
    "crude_oil": ("crude", ("tonne",)),
    "oil_products": ("oil_products", ("tonne",)),
    "coal": ("coal", ("tonne",)),
}
_REQUIRED = ["reporter", "partner", "date", "commodity", "unit", "value"]
# Upper bounds of one reporter's imports from one partner in one month, far above any real
# value: Germany's gas imports from Russia peaked near 6 bcm (240,000 TJ) a month.
_MAX = {"TJ": 2e6, "m3": 5e10, "tonne": 5e7}


def read(path: str | Path) -> ChannelTable:
    """Read the Eurostat imports-by-partner file.

    Returns
    -------
    ChannelTable
        ``frame`` with ``ENERGY_COLUMNS``, monthly, series ``imports_by_partner``, the
        reporter as importer. Rejected: unknown commodities, a unit that is not the
        commodity's, values that are not positive numbers or are implausibly large, unknown
        reporters or partners, and a second row for the same flow and unit.
    """
    path = Path(path)
    raw = load_parquet(path, _REQUIRED)
    check = RowChecks(path, raw)
    day = check.month("date")
    commodity = raw["commodity"].astype("string").str.strip()
    check.reject(~commodity.isin(list(COMMODITIES)), "commodity", "not a known commodity: {v!r}")
    unit = raw["unit"].astype("string").str.strip()
    allowed = [u in COMMODITIES.get(c, ("",))[1] for c, u in zip(commodity, unit, strict=True)]
    check.reject(~pd.Series(allowed, index=raw.index), "unit", "{v!r} is not a unit of the "
                 "commodity", values=unit.fillna("") + " for " + commodity.fillna(""))  # fmt: skip
    value = pd.to_numeric(raw["value"], errors="coerce")
    check.reject(value.isna(), "value", "not a number: {v!r}")
    check.reject(value <= 0, "value", "not a positive quantity: {v!r}")
    ceiling = unit.map(_MAX).astype("float64")
    check.reject(value > ceiling, "value", "{v!r} is implausibly large for one month")
    reporter = raw["reporter"].astype("string").str.strip()
    r_code, r_kind = resolve_sides(reporter, day, {})
    check.reject(r_kind.ne("state").fillna(True), "reporter", "not a known state: {v!r}")
    partner = raw["partner"].astype("string").str.strip().replace("", pd.NA)
    p_code, p_kind = resolve_sides(partner, day, {})
    p_kind = p_kind.mask(partner.isna(), "unknown")
    check.reject(p_kind.isna(), "partner", "neither a state nor a known territory: {v!r}")
    keys = pd.DataFrame({"r": reporter, "p": partner.fillna("(unspecified)"), "d": day,
                         "c": commodity, "u": unit})  # fmt: skip
    check.duplicates(keys, "value", "reporter, partner, month, commodity and unit")
    ok = check.ok

    rows = pd.DataFrame(
        {
            "importer": r_code, "importer_name": reporter, "exporter": p_code,
            "exporter_name": partner.fillna("(not specified)"), "exporter_kind": p_kind,
            "year": day.dt.year, "month": day.dt.month, "commodity": commodity,
        }
    )[ok]  # fmt: skip
    keys = list(rows.columns)
    # One flow, one row: TJ and m3 of the same gas flow side by side.
    amounts = pd.DataFrame({"TJ": value.where(unit.eq("TJ")), "m3": value.where(unit.eq("m3")),
                            "tonne": value.where(unit.eq("tonne"))})[ok]  # fmt: skip
    merged = (
        pd.concat([rows, amounts], axis=1)
        .groupby(keys, dropna=False, sort=True, observed=True)[["TJ", "m3", "tonne"]]
        .sum(min_count=1)
        .reset_index()
    )
    fuel = merged["commodity"].map({c: f for c, (f, _) in COMMODITIES.items()})
    out = frame(
        {
            "exporter": merged["exporter"],
            "exporter_name": merged["exporter_name"],
            "exporter_kind": merged["exporter_kind"],
            "importer": merged["importer"],
            "importer_name": merged["importer_name"],
            "importer_kind": "state",
            "year": merged["year"],
            "month": merged["month"],
            "fuel": fuel,
            "bcm": merged["m3"] / 1e9,
            "mt": merged["tonne"] / 1e6,
            "tj": merged["TJ"],
            "basis": "partner",
            "part_of": fuel.map({"lng": "gas"}),
            "series": "imports_by_partner",
            "source": SOURCE,
        },
        len(merged),
    )
    return ChannelTable(out, check.rejected, path)
