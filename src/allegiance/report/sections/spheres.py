"""Spheres of influence: maps of the closest pole, Russia's sphere over time, each state's
drift (from the influence index, docs/influence.md)."""

from __future__ import annotations

import pandas as pd
from matplotlib.path import Path as GeoPath

from allegiance.analysis.influence import sphere as sphere_rule
from allegiance.analysis.influence.api import drift, influence, latest_full_year
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
SIZE_COLUMNS = ("in Russia's sphere", "contested", "in another pole's sphere")
TREND_MARKS = {"moving towards": "↑", "moving away": "↓", "stable": "–"}


def section(store, region: str = "post-soviet") -> Section:
    """Five maps, Russia's sphere per year, and one drift panel per state."""
    states = region_members(region)
    names = store.state_names()
    # The latest year both votes and arms transfers cover (the store's default for spheres).
    latest = latest_full_year(store)
    index = influence(store, states)
    index = index[index["year"] <= latest]
    leaders = sphere_rule.leaders(index)
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
        colours=dict(zip(SIZE_COLUMNS, (charts.POLE_COLOURS["RUS"], "#b9b9b9", "#7a9cc6"),
                         strict=True)),
    )  # fmt: skip
    frames = {s: index[index["state"] == s] for s in states}
    drift_chart = charts.index_panels(frames, names)
    drifts = pd.concat([drift(store, s) for s in states], ignore_index=True)

    html = (
        "<p>The influence index scores, per state, pole and year, how tied a state is to a "
        "pole through votes, institutions, military presence, arms, trade and opinion, each "
        "weighted (<code>docs/influence.md</code>). A state is in a pole's sphere when that "
        f"pole leads with an index of at least {sphere_rule.THRESHOLD:.2f}, by at least "
        f"{sphere_rule.MARGIN:.2f}, on at least {sphere_rule.MIN_CHANNELS} channels; otherwise "
        "it is contested. Russia, a pole itself, is hatched.</p>"
        + figure(
            charts.svg(maps, "Maps of the closest pole of each post-Soviet state"),
            "Closest pole per state in " + ", ".join(map(str, years)) + ". Solid: in that "
            "pole's sphere; pale: closest, but contested. "
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
        + "<h3>Drift</h3><p>Each state's index towards each pole per year; the table gives the "
        "trend of each pole's lead over the best alternative in the last ten full years "
        "(OLS slope, t-test at 5%): ↑ moving towards, ↓ moving away, – stable, n/a: too few "
        "years or the state is that pole.</p>"
        + figure(
            charts.svg(drift_chart, "Influence index per state, pole and year"),
            "Influence index per pole and year.",
            cls="wide",
        )  # fmt: skip
        + _drift_table(drifts, names)
    )
    citations = [Citation(NATURAL_EARTH, "https://www.naturalearthdata.com/")]
    sources = store.citations().set_index("source")["citation"]
    citations += [Citation(sources[s]) for s in ("sipri", "cow_trade", "comtrade", "armstat",
                                                 "caucasus_barometer") if s in sources.index]  # fmt: skip
    return Section(TITLE, html, citations, data={"index": index, "leaders": leaders,
                                                  "size": size, "drift": drifts, "years": years})  # fmt: skip


def sphere_size(leaders: pd.DataFrame, states: list[str], pole: str = "RUS") -> pd.DataFrame:
    """Per year: how many of ``states`` (the pole excluded) are in its sphere, contested, or
    in another pole's sphere."""
    rows = leaders[leaders["state"].isin(states) & (leaders["state"] != pole)]
    status = pd.Series("contested", index=rows.index)
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
        rows.append(cells)
    return table(["state", *poles, "years"], rows, cls="compact")
