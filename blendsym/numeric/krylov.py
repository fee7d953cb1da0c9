r"""Krylov (Arnoldi) approximation of :math:`e^{tA}v` at many times, with error control.

The algorithm is Expokit's ``expv`` (R. B. Sidje, ACM TOMS 24 (1998) 130-156) with two
changes that matter for eq. (4): one Krylov basis serves *every* output time inside its
step, and the orthogonalisation is done with BLAS matrix-vector products on the whole
basis, not Python loops over vectors.

One step
--------
From the current state :math:`w` (norm :math:`\beta`), Arnoldi builds an orthonormal
basis :math:`V_{m+1} = [v_1,\dots,v_{m+1}]` of :math:`\mathcal K_{m+1}(A, w)` and the
Hessenberg :math:`H_m` with :math:`AV_m = V_mH_m + h_{m+1,m}v_{m+1}e_m^\top`.  With the
augmented matrix

.. math::

    \bar H = \begin{bmatrix} H_m & 0 & 0\\ h_{m+1,m}e_m^\top & 0 & 0\\ 0 & 1 & 0\end{bmatrix}
    \in\mathbb R^{(m+2)\times(m+2)},\qquad F(\tau) = e^{\tau\bar H},

the approximation at :math:`t + \tau` is
:math:`w(\tau) = \beta V_{m+1}F(\tau)_{1:m+1,1}` (the "corrected" Krylov approximation,
which uses :math:`v_{m+1}` too), and its local error is estimated from
:math:`\varphi_1 = \beta|F_{m+1,1}|` and :math:`\varphi_2 = \beta|F_{m+2,1}|\,\|Av_{m+1}\|`
exactly as in Expokit: :math:`\varphi_2` if :math:`\varphi_1 > 10\varphi_2`,
:math:`\varphi_1\varphi_2/(\varphi_1-\varphi_2)` if :math:`\varphi_1>\varphi_2`, else
:math:`\varphi_1`.  All :math:`F(\tau)_{:,1}` come from one eigendecomposition
:math:`H_m = S\Lambda S^{-1}` per step (:class:`_Projected`; ``expm`` of :math:`\bar H`
when :math:`S` is ill-conditioned), so trying a step length costs :math:`O(m^2)`: the
step is the longest (within 2 %) whose error per unit time stays below ``tol / T``, and
all output times inside it are read off the same basis, each with its own error
estimate.  If the Arnoldi process breaks down (:math:`h_{j+1,j}\approx 0`) the Krylov
space is invariant and the step goes to the last output at once.

Orthogonalisation is classical Gram-Schmidt as two BLAS ``gemv`` calls on the whole basis,
repeated once (DGKS) when the projection removes more than 90 % of the vector's norm; with
milder cancellation one pass loses at most a digit of orthogonality, which is harmless
at the tolerances used here and halves the memory traffic.

The reported ``error_estimate`` is the sum of the local estimates plus a round-off term per
step: a first-order estimate that assumes the propagator does not amplify earlier errors,
as in Expokit.  It estimates the 2-norm of the error of the vector (the Frobenius norm for
a density matrix); in the tests the actual error is 10-100 times smaller.  Three sources
are counted that Expokit leaves out, and that dominate for stiff generators over long
times (:math:`\|A\|\tau \gg 1`, e.g. :math:`K_c = T = 10^6`):

* **round-off growth**, :math:`\epsilon\|A\|\tau\beta` per step of length :math:`\tau`
  (:math:`\epsilon = 2^{-52}`): every application of :math:`A` and the Arnoldi relation
  carry errors of relative size :math:`\epsilon\|A\|`, which the propagator integrates
  over the step;
* **the exponential of the small Hessenberg at large** :math:`\tau`: an eigenvalue
  :math:`\lambda_i` of :math:`H` is computed within :math:`\delta_i = \epsilon\|A\|\kappa_i`
  (:math:`\kappa_i` its condition number), which changes :math:`e^{\tau\lambda_i}` by the
  factor :math:`e^{\tau\delta_i} - 1`; the term
  :math:`\beta\sum_i\|s_i\||c_i|\,|e^{\tau\lambda_i}|\,(e^{\tau\delta_i}-1)` is added;
* **the breakdown tolerance**: a breakdown is declared when the new vector keeps less than
  :math:`10^{-13}` of its norm, not when it is exactly zero; the neglected residual
  :math:`h_{k+1,k}` enters the same :math:`\varphi_1,\varphi_2` estimate as an ordinary step
  (with :math:`\|Av_{k+1}\|\le\|A\|`), so a closed Krylov space no longer reports a zero
  error.

The step control never asks for a local error per unit time below the round-off rate
:math:`\epsilon\|A\|\beta` (a tolerance below it cannot be met by shorter steps, which
only multiply the steps); the error estimate then exceeds ``tol``, and says so.

Cost: :math:`m+1` operator applications and :math:`\approx 2m^2N` flops of
orthogonalisation per step; the number of steps is
:math:`\approx T/\tau` with :math:`\tau` growing with :math:`m`.  For a stiff
:math:`A` whose stiff part is Hermitian (the SWAP term of eq. (4)) :math:`m` only needs
to grow like :math:`\sqrt{\|A\|\tau}`, so the work grows far slower than
:math:`\|A\|t`, the step count of an explicit integrator.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
from scipy.linalg import blas

from .._validate import check_times
from ..errors import InvalidArgumentError, ResourceLimitError

__all__ = ["KrylovInfo", "expm_krylov", "blas_threads"]

_EPS = np.finfo(float).eps
_REORTH = 0.1  # re-orthogonalise when the projection cancels more than 90% of the norm
_FORECAST_AFTER = 20  # steps averaged to forecast the step count of the whole run


@dataclass
class KrylovInfo:
    """What the Krylov propagator did.

    Attributes
    ----------
    applications: operator applications (matrix-vector products).
    steps: accepted Krylov steps (one basis each).
    rejected: trial step lengths rejected by the error test (no extra applications).
    reorthogonalisations: second Gram-Schmidt passes.
    error_estimate: estimated 2-norm error of the last output (sum of local estimates).
    output_errors: estimated error at each output time.
    krylov_dim: the basis size ``m``.
    breakdown: a happy breakdown (invariant Krylov space) ended the propagation.
    """

    applications: int = 0
    steps: int = 0
    rejected: int = 0
    reorthogonalisations: int = 0
    error_estimate: float = 0.0
    output_errors: np.ndarray = field(default_factory=lambda: np.zeros(0))
    krylov_dim: int = 0
    breakdown: bool = False
    step_sizes: list = field(default_factory=list)


# ----------------------------------------------------------------------------- BLAS threads


_HANDLES: list[tuple[Callable, Callable]] | None = None


def _openblas_handles() -> list[tuple[Callable, Callable]]:
    """``(get, set)`` thread-count functions of every OpenBLAS loaded in this process."""
    global _HANDLES
    if _HANDLES is None:
        _HANDLES = _find_openblas()
    return _HANDLES


def _find_openblas() -> list[tuple[Callable, Callable]]:
    out: list[tuple[Callable, Callable]] = []
    try:
        with open("/proc/self/maps") as fh:
            paths = {line.split()[-1] for line in fh if "openblas" in line.lower()}
    except OSError:
        return out
    names = [
        ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
        ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
        ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
        ("openblas_get_num_threads", "openblas_set_num_threads"),
    ]
    for path in sorted(paths):
        if not path.endswith(".so") and ".so." not in path:
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for get_name, set_name in names:
            get_f = getattr(lib, get_name, None)
            set_f = getattr(lib, set_name, None)
            if get_f is not None and set_f is not None:
                get_f.restype = ctypes.c_int
                set_f.argtypes = [ctypes.c_int]
                out.append((get_f, set_f))
                break
    return out


@contextlib.contextmanager
def blas_threads(n_threads: int | None):
    """Limit the BLAS thread pools to ``n_threads`` inside the block (``None``: no change).

    The Krylov and dense propagators call BLAS on small or memory-bound operands, where
    a second thread only adds synchronisation; on a machine whose cores are busy,
    multi-threaded OpenBLAS calls on small matrices were measured up to 40x slower.
    Talks to the OpenBLAS libraries loaded by NumPy and SciPy directly (Linux; about
    0.1 ms), else uses ``threadpoolctl`` when installed (MKL, BLIS, ...); otherwise it
    does nothing.
    """
    if n_threads is None:
        yield
        return
    handles = _openblas_handles()
    if not handles:
        try:
            import threadpoolctl
        except ImportError:
            yield
            return
        with threadpoolctl.threadpool_limits(limits=int(n_threads), user_api="blas"):
            yield
        return
    saved = []
    for get_f, set_f in handles:
        try:
            saved.append((set_f, int(get_f())))
            set_f(int(n_threads))
        except Exception:  # pragma: no cover - exotic builds
            continue
    try:
        yield
    finally:
        for set_f, k in saved:
            set_f(k)


# ----------------------------------------------------------------------------- the propagator


_INV_FACT = np.array([1 / math.factorial(j) for j in range(22)])


def _phi12(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`\varphi_1(z) = (e^z-1)/z` and :math:`\varphi_2(z) = (e^z-1-z)/z^2`, elementwise.

    Taylor series (19 terms, Horner) for :math:`|z| < 1/2`, the closed forms elsewhere
    (where the cancellation costs at most a factor 4 of round-off).
    """
    z = np.asarray(z, dtype=complex)
    small = np.abs(z) < 0.5
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.expm1(z)
        p1 = e / z
        p2 = (e - z) / (z * z)
    if small.any():
        zs = z[small]
        s1 = np.full(zs.shape, _INV_FACT[20], dtype=complex)
        s2 = np.full(zs.shape, _INV_FACT[21], dtype=complex)
        for j in range(18, -1, -1):
            s1 = s1 * zs + _INV_FACT[j + 1]
            s2 = s2 * zs + _INV_FACT[j + 2]
        p1[small] = s1
        p2[small] = s2
    return p1, p2


