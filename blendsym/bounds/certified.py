r"""Certified coupling gains: the smallest :math:`K_c` at which a theorem's
:math:`\eta`-promise is *proved* for one model, initial state and time window.

:meth:`TheoremBound.certified_kc` sits between the paper's :math:`K_c^*` (a bound valid for
every model with the same constants) and :meth:`TheoremBound.empirical_kc` (a simulation on
a grid, which can miss a violation between grid points or hide one in round-off).  At a
given gain the promise

.. math::  \operatorname{dist}(t) = \max_j\|E_j z(t)\|_F \le \eta
           \quad\text{for all } t\in[T_a, T_b]

is a statement about the linear system :math:`\dot z = Mz`, :math:`z = (\mathrm{vec}\rho,
w)`, :math:`M = \mathcal L(K_c)\oplus B` (the full Liouvillian of eq. (4) and the blended
generator that gives the target: :math:`\bar{\mathcal L}` for Theorem 2, the blended coherent
generator (17) for Theorem 3, :math:`0` for the constant :math:`\rho_r` of Theorem 1,
nothing for Theorem 4), and linear maps :math:`E_j` (partial trace minus target; state minus
lifted target; :math:`I - P_dP_d^\top`).  It is proved as follows.

1. **Enclosures on a grid** :math:`t_k = k\delta` with :math:`\delta\|M\|_\infty\le\frac12`:
   the step matrices :math:`e^{\delta M}` are enclosed entry by entry (midpoint-radius
   interval arithmetic in double precision, S. M. Rump's rounding bounds
   :math:`|\mathrm{fl}(AB)-AB|\le\gamma_{n}|A||B|`) by the Taylor polynomial of degree 16
   plus the remainder :math:`\frac{m^{17}}{17!}\frac1{1-m/18}`, :math:`m = \|\delta M\|_\infty`;
   the state is propagated as an interval vector from :math:`z(0)` (whose radius covers the
   rounding of the exact data: the exact local Liouvillian, :math:`\rho(0)` and the target
   are evaluated at 30 digits and rounded once).  At each :math:`t_k` this gives a rigorous
   upper bound :math:`u_k\ge\operatorname{dist}(t_k)`.
   In the window the grid is :data:`WINDOW_SUBSTEPS` times finer.
2. **A derivative bound between grid points**: for :math:`s = t_k+\tau`,
   :math:`\tau\in[0,\delta]`, :math:`\frac{d}{ds}E_jz(s) = E_je^{\tau M}Mz(t_k)`, so
   :math:`\operatorname{dist}(s)\le u_k + \delta\,\|E\|_2\,e^{\delta\|M\|_2}\,\|Mz(t_k)\|`
   with :math:`\|X\|_2\le\sqrt{\|X\|_1\|X\|_\infty}` and :math:`\|Mz(t_k)\|` bounded from the
   enclosure.  :math:`\|Mz(t_k)\|` is the actual rate of change (small once the network has
   synchronised), not :math:`\|M\|`, which grows like :math:`K_c`.

The promise is proved at :math:`K_c` when every grid interval meeting :math:`[T_a,T_b]`
passes.  :meth:`~TheoremBound.certified_kc` searches the smallest such gain by geometric
bisection (to ``rtol``), assuming, like :meth:`~TheoremBound.empirical_kc`, that the
property is monotone in the gain over the bracket.  The cost grows with :math:`K_c` (the
grid step is :math:`\sim 1/\|M\|`); the dense enclosures limit it to :math:`n\le4`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import sympy

from ..errors import NotComputableError

__all__ = ["LinearPromise", "certify", "CERTIFY_MAX_QUBITS", "TAYLOR_DEGREE"]

#: The dense interval enclosures need :math:`4^n\times4^n` matrices.
CERTIFY_MAX_QUBITS = 4
#: Degree of the Taylor polynomial of :math:`e^{\delta M}` (remainder below 1e-20).
TAYLOR_DEGREE = 16
#: The grid in the window is this many times finer than outside it.
WINDOW_SUBSTEPS = 16
#: Grid steps at most (beyond: :class:`NotComputableError`, the gain is too large to certify).
CERTIFY_MAX_STEPS = 2_000_000

_U = 2.0**-53
_TINY = 1e-300


def _gamma(n: int) -> float:
    k = 3 * (n + 4) * _U
    return k / (1 - k)


def _exact_to_float(m) -> tuple[np.ndarray, np.ndarray]:
    """Midpoint and radius of an exact (SymPy) matrix rounded once from 30 digits."""
    if isinstance(m, sympy.SparseMatrix) or hasattr(m, "todok"):
        mid = np.zeros(m.shape, dtype=complex)
        for (i, j), v in m.todok().items():
            mid[i, j] = complex(sympy.N(v, 30))
    else:
        mid = np.array(sympy.Matrix(m).evalf(30).tolist(), dtype=complex)
    return mid, _U * np.abs(mid) * 2 + 1e-30 * (mid != 0)


def _imul(am, ar, bm, br):
    """Enclosure of the product of interval matrices (midpoint, radius)."""
    n = am.shape[1]
    cm = am @ bm
    aa, ab = np.abs(am), np.abs(bm)
    cr = aa @ br + ar @ (ab + br) + _gamma(n) * (aa @ ab)
    return cm, cr * (1 + 4 * (n + 2) * _U) + _TINY


def _inorm_inf(m, r) -> float:
    return float((np.abs(m) + r).sum(axis=1).max() * (1 + 1e-12)) if m.size else 0.0


def _inorm_1(m, r) -> float:
    return float((np.abs(m) + r).sum(axis=0).max() * (1 + 1e-12)) if m.size else 0.0


def _expm_enclosure(mm, mr, delta: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Entrywise enclosure of :math:`e^{\delta M}` for :math:`M\in[mm\pm mr]`."""
    n = mm.shape[0]
    am = mm * delta
    ar = mr * delta * (1 + 2 * _U) + _U * np.abs(am)
    m = _inorm_inf(am, ar)
    if m > 0.5 + 1e-12:  # pragma: no cover - the caller chose delta
        raise NotComputableError(f"internal: ||delta M|| = {m:.3g} > 1/2")
    tm = np.eye(n, dtype=complex)
    tr = np.zeros((n, n))
    term_m, term_r = tm.copy(), tr.copy()
    for k in range(1, TAYLOR_DEGREE + 1):
        term_m, term_r = _imul(term_m, term_r, am, ar)
        term_m = term_m / k
        term_r = term_r / k + _U * np.abs(term_m)
        tm = tm + term_m
        tr = tr + term_r + _U * np.abs(tm)
    k1 = TAYLOR_DEGREE + 1
    rem = m**k1 / math.factorial(k1) / (1 - m / (k1 + 1))
    return tm, tr + rem * (1 + 1e-12) + _TINY


