"""Bridging of roll calls across sessions (allegiance.measures.ideal_bridge)."""

from __future__ import annotations

import pandas as pd
import pytest

from allegiance.measures.ideal_bridge import _block, bridge_items, bridge_pairs, title_key

CUBA = "Necessity of ending the economic, commercial and financial embargo imposed by the United States of America against Cuba"  # noqa: E501
CUBA_KEY = "necessity of ending the economic commercial and financial embargo imposed by the united states of america against cuba"  # noqa: E501


@pytest.mark.parametrize(
    "title",
    [
        CUBA,  # UN DGACM extract
        f"— {CUBA} : resolution / adopted by the General Assembly",  # Voeten, sessions 69-70
        f"{CUBA} : resolution / adopted by the General Assembly — A/71/251 39 - {CUBA}. - CUBA--UNITED STATES",  # noqa: E501 unvotes 71-73
        f"CUBA, U.S. EMBARGO — {CUBA}",  # Voeten, sessions 40-68
    ],
)
def test_title_key_folds_the_formats_of_every_source_to_one_key(title):
    assert title_key(title) == CUBA_KEY


def test_title_key_of_empty_and_missing_titles_is_empty():
    assert title_key(None) == "" and title_key(float("nan")) == "" and title_key("") == ""


def _frame(rows):
    return pd.DataFrame(rows, columns=["id", "session", "title", "kind"])


def test_a_title_that_returns_each_session_is_one_item_within_blocks_of_sessions():
    rc = _frame(
        [
            (i, 60 + i, "Jerusalem : resolution / adopted by the General Assembly", "resolution")
            for i in range(9)
        ]
    )  # noqa: E501
    items = bridge_items(rc, max_span=3)
    # Blocks of three sessions, shifted by the title's hash: never more than three
    # sessions per item, and at least one continuing item at every boundary but a third.
    blocks = [_block("t:jerusalem", 60 + i, 3) for i in range(9)]
    assert items.tolist() == [f"t:jerusalem#{b - blocks[0]}" for b in blocks]
    assert items.value_counts().max() == 3
    unlimited = bridge_items(rc, max_span=100)
    assert unlimited.nunique() <= 2


def test_amendments_titles_repeated_in_a_session_and_singletons_are_not_bridged():
    rc = _frame(
        [
            (1, 60, "General and complete disarmament", "resolution"),
            (2, 60, "General and complete disarmament", "resolution"),
            (3, 61, "General and complete disarmament", "resolution"),
            (4, 60, "Situation of human rights in X", "amendment"),
            (5, 61, "Situation of human rights in X", "amendment"),
            (6, 61, "A title voted once", "resolution"),
        ]
    )
    items = bridge_items(rc, max_span=100)
    # Session 60 has two resolutions with that title: neither continues into 61, and the
    # one of session 61 then has no partner.
    assert items.tolist() == [f"rc:{i}" for i in range(1, 7)]


def test_a_long_absence_breaks_the_bridge():
    rc = _frame(
        [
            (1, 40, "Question of Cyprus", "resolution"),
            (2, 41, "Question of Cyprus", "resolution"),
            (3, 58, "Question of Cyprus", "resolution"),
        ]
    )  # noqa: E501
    items = bridge_items(rc, max_gap=5, max_span=100)
    assert items.iloc[0] == items.iloc[1] and items.iloc[2] == "rc:3"


def test_old_summaries_bridge_only_when_label_and_words_agree():
    east_timor = "EAST TIMOR, SELF-DETERMINATION — TO REAFFIRM THE INALIENABLE RIGHT OF THE PEOPLE OF EAST TIMOR TO SELF-DETERMINATION AND INDEPENDENCE"  # noqa: E501
    rc = _frame(
        [
            (1, 31, east_timor, "resolution"),
            (2, 32, east_timor.replace("INDEPENDENCE", "INDEPENDENCE, AND TO CALL"), "resolution"),
            (
                3,
                31,
                "KOREA — TO ADOPT USSR DRAFT RESOLUTION CALLING FOR CESSATION OF BOMBING",
                "resolution",
            ),  # noqa: E501
            (
                4,
                32,
                "KOREA — TO APPROVE THE REPORT OF THE UN COMMISSION FOR UNIFICATION",
                "resolution",
            ),  # noqa: E501
        ]
    )
    items = bridge_items(rc, max_span=100)
    assert items.iloc[0] == items.iloc[1] == "s:east timor, self-determination#0"
    # Same label, different content: two items.
    assert items.iloc[2] == "rc:3" and items.iloc[3] == "rc:4"
    assert (bridge_items(rc, similarity=1.0, max_span=100).iloc[:2] == ["rc:1", "rc:2"]).all()


def test_bridge_pairs_counts_items_shared_by_successive_periods():
    votes = pd.DataFrame(
        {"item": ["a", "b", "a", "c", "c", "d"], "period": [2000, 2000, 2001, 2001, 2002, 2002]}
    )
    pairs = bridge_pairs(votes)
    assert pairs.to_dict("list") == {
        "period_from": [2000, 2001], "period_to": [2001, 2002], "n_items": [1, 1],
    }  # fmt: skip


def test_bad_frames_are_refused():
    with pytest.raises(ValueError, match="lacks columns"):
        bridge_items(pd.DataFrame({"id": [1], "title": ["x"]}))


def test_the_cuba_embargo_resolution_bridges_sessions_on_the_real_store(store):
    # Adopted every year since 1992 (A/RES/47/19 onward); the store holds the recorded
    # votes of 31 sessions between 47 and 80.
    rc = store.roll_calls(since=1992)
    rc = rc.assign(item=bridge_items(rc), key=rc["title"].map(title_key))
    cuba = rc[
        rc["key"].str.contains("embargo imposed by the united states") & rc["kind"].eq("resolution")
    ]  # noqa: E501
    assert cuba["session"].nunique() >= 30
    # Bridged in blocks of at most three sessions; a session alone in its block (a gap in
    # the record next to it) stays its own item.
    bridged = cuba[cuba["item"].str.startswith("t:")]
    assert len(bridged) >= len(cuba) - 4
    per_item = bridged.groupby("item")["session"].agg(["min", "max", "size"])
    assert (per_item["max"] - per_item["min"] < 3).all() and (per_item["size"] >= 2).all()
