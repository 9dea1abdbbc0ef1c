"""votes and roll-calls: how each state voted on one roll call, and which roll calls exist."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from allegiance.cli import validate
from allegiance.cli.app import (
    DbOption,
    FormatOpt,
    OutOpt,
    SinceOpt,
    UntilOpt,
    WideOpt,
    app,
    open_store,
)
from allegiance.cli.output import Col, Format, Rows, emit, err


@app.command()
def votes(
    symbol: str = typer.Argument(
        ...,
        help="Resolution symbol (A/RES/ES-11/1, ES-11/1, A/RES/2758(XXVI)) or the roll call's "
        "id from `allegiance roll-calls`.",
    ),
    region: str = typer.Option(
        None,
        "--region",
        help="post-soviet, eu, central-asia, south-caucasus, baltic, europe, asia, ...",
    ),
    states: str = typer.Option(None, "--states", help="Comma-separated ISO3 codes or names."),
    fmt: Format = FormatOpt,
    out: Path = OutOpt,
    wide: bool = WideOpt,
    db: Path = DbOption,
) -> None:
    """How each state voted on one roll call (columns: state, name, vote)."""
    from allegiance.analysis.votes import vote_rows

    fmt = validate.output(fmt, out)
    validate.region(region)
    if states is not None:
        validate.states(states)  # names are read again on the vote's date below
    store = open_store(db)
    about, columns, rows = vote_rows(store, symbol, region=region, states=validate.split(states))
    day = about["date"]
    what = about["symbol"] or f"roll call {about['id']}"
    title = f"{what} ({day.day} {day:%B %Y}): {about['title']}"
    if fmt == Format.table:
        counts: dict[str, int] = {}
        for row in rows:
            counts[row[2]] = counts.get(row[2], 0) + 1
        title += "\n" + ", ".join(f"{k}: {v}" for k, v in counts.items())
        if about["yes"] is not None and region is None and states is None:
            title += f" (official tally {_tally(about['yes'], about['no'], about['abstain'])})"
    note = None
    if states is not None:  # say why a state asked for has no row: it held no seat then
        asked = validate.states(states, on=day)
        missing = [code for code in asked if code not in {row[0] for row in rows}]
        if missing:
            note = f"not UN members on {day.day} {day:%B %Y}: {', '.join(missing)}"
            if fmt != Format.table:  # CSV and JSON stay plain: the note goes to stderr
                err.print(note, markup=False)
    view = [Col("state", kind="key"), Col("name"), Col("vote")]
    emit(Rows(columns, rows), fmt, title=title, attribution=about["attribution"], out=out,
         view=view, wide=wide, note=note)  # fmt: skip


class Kind(str, Enum):
    resolution = "resolution"
    amendment = "amendment"
    paragraph = "paragraph"


@app.command("roll-calls")
def roll_calls(
    since: str = SinceOpt,
    until: str = UntilOpt,
    session: int = typer.Option(None, "--session", help="One regular session (77: 2022-23)."),
    issue: str = typer.Option(
        None, "--issue", help="One issue area: ukraine, me, nu, di, hr, co, ec."
    ),
    important: bool = typer.Option(
        False, "--important", help="Only US State Department important votes."
    ),
    search: str = typer.Option(
        None, "--search", help="Words that must all appear in the title or symbol."
    ),
    kind: Kind = typer.Option(
        None, "--kind", help="resolution, amendment or paragraph (default: all)."
    ),
    fmt: Format = FormatOpt,
    out: Path = OutOpt,
    wide: bool = WideOpt,
    db: Path = DbOption,
) -> None:
    """The roll calls in the store, oldest first: id, date, symbol, title, tally.

    Give the symbol or the id to `allegiance votes` to see how each state voted. Before the
    31st session (1976) resolutions are numbered A/RES/2758(XXVI); votes on motions,
    amendments and paragraphs have no symbol of their own.
    """
    from allegiance.analysis.votes import roll_calls as roll_calls_of
    from allegiance.store.store import UN_ATTRIBUTION

    fmt = validate.output(fmt, out)
    validate.window(since, until)
    validate.issue(issue)
    validate.at_least(session, 1, "--session")
    store = open_store(db)
    frame = roll_calls_of(
        store, since=since, until=until, session=session, issue=issue, important=important,
        search=search, kind=None if kind is None else kind.value,
    )  # fmt: skip
    if fmt == Format.table:
        frame = frame.assign(tally=[_tally(y, n, a) for y, n, a in
                                    frame[["yes", "no", "abstain"]].itertuples(index=False)])  # fmt: skip
    view = [Col("id", kind="key"), Col("date"), Col("symbol", kind="key"),
            Col("title", kind="text"), Col("tally", kind="key"), Col("kind", level=2),
            Col("session", level=3), Col("issues", level=3), Col("important", level=3),
            Col("source", level=3)]  # fmt: skip
    what = [f"{len(frame)} roll calls"]
    if len(frame):
        what.append(f"{frame['date'].min():%Y-%m-%d} to {frame['date'].max():%Y-%m-%d}")
    emit(frame, fmt, title=", ".join(what), view=view, wide=wide, attribution=UN_ATTRIBUTION,
         out=out, note="tally: yes-no-abstain as recorded by the source; "
         "`allegiance votes ID` shows each state's vote" if len(frame) else None)  # fmt: skip


def _tally(yes, no, abstain) -> str:
    """``141-5-35``: yes, no, abstain; blank when the source gives no tally."""
    import pandas as pd

    if any(v is None or pd.isna(v) for v in (yes, no, abstain)):
        return ""
    return f"{int(yes)}-{int(no)}-{int(abstain)}"
