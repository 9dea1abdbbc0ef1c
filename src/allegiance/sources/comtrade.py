"""UN Comtrade annual goods trade by reporter and partner ("All Commodities").

The raw file uses the Comtrade API's column names (``reporterISO``, ``partnerISO``,
``flowDesc``, ``primaryValue`` in USD, ...). It includes partner ``W00`` (World),
which is a total, not a partner: :func:`read` moves it to a separate ``world`` frame so
that sums over partners do not count trade twice.

Comtrade's own aggregate partner codes (``_X`` "Areas, nes", ``X1`` "Bunkers", ``X2``
"Free Zones", ``XX`` "Special Categories", and the regional "nes" codes such as ``E19``
"Other Europe, nes" or ``A79`` "LAIA, nes") are kept with ``partner`` <NA> and
``partner_kind`` "aggregate"; dependencies with their own ISO3 code (Hong Kong,
Greenland, Bermuda...) have ``partner`` <NA> and kind "territory". The code as Comtrade
gives it is always in ``partner_code`` / ``reporter_code``.

``S19`` (M49 490) "Other Asia, nes" is where Comtrade records Taiwan, as reporter and as
partner; trade-data users (e.g. CEPII's BACI) read it as Taiwan, and so does this reader
(``TWN``). The few other territories it may also hold are negligible next to Taiwan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._io import read_csv
from allegiance.sources.base import Rejection
from allegiance.sources.validate import RowChecks

#: Columns of ``ComtradeTrade.frame``; one row per reporter, partner, year and flow.
COLUMNS = [
    "reporter",  # ISO3 of the reporting state; <NA> when the reporter is a territory
    "reporter_code",  # Comtrade's reporterISO as given
    "reporter_name",  # Comtrade's reporterDesc
    "reporter_kind",  # "state" or "territory"
    "partner",  # ISO3 of the partner state; <NA> for territories and Comtrade aggregates
    "partner_code",  # Comtrade's partnerISO as given (e.g. "HKG", "S19")
    "partner_name",  # Comtrade's partnerDesc
    "partner_kind",  # "state", "territory" or "aggregate"
    "year",  # Int64
    "flow",  # "export", "import", "re-export", "re-import"; "mirror-import" from mirror_imports
    "value_usd",  # current USD (exports FOB, imports CIF)
]
#: Columns of ``ComtradeTrade.world``: the reporter's total with partner W00 (World).
WORLD_COLUMNS = ["reporter", "reporter_code", "reporter_name", "year", "flow", "value_usd"]

_REQUIRED = ["refYear", "reporterISO", "flowDesc", "partnerISO", "partnerDesc", "primaryValue"]
_WORLD = "W00"
# Comtrade's non-country partner codes: a letter and two digits (regional "nes" areas)
# or the special X/underscore codes.
_AGGREGATE = re.compile(r"^(?:[A-Z]\d\d|_X|X[0-9X])$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_COMTRADE_TO_ISO3 = {"S19": "TWN"}  # "Other Asia, nes" (490): Comtrade's Taiwan


@dataclass
class ComtradeTrade:
    """Comtrade flows by partner, the World totals, and the rows that could not be taken."""

    frame: pd.DataFrame
    world: pd.DataFrame
    rejected: list[Rejection] = field(default_factory=list)
    file: Path | None = None
    #: Where each row of ``frame`` was read (``"line 12"``), in the frame's order.
    records: pd.Series | None = None


def read(path: str | Path) -> ComtradeTrade:
    """Read a Comtrade API extract (CSV, optionally gzipped) of annual total trade.

    Parameters
    ----------
    path
        e.g. ``comtrade_exports_by_partner_2021.csv.gz``.

    Returns
    -------
    ComtradeTrade
        ``frame`` with :data:`COLUMNS` (partner World excluded), ``world`` with
        :data:`WORLD_COLUMNS`, and ``rejected``: rows that are not "All Commodities"
        totals, or whose reporter or partner code is neither an ISO3 code nor a Comtrade
        aggregate, or whose value is not a number.

    Examples
    --------
    >>> trade = read("comtrade_exports_by_partner_2021.csv.gz")  # doctest: +SKIP
    >>> kaz = mirror_imports(trade.frame, "KAZ")  # doctest: +SKIP
    """
    path = Path(path)
    raw = read_csv(path, _REQUIRED)
    where = "line " + pd.Series(raw.index + 2, index=raw.index).astype(str)
    checks = RowChecks(path.name, where)

    def reject(mask: pd.Series, column: str, reason: str) -> None:
        checks.reject(
            mask, column, lambda rows: [reason.format(v=v) for v in raw.loc[rows, column]]
        )

    if "cmdDesc" in raw.columns:
        reject(
            raw["cmdDesc"].ne("All Commodities"), "cmdDesc", "not an all-commodities total: {v!r}"
        )
    reporter_code = raw["reporterISO"].astype("string").str.strip()
    partner_code = raw["partnerISO"].astype("string").str.strip()
    reporter = reporter_code.replace(_COMTRADE_TO_ISO3)
    partner = partner_code.replace(_COMTRADE_TO_ISO3)
    reject(~reporter.str.fullmatch(_ISO3.pattern).fillna(False), "reporterISO", "not ISO3: {v!r}")
    is_aggregate = partner.str.fullmatch(_AGGREGATE.pattern).fillna(False)
    is_iso = partner.str.fullmatch(_ISO3.pattern).fillna(False)
    reject(~(is_aggregate | is_iso), "partnerISO", "neither ISO3 nor a Comtrade area: {v!r}")
    # An empty value stays missing (NaN); a word or a negative amount is a rejected row.
    value = checks.number(raw["primaryValue"], "primaryValue", minimum=0)
    year = checks.number(raw["refYear"], "refYear", integer=True, required=True, minimum=1900)
    flow_key = ["refYear", "reporterISO", "flowDesc", "partnerISO"]
    flow_key += ["cmdDesc"] if "cmdDesc" in raw.columns else []
    checks.repeated(raw[flow_key], value.to_frame(), ", ".join(flow_key))
    bad = checks.bad

    flow = raw["flowDesc"].astype("string").str.strip().str.lower().str.replace(" ", "-")
    known = set(states.states().index)
    reporter_kind = _kind(reporter, known, pd.Series(False, index=raw.index))
    partner_kind = _kind(partner, known, is_aggregate)
    names = raw["reporterDesc"] if "reporterDesc" in raw.columns else reporter
    tidy = pd.DataFrame(
        {
            "reporter": reporter.where(reporter_kind.eq("state"), pd.NA),
            "reporter_code": reporter_code,
            "reporter_name": names.astype("string"),
            "reporter_kind": reporter_kind,
            "partner": partner.where(partner_kind.eq("state"), pd.NA),
            "partner_code": partner_code,
            "partner_name": raw["partnerDesc"].astype("string"),
            "partner_kind": partner_kind,
            "year": year,
            "flow": flow,
            "value_usd": value,
        }
    )[~bad]
    world_rows = partner[~bad].eq(_WORLD)
    world = tidy[world_rows].reset_index(drop=True)[WORLD_COLUMNS]
    kept = tidy[~world_rows].assign(_record=where)
    kept = kept.sort_values(["reporter_code", "year", "flow", "partner_code"], ignore_index=True)
    records = kept.pop("_record")
    return ComtradeTrade(kept[COLUMNS], world, checks.rejected, path, records=records)


def _kind(codes: pd.Series, known: set[str], is_aggregate: pd.Series) -> pd.Series:
    """ "state" for codes in the states table, "aggregate" for Comtrade areas, else
    "territory" (Comtrade gives dependencies such as HKG, GRL or BMU their own ISO3)."""
    kind = codes.map(lambda c: "state" if c in known else "territory").astype("string")
    return kind.mask(is_aggregate, "aggregate")


def mirror_imports(frame: pd.DataFrame, state: str) -> pd.DataFrame:
    """A state's imports as its partners report them: their exports to ``state``.

    Use this for states that do not report to Comtrade (Kazakhstan in the 2021
    extract). Mirror values are the exporters' FOB figures, so they run below the
    importer's own CIF imports, and partners that do not report are absent.

    Parameters
    ----------
    frame
        ``ComtradeTrade.frame``.
    state
        ISO3 of the importing state.

    Returns
    -------
    DataFrame
        :data:`COLUMNS` with the importer ``state`` in the ``reporter*`` columns, the
        exporting Comtrade reporter in the ``partner*`` columns and ``flow`` =
        "mirror-import"; one row per exporter and year.
    """
    rows = frame[frame["partner"].eq(state) & frame["flow"].eq("export")]
    importer = rows[["partner", "partner_code", "partner_name", "partner_kind"]]
    exporter = rows[["reporter", "reporter_code", "reporter_name", "reporter_kind"]]
    out = pd.concat(
        [
            importer.set_axis(
                ["reporter", "reporter_code", "reporter_name", "reporter_kind"], axis=1
            ),
            exporter.set_axis(["partner", "partner_code", "partner_name", "partner_kind"], axis=1),
            rows[["year", "value_usd"]],
        ],
        axis=1,
    )
    out["flow"] = pd.Series("mirror-import", index=rows.index, dtype="string")
    return out.sort_values(["year", "partner_code"]).reset_index(drop=True)[COLUMNS]
