r"""Double-precision constants of Theorems 1-2 from an exact spectral analysis: the distance to
the invariant subspace :math:`\mathbb S`, :math:`L_c` (Appendix A, eq. (27)) and :math:`M`
(Appendix B), each certified against rounding."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import scipy.linalg
import sympy

from .._validate import check_int, check_real
from ..errors import InvalidArgumentError, NotComputableError
from ..numeric.limits import MAX_NORM_TIME

if TYPE_CHECKING:
    from ..spectral.analysis import SpectralAnalysis

__all__ = [
    "distance_to_invariant_subspace",
    "lipschitz_constant",
    "norm_bound_constant",
    "numeric_invariant_basis",
]


def numeric_invariant_basis(an: SpectralAnalysis) -> np.ndarray:
    try:
        basis = an.invariant_subspace
        if not basis:
            return np.zeros((an.size, 0), dtype=complex)
        b = np.array(sympy.Matrix.hstack(*basis).evalf(30).tolist(), dtype=complex)
        return scipy.linalg.orth(b)
    except NotComputableError:
        pass
    a = an._numeric
    poly = np.eye(an.size, dtype=complex)
    dim = 0
    for f, r in an._factor_roots():
        if r.re_sign == 0:
            lam = complex(r.numeric)
            for _ in range(f.multiplicity):
                poly = poly @ (a - lam * np.eye(an.size))
            dim += f.multiplicity
    if dim == 0:
        return np.zeros((an.size, 0), dtype=complex)
    _, _, vh = np.linalg.svd(poly)
    return scipy.linalg.orth(vh[-dim:].conj().T)


def distance_to_invariant_subspace(an: SpectralAnalysis, x) -> float:
    r""":math:`\|x\|_{\mathbb S} = \min_{s\in\mathbb S}\|x - s\|` (Euclidean norm of the
    vector, i.e. Frobenius norm of the matrix): orthogonal projection onto an orthonormal
    basis of :math:`\mathbb S` (double precision).  ``x`` is a vector of length :math:`N`
    or, with ``state_dim``, a :math:`d\times d` matrix (exact or numeric)."""
    v = _numeric_vector(an, x, "x")
    q = numeric_invariant_basis(an)
    r = v - q @ (q.conj().T @ v)
    return float(np.linalg.norm(r))


def _numeric_vector(an: SpectralAnalysis, x, name: str) -> np.ndarray:
    if isinstance(x, sympy.MatrixBase):
        shape = x.shape
        try:
            arr = np.array(x.evalf(30).tolist(), dtype=complex)
        except TypeError as exc:
            raise InvalidArgumentError(
                f"{name} must have numeric entries: found free symbols "
                f"{sorted(map(str, x.free_symbols))}"
            ) from exc
    else:
        try:
            arr = np.asarray(x, dtype=complex)
        except (TypeError, ValueError) as exc:
            raise InvalidArgumentError(
                f"{name} must be a numeric vector or matrix: found {type(x).__name__}"
            ) from exc
        shape = arr.shape
    if not np.all(np.isfinite(arr)):
        raise InvalidArgumentError(f"{name} entries must be finite: found NaN or infinity")
    if arr.size == an.size and (arr.ndim == 1 or 1 in shape):
        return arr.ravel()
    d = an.state_dim
    if d is not None and tuple(shape) == (d, d):
        return arr.ravel(order="C")
    raise InvalidArgumentError(
        f"{name} must be a vector of length {an.size}"
        + (f" or a {d} x {d} matrix" if d else "")
        + f": found shape {tuple(shape)}"
    )


def lipschitz_constant(an: SpectralAnalysis) -> float:
    r""":math:`L_c` of Theorem 1: :math:`\|e^{At}\Pi_s x\| \le L_c e^{-\mu t}\|x\|` for all
    :math:`t\ge0`, :math:`\Pi_s` the spectral projector onto the generalised eigenspaces of
    the eigenvalues with :math:`\mathrm{Re}\,\lambda<0`.

    With :math:`\Pi_\lambda` the spectral projector of :math:`\lambda` and
    :math:`N_\lambda = (A-\lambda)\Pi_\lambda` its nilpotent part (zero when
    :math:`\lambda` is semisimple; :math:`N_\lambda^k = 0` for the largest Jordan block
    :math:`k`), :math:`e^{At}\Pi_s = \sum_{\mathrm{Re}\lambda<0}e^{\lambda t}
    \sum_{j<k}\frac{t^j}{j!}N_\lambda^j\Pi_\lambda`.  With
    :math:`\delta_\lambda = -\mathrm{Re}\,\lambda - \mu \ge 0` and
    :math:`\sup_{t\ge0}t^je^{-\delta t} = (j/(e\delta))^j`,

    .. math::  L_c = \sum_{\mathrm{Re}\lambda<0}\sum_{j<k_\lambda}
               \frac{\|N_\lambda^j\Pi_\lambda\|_2}{j!}\Big(\frac{j}{e\,\delta_\lambda}\Big)^j

    (:math:`0^0 = 1`) is valid.  For semisimple eigenvalues this is
    :math:`\sum_\lambda\|\Pi_\lambda\|_2`; a *defective* eigenvalue (an exceptional point:
    Jordan chains) with :math:`\mathrm{Re}\,\lambda < -\mu` contributes its chain terms
    with the finite factors :math:`(j/(e\delta))^j`.  The eigenvalues, multiplicities and
    Jordan structure are exact; the projectors are computed in double precision (SVD of
    :math:`(A-\lambda)^{m}`, :math:`m` the algebraic multiplicity) and the sum is multiplied
    by :math:`1+10^{-8}`.  Returns ``0.0`` when nothing decays.

    Raises :class:`NotComputableError` only when a defective eigenvalue lies *on* the slowest
    rate, :math:`\mathrm{Re}\,\lambda = -\mu` with a Jordan block of size :math:`>1`: then
    :math:`\|e^{At}\Pi_s\|e^{\mu t}` grows like :math:`t^{k-1}` and no finite :math:`L_c`
    exists for the rate :math:`\mu` itself.
    """
    a = an._numeric
    decaying = [(f, r) for f, r in an._factor_roots() if r.re_sign == -1]
    if not decaying:
        return 0.0
    mu = float(an.mu)
    total = 0.0
    for f, r in decaying:
        lam = complex(r.numeric)
        k = max(f.blocks)
        if k == 1:
            total += float(np.linalg.norm(_numeric_projector(a, lam, f.multiplicity), 2))
            continue
        delta = -lam.real - mu
        if delta <= 1e-9 * max(mu, 1.0):
            raise NotComputableError(
                f"the slowest decaying eigenvalues, roots of {f.poly.as_expr()} = 0 (e.g. "
                f"{lam:.6g}, Re = -mu), have Jordan blocks {sorted(f.blocks)}: "
                f"||e^(At) Pi_s|| e^(mu t) grows like t^{k - 1}, so no finite L_c with "
                "||e^(At) Pi_s x|| <= L_c e^(-mu t) ||x|| exists for this mu"
            )
        proj = _generalised_projector(a, lam, f.multiplicity)
        nil = (a - lam * np.eye(a.shape[0])) @ proj
        term = proj
        for j in range(k):
            if j:
                term = nil @ term
            total += (
                float(np.linalg.norm(term, 2)) / math.factorial(j) * (j / (math.e * delta)) ** j
            )
    return total * (1 + 1e-8)


def norm_bound_constant(
    an: SpectralAnalysis, T, grid_points: int | None = None, label: str = "norm bound M"
) -> float:
    r""":math:`M` of Theorem 2: :math:`\|e^{At}\|_2 \le M\sum_{j=0}^m t^j` for all
    :math:`t\in[0,T]`, :math:`m` = :attr:`f_degree`.

    Certified on the whole interval from a grid :math:`t_i = ih`: for
    :math:`t\in[t_i, t_i+h]`, :math:`\|e^{At}\| \le \|e^{At_i}\|e^{\|A\|h}` and
    :math:`\sum_j t^j \ge \sum_j t_i^j`, so
    :math:`M = e^{\|A\|_2 h}\max_i\|e^{At_i}\|_2/\sum_j t_i^j` (times :math:`1+10^{-9}` for
    rounding).  Default grid: :math:`h \le 1/(50\|A\|)`, at least 200 and at most 20000
    points.  ``label`` names the progress bar shown on long grids
    (:data:`blendsym._progress.NORM_BOUND_MIN_WORK`).
    """
    t_end = check_real(T, "T", positive=True)
    if grid_points is not None:
        grid_points = check_int(grid_points, "grid_points", minimum=1)
    a = an._numeric
    n_a = float(np.linalg.norm(a, 2))
    if not n_a * t_end <= MAX_NORM_TIME:
        raise NotComputableError(
            f"the norm bound M of e^(At) on [0, T] needs ||A|| T <= {MAX_NORM_TIME:.0e} in double "
            f"precision: found ||A|| = {n_a:.3g}, T = {t_end:.3g} (rescale time, or reduce the "
            "largest rate, coefficient or gain)"
        )
    if grid_points is None:
        grid_points = int(min(20000, max(200, math.ceil(50 * n_a * t_end))))
    m = an.f_degree
    h = t_end / grid_points
    if n_a * h > 50:  # the factor e^(||A|| h) between grid points would make M useless
        raise NotComputableError(
            f"the norm bound M of e^(At) on [0, T] needs ||A|| T / grid_points <= 50: found "
            f"||A|| = {n_a:.3g}, T = {t_end:.3g}, {grid_points} grid points (pass more "
            "grid_points, or rescale time)"
        )
    step = scipy.linalg.expm(a * h)
    e = np.eye(an.size, dtype=complex)
    best = 0.0
    from .._progress import NORM_BOUND_MIN_WORK, bar

    long = (grid_points + 1) * an.size**3 >= NORM_BOUND_MIN_WORK
    with bar(grid_points + 1, label, long) as progress:
        for i in range(grid_points + 1):
            t = i * h
            if i % 50 == 0:
                e = scipy.linalg.expm(a * t)
            else:
                e = e @ step
            denom = sum(t**j for j in range(m + 1))
            best = max(best, float(np.linalg.norm(e, 2)) / denom)
            progress.update(1)
    bound = best * math.exp(n_a * h) * (1 + 1e-9)
    if not math.isfinite(bound):
        raise NotComputableError(
            f"the norm bound M of e^(At) on [0, T] is not finite in double precision (||A|| = "
            f"{n_a:.3g}, T = {t_end:.3g}, {grid_points} grid points): pass more grid_points"
        )
    return bound


def _numeric_projector(a: np.ndarray, lam: complex, mult: int) -> np.ndarray:
    r"""Spectral projector :math:`V(W^\dagger V)^{-1}W^\dagger` of a semisimple eigenvalue."""
    n = a.shape[0]
    u, _, vh = np.linalg.svd(a - lam * np.eye(n))
    v = vh[-mult:].conj().T
    w = u[:, -mult:]
    return v @ np.linalg.solve(w.conj().T @ v, w.conj().T)


def _generalised_projector(a: np.ndarray, lam: complex, mult: int) -> np.ndarray:
    r"""Spectral projector :math:`V(W^\dagger V)^{-1}W^\dagger` onto the generalised
    eigenspace of :math:`\lambda` (algebraic multiplicity ``mult``): :math:`V`, :math:`W` the
    right and left null spaces of :math:`(A-\lambda)^{\mathrm{mult}}`."""
    n = a.shape[0]
    power = np.linalg.matrix_power(a - lam * np.eye(n), mult)
    u, _, vh = np.linalg.svd(power)
    v = vh[-mult:].conj().T
    w = u[:, -mult:]
    return v @ np.linalg.solve(w.conj().T @ v, w.conj().T)
