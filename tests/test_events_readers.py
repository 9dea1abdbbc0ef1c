"""Event readers on the real mirror files and on small files in the published formats."""

from __future__ import annotations

import csv
import zipfile

import pandas as pd
import pytest
from events_helpers import EXTRACT, bad_gdelt_file, gdelt_lines, write_zip

from allegiance.sources import cameo, gdelt, icews, polecat
from allegiance.sources.base import SourceError


def test_gdelt_column_lists_match_the_codebook_schemas(mirror):
    for name, columns in (("gdelt1_event_schema.csv", gdelt.GDELT1_COLUMNS),
                          ("gdelt2_event_schema.csv", gdelt.GDELT2_COLUMNS)):  # fmt: skip
        with open(mirror / "events" / name, encoding="utf-8") as handle:
            assert [r["name"] for r in csv.DictReader(handle)] == columns
    assert len(gdelt.GDELT1_COLUMNS) == 58 and len(gdelt.GDELT2_COLUMNS) == 61


def test_the_georgia_extract_reads_whole(mirror):
    got = gdelt.read(mirror / "events" / EXTRACT)
    assert got.rows == 105_438 and got.rejected == []
    t = got.table.to_pandas()
    assert t["date"].min().isoformat() == "2011-06-01"
    assert t["date"].max().isoformat() == "2013-05-31"
    # SOURCES.md: Actor1CountryCode USA 21k, RUS 4.9k.
    assert (t["source_country"] == "RUS").sum() == 4851
    # Every event is located in Georgia (ActionGeo_CountryCode GG, names ending in Georgia).
    assert (t["action_state"] == "GEO").all()


def test_raw_daily_zip_gives_the_same_rows_as_the_extract(mirror, tmp_path):
    path = write_zip(tmp_path / "20130401.export.CSV.zip", gdelt_lines(mirror, 50))
    raw = gdelt.read(path)
    ref = gdelt.read(mirror / "events" / EXTRACT).table.slice(0, 50)
    assert raw.rejected == [] and raw.dataset == "gdelt1"
    for column in ("event_id", "date", "source_country", "target_country", "cameo_code",
                   "goldstein", "num_mentions", "tone", "is_root_event"):  # fmt: skip
        assert raw.table.column(column).to_pylist() == ref.column(column).to_pylist(), column
    assert raw.table.column("line").to_pylist() == list(range(1, 51))


def test_gdelt2_export_has_61_columns(mirror, tmp_path):
    lines = []
    for line in gdelt_lines(mirror, 3):
        cells = line.split("\t")
        by = dict(zip(gdelt.GDELT1_COLUMNS, cells, strict=True))
        by |= {"Actor1Geo_ADM2Code": "", "Actor2Geo_ADM2Code": "", "ActionGeo_ADM2Code": "",
               "DATEADDED": "20150218230000"}  # fmt: skip
        lines.append("\t".join(by[c] for c in gdelt.GDELT2_COLUMNS))
    got = gdelt.read(write_zip(tmp_path / "20150218230000.export.CSV.zip", lines))
    assert got.dataset == "gdelt2" and got.rows == 3 and got.rejected == []


def test_bad_rows_are_rejected_with_file_and_line(mirror, tmp_path):
    got = gdelt.read(bad_gdelt_file(mirror, tmp_path))
    found = {(r.record, r.field) for r in got.rejected}
    assert ("line 2", "row") in found  # 57 columns
    assert ("line 3", "SQLDATE") in found  # 20111345
    assert ("line 4", "NumMentions") in found  # "many"
    assert all(r.file == "20130401.export.CSV.zip" for r in got.rejected)
    # Line 1 parses (its unknown code is the pipeline's to reject) and keeps its line number.
    assert got.table.column("line").to_pylist() == [1]
    assert got.table.column("cameo_code").to_pylist() == ["999"]


def test_truncated_zip_is_rejected_whole_with_the_line_it_breaks_at(mirror, tmp_path):
    whole = write_zip(tmp_path / "full.zip", gdelt_lines(mirror, 400))
    cut = tmp_path / "20130402.export.CSV.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    got = gdelt.read(cut)
    assert got.rows == 0 and len(got.rejected) == 1
    r = got.rejected[0]
    assert r.field == "file" and "truncated" in r.reason
    line = int(r.record.split()[1])
    assert 1 < line < 400  # half the compressed bytes hold part of the lines


def test_a_file_of_another_width_is_an_error(tmp_path):
    path = tmp_path / "20130403.export.CSV.zip"
    write_zip(path, ["1\t2\t3"])
    with pytest.raises(SourceError, match="line 1 has 3 tab-separated columns"):
        gdelt.read(path)


def test_icews_sample(mirror):
    got = icews.read(mirror / "events" / "icews_events_2018_sample_raw.tab.gz")
    assert got.rows == 3705 and got.rejected == []
    first = got.table.slice(0, 1).to_pylist()[0]
    # Line 2 of the file: Foreign Affairs (Bangladesh) consults military personnel (Vietnam).
    assert (first["source_country"], first["target_country"], first["cameo_code"]) == (
        "BGD", "VNM", "040")  # fmt: skip
    assert first["date"].isoformat() == "2018-06-01" and first["line"] == 2
    assert first["goldstein"] == 1.0 and first["document"] == "47400351"
    # R's "NA" is a missing cell (147 rows); "Namibia" is Namibia (1 row).
    countries = got.table.column("source_country").to_pylist()
    assert "NA" not in countries and countries.count(None) == 147
    assert countries.count("NAM") == 1


