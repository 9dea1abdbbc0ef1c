"""Pew Research Center Global Attitudes: favourable and unfavourable views of other countries.

One row per survey wave, surveyed country and target ("Please tell me if you have a very
favorable, somewhat favorable, somewhat unfavorable, or very unfavorable opinion of ..."),
with the weighted shares of every answer among all respondents asked, don't know and
refused included, as Pew publishes them. Targets are states (``USA``, ``CHN``, ``RUS``,
``IRN``, ``JPN``, ``DEU``, ``BRA``, ``FRA``, ``IND``, ``TWN``), the ``EU`` and the ``UN``.

The file codes Palestine both ``PSE`` and ``PLS`` (opinion/SOURCES.md); both are read as
``PSE``, the states table's code. A surveyed country must be in the states table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._rows import RowChecks, load_parquet
from allegiance.sources.base import ChannelTable

SOURCE = "pew"
SURVEY = "Pew Global Attitudes"

#: Answer shares, each a share of all respondents asked; they add up to 1.
ANSWERS = [
    "very_favorable", "somewhat_favorable", "somewhat_unfavorable", "very_unfavorable",
    "dont_know", "refused",
]  # fmt: skip
#: Columns of the frame (and of the store's ``opinion_pew`` table).
COLUMNS = [
    "state",  # ISO3 of the surveyed country
    "year",  # survey wave
    "target",  # ISO3, "EU" or "UN": whom the question is about
    "favorable",  # very + somewhat favourable
    "unfavorable",  # very + somewhat unfavourable
    *ANSWERS,
    "n_respondents",
    "sum_weights",
    "survey",
]
#: Codes the file uses for a state under another code than the states table's.
ALIASES = {"PLS": "PSE"}
#: Targets that are not states.
NON_STATE_TARGETS = ("EU", "UN")

_REQUIRED = ["year", "iso3", "target", "favorable", "unfavorable", *ANSWERS, "n_respondents"]
# Shares are rounded sums of weights; a country-year whose answers do not add up to 1
# within this margin is not what the file says it is.
_SUM_TOLERANCE = 0.01


def read(path: str | Path) -> ChannelTable:
    """Read the Pew country-views file.

    Returns
    -------
    ChannelTable
        ``frame`` with :data:`COLUMNS`. Rejected: years outside 2000-2100, surveyed
        countries or targets not in the states table (``PLS`` is read as ``PSE``), shares
        outside [0, 1], answers that do not add up to 1, favourable or unfavourable shares
        that are not the sum of their two answers, fewer than one respondent, and a second
        row for the same country, year and target.
    """
    path = Path(path)
    raw = load_parquet(path, _REQUIRED)
    check = RowChecks(path, raw)
    year = check.year("year", 2000, what="survey year")
    known = set(states.states().index)
    state = raw["iso3"].astype("string").str.strip().replace(ALIASES)
    check.reject(~state.isin(known), "iso3", "not a state of the states table: {v!r}")
    target = raw["target"].astype("string").str.strip().replace(ALIASES)
    check.reject(~(target.isin(known) | target.isin(NON_STATE_TARGETS)), "target",
                 "neither a state nor EU/UN: {v!r}")  # fmt: skip
    shares = {c: check.number(c, 0.0, 1.0, "share") for c in ["favorable", "unfavorable", *ANSWERS]}
    total = sum(shares[c] for c in ANSWERS)
    check.reject((total - 1).abs() > _SUM_TOLERANCE, "dont_know",
                 "answers add up to {v:.3f}, not 1", values=total)  # fmt: skip
    for side, parts in (("favorable", ("very_favorable", "somewhat_favorable")),
                        ("unfavorable", ("somewhat_unfavorable", "very_unfavorable"))):  # fmt: skip
        gap = shares[side] - shares[parts[0]] - shares[parts[1]]
        check.reject(gap.abs() > _SUM_TOLERANCE, side, f"not the sum of {' and '.join(parts)}: "
                     "{v!r}")  # fmt: skip
    n = pd.to_numeric(raw["n_respondents"], errors="coerce")
    check.reject(n.isna() | (n < 1), "n_respondents", "not a count of respondents: {v!r}")
    check.duplicates(pd.DataFrame({"s": state, "y": year, "t": target}), "iso3",
                     "surveyed country, year and target")  # fmt: skip
    ok = check.ok
    out = pd.DataFrame({"state": state, "year": year, "target": target})
    for col, values in shares.items():
        out[col] = values
    out["n_respondents"] = n.astype("Int64")
    sum_weights = raw["sum_weights"] if "sum_weights" in raw.columns else float("nan")
    out["sum_weights"] = pd.to_numeric(sum_weights, errors="coerce")
    out["survey"] = SURVEY
    out = out[ok][COLUMNS].sort_values(["state", "year", "target"], ignore_index=True)
    return ChannelTable(out, check.rejected, path)
