"""Readers for the non-vote channels: trade, arms, opinion and map boundaries.

Figures marked "SOURCES.md" are the verification figures published in the SOURCES.md of
the data folder; the readers must reproduce them from the real files.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from allegiance.sources import armstat, comtrade, cow_trade, natural_earth, sipri
from allegiance.sources import caucasus_barometer as cb
from allegiance.sources.base import Rejection, SourceError

MODULES = [cow_trade, comtrade, armstat, sipri, cb, natural_earth]


def share(values: pd.Series, keys: pd.Series, key: str) -> float:
    return float(values[keys.eq(key)].sum() / values.sum())


# --- real files ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cow(mirror: Path) -> cow_trade.TradeFlows:
    return cow_trade.read(mirror / "trade" / "cow_dyadic_trade_v4_1870_2014.parquet")


@pytest.fixture(scope="module")
def ct(mirror: Path) -> comtrade.ComtradeTrade:
    return comtrade.read(mirror / "trade" / "comtrade_exports_by_partner_2021.csv.gz")


@pytest.fixture(scope="module")
def arm(mirror: Path) -> armstat.ArmstatTrade:
    return armstat.read(
        mirror / "trade" / "armstat_armenia_trade_by_partner_monthly_2007_2024.csv.gz"
    )


@pytest.fixture(scope="module")
def register(mirror: Path) -> sipri.ArmsTransfers:
    return sipri.read_register(mirror / "arms" / "sipri_trade_register_deliveries_1995_2024.csv.gz")


@pytest.fixture(scope="module")
def tiv(mirror: Path) -> sipri.ArmsTransfers:
    return sipri.read_tiv(mirror / "arms" / "sipri_tiv_by_supplier_recipient_year_1995_2024.csv")


@pytest.fixture(scope="module")
def barometer(mirror: Path) -> cb.BarometerShares:
    return cb.read(
        mirror / "opinion" / "caucasus_barometer_foreign_policy_attitudes_2009_2011_2020.csv"
    )


def test_every_source_the_build_loads_has_citation_and_licence() -> None:
    from allegiance.sources.registry import SOURCES
    from allegiance.store.build import VOTE_SOURCES
    from allegiance.store.channels_build import CHANNEL_SOURCES

    for name in [s.name for s in VOTE_SOURCES] + [s.name for s in CHANNEL_SOURCES]:
        assert len(SOURCES[name].citation) > 20, name
        assert len(SOURCES[name].licence) > 10, name


@pytest.mark.parametrize(("state", "total_musd", "russia", "china"), [
    ("ARM", 6_000, 0.236, 0.099),  # SOURCES.md: Armenia COW 2014, total $6.0bn
    ("KAZ", 108_700, 0.208, 0.219),  # SOURCES.md: Kazakhstan COW 2014, total $108.7bn
])  # fmt: skip
def test_cow_2014_partner_shares(cow, state, total_musd, russia, china) -> None:
    rows = cow.frame[cow.frame["reporter"].eq(state) & cow.frame["year"].eq(2014)]
    total = rows["imports_musd"].fillna(0) + rows["exports_musd"].fillna(0)
    assert total.sum() == pytest.approx(total_musd, rel=0.01)
    assert share(total, rows["partner"], "RUS") == pytest.approx(russia, abs=0.001)
    assert share(total, rows["partner"], "CHN") == pytest.approx(china, abs=0.001)


def test_cow_is_directed_with_soviet_split_and_missing_kept(cow) -> None:
    frame = cow.frame
    assert list(frame.columns) == cow_trade.COLUMNS
    # Every dyad-year appears from both sides, mirrored.
    ab = frame[frame["reporter"].eq("ARM") & frame["partner"].eq("GEO") & frame["year"].eq(2010)]
    ba = frame[frame["reporter"].eq("GEO") & frame["partner"].eq("ARM") & frame["year"].eq(2010)]
    assert ab["imports_musd"].item() == ba["exports_musd"].item()
    assert ab["exports_musd"].item() == ba["imports_musd"].item()
    years = frame.groupby("reporter")["year"]
    assert years.max()["SUN"] == 1991 and years.min()["RUS"] == 1992
    assert frame["imports_musd"].isna().sum() > 20_000  # SOURCES.md: 23-28k NaN per flow
    assert not frame.duplicated(["reporter", "partner", "year"]).any()
    # Historical states without a code (Austria-Hungary, South Vietnam) are counted.
    assert cow.rejected and all(r.field in ("ccode1", "ccode2") for r in cow.rejected)


def test_comtrade_armenia_exports_2021(ct) -> None:
    rows = ct.frame[ct.frame["reporter"].eq("ARM")]
    # SOURCES.md: Armenia exports 2021 $2.96bn, Russia 26.8%.
    assert rows["value_usd"].sum() == pytest.approx(2.96e9, rel=0.005)
    assert share(rows["value_usd"], rows["partner"], "RUS") == pytest.approx(0.268, abs=0.001)
    world = ct.world[ct.world["reporter"].eq("ARM")]["value_usd"].item()
    assert rows["value_usd"].sum() == pytest.approx(world, rel=1e-9)


def test_comtrade_world_is_separate_and_kazakhstan_is_mirrored(ct) -> None:
    assert list(ct.frame.columns) == comtrade.COLUMNS
    assert not ct.frame["partner_code"].eq("W00").any()
    assert ct.world["reporter_code"].nunique() == 140  # SOURCES.md: 140 reporters
    assert not ct.frame["reporter"].eq("KAZ").any()
    kaz = comtrade.mirror_imports(ct.frame, "KAZ")
    # SOURCES.md: 100 partner reporters, $48.2bn, Russia 38.4%, China 29.0%.
    assert kaz["partner_code"].nunique() == 100
    assert kaz["value_usd"].sum() == pytest.approx(48.2e9, rel=0.005)
    assert share(kaz["value_usd"], kaz["partner"], "RUS") == pytest.approx(0.384, abs=0.001)
    assert share(kaz["value_usd"], kaz["partner"], "CHN") == pytest.approx(0.290, abs=0.001)
    assert set(kaz["flow"]) == {"mirror-import"} and set(kaz["reporter"]) == {"KAZ"}


def test_armstat_2024_partner_shares(arm) -> None:
    year = armstat.annual(arm.frame)
    year = year[year["year"].eq(2024)]
    total = year["exports_kusd"].fillna(0) + year["imports_kusd"].fillna(0)
    # SOURCES.md: total $30.2bn, Russia 41.1%, China 9.4%; exports 13.09 million kUSD.
    assert total.sum() == pytest.approx(30.2e6, rel=0.005)
    assert year["exports_kusd"].sum() == pytest.approx(13.09e6, rel=0.001)
    assert share(total, year["partner"], "RUS") == pytest.approx(0.411, abs=0.001)
    assert share(total, year["partner"], "CHN") == pytest.approx(0.094, abs=0.001)


def test_armstat_keeps_non_states(arm) -> None:
    frame = arm.frame
    assert list(frame.columns) == armstat.COLUMNS
    assert len(frame) + len(arm.rejected) == 28_367  # SOURCES.md row count
    assert arm.rejected == []
    kinds = frame.drop_duplicates("partner_name").set_index("partner_name")["partner_kind"]
    assert kinds["Unknown country"] == "unknown"
    assert kinds["EU countries not specified"] == "aggregate"
    assert kinds["Nagorno-Karabakh"] == "non-state"
    assert kinds["Hong Kong"] == "territory"
    assert frame.loc[frame["partner_kind"].ne("state"), "partner"].isna().all()
    # Renamed partners resolve to one code.
    names = frame[frame["partner"].eq("USA")]["partner_name"].unique()
    assert set(names) == {"USA", "United States"}


@pytest.mark.parametrize(("recipient", "first", "last", "russia"), [
    ("KAZ", 2015, 2024, 0.90),  # SOURCES.md
    ("ARM", 1995, 2014, 0.82),  # SOURCES.md
    ("KAZ", 1995, 2014, 0.77),  # SOURCES.md
    ("ARM", 2015, 2024, 0.83),  # SOURCES.md
])  # fmt: skip
def test_sipri_russia_share_of_tiv_received(register, tiv, recipient, first, last, russia) -> None:
    for result in (register, tiv):
        rows = result.frame[
            result.frame["recipient"].eq(recipient) & result.frame["year"].between(first, last)
        ]
        got = share(rows["tiv_millions"], rows["supplier"], "RUS")
        assert got == pytest.approx(russia, abs=0.005)


def test_sipri_actor_kinds_and_totals(register, tiv) -> None:
    assert list(register.frame.columns) == sipri.REGISTER_COLUMNS
    assert list(tiv.frame.columns) == sipri.TIV_COLUMNS
    assert len(register.frame) == 25_024 and len(tiv.frame) == 11_603  # SOURCES.md
    assert register.rejected == [] and tiv.rejected == []
    assert register.frame["deal_id"].nunique() == 12_571  # SOURCES.md
    assert register.frame["tiv_millions"].sum() == pytest.approx(
        tiv.frame["tiv_millions"].sum(), rel=1e-9
    )
    frame = register.frame
    kinds = dict(zip(frame["recipient_name"], frame["recipient_kind"], strict=True))
    kinds.update(zip(frame["supplier_name"], frame["supplier_kind"], strict=True))
    assert kinds["NATO"] == "organization"
    assert kinds["Ukraine Rebels"] == "non-state"
    assert kinds["unknown supplier(s)"] == "unknown"
    assert kinds["unknown rebel group"] == "non-state"
    assert kinds["Turkiye"] == "state"
    assert frame.loc[frame["recipient_kind"].ne("state"), "recipient"].isna().all()
    assert set(frame.loc[frame["supplier_name"].eq("Turkiye"), "supplier"]) == {"TUR"}


def test_barometer_2011_biggest_friend(barometer) -> None:
    frame = barometer.frame
    assert list(frame.columns) == cb.COLUMNS and len(frame) == 487  # SOURCES.md
    assert set(frame["state"]) == {"ARM", "AZE", "GEO"}
    asked = frame[frame["variable"].eq("FRNDCNTR") & frame["year"].eq(2011)]
    raw = asked.set_index(["state", "value_label"])["weighted_share"]
    # SOURCES.md reports shares with DK/RA codes included: Armenia -> Russia 81%,
    # Azerbaijan -> Turkey 90%, Georgia -> USA 44%, Georgia DK 25%.
    assert raw["ARM", "Russia"] == pytest.approx(0.81, abs=0.005)
    assert raw["AZE", "Turkey"] == pytest.approx(0.90, abs=0.005)
    assert raw["GEO", "USA"] == pytest.approx(0.44, abs=0.005)
    assert raw["GEO", "Don't know"] == pytest.approx(0.25, abs=0.005)

    friends = cb.main_friend(frame)
    assert list(friends.columns) == cb.FRIEND_COLUMNS
    sums = friends.groupby(["state", "year"])["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)
    top = friends[friends["rank"].eq(1)].set_index("state")
    assert top["friend"].to_dict() == {"ARM": "RUS", "AZE": "TUR", "GEO": "USA"}
    substantive = 1 - asked[asked["code"].lt(0) & asked["state"].eq("ARM")]["weighted_share"].sum()
    assert top.loc["ARM", "share"] == pytest.approx(raw["ARM", "Russia"] / substantive)
    kinds = friends.set_index("friend_label")["friend_kind"]
    assert kinds["No one"].eq("none").all()
    assert kinds["Mountainous Karabakh"] == "non-state"


@pytest.mark.parametrize(("name", "count"), [
    ("ne_110m_admin_0_countries.geojson.gz", 177),  # SOURCES.md
    ("ne_50m_admin_0_countries.geojson.gz", 241),  # SOURCES.md
])  # fmt: skip
def test_natural_earth_keyed_by_iso3(mirror, name, count) -> None:
    features = natural_earth.read(mirror / "geo" / name)
    assert len(features) == count
    # ISO_A3 is -99 for these; ADM0_A3 is not.
    for iso3 in ("FRA", "NOR", "XKX", "SSD", "ARM", "AZE", "GEO", "RUS", "TUR", "KAZ"):
        assert features[iso3]["id"] == iso3
    assert features["FRA"]["properties"]["ISO_A3"] == "-99"
    chosen = natural_earth.features_for(features, ["GEO", "ARM", "SUN", "GEO"])
    assert [f["id"] for f in chosen["features"]] == ["GEO", "ARM"]
    with pytest.raises(KeyError, match="SUN"):
        natural_earth.features_for(features, ["ARM", "SUN"], strict=True)


# --- bad input ---------------------------------------------------------------------------

ARMSTAT_CSV = (
    "country,year,month,export,import_origin,import_consignment,date\n"
    "Georgia,2020,1,10.5,3.0,3.0,2020-01-01\n"
    "Atlantis,2020,1,1.0,2.0,2.0,2020-01-01\n"
    "Unknown country,2020,2,,4.0,4.0,2020-02-01\n"
    "Russian Federation,2020,13,1.0,1.0,1.0,2020-13-01\n"
)


def write_gz(path: Path, text: str) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(text)
    return path


def truncate(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def test_armstat_unknown_name_is_a_counted_rejection(tmp_path) -> None:
    path = tmp_path / "armstat.csv"
    path.write_text(ARMSTAT_CSV, encoding="utf-8")
    result = armstat.read(path)
    assert sorted(result.rejected, key=lambda r: r.record) == [
        Rejection("armstat.csv", "line 3", "country", "not a known state: 'Atlantis'"),
        Rejection("armstat.csv", "line 5", "month", "not a month: '13'"),
    ]
    assert len(result.frame) == 2 and result.frame["partner"].iloc[0] == "GEO"
    unknown = result.frame.iloc[1]
    assert unknown["partner_kind"] == "unknown" and pd.isna(unknown["exports_kusd"])


def test_truncated_gzip_is_a_source_error(tmp_path) -> None:
    big = ARMSTAT_CSV + "".join(
        f"Georgia,{y},{m},1,1,1,x\n" for y in range(1900, 2000) for m in range(1, 13)
    )
    path = truncate(write_gz(tmp_path / "armstat.csv.gz", big))
    with pytest.raises(SourceError, match="armstat.csv.gz"):
        armstat.read(path)
    text = "SIPRI AT Database ID,Supplier\n" + "1,Russia\n" * 5000
    path = truncate(write_gz(tmp_path / "register.csv.gz", text))
    with pytest.raises(SourceError, match="register.csv.gz"):
        sipri.read_register(path)
    path = truncate(write_gz(tmp_path / "world.geojson.gz", '{"type": "FeatureCollection"}' * 500))
    with pytest.raises(SourceError, match="world.geojson.gz"):
        natural_earth.read(path)


def test_truncated_parquet_is_a_source_error(tmp_path) -> None:
    path = tmp_path / "cow.parquet"
    frame = pd.DataFrame({"ccode1": [2] * 1000, "ccode2": [20] * 1000, "year": range(1000)})
    frame.assign(flow1=1.0, flow2=2.0).to_parquet(path)
    truncate(path)
    with pytest.raises(SourceError, match=r"cow\.parquet"):
        cow_trade.read(path)


@pytest.mark.parametrize(("reader", "header", "column"), [
    (armstat.read, "country,year,month,export,import_consignment\n", "import_origin"),
    (comtrade.read, "refYear,reporterISO,flowDesc,partnerISO,partnerDesc\n", "primaryValue"),
    (cow_trade.read, "ccode1,ccode2,year,flow1\n", "flow2"),
    (sipri.read_tiv, "supplier,recipient,year,n_deal_rows,n_units_delivered\n",
     "tiv_delivered_musd"),
    (cb.read, "year,country,variable,code,value_label\n", "weighted_share"),
])  # fmt: skip
def test_missing_column_is_a_source_error(tmp_path, reader, header, column) -> None:
    path = tmp_path / "input.csv"
    path.write_text(header, encoding="utf-8")
    with pytest.raises(SourceError, match=rf"input\.csv.*{column}"):
        reader(path)


def test_missing_file_is_a_source_error(tmp_path) -> None:
    readers = (armstat.read, comtrade.read, cow_trade.read, sipri.read_tiv, sipri.read_register)
    for reader in (*readers, cb.read):
        with pytest.raises(SourceError, match="nothing.csv"):
            reader(tmp_path / "nothing.csv")
    with pytest.raises(SourceError, match="nothing.geojson"):
        natural_earth.read(tmp_path / "nothing.geojson")


def test_sipri_names_kinds_and_rejections(tmp_path) -> None:
    path = tmp_path / "tiv.csv"
    path.write_text(
        "supplier,recipient,year,tiv_delivered_musd,n_deal_rows,n_units_delivered\n"
        "Russia,Armenia,2016,100.5,2,10\n"
        "Atlantis,Armenia,2016,1,1,1\n"
        "Iran,Hezbollah (Lebanon)*,2017,3,1,4\n"
        "NATO**,unknown recipient(s),2018,2,1,1\n",
        encoding="utf-8",
    )
    result = sipri.read_tiv(path)
    assert result.rejected == [
        Rejection("tiv.csv", "line 3", "supplier", "not a known state: 'Atlantis'")
    ]
    frame = result.frame.set_index("year")
    assert frame.loc[2016, ["supplier", "recipient", "tiv_millions"]].tolist() == [
        "RUS",
        "ARM",
        100.5,
    ]
    assert frame.loc[2017, "recipient_name"] == "Hezbollah (Lebanon)"
    assert frame.loc[2017, "recipient_kind"] == "non-state"
    assert frame.loc[2018, ["supplier_kind", "recipient_kind"]].tolist() == [
        "organization",
        "unknown",
    ]


def test_sipri_register_skips_the_notes_above_the_header(tmp_path) -> None:
    header = (
        "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,"
        "Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,"
        "Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,"
        "TIV delivery values,Local production"
    )
    path = tmp_path / "register.csv"
    path.write_text(
        "Transfers of major conventional arms from All countries to All countries.\n"
        "Source: SIPRI Arms Transfers Database\n\n"
        f"{header};\n"
        "7,Russia,Armenia,T-72,tank,Armoured vehicles,2015,No,10,No,2016,No,New,1,1,10,No;\n",
        encoding="utf-8",
    )
    result = sipri.read_register(path)
    row = result.frame.iloc[0]
    assert (row["supplier"], row["recipient"], row["year"], row["tiv_millions"]) == (
        "RUS",
        "ARM",
        2016,
        10.0,
    )
    assert row["local_production"] == "No" and not row["year_is_estimate"]


def test_cow_csv_release_codes_and_missing(tmp_path) -> None:
    path = tmp_path / "cow.csv"
    path.write_text(
        "ccode1,ccode2,year,flow1,flow2\n2,365,1990,10,-9\n2,365,1995,20,30\n2,999,1995,1,1\n",
        encoding="utf-8",
    )
    result = cow_trade.read(path)
    assert result.rejected == [
        Rejection("cow.csv", "line 4", "ccode2", "COW code 999 in 1995 is not a known state")
    ]
    frame = result.frame.set_index(["reporter", "partner", "year"])
    assert frame.loc[("USA", "SUN", 1990), "imports_musd"] == 10
    assert pd.isna(frame.loc[("USA", "SUN", 1990), "exports_musd"])
    assert frame.loc[("RUS", "USA", 1995)].tolist() == [30.0, 20.0]


def test_comtrade_aggregates_territories_and_rejections(tmp_path) -> None:
    path = tmp_path / "ct.csv"
    path.write_text(
        "refYear,reporterISO,reporterDesc,flowDesc,partnerISO,partnerDesc,cmdDesc,primaryValue\n"
        "2021,ARM,Armenia,Export,W00,World,All Commodities,100\n"
        "2021,ARM,Armenia,Export,RUS,Russian Federation,All Commodities,60\n"
        "2021,ARM,Armenia,Export,HKG,China Hong Kong SAR,All Commodities,10\n"
        "2021,ARM,Armenia,Export,_X,Areas nes,All Commodities,5\n"
        "2021,ARM,Armenia,Export,S19,Other Asia nes,All Commodities,5\n"
        "2021,ARM,Armenia,Export,R 1,bad code,All Commodities,5\n"
        "2021,ARM,Armenia,Export,GEO,Georgia,Live animals,5\n",
        encoding="utf-8",
    )
    result = comtrade.read(path)
    assert [(r.record, r.field) for r in result.rejected] == [
        ("line 8", "cmdDesc"),
        ("line 7", "partnerISO"),
    ]
    assert result.world["value_usd"].tolist() == [100.0]
    kinds = result.frame.set_index("partner_code")["partner_kind"].to_dict()
    assert kinds == {"RUS": "state", "HKG": "territory", "_X": "aggregate", "S19": "state"}
    assert result.frame.set_index("partner_code")["partner"]["S19"] == "TWN"


def test_barometer_unknown_country_is_rejected(tmp_path) -> None:
    path = tmp_path / "cb.csv"
    path.write_text(
        "year,country,variable,code,value_label,weighted_share\n"
        "2011,Armenia,FRNDCNTR,5,Russia,0.6\n"
        "2011,Armenia,FRNDCNTR,-1,Don't know,0.2\n"
        "2011,Armenia,FRNDCNTR,7,France,0.2\n"
        "2011,Atlantis,FRNDCNTR,5,Russia,1.0\n",
        encoding="utf-8",
    )
    result = cb.read(path)
    assert result.rejected == [
        Rejection("cb.csv", "line 5", "country", "not a known state: 'Atlantis'")
    ]
    friends = cb.main_friend(result.frame)
    assert friends["friend"].tolist() == ["RUS", "FRA"]
    assert friends["share"].tolist() == pytest.approx([0.75, 0.25])


def test_natural_earth_bad_features(tmp_path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"properties": {}}]}')
    with pytest.raises(SourceError, match=r"bad\.geojson: feature 0: ADM0_A3"):
        natural_earth.read(path)
    path.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(SourceError, match=r"bad\.geojson: line 1"):
        natural_earth.read(path)
