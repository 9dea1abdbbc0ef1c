"""Cross-checks of the knowledge base against COW IGO v3 and ATOP v5.1.

The rules are tested on the small fixture with hand-made COW and ATOP frames; the real
knowledge base is then compared with the real files of the mirror, and every difference
must be explained in ``KNOWN_DIFFERENCES``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from allegiance.kb import crosscheck
from allegiance.kb.check import check_kb
from allegiance.kb.crosscheck import (
    KNOWN_DIFFERENCES,
    atop_differences,
    cow_igo_differences,
    read_atop_defence,
    read_cow_igo_spells,
)
from allegiance.kb.load import KBError, default_folder, load_kb
from allegiance.kb.models import FILES

GOOD = Path(__file__).parent / "fixtures" / "kb" / "good"
COW = {"ARM": 371, "RUS": 365, "UZB": 704, "GEO": 372}


@pytest.fixture
def kb(monkeypatch):
    """The fixture knowledge base, with no known differences to explain anything."""
    monkeypatch.setattr(crosscheck, "KNOWN_DIFFERENCES", {})
    return load_kb(GOOD)


def cow_frame(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["stateID", "igoID", "Beg", "End"])


def pledges(pairs: dict[int, range]) -> pd.DataFrame:
    rows = [(365, code, year) for code, years in pairs.items() for year in years]
    return pd.DataFrame(rows, columns=["ccode1", "ccode2", "year"])


def years_of(frame: pd.DataFrame, state: str) -> list[int]:
    return sorted(frame.loc[frame["state"] == state, "year"])


# --- COW IGO rules ----------------------------------------------------------------------


def test_one_year_off_at_a_spell_end_is_tolerated_two_years_are_not(kb):
    # Fixture: ARM in CSTO from 2002-10-07, RUS from 2002-10-07, UZB 2006-08 to 2012.
    cow = cow_frame(
        [
            ("ARM", "CSTO", 2002, 2014),
            ("RUS", "CSTO", 2003, 2014),  # year-end coding: one year later than ours
            ("UZB", "CSTO", 2002, 2011),  # 2002-2005 differ; 2012 is one year off
        ]
    )
    diff = cow_igo_differences(kb, cow)
    assert years_of(diff, "ARM") == [] and years_of(diff, "RUS") == []
    assert years_of(diff, "UZB") == [2002, 2003, 2004, 2005]
    row = diff.iloc[0]
    assert (bool(row["ours"]), bool(row["theirs"]), row["org"]) == (False, True, "CSTO")
    assert (row["file"], row["line"]) == ("memberships.yaml", 32)
    assert row["explanation"] == ""


def test_a_suspended_member_counts_as_a_member(kb):
    # ARM is suspended from 2024; within 1992-2014 it is a member from 2002.
    cow = cow_frame([("ARM", "CSTO", 2002, 2014)])
    assert cow_igo_differences(kb, cow, years=(1992, 2030)).empty is False
    assert years_of(cow_igo_differences(kb, cow, years=(1992, 2030)), "ARM") == list(
        range(2015, 2031)
    )


def test_scope_decides_whether_unlisted_cow_members_count(kb, monkeypatch):
    cow = cow_frame([("KAZ", "CSTO", 2002, 2014), ("ARM", "CSTO", 2002, 2014)])
    assert years_of(cow_igo_differences(kb, cow, scope="listed"), "KAZ") == []
    assert years_of(cow_igo_differences(kb, cow, scope="all"), "KAZ") == list(range(2002, 2015))
    # The CSTO is among the organizations listed completely, so "auto" reports KAZ.
    assert years_of(cow_igo_differences(kb, cow), "KAZ") == list(range(2002, 2015))
    monkeypatch.setattr(crosscheck, "COMPLETE", frozenset())
    assert years_of(cow_igo_differences(kb, cow), "KAZ") == []
    with pytest.raises(ValueError, match="scope"):
        cow_igo_differences(kb, cow, scope="some")


def test_known_differences_explain_only_their_years(kb, monkeypatch):
    cow = cow_frame([("UZB", "CSTO", 2002, 2011)])
    monkeypatch.setattr(
        crosscheck, "KNOWN_DIFFERENCES", {("cow_igo", "UZB", "CSTO", 2002, 2004): "why"}
    )
    diff = cow_igo_differences(kb, cow, scope="listed")
    diff = diff[diff["state"] == "UZB"]
    assert dict(zip(diff["year"], diff["explanation"], strict=True)) == {
        2002: "why",
        2003: "why",
        2004: "why",
        2005: "",
    }


# --- ATOP rules -------------------------------------------------------------------------


def test_member_years_without_a_pledge_with_the_leader_are_reported(kb):
    # ARM: CST from 1994-04-20 and CSTO; pledges from 1995 (1994 is one year off).
    # UZB: CSTO 2006-08 to 2012; pledges only to 2009. GEO: a pledge but no alliance.
    atop = pledges({371: range(1995, 2019), 704: range(2006, 2010), 372: range(1994, 2010)})
    diff = atop_differences(kb, atop, cow_codes=COW)
    assert years_of(diff, "ARM") == []
    assert years_of(diff, "UZB") == [2010, 2011, 2012]
    assert years_of(diff, "GEO") == []
    assert diff["ours"].all() and not diff["theirs"].any()
    assert set(diff["org"]) == {"CSTO"}


def test_a_member_without_a_cow_code_is_an_error(kb):
    with pytest.raises(ValueError, match=r"memberships.yaml:\d+: state: no COW code .*'UZB'"):
        atop_differences(kb, pledges({}), cow_codes={"ARM": 371, "RUS": 365})


# --- the real knowledge base against the real files ------------------------------------


@pytest.fixture(scope="module")
def real_kb():
    folder = default_folder()
    missing = [name for name in FILES if not (folder / name).is_file()]
    assert not missing, f"knowledge-base files missing: {', '.join(missing)}"
    try:
        return load_kb(folder)
    except KBError as exc:
        pytest.fail(f"the package knowledge base does not load:\n{exc}")


def test_the_real_knowledge_base_is_consistent(real_kb):
    problems = check_kb(real_kb)
    assert problems == [], "\n".join(map(str, problems))


def test_real_memberships_agree_with_cow_igo(real_kb, mirror):
    spells = read_cow_igo_spells(mirror / "igo" / "cow_igo_v3_membership_spells.csv")
    diff = cow_igo_differences(real_kb, spells)
    compared = {o.id for o in real_kb.organizations if o.cow_igo_id}
    assert {"CSTO", "CIS", "EU", "NATO"} <= compared
    unexplained = diff[diff["explanation"] == ""]
    assert unexplained.empty, unexplained[["state", "org", "year", "ours", "theirs"]].to_string()


def test_real_defence_alliances_agree_with_atop(real_kb, mirror):
    atop = read_atop_defence(mirror / "igo" / "atop_v5_1_alliances_directed_dyad_year.parquet")
    diff = atop_differences(real_kb, atop)
    alliances = {o.id for o in real_kb.organizations if o.kind == "defence_alliance" and o.led_by}
    assert {"CSTO", "NATO"} <= alliances
    unexplained = diff[diff["explanation"] == ""]
    assert unexplained.empty, unexplained[["state", "org", "year"]].to_string()


def test_every_known_difference_is_still_needed(real_kb, mirror):
    """An entry that no longer explains any difference is stale and must be removed."""
    spells = read_cow_igo_spells(mirror / "igo" / "cow_igo_v3_membership_spells.csv")
    atop = read_atop_defence(mirror / "igo" / "atop_v5_1_alliances_directed_dyad_year.parquet")
    found = pd.concat([cow_igo_differences(real_kb, spells), atop_differences(real_kb, atop)])
    used = {
        key
        for key in KNOWN_DIFFERENCES
        if (
            (found["source"] == key[0])
            & (found["state"] == key[1])
            & (found["org"] == key[2])
            & found["year"].between(key[3], key[4])
        ).any()
    }
    assert set(KNOWN_DIFFERENCES) - used == set()
