"""kb, members, timeline: the knowledge base from the command line.

These commands need no built store: they ask the functions of
:mod:`allegiance.analysis.knowledge`. Tables show a short
source (publisher and date of the first citation, and how many more there are); CSV and
JSON carry the full ``citation``, ``citation_url``, and the ``file`` and ``line`` of the
record.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import typer

from allegiance._lazy import lazy
from allegiance.cli.app import WideOpt, app
from allegiance.cli.output import Col, Format, console, emit, err, fail

pd = lazy("pandas")

FormatOpt = typer.Option(Format.table, "--format", help="table (default), csv or json.")
OnOpt = typer.Option(
    None, "--on", help="The day: YYYY-MM-DD (YYYY-MM or YYYY mean their first day). Default: today."
)
KbDirOpt = typer.Option(
    None, "--kb-dir", help="With `check`: check the files in this folder, not the package's."
)

#: Columns CSV and JSON add to what a table shows; a table shows ``source`` instead.
CITED = ["citation", "citation_url", "n_citations", "file", "line"]

#: Columns of sentences and names that wrap in a table rather than being cut.
PROSE = {"organization", "site", "name", "what", "parties", "recognised_by", "source", "city",
         "controlled_by", "backed_by", "kind"}  # fmt: skip


def _view(frame: pd.DataFrame) -> list[Col]:
    return [Col(c, kind="prose" if c in PROSE else None) for c in frame.columns]


#: The sections of ``allegiance kb STATE``: key in ``profile``, heading, columns shown.
SECTIONS = [
    ("memberships", "Memberships", ["org", "organization", "status", "start", "end"]),
    (
        "forces_hosted",
        "Foreign forces on its soil",
        ["sender", "site", "kind", "start", "end", "size"],
    ),
    ("forces_abroad", "Its forces abroad", ["host", "site", "kind", "start", "end", "size"]),
    (
        "offices",
        "Offices of state agencies, sent or hosted",
        ["sender", "host", "city", "name", "opened", "closed"],
    ),
    ("agreements", "Agreements in force", ["name", "kind", "parties", "signed", "in_force"]),
    (
        "territories",
        "Occupied, separatist or annexed territories",
        ["name", "de_jure", "status", "controlled_by", "backed_by", "since", "recognised_by"],
    ),
]


def _book():
    from allegiance import kb

    return kb.default()


def _attribution() -> str:
    from allegiance.analysis.knowledge import KB_ATTRIBUTION

    return KB_ATTRIBUTION


def _day(text: str | None, option: str) -> date:
    from allegiance.dates import parse_date

    return date.today() if text is None else parse_date(text, what=option)


def _state_name(code: str) -> str:
    from allegiance.states import UnknownStateError, name

    try:
        return name(code)
    except UnknownStateError:
        return "European Union" if code == "EU" else code


def _short_name(org) -> str:
    """An organization's name without the history in brackets: "BRICS (BRIC until 2010)"."""
    return org.name.split(" (")[0]


def _citations(kb, frame: pd.DataFrame) -> list[list]:
    """The citations of the record behind each row (rows name their file and line)."""
    from allegiance.kb.check import records

    by_place = {(r.file, r.line): r for r in records(kb)}
    return [
        by_place[(file, line)].citations
        for file, line in zip(frame["file"], frame["line"], strict=True)
    ]


def _short(citations: list) -> str:
    first = citations[0]
    publisher = first.publisher if len(first.publisher) <= 40 else first.publisher[:39] + "…"
    more = f" +{len(citations) - 1}" if len(citations) > 1 else ""
    return f"{publisher}, {first.date}{more}"


def _shown(kb, frame: pd.DataFrame, columns: list[str], fmt: Format) -> pd.DataFrame:
    """The columns to print: ``source`` in a table, the full citation in CSV and JSON."""
    cites = _citations(kb, frame)
    if fmt == Format.table:
        return frame[columns].assign(source=[_short(c) for c in cites])
    return frame.assign(n_citations=[len(c) for c in cites])[[*columns, *CITED]]


def _rows(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))


