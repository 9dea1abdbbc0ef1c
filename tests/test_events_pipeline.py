"""The event pipeline on DuckDB: real counts from the Georgia extract, bad input, duplicates.

Expected values were counted by hand with plain SQL on the mirror's Parquet file (not with
the pipeline), e.g. ``count(*) WHERE Actor1CountryCode='RUS' AND Actor2CountryCode='GEO'
AND SQLDATE BETWEEN 20110801 AND 20110831`` = 11.
"""

from __future__ import annotations

import shutil

import pytest
from events_helpers import EXTRACT, bad_gdelt_file

from allegiance.store.events import build_events


@pytest.fixture(scope="module")
def built(mirror, tmp_path_factory):
    return build_events(mirror / "events", tmp_path_factory.mktemp("events-out"))


def _row(frame, **keys):
    for k, v in keys.items():
        frame = frame[frame[k] == v]
    assert len(frame) == 1, keys
    return frame.iloc[0]


def test_real_extract_counts(built):
    assert built.rejections.empty
    assert set(built.files["rows"]) == {105_438, 3_705}
    m = _row(built.dyad_month, dataset="gdelt1", state="RUS", partner="GEO", year=2011, month=8)
    assert m["events"] == 11
    y = _row(built.dyad_year, dataset="gdelt1", state="RUS", partner="GEO", year=2011)
    # Roots 01, 04, 05: 4 + 2 + 7; 11, 12: 3 + 2; 17, 19: 3 + 2.
    assert (y["verbal_cooperation"], y["material_cooperation"]) == (13, 0)
    assert (y["verbal_conflict"], y["material_conflict"]) == (5, 5)
    assert y["events"] == 23 and y["cooperation"] + y["conflict"] == 23


def test_goldstein_mean_is_the_mean_of_the_events(mirror, built):
    import duckdb

    want = duckdb.sql(
        f"SELECT avg(GoldsteinScale), sum(GoldsteinScale * NumMentions) / sum(NumMentions), "
        f"avg(AvgTone) FROM '{mirror / 'events' / EXTRACT}' WHERE Actor1CountryCode = 'RUS' "
        "AND Actor2CountryCode = 'GEO' AND SQLDATE // 100 = 201108"
    ).fetchall()[0]
    m = _row(built.dyad_month, dataset="gdelt1", state="RUS", partner="GEO", year=2011, month=8)
    assert m["goldstein_mean"] == pytest.approx(want[0], abs=1e-12)
    assert m["goldstein_weighted_mean"] == pytest.approx(want[1], abs=1e-12)
    assert m["tone_mean"] == pytest.approx(want[2], abs=1e-12)


def test_pole_shares_of_georgia(built):
    # 262 cooperative events between Georgia and the US in 2012 out of 568 with any state
    # (counted with plain SQL over both directions, roots 01-08).
    s = _row(built.pole_shares, dataset="gdelt1", state="GEO", year=2012, pole="USA")
    assert (s["cooperation"], s["cooperation_total"]) == (262, 568)
    assert s["cooperation_share"] == pytest.approx(262 / 568)
    # A pole is not scored against itself; Russia's pole takes in the USSR code.
    shares = built.pole_shares
    assert shares[(shares["state"] == "RUS") & (shares["pole"] == "RUS")].empty


def test_every_bad_row_is_reported_with_file_and_line(mirror, tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(mirror / "events" / "CAMEO.eventcodes.txt", folder)
    shutil.copy(mirror / "events" / "CAMEO.goldsteinscale.txt", folder)
    bad_gdelt_file(mirror, folder)
    (folder / "notes.md").write_text("not events")
    built = build_events(folder, tmp_path / "out")
    got = {(r.file, r.line, r.field) for r in built.rejections.itertuples()}
    assert got == {
        ("20130401.export.CSV.zip", 1, "EventCode"),
        ("20130401.export.CSV.zip", 2, "row"),
        ("20130401.export.CSV.zip", 3, "SQLDATE"),
        ("20130401.export.CSV.zip", 4, "NumMentions"),
    }
    reason = built.rejections.set_index("line").at[1, "reason"]
    assert reason == "unknown CAMEO event code '999'"
    assert built.ignored == ["notes.md"]
    assert built.dyad_month.empty


ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\t"
                "CAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\t"
                "Sentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\t"
                "Longitude")  # fmt: skip


def _icews_row(event_id, story, code="042", source="Russian Federation", target="Georgia"):
    return (
        f"{event_id}\t2018-06-01\tX\tGovernment\t{source}\tMake a visit\t{code}\t1.9\tY\t"
        f"Government\t{target}\t{story}\t1\tPub\tTbilisi\t\t\tGeorgia\t41.7\t44.8"
    )


def test_duplicates_same_dyad_day_code_and_story(mirror, tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("CAMEO.eventcodes.txt", "CAMEO.goldsteinscale.txt"):
        shutil.copy(mirror / "events" / name, folder)
    rows = [
        _icews_row(1, "s1"),  # kept
        _icews_row(2, "s1"),  # same dyad, day, code, story: a duplicate
        _icews_row(3, "s2"),  # another story: kept
        _icews_row(4, "s1", code="043"),  # another code: kept
        _icews_row(5, "s1", source="Georgia", target="Russian Federation"),  # other direction
    ]
    (folder / "events.2018.tab").write_text("\n".join([ICEWS_HEADER, *rows]) + "\n")
    built = build_events(folder, tmp_path / "out")
    y = built.dyad_year.set_index(["state", "partner"])
    assert y.at[("RUS", "GEO"), "events"] == 3
    assert y.at[("GEO", "RUS"), "events"] == 1
    import pyarrow.dataset as ds

    flags = (
        ds.dataset(tmp_path / "out" / "events", format="parquet")
        .to_table(columns=["event_id", "duplicate"])
        .to_pydict()
    )
    assert dict(zip(flags["event_id"], flags["duplicate"], strict=True)) == {
        "1": False,
        "2": True,
        "3": False,
        "4": False,
        "5": False,
    }


def test_root_events_only(mirror, tmp_path):
    built = build_events(mirror / "events", tmp_path / "out", root_only=True, write_events=False)
    y = _row(built.dyad_year, dataset="gdelt1", state="RUS", partner="GEO", year=2011)
    # IsRootEvent = 1 for 20 of the 23 RUS -> GEO events of 2011 (plain SQL).
    assert y["events"] == 20
