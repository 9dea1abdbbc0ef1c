"""How often two states vote alike in the UN General Assembly.

Every measure here is a function of one *vote table*: for a pair of states, the 3 x 3
counts of roll calls on which the first cast vote ``k`` and the second cast vote ``l``
(``k, l`` in yes, abstain, no, in that order, the ordinal order of Voeten's codes 1, 2, 3).
Roll calls on which either state was absent, not a member, or missing (code 0) never
enter a table, so every measure rests only on votes both states cast.

:func:`agreement_matrix` builds the tables of all dyads of a period at once from one-hot
indicator matrices (one matrix product per period), so the whole 1946-2026 record takes
well under a second; no code here loops over pairs of states.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from allegiance.vote import CAST, Vote

#: Default smallest number of roll calls a value should rest on before it is trusted.
MIN_N = 10

# Index of each cast code in the first two axes of a vote table. CAST lists yes,
# abstain, no, so index distance equals code distance and the table is ordinal.
_CODES = tuple(int(code) for code in CAST)
_YES, _ABSTAIN, _NO = (_CODES.index(int(v)) for v in (Vote.YES, Vote.ABSTAIN, Vote.NO))
# |v1 - v2| between the categories of the table, used by the city-block measures.
_DISTANCE = np.abs(np.subtract.outer(np.arange(3), np.arange(3))).astype(float)


def _as_table(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=float)
    if counts.shape[:2] != (3, 3):
        raise ValueError(f"a vote table has shape (3, 3, ...); got {counts.shape}")
    return counts


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with NaN where ``den`` is zero (the measure is undefined there)."""
    num, den = np.broadcast_arrays(np.asarray(num, float), np.asarray(den, float))
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _cast_total(counts: np.ndarray) -> np.ndarray:
    return counts.sum(axis=(0, 1))


def _mean_distance_sum(counts: np.ndarray) -> np.ndarray:
    """Sum over shared cast votes of ``|v1 - v2|`` on the 1-2-3 scale."""
    return np.tensordot(_DISTANCE, counts, axes=([0, 1], [0, 1]))