class _Projected:
    r"""First columns of :math:`e^{\tau\bar H}` for many :math:`\tau` from one
    eigendecomposition :math:`H_k = S\Lambda S^{-1}`:

    .. math::

        e^{\tau H_k}e_1 = S(e^{\tau\lambda}\circ c),\quad
        [e^{\tau\bar H}]_{k+1,1} = h_{k+1,k}\,s_k^\top(\tau\varphi_1(\tau\lambda)\circ c),\quad
        [e^{\tau\bar H}]_{k+2,1} = h_{k+1,k}\,s_k^\top(\tau^2\varphi_2(\tau\lambda)\circ c),

    with :math:`c = S^{-1}e_1` and :math:`s_k^\top` the last row of :math:`S`.  Every
    :math:`\tau` then costs :math:`O(k^2)` instead of a matrix exponential, which makes
    large bases and a fine search for the step length cheap.  When :math:`S` is badly
    conditioned (or the result disagrees with :func:`scipy.linalg.expm` at the step
    length) the class falls back to ``expm`` of the augmented matrix.
    """

    def __init__(self, hbar: np.ndarray, k: int, augmented: bool, real: bool):
        self.k = k
        self.augmented = augmented
        self.real = real
        self.hsub = hbar if augmented else hbar[:k, :k]
        self.h_next = float(abs(hbar[k, k - 1])) if augmented else 0.0
        self.use_eig = False
        self.checked = False
        try:
            lam, s = scipy.linalg.eig(hbar[:k, :k], check_finite=False)
            with warnings.catch_warnings():  # singular S: detected by cond below
                warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
                s_inv = scipy.linalg.inv(s, check_finite=False)
            cond = np.abs(s).sum(axis=0).max() * np.abs(s_inv).sum(axis=0).max()
            if np.all(np.isfinite(lam)) and np.isfinite(cond) and cond < 1e8:
                self.lam = lam
                self.s = s
                self.c = s_inv[:, 0]
                col = np.linalg.norm(s, axis=0)
                # kappa_i = ||s_i|| ||w_i|| / |w_i^H s_i|, w_i^H the i-th row of S^{-1}
                self.kappa = col * np.linalg.norm(s_inv, axis=1)
                self.weight = col * np.abs(self.c)
                self.last = s[k - 1, :] * self.c * hbar[k, k - 1] if augmented else None
                self.use_eig = True
                # well-conditioned eigenvectors: the eigen-route is accurate to
                # ~cond * eps; only check it against expm when that is not negligible
                self.checked = cond < 1e4
        except (np.linalg.LinAlgError, ValueError):  # pragma: no cover - defective H
            self.use_eig = False

    def _cast(self, x: np.ndarray) -> np.ndarray:
        return x.real if self.real else x

    def columns(self, taus: np.ndarray) -> np.ndarray:
        """Array ``(k + 2, len(taus))`` (``(k, ...)`` without augmentation)."""
        taus = np.asarray(taus, dtype=float)
        if not self.use_eig:
            return (
                np.stack([scipy.linalg.expm(tau * self.hsub)[:, 0] for tau in taus], axis=1)
                if len(taus)
                else np.zeros((self.hsub.shape[0], 0))
            )
        z = np.outer(self.lam, taus)
        with np.errstate(over="ignore", invalid="ignore"):
            x = self.s @ (np.exp(z) * self.c[:, None])
        if not self.augmented:
            return self._cast(x)
        p1, p2 = _phi12(z)
        y = (self.last @ (p1 * taus)) if len(taus) else np.zeros(0)
        zz = (self.last @ (p2 * taus**2)) if len(taus) else np.zeros(0)
        return self._cast(np.vstack([x, y[None, :], zz[None, :]]))

    def errors(self, taus: np.ndarray, beta: float, avnorm: float) -> np.ndarray:
        """Expokit's local error estimate at each ``tau`` (zero without augmentation)."""
        taus = np.asarray(taus, dtype=float)
        if not self.augmented:
            return np.zeros(len(taus))
        if self.use_eig:
            z = np.outer(self.lam, taus)
            p1, p2 = _phi12(z)
            f_k = self.last @ (p1 * taus)
            f_k1 = self.last @ (p2 * taus**2)
        else:
            cols = self.columns(taus)
            f_k, f_k1 = cols[self.k], cols[self.k + 1]
        phi1 = np.abs(beta * f_k)
        phi2 = np.abs(beta * f_k1 * avnorm)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            mid = phi1 * phi2 / (phi1 - phi2)
        err = np.where(phi1 > 10 * phi2, phi2, np.where(phi1 > phi2, mid, phi1))
        return np.where(np.isfinite(err), err, np.inf)

    def roundoff(self, taus: np.ndarray, beta: float, hnorm: float) -> np.ndarray:
        r"""Round-off estimate at each ``tau`` (module docstring):
        :math:`\epsilon\|A\|\tau\beta + \beta\sum_i\|s_i\||c_i||e^{\tau\lambda_i}|
        (e^{\tau\delta_i}-1)`, :math:`\delta_i = \epsilon\|A\|\kappa_i` (the second term with
        the eigendecomposition only; ``expm`` of :math:`\bar H` has a backward error of the
        order of the first)."""
        taus = np.asarray(taus, dtype=float)
        out = _EPS * hnorm * taus * beta
        if self.use_eig and len(taus):
            delta = _EPS * hnorm * self.kappa
            with np.errstate(over="ignore", invalid="ignore"):
                growth = np.exp(np.outer(self.lam.real, taus)) * np.expm1(np.outer(delta, taus))
                out = out + beta * (self.weight @ growth)
            out = np.where(np.isnan(out), np.inf, out)
        return out

    def verify(self, tau: float, beta: float, tol: float) -> bool:
        """Does the eigen-route agree with ``expm`` at ``tau`` (within ``tol / beta``)?"""
        if not self.use_eig or self.checked:
            return True
        ref = scipy.linalg.expm(tau * self.hsub)[:, 0]
        got = self.columns(np.array([tau]))[:, 0]
        n = self.k + 1 if self.augmented else self.k
        if np.linalg.norm(ref[:n] - got[:n]) * beta <= tol:
            return True
        self.use_eig = False
        return False


