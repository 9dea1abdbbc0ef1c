"""Public opinion: the share of the public naming the pole as the country's main friend.

Caucasus Barometer "biggest friend of [country]" (``FRNDCNTR``; Armenia, Azerbaijan and
Georgia, 2011), on the base of respondents who named an answer (don't know and refusals
left out; :func:`allegiance.sources.caucasus_barometer.main_friend`). The EU's share sums
the answers naming one of its members; the answer "Europe" is reported in the inputs but not
counted, because it is not the EU. Only survey years have a score.
"""

from __future__ import annotations

import pandas as pd

from allegiance.analysis.influence.common import finish, grid, pole_members
from allegiance.sources.caucasus_barometer import main_friend

LABEL = "Public opinion: share naming the pole as the country's main friend (surveys)"
#: Source ids (registry.toml) the channel reads; the UN vote sources for `votes` are
#: those of the roll calls used.
SOURCE_IDS: tuple[str, ...] = ("caucasus_barometer",)
SOURCE = "Caucasus Research Resource Centers, Caucasus Barometer (FRNDCNTR), caucasusbarometer.org"


def friends(store) -> pd.DataFrame:
    """Answers to the main-friend question, renormalised: ``state, year, friend, share, ...``."""
    rows = store.opinion("FRNDCNTR")[
        ["state", "year", "variable", "code", "value_label", "share", "survey"]
    ].rename(columns={"share": "weighted_share"})
    if rows.empty:
        return pd.DataFrame(
            columns=["state", "year", "friend", "friend_label", "friend_kind", "share", "rank"]
        )
    for col in ("state", "variable", "value_label"):
        rows[col] = rows[col].astype("string")
    rows["code"] = rows["code"].astype("Int64")
    return main_friend(rows)


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """Share of each surveyed public naming each pole its country's main friend."""
    want = grid(states, poles, years)
    f = friends(store)
    if f.empty:
        return finish(pd.DataFrame())
    out = []
    for (state, year), answers in f.groupby(["state", "year"]):
        europe = answers.loc[answers["friend_label"].str.lower().eq("europe"), "share"].sum()
        for pole in poles:
            pole = pole.upper()
            named = answers[answers["friend"].isin(pole_members(pole, int(year), kb))]
            share = float(named["share"].sum())
            detail = ", ".join(
                f"{a} {s:.1%}" for a, s in zip(named["friend"], named["share"], strict=True)
            )
            text = f"{share:.1%} name {pole}" + (f" ({detail})" if len(named) > 1 else "")
            if pole == "EU" and europe > 0:
                text += f"; 'Europe' {europe:.1%} not counted"
            out.append((state, pole, int(year), share, text))
    frame = pd.DataFrame(out, columns=["state", "pole", "year", "score", "inputs"])
    frame = want.merge(frame, on=["state", "pole", "year"], how="inner")
    frame["coverage_note"] = (
        "survey year; base: respondents naming an answer (DK/refusals excluded)"
    )
    frame["sources"] = SOURCE
    return finish(frame)
