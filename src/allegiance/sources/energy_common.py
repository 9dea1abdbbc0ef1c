"""What the energy readers share: the canonical flow frame, its vocabulary, and row checks.

Every energy reader (``ei_energy``, ``iea_gas``, ``eurostat_energy``, ``crea``, ``mgimo``)
returns a :class:`~allegiance.sources.base.ChannelTable` whose frame has
:data:`ENERGY_COLUMNS`: one row per exporter, importer, period and fuel, with one column
per unit (``bcm``, ``mt``, ``tj``, ``eur``, ``usd``) so that a column never holds two units.

Sides of a flow are a state (ISO3, resolved by :func:`allegiance.states.resolve_names`
on the flow's date), the EU as a whole (``"EU"``), or a group the source names (a region,
a residual such as "Other CIS", a total, a territory, an unknown partner). Groups keep
their label in ``*_name`` and have ``<NA>`` as code; ``*_kind`` says which kind.
"""

from __future__ import annotations

import pandas as pd

from allegiance import states

#: Columns of every energy reader's frame (and of the store's ``energy_flows`` table).
ENERGY_COLUMNS = [
    "exporter",  # ISO3, "EU" for the EU as a whole, <NA> for a group (see exporter_kind)
    "exporter_name",  # the label as the source prints it
    "exporter_kind",  # one of KINDS
    "importer",
    "importer_name",
    "importer_kind",
    "year",  # Int64
    "month",  # Int64, <NA> for annual sources
    "fuel",  # one of FUELS
    "bcm",  # billion cubic metres of natural gas
    "mt",  # million tonnes
    "tj",  # terajoules (Eurostat: gross calorific value)
    "eur",  # euros (current)
    "usd",  # US dollars (current)
    "basis",  # one of BASES: how the source attributes the flow to its two sides
    "route",  # the border point or pipeline, where the source gives one
    "aggregate",  # True: a total or subtotal of other rows of the same series; never add it
    "part_of",  # fuel of the same source's rows that already include this row (Eurostat lng)
    "nowcast",  # True/False; <NA> where the source does not say (MGIMO)
    "series",  # which table of the source (a source can publish overlapping tables)
    "source",  # key of sources/registry.toml
]

#: Fuels. ``gas`` is all natural gas where a source does not split pipeline gas from LNG;
#: ``oil`` is crude and products together where a source does not split them.
FUELS = (
    "gas_pipeline", "lng", "gas", "crude", "oil_products", "oil", "oil_and_gas",
    "coal", "coke", "coal_gas", "tar", "non_energy",
)  # fmt: skip

#: Kinds of a flow's side.
KINDS = ("state", "eu", "region", "residual", "total", "territory", "lng_terminal", "unknown")

#: How a source attributes a flow to its two sides.
BASES = (
    "origin",  # EI matrices: producing exporter to consuming importer, as EI estimates it
    "exports_of",  # EI inter-regional table, exporter's view ("of which" partner)
    "imports_of",  # EI inter-regional table, importer's view
    "partner",  # the importer's customs partner (Eurostat; origin for crude, often the
    # country of consignment for gas)
    "physical",  # gas crossing a border point (IEA); transit included, not origin
    "partner_reported",  # the importing partners' customs data on Russia's exports
)

#: Places that appear in energy sources and are not states of the states table.
TERRITORIES = frozenset({
    "Aruba", "British Virgin Islands", "Curaçao", "Gibraltar", "Greenland",
    "Hong Kong SAR China", "China, Hong Kong SAR", "Isle of Man", "New Caledonia",
})  # fmt: skip


def resolve_sides(
    labels: pd.Series, dates: pd.Series, groups: dict[str, str]
) -> tuple[pd.Series, pd.Series]:
    """ISO3 code and kind of each label on its date.

    ``groups`` maps the source's group labels to a kind (``"region"``, ``"residual"``,
    ``"total"``, ``"eu"``, ...); ``"eu"`` labels get the code ``"EU"``. Other labels are
    looked up in the states table (:func:`allegiance.states.resolve_names`, by date) or
    in :data:`TERRITORIES`. A label that is none of these has kind ``<NA>``; the reader
    rejects it.
    """
    labels = pd.Series(labels, dtype="string")
    stripped = labels.str.strip()
    kind = stripped.map(groups).astype("string")
    territory = stripped.isin(TERRITORIES).fillna(False).astype(bool)
    kind = kind.mask(kind.isna() & territory, "territory")
    iso = states.resolve_names(stripped.where(kind.isna()), dates).astype("string")
    iso.index = labels.index
    kind = kind.mask(kind.isna() & iso.notna(), "state")
    # A missing label has no kind: comparisons with it must read as False, not as missing.
    is_state = kind.eq("state").fillna(False).astype(bool)
    is_eu = kind.eq("eu").fillna(False).astype(bool)
    code = iso.where(is_state).mask(is_eu, "EU")
    return code.astype("string"), kind


def mid_year(years: pd.Series) -> pd.Series:
    """1 July of each year: the day a yearly figure's names are read on."""
    return pd.to_datetime(years.astype("Int64").astype("string") + "-07-01", errors="coerce")


_NUMBERS = ("bcm", "mt", "tj", "eur", "usd")
_DEFAULTS = {"aggregate": False, "nowcast": False}


def frame(columns: dict, length: int) -> pd.DataFrame:
    """The canonical frame from ``columns`` (Series, taken by position, or scalars); the
    columns not given are missing (``aggregate`` and ``nowcast`` default to False)."""
    out = pd.DataFrame(index=range(length))
    for col in ENERGY_COLUMNS:
        value = columns.get(col, _DEFAULTS.get(col, pd.NA))
        out[col] = value.to_numpy() if isinstance(value, pd.Series) else value
    for col in _NUMBERS:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    for col in ("year", "month"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    for col in ("aggregate", "nowcast"):
        out[col] = out[col].astype("boolean")
    for col in ENERGY_COLUMNS:
        if col not in (*_NUMBERS, "year", "month", "aggregate", "nowcast"):
            out[col] = out[col].astype("string")
    return out
