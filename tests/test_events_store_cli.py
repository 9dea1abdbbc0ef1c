"""Event data in the store, the events channel, the report section and the CLI commands.

Counts were made with plain SQL on the mirror's GDELT extract: in August 2011 Russia ->
Georgia 11 events, Georgia -> Russia 7 (6 of them cooperative).
"""

from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest
from events_helpers import bad_gdelt_file
from typer.testing import CliRunner

from allegiance.analysis.influence import weights
from allegiance.analysis.influence.channels import events as channel
from allegiance.cli.app import app
from allegiance.report.sections import events as report_section

runner = CliRunner()


def test_store_holds_the_aggregates(store):
    m = store.event_counts(state="RUS", partner="GEO", since=2011, until=2011)
    assert m.set_index("month").at[8, "events"] == 11
    cov = store.event_counts(by="coverage", dataset="gdelt1")
    assert sorted(set(cov["action_state"])) == ["GEO"]
    assert (2013, 3) not in set(zip(cov["year"], cov["month"], strict=True))  # March 2013
    assert {"gdelt", "icews", "cameo"} <= set(store.citations()["source"])


def test_monthly_series_both_directions(store):
    s = channel.monthly(store, "GEO", "RUS", since=2011, until=2013).set_index("month")
    assert s.at["2011-08", "events"] == 18
    assert (s.at["2011-08", "state_to_pole"], s.at["2011-08", "pole_to_state"]) == (7, 11)
    assert "2013-03" not in s.index  # no data: absent, not 0
    assert s.at["2013-05", "events"] == 0  # data, but no Georgia-Russia event


def test_channel_scores_georgia_only_from_an_extract_located_there(store):
    scores = channel.score(store, ["GEO", "RUS", "ARM"], ["RUS", "USA", "EU"], range(2011, 2014))
    assert set(scores["state"]) == {"GEO"}
    usa = scores[(scores["pole"] == "USA") & (scores["year"] == 2012)].iloc[0]
    assert usa["score"] == pytest.approx(262 / 568)
    assert "located in GEO only" in usa["coverage_note"]
    assert scores["conflict_share"].min() >= 0 and scores["conflict_share"].max() <= 1


def test_channel_is_off_by_default():
    assert weights.DEFAULT_WEIGHTS["events"] == 0.0
    assert weights.resolve(["votes", "events"])["events"] == 0.0


def test_report_section(store):
    section = report_section.section(store)
    assert section.status == "ok"
    assert set(section.data["series"]) == {"RUS", "USA"}
    assert section.data["missing"] == ["2013-03"]
    assert "<svg" in section.html and "located in Georgia" in section.html


def test_cli_series_csv(store):
    result = runner.invoke(app, ["events", "GEO", "--pole", "RUS", "--since", "2011",
                                 "--until", "2011", "--format", "csv", "--db", str(store.path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert frame.set_index("month").at["2011-08", "events"] == 18


def test_cli_errors_are_one_line(cli, store):
    for args, text in (
        (["events", "GEO"], "give the pole"),
        (["events", "GEO", "--pole", "XX"], "unknown pole"),
        (["events", "Atlantis", "--pole", "RUS"], "unknown state"),
        (["events", "build", "--from", "/nonexistent", "--out", "/tmp/x"], "no such folder"),
        (["events", "build", "--from", ".", "--out", "/tmp/x", "--engine", "flink"],
         "unknown engine"),
    ):  # fmt: skip
        result = cli(*args, "--db", store.path)
        assert result.exit_code == 2 and text in result.output and "Traceback" not in result.output


def test_cli_build_reports_bad_rows(mirror, tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("CAMEO.eventcodes.txt", "CAMEO.goldsteinscale.txt"):
        shutil.copy(mirror / "events" / name, folder)
    bad_gdelt_file(mirror, folder)
    result = runner.invoke(app, ["events", "build", "--from", str(folder), "--out",
                                 str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Rejected rows: 4" in text
    assert "20130401.export.CSV.zip: line 3: SQLDATE" in text
    assert (tmp_path / "out" / "rejections").is_dir()
