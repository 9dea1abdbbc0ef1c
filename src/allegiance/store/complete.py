"""Completing the vote matrix and checking it against the official tallies.

Sources that do not list absentees (the unvotes tables, the UN extracts, blanks in the
wide scrape) leave a member's absence implicit. Every state that ever sat in the
Assembly gets a row for every roll call: a state the source does not list is ``absent``
when it was a UN member on the vote's date (un_membership.csv) and ``not a member``
otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance import states
from allegiance.vote import Vote


def complete_votes(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """The full roll call x state matrix in long form (``roll_call_id, state, vote``)."""
    everyone = sorted(states.membership()["iso3"].unique())
    grid = pd.MultiIndex.from_product(
        [roll_calls["id"].to_numpy(), everyone], names=["roll_call_id", "state"]
    )
    full = pd.DataFrame(index=grid).reset_index()
    listed = votes.set_index(["roll_call_id", "state"])["vote"]
    full["vote"] = listed.reindex(grid).to_numpy()
    missing = full["vote"].isna().to_numpy()
    dates = full["roll_call_id"].map(roll_calls.set_index("id")["date"])
    member = states.is_member(full["state"].to_numpy()[missing], dates.to_numpy()[missing])
    fill = np.where(member, int(Vote.ABSENT), int(Vote.NOT_MEMBER))
    values = full["vote"].to_numpy(dtype=float, copy=True)
    values[missing] = fill
    full["vote"] = values.astype(np.int8)
    return full


def tally_checks(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """Official tallies beside the counted votes, for every roll call that has tallies."""
    counted = (
        votes[votes["vote"].isin([Vote.YES, Vote.NO, Vote.ABSTAIN])]
        .groupby(["roll_call_id", "vote"]).size().unstack(fill_value=0)
        .reindex(columns=[int(Vote.YES), int(Vote.NO), int(Vote.ABSTAIN)], fill_value=0)
    )  # fmt: skip
    counted.columns = ["counted_yes", "counted_no", "counted_abstain"]
    official = roll_calls.set_index("id")[["yes", "no", "abstain", "source"]]
    out = official.join(counted, how="left").fillna(
        {"counted_yes": 0, "counted_no": 0, "counted_abstain": 0}
    )
    out = out[out[["yes", "no", "abstain"]].notna().all(axis=1)]
    out["agrees"] = (
        (out["yes"] == out["counted_yes"])
        & (out["no"] == out["counted_no"])
        & (out["abstain"] == out["counted_abstain"])
    )
    return out.reset_index(names="roll_call_id")