class _IMat:
    """An interval matrix (midpoint, radius) with what its products need precomputed."""

    def __init__(self, mid, rad):
        self.mid = mid
        self.rad = rad
        self.abs = np.abs(mid)
        n = mid.shape[1] if mid.ndim == 2 else 1
        self.gamma = _gamma(n)
        self.inflate = 1 + 4 * (n + 2) * _U

    def matvec(self, zm, zr):
        out = self.mid @ zm
        az = np.abs(zm)
        rad = self.abs @ (zr + self.gamma * az) + self.rad @ (az + zr)
        return out, rad * self.inflate + _TINY


def _imatvec(tm, tr, zm, zr):
    return _IMat(tm, tr).matvec(zm, zr)


@dataclass
class LinearPromise:
    r"""The promise :math:`\max_j\|F_j y(t) - w(t)\|_F\le\eta` (or
    :math:`\max_j\|F_jy(t)\|_F` without a target) on :math:`[T_a, T_b]` for
    :math:`\dot y = \mathcal L(K_c)y`, :math:`\dot w = Bw` (module docstring).

    ``local``, ``swap``, ``b``: midpoint and radius of the gain-independent part, the SWAP
    part and :math:`B` (:math:`0\times0` without a target); ``y0``, ``w0``: midpoint and
    radius; ``maps``: the :math:`F_j` (real matrices), each with
    :math:`\|F_jX\|_F\le\|X\|_1` (partial traces, the identity, :math:`I-P_dP_d^\top`);
    ``dims``: the matrix sizes of :math:`y` and :math:`w`.  Both :math:`e^{t\mathcal L}` and
    :math:`e^{tB}` are trace preserving completely positive (Lindblad generators), so they
    do not increase the trace norm of a Hermitian error.
    """

    local: tuple[np.ndarray, np.ndarray]
    swap: tuple[np.ndarray, np.ndarray]
    y0: tuple[np.ndarray, np.ndarray]
    b: tuple[np.ndarray, np.ndarray]
    w0: tuple[np.ndarray, np.ndarray]
    maps: list
    eta: float
    window: tuple[float, float]
    dims: tuple[int, int]

    def e_norm(self) -> float:
        r"""An upper bound of :math:`\max_j\|F_j\|_2` (:math:`\sqrt{\|F\|_1\|F\|_\infty}`)."""
        z = np.zeros
        return max(
            math.sqrt(_inorm_1(f, z(f.shape)) * _inorm_inf(f, z(f.shape))) for f in self.maps
        )


