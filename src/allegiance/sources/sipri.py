"""SIPRI Arms Transfers Database: the trade register and TIV totals by supplier, recipient, year.

Values are SIPRI trend-indicator values (TIV) in millions. TIV measures the volume of
military capability transferred, priced on a fixed scale; it is **not** US dollars and
must not be compared with trade values. Columns are named ``tiv_millions`` for that
reason (the staged aggregate file calls its column ``tiv_delivered_musd``; the values
are TIV all the same).

SIPRI names actors its own way ("Turkiye", "UAE", "DR Congo", "Bosnia-Herzegovina").
A trailing ``*`` marks a non-state actor ("PKK (Turkiye)*"), ``**`` an international
organization ("NATO**"); "unknown supplier(s)" / "unknown recipient(s)" are unknown.
These are kept with ISO3 <NA> and an ``*_kind`` column; their name is given without the
asterisks.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._io import open_text, read_csv
from allegiance.sources.base import ChannelTable, SourceError
from allegiance.sources.validate import RowChecks

_ACTORS = [
    "supplier",  # ISO3, <NA> for non-states, organizations and unknowns
    "recipient",
    "supplier_name",  # SIPRI's name without the * / ** marks
    "recipient_name",
    "supplier_kind",  # "state", "non-state", "organization", "territory", "unknown"
    "recipient_kind",
]
#: Columns of ``ArmsTransfers.frame`` from :func:`read_tiv`; one row per dyad-year.
TIV_COLUMNS = [
    *_ACTORS,
    "year",  # delivery year, Int64
    "tiv_millions",  # TIV of deliveries, millions of TIV (not USD)
    "n_deal_rows",  # register rows summed
    "n_units_delivered",  # units delivered
]
#: Columns of ``ArmsTransfers.frame`` from :func:`read_register`; one row per deal-year.
REGISTER_COLUMNS = [
    "deal_id",  # SIPRI AT Database ID
    *_ACTORS,
    "year",  # delivery year, Int64
    "tiv_millions",  # TIV of this year's deliveries (SIPRI's "TIV delivery values")
    "n_delivered",  # units delivered this year
    "designation",
    "description",
    "category",  # armament category
    "order_year",
    "status",  # "New", "Second hand", ...
    "local_production",  # "Yes"/"No"
    "year_is_estimate",  # boolean: delivery year is a SIPRI estimate
    "n_delivered_is_estimate",  # boolean
]

_REGISTER = {
    "SIPRI AT Database ID": "deal_id",
    "Supplier": "supplier",
    "Recipient": "recipient",
    "Delivery year": "year",
    "TIV delivery values": "tiv_millions",
    "Numbers delivered": "n_delivered",
    "Designation": "designation",
    "Description": "description",
    "Armament category": "category",
    "Order date": "order_year",
    "Status": "status",
    "Local production": "local_production",
    "Delivery year is estimate": "year_is_estimate",
    "Numbers delivered is estimate": "n_delivered_is_estimate",
}
_TIV = {
    "supplier": "supplier",
    "recipient": "recipient",
    "year": "year",
    "tiv_delivered_musd": "tiv_millions",
    "n_deal_rows": "n_deal_rows",
    "n_units_delivered": "n_units_delivered",
}
_HEADER_START = "SIPRI AT Database ID"
_UNMARKED_NOT_STATES = {
    "Northern Cyprus": "non-state",
    "Western Sahara": "non-state",
    "Aruba": "territory",
}


#: SIPRI transfers and the rows that could not be taken.
ArmsTransfers = ChannelTable


def read_register(path: str | Path) -> ArmsTransfers:
    """Read the SIPRI trade register export (deliveries, one row per deal and year).

    The notes SIPRI prints above the column header, if still present, are skipped.

    Returns
    -------
    ArmsTransfers
        ``frame`` with :data:`REGISTER_COLUMNS`; rows whose supplier or recipient
        looks like a state but does not resolve, or whose delivery year is missing,
        are in ``rejected``.
    """
    path = Path(path)
    raw = _load(path, header=_header_line(path))
    raw = _check_and_rename(raw, _REGISTER, path)
    frame, checks = _actors(raw, path, "Supplier", "Recipient")
    frame["year"] = checks.number(
        raw["year"], "Delivery year", integer=True, required=True, minimum=1900, maximum=2100
    )
    frame["tiv_millions"] = checks.number(raw["tiv_millions"], "TIV delivery values", minimum=0)
    frame["deal_id"] = checks.number(
        raw["deal_id"], "SIPRI AT Database ID", integer=True, required=True, minimum=0
    )
    frame["n_delivered"] = checks.number(
        raw["n_delivered"], "Numbers delivered", integer=True, minimum=0
    )
    frame["order_year"] = checks.number(raw["order_year"], "Order date", integer=True)
    for col in ("designation", "description", "category", "status", "local_production"):
        frame[col] = raw[col].astype("string")
    for col in ("year_is_estimate", "n_delivered_is_estimate"):
        frame[col] = raw[col].map({"Yes": True, "No": False}).astype("boolean")
    return _finish(frame, checks, path, REGISTER_COLUMNS)


def read_tiv(path: str | Path) -> ArmsTransfers:
    """Read the TIV file aggregated by supplier, recipient and delivery year.

    Returns
    -------
    ArmsTransfers
        ``frame`` with :data:`TIV_COLUMNS`.
    """
    path = Path(path)
    raw = _check_and_rename(_load(path, header=0), _TIV, path)
    frame, checks = _actors(raw, path, "supplier", "recipient")
    frame["year"] = checks.number(
        raw["year"], "year", integer=True, required=True, minimum=1900, maximum=2100
    )
    # The schema promises a TIV on every row (docs/schema_channels.md): a blank, a word
    # or a negative number is a rejected row, never a NaN or a negative total.
    frame["tiv_millions"] = checks.number(
        raw["tiv_millions"], "tiv_delivered_musd", required=True, minimum=0
    )
    frame["n_deal_rows"] = checks.number(raw["n_deal_rows"], "n_deal_rows", integer=True, minimum=0)
    frame["n_units_delivered"] = checks.number(
        raw["n_units_delivered"], "n_units_delivered", integer=True, minimum=0
    )
    checks.repeated(
        raw[["supplier", "recipient", "year"]],
        frame[["tiv_millions", "n_deal_rows", "n_units_delivered"]],
        "supplier, recipient, year",
    )
    return _finish(frame, checks, path, TIV_COLUMNS)


def actor_kind(names: pd.Series) -> pd.Series:
    """SIPRI's actor kind from the name's marks: ``*`` non-state, ``**`` organization.

    Three unmarked SIPRI actors are not states either: "Northern Cyprus" and "Western
    Sahara" (SIPRI's name for the Polisario/SADR) are "non-state", "Aruba" a "territory".
    """
    names = names.astype("string").str.strip()
    kind = names.map(_UNMARKED_NOT_STATES).fillna("state").astype("string")
    # "unknown rebel group*" is a non-state actor; the marks decide before the word.
    kind = kind.mask(names.str.lower().str.startswith("unknown"), "unknown")
    kind = kind.mask(names.str.endswith("*"), "non-state")
    return kind.mask(names.str.endswith("**"), "organization")


def _header_line(path: Path) -> int:
    try:
        with open_text(path) as handle:
            for number, line in enumerate(handle):
                if line.lstrip("\ufeff").startswith(_HEADER_START):
                    return number
                if number > 50:
                    break
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path.name}: cannot be read ({exc})") from exc
    raise SourceError(f"{path.name}: no header line starting with {_HEADER_START!r}")


def _load(path: Path, header: int) -> pd.DataFrame:
    raw = read_csv(path, [], skiprows=header, encoding="utf-8-sig", index_col=False)
    raw.attrs["first_line"] = header + 2
    return raw


def _check_and_rename(raw: pd.DataFrame, columns: dict[str, str], path: Path) -> pd.DataFrame:
    # The original export ends each line with ";", which can leave it on the last header.
    raw = raw.rename(columns=lambda c: c.strip().rstrip(";").strip())
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise SourceError(f"{path.name}: missing column(s) {', '.join(missing)}")
    first_line = raw.attrs.get("first_line", 2)
    raw = raw[list(columns)].rename(columns=columns)
    raw.attrs["first_line"] = first_line
    return raw.apply(lambda s: s.str.strip().str.rstrip(";"))


def _actors(
    raw: pd.DataFrame, path: Path, supplier_field: str, recipient_field: str
) -> tuple[pd.DataFrame, RowChecks]:
    where = "line " + pd.Series(raw.index + raw.attrs["first_line"], index=raw.index).astype(str)
    frame = pd.DataFrame(index=raw.index)
    checks = RowChecks(path.name, where)
    for role, source_field in (("supplier", supplier_field), ("recipient", recipient_field)):
        kind = actor_kind(raw[role])
        name = raw[role].str.rstrip("*").str.strip().astype("string")
        wanted = pd.Series(name[kind.eq("state")].dropna().unique(), dtype="string")
        iso = dict(zip(wanted, states.resolve_names(wanted), strict=True))
        code = name.map(iso).astype("string").where(kind.eq("state"), pd.NA)
        bad = kind.eq("state") & code.isna()
        checks.reject(
            bad,
            source_field,
            lambda rows, r=role: [f"not a known state: {v!r}" for v in raw.loc[rows, r]],
        )
        frame[role] = code
        frame[f"{role}_name"] = name
        frame[f"{role}_kind"] = kind
    return frame, checks


def _finish(
    frame: pd.DataFrame, checks: RowChecks, path: Path, columns: list[str]
) -> ArmsTransfers:
    out = frame[~checks.bad][columns].assign(_record=checks.where[~checks.bad])
    out = out.sort_values(["year", "supplier_name", "recipient_name"], ignore_index=True)
    records = out.pop("_record")
    return ArmsTransfers(out, checks.rejected, path, records=records)
