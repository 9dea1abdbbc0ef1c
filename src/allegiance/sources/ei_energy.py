"""Energy Institute (formerly bp) Statistical Review of World Energy: trade movements.

Two files of the mirror, two formats:

:func:`read_trade_movements`
    The exporter x importer matrices of eight editions (data years 2016-2023, 2024 for oil,
    2025 for gas), long format: pipeline gas and LNG in bcm, crude and oil products in
    million tonnes. Basis ``origin``: EI attributes each flow to the producing exporter.
:func:`read_interregional`
    The "Gas - Trade movements" sheet of the 2026 edition: each region's pipeline and LNG
    imports and exports 2000-2025, with "of which" partners, in bcm.

What the matrices hold, and how this reader keeps it (energy/SOURCES.md):

- Besides states, the matrices name the EU as a whole ("European Union", "EU": code
  ``EU``, kind ``eu``; from data year 2021 the gas matrices list no EU member, only the
  EU), regions, residual groups ("Other CIS", "Rest of Europe", "Other EU", ...; kind
  ``residual``, mutually exclusive with the named countries of the same matrix) and
  totals ("Total exports", "Total imports"; kind ``total``).
- In the **gas** matrices a region ("Europe", "CIS", "Asia Pacific", ...) is the subtotal
  of the countries listed under it: ``aggregate`` is True; where a matrix lists none of
  its countries, the region is a destination of its own (see :func:`_leaf_regions`). In the **oil** matrices
  ("inter-area movements") a region is a trading area of its own, mutually exclusive with
  the others ("Europe" is every European importer): ``aggregate`` is False, and only the
  totals are aggregates. The staged file flags the oil regions as aggregates too; summing
  Russia's 2021 crude exports without "Europe" gives 124.9 Mt against the workbook's own
  total of 263.6 Mt, so the reader sets the flag by this rule instead.
- "Russia" and "Russian Federation", "US" and "United States", "UAE" and "United Arab
  Emirates" are the same state in different editions. Names resolve through the states
  table on 1 July of the data year.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd

from allegiance.sources._rows import RowChecks, load_parquet
from allegiance.sources.base import ChannelTable
from allegiance.sources.energy_common import frame, mid_year, resolve_sides

SOURCE = "ei_statistical_review"

#: Matrix flows: the store's fuel and the unit the values must be in.
FLOWS = {
    "gas_pipeline": ("gas_pipeline", "bcm"),
    "gas_lng": ("lng", "bcm"),
    "oil_crude": ("crude", "Mt"),
    "oil_products": ("oil_products", "Mt"),
}

_REGIONS = (
    "Africa", "Asia Pacific", "Australasia", "CIS", "East & S. Africa", "Europe",
    "Europe and Eurasia", "Middle East", "Middle East & Africa", "North Africa",
    "North America", "S. & Cent. America", "West Africa",
)  # fmt: skip
_RESIDUALS = (
    "Other Africa", "Other Americas", "Other Asia Pacific", "Other CIS", "Other EU",
    "Other Europe", "Other Europe & Eurasia", "Other European Union", "Other Middle East",
    "Other Middle East & Africa", "Other S. & Cent. America", "Rest of Europe",
    "Non-EU Europe",
)  # fmt: skip
#: The matrices' group labels and their kind.
GROUPS = {
    **dict.fromkeys(_REGIONS, "region"),
    **dict.fromkeys(_RESIDUALS, "residual"),
    "Total exports": "total",
    "Total imports": "total",
    "European Union": "eu",
    "EU": "eu",
}

_MATRIX_REQUIRED = ["data_year", "flow", "exporter", "importer", "value", "unit"]
# The largest cell of any matrix is a world total (crude: about 2,200 Mt).
_MAX_VALUE = 5_000.0


def read_trade_movements(path: str | Path) -> ChannelTable:
    """Read the long file of the Statistical Review's trade-movement matrices.

    Parameters
    ----------
    path
        ``ei_statistical_review_energy_trade_movements_2016_2025.parquet``.

    Returns
    -------
    ChannelTable
        ``frame`` with :data:`~allegiance.sources.energy_common.ENERGY_COLUMNS`, series
        ``matrix``, annual (``month`` missing). ``rejected``: rows whose year, flow, unit
        or value is not valid (a value outside [0, 5000], a unit that is not the flow's),
        whose exporter or importer is neither a state nor a known group, and repeated
        cells.

    Examples
    --------
    >>> table = read_trade_movements("ei_..._2016_2025.parquet")  # doctest: +SKIP
    >>> table.frame.query("exporter == 'RUS' and importer == 'EU' and year == 2022")  # doctest: +SKIP
    """
    path = Path(path)
    raw = load_parquet(path, _MATRIX_REQUIRED)
    check = RowChecks(path, raw)
    year = check.year("data_year", 1990, what="data year")
    flow = raw["flow"].astype("string").str.strip()
    check.reject(~flow.isin(list(FLOWS)), "flow", "not a known flow: {v!r}")
    expected = flow.map({k: u for k, (_, u) in FLOWS.items()})
    unit = raw["unit"].astype("string").str.strip()
    check.reject(
        flow.isin(list(FLOWS)) & unit.ne(expected),
        "unit",
        "{v!r} is not the unit of the flow",
        values=unit + " for " + flow,
    )
    value = check.number("value", 0.0, _MAX_VALUE, "bcm or Mt")
    day = mid_year(year)
    sides = {}
    for side in ("exporter", "importer"):
        label = raw[side].astype("string").str.strip()
        code, kind = resolve_sides(label, day, GROUPS)
        check.reject(kind.isna(), side, "neither a state nor a known EI group: {v!r}")
        if f"{side}_iso3" in raw.columns:
            given = raw[f"{side}_iso3"].astype("string")
            differs = kind.eq("state") & given.notna() & given.ne(code)
            check.reject(differs, f"{side}_iso3", "the file's code {v!r} differs from the states "
                         "table's", values=given + " (states table: " + code + ")")  # fmt: skip
        sides[side] = (label, code, kind)
    check.duplicates(
        pd.DataFrame({"y": year, "f": flow, "e": sides["exporter"][0], "i": sides["importer"][0]}),
        "exporter",
        "data year, flow, exporter and importer",
    )
    ok = check.ok
    fuel = flow.map({k: f for k, (f, _) in FLOWS.items()})
    is_gas = flow.str.startswith("gas")
    kinds = pd.DataFrame({s: sides[s][2] for s in sides})
    # Gas regions are subtotals of the countries under them, unless the matrix lists none
    # of those countries; oil regions are trading areas.
    subtotal = is_gas & kinds.eq("region").any(axis=1)
    leaves = _leaf_regions(pd.DataFrame({
        "year": year, "flow": flow, "exporter": sides["exporter"][0],
        "importer": sides["importer"][0], "exporter_kind": kinds["exporter"],
        "importer_kind": kinds["importer"], "value": value,
    })[ok & is_gas])  # fmt: skip
    for side in ("exporter", "importer"):
        key = pd.MultiIndex.from_arrays([year, flow, sides[side][0]])
        subtotal &= ~(kinds[side].eq("region") & key.isin(leaves))
    aggregate = kinds.eq("total").any(axis=1) | subtotal
    in_bcm = unit.eq("bcm")
    out = frame(
        {
            "exporter": sides["exporter"][1][ok],
            "exporter_name": sides["exporter"][0][ok],
            "exporter_kind": sides["exporter"][2][ok],
            "importer": sides["importer"][1][ok],
            "importer_name": sides["importer"][0][ok],
            "importer_kind": sides["importer"][2][ok],
            "year": year[ok],
            "fuel": fuel[ok],
            "bcm": value.where(in_bcm)[ok],
            "mt": value.where(~in_bcm)[ok],
            "basis": "origin",
            "aggregate": aggregate[ok],
            "series": "matrix",
            "source": SOURCE,
        },
        int(ok.sum()),
    )
    out = out.sort_values(["year", "fuel", "exporter_name", "importer_name"], ignore_index=True)
    return ChannelTable(out, check.rejected, path)


def _leaf_regions(cells: pd.DataFrame) -> set[tuple]:
    """``(year, flow, region)`` of the gas regions that are not subtotals in their matrix.

    A gas matrix region is normally the subtotal of the countries under it; in some
    editions no country under it is listed (the 2016 LNG matrix has "Middle East" and
    "Africa" with no country of theirs), and then it is a destination of its own. For each
    matrix and side, the reader picks the set of regions whose inclusion makes the rows
    add up to their "Total" cell best (fewest regions on a tie): with Qatar's 2016 LNG
    exports, only "Africa" and "Middle East" (6.4 + 4.5 bcm) close the gap to 104.4 bcm.
    """
    leaves: set[tuple] = set()
    for side, other in (("importer", "exporter"), ("exporter", "importer")):
        for (year, flow), m in cells.groupby(["year", "flow"], sort=False):
            table = m.pivot_table(index=other, columns=side, values="value", aggfunc="sum")
            kinds = m.drop_duplicates(side).set_index(side)[f"{side}_kind"]
            regions = [c for c in table.columns if kinds.get(c) == "region"]
            totals = [c for c in table.columns if kinds.get(c) == "total"]
            if not regions or len(totals) != 1:
                continue
            rows = table.index[~table.index.isin(m.loc[m[f"{other}_kind"].eq("total"), other])]
            named = table.loc[
                rows, [c for c in table.columns if kinds.get(c) not in ("region", "total")]
            ].sum(axis=1)
            gap = (table.loc[rows, totals[0]].fillna(0) - named).to_numpy()
            values = table.loc[rows, regions].fillna(0).to_numpy()
            # Every subset of regions at once, smallest first so that ties keep the fewest.
            subsets = sorted(itertools.product((0, 1), repeat=len(regions)), key=sum)
            chosen = np.array(subsets, dtype=float)
            errors = np.abs(gap[:, None] - values @ chosen.T).sum(axis=0)
            best = chosen[int(np.argmin(np.round(errors, 6)))]
            leaves |= {(year, flow, r) for r, b in zip(regions, best, strict=True) if b}
    return leaves


#: The inter-regional sheet's measures: fuel, and whether the region is the importer.
MEASURES = {
    "Pipeline imports": ("gas_pipeline", True),
    "LNG imports": ("lng", True),
    "Total imports": ("gas", True),
    "Pipeline exports": ("gas_pipeline", False),
    "LNG exports": ("lng", False),
    "Total exports": ("gas", False),
}
#: The "World" block: its measure sits in ``partner_region``.
WORLD_MEASURES = {
    "Inter-regional pipeline trade": "gas_pipeline",
    "LNG trade": "lng",
    "Total trade": "gas",
}
_INTERREGIONAL_GROUPS = {
    **dict.fromkeys(
        ("Other North America", "Other S&C America", "Europe", "Other CIS", "Middle East",
         "Africa", "OECD Asia", "Other Asia"),
        "region",
    ),
    "World": "total",
}  # fmt: skip
_INTERREGIONAL_REQUIRED = ["region", "measure", "partner_region", "year", "value_bcm"]


def read_interregional(path: str | Path) -> ChannelTable:
    """Read the inter-regional gas trade sheet (2026 edition, 2000-2025).

    A region's measure without a partner (``partner_region`` empty) is its total: the
    counterpart is "World" and ``aggregate`` is True. An "of which" row is a flow between
    the region and the partner, from the region's side (basis ``exports_of`` or
    ``imports_of``): the same flow can appear from both sides (Russia's exports to Europe,
    Europe's imports from Russia), so sum within one basis only. The "of which" partners
    do not add up to the total (SOURCES.md: Russia's list names only Europe and Other CIS).

    Returns
    -------
    ChannelTable
        ``frame`` with ``ENERGY_COLUMNS``, series ``interregional``, values in ``bcm``.
        Rejected: unknown measures or regions, values outside [0, 2000] bcm, repeated rows.
    """
    path = Path(path)
    raw = load_parquet(path, _INTERREGIONAL_REQUIRED)
    check = RowChecks(path, raw)
    year = check.year("year", 1990)
    region = raw["region"].astype("string").str.strip()
    measure = raw["measure"].astype("string").str.strip()
    partner = raw["partner_region"].astype("string").str.strip()
    world = region.eq("World") & measure.isna()
    check.reject(world & ~partner.isin(list(WORLD_MEASURES)), "partner_region",
                 "not a known world measure: {v!r}")  # fmt: skip
    check.reject(~world & ~measure.isin(list(MEASURES)), "measure", "not a known measure: {v!r}")
    value = check.number("value_bcm", 0.0, 2_000.0, "bcm")
    day = mid_year(year)
    r_code, r_kind = resolve_sides(region, day, _INTERREGIONAL_GROUPS)
    check.reject(r_kind.isna(), "region", "neither a state nor a known EI region: {v!r}")
    named = partner.where(~world)
    p_code, p_kind = resolve_sides(named, day, _INTERREGIONAL_GROUPS)
    check.reject(named.notna() & p_kind.isna(), "partner_region",
                 "neither a state nor a known EI region: {v!r}")  # fmt: skip
    check.duplicates(pd.DataFrame({"r": region, "m": measure, "p": partner, "y": year}),
                     "region", "region, measure, partner and year")  # fmt: skip
    ok = check.ok
    fuel = measure.map({k: f for k, (f, _) in MEASURES.items()}).mask(
        world, partner.map(WORLD_MEASURES)
    )
    region_imports = (
        measure.map({k: imp for k, (_, imp) in MEASURES.items()}).fillna(False).astype(bool)
    )
    total = named.isna()
    other_name = named.fillna("World")
    other_code = p_code.where(~total)
    other_kind = p_kind.mask(total, "total")
    exporter_name = region.where(~region_imports, other_name)
    importer_name = other_name.where(~region_imports, region)
    exporter = r_code.where(~region_imports, other_code)
    importer = other_code.where(~region_imports, r_code)
    exporter_kind = r_kind.where(~region_imports, other_kind)
    importer_kind = other_kind.where(~region_imports, r_kind)
    basis = pd.Series("exports_of", index=raw.index).mask(region_imports, "imports_of")
    out = frame(
        {
            "exporter": exporter[ok],
            "exporter_name": exporter_name[ok],
            "exporter_kind": exporter_kind[ok],
            "importer": importer[ok],
            "importer_name": importer_name[ok],
            "importer_kind": importer_kind[ok],
            "year": year[ok],
            "fuel": fuel[ok],
            "bcm": value[ok],
            "basis": basis.mask(world, pd.NA)[ok],
            "aggregate": (total | world)[ok],
            "series": "interregional",
            "source": SOURCE,
        },
        int(ok.sum()),
    )
    out = out.sort_values(["year", "fuel", "exporter_name", "importer_name"], ignore_index=True)
    return ChannelTable(out, check.rejected, path)
