r"""The compiled numeric model of eq. (4) at one gain, and the registry of propagation methods.

:class:`NetworkPropagator` ``(net, kc)`` is the numeric Liouvillian
:math:`\mathcal L = A_d - K_cQ_d` of a :class:`~blendsym.QuantumNetwork` at the gain
:math:`K_c`, in every form a propagation method needs, each built lazily and once:

=====================  ==========================================================  ==========
form                   what                                                        used by
=====================  ==========================================================  ==========
:meth:`complex_csr`    :math:`\mathcal L` (CSR, row stacking)                      ``expm_multiply``
:meth:`real_csr`       :math:`\mathcal L_{\mathbb R}` on real coordinates (CSR)    ``krylov``
:meth:`real_dense`     :math:`\mathcal L_{\mathbb R}` as a dense array             ``dense``
:meth:`matrix_free`    the action of :math:`\mathcal L_{\mathbb R}`, no matrix     ``matrix_free``
=====================  ==========================================================  ==========

(real coordinates: :mod:`blendsym.matrixfree`).  The map
:math:`\mathcal L\mapsto\mathcal L_{\mathbb R}` is linear, so the real forms of the
gain-independent parts :math:`A_d` and :math:`-Q_d` are computed once per network and
combined per gain.  Everything is kept in the network's memo (the network is immutable, so
it stays valid): the gain-independent parts as plain entries, the per-gain forms in a
section bounded by :data:`FORM_CACHE_ITEMS` and :data:`FORM_CACHE_BYTES`, and the dense
propagators :math:`e^{h\mathcal L_{\mathbb R}}` of the ``"dense"`` method (one per gain and
time step, reused for every output time and every initial state) in a section of at most
:data:`PROPAGATOR_CACHE_SIZE` matrices.  A propagator also keeps the forms it has built, so
one held by the caller never rebuilds them.  All of it is thread-safe, and none of it is
pickled.

:data:`PROPAGATION_METHODS` is the registry: name -> :class:`PropagationMethod` (the form it needs, its
kernel and the parameters it takes, with their defaults resolved in one place:
:func:`krylov_dimension`, :data:`DEFAULT_TOL`).  :func:`blendsym.simulate` and
:func:`blendsym.evolve.propagate` both run methods from it.

Limits, checked before any work, are in :mod:`blendsym.numeric.limits`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla
import sympy

from ..errors import InvalidArgumentError, InvalidModelError
from ..model._memo import clear_all
from ..model.network import QuantumNetwork, _positive_parameter
from .krylov import expm_krylov
from .limits import (
    EXPM_MULTIPLY_MAX_PRODUCTS,
    MAX_NORM_TIME,
    available_memory,
    check_expm_multiply,
    check_norm_time,
    estimate_memory,
    expm_multiply_products,
    generator_nnz_bound,
)
from .matrixfree import MatrixFreeLiouvillian, real_liouvillian

__all__ = [
    "NetworkPropagator",
    "PropagationMethod",
    "PROPAGATION_METHODS",
    "FASTEST_METHOD",
    "KRYLOV_DIM",
    "DEFAULT_TOL",
    "DENSE_MAX_DIM",
    "MAX_NORM_TIME",
    "EXPM_MULTIPLY_MAX_PRODUCTS",
    "PROPAGATOR_CACHE_SIZE",
    "FORM_CACHE_ITEMS",
    "FORM_CACHE_BYTES",
    "choose_method",
    "krylov_dimension",
    "clear_propagator_cache",
    "estimate_memory",
    "available_memory",
    "check_norm_time",
    "check_expm_multiply",
    "expm_multiply_products",
    "generator_nnz_bound",
]

#: Default target for the estimated Frobenius-norm error of every output state.
DEFAULT_TOL = 1e-9

#: Largest Liouville-space dimension propagated with dense matrix exponentials by
#: :func:`blendsym.evolve.propagate` ``(method="auto")`` on a generic generator.
DENSE_MAX_DIM = 1024

#: Largest number of dense propagators kept per network (all gains together).
PROPAGATOR_CACHE_SIZE = 16

#: Largest number of per-gain numeric forms kept per network, and their total size (the
#: most recent one is always kept).
FORM_CACHE_ITEMS = 8
FORM_CACHE_BYTES = 512 << 20

#: The fastest method per number of qubits, measured by ``python -m benchmarks network`` on
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

_EPS = float(np.finfo(float).eps)
_STEP_RTOL = 1e-13  # time steps equal within this relative difference share one propagator


def choose_method(n: int) -> str:
    """The propagation method ``"auto"`` uses for ``n`` qubits (:data:`FASTEST_METHOD`)."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InvalidArgumentError(f"n must be a positive integer: found {n!r}")
    return FASTEST_METHOD.get(int(n), "matrix_free")


