"""Claims: verdicts on hand-made claim files of each kind, and on the motivating article."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from claims_helpers import by_id, claim, write

import allegiance as al
from allegiance import kb as kb_
from allegiance.claims import (
    CONTRADICTED,
    KINDS,
    NOT_CHECKABLE,
    PARTLY,
    SUPPORTED,
    ClaimsFileError,
    check,
)

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "claims" / "kuzio-2025-03-10.yaml"


# -- the file format ---------------------------------------------------------------------
def test_unknown_kind_and_misspelt_parameter_are_reported_together(tmp_path):
    path = write(
        tmp_path, claim("a", "rumour", x=1), claim("b", "membership", state="ARM", orgg="CSTO")
    )
    with pytest.raises(ClaimsFileError) as info:
        check(path)
    message = str(info.value)
    assert "claim a: unknown kind 'rumour'" in message
    assert "claim b (membership)" in message and "orgg" in message


def test_duplicate_claim_ids_are_rejected(tmp_path):
    c = claim("same", "membership", state="ARM", org="CSTO", status="member")
    with pytest.raises(ClaimsFileError, match="used twice"):
        check(write(tmp_path, c, c))


def test_every_required_kind_is_registered():
    assert {
        "votes",
        "membership",
        "presence",
        "event",
        "trend",
        "share",
        "compare",
        "opinion",
    } <= set(KINDS)


# -- votes ------------------------------------------------------------------------------
def test_votes_listed_states_supported_and_contradicted(store, tmp_path):
    votes = store.votes("A/RES/ES-11/7").set_index("state")["vote"]
    with_russia = sorted(s for s in ("BLR", "KAZ", "ARM") if votes[s] == votes["RUS"])
    path = write(
        tmp_path,
        claim(
            "right",
            "votes",
            resolutions=["A/RES/ES-11/7"],
            states=["BLR", "KAZ", "ARM"],
            expect={"only": with_russia},
        ),
        claim(
            "wrong",
            "votes",
            resolutions=["A/RES/ES-11/7"],
            states=["BLR", "KAZ", "ARM"],
            expect={"only": ["KAZ"]},
        ),
    )
    v = by_id(check(path, store=store))
    assert v["right"].verdict == SUPPORTED
    assert v["wrong"].verdict == CONTRADICTED
    rows = v["right"].evidence.rows["votes"].set_index("state")
    assert rows.loc["BLR", "A/RES/ES-11/7"] == votes["BLR"]
    assert any("A/RES/ES-11/7" in c["text"] for c in v["right"].evidence.citations)


def test_votes_on_a_resolution_not_in_the_store_is_not_checkable(store, tmp_path):
    path = write(
        tmp_path,
        claim(
            "x", "votes", resolutions=["A/RES/77/9999"], states=["BLR"], expect={"only": ["BLR"]}
        ),
    )
    v = by_id(check(path, store=store))["x"]
    assert v.verdict == NOT_CHECKABLE
    assert "A/RES/77/9999" in v.missing[0]


# -- membership -------------------------------------------------------------------------
def test_membership_status_on_a_date_and_exit_date(store, tmp_path):
    path = write(
        tmp_path,
        claim("suspended", "membership", state="ARM", org="CSTO", status="suspended"),
        claim("before", "membership", state="ARM", org="CSTO", status="suspended", on="2023-06-01"),
        claim("left-right", "membership", states=["AZE", "GEO"], org="CSTO", left=1999),
        claim("left-wrong", "membership", state="AZE", org="CSTO", left=2005),
    )
    v = by_id(check(path, store=store))
    assert v["suspended"].verdict == SUPPORTED
    assert v["before"].verdict == CONTRADICTED  # a full member in 2023, suspended only in 2024
    assert v["left-right"].verdict == SUPPORTED
    assert v["left-wrong"].verdict == CONTRADICTED
    assert "1999" in v["left-wrong"].corrections[0]
    assert v["left-wrong"].evidence.citations


# -- presence ---------------------------------------------------------------------------
def test_presence_withdrawal_dates_and_partial_withdrawal(store, tmp_path):
    path = write(
        tmp_path,
        claim("gabala", "presence", host="AZE", site="Gabala", expect="ended", when=2012),
        claim("gabala-wrong", "presence", host="AZE", site="Gabala", expect="ended", when=2010),
        claim("guards", "presence", host="ARM", kinds=["border_guards"], expect="ended"),
        claim("bases", "presence", host="ARM", kinds=["base", "airbase"], count=2),
        claim("nowhere", "presence", host="ISL", expect="ended"),
    )
    v = by_id(check(path, store=store))
    assert v["gabala"].verdict == SUPPORTED
    assert v["gabala-wrong"].verdict == CONTRADICTED
    assert "2012-12-10" in v["gabala-wrong"].corrections[0]
    guards = v["guards"]
    assert guards.verdict == PARTLY and guards.holds and guards.fails
    kb = kb_.default()
    live = kb.military_presence_frame().query("sender == 'RUS' and host == 'ARM'")
    live = live[live["kind"].isin(["base", "airbase"]) & live["end"].isna()]
    assert v["bases"].verdict == (SUPPORTED if len(live) == 2 else CONTRADICTED)
    assert v["nowhere"].verdict == NOT_CHECKABLE


# -- event ------------------------------------------------------------------------------
def test_event_wrong_figure_gives_the_recorded_one_with_its_source(store, tmp_path):
    path = write(
        tmp_path,
        claim("wrong", "event", kind="shootdown", actors=["AZE", "RUS"], figures={"deaths": 28}),
        claim(
            "right",
            "event",
            kind="shootdown",
            actors=["AZE", "RUS"],
            date="2024-12",
            figures={"deaths": 38},
        ),
        claim("absent", "event", kind="shootdown", actors=["ISL"]),
        claim(
            "unknown-figure",
            "event",
            kind="shootdown",
            actors=["AZE", "RUS"],
            figures={"injured": 29},
        ),
    )
    v = by_id(check(path, store=store))
    assert v["wrong"].verdict == PARTLY  # it happened; the toll is wrong
    assert [c.ok for c in v["wrong"].checks if c.what.startswith("deaths")] == [False]
    assert "38" in v["wrong"].corrections[0] and "http" in v["wrong"].corrections[0]
    assert v["right"].verdict == SUPPORTED
    assert v["absent"].verdict == NOT_CHECKABLE
    assert v["unknown-figure"].verdict == PARTLY  # the figure is not recorded: not checkable part


def test_unchecked_parts_keep_a_claim_from_supported(store, tmp_path):
    c = claim("mh17", "event", kind="conviction", text="MH17", figures={"convicted": 3})
    c["unchecked"] = ["the nationality of the convicted"]
    v = by_id(check(write(tmp_path, c), store=store))["mh17"]
    assert v.verdict == PARTLY
    assert any("nationality" in m for m in v.missing)
    assert any("Ukrainian" in c for c in v.caveats)  # the KB's own note on who was convicted


# -- trend ------------------------------------------------------------------------------
def test_trend_direction_is_decided_by_the_pooled_agreement(store, tmp_path):
    span = {"before": [2015, 2021], "after": [2022, 2024]}
    path = write(
        tmp_path,
        claim(
            "toward",
            "trend",
            state="KAZ",
            poles=["RUS"],
            direction="toward",
            min_change=0.0,
            **span,
        ),
        claim(
            "away", "trend", state="KAZ", poles=["RUS"], direction="away", min_change=0.0, **span
        ),
    )
    v = by_id(check(path, store=store))
    assert {v["toward"].verdict, v["away"].verdict} == {SUPPORTED, CONTRADICTED}
    frame = al.alignment(store, "KAZ", poles=["RUS"], since=2015, until=2024)
    years = frame["year"].astype(int)

    def pooled(a, b):
        rows = frame[(years >= a) & (years <= b)]
        return np.average(rows["RUS"], weights=rows["n_RUS"])

    before, after = pooled(2015, 2021), pooled(2022, 2024)
    assert v["away"].evidence.figures["KAZ-RUS before"] == pytest.approx(before, abs=1e-4)
    assert (v["away"].verdict == SUPPORTED) == (after < before)


# -- share ------------------------------------------------------------------------------
def test_share_is_not_checkable_without_data_and_never_crashes(store, tmp_path):
    path = write(
        tmp_path,
        claim(
            "x",
            "share",
            channel="arms",
            state="AZE",
            partners=["ISR"],
            years=[1800, 1801],
            above=0.1,
        ),
    )
    v = by_id(check(path, store=store))["x"]
    assert v.verdict == NOT_CHECKABLE
    assert v.missing and not any("evaluation failed" in m for m in v.missing)
    assert "no arms data for 1800" in v.missing[0]


# -- without a store --------------------------------------------------------------------
def test_without_a_store_votes_are_not_checkable_and_the_kb_still_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLEGIANCE_HOME", str(tmp_path / "empty"))
    path = write(
        tmp_path,
        claim(
            "v", "votes", resolutions=["A/RES/ES-11/7"], states=["BLR"], expect={"only": ["BLR"]}
        ),
        claim("m", "membership", state="ARM", org="CSTO", status="suspended"),
    )
    v = by_id(check(path))
    assert v["v"].verdict == NOT_CHECKABLE and "no vote store" in v["v"].missing[0]
    assert v["m"].verdict == SUPPORTED


# -- output -----------------------------------------------------------------------------
def test_cli_json_output(cli, store_path, tmp_path):

    path = write(tmp_path, claim("m", "membership", state="AZE", org="NAM", status="member"))
    result = cli(*["check", str(path), "--db", str(store_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["claims"][0]["verdict"] == SUPPORTED
    assert payload["claims"][0]["citations"]


def test_membership_between_dates(store, tmp_path):
    path = write(
        tmp_path,
        claim(
            "held",
            "membership",
            state="ARM",
            org="CSTO",
            status="member",
            between=["2015-01-01", "2020-01-01"],
        ),
        claim(
            "broken",
            "membership",
            state="ARM",
            org="CSTO",
            status="member",
            between=["2020-01-01", "2025-01-01"],
        ),
    )
    v = by_id(check(path, store=store))
    assert v["held"].verdict == SUPPORTED
    assert v["broken"].verdict == CONTRADICTED and "suspended" in v["broken"].summary


def test_share_of_arms_follows_the_store_shares(store, tmp_path):
    span = {"before": [2015, 2021], "after": [2022, 2024]}
    path = write(
        tmp_path,
        claim(
            "down", "share", channel="arms", state="IND", partners=["RUS"], change="down", **span
        ),
        claim("up", "share", channel="arms", state="IND", partners=["RUS"], change="up", **span),
    )
    v = by_id(check(path, store=store))
    before = al.arms_share(store, "IND", "RUS", 2015, 2021)["share"].iloc[0]
    after = al.arms_share(store, "IND", "RUS", 2022, 2024)["share"].iloc[0]
    fell = before - after >= 0.01
    assert v["down"].verdict == (SUPPORTED if fell else CONTRADICTED)
    assert v["up"].verdict == CONTRADICTED or after - before >= 0.01
    assert any("SIPRI" in c["text"] for c in v["down"].evidence.citations)


def test_trend_on_the_influence_index(store, tmp_path):
    path = write(
        tmp_path,
        claim(
            "x",
            "trend",
            state="ARM",
            measure="influence",
            poles=["RUS"],
            direction="down",
            before=[2015, 2021],
            after=[2022, 2024],
        ),
    )
    v = by_id(check(path, store=store))["x"]
    index = al.influence(store, "ARM", "RUS", 2015, 2024)
    before = index[index.year <= 2021]["index"].mean()
    after = index[index.year >= 2022]["index"].mean()
    assert v.evidence.figures["ARM-RUS before"] == pytest.approx(before, abs=1e-4)
    assert v.verdict == (SUPPORTED if before - after >= 0.02 else CONTRADICTED)


def test_cli_html_and_table_output(cli, store_path, tmp_path):

    path = write(tmp_path, claim("gone", "presence", host="AZE", site="Gabala", expect="ended"))
    out = tmp_path / "claims.html"
    args = ["check", str(path), "--db", str(store_path)]
    result = cli(*[*args, "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert 'id="claim-gone"' in html and "supported" in html
    table = cli(*args)
    assert table.exit_code == 0 and "gone" in table.stdout
    bad = cli(*["check", str(tmp_path / "missing.yaml"), "--db", str(store_path)])
    assert bad.exit_code != 0
