"""Matplotlib figures for the report, and their conversion to inline SVG.

Each chart function returns a :class:`matplotlib.figure.Figure`; :func:`svg` turns it into
an ``<svg>`` element for the page. No pyplot: figures are created directly, so rendering
needs no display and leaves no global state behind.
"""

from __future__ import annotations

import io
import json
import re

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

#: One colour per pole, everywhere in the report (Okabe-Ito palette: safe for colour blindness).
POLE_COLOURS = {
    "RUS": "#D55E00",
    "USA": "#0072B2",
    "CHN": "#E69F00",
    "TUR": "#009E73",
    "EU": "#CC79A7",
}
POLE_LABELS = {
    "RUS": "Russia",
    "USA": "United States",
    "CHN": "China",
    "TUR": "Türkiye",
    "EU": "European Union",
}
NO_DATA = "#e6e6e6"
CONTEXT = "#f4f4f1"

RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial"],
    "font.size": 8.5,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "axes.linewidth": 0.6,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "grid.color": "#e3e3e3",
    "grid.linewidth": 0.5,
    "legend.frameon": False,
}


def svg(fig: Figure, alt: str = "") -> str:
    """The figure as an inline ``<svg>`` element that scales to the page width."""
    buffer = io.StringIO()
    with mpl.rc_context(RC):
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', text, count=1
    )
    if alt:
        text = text.replace("<svg", f'<svg role="img" aria-label="{_attr(alt)}"', 1)
    return text


def png(fig: Figure, path) -> None:
    """Save the figure as PNG (to look at a chart while working on it)."""
    with mpl.rc_context(RC):
        fig.savefig(path, format="png", dpi=110, bbox_inches="tight")


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _grid(n: int, ncols: int, width: float, panel_height: float, **kw):
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(width, panel_height * nrows + 0.6), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes


def _pole_legend(fig: Figure, poles, extra=()) -> None:
    handles = [Line2D([], [], color=POLE_COLOURS[p], lw=2) for p in poles]
    labels = [POLE_LABELS[p] for p in poles]
    for handle, label in extra:
        handles.append(handle)
        labels.append(label)
    fig.legend(handles, labels, loc="outside upper center", ncols=len(handles), fontsize=8.5)


def alignment_panels(
    frames: dict[str, pd.DataFrame], names: dict[str, str], poles=tuple(POLE_COLOURS)
) -> Figure:
    """Small multiples: one panel per state, its agreement with each pole per year.

    ``frames`` maps a state code to a frame with ``year`` and one column per pole; rows
    flagged ``sparse`` are drawn, but their points are hollow.
    """
    with mpl.rc_context(RC):
        fig, axes = _grid(len(frames), 3, 7.6, 1.55, sharex=True, sharey=True)
        for ax, (state, frame) in zip(axes, frames.items(), strict=False):
            ax.set_gid(f"panel-{state}")
            for pole in poles:
                if pole not in frame or pole == state:
                    continue
                ax.plot(frame["year"], frame[pole], color=POLE_COLOURS[pole], lw=1.3)
            ax.set_title(names.get(state, state), loc="left", pad=2)
            ax.set_ylim(0, 1.02)
            ax.set_yticks([0, 0.5, 1])
            ax.grid(True, axis="y")
        for ax in axes[: len(frames)]:
            ax.tick_params(labelbottom=True)
        fig.supylabel("agreement with the pole (Voeten)", fontsize=8.5)
        _pole_legend(fig, poles)
    return fig


def ideal_point_panels(
    frame: pd.DataFrame,
    states: list[str],
    names: dict[str, str],
    reference=("RUS", "USA", "CHN", "TUR"),
) -> Figure:
    """One panel per state: its ideal point per year with interval, the poles as references."""
    with mpl.rc_context(RC):
        fig, axes = _grid(len(states), 3, 7.6, 1.55, sharex=True, sharey=True)
        by_state = {s: g.sort_values("year") for s, g in frame.groupby("state")}
        for ax, state in zip(axes, states, strict=False):
            ax.set_gid(f"panel-{state}")
            for ref in reference:
                if ref in by_state and ref != state:
                    g = by_state[ref]
                    ax.plot(g["year"], g["estimate"], color=POLE_COLOURS[ref], lw=0.9, alpha=0.8)
            if state in by_state:
                g = by_state[state]
                colour = POLE_COLOURS.get(state, "#222222")
                ax.fill_between(g["year"], g["lower"], g["upper"], color=colour, alpha=0.18, lw=0)
                ax.plot(g["year"], g["estimate"], color=colour, lw=1.8)
            ax.set_title(names.get(state, state), loc="left", pad=2)
            ax.grid(True, axis="y")
            ax.tick_params(labelbottom=True)
        fig.supylabel("ideal point", fontsize=8.5)
        own = (Line2D([], [], color="#222222", lw=1.8), "the state (band: interval)")
        _pole_legend(fig, reference, extra=[own])
    return fig


