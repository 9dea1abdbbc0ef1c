"""Shared fixtures: the read-only mirror of real source files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Tests write only to temporary folders: the store, the download cache and the knowledge
# base's parse cache all live under ALLEGIANCE_HOME.
os.environ["ALLEGIANCE_HOME"] = tempfile.mkdtemp(prefix="allegiance-test-home-")


def _mirror() -> Path:
    env = os.environ.get("ALLEGIANCE_MIRROR")
    return (Path(env) if env else ROOT.parent / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The folder of real source files (``../shared/data`` or ``$ALLEGIANCE_MIRROR``)."""
    path = _mirror()
    if not path.is_dir():
        pytest.fail(f"mirror of source data not found at {path}; set ALLEGIANCE_MIRROR")
    return path


@pytest.fixture(scope="session")
def store_path(mirror, tmp_path_factory) -> Path:
    """A store built once per test run from the real mirror, in a temporary folder."""
    from allegiance.store.build import build

    db = tmp_path_factory.mktemp("store") / "allegiance.duckdb"
    build(mirror, db)
    return db


@pytest.fixture(scope="session")
def store(store_path):
    from allegiance.store.store import Store

    with Store(store_path) as opened:
        yield opened
