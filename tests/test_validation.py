"""Every value validated at the boundary: strict numbers, repeated rows, what each source
must hold, and a knowledge base that cannot be empty or point at nothing.

The files here are written by the tests; the figures are worked by hand from them.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from allegiance import kb as knowledge
from allegiance.cli.app import app
from allegiance.kb import load
from allegiance.kb.load import KBError, load_kb
from allegiance.sources import armstat, comtrade, cow_trade, sipri, unxml
from allegiance.sources import caucasus_barometer as cb
from allegiance.sources.base import ROLL_CALL_COLUMNS, Rejection, SourceError, SourceTables
from allegiance.sources.validate import RowChecks
from allegiance.store.expect import Expect, RowRules, check_coverage, check_rows, check_vote_source

GOOD_KB = Path(__file__).parent / "fixtures" / "kb" / "good"


# --- strict numbers ------------------------------------------------------------------------


def test_numbers_are_parsed_strictly_with_file_line_field_and_value():
    raw = pd.Series(["1.5", " 2 ", "", "lots", "-999", "inf", "2.5", "1e3"])
    where = "line " + pd.Series(range(2, 10)).astype(str)
    checks = RowChecks("f.csv", where)
    value = checks.number(raw, "tiv", minimum=0, maximum=100)
    assert [str(r) for r in checks.rejected] == [
        "f.csv: line 5: tiv: not a number: 'lots'",
        "f.csv: line 7: tiv: not a number: 'inf'",
        "f.csv: line 6: tiv: negative: '-999'",
        "f.csv: line 9: tiv: above 100: '1e3'",
    ]
    assert (value.iat[0], value.iat[1], value.iat[6]) == (1.5, 2.0, 2.5)
    assert value.iloc[[2, 3, 4, 5, 7]].isna().all()  # the blank and the rejected
    counts = RowChecks("f.csv", where).number(raw, "n", integer=True, required=True)
    assert pd.isna(counts.iat[2]) and counts.dtype == "Int64"


def test_a_required_blank_and_a_fraction_where_a_count_belongs_are_rejected():
    checks = RowChecks("f.csv", pd.Series(["line 2", "line 3"]))
    checks.number(pd.Series(["", "2.5"]), "n", integer=True, required=True)
    assert [r.reason for r in checks.rejected] == [
        "missing (a value is required)",
        "not a whole number: '2.5'",
    ]


# --- the readers ---------------------------------------------------------------------------

TIV_HEADER = "supplier,recipient,year,tiv_delivered_musd,n_deal_rows,n_units_delivered\n"


def test_sipri_tiv_rejects_words_negatives_and_blanks_and_merges_repeats(tmp_path):
    path = tmp_path / "tiv.csv"
    path.write_text(
        TIV_HEADER + "Russia,Kazakhstan,2020,266,2,10\n"  # line 2
        "Russia,Kazakhstan,2021,lots,1,1\n"  # line 3
        "Russia,Kazakhstan,2022,-999,1,1\n"  # line 4
        "Russia,Kazakhstan,2023,,1,1\n"  # line 5
        "Russia,Kazakhstan,2020,266,2,10\n"  # line 6: line 2 again
        "Russia,Kazakhstan,2020,300,2,10\n"  # line 7: line 2 with another value
        "China,Kazakhstan,2020,11,1,2\n",  # line 8
        encoding="utf-8",
    )
    result = sipri.read_tiv(path)
    assert sorted(result.rejected, key=lambda r: int(r.record.split()[1])) == [
        Rejection("tiv.csv", "line 3", "tiv_delivered_musd", "not a number: 'lots'"),
        Rejection("tiv.csv", "line 4", "tiv_delivered_musd", "negative: '-999'"),
        Rejection("tiv.csv", "line 5", "tiv_delivered_musd", "missing (a value is required)"),
        Rejection("tiv.csv", "line 6", "supplier, recipient, year",
                  "repeats line 2 with the same values: merged"),
        Rejection("tiv.csv", "line 7", "supplier, recipient, year",
                  "repeats line 2 with different values: copy rejected"),
    ]  # fmt: skip
    frame = result.frame
    assert frame[["supplier", "year", "tiv_millions"]].values.tolist() == [
        ["CHN", 2020, 11.0],
        ["RUS", 2020, 266.0],
    ]
    assert result.records.tolist() == ["line 8", "line 2"]
    assert frame["tiv_millions"].notna().all()


def test_armstat_comtrade_cow_and_barometer_reject_impossible_numbers(tmp_path):
    path = tmp_path / "armstat.csv"
    path.write_text(
        "country,year,month,export,import_origin,import_consignment\n"
        "Georgia,2020,1,10.5,-3,3\n"
        "Georgia,2020,2,ten,3,3\n"
        "Georgia,2020,3,,3,3\n"
        "Georgia,2020,3,,3,3\n",
        encoding="utf-8",
    )
    result = armstat.read(path)
    assert [str(r) for r in result.rejected] == [
        "armstat.csv: line 3: export: not a number: 'ten'",
        "armstat.csv: line 2: import_origin: negative: '-3'",
        "armstat.csv: line 5: country, year, month: repeats line 4 with the same values: merged",
    ]
    assert len(result.frame) == 1 and pd.isna(result.frame["exports_kusd"].iat[0])

    path = tmp_path / "ct.csv"
    path.write_text(
        "refYear,reporterISO,flowDesc,partnerISO,partnerDesc,primaryValue\n"
        "2021,ARM,Export,RUS,Russian Federation,-60\n"
        "2021,ARM,Export,GEO,Georgia,many\n"
        "2021,ARM,Export,IRN,Iran,5\n",
        encoding="utf-8",
    )
    result = comtrade.read(path)
    assert [(r.record, r.field, r.reason) for r in result.rejected] == [
        ("line 3", "primaryValue", "not a number: 'many'"),
        ("line 2", "primaryValue", "negative: '-60'"),
    ]
    assert result.frame["partner"].tolist() == ["IRN"]

    path = tmp_path / "cow.csv"
    path.write_text(
        "ccode1,ccode2,year,flow1,flow2\n2,365,1995,-5,30\n2,365,1996,-9,30\n", encoding="utf-8"
    )
    result = cow_trade.read(path)
    assert [str(r) for r in result.rejected] == ["cow.csv: line 2: flow1: negative: '-5'"]
    usa = result.frame.set_index(["reporter", "year"]).loc[("USA", 1996)]
    assert pd.isna(usa["imports_musd"]) and usa["exports_musd"] == 30  # -9 is COW's missing

    path = tmp_path / "cb.csv"
    path.write_text(
        "year,country,variable,code,value_label,weighted_share,n_unweighted\n"
        "2011,Armenia,FRNDCNTR,5,Russia,1.2,800\n"
        "2011,Armenia,FRNDCNTR,7,France,0.2,-1\n"
        "2011,Armenia,FRNDCNTR,8,Iran,,10\n",
        encoding="utf-8",
    )
    result = cb.read(path)
    assert [str(r) for r in result.rejected] == [
        "cb.csv: line 4: weighted_share: missing (a value is required)",
        "cb.csv: line 2: weighted_share: above 1: '1.2'",
        "cb.csv: line 3: n_unweighted: negative: '-1'",
    ]
    assert result.frame.empty


def test_an_empty_extract_is_a_source_error_and_a_bad_tally_is_counted(tmp_path):
    folder = tmp_path / "unxml"
    folder.mkdir()
    (folder / "78.json.gz").write_bytes(gzip.compress(b"\n\n"))
    with pytest.raises(SourceError, match=r"78\.json\.gz: empty"):
        unxml.read(folder)
    record = {
        "symbol": "A/RES/ES-11/1",
        "adoption_date": "2 March 2022",
        "adoption_type": "By a recorded vote",
        "MS_in_favour_count": "one hundred",
        "MS_against_count": "1",
        "MS_abstaining_count": "N.A.",
        "MS_in_favour": ["FRANCE"],
        "MS_against": ["BELARUS"],
    }
    (folder / "78.json.gz").write_bytes(gzip.compress((json.dumps(record) + "\n").encode()))
    tables = unxml.read(folder)
    assert [str(r) for r in tables.rejected] == [
        "78.json.gz: line 1: MS_in_favour_count: A/RES/ES-11/1: not a count: 'one hundred'; "
        "tally left empty"
    ]
    rc = tables.roll_calls.iloc[0]
    assert pd.isna(rc["yes"]) and (rc["no"], rc["abstain"]) == (1, 0)


# --- the same rules for every channel source, at the build --------------------------------


def test_row_rules_catch_what_a_reader_let_through():
    # A reader that coerced nothing: a NaN where a value is required, a negative, text
    # where a number belongs, and one fact twice.
    frame = pd.DataFrame(
        {
            "supplier_name": ["Russia", "Russia", "China", "France", "Russia"],
            "year": [2020, 2021, 2020, 2020, 2020],
            "tiv": [266.0, float("nan"), -1.0, "many", 266.0],
        }
    )
    rules = RowRules(key=("supplier_name", "year"), required=("tiv",), ranges={"tiv": (0, None)})
    kept, rejected = check_rows(frame, rules, "new.csv")
    assert [str(r) for r in rejected] == [
        "new.csv: row 2: tiv: missing (a value is required)",
        "new.csv: row 3: tiv: -1.0 is outside [0, ]",
        "new.csv: row 4: tiv: 'many' is outside [0, ]",
        "new.csv: row 5: supplier_name, year: repeats row 1 with the same values: merged",
    ]
    assert kept["supplier_name"].tolist() == ["Russia"]


def test_a_source_that_holds_too_little_fails_with_its_file(tmp_path):
    frame = pd.DataFrame({"year": [1995, 1996, 1998]})
    with pytest.raises(SourceError, match=r"tiv\.csv: 3 usable row\(s\), fewer than the 10"):
        check_coverage(frame, Expect(min_rows=10), tmp_path / "tiv.csv")
    with pytest.raises(SourceError, match=r"tiv\.csv: no usable row for year\(s\) 1997, 1999"):
        check_coverage(frame, Expect(years=tuple(range(1995, 2000))), tmp_path / "tiv.csv")
    roll_calls = pd.DataFrame({"session": [1, 2, 4], "record": ["rcid 1", "rcid 2", "rcid 3"]})
    roll_calls = roll_calls.reindex(columns=ROLL_CALL_COLUMNS)
    tables = SourceTables(
        "voeten", roll_calls, pd.DataFrame(columns=["source_id", "state", "vote"])
    )
    with pytest.raises(SourceError, match=r"voeten: no roll call for session\(s\) 3, 5"):
        check_vote_source(tables, Expect(sessions=(1, 5)), Path("voeten"))


# --- the knowledge base ----------------------------------------------------------------------


@pytest.fixture
def kb_folder(tmp_path: Path) -> Path:
    dest = tmp_path / "kb"
    shutil.copytree(GOOD_KB, dest)
    return dest


@pytest.mark.parametrize("text", ["", "# every membership was here\n", "[]\n"])
def test_an_empty_knowledge_base_file_fails_loading_and_the_check(kb_folder, text):
    # The issue: an empty memberships.yaml passed `kb check` as OK, and every command ran
    # with no memberships (the EU pole blank, the institutions channel 0 everywhere).
    (kb_folder / "memberships.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KBError) as info:
        load_kb(kb_folder)
    assert [str(p) for p in info.value.problems] == [
        "memberships.yaml: the file holds no records; every file of the knowledge base must "
        "list at least one (restore it from version control)"
    ]
    result = CliRunner().invoke(app, ["kb", "check", "--kb-dir", str(kb_folder)])
    assert result.exit_code == 1
    assert "memberships.yaml: the file holds no records" in result.output


def test_a_reference_to_an_unknown_organization_or_state_fails_the_strict_load(kb_folder):
    path = kb_folder / "memberships.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("org: GUAM", "org: GUUAM", 1).replace("- state: RUS", "- state: XXX", 1),
        encoding="utf-8",
    )
    assert len(load_kb(kb_folder).memberships) == 6  # the schema alone cannot tell
    with pytest.raises(KBError) as info:
        load_kb(kb_folder, strict=True)
    problems = [str(p) for p in info.value.problems]
    assert problems[0].startswith("memberships.yaml:26: state: unknown actor 'XXX'")
    assert problems[1].startswith("memberships.yaml:41: org: unknown organization 'GUUAM'")
    assert len(problems) == 2
    result = CliRunner().invoke(app, ["kb", "check", "--kb-dir", str(kb_folder)])
    assert result.exit_code == 1
    assert "memberships.yaml:41: org: unknown organization 'GUUAM'" in result.output


def test_the_package_knowledge_base_is_loaded_strictly(kb_folder, monkeypatch):
    # What every command uses: a dangling reference fails instead of dropping the record.
    path = kb_folder / "memberships.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("org: GUAM", "org: GUUAM", 1), encoding="utf-8"
    )
    monkeypatch.setattr(load, "default_folder", lambda: kb_folder)
    knowledge.default.cache_clear()
    try:
        with pytest.raises(KBError, match=r"memberships\.yaml:41: org: unknown organization"):
            knowledge.default()
    finally:
        knowledge.default.cache_clear()
