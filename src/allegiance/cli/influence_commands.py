"""sphere, drift, profile: the channels of influence and the sphere-of-influence index."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance._lazy import lazy
from allegiance.cli.app import DbOption, app, open_store
from allegiance.cli.output import Format, emit, fail
from allegiance.store.store import UN_ATTRIBUTION

pd = lazy("pandas")

FormatOpt = typer.Option(Format.table, "--format")
OutOpt = typer.Option(None, "--out", help="Write to this file (csv or json).")
WeightsOpt = typer.Option(
    None, "--weights", help="JSON or TOML file of channel weights, e.g. {\"votes\": 0.3}; channels "
    "left out keep their defaults (see docs/influence.md).", exists=True, dir_okay=False,
)  # fmt: skip
YearOpt = typer.Option(
    None, "--year", help="Year (default: the latest year with votes and arms data)."
)

_CHANNEL_SOURCES = ("cow_trade", "comtrade", "armstat", "sipri", "caucasus_barometer")


def _attribution(store) -> str:
    cites = store.sql("SELECT source, citation FROM sources ORDER BY source")
    cites = cites[cites["source"].isin(_CHANNEL_SOURCES)]
    return " ".join([UN_ATTRIBUTION, *cites["citation"].tolist(),
                     "Memberships and military presence: allegiance knowledge base (cited per record)."])  # fmt: skip


def _weights(path: Path | None):
    return None if path is None else str(path)


@app.command()
def sphere(
    pole: str = typer.Argument(..., help="RUS, USA, CHN, TUR or EU."),
    year: int = YearOpt,
    threshold: float = typer.Option(None, "--threshold", help="Lowest index of a sphere's leader (default 0.40)."),
    margin: float = typer.Option(None, "--margin", help="Smallest lead over the runner-up (default 0.05)."),
    weights: Path = WeightsOpt, fmt: Format = FormatOpt, out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """States in POLE's sphere, contested, and outside it in one year.

    A state is in a pole's sphere when that pole's index is the highest, clears the
    threshold, leads by the margin and rests on at least two channels.
    """
    store = open_store(db)
    try:
        frame = store.sphere(
            pole.upper(), year, threshold=threshold, margin=margin, weights=_weights(weights)
        )
    except ValueError as exc:
        fail(str(exc))
    counts = frame["status"].value_counts()
    title = (f"{pole.upper()}'s sphere in {frame['year'].iloc[0] if len(frame) else year}: "
             + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("in sphere", "contested", "outside")))  # fmt: skip
    emit(frame, fmt, title=title, attribution=_attribution(store), out=out)


@app.command()
def drift(
    state: str = typer.Argument(..., help="ISO3 code of the state."),
    since: int = typer.Option(None, "--from", help="First year (default: ten years before --to)."),
    until: int = typer.Option(None, "--to", help="Last year (default: the latest year with votes and arms)."),
    poles: str = typer.Option("RUS,USA,CHN,TUR,EU", "--poles", help="Comma-separated poles."),
    weights: Path = WeightsOpt, fmt: Format = FormatOpt, out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """Per pole: the trend of (pole's index - best alternative), its t-test, and its parts.

    ``slope_<channel>`` columns add up to ``slope``; ``trend`` is moving towards, moving
    away from, or stable (p >= 0.05).
    """
    store = open_store(db)
    try:
        frame = store.drift(state.upper(), since, until, poles=poles, weights=_weights(weights))
    except ValueError as exc:
        fail(str(exc))
    span = (
        f"{int(frame['from'].min())}-{int(frame['to'].max())}"
        if frame["from"].notna().any()
        else ""
    )
    emit(frame, fmt, title=f"Drift of {state.upper()} {span}", attribution=_attribution(store), out=out,
         floatfmt="{:.4f}")  # fmt: skip


def profile_frame(result: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One table: per pole, the index row, then every channel's score with inputs and sources."""
    idx, ch = result["index"], result["channels"]
    rows = []
    for pole in sorted(set(idx["pole"]) | set(ch["pole"])):
        i = idx[idx["pole"] == pole]
        if len(i):
            r = i.iloc[0]
            note = f"channels: {r['channels']}" + (
                f"; reweighted, missing: {r['missing']}" if r["missing"] else ""
            )
            rows.append({"pole": pole, "channel": "INDEX", "score": r["index"], "lower": r["lower"],
                         "upper": r["upper"], "contribution": r["index"], "coverage_note": note,
                         "inputs": "", "sources": ""})  # fmt: skip
        for _, c in ch[ch["pole"] == pole].iterrows():
            contrib = i.iloc[0].get(f"contrib_{c['channel']}") if len(i) else None
            rows.append({"pole": pole, "channel": c["channel"], "score": c["score"],
                         "lower": c.get("score_lower"), "upper": c.get("score_upper"),
                         "contribution": contrib, "coverage_note": c["coverage_note"],
                         "inputs": c["inputs"], "sources": c["sources"]})  # fmt: skip
    return pd.DataFrame(rows, columns=["pole", "channel", "score", "lower", "upper", "contribution",
                                       "coverage_note", "inputs", "sources"])  # fmt: skip


@app.command()
def profile(
    state: str = typer.Argument(..., help="ISO3 code of the state."),
    year: int = YearOpt, weights: Path = WeightsOpt, fmt: Format = FormatOpt, out: Path = OutOpt,
    db: Path = DbOption,
) -> None:  # fmt: skip
    """Every channel's score for every pole, with its inputs and sources, and the index."""
    store = open_store(db)
    try:
        result = store.influence_profile(state.upper(), year, weights=_weights(weights))
    except ValueError as exc:
        fail(str(exc))
    frame = profile_frame(result)
    if frame.empty:
        fail(f"no channel has data for {state.upper()} in {year}; give an ISO3 code of a UN member")
    used = result["index"]["year"].iloc[0] if len(result["index"]) else year
    title = f"Influence profile of {state.upper()} in {used}"
    if fmt == Format.table and out is None:
        _print_profile(frame, title, _attribution(store))
        return
    emit(frame, fmt, title=title, attribution=_attribution(store), out=out)


def _print_profile(frame: pd.DataFrame, title: str, attribution: str) -> None:
    """A readable profile: one block per pole, one line of figures per channel, then its
    inputs and sources (a table this wide does not fit a terminal)."""
    from rich.markup import escape

    from allegiance.cli.output import console

    console.print(f"[bold]{escape(title)}[/bold]")
    for pole, rows in frame.groupby("pole", sort=False):
        head = rows[rows["channel"] == "INDEX"]
        if len(head):
            h = head.iloc[0]
            console.print(f"\n[bold]{pole}[/bold]  index {h['score']:.3f}  band [{h['lower']:.3f}, "
                          f"{h['upper']:.3f}]  {escape(h['coverage_note'])}")  # fmt: skip
        for _, r in rows[rows["channel"] != "INDEX"].iterrows():
            part = "" if pd.isna(r["contribution"]) else f"  contributes {r['contribution']:.3f}"
            console.print(f"  [bold]{r['channel']:<13}[/bold] {r['score']:.3f}{part}")
            console.print(f"      inputs:   {escape(str(r['inputs']))}")
            console.print(f"      coverage: {escape(str(r['coverage_note']))}")
            console.print(f"      sources:  {escape(str(r['sources']))}", style="dim")
    console.print(f"\n[dim]{escape(attribution)}[/dim]")
