"""How the 15 post-Soviet states voted on each resolution of the 11th emergency special
session (Ukraine), with the official tallies."""

from __future__ import annotations

import pandas as pd

from allegiance.analysis.regions import region as region_members
from allegiance.analysis.votes import votes as votes_of
from allegiance.report.section import Citation, Section, esc, table
from allegiance.store.store import UN_ATTRIBUTION

TITLE = "Post-Soviet votes on Ukraine (ES-11)"
PREFIX = "A/RES/ES-11/"
SYMBOLS = {"yes": "Y", "no": "N", "abstain": "A", "absent": "–"}


def _number(symbol: str) -> int:
    tail = symbol.removeprefix(PREFIX)
    return int(tail) if tail.isdigit() else 10**6


def section(store, region: str = "post-soviet") -> Section:
    """A state x resolution grid of votes, from A/RES/ES-11/1 to the latest in the store."""
    rc = store.roll_calls(kind="resolution")
    rc = rc[rc["symbol"].fillna("").str.startswith(PREFIX)]
    rc = rc.assign(n=rc["symbol"].map(_number)).sort_values(["n", "date"])
    rc = rc.drop_duplicates("symbol", keep="last")
    if rc.empty:
        raise LookupError("no resolution of the 11th emergency special session in the store")
    grid = {}
    for symbol in rc["symbol"]:
        votes = votes_of(store, symbol, region=region)
        grid[symbol] = dict(zip(votes["state"], votes["vote"], strict=True))
    names = store.state_names()
    states = region_members(region, pd.Timestamp(rc["date"].max()).date())
    frame = pd.DataFrame(grid, index=states)
    frame.index.name = "state"

    head = ["state", *(s.removeprefix("A/RES/") for s in rc["symbol"])]
    rows = []
    for state in states:
        cells = [esc(names.get(state, state))]
        for symbol in rc["symbol"]:
            vote = grid[symbol].get(state)
            label = vote or "absent"
            cells.append(
                f'<span class="vote vote-{label}" data-state="{state}" data-symbol="{esc(symbol)}" '
                f'title="{esc(names.get(state, state))}, {esc(symbol)}: {label}">'
                f"{SYMBOLS.get(label, '?')}</span>"
            )
        rows.append(cells)
    tallies = [
        "<em>official tally</em> (yes–no–abstain)",
        *(f"{int(r.yes)}–{int(r.no)}–{int(r.abstain)}" for r in rc.itertuples()),
    ]
    dates = ["<em>date</em>", *(esc(str(d)[:10]) for d in rc["date"])]
    titles = "".join(
        f"<li><strong>{esc(r.symbol)}</strong> ({esc(str(r.date)[:10])}): {esc(r.title)}</li>"
        for r in rc.itertuples()
    )
    legend = " ".join(
        f'<span class="vote vote-{label}">{mark}</span> {label}' for label, mark in SYMBOLS.items()
    )
    html = (
        "<p>Each cell is a state's recorded vote on one resolution of the General Assembly's "
        "11th emergency special session, convened on 28 February 2022 after Russia's full-scale "
        f"invasion of Ukraine. Legend: {legend}.</p>"
        + table(head, [*rows, dates, tallies], cls="grid es11")
        + f"<details><summary>Titles of the {len(rc)} resolutions</summary><ul>{titles}</ul>"
        "</details>"
    )
    sources = store.citations().set_index("source")["citation"]
    citations = [Citation(UN_ATTRIBUTION)] + [
        Citation(sources[s]) for s in rc["source"].unique() if s in sources.index
    ]
    return Section(TITLE, html, citations, data={"grid": frame, "roll_calls": rc})