def krylov_dimension(n: int) -> int:
    """The Krylov basis size used for ``n`` qubits (:data:`KRYLOV_DIM`)."""
    return KRYLOV_DIM.get(int(n), 80)


def _qubits_of_dim(dim: int) -> int:
    """The ``n`` with :math:`4^n \\ge` ``dim`` (for the defaults of a generic generator)."""
    return max(1, math.ceil(math.log(max(dim, 2), 4) - 1e-12))


# ----------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class PropagationMethod:
    """One entry of :data:`PROPAGATION_METHODS`.

    Attributes
    ----------
    name: the ``method=`` string.
    form: the operator form it propagates with (``"dense"``, ``"csr"``, ``"action"``:
        real coordinates for a network; ``"complex csr"``: the complex Liouvillian).
    summary: one line for the documentation.
    parameters: the settings it takes (``"tol"``, ``"krylov_dim"``).
    kernel: ``kernel(operator, y0, times, sink, **settings) -> info``.
    """

    name: str
    form: str
    summary: str
    parameters: tuple[str, ...]
    kernel: Callable[..., dict]

    @property
    def real_coordinates(self) -> bool:
        """Whether a network's state is propagated in real coordinates."""
        return self.form != "complex csr"

    def settings(self, n_qubits: int, tol: float | None = None, krylov_dim=None) -> dict:
        """The keyword arguments of the kernel, defaults resolved (one place for them)."""
        out: dict[str, Any] = {}
        if "tol" in self.parameters:
            out["tol"] = DEFAULT_TOL if tol is None else float(tol)
        if "krylov_dim" in self.parameters:
            out["krylov_dim"] = (
                krylov_dimension(n_qubits) if krylov_dim is None else int(krylov_dim)
            )
        return out


def _dense_kernel(op, y0, times, sink) -> dict:
    r""":math:`y_i = e^{h_iA}y_{i-1}` with one ``expm`` per distinct step :math:`h_i`.

    Steps equal up to relative round-off (a uniform grid built by ``linspace``) share one
    exponential (``op.exponential``, which may keep it for later calls); the tolerance is
    relative, so tiny steps stay distinct.  Error estimate
    :math:`\sum_i u\,\|h_iA\|_1\|y_i\|_2`, :math:`u = 2^{-53}` being the backward error of
    :func:`scipy.linalg.expm` relative to :math:`\|h_iA\|_1`.
    """
    steps = np.diff(np.concatenate([[0.0], times]))
    y = np.array(y0, dtype=np.result_type(op.dtype, y0.dtype))
    used: set = set()
    computed = 0
    products = 0
    last_key = None
    last_mat = None
    err = 0.0
    norm1 = op.norm()
    for i, h in enumerate(steps):
        if h != 0:
            key = float(h)
            if last_key is None or abs(last_key - key) > _STEP_RTOL * max(last_key, key):
                last_key, last_mat, fresh = op.exponential(key)
                computed += int(fresh)
            used.add(last_key)
            y = last_mat @ y
            products += 1
        err += _EPS / 2 * norm1 * h * float(np.linalg.norm(y))
        sink(i, y)
    return {
        "applications": products,
        "exponentials": len(used),
        "exponentials_computed": computed,
        "error_estimate": err,
        "error_kind": "estimate",
    }


def _krylov_kernel(op, y0, times, sink, *, tol: float, krylov_dim: int) -> dict:
    """:func:`blendsym.krylov.expm_krylov` on ``op.action()``."""
    matvec, anorm = op.action()
    _, kinfo = expm_krylov(matvec, y0, times, tol=tol, m=krylov_dim, anorm=anorm, sink=sink)
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


