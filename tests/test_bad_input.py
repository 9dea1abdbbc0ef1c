"""Bad input gets a clear error or a counted, reported rejection; a failed build leaves
the previous store intact. The files here are written by the tests, not taken from the
mirror."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from allegiance.sources import kaggle, unvotes, unxml
from allegiance.sources.base import SourceError
from allegiance.store.build import BuildError, build
from allegiance.store.store import Store

MEMBERS = ["ARMENIA", "BELARUS", "FRANCE", "GEORGIA", "RUSSIAN FEDERATION", "UKRAINE"]


def _record(symbol, yes, no, abstain, counts=None, date="2 March 2022"):
    counts = counts or (len(yes), len(no), len(abstain))
    return {
        "symbol": symbol,
        "title": f"Test resolution {symbol}",
        "adoption_date": date,
        "adoption_type": "By a recorded vote",
        "MS_in_favour_count": str(counts[0]),
        "MS_against_count": str(counts[1]),
        "MS_abstaining_count": str(counts[2]),
        "MS_in_favour": yes,
        "MS_against": no,
        "MS_abstaining": abstain,
    }


def _write_jsonl(path: Path, records, compress=False) -> Path:
    text = "".join(json.dumps(r) + "\n" if isinstance(r, dict) else r + "\n" for r in records)
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def _mirror(tmp_path: Path, records) -> Path:
    _write_jsonl(tmp_path / "mirror" / "unga" / "unxml_garesolutions" / "ES-11.json", records)
    return tmp_path / "mirror"


GOOD = _record(
    "A/RES/ES-11/1",
    ["FRANCE", "GEORGIA", "UKRAINE"],
    ["BELARUS", "RUSSIAN FEDERATION"],
    ["ARMENIA"],
)


def test_truncated_gzip_names_the_file(tmp_path):
    path = _write_jsonl(tmp_path / "x" / "76.json.gz", [GOOD], compress=True)
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(SourceError, match="76.json.gz"):
        unxml.read(path.parent)


def test_malformed_line_and_unknown_member_are_counted_rejections(tmp_path):
    bad_member = _record("A/RES/ES-11/2", ["FRANCE", "ATLANTIS"], [], [])
    folder = _write_jsonl(tmp_path / "x" / "ES-11.json", [GOOD, "{not json", bad_member]).parent
    tables = unxml.read(folder)
    reasons = [str(r) for r in tables.rejected]
    assert any("line 2" in r and "json" in r for r in reasons)
    assert any("line 3" in r and "ATLANTIS" in r and "MS_in_favour" in r for r in reasons)
    # The good member of the same record is kept; the unknown one is not silently dropped.
    votes = tables.votes[tables.votes["source_id"] == "A/RES/ES-11/2"]
    assert votes["state"].tolist() == ["FRA"]


def test_duplicated_records_merge_or_are_rejected(tmp_path):
    changed = _record(
        "A/RES/ES-11/1",
        ["FRANCE", "GEORGIA"],
        ["BELARUS", "RUSSIAN FEDERATION"],
        ["ARMENIA", "UKRAINE"],
    )
    folder = _write_jsonl(tmp_path / "x" / "ES-11.json", [GOOD, GOOD, changed]).parent
    tables = unxml.read(folder)
    reasons = [str(r) for r in tables.rejected]
    assert any("line 2" in r and "same votes: merged" in r for r in reasons)
    assert any("line 3" in r and "different votes" in r for r in reasons)
    assert len(tables.roll_calls) == 1
    assert tables.votes.set_index("state")["vote"]["UKR"] == 1


def test_tallies_that_disagree_are_reported_by_the_build(tmp_path):
    wrong = _record("A/RES/ES-11/3", ["FRANCE"], ["BELARUS"], [], counts=(2, 1, 0))
    report = build(_mirror(tmp_path, [GOOD, wrong]), tmp_path / "db.duckdb")
    assert report.tally_mismatches == 1
    with Store(tmp_path / "db.duckdb") as store:
        bad = store.tally_checks()
        assert bad["symbol"].tolist() == ["A/RES/ES-11/3"]
        assert (bad["yes"].iat[0], bad["counted_yes"].iat[0]) == (2, 1)


def test_failed_build_leaves_the_previous_store_intact(tmp_path):
    db = tmp_path / "db.duckdb"
    build(_mirror(tmp_path, [GOOD]), db)
    before = db.read_bytes()
    broken = tmp_path / "broken"
    path = _write_jsonl(
        broken / "unga" / "unxml_garesolutions" / "77.json.gz", [GOOD], compress=True
    )
    path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(SourceError, match="77.json.gz"):
        build(broken, db)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".db.duckdb.building*"))
    with Store(db) as store:
        assert store.votes("ES-11/1")["vote"].value_counts()["yes"] == 3


def test_empty_mirror_is_a_build_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError, match="no General Assembly vote source"):
        build(tmp_path / "empty", tmp_path / "db.duckdb")
    with pytest.raises(BuildError, match="--from"):
        build(tmp_path / "missing", tmp_path / "db.duckdb")


def test_unvotes_missing_column_and_unknown_country(tmp_path):
    folder = tmp_path / "unvotes"
    folder.mkdir()
    (folder / "un_roll_calls.csv.gz").write_bytes(
        gzip.compress(b"rcid,session,importantvote,date,unres,amend,para,short,descr\n"
                      b"1,1,0,1946-01-01,R/1/1,0,0,T,D\n")
    )  # fmt: skip
    (folder / "un_roll_call_issues.csv.gz").write_bytes(gzip.compress(b"rcid,short_name,issue\n"))
    (folder / "un_votes.csv.gz").write_bytes(
        gzip.compress(
            b"rcid,country,country_code,vote\n1,France,FR,yes\n1,Atlantis,AT,yes\n1,Namibia,NA,maybe\n"
        )
    )
    tables = unvotes.read(folder)
    reasons = [str(r) for r in tables.rejected]
    assert any("line 4" in r and "vote" in r and "maybe" in r for r in reasons)
    # "AT" is Austria's ISO2 code: the code wins over the name, as documented.
    assert set(tables.votes["state"]) == {"FRA", "AUT"}
    (folder / "un_votes.csv.gz").write_bytes(gzip.compress(b"rcid,country,vote\n1,France,yes\n"))
    with pytest.raises(SourceError, match="country_code"):
        unvotes.read(folder)


def test_kaggle_unknown_vote_code_is_rejected(tmp_path):
    import zipfile

    folder = tmp_path / "kaggle"
    folder.mkdir()
    header = "Council,Date,Title,Resolution,TOTAL VOTES,NO-VOTE COUNT,ABSENT COUNT,NO COUNT,YES COUNT,Link,token,FRANCE,ARMENIA"
    row = "General Assembly,2020-12-01,T,A/RES/75/1,2,0,0,0,1,l,123,Y,Q"
    with zipfile.ZipFile(folder / "UN_DATA.csv.zip", "w") as archive:
        archive.writestr("UN DATA.csv", "\ufeff" + header + "\n" + row + "\n")
    tables = kaggle.read(folder)
    assert [str(r) for r in tables.rejected] == [
        "UN_DATA.csv.zip: line 2: ARMENIA: unknown vote 'Q'"
    ]
    assert tables.votes["state"].tolist() == ["FRA"]