@app.command()
def kb(
    state: str = typer.Argument(
        ..., help="ISO3 code or name of a state (or EU); `check` checks the knowledge base."
    ),
    on: str = OnOpt,
    fmt: Format = FormatOpt,
    kb_dir: Path = KbDirOpt,
    wide: bool = WideOpt,
) -> None:
    """A state's ties on a day, each with its source (`kb check`: check the files).

    Memberships and their status, foreign forces on its soil, its forces abroad, offices,
    agreements in force, territories.

    CSV is one table with a `section` column. JSON is {title, attribution, state, on,
    sections: {memberships, forces_hosted, forces_abroad, offices, agreements,
    territories}}, each a list of rows.

    `allegiance kb check` reads and checks every file of the knowledge base: it lists each
    problem as file:line: field: message and exits with 1, or prints the number of records
    of each file.
    """
    if state.strip().lower() == "check":
        _check(kb_dir, fmt)
        return
    if kb_dir is not None:
        fail("--kb-dir only goes with `allegiance kb check`")
    from allegiance import kb as kb_
    from allegiance.analysis.knowledge import ties as ties_of

    day = _day(on, "--on")
    code = kb_.require_actor(state, on=day)
    book = _book()
    ties = ties_of(code, on=day, kb=book)
    orgs = {o.id: _short_name(o) for o in book.organizations}
    ties["memberships"] = ties["memberships"].assign(
        organization=lambda f: f["org"].map(orgs).astype(object)
    )
    shown = {key: _shown(book, ties[key], columns, fmt) for key, _, columns in SECTIONS}
    title = f"{_state_name(code)} ({code}) on {day.isoformat()}"
    if fmt == Format.table:
        console.print(title, style="bold", markup=False)
        for key, heading, _ in SECTIONS:
            if shown[key].empty:
                console.print(f"{heading}: none recorded", markup=False)
            else:
                emit(shown[key], fmt, title=heading, view=_view(shown[key]), wide=wide)
        console.print(_attribution(), style="dim", markup=False)
    elif fmt == Format.csv:
        # One table for all sections: each row fills the columns of its own section.
        columns = dict.fromkeys(c for _, _, shown_columns in SECTIONS for c in shown_columns)
        rows = [frame.assign(section=key) for key, frame in shown.items() if not frame.empty]
        long = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
        emit(long.reindex(columns=["section", *columns, *CITED]), fmt, attribution=_attribution())
    else:
        payload = {
            "title": title,
            "attribution": _attribution(),
            "state": code,
            "on": day.isoformat(),
            "sections": {key: _rows(frame) for key, frame in shown.items()},
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


def _check(folder: Path | None, fmt: Format) -> None:
    """Read and check the knowledge base; print its problems or one line of counts."""
    from allegiance.kb.check import check_kb
    from allegiance.kb.load import ATTRIBUTES, KBError, default_folder, load_kb
    from allegiance.kb.models import FILES

    where = folder if folder is not None else default_folder()
    try:
        loaded = load_kb(where)  # no cache: a check reads the files themselves
    except KBError as exc:
        problems = exc.problems
    else:
        problems = check_kb(loaded)
    if problems:
        if fmt == Format.table:
            for problem in problems:
                console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        else:
            frame = pd.DataFrame(
                [(p.file, p.line, p.field, p.message) for p in problems],
                columns=["file", "line", "field", "message"],
            )
            emit(frame, fmt, title="Problems in the knowledge base")
        err.print(f"{len(problems)} problem(s) in the knowledge base at {where}")
        raise typer.Exit(1)
    counts = {name: len(getattr(loaded, ATTRIBUTES[name])) for name in FILES}
    each = ", ".join(f"{name} {n}" for name, n in counts.items())
    summary = f"knowledge base OK: {sum(counts.values())} records ({each})"
    if fmt == Format.table:
        console.print(summary, markup=False, highlight=False, soft_wrap=True)
    else:
        emit(
            pd.DataFrame({"file": list(counts), "records": list(counts.values())}),
            fmt,
            title=summary,
        )


@app.command()
def members(
    org: str = typer.Argument(..., help="Organization id (CSTO, EU, NATO, OTS, NAM, ...) or name."),
    on: str = OnOpt,
    fmt: Format = FormatOpt,
    wide: bool = WideOpt,
) -> None:
    """The members of an organization on a day, each with its source.

    CSV columns: state, name, status, start, end, citation, citation_url, n_citations,
    file, line. `status` is `suspended` for a member that has suspended or frozen its
    participation, else `member`."""
    from allegiance import kb as kb_
    from allegiance.analysis.knowledge import members as members_of

    book = _book()
    day = _day(on, "--on")
    org_id = kb_.require_org(org, book)
    frame = members_of(org_id, on=day, kb=book)
    frame = frame.assign(name=[_state_name(code) for code in frame["state"]])
    shown = _shown(book, frame, ["state", "name", "status", "start", "end"], fmt)
    title = f"Members of the {_short_name(book.organization(org_id))} ({org_id}) on {day}"
    if fmt == Format.table:
        counts = frame["status"].value_counts().to_dict()
        title += "\n" + ", ".join(f"{status}: {n}" for status, n in counts.items())
    emit(shown, fmt, title=title, attribution=_attribution(), view=_view(shown), wide=wide)


@app.command()
def timeline(
    state: str = typer.Argument(..., help="ISO3 code or name of a state (or EU)."),
    since: str = typer.Option(
        None, "--since", help="First year (or YYYY-MM-DD) to show. Default: everything."
    ),
    fmt: Format = FormatOpt,
    wide: bool = WideOpt,
) -> None:
    """Everything the knowledge base dates about a state, in order.

    Memberships, forces, offices, agreements, territories, recognitions and events. CSV
    columns: date, kind, what, citation, citation_url, n_citations, file, line."""
    from allegiance import kb as kb_
    from allegiance.analysis.knowledge import timeline as timeline_of

    if since is not None:
        _day(since, "--since")
    code = kb_.require_actor(state)
    book = _book()
    frame = timeline_of(code, since=since, kb=book)
    shown = _shown(book, frame, ["date", "kind", "what"], fmt)
    title = f"Timeline of {_state_name(code)} ({code})" + (f" from {since}" if since else "")
    emit(shown, fmt, title=title, attribution=_attribution(), view=_view(shown), wide=wide)
