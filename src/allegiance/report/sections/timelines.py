"""Each post-Soviet state's ties over time: memberships, foreign forces, closures, incidents."""

from __future__ import annotations

import pandas as pd

from allegiance.analysis.knowledge import memberships, presence, timeline
from allegiance.analysis.regions import region as region_members
from allegiance.report import charts
from allegiance.report.section import Citation, Section, esc, figure, link, table

TITLE = "Timelines from the knowledge base"
#: Membership statuses drawn as full membership; the rest (suspended, observer...) in grey.
FULL = {"member", "founding member"}


def spells(kb, state: str) -> pd.DataFrame:
    """Membership spells and foreign military presence in ``state`` as bars."""
    m = memberships(state=state, kb=kb)
    rows = [
        {
            "label": f"{r.org} {r.status}" if r.status not in FULL else r.org,
            "start": r.first_day,
            "end": r.last_day,
            "kind": "membership" if r.status in FULL else "suspended",
        }
        for r in m.itertuples()
    ]
    p = presence(host=state, kb=kb)
    for sender, group in p.groupby("sender", sort=False):
        for kind, spell in group.groupby("kind", sort=False):
            for r in spell.itertuples():
                rows.append({
                    "label": f"{sender} {kind.replace('_', ' ')}",
                    "start": r.first_day,
                    "end": r.last_day,
                    "kind": "presence",
                })  # fmt: skip
    return pd.DataFrame(rows, columns=["label", "start", "end", "kind"])


def marks(timeline: pd.DataFrame) -> pd.DataFrame:
    """Office closures and openings and events (incidents) as marks."""
    kind = timeline["kind"]
    what = timeline["what"].fillna("")
    closure = (kind == "office") & what.str.endswith(" closed")
    opening = (kind == "office") & what.str.endswith(" opened")
    incident = kind.str.startswith("event")
    frame = timeline.assign(mark=None)
    frame.loc[closure, "mark"] = "closure"
    frame.loc[opening, "mark"] = "opening"
    frame.loc[incident, "mark"] = "incident"
    frame = frame[frame["mark"].notna()]
    return pd.DataFrame({"day": frame["day"], "kind": frame["mark"]})


def section(store, region: str = "post-soviet", since: int = 1991) -> Section:
    """A compact chart and a cited table per state."""
    from allegiance import kb as kb_

    kb = kb_.default()
    names = store.state_names()
    states = region_members(region)
    parts, citations, data = [], [], {}
    for state in states:
        tl = timeline(state, kb=kb)
        s, m = spells(kb, state), marks(tl)
        data[state] = {"timeline": tl, "spells": s, "marks": m}
        name = names.get(state, state)
        chart = ""
        if len(s) or len(m):
            chart = figure(
                charts.svg(charts.timeline_chart(s, m, since=since), f"Timeline of {name}"), ""
            )
        rows = [
            [esc(r.date), esc(r.kind), esc(r.what), link("source", r.citation_url)]
            for r in tl.itertuples()
        ]
        citations += [Citation(r.citation, r.citation_url) for r in tl.itertuples()]
        parts.append(
            f'<div class="state-timeline"><h3 id="timeline-{state}">{esc(name)}</h3>{chart}'
            f"<details><summary>{len(tl)} dated entries with sources</summary>"
            + table(["date", "kind", "what", "source"], rows, cls="compact")
            + "</details></div>"
        )
    legend = figure(charts.svg(charts.timeline_legend(), "Legend of the timelines"), "")
    html = (
        "<p>Dated facts from the knowledge base shipped with allegiance: memberships of "
        "organizations (bars; grey when suspended, an observer or a partner), foreign military "
        "presence hosted by the state (bars), offices closed or opened and events such as "
        "withdrawals and incidents (marks). Every entry cites its source; open a state's table "
        "for the links. An ongoing spell runs to the right edge.</p>" + legend + "".join(parts)
    )
    return Section(TITLE, html, list(dict.fromkeys(citations)), data=data)
