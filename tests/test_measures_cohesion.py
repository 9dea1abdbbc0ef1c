"""Group cohesion (Hix-Noury-Roland agreement index) and the agreement map (MDS)."""

from __future__ import annotations

import numpy as np
import pytest

from allegiance.measures.cohesion import agreement_index, cohesion
from allegiance.measures.mds import agreement_map, classical_mds
from allegiance.vote import Vote

Y, A, N, ABS, NM = (int(v) for v in Vote)

GROUP = np.array(
    [
        [Y, Y, N, ABS],  # 2 yes, 1 no: (2 - 0.5 * 1) / 3 = 0.5
        [Y, A, N, NM],  # even three-way split: (1 - 0.5 * 2) / 3 = 0
        [N, N, N, N],  # unanimous: (4 - 0) / 4 = 1
        [Y, Y, Y, A],  # (3 - 0.5 * 1) / 4 = 0.625
        [Y, ABS, NM, 0],  # a single cast vote: AI = 1, but too few voters to count
        [ABS, NM, 0, ABS],  # nobody voted: undefined
    ],
    dtype=np.int8,
)


def test_agreement_index_hand_values():
    ai = agreement_index(GROUP)
    np.testing.assert_allclose(ai[:5], [0.5, 0.0, 1.0, 0.625, 1.0])
    assert np.isnan(ai[5])


def test_absent_and_non_members_do_not_count():
    # Adding absentees to a 2-yes-1-no roll call leaves AI at 0.5.
    with_absentees = np.array([[Y, Y, N, ABS, ABS, NM, 0]], dtype=np.int8)
    assert agreement_index(with_absentees)[0] == pytest.approx(0.5)


def test_cohesion_per_period():
    period = np.array([2, 2, 1, 1, 1, 3])
    frame = cohesion(GROUP, period)
    assert list(frame.columns) == ["period", "ai", "unanimous_share", "n"]
    assert frame["period"].tolist() == [1, 2, 3]
    # Period 1: rows 2 (AI 1, unanimous) and 3 (AI 0.625); row 4 has one voter only.
    # Period 2: rows 0 (0.5) and 1 (0), neither unanimous. Period 3: no roll call counts.
    assert frame["n"].tolist() == [2, 2, 0]
    np.testing.assert_allclose(frame["ai"][:2], [(1 + 0.625) / 2, 0.25])
    np.testing.assert_allclose(frame["unanimous_share"][:2], [0.5, 0.0])
    assert frame["ai"].isna().tolist() == [False, False, True]
    assert np.isnan(frame["unanimous_share"].iloc[2])


def test_cohesion_rejects_misaligned_period():
    with pytest.raises(ValueError, match="one label per roll call"):
        cohesion(GROUP, np.array([1, 2]))


def _distances(points):
    return np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))


def test_classical_mds_recovers_configuration_up_to_rotation():
    rng = np.random.default_rng(3)
    points = rng.normal(size=(8, 2)) * [3.0, 1.0]
    coords = classical_mds(_distances(points), k=2)
    assert coords.shape == (8, 2)
    # Pairwise distances are preserved exactly for a Euclidean configuration...
    np.testing.assert_allclose(_distances(coords), _distances(points), atol=1e-9)
    # ...and an orthogonal Procrustes fit maps the centred truth onto the result.
    centred = points - points.mean(axis=0)
    u, _, vt = np.linalg.svd(centred.T @ coords)
    np.testing.assert_allclose(centred @ (u @ vt), coords, atol=1e-9)


def test_classical_mds_orientation_is_deterministic():
    # Four points on a line: x = -3, -1, 1, 3. The first point must come out positive,
    # whatever sign the eigensolver returns.
    x = np.array([-3.0, -1.0, 1.0, 3.0])
    coords = classical_mds(np.abs(x[:, None] - x[None, :]), k=1)
    np.testing.assert_allclose(coords[:, 0], -x, atol=1e-9)
    # Reordering the points reorders the result and re-orients it by the new first point.
    order = [2, 0, 3, 1]
    reordered = classical_mds(np.abs(x[order, None] - x[None, order]), k=1)
    np.testing.assert_allclose(reordered[:, 0], x[order], atol=1e-9)


@pytest.mark.parametrize(
    "distance, message",
    [
        (np.array([[0.0, np.nan], [np.nan, 0.0]]), "NaN"),
        (np.array([[0.0, 1.0], [2.0, 0.0]]), "symmetric"),
        (np.array([[1.0, 1.0], [1.0, 0.0]]), "diagonal"),
        (np.zeros((2, 3)), "square"),
    ],
)
def test_classical_mds_rejects_bad_input(distance, message):
    with pytest.raises(ValueError, match=message):
        classical_mds(distance)


def test_classical_mds_rejects_too_many_dimensions():
    with pytest.raises(ValueError, match="k must be"):
        classical_mds(np.zeros((2, 2)), k=3)


def test_agreement_map_uses_one_minus_agreement():
    # Agreement 1 - distance for three states on a line at 0, 0.2 and 0.6; the diagonal
    # is left as NaN (a measure may leave self-agreement undefined).
    x = np.array([0.0, 0.2, 0.6])
    agreement = 1 - np.abs(x[:, None] - x[None, :])
    np.fill_diagonal(agreement, np.nan)
    frame = agreement_map(agreement, ["USA", "GBR", "RUS"])
    assert list(frame.columns) == ["state", "x", "y"]
    assert frame["state"].tolist() == ["USA", "GBR", "RUS"]
    # Collinear points: all spread on x, none on y; USA oriented positive.
    np.testing.assert_allclose(frame["x"], 0.8 / 3 - x, atol=1e-9)
    np.testing.assert_allclose(frame["y"], 0.0, atol=1e-7)


def test_agreement_map_rejects_missing_dyads():
    agreement = np.array([[1.0, np.nan, 0.5], [np.nan, 1.0, 0.4], [0.5, 0.4, 1.0]])
    with pytest.raises(ValueError, match="NaN"):
        agreement_map(agreement, ["a", "b", "c"])
    with pytest.raises(ValueError, match="labels"):
        agreement_map(np.eye(2), ["a"])
