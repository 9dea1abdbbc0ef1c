"""One roll call once: combining the sources' canonical tables.

Rule for overlaps (documented in docs/schema.md): sources are taken in the order of
``PRIORITY``; a roll call already taken from a higher source is matched, not added, and
its votes are compared with the higher source's to list every disagreement. Matching
uses, in turn:

1. Voeten's roll-call id, shared by the dataverse release and the unvotes package;
2. the normalised resolution symbol, for whole-resolution votes whose symbol is unique in
   its source;
3. for resolution votes with no usable symbol, the date and the official yes/no/abstain
   tallies, when that combination is unique in both sources.

The secondary resolution-level scrape (``kaggle``) only adds roll calls the others lack
from ``SECONDARY_FILLS_FROM`` on (the 2019-2021 holes); earlier rows it alone has are
counted as unmatched, not added, because their symbols and dates could not be matched to
the primary record and adding them would risk double counting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from allegiance.sources.base import SourceTables
from allegiance.vote import CAST

#: Highest first. The UN Digital Library file and the UN's own extracts are official;
#: the 2025 scrape of Digital Library records fills what the extracts lack (ES-10/27);
#: Voeten's release lists absentees; unvotes extends it to 2020; kaggle is secondary.
PRIORITY = ("undl", "unxml", "supplement", "undl_scrape", "voeten", "unvotes", "kaggle")
SECONDARY = {"kaggle"}
SECONDARY_FILLS_FROM = pd.Timestamp("2019-01-01")


@dataclass
class Combined:
    roll_calls: pd.DataFrame  # canonical roll calls, with `id` and the winning source
    votes: pd.DataFrame  # roll_call_id, state, vote (as listed by the winning source)
    links: pd.DataFrame  # roll_call_id, source, source_id, role, title (as that record gives it)
    conflicts: pd.DataFrame  # roll_call_id, state, source, vote, other_source, other_vote
    unmatched: pd.DataFrame  # secondary roll calls neither matched nor added
    lists_absentees: dict[str, bool] = field(default_factory=dict)
    #: Symbols and dates taken from the official record (store/official.py), by roll call.
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)


def combine(tables: list[SourceTables]) -> Combined:
    ordered = sorted(tables, key=lambda t: PRIORITY.index(t.source))
    keys: dict[str, tuple[str, str]] = {}  # match key -> (source, source_id) of the winner
    kept: list[pd.DataFrame] = []
    links: list[tuple] = []  # winner source/id, source, id, role, title
    unmatched: list[pd.DataFrame] = []
    votes_by_source = {t.source: t.votes for t in ordered}
    for table in ordered:
        rc = table.roll_calls.copy()
        rc_keys = _match_keys(rc)
        winner = [next((keys[k] for k in ks if k in keys), None) for ks in rc_keys]
        for i, first in _repeated_records(rc, table.votes).items():
            if winner[i] is None:
                winner[i] = winner[first] or (table.source, rc["source_id"].iat[first])
        is_new = np.array([w is None for w in winner])
        if table.source in SECONDARY:
            late = (pd.to_datetime(rc["date"]) >= SECONDARY_FILLS_FROM).to_numpy()
            unmatched.append(rc[is_new & ~late])
            is_new &= late
        for sid, ks, w, new, title in zip(
            rc["source_id"], rc_keys, winner, is_new, rc["title"], strict=True
        ):
            title = title if isinstance(title, str) and title.strip() else None
            if w is not None:
                links.append((w[0], w[1], table.source, sid, "duplicate", title))
            elif new:
                links.append((table.source, sid, table.source, sid, "primary", title))
                for k in ks:
                    keys.setdefault(k, (table.source, sid))
        kept.append(rc[is_new])
    roll_calls = pd.concat(kept, ignore_index=True)
    roll_calls = roll_calls.sort_values(
        ["date", "session", "source", "source_id"], kind="stable", ignore_index=True
    )
    roll_calls.insert(0, "id", np.arange(1, len(roll_calls) + 1, dtype=np.int32))
    id_of = {
        (s, i): rid
        for rid, s, i in roll_calls[["id", "source", "source_id"]].itertuples(index=False)
    }
    link_frame = pd.DataFrame(
        links, columns=["win_source", "win_id", "source", "source_id", "role", "title"]
    )
    link_frame["roll_call_id"] = [
        id_of[(s, i)] for s, i in zip(link_frame["win_source"], link_frame["win_id"], strict=True)
    ]
    _adopt_symbols(roll_calls, link_frame, ordered)

    votes = []
    for source, group in roll_calls.groupby("source"):
        v = votes_by_source[source]
        ids = dict(zip(group["source_id"], group["id"], strict=True))
        v = v[v["source_id"].isin(ids)]
        votes.append(pd.DataFrame({"roll_call_id": v["source_id"].map(ids).astype(np.int32).to_numpy(),
                                   "state": v["state"].to_numpy(), "vote": v["vote"].astype(np.int8).to_numpy()}))  # fmt: skip
    votes = pd.concat(votes, ignore_index=True)
    conflicts = _conflicts(
        link_frame, votes, votes_by_source, {t.source: t.lists_absentees for t in ordered}
    )
    return Combined(
        roll_calls=roll_calls,
        votes=votes,
        links=link_frame[["roll_call_id", "source", "source_id", "role", "title"]],
        conflicts=conflicts,
        unmatched=pd.concat(unmatched, ignore_index=True) if unmatched else pd.DataFrame(),
        lists_absentees={t.source: t.lists_absentees for t in ordered},
    )


def _repeated_records(rc: pd.DataFrame, votes: pd.DataFrame) -> dict[int, str]:
    """Rows of ``rc`` that repeat an earlier record of the same source: same symbol, same
    date, same votes. Returns row position -> row position of the first record."""
    is_res = rc["kind"].eq("resolution") & rc["symbol"].notna()
    same = rc[is_res & rc.duplicated(["symbol", "date"], keep=False) & is_res]
    if same.empty:
        return {}
    v = votes[votes["source_id"].isin(same["source_id"])].sort_values(["source_id", "state"])
    fingerprint = v.groupby("source_id").apply(
        lambda g: hash(tuple(zip(g["state"], g["vote"], strict=True))), include_groups=False
    )
    same = same.assign(fp=same["source_id"].map(fingerprint))
    out = {}
    for _, group in same.groupby(["symbol", "date", "fp"]):
        first = rc.index.get_loc(group.index[0])
        for pos in group.index[1:]:
            out[rc.index.get_loc(pos)] = first
    return out


def _match_keys(rc: pd.DataFrame) -> list[list[str]]:
    source = rc["source"].iat[0] if len(rc) else ""
    is_res = rc["kind"].eq("resolution")
    sym_ok = is_res & rc["symbol"].notna()
    sym_unique = sym_ok & ~rc["symbol"].where(sym_ok).duplicated(keep=False)
    tally = (rc["date"].astype(str) + "|" + rc["yes"].astype(str) + "|" + rc["no"].astype(str)
             + "|" + rc["abstain"].astype(str))  # fmt: skip
    tally_ok = is_res & rc[["yes", "no", "abstain"]].notna().all(axis=1)
    tally_unique = tally_ok & ~tally.where(tally_ok).duplicated(keep=False)
    out = []
    for sid, sym, s_ok, t, t_ok in zip(
        rc["source_id"], rc["symbol"], sym_unique, tally, tally_unique, strict=True
    ):
        ks = []
        if source in {"voeten", "unvotes"}:
            ks.append(f"rcid:{sid}")
        if s_ok:
            ks.append(f"sym:{sym}")
        if t_ok:
            ks.append(f"tally:{t}")
        out.append(ks)
    return out


def _adopt_symbols(
    roll_calls: pd.DataFrame, links: pd.DataFrame, tables: list[SourceTables]
) -> None:
    """Give a kept roll call the symbol a matched lower source has, where it has none."""
    # A symbol taken from the official record (store/official.py) names that record's source.
    given = roll_calls.get("symbol_source", pd.Series(None, index=roll_calls.index, dtype=object))
    roll_calls["symbol_source"] = np.where(
        roll_calls["symbol"].notna(), given.fillna(roll_calls["source"]), None
    )
    dup = links[links["role"] == "duplicate"]
    if dup.empty:
        return
    symbols = pd.concat([t.roll_calls[["source", "source_id", "symbol"]] for t in tables])
    dup = dup.merge(symbols, on=["source", "source_id"], how="left").dropna(subset=["symbol"])
    dup = dup.drop_duplicates("roll_call_id")
    index = roll_calls.set_index("id").index
    for rid, sym, src in dup[["roll_call_id", "symbol", "source"]].itertuples(index=False):
        row = index.get_loc(rid)
        if pd.isna(roll_calls.at[row, "symbol"]):
            roll_calls.at[row, "symbol"] = sym
            roll_calls.at[row, "symbol_source"] = src


def _conflicts(links, votes, votes_by_source, lists_absentees) -> pd.DataFrame:
    """Every state whose vote in a duplicate source differs from the kept source's."""
    columns = ["roll_call_id", "state", "source", "vote", "other_source", "other_vote"]
    dup = links[links["role"] == "duplicate"]
    frames = []
    for (win_source, other), group in dup.groupby(["win_source", "source"]):
        ids = dict(zip(group["source_id"], group["roll_call_id"], strict=True))
        o = votes_by_source[other]
        o = o[o["source_id"].isin(ids)]
        o = o.assign(roll_call_id=o["source_id"].map(ids))
        w = votes[votes["roll_call_id"].isin(group["roll_call_id"])]
        m = w.merge(o[["roll_call_id", "state", "vote"]], on=["roll_call_id", "state"], how="outer",
                    suffixes=("", "_other"))  # fmt: skip
        cast = np.isin(m["vote"], CAST) | np.isin(m["vote_other"], CAST)
        m = m[cast & (m["vote"].fillna(0) != m["vote_other"].fillna(0))].copy()
        # A state a source does not list was absent or not a member there; that only
        # disagrees with a cast vote, which the filter above already requires.
        m["source"], m["other_source"] = win_source, other
        m["vote"] = m["vote"].fillna(0).astype(int)
        m["other_vote"] = m["vote_other"].fillna(0).astype(int)
        frames.append(m[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["roll_call_id", "state", "other_source"], ignore_index=True)