def expm_krylov(
    matvec: Callable[[np.ndarray], np.ndarray],
    v: np.ndarray,
    times,
    *,
    tol: float = 1e-9,
    m: int = 40,
    anorm: float | None = None,
    out: np.ndarray | None = None,
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
    sink: Callable[[int, np.ndarray], None] | None = None,
    max_steps: int = 100_000,
) -> tuple[np.ndarray | None, KrylovInfo]:
    r"""Approximate :math:`e^{t_iA}v` for every ``t_i`` in ``times`` (non-decreasing, >= 0).

    Parameters
    ----------
    matvec:
        :math:`x\mapsto Ax` on 1-D arrays of the dtype of ``v`` (real ``v``: real ``A``).
    v:
        The initial vector.
    times:
        Output times relative to ``v`` (``0`` returns ``v``).
    tol:
        Target for the estimated 2-norm error at the last time (absolute; split over time
        as ``tol * tau / T`` per step, as Expokit does).
    m:
        Krylov basis size per step (the benchmark's choice is in :mod:`blendsym.evolve`).
    anorm:
        An estimate of :math:`\|A\|`, used for the round-off term of the error estimate
        (default: the norm of the projected matrices).
    out:
        Optional preallocated output array ``(len(times), N)``.
    transform:
        Optional map applied to each output vector before it is stored (then ``out`` has
        the transformed shape).
    sink:
        Optional ``sink(i, vector)`` receiving each output instead of an output array (the
        vector is a view that changes afterwards: copy what is kept).  Nothing of size
        ``len(times) x N`` is then allocated.
    max_steps:
        Refuse (:class:`~blendsym.errors.ResourceLimitError`) beyond this many steps, as
        soon as (after ``max_steps / 50`` steps) the mean length of the last 20 steps
        forecasts more.

    Returns
    -------
    (outputs, info): ``outputs[i]`` approximates :math:`e^{t_iA}v` (``None`` with
    ``sink``); ``info`` a :class:`KrylovInfo` with the number of applications and the error
    estimates.
    """
    t = check_times(times)
    v = np.asarray(v)
    if v.ndim != 1:
        raise InvalidArgumentError(f"v must be a 1-D array: found shape {v.shape}")
    dtype = np.result_type(v.dtype, np.float64)
    real = not np.issubdtype(dtype, np.complexfloating)
    n_dim = v.shape[0]
    m = int(max(1, min(m, n_dim)))
    if not tol > 0:
        raise InvalidArgumentError(f"tol must be positive: found {tol!r}")
    info = KrylovInfo(krylov_dim=m, output_errors=np.zeros(len(t)))

    if sink is not None:
        out = None

        def store(i, vec):
            sink(i, vec)

    else:
        if out is None:
            if transform is None:
                out = np.empty((len(t), n_dim), dtype=dtype)
            else:
                first = transform(np.asarray(v, dtype=dtype))
                out = np.empty((len(t),) + first.shape, dtype=first.dtype)

        def store(i, vec):
            out[i] = vec if transform is None else transform(vec)

    gemv = blas.get_blas_funcs("gemv", dtype=dtype)
    nrm2 = blas.get_blas_funcs("nrm2", dtype=dtype)
    trans_h = 1 if real else 2
    w = np.array(v, dtype=dtype)
    beta = float(nrm2(w))
    t_end = float(t[-1])
    i_out = 0
    while i_out < len(t) and t[i_out] == 0.0:
        store(i_out, w)
        i_out += 1
    if i_out == len(t):
        return out, info
    if beta == 0.0:
        for i in range(i_out, len(t)):
            store(i, w)
        return out, info

    tol_rate = tol / t_end  # allowed error per unit time
    delta = 1.2  # Expokit's safety factor on the local test
    basis = np.empty((n_dim, m + 1), dtype=dtype, order="F")
    # outputs of one step are combined from the basis 32 at a time (at most ~32 MB): never
    # an array of all the outputs of a step
    chunk = max(1, min(32, (32 << 20) // max(1, n_dim * np.dtype(dtype).itemsize)))
    t_now = 0.0
    err_sum = 0.0
    grid_base = 2.0 ** -np.arange(0, 24.0, 0.5)  # candidate step fractions, descending

    while i_out < len(t):
        if info.steps >= max(_FORECAST_AFTER, max_steps // 50):
            recent = info.step_sizes[-_FORECAST_AFTER:]
            forecast = info.steps + (t_end - t_now) / (sum(recent) / len(recent))
        else:
            forecast = info.steps
        if forecast > max_steps:
            raise ResourceLimitError(
                f"Krylov propagation would need about {forecast:.3g} steps, more than "
                f"max_steps={max_steps} (reached t = {t_now:.6g} of {t_end:.6g} in "
                f"{info.steps} steps of about {info.step_sizes[-1]:.3g} with m = {m}): use a "
                'larger Krylov basis (krylov_dim), a larger tol, or method="dense" for n <= 5'
            )
        # ------------------------------------------------ Arnoldi with CGS2 (BLAS gemv)
        hbar = np.zeros((m + 2, m + 2), dtype=dtype)
        basis[:, 0] = w / beta
        k = m
        breakdown = False
        for j in range(m):
            p = np.asarray(matvec(basis[:, j]), dtype=dtype)
            info.applications += 1
            pnorm = float(nrm2(p))
            vj = basis[:, : j + 1]
            h = gemv(1.0, vj, p, trans=trans_h)
            p = gemv(-1.0, vj, h, beta=1.0, y=p, overwrite_y=1)
            s = float(nrm2(p))
            if s < _REORTH * pnorm:  # DGKS: cancellation, orthogonalise once more
                h2 = gemv(1.0, vj, p, trans=trans_h)
                p = gemv(-1.0, vj, h2, beta=1.0, y=p, overwrite_y=1)
                h = h + h2
                s = float(nrm2(p))
                info.reorthogonalisations += 1
            hbar[: j + 1, j] = h
            if s <= 1e-13 * pnorm or s == 0.0:
                k = j + 1
                breakdown = True
                residual = s
                break
            hbar[j + 1, j] = s
            np.multiply(p, 1.0 / s, out=basis[:, j + 1])
        hnorm = anorm if anorm else float(np.abs(hbar[:k, :k]).sum(axis=0).max())
        if breakdown:
            # the neglected residual h_{k+1,k} (below the breakdown tolerance) still enters
            # the error estimate; ||A v_{k+1}|| <= ||A|| (no extra application)
            hbar = hbar[: k + 2, : k + 2].copy()
            hbar[k, k - 1] = residual
            hbar[k + 1, k] = 1.0
            avnorm = hnorm
        else:
            hbar[m + 1, m] = 1.0
            avnorm = float(nrm2(np.asarray(matvec(basis[:, m]), dtype=dtype)))
            info.applications += 1
        proj = _Projected(hbar, k, augmented=True, real=real)
        # a local error per unit time below the round-off rate cannot be reached
        rate = max(tol_rate, _EPS * hnorm * beta)

        # ------------------------------------------------ the longest acceptable step
        remaining = t_end - t_now
        tau = remaining
        if not breakdown:
            tau = _longest_step(proj, remaining, grid_base, beta, avnorm, rate, delta)
            if not proj.verify(tau, beta, 1e-3 * rate * tau):
                tau = _longest_step(proj, remaining, grid_base, beta, avnorm, rate, delta)
            if tau <= 1e-14 * t_end:
                raise InvalidArgumentError(
                    "Krylov step control failed: no step length meets the tolerance "
                    f"at t = {t_now:.6g}; raise m or tol"
                )
        mx = k if breakdown else m + 1
        last_step = tau >= remaining
        t_step_end = t_end if last_step else t_now + tau

        # ------------------------------------------------ outputs inside the step
        j_out = i_out
        while j_out < len(t) and (t[j_out] <= t_step_end):
            j_out += 1
        taus = np.append(np.minimum(t[i_out:j_out] - t_now, tau), tau)
        cols = proj.columns(taus)
        errs = proj.errors(taus, beta, avnorm) + proj.roundoff(taus, beta, hnorm)
        coef = beta * cols[:mx]
        for lo in range(0, len(taus), chunk):
            hi = min(len(taus), lo + chunk)
            vecs = basis[:, :mx] @ coef[:, lo:hi]
            for q in range(lo, hi):
                if q < len(taus) - 1:
                    store(i_out + q, vecs[:, q - lo])
                    info.output_errors[i_out + q] = err_sum + errs[q]
                else:
                    w = np.ascontiguousarray(vecs[:, q - lo])
        i_out = j_out

        # ------------------------------------------------ advance
        beta = float(nrm2(w))
        err_sum += float(errs[-1])
        info.steps += 1
        info.step_sizes.append(tau)
        t_now = t_step_end
        if breakdown:
            info.breakdown = True
        if beta == 0.0 or not np.isfinite(beta):
            for i in range(i_out, len(t)):
                store(i, w)
                info.output_errors[i] = err_sum
            break
    info.error_estimate = float(err_sum)
    return out, info


def _longest_step(proj, remaining, grid_base, beta, avnorm, tol_rate, delta) -> float:
    """The longest step (within 2%) whose error estimate meets ``delta * tau * tol_rate``.

    Scans a geometric grid of step lengths (factor sqrt 2) from ``remaining`` down, in blocks,
    keeps the longest length below which every grid point passes, then refines inside that
    bracket on a grid of ratio 2^(1/36) (one vectorised evaluation each).
    """
    top = remaining
    for _ in range(8):  # down to remaining * 2^-192 at most
        grid = top * grid_base
        bad = ~(proj.errors(grid, beta, avnorm) <= delta * grid * tol_rate)
        if not bad.any():
            if top == remaining:
                return remaining
            lo, hi = float(grid[0]), float(grid[0] * 2**0.5)
            break
        last_bad = int(np.nonzero(bad)[0].max())
        if last_bad + 1 < len(grid):
            lo, hi = float(grid[last_bad + 1]), float(grid[last_bad])
            break
        top = float(grid[-1] / 2**0.5)
    else:
        return 0.0
    fine = lo * (hi / lo) ** np.linspace(0.0, 1.0, 19)[1:-1]  # factor ~1.02 apart
    ok = proj.errors(fine, beta, avnorm) <= delta * fine * tol_rate
    passing = np.nonzero(ok)[0]
    return float(fine[passing[-1]]) if passing.size else lo
