"""Armstat (Statistical Committee of the Republic of Armenia): Armenia's trade by partner.

The raw file has one row per partner country and month, in thousand USD:
``country, year, month, export, import_origin, import_consignment[, date]``.
Imports are given twice: by country of origin and by country of consignment. The
canonical ``imports_kusd`` is by origin (the usual basis for partner shares); the
consignment figure is kept beside it.

Partner names are Armstat's English names, typos included ("Saoma", "Monako",
"Saint-Barth?lemy"), and change over time ("United States" to 2023, "USA" in 2024).
Entries that are not states are kept with ``partner`` <NA>: "Unknown country" (kind
"unknown"), "EU countries not specified" (kind "aggregate"), "Nagorno-Karabakh" /
"Nagorno Karabagh" (kind "non-state") and dependent territories such as Hong Kong,
Greenland or Western Sahara (kind "territory"). Any other name that does not resolve to
a state is rejected.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._io import read_csv
from allegiance.sources.base import ChannelTable
from allegiance.sources.validate import RowChecks

#: Columns of ``ArmstatTrade.frame``; one row per partner name and month.
COLUMNS = [
    "reporter",  # always "ARM"
    "partner",  # ISO3, or <NA> for entries that are not states
    "partner_name",  # Armstat's name as written
    "partner_kind",  # "state", "territory", "non-state", "aggregate", "unknown"
    "year",  # Int64
    "month",  # Int64, 1-12
    "exports_kusd",  # exports to partner, thousand USD
    "imports_kusd",  # imports by country of origin, thousand USD
    "imports_consignment_kusd",  # imports by country of consignment, thousand USD
]
#: Columns of :func:`annual`.
ANNUAL_COLUMNS = [
    "reporter",
    "partner",
    "partner_name",
    "partner_kind",
    "year",
    "months",  # number of months with a row
    "exports_kusd",
    "imports_kusd",
    "imports_consignment_kusd",
]

# Armstat partner names that are not states, as Armstat spells them. Territories are
# kept as partners of their own (Armstat reports them apart from the sovereign state).
_TERRITORIES = [
    "Aland Islands", "American Saoma", "Anguilla", "Antarctica", "Aruba", "Bermuda",
    "Bonaire, Sint Eustatius and Saba", "Bouvet Island", "British Indian Ocean Territory",
    "Cayman Islands", "Channel Islands", "Christmas Island", "Cocos (Keeling) Islands",
    "Cook Islands", "Curacao", "Faeroe Islands", "Folkland Islands (Malvinas)",
    "French Guiana", "French Polynesia", "French Southern Terrirories", "Gibraltar",
    "Greenland", "Guadeloupe", "Guam", "Guernsey", "Hong Kong", "Isle of Man", "Jersey",
    "Macao", "Martinique", "Montserrat", "Netherlands Antilles", "New Caledonia", "Niue",
    "Norfolk Island", "Northern Mariana Islands", "Pitcairn", "Puerto Rico", "Reunion",
    "Saint Helena", "Saint-Barth?lemy", "Saint-Martin (French part)",
    "Svalbard and Jan Mayen Islands", "Tokelau", "Turks and Caicos Islands",
    "United States Minor Outlying Islands", "United States Virgin Islands",
    "Virgin Islands, British", "Wallis and Futuna Islands", "Western Sahara",
]  # fmt: skip
_NOT_STATES = {
    "Unknown country": "unknown",
    "EU countries not specified": "aggregate",
    "Nagorno-Karabakh": "non-state",
    "Nagorno Karabagh": "non-state",
    **dict.fromkeys(_TERRITORIES, "territory"),
}
_REQUIRED = ["country", "year", "month", "export", "import_origin", "import_consignment"]
_VALUES = {
    "export": "exports_kusd",
    "import_origin": "imports_kusd",
    "import_consignment": "imports_consignment_kusd",
}


#: Armenia's monthly trade by partner and the rows that could not be taken.
ArmstatTrade = ChannelTable


def read(path: str | Path) -> ArmstatTrade:
    """Read Armstat's monthly trade-by-partner table (CSV, optionally gzipped).

    Returns
    -------
    ArmstatTrade
        ``frame`` with :data:`COLUMNS`, in thousand USD; missing values stay NaN.
        Rows whose partner name should be a state but does not resolve through
        :func:`allegiance.states.resolve_names`, or whose year or month is not valid,
        are in ``rejected`` (one per row).

    Examples
    --------
    >>> trade = read("armstat_armenia_trade_by_partner_monthly_2007_2024.csv.gz")  # doctest: +SKIP
    >>> by_year = annual(trade.frame)  # doctest: +SKIP
    """
    path = Path(path)
    raw = read_csv(path, _REQUIRED, encoding="utf-8-sig")

    where = "line " + pd.Series(raw.index + 2, index=raw.index).astype(str)
    checks = RowChecks(path.name, where)
    year = pd.to_numeric(raw["year"], errors="coerce").astype("Int64")
    month = pd.to_numeric(raw["month"], errors="coerce").astype("Int64")
    checks.reject(
        year.isna(), "year", lambda rows: [f"not a year: {v!r}" for v in raw.loc[rows, "year"]]
    )
    checks.reject(
        ~month.between(1, 12).fillna(False), "month", "not a month: " + raw["month"].map(repr)
    )

    name = raw["country"].astype("string").str.strip()
    kind = name.map(_NOT_STATES).fillna("state").astype("string")
    names = pd.Series(name[kind.eq("state")].dropna().unique(), dtype="string")
    iso = dict(zip(names, states.resolve_names(names), strict=True))
    partner = name.map(iso).astype("string").where(kind.eq("state"), pd.NA)
    checks.reject(
        kind.eq("state") & partner.isna(),
        "country",
        "not a known state: " + raw["country"].map(repr),
    )

    frame = pd.DataFrame(
        {
            "reporter": pd.Series("ARM", index=raw.index, dtype="string"),
            "partner": partner,
            "partner_name": name,
            "partner_kind": kind,
            "year": year,
            "month": month,
        }
    )
    # A blank value is missing (NaN); a word or a negative amount is a rejected row.
    for src, dst in _VALUES.items():
        frame[dst] = checks.number(raw[src], src, minimum=0)
    checks.repeated(raw[["country", "year", "month"]], frame[list(_VALUES.values())],
                    "country, year, month")  # fmt: skip
    frame = frame[~checks.bad].assign(_record=where[~checks.bad])
    frame = frame.sort_values(["year", "month", "partner_name"], ignore_index=True)
    records = frame.pop("_record")
    return ArmstatTrade(frame[COLUMNS], checks.rejected, path, records=records)


def annual(frame: pd.DataFrame) -> pd.DataFrame:
    """Sum the monthly frame by partner and year (:data:`ANNUAL_COLUMNS`).

    A partner name that Armstat changed within a year would give two rows; partners
    without a state code (``partner`` <NA>) stay separate by name. A sum is NaN only
    when every month is missing.
    """
    keys = ["reporter", "partner", "partner_name", "partner_kind", "year"]
    values = list(_VALUES.values())
    grouped = frame.groupby(keys, dropna=False, sort=True)
    out = grouped[values].sum(min_count=1)
    out.insert(0, "months", grouped.size())
    return out.reset_index()[ANNUAL_COLUMNS]
