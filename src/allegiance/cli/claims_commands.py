"""check: an analyst's statements against the evidence."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import check_writable, console, emit, err, fail, working


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


@app.command()
def check(
    file: Path = typer.Argument(..., help="A claims file (YAML; see docs/claims.md)."),
    fmt: CheckFormat = typer.Option(CheckFormat.table, "--format", help="table, json or html."),
    out: Path = typer.Option(None, "--out", help="Write to this file (json or html)."),
    db: Path = DbOption,
) -> None:
    """Check each claim of FILE against the votes and the knowledge base.

    Each claim gets a verdict (supported, partly supported, contradicted, not checkable)
    with its evidence; json and html carry the rows, figures and sources of every claim.
    """
    from allegiance.claims import ClaimsFileError, render
    from allegiance.claims import check as run
    from allegiance.store.store import UN_ATTRIBUTION

    # Every option is checked before the claims are (seconds of work).
    if not file.exists():
        fail(f"no claims file at {file}")
    if file.is_dir():
        fail(f"{file} is a folder; give a claims file (YAML)")
    from allegiance.cli.validate import yaml_file

    yaml_file(file, "FILE")
    if fmt == CheckFormat.table and out is not None:
        fail("--out needs --format json or html")
    if out is not None:
        if out.is_dir():
            fail(f"--out {out} is a folder; give a file name such as {out}/claims.{fmt.value}")
        check_writable(out, "--out")
    # Without --db the default store is used if there is one; if not, the claims that need
    # it are "not checkable (no vote store)" and the others are checked (as al.check does).
    store = open_store(db) if db is not None else None
    try:
        with working(f"checking the claims of {file.name}"):
            results = run(file, store=store)
    except ClaimsFileError as exc:
        fail(str(exc))
    finally:
        if store is not None:
            store.close()
    if fmt == CheckFormat.table:
        doc = results.attrs["document"]
        emit(render.table(results), title=f"{doc['title']} ({doc['author']}, {doc['date']})")
        emit(render.tally(results), title="Verdicts")
        console.print(f"{UN_ATTRIBUTION} Full evidence: --format json or html.", style="dim",
                      markup=False)  # fmt: skip
        return
    text = render.to_json(results) if fmt == CheckFormat.json else render.to_html(results)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {len(results)} claims to {out}")
    else:
        sys.stdout.write(text)
