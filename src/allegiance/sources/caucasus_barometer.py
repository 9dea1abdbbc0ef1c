"""Caucasus Barometer (CRRC): weighted answer shares on foreign-policy questions.

The raw file is long: one row per survey year, country, variable and answer code, with
``weighted_share`` = the weighted share of all non-missing answers in that country-year
**including** the non-substantive codes -1 "Don't know", -2 "Refuse to answer",
-3 "Interviewer error" (and -9 where used). :func:`read` keeps the file as it is and adds
``state`` (ISO3 of the surveyed country).

:func:`main_friend` answers "Which country is the biggest friend of [country]?"
(``FRNDCNTR``, 2011). It drops the non-substantive codes and renormalises the remaining
shares to sum to one per country-year, as the file's documentation suggests: the share
is then "among respondents who named an answer". This raises every share (Armenia's
Russia share goes from 81% of all answers to about 84%); where the published figure is
wanted, use ``weighted_share`` from :func:`read` instead. Where "Don't know" is large
(Georgia 2011: 25%) the two readings differ a lot, so report which one is used.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._io import read_csv
from allegiance.sources.base import ChannelTable
from allegiance.sources.validate import RowChecks

#: Non-substantive answer codes (don't know, refuse, interviewer error, missing).
NONRESPONSE_CODES = (-1, -2, -3, -9)

#: Columns of ``BarometerShares.frame``: the raw columns with ``state`` first.
COLUMNS = [
    "state",  # ISO3 of the surveyed country
    "survey",
    "year",
    "source_file",
    "country",
    "variable",
    "variable_label",
    "code",
    "value_label",
    "weighted_share",  # share of all non-missing answers, non-substantive codes included
    "n_unweighted",
    "n_country_total",
]
#: Columns of :func:`main_friend`.
FRIEND_COLUMNS = [
    "state",
    "year",
    "friend",  # ISO3 where the answer is a state, else CRRC's label
    "friend_label",  # CRRC's value label
    "friend_kind",  # "state", "none" ("No one"), "aggregate", "non-state", "unresolved"
    "share",  # renormalised over substantive answers
    "rank",  # 1 = most named
]

_REQUIRED = ["year", "country", "variable", "code", "value_label", "weighted_share"]
# CB answer labels to "biggest friend/enemy" that are not a single state.
_NOT_STATES = {
    "No one": "none",
    "Europe": "aggregate",
    "All muslim countries": "aggregate",
    "Everyone": "aggregate",
    "Mountainous Karabakh": "non-state",
    "Abkhazia": "non-state",
    "Ossetia": "non-state",
}


#: Caucasus Barometer answer shares and the rows that could not be taken.
BarometerShares = ChannelTable


def read(path: str | Path) -> BarometerShares:
    """Read the long Caucasus Barometer shares file and add the surveyed state's ISO3.

    Returns
    -------
    BarometerShares
        ``frame`` with :data:`COLUMNS` (columns absent from the file are left out of the
        optional ones: ``survey``, ``source_file``, ``variable_label``,
        ``n_unweighted``, ``n_country_total``); rows whose country does not resolve are
        in ``rejected``.
    """
    path = Path(path)
    raw = read_csv(path, _REQUIRED, encoding="utf-8-sig")

    where = "line " + pd.Series(raw.index + 2, index=raw.index).astype(str)
    checks = RowChecks(path.name, where)
    country = raw["country"].astype("string").str.strip()
    names = pd.Series(country.dropna().unique(), dtype="string")
    iso = dict(zip(names, states.resolve_names(names), strict=True))
    state = country.map(iso).astype("string")
    checks.reject(
        state.isna(),
        "country",
        lambda rows: [f"not a known state: {v!r}" for v in raw.loc[rows, "country"]],
    )
    for col in ("year", "code"):
        raw[col] = checks.number(raw[col], col, integer=True, required=True)
    # A share is a fraction of the country's answers; counts of respondents are whole.
    raw["weighted_share"] = checks.number(
        raw["weighted_share"], "weighted_share", required=True, minimum=0, maximum=1
    )
    for col in ("n_unweighted", "n_country_total"):
        if col in raw.columns:
            raw[col] = checks.number(raw[col], col, integer=True, minimum=0)
    key = [c for c in ("survey", "year", "country", "variable", "code") if c in raw.columns]
    checks.repeated(raw[key], raw[["weighted_share"]], ", ".join(key))
    for col in ("survey", "source_file", "country", "variable", "variable_label", "value_label"):
        if col in raw.columns:
            raw[col] = raw[col].astype("string")
    raw.insert(0, "state", state)
    columns = [c for c in COLUMNS if c in raw.columns]
    kept = ~checks.bad
    return BarometerShares(
        raw[kept][columns].reset_index(drop=True),
        checks.rejected,
        path,
        records=where[kept].reset_index(drop=True),
    )


def main_friend(frame: pd.DataFrame) -> pd.DataFrame:
    """Answers to "biggest friend of [country]" (``FRNDCNTR``), renormalised.

    Non-substantive codes (:data:`NONRESPONSE_CODES`) are dropped and the remaining
    weighted shares rescaled to sum to one per state and year. See the module notes.

    Parameters
    ----------
    frame
        ``BarometerShares.frame``.

    Returns
    -------
    DataFrame
        :data:`FRIEND_COLUMNS`, sorted by state, year and rank.
    """
    rows = frame[frame["variable"].eq("FRNDCNTR") & ~frame["code"].isin(NONRESPONSE_CODES)]
    label = rows["value_label"].astype("string").str.strip()
    kind = label.map(_NOT_STATES).fillna("state").astype("string")
    wanted = pd.Series(label[kind.eq("state")].unique(), dtype="string")
    iso = dict(zip(wanted, states.resolve_names(wanted), strict=True))
    code = label.map(iso).astype("string").where(kind.eq("state"), pd.NA)
    kind = kind.mask(kind.eq("state") & code.isna(), "unresolved")
    total = rows.groupby(["state", "year"])["weighted_share"].transform("sum")
    out = pd.DataFrame(
        {
            "state": rows["state"],
            "year": rows["year"],
            "friend": code.fillna(label),
            "friend_label": label,
            "friend_kind": kind,
            "share": rows["weighted_share"] / total,
        }
    )
    out = out.sort_values(["state", "year", "share"], ascending=[True, True, False])
    out["rank"] = out.groupby(["state", "year"]).cumcount() + 1
    return out.reset_index(drop=True)[FRIEND_COLUMNS]