def stacked_bars(
    frame: pd.DataFrame, x: str, series: dict[str, str], ylabel: str, colours: dict[str, str]
) -> Figure:
    """Bars per ``x``, stacking columns ``series`` (column -> label) from the bottom up."""
    with mpl.rc_context(RC):
        fig = Figure(figsize=(7.6, 2.5), layout="constrained")
        ax = fig.subplots()
        bottom = np.zeros(len(frame))
        for column, label in series.items():
            values = frame[column].to_numpy(dtype=float)
            ax.bar(frame[x], values, bottom=bottom, width=0.85, label=label,
                   color=colours.get(column), linewidth=0)  # fmt: skip
            bottom += values
        ax.set_ylabel(ylabel)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(True, axis="y")
        ax.set_axisbelow(True)
        fig.legend(loc="outside upper center", ncols=len(series), fontsize=8)
    return fig


SPELL_COLOURS = {"membership": "#4C72B0", "suspended": "#A0A0A0", "presence": "#D55E00"}
MARK_STYLES = {
    "closure": ("v", "#222222"),
    "opening": ("^", "#666666"),
    "incident": ("D", "#B2182B"),
}


def timeline_chart(
    spells: pd.DataFrame, marks: pd.DataFrame, since: int = 1991, until: int | None = None
) -> Figure:
    """Spells as bars (one row each), events as marks on a row of their own.

    ``spells``: ``label, start, end`` (end NaT: ongoing), ``kind`` in ``SPELL_COLOURS``.
    ``marks``: ``day, kind`` in ``MARK_STYLES``.
    """
    until = until or pd.Timestamp.today().year + 1
    rows = list(dict.fromkeys(spells["label"])) if len(spells) else []
    n_rows = len(rows) + (1 if len(marks) else 0)
    with mpl.rc_context(RC):
        fig = Figure(figsize=(7.6, 0.5 + 0.2 * max(n_rows, 1)), layout="constrained")
        ax = fig.subplots()
        lo, hi = pd.Timestamp(f"{since}-01-01"), pd.Timestamp(f"{until}-01-01")
        for _, s in spells.iterrows():
            y = rows.index(s["label"])
            start = max(pd.Timestamp(s["start"]), lo)
            end = hi if pd.isna(s["end"]) else pd.Timestamp(s["end"])
            ax.barh(y, end - start, left=start, height=0.62, color=SPELL_COLOURS[s["kind"]])
        if len(marks):
            y = len(rows)
            for kind, (marker, colour) in MARK_STYLES.items():
                m = marks[marks["kind"] == kind]
                ax.plot(m["day"], [y] * len(m), marker, color=colour, ms=5, ls="none")
        ax.set_yticks(range(n_rows), [*rows, "events"][:n_rows] if len(marks) else rows)
        ax.set_ylim(n_rows - 0.5, -0.5)
        ax.set_xlim(lo, hi)
        ax.grid(True, axis="x")
        ax.tick_params(axis="y", length=0, labelsize=7.5)
        ax.spines["left"].set_visible(False)
    return fig


def timeline_legend() -> Figure:
    """The legend the timeline charts share, drawn once."""
    with mpl.rc_context(RC):
        fig = Figure(figsize=(7.6, 0.3))
        handles = [
            Patch(color=SPELL_COLOURS["membership"], label="membership"),
            Patch(color=SPELL_COLOURS["suspended"], label="suspended / observer / partner"),
            Patch(color=SPELL_COLOURS["presence"], label="foreign military presence"),
            *(
                Line2D([], [], marker=m, color=c, ls="none", label=k)
                for k, (m, c) in MARK_STYLES.items()
            ),
        ]
        fig.legend(handles=handles, loc="center", ncols=len(handles), fontsize=8)
    return fig


# -- maps --------------------------------------------------------------------------------
#: Europe and Central Asia, in degrees: west, east, south, north.
REGION_EXTENT = (12.0, 105.0, 34.0, 72.0)


def rings(geojson: str | dict) -> list[np.ndarray]:
    """The outer rings of a GeoJSON Feature or geometry, as (lon, lat) arrays."""
    feature = json.loads(geojson) if isinstance(geojson, str) else geojson
    geometry = feature.get("geometry", feature)
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return []
    return [np.asarray(p[0], dtype=float) for p in polygons if p]


