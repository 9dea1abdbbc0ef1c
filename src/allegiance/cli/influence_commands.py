"""sphere, drift, profile: the channels of influence and the sphere-of-influence index."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance._lazy import lazy
from allegiance.cli.app import DbOption, app, open_store, split
from allegiance.cli.output import Format, emit

api = lazy("allegiance.analysis.influence.api")
sourcing = lazy("allegiance.analysis.sourcing")
pd = lazy("pandas")

FormatOpt = typer.Option(Format.table, "--format")
OutOpt = typer.Option(None, "--out", help="Write to this file (.csv, .json or .parquet).")
WeightsOpt = typer.Option(
    None, "--weights", help="JSON or TOML file of channel weights, e.g. {\"votes\": 0.3}; channels "
    "left out keep their defaults (see docs/influence.md).", exists=True, dir_okay=False,
)  # fmt: skip
YearOpt = typer.Option(
    None, "--year", help="Year (default: the latest year with votes and arms data)."
)


def _attribution(frame) -> str:
    """The bibliography of exactly the sources the frame used, as one paragraph."""
    return " ".join(sourcing.cite(frame).splitlines())


def _weights(path: Path | None):
    return None if path is None else str(path)


@app.command()
def sphere(
    pole: str = typer.Argument(..., help="RUS, USA, CHN, TUR or EU."),
    year: int = YearOpt,
    threshold: float = typer.Option(None, "--threshold", help="Lowest index of a sphere's leader (default 0.40)."),
    margin: float = typer.Option(None, "--margin", help="Smallest lead over the runner-up (default 0.05)."),
    region: str = typer.Option(None, "--region", help="Only the members of a region (post-soviet, eu, ...)."),
    states: str = typer.Option(None, "--states", help="Only these states (ISO3 codes or names)."),
    sensitivity: bool = typer.Option(
        False, "--sensitivity", help="Draw the channel weights around the defaults (200 "
        "Dirichlet draws) and flag each state robust or weight-dependent.",
    ),
    compare_with: int = typer.Option(
        None, "--compare-with", help="Another year: both years' standing on the channels "
        "present in both (so a change cannot come from a channel appearing).",
    ),
    weights: Path = WeightsOpt, fmt: Format = FormatOpt, out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """States in POLE's sphere, contested, with insufficient data, and outside it in one year.

    A state is in a pole's sphere when that pole's index is the highest, clears the
    threshold, leads by the margin, and rests on at least three channels with positive
    evidence, one of them economic (trade, energy or arms). ``imputed`` lists the channels
    filled in.
    """
    from allegiance.analysis.influence import sensitivity as sensitivity_

    store = open_store(db)
    frame = api.sphere(store, pole, year, threshold=threshold, margin=margin,
                       weights=_weights(weights), states=split(states), region=region,
                       sensitivity=sensitivity_.N_DRAWS if sensitivity else 0,
                       compare_with=compare_with)  # fmt: skip
    counts = frame["status"].value_counts()
    title = (f"{pole.upper()}'s sphere in {frame['year'].iloc[0] if len(frame) else year}: "
             + ", ".join(f"{counts.get(s, 0)} {s}"
                         for s in ("in sphere", "contested", "insufficient data", "outside")))  # fmt: skip
    if sensitivity and "robustness" in frame:
        robust = frame[frame["status"] == "in sphere"]["robustness"].eq("robust").sum()
        title += f"; {robust} of {counts.get('in sphere', 0)} in sphere robust to the weights"
    emit(frame, fmt, title=title, attribution=_attribution(frame), out=out)


@app.command()
def drift(
    state: str = typer.Argument(..., help="ISO3 code or name of the state."),
    since: str = typer.Option(None, "--since", help="First year (default: ten years before --until)."),
    until: str = typer.Option(None, "--until", help="Last year (default: the latest year with votes and arms)."),
    poles: str = typer.Option("RUS,USA,CHN,TUR,EU", "--poles", help="Comma-separated poles."),
    weights: Path = WeightsOpt, fmt: Format = FormatOpt, out: Path = OutOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """Per pole: the trend of (pole's index - best alternative), its t-test, and its parts.

    ``slope_<channel>`` columns add up to ``slope``; ``trend`` is moving towards, moving
    away from, or stable (p >= 0.05).
    """
    store = open_store(db)
    frame = api.drift(store, state, since, until, poles=poles, weights=_weights(weights))
    span = (
        f"{int(frame['from'].min())}-{int(frame['to'].max())}"
        if frame["from"].notna().any()
        else ""
    )
    emit(frame, fmt, title=f"Drift of {frame['state'].iloc[0]} {span}", attribution=_attribution(frame), out=out,
         floatfmt="{:.4f}")  # fmt: skip


def profile_frame(result: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One table: per pole, the index row, then every channel's score with inputs and sources."""
    idx, ch = result["index"], result["channels"]
    rows = []
    for pole in sorted(set(idx["pole"]) | set(ch["pole"])):
        i = idx[idx["pole"] == pole]
        if len(i):
            r = i.iloc[0]
            note = (
                f"channels: {r['channels']}"
                + (f"; reweighted, missing: {r['missing']}" if r["missing"] else "")
                + (f"; imputed: {r['imputed']}" if r.get("imputed") else "")
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
    for _, c in result.get("coercion", pd.DataFrame()).iterrows():
        rows.append({"pole": c["pole"], "channel": "coercion", "score": c["coercion"],
                     "lower": None, "upper": None, "contribution": None,
                     "coverage_note": "forces without the host's consent; not in the index",
                     "inputs": c["sites"], "sources": c["citations"]})  # fmt: skip
    return pd.DataFrame(rows, columns=["pole", "channel", "score", "lower", "upper", "contribution",
                                       "coverage_note", "inputs", "sources"])  # fmt: skip


@app.command()
def profile(
    state: str = typer.Argument(..., help="ISO3 code or name of the state."),
    year: int = YearOpt, weights: Path = WeightsOpt, fmt: Format = FormatOpt, out: Path = OutOpt,
    db: Path = DbOption,
) -> None:  # fmt: skip
    """Every channel's score for every pole, with its inputs and sources, and the index."""
    store = open_store(db)
    from allegiance.errors import NoDataError

    result = api.profile(store, state, year, weights=_weights(weights))
    frame = profile_frame(result)
    if frame.empty:
        raise NoDataError(f"no channel has data for {state} in {year}")
    used = result["index"]["year"].iloc[0] if len(result["index"]) else year
    title = f"Influence profile of {result['channels']['state'].iloc[0]} in {used}"
    attribution = _attribution(result["channels"])
    if fmt == Format.table and out is None:
        _print_profile(frame, title, attribution, result["coercion"])
        return
    emit(frame, fmt, title=title, attribution=attribution, out=out)


def _print_profile(frame: pd.DataFrame, title: str, attribution: str, coercion=None) -> None:
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
    if coercion is not None and len(coercion):
        console.print(
            "\n[bold]Coercion[/bold] (forces without the host's consent; not in the index)"
        )
        for _, c in coercion.iterrows():
            console.print(f"  [bold]{c['pole']}[/bold] {c['coercion']:.3f}  {escape(c['sites'])}")
            console.print(f"      established by: {escape(c['citations'])}", style="dim")
    console.print(f"\n[dim]{escape(attribution)}[/dim]")
