"""Vote-agreement measures on small tables whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from allegiance.measures.agreement import (
    MEASURES,
    MIN_N,
    AgreementResult,
    agreement_matrix,
    agreement_with,
    dyad_agreement,
    flag_sparse,
    get_measure,
    majority_position,
    vote_table,
)
from allegiance.vote import Vote

Y, A, N, ABS, NM = (int(v) for v in Vote)

# Two states over eight roll calls. Only the first four have a cast vote from both:
#   (Y, Y) same, (Y, N) opposite, (N, N) same, (A, Y) half.
# Roll calls 5-8 have an absence, non-membership or missing code on one side.
STATE_A = np.array([Y, Y, N, A, ABS, NM, 0, Y], dtype=np.int8)
STATE_B = np.array([Y, N, N, Y, Y, Y, Y, NM], dtype=np.int8)


def measure_of(name, a=STATE_A, b=STATE_B):
    value, n = MEASURES[name](vote_table(a, b))
    return float(value), int(n)


def test_vote_table_counts_only_shared_cast_votes():
    table = vote_table(STATE_A, STATE_B)
    expected = np.zeros((3, 3), dtype=int)
    expected[0, 0] = 1  # yes-yes
    expected[0, 2] = 1  # yes-no
    expected[2, 2] = 1  # no-no
    expected[1, 0] = 1  # abstain-yes
    np.testing.assert_array_equal(table, expected)


def test_voeten_hand_example():
    # |v1 - v2| = 0, 2, 0, 1 over n = 4 shared cast votes: 1 - 3 / (2 * 4) = 0.625.
    assert measure_of("voeten") == pytest.approx((0.625, 4))


def test_s_is_city_block_and_twice_voeten_minus_one():
    # d = 3 / 4, d_max = 2: S = 1 - 2 * 0.75 / 2 = 0.25 = 2 * 0.625 - 1.
    assert measure_of("s") == pytest.approx((0.25, 4))
    rng = np.random.default_rng(7)
    votes = rng.choice([Y, A, N, ABS], size=(40, 5)).astype(np.int8)
    period = np.repeat([1, 2], 20)
    s = agreement_matrix(votes, period, "s").value
    voeten = agreement_matrix(votes, period, "voeten").value
    np.testing.assert_allclose(s, 2 * voeten - 1)


def test_coincidence_ignores_abstentions():
    # Yes/no on both sides: (Y, Y) same, (Y, N) opposite, (N, N) same; (A, Y) left out.
    assert measure_of("coincidence") == pytest.approx((2 / 3, 3))
    # Abstentions only: no yes/no pair, so the value is undefined on n = 0.
    value, n = measure_of("coincidence", np.array([A, A, Y]), np.array([Y, A, A]))
    assert np.isnan(value) and n == 0


def test_kappa_hand_example():
    # p_o = 2/4. Marginals over the four shared votes:
    #   A: yes 2, abstain 1, no 1 -> (.5, .25, .25);  B: yes 2, no 2 -> (.5, 0, .5).
    # p_e = .25 + 0 + .125 = .375; kappa = (.5 - .375) / (1 - .375) = 0.2.
    assert measure_of("kappa") == pytest.approx((0.2, 4))


def test_pi_hand_example():
    # Pooled marginals: yes 4/8, abstain 1/8, no 3/8;
    # p_e = 16/64 + 1/64 + 9/64 = 26/64; pi = (32/64 - 26/64) / (38/64) = 3/19.
    assert measure_of("pi") == pytest.approx((3 / 19, 4))


def test_chance_correction_removes_agreement_explained_by_marginals():
    # A always votes yes; B votes yes twice and no once. Raw agreement 2/3, but with
    # A's marginal (1, 0, 0), p_e = 1 * 2/3 = 2/3 = p_o, so kappa = 0.
    a, b = np.array([Y, Y, Y]), np.array([Y, N, Y])
    assert measure_of("kappa", a, b)[0] == pytest.approx(0.0)
    # Pooled yes 5/6, no 1/6: p_e = 26/36, p_o = 24/36, pi = (-2/36) / (10/36) = -0.2.
    assert measure_of("pi", a, b)[0] == pytest.approx(-0.2)
    assert measure_of("voeten", a, b)[0] == pytest.approx(1 - 2 / 6)


@pytest.mark.parametrize("name", ["kappa", "pi"])
def test_chance_agreement_of_one_is_undefined(name):
    # Both vote yes on everything: p_e = 1 and kappa = pi = 0 / 0, reported as NaN
    # although the states agree perfectly (voeten = 1).
    a = np.array([Y, Y, Y, ABS])
    b = np.array([Y, Y, Y, Y])
    value, n = measure_of(name, a, b)
    assert np.isnan(value) and n == 3
    assert measure_of("voeten", a, b) == pytest.approx((1.0, 3))


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_no_shared_cast_vote_gives_nan_and_zero_n(name):
    value, n = measure_of(name, np.array([Y, ABS, NM, 0]), np.array([ABS, Y, Y, Y]))
    assert np.isnan(value) and n == 0


def test_unknown_measure_lists_valid_ones():
    with pytest.raises(ValueError, match="coincidence.*kappa.*pi.*s.*voeten"):
        get_measure("cosine")
    with pytest.raises(ValueError, match="unknown agreement measure"):
        agreement_matrix(np.ones((2, 2), dtype=np.int8), np.array([1, 1]), "cosine")


def test_agreement_matrix_splits_by_period():
    # Periods given out of order; the result's rows follow sorted labels.
    votes = np.array(
        [
            [Y, Y, N],  # 2001
            [Y, N, N],  # 2000
            [N, N, Y],  # 2001
            [A, Y, ABS],  # 2000
        ],
        dtype=np.int8,
    )
    period = np.array([2001, 2000, 2001, 2000])
    result = agreement_matrix(votes, period, "voeten")
    assert isinstance(result, AgreementResult)
    np.testing.assert_array_equal(result.periods, [2000, 2001])
    assert result.value.shape == result.n.shape == (2, 3, 3)
    # 2000, states 0-1: (Y, N) -> 0 and (A, Y) -> 0.5: mean 0.25 over 2.
    assert result.value[0, 0, 1] == pytest.approx(0.25)
    assert result.n[0, 0, 1] == 2
    # 2000, states 0-2: (Y, N) only (state 2 absent on the other): 0 over 1.
    assert result.value[0, 0, 2] == pytest.approx(0.0)
    assert result.n[0, 0, 2] == 1
    # 2001, states 0-1: (Y, Y) and (N, N): 1 over 2; states 1-2: (Y, N), (N, Y): 0.
    assert result.value[1, 0, 1] == pytest.approx(1.0)
    assert result.value[1, 1, 2] == pytest.approx(0.0)
    np.testing.assert_array_equal(result.value, result.value.transpose(0, 2, 1))


def test_agreement_matrix_rejects_misaligned_period():
    with pytest.raises(ValueError, match="one label per roll call"):
        agreement_matrix(np.ones((3, 2), dtype=np.int8), np.array([1, 2]))


def _reference(a, b, name):
    """Pair-by-pair, roll-call-by-roll-call implementation of each formula."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x in (Y, A, N) and y in (Y, A, N)]
    if name == "coincidence":
        kept = [(x, y) for x, y in pairs if x != A and y != A]
        same = sum(x == y for x, y in kept)
        return (same / len(kept) if kept else np.nan), len(kept)
    n = len(pairs)
    if n == 0:
        return np.nan, 0
    if name in ("voeten", "s"):
        d = sum(abs(x - y) for x, y in pairs) / n
        return (1 - d / 2 if name == "voeten" else 1 - d), n
    p_o = sum(x == y for x, y in pairs) / n
    share_a = {c: sum(x == c for x, _ in pairs) / n for c in (Y, A, N)}
    share_b = {c: sum(y == c for _, y in pairs) / n for c in (Y, A, N)}
    if name == "kappa":
        p_e = sum(share_a[c] * share_b[c] for c in (Y, A, N))
    else:
        p_e = sum(((share_a[c] + share_b[c]) / 2) ** 2 for c in (Y, A, N))
    return ((p_o - p_e) / (1 - p_e) if not np.isclose(p_e, 1) else np.nan), n


