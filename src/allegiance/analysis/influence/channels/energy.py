"""Energy: the pole's share of the state's gas and oil imports, or of a net exporter's exports.

For each fuel group (gas = pipeline gas + LNG; oil = crude + oil products) the share is
the pole's part of the state's import volume in the year, from the best source covering it;
the groups are then combined weighted by their volume in million tonnes of oil equivalent
(Mtoe, :data:`MTOE`), so a state that imports mostly oil is scored mostly on oil. A net
energy exporter (:data:`EXPORTERS`) is scored on the other side: the pole's share of its
exports.

Sources, in order of precedence where they overlap (:data:`PRECEDENCE`):

imports
    1. ``ei_statistical_review`` matrices (annual 2016-2023, oil to 2024, gas 2025): by
       origin. A state counts only where EI names it as an importer, in the pipeline *and*
       the LNG matrix of the year unless it has no terminal or pipeline of the other kind
       (:data:`PIPELINE_ONLY`, :data:`LNG_ONLY`); otherwise part of its gas would hide in a
       residual group ("Rest of Europe" holds Türkiye's pipeline gas from 2021).
    2. ``eurostat_energy`` (monthly 2008-2022, 36 European reporters): the reporter's
       partner. For gas many reporters record the country the gas came from, not where it
       was produced (Slovakia: Ukraine; Poland: Belarus); gas from a partner that EI never
       names as a gas exporter is therefore counted as *unattributed*.
exports
    1. ``ei_statistical_review`` matrices.
    2. ``crea`` (Russia only, monthly 2016-2022, partner-reported). The volume by which its
       total falls short of EI's total for the same fuel group and year (partners that do
       not report, Türkiye's missing crude and pipeline gas) is counted as *unattributed*.

IEA border-point flows (physical, transit included), MGIMO (no complete total: "OTHER" is
only the rest of its database) and EI's inter-regional table (regions, LNG without
destinations) give no share of a state's total and are not used here; they are in
:mod:`allegiance.analysis.influence.energy_exports`.

Missing counterparts. Volume with no known counterpart (unspecified partners, gas recorded
from a transit country, what CREA lacks against EI) is *unattributed*: the share is taken
over the volume whose counterpart is known, as if the rest came in the same proportions, and
``score_lower``/``score_upper`` give the band from "none of it is the pole's" to "all of it
is". Beyond :data:`MAX_UNATTRIBUTED` of the volume the share is missing. Volume in a group
that may hold the pole without naming it ("Rest of Europe" for Türkiye after 2020, the oil
matrices' "Europe" for the EU) is *ambiguous*: it widens the band, and beyond
:data:`MAX_AMBIGUOUS` the share is missing. So is a share resting on less than
:data:`MIN_MTOE`, or on fewer than :data:`MIN_MONTHS` months of a monthly source. A pole's
score is missing when any fuel group the state trades lacks a share for that pole that
year, so the composition of a state's score never changes from year to year; a net exporter
needs its main export fuels (:data:`EXPORTERS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance.analysis.influence.common import finish, grid, pole_members

LABEL = "Energy: the pole's share of the state's gas and oil imports (exports for net exporters)"

#: Which source wins where several give a share for the same state, pole, year and fuel.
PRECEDENCE = {
    "imports": ("ei_statistical_review", "eurostat_energy"),
    "exports": ("ei_statistical_review", "crea"),
}

#: Largest distance expected between two sources' bands (share to upper bound) for the same
#: pole, state, year and fuel group. On the real data (65 overlaps) the median is 0 and the
#: largest are gas at the two hubs that re-export gas, where EI attributes by origin and
#: Eurostat records the supplier: Belgium-Russia 2020, 10.3 points; United Kingdom-Russia
#: 2020, 9.9; 2019, 7.7. EI and CREA agree within 4.1 points (EU gas 2021).
TOLERANCE = 0.11

#: Million tonnes of oil equivalent per unit (EI, Approximate conversion factors, July 2021):
#: 1 bcm of natural gas = 0.86 Mtoe; 1 Mt of LNG (or of gas by weight) = 1.36 bcm =
#: 1.169 Mtoe; 1 Mtoe = 41,868 TJ; a tonne of crude or products is taken as 1 toe.
MTOE = {"bcm": 0.86, "gas_mt": 1.169, "tj": 1 / 41_868, "oil_mt": 1.0}

#: Smallest volume of a fuel group (imports or exports of a state in a year, Mtoe) a share
#: rests on: 0.1 Mtoe is about 0.12 bcm of gas or 0.1 Mt of oil, a few days of a small
#: state's imports. Below it a share is noise (Norway's few months of gas imports).
MIN_MTOE = 0.1
#: Fewest months of a monthly source in a year (Eurostat ends in September 2022).
MIN_MONTHS = 6
#: Largest part of a state's volume whose counterpart is unknown (unspecified partners,
#: gas recorded from a transit country, what CREA lacks against EI): beyond a quarter, the
#: known part no longer stands for the whole.
MAX_UNATTRIBUTED = 0.25
#: Largest part of the volume in groups that may hold the pole without naming it ("Rest of
#: Europe" for Türkiye, the oil matrices' "Europe" for the EU): beyond 5 points the score
#: could be that much too low, and the share is missing.
MAX_AMBIGUOUS = 0.05

#: Net energy exporters, scored on their exports, with the fuel groups whose destinations a
#: score needs: their main energy exports. Kazakhstan and Azerbaijan export more oil than
#: gas: EU members alone imported 36.9 Mt of Kazakh and 23.1 Mt of Azerbaijani crude in 2019
#: (Eurostat), against gas exports of 27.5 and 11.5 bcm (23.7 and 9.9 Mtoe; EI), and the data
#: have no destinations for their oil (EI puts it in "Other CIS"). Turkmenistan exports gas.
#: Russia and Norway export both.
EXPORTERS = {
    "RUS": ("gas", "oil"),
    "KAZ": ("oil",),
    "AZE": ("oil",),
    "TKM": ("gas",),
    "NOR": ("gas", "oil"),
}
#: States EI names in its pipeline-gas matrix only, that import no LNG (no import terminal
#: in 2016-2025; Germany's first floating terminal began in December 2022, after the years
#: EI names it).
PIPELINE_ONLY = frozenset({"AUT", "BLR", "CZE", "DEU", "HUN", "IRL", "KAZ", "SVK", "UKR"})
#: States EI names in its LNG matrix only, that have no gas import pipeline.
LNG_ONLY = frozenset({"IND", "JPN", "KOR", "PAK", "TWN"})

#: Groups (residuals and trading areas) of the EI matrices, and the poles they may hold.
#: A single-state pole is not in a group when the same matrix names it.
MAY_CONTAIN = {
    "Europe": {"EU", "TUR"},  # oil matrices: every European country
    "Other Europe": {"EU", "TUR"},
    "Other Europe & Eurasia": {"EU", "TUR"},
    "Rest of Europe": {"TUR"},
    "Non-EU Europe": {"TUR"},
}
#: Residual groups made only of EU members: their volume is the EU's.
EU_GROUPS = frozenset({"Other EU", "Other European Union"})
#: Destinations whose imports from Russia CREA's data largely lack (energy/SOURCES.md:
#: Türkiye's customs report neither crude nor pipeline gas by origin; CREA has no Turkish
#: crude row and 1.1 Mt of gas in 2021, when Türkiye took about 26 bcm of Russian gas).
CREA_BLIND = frozenset({"TUR"})
#: Kinds of counterpart whose volume is unattributed (could be any pole).
UNATTRIBUTED = frozenset({"unknown", "transit", "unreported", "lng_terminal"})

FUEL_GROUPS = {"gas_pipeline": "gas", "lng": "gas", "gas": "gas", "crude": "oil",
               "oil_products": "oil"}  # fmt: skip
#: Source ids (registry.toml) the channel may read; each score's attrs name those it used.
SOURCE_IDS: tuple[str, ...] = ("ei_statistical_review", "eurostat_energy", "crea")
SOURCE_NAMES = {
    "ei_statistical_review": "Energy Institute Statistical Review of World Energy, trade "
    "movements (bp editions to 2022)",
    "eurostat_energy": "Eurostat, energy imports by partner, monthly (nrg_ti_gasm, nrg_ti_oilm)",
    "crea": "CREA Russia Fossil Tracker (partner-reported, from UN Comtrade and Eurostat)",
}
PART_COLUMNS = ["source", "side", "state", "year", "group", "fuel", "partner", "partner_name",
                "partner_kind", "mtoe", "months"]  # fmt: skip


# -- reading the store ------------------------------------------------------------------
def parts(store) -> pd.DataFrame:
    """Every state's energy flows as the channel reads them, in Mtoe (store I/O, cached).

    One row per source, side (``imports`` or ``exports``), state, year, fuel group and
    counterpart: columns :data:`PART_COLUMNS`. ``partner_kind`` is the store's kind, or
    ``transit`` (Eurostat gas from a partner EI never names as a gas exporter) or
    ``unreported`` (what CREA's total lacks against EI's).
    """
    cache = getattr(store, "_cache", {})
    if "energy_parts" in cache:
        return cache["energy_parts"]
    fuels = list(FUEL_GROUPS)
    rows = store.energy_flows(source=list(SOURCE_NAMES), fuel=fuels)
    rows = rows[~rows["aggregate"].astype(bool) & rows["part_of"].isna()]
    rows = rows[rows["series"].isin(["matrix", "imports_by_partner", "russia_exports"])]
    rows = rows.assign(group=rows["fuel"].map(FUEL_GROUPS))
    mtoe = np.where(
        rows["group"].eq("gas"),
        (rows["tj"] * MTOE["tj"])
        .fillna(rows["bcm"] * MTOE["bcm"])
        .fillna(rows["mt"] * MTOE["gas_mt"]),
        rows["mt"] * MTOE["oil_mt"],
    )
    rows = rows.assign(mtoe=mtoe)
    out = pd.concat(
        [_ei(rows[rows["source"].eq("ei_statistical_review")]),
         _eurostat(rows[rows["source"].eq("eurostat_energy")], rows),
         _crea(rows[rows["source"].eq("crea")])],
        ignore_index=True,
    )  # fmt: skip
    ei_exports = out[out["source"].eq("ei_statistical_review") & out["side"].eq("exports")]
    out = pd.concat(
        [out, _unreported(out[out["source"].eq("crea")], ei_exports)], ignore_index=True
    )
    out["year"] = out["year"].astype(int)
    out = out.sort_values(["source", "side", "state", "year", "group", "partner_name"],
                          kind="stable", ignore_index=True)  # fmt: skip
    cache["energy_parts"] = out
    return out


def _side(rows: pd.DataFrame, side: str) -> pd.DataFrame:
    state, other = ("importer", "exporter") if side == "imports" else ("exporter", "importer")
    return pd.DataFrame(
        {
            "source": rows["source"], "side": side, "state": rows[state],
            "year": rows["year"], "group": rows["group"], "fuel": rows["fuel"],
            "partner": rows[other],
            "partner_name": rows[f"{other}_name"], "partner_kind": rows[f"{other}_kind"],
            "mtoe": rows["mtoe"], "month": rows["month"],
        }
    )  # fmt: skip


def _months(frame: pd.DataFrame) -> pd.DataFrame:
    keys = ["source", "side", "state", "year", "group"]
    months = frame.groupby(keys)["month"].transform("nunique")
    frame = frame.assign(months=months.where(frame["month"].notna(), 12).astype(int))
    agg = frame.groupby([*keys, "fuel", "partner", "partner_name", "partner_kind", "months"],
                        dropna=False).agg(mtoe=("mtoe", "sum")).reset_index()  # fmt: skip
    return agg[PART_COLUMNS]


def _ei(rows: pd.DataFrame) -> pd.DataFrame:
    imports = rows[rows["importer_kind"].eq("state") & ~rows["importer"].isin(list(EXPORTERS))]
    matrix = imports.assign(mode=imports["fuel"])
    named = matrix.groupby(["importer", "year"])["mode"].agg(set)
    keep = []
    for (state, year), modes in named.items():
        gas = {m for m in modes if m in ("gas_pipeline", "lng")}
        if gas == {"gas_pipeline", "lng"} or (gas == {"gas_pipeline"} and state in PIPELINE_ONLY) \
                or (gas == {"lng"} and state in LNG_ONLY):  # fmt: skip
            keep.append((state, year, "gas"))
        if {"crude", "oil_products"} <= modes:
            keep.append((state, year, "oil"))
    keep = pd.DataFrame(keep, columns=["importer", "year", "group"])
    imports = imports.merge(keep, on=["importer", "year", "group"])
    exports = rows[rows["exporter"].isin(list(EXPORTERS))]
    return _months(pd.concat([_side(imports, "imports"), _side(exports, "exports")]))


def _eurostat(rows: pd.DataFrame, everything: pd.DataFrame) -> pd.DataFrame:
    rows = rows[~rows["importer"].isin(list(EXPORTERS))]
    side = _side(rows, "imports")
    ei = everything[
        everything["source"].eq("ei_statistical_review") & everything["group"].eq("gas")
    ]
    producers = set(ei.loc[ei["exporter_kind"].eq("state") & (ei["mtoe"] > 0), "exporter"])
    transit = side["group"].eq("gas") & side["partner_kind"].eq("state") & \
        ~side["partner"].isin(producers)  # fmt: skip
    # Gas recorded from a transit country has no known origin: it is nobody's.
    side["partner_kind"] = side["partner_kind"].mask(transit, "transit")
    side["partner"] = side["partner"].mask(transit, pd.NA)
    return _months(side)


def _crea(rows: pd.DataFrame) -> pd.DataFrame:
    return _months(_side(rows[rows["exporter"].eq("RUS")], "exports"))


def _unreported(crea: pd.DataFrame, ei: pd.DataFrame) -> pd.DataFrame:
    """One row per CREA year and group: what its total lacks against EI's total."""
    keys = ["state", "year", "group"]
    have = crea.groupby(keys).agg(mtoe=("mtoe", "sum"), months=("months", "first"))
    want = ei.groupby(keys)["mtoe"].sum().rename("reference")
    both = have.join(want, how="inner")
    gap = (both["reference"] - both["mtoe"]).clip(lower=0)
    out = gap[gap > 0].rename("mtoe").reset_index()
    out = out.merge(have["months"].reset_index(), on=keys)
    return out.assign(source="crea", side="exports", fuel=pd.NA, partner=pd.NA,
                      partner_name="(not reported, against EI's total)",
                      partner_kind="unreported")[PART_COLUMNS]  # fmt: skip


