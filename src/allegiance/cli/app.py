"""The Typer application and the options every command shares."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance._version import __version__
from allegiance.cli.output import Format

app = typer.Typer(
    name="allegiance",
    help="Measure geopolitical alignment and spheres of influence from open data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"allegiance {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Measure geopolitical alignment and spheres of influence from open data."""


DbOption = typer.Option(
    None,
    "--db",
    help="The store file (default: $ALLEGIANCE_HOME/allegiance.duckdb).",
    envvar="ALLEGIANCE_DB",
)
SinceOpt = typer.Option(
    None, "--since", help="First year (or year-month, or date), inclusive. Old name: --from."
)
UntilOpt = typer.Option(
    None, "--until", help="Last year (or year-month, or date), inclusive. Old name: --to."
)


WideOpt = typer.Option(
    False, "--wide", help="Show every column, unabbreviated, however wide the table gets."
)
FormatOpt = typer.Option(
    Format.table, "--format", help="table (default), csv, json or parquet (parquet needs --out)."
)
OutOpt = typer.Option(
    None, "--out", help="Write to this file; .csv, .json or .parquet sets the format."
)


def open_store(db: Path | None):
    """The store at ``db`` (or the default one); errors reach the CLI's error boundary."""
    from allegiance.store.store import Store

    return Store(db)


def split(value: str | None) -> list[str] | None:
    """A comma-separated option as a list (None stays None)."""
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


# Commands register themselves on `app` when their modules are imported.
from allegiance.cli import (  # noqa: E402,F401
    alignment_commands,
    claims_commands,
    data_commands,
    energy_commands,
    event_commands,
    ideal_commands,
    index_commands,
    influence_commands,
    kb_commands,
    report_commands,
    vote_commands,
    web_commands,
)