def _random_votes(seed, n_roll_calls=60, n_states=6):
    rng = np.random.default_rng(seed)
    codes = np.array([Y, A, N, ABS, NM, 0], dtype=np.int8)
    votes = rng.choice(codes, size=(n_roll_calls, n_states), p=[0.4, 0.15, 0.2, 0.1, 0.1, 0.05])
    # Labels drawn at random, so periods are interleaved and of unequal size.
    period = rng.integers(1990, 1995, size=n_roll_calls)
    return votes, period


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", sorted(MEASURES))
def test_matrix_matches_dyad_and_reference(seed, name):
    votes, period = _random_votes(seed)
    result = agreement_matrix(votes, period, name)
    periods = np.unique(period)
    for i in range(votes.shape[1]):
        for j in range(votes.shape[1]):
            frame = dyad_agreement(votes[:, i], votes[:, j], period, name)
            np.testing.assert_array_equal(frame["period"], periods)
            np.testing.assert_allclose(frame["value"], result.value[:, i, j], equal_nan=True)
            np.testing.assert_array_equal(frame["n"], result.n[:, i, j])
            for p, label in enumerate(periods):
                rows = period == label
                value, n = _reference(votes[rows, i], votes[rows, j], name)
                assert result.n[p, i, j] == n
                np.testing.assert_allclose(result.value[p, i, j], value, atol=1e-12, equal_nan=True)


