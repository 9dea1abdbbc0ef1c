"""Bridging of roll calls across sessions (allegiance.measures.ideal_bridge)."""

from __future__ import annotations

import pandas as pd
import pytest

from allegiance.measures.ideal_bridge import _block, bridge_items, bridge_pairs, title_key

CUBA = "Necessity of ending the economic, commercial and financial embargo imposed by the United States of America against Cuba"  # noqa: E501
#: Keys are cut at 80 letters: the UN library's records cut long titles at 150 characters.
CUBA_KEY = "necessity of ending the economic commercial and financial embargo imposed by the"


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


def test_a_title_cut_by_the_un_library_gets_the_key_of_the_whole_title():
    # The UN Digital Library's records cut titles at 150 characters and mark the cut.
    whole = f"{CUBA} : resolution / adopted by the General Assembly"
    cut = whole[:150] + "[...]"
    assert title_key(cut) == title_key(whole) == title_key(CUBA) == CUBA_KEY
    long_title = (
        "Activities of foreign economic and other interests which are impeding the "
        "implementation of the Declaration on the Granting of Independence to Colonial "
        "Countries and Peoples in Southern Rhodesia and Namibia"
    )
    assert title_key(long_title[:150] + "[...]") == title_key(long_title)


def test_record_titles_replace_summaries_only():
    # Before 1985 Voeten's release has a label and a summary written for each vote; the
    # UN library's record of the same resolution gives its title, which returns each year.
    summary = "APARTHEID — TO ADOPT A RESOLUTION CONDEMNING {} POLICIES OF SOUTH AFRICA"
    key = "t:" + title_key("Policies of apartheid of the Government of South Africa")
    first = next(s for s in range(31, 40) if _block(key, s, 3) == _block(key, s + 1, 3))
    rows = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "session": [first, first + 1, first + 1, first + 1],
            "title": [
                summary.format("THE"),
                summary.format("ALL THE"),
                "ISRAEL — Some other UN title",
                summary.format("THE RACIST"),
            ],
            "kind": ["resolution"] * 4,
            "record_title": [
                "Policies of apartheid of the Government of South Africa",
                "Policies of apartheid of the Government of South Africa : resolution / adopted by the General Assembly",  # noqa: E501
                "Policies of apartheid of the Government of South Africa",
                None,
            ],
        }
    )
    items = bridge_items(rows, similarity=1.0)
    # Both summaries took the record's title and bridge two sessions of one block; a UN
    # title of Voeten's own is kept, and a roll call without a record keeps its summary.
    assert items[0] == items[1] and items[0].startswith("t:policies of apartheid")
    assert items[2] != items[0] and items[3] == "rc:4"
    plain = bridge_items(rows.drop(columns="record_title"), similarity=1.0)
    assert plain[0] == "rc:1" and plain[1] == "rc:2"


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
    rc = rc.assign(item=bridge_items(rc))
    cuba = rc[
        rc["title"].str.contains("embargo imposed by the United States", case=False)
        & rc["kind"].eq("resolution")
    ]
    assert cuba["session"].nunique() >= 30
    # Bridged in blocks of at most three sessions; a session alone in its block (a gap in
    # the record next to it) stays its own item.
    bridged = cuba[cuba["item"].str.startswith("t:")]
    assert len(bridged) >= len(cuba) - 4
    per_item = bridged.groupby("item")["session"].agg(["min", "max", "size"])
    assert (per_item["max"] - per_item["min"] < 3).all() and (per_item["size"] >= 2).all()
