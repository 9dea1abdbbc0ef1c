"""The UN Digital Library "General Assembly Voting Data" reader, on hand-written files."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from allegiance.sources import undl
from allegiance.sources.base import ROLL_CALL_COLUMNS, VOTE_COLUMNS, SourceError
from allegiance.vote import Vote

FIXTURES = Path(__file__).parent / "fixtures" / "undl"
V5 = FIXTURES / "ga_voting_v5.csv"
V1 = FIXTURES / "ga_voting_v1.csv"
BAD = FIXTURES / "ga_voting_v5_bad.csv"


def vote_of(tables, source_id: str, state: str) -> Vote:
    votes = tables.votes
    row = votes[(votes["source_id"] == source_id) & (votes["state"] == state)]
    assert len(row) == 1, (source_id, state)
    return Vote(int(row["vote"].iloc[0]))


def test_version_5():
    t = undl.read(V5)
    assert t.source == "undl" and t.lists_absentees and t.rejected == [] and t.files == [V5]
    rc = t.roll_calls.set_index("source_id")
    assert list(t.roll_calls.columns) == ROLL_CALL_COLUMNS
    assert list(t.votes.columns) == VOTE_COLUMNS
    assert rc["symbol"].to_dict() == {
        "9900001": "A/RES/77/901",
        "9900002": "A/RES/ES-11/901",
        "9900003": "A/RES/2999(XXVI)",
    }
    # An emergency special session falls in the regular session sitting on its date.
    assert rc["session"].to_dict() == {"9900001": 77, "9900002": 76, "9900003": 26}
    assert rc.loc["9900002", "date"] == pd.Timestamp("2022-03-02")
    assert set(rc["kind"]) == {"resolution"}
    assert rc.loc["9900001", "title"] == "Fictional test resolution on cooperation, with a comma"
    assert rc.loc["9900003", "title"].startswith('Fictional "quoted"')
    assert tuple(rc.loc["9900002", ["yes", "no", "abstain"]]) == (2, 1, 3)
    assert rc["record"].to_dict() == {
        "9900001": "line 2",
        "9900002": "line 8",
        "9900003": "line 14",
    }
    assert str(t.roll_calls["session"].dtype) == "Int64"
    assert str(t.roll_calls["yes"].dtype) == "Int64"
    assert len(t.votes) == 16
    assert vote_of(t, "9900001", "USA") is Vote.YES
    assert vote_of(t, "9900001", "RUS") is Vote.NO
    assert vote_of(t, "9900001", "CHN") is Vote.ABSTAIN
    assert vote_of(t, "9900001", "GEO") is Vote.ABSENT  # X: non-voting
    assert vote_of(t, "9900001", "NAM") is Vote.YES  # "NAM" is not read as missing
    assert vote_of(t, "9900003", "SUN") is Vote.YES


def test_version_1():
    t = undl.read(V1)
    assert t.rejected == []
    rc = t.roll_calls.set_index("source_id")
    assert rc["symbol"].to_dict() == {"9800001": "A/RES/78/901", "9800002": "A/RES/ES-10/901"}
    assert rc["session"].to_dict() == {"9800001": 78, "9800002": 78}
    assert tuple(rc.loc["9800002", ["yes", "no", "abstain"]]) == (1, 1, 2)
    assert rc.loc["9800001", "title"] == "Fictional test resolution of version 1"
    assert vote_of(t, "9800001", "KAZ") is Vote.ABSENT  # NV: non-voting
    assert vote_of(t, "9800001", "NAM") is Vote.YES
    assert vote_of(t, "9800002", "USA") is Vote.NO


def same(a, b) -> None:
    pd.testing.assert_frame_equal(a.roll_calls, b.roll_calls)
    pd.testing.assert_frame_equal(a.votes, b.votes)
    assert a.rejected == b.rejected


@pytest.mark.parametrize("fixture", [V5, V1])
def test_compressed_copies_and_folders(fixture, tmp_path):
    plain = undl.read(fixture)
    gz = tmp_path / "gz" / (fixture.name + ".gz")
    gz.parent.mkdir()
    gz.write_bytes(gzip.compress(fixture.read_bytes()))
    same(undl.read(gz), plain)
    zipped = tmp_path / "zip" / (fixture.stem + ".zip")
    zipped.parent.mkdir()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(fixture, fixture.name)
    same(undl.read(zipped), plain)
    same(undl.read(zipped.parent), plain)  # a folder holding one file
    bom = tmp_path / "bom" / fixture.name
    bom.parent.mkdir()
    bom.write_bytes(b"\xef\xbb\xbf" + fixture.read_bytes())
    same(undl.read(bom), plain)


def test_bad_rows_are_rejected_and_counted():
    t = undl.read(BAD)
    got = [(r.file, r.record, r.field) for r in t.rejected]
    assert got == [
        (BAD.name, "line 3", "ms_vote"),
        (BAD.name, "line 6", "date"),
        (BAD.name, "line 8", "ms_code"),
        (BAD.name, "line 11", "ms_code"),
        (BAD.name, "line 12", "totals"),
    ]
    reasons = [r.reason for r in t.rejected]
    assert "'Q'" in reasons[0]
    assert "'32/13/2024'" in reasons[1]
    assert "'ZZZ'" in reasons[2]
    assert "duplicate" in reasons[3] and "9700004" in reasons[3] and "line 9" in reasons[3]
    assert "A/RES/79/905" in reasons[4]
    assert "Y 1, N 1, A 1" in reasons[4] and "Y 2, N 1, A 1" in reasons[4]
    # Rejected rows are not used; the rest are.
    assert len(t.votes) == 9
    assert not ((t.votes["source_id"] == "9700001") & (t.votes["state"] == "RUS")).any()
    assert not ((t.votes["source_id"] == "9700002") & (t.votes["state"] == "RUS")).any()
    assert "ZZZ" not in set(t.votes["state"])
    assert not t.votes.duplicated(["source_id", "state"]).any()
    # The resolution whose totals disagree keeps its official tallies and its listed votes.
    rc = t.roll_calls.set_index("source_id")
    assert tuple(rc.loc["9700005", ["yes", "no", "abstain"]]) == (2, 1, 1)
    assert (t.votes["source_id"] == "9700005").sum() == 3
    # A bad date on one row does not lose the roll call, dated by its other rows.
    assert rc.loc["9700002", "date"] == pd.Timestamp("2024-12-02")


def test_small_chunks_give_the_same_result(monkeypatch):
    whole = undl.read(BAD)
    monkeypatch.setattr(undl, "CHUNK_ROWS", 2)
    same(undl.read(BAD), whole)


def test_detail_is_capped_per_field(tmp_path, monkeypatch):
    lines = V5.read_text().splitlines()
    bad = [lines[0]] + [line.replace(",Y,", ",Q,") for line in lines[1:]]
    path = tmp_path / "many_bad.csv"
    path.write_text("\n".join(bad) + "\n")
    monkeypatch.setattr(undl, "MAX_DETAIL", 2)
    rejected = [r for r in undl.read(path).rejected if r.field == "ms_vote"]
    assert [r.record for r in rejected] == ["line 2", "line 5", "more rows"]
    assert "4 further rows" in rejected[-1].reason and "6 in all" in rejected[-1].reason


def test_unreadable_totals_are_reported(tmp_path):
    text = V1.read_text().replace(",2023-10-27,1,1,2,", ",2023-10-27,one,1,2,")
    path = tmp_path / "v1.csv"
    path.write_text(text)
    t = undl.read(path)
    assert [(r.field, r.record) for r in t.rejected] == [("totals", "line 6")]
    assert "'one'" in t.rejected[0].reason
    assert pd.isna(t.roll_calls.set_index("source_id").loc["9800002", "yes"])


@pytest.mark.parametrize(
    ("fixture", "column"),
    [(V5, "total_yes"), (V5, "ms_code"), (V1, "ms_votes"), (V1, "resolutions")],
)
def test_missing_column_names_file_and_column(fixture, column, tmp_path):
    frame = pd.read_csv(fixture, dtype=str, keep_default_na=False).drop(columns=column)
    path = tmp_path / fixture.name
    frame.to_csv(path, index=False)
    with pytest.raises(SourceError) as info:
        undl.read(path)
    assert str(path) in str(info.value) and repr(column) in str(info.value)


def test_missing_damaged_and_ambiguous_inputs(tmp_path):
    with pytest.raises(SourceError, match="not found"):
        undl.read(tmp_path / "absent.csv")
    damaged = tmp_path / "damaged.csv.gz"
    damaged.write_bytes(gzip.compress(V5.read_bytes())[:200])
    with pytest.raises(SourceError, match="damaged"):
        undl.read(damaged)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceError, match="no CSV"):
        undl.read(empty)
    two = tmp_path / "two"
    two.mkdir()
    shutil.copy(V5, two / "a.csv")
    shutil.copy(V1, two / "b.csv")
    with pytest.raises(SourceError, match="several"):
        undl.read(two)
