r"""Numeric propagation of the full network, eq. (4).

Eq. (4) is linear and time invariant, :math:`\dot{\tilde y} = \mathcal L\tilde y`, so
:math:`\tilde y(t) = e^{\mathcal L t}\tilde y(0)` is computed with exponential methods,
never with a generic adaptive ODE solver.  Its stiff part, :math:`-K_cQ_d`, is Hermitian
and negative semidefinite with norm :math:`\approx 2K_c\times` (number of edges); explicit
integrators need :math:`\approx\|\mathcal L\|T` steps, the methods below do not.

:func:`simulate` works in the *real coordinates* of Hermitian matrices
(:func:`blendsym.matrixfree.to_real_coordinates`: :math:`Y = \operatorname{Re}\rho +
\operatorname{Im}\rho`, an isometry), where eq. (4) is a real linear system
:math:`\dot y = \mathcal L_{\mathbb R}y` (half the memory traffic of the complex form).

Methods
-------
``"dense"``
    :func:`scipy.linalg.expm` of the dense real Liouvillian for each distinct time step
    (one exponential for a uniform grid), reused for every output and kept with the network
    for later calls with other initial states (:func:`clear_propagator_cache`).  Error: the
    scaling and squaring Padé backward error is at most the unit round-off :math:`u = 2^{-53}`
    relative to :math:`\|h\mathcal L\|_1` per step; ``info["error_estimate"]`` reports
    :math:`\sum_{\text{steps}} u\,\|h\mathcal L\|_1\|y\|_2`.
``"krylov"``
    :func:`blendsym.krylov.expm_krylov` (Arnoldi with Expokit's error control, one basis
    for every output inside a step) on the sparse (CSR) real Liouvillian.  Error: the
    Krylov estimate, kept below ``tol``.
``"matrix_free"``
    The same Krylov propagator on :class:`blendsym.matrixfree.MatrixFreeLiouvillian`: no
    superoperator matrix (SWAPs as axis transpositions of the :math:`2n`-index state).
``"expm_multiply"``
    :func:`scipy.sparse.linalg.expm_multiply` (Al-Mohy--Higham, truncated Taylor with
    tolerance :math:`2^{-53}`) on the complex sparse Liouvillian.  Kept as an independent
    cross-check; slower than ``"krylov"`` at every size measured.

``"auto"`` uses :func:`choose_method`: the method the benchmark
(``python -m blendsym.bench``, ``docs/performance.md``) found fastest for that number
of qubits, recorded in :data:`FASTEST_METHOD`.
"""

from __future__ import annotations

import numbers
import threading
import time
import weakref
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import InvalidArgumentError
from ..model.network import QuantumNetwork, _positive_parameter
from ..model.states import bloch_vector, partial_trace, validate_density
from .krylov import blas_threads, expm_krylov
from .matrixfree import (
    MatrixFreeLiouvillian,
    from_real_coordinates,
    real_liouvillian,
    to_real_coordinates,
)

__all__ = [
    "Trajectory",
    "simulate",
    "propagate",
    "check_times",
    "choose_method",
    "clear_propagator_cache",
    "krylov_dimension",
    "DENSE_MAX_DIM",
    "FASTEST_METHOD",
    "KRYLOV_DIM",
    "METHODS",
    "DEFAULT_TOL",
]

#: Largest Liouville-space dimension propagated with dense matrix exponentials by
#: :func:`propagate` ``(method="auto")`` on a generic generator.
DENSE_MAX_DIM = 1024

#: Every ``method`` accepted by :func:`simulate`.
METHODS = ("auto", "dense", "krylov", "matrix_free", "expm_multiply")

#: The fastest method per number of qubits, measured by ``python -m blendsym.bench`` on
#: the n-qubit Example 3 model (K_c = 40, T = 10, 101 outputs, error <= 1e-8; see
#: docs/performance.md).  ``"auto"`` follows this table; beyond it, ``"matrix_free"``.
FASTEST_METHOD: dict[int, str] = {
    1: "dense",
    2: "dense",
    3: "dense",
    4: "dense",
    5: "krylov",
    6: "krylov",
    7: "matrix_free",
    8: "matrix_free",
    9: "matrix_free",
    10: "matrix_free",
}