def _herm(v: np.ndarray, d: int) -> tuple[np.ndarray, float]:
    """The Hermitian part of the matrix ``v`` (row-stacked) and the Frobenius norm of its
    rounding error."""
    m = v.reshape(d, d)
    h = (m + m.conj().T) / 2
    return h.ravel(), float(_U * np.linalg.norm(h) * 2)


class _State:
    r"""A midpoint state and a bound :math:`\epsilon` of the trace norm of its error."""

    def __init__(self, mid, rad, d: int):
        self.d = d
        self.mid, extra = _herm(np.asarray(mid, dtype=complex), d)
        self.err = math.sqrt(d) * (float(np.linalg.norm(rad)) + extra)

    def step(self, p: _IMat) -> None:
        az = np.abs(self.mid)
        new = p.mid @ self.mid
        local = float(np.linalg.norm(p.rad @ az + p.gamma * (p.abs @ az))) * p.inflate
        self.mid, extra = _herm(new, self.d)
        # the exact step is a trace preserving CP map: ||P e||_1 <= ||e||_1 (Hermitian e)
        self.err += math.sqrt(self.d) * (local + extra) + _TINY


def certify(promise: LinearPromise, kc: float) -> tuple[bool, float]:
    """``(proved, worst)``: whether the promise is proved at gain ``kc`` and the largest
    bound of the distance met in the window (module docstring).  Small dense products: run
    with one BLAS thread (many threads on small matrices are slower, much slower on a
    loaded machine)."""
    from ..numeric.krylov import blas_threads

    with blas_threads(1):
        return _certify(promise, kc)


