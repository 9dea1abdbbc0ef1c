"""Coverage: what the store holds, per decade and per source, and the checks it ran."""

from __future__ import annotations

from allegiance.report.section import Citation, Section, esc, number, table
from allegiance.store.store import UN_ATTRIBUTION

TITLE = "Coverage of the vote data"


def section(store) -> Section:
    """Roll calls and cast votes per decade and per source, and the store's checks."""
    info = store.info()
    cast_by_decade = store.cast_votes_by_decade()
    decades = info["decades"].merge(cast_by_decade, on="decade", how="left")
    decade_rows = [
        [
            f"{int(d.decade)}s",
            number(d.roll_calls),
            number(d.cast_votes),
            number(d.sessions),
            esc(str(d.first)[:10]),
            esc(str(d.last)[:10]),
        ]
        for d in decades.itertuples()
    ]
    sources = info["sources"]
    votes = sources[sources["read"].notna()]
    source_rows = [
        [
            f"<code>{esc(s.source)}</code>",
            number(s.read),
            number(s.kept),
            number(s.vote_rows),
            number(s.rejected),
        ]
        for s in votes.itertuples()
    ]
    checks = info["checks"]
    check_rows = [[esc(c.check), number(c.n)] for c in checks.itertuples()]
    total = int(decades["roll_calls"].sum())
    html = (
        f"<p>The store holds <strong>{number(total)}</strong> recorded votes (roll calls) of the "
        f"General Assembly from {esc(str(decades['first'].min())[:10])} to "
        f"{esc(str(decades['last'].max())[:10])}. When several sources record the same roll "
        "call, one is kept and the others are checked against it.</p>"
        "<h3>Per decade</h3>"
        + table(
            ["decade", "roll calls", "cast votes", "sessions", "first", "last"],
            decade_rows,
            numeric={1, 2, 3},
        )
        + "<h3>Per source</h3><p class=note>“read”: roll calls in the source; “kept”: roll "
        "calls for which the store uses this source; “vote rows”: state votes read; "
        "“rejected”: rows that failed validation.</p>"
        + table(
            ["source", "read", "kept", "vote rows", "rejected"], source_rows, numeric={1, 2, 3, 4}
        )
        + "<h3>Checks</h3>"
        + table(["check", "count"], check_rows, numeric={1})
        + "<p class=note>Details: <code>allegiance info --conflicts</code>, "
        "<code>--tallies</code>, <code>--rejections</code>.</p>"
    )
    citations = [Citation(UN_ATTRIBUTION)] + [
        Citation(c, None) for c in votes.loc[votes["kept"] > 0, "citation"]
    ]
    return Section(TITLE, html, citations, data={"decades": decades, "sources": votes})
