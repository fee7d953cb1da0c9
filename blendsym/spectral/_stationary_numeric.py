r"""Positive stationary states in double precision (the numeric route of
:mod:`blendsym.spectral.stationary`, used above :data:`blendsym.limits.EXACT_STATIONARY_DIM`).

One SVD :math:`A = W\Sigma V^\dagger` gives both kernels: the right singular vectors of the
singular values :math:`\sigma\le\mathrm{tol}\,\sigma_{\max}` span :math:`\ker A`, the left ones
(conjugated) the left kernel.  The projector :math:`\Pi_0 = V_0(U_0V_0)^{-1}U_0` is applied to
the same basis density operators, in the same order, as the exact route; every image is
checked: Hermitian part taken, :math:`|\mathrm{tr}X - 1|\le\mathrm{tol}`, smallest eigenvalue
:math:`\ge -\mathrm{tol}`, :math:`\|A\,\mathrm{vec}(X)\|\le\mathrm{tol}\max(\|A\|_2, 1)`; a
candidate counts as independent when its component orthogonal to the ones kept exceeds
:math:`\sqrt{\mathrm{tol}}` relative to its norm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..errors import NotComputableError

__all__ = ["numeric_kernels", "numeric_projected_states"]


def numeric_kernels(a: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, float]:
    r"""``(V, U, ||A||_2)``: orthonormal bases of :math:`\ker A` (columns) and of the left
    kernel (rows, :math:`UA = 0`), by one dense SVD with relative threshold ``tol``."""
    w, s, vh = np.linalg.svd(a)
    norm = float(s[0]) if s.size else 0.0
    rank = int(np.sum(s > tol * max(norm, 1.0)))
    return vh[rank:].conj().T, w[:, rank:].conj().T, norm


def numeric_projected_states(
    apply: Callable[[np.ndarray], np.ndarray],
    V: np.ndarray,
    U: np.ndarray,
    norm: float,
    candidates: Iterable[dict[int, complex]],
    lift: Callable[[np.ndarray], np.ndarray],
    tol: float,
) -> tuple[list[np.ndarray], dict]:
    r"""The states :math:`\Pi_0x` (``lift``-ed to matrices) for the first candidates with
    independent images, and ``info`` (``tolerance``, ``min_eigenvalue``, ``max_residual``,
    ``max_trace_error``); raises :class:`~blendsym.errors.NotComputableError` when a check
    fails.  ``apply(y)`` is the generator applied to a coordinate vector."""
    k = V.shape[1]
    g = U @ V
    if np.linalg.cond(g) > 1.0 / tol:
        raise NotComputableError(
            f"U V is numerically singular (condition number {np.linalg.cond(g):.3g} > 1/tol): "
            "the eigenvalue 0 is not semisimple to tolerance, no spectral projector onto ker A"
        )
    ginv = np.linalg.inv(g)
    basis: list[np.ndarray] = []
    chosen: list[np.ndarray] = []
    for cand in candidates:
        u = np.zeros(k, dtype=complex)
        for idx, c in cand.items():
            u += complex(c) * U[:, idx]
        r = u.copy()
        for b in basis:
            r -= np.vdot(b, r) * b
        if np.linalg.norm(r) > np.sqrt(tol) * np.linalg.norm(u):
            basis.append(r / np.linalg.norm(r))
            chosen.append(u)
            if len(chosen) == k:
                break
    if len(chosen) < k:
        raise NotComputableError(
            f"the projected basis states span only {len(chosen)} of the {k} numeric kernel "
            "dimensions"
        )
    states, info = [], {"tolerance": tol, "min_eigenvalue": np.inf, "max_residual": 0.0}
    info["max_trace_error"] = 0.0
    for u in chosen:
        y = V @ (ginv @ u)
        x = lift(y)
        x = (x + x.conj().T) / 2
        tr = complex(np.trace(x))
        info["max_trace_error"] = max(info["max_trace_error"], abs(tr - 1))
        if abs(tr - 1) > tol:
            raise NotComputableError(
                f"a projected state has trace {tr:.6g}, not 1: the generator is not trace "
                "preserving (not a Lindblad generator)"
            )
        ev = float(np.linalg.eigvalsh(x).min())
        res = float(np.linalg.norm(apply(y)))
        info["min_eigenvalue"] = min(info["min_eigenvalue"], ev)
        info["max_residual"] = max(info["max_residual"], res)
        if ev < -tol or res > tol * max(norm, 1.0):
            raise NotComputableError(
                f"a projected state fails the numeric checks (smallest eigenvalue {ev:.3g}, "
                f"|A vec X| = {res:.3g}, tolerance {tol:g}): the generator does not generate "
                "a positive semigroup (not a Lindblad generator) or the tolerance is too tight"
            )
        states.append(x)
    return states, info
