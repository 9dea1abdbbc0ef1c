"""Numerical core of :class:`allegiance.measures.ideal_points.DynamicIdealPoints`.

Variational EM for a dynamic three-category ordered probit, after Imai, Lo and Olmsted
(2016, "Fast Estimation of Ideal Points with Massive Data", APSR 110(4): 631-656; their
``ordIRT`` and ``dynIRT``). Everything here works on integer-coded arrays; the public module
builds them from a frame of votes and turns the results back into frames.

Parameterisation (Imai, Lo and Olmsted 2016, section on ordinal data). The latent
propensity of vote ``v`` (state-period cell ``c``, item ``j``) is

    z_v = a_j + b_j x_c + s_j e_v,   e_v ~ N(0, 1),

and the vote is *yes* if ``z_v < 0``, *abstain* if ``0 <= z_v < 1`` and *no* if
``z_v >= 1``. Fixing the cut points at 0 and 1 and learning the item's noise scale ``s_j``
is an exact reparameterisation of the ordered probit with unit noise, two free cut points
and a discrimination (``cut1 = -a/s``, ``cut2 = (1 - a)/s``, ``discrimination = b/s``), and
it makes every M-step closed form.

The variational family is q(z) q(x): q(z_v) is a truncated normal, q(x_i.) is the Gaussian
posterior of a linear state-space model per state (a Kalman filter and Rauch-Tung-Striebel
smoother run for all states at once, one period at a time), and the item parameters are
point estimates (MAP under weak priors). Every sweep ends with :func:`rescale`, which fixes
the location and scale (identification). :func:`posterior_variance` gives the intervals:
a Laplace approximation with Louis's correction, the items' estimation error and each
period's place on the common scale.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.special import erfcx, log_ndtr, ndtr

_SQRT2 = np.sqrt(2.0)
_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)

#: Prior variance of the item intercept ``a`` (latent scale with cut points 0 and 1), and of
#: the discriminations where they are not learned from the data. Wide enough not to matter
#: for contested items; it keeps near-unanimous items finite.
PRIOR_VAR_AB = 25.0
#: Smallest prior variance of the discriminations that empirical Bayes may choose.
MIN_DISC_VAR = 0.1
#: Inverse-gamma prior (shape, scale) on the item noise variance ``s^2``. Without it an item
#: with no abstentions drives ``s`` to infinity (a zero-width abstain band is then the
#: maximum likelihood).
PRIOR_S2_SHAPE = 1.0
PRIOR_S2_SCALE = 1.0


@dataclass
class Problem:
    """Integer-coded votes, sorted by category so each category is one contiguous slice."""

    cell: np.ndarray  # int: state * n_periods + period index of each vote
    item: np.ndarray  # int: item (bridge) index of each vote
    bounds: tuple[int, int]  # ends of the yes slice and of the abstain slice
    n_states: int
    n_periods: int
    n_items: int
    gaps: np.ndarray  # float, n_periods: period[t] - period[t-1] (gaps[0] unused)
    first: np.ndarray  # int, n_states: index of each state's first period with votes

    #: Sparse sum operators, built on first use (:func:`_sums`).
    sums: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_cells(self) -> int:
        return self.n_states * self.n_periods


def _sums(problem: Problem) -> dict:
    """Sparse matrices that sum over votes: ``item_vote`` (items x votes), ``cell_vote``
    (cells x votes), ``item_cell`` and ``cell_item`` (the number of votes of each pair).

    A sparse product sums a vector of votes by item or cell about three times faster than
    ``np.bincount`` with weights, and the per-cell and per-item sums need no gather of the
    other side; the M-step and the update of q(x) run every EM sweep.
    """
    if not problem.sums:
        n = problem.item.size
        ones, votes = np.ones(n), np.arange(n)
        item_cell = csr_matrix((ones, (problem.item, problem.cell)),
                               shape=(problem.n_items, problem.n_cells))  # fmt: skip
        item_cell.sum_duplicates()
        problem.sums.update(
            item_vote=csr_matrix((ones, (problem.item, votes)), shape=(problem.n_items, n)),
            cell_vote=csr_matrix((ones, (problem.cell, votes)), shape=(problem.n_cells, n)),
            item_cell=item_cell,
            cell_item=item_cell.T.tocsr(),
        )
    return problem.sums


@dataclass
class State:
    """Current variational parameters."""

    a: np.ndarray
    b: np.ndarray
    s2: np.ndarray
    x_mean: np.ndarray  # n_cells
    x_var: np.ndarray  # n_cells
    #: Prior variance of the discriminations ``beta = b / s`` (hierarchical: learned by
    #: empirical Bayes when ``Scale.prior_items`` is given).
    disc_var: float = PRIOR_VAR_AB
    #: Posterior variance of each discrimination at the last M-step (``None`` before it).
    beta_var: np.ndarray | None = None

    def copy(self) -> State:
        arrays = (self.a, self.b, self.s2, self.x_mean, self.x_var)
        beta_var = None if self.beta_var is None else self.beta_var.copy()
        return State(*(v.copy() for v in arrays), disc_var=self.disc_var, beta_var=beta_var)


def make_problem(cell, item, category, n_states, n_periods, n_items, periods):
    """Sort votes by category (0 yes, 1 abstain, 2 no) and record per-state first periods."""
    order = np.argsort(category, kind="stable")
    counts = np.bincount(category, minlength=3)
    cell = np.ascontiguousarray(cell[order], dtype=np.int64)
    item = np.ascontiguousarray(item[order], dtype=np.int64)
    gaps = np.ones(n_periods)
    gaps[1:] = np.diff(np.asarray(periods, dtype=float))
    first = np.full(n_states, n_periods, dtype=np.int64)
    np.minimum.at(first, cell // n_periods, cell % n_periods)
    return Problem(
        cell=cell,
        item=item,
        bounds=(int(counts[0]), int(counts[0] + counts[1])),
        n_states=n_states,
        n_periods=n_periods,
        n_items=n_items,
        gaps=gaps,
        first=first,
    )


# --------------------------------------------------------------------------------------------
# Truncated normal moments of a standard normal, stable far in the tails (via erfcx).


def _tail_into(w, sd, ez, vz) -> float:
    """Moments of ``y = sd * (w + e)`` with ``e ~ N(0, 1)`` truncated to ``y < 0``, written
    into ``ez`` and ``vz``; returns the summed log mass. ``w`` (``m / sd``) is overwritten.

    The E-step of the yes and no votes (five in six). With ``u = -w`` and the inverse
    Mills ratio ``r = phi(u) / Phi(u) = sqrt(2 / pi) / erfcx(-u / sqrt2)``: ``E[e] = -r``,
    ``Var[e] = 1 - u r - r^2``, ``log Phi(u) = log(erfcx(-u / sqrt2) / 2) - u^2 / 2``, so
    one ``erfcx`` gives all three, stable far in the tail; written in place, in few passes
    over the votes.
    """
    e = erfcx(w * (1.0 / _SQRT2))
    logz = float(np.log(e).sum()) + w.size * np.log(0.5) - 0.5 * float(np.square(w).sum())
    far = w >= 30.0  # rare; log_ndtr is slow, so only where the shortcut loses precision
    if far.any():
        wf = w[far]
        logz += float((log_ndtr(-wf) - np.log(0.5 * e[far]) + 0.5 * wf * wf).sum())
    r = np.divide(_SQRT_2_OVER_PI, e, out=e)  # phi(u) / Phi(u)
    d = np.subtract(w, r, out=w)  # w - r: E[y] / sd
    np.multiply(sd, d, out=ez)
    np.multiply(r, d, out=r)  # Var[e] = 1 - u r - r^2 = 1 + r (w - r)
    r += 1.0
    np.multiply(sd, sd, out=vz)
    vz *= r
    return logz


def _between(lo, hi):
    """Mean, variance and log mass of N(0,1) truncated to [lo, hi)."""
    # Reflect intervals whose midpoint is positive so that at most the upper end is positive;
    # intervals wholly below zero are then rescaled by exp(hi^2 / 2) to avoid underflow.
    flip = (lo + hi) > 0
    lo2 = np.where(flip, -hi, lo)
    hi2 = np.where(flip, -lo, hi)
    left = hi2 <= 0
    mean = np.empty_like(lo2)
    var = np.empty_like(lo2)
    logz = np.empty_like(lo2)

    lo_l, hi_l = lo2[left], hi2[left]
    shrink = np.exp(-0.5 * (lo_l * lo_l - hi_l * hi_l))  # phi(lo)/phi(hi) <= 1
    z = 0.5 * (erfcx(-hi_l / _SQRT2) - erfcx(-lo_l / _SQRT2) * shrink)  # Z * exp(hi^2/2)
    z = np.maximum(z, 1e-300)
    m = _INV_SQRT_2PI * (shrink - 1.0) / z
    mean[left] = m
    var[left] = 1.0 + _INV_SQRT_2PI * (lo_l * shrink - hi_l) / z - m * m
    logz[left] = np.log(z) - 0.5 * hi_l * hi_l

    lo_r, hi_r = lo2[~left], hi2[~left]
    phi_lo = _INV_SQRT_2PI * np.exp(-0.5 * lo_r * lo_r)
    phi_hi = _INV_SQRT_2PI * np.exp(-0.5 * hi_r * hi_r)
    z = np.maximum(ndtr(hi_r) - ndtr(lo_r), 1e-300)
    m = (phi_lo - phi_hi) / z
    mean[~left] = m
    var[~left] = 1.0 + (lo_r * phi_lo - hi_r * phi_hi) / z - m * m
    logz[~left] = np.log(z)

    mean = np.where(flip, -mean, mean)
    return mean, np.maximum(var, 1e-12), logz


_POOL: ThreadPoolExecutor | None = None
#: Votes per chunk of the E-step; numpy and scipy ufuncs release the GIL, so chunks run
#: in parallel threads (the target machine has two cores).
_CHUNK = 1 << 16


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)))
    return _POOL


def _in_parallel(*jobs):
    """The results of ``jobs`` (functions without arguments), run in the E-step's threads:
    sparse products and ufuncs release the GIL."""
    return list(_pool().map(lambda job: job(), jobs))


def latent_moments(problem: Problem, st: State):
    """E[z], Var[z] under q(z) and the plug-in log-likelihood at the posterior means of x."""
    s = np.sqrt(st.s2)
    n = problem.item.size
    ez = np.empty(n)
    vz = np.empty(n)
    k1, k2 = problem.bounds
    ends = (0, k1, k2, n)

    def work(kind: int, lo: int, hi: int) -> float:
        it = problem.item[lo:hi]
        m = st.a[it] + st.b[it] * st.x_mean[problem.cell[lo:hi]]
        sd = s[it]
        if kind == 0:  # yes: y* < 0
            return _tail_into(np.divide(m, sd, out=m), sd, ez[lo:hi], vz[lo:hi])
        if kind == 2:  # no: y* >= 1, the mirror image 1 - y* <= 0
            np.subtract(1.0, m, out=m)
            logz = _tail_into(np.divide(m, sd, out=m), sd, ez[lo:hi], vz[lo:hi])
            np.subtract(1.0, ez[lo:hi], out=ez[lo:hi])
            return logz
        em, ev, lz = _between(-m / sd, (1.0 - m) / sd)
        ez[lo:hi] = m + sd * em
        vz[lo:hi] = sd * sd * ev
        return float(lz.sum())

    jobs = [
        (kind, lo, min(lo + _CHUNK, ends[kind + 1]))
        for kind in range(3)
        for lo in range(ends[kind], ends[kind + 1], _CHUNK)
    ]
    ll = work(*jobs[0]) if len(jobs) == 1 else sum(_pool().map(lambda job: work(*job), jobs))
    return ez, vz, ll


# --------------------------------------------------------------------------------------------
# q(x): Kalman filter / RTS smoother across all states at once.


def _information(problem: Problem, st: State, ez: np.ndarray):
    """Per-cell precision and information that the votes carry about x (S x T arrays)."""
    a, b, s2 = st.a, st.b, st.s2
    ops = _sums(problem)
    slope = b / s2
    prec, from_votes, from_items = _in_parallel(
        lambda: ops["cell_item"] @ (b * slope),
        lambda: ops["cell_vote"] @ (slope[problem.item] * ez),
        lambda: ops["cell_item"] @ (slope * a),
    )
    info = from_votes - from_items
    shape = (problem.n_states, problem.n_periods)
    return prec.reshape(shape), info.reshape(shape)


def update_x(problem: Problem, st: State, ez: np.ndarray, walk: Walk | None) -> None:
    """Update q(x) in place given q(z) and the item parameters."""
    prec, info = _information(problem, st, ez)
    if walk is None:
        # Independent periods, each with the N(0, 1) prior.
        var = 1.0 / (1.0 + prec)
        st.x_var[:] = var.ravel()
        st.x_mean[:] = (var * info).ravel()
        return
    mean, var = kalman_smoother(prec, info, problem.first, walk)
    st.x_mean[:] = mean.ravel()
    st.x_var[:] = var.ravel()


@dataclass(frozen=True)
class Walk:
    """Transition of every state's ideal point from one period to the next.

    ``x_t = phi_t x_{t-1} + N(0, q_t)``; a state's first period is ``N(0, start_var)``.
    """

    phi: np.ndarray  # n_periods (index 0 unused)
    q: np.ndarray  # n_periods (index 0 unused)
    start_var: float = 1.0


def make_walk(gaps: np.ndarray, smoothing: float, stationary_var: float | None = None) -> Walk:
    """The transition for steps of ``gaps`` periods.

    ``stationary_var=None`` is the Gaussian random walk of Martin and Quinn (2002) and
    Bailey, Strezhnev and Voeten (2017): variance ``smoothing * gap`` per step. A number
    makes it the stationary first-order autoregression with that marginal variance and the
    same innovation variance per unit period, ``phi = (1 - smoothing / v)^(gap / 2)``:
    the prior spread of the ideal points is then the same in every period instead of
    growing with time.
    """
    gaps = np.asarray(gaps, dtype=float)
    if stationary_var is None:
        return Walk(phi=np.ones_like(gaps), q=smoothing * gaps, start_var=1.0)
    v = float(stationary_var)
    if not smoothing < v:
        raise ValueError(f"smoothing ({smoothing}) must be below stationary_var ({v})")
    phi = (1.0 - smoothing / v) ** (gaps / 2.0)
    return Walk(phi=phi, q=v * (1.0 - phi * phi), start_var=v)


def _kalman_filter(prec, info, first, walk: Walk):
    S, T = prec.shape
    fm = np.zeros((S, T))
    fv = np.ones((S, T))
    pv = np.ones((S, T))  # predicted variances, reused by the smoother and the sampler
    m_prev = np.zeros(S)
    v_prev = np.ones(S)
    for t in range(T):
        started = first < t
        phi = walk.phi[t]
        m_pred = np.where(started, phi * m_prev, 0.0)
        v_pred = np.where(started, phi * phi * v_prev + walk.q[t], walk.start_var)
        v = 1.0 / (1.0 / v_pred + prec[:, t])
        m = v * (m_pred / v_pred + info[:, t])
        fm[:, t], fv[:, t], pv[:, t] = m, v, v_pred
        m_prev, v_prev = m, v
    return fm, fv, pv


def kalman_smoother(prec, info, first, walk: Walk):
    """Posterior means and variances of the walks observed through information terms.

    Each state's walk starts at its first period with votes from ``N(0, start_var)`` and
    moves by ``walk``; period ``t`` contributes the Gaussian factor
    ``exp(info * x - prec * x^2 / 2)``. Cells before a state's first period are returned as
    ``N(0, 1)`` and never read.
    """
    fm, fv, pv = _kalman_filter(prec, info, first, walk)
    T = prec.shape[1]
    sm = fm.copy()
    sv = fv.copy()
    for t in range(T - 2, -1, -1):
        # Steps past a state's last vote carry no data, so smoothing from the grid's end is
        # exact; cells before the first period are left at the prior.
        active = first <= t
        phi = walk.phi[t + 1]
        j = fv[:, t] * phi / pv[:, t + 1]
        m = fm[:, t] + j * (sm[:, t + 1] - phi * fm[:, t])
        v = fv[:, t] + j * j * (sv[:, t + 1] - pv[:, t + 1])
        sm[:, t] = np.where(active, m, sm[:, t])
        sv[:, t] = np.where(active, v, sv[:, t])
    return sm, sv


def observed_information(problem: Problem, st: State) -> np.ndarray:
    """Per-cell observed information of the votes about x at the current fit (S x T).

    Louis (1982): the observed information is the complete-data information minus the
    missing information. With the latent ``z`` as missing data, a vote's complete-data
    information about x is ``b^2 / s^2`` (what the EM update of q(x) uses) and the missing
    part is ``b^2 Var(z | vote) / s^4``, so each vote contributes
    ``(b / s)^2 (1 - Var(e | vote))`` with ``e`` the standard normal truncated to the
    vote's category. Mean-field posteriors that use the complete-data information are too
    narrow; this is the correction.
    """
    _, vz, _ = latent_moments(problem, st)
    return _observed_information(problem, st, vz)


def _observed_information(problem: Problem, st: State, vz: np.ndarray) -> np.ndarray:
    it = problem.item
    ratio = (st.b * st.b / st.s2)[it]
    per_vote = ratio * np.clip(1.0 - vz / st.s2[it], 0.0, 1.0)
    info = np.bincount(problem.cell, weights=per_vote, minlength=problem.n_cells)
    return info.reshape(problem.n_states, problem.n_periods)


def _item_information(problem: Problem, st: State):
    """Fisher information of each item's parameters and its cross information with x.

    In the ordered-probit form ``P(vote <= k) = Phi(tau_k - beta x)`` an item has three
    parameters ``theta = (tau_1, tau_2, beta)``. Returns the covariance of each item's
    estimate, the inverse of its expected information from its votes, ``(J, 3, 3)``, and
    for each vote the cross information between the ideal point and ``theta``,
    ``(3, n_votes)``: the change of the vote's score for ``x`` per unit change of
    ``theta``.
    """
    it, J = problem.item, problem.n_items
    s = np.sqrt(st.s2)[it]
    beta = st.b[it] / s
    x = st.x_mean[problem.cell]
    eta = beta * x
    t1 = -st.a[it] / s - eta
    t2 = (1.0 - st.a[it]) / s - eta
    phi1 = np.exp(-0.5 * t1 * t1) * _INV_SQRT_2PI
    phi2 = np.exp(-0.5 * t2 * t2) * _INV_SQRT_2PI
    p1 = np.maximum(ndtr(t1), 1e-12)
    p3 = np.maximum(ndtr(-t2), 1e-12)
    p2 = np.maximum(1.0 - p1 - p3, 1e-12)
    zero = np.zeros_like(phi1)
    # Derivatives of the three category probabilities by (tau_1, tau_2, eta).
    d = np.stack(
        [
            np.stack([phi1, zero, -phi1]),
            np.stack([-phi1, phi2, phi1 - phi2]),
            np.stack([zero, -phi2, phi2]),
        ]
    )  # (category, parameter, vote)
    f = np.einsum("kiv,kjv->ijv", d / np.stack([p1, p2, p3])[:, None, :], d)
    jac = np.stack([np.ones_like(x), np.ones_like(x), x])  # d(tau_1, tau_2, eta)/d theta
    g = f * jac[:, None, :] * jac[None, :, :]
    info = np.stack(
        [np.bincount(it, weights=g[i, j], minlength=J) for i in range(3) for j in range(3)], -1
    ).reshape(J, 3, 3)
    prior = np.diag([1.0 / PRIOR_VAR_AB, 1.0 / PRIOR_VAR_AB, 1.0 / st.disc_var])
    cov = np.linalg.inv(info + prior)
    cross = beta * f[2] * jac
    return cov, cross


def _path_covariance(problem: Problem, prec: np.ndarray, walk: Walk | None) -> np.ndarray:
    """Posterior covariance of each state's whole path given the items, ``(S, T, T)``.

    The inverse of the prior precision of the path (the dynamics) plus the votes'
    information on the diagonal; cells before a state's first period get the prior
    ``N(0, 1)`` and no coupling. The Kalman smoother gives the diagonal of the same
    matrices; the off-diagonal is needed to carry item errors that are shared by the
    periods of a bridged item.
    """
    S, T = prec.shape
    q = np.zeros((S, T, T))
    idx = np.arange(T)
    q[:, idx, idx] = prec
    if walk is None:
        q[:, idx, idx] += 1.0
        return np.linalg.inv(q)
    on = idx[None, :] >= problem.first[:, None]
    if not np.all(walk.q[1:] > 0):
        # Constant ideal points: one value per state, seen through all its periods.
        total = 1.0 / (1.0 / walk.start_var + np.where(on, prec, 0.0).sum(axis=1))
        cov = np.where(on[:, :, None] & on[:, None, :], total[:, None, None], 0.0)
        cov[:, idx, idx] += np.where(on, 0.0, 1.0)
        return cov
    start = idx[None, :] == problem.first[:, None]
    q[:, idx, idx] += np.where(start | ~on, 1.0 / np.where(start, walk.start_var, 1.0), 0.0)
    for t in range(1, T):
        step = on[:, t] & ~start[:, t]
        inv_q = np.where(step, 1.0 / walk.q[t], 0.0)
        phi = walk.phi[t]
        q[:, t, t] += inv_q
        q[:, t - 1, t - 1] += phi * phi * inv_q
        q[:, t, t - 1] -= phi * inv_q
        q[:, t - 1, t] -= phi * inv_q
    return np.linalg.inv(q)


def _item_error_variance(problem: Problem, st: State, path_cov: np.ndarray) -> np.ndarray:
    """Variance that the estimation error of the items adds to each cell, ``(S, T)``.

    First-order delta method: an error ``d_j`` in item ``j``'s parameters changes the
    score of every vote on ``j`` by ``cross_v d_j`` and moves state ``i``'s path by
    ``K_i sum_v cross_v d_j`` (``K_i`` its path covariance). Errors of different items are
    independent; the votes of one state on one bridged item, in several periods, share
    the same error, so it is not averaged away by the smoothing across periods.
    """
    S, T = problem.n_states, problem.n_periods
    cov, cross = _item_information(problem, st)
    state, period, it = problem.cell // T, problem.cell % T, problem.item
    m = np.zeros((S, T, T))
    order = np.lexsort((period, it, state))
    group = (state * problem.n_items + it)[order]
    # Pairs of votes by the same state on the same item (each vote with itself first).
    for lag in range(T):
        if lag and not (group[lag:] == group[:-lag]).any():
            break
        a, b = order[: order.size - lag], order[lag:]
        same = group[: order.size - lag] == group[lag:] if lag else np.ones(a.size, bool)
        a, b = a[same], b[same]
        w = np.einsum("iv,vij,jv->v", cross[:, a], cov[it[a]], cross[:, b])
        np.add.at(m, (state[a], period[a], period[b]), w)
        if lag:
            np.add.at(m, (state[a], period[b], period[a]), w)
    return np.einsum("itj,ijk,itk->it", path_cov, m, path_cov)


def linking_covariance(
    problem: Problem, st: State, walk: Walk | None, scale: Scale | None
) -> np.ndarray:
    """Covariance of the location and scale of each period on the common scale.

    Moving all ideal points of period ``t`` by ``g_t + a_t x`` changes nothing for the
    items voted on in ``t`` alone: their parameters follow. Only two things resist it: the
    items that bridge ``t`` to other periods (Bailey, Strezhnev and Voeten 2017), whose
    parameters must fit every period they span, and the dynamics, under which the states
    of a period do not all move together. This returns the inverse of the curvature of
    the log posterior along these ``2 T`` directions (item parameters profiled out,
    Laplace approximation), under the constraints of ``scale`` (with a scale fixed per
    period, only the ``g_t`` move): an array ``(T, 2, 2)`` of the covariance of
    ``(g_t, a_t)``. It is the uncertainty of
    comparing period ``t`` with the others, which the per-cell variances with the items
    held fixed do not contain.
    """
    T = problem.n_periods
    out = np.zeros((T, 2, 2))
    if walk is not None and not np.all(walk.q[1:] > 0):
        return out  # constant ideal points: the periods cannot move apart
    h = np.zeros((2 * T, 2 * T))
    _link_items(problem, st, h)
    _link_prior(problem, st, walk, h)
    # The dynamics prior makes h positive definite; the jitter only guards periods that no
    # state spans.
    keep = np.arange(2 * T)
    if scale is not None and scale.per_period:
        keep = keep[::2]  # the stretches are fixed: locations only
    h = h[np.ix_(keep, keep)]
    cov = np.zeros((2 * T, 2 * T))
    sub = np.linalg.inv(h + 1e-9 * np.eye(keep.size))
    if scale is not None and scale.reference.size:
        x = st.x_mean[scale.reference]
        t = scale.reference % T
        c = np.zeros((2, 2 * T))
        np.add.at(c[0], 2 * t, 1.0)
        np.add.at(c[0], 2 * t + 1, x)
        np.add.at(c[1], 2 * t, 2 * x)
        np.add.at(c[1], 2 * t + 1, 2 * x * x)
        c = c[:, keep]
        if scale.per_period:
            c = c[:1]  # the mean of the reference cells; their variance is fixed already
        k = c @ sub
        sub = sub - k.T @ np.linalg.solve(k @ c.T, k)
    cov[np.ix_(keep, keep)] = sub
    for t in range(T):
        out[t] = cov[2 * t : 2 * t + 2, 2 * t : 2 * t + 2]
    return out


def _link_items(problem: Problem, st: State, h: np.ndarray) -> None:
    """Add the profiled curvature of the bridging items to ``h`` (2T x 2T)."""
    T = problem.n_periods
    _, vz, _ = latent_moments(problem, st)
    it = problem.item
    w = np.clip(1.0 - vz / st.s2[it], 0.0, 1.0) / st.s2[it]  # information about a + b x
    x = st.x_mean[problem.cell]
    t = problem.cell % T
    key = it * T + t
    uniq, inv = np.unique(key, return_inverse=True)
    w0 = np.bincount(inv, weights=w)
    w1 = np.bincount(inv, weights=w * x)
    w2 = np.bincount(inv, weights=w * x * x)
    item_of, period_of = uniq // T, uniq % T
    n_periods = np.bincount(item_of, minlength=problem.n_items)
    bridged = n_periods[item_of] > 1
    order = np.flatnonzero(bridged)
    if not order.size:
        return
    starts = np.flatnonzero(np.r_[True, np.diff(item_of[order]) != 0])
    ends = np.r_[starts[1:], order.size]
    for lo, hi in zip(starts, ends, strict=True):
        rows = order[lo:hi]
        j = item_of[rows[0]]
        a = np.stack(
            [np.stack([w0[rows], w1[rows]], -1), np.stack([w1[rows], w2[rows]], -1)], -2
        )  # (m, 2, 2): the information of the item's votes in each of its periods
        # The priors of a and b (b ~ N(0, s^2 disc_var), since beta = b / s).
        ridge = np.diag([1.0 / PRIOR_VAR_AB, 1.0 / (st.s2[j] * st.disc_var)])
        m_inv = np.linalg.inv(a.sum(axis=0) + ridge)
        b2 = st.b[j] ** 2
        idx = (2 * period_of[rows][:, None] + np.arange(2)).ravel()
        block = -b2 * np.einsum("pik,kl,qlj->piqj", a, m_inv, a).reshape(idx.size, idx.size)
        for k in range(rows.size):
            block[2 * k : 2 * k + 2, 2 * k : 2 * k + 2] += b2 * a[k]
        h[np.ix_(idx, idx)] += block


def _link_prior(problem: Problem, st: State, walk: Walk | None, h: np.ndarray) -> None:
    """Add the curvature of the dynamics prior along the period directions to ``h``."""
    S, T = problem.n_states, problem.n_periods
    x = st.x_mean.reshape(S, T)
    voted = np.bincount(problem.cell, minlength=problem.n_cells).reshape(S, T) > 0
    last = np.where(voted.any(axis=1), T - 1 - np.argmax(voted[:, ::-1], axis=1), -1)
    first = problem.first

    def outer(u, v):
        return np.array([[u[0] @ v[0], u[0] @ v[1]], [u[1] @ v[0], u[1] @ v[1]]])

    for t in range(T):
        on = (first <= t) & (t <= last)
        u = (np.ones(on.sum()), x[on, t])
        if walk is None:
            h[2 * t : 2 * t + 2, 2 * t : 2 * t + 2] += outer(u, u)
            continue
        start = on & (first == t)
        us = (np.ones(start.sum()), x[start, t])
        h[2 * t : 2 * t + 2, 2 * t : 2 * t + 2] += outer(us, us) / walk.start_var
        if t == 0:
            continue
        step = on & (first < t)
        q, phi = walk.q[t], walk.phi[t]
        now = (np.ones(step.sum()), x[step, t])
        before = (np.ones(step.sum()), x[step, t - 1])
        h[2 * t : 2 * t + 2, 2 * t : 2 * t + 2] += outer(now, now) / q
        h[2 * t - 2 : 2 * t, 2 * t - 2 : 2 * t] += phi * phi * outer(before, before) / q
        cross = phi * outer(now, before) / q
        h[2 * t : 2 * t + 2, 2 * t - 2 : 2 * t] -= cross
        h[2 * t - 2 : 2 * t, 2 * t : 2 * t + 2] -= cross.T


def posterior_variance(
    problem: Problem, st: State, walk: Walk | None, scale: Scale | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Laplace approximation of the posterior variance of every cell on the common scale.

    Three parts, added: the posterior variance of each state's path given the items, from
    the votes' observed information (:func:`observed_information`) at the posterior mode
    and the dynamics (:func:`_path_covariance`); the variance that the estimation error of
    the items adds (:func:`_item_error_variance`); and the uncertainty of each period's
    place on the common scale (:func:`linking_covariance`), as ``[1, x] Cov_t [1, x]^T``.
    Returns the variances (``n_cells``) and the linking covariances (``(T, 2, 2)``).
    """
    prec = observed_information(problem, st)
    path_cov = _path_covariance(problem, prec, walk)
    var = np.diagonal(path_cov, axis1=1, axis2=2).copy()
    var += _item_error_variance(problem, st, path_cov)
    link = linking_covariance(problem, st, walk, scale)
    x = st.x_mean.reshape(var.shape)
    added = link[:, 0, 0] + 2 * x * link[:, 0, 1] + x * x * link[:, 1, 1]
    return (var + np.maximum(added, 0.0)).ravel(), link


