"""IEA Gas Trade Flows (September 2022 edition): monthly gas flows at European border points.

One row per border point (or LNG terminal) and month, Oct 2008 - Sep 2022, in million
cubic metres. The flows are **physical** (basis ``physical``): gas entering Slovakia from
Ukraine is mostly Russian gas in transit, and gas entering Ukraine from Russia was mostly
bound for the EU. They tell where gas crossed a border, not where it was produced, so they
are kept for checks and for pipelines that run straight from the producer (Nord Stream,
Blue Stream and TurkStream, Imatra) rather than for shares by origin.

An LNG terminal's exit side is "Liquefied Natural Gas" (kind ``lng_terminal``: the origin
of the cargo is not given); "Not Elsewhere Specified" is kind ``unknown``. A handful of
months carry a small negative flow (a reverse-flow correction, at most -1.3 mcm); they are
rejected rather than stored as a flow from the entry to the exit country.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources._rows import RowChecks, load_parquet
from allegiance.sources.base import ChannelTable
from allegiance.sources.energy_common import frame, resolve_sides

SOURCE = "iea_gas_trade_flows"

GROUPS = {"Liquefied Natural Gas": "lng_terminal", "Not Elsewhere Specified": "unknown"}
_REQUIRED = ["borderpoint", "exit_country", "entry_country", "month", "flow_mcm"]
# The largest border point (Velke Kapusany, Ukraine to Slovakia) carried about 9 bcm a
# month at its peak; 50 bcm a month is far beyond any pipeline.
_MAX_MCM = 50_000.0


def read(path: str | Path) -> ChannelTable:
    """Read the IEA Gas Trade Flows long file.

    Returns
    -------
    ChannelTable
        ``frame`` with ``ENERGY_COLUMNS``: fuel ``gas_pipeline`` (``lng`` for LNG
        terminals), ``bcm`` = ``flow_mcm`` / 1000, ``route`` = the border point, series
        ``border_points``. ``maxflow_mm3_per_h`` (a capacity, not a flow) is not kept.
        Rejected: months that are not dates, flows that are not numbers or lie outside
        [0, 50,000] mcm, unknown countries, repeated border point-months.
    """
    path = Path(path)
    raw = load_parquet(path, _REQUIRED)
    check = RowChecks(path, raw)
    day = check.month("month")
    flow = check.number("flow_mcm", 0.0, _MAX_MCM, "mcm")
    sides = {}
    for col in ("exit_country", "entry_country"):
        label = raw[col].astype("string").str.strip()
        code, kind = resolve_sides(label, day, GROUPS)
        check.reject(kind.isna(), col, "neither a state nor a known IEA label: {v!r}")
        sides[col] = (label, code, kind)
    route = raw["borderpoint"].astype("string").str.strip()
    check.reject(route.isna() | route.eq(""), "borderpoint", "no border point: {v!r}")
    check.duplicates(
        pd.DataFrame({"b": route, "x": sides["exit_country"][0], "e": sides["entry_country"][0],
                      "m": day}),
        "borderpoint",
        "border point, exit, entry and month",
    )  # fmt: skip
    ok = check.ok
    lng = sides["exit_country"][2].eq("lng_terminal") | sides["entry_country"][2].eq("lng_terminal")
    out = frame(
        {
            "exporter": sides["exit_country"][1][ok],
            "exporter_name": sides["exit_country"][0][ok],
            "exporter_kind": sides["exit_country"][2][ok],
            "importer": sides["entry_country"][1][ok],
            "importer_name": sides["entry_country"][0][ok],
            "importer_kind": sides["entry_country"][2][ok],
            "year": day.dt.year[ok],
            "month": day.dt.month[ok],
            "fuel": pd.Series("gas_pipeline", index=raw.index).mask(lng, "lng")[ok],
            "bcm": (flow / 1_000.0)[ok],
            "basis": "physical",
            "route": route[ok],
            "series": "border_points",
            "source": SOURCE,
        },
        int(ok.sum()),
    )
    out = out.sort_values(["route", "year", "month"], ignore_index=True)
    return ChannelTable(out, check.rejected, path)
