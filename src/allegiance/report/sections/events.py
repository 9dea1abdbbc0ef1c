"""Event data: Russia's and the United States' cooperative and conflictual events with Georgia
by month, 2011-2013 (GDELT 1.0 extract; docs/events.md)."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from allegiance.analysis.influence.channels.events import monthly, scope
from allegiance.report import charts
from allegiance.report.section import Citation, Section, esc, figure, table

TITLE = "Events: Russia and the United States with Georgia"
STATE, POLES, SINCE, UNTIL = "GEO", ("RUS", "USA"), 2011, 2013


def section(store, state: str = STATE, poles=POLES, since: int = SINCE, until: int = UNTIL):
    """Monthly cooperative and conflictual events between ``state`` and each pole."""
    series = {p: monthly(store, state, p, since=since, until=until) for p in poles}
    series = {p: s[s["dataset"] == _main_dataset(s)] for p, s in series.items() if len(s)}
    if not series:
        return Section(TITLE, "<p>Insufficient data: the store holds no event data for "
                       f"{esc(state)} in {since}–{until}.</p>", data={"series": {}})  # fmt: skip
    months = pd.period_range(f"{since}-01", f"{until}-12", freq="M").strftime("%Y-%m")
    covered = sorted(set().union(*(set(s["month"]) for s in series.values())))
    span = [m for m in months if covered[0] <= m <= covered[-1]]
    missing = [m for m in span if m not in covered]
    where = scope(store)
    located = where.dropna(subset=["located_in"])
    html = (
        "<p>Events between Georgia and each pole, both directions together, per month: "
        "cooperation (CAMEO quad classes verbal and material cooperation, above the line) "
        "and conflict (verbal and material conflict, below). Events of one report coded "
        "twice for the same dyad, day and code are counted once; unweighted counts.</p>"
        + figure(
            charts.svg(_chart(series, span), "Cooperative and conflictual events per month"),
            "Events per month between Georgia and Russia (left) and the United States "
            "(right). Grey bands: months with no data in the extract. Source: GDELT 1.0.",
            cls="wide",
        )
        + _table(series)
        + "<p class=caveat><strong>Coverage.</strong> "
        + esc(
            "The GDELT extract holds only events located in Georgia "
            f"({', '.join(sorted(set(located['located_in'])))} in the coverage table), "
            "so meetings and statements abroad (a Georgian minister in Washington or "
            "Moscow) are missing. "
            + (f"No data for {', '.join(missing)}. " if missing else "")
            + "July-October 2012 hold far fewer events than other months (incomplete "
            "upstream pulls, events/SOURCES.md). GDELT codes actors from names: 'Georgia' "
            "in US news (the US state) can be coded as the country, which inflates "
            "US-Georgia counts (docs/events.md)."
        )
        + "</p>"
    )
    cites = store.citations().set_index("source")["citation"]
    citations = [Citation(cites[s]) for s in ("gdelt", "cameo") if s in cites.index]
    return Section(TITLE, html, citations, data={"series": series, "missing": missing})


def _main_dataset(frame: pd.DataFrame) -> str:
    return str(frame.groupby("dataset")["events"].sum().idxmax())


def _chart(series: dict[str, pd.DataFrame], months: list[str]) -> Figure:
    covered = months
    with mpl.rc_context(charts.RC):
        fig = Figure(figsize=(7.6, 2.8), layout="constrained")
        axes = fig.subplots(1, len(series), sharey=True, squeeze=False)[0]
        for ax, (pole, s) in zip(axes, series.items(), strict=True):
            frame = s.set_index("month").reindex(covered)
            x = np.arange(len(covered))
            coop = frame["cooperation"].to_numpy(dtype=float)
            conf = frame["conflict"].to_numpy(dtype=float)
            ax.bar(x, coop, width=0.8, color=charts.POLE_COLOURS[pole], linewidth=0,
                   label="cooperation")  # fmt: skip
            ax.bar(x, -conf, width=0.8, color="#555555", linewidth=0, label="conflict")
            for i in np.flatnonzero(np.isnan(coop)):
                ax.axvspan(i - 0.4, i + 0.4, color=charts.NO_DATA)
            ax.axhline(0, color="#888888", lw=0.6)
            ax.set_title(charts.POLE_LABELS[pole] + " – Georgia")
            ticks = [i for i, m in enumerate(covered) if m.endswith(("-01", "-07"))]
            ax.set_xticks(ticks, [covered[i] for i in ticks], fontsize=7)
            ax.grid(True, axis="y")
            ax.set_axisbelow(True)
        axes[0].set_ylabel("events per month (conflict below 0)")
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside upper right", ncols=2,
                   fontsize=7)  # fmt: skip
    return fig


def _table(series: dict[str, pd.DataFrame]) -> str:
    rows = []
    for pole, s in series.items():
        year = s["month"].str[:4]
        for y, g in s.groupby(year):
            coop, conf = int(g["cooperation"].sum()), int(g["conflict"].sum())
            mc = int(g["material_conflict"].sum())
            gm = (g["goldstein_mean"] * g["events"]).sum() / max(int(g["events"].sum()), 1)
            rows.append([esc(charts.POLE_LABELS[pole]), esc(y), str(len(g)), str(coop),
                         str(conf), str(mc), f"{gm:+.2f}"])  # fmt: skip
    return table(
        ["pole", "year", "months", "cooperation", "conflict", "of which material", "Goldstein"],
        rows, cls="compact", numeric=(2, 3, 4, 5, 6),
    )  # fmt: skip
