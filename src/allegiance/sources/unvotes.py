"""Reader for the tables of the R package unvotes (``un_votes``, ``un_roll_calls``,
``un_roll_call_issues``; CSV exports, 1946 to January 2020).

Only yes, abstain and no are listed: absentees and non-members were dropped upstream, so
the builder derives them from membership dates. Namibia's ISO2 code is the string "NA".

Cite: Robinson, D. and Goguen-Compagnoni, N. unvotes: United Nations General Assembly
Voting Data (R package), from Voeten, Harvard Dataverse hdl:1902.1/12379.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from allegiance import states
from allegiance.sources._io import read_csv
from allegiance.sources.base import Rejection, SourceError, SourceTables
from allegiance.sources.symbols import normalise
from allegiance.vote import Vote

SOURCE = "unvotes"
VOTES_FILE = "un_votes.csv.gz"
ROLL_CALLS_FILE = "un_roll_calls.csv.gz"
ISSUES_FILE = "un_roll_call_issues.csv.gz"
_LABELS = {"yes": Vote.YES, "abstain": Vote.ABSTAIN, "no": Vote.NO}


def read(folder: Path) -> SourceTables:
    """Read the three unvotes tables in ``folder``."""
    folder = Path(folder)
    rc = _table(folder, ROLL_CALLS_FILE, ["rcid", "session", "date", "unres", "amend", "para"])
    raw = _table(folder, VOTES_FILE, ["rcid", "country", "country_code", "vote"])
    issues = _table(folder, ISSUES_FILE, ["rcid", "short_name"])
    rejected: list[Rejection] = []

    rc_dates = pd.to_datetime(rc["date"], format="%Y-%m-%d", errors="coerce")
    for i in np.flatnonzero(rc_dates.isna().to_numpy()):
        rejected.append(
            Rejection(ROLL_CALLS_FILE, f"line {i + 2}", "date", repr(rc["date"].iat[i]))
        )
    rc = rc[rc_dates.notna()].assign(date=rc_dates[rc_dates.notna()])
    dup = rc["rcid"].duplicated(keep="first")
    for i in np.flatnonzero(dup.to_numpy()):
        rejected.append(
            Rejection(ROLL_CALLS_FILE, f"rcid {rc['rcid'].iat[i]}", "rcid", "duplicate")
        )
    rc = rc[~dup]

    day = raw["rcid"].map(rc.set_index("rcid")["date"])
    no_rc = day.isna()
    for rcid, group in raw[no_rc].groupby("rcid"):
        rejected.append(
            Rejection(VOTES_FILE, f"line {group.index[0] + 2}", "rcid", f"{rcid}: no roll call")
        )
    vote = raw["vote"].map(lambda v: _LABELS.get(v, 0)).astype("int16")
    for i in np.flatnonzero((vote == 0).to_numpy())[:1000]:
        rejected.append(Rejection(VOTES_FILE, f"line {i + 2}", "vote", repr(raw["vote"].iat[i])))
    # The ISO2 code is empty for three historic seats (Yemen Arab Republic, Zanzibar,
    # Federal Republic of Germany): their names decide.
    by_code = states.resolve_iso2(raw["country_code"].where(raw["country_code"] != ""), day)
    by_name = states.resolve_names(raw["country"], day)
    iso3 = by_code.fillna(by_name)
    unknown = iso3.isna() & ~no_rc
    for (name, code), group in raw[unknown].groupby(["country", "country_code"]):
        rejected.append(
            Rejection(
                VOTES_FILE, f"line {group.index[0] + 2}", "country", f"unknown {name!r} ({code!r})"
            )
        )
    keep = ~no_rc & (vote != 0) & iso3.notna()
    votes = pd.DataFrame({"source_id": raw["rcid"][keep], "state": iso3[keep], "vote": vote[keep]})
    dup_votes = votes.duplicated(["source_id", "state"])
    for i in np.flatnonzero(dup_votes.to_numpy())[:1000]:
        row = votes.iloc[i]
        rejected.append(
            Rejection(VOTES_FILE, f"rcid {row.source_id}", "country", f"{row.state} listed twice")
        )
    votes = votes[~dup_votes]

    codes = issues.groupby("rcid")["short_name"].agg(lambda s: ",".join(sorted(set(s))))
    session = pd.to_numeric(rc["session"], errors="coerce").astype("Int64")
    roll_calls = pd.DataFrame(
        {
            "source": SOURCE,
            "source_id": rc["rcid"].to_numpy(),
            "session": session.to_numpy(),
            "date": rc["date"].to_numpy(),
            "symbol": [
                normalise(u, s) for u, s in zip(rc["unres"], session.fillna(0), strict=True)
            ],
            "raw_symbol": rc["unres"].to_numpy(),
            "title": _title(rc),
            "kind": np.where(
                rc["amend"] == "1",
                "amendment",
                np.where(rc["para"] == "1", "paragraph", "resolution"),
            ),
            "issues": rc["rcid"].map(codes).astype(object).fillna("").to_numpy(),
            "important": rc["importantvote"]
            .map({"1": True, "0": False})
            .astype("boolean")
            .to_numpy()
            if "importantvote" in rc
            else pd.array([pd.NA] * len(rc), dtype="boolean"),
            "yes": pd.array([pd.NA] * len(rc), dtype="Int64"),
            "no": pd.array([pd.NA] * len(rc), dtype="Int64"),
            "abstain": pd.array([pd.NA] * len(rc), dtype="Int64"),
            "record": [f"rcid {r}" for r in rc["rcid"]],
        }
    )
    return SourceTables(
        SOURCE,
        roll_calls,
        votes,
        rejected,
        lists_absentees=False,
        files=[folder / VOTES_FILE, folder / ROLL_CALLS_FILE, folder / ISSUES_FILE],
    )


def _table(folder: Path, csv_name: str, required: list[str]) -> pd.DataFrame:
    """The CSV export when present, else the package's original ``.rda`` (what
    ``allegiance fetch`` downloads), read as strings like the CSV."""
    csv_path = folder / csv_name
    rda_path = folder / csv_name.replace(".csv.gz", ".rda")
    if csv_path.exists() or not rda_path.exists():
        return read_csv(csv_path, required)
    import pyreadr

    try:
        objects = pyreadr.read_r(str(rda_path))
    except Exception as exc:  # pyreadr has its own error types for each kind of damage
        raise SourceError(f"{rda_path}: not a readable R data file ({exc})") from exc
    frame = next(iter(objects.values())).reset_index(drop=True)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(f"{rda_path}: missing column(s) {missing}")
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(values):
            text = values.map(lambda v: "" if pd.isna(v) else f"{v:g}")
        else:
            text = values.astype("string")
        # R's NA becomes "", as in the CSV export; Namibia's "NA" is a real string here.
        out[col] = text.fillna("").astype(str)
    return out


def _title(rc: pd.DataFrame) -> np.ndarray:
    short = rc.get("short", pd.Series("", index=rc.index)).str.strip()
    descr = rc.get("descr", pd.Series("", index=rc.index)).str.strip()
    return np.where(descr.str.len() > 0, short + " — " + descr, short)
