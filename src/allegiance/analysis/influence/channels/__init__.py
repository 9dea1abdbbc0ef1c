"""The channels of influence, one module each, found by :func:`registry`.

A channel is a module in this package with one function::

    score(store, states, poles, years) -> DataFrame[state, pole, year, score,
                                                   coverage_note, inputs, sources]

``score`` is in [0, 1] (higher: more tied to the pole) and is left out, never set to 0,
where the channel has no data. A channel may return the extra columns ``score_lower`` and
``score_upper`` (an uncertainty band on its own score). Optional module attributes:
``LABEL`` (one line for tables) and ``DEFAULT_WEIGHT`` (used when weights.py has none).
Adding a module here adds a channel; the index code does not change.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType


@dataclass(frozen=True)
class Channel:
    name: str
    label: str
    score: Callable
    module: ModuleType


@lru_cache(maxsize=1)
def registry() -> dict[str, Channel]:
    """Every channel module in this package, by name, in alphabetical order."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if callable(getattr(module, "score", None)):
            label = getattr(module, "LABEL", info.name)
            found[info.name] = Channel(info.name, label, module.score, module)
    return found


def names() -> list[str]:
    return list(registry())
