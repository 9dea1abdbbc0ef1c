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
point estimates (MAP under weak priors).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.special import erfcx, log_ndtr, ndtr

_SQRT2 = np.sqrt(2.0)
_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)

#: Prior variance of the item intercept ``a`` and slope ``b`` (latent scale with cut points
#: 0 and 1). Wide enough not to matter for contested items; it keeps near-unanimous items
#: finite.
PRIOR_VAR_AB = 25.0
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

    @property
    def n_cells(self) -> int:
        return self.n_states * self.n_periods


@dataclass
class State:
    """Current variational parameters."""

    a: np.ndarray
    b: np.ndarray
    s2: np.ndarray
    x_mean: np.ndarray  # n_cells
    x_var: np.ndarray  # n_cells

    def copy(self) -> State:
        return State(*(v.copy() for v in (self.a, self.b, self.s2, self.x_mean, self.x_var)))


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


def _below(u):
    """Mean, variance and log mass of N(0,1) truncated to (-inf, u)."""
    # Phi(u) = erfcx(-u/sqrt2) exp(-u^2/2) / 2, so one erfcx gives both the inverse Mills
    # ratio and the log mass without a separate (slow) log_ndtr.
    e = erfcx(-u / _SQRT2)
    r = _SQRT_2_OVER_PI / e  # phi(u) / Phi(u)
    logz = np.where(u > -30, np.log(0.5 * e) - 0.5 * u * u, log_ndtr(np.minimum(u, -30)))
    return -r, 1.0 - u * r - r * r, logz


def _above(lo):
    """Mean, variance and log mass of N(0,1) truncated to [lo, inf)."""
    m, v, logz = _below(-lo)
    return -m, v, logz


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


_MOMENTS = (
    lambda m, sd: _below(-m / sd),
    lambda m, sd: _between(-m / sd, (1.0 - m) / sd),
    lambda m, sd: _above((1.0 - m) / sd),
)
_POOL: ThreadPoolExecutor | None = None
#: Votes per chunk of the E-step; numpy and scipy ufuncs release the GIL, so chunks run
#: in parallel threads (the target machine has two cores).
_CHUNK = 1 << 17


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)))
    return _POOL


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
        em, ev, lz = _MOMENTS[kind](m, sd)
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
    it = problem.item
    prec = np.bincount(problem.cell, weights=(b * b / s2)[it], minlength=problem.n_cells)
    info = np.bincount(problem.cell, weights=(b / s2)[it] * (ez - a[it]), minlength=problem.n_cells)
    shape = (problem.n_states, problem.n_periods)
    return prec.reshape(shape), info.reshape(shape)


def update_x(problem: Problem, st: State, ez: np.ndarray, smoothing: float | None) -> None:
    """Update q(x) in place given q(z) and the item parameters."""
    prec, info = _information(problem, st, ez)
    if smoothing is None:
        # Independent periods, each with the N(0, 1) prior.
        var = 1.0 / (1.0 + prec)
        st.x_var[:] = var.ravel()
        st.x_mean[:] = (var * info).ravel()
        return
    mean, var = kalman_smoother(prec, info, problem.first, problem.gaps, smoothing)
    st.x_mean[:] = mean.ravel()
    st.x_var[:] = var.ravel()


def _kalman_filter(prec, info, first, gaps, smoothing):
    S, T = prec.shape
    fm = np.zeros((S, T))
    fv = np.ones((S, T))
    pv = np.ones((S, T))  # predicted variances, reused by the smoother and the sampler
    m_prev = np.zeros(S)
    v_prev = np.ones(S)
    for t in range(T):
        started = first < t
        m_pred = np.where(started, m_prev, 0.0)
        v_pred = np.where(started, v_prev + smoothing * gaps[t], 1.0)
        v = 1.0 / (1.0 / v_pred + prec[:, t])
        m = v * (m_pred / v_pred + info[:, t])
        fm[:, t], fv[:, t], pv[:, t] = m, v, v_pred
        m_prev, v_prev = m, v
    return fm, fv, pv


