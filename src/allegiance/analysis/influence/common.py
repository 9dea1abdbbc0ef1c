"""What every channel shares: the poles, who makes up a pole in a year, the frame shape."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from allegiance.analysis.poles import pole_members as _pole_members
from allegiance.analysis.poles import reference_day
from allegiance.poles import POLES as POLES  # re-exported by allegiance.analysis.influence

#: Columns every channel's ``score`` returns, in this order.
SCORE_COLUMNS = ["state", "pole", "year", "score", "coverage_note", "inputs", "sources"]


_MEMBERS: dict[tuple[str, int], frozenset[str]] = {}


def pole_members(pole: str, year: int, kb=None) -> frozenset[str]:
    """The states that make up ``pole`` on 1 July of ``year`` (see
    :func:`allegiance.analysis.poles.pole_members`); remembered for the package's
    knowledge base, which does not change while the process runs."""
    if kb is not None:
        return _pole_members(pole, int(year), kb)
    key = (pole, int(year))
    if key not in _MEMBERS:
        _MEMBERS[key] = _pole_members(pole, int(year), None)
    return _MEMBERS[key]


@lru_cache(maxsize=64)
def _un_members(years: tuple[int, ...]) -> pd.DataFrame:
    from allegiance import states

    m = states.membership()
    rows = []
    for y in years:
        day = pd.Timestamp(reference_day(y))
        on = (m["admitted"] <= day) & (m["left"].isna() | (day <= m["left"]))
        rows.append(pd.DataFrame({"state": m.loc[on, "iso3"].to_numpy(), "year": int(y)}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["state", "year"])


def un_members(years) -> pd.DataFrame:
    """UN members on the reference day of each year: columns ``state, year``."""
    return _un_members(tuple(int(y) for y in years)).copy()


def grid(states, poles, years) -> pd.DataFrame:
    """Every (state, pole, year) asked for, without a pole scored against itself.

    ``states=None`` means the UN members of each year.
    """
    years = [int(y) for y in years]
    if states is None:
        sy = un_members(years)
    else:
        sy = pd.DataFrame(
            [(s.upper(), y) for s in states for y in years], columns=["state", "year"]
        )
    out = sy.merge(pd.DataFrame({"pole": [p.upper() for p in poles]}), how="cross")
    own = (out["pole"] != "EU") & (
        (out["state"] == out["pole"])
        | ((out["pole"] == "RUS") & (out["year"] < 1992) & (out["state"] == "SUN"))
    )
    return out[~own][["state", "pole", "year"]].reset_index(drop=True)


def noisy_or(weights: pd.Series, by: list[pd.Series]) -> pd.Series:
    """``1 - prod(1 - w)`` per group: independent ties, each adding to what is left."""
    w = weights.astype(float).clip(0, 1)
    with np.errstate(divide="ignore"):
        logs = np.log1p(-w)
    return 1 - np.exp(logs.groupby(by).sum())


def empty_scores() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype=float if c == "score" else object) for c in SCORE_COLUMNS}
    )


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort and type a channel's frame the same way every time (results are reproducible)."""
    if frame.empty:
        return empty_scores()
    extra = [c for c in frame.columns if c not in SCORE_COLUMNS]
    frame = frame[SCORE_COLUMNS + extra].copy()
    frame["year"] = frame["year"].astype(int)
    frame["score"] = frame["score"].astype(float)
    return frame.sort_values(["state", "pole", "year"], kind="stable").reset_index(drop=True)


def fmt_usd(value: float) -> str:
    if pd.isna(value):
        return "n/a"
    for unit, size in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if abs(value) >= size:
            return f"${value / size:,.2f}{unit}"
    return f"${value:,.0f}"
