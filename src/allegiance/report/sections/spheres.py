"""Spheres of influence: maps of the closest pole, Russia's sphere over time, the latest
year with its robustness to the weights, coercion, and each state's drift (from the
influence index, docs/influence.md)."""

from __future__ import annotations

import pandas as pd
from matplotlib.path import Path as GeoPath

from allegiance import kb as kb_
from allegiance.analysis.influence import sensitivity
from allegiance.analysis.influence import sphere as sphere_rule
from allegiance.analysis.influence.api import SINGLE_STATE_POLES, drift, influence, latest_full_year
from allegiance.analysis.influence.api import sphere as sphere_of
from allegiance.analysis.influence.coercion import coercion
from allegiance.analysis.regions import region as region_members
from allegiance.report import charts
from allegiance.report.section import Citation, Section, esc, figure, table

TITLE = "Spheres of influence"
MAP_YEARS = (1995, 2005, 2014, 2022)
NATURAL_EARTH = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."
#: Places whose de-facto status a map can get wrong; checked against the drawn borders.
DISPUTED = {
    "Crimea (Simferopol)": ((34.10, 44.95), "UKR"),
    "Abkhazia (Sukhumi)": ((41.02, 43.00), "GEO"),
    "South Ossetia (Tskhinvali)": ((43.96, 42.23), "GEO"),
    "Transnistria (Tiraspol)": ((29.63, 46.84), "MDA"),
}
SIZE_COLUMNS = (
    "in Russia's sphere",
    "contested",
    "in another pole's sphere",
    "in no sphere",
    "insufficient data",
)
SIZE_COLOURS = (charts.POLE_COLOURS["RUS"], "#b9b9b9", "#7a9cc6", "#e4e4e4", "#ffffff")
TREND_MARKS = {"moving towards": "↑", "moving away": "↓", "stable": "–"}


def section(store, region: str = "post-soviet") -> Section:
    """Five maps, Russia's sphere per year, and one drift panel per state."""
    states = region_members(region)
    names = store.state_names()
    # The latest year both votes and arms transfers cover (the store's default for spheres).
    latest = latest_full_year(store)
    index = influence(store, states)
    index = index[index["year"] <= latest]
    leaders = sphere_rule.leaders(index[~index["state"].isin(SINGLE_STATE_POLES)])
    years = [y for y in (*MAP_YEARS, latest) if y in set(leaders["year"])]
    years = list(dict.fromkeys(years))

    shapes = {r.iso3: charts.rings(r.geojson) for r in store.boundaries().itertuples()}
    colours = {}
    for year in years:
        rows = leaders[leaders["year"] == year].set_index("state")
        colours[year] = {
            s: (rows.at[s, "leader"] if s in rows.index else None,
                s in rows.index and rows.at[s, "sphere"] is not None)
            for s in states
        }  # fmt: skip
    maps = charts.sphere_maps(shapes, colours, poles_itself={"RUS"})

    size = sphere_size(leaders, states)
    size_chart = charts.stacked_bars(
        size, "year", {c: c for c in SIZE_COLUMNS}, ylabel="post-Soviet states",
        colours=dict(zip(SIZE_COLUMNS, SIZE_COLOURS, strict=True)),
    )  # fmt: skip
    frames = {s: index[index["state"] == s] for s in states}
    drift_chart = charts.index_panels(frames, names)
    drifts = pd.concat([drift(store, s) for s in states], ignore_index=True)
    now = sphere_of(store, "RUS", latest, states=[s for s in states if s != "RUS"],
                    sensitivity=sensitivity.N_DRAWS)  # fmt: skip
    forced = coercion(kb_.default(), states, list(charts.POLE_COLOURS), [latest])

    html = (
        "<p>The influence index scores, per state, pole and year, how tied a state is to a "
        "pole through votes (agreement beyond chance and ideal-point proximity), "
        "institutions, military presence with the host's consent, arms, trade and opinion, "
        "each weighted (<code>docs/influence.md</code>). A channel missing for a few years is "
        "interpolated, or carried forward for at most three years, and flagged as imputed. "
        "A state is in a pole's sphere when that pole leads with an index of at least "
        f"{sphere_rule.THRESHOLD:.2f}, by at least {sphere_rule.MARGIN:.2f}, resting on at "
        f"least {sphere_rule.MIN_EVIDENCE} channels with positive evidence, one of them "
        "economic; it is contested when the lead is smaller, in no sphere when no pole "
        "reaches the threshold, and <em>insufficient data</em> when the leading pole's index "
        "does not rest on that evidence. Russia, a pole itself, is hatched.</p>"
        + figure(
            charts.svg(maps, "Maps of the closest pole of each post-Soviet state"),
            "Closest pole per state in " + ", ".join(map(str, years)) + ". Solid: in that "
            "pole's sphere; pale: closest, but contested, in no sphere, or with insufficient data. "
            + _border_note(shapes)
            + " Made with Natural Earth.",
            cls="wide",
        )  # fmt: skip
        + "<h3>The size of Russia's sphere</h3>"
        + figure(
            charts.svg(size_chart, "Number of post-Soviet states in Russia's sphere per year"),
            f"The {len(states) - 1} other post-Soviet states by their standing towards Russia "
            "per year.",
        )
        + f"<h3>Russia's sphere in {latest}</h3>"
        + f"<p>Each post-Soviet state's standing towards Russia in {latest}. <em>Robust</em>: "
        f"the same standing in at least {sensitivity.ROBUST_SHARE:.0%} of "
        f"{sensitivity.N_DRAWS} draws of the channel weights around the defaults "
        "(Dirichlet); <em>weight-dependent</em> otherwise. <em>Imputed</em> lists the "
        "channels filled in for that year.</p>"
        + _sphere_table(now, names)
        + "<h3>Coercion</h3><p>Forces stationed without the host government's consent "
        "(occupation, forces in breakaway territories) are not a tie of alignment and are "
        f"not in the index. In {latest}:</p>"
        + _coercion_table(forced, names)
        + "<h3>Drift</h3><p>Each state's index towards each pole per year; the table gives the "
        "trend of each pole's lead over the best alternative in the last ten full years "
        "(OLS slope, t-test at 5%): ↑ moving towards, ↓ moving away, – stable, n/a: too few "
        "years or the state is that pole. Every year of a state rests on the same channels "
        "(listed), so a trend cannot come from a channel appearing or disappearing; "
        "<em>imputed</em> lists the channels filled in somewhere in the window.</p>"
        + figure(
            charts.svg(drift_chart, "Influence index per state, pole and year"),
            "Influence index per pole and year.",
            cls="wide",
        )  # fmt: skip
        + _drift_table(drifts, names)
    )
    citations = [Citation(NATURAL_EARTH, "https://www.naturalearthdata.com/")]
    sources = store.citations().set_index("source")["citation"]
    citations += [Citation(sources[s]) for s in ("sipri", "cow_trade", "comtrade", "armstat", "troopdata",
                                                 "caucasus_barometer") if s in sources.index]  # fmt: skip
    return Section(TITLE, html, citations, data={"index": index, "leaders": leaders,
                                                  "size": size, "drift": drifts, "years": years,
                                                  "sphere": now, "coercion": forced})  # fmt: skip


