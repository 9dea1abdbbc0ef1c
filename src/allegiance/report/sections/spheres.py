"""Spheres of influence: maps of the closest pole, Russia's sphere over time, each state's
drift."""

from __future__ import annotations

from allegiance.report.section import Section, pending

TITLE = "Spheres of influence"
MAP_YEARS = (1995, 2005, 2014, 2022)


def section(store, region: str = "post-soviet") -> Section:
    missing = [m for m in ("influence", "sphere", "drift") if not hasattr(store, m)]
    if missing:
        return pending(TITLE, ", ".join(f"Store.{m}" for m in missing),
                       "The influence API (allegiance.influence) is being written.")  # fmt: skip
    raise NotImplementedError("wire the influence API")
