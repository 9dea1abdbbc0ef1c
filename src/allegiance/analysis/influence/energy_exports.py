"""An exporter's gas and oil exports by destination, per year, with the source of each figure.

The data behind "Russia lost Europe and now sells oil to China and India". For each year
and fuel group the figures come from one source, the first of :data:`PRECEDENCE` that has
the exporter's exports that year:

1. ``ei_statistical_review`` matrices (2016-2023; oil 2024; gas 2025): every destination
   EI names, its residual groups ("Other CIS", "Rest of Europe") and trading areas (the oil
   matrices' "Europe"), by fuel (pipeline gas, LNG, crude, oil products), in bcm and Mt.
   From 2021 the gas matrices name the EU as a whole, not its members.
2. ``ei_statistical_review`` inter-regional table (gas, 2000-2025): Russia's pipeline
   exports to Europe and to Other CIS, China's pipeline imports from Russia, and totals;
   the part of the total no partner accounts for (LNG has no destinations at all) is one
   row, "(not broken down)".
3. ``mgimo`` (2019-2026, monthly summed): Russia's exports to six partners and MGIMO's
   "OTHER", partner-reported, by weight. No total (MGIMO's "OTHER" is not the rest of the
   world), months may be nowcasts, pipeline gas to China and Türkiye is missing.

``all_sources=True`` returns every source's figures instead, CREA's (2016-2022, the EU as
one destination) among them, to compare them. The figures are not converted between units:
gas is in bcm from EI and in million tonnes from MGIMO and CREA.
"""

from __future__ import annotations

import pandas as pd

from allegiance import states
from allegiance.analysis.influence.common import pole_members

#: Which source's figures a year shows, first that has them.
PRECEDENCE = (
    ("ei_statistical_review", "matrix"),
    ("ei_statistical_review", "interregional"),
    ("mgimo", "net_weight"),
    ("crea", "russia_exports"),
)
GROUPS = {"gas_pipeline": "gas", "lng": "gas", "gas": "gas", "crude": "oil",
          "oil_products": "oil", "oil": "oil"}  # fmt: skip
COLUMNS = ["exporter", "year", "group", "fuel", "destination", "destination_name",
           "destination_kind", "bcm", "mt", "share", "months", "source", "series", "note"]  # fmt: skip
NOTES = {
    ("ei_statistical_review", "matrix"): "EI trade matrix (by origin)",
    ("ei_statistical_review", "interregional"): "EI inter-regional table (regions only)",
    ("mgimo", "net_weight"): "MGIMO, partner-reported; may include nowcasts; no total",
    ("crea", "russia_exports"): "CREA, partner-reported; destinations that do not report "
    "are missing",
}


def exports_by_destination(
    store,
    exporter: str,
    since: int | None = None,
    until: int | None = None,
    fuel: str | None = None,
    all_sources: bool = False,
) -> pd.DataFrame:
    """The exporter's gas and oil exports by destination, per year.

    Parameters
    ----------
    store : Store
    exporter : str
        ISO3 code or name, e.g. ``"RUS"``; an unknown state raises
        :class:`allegiance.states.UnknownStateError`.
    since, until : int, optional
        First and last year (inclusive).
    fuel : {"gas", "oil"}, optional
        One fuel group; both by default.
    all_sources : bool
        Every source's figures, not only the first source of :data:`PRECEDENCE` per year.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, one row per year, fuel and destination with a positive volume;
        ``share`` is the destination's part of the exporter's exports of that fuel in that
        source and year (missing where the source has no total); ``months`` < 12 marks a
        part year. ``attrs["sources"]`` lists the sources used.

    Examples
    --------
    >>> exports_by_destination(store, "RUS", since=2021, fuel="oil")  # doctest: +SKIP
    """
    exporter = states.require_state(exporter)
    if fuel is not None and fuel not in ("gas", "oil"):
        raise ValueError(f"fuel must be gas or oil, not {fuel!r}")
    if since is not None and until is not None and since > until:
        raise ValueError(f"--since {since} is after --until {until}")
    rows = store.energy_flows(since=since, until=until, fuel=list(GROUPS))
    rows = rows[rows["source"].isin({s for s, _ in PRECEDENCE})]
    rows = rows.assign(group=rows["fuel"].map(GROUPS))
    if fuel is not None:
        rows = rows[rows["group"].eq(fuel)]
    parts = [_matrix(rows, exporter), _interregional(rows, exporter), _mgimo(rows, exporter),
             _crea(rows, exporter)]  # fmt: skip
    parts = [p for p in parts if not p.empty]
    if not parts:
        out = pd.DataFrame(columns=COLUMNS)
        out.attrs["sources"] = []
        return out
    out = pd.concat(parts, ignore_index=True)
    rank = {key: i for i, key in enumerate(PRECEDENCE)}
    out["rank"] = [rank[(s, r)] for s, r in zip(out["source"], out["series"], strict=True)]
    if not all_sources:
        first = out.groupby(["year", "group"])["rank"].transform("min")
        out = out[out["rank"].eq(first) & ~out["series"].eq("russia_exports")]
    volume = out["bcm"].fillna(out["mt"])
    out = out.assign(volume=volume)
    out = out[out["volume"] > 0].sort_values(
        ["year", "group", "rank", "fuel", "volume"], ascending=[True, True, True, True, False],
        kind="stable",
    )  # fmt: skip
    out = out[COLUMNS].reset_index(drop=True)
    out.attrs["sources"] = sorted(set(out["source"]))
    return out


