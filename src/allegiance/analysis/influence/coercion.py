"""Coercion: a pole's forces on a state's soil without the host government's consent.

Occupation and forces in a breakaway territory against the host's wishes (occupied Crimea
and the occupied regions of Ukraine, Abkhazia, South Ossetia, Transnistria) are not a tie
of alignment, so the military channel leaves them out. They are reported here as a
separate signal, shown beside the index in ``profile`` and the report, and never added
to it. The score uses the military channel's weights of kind
(:data:`allegiance.analysis.influence.weights.PRESENCE_KIND`), combined as
``1 - prod(1 - w)``, so the two are on one scale.
"""

from __future__ import annotations

import pandas as pd

from allegiance.analysis.influence.channels.military import sites
from allegiance.analysis.influence.common import noisy_or

COLUMNS = ["state", "pole", "year", "coercion", "sites", "territories", "citations"]


def coercion(kb, states, poles, years) -> pd.DataFrame:
    """Non-consented presence of each pole per (state, year); only rows with some.

    Returns
    -------
    DataFrame
        ``state, pole, year, coercion`` (in [0, 1]), ``sites`` (the sites, with their
        kind), ``territories`` (the territory ids) and ``citations`` (what establishes
        the lack of consent).
    """
    t = sites(kb, poles, years)
    t = t[~t["consent"]]
    if states is not None:
        t = t[t["state"].isin(list(states))]
    if t.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = kb.military_presence_frame().set_index("id")
    records = {p.id: p for p in kb.military_presence}
    t = t.assign(
        territory=t["id"].map(frame["territory"]),
        consent_cites=t["id"].map(
            lambda i: " | ".join(c.one_line() for c in records[i].consent_citations)
        ),
        label=t["site"] + " (" + t["kind"].str.replace("_", " ") + ")",
    )
    keys = ["state", "pole", "year"]
    g = t.groupby(keys)
    out = pd.concat(
        [
            noisy_or(t["weight"], [t[k] for k in keys]).rename("coercion"),
            g["label"].agg("; ".join).rename("sites"),
            g["territory"]
            .agg(lambda v: ", ".join(dict.fromkeys(v.dropna())))
            .rename("territories"),
            g["consent_cites"].agg(lambda v: " | ".join(dict.fromkeys(v))).rename("citations"),
        ],
        axis=1,
    ).reset_index()
    out["year"] = out["year"].astype(int)
    return out[COLUMNS].sort_values(keys, kind="stable").reset_index(drop=True)
