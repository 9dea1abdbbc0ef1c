"""Shared fixtures: the read-only mirror of real source files."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Tests write only to temporary folders: the store, the download cache and the knowledge
# base's parse cache all live under ALLEGIANCE_HOME.
os.environ["ALLEGIANCE_HOME"] = tempfile.mkdtemp(prefix="allegiance-test-home-")


#: Fixtures that build (or read) the store from the mirror; tests using them are slow.
_STORE_FIXTURES = {"store", "store_path", "own_store", "report_html"}


def pytest_collection_modifyitems(config, items):
    """Mark every test that needs the store, so that `make test-fast` can leave it out."""
    for item in items:
        if _STORE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.store)


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


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args, env: dict | None = None) -> CliResult:
    """Run ``allegiance ARGS`` in this process as a user would (aliases, the error boundary,
    exit codes), capturing what it prints."""
    from allegiance.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update({k: str(v) for k, v in (env or {}).items()})
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def cli():
    """Run the command line: ``cli("agree", "ARM", "RUS")`` returns a :class:`CliResult`."""
    return run_cli
