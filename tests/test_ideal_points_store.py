"""Ideal points fitted on the whole store (issues 4 and 11): one stable scale over eighty
years, face validity, year or session, final or all votes, issues, diagnostics, the CLI."""

from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def by_year(points):
    voted = points[points["n_votes"] > 0]
    return voted.pivot(index="year", columns="state", values="estimate")


def _mean(by_year, state, first, last):
    return by_year.loc[first:last, state].mean()


# ------------------------------------------------------------------------------ one scale


def test_spread_is_estimated_and_stable_across_decades(points, by_year):
    voted = points[(points["n_votes"] > 0) & (points["year"].between(1960, 2029))]
    sd = voted.groupby("year")["estimate"].std(ddof=0)
    per_decade = sd.groupby(sd.index // 10 * 10).mean()
    assert len(per_decade) == 7
    # Identification: only 1991-2020 together have variance 1; every other year's spread
    # is estimated, from the bridging resolutions and the discriminations' common prior
    # (docs/ideal_points.md), so it varies: measured 0.87 (1989) to 1.29 (1961). The old
    # pooled standardisation let the scale stretch with the agenda (the USA from +1.1 in
    # 1960 to +6.0 in 2023); the target of issue 11 is a factor below 1.5 between decades
    # (measured 1.31: 0.94 in the 2010s, 1.23 in the 1960s).
    assert per_decade.max() / per_decade.min() < 1.5
    assert sd.max() - sd.min() > 0.1
    assert 0.9 < sd.loc[1991:2020].mean() < 1.05
    # The centre is estimated, not imposed (bridges and dynamics): the median state stays
    # within a third of a standard deviation of the reference mean in every decade
    # (measured +0.21 in the 1960s to -0.32 in the 2010s and 2020s).
    median = by_year.loc[1960:].median(axis=1)
    assert median.groupby(median.index // 10 * 10).mean().abs().max() < 0.35


def test_united_states_at_the_western_end_and_stable_since_the_mid_1980s(by_year):
    ranks = by_year.rank(axis=1, pct=True)
    assert (ranks.loc[1985:, "USA"] == 1.0).all()
    # Always on the Western side; lowest in 1956, when it voted against Britain, France and
    # Israel over Suez (+1.04).
    assert (by_year.loc[1946:, "USA"] > 0.5).all()
    # Since 1985 the United States moves within a band of about one standard deviation
    # (measured +2.49 in 2002 to +3.30 in 1995) and is near where it was in 1985 (+3.12;
    # 2023: +2.91).
    since = by_year.loc[1985:2025, "USA"]
    assert since.max() - since.min() < 1.0
    assert abs(by_year.loc[2023, "USA"] - by_year.loc[1985, "USA"]) < 1.0
    # The target of issue 11: less than 1.0 between 1980 and 2023 (measured +2.50 to
    # +2.91). Version 4, whose prior of the discriminations was learned (3.33), put the
    # United States of 1980 at +1.90: the 1980s shrank, and the whole early record with
    # them (docs/ideal_points.md compares both with Bailey, Strezhnev and Voeten's own
    # estimates).
    assert abs(by_year.loc[2023, "USA"] - by_year.loc[1980, "USA"]) < 1.0
    # In the bipolar assembly of 1980 the Soviet bloc was the far pole (the USSR -2.51).
    assert by_year.loc[1980, "SUN"] < -by_year.loc[1980, "USA"]


def test_russia_in_2023_is_clearly_negative_near_china_and_belarus(by_year):
    row = by_year.loc[2023]
    # Measured: Russia -0.84, China -1.10, Belarus -1.14 (Bailey, Strezhnev and Voeten 2025:
    # Russia about -1.3, China about -1.2).
    assert row["RUS"] < -0.5
    assert abs(row["RUS"] - row["CHN"]) < 0.5 and abs(row["RUS"] - row["BLR"]) < 0.5
    assert row["RUS"] < row.quantile(0.25)
    # Since 2022 further from the United States than in the 1990s or 2000s.
    assert _mean(by_year, "RUS", 2022, 2024) < _mean(by_year, "RUS", 1992, 2009) - 0.5


def test_west_and_its_opponents_at_opposite_ends(by_year):
    recent = by_year.loc[2014:].mean()
    ranks = recent.rank(pct=True)
    for state in ("USA", "ISR"):
        assert ranks[state] > 0.95, state
    for state in ("CUB", "PRK", "IRN", "SYR"):
        assert ranks[state] < 0.25, state


def test_baltic_states_western_after_1991_and_belarus_next_to_russia(by_year):
    after = by_year.loc[1992:]
    for state in ("EST", "LVA", "LTU"):
        # Every year, not only on average, on the Western side of the median. In 1992-1995
        # (Kozyrev's foreign ministry) Russia voted with the West as often as they did;
        # from 1997 it is always well below them.
        assert (after[state] > after.median(axis=1)).all(), state
        assert (after[state] > after["RUS"] - 0.2).all(), state
        assert (after.loc[1997:, state] > after.loc[1997:, "RUS"] + 0.5).all(), state
    # Belarus votes with Russia: within 0.7 of it every year since 2000.
    gap = (by_year.loc[2000:, "BLR"] - by_year.loc[2000:, "RUS"]).abs()
    assert gap.max() < 0.7


def test_cold_war_poles_and_the_end_of_the_cold_war(by_year):
    # Until Gorbachev took office (March 1985) the USSR is the far pole (measured -1.82 in
    # 1984, -1.62 in 1985, +0.04 in 1990).
    cold_war = by_year.loc[1960:1984]
    assert (cold_war["SUN"] < -1.5).all() and (cold_war["USA"] > 0.5).all()
    # Gorbachev: the USSR moves to the centre by 1990.
    assert by_year.loc[1990, "SUN"] > by_year.loc[1980, "SUN"] + 1.5


def test_intervals_surround_the_estimates(points):
    voted = points[points["n_votes"] > 0]
    assert (voted["lower"] < voted["estimate"]).all() and (voted["estimate"] < voted["upper"]).all()
    width = (voted["upper"] - voted["lower"]).median()
    assert 0.1 < width < 1.0


# ------------------------------------------------------------------------------ options


def test_output_shape_attrs_and_cache(own_store, points):
    assert list(points.columns) == ["state", "year", "estimate", "lower", "upper", "n_votes"]
    assert points["year"].min() == 1946 and points["year"].max() >= 2025
    d = points.attrs["diagnostics"]
    assert d["converged"] and d["reference"] == [1991, 2020]
    assert "voeten" in points.attrs["sources"] and "unxml" in points.attrs["sources"]
    assert "Voeten" in points.attrs["attribution"]
    # The fit is cached beside the store, never in the store file.
    cached = sorted(own_store.cache_dir.rglob("ideal_points-*-points.parquet"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    again = al.ideal_points(own_store, states=["ARM", "USA"])
    assert set(again["state"]) == {"ARM", "USA"}
    # The second call with the same settings reused the cached fit.
    assert cached[0].stat().st_mtime_ns == stamp
    merged = again.merge(points, on=["state", "year"], suffixes=("", "_first"))
    assert (merged["estimate"] == merged["estimate_first"]).all()
    assert again.attrs["diagnostics"]["n_items"] == d["n_items"]


def test_by_session_on_the_same_kind_of_scale(own_store, by_year):
    sessions = al.ideal_points(own_store, by="session")
    assert list(sessions.columns) == ["state", "session", "estimate", "lower", "upper", "n_votes"]
    s = sessions[sessions["n_votes"] > 0].pivot(index="session", columns="state", values="estimate")
    # Session 78 runs from September 2023; its ordering matches the calendar year 2023.
    common = s.loc[78].dropna().index.intersection(by_year.loc[2023].dropna().index)
    assert s.loc[78, common].corr(by_year.loc[2023, common], method="spearman") > 0.9
    assert s.loc[78, "RUS"] < -0.5 < 1 < s.loc[78, "EST"]


def test_final_passage_votes_only(own_store, points):
    final = al.ideal_points(own_store, votes="final")
    d_all, d_final = points.attrs["diagnostics"], final.attrs["diagnostics"]
    assert d_final["n_roll_calls"] < d_all["n_roll_calls"]
    f = final[final["n_votes"] > 0].pivot(index="year", columns="state", values="estimate")
    assert f.loc[2023, "USA"] > 1.5 and f.loc[2023, "RUS"] < -0.5


def test_ukraine_issue_scale(own_store):
    ukraine = al.ideal_points(own_store, issue="ukraine", since=2014)
    u = ukraine[ukraine["n_votes"] > 0].pivot(index="year", columns="state", values="estimate")
    assert u.index.min() == 2014
    # On Ukraine, Russia and Belarus at one end, Ukraine and the Baltic states at the other,
    # Kazakhstan (abstaining) in between.
    row = u.loc[2022]
    assert row["RUS"] < row["KAZ"] < row["UKR"]
    assert row.rank(pct=True)["RUS"] < 0.05 and row.rank(pct=True)["EST"] > 0.8
    with pytest.raises(ValueError, match="unknown issue"):
        al.ideal_points(own_store, issue="bogus")
    with pytest.raises(ValueError, match="by must be one of"):
        al.ideal_points(own_store, by="decade")


def test_bridging_shares_items_across_sessions(own_store):
    votes = ideal_point_votes(own_store, since=2000, until=2010)
    per_item = votes.groupby("item")["period"].nunique()
    assert (per_item > 1).sum() > 100
    assert per_item.max() <= 4  # blocks of three sessions: at most four calendar years
    assert set(votes["vote"].unique()) <= {1, 2, 3}


# ------------------------------------------------------------------------------ the CLI


def _cli(own_store, *args):
    from conftest import run_cli

    result = run_cli("ideal", *args, "--db", own_store.path)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ideal_cli_reads_the_cache(cli, own_store, points):
    out = _cli(own_store, "--states", "ARM,RUS", "--since", "2020", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "state,year,estimate,lower,upper,n_votes"
    assert {line.split(",")[0] for line in lines[1:]} == {"ARM", "RUS"}
    assert {int(line.split(",")[1]) for line in lines[1:]} >= {2020, 2025}


def test_ideal_cli_by_session_final_votes_and_issue(cli, own_store):
    out = _cli(own_store, "--by", "session", "--states", "EST", "--format", "csv")
    assert out.splitlines()[0] == "state,session,estimate,lower,upper,n_votes"
    # With sessions, --since and --until choose the sessions that opened in those years:
    # the 75th opened in September 2020, the 77th in September 2022.
    out = _cli(own_store, "--by", "session", "--states", "RUS", "--since", "2020", "--until",
               "2022", "--format", "csv")  # fmt: skip
    assert [int(line.split(",")[1]) for line in out.splitlines()[1:]] == [75, 76, 77]
    out = _cli(
        own_store, "--votes", "final", "--states", "EST", "--since", "2023", "--format", "csv"
    )  # noqa: E501
    assert out.splitlines()[1].startswith("EST,2023,")
    payload = json.loads(
        _cli(own_store, "--issue", "ukraine", "--fit-window", "--since", "2014", "--states",
             "KAZ", "--format", "json")
    )  # fmt: skip
    assert {row["year"] for row in payload["rows"]} >= {2014, 2022}


def test_ideal_cli_diagnostics(cli, own_store, points):
    out = _cli(own_store, "--diagnostics", "--since", "2019", "--until", "2024")
    assert "converged after" in out and "bridging periods" in out
    # The reference years and the prior of the discriminations (Bailey, Strezhnev and
    # Voeten's N(0, 1)) are in the summary.
    assert "reference years 1991-2020" in out
    assert "prior variance of the discriminations 1.00 (fixed" in out
    csv = _cli(own_store, "--diagnostics", "--format", "csv").splitlines()
    assert csv[0] == "year,n_states,sd,location_sd,scale_sd,bridging_items"
    rows = {line.split(",")[0]: line.split(",") for line in csv[1:]}
    assert int(rows["2023"][5]) >= 20  # resolutions voted in both 2023 and 2024


def test_ideal_cli_refuses_bad_options(cli, own_store):
    result = cli("ideal", "--issue", "bogus", "--db", own_store.path)
    assert result.exit_code == 2 and "unknown issue" in result.output
    result = cli("ideal", "--ci", "2", "--db", own_store.path)
    assert result.exit_code == 2 and "--ci" in result.output
