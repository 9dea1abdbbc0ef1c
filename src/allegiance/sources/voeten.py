"""Reader for Erik Voeten's dataverse roll calls (``UNVotesPublished.RData``).

Format: an R data file holding one data frame ``x`` (country x roll call, vote codes
1 yes, 2 abstain, 3 no, 8 absent, 9 not a member; COW country codes) and the Excel
sheet ``descriptions1-70latestversion.xls`` (one row per roll call: tallies, amendment
and paragraph flags, descriptions, issue dummies).

Cite: Voeten, E. "Data and Analyses of Voting in the UN General Assembly", in
Routledge Handbook of International Organization, ed. B. Reinalda (2013);
Harvard Dataverse hdl:1902.1/12379.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from allegiance import states
from allegiance.sources.base import Rejection, SourceError, SourceTables
from allegiance.sources.symbols import normalise
from allegiance.vote import Vote

SOURCE = "voeten"
VOTES_FILE = "UNVotesPublished.RData"
DESCRIPTIONS_FILE = "descriptions1-70latestversion.xls"
ISSUES = ("me", "nu", "di", "hr", "co", "ec")
_VOTE_COLUMNS = ("rcid", "session", "vote", "ccode", "date")
_DESCRIPTION_COLUMNS = ("rcid", "session", "yes", "no", "abstain", "unres", "amend", "para")


def read(folder: Path) -> SourceTables:
    """Read the dataverse release in ``folder`` into the canonical tables."""
    folder = Path(folder)
    votes_path = folder / VOTES_FILE
    desc_path = folder / DESCRIPTIONS_FILE
    raw = _read_rdata(votes_path)
    desc = _read_descriptions(desc_path)
    rejected: list[Rejection] = []

    dates = pd.to_datetime(raw["date"], format="%m/%d/%Y", errors="coerce")
    dates = dates.fillna(
        raw["rcid"].map(pd.to_datetime(desc.set_index("rcid")["date"], errors="coerce"))
    )
    bad_date = dates.isna()
    for i in np.flatnonzero(bad_date.to_numpy())[:1000]:
        rejected.append(Rejection(VOTES_FILE, f"row {i + 1}", "date", f"{raw['date'].iat[i]!r}"))
    codes = raw["vote"].astype("int16")
    bad_vote = ~codes.isin([int(v) for v in Vote])
    for i in np.flatnonzero(bad_vote.to_numpy())[:1000]:
        rejected.append(
            Rejection(VOTES_FILE, f"row {i + 1}", "vote", f"unknown code {codes.iat[i]}")
        )

    keep = ~(bad_date | bad_vote)
    iso3 = states.resolve_cow(raw["ccode"], dates.where(keep))
    unknown = keep & iso3.isna()
    for (code, day), _ in raw[unknown].groupby(["ccode", dates[unknown].dt.date]):
        rejected.append(
            Rejection(VOTES_FILE, f"ccode {code} on {day}", "ccode", "unknown COW code on date")
        )
    keep &= iso3.notna()
    votes = pd.DataFrame(
        {"source_id": raw["rcid"][keep].astype(str), "state": iso3[keep], "vote": codes[keep]}
    )

    # The roll call's date comes from the descriptions sheet; the vote rows repeat it
    # (as m/d/Y text) and lack it for a few roll calls.
    first_date = dates.groupby(raw["rcid"]).min()
    sheet_date = pd.to_datetime(desc.set_index("rcid")["date"], errors="coerce")
    first_date = sheet_date.reindex(first_date.index).fillna(first_date)
    desc = desc.set_index("rcid")
    missing_desc = sorted(set(first_date.index) - set(desc.index))
    for rcid in missing_desc:
        rejected.append(Rejection(DESCRIPTIONS_FILE, f"rcid {rcid}", "rcid", "no description"))
    desc = desc.reindex(first_date.index)
    session = desc["session"].astype("Int64")
    kind = np.where(
        desc["amend"].eq(1), "amendment", np.where(desc["para"].eq(1), "paragraph", "resolution")
    )
    issues = [
        ",".join(code for code in ISSUES if row[code] == 1)
        for row in desc[list(ISSUES)].apply(pd.to_numeric, errors="coerce").to_dict("records")
    ]
    title = desc["short"].fillna("").astype(str).str.strip()
    descr = desc["descr"].fillna("").astype(str).str.strip()
    roll_calls = pd.DataFrame(
        {
            "source": SOURCE,
            "source_id": first_date.index.astype(str),
            "session": session.to_numpy(),
            "date": first_date.to_numpy(),
            "symbol": [
                normalise(u, s) for u, s in zip(desc["unres"], session.fillna(0), strict=True)
            ],
            "raw_symbol": desc["unres"].fillna("").astype(str).to_numpy(),
            "title": np.where(descr.str.len() > 0, title + " — " + descr, title),
            "kind": kind,
            "issues": issues,
            "important": desc["importantvote"]
            .map({1: True, 0: False})
            .astype("boolean")
            .to_numpy(),
            "yes": desc["yes"].astype("Int64").to_numpy(),
            "no": desc["no"].astype("Int64").to_numpy(),
            "abstain": desc["abstain"].astype("Int64").to_numpy(),
            "record": [f"rcid {r}" for r in first_date.index],
        }
    )
    return SourceTables(
        SOURCE, roll_calls, votes, rejected, lists_absentees=True, files=[votes_path, desc_path]
    )


def _read_rdata(path: Path) -> pd.DataFrame:
    import pyreadr

    if not path.exists():
        raise SourceError(f"{path}: file not found")
    try:
        objects = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own error types for every kind of damage
        raise SourceError(f"{path}: not a readable R data file ({exc})") from exc
    if "x" not in objects:
        raise SourceError(f"{path}: no object 'x' (found {list(objects)})")
    frame = objects["x"]
    missing = [c for c in _VOTE_COLUMNS if c not in frame.columns]
    if missing:
        raise SourceError(f"{path}: object 'x' lacks column(s) {missing}")
    return frame.reset_index(drop=True)


def _read_descriptions(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise SourceError(f"{path}: file not found")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.read_excel(path, engine="xlrd")
    except Exception as exc:
        raise SourceError(f"{path}: not a readable Excel 97 sheet ({exc})") from exc
    missing = [c for c in _DESCRIPTION_COLUMNS if c not in frame.columns]
    if missing:
        raise SourceError(f"{path}: lacks column(s) {missing}")
    for code in ISSUES:
        if code not in frame.columns:
            frame[code] = np.nan
    return frame
