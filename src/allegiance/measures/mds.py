"""A two-dimensional map of states from their pairwise vote agreement."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Coordinates smaller than this are treated as zero when choosing an axis's sign.
_SIGN_TOL = 1e-9


def classical_mds(distance: np.ndarray, k: int = 2) -> np.ndarray:
    """Classical (Torgerson) multidimensional scaling.

    Double-centres the squared distances, ``B = -1/2 J D**2 J`` with
    ``J = I - 11'/n``, and places the points at ``V_k sqrt(L_k)`` from the ``k``
    largest eigenvalues ``L_k`` of ``B`` and their eigenvectors ``V_k``. For Euclidean
    distances this recovers the configuration up to rotation, reflection and
    translation. Torgerson (1952), "Multidimensional Scaling: I. Theory and Method",
    Psychometrika 17(4): 401-419; Gower (1966), Biometrika 53(3-4): 325-338.

    Each axis is oriented so that the first point with a nonzero coordinate on it is
    positive, so the same input always gives the same map. Negative eigenvalues (the
    distances are not Euclidean) give a zero coordinate on that axis.

    Parameters
    ----------
    distance : numpy.ndarray
        ``(n, n)`` symmetric distances with a zero diagonal. It must be complete: the
        caller decides which states to drop when some pairs are undefined.
    k : int
        Number of dimensions.

    Returns
    -------
    numpy.ndarray
        ``(n, k)`` coordinates, centred on the origin.

    Raises
    ------
    ValueError
        If the matrix is not square, not symmetric, has a nonzero diagonal, contains
        NaN, or ``k`` is not between 1 and ``n``.
    """
    d = np.asarray(distance, dtype=float)
    if d.ndim != 2 or d.shape[0] != d.shape[1]:
        raise ValueError(f"distance must be a square matrix; got shape {d.shape}")
    if np.isnan(d).any():
        raise ValueError(
            "distance contains NaN; drop the states whose distances are undefined first"
        )
    if not np.allclose(d, d.T, atol=1e-10):
        raise ValueError("distance must be symmetric")
    if not np.allclose(np.diag(d), 0.0, atol=1e-10):
        raise ValueError("distance must have a zero diagonal")
    n = d.shape[0]
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and the number of points ({n}); got {k}")
    centre = np.eye(n) - 1.0 / n
    b = -0.5 * centre @ (d**2) @ centre
    eigenvalues, eigenvectors = np.linalg.eigh((b + b.T) / 2)
    top = np.argsort(eigenvalues)[::-1][:k]
    coords = eigenvectors[:, top] * np.sqrt(np.clip(eigenvalues[top], 0.0, None))
    for axis in range(k):
        nonzero = np.flatnonzero(np.abs(coords[:, axis]) > _SIGN_TOL)
        if nonzero.size and coords[nonzero[0], axis] < 0:
            coords[:, axis] *= -1
    return coords


def agreement_map(value_matrix: np.ndarray, labels) -> pd.DataFrame:
    """Place states on a plane so that those that vote alike sit close together.

    Uses ``distance = 1 - agreement``, which suits measures in [0, 1] with 1 for
    identical voting, such as :func:`allegiance.measures.agreement.voeten` (Voeten's
    own maps of UN voting use the same distance). The diagonal is set to 0 and the
    matrix symmetrised before :func:`classical_mds`.

    Parameters
    ----------
    value_matrix : numpy.ndarray
        ``(n_states, n_states)`` agreement of one period, without NaN off the diagonal
        (drop states with too few shared votes first).
    labels : sequence
        One label per state, in matrix order.

    Returns
    -------
    pandas.DataFrame
        Columns ``state, x, y``.
    """
    agreement = np.asarray(value_matrix, dtype=float)
    labels = list(labels)
    if agreement.ndim != 2 or agreement.shape[0] != agreement.shape[1]:
        raise ValueError(f"value_matrix must be square; got shape {agreement.shape}")
    if len(labels) != agreement.shape[0]:
        raise ValueError(f"{len(labels)} labels for {agreement.shape[0]} states")
    distance = 1.0 - agreement
    np.fill_diagonal(distance, 0.0)
    coords = classical_mds((distance + distance.T) / 2, k=2)
    return pd.DataFrame({"state": labels, "x": coords[:, 0], "y": coords[:, 1]})
