"""report: the whole analysis as one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import check_writable, console, err, fail

OutOption = typer.Option(Path("out/report.html"), "--out", help="The HTML file to write.")
ClaimsOption = typer.Option(
    None,
    "--claims",
    help="Claims file for the ledger (default: examples/claims/kuzio-2025-03-10.yaml).",
)
PartialOption = typer.Option(
    False, "--allow-partial", help="Exit 0 even if a section failed (it shows an error box)."
)


@app.command()
def report(
    out: Path = OutOption,
    claims: Path = ClaimsOption,
    db: Path = DbOption,
    allow_partial: bool = PartialOption,
) -> None:
    """The whole analysis as one HTML file that opens offline.

    Coverage, ES-11 votes, alignment, ideal points, timelines, spheres, claims, sources."""
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from allegiance.cli import validate
    from allegiance.errors import BadInputError
    from allegiance.report.render import ORDER, ReportIncomplete, render_report
    from allegiance.report.section import FAILED

    # Every option is checked before the report is (half a minute of work).
    if out.suffix.lower() not in (".html", ".htm"):
        raise BadInputError(f"--out {out}: the report is an HTML file; give a name ending in .html")
    if out.is_dir():
        raise BadInputError(f"--out {out} is a folder; give a file name such as {out}/report.html")
    check_writable(out, "--out")
    if claims is not None:
        validate.yaml_file(claims, "--claims")
    store = open_store(db)
    marks = {FAILED: "[bold red]failed[/bold red]"}
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("report", total=len(ORDER))

        def progress(title, section) -> None:
            if section is None:
                bar.update(task, description=title)
                return
            bar.advance(task)
            status = marks.get(section.status, "[green]ok[/green]")
            detail = f" [dim]{escape(str(section.error))}[/dim]" if section.error else ""
            bar.console.print(f"{escape(str(title))}: {status}{detail}")

        try:
            path = render_report(store, out, claims, allow_partial=allow_partial,
                                 progress=progress)  # fmt: skip
        except ReportIncomplete as exc:
            fail(f"{exc} (the report was written; --allow-partial to accept it)")
    console.print(f"wrote {path}", markup=False)