#: Krylov basis size per number of qubits (the benchmark's best; larger bases take longer
#: steps but cost more orthogonalisation per operator application).
KRYLOV_DIM: dict[int, int] = {1: 40, 2: 40, 3: 40, 4: 40, 5: 60, 6: 100, 7: 80, 8: 80, 9: 80}

#: Default target for the estimated Frobenius-norm error of every output state.
DEFAULT_TOL = 1e-9


def choose_method(n: int) -> str:
    """The propagation method ``"auto"`` uses for ``n`` qubits (:data:`FASTEST_METHOD`)."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise InvalidArgumentError(f"n must be a positive integer: found {n!r}")
    return FASTEST_METHOD.get(int(n), "matrix_free")


def krylov_dimension(n: int) -> int:
    """The Krylov basis size used for ``n`` qubits (:data:`KRYLOV_DIM`)."""
    return KRYLOV_DIM.get(int(n), 80)


@dataclass
class Trajectory:
    """A sampled solution of eq. (4).

    Attributes
    ----------
    times: shape ``(T,)``.
    states: shape ``(T, 2^n, 2^n)``, the density operators at ``times``.
    n: number of qubits.
    method: the propagation method used.
    info: what the propagator did: ``method``, ``error_estimate`` (Frobenius norm, the
        largest over the outputs), ``error_kind`` (``"estimate"`` or ``"bound"``),
        ``applications`` (operator or propagator applications), ``seconds`` and
        method-specific details (Krylov steps, basis size, tolerance, ...).
    """

    times: np.ndarray
    states: np.ndarray
    n: int
    method: str = ""
    info: dict = field(default_factory=dict)

    def reduced(self, j: int) -> np.ndarray:
        """Reduced states of qubit ``j`` (1-based) at every time, shape ``(T, 2, 2)``."""
        if isinstance(j, bool) or not isinstance(j, numbers.Integral) or not 1 <= j <= self.n:
            raise InvalidArgumentError(f"j must be a qubit index in 1..{self.n}: found {j!r}")
        return partial_trace(self.states, [int(j)])

    def bloch(self, j: int, convention: str = "standard") -> np.ndarray:
        """Bloch vectors of qubit ``j`` at every time, shape ``(T, 3)``."""
        return bloch_vector(self.reduced(j), convention)

    def __len__(self) -> int:
        return len(self.times)


def check_times(times, name: str = "times") -> np.ndarray:
    """A 1-D array of finite, non-negative, non-decreasing times."""
    if isinstance(times, numbers.Real) and not isinstance(times, bool):
        times = [times]
    try:
        t = np.asarray(times, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(f"{name} must be a 1-D array of real numbers") from exc
    if t.ndim != 1 or t.size == 0:
        raise InvalidArgumentError(f"{name} must be a non-empty 1-D array: found shape {t.shape}")
    if not np.all(np.isfinite(t)):
        raise InvalidArgumentError(f"{name} must be finite: found NaN or inf")
    if np.any(t < 0):
        raise InvalidArgumentError(f"{name} must be non-negative: found min {t.min()}")
    if np.any(np.diff(t) < 0):
        raise InvalidArgumentError(f"{name} must be non-decreasing")
    return t


# ----------------------------------------------------------------------------- kernels


def _dense_steps(
    a: np.ndarray, y0: np.ndarray, times: np.ndarray, cache: dict | None = None
) -> tuple[np.ndarray, dict]:
    r""":math:`y_{i} = e^{h_i A}y_{i-1}` with one ``expm`` per distinct step :math:`h_i`.

    Steps equal up to relative round-off (a uniform grid built by ``linspace``) share one
    exponential; the tolerance is relative, so tiny steps stay distinct.  ``cache``
    (step -> :math:`e^{hA}`) may hold exponentials of earlier calls with the same ``a``; new
    ones are added to it.  The error estimate is :math:`\sum_i u\,\|h_iA\|_1\|y_i\|_2`,
    :math:`u = 2^{-53}` being the backward error of :func:`scipy.linalg.expm` relative to
    :math:`\|h_iA\|_1`.
    """
    out = np.empty((len(times), a.shape[0]), dtype=np.result_type(a, y0))
    steps = np.diff(np.concatenate([[0.0], times]))
    cache = {} if cache is None else cache
    before = len(cache)
    used: set = set()
    y = np.array(y0, dtype=out.dtype)
    products = 0
    last = None
    for i, h in enumerate(steps):
        if h != 0:
            key = float(h)
            if last is not None and abs(last - key) <= 1e-13 * max(last, key):
                match = last
            else:
                match = next((k for k in cache if abs(k - key) <= 1e-13 * max(k, key)), None)
                if match is None:
                    cache[key] = scipy.linalg.expm(a * key)
                    match = key
            last = match
            used.add(match)
            y = cache[match] @ y
            products += 1
        out[i] = y
    norm1 = float(np.abs(a).sum(axis=0).max()) if a.size else 0.0
    norms = np.linalg.norm(out, axis=1)
    err = float(np.sum(np.finfo(float).eps / 2 * norm1 * steps * norms))
    return out, {
        "applications": products,
        "exponentials": len(used),
        "exponentials_computed": len(cache) - before,
        "error_estimate": err,
    }


def _expm_multiply(a, y0: np.ndarray, times: np.ndarray) -> tuple[np.ndarray, dict]:
    """SciPy's ``expm_multiply`` (uniform grids in one call), counting the products with ``a``
    (those of its 1-norm estimates included)."""
    a = sp.csr_matrix(a, dtype=complex)
    a_h = a.conj().T.tocsr()
    count = [0]

    def counted(mat):
        def apply(x):
            count[0] += x.shape[1] if x.ndim == 2 else 1
            return mat @ x

        return apply

    op = spla.LinearOperator(
        a.shape, matvec=counted(a), rmatvec=counted(a_h), matmat=counted(a), dtype=complex
    )
    trace = complex(a.diagonal().sum())
    out = np.empty((len(times), a.shape[0]), dtype=complex)
    steps = np.diff(np.concatenate([[0.0], times]))
    uniform = len(times) > 2 and np.allclose(steps[1:], steps[1], rtol=1e-12, atol=0)
    y = np.asarray(y0, dtype=complex)
    if uniform:
        if times[0] > 0:
            y = spla.expm_multiply(op * times[0], y, traceA=trace * times[0])
        out[:] = spla.expm_multiply(
            op,
            y,
            start=0.0,
            stop=times[-1] - times[0],
            num=len(times),
            endpoint=True,
            traceA=trace,
        )
    else:
        for i, h in enumerate(steps):
            if h != 0:
                y = spla.expm_multiply(op * h, y, traceA=trace * h)
            out[i] = y
    # Al-Mohy & Higham choose the Taylor degree and step count for a backward error of
    # at most 2^-53 relative to the operator's norm
    err = float(np.finfo(float).eps / 2 * np.linalg.norm(out, axis=1).max())
    return out, {"applications": count[0], "error_estimate": err}


def propagate(
    generator, y0: np.ndarray, times: np.ndarray, method: str = "auto", tol: float = DEFAULT_TOL
) -> np.ndarray:
    r"""Evaluate :math:`e^{A t}y_0` at each time; ``A`` dense or sparse, ``y0`` a vector.

    A generic propagator (complex arithmetic, no structure assumed): ``"dense"``,
    ``"expm_multiply"`` or ``"krylov"`` (Arnoldi, :func:`blendsym.krylov.expm_krylov`, with
    the estimated error below ``tol``).  ``"auto"`` is ``"dense"`` up to dimension
    :data:`DENSE_MAX_DIM`, else ``"krylov"``.  Returns an array of shape
    ``(len(times), len(y0))``.
    """
    n = generator.shape[0]
    times = check_times(times)
    if method == "auto":
        method = "dense" if n <= DENSE_MAX_DIM else "krylov"
    y0 = np.asarray(y0, dtype=complex)
    if method == "dense":
        a = generator.toarray() if sp.issparse(generator) else np.asarray(generator, dtype=complex)
        return _dense_steps(a.astype(complex), y0, times)[0]
    if method == "expm_multiply":
        return _expm_multiply(generator, y0, times)[0]
    if method == "krylov":
        a = sp.csr_matrix(generator, dtype=complex)
        anorm = float(abs(a).sum(axis=1).max()) if a.nnz else 0.0
        out, _ = expm_krylov(lambda x: a @ x, y0, times, tol=tol, m=40, anorm=anorm or None)
        return out
    raise InvalidArgumentError(
        f"method must be 'auto', 'dense', 'krylov' or 'expm_multiply': found {method!r}"
    )


#: Real forms of a network's Liouvillian parts, kept as long as the network lives.
_REAL_PARTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

#: Dense propagators :math:`e^{h\mathcal L_{\mathbb R}}` of ``method="dense"``, per network,
#: gain and step, kept as long as the network lives (at most :data:`PROPAGATOR_CACHE_SIZE`
#: matrices per network, oldest dropped first), so that a sweep over initial states (or a
#: repeated call) computes each exponential once.
_DENSE_PROPAGATORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

#: Largest number of dense propagators kept per network.
PROPAGATOR_CACHE_SIZE = 16


_PROPAGATOR_LOCK = threading.Lock()  # sweeps may simulate one network from several threads


def _propagator_cache(net: QuantumNetwork, gain: float) -> dict:
    with _PROPAGATOR_LOCK:
        per_net = _DENSE_PROPAGATORS.setdefault(net, {})
        per_gain = per_net.pop(gain, {})
        per_net[gain] = per_gain  # most recently used last
        return per_gain


def _trim_propagator_cache(net: QuantumNetwork) -> None:
    with _PROPAGATOR_LOCK:
        per_net = _DENSE_PROPAGATORS.get(net, {})
        total = sum(len(c) for c in per_net.values())
        for g in list(per_net):
            if total <= PROPAGATOR_CACHE_SIZE:
                break
            c = per_net[g]
            while c and total > PROPAGATOR_CACHE_SIZE:
                c.pop(next(iter(c)))
                total -= 1
            if not c:
                del per_net[g]


def clear_propagator_cache(net: QuantumNetwork | None = None) -> None:
    """Forget the dense propagators kept for ``net`` (all networks if ``None``)."""
    if net is not None and not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(
            f"net must be a QuantumNetwork or None: found {type(net).__name__}"
        )
    with _PROPAGATOR_LOCK:
        if net is None:
            _DENSE_PROPAGATORS.clear()
        else:
            _DENSE_PROPAGATORS.pop(net, None)


def _real_generator(net: QuantumNetwork, kc) -> sp.csr_matrix:
    r""":math:`\mathcal L_{\mathbb R} = (A_d)_{\mathbb R} + K_c\,(-Q_d)_{\mathbb R}` (CSR).

    The map :math:`\mathcal L\mapsto\mathcal L_{\mathbb R}` is linear, so the real forms of
    the local and SWAP parts are computed once per network and combined for each gain.
    """
    parts = _REAL_PARTS.get(net)
    if parts is None:
        d = net.dim
        parts = (
            real_liouvillian(net.local_liouvillian("scipy"), d),
            real_liouvillian(net.swap_liouvillian("scipy"), d),
        )
        _REAL_PARTS[net] = parts
    return (parts[0] + _gain(net, kc) * parts[1]).tocsr()


def _gain(net: QuantumNetwork, kc) -> float:
    """The numeric coupling gain: ``kc`` (validated) or the network's own."""
    gain = net.coupling if kc is None else _positive_parameter(kc, "kc")
    return float(net._numeric(gain, "kc" if kc is not None else "coupling (K_c)").real)


