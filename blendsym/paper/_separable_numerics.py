r"""The separable dynamics of Section 4 written out independently of
:mod:`blendsym.section4`, for the claims of :mod:`blendsym.paper.verify_appendix_a`: Pauli
matrices, complete-graph Laplacians, Example 1's local generators, the linear system (5)
:math:`\dot x = (\bigoplus_j\mathcal L_j - K_cQ\otimes I_4)x` propagated with
``scipy.linalg.expm``, and the eigen-data (:math:`\mu`, centre subspace, :math:`L_c`) of a
blended generator."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg

from ._checks import lindblad_superop, random_hermitian, random_operator

SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]])
SZ = np.diag([1.0 + 0j, -1.0])
SP = np.array([[0, 0], [1, 0]], dtype=complex)  # sigma_+ = |1><0|
SM = SP.T.copy()
I2 = np.eye(2, dtype=complex)


def _weights_complete(n: int) -> np.ndarray:
    return np.ones((n, n)) - np.eye(n)


def _laplacian(w: np.ndarray) -> np.ndarray:
    return np.diag(w.sum(1)) - w


def _example1_local() -> list[np.ndarray]:
    """Example 1's local generators: -i[sigma_z, .], D(sigma_-), D(sqrt3 sigma_+)."""
    return [
        lindblad_superop(SZ),
        lindblad_superop(0 * SZ, [SM]),
        lindblad_superop(0 * SZ, [math.sqrt(3) * SP]),
    ]


def _random_separable(g, n: int, jumps: int = 1) -> list[np.ndarray]:
    return [
        lindblad_superop(random_hermitian(g, 2), [random_operator(g, 2) for _ in range(jumps)])
        for _ in range(n)
    ]


def _trajectory(local, lap, kc, parts, times) -> np.ndarray:
    """Reduced states ``(len(times), n, 2, 2)`` of the system (5) (``expm`` per time, or
    powers of one step on a uniform grid starting at 0)."""
    n = len(local)
    gen = scipy.linalg.block_diag(*local) - kc * np.kron(lap, np.eye(4))
    x0 = np.concatenate([p.ravel() for p in parts]).astype(complex)
    times = np.asarray(times, dtype=float)
    steps = np.diff(times)
    if len(times) > 2 and times[0] == 0 and np.allclose(steps, steps[0]):
        step = scipy.linalg.expm(gen * steps[0])
        out = [x0]
        for _ in steps:
            out.append(step @ out[-1])
        arr = np.array(out)
    else:
        arr = np.array([scipy.linalg.expm(gen * t) @ x0 for t in times])
    return arr.reshape(len(times), n, 2, 2)


def _spectral(bar: np.ndarray):
    """Eigen-data of the blended generator: mu, the centre (Re = 0) and decaying parts, L_c."""
    w, v = np.linalg.eig(bar)
    centre = np.abs(w.real) < 1e-9
    vinv = np.linalg.inv(v)
    mu = float(np.min(np.abs(w.real[~centre]))) if (~centre).any() else math.inf
    proj_s = v[:, ~centre] @ vinv[~centre]
    l_c = float(sum(np.linalg.norm(np.outer(v[:, i], vinv[i]), 2) for i in np.flatnonzero(~centre)))
    q = scipy.linalg.orth(v[:, centre]) if centre.any() else np.zeros((4, 0))
    return {"w": w, "v": v, "vinv": vinv, "mu": mu, "proj_s": proj_s, "l_c": l_c, "centre": q}


def _dist_to(q: np.ndarray, x: np.ndarray) -> float:
    return float(np.linalg.norm(x - q @ (q.conj().T @ x)))