def kalman_smoother(prec, info, first, gaps, smoothing):
    """Posterior means and variances of random walks observed through information terms.

    Each state's walk starts at its first period with votes from ``N(0, 1)`` and takes steps
    of variance ``smoothing * gap``; period ``t`` contributes the Gaussian factor
    ``exp(info * x - prec * x^2 / 2)``. Cells before a state's first period are returned as
    ``N(0, 1)`` and never read.
    """
    fm, fv, pv = _kalman_filter(prec, info, first, gaps, smoothing)
    T = prec.shape[1]
    sm = fm.copy()
    sv = fv.copy()
    for t in range(T - 2, -1, -1):
        # Steps past a state's last vote carry no data, so smoothing from the grid's end is
        # exact; cells before the first period are left at the prior.
        active = first <= t
        j = fv[:, t] / pv[:, t + 1]
        m = fm[:, t] + j * (sm[:, t + 1] - fm[:, t])
        v = fv[:, t] + j * j * (sv[:, t + 1] - pv[:, t + 1])
        sm[:, t] = np.where(active, m, sm[:, t])
        sv[:, t] = np.where(active, v, sv[:, t])
    return sm, sv


def _fisher_information(problem: Problem, st: State) -> np.ndarray:
    """Per-cell Fisher information of the ordered probit about x at the posterior means."""
    it = problem.item
    s = np.sqrt(st.s2)[it]
    mu = st.a[it] + st.b[it] * st.x_mean[problem.cell]
    t1 = -mu / s
    t2 = (1.0 - mu) / s
    phi1 = np.exp(-0.5 * t1 * t1) * _INV_SQRT_2PI
    phi2 = np.exp(-0.5 * t2 * t2) * _INV_SQRT_2PI
    p1 = np.maximum(ndtr(t1), 1e-300)
    p3 = np.maximum(ndtr(-t2), 1e-300)
    p2 = np.maximum(1.0 - p1 - p3, 1e-300)
    per_vote = (st.b[it] / s) ** 2 * (phi1**2 / p1 + (phi1 - phi2) ** 2 / p2 + phi2**2 / p3)
    info = np.bincount(problem.cell, weights=per_vote, minlength=problem.n_cells)
    return info.reshape(problem.n_states, problem.n_periods)


def sample_x(problem: Problem, st: State, smoothing: float | None, rng) -> np.ndarray:
    """Draw ideal-point paths around the posterior means for a bootstrap world.

    The spread is that of a Laplace (Gaussian) approximation: each state-period is observed
    with the ordered probit's Fisher information at the fit, and whole paths are drawn by
    forward filtering, backward sampling (Frühwirth-Schnatter 1994, Journal of Time Series
    Analysis 15(2): 183-202), so a world is as smooth as the random walk says. The mean-field
    precision used by EM (augmented data treated as observed) is larger than this
    information and would give worlds too close to the fit.
    """
    prec = _fisher_information(problem, st)
    S, T = prec.shape
    if smoothing is None:
        noise = rng.standard_normal((S, T)) / np.sqrt(1.0 + prec)
        return st.x_mean + noise.ravel()
    # With zero information the posterior mean is zero: these are draws of the deviation.
    fm, fv, pv = _kalman_filter(prec, np.zeros_like(prec), problem.first, problem.gaps, smoothing)
    x = np.empty((S, T))
    x[:, -1] = fm[:, -1] + np.sqrt(fv[:, -1]) * rng.standard_normal(S)
    for t in range(T - 2, -1, -1):
        active = problem.first <= t
        j = fv[:, t] / pv[:, t + 1]
        m = fm[:, t] + j * (x[:, t + 1] - fm[:, t])
        v = np.maximum(fv[:, t] - j * fv[:, t], 0.0)
        draw = m + np.sqrt(v) * rng.standard_normal(S)
        x[:, t] = np.where(active, draw, 0.0)
    return st.x_mean + x.ravel()


# --------------------------------------------------------------------------------------------
# Item parameters: MAP given q(z) and q(x).