def simulate(
    net: QuantumNetwork,
    rho0,
    times,
    kc=None,
    method: str = "auto",
    *,
    tol: float = DEFAULT_TOL,
    krylov_dim: int | None = None,
    blas_threads_limit: int | None = 1,
) -> Trajectory:
    r"""Solve eq. (4) from ``rho0`` and sample it at ``times``.

    Parameters
    ----------
    net
        The network (its parameters must be numeric apart from ``K_c``).
    rho0
        The initial density operator (validated).
    times
        Non-negative, non-decreasing sample times (``t = 0`` is the time of ``rho0``).
    kc
        The coupling gain; required when ``net.coupling`` is a symbol.
    method
        ``"auto"``, ``"dense"``, ``"krylov"``, ``"matrix_free"`` or ``"expm_multiply"``
        (see the module docstring); ``"auto"`` is :func:`choose_method` ``(net.n)``.
    tol
        Target for the estimated Frobenius-norm error of the states (Krylov methods).
    krylov_dim
        Krylov basis size (default :func:`krylov_dimension` ``(net.n)``).
    blas_threads_limit
        BLAS threads during the propagation (``None``: leave as is).

    Returns
    -------
    Trajectory
        The sampled states; ``info`` records the method, the error estimate (or bound) and
        the number of operator applications.
    """
    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
    if method not in METHODS:
        raise InvalidArgumentError(f"method must be one of {', '.join(METHODS)}: found {method!r}")
    with blas_threads(blas_threads_limit):  # eigvalsh of a 2^n matrix for n = 9, 10
        rho = validate_density(rho0, name="rho0", n=net.n)
    rho = np.array(rho.evalf().tolist(), dtype=complex) if hasattr(rho, "evalf") else rho
    t = check_times(times)
    if not (isinstance(tol, numbers.Real) and tol > 0):
        raise InvalidArgumentError(f"tol must be a positive number: found {tol!r}")
    if krylov_dim is not None and (
        isinstance(krylov_dim, bool)
        or not isinstance(krylov_dim, numbers.Integral)
        or krylov_dim < 1
    ):
        raise InvalidArgumentError(f"krylov_dim must be a positive integer: found {krylov_dim!r}")
    chosen = choose_method(net.n) if method == "auto" else method
    m = krylov_dimension(net.n) if krylov_dim is None else int(krylov_dim)
    d = net.dim
    start = time.perf_counter()
    with blas_threads(blas_threads_limit):
        if chosen == "expm_multiply":
            generator = net.liouvillian(kc=kc, backend="scipy")
            ys, info = _expm_multiply(generator, rho.ravel(), t)
            states = ys.reshape(len(t), d, d)
            info["error_kind"] = "estimate"
        else:
            y0 = to_real_coordinates(rho).ravel()
            if chosen == "matrix_free":
                op = MatrixFreeLiouvillian(net, kc)
                ys, kinfo = expm_krylov(op.matvec_real, y0, t, tol=tol, m=m, anorm=op.norm_bound())
                info = _krylov_info(kinfo, tol)
            else:
                generator = _real_generator(net, kc)
                if chosen == "dense":
                    ys, info = _dense_steps(
                        generator.toarray(), y0, t, cache=_propagator_cache(net, _gain(net, kc))
                    )
                    _trim_propagator_cache(net)
                    info["error_kind"] = "estimate"
                else:
                    anorm = float(abs(generator).sum(axis=1).max()) if generator.nnz else None
                    ys, kinfo = expm_krylov(
                        _csr_matvec(generator), y0, t, tol=tol, m=m, anorm=anorm
                    )
                    info = _krylov_info(kinfo, tol)
            states = from_real_coordinates(ys.reshape(len(t), d, d), d)
    info["method"] = chosen
    info["seconds"] = time.perf_counter() - start
    return Trajectory(times=t, states=states, n=net.n, method=chosen, info=info)


def _csr_matvec(a: sp.csr_matrix):
    """``x -> a @ x`` into one reused output array (the Krylov loop copies it at once)."""
    a = sp.csr_matrix(a)
    a.sort_indices()
    out = np.empty(a.shape[0], dtype=a.dtype)
    try:
        from scipy.sparse._sparsetools import csr_matvec
    except ImportError:  # pragma: no cover - other SciPy layouts
        return lambda x: a @ x
    n_row, n_col = a.shape

    def matvec(x):
        if x.dtype != a.dtype:
            return a @ x
        out.fill(0)
        csr_matvec(n_row, n_col, a.indptr, a.indices, a.data, np.ascontiguousarray(x), out)
        return out

    return matvec


def _krylov_info(kinfo, tol: float) -> dict:
    return {
        "applications": kinfo.applications,
        "error_estimate": float(kinfo.output_errors.max()) if kinfo.output_errors.size else 0.0,
        "error_kind": "estimate",
        "tol": tol,
        "krylov_dim": kinfo.krylov_dim,
        "steps": kinfo.steps,
        "rejected": kinfo.rejected,
        "reorthogonalisations": kinfo.reorthogonalisations,
        "breakdown": kinfo.breakdown,
    }
