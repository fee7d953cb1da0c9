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

1. **A base step and its powers.**  The base step :math:`\delta` satisfies
   :math:`\delta\|M\|_\infty\le\frac12` and :math:`\delta\le(T_b-T_a)/1024`
   (:data:`WINDOW_BASE_STEPS`), and :math:`T_a = q\delta` (up to a few ulps below; checked
   in exact rational arithmetic, :func:`_grid`).  :math:`e^{\delta M}` is enclosed entry by
   entry (midpoint-radius interval arithmetic in double precision, S. M. Rump's rounding
   bounds :math:`|\mathrm{fl}(AB)-AB|\le\gamma_{n}|A||B|`) by the Taylor polynomial of
   degree 16 plus the remainder :math:`\frac{m^{17}}{17!}\frac1{1-m/18}`,
   :math:`m = \|\delta M\|_\infty`.  It is then carried as a midpoint and a bound
   :math:`\epsilon` of the error in the norm induced by the trace norm,
   :math:`\|X\|_{1\to1}\le\sqrt d\,\|X\|_2`.  The steps :math:`e^{2^\ell\delta M}` are its
   repeated squares: the exact steps are completely positive and trace preserving
   (Lindblad generators), so :math:`\|P\|_{1\to1} = 1` (Russo-Dye) and the error of a
   square is at most :math:`2\epsilon+\epsilon^2` plus its rounding.  Interval powers
   would blow up like :math:`e^{t\||M|\|}`; these errors grow only linearly in the number
   of base steps.
2. **The state**: the midpoint of :math:`z` is propagated with a bound of the trace norm of
   its error (from :math:`z(0)`, whose radius covers the rounding of the exact data: the
   exact Liouvillian, :math:`\rho(0)` and the target are evaluated at 30 digits and rounded
   once), to :math:`T_a` by the binary digits of :math:`q`, then through the window in
   steps :math:`h = 2^\ell\delta`.  At each grid point :math:`t` this gives a rigorous upper
   bound :math:`u(t)\ge\operatorname{dist}(t)`.
