"""Reader for the 2025 wide scrape of UN Digital Library voting records
(``HZloto_unga-2025_un_votes_2025_processed.csv.gz``: one row per resolution, General
Assembly and Security Council; one column per member state named by its ISO3 code).

Cells hold ``YES``, ``NO``, ``ABSTAIN`` or nothing (did not vote). Afghanistan and
Venezuela have no column: they cast no vote in the 79th and 80th sessions. Only General
Assembly rows are read; the builder makes every member the scrape does not list absent.

Source: the ``Link`` column cites each UN Digital Library voting record; the scrape was
published in GitHub ``HZloto/unga-2025`` (commit 46fa27ef, 2026-02-11). UN terms apply:
non-commercial use, with attribution.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources._io import counts, read_csv
from allegiance.sources.base import Rejection, SourceError, SourceTables
from allegiance.sources.symbols import normalise, session_of
from allegiance.states import states
from allegiance.vote import Vote

SOURCE = "undl_scrape"
META = ["Link", "token", "Title", "Council", "Resolution", "Date",
        "YES COUNT", "NO COUNT", "ABSTAIN COUNT", "NO-VOTE COUNT"]  # fmt: skip
_CODES = {"YES": Vote.YES, "NO": Vote.NO, "ABSTAIN": Vote.ABSTAIN}


def read(folder: Path) -> SourceTables:
    """Read every ``*.csv.gz`` scrape in ``folder`` (normally ``unga/supplement/raw``)."""
    files = sorted(Path(folder).glob("*.csv*"))
    if not files:
        raise SourceError(f"{folder}: no scrape CSV found")
    tables = [_read_file(path) for path in files]
    return SourceTables(
        SOURCE,
        pd.concat([t[0] for t in tables], ignore_index=True),
        pd.concat([t[1] for t in tables], ignore_index=True),
        [r for t in tables for r in t[2]],
        lists_absentees=False,
        files=files,
    )


def _read_file(path: Path):
    raw = read_csv(path, META)
    raw["line"] = raw.index + 2
    ga = raw[raw["Council"].str.strip() == "General Assembly"].copy()
    rejected: list[Rejection] = []
    ga["day"] = pd.to_datetime(ga["Date"], format="%Y-%m-%d", errors="coerce")
    ga["symbol"] = [normalise(s) for s in ga["Resolution"]]
    for line, field, value in (
        *((r.line, "Date", r.Date) for r in ga[ga["day"].isna()].itertuples()),
        *((r.line, "Resolution", r.Resolution) for r in ga[ga["symbol"].isna()].itertuples()),
    ):
        rejected.append(Rejection(path.name, f"line {line}", field, repr(value)))
    ga = ga[ga["day"].notna() & ga["symbol"].notna()]
    dup = ga["symbol"].duplicated(keep="first")
    for line, symbol in ga.loc[dup, ["line", "symbol"]].itertuples(index=False):
        rejected.append(Rejection(path.name, f"line {line}", "Resolution", f"{symbol} repeated"))
    ga = ga[~dup]

    known = set(states()["iso3"])
    columns = [c for c in raw.columns if len(c) == 3 and c.isupper()]
    for code in sorted(set(columns) - known):
        rejected.append(Rejection(path.name, "line 1", code, "column is not a state code"))
    columns = [c for c in columns if c in known]
    long = ga.melt(
        id_vars=["symbol", "line"], value_vars=columns, var_name="state", value_name="cell"
    )
    long["cell"] = long["cell"].str.strip().str.upper()
    long = long[long["cell"] != ""]
    code = long["cell"].map(_CODES)
    for line, state, cell in long.loc[code.isna(), ["line", "state", "cell"]].itertuples(
        index=False
    ):
        rejected.append(Rejection(path.name, f"line {line}", state, f"unknown vote {cell!r}"))
    long = long[code.notna()].assign(vote=code[code.notna()].astype("int16"))
    votes = pd.DataFrame(
        {"source_id": long["symbol"], "state": long["state"], "vote": long["vote"]}
    )
    roll_calls = pd.DataFrame(
        {
            "source": SOURCE,
            "source_id": ga["symbol"].to_numpy(),
            "session": pd.array([session_of(d.date()) for d in ga["day"]], dtype="Int64"),
            "date": ga["day"].to_numpy(),
            "symbol": ga["symbol"].to_numpy(),
            "raw_symbol": ga["Resolution"].to_numpy(),
            "title": ga["Title"].str.strip().to_numpy(),
            "kind": "resolution",
            "issues": "",
            "important": pd.array([pd.NA] * len(ga), dtype="boolean"),
            "yes": counts(ga["YES COUNT"], path.name, ga["line"], rejected),
            "no": counts(ga["NO COUNT"], path.name, ga["line"], rejected),
            "abstain": counts(ga["ABSTAIN COUNT"], path.name, ga["line"], rejected),
            "record": ("line " + ga["line"].astype(str)).to_numpy(),
        }
    )
    return roll_calls, votes, rejected
