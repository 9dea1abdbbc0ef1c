"""Tests of DynamicIdealPoints: recovery of simulated ideal points, the bootstrap, the rules
for missing codes and sign, the numerical core, and face validity on Voeten's UN votes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from allegiance.measures import ideal_em
from allegiance.measures.ideal_points import DynamicIdealPoints


def simulate(
    n_states=120,
    n_periods=30,
    n_items=40,
    n_bridged=8,
    missing=0.15,
    walk=0.1,
    seed=0,
):
    """Votes from known ideal points: random walks (some with drift), ordered probit items.

    The first ``n_bridged`` items of every period recur each period with the same
    parameters (item key ``B{k}``); state ``S000`` sits on the positive side.
    """
    rng = np.random.default_rng(seed)
    steps = rng.normal(0, np.sqrt(walk), (n_states, n_periods))
    drift = np.where(rng.random(n_states) < 0.2, rng.choice([-0.08, 0.08], n_states), 0.0)
    steps[:, 0] = rng.normal(0, 1, n_states)
    steps[:, 1:] += drift[:, None]
    x = np.cumsum(steps, axis=1)
    x[0] = np.abs(x[0]) + 1.0
    n_roll = n_periods * n_items
    beta = rng.normal(0, 1.5, n_roll)
    cuts = np.sort(rng.normal(0, 1, (n_roll, 2)), axis=1)
    k = np.tile(np.arange(n_items), n_periods)
    t = np.repeat(np.arange(n_periods), n_items)
    bridged = k < n_bridged
    beta[bridged] = beta[:n_bridged][k[bridged]]
    cuts[bridged] = cuts[:n_bridged][k[bridged]]
    item = np.where(bridged, [f"B{j}" for j in k], [f"I{p}_{j}" for p, j in zip(t, k, strict=True)])
    ystar = beta[:, None] * x[:, t].T + rng.normal(size=(n_roll, n_states))
    vote = 1 + (ystar >= cuts[:, [0]]) + (ystar >= cuts[:, [1]])
    gone = rng.random(vote.shape) < missing
    vote = np.where(gone, rng.choice([8, 9, 0], vote.shape), vote)
    states = np.array([f"S{i:03d}" for i in range(n_states)])
    votes = pd.DataFrame(
        {
            "roll_call": np.repeat(np.arange(n_roll), n_states),
            "item": np.repeat(item, n_states),
            "state": np.tile(states, n_roll),
            "period": np.repeat(1990 + t, n_states),
            "year": np.repeat(1990 + t, n_states),
            "vote": vote.ravel(),
        }
    )
    truth = pd.DataFrame(
        {
            "state": np.repeat(states, n_periods),
            "period": np.tile(1990 + np.arange(n_periods), n_states),
            "truth": x.ravel(),
        }
    )
    items = pd.DataFrame({"item": item, "beta": beta, "cut1": cuts[:, 0], "cut2": cuts[:, 1]})
    return votes, truth, items.drop_duplicates("item")


@pytest.fixture(scope="module")
def sim():
    return simulate()


@pytest.fixture(scope="module")
def dynamic_fit(sim):
    votes, _, _ = sim
    return DynamicIdealPoints(sign_state="S000").fit(votes)


def _corr(fit, truth):
    joined = fit.ideal_points_.merge(truth, on=["state", "period"])
    return np.corrcoef(joined["estimate"], joined["truth"])[0, 1]


# ------------------------------------------------------------------------------ recovery


def test_dynamic_fit_recovers_simulated_ideal_points(sim, dynamic_fit):
    _, truth, _ = sim
    assert dynamic_fit.converged_
    # The sign rule puts S000 (positive in truth) positive, so no sign alignment is needed.
    assert _corr(dynamic_fit, truth) > 0.95


def test_static_per_period_fit_recovers_simulated_ideal_points(sim):
    votes, truth, _ = sim
    fit = DynamicIdealPoints(dynamic=False, sign_state="S000").fit(votes)
    assert _corr(fit, truth) > 0.95
    # smoothing=None is the same model.
    same = DynamicIdealPoints(smoothing=None, sign_state="S000").fit(votes)
    np.testing.assert_allclose(same.ideal_points_["estimate"], fit.ideal_points_["estimate"])


def test_item_parameters_are_on_the_reported_scale(sim, dynamic_fit):
    _, truth, items = sim
    est = dynamic_fit.item_params_.merge(items, on="item")
    assert len(est) == len(items)
    assert np.corrcoef(est["discrimination"], est["beta"])[0, 1] > 0.9
    # With the reported ideal points and item parameters, the ordered probit must reproduce
    # the simulated probability of a yes on the bridged items.
    joined = dynamic_fit.ideal_points_.merge(truth, on=["state", "period"])
    bridged = est[est["item"].str.startswith("B")]
    for row in bridged.itertuples():
        p_est = stats.norm.cdf(row.cut1_x - row.discrimination * joined["estimate"])
        p_true = stats.norm.cdf(row.cut1_y - row.beta * joined["truth"])
        assert np.mean(np.abs(p_est - p_true)) < 0.08


def test_estimates_are_standardised_and_rows_span_first_to_last_vote(dynamic_fit):
    ip = dynamic_fit.ideal_points_
    assert list(ip.columns) == ["state", "period", "year", "estimate", "lower", "upper", "n_votes"]
    assert abs(ip["estimate"].mean()) < 1e-9
    assert abs(ip["estimate"].std(ddof=0) - 1) < 1e-9
    assert (ip["year"] == ip["period"]).all()
    assert ip[["lower", "upper"]].isna().all().all()  # no bootstrap asked for
    assert len(ip) == 120 * 30


def test_gap_periods_are_interpolated_and_walk_starts_at_first_vote(sim):
    votes, _, _ = sim
    # S005 casts no votes in 1995-1999 and none before 1993.
    drop = (votes["state"] == "S005") & (
        votes["period"].between(1995, 1999) | (votes["period"] < 1993)
    )
    fit = DynamicIdealPoints(sign_state="S000").fit(votes[~drop])
    s5 = fit.ideal_points_.query("state == 'S005'").set_index("period")
    assert s5.index.min() == 1993 and s5.index.max() == 2019
    assert (s5.loc[1995:1999, "n_votes"] == 0).all()
    assert (s5.loc[2000:, "n_votes"] > 0).all()
    # Interpolated points lie between their neighbours' values (a smoothed random walk).
    lo, hi = sorted([s5.loc[1994, "estimate"], s5.loc[2000, "estimate"]])
    assert (s5.loc[1995:1999, "estimate"].between(lo - 0.3, hi + 0.3)).all()


# ------------------------------------------------------------------------------ rules


def test_missing_codes_are_not_votes(sim):
    votes, _, _ = sim
    small = votes[votes["period"] < 1998]
    cast = small[small["vote"].isin([1, 2, 3])]
    a = DynamicIdealPoints(sign_state="S000").fit(small).ideal_points_
    b = DynamicIdealPoints(sign_state="S000").fit(cast).ideal_points_
    pd.testing.assert_frame_equal(a, b)
    n_cast = cast.groupby(["state", "period"]).size().rename("n").reset_index()
    got = a.merge(n_cast, on=["state", "period"])
    assert (got["n_votes"] == got["n"]).all()


def test_sign_rule_makes_the_sign_state_positive(sim):
    votes, truth, _ = sim
    small = votes[votes["period"] < 1998]
    mean_truth = truth[truth["period"] < 1998].groupby("state")["truth"].mean()
    negative = mean_truth.idxmin()
    fit = DynamicIdealPoints(sign_state=negative).fit(small)
    ip = fit.ideal_points_
    assert ip.loc[ip["state"] == negative, "estimate"].mean() > 0
    assert _corr(fit, truth) < -0.9
    with pytest.raises(ValueError, match="casts no vote"):
        DynamicIdealPoints(sign_state="XXX").fit(small)


def test_bad_input_is_refused(sim):
    votes, _, _ = sim
    small = votes[votes["period"] < 1993].copy()
    with pytest.raises(ValueError, match="unknown vote codes"):
        DynamicIdealPoints(sign_state="S000").fit(small.assign(vote=small["vote"].replace(2, 5)))
    with pytest.raises(ValueError, match="more than one vote"):
        DynamicIdealPoints(sign_state="S000").fit(pd.concat([small, small.iloc[:1]]))
    with pytest.raises(ValueError, match="lacks columns"):
        DynamicIdealPoints().fit(small.drop(columns="period"))
    with pytest.raises(TypeError):
        DynamicIdealPoints().fit([1, 2, 3])


def test_accepts_an_object_with_ideal_point_votes(sim):
    votes, _, _ = sim
    small = votes[votes["period"] < 1993]

    class Store:
        def ideal_point_votes(self):
            return small

    a = DynamicIdealPoints(sign_state="S000").fit(Store()).ideal_points_
    b = DynamicIdealPoints(sign_state="S000").fit(small).ideal_points_
    pd.testing.assert_frame_equal(a, b)


def test_unanimous_items_get_no_parameters(sim):
    votes, _, _ = sim
    small = votes[votes["period"] < 1993].copy()
    # Roll call 10 is item I0_10 (not bridged); make every cast vote on it a yes.
    unanimous = (small["roll_call"] == 10) & small["vote"].isin([2, 3])
    small.loc[unanimous, "vote"] = 1
    items = DynamicIdealPoints(sign_state="S000").fit(small).item_params_.set_index("item")
    assert items.loc["I0_10", ["discrimination", "cut1", "cut2"]].isna().all()
    assert (
        items.loc["I0_10", "n_votes"]
        == (small["roll_call"] == 10).sum()
        - (~small.loc[small["roll_call"] == 10, "vote"].isin([1, 2, 3])).sum()
    )
    assert items.drop(index="I0_10")["discrimination"].notna().all()


def test_params_follow_the_scikit_learn_shape():
    model = DynamicIdealPoints(smoothing=0.05, random_state=3)
    params = model.get_params()
    assert params["smoothing"] == 0.05 and params["random_state"] == 3
    assert params["sign_state"] == "USA" and params["tol"] == 1e-6
    clone = DynamicIdealPoints(**params)
    assert clone.get_params() == params
    assert model.set_params(n_bootstrap=7) is model and model.n_bootstrap == 7
    with pytest.raises(ValueError):
        model.set_params(bogus=1)
    assert not hasattr(model, "ideal_points_")  # __init__ does no work


# ------------------------------------------------------------------------------ bootstrap


@pytest.fixture(scope="module")
def small_sim():
    return simulate(n_states=60, n_periods=12, n_items=30, n_bridged=6, seed=1)


def test_bootstrap_intervals_cover_the_truth(small_sim):
    votes, truth, _ = small_sim
    fit = DynamicIdealPoints(sign_state="S000", n_bootstrap=60, random_state=0).fit(votes)
    ip = fit.ideal_points_.merge(truth, on=["state", "period"])
    # The truth on the reported scale: standardised over the same rows.
    z = (ip["truth"] - ip["truth"].mean()) / ip["truth"].std(ddof=0)
    covered = ((ip["lower"] <= z) & (z <= ip["upper"])).mean()
    # Measured 0.83 with 100 replicates: the smoothed paths are smoother than the truth and
    # the bootstrap worlds do not reproduce all of that bias (see docs/ideal_points.md).
    assert covered >= 0.75
    assert (ip["lower"] < ip["upper"]).all()
    assert fit.bootstrap_seconds_per_replicate_ > 0
    assert fit.bootstrap_n_converged_ == 60


def test_bootstrap_is_reproducible_with_random_state(small_sim):
    votes, _, _ = small_sim
    small = votes[votes["period"] < 1994]
    a = DynamicIdealPoints(sign_state="S000", n_bootstrap=4, random_state=11).fit(small)
    b = DynamicIdealPoints(sign_state="S000", n_bootstrap=4, random_state=11).fit(small)
    c = DynamicIdealPoints(sign_state="S000", n_bootstrap=4, random_state=12).fit(small)
    cols = ["estimate", "lower", "upper"]
    pd.testing.assert_frame_equal(a.ideal_points_[cols], b.ideal_points_[cols])
    assert not np.allclose(a.ideal_points_["lower"], c.ideal_points_["lower"])


# ------------------------------------------------------------------------------ numerical core


def test_kalman_smoother_matches_the_dense_gaussian_posterior():
    rng = np.random.default_rng(5)
    S, T, w = 4, 7, 0.3
    prec = rng.uniform(0, 3, (S, T))
    prec[1, 2:5] = 0.0  # periods without votes
    info = rng.normal(0, 2, (S, T))
    first = np.array([0, 0, 2, 5])
    gaps = np.array([1.0, 1, 2, 1, 1, 3, 1])
    mean, var = ideal_em.kalman_smoother(prec, info, first, gaps, w)
    for s in range(S):
        n = T - first[s]
        # Precision of the walk x_f ~ N(0, 1), x_t - x_{t-1} ~ N(0, w * gap_t).
        D = np.zeros((n, n))
        D[0, 0] = 1.0
        for k in range(1, n):
            q = 1.0 / (w * gaps[first[s] + k])
            D[k - 1 : k + 1, k - 1 : k + 1] += q * np.array([[1, -1], [-1, 1]])
        D += np.diag(prec[s, first[s] :])
        cov = np.linalg.inv(D)
        np.testing.assert_allclose(mean[s, first[s] :], cov @ info[s, first[s] :], rtol=1e-10)
        np.testing.assert_allclose(var[s, first[s] :], np.diag(cov), rtol=1e-10)


@pytest.mark.parametrize("lo, hi", [(-1.0, 0.5), (3.0, 3.2), (-40.0, -39.0), (25.0, 60.0)])
def test_truncated_normal_moments_are_stable_in_the_tails(lo, hi):
    mean, var, logz = ideal_em._between(np.array([lo]), np.array([hi]))
    ref = stats.truncnorm(lo, hi)
    assert mean[0] == pytest.approx(ref.mean(), rel=1e-6)
    assert var[0] == pytest.approx(ref.var(), rel=1e-4)
    # Reference log mass in the tail where it does not underflow.
    if hi <= 0:
        ref_logz = stats.norm.logcdf(hi) + np.log1p(
            -np.exp(stats.norm.logcdf(lo) - stats.norm.logcdf(hi))
        )
    elif lo >= 0:
        ref_logz = stats.norm.logsf(lo) + np.log1p(
            -np.exp(stats.norm.logsf(hi) - stats.norm.logsf(lo))
        )
    else:
        ref_logz = np.log(stats.norm.cdf(hi) - stats.norm.cdf(lo))
    assert logz[0] == pytest.approx(ref_logz, rel=1e-8)
    for u in (-35.0, -3.0, 0.0, 4.0):
        m, v, lz = ideal_em._below(np.array([u]))
        ref = stats.truncnorm(-np.inf, u)
        assert m[0] == pytest.approx(ref.mean(), rel=1e-6, abs=1e-12)
        assert v[0] == pytest.approx(ref.var(), rel=1e-4)
        assert lz[0] == pytest.approx(stats.norm.logcdf(u), rel=1e-8)


# ------------------------------------------------------------------------------ real votes


@pytest.mark.store
def test_face_validity_on_voeten_votes(mirror):
    from allegiance.sources import voeten

    tables = voeten.read(mirror / "unga" / "voeten_unvotes_published")
    rc = tables.roll_calls.set_index("source_id")
    votes = pd.DataFrame(
        {
            "roll_call": tables.votes["source_id"].to_numpy(),
            "state": tables.votes["state"].to_numpy(),
            "period": tables.votes["source_id"].map(rc["session"]).astype(int).to_numpy(),
            "vote": tables.votes["vote"].to_numpy(),
            "year": tables.votes["source_id"].map(rc["date"]).dt.year.to_numpy(),
        }
    )
    fit = DynamicIdealPoints().fit(votes)
    ip = fit.ideal_points_.pivot(index="period", columns="state", values="estimate")
    assert fit.converged_
    west = ip[["USA", "ISR"]].mean()
    east = ip[["CUB", "PRK", "IRN"]].mean()
    assert (west > 1).all() and (east < -0.5).all()
    # The USSR sits on the opposite side from the USA until Gorbachev (session 42, 1987).
    cold_war = ip.loc[:42]
    assert (cold_war["SUN"] < 0).all() and (cold_war["USA"] > 0).all()
    # USA above every other state's mean in the record; Baltic states Western after 1991.
    means = ip.mean()
    assert means.idxmax() in ("USA", "ISR")
    baltic = ip.loc[48:, ["EST", "LVA", "LTU"]]
    assert (baltic > 0.5).all().all()
    assert (baltic.mean() > ip.loc[48:, "RUS"].mean() + 0.5).all()


def test_zero_smoothing_gives_one_point_per_state(sim):
    votes, truth, _ = sim
    small = votes[votes["period"] < 1995]
    ip = DynamicIdealPoints(smoothing=0, sign_state="S000").fit(small).ideal_points_
    spread = ip.groupby("state")["estimate"].agg(lambda s: s.max() - s.min())
    assert spread.max() < 1e-8
    mean_truth = truth[truth["period"] < 1995].groupby("state")["truth"].mean()
    assert np.corrcoef(ip.groupby("state")["estimate"].mean(), mean_truth)[0, 1] > 0.95


def test_year_and_item_columns_are_optional(sim):
    votes, _, _ = sim
    small = votes[votes["period"] < 1993].drop(columns=["year", "item"])
    fit = DynamicIdealPoints(sign_state="S000").fit(small)
    assert fit.ideal_points_["year"].isna().all()
    # Without an item column every roll call is its own item.
    assert len(fit.item_params_) == small["roll_call"].nunique()