def _overlaps(ring: np.ndarray, extent) -> bool:
    west, east, south, north = extent
    lon, lat = ring[:, 0], ring[:, 1]
    return lon.max() >= west and lon.min() <= east and lat.max() >= south and lat.min() <= north


def _project(ring: np.ndarray, lat0: float) -> np.ndarray:
    # Equirectangular with the x axis shrunk by cos(lat0): keeps shapes readable at 50°N.
    out = ring.copy()
    out[:, 0] = out[:, 0] * np.cos(np.radians(lat0))
    return out


def sphere_maps(
    shapes: dict[str, list[np.ndarray]],
    colour_by_year: dict[int, dict[str, tuple[str | None, bool]]],
    poles=tuple(POLE_COLOURS),
    poles_itself=frozenset(),
    extent=REGION_EXTENT,
) -> Figure:
    """One map per year: each state coloured by its closest pole, neighbours in grey.

    ``colour_by_year`` maps a year to ``{iso3: (closest pole or None, in its sphere)}``; a
    state closest to a pole but not in its sphere (contested) is drawn pale. States in
    ``poles_itself`` are drawn hatched in their own pole's colour; states not in the
    mapping are context.
    """
    west, east, south, north = extent
    lat0 = (south + north) / 2
    years = list(colour_by_year)
    shapes = {
        iso3: inside
        for iso3, parts in shapes.items()
        if (inside := [r for r in parts if _overlaps(r, extent)])
    }
    with mpl.rc_context(RC):
        fig, axes = _grid(len(years) + 1, 2, 7.6, 2.25)
        for ax, year in zip(axes, years, strict=False):
            ax.set_gid(f"map-{year}")
            closest = colour_by_year[year]
            for iso3, parts in shapes.items():
                style = {"facecolor": CONTEXT, "edgecolor": "#c8c8c8", "linewidth": 0.4}
                if iso3 in poles_itself:
                    style = {"facecolor": "white", "edgecolor": POLE_COLOURS[iso3],
                             "hatch": "////", "linewidth": 0.6}  # fmt: skip
                elif iso3 in closest:
                    pole, in_sphere = closest[iso3]
                    style = {"facecolor": POLE_COLOURS.get(pole, NO_DATA), "edgecolor": "white",
                             "linewidth": 0.6, "alpha": 1.0 if in_sphere or pole is None else 0.4}  # fmt: skip
                for ring in parts:
                    ax.add_patch(Polygon(_project(ring, lat0), closed=True, **style))
            ax.set_xlim(west * np.cos(np.radians(lat0)), east * np.cos(np.radians(lat0)))
            ax.set_ylim(south, north)
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color("#cccccc")
            ax.set_title(str(year), loc="left", pad=2)
        legend_ax = axes[len(years)]
        legend_ax.set_visible(True)
        legend_ax.axis("off")
        handles = [Patch(color=POLE_COLOURS[p], label=f"{POLE_LABELS[p]}") for p in poles]
        handles.append(Patch(color=POLE_COLOURS["RUS"], alpha=0.4, label="pale: contested"))
        for pole in poles_itself:
            handles.append(Patch(facecolor="white", edgecolor=POLE_COLOURS[pole], hatch="////",
                                 label=f"{POLE_LABELS[pole]} (a pole itself)"))  # fmt: skip
        handles.append(Patch(color=NO_DATA, label="no index that year"))
        handles.append(Patch(facecolor=CONTEXT, edgecolor="#c8c8c8", label="outside the region"))
        legend_ax.legend(handles=handles, loc="center", fontsize=8.5, title="closest pole",
                         title_fontsize=8.5)  # fmt: skip
    return fig


def index_panels(frames: dict[str, pd.DataFrame], names: dict[str, str]) -> Figure:
    """Small multiples: one panel per state, the influence index of each pole per year.

    Each frame has ``pole, year, index``.
    """
    with mpl.rc_context(RC):
        fig, axes = _grid(len(frames), 3, 7.6, 1.45, sharex=True, sharey=True)
        for ax, (state, frame) in zip(axes, frames.items(), strict=False):
            ax.set_gid(f"panel-{state}")
            for pole, group in frame.groupby("pole"):
                group = group.sort_values("year")
                ax.plot(group["year"], group["index"], color=POLE_COLOURS.get(pole, "#333"),
                        lw=1.3)  # fmt: skip
            ax.set_title(names.get(state, state), loc="left", pad=2)
            ax.grid(True, axis="y")
            ax.tick_params(labelbottom=True)
        fig.supylabel("influence index", fontsize=8.5)
        _pole_legend(fig, tuple(POLE_COLOURS))
    return fig
