"""The knowledge base from the Python API (allegiance.memberships, ...) and the CLI (kb, members, timeline).

Facts are checked against the real knowledge base by querying it; the expected values are
the facts the motivating article states (years, who was in which organization), not
strings copied from output.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import run_cli

import allegiance as al
from allegiance import kb as knowledge
from allegiance.kb import load
from allegiance.kb.check import records
from allegiance.kb.load import ATTRIBUTES, KBError, default_folder, load_kb
from allegiance.kb.models import FILES, FuzzyDate

GOOD = Path(__file__).parent / "fixtures" / "kb" / "good"
DAY = "2025-03-10"

# The 27 member states of the European Union in 2022 (after the United Kingdom left on
# 31 January 2020; Croatia, the latest to join, since 1 July 2013).
# fmt: off
EU_2022 = {
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
}
# fmt: on


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    """Keep the knowledge base's cache out of the user's data directory."""
    monkeypatch.setenv("ALLEGIANCE_HOME", str(tmp_path / "home"))


def run(*args: str):
    result = run_cli(*args)
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    return result


def run_json(*args: str) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def year(text: str | None) -> int | None:
    return None if text is None or pd.isna(text) else FuzzyDate.parse(text).start.year


# --- must-shows of the issue ----------------------------------------------------------


def test_csto_members_mark_armenias_suspended_participation():
    rows = run_json("members", "CSTO", "--on", DAY)["rows"]
    status = {r["state"]: r["status"] for r in rows}
    assert status["ARM"] == "suspended"
    assert status["RUS"] == "member"


def test_csto_members_leave_out_azerbaijan_georgia_and_uzbekistan():
    # Azerbaijan and Georgia left the Collective Security Treaty in 1999; Uzbekistan left
    # the CSTO in 2012 (its membership was suspended by the CSTO then).
    states = {r["state"] for r in run_json("members", "CSTO", "--on", DAY)["rows"]}
    assert "RUS" in states
    assert not {"AZE", "GEO", "UZB"} & states


def test_csto_members_table_shows_the_status_on_armenias_row():
    result = run("members", "CSTO", "--on", DAY)
    assert result.exit_code == 0, result.output
    armenia = [line for line in result.stdout.splitlines() if "ARM" in line]
    assert len(armenia) == 1 and "suspended" in armenia[0]


def test_kb_azerbaijan_shows_no_russian_forces_and_its_turkic_and_non_aligned_ties():
    ties = run_json("kb", "AZE", "--on", DAY)
    assert ties["state"] == "AZE" and ties["on"] == DAY
    assert "RUS" not in {r["sender"] for r in ties["sections"]["forces_hosted"]}
    status = {r["org"]: r["status"] for r in ties["sections"]["memberships"]}
    assert status["OTS"] == "member"
    assert status["NAM"] == "member"
    # The section is not empty by construction: Russia had forces there before.
    earlier = run_json("kb", "AZE", "--on", "2012-01-01")["sections"]["forces_hosted"]
    assert "RUS" in {r["sender"] for r in earlier}


def test_kb_table_has_a_section_per_tie_and_a_source_column():
    result = run("kb", "AZE", "--on", DAY)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Azerbaijan (AZE)" in text
    assert "OTS" in text and "NAM" in text and "source" in text
    assert "Foreign forces on its soil: none recorded" in text


def test_kb_check_passes_and_counts_each_files_records():
    result = run("kb", "check")
    assert result.exit_code == 0, result.output
    # Counted independently of the package's loader: the items of each YAML list.
    for name in FILES:
        items = yaml.safe_load((default_folder() / name).read_text(encoding="utf-8"))
        assert f"{name} {len(items)}" in result.stdout


def test_kb_check_reports_problems_with_file_line_and_field(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(GOOD, folder)
    path = folder / "memberships.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "org: CSTO")
    lines[at] = lines[at].replace("CSTO", "CSOT")
    path.write_text("".join(lines), encoding="utf-8")
    result = run("kb", "check", "--kb-dir", str(folder))
    assert result.exit_code == 1
    assert f"memberships.yaml:{at + 1}: org: unknown organization 'CSOT'" in result.stdout


def test_kb_check_reports_schema_errors_with_file_and_line(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(GOOD, folder)
    path = folder / "offices.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("opened:"))
    lines[at] = lines[at].split(":")[0] + ': "2024-13"\n'
    path.write_text("".join(lines), encoding="utf-8")
    result = run("kb", "check", "--kb-dir", str(folder), "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["rows"]
    assert [(p["file"], p["line"], p["field"]) for p in problems] == [
        ("offices.yaml", at + 1, "opened")
    ]


def test_every_record_in_every_file_has_a_citation():
    # Read with plain PyYAML, so that this does not rest on the package's own schema.
    for name in FILES:
        items = yaml.safe_load((default_folder() / name).read_text(encoding="utf-8"))
        assert items, name
        for item in items:
            cites = item.get("citations") or []
            assert cites, f"{name}: record without citations: {item}"
            assert all(c.get("url") or c.get("symbol") for c in cites), (name, item)


def test_every_row_the_api_returns_carries_its_citation(store):
    frames = [
        al.memberships(),
        al.presence(),
        al.offices(),
        al.territories(),
        al.agreements(),
        al.events(),
        al.timeline("ARM"),
        *al.ties("ARM", on=DAY).values(),
    ]
    for frame in frames:
        assert {"citation", "citation_url", "file", "line"} <= set(frame.columns)
        assert frame["citation"].notna().all() and (frame["citation"].str.len() > 0).all()
        assert frame.attrs["attribution"]
    kb = knowledge.default()
    assert len(al.memberships()) == len(kb.memberships)
    assert len(al.events()) == len(kb.events)


def test_timeline_of_armenia_has_the_csto_suspension_and_the_border_guards_leaving():
    kb = knowledge.default()
    rows = run_json("timeline", "ARM")["rows"]
    dated = {(r["file"], r["line"], r["date"]) for r in rows}
    suspensions = [
        m for m in kb.memberships if (m.state, m.org, m.status) == ("ARM", "CSTO", "suspended")
    ]
    assert suspensions
    assert all((m.file, m.line, str(m.start)) in dated for m in suspensions)
    departures = [
        p
        for p in kb.military_presence
        if (p.sender, p.host, p.kind) == ("RUS", "ARM", "border_guards") and p.end is not None
    ]
    assert departures
    assert all((p.file, p.line, str(p.end)) in dated for p in departures)
    days = [r["date"] for r in rows]
    assert [FuzzyDate.parse(d).start for d in days] == sorted(
        FuzzyDate.parse(d).start for d in days
    )


def test_timeline_from_a_year_drops_what_came_before():
    rows = run_json("timeline", "ARM", "--from", "2024")["rows"]
    assert rows
    assert all(FuzzyDate.parse(r["date"]).end.year >= 2024 for r in rows)
    everything = run_json("timeline", "ARM")["rows"]
    assert len(everything) > len(rows)


@pytest.mark.parametrize(
    "args",
    [
        ("members", "CSTO", "--on", DAY),
        ("timeline", "ARM", "--from", "2020"),
        ("kb", "ARM", "--on", DAY),
    ],
)
def test_csv_is_plain_and_carries_the_citation(args):
    result = run(*args, "--format", "csv")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert len(frame) > 0
    assert frame["citation"].notna().all() and frame["citation_url"].notna().all()
    assert frame["file"].isin(list(FILES)).all()


def test_kb_csv_names_the_section_of_each_row():
    result = run("kb", "ARM", "--on", DAY, "--format", "csv")
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert frame.columns[0] == "section"
    assert {"memberships", "forces_hosted", "agreements"} <= set(frame["section"])
    hosted = frame[frame["section"] == "forces_hosted"]
    assert (hosted["sender"] == "RUS").any()


def test_unknown_state_or_organization_suggests_close_matches():
    result = run("kb", "Azerbajan")
    assert result.exit_code == 2
    assert "AZE" in result.output
    result = run("members", "CST", "--on", DAY)
    assert result.exit_code == 2
    assert "CSTO" in result.output
    result = run("timeline", "XYZ")
    assert result.exit_code == 2 and "unknown state" in result.output
    result = run("kb", "AZE", "--on", "10/03/2025")
    assert result.exit_code == 2 and "--on" in result.output


def test_states_and_organizations_may_be_named():
    by_code = run_json("members", "NAM", "--on", DAY)["rows"]
    by_name = run_json("members", "non-aligned movement", "--on", DAY)["rows"]
    assert by_code == by_name and by_code
    assert run_json("kb", "Azerbaijan", "--on", DAY)["state"] == "AZE"


def test_eu_region_on_the_es_11_1_vote_is_the_27_members_of_2022(store_path):
    rows = run_json("votes", "A/RES/ES-11/1", "--region", "eu", "--db", str(store_path))["rows"]
    assert {r["state"] for r in rows} == EU_2022


# --- facts of the article, through the Python API -------------------------------------


def test_russia_left_the_gabala_radar_in_2012(store):
    radar = al.presence(sender="RUS", host="AZE").query("kind == 'radar'")
    assert len(radar) == 1
    assert year(radar["end"].iloc[0]) == 2012
    assert (al.presence(sender="RUS", host="AZE", on="2012-01-01")["kind"] == "radar").any()
    assert not (al.presence(sender="RUS", host="AZE", on="2013-01-01")["kind"] == "radar").any()


def test_azerbaijan_and_georgia_left_the_collective_security_treaty_in_1999(store):
    for state in ("AZE", "GEO"):
        spells = al.memberships(state=state, org="CSTO")
        assert len(spells) > 0
        assert year(spells["end"].iloc[-1]) == 1999
    before = set(al.members("CSTO", on="1998-06-01")["state"])
    after = set(al.members("CSTO", on="2000-01-01")["state"])
    assert {"AZE", "GEO"} <= before
    assert not {"AZE", "GEO"} & after


def test_russia_and_iran_signed_their_treaty_in_january_2025(store):
    treaties = al.agreements(party="IRN")
    with_russia = treaties[treaties["parties"].str.split(",").apply(lambda p: "RUS" in p)]
    assert len(with_russia) >= 1
    signed = [FuzzyDate.parse(s) for s in with_russia["signed"]]
    assert any((d.start.year, d.start.month) == (2025, 1) for d in signed)


def test_the_russian_house_in_baku_closed_in_2025(store):
    offices = al.offices(sender="RUS", host="AZE")
    baku = offices[offices["city"] == "Baku"]
    assert len(baku) == 1
    assert year(baku["closed"].iloc[0]) == 2025
    office = baku["id"].iloc[0]
    assert office in set(al.offices(host="AZE", on="2024-06-01")["id"])
    assert office not in set(al.offices(host="AZE", on="2025-12-31")["id"])


def test_profile_and_members_through_the_store(store):
    ties = al.ties("AZE", on=DAY)
    assert set(ties) == {
        "memberships",
        "forces_hosted",
        "forces_abroad",
        "offices",
        "agreements",
        "territories",
    }
    assert ties["forces_hosted"].query("sender == 'RUS'").empty
    assert al.members("csto", on=DAY).equals(
        al.members("CSTO", on="2025-03-10", kb=knowledge.default())
    )
    assert al.members("csto", on=DAY).attrs["sources"] == ["kb"]


def test_the_api_rejects_unknown_codes_rather_than_answering_empty(store):
    with pytest.raises(ValueError, match="AZE"):
        al.memberships(state="Azerbajan")
    with pytest.raises(ValueError, match="CSTO"):
        al.members("CST")
    with pytest.raises(ValueError):
        al.timeline("XYZ")


# --- fast loading -----------------------------------------------------------------------


def _lines(kb) -> list[tuple]:
    return [(r.file, r.line, r.line_of("citations[0].url")) for r in records(kb)]


@pytest.mark.skipif(len(load._LOADERS) < 2, reason="PyYAML without libyaml")
def test_libyaml_and_python_parsers_read_the_same_records_and_lines(monkeypatch):
    fast = load_kb()
    monkeypatch.setattr(load, "_Loader", load._PyLoader)
    slow = load_kb()
    assert records(fast) == records(slow)
    assert _lines(fast) == _lines(slow)


def test_the_cache_returns_the_same_knowledge_base_without_reading_yaml(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = load_kb(GOOD, cache=cache)
    assert len(list(cache.glob("kb-*.pickle"))) == 1

    def no_reading(*args, **kwargs):
        raise AssertionError("the YAML was read again")

    monkeypatch.setattr(load, "read_file", no_reading)
    again = load_kb(GOOD, cache=cache)
    assert records(again) == records(first)
    assert _lines(again) == _lines(first)
    assert again.folder == GOOD


def test_a_changed_file_is_read_again_and_replaces_the_cache(tmp_path):
    folder, cache = tmp_path / "kb", tmp_path / "cache"
    shutil.copytree(GOOD, folder)
    before = load_kb(folder, cache=cache)
    path = folder / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    old_key, new_key = load.fingerprint(GOOD), load.fingerprint(folder)
    assert old_key != new_key
    after = load_kb(folder, cache=cache)
    assert records(after) == records(before)
    assert [p.name for p in cache.glob("kb-*.pickle")] == [f"kb-{new_key}.pickle"]
    kept = path.read_text(encoding="utf-8")
    path.write_text(kept.replace("summary:", "summary: Changed.", 1), encoding="utf-8")
    changed = load_kb(folder, cache=cache)
    assert [e.summary for e in changed.events] != [e.summary for e in before.events]


def test_a_damaged_cache_is_ignored_and_problems_are_never_cached(tmp_path):
    folder, cache = tmp_path / "kb", tmp_path / "cache"
    shutil.copytree(GOOD, folder)
    cache.mkdir()
    (cache / f"kb-{load.fingerprint(folder)}.pickle").write_bytes(b"not a pickle")
    assert len(load_kb(folder, cache=cache).memberships) == len(load_kb(folder).memberships)
    path = folder / "memberships.yaml"
    text = path.read_text(encoding="utf-8").replace("status: member", "status: memb", 1)
    path.write_text(text, encoding="utf-8")
    for _ in range(2):
        with pytest.raises(KBError) as info:
            load_kb(folder, cache=cache)
        assert any(p.file == "memberships.yaml" and p.line > 0 for p in info.value.problems)
    assert not (cache / f"kb-{load.fingerprint(folder)}.pickle").exists()


def test_default_uses_the_cache_in_the_data_directory(tmp_path, monkeypatch):
    home = tmp_path / "elsewhere"
    monkeypatch.setenv("ALLEGIANCE_HOME", str(home))
    knowledge.default.cache_clear()
    try:
        kb = knowledge.default()
    finally:
        knowledge.default.cache_clear()
    # The package loads its own knowledge base strictly (references checked).
    assert (
        home / "cache" / f"kb-{load.fingerprint(default_folder(), strict=True)}.pickle"
    ).is_file()
    assert {name: len(getattr(kb, ATTRIBUTES[name])) for name in FILES} == {
        name: len(yaml.safe_load((default_folder() / name).read_text(encoding="utf-8")))
        for name in FILES
    }