def update_items(problem: Problem, st: State, ez, vz, n_item) -> None:
    """Closed-form M-step for (a, b) (ridge regression) and s^2 (inverse-gamma MAP)."""
    it, J = problem.item, problem.n_items
    xm = st.x_mean[problem.cell]
    x2 = (st.x_mean * st.x_mean + st.x_var)[problem.cell]
    sx = np.bincount(it, weights=xm, minlength=J)
    sxx = np.bincount(it, weights=x2, minlength=J)
    sz = np.bincount(it, weights=ez, minlength=J)
    szx = np.bincount(it, weights=ez * xm, minlength=J)
    szz = np.bincount(it, weights=vz + ez * ez, minlength=J)
    ridge = st.s2 / PRIOR_VAR_AB
    h11 = n_item + ridge
    h12 = sx
    h22 = sxx + ridge
    det = h11 * h22 - h12 * h12
    a = (h22 * sz - h12 * szx) / det
    b = (h11 * szx - h12 * sz) / det
    rss = szz - 2 * a * sz - 2 * b * szx + n_item * a * a + 2 * a * b * sx + b * b * sxx
    s2 = (np.maximum(rss, 0.0) + 2 * PRIOR_S2_SCALE) / (n_item + 2 * PRIOR_S2_SHAPE + 2)
    st.a[:], st.b[:], st.s2[:] = a, b, s2


def _one_minus_corr(u, v):
    u = u - u.mean()
    v = v - v.mean()
    den = np.sqrt((u @ u) * (v @ v))
    return 1.0 - (u @ v) / den if den > 0 else 0.0


def _step(problem, st, smoothing, n_item) -> float:
    """One EM sweep in place: q(z), then q(x), then the items. Returns the plug-in
    log-likelihood at the state it started from."""
    ez, vz, ll = latent_moments(problem, st)
    update_x(problem, st, ez, smoothing)
    update_items(problem, st, ez, vz, n_item)
    return ll


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
    )


def _change(old: State, new: State, active_cells) -> float:
    return max(
        _one_minus_corr(old.x_mean[active_cells], new.x_mean[active_cells]),
        _one_minus_corr(old.a, new.a),
        _one_minus_corr(old.b, new.b),
    )


def fit_em(problem, st, smoothing, max_iter, tol, active_cells, callback=None, accelerate=True):
    """Run variational EM from ``st`` (modified in place).

    Convergence follows Imai, Lo and Olmsted's ``emIRT``: stop when the correlation between
    successive iterates exceeds ``1 - tol`` for every block of parameters (ideal points on
    reported cells, item intercepts, item slopes).

    With ``accelerate`` the EM map is extrapolated by SQUAREM (Varadhan and Roland 2008,
    Scandinavian Journal of Statistics 35(2): 335-353, scheme S3), a step being kept only
    if it does not lower the log-likelihood; plain EM on ideal-point models creeps along
    ridges for hundreds of sweeps.

    Returns ``(n_iter, converged, log_likelihood_trace)`` where ``n_iter`` counts EM sweeps.
    """
    n_item = np.bincount(problem.item, minlength=problem.n_items).astype(float)
    trace: list[float] = []
    converged = False
    n_iter = 0
    step_max = 1.0
    while n_iter < max_iter and not converged:
        start = st.copy()
        trace.append(_step(problem, st, smoothing, n_item))
        n_iter += 1
        if callback is not None:
            callback(n_iter, trace[-1])
        if _change(start, st, active_cells) < tol:
            converged = True
            break
        if not accelerate or n_iter + 2 > max_iter:
            continue
        first = st.copy()
        trace.append(_step(problem, st, smoothing, n_item))
        n_iter += 1
        theta0, theta1, theta2 = _pack(start), _pack(first), _pack(st)
        r = theta1 - theta0
        v = theta2 - 2 * theta1 + theta0
        vv = float(v @ v)
        if vv <= 0:
            continue
        alpha = -min(np.sqrt(float(r @ r) / vv), step_max)
        if alpha > -1:
            continue
        jumped = _unpack(theta0 - 2 * alpha * r + alpha * alpha * v, st)
        ll_jump = _step(problem, jumped, smoothing, n_item)
        n_iter += 1
        if np.isfinite(ll_jump) and ll_jump >= trace[-1]:
            trace.append(ll_jump)
            st.a, st.b, st.s2, st.x_mean, st.x_var = (
                jumped.a,
                jumped.b,
                jumped.s2,
                jumped.x_mean,
                jumped.x_var,
            )
            step_max = min(step_max * 4, 1e4) if -alpha >= step_max else step_max
        else:
            # The extrapolation overshot: keep the plain EM iterate and be more cautious.
            step_max = max(1.0, step_max / 4)
    return n_iter, converged, np.asarray(trace)
