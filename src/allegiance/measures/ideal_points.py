"""Dynamic ordinal ideal points from UN General Assembly roll calls.

The model is the dynamic ordered-probit item response model of Bailey, Strezhnev and Voeten
(2017), estimated in seconds by variational EM in the manner of Imai, Lo and Olmsted (2016)
instead of by MCMC. See ``docs/ideal_points.md`` for the model, the identification rules and
the bootstrap.

References
----------
Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution* 61(2): 430-456.

Imai, K., Lo, J. and Olmsted, J. (2016). Fast estimation of ideal points with massive data.
*American Political Science Review* 110(4): 631-656.

Lewis, J. B. and Poole, K. T. (2004). Measuring bias and uncertainty in ideal point estimates
via the parametric bootstrap. *Political Analysis* 12(2): 105-127.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from allegiance.measures import ideal_em
from allegiance.vote import Vote

__all__ = ["DynamicIdealPoints"]

#: Codes that are not a vote: absent, not a member, and 0 (no record).
_MISSING_CODES = (0, int(Vote.ABSENT), int(Vote.NOT_MEMBER))
#: Cast votes in their order on the latent scale: yes < abstain < no.
_CATEGORY = {int(Vote.YES): 0, int(Vote.ABSTAIN): 1, int(Vote.NO): 2}
#: Convergence threshold of the static warm-up fit; it only has to settle the orientation.
_WARMUP_TOL = 1e-4


class DynamicIdealPoints:
    """Dynamic ordinal ideal points of states from roll-call votes.

    Each state's ideal point follows a Gaussian random walk over periods (General Assembly
    sessions); each item has a discrimination and two cut points of an ordered probit over
    yes < abstain < no. Roll calls that share an ``item`` key share these parameters across
    periods, which ties the scale together over time (Bailey, Strezhnev and Voeten 2017).
    Estimation is variational EM (Imai, Lo and Olmsted 2016); uncertainty is a parametric
    bootstrap (Lewis and Poole 2004).

    Parameters
    ----------
    smoothing : float or None, default 0.1
        Variance of the random-walk step per unit of ``period`` (ideal points are on the
        scale of the ``N(0, 1)`` prior of a state's first period). ``0`` gives one constant
        ideal point per state; ``None`` gives independent ideal points per period (a static
        model per period, linked only by bridged items). Ignored when ``dynamic=False``.
    n_bootstrap : int, default 0
        Number of parametric bootstrap replicates for ``lower`` and ``upper``; 0 skips the
        bootstrap and leaves them missing.
    ci : float, default 0.95
        Coverage of the percentile intervals.
    max_iter : int, default 500
        Maximum EM iterations (for the main fit; bootstrap refits use the same cap).
    tol : float, default 1e-6
        Convergence threshold: EM stops when the correlation between successive iterates of
        every parameter block exceeds ``1 - tol`` (the rule of Imai, Lo and Olmsted's
        ``emIRT``).
    sign_state : str or None, default "USA"
        State whose mean ideal point is made positive. ``None`` leaves the sign as found.
    dynamic : bool, default True
        ``False`` is the static model: an independent ideal point per state and period (the
        same as ``smoothing=None``). For one pooled ideal point per state, pass a single
        period (or use ``smoothing=0``).
    random_state : int, numpy Generator or None
        Seeds the bootstrap.
    verbose : bool, default False
        Print progress.

    Attributes
    ----------
    ideal_points_ : pandas.DataFrame
        ``state, period, year, estimate, lower, upper, n_votes``: one row per state and
        period from its first to its last period with a cast vote (``n_votes`` 0 for
        periods bridged by the random walk). Estimates are standardised to mean 0 and
        standard deviation 1 over these rows.
    item_params_ : pandas.DataFrame
        ``item, discrimination, cut1, cut2, n_votes`` on the standardised scale (latent
        ``y* = discrimination * x + e``, ``e ~ N(0, 1)``; yes below ``cut1``, no above
        ``cut2``). Items without two distinct cast categories carry no information and get
        missing parameters.
    n_iter_ : int
        EM sweeps, the static warm-up included.
    converged_ : bool
        Whether the final (dynamic or per-period) fit met ``tol`` within ``max_iter``.
    log_likelihood_ : numpy.ndarray
        Log-likelihood of the votes at the posterior means of the ideal points, per EM
        sweep, warm-up first (a monitor; the variational objective is the evidence lower
        bound, and accelerated sweeps may dip).
    fit_seconds_ : float
        Wall time of the point estimate (data preparation included, bootstrap excluded).
    bootstrap_seconds_per_replicate_ : float or None
    bootstrap_n_converged_ : int or None
        Replicates that met ``tol`` within ``max_iter``.
    """

    def __init__(
        self,
        smoothing: float | None = 0.1,
        n_bootstrap: int = 0,
        ci: float = 0.95,
        max_iter: int = 500,
        tol: float = 1e-6,
        sign_state: str | None = "USA",
        dynamic: bool = True,
        random_state: Any = None,
        verbose: bool = False,
    ):
        self.smoothing = smoothing
        self.n_bootstrap = n_bootstrap
        self.ci = ci
        self.max_iter = max_iter
        self.tol = tol
        self.sign_state = sign_state
        self.dynamic = dynamic
        self.random_state = random_state
        self.verbose = verbose

    # ----------------------------------------------------------------------------- params

    _PARAM_NAMES = (
        "smoothing",
        "n_bootstrap",
        "ci",
        "max_iter",
        "tol",
        "sign_state",
        "dynamic",
        "random_state",
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
        """Estimate ideal points and item parameters.

        Parameters
        ----------
        data : pandas.DataFrame or object with ``ideal_point_votes()``
            Long format, one row per state and roll call: ``roll_call``, ``state``,
            ``period`` (int), ``vote`` (1 yes, 2 abstain, 3 no; 8, 9 and 0 are dropped as
            not votes), optional ``item`` (bridge key, defaults to ``roll_call``) and
            ``year`` (the modal year of a period is reported).

        Returns
        -------
        self
        """
        self._check_params()
        t0 = time.perf_counter()
        prep = _prepare(data)
        lookup = {s: i for i, s in enumerate(prep["states"])}
        prep["sign_index"] = lookup.get(self.sign_state, -1) if self.sign_state else -1
        if self.sign_state is not None and prep["sign_index"] < 0:
            raise ValueError(
                f"sign_state {self.sign_state!r} casts no vote in the data; "
                "pass another state or sign_state=None"
            )
        smoothing = self._effective_smoothing()
        problem = prep["problem"]
        active = prep["active_cells"]
        state = _start(problem, prep["category"])
        # A static fit (one constant point per state) first: it fixes one orientation for
        # all periods, which the dynamic fit then keeps. Started directly from principal
        # components, EM on the UN record flips the sign of the scale between the Cold War
        # and later decades and stops in that poorer local optimum.
        pre_iter, _, pre_trace = ideal_em.fit_em(
            problem, state, 0.0, self.max_iter, max(self.tol, _WARMUP_TOL), active
        )
        n_iter, converged, trace = ideal_em.fit_em(
            problem, state, smoothing, self.max_iter, self.tol, active, self._progress()
        )
        self.n_iter_ = pre_iter + n_iter
        self.converged_ = converged
        self.log_likelihood_ = np.concatenate([pre_trace, trace])
        flip, mu, sd = self._identification(state, prep)
        estimate = flip * (state.x_mean[active] - mu) / sd
        self.fit_seconds_ = time.perf_counter() - t0

        lower = upper = np.full(active.size, np.nan)
        self.bootstrap_seconds_per_replicate_ = None
        self.bootstrap_n_converged_ = None
        if self.n_bootstrap > 0:
            lower, upper = self._bootstrap(problem, prep, state, smoothing, estimate)

        self.ideal_points_ = _ideal_points_frame(prep, estimate, lower, upper)
        self.item_params_ = _item_frame(prep, state, flip, mu, sd)
        return self

    def _check_params(self) -> None:
        if self.smoothing is not None and not self.smoothing >= 0:
            raise ValueError(f"smoothing must be >= 0 or None, got {self.smoothing!r}")
        if not 0 < self.ci < 1:
            raise ValueError(f"ci must be in (0, 1), got {self.ci!r}")
        if int(self.n_bootstrap) < 0 or int(self.max_iter) < 1:
            raise ValueError("n_bootstrap must be >= 0 and max_iter >= 1")

    def _effective_smoothing(self) -> float | None:
        return float(self.smoothing) if self.dynamic and self.smoothing is not None else None

    def _progress(self):
        if not self.verbose:
            return None

        def report(n_iter: int, ll: float) -> None:
            if n_iter % 25 == 0:
                print(f"iteration {n_iter}: log-likelihood {ll:.1f}")

        return report

    def _identification(self, state, prep):
        """Sign, location and scale: pooled mean 0 and sd 1 over reported cells, sign_state > 0."""
        x = state.x_mean[prep["active_cells"]]
        mu = float(x.mean())
        sd = float(x.std())
        if not sd > 0:
            sd = 1.0
        flip = 1.0
        if self.sign_state is not None:
            rows = prep["active_state"] == prep["sign_index"]
            if x[rows].mean() - mu < 0:
                flip = -1.0
        return flip, mu, sd

    def _bootstrap(self, problem, prep, fitted, smoothing, estimate):
        """Parametric bootstrap of the estimation error (after Lewis and Poole 2004).

        Each replicate draws a world from the fitted model: ideal-point paths around the
        estimates with the spread of a Laplace approximation (``ideal_em.sample_x``) and
        votes from the fitted items on the observed (state, roll call) cells. The model is
        refitted from the fitted values and both the refit and the drawn world are
        identified by the same rule as the point estimate. Percentiles of the error (refit
        minus world) then give the interval ``estimate - error``. Drawing the world rather
        than reusing the point estimates lets the interval carry the smoothing prior's pull
        on the estimate as well as its sampling noise. Intervals centred on refits of the
        point estimates alone covered about 60% at 95% nominal in our simulations; these
        cover about 83% (dynamic) and 92% (per period).
        """
        rng = np.random.default_rng(self.random_state)
        active = prep["active_cells"]
        it, cell = problem.item, problem.cell
        s = np.sqrt(fitted.s2)
        errors = np.empty((self.n_bootstrap, active.size))
        n_ok = 0
        t0 = time.perf_counter()
        for r in range(self.n_bootstrap):
            world = ideal_em.sample_x(problem, fitted, smoothing, rng)
            z = fitted.a[it] + fitted.b[it] * world[cell] + s[it] * rng.standard_normal(it.size)
            category = (z >= 0).astype(np.int64) + (z >= 1)
            rep = ideal_em.make_problem(
                cell,
                it,
                category,
                problem.n_states,
                problem.n_periods,
                problem.n_items,
                prep["periods"],
            )
            st = fitted.copy()
            _, ok, _ = ideal_em.fit_em(rep, st, smoothing, self.max_iter, self.tol, active)
            n_ok += ok
            flip, mu, sd = self._identification(st, prep)
            refit = flip * (st.x_mean[active] - mu) / sd
            truth = ideal_em.State(st.a, st.b, st.s2, world, st.x_var)
            flip, mu, sd = self._identification(truth, prep)
            errors[r] = refit - flip * (world[active] - mu) / sd
            if self.verbose:
                print(f"bootstrap replicate {r + 1}/{self.n_bootstrap}")
        self.bootstrap_seconds_per_replicate_ = (time.perf_counter() - t0) / self.n_bootstrap
        self.bootstrap_n_converged_ = n_ok
        alpha = (1 - self.ci) / 2
        err_lo, err_hi = np.quantile(errors, [alpha, 1 - alpha], axis=0)
        return estimate - err_hi, estimate - err_lo


# ------------------------------------------------------------------------------------ helpers


def _votes_frame(data: Any) -> pd.DataFrame:
    if hasattr(data, "ideal_point_votes") and not isinstance(data, pd.DataFrame):
        data = data.ideal_point_votes()
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            "data must be a pandas DataFrame of votes or an object with ideal_point_votes(); "
            f"got {type(data).__name__}"
        )
    missing = {"roll_call", "state", "period", "vote"} - set(data.columns)
    if missing:
        raise ValueError(
            f"votes frame lacks columns {sorted(missing)}; "
            "expected roll_call, state, period, vote (and optionally item, year)"
        )
    return data


def _prepare(data: Any) -> dict[str, Any]:
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
    rc_codes, _ = pd.factorize(df["roll_call"], sort=False)
    category = vote - 1  # yes 0, abstain 1, no 2, as in _CATEGORY

    dup = pd.Series(state_codes.astype(np.int64) * (rc_codes.max() + 1) + rc_codes).duplicated()
    if dup.any():
        row = df.iloc[int(np.flatnonzero(dup.to_numpy())[0])]
        raise ValueError(
            f"state {row['state']!r} has more than one vote on roll call {row['roll_call']!r}"
        )

    n_states, n_periods = len(states), len(periods)
    # Items whose cast votes are all in one category say nothing about ideal points.
    n_items = len(items)
    cats_per_item = np.zeros((n_items, 3), dtype=bool)
    cats_per_item[item_codes, category] = True
    informative = cats_per_item.sum(axis=1) >= 2
    keep = informative[item_codes]
    new_index = np.cumsum(informative) - 1
    cell = state_codes.astype(np.int64) * n_periods + period_codes
    n_votes_cell = np.bincount(cell, minlength=n_states * n_periods)

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

    year = None
    if "year" in df.columns:
        y = pd.DataFrame({"p": period_codes, "y": pd.to_numeric(df["year"], errors="coerce")})
        size = y.dropna().groupby(["p", "y"]).size().reset_index(name="n")
        size = size.sort_values(["p", "n", "y"], ascending=[True, False, True])
        modal = size.drop_duplicates("p").set_index("p")["y"]
        year = modal.reindex(range(n_periods)).to_numpy()

    return {
        "problem": problem,
        "category": category[keep],
        "states": states,
        "periods": np.asarray(periods),
        "items": items,
        "informative": informative,
        "item_votes": np.bincount(item_codes, minlength=n_items),
        "active_cells": active_cells,
        "active_state": active_cells // n_periods,
        "n_votes_cell": n_votes_cell,
        "year": year,
        "sign_index": -1,
    }


def _start(problem, category) -> ideal_em.State:
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
    t = cells % T
    year = prep["year"]
    out = pd.DataFrame(
        {
            "state": prep["states"][cells // T],
            "period": prep["periods"][t],
            "year": pd.array(year[t] if year is not None else [None] * t.size, dtype="Int64"),
            "estimate": estimate,
            "lower": lower,
            "upper": upper,
            "n_votes": prep["n_votes_cell"][cells].astype(np.int64),
        }
    )
    return out


def _item_frame(prep, state, flip, mu, sd) -> pd.DataFrame:
    informative = prep["informative"]
    n = informative.size
    s = np.sqrt(state.s2)
    # Latent z = a + b x + s e with cuts 0 and 1 equals y* = (b/s) x + e with cuts -a/s and
    # (1-a)/s; x = mu + flip * sd * x_std then moves the cuts by (b/s) mu.
    beta = state.b / s
    disc = np.full(n, np.nan)
    cut1 = np.full(n, np.nan)
    cut2 = np.full(n, np.nan)
    disc[informative] = beta * flip * sd
    cut1[informative] = -state.a / s - beta * mu
    cut2[informative] = (1 - state.a) / s - beta * mu
    return pd.DataFrame(
        {
            "item": prep["items"],
            "discrimination": disc,
            "cut1": cut1,
            "cut2": cut2,
            "n_votes": prep["item_votes"].astype(np.int64),
        }
    )