# -- shares (no I/O) --------------------------------------------------------------------
SHARE_COLUMNS = ["source", "side", "state", "pole", "year", "group", "value", "ambiguous",
                 "unattributed", "total", "months", "share", "lower", "upper", "defined",
                 "why"]  # fmt: skip


def pole_shares(parts: pd.DataFrame, poles, kb=None) -> pd.DataFrame:
    """The pole's share of each state's imports (exports) per source, year and fuel group.

    Parameters
    ----------
    parts : DataFrame
        :data:`PART_COLUMNS`, as :func:`parts` returns.
    poles : list of str

    Returns
    -------
    DataFrame
        :data:`SHARE_COLUMNS`, in Mtoe: ``value`` (the pole's), ``ambiguous`` (in groups
        that may hold the pole), ``unattributed`` (counterpart unknown), ``total``.
        ``share`` = value / (total - unattributed): the pole's share of the volume whose
        counterpart is known, as if the rest came in the same proportions. ``lower`` =
        value / total (none of the rest is the pole's), ``upper`` = (value + ambiguous +
        unattributed) / total (all of it is); ``defined`` and, where not, ``why``.
    """
    keys = ["source", "side", "state", "year", "group"]
    if parts.empty:
        return pd.DataFrame(columns=SHARE_COLUMNS)
    parts = parts.reset_index(drop=True)
    totals = parts.groupby(keys).agg(total=("mtoe", "sum"), months=("months", "max"))
    p = parts.set_index(keys)
    out = []
    for pole in [x.upper() for x in poles]:
        members = {y: pole_members(pole, int(y), kb) for y in parts["year"].unique()}
        member = np.array([c in members[y] for c, y in zip(parts["partner"].fillna(""),
                                                               parts["year"], strict=True)])  # fmt: skip
        if pole == "EU":
            member |= parts["partner_kind"].eq("eu").to_numpy()
            member |= parts["partner_name"].isin(EU_GROUPS).to_numpy()
        # Named in the same matrix (source, state, year, fuel): then not inside a group.
        named_here = (
            pd.Series(member)
            .groupby([parts[k] for k in [*keys, "fuel"]], dropna=False)
            .transform("any")
            .to_numpy()
        )
        may = parts["partner_name"].map(lambda n, pole=pole: pole in MAY_CONTAIN.get(n, ()))
        may = may.to_numpy(dtype=bool) & ~(named_here & (pole != "EU"))
        unattributed = parts["partner_kind"].isin(UNATTRIBUTED).to_numpy()
        frame = pd.DataFrame(
            {"value": np.where(member, parts["mtoe"], 0.0),
             "ambiguous": np.where(~member & may & ~unattributed, parts["mtoe"], 0.0),
             "unattributed": np.where(unattributed, parts["mtoe"], 0.0)},
            index=p.index,
        ).groupby(keys).sum()  # fmt: skip
        out.append(frame.join(totals).assign(pole=pole).reset_index())
    shares = pd.concat(out, ignore_index=True)
    total = shares["total"].where(shares["total"] > 0)
    known = (shares["total"] - shares["unattributed"]).where(lambda x: x > 0)
    shares["share"] = shares["value"] / known
    shares["lower"] = shares["value"] / total
    shares["upper"] = (shares["value"] + shares["ambiguous"] + shares["unattributed"]) / total
    why = np.select(
        [shares["total"] < MIN_MTOE, shares["months"] < MIN_MONTHS,
         shares["unattributed"] > MAX_UNATTRIBUTED * shares["total"],
         shares["ambiguous"] > MAX_AMBIGUOUS * shares["total"]],
        [f"under {MIN_MTOE} Mtoe", f"fewer than {MIN_MONTHS} months",
         f"over {MAX_UNATTRIBUTED:.0%} of the volume has no known counterpart",
         f"over {MAX_AMBIGUOUS:.0%} of the volume is in groups that may hold the pole"],
        default="",
    )  # fmt: skip
    blind = shares["source"].eq("crea") & shares["pole"].isin(list(CREA_BLIND))
    shares["why"] = np.where(blind & (why == ""), "CREA's data lack this destination's imports",
                             why)  # fmt: skip
    shares["defined"] = shares["why"].eq("")
    # A pole is not scored against itself (an EU member against the EU means the others).
    own = [s in pole_members(p, int(y), kb) and p != "EU"
           for s, p, y in zip(shares["state"], shares["pole"], shares["year"], strict=True)]  # fmt: skip
    shares = shares[~np.array(own, dtype=bool)]
    return shares[SHARE_COLUMNS].sort_values(
        ["state", "pole", "year", "group", "source"], kind="stable", ignore_index=True
    )


