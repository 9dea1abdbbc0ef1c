"""Alignment from votes on the real record (issue 3)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import allegiance as al
from allegiance.vote import Vote


def _manual_voeten(store, a, b, year):
    """Voeten's score computed the slow, obvious way from the votes table."""
    frame = store.sql(
        "SELECT v.roll_call_id, v.state, v.vote FROM votes v JOIN roll_calls r "
        "ON r.id = v.roll_call_id WHERE r.year = ? AND v.state IN (?, ?)",
        [year, a, b],
    ).pivot(index="roll_call_id", columns="state", values="vote")
    cast = frame.isin([Vote.YES, Vote.ABSTAIN, Vote.NO]).all(axis=1)
    both = frame[cast]
    return 1 - (both[a] - both[b]).abs().div(2).mean(), int(cast.sum())


def test_agreement_matches_a_direct_computation(store):
    frame = al.agreement(store, "ARM", "RUS", since=2015, until=2024)
    assert list(frame.columns[:5]) == ["state", "partner", "year", "agreement", "n"]
    row = frame.set_index("year").loc[2022]
    value, n = _manual_voeten(store, "ARM", "RUS", 2022)
    assert row["n"] == n
    assert row["agreement"] == pytest.approx(value)
    assert frame.attrs["attribution"] and "unxml" in frame.attrs["sources"]


def test_measures_order_dyads_sensibly(store):
    # Close allies agree more than rivals, under every measure.
    for measure in ("voeten", "coincidence", "kappa", "pi", "s"):
        ally = al.agreement(store, "USA", "ISR", since=2000, until=2019, measure=measure)
        rival = al.agreement(store, "USA", "CUB", since=2000, until=2019, measure=measure)
        assert ally["agreement"].mean() > rival["agreement"].mean(), measure


def test_coincidence_ignores_abstentions(store):
    # Identical / (identical + opposite) over yes/no pairs only, so n is no larger.
    voeten = al.agreement(store, "ARM", "USA", since=2022, until=2022)
    coincidence = al.agreement(store, "ARM", "USA", since=2022, until=2022, measure="coincidence")
    assert coincidence["n"].iat[0] < voeten["n"].iat[0]


def test_alignment_has_a_column_per_pole_and_the_closest(store):
    # The closest pole is named on kappa whatever the measure shown, so with kappa shown it
    # is the column of the highest value.
    frame = al.alignment(store, "BLR", since=2015, measure="kappa")
    assert {"RUS", "USA", "CHN", "TUR", "EU", "closest", "n"} <= set(frame.columns)
    poles = frame[["RUS", "USA", "CHN", "TUR", "EU"]]
    assert (frame["closest"] == poles.idxmax(axis=1)).all()
    assert frame.attrs["closest_by"] == "kappa"
    assert (al.alignment(store, "BLR", since=2015)["closest"] == frame["closest"]).all()
    # Belarus votes with Russia more than with the United States in every year.
    assert (frame["RUS"] > frame["USA"]).all()


def test_russia_pole_is_the_ussr_before_1992(store):
    frame = al.alignment(store, "USA", poles=["RUS"], since=1980, until=1995).set_index("year")
    assert frame.loc[1985, "n_RUS"] > 0
    assert frame.loc[1985, "RUS"] < frame.loc[1995, "RUS"]


def test_eu_pole_uses_members_on_the_vote_date(store):
    from allegiance.analysis.poles import membership_mask, org_spells

    # Poland joined on 1 May 2004 and the United Kingdom left on 31 January 2020.
    dates = ["2004-04-30", "2004-05-01", "2020-01-31", "2020-02-01"]
    mask = membership_mask(org_spells("EU"), dates, ["GBR", "POL", "USA"])
    assert mask[:, 1].tolist() == [False, True, True, True]
    assert mask[:, 0].tolist() == [True, True, True, False]
    assert not mask[:, 2].any()
    frame = al.alignment(store, "POL", poles=["EU"], since=2005, until=2010)
    assert (frame["EU"] > 0.9).all()


