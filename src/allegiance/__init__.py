"""allegiance: geopolitical alignment and spheres of influence from open data.

The public API is plain functions over a store (``al.open()``) and the knowledge base::

    import allegiance as al

    store = al.open()
    frame = al.state_years(2010, 2024, states=["ARM", "AZE"])
    frame = al.add_agreement(frame, store, with_="RUS", measure="kappa")
    print(al.cite(frame))

Names are imported on first use, so that ``import allegiance`` and the command line start
quickly; ``dir(allegiance)`` lists them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from allegiance._version import __version__

#: Public name -> module that defines it. Modules are imported when a name is first used.
_API = {
    # the store
    "open": "allegiance.store.store",
    "Store": "allegiance.store.store",
    "build": "allegiance.store.build",
    # frames, verbs, provenance
    "state_years": "allegiance.analysis.frames",
    "dyad_years": "allegiance.analysis.frames",
    "add_agreement": "allegiance.analysis.verbs",
    "add_ideal_points": "allegiance.analysis.verbs",
    "add_trade_share": "allegiance.analysis.verbs",
    "add_arms_share": "allegiance.analysis.verbs",
    "add_energy_share": "allegiance.analysis.verbs",
    "add_membership": "allegiance.analysis.verbs",
    "add_presence": "allegiance.analysis.verbs",
    "add_influence": "allegiance.analysis.verbs",
    "cite": "allegiance.analysis.sourcing",
    # votes and alignment
    "votes": "allegiance.analysis.votes",
    "roll_calls": "allegiance.analysis.votes",
    "resolve_state": "allegiance.states",
    "region": "allegiance.analysis.regions",
    "agreement": "allegiance.analysis.alignment",
    "alignment": "allegiance.analysis.alignment",
    "cohesion": "allegiance.analysis.alignment",
    "matrix": "allegiance.analysis.alignment",
    "matrix_map": "allegiance.analysis.alignment",
    "ideal_points": "allegiance.analysis.ideal",
    # the knowledge base
    "memberships": "allegiance.analysis.knowledge",
    "members": "allegiance.analysis.knowledge",
    "presence": "allegiance.analysis.knowledge",
    "offices": "allegiance.analysis.knowledge",
    "territories": "allegiance.analysis.knowledge",
    "agreements": "allegiance.analysis.knowledge",
    "events": "allegiance.analysis.knowledge",
    "ties": "allegiance.analysis.knowledge",
    "timeline": "allegiance.analysis.knowledge",
    # influence
    "channel_scores": "allegiance.analysis.influence.api",
    "influence": "allegiance.analysis.influence.api",
    "influence_change": "allegiance.analysis.influence.api",
    "sphere": "allegiance.analysis.influence.api",
    "drift": "allegiance.analysis.influence.api",
    "profile": "allegiance.analysis.influence.api",
    "trade_share": "allegiance.analysis.influence.api",
    "arms_share": "allegiance.analysis.influence.api",
    "energy_exports": "allegiance.analysis.influence.energy_exports",
    "energy_share": "allegiance.analysis.influence.api",
    "index_panel": "allegiance.analysis.influence.panel",
    "channel_coverage": "allegiance.analysis.influence.panel",
    # claims
    "check": "allegiance.claims",
    # errors
    "AllegianceError": "allegiance.errors",
    "NoDataError": "allegiance.errors",
    "UnknownStateError": "allegiance.errors",
    "UnknownPoleError": "allegiance.errors",
    "BadDateError": "allegiance.errors",
    "BadInputError": "allegiance.errors",
    "StoreMissingError": "allegiance.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'allegiance' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # for editors and type checkers; not imported at run time
    from allegiance.analysis.alignment import agreement, alignment, cohesion, matrix, matrix_map
    from allegiance.analysis.frames import dyad_years, state_years
    from allegiance.analysis.ideal import ideal_points
    from allegiance.analysis.influence.api import (
        arms_share,
        channel_scores,
        drift,
        energy_share,
        influence,
        influence_change,
        profile,
        sphere,
        trade_share,
    )
    from allegiance.analysis.influence.energy_exports import energy_exports
    from allegiance.analysis.influence.panel import channel_coverage, index_panel
    from allegiance.analysis.knowledge import (
        agreements,
        events,
        members,
        memberships,
        offices,
        presence,
        territories,
        ties,
        timeline,
    )
    from allegiance.analysis.regions import region
    from allegiance.analysis.sourcing import cite
    from allegiance.analysis.verbs import (
        add_agreement,
        add_arms_share,
        add_energy_share,
        add_ideal_points,
        add_influence,
        add_membership,
        add_presence,
        add_trade_share,
    )
    from allegiance.analysis.votes import roll_calls, votes
    from allegiance.claims import check
    from allegiance.errors import (
        AllegianceError,
        BadDateError,
        BadInputError,
        NoDataError,
        StoreMissingError,
        UnknownPoleError,
        UnknownStateError,
    )
    from allegiance.states import resolve_state
    from allegiance.store.build import build
    from allegiance.store.store import Store, open