def preferred(shares: pd.DataFrame) -> pd.DataFrame:
    """One row per (state, pole, year, group): the defined share of highest precedence,
    with ``others`` (the other sources with a defined share) and ``max_gap``, the distance
    between their bands (0 when the bands overlap); where no source defines it, the first
    source's row with its ``why``."""
    if shares.empty:
        return shares.assign(others="", max_gap=np.nan)
    s = shares.copy()
    rank = {(side, src): i for side, order in PRECEDENCE.items() for i, src in enumerate(order)}
    s["rank"] = [rank.get((a, b), 99) for a, b in zip(s["side"], s["source"], strict=True)]
    s = s.sort_values(["state", "pole", "year", "group", "defined", "rank"],
                      ascending=[True, True, True, True, False, True], kind="stable")  # fmt: skip
    keys = ["state", "pole", "year", "group"]
    best = s.drop_duplicates(keys, keep="first").set_index(keys)
    ok = s[s["defined"]]
    # Two sources agree when their bands (lower to upper) are close: the gap between bands.
    g = ok.groupby(keys)
    spread = (g["lower"].max() - g["upper"].min()).clip(lower=0).where(g.size() > 1)
    others = ok[ok.duplicated(keys, keep="first")].groupby(keys)["source"].agg(",".join)
    best = best.join(spread.rename("max_gap")).join(others.rename("others"))
    best["others"] = best["others"].fillna("")
    return best.drop(columns="rank").reset_index()