# --------------------------------------------------------------------------------------------
# Item parameters: MAP given q(z) and q(x).


def learn_disc_var(st: State, prior_items: np.ndarray) -> None:
    """Empirical Bayes for the prior variance of the discriminations: the mean over
    ``prior_items`` (a boolean mask of items) of ``E[beta^2] = beta_hat^2 + Var(beta_hat)``,
    ``beta = b / s``, the EM update of a normal prior's variance.

    Hierarchical priors on item parameters are standard in Bayesian IRT (Fox 2010,
    *Bayesian Item Response Modeling*); here the hyperparameter is set to its
    current estimate at each M-step (Morris 1983, JASA 78: 47-55). It is what holds the
    spread of periods that few resolutions bridge: stretching a period's ideal points
    apart or together must be paid for by its items' discriminations, which share one
    prior with the items of the reference periods (docs/ideal_points.md).
    """
    if prior_items is None or not prior_items.any() or not np.any(st.b[prior_items]):
        return
    beta2 = st.b[prior_items] ** 2 / st.s2[prior_items]
    if st.beta_var is not None:
        beta2 = beta2 + st.beta_var[prior_items]
    st.disc_var = max(float(beta2.mean()), MIN_DISC_VAR)


def update_items(problem: Problem, st: State, ez, vz, n_item) -> None:
    """Closed-form M-step for (a, b) (ridge regression) and s^2 (inverse-gamma MAP).

    Priors: ``a ~ N(0, 25)``, ``beta = b / s ~ N(0, disc_var)`` (so ``b ~ N(0, s^2
    disc_var)``: ridge ``1 / disc_var`` in the normal equations), ``s^2`` inverse-gamma.
    """
    ops = _sums(problem)
    per_item, x = ops["item_vote"], st.x_mean
    sx, sxx, sz, szx, szz = _in_parallel(
        lambda: ops["item_cell"] @ x,
        lambda: ops["item_cell"] @ (x * x + st.x_var),
        lambda: per_item @ ez,
        lambda: per_item @ (ez * x[problem.cell]),
        lambda: per_item @ (vz + ez * ez),
    )
    h11 = n_item + st.s2 / PRIOR_VAR_AB
    h12 = sx
    h22 = sxx + 1.0 / st.disc_var
    det = h11 * h22 - h12 * h12
    a = (h22 * sz - h12 * szx) / det
    b = (h11 * szx - h12 * sz) / det
    rss = szz - 2 * a * sz - 2 * b * szx + n_item * a * a + 2 * a * b * sx + b * b * sxx
    s2 = (np.maximum(rss, 0.0) + 2 * PRIOR_S2_SCALE) / (n_item + 2 * PRIOR_S2_SHAPE + 2)
    st.a[:], st.b[:], st.s2[:] = a, b, s2
    # The variance of each discrimination given q(z): Var(b) = s^2 h11 / det in the normal
    # equations, so Var(beta) = h11 / det. (The observed information, with Louis's
    # correction, gave a prior variance within 4% of this on the UN record and in the
    # coverage simulation, for three more sums over all votes per sweep.)
    st.beta_var = h11 / det