def test_dyad_agreement_columns_and_sparse_flag():
    period = np.array([1, 1, 1, 1, 2, 2, 2, 2])
    frame = dyad_agreement(STATE_A, STATE_B, period, "voeten", min_n=3)
    assert list(frame.columns) == ["period", "value", "n", "sparse"]
    # Period 1 holds the four shared cast votes; period 2 none.
    assert frame["n"].tolist() == [4, 0]
    assert frame["sparse"].tolist() == [False, True]
    assert frame["value"].iloc[0] == pytest.approx(0.625)
    assert np.isnan(frame["value"].iloc[1])


def test_flag_sparse_threshold():
    np.testing.assert_array_equal(flag_sparse(np.array([0, 9, 10, 11])), [1, 1, 0, 0])
    assert MIN_N == 10
    np.testing.assert_array_equal(flag_sparse(np.array([2, 3]), min_n=3), [True, False])
    with pytest.raises(ValueError):
        flag_sparse(np.array([1]), min_n=-1)


def test_result_to_frame_lists_each_dyad_once():
    votes, period = _random_votes(3, n_states=4)
    result = agreement_matrix(votes, period, "kappa")
    frame = result.to_frame(states=["USA", "RUS", "CHN", "IND"], min_n=5)
    assert list(frame.columns) == ["period", "state_a", "state_b", "value", "n", "sparse"]
    assert len(frame) == len(result.periods) * 6
    row = frame[(frame.period == result.periods[1]) & (frame.state_a == "RUS")]
    row = row[row.state_b == "IND"].iloc[0]
    np.testing.assert_allclose(row["value"], result.value[1, 1, 3], equal_nan=True)
    assert row["n"] == result.n[1, 1, 3]
    assert row["sparse"] == (result.n[1, 1, 3] < 5)
    np.testing.assert_array_equal(result.sparse(5), result.n < 5)


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_agreement_with_a_state_equals_its_column(name):
    votes, period = _random_votes(11)
    value, n = agreement_with(votes, period, votes[:, 2], name)
    result = agreement_matrix(votes, period, name)
    np.testing.assert_allclose(value, result.value[:, :, 2], equal_nan=True)
    np.testing.assert_array_equal(n, result.n[:, :, 2])


def test_agreement_with_a_synthetic_pole():
    # Pole = majority of states 0-2; roll call 2 is tied (Y, N, A) so the pole has no
    # position there. Pole: Y, N, 0, Y.
    votes = np.array(
        [
            [Y, Y, N, Y],
            [N, N, Y, ABS],
            [Y, N, A, Y],
            [Y, A, Y, N],
        ],
        dtype=np.int8,
    )
    pole = majority_position(votes[:, :3])
    np.testing.assert_array_equal(pole, [Y, N, 0, Y])
    value, n = agreement_with(votes, np.zeros(4, dtype=int), pole, "voeten")
    assert value.shape == n.shape == (1, 4)
    # State 3 vs pole: (Y, Y) 1, absent, tied, (N, Y) 0 -> 0.5 over 2.
    assert value[0, 3] == pytest.approx(0.5) and n[0, 3] == 2
    # State 1 vs pole: (Y, Y) 1, (N, N) 1, tied, (A, Y) 0.5 -> 2.5 / 3.
    assert value[0, 1] == pytest.approx(2.5 / 3) and n[0, 1] == 3


def test_agreement_with_rejects_misaligned_target():
    with pytest.raises(ValueError, match="target"):
        agreement_with(np.ones((3, 2), dtype=np.int8), np.zeros(3), np.ones(2))


def test_majority_position_plurality_ties_and_no_votes():
    group = np.array(
        [
            [Y, Y, Y, N, N, A, A],  # plurality yes (3 of 7)
            [Y, Y, N, N, A, ABS, NM],  # yes and no tie at 2 -> no position
            [ABS, NM, 0, ABS, NM, 0, ABS],  # nobody cast a vote -> no position
            [A, A, Y, ABS, ABS, ABS, ABS],  # abstention is a position
            [N, ABS, ABS, ABS, ABS, ABS, ABS],  # one voter is enough
        ],
        dtype=np.int8,
    )
    result = majority_position(group)
    np.testing.assert_array_equal(result, [Y, 0, 0, A, N])
    assert result.dtype == np.int8


def test_full_record_sized_input_gives_every_period():
    # The size of the 1946-2026 record: ~6,500 roll calls, 200 states, 80 years (speed is
    # measured by bench/bench_agreement.py, not here).
    rng = np.random.default_rng(0)
    votes = rng.choice(
        np.array([Y, A, N, ABS, NM, 0], dtype=np.int8),
        size=(6500, 200),
        p=[0.55, 0.1, 0.07, 0.08, 0.18, 0.02],
    )
    period = np.sort(rng.integers(1946, 2026, size=6500))
    result = agreement_matrix(votes, period, "kappa")
    assert result.value.shape == (80, 200, 200)
    # The diagonal counts each state's own cast votes in the period.
    first = period == result.periods[0]
    cast = np.isin(votes[first], [Y, A, N]).sum(axis=0)
    np.testing.assert_array_equal(np.diagonal(result.n[0]), cast)
