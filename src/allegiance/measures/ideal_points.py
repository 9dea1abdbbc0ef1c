"""Dynamic ordinal ideal points from UN General Assembly roll calls, on one scale over time.

The model is the dynamic ordered-probit item response model of Bailey, Strezhnev and Voeten
(2017): item parameters shared by the roll calls that bridge sessions, ideal points that
move from one period to the next. It is estimated by variational EM in the manner of Imai,
Lo and Olmsted (2016) instead of by MCMC, with a parameter-expansion step that fixes the
spread of every period and the location of a reference period, and intervals from a
Laplace approximation with Louis's (1982) correction. See ``docs/ideal_points.md``.

References
----------
Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution* 61(2): 430-456.

Imai, K., Lo, J. and Olmsted, J. (2016). Fast estimation of ideal points with massive data.
*American Political Science Review* 110(4): 631-656.

Louis, T. A. (1982). Finding the observed information matrix when using the EM algorithm.
*Journal of the Royal Statistical Society, Series B* 44(2): 226-233.

Poole, K. T. and Rosenthal, H. (1997). *Congress: A Political-Economic History of Roll Call
Voting*. Oxford University Press. (Lopsided votes.)
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from allegiance.measures import ideal_em
from allegiance.vote import Vote

__all__ = ["DynamicIdealPoints", "diagnostics_table"]

#: Codes that are not a vote: absent, not a member, and 0 (no record).
_MISSING_CODES = (0, int(Vote.ABSENT), int(Vote.NOT_MEMBER))
#: Cast votes in their order on the latent scale: yes < abstain < no.
_CATEGORY = {int(Vote.YES): 0, int(Vote.ABSTAIN): 1, int(Vote.NO): 2}
#: Convergence threshold of the static warm-up fit; it only has to settle the orientation.
_WARMUP_TOL = 1e-2


class DynamicIdealPoints:
    """Dynamic ordinal ideal points of states from roll-call votes.

    Each item (a roll call, or a resolution that returns in several periods) has a
    discrimination and two cut points of an ordered probit over yes < abstain < no; each
    state's ideal point moves from period to period by a first-order autoregression with
    stationary variance 1 (or by a Gaussian random walk). Estimation is variational EM
    (Imai, Lo and Olmsted 2016) with SQUAREM acceleration and a parameter-expansion step
    that keeps the reference periods at mean 0 and variance 1; the discriminations share
    the prior ``N(0, 1)`` of Bailey, Strezhnev and Voeten (2017), which is what holds the
    spread of the periods that few resolutions bridge.

    Parameters
    ----------
    smoothing : float or None, default 0.05
        Variance of a state's step per unit of ``period`` (a year, or a session), as a share
        of the variance of all states in a period (1). ``0`` gives one constant
        ideal point per state; ``None`` gives independent ideal points per period (a static
        model per period, linked only by bridged items).
    stationary : bool, default True
        ``True``: the steps follow a stationary first-order autoregression, so the prior
        spread of the ideal points is the same in every period. ``False``: a Gaussian random
        walk (Martin and Quinn 2002), whose prior spread grows with time.
    reference : tuple of two ints or None, default None
        First and last ``period`` (inclusive) whose state-periods have mean 0 (and, with
        ``scale="reference"``, variance 1). ``None`` uses every period. A range outside the
        data raises ``ValueError``.
    scale : {"reference", "period"}, default "reference"
        ``"reference"``: the reference periods together have mean 0 and variance 1; the
        location and the spread of every other period are estimated, from the bridging
        items, the dynamics and the discriminations' common prior (``discrimination_var``).
        ``"period"``: every period has variance 1 (posterior variances included) by
        construction and only its location is estimated (the choice of versions 3 and
        earlier; see ``docs/ideal_points.md``).
    discrimination_var : float or None, default 1.0
        Prior variance of the items' discriminations (``beta ~ N(0, v)``). 1 is the prior
        of Bailey, Strezhnev and Voeten's own estimates (``S2BetaPrior`` in their
        replication code, ``UN_Ideal_Rcpp.R``); 25 is the flat prior of ``emIRT``.
        ``None`` learns it by empirical Bayes from the items of the reference periods,
        where the bridges fix the scale, and uses it for all items
        (docs/ideal_points.md compares the three).
    min_minority : float, default 0.05
        Roll calls on which the smaller side of both binary splits (yes against abstain or
        no, yes or abstain against no) holds less than this share of the cast votes are
        left out as lopsided (Poole and Rosenthal 1997); their number is in
        ``diagnostics_["n_lopsided"]``. ``0`` keeps them.
    ci : float or None, default 0.95
        Coverage of the intervals ``lower``, ``upper``; ``None`` leaves them missing.
    max_iter : int, default 1000
        Maximum EM sweeps of each fit (the warm-up and the main fit).
    tol : float, default 1e-3
        Convergence threshold: EM stops when no reported ideal point moved by ``tol`` or
        more over the last cycle of sweeps (see ``ideal_em.fit_em``).
    sign_state : str or None, default "USA"
        State whose mean ideal point is made positive. ``None`` leaves the sign as found.
    verbose : bool, default False
        Print progress.

    Attributes
    ----------
    ideal_points_ : pandas.DataFrame
        ``state, period, estimate, lower, upper, n_votes``: one row per state and period
        from its first to its last period with a cast vote (``n_votes`` 0 for periods
        bridged by the dynamics).
    item_params_ : pandas.DataFrame
        ``item, discrimination, cut1, cut2, n_votes, n_periods`` on the reported scale
        (latent ``y* = discrimination * x + e``, ``e ~ N(0, 1)``; yes below ``cut1``, no
        above ``cut2``). Items without two distinct cast categories, or with only lopsided
        roll calls, get missing parameters.
    diagnostics_ : dict
        ``converged``, ``n_iter``, ``log_likelihood``, ``n_roll_calls``, ``n_lopsided``,
        ``n_items``, ``n_bridging_items``, ``discrimination_var`` (the prior variance of
        the discriminations, learned or as given), ``discrimination_var_learned``,
        ``fit_seconds``, ``interval_seconds`` and two frames: ``bridges`` (``period_from,
        period_to, n_items``: items voted on in both of two successive periods) and
        ``spread`` (``period, sd, n_states`` of the estimates, and ``location_sd,
        scale_sd``: the standard errors of the period's location and scale on the common
        scale, missing without intervals). :func:`diagnostics_table` joins the two.
    n_iter_, converged_, log_likelihood_, fit_seconds_, interval_seconds_, discrimination_var_
        The same as in ``diagnostics_``; ``log_likelihood_`` is the trace per EM sweep.
    """

    def __init__(
        self,
        smoothing: float | None = 0.05,
        stationary: bool = True,
        reference: tuple[int, int] | None = None,
        scale: str = "reference",
        discrimination_var: float | None = 1.0,
        min_minority: float = 0.05,
        ci: float | None = 0.95,
        max_iter: int = 1000,
        tol: float = 1e-3,
        sign_state: str | None = "USA",
        verbose: bool = False,
    ):
        self.smoothing = smoothing
        self.stationary = stationary
        self.reference = reference
        self.scale = scale
        self.discrimination_var = discrimination_var
        self.min_minority = min_minority
        self.ci = ci
        self.max_iter = max_iter
        self.tol = tol
        self.sign_state = sign_state
        self.verbose = verbose

    _PARAM_NAMES = (
        "smoothing",
        "stationary",
        "reference",
        "scale",
        "discrimination_var",
        "min_minority",
        "ci",
        "max_iter",
        "tol",
        "sign_state",
        "verbose",
    )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Hyperparameters as a dict (scikit-learn convention)."""
        return {name: getattr(self, name) for name in self._PARAM_NAMES}

    def set_params(self, **params: Any) -> DynamicIdealPoints:
        """Set hyperparameters; unknown names raise ``ValueError``."""
        for name, value in params.items():
            if name not in self._PARAM_NAMES:
                raise ValueError(f"unknown parameter {name!r}; expected one of {self._PARAM_NAMES}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = DynamicIdealPoints()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != getattr(defaults, k)]
        return f"DynamicIdealPoints({', '.join(changed)})"

    # ----------------------------------------------------------------------------- fit

    def fit(self, data: Any) -> DynamicIdealPoints:
        """Estimate ideal points, item parameters and intervals.

        Parameters
        ----------
        data : pandas.DataFrame
            Long format, one row per state and roll call: ``roll_call``, ``state``,
            ``period`` (int: a year or a session), ``vote`` (1 yes, 2 abstain, 3 no; 8, 9
            and 0 are dropped as not votes) and optionally ``item`` (bridge key, defaults
            to ``roll_call``; see :func:`allegiance.measures.ideal_bridge.bridge_items`).

        Returns
        -------
        self
        """
        self._check_params()
        t0 = time.perf_counter()
        prep = _prepare(data, float(self.min_minority))
        problem = prep["problem"]
        sign = self._sign_index(prep)
        scale = ideal_em.Scale(
            voted=prep["voted_cells"],
            reference=self._reference_cells(prep),
            item_period=prep["item_period"],
            per_period=self.scale == "period",
            prior_items=self._prior_items(prep),
        )
        walk = self._walk(problem)
        active = prep["active_cells"]
        state = _start(problem, prep["category"], self.discrimination_var)
        # A static fit (one constant point per state) first: it fixes one orientation for
        # all periods, which the dynamic fit then keeps. Started directly from principal
        # components, EM on the UN record flips the sign of the scale between the Cold War
        # and later decades and stops in that poorer local optimum.
        constant = ideal_em.make_walk(problem.gaps, 0.0, 1.0 if self.stationary else None)
        pre_iter, _, pre_trace = ideal_em.fit_em(
            problem, state, constant, self.max_iter, max(self.tol, _WARMUP_TOL), active,
            scale=scale,
        )  # fmt: skip
        n_iter, converged, trace = ideal_em.fit_em(
            problem, state, walk, self.max_iter, self.tol, active, self._progress(),
            scale=scale,
        )  # fmt: skip
        flip = self._orientation(state, prep, sign)
        estimate = flip * state.x_mean[active]
        self.fit_seconds_ = time.perf_counter() - t0

        t1 = time.perf_counter()
        lower = upper = np.full(active.size, np.nan)
        link = np.full((len(prep["periods"]), 2, 2), np.nan)
        if self.ci is not None:
            var, link = ideal_em.posterior_variance(problem, state, walk, scale)
            sd = np.sqrt(var[active])
            half = norm.ppf(0.5 + self.ci / 2) * sd
            lower, upper = estimate - half, estimate + half
        self.interval_seconds_ = time.perf_counter() - t1

        self.discrimination_var_ = float(state.disc_var)
        self.n_iter_ = pre_iter + n_iter
        self.converged_ = converged
        self.log_likelihood_ = np.concatenate([pre_trace, trace])
        self.ideal_points_ = _ideal_points_frame(prep, estimate, lower, upper)
        self.item_params_ = _item_frame(prep, state, flip)
        self.diagnostics_ = self._diagnostics(prep, link)
        return self

    def _check_params(self) -> None:
        if self.smoothing is not None and not self.smoothing >= 0:
            raise ValueError(f"smoothing must be >= 0 or None, got {self.smoothing!r}")
        if self.stationary and self.smoothing is not None and not self.smoothing < 1:
            raise ValueError(
                f"smoothing must be below 1 (the reference variance) when stationary, "
                f"got {self.smoothing!r}"
            )
        if self.ci is not None and not 0 < self.ci < 1:
            raise ValueError(f"ci must be in (0, 1) or None, got {self.ci!r}")
        if self.scale not in ("period", "reference"):
            raise ValueError(f"scale must be 'reference' or 'period', got {self.scale!r}")
        if self.discrimination_var is not None and not self.discrimination_var > 0:
            raise ValueError(
                f"discrimination_var must be > 0 or None, got {self.discrimination_var!r}"
            )
        if not 0 <= self.min_minority < 0.5:
            raise ValueError(f"min_minority must be in [0, 0.5), got {self.min_minority!r}")
        if int(self.max_iter) < 1:
            raise ValueError("max_iter must be >= 1")

    def _walk(self, problem) -> ideal_em.Walk | None:
        if self.smoothing is None:
            return None
        return ideal_em.make_walk(
            problem.gaps, float(self.smoothing), 1.0 if self.stationary else None
        )

    def _sign_index(self, prep) -> int:
        if self.sign_state is None:
            return -1
        lookup = {s: i for i, s in enumerate(prep["states"])}
        if self.sign_state not in lookup:
            raise ValueError(
                f"sign_state {self.sign_state!r} casts no vote in the data; "
                "pass another state or sign_state=None"
            )
        return lookup[self.sign_state]

    def _reference_cells(self, prep) -> np.ndarray:
        """Cells with votes in the reference periods: they carry the location and scale."""
        periods = prep["periods"]
        T = len(periods)
        cells = prep["voted_cells"]
        if self.reference is None:
            return cells
        first, last = self.reference
        keep = (periods[cells % T] >= first) & (periods[cells % T] <= last)
        if not keep.any():
            raise ValueError(
                f"reference periods {first}-{last} hold no votes; the data run from "
                f"{periods[0]} to {periods[-1]}"
            )
        return cells[keep]

    def _prior_items(self, prep) -> np.ndarray | None:
        """The items whose discriminations set their common prior: those voted on mostly
        in the reference periods (all items without a reference); ``None`` when the prior
        is fixed."""
        if self.discrimination_var is not None:
            return None
        if self.reference is None:
            return np.ones(prep["item_period"].size, dtype=bool)
        period = prep["periods"][prep["item_period"]]
        first, last = self.reference
        return (period >= first) & (period <= last)

    def _orientation(self, state, prep, sign: int) -> float:
        """Make ``sign_state`` positive: flip the ideal points and slopes if needed."""
        if sign < 0:
            return 1.0
        rows = prep["active_cells"][prep["active_state"] == sign]
        return -1.0 if state.x_mean[rows].mean() < 0 else 1.0

    def _progress(self):
        if not self.verbose:
            return None

        def report(n_iter: int, ll: float) -> None:
            if n_iter % 25 == 0:
                print(f"iteration {n_iter}: log-likelihood {ll:.1f}")

        return report

    def _diagnostics(self, prep, link) -> dict[str, Any]:
        ip = self.ideal_points_
        voted = ip[ip["n_votes"] > 0]
        spread = voted.groupby("period")["estimate"].agg(sd="std", n_states="size").reset_index()
        # How precisely each period sits on the common scale (linking_covariance).
        spread["location_sd"] = np.sqrt(link[:, 0, 0])
        spread["scale_sd"] = np.sqrt(link[:, 1, 1])
        return {
            "converged": bool(self.converged_),
            "n_iter": int(self.n_iter_),
            "log_likelihood": float(self.log_likelihood_[-1]),
            "n_roll_calls": prep["n_roll_calls"],
            "n_lopsided": prep["n_lopsided"],
            "n_items": int(prep["informative"].sum()),
            "n_bridging_items": int((self.item_params_["n_periods"] > 1).sum()),
            "discrimination_var": self.discrimination_var_,
            "discrimination_var_learned": self.discrimination_var is None,
            "fit_seconds": float(self.fit_seconds_),
            "interval_seconds": float(self.interval_seconds_),
            "bridges": prep["bridges"],
            "spread": spread,
        }


def diagnostics_table(diagnostics: dict, period: str = "period") -> pd.DataFrame:
    """One row per period from ``DynamicIdealPoints.diagnostics_``.

    Columns ``<period>, n_states, sd, location_sd, scale_sd, bridging_items``:
    ``bridging_items`` counts the items voted on in this period and the next.
    """
    spread = pd.DataFrame(diagnostics["spread"])
    bridges = pd.DataFrame(diagnostics["bridges"])
    table = spread.merge(
        bridges.rename(columns={"period_from": "period", "n_items": "bridging_items"})[
            ["period", "bridging_items"]
        ],
        on="period",
        how="left",
    )
    table["bridging_items"] = table["bridging_items"].astype("Int64")
    cols = ["period", "n_states", "sd", "location_sd", "scale_sd", "bridging_items"]
    return table[cols].rename(columns={"period": period})


# ------------------------------------------------------------------------------------ helpers


def _votes_frame(data: Any) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame of votes; got {type(data).__name__}")
    missing = {"roll_call", "state", "period", "vote"} - set(data.columns)
    if missing:
        raise ValueError(
            f"votes frame lacks columns {sorted(missing)}; "
            "expected roll_call, state, period, vote (and optionally item)"
        )
    return data


def _lopsided(rc_codes, category, n_rc: int, min_minority: float) -> np.ndarray:
    """Roll calls whose best binary split leaves fewer than ``min_minority`` of the votes
    on its smaller side."""
    counts = np.zeros((n_rc, 3))
    np.add.at(counts, (rc_codes, category), 1)
    yes, abstain, no = counts.T
    total = counts.sum(axis=1)
    minority = np.maximum(np.minimum(yes, abstain + no), np.minimum(yes + abstain, no))
    return minority < min_minority * total


def _prepare(data: Any, min_minority: float = 0.0) -> dict[str, Any]:
    df = _votes_frame(data)
    vote = pd.to_numeric(df["vote"], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    known = np.isin(vote, list(_CATEGORY) + list(_MISSING_CODES))
    if not known.all():
        bad = sorted(set(vote[~known].tolist()))[:5]
        raise ValueError(f"unknown vote codes {bad}; expected 1, 2, 3 or the missing 0, 8, 9")
    cast = np.isin(vote, list(_CATEGORY))
    df = df.loc[cast]
    vote = vote[cast]
    if df.empty:
        raise ValueError("no cast votes (1 yes, 2 abstain, 3 no) in the data")

    period_codes, periods = pd.factorize(df["period"].astype(np.int64), sort=True)
    state_codes, states = pd.factorize(df["state"], sort=True)
    item_col = df["item"] if "item" in df.columns else df["roll_call"]
    item_codes, items = pd.factorize(item_col, sort=False)
    rc_codes, rcs = pd.factorize(df["roll_call"], sort=False)
    category = vote - 1  # yes 0, abstain 1, no 2, as in _CATEGORY

    dup = pd.Series(state_codes.astype(np.int64) * (rc_codes.max() + 1) + rc_codes).duplicated()
    if dup.any():
        row = df.iloc[int(np.flatnonzero(dup.to_numpy())[0])]
        raise ValueError(
            f"state {row['state']!r} has more than one vote on roll call {row['roll_call']!r}"
        )

    n_states, n_periods, n_items = len(states), len(periods), len(items)
    cell = state_codes.astype(np.int64) * n_periods + period_codes
    n_votes_cell = np.bincount(cell, minlength=n_states * n_periods)
    lopsided = _lopsided(rc_codes, category, len(rcs), min_minority)
    # Items whose remaining votes are all in one category say nothing about ideal points.
    used = ~lopsided[rc_codes]
    cats_per_item = np.zeros((n_items, 3), dtype=bool)
    cats_per_item[item_codes[used], category[used]] = True
    informative = cats_per_item.sum(axis=1) >= 2
    keep = used & informative[item_codes]
    new_index = np.cumsum(informative) - 1

    problem = ideal_em.make_problem(
        cell[keep],
        new_index[item_codes[keep]],
        category[keep],
        n_states,
        n_periods,
        int(informative.sum()),
        np.asarray(periods),
    )
    # Reported cells: each state from its first to its last period with a cast vote.
    first = np.full(n_states, n_periods)
    last = np.full(n_states, -1)
    np.minimum.at(first, state_codes, period_codes)
    np.maximum.at(last, state_codes, period_codes)
    grid_t = np.arange(n_periods)
    mask = (grid_t[None, :] >= first[:, None]) & (grid_t[None, :] <= last[:, None])
    active_cells = np.flatnonzero(mask.ravel())
    problem.first = np.minimum(problem.first, first)
    voted_cells = np.flatnonzero(np.bincount(problem.cell, minlength=problem.n_cells) > 0)

    item_periods = np.zeros((n_items, n_periods), dtype=bool)
    item_periods[item_codes[keep], period_codes[keep]] = True
    # The period with most votes of each informative item, for the per-period scale.
    votes_per = np.zeros((int(informative.sum()), n_periods))
    np.add.at(votes_per, (new_index[item_codes[keep]], period_codes[keep]), 1)
    bridges = pd.DataFrame(
        {
            "period_from": np.asarray(periods)[:-1],
            "period_to": np.asarray(periods)[1:],
            "n_items": (item_periods[:, :-1] & item_periods[:, 1:]).sum(axis=0),
        }
    )
    return {
        "problem": problem,
        "category": category[keep],
        "states": states,
        "periods": np.asarray(periods),
        "items": items,
        "informative": informative,
        "item_votes": np.bincount(item_codes, minlength=n_items),
        "item_periods": item_periods.sum(axis=1),
        "item_period": votes_per.argmax(axis=1),
        "active_cells": active_cells,
        "active_state": active_cells // n_periods,
        "voted_cells": voted_cells,
        "n_votes_cell": n_votes_cell,
        "n_roll_calls": int(len(rcs)),
        "n_lopsided": int(lopsided.sum()),
        "bridges": bridges,
    }


def _start(problem, category, disc_var: float | None = None) -> ideal_em.State:
    """Starting values: each state's score on the leading singular vector of the pooled
    state-by-item vote matrix, the same in every period, and one M-step for the items.

    Imai, Lo and Olmsted (2016) start EM from principal components. Per-period components
    are a poor start for a dynamic model: in a single General Assembly session the leading
    component is often a minor bloc split, and EM keeps whatever sign flips the start has.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import svds

    S, T, J = problem.n_states, problem.n_periods, problem.n_items
    state = problem.cell // T
    # Votes on the (-1, 0, 1) scale; a state's votes on a bridged item are averaged.
    score = category.astype(float) - 1.0
    counts = csr_matrix((np.ones_like(score), (state, problem.item)), shape=(S, J))
    sums = csr_matrix((score, (state, problem.item)), shape=(S, J))
    counts.sum_duplicates()
    sums.sum_duplicates()
    sums.data = sums.data / counts.data
    col_mean = np.asarray(sums.sum(axis=0)).ravel() / np.maximum(counts.getnnz(axis=0), 1)
    sums.data = sums.data - col_mean[sums.indices]
    x0 = np.zeros(S)
    if min(S, J) > 1:
        x0 = svds(sums, k=1, random_state=0)[0][:, 0]
    sd = x0.std()
    x0 = (x0 - x0.mean()) / (sd if sd > 0 else 1.0)
    st = ideal_em.State(
        a=np.zeros(J),
        b=np.zeros(J),
        s2=np.ones(J),
        x_mean=np.repeat(x0, T),
        x_var=np.full(S * T, 0.1),
        disc_var=ideal_em.PRIOR_VAR_AB if disc_var is None else float(disc_var),
    )
    # One M-step on crude latent values (the midpoints of each category's band).
    ez = category.astype(float) - 0.5
    vz = np.full(ez.size, 0.25)
    n_item = np.bincount(problem.item, minlength=J).astype(float)
    ideal_em.update_items(problem, st, ez, vz, n_item)
    return st


def _ideal_points_frame(prep, estimate, lower, upper) -> pd.DataFrame:
    T = len(prep["periods"])
    cells = prep["active_cells"]
    return pd.DataFrame(
        {
            "state": prep["states"][cells // T],
            "period": prep["periods"][cells % T],
            "estimate": estimate,
            "lower": lower,
            "upper": upper,
            "n_votes": prep["n_votes_cell"][cells].astype(np.int64),
        }
    )


def _item_frame(prep, state, flip) -> pd.DataFrame:
    informative = prep["informative"]
    n = informative.size
    s = np.sqrt(state.s2)
    # Latent z = a + b x + s e with cuts 0 and 1 equals y* = (b/s) x + e with cuts -a/s and
    # (1-a)/s; reporting flip * x flips the slope.
    disc = np.full(n, np.nan)
    cut1 = np.full(n, np.nan)
    cut2 = np.full(n, np.nan)
    disc[informative] = flip * state.b / s
    cut1[informative] = -state.a / s
    cut2[informative] = (1 - state.a) / s
    return pd.DataFrame(
        {
            "item": prep["items"],
            "discrimination": disc,
            "cut1": cut1,
            "cut2": cut2,
            "n_votes": prep["item_votes"].astype(np.int64),
            "n_periods": prep["item_periods"].astype(np.int64),
        }
    )