def _step(problem, st, walk, n_item, scale) -> float:
    """One EM sweep in place: q(z), then q(x), then the items, then the scale. Returns the
    plug-in log-likelihood at the state it started from."""
    ez, vz, ll = latent_moments(problem, st)
    update_x(problem, st, ez, walk)
    if scale is not None:
        learn_disc_var(st, scale.prior_items)
    update_items(problem, st, ez, vz, n_item)
    if scale is not None:
        rescale(st, problem, scale)
    return ll


@dataclass(frozen=True)
class Scale:
    """Where the location and the scale of the ideal points are fixed (identification).

    ``voted``: the cells with votes; ``reference``: those of the reference periods;
    ``item_period``: the period with most votes of each item; ``per_period``: every period
    has variance 1 (else only the reference periods together); ``prior_items``: the items
    from which the prior variance of the discriminations is learned (:func:`learn_disc_var`;
    ``None`` keeps ``State.disc_var``).
    """

    voted: np.ndarray
    reference: np.ndarray
    item_period: np.ndarray
    per_period: bool = True
    prior_items: np.ndarray | None = None


def rescale(st: State, problem: Problem, scale: Scale) -> None:
    """Fix the location and scale of the ideal points, moving the items to match.

    With ``scale.per_period``, the ideal points of each period are stretched about the
    period's mean to variance 1 over its cells with votes; then all of them move so that
    the reference cells have mean 0. Otherwise one shift and one stretch make the
    reference cells mean 0 and variance 1. Variances count the posterior variances, so
    that the prior ``N(0, 1)`` and the fitted points agree in expectation.

    The likelihood depends on ``a + b x`` only. One shift and stretch of everything
    leaves it unchanged: that is the expansion step of PX-EM (Liu, Rubin and Wu 1998,
    Biometrika 85(4): 755-770). A stretch per period leaves unchanged every item voted on
    in one period only; the items that bridge periods are moved with the period they are
    most voted in, so near convergence, when the stretches are near 1, it is a projection
    onto the constraint. Without a fixed scale per period and with a flat prior on the
    discriminations, a variational or MAP fit drifts along a ridge where bridges are few:
    shrinking a stretch of periods makes the states' moves cheap under the dynamics prior,
    and fitted to convergence the Cold War periods shrink to about half the spread of the
    reference. The discriminations' common prior (``State.disc_var``: fixed, or learned by
    :func:`learn_disc_var`) holds them instead (docs/ideal_points.md).
    """
    T = problem.n_periods
    if scale.per_period:
        t = scale.voted % T
        x = st.x_mean[scale.voted]
        n = np.bincount(t, minlength=T)
        safe = np.maximum(n, 1)
        mean = np.bincount(t, weights=x, minlength=T) / safe
        var = np.bincount(t, weights=(x - mean[t]) ** 2 + st.x_var[scale.voted], minlength=T)
        sd = np.where(n > 1, np.sqrt(var / safe), 1.0)
        sd = np.where(sd > 0, sd, 1.0)
        cell_t = np.arange(st.x_mean.size) % T
        st.x_mean[:] = mean[cell_t] + (st.x_mean - mean[cell_t]) / sd[cell_t]
        st.x_var[:] = st.x_var / sd[cell_t] ** 2
        # a + b x = a + b (m + sd (x' - m)) = a + b m (1 - sd) + (b sd) x'
        p = scale.item_period
        st.a += st.b * mean[p] * (1.0 - sd[p])
        st.b *= sd[p]
        m = st.x_mean[scale.reference]
        mu = float(m.mean())
        st.a += st.b * mu
        st.x_mean -= mu
        return
    m = st.x_mean[scale.reference]
    mu = float(m.mean())
    sd = float(np.sqrt(np.mean((m - mu) ** 2 + st.x_var[scale.reference])))
    if not sd > 0:
        return
    st.a += st.b * mu
    st.b *= sd
    st.x_mean[:] = (st.x_mean - mu) / sd
    st.x_var[:] = st.x_var / (sd * sd)


