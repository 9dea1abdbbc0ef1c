"""``allegiance serve``: the web dashboard and JSON API (docs/web.md)."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app
from allegiance.errors import BadInputError


@app.command()
def serve(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (default: this machine only)."
    ),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    db: Path = DbOption,
    claims: Path = typer.Option(
        None, "--claims", help="Folder of claims files for the ledger (default: examples/claims)."
    ),
    workers: int = typer.Option(
        2, "--connections", min=1, max=16, help="Read-only store connections shared by requests."
    ),
) -> None:
    """Serve the dashboard (map, states, resolutions, claims, sources) and the JSON API."""
    import uvicorn

    from allegiance.web import create_app

    if claims is not None and not claims.is_dir():
        raise BadInputError(f"--claims {claims}: not a folder")
    started = time.perf_counter()
    web = create_app(db, pool_size=workers, claims_dir=claims)
    where = f"http://{host}:{port}/"
    typer.echo(
        f"allegiance serve: {where} (store {web.state.service.pool.path}, ready in "
        f"{time.perf_counter() - started:.1f} s; the influence panel is computed in the "
        "background). Ctrl-C stops."
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: listening on {host}: other machines can reach this server", err=True)
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)
