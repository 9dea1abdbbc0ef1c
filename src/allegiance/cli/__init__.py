"""The ``allegiance`` command line: a thin Typer layer over the Python API."""

from __future__ import annotations

from allegiance.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