def _expm_multiply_kernel(op, y0, times, sink) -> dict:
    """SciPy's ``expm_multiply`` (uniform grids in one call), counting the products with the
    matrix (those of its 1-norm estimates included)."""
    a = op.csr()
    check_expm_multiply(op.norm(), float(times[-1]))
    a_h = a.conj().T.tocsr()
    count = [0]

    def counted(mat):
        def apply(x):
            count[0] += x.shape[1] if x.ndim == 2 else 1
            return mat @ x

        return apply

    linop = spla.LinearOperator(
        a.shape, matvec=counted(a), rmatvec=counted(a_h), matmat=counted(a), dtype=a.dtype
    )
    trace = complex(a.diagonal().sum())
    steps = np.diff(np.concatenate([[0.0], times]))
    uniform = len(times) > 2 and np.allclose(steps[1:], steps[1], rtol=1e-12, atol=0)
    y = np.asarray(y0, dtype=complex)
    peak = 0.0
    if uniform:
        if times[0] > 0:
            y = spla.expm_multiply(linop * times[0], y, traceA=trace * times[0])
        ys = spla.expm_multiply(
            linop,
            y,
            start=0.0,
            stop=times[-1] - times[0],
            num=len(times),
            endpoint=True,
            traceA=trace,
        )
        for i in range(len(times)):
            peak = max(peak, float(np.linalg.norm(ys[i])))
            sink(i, ys[i])
    else:
        for i, h in enumerate(steps):
            if h != 0:
                y = spla.expm_multiply(linop * h, y, traceA=trace * h)
            peak = max(peak, float(np.linalg.norm(y)))
            sink(i, y)
    # Al-Mohy & Higham choose the Taylor degree and step count for a backward error of at
    # most 2^-53 relative to the operator's norm
    return {
        "applications": count[0],
        "error_estimate": _EPS / 2 * peak,
        "error_kind": "estimate",
    }


#: The propagation methods: name -> :class:`PropagationMethod`.
PROPAGATION_METHODS: dict[str, PropagationMethod] = {
    m.name: m
    for m in (
        PropagationMethod(
            "dense",
            "dense",
            "scipy.linalg.expm of the dense (real) Liouvillian per distinct time step, "
            "kept for later calls",
            (),
            _dense_kernel,
        ),
        PropagationMethod(
            "krylov",
            "csr",
            "Arnoldi exponential (blendsym.krylov.expm_krylov) on the sparse (real) Liouvillian",
            ("tol", "krylov_dim"),
            _krylov_kernel,
        ),
        PropagationMethod(
            "matrix_free",
            "action",
            "the Krylov propagator on the matrix-free action (no superoperator matrix)",
            ("tol", "krylov_dim"),
            _krylov_kernel,
        ),
        PropagationMethod(
            "expm_multiply",
            "complex csr",
            "scipy.sparse.linalg.expm_multiply on the complex sparse Liouvillian (a cross-check)",
            (),
            _expm_multiply_kernel,
        ),
    )
}


# ----------------------------------------------------------------------------- numeric data


def _show(expr) -> str:
    """A short text for a number (``1.000e+400``, not its 400 digits)."""
    text = str(expr)
    if len(text) > 24:
        try:
            text = str(sympy.Float(sympy.sympify(expr), 4))
        except (TypeError, ValueError, sympy.SympifyError):
            text = text[:21] + "..."
    return text


def _finite_number(expr, name: str, net: QuantumNetwork | None = None) -> complex:
    """``complex(expr)``, refusing free symbols and values that overflow double precision."""
    if net is not None:
        value = net._numeric(sympy.sympify(expr), name)
    else:
        try:
            value = complex(expr)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidModelError(f"{name} must be a number: found {_show(expr)}") from exc
    if not (math.isfinite(value.real) and math.isfinite(value.imag)):
        raise InvalidModelError(
            f"{name} = {_show(expr)} is not finite in double precision (|x| > 1.8e308): "
            "the numeric Liouvillian would hold inf or NaN"
        )
    return value


def _pauli_weight(op, name: str) -> float:
    r""":math:`\sum_P|c_P|`, an upper bound of the operator's 1- and infinity-norms."""
    syms = op.free_symbols
    if syms:
        raise InvalidModelError(
            f"{name} has free symbols {sorted(map(str, syms))}; substitute values with "
            "net.subs({...}) before numeric propagation"
        )
    total = 0.0
    for key, c in op.terms.items():
        label = "*".join(f"{p}{s}" for s, p in key) or "I"
        total += abs(_finite_number(c, f"{name}: the coefficient of {label}"))
    return total


