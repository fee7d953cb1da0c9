r"""Batched double-precision spectral data of a parametric generator, for the parametric
theorem constants of :mod:`blendsym.bounds.parametric`.

A blended generator :math:`\bar{\mathcal L}(p)` whose entries are rational functions of the
model's symbols :math:`p` is analysed exactly *once* (:class:`~blendsym.spectral.SpectralAnalysis`
over the field of rational functions): its characteristic polynomial factors as

.. math::  \chi(\lambda) = \prod_k q_k(\lambda)^{m_k},

with :math:`q_k` monic, irreducible and pairwise coprime, each root of :math:`q_k` of algebraic
multiplicity :math:`m_k` and with the Jordan blocks found for generic :math:`p`.  At each
parameter point the roots of every :math:`q_k` are computed in double precision from the
lambdified coefficients (eigenvalues of the companion matrix, two Newton steps on
:math:`q_k`), for all points at once.  Because :math:`q_k` is square-free its roots are
simple roots of :math:`q_k`, so they are well conditioned even when :math:`m_k > 1`; the
eigenvalues of :math:`\bar{\mathcal L}` come grouped with their exact multiplicities, which
is what the spectral projectors of :math:`L_c` need.

The generic structure holds off a proper algebraic subset of parameter space (where a
discriminant or a resultant of the :math:`q_k` vanishes).  At a point where two eigenvalues
nearly coincide (relative distance below :data:`SEPARATION_TOL`), or where
:math:`\mathrm{Re}\,\lambda` cannot be told from 0 in double precision (relative size between
:data:`AXIS_TOL` and :data:`OFF_AXIS_TOL`), the evaluation raises
:class:`~blendsym.errors.NotComputableError` naming the point, to be analysed exactly with
``net.subs({...})``.

From these roots :class:`BatchedSpectrum` computes, vectorised over stacks of
:math:`4\times4` matrices (``numpy.linalg.svd`` / ``solve`` / ``scipy.linalg.expm`` on
``(N, 4, 4)`` arrays), the same quantities and by the same formulas as the one-point route
(:mod:`blendsym.bounds.spectral_norms`): :math:`\mu`, :math:`L_c` (spectral projectors,
Jordan-chain terms), :math:`m` and :math:`M` (the certified grid bound on :math:`[0, T_2]`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.linalg
import sympy

from ..errors import NotComputableError
from ..numeric.lambdified import ParametricFunction
from ..numeric.limits import MAX_NORM_TIME
from ..spectral.fields import LAMBDA

__all__ = [
    "AXIS_TOL",
    "OFF_AXIS_TOL",
    "SEPARATION_TOL",
    "BatchedSpectrum",
    "Points",
    "evaluate",
    "spectral_norms",
]

#: :math:`|\mathrm{Re}\,\lambda| \le` AXIS_TOL :math:`\cdot\max|\lambda|`: on the imaginary axis.
AXIS_TOL = 1e-12
#: :math:`|\mathrm{Re}\,\lambda| \ge` OFF_AXIS_TOL :math:`\cdot\max|\lambda|`: off the axis (in
#: between: not decidable in double precision, refused).
OFF_AXIS_TOL = 1e-9
#: Two eigenvalues closer than SEPARATION_TOL :math:`\cdot\max|\lambda|` are taken as coinciding
#: (the generic multiplicities and Jordan blocks may not hold there).
SEPARATION_TOL = 1e-8


class Points:
    r"""Parameter points flattened to ``(N,)`` arrays (one per parameter name), with the
    broadcast shape they came from."""

    def __init__(self, values: Mapping[str, np.ndarray], shape: tuple[int, ...]):
        self.shape = tuple(shape)
        self.size = int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1
        self.values = {
            k: np.broadcast_to(np.asarray(v), self.shape).reshape(self.size)
            for k, v in values.items()
        }

    def chunk(self, start: int, stop: int) -> Points:
        out = Points.__new__(Points)
        out.shape = (stop - start,)
        out.size = stop - start
        out.values = {k: v[start:stop] for k, v in self.values.items()}
        return out

    def point(self, i: int) -> dict:
        return {k: v[i].item() for k, v in self.values.items()}

    def refuse(self, bad, message: str) -> None:
        """Raise :class:`NotComputableError` with ``message`` at the first point of ``bad``."""
        bad = np.asarray(bad, dtype=bool)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise NotComputableError(
                f"{message} at {self.point(i)}; analyse net.subs({{...}}) at that point instead"
            )


def evaluate(f: ParametricFunction, pts: Points) -> np.ndarray:
    """``f`` at every point: shape ``(N, *f.shape)`` (a constant is broadcast)."""
    out = np.asarray(f(**{p: pts.values[p] for p in f.parameters}))
    return np.broadcast_to(out, (pts.size, *f.shape))


def spectral_norms(stack: np.ndarray) -> np.ndarray:
    r""":math:`\|A\|_2` of every matrix of a stack ``(..., d, d)`` (LAPACK SVD per matrix)."""
    return np.linalg.norm(stack, 2, axis=(-2, -1))


@dataclass(frozen=True)
class _Factor:
    degree: int
    multiplicity: int
    largest_block: int
    is_zero: bool  # the factor lambda itself
    offset: int  # index of its first coefficient in the coefficient function


def _companion_roots(a: np.ndarray) -> np.ndarray:
    r"""Roots of :math:`x^d + a_{d-1}x^{d-1} + \dots + a_0` for each row of ``a`` (shape
    ``(N, d)``, coefficients from :math:`a_{d-1}` down), polished by two Newton steps."""
    n_pts, d = a.shape
    if d == 1:
        return -a.copy()
    comp = np.zeros((n_pts, d, d), dtype=complex)
    comp[:, 0, :] = -a
    comp[:, 1:, :-1] = np.eye(d - 1)
    r = np.linalg.eigvals(comp)
    with np.errstate(all="ignore"):
        for _ in range(2):
            val = np.ones_like(r)
            der = np.zeros_like(r)
            for k in range(d):
                der = der * r + val
                val = val * r + a[:, k, None]
            step = val / der
            ok = np.isfinite(step)
            r = np.where(ok, r - np.where(ok, step, 0), r)
    return r


class BatchedSpectrum:
    r"""The generic factor structure of a parametric generator, evaluated at many points
    (module docstring).

    Parameters
    ----------
    analysis: the exact :class:`~blendsym.spectral.SpectralAnalysis` of the generator.
    generator: the generator as a :class:`~blendsym.numeric.lambdified.ParametricFunction`.
    allowed: ``{name: symbol}`` of the model.
    """

    def __init__(self, analysis, generator: ParametricFunction, allowed: dict, name: str):
        self.generator = generator
        coefs: list[sympy.Expr] = []
        factors: list[_Factor] = []
        for q, m, blocks in analysis.jordan_structure_by_factor:
            poly = sympy.Poly(q.as_expr(), LAMBDA)
            cs = poly.all_coeffs()
            lead = cs[0]
            tail = [sympy.cancel(c / lead) for c in cs[1:]]
            is_zero = poly.degree() == 1 and tail[0] == 0
            factors.append(_Factor(poly.degree(), int(m), int(max(blocks)), is_zero, len(coefs)))
            coefs += tail
        self.factors: tuple[_Factor, ...] = tuple(factors)
        self._coefficients = ParametricFunction(
            coefs or [sympy.Integer(0)], allowed, f"{name}: factor coefficients"
        )
        self.parameters: tuple[str, ...] = tuple(
            sorted(set(generator.parameters) | set(self._coefficients.parameters))
        )

    @property
    def zero_multiplicity(self) -> int:
        """Algebraic multiplicity of the eigenvalue 0 for generic values (exact)."""
        return sum(f.multiplicity for f in self.factors if f.is_zero)

    # ------------------------------------------------------------------ roots
    def roots(self, pts: Points) -> list[np.ndarray]:
        """The roots of every factor at every point: one ``(N, degree)`` array per factor,
        checked for separation and for a decidable sign of their real parts."""
        c = evaluate(self._coefficients, pts)
        out = []
        for f in self.factors:
            if f.is_zero:
                out.append(np.zeros((pts.size, 1), dtype=complex))
            else:
                out.append(_companion_roots(np.array(c[:, f.offset : f.offset + f.degree])))
        allr = np.concatenate(out, axis=1)
        pts.refuse(
            ~np.isfinite(allr).all(axis=1),
            "the eigenvalues of the blended generator are not finite",
        )
        scale = np.abs(allr).max(axis=1)
        if allr.shape[1] > 1:
            gap = np.abs(allr[:, :, None] - allr[:, None, :])
            gap[:, np.arange(allr.shape[1]), np.arange(allr.shape[1])] = np.inf
            pts.refuse(
                gap.min(axis=(1, 2)) <= SEPARATION_TOL * scale,
                "two eigenvalues of the blended generator nearly coincide (the generic "
                "multiplicities and Jordan blocks may not hold there)",
            )
        re = np.abs(allr.real)
        undecided = (re > AXIS_TOL * scale[:, None]) & (re < OFF_AXIS_TOL * scale[:, None])
        pts.refuse(
            undecided.any(axis=1),
            "the sign of Re(lambda) of an eigenvalue of the blended generator cannot be decided "
            "in double precision",
        )
        return out

    @staticmethod
    def _on_axis(roots: list[np.ndarray]) -> list[np.ndarray]:
        allr = np.concatenate(roots, axis=1)
        scale = np.abs(allr).max(axis=1)[:, None]
        return [np.abs(r.real) <= AXIS_TOL * scale for r in roots]

    def check_relaxing(self, roots: list[np.ndarray], pts: Points) -> None:
        """Refuse the points where some non-zero eigenvalue has :math:`\\mathrm{Re}\\,\\lambda
        \\ge 0` (not relaxing there; the generic simplicity of 0 is checked exactly)."""
        axis = self._on_axis(roots)
        for f, r, on in zip(self.factors, roots, axis, strict=True):
            if f.is_zero:
                continue
            pts.refuse(
                (on | (r.real > 0)).any(axis=1),
                "the blended dynamics is not relaxing (an eigenvalue other than 0 has "
                "Re(lambda) >= 0)",
            )

    def mu(self, roots: list[np.ndarray]) -> np.ndarray:
        r""":math:`\mu`: the smallest non-zero :math:`|\mathrm{Re}\,\lambda|` at each point."""
        axis = self._on_axis(roots)
        vals = [np.where(on, np.inf, np.abs(r.real)) for r, on in zip(roots, axis, strict=True)]
        return np.concatenate(vals, axis=1).min(axis=1)

    def f_degree(self, roots: list[np.ndarray]) -> np.ndarray:
        r""":math:`m` of Theorem 2 at each point: the largest Jordan block among the
        eigenvalues on the imaginary axis, minus one."""
        axis = self._on_axis(roots)
        block = np.zeros(axis[0].shape[0], dtype=int)
        for f, on in zip(self.factors, axis, strict=True):
            block = np.where(on.any(axis=1), np.maximum(block, f.largest_block), block)
        return np.maximum(block - 1, 0)

    # ------------------------------------------------------------------ L_c
    def lipschitz(
        self, a: np.ndarray, roots: list[np.ndarray], mu: np.ndarray, pts: Points
    ) -> np.ndarray:
        r""":math:`L_c` at each point, by the formula of
        :func:`~blendsym.bounds.spectral_norms.lipschitz_constant`:
        :math:`\sum_{\mathrm{Re}\lambda<0}\sum_{j<k}\|N_\lambda^j\Pi_\lambda\|_2
        (j/(e\delta_\lambda))^j/j!`, times :math:`1+10^{-8}`."""
        axis = self._on_axis(roots)
        total = np.zeros(a.shape[0])
        eye = np.eye(a.shape[-1])
        for f, r, on in zip(self.factors, roots, axis, strict=True):
            for col in range(r.shape[1]):
                lam = r[:, col]
                decaying = ~on[:, col] & (lam.real < 0)
                if not decaying.any():
                    continue
                shifted = a - lam[:, None, None] * eye
                if f.largest_block == 1:
                    term = spectral_norms(_projector(shifted, f.multiplicity))
                    total += np.where(decaying, term, 0.0)
                    continue
                delta = -lam.real - mu
                pts.refuse(
                    decaying & (delta <= 1e-9 * np.maximum(mu, 1.0)),
                    "a defective eigenvalue lies on the slowest decay rate (no finite L_c)",
                )
                power = np.linalg.matrix_power(shifted, f.multiplicity)
                proj = _projector(power, f.multiplicity)
                nil = shifted @ proj
                term = proj
                for j in range(f.largest_block):
                    if j:
                        term = nil @ term
                    with np.errstate(divide="ignore", invalid="ignore"):
                        factor = (j / (math.e * delta)) ** j / math.factorial(j)
                    total += np.where(decaying, spectral_norms(term) * factor, 0.0)
        return total * (1 + 1e-8)

    # ------------------------------------------------------------------ M
    @staticmethod
    def norm_bound(a: np.ndarray, t_end: float, m: np.ndarray, pts: Points) -> np.ndarray:
        r""":math:`M` at each point: :math:`\|e^{At}\|_2\le M\sum_{j\le m}t^j` on
        :math:`[0, T]`, certified on the grid of
        :func:`~blendsym.bounds.spectral_norms.norm_bound_constant` (the same grid per point:
        :math:`h = T/G`, :math:`G = \min(20000, \max(200, \lceil 50\|A\|T\rceil))`), all
        points stepped together."""
        n_a = spectral_norms(a)
        pts.refuse(
            ~(n_a * t_end <= MAX_NORM_TIME),
            f"the norm bound M of e^(At) on [0, T] needs ||A|| T <= {MAX_NORM_TIME:.0e} in "
            "double precision",
        )
        grid = np.minimum(20000, np.maximum(200, np.ceil(50 * n_a * t_end))).astype(int)
        h = t_end / grid
        pts.refuse(n_a * h > 50, "the norm bound M of e^(At) needs ||A|| T / grid_points <= 50")
        order = np.argsort(-grid, kind="stable")
        a, grid, h, m = a[order], grid[order], h[order], m[order]
        powers = np.arange(int(m.max()) + 1)
        mask = powers[None, :] <= m[:, None]
        step = scipy.linalg.expm(a * h[:, None, None])
        best = np.zeros(len(grid))
        e = np.zeros_like(a)
        for i in range(int(grid[0]) + 1):
            k = int(np.searchsorted(-grid, -i, side="right"))  # points with grid >= i
            t = i * h[:k]
            if i % 50 == 0:
                e = scipy.linalg.expm(a[:k] * t[:, None, None])
            else:
                e = e[:k] @ step[:k]
            denom = np.sum(np.where(mask[:k], t[:, None] ** powers[None, :], 0.0), axis=1)
            best[:k] = np.maximum(best[:k], spectral_norms(e) / denom)
        bound = best * np.exp(n_a[order] * h) * (1 + 1e-9)
        out = np.empty_like(bound)
        out[order] = bound
        return out


def _projector(power: np.ndarray, mult: int) -> np.ndarray:
    r"""Spectral projectors :math:`V(W^\dagger V)^{-1}W^\dagger` of a stack: :math:`V`,
    :math:`W` the right and left null spaces (last ``mult`` singular vectors) of ``power``
    (:math:`A-\lambda` for a semisimple eigenvalue, :math:`(A-\lambda)^{m}` otherwise)."""
    u, _, vh = np.linalg.svd(power)
    v = np.conj(np.swapaxes(vh[:, -mult:, :], -1, -2))
    wh = np.conj(np.swapaxes(u[:, :, -mult:], -1, -2))
    return v @ np.linalg.solve(wh @ v, wh)
