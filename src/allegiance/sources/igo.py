"""Readers for the organization data the knowledge base is cross-checked against: the
Correlates of War IGO v3 membership spells and the ATOP v5.1 alliance dyad-years.

Cite: Pevehouse, Nordstrom, McManus and Jamison (2020), "Tracking Organizations in the
World: The Correlates of War IGO Version 3.0 datasets", Journal of Peace Research 57(3);
Leeds, Ritter, Mitchell and Long (2002), International Interactions 28: 237-60.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.sources.base import SourceError


def read_cow_igo_spells(path: str | Path) -> pd.DataFrame:
    """Read ``cow_igo_v3_membership_spells.csv`` (columns ``stateID, igoID, Beg, End``).

    Rows without a ``stateID`` (a few pre-1900 entities) are dropped.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, usecols=["stateID", "igoID", "Beg", "End"])
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: cannot read COW IGO spells ({exc})") from exc
    frame = frame.dropna(subset=["stateID"])
    return frame.astype({"stateID": str, "igoID": str, "Beg": int, "End": int})


def read_atop_defence(path: str | Path) -> pd.DataFrame:
    """Read the ATOP directed dyad-years, keeping rows with a defence pledge.

    Returns columns ``ccode1, ccode2, year`` (COW codes).
    """
    try:
        frame = pd.read_parquet(path, columns=["ccode1", "ccode2", "year", "atop_defense"])
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: cannot read ATOP dyad-years ({exc})") from exc
    frame = frame[frame["atop_defense"] == 1]
    return frame[["ccode1", "ccode2", "year"]].astype(int).reset_index(drop=True)
