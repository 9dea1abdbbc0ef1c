"""troopdata: US military personnel by host country and report date, 1950 onwards.

The staged file (``bases/us_troops_by_host_country_1950_2024.parquet``) is the long panel
of the R package troopdata (Allen, Flynn and Machain 2022): one row per host and report
(mostly quarterly from the Defense Manpower Data Center, annual from Kane 2006 before
that), with active-duty counts by service, reserve, Guard and civilian counts.

The host is resolved from its Correlates of War code on 1 July of the year (COW 365 is
the USSR before 1992), falling back on the ISO3 code the file gives where the COW code is
one the states table does not know (troopdata codes Tonga 972). Places that are not states
(Guam, Greenland, Diego Garcia, Abkhazia, ...) are rejected with their name, and so is a
second row for the same host and quarter with different counts (two COW codes of Serbia).
Counts are whole numbers of 0 or more; ``troops_all`` (active duty with Guard and
reserve) may be missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._io import load_parquet
from allegiance.sources.base import ChannelTable
from allegiance.sources.validate import RowChecks

#: Columns of the frame :func:`read` returns; one row per host and report.
COLUMNS = [
    "host",  # ISO3 of the host state
    "host_name",  # troopdata's country name
    "year",  # Int64
    "quarter",  # Int64, 1-4 (Kane's annual figures are dated June, quarter 2)
    "report",  # the DMDC report ("June 2022"), "Kane 2006", "Stepwise Imputation", or <NA>
    "troops_active_duty",  # US active-duty personnel, Int64
    "troops_all",  # with Guard and reserve, Float (missing where not reported)
]

_REQUIRED = ["ccode", "iso3c", "countryname", "year", "quarter", "source", "troops_ad",
             "troops_all"]  # fmt: skip


#: US troops by host and the rows that could not be taken.
Troops = ChannelTable


def read(path: str | Path) -> Troops:
    """Read the troopdata host-country panel.

    Returns
    -------
    Troops
        ``frame`` with :data:`COLUMNS`, sorted by host, year and quarter; rejected rows
        (a place that is not a state, a bad count, a repeated host-quarter with other
        counts) in ``rejected`` with their row number.
    """
    path = Path(path)
    raw = load_parquet(path, _REQUIRED)[_REQUIRED]
    where = "row " + pd.Series((raw.index + 1).astype(str), index=raw.index)
    # Reported rows first, so that of a host-quarter given twice the reported one is kept.
    first = raw["source"].isna().sort_values(kind="stable").index
    raw, where = raw.loc[first], where.loc[first]
    checks = RowChecks(path.name, where)
    year = checks.number(raw["year"], "year", integer=True, required=True, minimum=1900,
                         maximum=2100)  # fmt: skip
    quarter = checks.number(raw["quarter"], "quarter", integer=True, required=True, minimum=1,
                            maximum=4)  # fmt: skip
    ccode = checks.number(raw["ccode"], "ccode", integer=True, required=True, minimum=0)
    active = checks.number(raw["troops_ad"], "troops_ad", integer=True, required=True, minimum=0)
    total = checks.number(raw["troops_all"], "troops_all", minimum=0)

    ok = ~checks.bad
    day = pd.to_datetime(year[ok].astype(str) + "-07-01")
    host = pd.Series(pd.NA, index=raw.index, dtype="string")
    host[ok] = states.resolve_cow(ccode[ok], day).astype("string").to_numpy()
    known = set(states.states()["iso3"])
    iso = raw["iso3c"].astype("string")
    fallback = host.isna() & iso.isin(known)
    host[fallback] = iso[fallback]
    checks.reject(
        ok & host.isna(),
        "ccode",
        lambda rows: [f"not a state: {n!r} (COW code {c})"
                      for n, c in zip(raw.loc[rows, "countryname"], ccode[rows], strict=True)],
    )  # fmt: skip
    frame = pd.DataFrame(
        {
            "host": host,
            "host_name": raw["countryname"].astype("string"),
            "year": year,
            "quarter": quarter,
            "report": raw["source"].astype("string"),
            "troops_active_duty": active,
            "troops_all": total,
        }
    )
    checks.repeated(
        frame[["host", "year", "quarter"]], frame[["troops_active_duty"]], "host, year, quarter"
    )
    keep = ~checks.bad
    out = frame[keep].sort_values(["host", "year", "quarter"], kind="stable")
    return Troops(out[COLUMNS].reset_index(drop=True), checks.rejected, path,
                  records=where[out.index].reset_index(drop=True))  # fmt: skip
