"""energy: an exporter's gas and oil exports by destination, per year."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import Format, emit


@app.command()
def energy(
    exporter: str = typer.Argument(..., help="ISO3 code of the exporter, e.g. RUS."),
    since: int = typer.Option(None, "--since", help="First year (inclusive)."),
    until: int = typer.Option(None, "--until", help="Last year (inclusive)."),
    fuel: str = typer.Option(None, "--fuel", help="gas or oil (default: both)."),
    all_sources: bool = typer.Option(
        False, "--all-sources", help="Every source's figures, not only the first per year."
    ),
    fmt: Format = typer.Option(Format.table, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file (.csv, .json or .parquet)."),
    db: Path = DbOption,
) -> None:
    """EXPORTER's gas and oil exports by destination per year, with the source of each figure.

    Gas in bcm (Energy Institute) or million tonnes (MGIMO, CREA), oil in million tonnes;
    ``share`` is the destination's part of the exporter's exports of that fuel in that
    source and year. See docs/influence.md ("Energy exports by destination").
    """
    from allegiance.analysis.influence.energy_exports import exports_by_destination
    from allegiance.analysis.sourcing import cite
    from allegiance.errors import NoDataError

    store = open_store(db)
    frame = exports_by_destination(
        store, exporter, since=since, until=until, fuel=fuel, all_sources=all_sources
    )
    if frame.empty:
        raise NoDataError(f"no energy exports of {exporter.upper()} in the store for these years")
    attribution = " ".join(cite(frame).splitlines())
    years = f"{frame['year'].min()}-{frame['year'].max()}"
    title = f"{frame['exporter'].iloc[0]}: energy exports by destination, {years}"
    if fmt != Format.table:
        emit(frame, fmt, title=title, attribution=attribution, out=out)
        return
    # A narrow table: one line per figure, the source's caveats once under the title.
    label = {("ei_statistical_review", "matrix"): "EI", ("ei_statistical_review",
             "interregional"): "EI regions", ("mgimo", "net_weight"): "MGIMO",
             ("crea", "russia_exports"): "CREA"}  # fmt: skip
    shown = frame.assign(
        source=[label[k] for k in zip(frame["source"], frame["series"], strict=True)],
        year=[f"{y}" + (f" ({m} mo)" if m < 12 else "") for y, m in
              zip(frame["year"], frame["months"], strict=True)],
    )[["year", "fuel", "destination_name", "bcm", "mt", "share", "source"]]  # fmt: skip
    shown = shown.assign(share=shown["share"] * 100).rename(
        columns={"destination_name": "to", "share": "% of exports"}
    )
    notes = dict.fromkeys(f"{label[k]}: {n}" for k, n in zip(zip(frame["source"], frame["series"],
                          strict=True), frame["note"], strict=True))  # fmt: skip
    emit(shown, fmt, title=title + "\n" + "\n".join(notes), attribution=attribution, out=out,
         floatfmt="{:.1f}")  # fmt: skip
