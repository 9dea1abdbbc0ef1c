"""State-year and dyad-year frames, the add_* verbs and al.cite() (issue 10), on the real
store. Expected values are facts from the sources (UN admissions, Armstat, the CSTO's
record), not output of the code under test."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import allegiance as al

README = Path(__file__).resolve().parents[1] / "README.md"


def test_state_years_follow_un_membership_on_1_july():
    frame = al.state_years(2011, 2012)
    # South Sudan was admitted on 14 July 2011: 192 members on 1 July 2011, 193 in 2012.
    assert frame.groupby("year").size().to_dict() == {2011: 192, 2012: 193}
    early = al.state_years(1991, 1992, states=["RUS", "SUN", "EST", "Kazakhstan"])
    # The USSR's seat passed to Russia on 1991-12-24; Estonia joined on 1991-09-17 and
    # Kazakhstan on 1992-03-02.
    assert early.to_dict("list") == {
        "state": ["SUN", "EST", "KAZ", "RUS"],
        "year": [1991, 1992, 1992, 1992],
    }
    assert early.attrs["sources"] == ["un_membership"]


def test_dyad_years_with_states_and_poles():
    frame = al.dyad_years(2020, 2021, states=["ARM", "AZE"], partners=["RUS", "EU", "GEO"])
    assert len(frame) == 2 * 2 * 3
    assert set(frame.columns) == {"state", "partner", "year"}
    undirected = al.dyad_years(2020, 2020, states=["ARM", "AZE", "GEO"], partners=["ARM", "AZE", "GEO"], directed=False)  # fmt: skip
    assert sorted(zip(undirected["state"], undirected["partner"], strict=True)) == [
        ("ARM", "AZE"), ("ARM", "GEO"), ("AZE", "GEO")
    ]  # fmt: skip
    # Russia is not its own partner, nor is the USSR in Russia's seat before 1992.
    poles = al.dyad_years(1990, 1992, states=["RUS", "SUN"], partners=["RUS"])
    assert poles.empty


def test_readme_example_runs_and_cites_exactly_what_it_used(store):
    block = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    lines = [line for line in block.splitlines() if line.startswith(("frame", "import"))]
    scope = {"store": store}
    exec("\n".join(lines), scope)  # noqa: S102 - the README's own example
    frame = scope["frame"].set_index(["state", "year"])
    assert len(frame) == 2 * 15
    # Armstat: Russia's share of Armenia's trade in 2024 was 41.1%.
    assert frame.loc[("ARM", 2024), "trade_share_RUS"] == pytest.approx(0.411, abs=5e-4)
    assert frame.loc[("ARM", 2024), "trade_source_RUS"] == "armstat"
    # COW ends in 2014: no trade figure for Azerbaijan in 2016, and none invented.
    assert np.isnan(frame.loc[("AZE", 2016), "trade_share_RUS"])
    # Armenia froze its CSTO participation in February 2024; Azerbaijan left in 1999.
    assert frame.loc[("ARM", 2023), "status_CSTO"] == "member"
    assert frame.loc[("ARM", 2024), "status_CSTO"] == "suspended"
    assert not frame.xs("AZE", level="state")["member_CSTO"].any()
    assert frame["agreement_RUS"].between(-1, 1).all()
    assert (frame["agreement_RUS_n"] > 40).all()
    text = al.cite(scope["frame"])
    ids = re.findall(r"^\[(\w+)\]", text, re.M)
    assert {"unxml", "armstat", "cow_trade", "comtrade", "sipri", "kb", "un_membership"} <= set(ids)
    assert not {"caucasus_barometer", "natural_earth", "pew"} & set(ids)
    assert "non-commercial use with attribution" in text
    bib = al.cite(scope["frame"], format="bibtex")
    assert bib.count("@misc{") == len(ids)


def test_verbs_keep_every_row_and_its_index(store):
    frame = al.state_years(2019, 2021, states=["EST", "BLR"]).sample(frac=1, random_state=3)
    frame.index = [10, 20, 30, 40, 50, 60]
    out = al.add_agreement(frame, store, with_="RUS")
    assert list(out.index) == [10, 20, 30, 40, 50, 60]
    assert (out[["state", "year"]].to_numpy() == frame.to_numpy()).all()
    # Belarus votes with Russia far more than Estonia does, every year.
    by = out.set_index(["state", "year"])["agreement_RUS"]
    for year in (2019, 2020, 2021):
        assert by[("BLR", year)] > by[("EST", year)] + 0.1
    assert frame.attrs["sources"] == ["un_membership"]  # the input is not changed


def test_dyad_verbs_use_the_partner_column(store):
    frame = al.dyad_years(2020, 2021, states=["BLR", "EST"], partners=["RUS", "EU"])
    out = al.add_ideal_points(al.add_agreement(frame, store), store)
    row = out.set_index(["state", "partner", "year"])
    assert row.loc[("EST", "EU", 2020), "agreement"] > row.loc[("EST", "RUS", 2020), "agreement"]
    assert row.loc[("BLR", "RUS", 2021), "ideal_distance"] < row.loc[("BLR", "EU", 2021), "ideal_distance"]  # fmt: skip
    assert "kb" in out.attrs["sources"]  # the EU's members on each date


def test_presence_is_missing_where_the_knowledge_base_does_not_look():
    frame = al.add_presence(al.state_years(2020, 2020, states=["ARM", "FRA"]), sender="RUS")
    got = frame.set_index("state")["presence_RUS"]
    assert got["ARM"] >= 1  # the 102nd base at Gyumri
    assert np.isnan(got["FRA"])


def test_arms_share_matches_sipri_and_is_missing_outside_coverage(store):
    frame = al.add_arms_share(al.state_years(1992, 2024, states=["KAZ"]), store, with_="RUS")
    by = frame.set_index("year")["arms_share_RUS"]
    assert np.isnan(by[1992])  # SIPRI's register in the mirror starts in 1995
    assert 0.5 < by[2024] <= 1


def test_verbs_refuse_bad_input_with_a_useful_message(store):
    with pytest.raises(al.UnknownStateError, match="Armenia"):
        al.state_years(2020, 2020, states=["ARMM"])
    frame = al.state_years(2020, 2020, states=["ARM"])
    with pytest.raises(ValueError, match="with_"):
        al.add_agreement(frame, store)
    with pytest.raises(ValueError, match="RUSS"):
        al.add_trade_share(frame, store, with_="RUSS")
    with pytest.raises(ValueError, match="since"):
        al.state_years(2020, 2010)
    with pytest.raises(ValueError, match="no sources"):
        al.cite(pd.DataFrame({"state": ["ARM"]}))


def test_energy_share_shows_belarus_dependence_and_ukraine_cut_off(store):
    frame = al.add_energy_share(
        al.state_years(2016, 2020, states=["BLR", "UKR"]), store, with_="RUS"
    )
    got = frame.set_index(["state", "year"])["energy_share_RUS"]
    # Belarus takes its gas and crude from Russia; Ukraine stopped buying Russian gas
    # directly in November 2015 (Energy Institute matrices, 2016-2020).
    assert (got.xs("BLR", level="state") > 0.95).all()
    assert (got.xs("UKR", level="state") < 0.05).all()
    assert "ei_statistical_review" in frame.attrs["sources"]


def test_energy_share_where_no_source_covers_the_state_is_missing_not_an_error(store):
    # No energy source in the mirror reports Armenia's or Azerbaijan's flows on their own
    # (the Energy Institute matrices fold them into "Other CIS"): the columns are there,
    # every value is missing, and no source is cited for them.
    frame = al.add_energy_share(al.state_years(2016, 2017, states=["ARM"]), store, with_="RUS")
    assert {"energy_share_RUS", "energy_lower_RUS", "energy_upper_RUS"} <= set(frame.columns)
    assert frame["energy_share_RUS"].isna().all()