def _certify(promise: LinearPromise, kc: float) -> tuple[bool, float]:
    lm, lr = promise.local
    sm, sr = promise.swap
    am = lm + kc * sm
    ar = lr + kc * sr * (1 + 2 * _U) + 2 * _U * np.abs(am) + _TINY
    bm, br = promise.b
    has_w = bm.size > 0
    t_a, t_b = promise.window
    norm_inf = max(_inorm_inf(am, ar), _inorm_inf(bm, br) if has_w else 0.0)
    n_steps = max(1, math.ceil(2.0 * norm_inf * t_b * (1 + 1e-9)))
    delta = t_b / n_steps
    # coarse steps up to the last grid point before the window, then WINDOW_SUBSTEPS times
    # finer ones through it: the derivative term stays a small fraction of the distance
    k_c = min(n_steps, int(math.floor(t_a / delta * (1 + 1e-12)))) if t_a > 0 else 0
    t_c = k_c * delta
    n_f = max(1, math.ceil(2.0 * WINDOW_SUBSTEPS * norm_inf * (t_b - t_c) * (1 + 1e-9)))
    if k_c + n_f > CERTIFY_MAX_STEPS:
        raise NotComputableError(
            f"certifying at K_c = {kc:.6g} needs {k_c + n_f} grid steps (||L||_inf T = "
            f"{norm_inf * t_b:.3g}): more than {CERTIFY_MAX_STEPS}"
        )
    delta_f = (t_b - t_c) / n_f
    dy, dw = promise.dims
    norm2_a = math.sqrt(_inorm_1(am, ar) * _inorm_inf(am, ar))
    norm2_b = math.sqrt(_inorm_1(bm, br) * _inorm_inf(bm, br)) if has_w else 0.0
    # ||F_j e^{tau L} X||_F <= min(||F_j||_2 e^{tau ||L||}, ||X||_1 / ||X||_F) ||X||_F
    factor_y = min(promise.e_norm() * math.exp(delta_f * norm2_a), math.sqrt(dy)) * (1 + 1e-12)
    factor_w = math.sqrt(dw) * (1 + 1e-12)
    maps = [(f, np.abs(f), _gamma(f.shape[1])) for f in promise.maps]
    y = _State(*promise.y0, dy)
    w = _State(*promise.w0, dw) if has_w else None
    gen_a = _IMat(am, ar)
    gen_b = _IMat(bm, br) if has_w else None
    if k_c:
        pa = _IMat(*_expm_enclosure(am, ar, delta))
        pb = _IMat(*_expm_enclosure(bm, br, delta)) if has_w else None
        for _ in range(k_c):
            y.step(pa)
            if w is not None and pb is not None:
                w.step(pb)
    fa = _IMat(*_expm_enclosure(am, ar, delta_f))
    fb = _IMat(*_expm_enclosure(bm, br, delta_f)) if has_w else None
    worst = 0.0
    for k in range(n_f + 1):
        t0 = t_c + k * delta_f
        if t0 + delta_f >= t_a - 1e-15:
            errors = y.err + (w.err if w is not None else 0.0)
            up = 0.0
            ay = np.abs(y.mid)
            for f, af, gam in maps:
                d = f @ y.mid
                r = gam * (af @ ay)
                if w is not None:
                    d = d - w.mid
                    r = r + _U * np.abs(d)
                up = max(up, float(np.linalg.norm(d) * (1 + 1e-12) + np.linalg.norm(r) * 1.01))
            up += errors
            if k < n_f:
                dym, dyr = gen_a.matvec(y.mid, np.zeros(len(y.mid)))
                rate: float = factor_y * float(
                    np.linalg.norm(dym) + np.linalg.norm(dyr) + norm2_a * y.err
                )
                if w is not None and gen_b is not None:
                    dwm, dwr = gen_b.matvec(w.mid, np.zeros(len(w.mid)))
                    rate += factor_w * float(
                        np.linalg.norm(dwm) + np.linalg.norm(dwr) + norm2_b * w.err
                    )
                up += delta_f * rate * (1 + 1e-12)
            worst = max(worst, up)
            if worst > promise.eta:
                return False, float(worst)
        if k < n_f:
            y.step(fa)
            if w is not None and fb is not None:
                w.step(fb)
    return True, float(worst)


# ----------------------------------------------------------------------------- builders


def _partial_trace_maps(n: int) -> list[np.ndarray]:
    r"""The row-stacked partial traces :math:`\mathrm{vec}\,\rho\mapsto\mathrm{vec}\,\rho_j`
    (0/1 matrices :math:`4\times4^n`)."""
    d = 2**n
    maps = []
    for j in range(1, n + 1):
        m = np.zeros((4, d * d))
        shift = n - j
        for l_ in range(d):
            for lp in range(d):
                rest_l = (l_ >> (shift + 1) << shift) | (l_ & ((1 << shift) - 1))
                rest_lp = (lp >> (shift + 1) << shift) | (lp & ((1 << shift) - 1))
                if rest_l != rest_lp:
                    continue
                a = (l_ >> shift) & 1
                b = (lp >> shift) & 1
                m[2 * a + b, l_ * d + lp] = 1.0
        maps.append(m)
    return maps