def combine(best: pd.DataFrame, groups_traded: dict[str, set[str]]) -> pd.DataFrame:
    """The energy score per (state, pole, year) from the groups' shares (no I/O).

    Parameters
    ----------
    best : DataFrame
        :func:`preferred`'s rows.
    groups_traded : dict
        For each state, the fuel groups it trades in any year of the data (a total of at
        least :data:`MIN_MTOE` in some source).

    Returns
    -------
    DataFrame
        ``state, pole, year, score, score_lower, score_upper, total, groups, missing_why``.
        Groups are weighted by their total volume (Mtoe). There is no score (``score``
        missing, ``missing_why`` says why) when a group the state trades has no share for
        the pole that year: no source covers it, or the source's share is not defined; and
        a net exporter needs the groups of :data:`EXPORTERS`. So the composition of a
        state's score never changes from year to year.
    """
    keys = ["state", "pole", "year"]
    cols = [*keys, "score", "score_lower", "score_upper", "total", "groups", "missing_why"]
    if best.empty:
        return pd.DataFrame(columns=cols)
    b = best.copy()
    b["needed"] = [g in groups_traded.get(st, set()) | set(EXPORTERS.get(st, ()))
                   for st, g in zip(b["state"], b["group"], strict=True)]  # fmt: skip
    b = b[b["needed"] | (b["defined"] & (b["total"] >= MIN_MTOE))]
    b["why_group"] = np.where(b["defined"], "", b["group"] + ": " + b["why"].astype(str))
    b["w"] = np.where(b["defined"], b["total"], 0.0)
    b["ws"] = b["w"] * b["share"].fillna(0)
    b["wl"] = b["w"] * b["lower"].fillna(0)
    b["wu"] = b["w"] * b["upper"].fillna(0)
    g = b.groupby(keys)
    out = g.agg(w=("w", "sum"), ws=("ws", "sum"), wl=("wl", "sum"), wu=("wu", "sum"),
                groups=("group", lambda x: ",".join(sorted(x))),
                undefined=("why_group", lambda x: "; ".join(v for v in x if v))).reset_index()  # fmt: skip
    expected = [sorted(groups_traded.get(st, set()) | set(EXPORTERS.get(st, ())))
                for st in out["state"]]  # fmt: skip
    lacking = [sorted(set(e) - set(have.split(","))) for e, have in
               zip(expected, out["groups"], strict=True)]  # fmt: skip
    out["missing_why"] = [
        u if u else (f"no {', '.join(lack)} data for the year" if lack else "")
        for u, lack in zip(out["undefined"], lacking, strict=True)
    ]
    ok = out["missing_why"].eq("") & (out["w"] > 0)
    out["score"] = (out["ws"] / out["w"]).where(ok)
    out["score_lower"] = (out["wl"] / out["w"]).where(ok)
    out["score_upper"] = (out["wu"] / out["w"]).where(ok)
    out["total"] = out["w"].where(ok)
    return out[cols]