def sphere_size(leaders: pd.DataFrame, states: list[str], pole: str = "RUS") -> pd.DataFrame:
    """Per year: how many of ``states`` (the pole excluded) are in its sphere, contested, in
    another pole's sphere, in no sphere, or with insufficient data."""
    rows = leaders[leaders["state"].isin(states) & (leaders["state"] != pole)]
    status = rows["assignment"].map({
        sphere_rule.CONTESTED: SIZE_COLUMNS[1], sphere_rule.NO_SPHERE: SIZE_COLUMNS[3],
        sphere_rule.INSUFFICIENT: SIZE_COLUMNS[4],
    })  # fmt: skip
    status[rows["sphere"] == pole] = SIZE_COLUMNS[0]
    status[rows["sphere"].notna() & (rows["sphere"] != pole)] = SIZE_COLUMNS[2]
    counts = pd.crosstab(rows["year"], status)
    counts = counts.reindex(columns=list(SIZE_COLUMNS), fill_value=0)
    counts.columns.name = None
    return counts.reset_index()


def _border_note(shapes: dict) -> str:
    drawn = []
    for place, (point, de_jure) in DISPUTED.items():
        holder = [k for k, rings in shapes.items() if any(GeoPath(r).contains_point(point)
                                                          for r in rings)]  # fmt: skip
        if holder:
            drawn.append(f"{place} within {holder[0]}" + (" (de jure " + de_jure + ")"
                                                          if holder[0] != de_jure else ""))  # fmt: skip
    return (
        "Borders are Natural Earth's de-facto lines at 1:110m, not a statement on sovereignty; "
        "here " + "; ".join(esc(d) for d in drawn) + "."
    )


def _drift_table(drifts: pd.DataFrame, names: dict) -> str:
    poles = list(charts.POLE_COLOURS)
    rows = []
    for state, group in drifts.groupby("state", sort=False):
        trend = dict(zip(group["pole"], group["trend"], strict=True))
        cells = [esc(names.get(state, state))]
        for pole in poles:
            label = str(trend.get(pole, ""))
            mark = next((m for k, m in TREND_MARKS.items() if label.startswith(k)), "n/a")
            cells.append(f'<span title="{esc(label)}">{mark}</span>')
        spans = group.dropna(subset=["from", "to"])
        cells.append(f"{int(spans['from'].min())}–{int(spans['to'].max())}" if len(spans) else "")
        cells.append(esc(str(group["channels"].iloc[0]).replace(",", ", ")))
        cells.append(esc(str(group["imputed"].iloc[0]).replace(",", ", ")))
        rows.append(cells)
    return table(["state", *poles, "years", "channels", "imputed"], rows, cls="compact")


def _sphere_table(frame: pd.DataFrame, names: dict) -> str:
    rows = []
    for r in frame.itertuples(index=False):
        rows.append([
            esc(names.get(r.state, r.state)), esc(r.status),
            "" if pd.isna(r.pole_index) else f"{r.pole_index:.2f}",
            "" if pd.isna(r.lower) else f"{r.lower:.2f}–{r.upper:.2f}",
            esc(r.leader or ""), f"{r.in_sphere_share:.0%}", esc(r.robustness),
            esc(str(r.evidence or "").replace(",", ", ")), esc(str(r.imputed or "").replace(",", ", ")),
        ])  # fmt: skip
    return table(["state", "standing", "Russia's index", "band", "leading pole",
                  "draws in sphere", "robustness", "evidence", "imputed"], rows, cls="compact",
                 numeric=(2, 5))  # fmt: skip


def _coercion_table(frame: pd.DataFrame, names: dict) -> str:
    if frame.empty:
        return "<p>None recorded.</p>"
    rows = [[esc(names.get(r.state, r.state)), esc(r.pole), f"{r.coercion:.2f}", esc(r.sites),
             esc(r.citations)] for r in frame.itertuples(index=False)]  # fmt: skip
    return table(["host", "pole", "score", "forces", "lack of consent established by"], rows,
                 cls="compact", numeric=(2,))  # fmt: skip
