"""Correlates of War Dyadic Trade v4.0: non-directed dyad-years turned into directed flows.

The raw file has one row per non-directed dyad-year with ``ccode1 < ccode2``:

- ``flow1``: imports of ``ccode1`` from ``ccode2``, current million USD;
- ``flow2``: imports of ``ccode2`` from ``ccode1``, current million USD.

:func:`read` returns each dyad-year twice, once from each side, so that a state's
trade with every partner is one filter away. COW builds flows mainly from importer
reports, so ``exports_musd`` of a reporter is the partner's recorded imports from it
(CIF), not the reporter's own export statistics.

Codebook: Barbieri & Keshk (2016), Correlates of War Project Trade Data Set
Codebook, Version 4.0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._io import load_parquet, read_csv
from allegiance.sources.base import ChannelTable
from allegiance.sources.validate import RowChecks

#: Columns of ``TradeFlows.frame``; one row per directed state-partner-year.
COLUMNS = [
    "reporter",  # ISO3 of the state whose trade this row describes
    "partner",  # ISO3 of the other state
    "year",  # Int64
    "imports_musd",  # reporter's imports from partner, current million USD (NaN = missing)
    "exports_musd",  # reporter's exports to partner (= partner's recorded imports), same unit
]

_REQUIRED = ["ccode1", "ccode2", "year", "flow1", "flow2"]


#: Directed COW trade flows and the rows that could not be taken.
TradeFlows = ChannelTable


def read(path: str | Path) -> TradeFlows:
    """Read the COW Dyadic Trade v4 file (parquet, or the original CSV) into directed flows.

    Parameters
    ----------
    path
        ``cow_dyadic_trade_v4_1870_2014.parquet`` or COW's ``Dyadic_COW_4.0.csv``.

    Returns
    -------
    TradeFlows
        ``frame`` with :data:`COLUMNS`. Missing flows stay NaN (COW's ``-9`` in the CSV
        release is read as missing), never zero. COW code 365 is the USSR (``SUN``)
        before 1992 and Russia (``RUS``) from 1992; other codes are resolved by year
        through :func:`allegiance.states.resolve_cow` at 1 January of the year.
        Dyad-years whose codes do not resolve are returned in ``rejected``.

    Examples
    --------
    >>> flows = read("cow_dyadic_trade_v4_1870_2014.parquet")  # doctest: +SKIP
    >>> arm = flows.frame.query("reporter == 'ARM' and year == 2014")  # doctest: +SKIP
    """
    path = Path(path)
    raw = _load(path)
    is_csv = path.suffix != ".parquet"
    raw = raw[_REQUIRED].reset_index(drop=True)
    # CSV: the line in the file (header is line 1); parquet: the row, counting from 1.
    record = (raw.index + 2).astype(str) if is_csv else (raw.index + 1).astype(str)
    where = ("line " if is_csv else "row ") + pd.Series(record, index=raw.index)

    checks = RowChecks(path.name, where)
    ints = {
        col: checks.number(raw[col], col, integer=True, required=True)
        for col in ("ccode1", "ccode2", "year")
    }
    frame = pd.DataFrame(ints)
    for col in ("flow1", "flow2"):
        # COW codes a missing flow as -9 (read as missing); any other negative is an error.
        frame[col] = checks.number(raw[col], col, minimum=0, missing_codes=(-9,))

    ok = ~checks.bad
    iso = {}
    for col in ("ccode1", "ccode2"):
        iso[col] = _resolve(frame.loc[ok, col], frame.loc[ok, "year"]).reindex(frame.index)
        checks.reject(
            ok & iso[col].isna(),
            col,
            lambda rows, c=col: [
                f"COW code {code} in {year} is not a known state"
                for code, year in zip(frame.loc[rows, c], frame.loc[rows, "year"], strict=True)
            ],
        )
    # Two COW codes resolving to the same pair of states in one year would double-count.
    pair = pd.DataFrame({"a": iso["ccode1"], "b": iso["ccode2"], "year": frame["year"]})
    low = pair[["a", "b"]].min(axis=1)
    high = pair[["a", "b"]].max(axis=1)
    twice = pd.DataFrame({"low": low, "high": high, "year": pair["year"]})[~checks.bad]
    twice = twice.duplicated().reindex(frame.index, fill_value=False)
    checks.reject(
        twice,
        "ccode1",
        lambda rows: [
            f"same states ({a}, {b}) and year as an earlier row"
            for a, b in zip(pair.loc[rows, "a"], pair.loc[rows, "b"], strict=True)
        ],
    )
    keep = ~checks.bad
    one = pd.DataFrame(
        {
            "reporter": iso["ccode1"][keep],
            "partner": iso["ccode2"][keep],
            "year": frame.loc[keep, "year"],
            "imports_musd": frame.loc[keep, "flow1"],
            "exports_musd": frame.loc[keep, "flow2"],
            "_record": where[keep],
        }
    )
    two = one.rename(
        columns={
            "reporter": "partner",
            "partner": "reporter",
            "imports_musd": "exports_musd",
            "exports_musd": "imports_musd",
        }
    )
    out = pd.concat([one, two[[*COLUMNS, "_record"]]], ignore_index=True)
    out = out.sort_values(["reporter", "partner", "year"], ignore_index=True)
    records = out.pop("_record")
    return TradeFlows(out[COLUMNS], checks.rejected, path, records=records)


def _load(path: Path) -> pd.DataFrame:
    if path.suffix != ".parquet":
        return read_csv(path, _REQUIRED)
    return load_parquet(path, _REQUIRED)


def _resolve(codes: pd.Series, years: pd.Series) -> pd.Series:
    """ISO3 for each COW code in its year; unique pairs only, since the panel is long."""
    pairs = pd.DataFrame({"code": codes, "year": years}).drop_duplicates(ignore_index=True)
    # 1 January: in a year of unification (Yemen, 1990) the old codes still name the old
    # states, so two COW codes never fall on one ISO3 code in the same year.
    dates = pd.to_datetime(pairs["year"].astype(str) + "-01-01")
    # resolve_cow splits COW 365 into the USSR (SUN) and Russia (RUS) at 1991-12-24.
    pairs["iso3"] = states.resolve_cow(pairs["code"], dates).to_numpy()
    keyed = pd.MultiIndex.from_arrays([codes, years])
    lookup = pairs.set_index(["code", "year"])["iso3"]
    return pd.Series(lookup.reindex(keyed).to_numpy(), index=codes.index, dtype="string")
