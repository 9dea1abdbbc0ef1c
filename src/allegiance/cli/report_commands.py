"""Commands of one capability; they register on the Typer app when imported."""
