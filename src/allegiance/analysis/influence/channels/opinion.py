"""Public opinion: how the state's public sees the pole, per survey year.

Two surveys, two questions; where both exist for the same state and year, Pew wins
(:data:`PRECEDENCE`):

1. **Pew Global Attitudes** (70 countries, 2002-2023): net favourability of the pole,
   favourable minus unfavourable, both as shares of all respondents asked (don't know and
   refused in the base, as Pew publishes them). Scaled to [0, 1] as (net + 1) / 2: 1 is
   everyone favourable, 0 everyone unfavourable, 0.5 as many of one as of the other, or
   nobody with an opinion. The EU pole is Pew's question about the European Union; Pew
   asks about no Turkish target, so the ``TUR`` pole has no Pew score.
2. **Caucasus Barometer** "biggest friend of [country]" (``FRNDCNTR``; Armenia, Azerbaijan
   and Georgia, 2011): the share naming the pole, on the base of respondents who named an
   answer (:func:`allegiance.sources.caucasus_barometer.main_friend`). The EU's share sums
   the answers naming one of its members; the answer "Europe" is reported in the inputs but
   not counted, because it is not the EU.

Pew asks about each pole on its own scale; the barometer asks for one friend, so its shares
of the five poles add up to at most 1. The two are different measures: neither surveys
the same state in the same year, so no state's series mixes them. Only survey years have a
score.
"""

from __future__ import annotations

import pandas as pd

from allegiance.analysis.influence.common import finish, grid, pole_members
from allegiance.sources.caucasus_barometer import main_friend

LABEL = "Public opinion: net favourability of the pole (Pew), or share naming it main friend"
#: Source ids (registry.toml) the channel reads; the rows name the one each came from.
SOURCE_IDS: tuple[str, ...] = ("pew", "caucasus_barometer")
SOURCE = "Caucasus Research Resource Centers, Caucasus Barometer (FRNDCNTR), caucasusbarometer.org"
PEW_SOURCE = "Pew Research Center, Global Attitudes Survey 2002-2023 (harmonised by C. Grasland)"

#: Which survey wins where both give a score for the same state, pole and year.
PRECEDENCE = ("pew", "caucasus_barometer")


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


def net_favourability(views: pd.DataFrame) -> pd.DataFrame:
    """Pew net favourability and its [0, 1] score (no I/O).

    Parameters
    ----------
    views : DataFrame
        Rows of ``opinion_pew``: ``state, year, target, favorable, unfavorable,
        dont_know, n_respondents``.

    Returns
    -------
    DataFrame
        ``state, pole, year, net, score, inputs``; ``net`` = favourable - unfavourable,
        ``score`` = (net + 1) / 2.
    """
    net = views["favorable"] - views["unfavorable"]
    inputs = [
        f"{t}: favourable {f:.1%}, unfavourable {u:.1%} (net {n * 100:+.1f} points), "
        f"don't know {d:.1%}; n = {r:,} (Pew {y})"
        for t, f, u, n, d, r, y in zip(views["target"], views["favorable"], views["unfavorable"],
                                       net, views["dont_know"], views["n_respondents"],
                                       views["year"], strict=True)
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "state": views["state"],
            "pole": views["target"],
            "year": views["year"].astype(int),
            "net": net,
            "score": (net + 1) / 2,
            "inputs": inputs,
        }
    )


def _pew(store, want: pd.DataFrame) -> pd.DataFrame:
    if "opinion_pew" not in store.tables:
        return pd.DataFrame()
    views = store.opinion_pew(
        state=sorted(want["state"].unique()), target=sorted(want["pole"].unique())
    )
    if views.empty:
        return pd.DataFrame()
    frame = want.merge(net_favourability(views), on=["state", "pole", "year"])
    frame["coverage_note"] = (
        "survey year; Pew net favourability (favourable - unfavourable, don't know in the "
        "base), scaled (net + 1) / 2"
    )
    frame["sources"] = PEW_SOURCE
    frame["source"] = "pew"
    return frame


def _barometer(store, want: pd.DataFrame, poles, kb=None) -> pd.DataFrame:
    f = friends(store)
    if f.empty:
        return pd.DataFrame()
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
    frame["source"] = "caucasus_barometer"
    return frame


def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """Each surveyed public's view of each pole: Pew net favourability, else the barometer."""
    want = grid(states, poles, years)
    parts = [p for p in (_pew(store, want), _barometer(store, want, poles, kb)) if not p.empty]
    if not parts:
        return finish(pd.DataFrame())
    both = pd.concat(parts, ignore_index=True)
    both["rank"] = both["source"].map({s: i for i, s in enumerate(PRECEDENCE)})
    both = both.sort_values(["state", "pole", "year", "rank"], kind="stable")
    best = both.drop_duplicates(["state", "pole", "year"], keep="first")
    result = finish(best.drop(columns=["rank", "net"], errors="ignore"))
    result.attrs["sources"] = sorted(set(best["source"]))
    return result.drop(columns=["source"])