def _frame(rows: pd.DataFrame, exporter: str, note: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "exporter": exporter,
            "year": rows["year"].astype(int),
            "group": rows["group"],
            "fuel": rows["fuel"],
            "destination": rows["importer"],
            "destination_name": rows["importer_name"],
            "destination_kind": rows["importer_kind"],
            "bcm": rows["bcm"],
            "mt": rows["mt"],
            "months": rows.get("months", 12),
            "source": rows["source"],
            "series": rows["series"],
            "note": note,
        }
    )


def _with_share(frame: pd.DataFrame, totals: pd.Series | None) -> pd.DataFrame:
    frame = frame.copy()
    if totals is None:
        frame["share"] = float("nan")
        return frame
    volume = frame["bcm"].fillna(frame["mt"])
    key = pd.MultiIndex.from_arrays([frame["year"], frame["fuel"]])
    frame["share"] = volume.to_numpy() / totals.reindex(key).to_numpy()
    return frame


def _matrix(rows: pd.DataFrame, exporter: str) -> pd.DataFrame:
    m = rows[rows["series"].eq("matrix") & rows["exporter"].eq(exporter) & ~rows["aggregate"]]
    if m.empty:
        return pd.DataFrame()
    totals = m.assign(v=m["bcm"].fillna(m["mt"])).groupby(["year", "fuel"])["v"].sum()
    return _with_share(_frame(m, exporter, NOTES[("ei_statistical_review", "matrix")]), totals)


def _interregional(rows: pd.DataFrame, exporter: str) -> pd.DataFrame:
    # Pipeline and LNG only: the table's "Total" measure (fuel gas) is their sum.
    r = rows[rows["series"].eq("interregional") & rows["exporter"].eq(exporter)
             & rows["fuel"].isin(["gas_pipeline", "lng"])]  # fmt: skip
    if r.empty:
        return pd.DataFrame()
    total = r[r["aggregate"] & r["basis"].eq("exports_of")]
    named = r[~r["aggregate"] & r["basis"].eq("exports_of")]
    # Destinations the exporter's own list lacks, from the importers' side (China).
    seen = set(zip(named["year"], named["fuel"], named["importer_name"], strict=True))
    more = r[~r["aggregate"] & r["basis"].eq("imports_of")]
    more = more[[(y, f, n) not in seen for y, f, n in
                 zip(more["year"], more["fuel"], more["importer_name"], strict=True)]]  # fmt: skip
    flows = pd.concat([named, more])
    totals = total.groupby(["year", "fuel"])["bcm"].sum()
    covered = flows.groupby(["year", "fuel"])["bcm"].sum().reindex(totals.index, fill_value=0)
    rest = (totals - covered).clip(lower=0)
    rest = rest[rest > 0.05].rename("bcm").reset_index()
    rest = rest.assign(importer=pd.NA, importer_name="(not broken down)", importer_kind="unknown",
                       mt=float("nan"), source="ei_statistical_review", series="interregional",
                       group=rest["fuel"].map(GROUPS))  # fmt: skip
    note = NOTES[("ei_statistical_review", "interregional")]
    frame = _frame(pd.concat([flows, rest], ignore_index=True), exporter, note)
    return _with_share(frame, totals)


def _monthly(m: pd.DataFrame) -> pd.DataFrame:
    months = m.groupby(["year", "fuel"])["month"].transform("nunique")
    m = m.assign(months=months)
    keys = ["year", "group", "fuel", "importer", "importer_name", "importer_kind", "source",
            "series", "months"]  # fmt: skip
    return m.groupby(keys, dropna=False)[["bcm", "mt"]].sum(min_count=1).reset_index()


def _mgimo(rows: pd.DataFrame, exporter: str) -> pd.DataFrame:
    m = rows[rows["source"].eq("mgimo") & rows["series"].eq("net_weight")
             & rows["exporter"].eq(exporter)]  # fmt: skip
    if m.empty:
        return pd.DataFrame()
    return _with_share(_frame(_monthly(m), exporter, NOTES[("mgimo", "net_weight")]), None)


def _crea(rows: pd.DataFrame, exporter: str) -> pd.DataFrame:
    # The EU as one destination (CREA's EU row is the sum of its members).
    m = rows[rows["source"].eq("crea") & rows["exporter"].eq(exporter)]
    member = [
        i in pole_members("EU", int(y)) for i, y in zip(m["importer"], m["year"], strict=True)
    ]
    m = m[m["importer_kind"].eq("eu") | ~pd.Series(member, index=m.index, dtype=bool)]
    if m.empty:
        return pd.DataFrame()
    return _with_share(_frame(_monthly(m), exporter, NOTES[("crea", "russia_exports")]), None)


#: The public name (``al.energy_exports``): an exporter's energy exports by destination.
energy_exports = exports_by_destination
