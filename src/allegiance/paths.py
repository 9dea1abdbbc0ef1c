"""Where allegiance keeps its store and its download cache."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DB_NAME = "allegiance.duckdb"


def home() -> Path:
    """The data directory: ``$ALLEGIANCE_HOME`` or the platform's user data directory."""
    env = os.environ.get("ALLEGIANCE_HOME")
    return Path(env) if env else Path(user_data_dir("allegiance", appauthor=False))


def default_db() -> Path:
    return home() / DB_NAME


def cache_dir() -> Path:
    """Where ``allegiance fetch`` puts downloaded releases, laid out like a mirror."""
    return home() / "mirror"


def default_mirror() -> Path | None:
    """The mirror to build from when none is named: ``$ALLEGIANCE_MIRROR`` or the fetch cache."""
    env = os.environ.get("ALLEGIANCE_MIRROR")
    if env:
        return Path(env)
    cache = cache_dir()
    return cache if cache.exists() else None