@dataclass(frozen=True)
class _NormTerm:
    value: float  # contribution to the bound of ||L||_1
    blame: str  # the parameter responsible, with its magnitude


def _norm_terms(net: QuantumNetwork, kc: float, kc_name: str) -> list[_NormTerm]:
    hbar = _finite_number(net.hbar, "hbar", net).real
    if not hbar > 0:
        raise InvalidModelError(
            f"hbar = {_show(net.hbar)} is zero in double precision: 1/hbar overflows"
        )
    terms = []
    h_weight = _pauli_weight(net.hamiltonian, "hamiltonian")
    if h_weight:
        value = 2 * h_weight / hbar
        blame = (
            f"hbar = {hbar:.3g} (2 sum|c_P| / hbar = {value:.3g})"
            if 1 / hbar > h_weight
            else f"hamiltonian (sum of |Pauli coefficients| = {h_weight:.3g}; 2 sum|c_P| / hbar "
            f"= {value:.3g})"
        )
        terms.append(_NormTerm(value, blame))
    for i, (g, l_op) in enumerate(net.jumps):
        rate = _finite_number(g, f"jumps[{i}] rate", net).real
        w = _pauli_weight(l_op, f"jumps[{i}]")
        with np.errstate(over="ignore"):
            value = float(np.float64(2.0) * rate * np.float64(w) ** 2)
        blame = (
            f"jumps[{i}] rate = {rate:.3g} (2 gamma ||L||^2 = {value:.3g})"
            if rate >= w * w
            else f"jumps[{i}] operator (sum of |Pauli coefficients| = {w:.3g}; 2 gamma ||L||^2 "
            f"= {value:.3g})"
        )
        terms.append(_NormTerm(value, blame))
    if net.graph.edges:
        weights = [_finite_number(a, f"weights a_{j}{k}").real for j, k, a in net.graph.edges]
        total = float(sum(weights))
        value = 2 * kc * total
        big = max(weights)
        blame = (
            f"{kc_name} = {kc:.3g} (2 K_c sum a_jk = {value:.3g})"
            if kc >= big
            else f"weights (largest a_jk = {big:.3g}; 2 K_c sum a_jk = {value:.3g})"
        )
        terms.append(_NormTerm(value, blame))
    return terms


# ----------------------------------------------------------------------------- the propagator


