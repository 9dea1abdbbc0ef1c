"""Ideal points fitted on the whole store (issue 4): face validity, caching, the CLI."""

from __future__ import annotations

import shutil

import pytest

import allegiance as al
from allegiance.analysis.ideal import ideal_point_votes
from allegiance.store.store import Store


@pytest.fixture(scope="module")
def own_store(store_path, tmp_path_factory):
    """A private copy: fitting writes its cache into the folder beside the store file."""
    path = tmp_path_factory.mktemp("ideal") / "allegiance.duckdb"
    shutil.copy(store_path, path)
    with Store(path) as store:
        yield store


@pytest.fixture(scope="module")
def points(own_store):
    return al.ideal_points(own_store)


def _mean(points, state, first, last):
    rows = points[(points["state"] == state) & points["year"].between(first, last)]
    return rows["estimate"].mean()


def test_west_and_its_opponents_at_opposite_ends(points):
    recent = points[points["year"] >= 2014].groupby("state")["estimate"].mean()
    ranks = recent.rank(pct=True)
    for state in ("USA", "ISR"):
        assert ranks[state] > 0.95, state
    for state in ("CUB", "PRK", "IRN"):
        assert ranks[state] < 0.25, state
    # Russia since 2014 is on the side opposite the United States (the sign rule makes the
    # USA positive) and further from it than in the 1990s, as in Bailey, Strezhnev and
    # Voeten's series, where it sits among the large non-Western majority.
    assert recent["USA"] > 0 > recent["RUS"]
    assert recent["RUS"] < _mean(points, "RUS", 1992, 1999)


def test_baltic_states_cross_to_the_western_side_after_1991(points):
    west = points[points["year"] >= 1995].groupby("state")["estimate"].mean()
    russia = west["RUS"]
    for state in ("EST", "LVA", "LTU"):
        assert west[state] > russia
        assert west[state] > west.median()


def test_output_shape_and_cache(own_store, points):
    assert list(points.columns) == [
        "state",
        "session",
        "year",
        "estimate",
        "lower",
        "upper",
        "n_votes",
    ]
    assert points["session"].min() == 1 and points["year"].max() >= 2025
    # The fit is cached beside the store, never in the store file.
    cached = sorted(own_store.cache_dir.rglob("ideal_points-*-points.parquet"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    again = al.ideal_points(own_store, states=["ARM", "USA"])
    assert set(again["state"]) == {"ARM", "USA"}
    # The second call with the same settings reused the cached fit.
    assert cached[0].stat().st_mtime_ns == stamp
    merged = again.merge(points, on=["state", "session"], suffixes=("", "_first"))
    assert (merged["estimate"] == merged["estimate_first"]).all()


def test_ideal_cli_reads_the_cache(cli, own_store):
    result = cli("ideal", "--states", "ARM,rus", "--since", "2020", "--format", "csv",
                 "--db", own_store.path)  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "state,session,year,estimate,lower,upper,n_votes"
    assert {line.split(",")[0] for line in lines[1:]} == {"ARM", "RUS"}


def test_bridging_shares_items_across_sessions(own_store):
    votes = ideal_point_votes(own_store, since=2000, until=2010)
    per_item = votes.groupby("item")["period"].nunique()
    assert (per_item > 1).sum() > 50
    assert set(votes["vote"].unique()) <= {1, 2, 3}
