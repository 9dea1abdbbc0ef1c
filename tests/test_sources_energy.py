"""Readers of the energy files and of Pew: real files against the figures published in
energy/SOURCES.md and opinion/SOURCES.md ("SOURCES.md"), and bad input.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from allegiance.sources import crea, ei_energy, eurostat_energy, iea_gas, mgimo, pew
from allegiance.sources.base import Rejection, SourceError
from allegiance.sources.energy_common import ENERGY_COLUMNS

MATRIX = "ei_statistical_review_energy_trade_movements_2016_2025.parquet"
INTERREGIONAL = "ei_statistical_review_gas_interregional_trade_2000_2025.parquet"
IEA = "iea_gas_trade_flows_borderpoints_monthly_2008_2022.parquet"
EUROSTAT = "eurostat_energy_imports_by_partner_monthly_2008_2022.parquet"
CREA = "crea_russia_fossil_exports_by_destination_monthly_2016_2022.parquet"
MGIMO = "mgimo_russia_exports_partner_reported_monthly_2019_2026.parquet"
PEW = "pew_global_attitudes_country_views_2002_2023.parquet"


@pytest.fixture(scope="module")
def matrix(mirror: Path):
    return ei_energy.read_trade_movements(mirror / "energy" / MATRIX)


@pytest.fixture(scope="module")
def interregional(mirror: Path):
    return ei_energy.read_interregional(mirror / "energy" / INTERREGIONAL)


@pytest.fixture(scope="module")
def eurostat(mirror: Path):
    return eurostat_energy.read(mirror / "energy" / EUROSTAT)


@pytest.fixture(scope="module")
def views(mirror: Path):
    return pew.read(mirror / "opinion" / PEW)


def by_year(frame: pd.DataFrame, column: str) -> dict[int, float]:
    return {int(y): round(float(v), 1) for y, v in frame.groupby("year")[column].sum().items()}


# --- Energy Institute matrices ----------------------------------------------------------------
def test_matrix_reads_every_row_in_canonical_columns(matrix) -> None:
    assert matrix.rejected == [] and len(matrix.frame) == 20_712
    assert list(matrix.frame.columns) == ENERGY_COLUMNS
    gas = matrix.frame["fuel"].isin(["gas_pipeline", "lng"])
    assert matrix.frame.loc[gas, "mt"].isna().all() and matrix.frame.loc[~gas, "bcm"].isna().all()


def test_russian_pipeline_gas_to_the_eu(matrix) -> None:
    # SOURCES.md: 2021 132.3; 2022 61.5; 2023 25.7; 2025 4.3 bcm ("European Union", then "EU").
    f = matrix.frame
    eu = f[f["fuel"].eq("gas_pipeline") & f["exporter"].eq("RUS") & f["importer"].eq("EU")]
    assert set(eu["importer_kind"]) == {"eu"} and not eu["aggregate"].any()
    assert by_year(eu, "bcm") == {2021: 132.3, 2022: 61.5, 2023: 25.7, 2025: 4.3}


def test_russian_pipeline_gas_to_germany_and_china(matrix) -> None:
    f = matrix.frame[matrix.frame["fuel"].eq("gas_pipeline") & matrix.frame["exporter"].eq("RUS")]
    # SOURCES.md: Germany 2016...2020 46.0, 48.5, 55.3, 55.6, 56.3 bcm; not named from 2021.
    assert by_year(f[f["importer"].eq("DEU")], "bcm") == {
        2016: 46.0, 2017: 48.5, 2018: 55.3, 2019: 55.6, 2020: 56.3}  # fmt: skip
    # SOURCES.md: China 2019 0.3; 2020 3.9; 2021 7.6; 2022 14.7; 2023 21.3; 2025 36.7 bcm.
    china = by_year(f[f["importer"].eq("CHN")], "bcm")
    assert {y: v for y, v in china.items() if v > 0} == {
        2019: 0.3, 2020: 3.9, 2021: 7.6, 2022: 14.7, 2023: 21.3, 2025: 36.7}  # fmt: skip


def test_russian_crude_to_india_china_and_europe(matrix) -> None:
    f = matrix.frame[matrix.frame["fuel"].eq("crude") & matrix.frame["exporter"].eq("RUS")]
    # SOURCES.md: India 2021 4.5 -> 2022 37.0 -> 2023 81.8 -> 2024 84.9 Mt.
    india = by_year(f[f["importer"].eq("IND")], "mt")
    assert [india[y] for y in (2021, 2022, 2023, 2024)] == [4.5, 37.0, 81.8, 84.9]
    # SOURCES.md: China 2022 86.2; 2023 107.0; 2024 100.7 Mt.
    china = by_year(f[f["importer"].eq("CHN")], "mt")
    assert [china[y] for y in (2022, 2023, 2024)] == [86.2, 107.0, 100.7]
    # SOURCES.md: Europe 2021 138.7 -> 2023 32.4 -> 2024 28.5 Mt; a trading area, not a subtotal.
    europe = f[f["importer_name"].eq("Europe")]
    assert set(europe["importer_kind"]) == {"region"} and not europe["aggregate"].any()
    assert [by_year(europe, "mt")[y] for y in (2021, 2023, 2024)] == [138.7, 32.4, 28.5]


def test_non_aggregate_rows_add_up_to_the_matrix_totals(matrix) -> None:
    """SOURCES.md: Russia's pipeline exports over non-aggregate importers equal the workbook's
    "Total exports" every year (+-0.1); the oil regions are areas, not subtotals."""
    f = matrix.frame
    rus = f[f["exporter"].eq("RUS") & f["fuel"].eq("gas_pipeline") & ~f["aggregate"]]
    assert list(by_year(rus, "bcm").values()) == pytest.approx(
        [190.8, 215.4, 223.0, 217.2, 197.7, 201.7, 125.4, 95.4, 101.6], abs=0.051
    )
    volume = f["bcm"].fillna(f["mt"])
    parts = (
        f[~f["aggregate"]].assign(v=volume).groupby(["year", "fuel", "exporter_name"])["v"].sum()
    )
    totals = f[f["importer_kind"].eq("total")].assign(v=volume)
    totals = totals.set_index(["year", "fuel", "exporter_name"])["v"]
    gap = (parts.reindex(totals.index) - totals).abs()
    # Only EI's own 2018 pipeline row "Other Asia Pacific" (10.7 bcm, 3.1 not in any column)
    # does not add up; every other row is within EI's rounding.
    assert list(gap[gap > 0.35].index) == [(2018, "gas_pipeline", "Other Asia Pacific")]


def test_lng_regions_without_their_countries_are_destinations(matrix) -> None:
    # Qatar's 2016 LNG: 104.4 bcm in all; the 2016 matrix names no Middle East or African
    # importer, so "Middle East" (4.5) and "Africa" (6.4) are destinations, not subtotals.
    f = matrix.frame
    q = f[f["exporter"].eq("QAT") & f["fuel"].eq("lng") & f["year"].eq(2016)]
    leaves = q[q["importer_kind"].eq("region") & ~q["aggregate"]]
    assert sorted(leaves["importer_name"]) == ["Africa", "Middle East"]
    assert q.loc[~q["aggregate"], "bcm"].sum() == pytest.approx(104.44, abs=0.01)


def test_interregional_russia_2024(interregional) -> None:
    # SOURCES.md: pipeline exports 2024 111.3, of which Europe 51.6, Other CIS 30.3; LNG 44.3.
    f = interregional.frame
    rus = f[f["exporter"].eq("RUS") & f["year"].eq(2024) & f["basis"].eq("exports_of")]
    pipe = rus[rus["fuel"].eq("gas_pipeline")].set_index("importer_name")["bcm"].round(1)
    assert pipe.to_dict() == {"Europe": 51.6, "Other CIS": 30.3, "World": 111.3}
    assert rus.loc[rus["fuel"].eq("lng"), "bcm"].round(1).tolist() == [44.3]
    assert f.loc[f["importer_kind"].eq("total"), "aggregate"].all()
    # SOURCES.md: Russia's total pipeline exports 2021 201.3 -> 2022 125.0 -> 2023 91.0.
    total = f[f["exporter"].eq("RUS") & f["fuel"].eq("gas_pipeline") & f["aggregate"]]
    assert [by_year(total, "bcm")[y] for y in (2021, 2022, 2023, 2025)] == [
        201.3,
        125.0,
        91.0,
        101.6,
    ]


# --- IEA, Eurostat, CREA, MGIMO -----------------------------------------------------------------
def test_iea_nord_stream_stops_in_september_2022(mirror) -> None:
    table = iea_gas.read(mirror / "energy" / IEA)
    ns = table.frame[table.frame["route"].eq("Nord Stream")].set_index(["year", "month"])
    # SOURCES.md: Aug 2022 952.8 mcm (identical to Eurostat), Sep 2022 0.0.
    assert ns.loc[(2022, 8), "bcm"] == pytest.approx(0.9528, abs=1e-4)
    assert ns.loc[(2022, 9), "bcm"] == 0.0
    assert set(table.frame["basis"]) == {"physical"}
    # Five small negative months (reverse-flow corrections, at most -1.3 mcm) are rejected.
    assert len(table.rejected) == 5
    assert {r.field for r in table.rejected} == {"flow_mcm"}


def test_eurostat_germany_gas_from_russia(eurostat) -> None:
    f = eurostat.frame
    ger = f[f["importer"].eq("DEU") & f["exporter"].eq("RUS") & f["fuel"].eq("gas")]
    # SOURCES.md: 2016...2020 42.4, 49.4, 56.8, 57.0, 57.7 bcm (m3 from 2014 on).
    assert [by_year(ger, "bcm")[y] for y in range(2016, 2021)] == [42.4, 49.4, 56.8, 57.0, 57.7]
    # SOURCES.md: Jun 2022 3.05, Jul 1.20, Aug 0.95 bcm; the file ends there for Germany.
    months = ger[ger["year"].eq(2022)].set_index("month")["bcm"].round(2)
    assert [months[m] for m in (6, 7, 8)] == [3.05, 1.2, 0.95] and months.index.max() == 8
    assert eurostat.rejected == []
    # TJ and m3 of a flow are on one row; LNG rows are part of the gas rows.
    assert not f.duplicated(["importer", "exporter_name", "year", "month", "fuel"]).any()
    assert set(f.loc[f["fuel"].eq("lng"), "part_of"]) == {"gas"}


def test_eurostat_unspecified_partners_are_kept(eurostat) -> None:
    # Georgia, Moldova and Ukraine report their gas imports with no partner at all.
    f = eurostat.frame
    geo = f[f["importer"].eq("GEO") & f["fuel"].eq("gas")]
    assert len(geo) > 0 and set(geo["exporter_kind"]) == {"unknown"}
    assert geo["exporter"].isna().all()


def test_crea_keeps_the_eu_row_as_an_aggregate(mirror) -> None:
    table = crea.read(mirror / "energy" / CREA)
    f = table.frame
    eu = f[f["importer"].eq("EU")]
    assert set(eu["importer_kind"]) == {"eu"} and eu["aggregate"].all()
    members = f[~f["aggregate"] & f["importer"].isin(["DEU", "POL", "ITA"])]
    assert not members.empty and not members["aggregate"].any()
    # The EU row is exactly the sum of the members' rows (so it must never be added to them).
    assert f.loc[f["importer"].eq("EU") & f["fuel"].eq("crude"), "mt"].sum() == pytest.approx(
        f.loc[~f["aggregate"] & f["fuel"].eq("crude") & f["importer"].isin(
            ["AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
             "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
             "SVN", "ESP", "SWE"]), "mt"].sum(), rel=1e-9)  # fmt: skip
    # Negative quantities (CREA's gas corrections) are counted rejections.
    assert table.rejected and all(r.reason.startswith("negative") for r in table.rejected)
    assert f["year"].max() == 2022 and f.loc[f["year"].eq(2022), "month"].max() == 11


def test_mgimo_oil_to_india_and_china(mirror) -> None:
    table = mgimo.read(mirror / "energy" / MGIMO)
    f = table.frame
    assert table.rejected == [] and f["nowcast"].isna().all()
    oil = f[f["fuel"].eq("oil")]
    # SOURCES.md: oil and products to India 2023 90.4, 2024 95.6 Mt; China 123.0, 123.9 Mt.
    india, china = (
        by_year(oil[oil["importer"].eq("IND")], "mt"),
        by_year(oil[oil["importer"].eq("CHN")], "mt"),
    )
    assert (india[2023], india[2024], china[2023], china[2024]) == (90.4, 95.6, 123.0, 123.9)
    assert set(f.loc[f["importer"].isna(), "importer_kind"]) == {"residual"}


# --- Pew ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("state", "year", "target", "column", "published"), [
    ("POL", 2023, "USA", "favorable", 0.93),  # Pew 2023: 93% of Poles favourable of the US
    ("JPN", 2020, "CHN", "unfavorable", 0.86),
    ("AUS", 2020, "CHN", "unfavorable", 0.81),
    ("RUS", 2017, "USA", "favorable", 0.41),
    ("UKR", 2014, "RUS", "favorable", 0.35),
    ("UKR", 2015, "RUS", "favorable", 0.21),
    ("RUS", 2019, "CHN", "favorable", 0.71),
    ("TUR", 2017, "USA", "favorable", 0.18),
])  # fmt: skip
def test_pew_matches_published_toplines(views, state, year, target, column, published) -> None:
    row = views.frame.set_index(["state", "year", "target"]).loc[(state, year, target)]
    assert round(row[column], 2) == published


def test_pew_reads_palestine_under_one_code(views) -> None:
    assert views.rejected == [] and len(views.frame) == 2_656
    assert "PLS" not in set(views.frame["state"])
    assert sorted(views.frame.loc[views.frame["state"].eq("PSE"), "year"].unique()) == [
        2003, 2007, 2009, 2011, 2013, 2014, 2015]  # fmt: skip


# --- bad input ------------------------------------------------------------------------------------
def _matrix_rows(**change) -> pd.DataFrame:
    rows = pd.DataFrame({
        "data_year": [2021, 2021, 2021, 2021, 2021],
        "flow": ["gas_pipeline", "gas_pipeline", "oil_crude", "gas_pipeline", "gas_pipeline"],
        "exporter": ["Russia", "Russia", "Russia", "Atlantis", "Russia"],
        "importer": ["China", "Belarus", "India", "China", "China"],
        "value": [7.6, 18.7, 4.5, 1.0, 7.6],
        "unit": ["bcm", "bcm", "bcm", "bcm", "bcm"],
    })  # fmt: skip
    return rows.assign(**change)


def test_matrix_bad_rows_are_counted_with_row_and_field(tmp_path) -> None:
    path = tmp_path / "ei.parquet"
    _matrix_rows(value=[7.6, -1.0, 4.5, 1.0, 7.6]).to_parquet(path)
    table = ei_energy.read_trade_movements(path)
    assert sorted(table.rejected, key=lambda r: r.record) == [
        Rejection("ei.parquet", "row 2", "value", "-1.0 outside the plausible range [0, 5000] "
                  "bcm or Mt"),
        Rejection("ei.parquet", "row 3", "unit", "'bcm for oil_crude' is not the unit of the flow"),
        Rejection("ei.parquet", "row 4", "exporter", "neither a state nor a known EI group: "
                  "'Atlantis'"),
        Rejection("ei.parquet", "row 5", "exporter", "repeats the data year, flow, exporter and "
                  "importer of an earlier row: 'Russia'"),
    ]  # fmt: skip
    assert table.frame[["exporter", "importer", "bcm"]].values.tolist() == [["RUS", "CHN", 7.6]]


def test_pew_bad_rows_are_counted(tmp_path, mirror) -> None:
    raw = pd.read_parquet(mirror / "opinion" / PEW).head(3).copy()
    raw["iso3"] = raw["iso3"].astype(str)
    raw.loc[0, "iso3"] = "XXX"
    raw.loc[1, "dont_know"] = raw.loc[1, "dont_know"] + 0.2
    path = tmp_path / "pew.parquet"
    raw.to_parquet(path)
    table = pew.read(path)
    assert [(r.record, r.field) for r in table.rejected] == [("row 1", "iso3"),
                                                             ("row 2", "dont_know")]  # fmt: skip
    assert "add up to 1.2" in table.rejected[1].reason and len(table.frame) == 1


@pytest.mark.parametrize(("reader", "columns", "missing"), [
    (ei_energy.read_trade_movements, ["data_year", "flow", "exporter", "importer", "value"], "unit"),
    (ei_energy.read_interregional, ["region", "measure", "year", "value_bcm"], "partner_region"),
    (iea_gas.read, ["borderpoint", "exit_country", "entry_country", "month"], "flow_mcm"),
    (eurostat_energy.read, ["reporter", "partner", "date", "commodity", "unit"], "value"),
    (crea.read, ["origin", "destination", "date", "commodity", "unit"], "value"),
    (mgimo.read, ["period", "exporter", "partner", "commodity", "measure", "value"], "unit"),
    (pew.read, ["year", "iso3", "target"], "favorable"),
])  # fmt: skip
def test_missing_column_is_a_source_error(tmp_path, reader, columns, missing) -> None:
    path = tmp_path / "input.parquet"
    pd.DataFrame({c: ["x"] for c in columns}).to_parquet(path)
    with pytest.raises(SourceError, match=rf"input\.parquet.*{missing}"):
        reader(path)


def test_missing_and_damaged_files_are_source_errors(tmp_path) -> None:
    for reader in (ei_energy.read_trade_movements, iea_gas.read, eurostat_energy.read, crea.read,
                   mgimo.read, pew.read):  # fmt: skip
        with pytest.raises(SourceError, match="nothing.parquet"):
            reader(tmp_path / "nothing.parquet")
    path = tmp_path / "damaged.parquet"
    path.write_bytes(b"PAR1" + b"\0" * 100)
    with pytest.raises(SourceError, match="damaged.parquet"):
        crea.read(path)


def test_every_energy_source_has_citation_and_licence() -> None:
    from allegiance.sources.registry import SOURCES
    from allegiance.store.energy_build import ENERGY_SOURCES

    for name, _, _ in ENERGY_SOURCES:
        assert len(SOURCES[name].citation) > 20, name
        assert len(SOURCES[name].licence) > 10, name
