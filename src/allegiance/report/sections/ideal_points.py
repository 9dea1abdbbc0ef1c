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
ILO = (
    "Imai, K., Lo, J. and Olmsted, J. (2016). Fast estimation of ideal points with massive "
    "data. American Political Science Review 110(4): 631-656."
)


def section(store, since: int = 1992, region: str = "post-soviet"):
    """Small multiples of each state's ideal point per year with its 95% interval.

    The model is fitted once on the whole record (the cached default fit of
    ``allegiance ideal``), so that the years shown share the scale of all others; the
    intervals are analytic (docs/ideal_points.md).
    """
    fitted = ideal_points(store)
    frame = fitted[fitted["year"] >= since].reset_index(drop=True)
    d = fitted.attrs["diagnostics"]
    states = region_members(region, f"{since}-12-31")
    names = store.state_names()
    fig = charts.ideal_point_panels(frame, states, names, reference=REFERENCE)
    first, last = int(frame["year"].min()), int(frame["year"].max())
    bridges = [b for p, b in zip(d["bridges"]["period_from"], d["bridges"]["n_items"],
                                 strict=True) if p >= since]  # fmt: skip
    reference = d.get("reference") or [first, last]
    html = (
        "<p>An ideal point places a state on one dimension so that states that vote alike sit "
        "close together; positive means voting like the United States. The estimates come "
        "from the dynamic ordered-probit model of Bailey, Strezhnev and Voeten (2017), "
        "fitted by variational EM (Imai, Lo and Olmsted 2016) to every recorded vote since "
        "1946, one point per state and calendar year. Resolutions that return from one "
        "session to the next keep their parameters, and states move little from one year "
        "to the next, which ties the years to one scale. The states of "
        f"{reference[0]}–{reference[1]} have mean 0 and standard deviation 1; every other "
        "year's centre and spread are estimated (the discriminations of all resolutions "
        "share the prior of Bailey, Strezhnev and Voeten's own estimates), so a year in "
        "which the Assembly was less divided shows a narrower spread "
        "(<code>docs/ideal_points.md</code>). The band is the 95% interval "
        "(Laplace approximation with the error of the item parameters and of each year's "
        "place on the common scale; it covers 95% of true values in simulations). Thin "
        "lines: "
        + ", ".join(
            f'<span style="color:{charts.POLE_COLOURS[p]}">{charts.POLE_LABELS[p]}</span>'
            for p in REFERENCE
        )  # fmt: skip
        + ".</p>"
        + f"<p>Fit: {'converged' if d['converged'] else 'did not converge'} after "
        f"{d['n_iter']} EM sweeps; {d['n_roll_calls']:,} roll calls, of which "
        f"{d['n_lopsided']:,} lopsided ones (fewer than 5% on the smaller side) are left out; "
        f"since {since}, a median of {_median(bridges)} resolutions bridge one year to the "
        "next.</p>"
        + figure(
            charts.svg(fig, "Ideal points of the post-Soviet states per year"),
            f"Ideal points per year, {first}–{last}. Source: UN General Assembly votes.",
            cls="wide",
        )
    )
    return Section(TITLE, html, [Citation(UN_ATTRIBUTION), Citation(BSV), Citation(ILO)],
                   data={"frame": frame, "panels": states, "diagnostics": d})  # fmt: skip


def _median(values) -> int:
    ordered = sorted(values)
    return int(ordered[len(ordered) // 2]) if ordered else 0
