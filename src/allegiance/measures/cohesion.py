"""How united a group of states votes: the Hix-Noury-Roland agreement index."""

from __future__ import annotations

import numpy as np
import pandas as pd

from allegiance.vote import CAST


def _tally(votes_of_group: np.ndarray) -> np.ndarray:
    """``(n_roll_calls, 3)`` counts of yes, abstain and no cast in the group."""
    votes = np.asarray(votes_of_group)
    if votes.ndim != 2:
        raise ValueError(f"expected (n_roll_calls, n_members) vote codes; got {votes.shape}")
    return np.stack([(votes == int(code)).sum(axis=1) for code in CAST], axis=1)


def agreement_index(votes_of_group: np.ndarray) -> np.ndarray:
    """Hix, Noury and Roland's agreement index of a group on each roll call.

    With Y, N and A the group's yes, no and abstain votes on a roll call::

        AI = (max(Y, N, A) - (Y + N + A - max(Y, N, A)) / 2) / (Y + N + A)

    AI is 1 when all cast votes are alike and 0 when the group splits evenly three ways.
    Only cast votes count: absent and non-member states are not part of the group's vote
    (HNR count abstentions as a choice, as here). Hix, Noury and Roland (2005), "Power to
    the Parties: Cohesion and Competition in the European Parliament, 1979-2001",
    British Journal of Political Science 35(2): 209-234.

    Parameters
    ----------
    votes_of_group : numpy.ndarray
        ``(n_roll_calls, n_members)`` vote codes (:class:`allegiance.vote.Vote`; 0 = missing).

    Returns
    -------
    numpy.ndarray
        ``(n_roll_calls,)`` float, NaN where the group cast no vote.

    Examples
    --------
    >>> import numpy as np
    >>> agreement_index(np.array([[1, 1, 3], [1, 2, 3]])).tolist()
    [0.5, 0.0]
    """
    tally = _tally(votes_of_group)
    cast = tally.sum(axis=1)
    top = tally.max(axis=1)
    out = np.full(cast.shape, np.nan)
    np.divide(top - 0.5 * (cast - top), cast, out=out, where=cast > 0)
    return out


def cohesion(votes_of_group: np.ndarray, period: np.ndarray) -> pd.DataFrame:
    """Mean agreement index and share of unanimous roll calls of a group, per period.

    Only roll calls on which at least two members cast a vote count: with one voter a
    group is trivially united, and counting such roll calls would inflate cohesion of
    groups with poor attendance.

    Parameters
    ----------
    votes_of_group : numpy.ndarray
        ``(n_roll_calls, n_members)`` vote codes of the group's members.
    period : numpy.ndarray
        ``(n_roll_calls,)`` period label (year or session) of each roll call.

    Returns
    -------
    pandas.DataFrame
        One row per period (sorted), columns ``period``; ``ai``, the mean of
        :func:`agreement_index`; ``unanimous_share``, the share of roll calls on which
        all cast votes were alike; and ``n``, the number of roll calls these rest on.
        ``ai`` and ``unanimous_share`` are NaN where ``n`` is 0.
    """
    tally = _tally(votes_of_group)
    period = np.asarray(period)
    if period.shape != (tally.shape[0],):
        raise ValueError(
            f"period must have one label per roll call ({tally.shape[0]}); got {period.shape}"
        )
    cast = tally.sum(axis=1)
    counted = cast >= 2
    ai = np.where(counted, agreement_index(votes_of_group), 0.0)
    unanimous = counted & (tally.max(axis=1) == cast)
    periods, inverse = np.unique(period, return_inverse=True)
    n = np.bincount(inverse, weights=counted, minlength=len(periods))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_ai = np.bincount(inverse, weights=ai, minlength=len(periods)) / n
        share = np.bincount(inverse, weights=unanimous, minlength=len(periods)) / n
    return pd.DataFrame(
        {"period": periods, "ai": mean_ai, "unanimous_share": share, "n": n.astype(np.int64)}
    )
