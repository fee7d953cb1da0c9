"""Small numeric helpers shared by the ``verify_*`` claim modules (not public API)."""

from __future__ import annotations

import numpy as np
import scipy.linalg

__all__ = [
    "rng",
    "random_density",
    "random_hermitian",
    "random_operator",
    "qubit_generator",
    "lindblad_superop",
    "numeric",
    "reduced_system",
    "random_separable",
    "orth_distance",
    "expm_grid",
]


def rng(seed: int = 20261121) -> np.random.Generator:
    """A fixed generator: every random check is reproducible."""
    return np.random.default_rng(seed)


def random_density(g: np.random.Generator, d: int, rank: int | None = None) -> np.ndarray:
    """A random density operator of dimension ``d`` (Ginibre, full rank unless ``rank``)."""
    k = d if rank is None else rank
    a = g.normal(size=(d, k)) + 1j * g.normal(size=(d, k))
    r = a @ a.conj().T
    return r / np.trace(r).real


def random_hermitian(g: np.random.Generator, d: int, scale: float = 1.0) -> np.ndarray:
    a = g.normal(size=(d, d)) + 1j * g.normal(size=(d, d))
    return scale * (a + a.conj().T) / 2


def random_operator(g: np.random.Generator, d: int, scale: float = 1.0) -> np.ndarray:
    return scale * (g.normal(size=(d, d)) + 1j * g.normal(size=(d, d))) / np.sqrt(2)


def qubit_generator(h: np.ndarray, jumps=()) -> np.ndarray:
    r"""The 4 x 4 row-stacking matrix of :math:`-i[h,\cdot] + \sum_l D(L_l)` (``jumps`` are
    the operators with their rates absorbed)."""
    return lindblad_superop(h, jumps)


def lindblad_superop(h: np.ndarray, jumps=()) -> np.ndarray:
    r"""Row stacking (``vec(A X B) = (A \otimes B^T) vec X``) of
    :math:`X\mapsto -i[h, X] + \sum_l (L_lXL_l^\dagger - \tfrac12\{L_l^\dagger L_l, X\})`,
    written out here independently of :mod:`blendsym.model.conventions`."""
    h = np.asarray(h, dtype=complex)
    eye = np.eye(h.shape[0])
    g = -1j * (np.kron(h, eye) - np.kron(eye, h.T))
    for op in jumps:
        op = np.asarray(op, dtype=complex)
        ld = op.conj().T @ op
        g = g + np.kron(op, op.conj()) - 0.5 * np.kron(ld, eye) - 0.5 * np.kron(eye, ld.T)
    return g


def numeric(m) -> np.ndarray:
    """A SymPy or NumPy matrix as a complex array."""
    if hasattr(m, "evalf"):
        return np.array(m.evalf().tolist(), dtype=complex)
    return np.asarray(m, dtype=complex)


def reduced_system(local: list[np.ndarray], laplacian: np.ndarray, kc: float) -> np.ndarray:
    r"""The generator of (5) on the stacked reduced states
    :math:`(\mathrm{vec}\rho_1,\dots,\mathrm{vec}\rho_n)`:
    :math:`\bigoplus_j\mathcal L_j - K_c\,Q\otimes I_4`."""
    return scipy.linalg.block_diag(*local) - kc * np.kron(laplacian, np.eye(4))


def random_separable(g: np.random.Generator, n: int, scale: float = 1.0, jumps: int = 1):
    """Random local generators for ``n`` qubits: a random Hamiltonian and ``jumps`` random
    jump operators per site."""
    out = []
    for _ in range(n):
        h = random_hermitian(g, 2, scale)
        ls = [random_operator(g, 2, scale) for _ in range(jumps)]
        out.append(qubit_generator(h, ls))
    return out


def orth_distance(x: np.ndarray, basis: np.ndarray) -> float:
    """Euclidean distance from the vector ``x`` to the column span of ``basis``."""
    if basis.size == 0:
        return float(np.linalg.norm(x))
    q = scipy.linalg.orth(basis)
    return float(np.linalg.norm(x - q @ (q.conj().T @ x)))


def expm_grid(gen: np.ndarray, times) -> np.ndarray:
    """``[e^{gen t} for t in times]`` for a uniform grid starting at 0 (powers of one step;
    one ``scipy.linalg.expm``), else one ``expm`` per time."""
    times = np.asarray(times, dtype=float)
    steps = np.diff(times)
    if len(times) > 2 and times[0] == 0 and np.allclose(steps, steps[0]):
        step = scipy.linalg.expm(gen * steps[0])
        out = [np.eye(gen.shape[0], dtype=complex)]
        for _ in steps:
            out.append(step @ out[-1])
        return np.array(out)
    return np.array([scipy.linalg.expm(gen * t) for t in times])


def blended_steady_state(net) -> np.ndarray:
    r"""The first steady state of the blended reduced-state dynamics of a network on a
    *connected* graph (Definition 1), as a complex 2x2 array."""
    from ..errors import InternalError
    from ..section4.blended import blended_reduced_state

    states = blended_reduced_state(net).steady_states()
    if not isinstance(states, list):  # pragma: no cover - the paper's graphs are connected
        raise InternalError("the paper's examples have connected graphs")
    return np.array(states[0].evalf().tolist(), dtype=complex)
