"""Reader for the resolution-level wide scrape ``UN_DATA.csv.zip`` (General Assembly and
Security Council, 1946 to 2021; one column per member state).

Cells hold Y, N, A, X (non-voting) or nothing (not a member, or no entry). Quirk of the
file: its ``ABSENT COUNT`` column counts abstentions (A cells), and ``NO-VOTE COUNT``
counts the X cells. Only General Assembly rows are read.

The file's origin is undocumented; its ``Link`` column points to UN Digital Library
voting records, so the UN's terms apply: non-commercial use, with attribution.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._io import counts, read_csv
from allegiance.sources.base import Rejection, SourceTables
from allegiance.sources.symbols import normalise, session_of
from allegiance.vote import Vote

SOURCE = "kaggle"
FILE = "UN_DATA.csv.zip"
META = ["Council", "Date", "Title", "Resolution", "TOTAL VOTES", "NO-VOTE COUNT",
        "ABSENT COUNT", "NO COUNT", "YES COUNT", "Link", "token"]  # fmt: skip
_CODES = {"Y": Vote.YES, "N": Vote.NO, "A": Vote.ABSTAIN, "X": Vote.ABSENT}


def read(folder: Path) -> SourceTables:
    """Read the General Assembly rows of ``UN_DATA.csv.zip`` in ``folder``."""
    path = Path(folder) / FILE
    raw = read_csv(path, META, encoding="utf-8-sig")
    raw["line"] = raw.index + 2
    ga = raw[raw["Council"].str.contains("General Assembly", case=False)].copy()
    rejected: list[Rejection] = []

    ga["day"] = pd.to_datetime(ga["Date"], format="%Y-%m-%d", errors="coerce")
    for line, value in ga.loc[ga["day"].isna(), ["line", "Date"]].itertuples(index=False):
        rejected.append(Rejection(FILE, f"line {line}", "Date", repr(value)))
    ga = ga[ga["day"].notna()]
    ga["source_id"] = ga["token"].where(ga["token"] != "", "line " + ga["line"].astype(str))
    dup = ga["source_id"].duplicated(keep="first")
    for line, token in ga.loc[dup, ["line", "source_id"]].itertuples(index=False):
        rejected.append(Rejection(FILE, f"line {line}", "token", f"duplicate record {token}"))
    ga = ga[~dup]

    countries = [c for c in raw.columns if c not in META and c != "line"]
    long = ga.melt(id_vars=["source_id", "day", "line"], value_vars=countries,
                   var_name="name", value_name="cell")  # fmt: skip
    long = long[long["cell"].str.strip() != ""]
    long["cell"] = long["cell"].str.strip().str.upper()
    code = long["cell"].map(_CODES)
    for line, name, cell in long.loc[code.isna(), ["line", "name", "cell"]].itertuples(index=False):
        rejected.append(Rejection(FILE, f"line {line}", name, f"unknown vote {cell!r}"))
    long = long[code.notna()].assign(vote=code[code.notna()].astype("int16"))
    pairs = long[["name", "day"]].drop_duplicates()
    pairs["state"] = states.resolve_names(pairs["name"], pairs["day"]).to_numpy()
    long = long.merge(pairs, on=["name", "day"], how="left")
    unknown = long["state"].isna()
    for name, group in long[unknown].groupby("name"):
        rejected.append(
            Rejection(FILE, f"line {group['line'].min()}", name,
                      f"{len(group)} votes under a name that is not a UN member on their dates")
        )  # fmt: skip
    long = long[~unknown]
    dup_votes = long.duplicated(["source_id", "state"], keep=False)
    for (sid, state), group in long[dup_votes].groupby(["source_id", "state"]):
        rejected.append(
            Rejection(FILE, f"line {group['line'].iat[0]}", state,
                      f"record {sid}: two columns ({', '.join(group['name'])}) name the same state")
        )  # fmt: skip
    long = long[~dup_votes]
    votes = long[["source_id", "state", "vote"]]

    roll_calls = pd.DataFrame(
        {
            "source": SOURCE,
            "source_id": ga["source_id"].to_numpy(),
            "session": [session_of(d.date()) for d in ga["day"]],
            "date": ga["day"].to_numpy(),
            "symbol": [normalise(s) for s in ga["Resolution"]],
            "raw_symbol": ga["Resolution"].to_numpy(),
            "title": ga["Title"].str.strip().to_numpy(),
            "kind": "resolution",
            "issues": "",
            "important": pd.array([pd.NA] * len(ga), dtype="boolean"),
            "yes": counts(ga["YES COUNT"], FILE, ga["line"], rejected),
            "no": counts(ga["NO COUNT"], FILE, ga["line"], rejected),
            "abstain": counts(
                ga["ABSENT COUNT"], FILE, ga["line"], rejected
            ),  # sic: this column counts abstentions
            "record": ("line " + ga["line"].astype(str)).to_numpy(),
        }
    )
    roll_calls["session"] = roll_calls["session"].astype("Int64")
    return SourceTables(SOURCE, roll_calls, votes, rejected, lists_absentees=False, files=[path])