def groups_traded(parts: pd.DataFrame) -> dict[str, set[str]]:
    """The fuel groups each state trades in some year (a total of at least MIN_MTOE)."""
    keys = ["source", "side", "state", "year", "group"]
    totals = parts.groupby(keys)["mtoe"].sum().reset_index()
    big = totals[totals["mtoe"] >= MIN_MTOE]
    return big.groupby("state")["group"].agg(set).to_dict()


# -- the channel ------------------------------------------------------------------------
def score(store, states, poles, years, kb=None) -> pd.DataFrame:
    """The pole's share of each state's energy imports (a net exporter's exports), per year."""
    want = grid(states, poles, years)
    p = parts(store)
    p = p[p["side"].eq(np.where(p["state"].isin(list(EXPORTERS)), "exports", "imports"))]
    traded = groups_traded(p)
    p = p[p["state"].isin(want["state"].unique()) & p["year"].isin(want["year"].unique())]
    best = preferred(pole_shares(p, poles, kb))
    combined = combine(best, traded)
    frame = want.merge(combined[combined["score"].notna()], on=["state", "pole", "year"])
    if frame.empty:  # the same columns as a non-empty result, so callers can rely on them
        return finish(pd.DataFrame()).assign(score_lower=pd.Series(dtype=float),
                                              score_upper=pd.Series(dtype=float))  # fmt: skip
    keys = ["state", "pole", "year"]
    detail = best[best["defined"]].merge(frame[keys], on=keys)
    detail["input"] = [
        f"{g}: {pole} {sh:.1%} of {t:,.2f} Mtoe ({src}, {y})"
        + (f" (band {lo:.1%}-{up:.1%}: volume without a known counterpart or in groups "
           "that may hold the pole)" if up - lo >= 0.005 else "")
        for g, pole, sh, t, src, y, lo, up in zip(detail["group"], detail["pole"], detail["share"],
                                                  detail["total"], detail["source"], detail["year"],
                                                  detail["lower"], detail["upper"], strict=True)
    ]  # fmt: skip
    detail["note"] = [_note(*row) for row in zip(detail["group"], detail["source"], detail["months"],
                                                  detail["others"], detail["max_gap"], strict=True)]  # fmt: skip
    text = detail.groupby(keys).agg(
        inputs=("input", "; ".join), notes=("note", "; ".join),
        used=("source", lambda x: tuple(dict.fromkeys(x))),
    ).reset_index()  # fmt: skip
    frame = frame.merge(text, on=keys)
    side = np.where(frame["state"].isin(list(EXPORTERS)), "exports", "imports")
    only = np.where(frame["groups"].eq("gas,oil"), "", "; " + frame["groups"] + " only (the other "
                    "fuel group is not in the data)")  # fmt: skip
    frame["coverage_note"] = side + only + "; " + frame["notes"]
    frame["sources"] = ["; ".join(SOURCE_NAMES[s] for s in used) for used in frame["used"]]
    out = frame[["state", "pole", "year", "score", "coverage_note", "inputs", "sources",
                 "score_lower", "score_upper"]]  # fmt: skip
    result = finish(out)
    result.attrs["sources"] = sorted({s for used in frame["used"] for s in used})
    return result


def _note(group, source, months, others, gap) -> str:
    note = f"{group}: {source}" + (f" ({months} months)" if months < 12 else "")
    if others:
        note += f"; also in {others}"
        if pd.notna(gap) and gap > TOLERANCE:
            note += f" (differs by {gap:.1%}, over the {TOLERANCE:.0%} tolerance; {source} kept)"
        elif pd.notna(gap):
            note += f" (within {gap:.1%})"
    return note
