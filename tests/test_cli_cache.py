"""Caches that do not fight readers (issue 16, item 7): ideal points are cached beside the
store, so a notebook holding the store open never blocks the cache, a second run reads the
cache instead of fitting again, and no raw warning reaches the terminal."""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings

import pytest

import allegiance as al
from allegiance.store.store import Store

WINDOW = ["--since", "2022", "--until", "2023", "--fit-window"]


@pytest.fixture
def own_store(store_path, tmp_path):
    path = tmp_path / "allegiance.duckdb"
    shutil.copy(store_path, path)
    return path


@pytest.fixture
def reader(own_store):
    """Another process holding the store open, as a notebook does, until the test ends."""
    code = (
        "import sys, time, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "con.execute('SELECT count(*) FROM votes').fetchall()\n"
        "print('open', flush=True)\n"
        "time.sleep(300)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(own_store)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "open"
    yield process
    process.kill()
    process.wait()


def _cached(path):
    return sorted(path.with_name(path.name + ".cache").rglob("ideal_points-*.parquet"))


def test_an_open_reader_never_blocks_caching(cli, own_store, reader):
    first = cli("ideal", *WINDOW, "--format", "csv", "--db", own_store)
    assert first.exit_code == 0, first.output
    assert "Warning" not in first.output and "warning" not in first.stderr
    files = _cached(own_store)
    assert len(files) == 2  # the points, and the run's settings and diagnostics
    stamps = [f.stat().st_mtime_ns for f in files]
    # A second run, in a new process of its own as far as the store is concerned, reads
    # the cache: the same figures, and the files are not written again.
    second = cli("ideal", *WINDOW, "--format", "csv", "--db", own_store)
    assert second.stdout == first.stdout
    assert [f.stat().st_mtime_ns for f in _cached(own_store)] == stamps
    assert reader.poll() is None  # the reader was never disturbed


def test_the_python_api_caches_without_a_warning(own_store, reader):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        with Store(own_store) as store:
            points = al.ideal_points(store, since=2022, until=2023)
        files = _cached(own_store)
        stamps = [f.stat().st_mtime_ns for f in files]
        with Store(own_store) as store:
            again = al.ideal_points(store, since=2022, until=2023)
    assert files and [f.stat().st_mtime_ns for f in _cached(own_store)] == stamps
    assert points["estimate"].tolist() == again["estimate"].tolist()
    # ARM and RUS both voted in 2022 and 2023 (sessions 77 and 78).
    assert {"ARM", "RUS", "USA"} <= set(points["state"])
