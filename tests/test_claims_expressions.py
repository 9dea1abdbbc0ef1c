"""Claims: the expressions analysts use, each on the real store (issue 13): tallies, votes
as cast, counts of states, comparisons, overtaking, survey figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from claims_helpers import by_id, claim, write

import allegiance as al
from allegiance.claims import CONTRADICTED, NOT_CHECKABLE, SUPPORTED, check


def run(store, tmp_path: Path, *claims: dict) -> dict:
    return by_id(check(write(tmp_path, *claims), store=store))


# -- votes: tally, cast, counts ---------------------------------------------------------
def test_tally_of_a_resolution(store, tmp_path):
    v = run(
        store,
        tmp_path,
        claim("es11-1", "votes", resolutions=["A/RES/ES-11/1"], tally=[141, 5, 35]),
        claim("es11-4", "votes", resolutions=["A/RES/ES-11/4"], tally=[143, 5, 35]),
        claim("es11-4-wrong", "votes", resolutions=["A/RES/ES-11/4"], tally=[141, 5, 35]),
    )
    assert v["es11-1"].verdict == SUPPORTED
    assert v["es11-4"].verdict == SUPPORTED
    assert v["es11-4-wrong"].verdict == CONTRADICTED
    assert "the vote was 143–5–35, not 141–5–35" in v["es11-4-wrong"].corrections[0]
    assert v["es11-4-wrong"].checks[0].sources  # the roll call's source backs the tally


def test_votes_as_cast_yes_no_abstain_absent(store, tmp_path):
    v = run(
        store,
        tmp_path,
        claim("kaz-abstained", "votes", resolutions=["A/RES/ES-11/4"], cast={"KAZ": "abstain"}),
        claim("kaz-yes", "votes", resolutions=["A/RES/ES-11/4"], cast={"KAZ": "yes"}),
        claim("tkm-absent", "votes", resolutions=["A/RES/ES-11/1"], cast={"TKM": "absent"}),
        claim(
            "central-asia-abstained",
            "votes",
            resolutions=["A/RES/ES-11/4"],
            scope="Central Asia",
            cast="abstain",
        ),  # fmt: skip
    )
    assert v["kaz-abstained"].verdict == SUPPORTED
    assert v["kaz-yes"].verdict == CONTRADICTED
    assert "KAZ voted abstain, not yes" in v["kaz-yes"].corrections[0]
    assert v["tkm-absent"].verdict == SUPPORTED
    # Turkmenistan did not vote on the annexations: "Central Asia abstained" is wrong for it.
    ca = v["central-asia-abstained"]
    assert ca.verdict == CONTRADICTED and "TKM: absent" in ca.checks[0].detail


def test_at_least_and_exactly_so_many_states(store, tmp_path):
    votes = store.votes("A/RES/ES-11/1")
    against = sorted(votes.loc[votes["vote"] == "no", "state"])
    assert against == ["BLR", "ERI", "PRK", "RUS", "SYR"]  # A/RES/ES-11/1: 141–5–35
    v = run(
        store,
        tmp_path,
        claim(
            "five",
            "votes",
            resolutions=["A/RES/ES-11/1"],
            scope="world",
            cast="no",
            expect={"exactly": 5},
        ),  # fmt: skip
        claim(
            "six",
            "votes",
            resolutions=["A/RES/ES-11/1"],
            scope="world",
            cast="no",
            expect={"at_least": 6},
        ),  # fmt: skip
        claim(
            "abstainers",
            "votes",
            resolutions=["A/RES/ES-11/1"],
            scope="world",
            cast="abstain",
            expect={"at_least": 30, "at_most": 35},
        ),  # fmt: skip
        claim(
            "with-russia",
            "votes",
            resolutions=["A/RES/ES-11/1"],
            scope="post-soviet",
            expect={"exactly": 1, "only": ["BLR"]},
        ),  # fmt: skip
    )
    assert v["five"].verdict == SUPPORTED
    assert v["six"].verdict == CONTRADICTED and "5: BLR, ERI, PRK, RUS, SYR" in v["six"].summary
    assert v["abstainers"].verdict == SUPPORTED
    assert v["with-russia"].verdict == SUPPORTED


def test_tally_change_between_two_resolutions(store, tmp_path):
    crimea = store.roll_call("A/RES/68/262")
    assert (crimea["yes"], crimea["no"], crimea["abstain"]) == (100, 11, 58)
    v = run(
        store,
        tmp_path,
        claim(
            "fewer",
            "votes",
            resolutions=["A/RES/68/262", "A/RES/ES-11/4"],
            tally_change={"no": -6, "yes": 43, "abstain": "down"},
        ),  # fmt: skip
        claim(
            "wrong", "votes", resolutions=["A/RES/68/262", "A/RES/ES-11/4"], tally_change={"no": -5}
        ),  # fmt: skip
    )
    assert v["fewer"].verdict == SUPPORTED
    assert v["wrong"].verdict == CONTRADICTED
    assert "changed by -6 (11 → 5), not -5" in v["wrong"].corrections[0]


def test_date_of_a_vote(store, tmp_path):
    v = run(
        store,
        tmp_path,
        claim("right", "votes", resolutions=["A/RES/ES-11/1"], date="2022-03-02"),
        claim("month", "votes", resolutions=["A/RES/ES-11/1"], date="2022-03"),
        claim("wrong", "votes", resolutions=["A/RES/ES-11/1"], date="2022-02-24"),
    )
    assert v["right"].verdict == SUPPORTED and v["month"].verdict == SUPPORTED
    assert v["wrong"].verdict == CONTRADICTED and "2022-03-02" in v["wrong"].corrections[0]


def test_a_well_formed_symbol_without_a_recorded_vote_is_not_checkable(store, tmp_path):
    v = run(store, tmp_path, claim("x", "votes", resolutions=["A/RES/77/9999"], tally=[1, 2, 3]))
    assert v["x"].verdict == NOT_CHECKABLE and "A/RES/77/9999" in v["x"].missing[0]


# -- compare ----------------------------------------------------------------------------
def test_compare_agreement_with_two_poles(store, tmp_path):
    v = run(
        store,
        tmp_path,
        claim(
            "kaz", "compare", state="KAZ", measure="agreement", a="RUS", b="USA", years=[2015, 2021]
        ),  # fmt: skip
        claim(
            "kaz-less",
            "compare",
            state="KAZ",
            measure="agreement",
            a="RUS",
            b="USA",
            years=[2015, 2021],
            expect="less",
        ),  # fmt: skip
    )
    assert v["kaz"].verdict == SUPPORTED and v["kaz-less"].verdict == CONTRADICTED

    def pooled(partner):
        frame = al.agreement(store, "KAZ", partner, since=2015, until=2021)
        return np.average(frame["agreement"], weights=frame["n"])

    figures = v["kaz"].evidence.figures
    assert figures["agreement in UN votes with RUS 2015–2021"] == pytest.approx(
        pooled("RUS"), abs=1e-4
    )
    assert figures["agreement in UN votes with USA 2015–2021"] == pytest.approx(
        pooled("USA"), abs=1e-4
    )


def test_compare_overtaking_year_of_trade_partners(store, tmp_path):
    rus = al.trade_share(store, "ARM", "RUS", 2014, 2017).query("preferred").set_index("year")
    eu = al.trade_share(store, "ARM", "EU", 2014, 2017).query("preferred").set_index("year")
    # Armstat: Russia's share of Armenia's trade passed the EU's in 2016 (25.1% < 25.3% in
    # 2015; 26.8% > 24.0% in 2016).
    assert rus.loc[2015, "share"] < eu.loc[2015, "share"]
    assert rus.loc[2016, "share"] > eu.loc[2016, "share"]
    v = run(
        store,
        tmp_path,
        claim(
            "right", "compare", state="ARM", measure="trade_share", a="RUS", b="EU", overtook=2016
        ),  # fmt: skip
        claim(
            "wrong", "compare", state="ARM", measure="trade_share", a="RUS", b="EU", overtook=2020
        ),  # fmt: skip
        claim(
            "energy",
            "compare",
            state="ARM",
            measure="energy_share",
            a="RUS",
            b="EU",
            years=[2020, 2021],
        ),  # fmt: skip
        claim(
            "belarus-energy",
            "compare",
            state="BLR",
            measure="energy_share",
            a="RUS",
            b="EU",
            years=[2016, 2020],
        ),  # fmt: skip
        claim(
            "beyond",
            "compare",
            state="RUS",
            measure="trade_share",
            a="CHN",
            b="EU",
            overtook=2023,
            flow="export",
        ),  # fmt: skip
    )
    assert v["right"].verdict == SUPPORTED
    assert v["wrong"].verdict == CONTRADICTED and "in 2016, not 2020" in v["wrong"].corrections[0]
    # No source gives Armenia's energy imports by partner (its Iranian gas is unrecorded).
    assert v["energy"].verdict == NOT_CHECKABLE and "no data" in v["energy"].missing[0]
    # Belarus's gas and crude all come from Russia (Energy Institute matrices, 2016-2020).
    assert v["belarus-energy"].verdict == SUPPORTED
    assert v["beyond"].verdict == NOT_CHECKABLE and "beyond the data" in v["beyond"].missing[0]


# -- opinion ----------------------------------------------------------------------------
def test_opinion_on_the_caucasus_barometer(store, tmp_path):
    # Published with the data (data/opinion/SOURCES.md): biggest friend 2011, Armenia →
    # Russia 81%; biggest enemy 2011, Georgia → Russia 51%; Georgia 2020, fully support
    # EU membership 40%.
    v = run(
        store,
        tmp_path,
        claim(
            "friend",
            "opinion",
            state="ARM",
            year=2011,
            question="FRNDCNTR",
            answers=["Russia"],
            share=0.81,
            most=True,
        ),  # fmt: skip
        claim(
            "enemy",
            "opinion",
            state="GEO",
            year=2011,
            question="ENEMCNTR",
            answers=["Russia"],
            above=0.5,
        ),  # fmt: skip
        claim(
            "eu",
            "opinion",
            state="GEO",
            year=2020,
            question="EUSUPP",
            answers=["Fully support"],
            share=0.40,
        ),  # fmt: skip
        claim(
            "wrong",
            "opinion",
            state="ARM",
            year=2011,
            question="FRNDCNTR",
            answers=["Russia"],
            share=0.60,
        ),  # fmt: skip
        claim(
            "no-wave",
            "opinion",
            state="ARM",
            year=2015,
            question="FRNDCNTR",
            answers=["Russia"],
            above=0.5,
        ),  # fmt: skip
        claim(
            "beyond",
            "opinion",
            state="GEO",
            year=2024,
            question="NATOSUPP",
            answers=["Fully support"],
            above=0.3,
        ),  # fmt: skip
    )
    for cid in ("friend", "enemy", "eu"):
        assert v[cid].verdict == SUPPORTED, (cid, v[cid].summary)
    assert v["wrong"].verdict == CONTRADICTED and "80.7%, not 60%" in v["wrong"].corrections[0]
    assert any("Caucasus" in c["text"] for c in v["friend"].evidence.citations)
    assert v["no-wave"].verdict == NOT_CHECKABLE and "(waves: ARM: 2011;" in v["no-wave"].missing[0]
    assert v["beyond"].verdict == NOT_CHECKABLE and "beyond the data" in v["beyond"].missing[0]


def test_opinion_of_a_pole_in_pew(store, tmp_path):
    v = run(store, tmp_path, claim("ukr", "opinion", state="UKR", year=2014, of="RUS",
                                   share=0.35))  # fmt: skip
    # Pew's published topline: Ukraine, favourable view of Russia, 2014: 35%.
    assert v["ukr"].verdict == SUPPORTED
