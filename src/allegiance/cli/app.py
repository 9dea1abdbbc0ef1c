"""The Typer application and the options every command shares."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    name="allegiance",
    help="Measure geopolitical alignment and spheres of influence from open data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = typer.Option(
    None,
    "--db",
    help="The store file (default: $ALLEGIANCE_HOME/allegiance.duckdb).",
    envvar="ALLEGIANCE_DB",
)


def open_store(db: Path | None):
    from allegiance.cli.output import fail
    from allegiance.store.store import Store, StoreMissingError

    try:
        return Store(db)
    except StoreMissingError as exc:
        fail(str(exc))


# Commands register themselves on `app` when their modules are imported.
from allegiance.cli import (  # noqa: E402,F401
    alignment_commands,
    claims_commands,
    data_commands,
    event_commands,
    ideal_commands,
    influence_commands,
    kb_commands,
    report_commands,
    vote_commands,
)
