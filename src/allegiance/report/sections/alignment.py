"""Each post-Soviet state's agreement with the five poles per year, as small multiples."""

from __future__ import annotations

import pandas as pd

from allegiance.analysis.alignment import alignment
from allegiance.analysis.regions import region as region_members
from allegiance.poles import POLES, poles
from allegiance.report import charts
from allegiance.report.section import Citation, Section, esc, figure, table
from allegiance.store.store import UN_ATTRIBUTION

TITLE = "Alignment with the poles"


def section(store, since: int = 1992, region: str = "post-soviet") -> Section:
    """One chart of 15 panels: agreement of each state with RUS, USA, CHN, TUR and the EU."""
    states = region_members(region, f"{since}-12-31")
    names = store.state_names()
    frames = {state: alignment(store, state, since=since) for state in states}
    fig = charts.alignment_panels(frames, names, poles=POLES)
    latest = int(max(f["year"].max() for f in frames.values()))
    last_vote = str(store.roll_calls(since=latest)["date"].max())[:10]
    closest = pd.DataFrame({s: _closest(f, s) for s, f in frames.items()}).T.reindex(
        columns=[since, 2000, 2008, 2014, 2022, latest]
    )
    closest = closest.loc[:, ~closest.columns.duplicated()]
    poles_ = "; ".join(f"{p.code}: {esc(p.name)}" for p in poles().values())
    html = (
        "<p>Agreement is Voeten's measure, 1 − |v₁ − v₂| / 2 over the roll calls both sides "
        "voted on (yes = 1, abstain = 0.5, no = 0), per calendar year, on every recorded "
        f"vote (resolutions, amendments and paragraphs). Poles: {poles_}. A state's own "
        "line is not drawn against itself (Russia's panel has no Russia line).</p>"
        + figure(
            charts.svg(fig, "Agreement of each post-Soviet state with five poles per year"),
            f"Agreement with each pole per year, {since}–{latest}; {latest} holds the votes "
            f"to {last_vote}. Source: UN General Assembly votes (see Sources).",
            cls="wide",
        )
        + "<h3>Closest pole in selected years</h3><p>The closest pole is the one with the "
        "highest chance-corrected agreement (Cohen's kappa, Häge 2011), the measure of the "
        "influence index's votes channel: raw agreement is high with every pole at once.</p>"
        + _closest_table(closest, names)
    )
    return Section(
        TITLE,
        html,
        [Citation(UN_ATTRIBUTION)],
        data={"frames": frames, "panels": list(frames), "closest": closest},
    )


def _closest(frame: pd.DataFrame, state: str) -> pd.Series:
    """The closest pole per year, as :func:`alignment` names it: on chance-corrected
    agreement (kappa), never the state itself."""
    return frame.set_index("year")["closest"]


def _closest_table(closest: pd.DataFrame, names: dict) -> str:
    rows = []
    for state, row in closest.iterrows():
        cells = [esc(names.get(state, state))]
        for pole in row:
            if isinstance(pole, str):
                colour = charts.POLE_COLOURS.get(pole, "#999")
                cells.append(f'<span class="swatch" style="background:{colour}"></span>{pole}')
            else:
                cells.append("–")
        rows.append(cells)
    return table(["state", *map(str, closest.columns)], rows, cls="compact")
