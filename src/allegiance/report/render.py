"""Render the report: run each section, isolate failures, write one self-contained HTML file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import jinja2

from allegiance.report.section import FAILED, Citation, Section, failed
from allegiance.report.sections import (
    alignment,
    claims,
    coverage,
    es11,
    events,
    ideal_points,
    sources,
    spheres,
    timelines,
)

__all__ = ["ORDER", "ReportIncomplete", "render_report", "render_sections"]


@dataclass(frozen=True)
class _Options:
    claims_file: Path | str | None


#: The sections in their order: key, module (its ``TITLE``), how to call its ``section``.
ORDER: list[tuple[str, object, Callable]] = [
    ("coverage", coverage, lambda store, o, used: coverage.section(store)),
    ("es11", es11, lambda store, o, used: es11.section(store)),
    ("alignment", alignment, lambda store, o, used: alignment.section(store)),
    ("ideal_points", ideal_points,
     lambda store, o, used: ideal_points.section(store)),
    ("timelines", timelines, lambda store, o, used: timelines.section(store)),
    ("spheres", spheres, lambda store, o, used: spheres.section(store)),
    ("events", events, lambda store, o, used: events.section(store)),
    ("claims", claims, lambda store, o, used: claims.section(store, o.claims_file)),
    ("sources", sources, lambda store, o, used: sources.section(store, used)),
]  # fmt: skip


class ReportIncomplete(RuntimeError):
    """Some sections failed; the report was written with an error box in their place.

    Attributes
    ----------
    path : Path
        The report that was written.
    sections : list of Section
        Every section, failed or not; ``failed`` lists the ones that raised.
    """

    def __init__(self, path: Path, sections: list[Section]):
        self.path = path
        self.sections = sections
        self.failed = [s for s in sections if s.status == FAILED]
        names = "; ".join(f"{s.title} ({s.error})" for s in self.failed)
        super().__init__(f"{len(self.failed)} section(s) failed in {path}: {names}")


def render_sections(
    store,
    claims_file: Path | str | None = None,
    *,
    only: Iterable[str] | None = None,
    progress: Callable[[str, Section | None], None] | None = None,
) -> list[Section]:
    """Run the sections in order; a section that raises becomes an error box.

    ``progress(title, None)`` is called before a section, ``progress(title, section)``
    after it. ``only`` keeps the sections with these keys (see ``ORDER``).
    """
    options = _Options(claims_file)
    keep = set(only) if only is not None else None
    done: list[Section] = []
    for key, module, run in ORDER:
        if keep is not None and key not in keep:
            continue
        if progress:
            progress(module.TITLE, None)
        used: list[Citation] = [c for s in done for c in s.citations]
        try:
            result = run(store, options, used)
        except Exception as exc:  # noqa: BLE001 - one broken section must not lose the others
            result = failed(module.TITLE, exc)
        result.key = key
        done.append(result)
        if progress:
            progress(module.TITLE, result)
    return done


def render_report(
    store,
    out_path: Path | str,
    claims_file: Path | str | None = None,
    *,
    allow_partial: bool = False,
    only: Iterable[str] | None = None,
    progress: Callable[[str, Section | None], None] | None = None,
) -> Path:
    """Write the report to ``out_path`` as one self-contained HTML file.

    Parameters
    ----------
    store : Store
    out_path : Path or str
    claims_file : Path or str, optional
        The claims for the ledger (default ``examples/claims/kuzio-2025-03-10.yaml``).
    allow_partial : bool
        Return normally even if a section failed.
    only : iterable of str, optional
        Render only these sections (keys of ``ORDER``).
    progress : callable, optional
        Called as ``progress(title, None)`` before and ``progress(title, section)`` after
        each section.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ReportIncomplete
        After writing the file, if a section failed and ``allow_partial`` is false.

    Examples
    --------
    >>> render_report(al.open(), "out/report.html")  # doctest: +SKIP
    """
    sections = render_sections(store, claims_file, only=only, progress=progress)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page(store, sections), encoding="utf-8")
    if not allow_partial and any(s.status == FAILED for s in sections):
        raise ReportIncomplete(out, sections)
    return out


def page(store, sections: list[Section]) -> str:
    """The whole HTML page around the rendered sections."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template), autoescape=True, trim_blocks=True,
        lstrip_blocks=True,
    )  # fmt: skip
    build = dict(store.info()["build"].itertuples(index=False))
    from allegiance._version import __version__ as version

    return env.get_template("report.html.j2").render(
        sections=sections,
        build=build,
        rendered=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=version,
        store_path=str(store.path),
        failed=[s for s in sections if s.status == FAILED],
    )


def _template(name: str) -> str:
    return resources.files("allegiance.report").joinpath("templates", name).read_text("utf-8")
