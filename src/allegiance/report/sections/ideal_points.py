"""The ideal point of each post-Soviet state per year, with Russia, the United States,
China and Türkiye for reference."""

from __future__ import annotations

from allegiance.analysis.ideal import ideal_points
from allegiance.analysis.regions import region as region_members
from allegiance.report import charts
from allegiance.report.section import Citation, Section, figure
from allegiance.store.store import UN_ATTRIBUTION

TITLE = "Ideal points"
REFERENCE = ("RUS", "USA", "CHN", "TUR")
BSV = (
    "Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state preferences "
    "from United Nations voting data. Journal of Conflict Resolution 61(2): 430-456."
)


def by_year(frame):
    """One row per state and year: a session spans two years, and a session's few votes in
    the year it ends would draw a spike; the session with most votes in the year is kept."""
    order = frame.sort_values(["state", "year", "n_votes"])
    return order.drop_duplicates(["state", "year"], keep="last").reset_index(drop=True)


def section(store, since: int = 1992, n_bootstrap: int = 20, region: str = "post-soviet"):
    """Small multiples of each state's ideal point with its interval."""
    frame = by_year(ideal_points(store, since=since, n_bootstrap=n_bootstrap))
    states = region_members(region, f"{since}-12-31")
    names = store.state_names()
    fig = charts.ideal_point_panels(frame, states, names, reference=REFERENCE)
    first, last = int(frame["year"].min()), int(frame["year"].max())
    html = (
        "<p>An ideal point places a state on one dimension so that states that vote alike sit "
        "close together. The estimates come from the dynamic ordered-probit model of Bailey, "
        "Strezhnev and Voeten (2017), fitted to every recorded vote since "
        f"{since}, per session, and allowed to move from one session to the next "
        "(<code>docs/ideal_points.md</code>). The scale has mean 0 and standard deviation 1 "
        "over all state-sessions and is oriented so that the United States is positive. The "
        "band is the 95% parametric-bootstrap interval from "
        f"{n_bootstrap} bootstrap replicates. Thin lines: "
        + ", ".join(
            f'<span style="color:{charts.POLE_COLOURS[p]}">{charts.POLE_LABELS[p]}</span>'
            for p in REFERENCE
        )  # fmt: skip
        + ".</p>"
        + figure(
            charts.svg(fig, "Ideal points of the post-Soviet states per year"),
            f"Ideal points per year, {first}–{last}. Source: UN General Assembly votes.",
            cls="wide",
        )
    )
    return Section(TITLE, html, [Citation(UN_ATTRIBUTION), Citation(BSV)],
                   data={"frame": frame, "panels": states})  # fmt: skip