3. **Between grid points**, for :math:`f_j = E_jz` on :math:`[t, t+h]`,
   :math:`f_j(t+\tau)` differs from the chord between its end values by at most
   :math:`\frac{\tau(h-\tau)}2\sup\|f_j''\|` (Green's function of the second derivative,
   valid for vector-valued functions), so

   .. math:: \operatorname{dist}\le\min\Big(u(t)+h\sup\|f'\|,\
             \max\big(u(t),u(t+h)\big)+\frac{h^2}8\sup\|f''\|\Big),

   with :math:`f_j'' = E_je^{\tau M}M^2z(t)` bounded by
   :math:`\min(\|E_j\|_2e^{\tau\mu_2(M)},\sqrt d)\,\|M^2z(t)\|` (:math:`\mu_2` the
   logarithmic norm, of the order of the local rates whatever :math:`K_c`, and
   :math:`\|M^2z(t)\|` from the enclosure: the curvature of the actual trajectory, small
   once the network has synchronised, not :math:`\|M\|^2`).  The window's :math:`\ell` is
   chosen so that :math:`\frac{h^2}8\sup\|f''\|` is at most 1 % of :math:`\eta` at
   :math:`T_a` (:data:`CURVATURE_FRACTION`), and lowered when a step fails on that term
   alone.

The promise is proved at :math:`K_c` when every step of the window passes; the window
checked contains :math:`[T_a, T_b]` (it ends less than :math:`\delta` after :math:`T_b`).
:meth:`~TheoremBound.certified_kc` searches the smallest such gain (to ``rtol``), assuming,
like :meth:`~TheoremBound.empirical_kc`, that the property is monotone in the gain over the
bracket.  The bounds found are within 0.1-0.4 % of the largest distance of a fine simulation
on the paper's examples.

**Cost** (a shared 2-core machine, one BLAS thread, ``python -m benchmarks kc_table``): one
Taylor enclosure (16 interval products of :math:`4^n\times4^n` matrices), a few squarings
and one matrix-vector product per step of the window.  For :math:`n\le4` a whole
``certified_kc()`` takes under a second; at :math:`n = 5` (:math:`1024\times1024`) one
certification takes 6-15 s (5.4 s of it the enclosure) and ``certified_kc()`` 33 s
(a 5-qubit ring, Theorem 2, :math:`K_c\approx13`), 48 s (Example 3 at :math:`n = 5`,
Theorem 4) and 130 s (Theorem 3, :math:`K_c\approx20`, where the target is
:math:`1024\times1024` too).  :data:`blendsym.limits.CERTIFY_MAX_QUBITS` is 5: at
:math:`n = 6` the products are 64 times dearer (about 6 min per enclosure, extrapolated)
and each matrix takes 256 MB.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import sympy

from ..errors import NotComputableError

__all__ = ["LinearPromise", "certify", "TAYLOR_DEGREE"]

#: Degree of the Taylor polynomial of :math:`e^{\delta M}` (remainder below 1e-20).
TAYLOR_DEGREE = 16
#: The base step is at most the window's length over this (and :math:`1/(2\|M\|_\infty)`).
WINDOW_BASE_STEPS = 1024
#: The window is walked in at least this many steps (when the base grid has that many).
WINDOW_MIN_STEPS = 64
#: The window's step :math:`h` is chosen so that the interpolation term
#: :math:`\frac{h^2}8\sup\|f''\|` is at most this fraction of :math:`\eta` at its start.
CURVATURE_FRACTION = 0.01
#: State steps in the window at most (the step is lengthened to stay below).
CERTIFY_MAX_STEPS = 200_000
#: Base steps :math:`\delta` on :math:`[0, T_b]` at most :math:`2^{48}` (beyond:
#: :class:`NotComputableError`, the gain is too large to certify).
CERTIFY_MAX_LEVELS = 48

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


def _log_norm(m, r) -> float:
    r"""An upper bound of the logarithmic 2-norm :math:`\mu_2(A) = \lambda_{\max}((A+A^\dagger)/2)`
    of every :math:`A` in :math:`[m\pm r]` (Gershgorin discs of the Hermitian part), so that
    :math:`\|e^{\tau A}\|_2\le e^{\tau\mu_2(A)}`.  Of order the local rates for the
    generators here, whatever :math:`K_c` (the Hermitian part of each SWAP dissipator,
    :math:`(W+W^\dagger)/2-I` with :math:`W` a permutation matrix, has discs in
    :math:`(-\infty, 0]`)."""
    if not m.size:
        return 0.0
    h = (m + m.conj().T) / 2
    hr = (r + r.T) / 2
    off = np.abs(h) + hr
    np.fill_diagonal(off, 0.0)
    disc = m.diagonal().real + r.diagonal() + off.sum(axis=1)
    return float(disc.max() + 1e-12 * (np.abs(m).sum(axis=1).max() + r.sum(axis=1).max()))


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


class _Step:
    r"""A step :math:`P = e^{hX}` of a Lindblad generator :math:`X` (so :math:`P` is
    completely positive and trace preserving, :math:`\|P\|_{1\to1} = 1` on all matrices by
    the Russo-Dye theorem applied to the unital dual) as a double-precision midpoint ``mid``
    and a bound ``eps`` of :math:`\|P - \mathrm{mid}\|_{1\to1}`, the norm induced by the
    trace norm on :math:`d\times d` matrices.  ``level``: :math:`h = 2^{\text{level}}\delta`."""

    def __init__(self, mid: np.ndarray, eps: float, d: int, level: int) -> None:
        self.mid = mid
        self.eps = eps
        self.d = d
        self.level = level
        self.abs = np.abs(mid)
        self.gamma = _gamma(mid.shape[1])
        self.inflate = 1 + 4 * (mid.shape[1] + 2) * _U

    @classmethod
    def from_enclosure(cls, mid, rad, d: int) -> _Step:
        r""":math:`\|X\|_{1\to1}\le\sqrt d\,\|X\|_2\le\sqrt d\sqrt{\|R\|_1\|R\|_\infty}` for
        :math:`|X|\le R` entrywise (:math:`\|X(A)\|_1\le\sqrt d\|X(A)\|_F`,
        :math:`\|A\|_F\le\|A\|_1`)."""
        z = np.zeros(rad.shape)
        eps = math.sqrt(d) * math.sqrt(_inorm_1(rad, z) * _inorm_inf(rad, z)) * (1 + 1e-12)
        return cls(mid, eps + _TINY, d, 0)

    def squared(self) -> _Step:
        r""":math:`P^2` (the step of twice the length): with :math:`P = \mathrm{mid}+E`,
        :math:`P^2-\mathrm{mid}^2 = PE + E\,\mathrm{mid}`, so the error grows to
        :math:`2\epsilon+\epsilon^2` plus the rounding of the product,
        :math:`|\mathrm{fl}(AB)-AB|\le\gamma|A||B|` (row and column sums of
        :math:`|A||B|` by two products with a vector of ones)."""
        mid = self.mid @ self.mid
        ones = np.ones(self.abs.shape[0])
        rows = float((self.abs @ (self.abs @ ones)).max())
        cols = float((ones @ self.abs @ self.abs).max())
        rnd = self.gamma * math.sqrt(rows * cols) * (1 + 4 * (len(ones) + 2) * _U)
        eps = (2 * self.eps + self.eps**2 + math.sqrt(self.d) * rnd) * (1 + 1e-12) + _TINY
        return _Step(mid, eps, self.d, self.level + 1)


def _herm(v: np.ndarray, d: int) -> tuple[np.ndarray, float]:
    """The Hermitian part of the matrix ``v`` (row-stacked) and the Frobenius norm of its
    rounding error."""
    m = v.reshape(d, d)
    h = (m + m.conj().T) / 2
    return h.ravel(), float(_U * np.linalg.norm(h) * 2)


class _State:
    r"""A midpoint state and a bound ``err`` of the trace norm of its error (the exact state
    is Hermitian, so replacing the midpoint by its Hermitian part never increases it)."""

    def __init__(self, mid, rad, d: int):
        self.d = d
        self.mid, extra = _herm(np.asarray(mid, dtype=complex), d)
        self.err = math.sqrt(d) * (float(np.linalg.norm(rad)) + extra)

    def copy(self) -> _State:
        out = object.__new__(_State)
        out.d, out.mid, out.err = self.d, self.mid.copy(), self.err
        return out

    def step(self, p: _Step) -> None:
        r""":math:`Py-\mathrm{fl}(\mathrm{mid}_P\,\mathrm{mid}_y) = P(y-\mathrm{mid}_y)
        + (P-\mathrm{mid}_P)\mathrm{mid}_y` + rounding: the error grows by at most
        :math:`\epsilon_P\|\mathrm{mid}_y\|_1` plus the rounding (:math:`\|P\|_{1\to1}=1`)."""
        sq = math.sqrt(self.d)
        az = np.abs(self.mid)
        new = p.mid @ self.mid
        local = float(np.linalg.norm(p.gamma * (p.abs @ az))) * p.inflate
        mid_1 = sq * float(np.linalg.norm(self.mid)) * (1 + 1e-12)  # ||mid||_1 <= sqrt(d)||mid||_F
        self.mid, extra = _herm(new, self.d)
        self.err += p.eps * mid_1 + sq * (local + extra) + _TINY


def certify(promise: LinearPromise, kc: float) -> tuple[bool, float]:
    """``(proved, worst)``: whether the promise is proved at gain ``kc`` and the largest
    bound of the distance met in the window (module docstring).  Dense products: run with
    one BLAS thread (many threads on these sizes are slower, much slower on a loaded
    machine)."""
    from ..numeric.krylov import blas_threads

    with blas_threads(1):
        return _Certifier(promise, kc).run()


def _grid(t_a: float, t_b: float, base: float) -> tuple[float, int, int]:
    r"""``(delta, q, n)``, :math:`\delta\le` ``base``: :math:`q` steps reach :math:`t_0 =
    q\delta\le T_a` and :math:`n` more :math:`t_0+n\delta\ge T_b`, in exact arithmetic
    (checked with fractions).  The window checked, :math:`[t_0, t_0+n\delta]`, contains
    :math:`[T_a, T_b]`; it starts a few ulps before :math:`T_a` and ends less than
    :math:`\delta` after :math:`T_b`."""
    from fractions import Fraction

    if t_a > 0:
        q = max(1, math.ceil(t_a / base * (1 + 1e-9)))
        delta = t_a / q
        while Fraction(q) * Fraction(delta) > Fraction(t_a):
            delta = math.nextafter(delta, 0.0)
    else:
        q = 0
        n = max(1, math.ceil(t_b / base * (1 + 1e-9)))
        delta = t_b / n
    start = Fraction(q) * Fraction(delta)
    n = max(1, math.ceil((t_b - float(start)) / delta))
    while start + n * Fraction(delta) < Fraction(t_b):
        n += 1
    return delta, q, n


class _Certifier:
    """One certification run at one gain (module docstring, steps 1-3)."""

    def __init__(self, promise: LinearPromise, kc: float) -> None:
        self.promise = promise
        lm, lr = promise.local
        sm, sr = promise.swap
        am = lm + kc * sm
        ar = lr + kc * sr * (1 + 2 * _U) + 2 * _U * np.abs(am) + _TINY
        bm, br = promise.b
        self.has_w = bm.size > 0
        t_a, t_b = promise.window
        norm_inf = max(_inorm_inf(am, ar), _inorm_inf(bm, br) if self.has_w else 0.0)
        base = 0.5 / norm_inf if norm_inf > 0 else max(t_b, 1.0)
        length = t_b - t_a if t_b > t_a else base  # a one-point window: prove one step more
        base = min(base, length / WINDOW_BASE_STEPS)
        if max(length, t_a) / base > 2**CERTIFY_MAX_LEVELS:
            raise NotComputableError(
                f"certifying at K_c = {kc:.6g} needs base steps 1/(2||L||_inf) = {base:.3g} on "
                f"[0, {t_b:.6g}]: more than 2^{CERTIFY_MAX_LEVELS} of them"
            )
        self.delta, self.q, self.n_w = _grid(t_a, t_a + length, base)
        dy, dw = promise.dims
        self.gen_a = _IMat(am, ar)
        self.gen_b = _IMat(bm, br) if self.has_w else None
        self.norm2_a = math.sqrt(_inorm_1(am, ar) * _inorm_inf(am, ar))
        self.norm2_b = math.sqrt(_inorm_1(bm, br) * _inorm_inf(bm, br)) if self.has_w else 0.0
        self.mu_a = _log_norm(am, ar)
        self.mu_b = _log_norm(bm, br) if self.has_w else 0.0
        self.e_norm = promise.e_norm()
        self.sqrt_dy = math.sqrt(dy) * (1 + 1e-12)
        self.sqrt_dw = math.sqrt(dw) * (1 + 1e-12)
        self.maps = [(f, np.abs(f), _gamma(f.shape[1])) for f in promise.maps]
        self.steps_y = [_Step.from_enclosure(*_expm_enclosure(am, ar, self.delta), dy)]
        self.steps_w = (
            [_Step.from_enclosure(*_expm_enclosure(bm, br, self.delta), dw)] if self.has_w else []
        )
        # the window is walked in steps of at most 2^max_level base steps
        self.max_level = max(0, (self.n_w // WINDOW_MIN_STEPS).bit_length() - 1)
        self.min_level = min(self.max_level, (self.n_w // CERTIFY_MAX_STEPS).bit_length())

    # -- steps of 2^level base steps, by repeated squaring
    def _level(self, steps: list, level: int) -> _Step:
        if len(steps) > level and steps[level] is None:  # pragma: no cover - never asked
            raise NotComputableError(f"internal: step level {level} was released")
        while len(steps) <= level:
            prev = steps[-1]
            steps.append(prev.squared())
            if prev.level > self.max_level:  # above the window's levels: needed once
                steps[prev.level] = None
        return steps[level]

    def _advance(self, y: _State, w: _State | None, level: int) -> None:
        y.step(self._level(self.steps_y, level))
        if w is not None:
            w.step(self._level(self.steps_w, level))

    # -- bounds at a grid point
    def _distance(self, y: _State, w: _State | None) -> float:
        up = 0.0
        ay = np.abs(y.mid)
        for f, af, gam in self.maps:
            d = f @ y.mid
            r = gam * (af @ ay)
            if w is not None:
                d = d - w.mid
                r = r + _U * np.abs(d)
            up = max(up, float(np.linalg.norm(d) * (1 + 1e-12) + np.linalg.norm(r) * 1.01))
        return up + y.err + (w.err if w is not None else 0.0)

    @staticmethod
    def _powers(gen: _IMat, s: _State, norm2: float) -> tuple[float, float]:
        r"""Bounds of :math:`\|Xy\|_F` and :math:`\|X^2y\|_F` for the exact state
        :math:`y` (:math:`\|y-\mathrm{mid}\|_F\le\|y-\mathrm{mid}\|_1\le` ``err``)."""
        m1, r1 = gen.matvec(s.mid, np.zeros(len(s.mid)))
        m2, r2 = gen.matvec(m1, r1)
        d1 = float(np.linalg.norm(m1) + np.linalg.norm(r1)) + norm2 * s.err
        d2 = float(np.linalg.norm(m2) + np.linalg.norm(r2)) + norm2**2 * s.err
        return d1 * (1 + 1e-12), d2 * (1 + 1e-12)

    def _rates(self, y: _State, w: _State | None, h: float) -> tuple[float, float]:
        r"""Bounds of :math:`\sup\|f_j'\|` and :math:`\sup\|f_j''\|` over a step of
        length ``h`` from the grid point, :math:`f_j = F_jy - w`: :math:`f_j'' =
        F_je^{\tau\mathcal L}\mathcal L^2y - e^{\tau B}B^2w`, and :math:`\|F_je^{\tau\mathcal L}
        X\|_F\le\min(\|F_j\|_2e^{\tau\mu_2(\mathcal L)}, \sqrt{d})\|X\|_F` (the second by
        :math:`\|F_jX\|_F\le\|X\|_1` and trace-norm contraction)."""
        fy = min(self.e_norm * math.exp(min(h * self.mu_a, 700.0)), self.sqrt_dy)
        d1, d2 = self._powers(self.gen_a, y, self.norm2_a)
        rate, curv = fy * d1, fy * d2
        if w is not None and self.gen_b is not None:
            fw = min(math.exp(min(h * self.mu_b, 700.0)), self.sqrt_dw)
            e1, e2 = self._powers(self.gen_b, w, self.norm2_b)
            rate += fw * e1
            curv += fw * e2
        return rate * (1 + 1e-12), curv * (1 + 1e-12)

    # -- the run
    def run(self) -> tuple[bool, float]:
        p = self.promise
        y = _State(*p.y0, p.dims[0])
        w = _State(*p.w0, p.dims[1]) if self.has_w else None
        # to the window's start q delta <= T_a, by the binary digits of q (no bound needed)
        for level in range(self.q.bit_length()):
            if (self.q >> level) & 1:
                self._advance(y, w, level)
        # the window's step: its interpolation term h^2/8 C a small fraction of eta
        _, curv = self._rates(y, w, p.window[1])  # the trace-norm factor, any step length
        level = self.max_level
        if curv > 0:
            h = math.sqrt(8 * CURVATURE_FRACTION * p.eta / curv)
            level = max(0, min(self.max_level, int(math.floor(math.log2(h / self.delta)))))
        level = max(level, self.min_level)
        while True:
            proved, worst, slack = self._window(y.copy(), w.copy() if w else None, level)
            if proved or not slack or level <= self.min_level:
                return proved, worst
            level = max(self.min_level, level - 2)  # failed on the interpolation term: refine

    def _window(self, y: _State, w: _State | None, level: int) -> tuple[bool, float, bool]:
        r"""Walk the window (:math:`n_w` base steps) in steps of :math:`2^{\text{level}}` base steps (the
        last ones shorter).  Each step :math:`[t, t+h]` is bounded by
        :math:`\min(u(t)+h\sup\|f'\|,\ \max(u(t), u(t+h)) + \tfrac{h^2}8\sup\|f''\|)`.
        Returns ``(proved, worst, failed_on_interpolation)``."""
        eta = self.promise.eta
        k = 0
        u = self._distance(y, w)
        worst = u
        if u > eta:
            return False, u, False
        while k < self.n_w:
            lev = level
            while k + (1 << lev) > self.n_w:
                lev -= 1
            h = (1 << lev) * self.delta
            rate, curv = self._rates(y, w, h)
            self._advance(y, w, lev)
            k += 1 << lev
            u_next = self._distance(y, w)
            ends = max(u, u_next)
            bound = min(u + h * rate, ends + h * h / 8 * curv) * (1 + 1e-12)
            worst = max(worst, bound)
            if bound > eta:
                return False, worst, ends <= eta
            u = u_next
        return True, worst, False


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
    from .._validate import check_qubits

    check_qubits(net.n, "the network's n", limit="CERTIFY_MAX_QUBITS")
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
    r"""``(lo, hi)``: a gain where ``ok`` fails (or ``start``) and the first found where it
    holds, searching upward from ``start`` (usually just below the empirical gain, where the
    certified one lies close above) by factors :math:`(1+r)^2, (1+r)^4, \dots` (at most 2)
    up to ``cap``."""
    lo = start
    if ok(lo):
        return lo, lo
    factor = (1 + rtol) ** 2
    while True:
        hi = min(lo * factor, cap)
        if ok(hi):
            return lo, hi
        if hi >= cap:
            raise NotComputableError(
                f"the promise could not be certified at any gain up to {cap:.6g} (the bound "
                "K_c* of the theorem): the enclosures may be too wide for this window"
            )
        lo = hi
        factor = min(factor**2, 2.0)