def _network_parts(net) -> tuple:
    if net.n > CERTIFY_MAX_QUBITS:
        raise NotComputableError(
            f"certified_kc uses dense 4^n x 4^n interval enclosures: n <= {CERTIFY_MAX_QUBITS}, "
            f"found n = {net.n}"
        )
    local = _exact_to_float(net.exact().local_liouvillian("sympy"))
    swap_exact = net.exact().swap_liouvillian("sympy")
    swap = _exact_to_float(swap_exact)
    return local, swap


def _state(rho) -> tuple[np.ndarray, np.ndarray]:
    from ..model.rationalize import rationalize_expr

    if isinstance(rho, sympy.MatrixBase):
        mid, rad = _exact_to_float(sympy.Matrix(rho).applyfunc(rationalize_expr))
    else:
        mid = np.asarray(rho, dtype=complex)
        rad = np.zeros(mid.shape)  # a float state is the state: exact as given
    return mid.ravel(), rad.ravel()


def reduced_state_promise(net, rho0, target, generator, eta, window) -> LinearPromise:
    r"""Theorems 1-2: :math:`F_jy = \mathrm{vec}\,\rho_j` (partial traces) against
    :math:`w`, :math:`\dot w = \bar{\mathcal L}w` (``generator``, exact) or the constant
    ``target`` (``generator=None``, :math:`B = 0`)."""
    local, swap = _network_parts(net)
    y0 = _state(rho0)
    w0 = _state(target)
    if generator is None:
        b = (np.zeros((4, 4), dtype=complex), np.zeros((4, 4)))
    else:
        b = _exact_to_float(generator)
    maps = _partial_trace_maps(net.n)
    return LinearPromise(local, swap, y0, b, w0, maps, float(eta), tuple(window), (2**net.n, 2))


def coherent_promise(net, rho0, coh, eta, window, lifted: bool) -> LinearPromise:
    r"""Theorem 3 (``lifted``: :math:`F = I` against :math:`w = P_d\mathbf y_d`, which obeys
    :math:`\dot w = P_dBP_d^\top w`, the permutation average of :math:`A_d`, a Lindblad
    generator; :math:`w(0) = P_dP_d^\top y(0)`) and Theorem 4 (:math:`F = I - P_dP_d^\top`,
    no target)."""
    local, swap = _network_parts(net)
    y0 = _state(rho0)
    pd = coh.induced.P_d
    pd = (pd.toarray() if sp.issparse(pd) else np.asarray(pd)).astype(float)
    pr = 2 * _U * np.abs(pd) + _TINY * (pd != 0)
    size = pd.shape[0]
    dim = 2**net.n
    proj_m, proj_r = _imul(pd, pr, pd.T, pr.T)
    if lifted:
        bm, br = _exact_to_float(coh.generator)
        t1m, t1r = _imul(pd.astype(complex), pr, bm, br)
        lm, lr = _imul(t1m, t1r, pd.T.astype(complex), pr.T)
        wm, wr = _imatvec(proj_m.astype(complex), proj_r, *y0)
        return LinearPromise(
            local,
            swap,
            y0,
            (lm, lr),
            (wm, wr),
            [np.eye(size)],
            float(eta),
            tuple(window),
            (dim, dim),
        )
    e_m = np.eye(size) - proj_m  # radius (1e-16) absorbed below by the 1 % margin on r
    empty = (np.zeros((0, 0), dtype=complex), np.zeros((0, 0)))
    return LinearPromise(
        local,
        swap,
        y0,
        empty,
        (np.zeros(0, dtype=complex), np.zeros(0)),
        [e_m],
        float(eta),
        tuple(window),
        (dim, 1),
    )


def certified_search(
    ok: Callable[[float], bool], start: float, cap: float, rtol: float
) -> tuple[float, float]:
    """``(lo, hi)``: a gain where ``ok`` fails (or ``start``) and the first found where it
    holds, searching upward from ``start`` by factors of 2 up to ``cap``."""
    lo = start
    if ok(lo):
        return lo, lo
    hi = lo
    while True:
        hi = min(hi * 2, cap)
        if ok(hi):
            return lo, hi
        if hi >= cap:
            raise NotComputableError(
                f"the promise could not be certified at any gain up to {cap:.6g} (the bound "
                "K_c* of the theorem): the enclosures may be too wide for this window"
            )
        lo = hi