POLECAT_HEADER = ["Event ID", "Event Date", "Event Type", "Event Mode", "Contexts",
                  "Actor Name", "Actor Country", "Primary Actor Sector", "Recipient Name",
                  "Recipient Country", "Primary Recipient Sector", "Story ID", "Country"]  # fmt: skip


def _polecat(path, rows):
    path.write_text("\n".join("\t".join(r) for r in [POLECAT_HEADER, *rows]) + "\n", "utf-8")
    return path


def test_polecat_file_in_the_published_format(tmp_path):
    path = _polecat(tmp_path / "ngec_2023_w01.txt", [
        ["e1", "2023-01-05", "CONSULT", "visit", "", "Lavrov", "RUS", "GOV", "Darchiashvili",
         "GEO", "GOV", "s1", "GEO"],
        ["e2", "2023-01-06", "accuse", "", "", "Ministry", "Georgia", "GOV", "Kremlin",
         "Russia", "GOV", "s2", "Georgia"],
        ["e3", "2023-01-07", "ASSAULT", "", "", "Army", "RUS", "MIL"],
        ["e4", "01/08/2023", "AID", "", "", "USAID", "USA", "GOV", "Ministry", "GEO", "GOV",
         "s3", "GEO"],
    ])  # fmt: skip
    got = polecat.read(path)
    assert got.dataset == "polecat" and got.rows == 2
    assert {(r.record, r.field) for r in got.rejected} == {
        ("line 4", "row"),
        ("line 5", "Event Date"),
    }
    t = got.table.to_pandas()
    assert t["plover_type"].tolist() == ["CONSULT", "ACCUSE"]
    assert t["source_country"].tolist() == ["RUS", "GEO"]  # names resolved on the date
    assert t["target_country"].tolist() == ["GEO", "RUS"]


def test_cameo_tables(mirror):
    codes = cameo.read_event_codes(mirror / "events")
    assert len(codes) == 311 and codes["cameo_code"].is_unique
    assert codes.set_index("cameo_code").at["0874", "goldstein"] == 10.0  # retreat militarily
    # The quad classes agree with the icews package's quad_category for every code.
    pkg = pd.read_csv(mirror / "events" / "cameo_codes_icews_pkg.csv", dtype=str)
    names = {v: k for k, v in cameo.QUAD_NAMES.items()}
    want = pkg.set_index("cameo_code")["quad_category"].str.replace(" ", "_").map(names)
    got = codes.set_index("cameo_code")["quad_class"]
    common = got.index.intersection(want.index)
    assert len(common) >= 300 and (got[common] == want[common]).all()


def test_gdelt_own_quadclass_differs_only_for_investigate_and_protest(mirror):
    t = pd.read_parquet(mirror / "events" / EXTRACT, columns=["EventRootCode", "QuadClass"])
    ours = t["EventRootCode"].map(cameo.quad_of_root)
    assert sorted(t.loc[ours != t["QuadClass"], "EventRootCode"].unique()) == ["09", "14"]


def test_plover_mapping_meets_cameo_in_quad_classes():
    assert cameo.plover_type("036") == "AGREE" and cameo.plover_type("0874") == "RETREAT"
    assert cameo.plover_type("163") == "COERCE" and cameo.plover_type("011") is None
    # Verbal and material cooperation and conflict coincide except where PLOVER splits YIELD.
    assert cameo.PLOVER_QUAD["CONSULT"] == cameo.quad_of_root("04") == 1
    assert cameo.PLOVER_QUAD["ASSAULT"] == cameo.quad_of_root("18") == 4
    assert cameo.PLOVER_QUAD["RETREAT"] == cameo.quad_of_root("08") == 2


def test_country_codes_by_date():
    s = cameo.country_spells()

    def meant(code, day):
        key = pd.Timestamp(day).date()
        row = s[(s["code"] == code) & (s["first_day"] <= key) & (key < s["last_day"])]
        return row["state"].tolist()

    assert meant("RUS", "1985-06-01") == ["SUN"] and meant("RUS", "1992-01-01") == ["RUS"]
    assert meant("SRB", "1999-03-24") == ["SCG"] and meant("SRB", "2012-01-01") == ["SRB"]
    assert meant("ROM", "2012-01-01") == ["ROU"]  # GDELT's CAMEO code for Romania
    assert meant("CHN", "1965-01-01") == ["CHN"]  # the PRC, not Taiwan's seat
    assert meant("EUR", "2012-01-01") == [] and meant("WST", "2012-01-01") == []


def test_zip_with_two_files_is_an_error(tmp_path):
    path = tmp_path / "201301.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.csv", "1")
        z.writestr("b.csv", "2")
    with pytest.raises(SourceError, match="expected one file in the zip archive"):
        gdelt.read(path)