class NetworkPropagator:
    r"""The numeric Liouvillian of eq. (4) of ``net`` at the gain ``kc``, compiled once.

    Every numeric parameter is checked here: a free symbol, or a value that overflows double
    precision (``kc = 1e400``, a rate of ``1e400``, ``hbar = 1e-400``), raises
    :class:`~blendsym.errors.InvalidModelError` naming it.  The forms (module docstring) are
    built on first use and shared through the network's memo with every other propagator
    of the same network and gain; pass the propagator to :func:`blendsym.simulate` in place
    of the network to keep them alive for as long as it is held.

    Parameters
    ----------
    net:
        A :class:`~blendsym.QuantumNetwork` whose parameters are numeric (apart from
        :math:`K_c` when ``kc`` is given).
    kc:
        The coupling gain (default: ``net.coupling``, which must then be a number).

    Attributes
    ----------
    network: the :class:`~blendsym.QuantumNetwork`.
    kc: the gain, a float.
    n: the number of qubits.
    dim: :math:`2^n`.
    """

    def __init__(self, net: QuantumNetwork, kc=None):
        if not isinstance(net, QuantumNetwork):
            raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
        kc_name = "kc" if kc is not None else "coupling (K_c)"
        gain = net.coupling if kc is None else _positive_parameter(kc, "kc")
        self._kc = float(_finite_number(gain, kc_name, net).real)
        self._net = net
        self._terms = _norm_terms(net, self._kc, kc_name)
        self._forms: dict[str, Any] = {}

    # ------------------------------------------------------------------ data
    @property
    def network(self) -> QuantumNetwork:
        return self._net

    @property
    def kc(self) -> float:
        return self._kc

    @property
    def n(self) -> int:
        return self._net.n

    @property
    def dim(self) -> int:
        return self._net.dim

    def __repr__(self) -> str:
        return f"NetworkPropagator(n={self.n}, kc={self._kc:.6g})"

    def __getstate__(self) -> dict:
        """The network (without its memo) and the gain; forms are rebuilt where needed."""
        return {"net": self._net, "kc": self._kc, "terms": self._terms}

    def __setstate__(self, state: dict) -> None:
        self._net = state["net"]
        self._kc = state["kc"]
        self._terms = state["terms"]
        self._forms = {}

    def norm_bound(self) -> float:
        r"""An upper bound of :math:`\|\mathcal L\|_1` from the factors (module docstring)."""
        return float(sum(t.value for t in self._terms))

    def norm_terms(self) -> list[tuple[float, str]]:
        """``(contribution, parameter)`` pairs of :meth:`norm_bound`, largest first."""
        return sorted(((t.value, t.blame) for t in self._terms), reverse=True)

    def check_norm_time(self, t_final: float, name: str = "t_final") -> None:
        r"""Refuse :math:`\|\mathcal L\|_1 T >` :data:`MAX_NORM_TIME`, naming the cause."""
        check_norm_time(self.norm_bound(), t_final, self.norm_terms(), name)

    # ------------------------------------------------------------------ forms
    def _memo(self):
        return self._net._memo

    def _form(self, name: str, build: Callable[[], Any]) -> Any:
        got = self._forms.get(name)
        if got is None:
            _, got, _ = self._memo().section_get(
                "numeric forms",
                (name, self._kc),
                build,
                max_items=FORM_CACHE_ITEMS,
                max_bytes=FORM_CACHE_BYTES,
            )
            self._forms[name] = got
        return got

    def _real_parts(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        net = self._net
        return self._memo().get(
            "real parts",
            lambda: tuple(
                _frozen_csr(real_liouvillian(part, net.dim))
                for part in (net.local_liouvillian("scipy"), net.swap_liouvillian("scipy"))
            ),
        )

    def complex_csr(self) -> sp.csr_matrix:
        r""":math:`\mathcal L = A_d - K_cQ_d` (complex CSR, read-only)."""
        return self._form(
            "complex csr",
            lambda: _frozen_csr(
                self._net.local_liouvillian("scipy")
                + self._kc * self._net.swap_liouvillian("scipy")
            ),
        )

    def real_csr(self) -> sp.csr_matrix:
        r""":math:`\mathcal L_{\mathbb R} = (A_d)_{\mathbb R} + K_c(-Q_d)_{\mathbb R}` (CSR,
        read-only)."""

        def build():
            local, swap = self._real_parts()
            return _frozen_csr(local + self._kc * swap)

        return self._form("real csr", build)

    def real_dense(self) -> np.ndarray:
        r""":math:`\mathcal L_{\mathbb R}` as a dense array (read-only)."""

        def build():
            a = self.real_csr().toarray()
            a.flags.writeable = False
            return a

        return self._form("real dense", build)

    def matrix_free(self) -> MatrixFreeLiouvillian:
        r"""The matrix-free action of :math:`\mathcal L` (:class:`MatrixFreeLiouvillian`);
        a copy with its own work arrays, so that each caller (thread) may apply it."""
        return self._form("matrix free", lambda: MatrixFreeLiouvillian(self._net, self._kc)).copy()

    def exponential(self, h: float) -> tuple[float, np.ndarray, bool]:
        r"""``(step, e^{step L_R}, computed)`` for the step within relative
        :math:`10^{-13}` of ``h`` (a dense propagator, kept in the network's memo)."""
        kc = self._kc

        def match(keys):
            for g, k in keys:
                if g == kc and abs(k - h) <= _STEP_RTOL * max(k, h):
                    return (g, k)
            return None

        key, mat, computed = self._memo().section_get(
            "dense propagators",
            (kc, float(h)),
            lambda: _frozen(scipy.linalg.expm(self.real_dense() * h)),
            max_items=PROPAGATOR_CACHE_SIZE,
            match=match,
        )
        return key[1], mat, computed

    # ------------------------------------------------------------------ kernel operators
    def operator(self, form: str) -> _Operator:
        """The object a kernel of :data:`PROPAGATION_METHODS` propagates with, for ``form``."""
        return _NetworkOperator(self, form)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _frozen_csr(m) -> sp.csr_matrix:
    m = sp.csr_matrix(m)
    m.sum_duplicates()
    m.eliminate_zeros()
    m.sort_indices()
    for arr in (m.data, m.indices, m.indptr):
        arr.flags.writeable = False
    return m


def _norm1(a) -> float:
    """The 1-norm (largest absolute column sum), 0 for an empty matrix."""
    if sp.issparse(a):
        return float(abs(a).sum(axis=0).max()) if a.nnz else 0.0
    return float(np.abs(a).sum(axis=0).max()) if a.size else 0.0


class _Operator:
    """What a kernel needs: ``dtype``, ``csr()``, ``action()``, ``norm()``, ``exponential(h)``."""

    dtype: np.dtype


class _NetworkOperator(_Operator):
    def __init__(self, prop: NetworkPropagator, form: str):
        self.prop = prop
        self.form = form
        self.dtype = np.dtype(complex) if form == "complex csr" else np.dtype(float)
        self._norm: float | None = None

    def csr(self):
        return self.prop.complex_csr() if self.form == "complex csr" else self.prop.real_csr()

    def norm(self) -> float:
        if self._norm is None:
            if self.form == "dense":
                self._norm = _norm1(self.prop.real_dense())
            elif self.form in ("csr", "complex csr"):
                self._norm = _norm1(self.csr())
            else:
                self._norm = self.prop.norm_bound()
        return self._norm

    def action(self):
        if self.form == "action":
            op = self.prop.matrix_free()
            return op.matvec_real, op.norm_bound()
        a = self.csr()
        return _csr_matvec(a), float(abs(a).sum(axis=1).max()) if a.nnz else None

    def exponential(self, h: float):
        return self.prop.exponential(h)


class _MatrixOperator(_Operator):
    """A generic generator (dense or sparse), complex arithmetic, nothing kept between calls."""

    def __init__(self, generator):
        self.generator = generator
        self.dtype = np.dtype(complex)
        self._dense: np.ndarray | None = None
        self._csr = None
        self._cache: dict[float, np.ndarray] = {}

    def dense(self) -> np.ndarray:
        if self._dense is None:
            g = self.generator
            self._dense = (g.toarray() if sp.issparse(g) else np.asarray(g)).astype(complex)
        return self._dense

    def csr(self):
        if self._csr is None:
            self._csr = sp.csr_matrix(self.generator, dtype=complex)
        return self._csr

    def norm(self) -> float:
        return _norm1(self.generator if sp.issparse(self.generator) else self.dense())

    def action(self):
        a = self.csr()
        anorm = float(abs(a).sum(axis=1).max()) if a.nnz else 0.0
        return (lambda x: a @ x), (anorm or None)

    def exponential(self, h: float):
        for k, mat in self._cache.items():
            if abs(k - h) <= _STEP_RTOL * max(k, h):
                return k, mat, False
        self._cache[h] = scipy.linalg.expm(self.dense() * h)
        return h, self._cache[h], True


def _csr_matvec(a: sp.csr_matrix):
    """``x -> a @ x`` into one output array owned by this closure (the Krylov loop copies it
    at once); ``a`` has sorted indices and is only read."""
    try:
        from scipy.sparse._sparsetools import csr_matvec
    except ImportError:  # pragma: no cover - other SciPy layouts
        return lambda x: a @ x
    out = np.empty(a.shape[0], dtype=a.dtype)
    n_row, n_col = a.shape

    def matvec(x):
        if x.dtype != a.dtype:
            return a @ x
        out.fill(0)
        csr_matvec(n_row, n_col, a.indptr, a.indices, a.data, np.ascontiguousarray(x), out)
        return out

    return matvec


def clear_propagator_cache(net: QuantumNetwork | None = None) -> None:
    """Forget the dense propagators kept for ``net`` (all networks if ``None``): the next
    ``method="dense"`` call computes its exponentials again.  Same as
    ``net.clear_cache("dense propagators")``."""
    if net is not None and not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(
            f"net must be a QuantumNetwork or None: found {type(net).__name__}"
        )
    if net is None:
        clear_all("dense propagators")
    else:
        net.clear_cache("dense propagators")