def test_issue_filter_ukraine(store):
    frame = al.agreement(store, "KAZ", "RUS", issue="ukraine", since=2022, until=2023)
    assert frame["n"].sum() >= 4  # ES-11/1 to /6 and Ukraine resolutions of 2022-2023
    with pytest.raises(ValueError, match="unknown issue"):
        al.agreement(store, "KAZ", "RUS", issue="nonsense")


def test_sparse_periods_are_flagged_not_hidden(store):
    frame = al.agreement(store, "ARM", "RUS", issue="ukraine", since=2014)
    assert frame["sparse"].any()
    assert (frame.loc[frame["sparse"], "n"] < 10).all()


def test_drop_unanimous_and_resolutions_only_reduce_the_base(store):
    def n(**kw):
        return al.agreement(store, "FRA", "GBR", since=1972, until=1972, **kw)["n"].iat[0]

    unanimous = store.sql(
        "SELECT count(*) AS n FROM (SELECT v.roll_call_id FROM votes v JOIN roll_calls r "
        "ON r.id = v.roll_call_id WHERE r.year = 1972 AND v.vote IN (1, 2, 3) "
        "GROUP BY 1 HAVING count(DISTINCT v.vote) = 1)"
    )["n"].iat[0]
    assert unanimous > 0
    assert n(drop_unanimous=True) == n() - unanimous
    assert n(resolutions_only=True) < n()


def test_cohesion_of_a_region_and_a_list(store):
    region = al.cohesion(store, region="central-asia", since=2022, until=2023)
    listed = al.cohesion(store, states=["KAZ", "KGZ", "TJK", "TKM", "UZB"], since=2022, until=2023)
    assert region["ai"].tolist() == pytest.approx(listed["ai"].tolist())
    assert ((region["ai"] >= 0) & (region["ai"] <= 1)).all()
    eu = al.cohesion(store, region="eu", since=2000, until=2000)
    assert eu["members"].iat[0] == 15


def test_matrix_is_symmetric_and_map_separates_blocs(store):
    m = al.matrix(store, 2022)
    values = m.to_numpy()
    assert np.allclose(values, values.T, equal_nan=True)
    coords = al.matrix_map(store, 2022).set_index("state")
    west = coords.loc[["USA", "GBR", "FRA", "DEU"], "x"].mean()
    east = coords.loc[["RUS", "BLR", "PRK", "SYR"], "x"].mean()
    assert abs(west - east) > abs(coords.loc["USA", "x"] - coords.loc["GBR", "x"])


def test_cli_agree_csv_and_align_json(cli, store_path):
    result = cli("agree", "ARM", "RUS", "--since", "2020", "--format", "csv", "--db", store_path)
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header[:5] == ["state", "partner", "year", "agreement", "n"]
    assert result.stdout.splitlines()[1].startswith("ARM,RUS,2020,")
    result = cli("align", "Armenia", "--since", "2022", "--format", "json", "--db", store_path)
    payload = json.loads(result.stdout)
    assert payload["attribution"]
    assert {"state", "year", "RUS", "USA", "CHN", "TUR", "EU", "closest"} <= set(payload["rows"][0])
    assert payload["rows"][0]["state"] == "ARM"


def test_cli_keeps_from_and_to_as_aliases(cli, store_path):
    old = cli("agree", "ARM", "RUS", "--from", "2020", "--to", "2021", "--format", "csv",
              "--db", store_path)  # fmt: skip
    new = cli("agree", "ARM", "RUS", "--since", "2020", "--until", "2021", "--format", "csv",
              "--db", store_path)  # fmt: skip
    assert old.exit_code == 0 and old.stdout == new.stdout
    assert len(new.stdout.splitlines()) == 3  # header, 2020, 2021


def test_cli_unknown_state_is_a_clear_error(cli, store_path):
    result = cli("agree", "XXX", "RUS", "--db", store_path)
    assert result.exit_code == 2
    assert "XXX" in result.output and "Traceback" not in result.output
