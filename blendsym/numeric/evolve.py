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
    (one exponential for a uniform grid), reused for every output and kept in the network's
    memo for later calls with other initial states (:func:`clear_propagator_cache`, or
    ``net.clear_cache("dense propagators")``, forgets them).  Error: the
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
(``python -m benchmarks network``, ``docs/performance.md``) found fastest for that number
of qubits, recorded in :data:`FASTEST_METHOD`.

The methods form a registry (:data:`blendsym.numeric.propagator.PROPAGATION_METHODS`); each
runs on a :class:`~blendsym.numeric.propagator.NetworkPropagator`, the numeric Liouvillian
compiled once per network and gain, which :func:`simulate` accepts in place of the network.

What is kept (``observe=``): the states, the reduced states, expectation values or the
values of a function (:mod:`blendsym.numeric.observe`); the :class:`Trajectory` says which.

Limits checked before any work (:class:`~blendsym.errors.ResourceLimitError`, message with
the numbers): :math:`\|\mathcal L\|_1 t_{final}\le 10^{14}` (round-off; naming the parameter
that makes it large), the work of ``"expm_multiply"``, and the memory the run would take
against the memory available (or ``memory_limit``), so that ``n = 12`` is refused with its
size instead of hanging or raising a raw ``MemoryError``.
"""

from __future__ import annotations

import numbers
import time

import numpy as np
import scipy.sparse as sp

from .._validate import check_int, check_real, check_times
from ..errors import InvalidArgumentError, NotComputableError, NotStoredError, ResourceLimitError
from ..model.network import QuantumNetwork
from ..model.states import bloch_vector, partial_trace, validate_density
from .krylov import blas_threads
from .limits import distinct_steps
from .matrixfree import to_real_coordinates
from .observe import Observer
from .propagator import (
    DEFAULT_TOL,
    DENSE_MAX_DIM,
    FASTEST_METHOD,
    KRYLOV_DIM,
    PROPAGATION_METHODS,
    PROPAGATOR_CACHE_SIZE,
    NetworkPropagator,
    _MatrixOperator,
    _qubits_of_dim,
    available_memory,
    check_norm_time,
    choose_method,
    clear_propagator_cache,
    estimate_memory,
    krylov_dimension,
)

__all__ = [
    "Trajectory",
    "simulate",
    "propagate",
    "check_times",
    "choose_method",
    "clear_propagator_cache",
    "krylov_dimension",
    "NetworkPropagator",
    "DENSE_MAX_DIM",
    "FASTEST_METHOD",
    "KRYLOV_DIM",
    "METHODS",
    "DEFAULT_TOL",
    "PROPAGATOR_CACHE_SIZE",
]

#: Every ``method`` accepted by :func:`simulate` (``"auto"`` and the registry's names).
METHODS = ("auto", *PROPAGATION_METHODS)

#: Fraction of the available memory a simulation may plan to use (its estimate was within
#: 5 % of the measured peak at n = 9, 10).
MEMORY_HEADROOM = 0.9


class Trajectory:
    r"""A sampled solution of eq. (4), holding what ``simulate(..., observe=...)`` kept.

    Asking for data that was not kept raises :class:`~blendsym.errors.NotStoredError`
    naming what the trajectory holds; :meth:`reduced` and :meth:`bloch` work for
    ``"states"`` and ``"reduced"``.

    Attributes
    ----------
    times: shape ``(T,)``.
    n: number of qubits.
    method: the propagation method used.
    observed: what the trajectory holds: ``"states"``, ``"reduced"``, ``"expect"`` or
        ``"function"`` (see :func:`simulate`).
    states: shape ``(T, 2^n, 2^n)``, the density operators at ``times``
        (``observed == "states"`` only).
    expect: shape ``(T, k)``, :math:`\mathrm{tr}(O_i\rho(t))` for the ``k`` operators of
        ``observe`` (real when every operator is Hermitian; ``observed == "expect"``).
    values: the list of ``f(t, rho)`` for each time (``observed == "function"``).
    info: what the propagator did: ``method``, ``error_estimate`` (Frobenius norm, the
        largest over the outputs), ``error_kind`` (``"estimate"`` or ``"bound"``),
        ``tol_met``, ``applications`` (operator or propagator applications), ``seconds``,
        ``memory_estimate`` (bytes) and method-specific details (Krylov steps, basis size,
        tolerance, ...).
    """

    def __init__(
        self,
        times,
        states=None,
        n: int = 0,
        method: str = "",
        info: dict | None = None,
        *,
        reduced_states=None,
        expect=None,
        values=None,
    ):
        self.times = np.asarray(times)
        self.n = int(n)
        self.method = method
        self.info = {} if info is None else info
        self._states = states
        self._reduced = reduced_states
        self._expect = expect
        self._values = values
        kept = [
            k
            for k, v in (
                ("states", states),
                ("reduced", reduced_states),
                ("expect", expect),
                ("function", values),
            )
            if v is not None
        ]
        if len(kept) != 1:
            raise InvalidArgumentError(
                "a Trajectory holds exactly one of states, reduced_states, expect, values: "
                f"found {kept or 'none'}"
            )
        self.observed: str = kept[0]

    def _missing(self, what: str) -> NotStoredError:
        held = {
            "states": "the states",
            "reduced": "only the reduced states (observe='reduced')",
            "expect": "only expectation values (observe=[operators])",
            "function": "only the values of a function (observe=f)",
        }[self.observed]
        return NotStoredError(
            f"the trajectory holds {held}, not {what}; simulate again with "
            f"observe={'states' if what == 'the states' else 'states or reduced'!r} to keep them"
        )

    @property
    def states(self) -> np.ndarray:
        """The density operators, shape ``(T, 2^n, 2^n)`` (``observe="states"`` only)."""
        if self._states is None:
            raise self._missing("the states")
        return self._states

    @property
    def expect(self) -> np.ndarray:
        """Expectation values, shape ``(T, k)`` (``observe=[O_1, ..., O_k]`` only)."""
        if self._expect is None:
            raise NotStoredError(
                f"the trajectory holds {self.observed!r}, not expectation values; pass "
                "observe=[operators] to simulate"
            )
        return self._expect

    @property
    def values(self) -> list:
        """The values ``f(t, rho)`` at each time (``observe=f`` only)."""
        if self._values is None:
            raise NotStoredError(
                f"the trajectory holds {self.observed!r}, not function values; pass "
                "observe=f to simulate"
            )
        return self._values

    def reduced(self, j: int) -> np.ndarray:
        """Reduced states of qubit ``j`` (1-based) at every time, shape ``(T, 2, 2)``."""
        if isinstance(j, bool) or not isinstance(j, numbers.Integral) or not 1 <= j <= self.n:
            raise InvalidArgumentError(f"j must be a qubit index in 1..{self.n}: found {j!r}")
        if self._reduced is not None:
            return self._reduced[:, int(j) - 1]
        if self._states is None:
            raise self._missing("the reduced states")
        return partial_trace(self._states, [int(j)])

    def bloch(self, j: int, convention: str = "standard") -> np.ndarray:
        """Bloch vectors of qubit ``j`` at every time, shape ``(T, 3)``."""
        return bloch_vector(self.reduced(j), convention)

    def __len__(self) -> int:
        return len(self.times)

    def __repr__(self) -> str:
        return (
            f"Trajectory(n={self.n}, times={len(self.times)}, method={self.method!r}, "
            f"observed={self.observed!r})"
        )


def _check_tol(tol) -> float:
    return check_real(tol, "tol", positive=True)


def _check_krylov_dim(krylov_dim) -> int | None:
    return None if krylov_dim is None else check_int(krylov_dim, "krylov_dim", minimum=1)


def _check_generator(generator, name: str = "generator"):
    if not (sp.issparse(generator) or isinstance(generator, np.ndarray)):
        try:
            generator = np.asarray(generator, dtype=complex)
        except (TypeError, ValueError) as exc:
            raise InvalidArgumentError(
                f"{name} must be a square matrix (NumPy or SciPy sparse): found "
                f"{type(generator).__name__}"
            ) from exc
    if generator.ndim != 2 or generator.shape[0] != generator.shape[1] or not generator.shape[0]:
        raise InvalidArgumentError(
            f"{name} must be a non-empty square matrix: found shape {generator.shape}"
        )
    data = generator.data if sp.issparse(generator) else generator
    try:
        finite = bool(np.all(np.isfinite(data)))
    except TypeError as exc:
        raise InvalidArgumentError(f"{name} must hold numbers: found dtype {data.dtype}") from exc
    if not finite:
        raise InvalidArgumentError(f"{name} must have finite entries: found NaN or inf")
    return generator


def _check_vector(y0, size: int, name: str = "y0") -> np.ndarray:
    try:
        y = np.asarray(y0, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(
            f"{name} must be a vector of numbers: found {type(y0).__name__}"
        ) from exc
    if y.ndim != 1 or y.size != size:
        raise InvalidArgumentError(
            f"{name} must be a vector of length {size} (the generator's size): found shape "
            f"{y.shape}"
        )
    if not np.all(np.isfinite(y)):
        raise InvalidArgumentError(f"{name} must have finite entries: found NaN or inf")
    return y


def propagate(
    generator,
    y0: np.ndarray,
    times: np.ndarray,
    method: str = "auto",
    tol: float = DEFAULT_TOL,
    krylov_dim: int | None = None,
) -> np.ndarray:
    r"""Evaluate :math:`e^{A t}y_0` at each time; ``A`` dense or sparse, ``y0`` a vector.

    A generic propagator (complex arithmetic, no structure assumed): ``"dense"``,
    ``"expm_multiply"`` or ``"krylov"`` (Arnoldi, :func:`blendsym.krylov.expm_krylov`, with
    the estimated error below ``tol`` and the basis size of :func:`krylov_dimension` for a
    network of the same Liouville dimension unless ``krylov_dim`` is given).  ``"auto"`` is
    ``"dense"`` up to dimension :data:`DENSE_MAX_DIM`, else ``"krylov"``.  The same method
    registry as :func:`simulate` runs them.  Returns an array of shape
    ``(len(times), len(y0))``.

    Raises :class:`~blendsym.errors.InvalidArgumentError` naming ``generator``, ``y0``,
    ``times``, ``method``, ``tol`` or ``krylov_dim`` for a bad one (non-square or non-finite
    matrix, wrong length or NaN in ``y0``), and
    :class:`~blendsym.errors.ResourceLimitError` beyond the limits of
    :mod:`blendsym.numeric.limits`.
    """
    generator = _check_generator(generator)
    size = generator.shape[0]
    y = _check_vector(y0, size)
    t = check_times(times)
    tol = _check_tol(tol)
    krylov_dim = _check_krylov_dim(krylov_dim)
    allowed = ("auto", "dense", "krylov", "expm_multiply")
    if method not in allowed:
        raise InvalidArgumentError(
            f"method must be 'auto', 'dense', 'krylov' or 'expm_multiply': found {method!r}"
        )
    if method == "auto":
        method = "dense" if size <= DENSE_MAX_DIM else "krylov"
    op = _MatrixOperator(generator)
    norm = op.norm()
    check_norm_time(norm, float(t[-1]), [])
    entry = PROPAGATION_METHODS[method]
    settings = entry.settings(_qubits_of_dim(size), tol, krylov_dim)
    out = np.empty((len(t), size), dtype=complex)

    def sink(i, vec):
        out[i] = vec

    entry.kernel(op, y, t, sink, **settings)
    if not np.all(np.isfinite(out)):
        raise NotComputableError(
            f"propagate: method {method!r} produced non-finite values (||A||_1 = {norm:.3g}, "
            f"t_final = {t[-1]:.6g})"
        )
    return out


def _numeric_rho(rho):
    return np.array(rho.evalf().tolist(), dtype=complex) if hasattr(rho, "evalf") else rho


def _gib(x: float) -> str:
    return f"{x / 2**30:.3g} GiB"


def simulate(
    net: QuantumNetwork | NetworkPropagator,
    rho0,
    times,
    kc=None,
    method: str = "auto",
    *,
    observe="states",
    tol: float = DEFAULT_TOL,
    krylov_dim: int | None = None,
    blas_threads_limit: int | None = 1,
    memory_limit: int | None = None,
) -> Trajectory:
    r"""Solve eq. (4) from ``rho0`` and sample it at ``times``.

    Parameters
    ----------
    net
        The network (its parameters must be numeric apart from ``K_c``), or a
        :class:`~blendsym.numeric.propagator.NetworkPropagator` (the network compiled at one
        gain; then ``kc`` must be ``None`` or that gain).
    rho0
        The initial density operator (validated).
    times
        Non-negative, non-decreasing sample times (``t = 0`` is the time of ``rho0``).
    kc
        The coupling gain; required when ``net.coupling`` is a symbol.
    method
        ``"auto"``, ``"dense"``, ``"krylov"``, ``"matrix_free"`` or ``"expm_multiply"``
        (see the module docstring); ``"auto"`` is :func:`choose_method` ``(net.n)``.
    observe
        What the trajectory keeps (:mod:`blendsym.numeric.observe`): ``"states"`` (default),
        ``"reduced"`` (the ``n`` reduced :math:`2\times2` states per time: memory
        :math:`O(Tn)` instead of :math:`O(T4^n)`), a list of operators (SiteOperators or
        :math:`2^n\times2^n` matrices; ``traj.expect[i, k]`` is
        :math:`\mathrm{tr}(O_k\rho(t_i))`) or a function ``f(t, rho)`` (``traj.values``).
    tol
        Target for the estimated Frobenius-norm error of the states (Krylov methods).
    krylov_dim
        Krylov basis size (default :func:`krylov_dimension` ``(net.n)``).
    blas_threads_limit
        BLAS threads during the propagation (``None``: leave as is).
    memory_limit
        Bytes the run may take (default: :data:`MEMORY_HEADROOM` of the memory available,
        :func:`~blendsym.numeric.limits.available_memory`).

    Returns
    -------
    Trajectory
        What ``observe`` asked for; ``info`` records the method, the error estimate (or
        bound), whether it met ``tol``, the number of operator applications and the memory
        estimate.

    Raises
    ------
    InvalidArgumentError, InvalidModelError
        A bad argument or a non-numeric or overflowing parameter, named.
    ResourceLimitError
        :math:`\|\mathcal L\|_1 t_{final} > 10^{14}` (naming ``kc``, a rate, a weight, the
        Hamiltonian, ``hbar`` or ``t_final``), ``"expm_multiply"`` beyond its work limit, or
        more memory than available (with the estimate by part).
    """
    if isinstance(net, NetworkPropagator):
        prop = net
        if kc is not None:
            other = NetworkPropagator(prop.network, kc).kc
            if other != prop.kc:
                raise InvalidArgumentError(
                    f"kc = {kc} differs from the propagator's gain {prop.kc:.6g}: pass kc=None "
                    "or build NetworkPropagator(net, kc)"
                )
    elif isinstance(net, QuantumNetwork):
        prop = NetworkPropagator(net, kc)
    else:
        raise InvalidArgumentError(
            f"net must be a QuantumNetwork or a NetworkPropagator: found {type(net).__name__}"
        )
    if method not in METHODS:
        raise InvalidArgumentError(f"method must be one of {', '.join(METHODS)}: found {method!r}")
    t = check_times(times)
    tol = _check_tol(tol)
    krylov_dim = _check_krylov_dim(krylov_dim)
    observer = Observer(observe, prop.n, t)
    chosen = choose_method(prop.n) if method == "auto" else method
    entry = PROPAGATION_METHODS[chosen]
    settings = entry.settings(prop.n, tol, krylov_dim)

    # ------------------------------------------------ refuse what cannot be done
    prop.check_norm_time(float(t[-1]))  # the work of expm_multiply: checked by its kernel
    memory = estimate_memory(
        prop,
        chosen,
        len(t),
        observer.output_bytes(),
        settings.get("krylov_dim"),
        n_steps=distinct_steps(t),
    )
    if memory_limit is None:
        avail = available_memory()
        # the estimate was within 5 % of the measured peak (docs/performance.md): keep 10 %
        budget = None if avail is None else int(MEMORY_HEADROOM * avail)
    else:
        budget = int(memory_limit)
    if budget is not None and memory["total"] > budget:
        parts = ", ".join(f"{k} {_gib(v)}" for k, v in memory.items() if k != "total")
        hint = (
            "observe='reduced' or a list of operators keeps O(n) numbers per time"
            if observer.kind == "states"
            else "a smaller krylov_dim or another method may fit"
        )
        raise ResourceLimitError(
            f"simulate at n = {prop.n} with method={chosen!r} and observe={observer.kind!r} "
            f"would need about {_gib(memory['total'])} ({parts}; one state is "
            f"{_gib(16 * prop.dim**2)}, {len(t)} output times), but "
            f"{_gib(budget)} are available"
            f"{'' if memory_limit is None else ' (memory_limit)'}; {hint}"
        )

    with blas_threads(blas_threads_limit):  # eigvalsh of a 2^n matrix for n = 9, 10
        rho = _numeric_rho(validate_density(rho0, name="rho0", n=prop.n))
    real = entry.real_coordinates
    y0 = to_real_coordinates(rho).ravel() if real else np.asarray(rho, dtype=complex).ravel()
    observer.start()

    def sink(i, vec):
        observer.record(i, vec, real)

    start = time.perf_counter()
    with blas_threads(blas_threads_limit):
        info = entry.kernel(prop.operator(entry.form), y0, t, sink, **settings)
    if observer.first_bad is not None:
        raise NotComputableError(
            f"simulate: method {chosen!r} produced non-finite values at t = "
            f"{t[observer.first_bad]:.6g} (||L||_1 <= {prop.norm_bound():.3g}, t_final = "
            f"{t[-1]:.6g}; the largest term of ||L||_1: {prop.norm_terms()[0][1]})"
            if prop.norm_terms()
            else f"simulate: method {chosen!r} produced non-finite values"
        )
    info["method"] = chosen
    info["seconds"] = time.perf_counter() - start
    info["memory_estimate"] = memory["total"]
    info["tol_met"] = bool(info["error_estimate"] <= tol)
    return Trajectory(t, n=prop.n, method=chosen, info=info, **observer.fields())