def _pack(st: State) -> np.ndarray:
    return np.concatenate([st.a, st.b, np.log(st.s2), st.x_mean])


def _unpack(theta: np.ndarray, like: State) -> State:
    J = like.a.size
    return State(
        a=theta[:J].copy(),
        b=theta[J : 2 * J].copy(),
        s2=np.exp(np.clip(theta[2 * J : 3 * J], -30.0, 30.0)),
        x_mean=theta[3 * J :].copy(),
        x_var=like.x_var.copy(),
        disc_var=like.disc_var,
        beta_var=like.beta_var,
    )


def _change(old: State, new: State, active_cells) -> float:
    """The largest move of an ideal point on the reported cells."""
    return float(np.max(np.abs(new.x_mean[active_cells] - old.x_mean[active_cells])))


def fit_em(
    problem,
    st,
    walk,
    max_iter,
    tol,
    active_cells,
    callback=None,
    accelerate=True,
    scale: Scale | None = None,
):
    """Run variational EM from ``st`` (modified in place).

    Convergence: stop when no ideal point on the reported cells moved by ``tol`` or more
    over the last cycle (one EM sweep, or one SQUAREM cycle of up to three). The rule of
    Imai, Lo and Olmsted's ``emIRT`` (the correlation of successive iterates above
    ``1 - tol``) stops this model far too early: the locations of the periods of the Cold
    War, which few resolutions bridge, keep moving long after the pattern of each period
    has settled.

    With ``accelerate`` the EM map is extrapolated by SQUAREM (Varadhan and Roland 2008,
    Scandinavian Journal of Statistics 35(2): 335-353, scheme S3), a step being kept only
    if it does not lower the log-likelihood; plain EM on ideal-point models creeps along
    ridges for hundreds of sweeps.

    With ``scale`` every sweep ends with :func:`rescale`.

    Returns ``(n_iter, converged, log_likelihood_trace)`` where ``n_iter`` counts EM sweeps.
    """
    n_item = np.bincount(problem.item, minlength=problem.n_items).astype(float)
    trace: list[float] = []
    converged = False
    n_iter = 0
    step_max = 1.0
    while n_iter < max_iter and not converged:
        start = st.copy()
        trace.append(_step(problem, st, walk, n_item, scale))
        n_iter += 1
        if callback is not None:
            callback(n_iter, trace[-1])
        if accelerate and n_iter + 2 <= max_iter:
            step_max, done = _squarem(problem, st, start, walk, n_item, scale, trace, step_max)
            n_iter += done
        converged = _change(start, st, active_cells) < tol
    return n_iter, converged, np.asarray(trace)