def voeten(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Voeten's agreement score.

    With yes = 1, abstain = 2, no = 3, each roll call on which both states cast a vote
    scores ``1 - |v1 - v2| / 2`` (1 for the same vote, 0.5 when one abstains, 0 for
    opposite votes); the score is the mean over those roll calls::

        agree = 1 - sum |v1 - v2| / (2 n)

    This is the ``agree`` index published with the UN General Assembly voting data
    (Voeten 2013, "Data and Analyses of Voting in the United Nations General Assembly",
    Routledge Handbook of International Organization; Harvard Dataverse hdl:1902.1/12379;
    Bailey, Strezhnev and Voeten 2017, Journal of Conflict Resolution 61(2)).

    Parameters
    ----------
    counts : numpy.ndarray
        Vote table(s) of shape ``(3, 3, ...)``; see :func:`vote_table`.

    Returns
    -------
    value : numpy.ndarray
        Agreement in [0, 1], NaN where the states share no cast vote.
    n : numpy.ndarray
        Number of roll calls on which both cast a vote.

    Examples
    --------
    >>> import numpy as np
    >>> value, n = voeten(vote_table(np.array([1, 1, 3, 2]), np.array([1, 3, 3, 1])))
    >>> float(value), int(n)
    (0.625, 4)
    """
    counts = _as_table(counts)
    n = _cast_total(counts)
    return 1.0 - _ratio(_mean_distance_sum(counts), 2.0 * n), n.astype(np.int64)


def s(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Signorino and Ritter's S with the city-block metric on three ordered categories.

    With ``d`` the mean of ``|v1 - v2|`` over roll calls both states voted on
    (yes = 1, abstain = 2, no = 3) and ``d_max = 2`` the largest possible distance::

        S = 1 - 2 d / d_max = 1 - d

    so ``S = 2 * voeten - 1``: the same information as :func:`voeten` stretched to
    [-1, 1]. Signorino and Ritter (1999), "Tau-b or Not Tau-b: Measuring the Similarity
    of Foreign Policy Positions", International Studies Quarterly 43(1): 115-144.

    Parameters
    ----------
    counts : numpy.ndarray
        Vote table(s) of shape ``(3, 3, ...)``.

    Returns
    -------
    value : numpy.ndarray
        S in [-1, 1], NaN where the states share no cast vote.
    n : numpy.ndarray
        Number of roll calls on which both cast a vote.
    """
    counts = _as_table(counts)
    n = _cast_total(counts)
    return 1.0 - _ratio(_mean_distance_sum(counts), n), n.astype(np.int64)


def coincidence(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """US State Department voting coincidence, "votes only".

    Counting only roll calls on which both states voted yes or no (abstentions,
    absences and non-membership are left out)::

        coincidence = identical / (identical + opposite)

    with identical = both yes or both no, opposite = one yes and one no. This is the
    "votes only" method of the State Department's annual report to Congress, *Voting
    Practices in the United Nations* (required by 22 U.S.C. 2414a).

    Parameters
    ----------
    counts : numpy.ndarray
        Vote table(s) of shape ``(3, 3, ...)``.

    Returns
    -------
    value : numpy.ndarray
        Coincidence in [0, 1], NaN where the states share no yes/no vote.
    n : numpy.ndarray
        Number of roll calls on which both voted yes or no.
    """
    counts = _as_table(counts)
    identical = counts[_YES, _YES] + counts[_NO, _NO]
    n = identical + counts[_YES, _NO] + counts[_NO, _YES]
    return _ratio(identical, n), n.astype(np.int64)


def _observed_and_marginals(counts: np.ndarray):
    n = _cast_total(counts)
    agree = np.trace(counts, axis1=0, axis2=1)
    # Each state's own distribution of votes, over the roll calls both cast a vote on.
    first = counts.sum(axis=1)
    second = counts.sum(axis=0)
    return n, agree, first, second


def kappa(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cohen's kappa on yes, abstain and no, as proposed for foreign policy by Häge.

    With ``p_o`` the share of shared cast votes on which the two states voted alike and
    ``p_a(k)``, ``p_b(k)`` each state's own share of votes ``k`` over those roll calls::

        p_e   = sum_k p_a(k) p_b(k)
        kappa = (p_o - p_e) / (1 - p_e)

    Chance agreement uses the two states' separate marginals, so a dyad of two states
    that vote yes on nearly everything is not credited for agreeing. The categories are
    treated as nominal (the unweighted index). Häge (2011), "Choice or Circumstance?
    Adjusting Measures of Foreign Policy Similarity for Chance Agreement", Political
    Analysis 19(3): 287-305; Cohen (1960), Educational and Psychological Measurement 20.

    Parameters
    ----------
    counts : numpy.ndarray
        Vote table(s) of shape ``(3, 3, ...)``.

    Returns
    -------
    value : numpy.ndarray
        Kappa in [-1, 1]. NaN where the states share no cast vote, and where chance
        agreement is 1 (both cast the same single vote on every shared roll call):
        agreement is then certain by the marginals and kappa is 0 / 0.
    n : numpy.ndarray
        Number of roll calls on which both cast a vote.
    """
    counts = _as_table(counts)
    n, agree, first, second = _observed_and_marginals(counts)
    # Multiplied through by n**2 so that counts stay integers (exact in float64) and
    # the degenerate case p_e == 1 is detected exactly rather than up to rounding.
    expected = (first * second).sum(axis=0)
    return _ratio(n * agree - expected, n * n - expected), n.astype(np.int64)


def pi(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scott's pi on yes, abstain and no, as proposed for foreign policy by Häge.

    As :func:`kappa`, but chance agreement comes from the pooled marginals of the dyad,
    as if both states drew their votes from one common distribution::

        p_e = sum_k ((p_a(k) + p_b(k)) / 2) ** 2
        pi  = (p_o - p_e) / (1 - p_e)

    Häge (2011), Political Analysis 19(3): 287-305; Scott (1955), Public Opinion
    Quarterly 19: 321-325.

    Parameters
    ----------
    counts : numpy.ndarray
        Vote table(s) of shape ``(3, 3, ...)``.

    Returns
    -------
    value : numpy.ndarray
        Pi in [-1, 1]; NaN where the states share no cast vote or where chance agreement
        is 1 (both cast the same single vote throughout).
    n : numpy.ndarray
        Number of roll calls on which both cast a vote.
    """
    counts = _as_table(counts)
    n, agree, first, second = _observed_and_marginals(counts)
    # Multiplied through by 4 n**2 to stay in exact integer counts (see kappa).
    expected = ((first + second) ** 2).sum(axis=0)
    return _ratio(4 * n * agree - expected, 4 * n * n - expected), n.astype(np.int64)


Measure = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]

#: The agreement measures by name.
MEASURES: dict[str, Measure] = {
    "voeten": voeten,
    "coincidence": coincidence,
    "kappa": kappa,
    "pi": pi,
    "s": s,
}


def get_measure(measure: str | Measure) -> Measure:
    """Look up a measure by name (a callable is returned as is).

    Raises
    ------
    ValueError
        If the name is not in :data:`MEASURES`; the message lists the valid names.
    """
    if callable(measure):
        return measure
    try:
        return MEASURES[measure]
    except KeyError:
        raise ValueError(
            f"unknown agreement measure {measure!r}; expected one of {sorted(MEASURES)}"
        ) from None


def _one_hot(votes: np.ndarray) -> np.ndarray:
    """``(n_roll_calls, 3 * n_states)`` indicators: yes block, abstain block, no block."""
    return np.concatenate([votes == code for code in _CODES], axis=1).astype(np.float64)


def _cross_counts(left: np.ndarray, right: np.ndarray | None = None) -> np.ndarray:
    """Vote tables of every (left column, right column) pair: shape ``(3, 3, a, b)``.

    ``H_left.T @ H_right`` counts, for each pair of columns and each pair of categories,
    the roll calls on which the one voted ``k`` and the other ``l``.
    """
    h_left = _one_hot(left)
    h_right = h_left if right is None else _one_hot(right)
    a, b = left.shape[1], (left if right is None else right).shape[1]
    product = h_left.T @ h_right
    return product.reshape(3, a, 3, b).transpose(0, 2, 1, 3)


def vote_table(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The 3 x 3 table of two states' votes over the roll calls both cast a vote on.

    Parameters
    ----------
    a, b : numpy.ndarray
        1-D vote codes (:class:`allegiance.vote.Vote`, 0 for missing), aligned on roll calls.

    Returns
    -------
    numpy.ndarray
        ``table[k, l]`` = number of roll calls on which ``a`` voted ``k`` and ``b`` voted
        ``l``, with ``k, l`` indexing yes, abstain, no.
    """
    a, b = _as_codes(a, 1), _as_codes(b, 1)
    if a.shape != b.shape:
        raise ValueError(f"vote vectors differ in length: {a.shape[0]} and {b.shape[0]}")
    return _cross_counts(a[:, None], b[:, None])[:, :, 0, 0].astype(np.int64)


def _as_codes(votes: np.ndarray, ndim: int) -> np.ndarray:
    votes = np.asarray(votes)
    if votes.ndim != ndim:
        raise ValueError(f"expected a {ndim}-D array of vote codes; got shape {votes.shape}")
    return votes


def _period_slices(period: np.ndarray, n_roll_calls: int):
    """Sorted unique periods and, for each, the row indices of its roll calls."""
    period = np.asarray(period)
    if period.shape != (n_roll_calls,):
        raise ValueError(
            f"period must have one label per roll call ({n_roll_calls}); got {period.shape}"
        )
    periods, inverse = np.unique(period, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=len(periods)))[:-1]
    return periods, np.split(order, bounds)


@dataclass(frozen=True)
class AgreementResult:
    """Agreement of every dyad in every period.

    Attributes
    ----------
    value : numpy.ndarray
        ``(n_periods, n_states, n_states)`` float, NaN where undefined.
    n : numpy.ndarray
        Same shape, int: the number of roll calls each value rests on.
    periods : numpy.ndarray
        Sorted unique period labels, one per first-axis row.
    measure : str
        Name of the measure.
    """

    value: np.ndarray
    n: np.ndarray
    periods: np.ndarray
    measure: str

    def sparse(self, min_n: int = MIN_N) -> np.ndarray:
        """Boolean mask of values resting on fewer than ``min_n`` roll calls."""
        return flag_sparse(self.n, min_n)

    def to_frame(self, states=None, min_n: int = MIN_N) -> pd.DataFrame:
        """Dyad-period rows ``period, state_a, state_b, value, n, sparse``.

        Each unordered dyad appears once (``state_a`` before ``state_b`` in column
        order); ``states`` labels the columns (default: their positions).
        """
        n_states = self.value.shape[1]
        labels = np.arange(n_states) if states is None else np.asarray(states)
        if len(labels) != n_states:
            raise ValueError(f"{len(labels)} state labels for {n_states} states")
        i, j = np.triu_indices(n_states, k=1)
        n = self.n[:, i, j]
        return pd.DataFrame(
            {
                "period": np.repeat(self.periods, len(i)),
                "state_a": np.tile(labels[i], len(self.periods)),
                "state_b": np.tile(labels[j], len(self.periods)),
                "value": self.value[:, i, j].ravel(),
                "n": n.ravel(),
                "sparse": flag_sparse(n, min_n).ravel(),
            }
        )


def flag_sparse(n: np.ndarray, min_n: int = MIN_N) -> np.ndarray:
    """Flag values that rest on fewer than ``min_n`` roll calls.

    Such values are kept (a dyad-year with 3 shared votes is still data) but should be
    read with care; callers show or filter on the flag.
    """
    if min_n < 0:
        raise ValueError(f"min_n must be non-negative; got {min_n}")
    return np.asarray(n) < min_n


def agreement_matrix(
    votes: np.ndarray, period: np.ndarray, measure: str | Measure = "voeten"
) -> AgreementResult:
    """Agreement of every pair of states in every period.

    Parameters
    ----------
    votes : numpy.ndarray
        ``(n_roll_calls, n_states)`` vote codes (:class:`allegiance.vote.Vote`; 0 = missing).
    period : numpy.ndarray
        ``(n_roll_calls,)`` integer period label (year or session) of each roll call.
    measure : str or callable
        A name in :data:`MEASURES` (default ``"voeten"``) or a function of a vote table.

    Returns
    -------
    AgreementResult
        ``value`` and ``n`` of shape ``(n_periods, n_states, n_states)``. The diagonal is
        each state's agreement with itself.

    Examples
    --------
    >>> import numpy as np
    >>> votes = np.array([[1, 1], [1, 3], [3, 3]], dtype=np.int8)
    >>> result = agreement_matrix(votes, np.array([2000, 2000, 2001]), "coincidence")
    >>> result.value[:, 0, 1].tolist(), result.n[:, 0, 1].tolist()
    ([0.5, 1.0], [2, 1])
    """
    votes = _as_codes(votes, 2)
    compute = get_measure(measure)
    periods, rows = _period_slices(period, votes.shape[0])
    n_states = votes.shape[1]
    value = np.empty((len(periods), n_states, n_states))
    n = np.empty((len(periods), n_states, n_states), dtype=np.int64)
    for p, idx in enumerate(rows):
        value[p], n[p] = compute(_cross_counts(votes[idx]))
    name = measure if isinstance(measure, str) else getattr(measure, "__name__", "custom")
    return AgreementResult(value=value, n=n, periods=periods, measure=name)


def agreement_with(
    votes: np.ndarray,
    period: np.ndarray,
    target: np.ndarray,
    measure: str | Measure = "voeten",
) -> tuple[np.ndarray, np.ndarray]:
    """Every state's agreement with one vote vector, per period.

    The target may be a state's column or a synthetic position such as a bloc's
    :func:`majority_position` (a "pole").

    Parameters
    ----------
    votes : numpy.ndarray
        ``(n_roll_calls, n_states)`` vote codes.
    period : numpy.ndarray
        ``(n_roll_calls,)`` period labels.
    target : numpy.ndarray
        ``(n_roll_calls,)`` vote codes of the target; 0 where it has no position.
    measure : str or callable
        A name in :data:`MEASURES` or a function of a vote table.

    Returns
    -------
    value, n : numpy.ndarray
        ``(n_periods, n_states)``; rows follow the sorted unique periods
        (``numpy.unique(period)``).
    """
    votes = _as_codes(votes, 2)
    target = _as_codes(target, 1)
    if target.shape[0] != votes.shape[0]:
        raise ValueError(f"target has {target.shape[0]} roll calls but votes has {votes.shape[0]}")
    compute = get_measure(measure)
    periods, rows = _period_slices(period, votes.shape[0])
    value = np.empty((len(periods), votes.shape[1]))
    n = np.empty((len(periods), votes.shape[1]), dtype=np.int64)
    for p, idx in enumerate(rows):
        v, k = compute(_cross_counts(votes[idx], target[idx, None]))
        value[p], n[p] = v[:, 0], k[:, 0]
    return value, n


def dyad_agreement(
    a: np.ndarray,
    b: np.ndarray,
    period: np.ndarray,
    measure: str | Measure = "voeten",
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """Agreement of one pair of states, per period.

    Parameters
    ----------
    a, b : numpy.ndarray
        1-D vote codes of the two states, aligned on roll calls.
    period : numpy.ndarray
        Period label of each roll call.
    measure : str or callable
        A name in :data:`MEASURES` or a function of a vote table.
    min_n : int
        Periods resting on fewer roll calls are flagged ``sparse`` (not dropped).

    Returns
    -------
    pandas.DataFrame
        Columns ``period, value, n, sparse``, one row per period, sorted by period.
    """
    a, b = _as_codes(a, 1), _as_codes(b, 1)
    if a.shape != b.shape:
        raise ValueError(f"vote vectors differ in length: {a.shape[0]} and {b.shape[0]}")
    value, n = agreement_with(a[:, None], period, b, measure)
    periods = np.unique(np.asarray(period))
    return pd.DataFrame(
        {
            "period": periods,
            "value": value[:, 0],
            "n": n[:, 0],
            "sparse": flag_sparse(n[:, 0], min_n),
        }
    )


def majority_position(votes_of_group: np.ndarray) -> np.ndarray:
    """A group's most common cast vote on each roll call.

    This is a plurality, not an absolute majority: with 4 yes, 3 no and 2 abstentions
    the position is yes. Absent, non-member and missing codes are not counted. The
    position is 0 (missing) where the group cast no vote, and where the largest counts
    tie (2 yes and 2 no): a split group has no position, so roll calls on which it is
    split drop out of any agreement with it rather than being broken arbitrarily.

    Parameters
    ----------
    votes_of_group : numpy.ndarray
        ``(n_roll_calls, n_members)`` vote codes of the group's members.

    Returns
    -------
    numpy.ndarray
        ``(n_roll_calls,)`` int8 vote codes, 0 where the group has no position.

    Examples
    --------
    >>> import numpy as np
    >>> majority_position(np.array([[1, 1, 3], [1, 3, 8], [8, 9, 0]])).tolist()
    [1, 0, 0]
    """
    votes = _as_codes(votes_of_group, 2)
    tally = np.stack([(votes == code).sum(axis=1) for code in _CODES], axis=1)
    top = tally.max(axis=1)
    winner = np.asarray(_CODES, dtype=np.int8)[tally.argmax(axis=1)]
    unique_top = (tally == top[:, None]).sum(axis=1) == 1
    return np.where((top > 0) & unique_top, winner, 0).astype(np.int8)
