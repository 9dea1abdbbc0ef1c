"""The small lookup tables the pipeline joins: CAMEO codes, country spells, PLOVER, poles.

Built here from :mod:`allegiance.sources.cameo` and :mod:`allegiance.states`, as pandas
frames that either engine takes as an in-memory table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources import cameo

#: The single-state poles and the states that make them up (Russia includes the USSR,
#: which the country spells give before 1991-12-24). The EU is a pole whose members change
#: by date; the influence channel sums its members per year (docs/events.md).
POLES = {"RUS": ("RUS", "SUN"), "USA": ("USA",), "CHN": ("CHN",), "TUR": ("TUR",)}


def _key(days: pd.Series) -> pd.Series:
    d = pd.to_datetime(days.astype(str))
    return (d.dt.year * 10000 + d.dt.month * 100 + d.dt.day).astype("int32")


def countries() -> pd.DataFrame:
    """``code, first_key, last_key, state``: country-code spells with YYYYMMDD bounds."""
    s = cameo.country_spells()
    return pd.DataFrame(
        {
            "code": s["code"].astype(str),
            "first_key": _key(s["first_day"]),
            "last_key": _key(s["last_day"]),
            "state": s["state"].astype(str),
        }
    )


def codes(folder: Path) -> pd.DataFrame:
    """``cameo_code, root_code, quad_class, goldstein, plover_type`` from the CAMEO tables."""
    c = cameo.read_event_codes(folder)
    return c[["cameo_code", "root_code", "quad_class", "goldstein", "plover_type"]].astype(
        {"quad_class": "int32", "plover_type": "object"}
    )


def plover() -> pd.DataFrame:
    return cameo.plover_types().astype({"quad_class": "int32"})


def poles(extra: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """``pole, member`` for :data:`POLES` (and any ``extra`` poles)."""
    table = {**POLES, **(extra or {})}
    return pd.DataFrame(
        [(pole, m) for pole, members in table.items() for m in members],
        columns=["pole", "member"],
    )
