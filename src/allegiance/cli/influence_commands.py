"""sphere, drift, profile: the channels of influence and the sphere-of-influence index."""

from __future__ import annotations

from pathlib import Path

import typer

from allegiance._lazy import lazy
from allegiance.cli import validate
from allegiance.cli.app import DbOption, WideOpt, app, open_store
from allegiance.cli.output import Col, Format, emit, working

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

#: The index and the channel scores are shares on 0-1 resting on a handful of yearly
#: figures: two decimals. Trends are changes per year: signed, three decimals.
INDEX = "{:.2f}"
SLOPE = "{:+.3f}"


def _band(row) -> str:
    return f"{row['lower']:.2f}-{row['upper']:.2f}"


def _channels(value) -> str:
    return str(value).replace(",", " ")


SPHERE_VIEW = [
    Col("state"), Col("status"), Col("pole_index", "index", fmt=INDEX),
    Col("band", kind="key"), Col("leader"), Col("lead", fmt=INDEX),
    Col("runner_up", "runner-up"), Col("n_channels", "ch"),
    Col("robustness", kind="text"), Col("in_sphere_share", "kept", fmt="{:.0%}", level=2),
    Col("imputed", fmt=_channels, kind="text", level=2),
    Col("channels", fmt=_channels, kind="text", level=2),
    Col("year", level=3), Col("lower", level=3), Col("upper", level=3),
    Col("leader_index", level=3),
]  # fmt: skip

DRIFT_VIEW = [
    Col("pole"), Col("from"), Col("to"), Col("gap_first", "gap then", fmt="{:+.2f}"),
    Col("gap_last", "gap now", fmt="{:+.2f}"), Col("slope", "per year", fmt=SLOPE),
    Col("p", fmt="{:.2f}"), Col("trend", kind="text"),
    Col("se", fmt="{:.3f}", level=2), Col("t", fmt="{:+.1f}", level=2), Col("n", level=2),
]  # fmt: skip


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
    weights: Path = WeightsOpt, fmt: Format = FormatOpt, out: Path = OutOpt,
    wide: bool = WideOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """States in POLE's sphere, contested, with insufficient data, and outside it in one year.

    A state is in a pole's sphere when that pole's index is the highest, clears the
    threshold, leads by the margin, and rests on at least three channels with positive
    evidence, one of them economic (trade, energy or arms). ``imputed`` lists the channels
    filled in.
    """
    fmt = validate.output(fmt, out)
    code = validate.poles(pole)[0]
    validate.between(threshold, 0.0, 1.0, "--threshold")
    validate.between(margin, 0.0, 1.0, "--margin")
    validate.region(region)
    on = None if year is None else f"{year}-07-01"
    codes = validate.states(states, on=on)
    validate.seated(codes, year, "--states")
    from allegiance.analysis.influence import sensitivity as sensitivity_

    store = open_store(db)
    with working(f"computing the influence index towards {code} for every state"):
        frame = api.sphere(store, code, year, threshold=threshold, margin=margin,
                           weights=_weights(weights), states=codes, region=region,
                           sensitivity=sensitivity_.N_DRAWS if sensitivity else 0,
                           compare_with=compare_with)  # fmt: skip
    counts = frame["status"].value_counts()
    shown = frame["year"].iloc[0] if len(frame) else year
    title = (f"{code}'s sphere in {shown}: "
             + ", ".join(f"{counts.get(s, 0)} {s}"
                         for s in ("in sphere", "contested", "insufficient data", "outside")))  # fmt: skip
    if sensitivity and "robustness" in frame:
        robust = frame[frame["status"] == "in sphere"]["robustness"].eq("robust").sum()
        title += f"; {robust} of {counts.get('in sphere', 0)} in sphere robust to the weights"
    if fmt == Format.table:
        frame = frame.assign(band=[_band(r) for _, r in frame.iterrows()])
    emit(frame, fmt, title=title, attribution=_attribution(frame), out=out, view=SPHERE_VIEW,
         wide=wide, note="index: the pole's influence index (0-1); band: its uncertainty band; "
         "lead: the leader's margin over the runner-up; ch: channels with data; robustness and kept: "
         "the share of weight draws keeping the state in the sphere (--sensitivity)")  # fmt: skip


@app.command()
def drift(
    state: str = typer.Argument(..., help="ISO3 code or name of the state."),
    since: str = typer.Option(None, "--since", help="First year (default: ten years before --until)."),
    until: str = typer.Option(None, "--until", help="Last year (default: the latest year with votes and arms)."),
    poles: str = typer.Option("RUS,USA,CHN,TUR,EU", "--poles", help="Comma-separated poles."),
    weights: Path = WeightsOpt, fmt: Format = FormatOpt, out: Path = OutOpt,
    wide: bool = WideOpt, db: Path = DbOption,
) -> None:  # fmt: skip
    """Per pole: the trend of (pole's index - best alternative), its t-test, and its parts.

    ``slope_<channel>`` columns add up to ``slope``; ``trend`` is moving towards, moving
    away from, or stable (p >= 0.05).
    """
    fmt = validate.output(fmt, out)
    first, last = validate.year(since, "--since"), validate.year(until, "--until")
    if first is not None and last is not None and first >= last:
        from allegiance.errors import BadInputError

        raise BadInputError(f"--since ({first}) must be before --until ({last})")
    pole_list = validate.poles(poles)
    code = validate.state(state)
    validate.from_admission(code, first)
    store = open_store(db)
    with working(f"computing the influence index of {code} year by year"):
        frame = api.drift(store, code, first, last, poles=pole_list, weights=_weights(weights))
    span = (
        f"{int(frame['from'].min())}-{int(frame['to'].max())}"
        if frame["from"].notna().any()
        else ""
    )
    parts = [c for c in frame.columns if c.startswith("slope_")]
    view = [*DRIFT_VIEW, *(Col(c, c.removeprefix("slope_"), fmt=SLOPE, level=2) for c in parts),
            Col("state", level=3)]  # fmt: skip
    emit(frame, fmt, title=f"Drift of {code} {span}", attribution=_attribution(frame), out=out,
         view=view, wide=wide,
         note="gap: the pole's index minus the best alternative's; per year: its trend "
         "(OLS slope), split by channel in the columns named after them")  # fmt: skip


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
    from allegiance.errors import NoDataError

    fmt = validate.output(fmt, out)
    state = validate.state(state, on=None if year is None else f"{year}-07-01")
    validate.seated([state], year, "STATE")
    store = open_store(db)
    with working(f"computing every channel for {state}"):
        result = api.profile(store, state, year, weights=_weights(weights))
    frame = profile_frame(result)
    if frame.empty:
        raise NoDataError(f"no channel has data for {state} in {year}")
    used = result["index"]["year"].iloc[0] if len(result["index"]) else year
    title = f"Influence profile of {state} in {used}"
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
