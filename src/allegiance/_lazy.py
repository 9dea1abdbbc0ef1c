"""Modules imported on first use, so that a command starts quickly.

pandas and numpy take most of a command's start-up time; `allegiance votes` and the
other simple commands answer without them.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule(ModuleType):
    """Stands for a module and imports it when one of its attributes is first read."""

    def __init__(self, name: str):
        super().__init__(name)
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str):
        if attr == "_module":
            raise AttributeError(attr)
        if self._module is None:
            self._module = importlib.import_module(self.__name__)
        return getattr(self._module, attr)


def lazy(name: str) -> LazyModule:
    return LazyModule(name)