def _squarem(problem, st, start, walk, n_item, scale, trace, step_max):
    """One SQUAREM cycle from ``start`` through ``st`` (one EM sweep done), in place.

    Returns the new step bound and the number of EM sweeps it ran.
    """
    first = st.copy()
    trace.append(_step(problem, st, walk, n_item, scale))
    theta0, theta1, theta2 = _pack(start), _pack(first), _pack(st)
    r = theta1 - theta0
    v = theta2 - 2 * theta1 + theta0
    vv = float(v @ v)
    alpha = -min(np.sqrt(float(r @ r) / vv), step_max) if vv > 0 else 0.0
    if alpha > -1:
        return step_max, 1
    jumped = _unpack(theta0 - 2 * alpha * r + alpha * alpha * v, st)
    ll_jump = _step(problem, jumped, walk, n_item, scale)
    if np.isfinite(ll_jump) and ll_jump >= trace[-1]:
        trace.append(ll_jump)
        st.a, st.b, st.s2, st.x_mean, st.x_var = (
            jumped.a, jumped.b, jumped.s2, jumped.x_mean, jumped.x_var,
        )  # fmt: skip
        st.disc_var, st.beta_var = jumped.disc_var, jumped.beta_var
        return (min(step_max * 4, 1e4) if -alpha >= step_max else step_max), 2
    # The extrapolation overshot: keep the plain EM iterate and be more cautious.
    return max(1.0, step_max / 4), 2
