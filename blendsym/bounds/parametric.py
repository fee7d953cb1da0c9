r"""Theorems 1, 2 and 4 as NumPy functions of a model's free symbols.

For a network whose Hamiltonian coefficients, rates, jump coefficients or :math:`\hbar` are
SymPy symbols, :func:`theorem1_function`, :func:`theorem2_function` and
:func:`theorem4_function` derive once what has a closed form and return a
:class:`TheoremFunction`: called with the symbols as keyword arguments (NumPy arrays that
broadcast against each other, as for
:class:`~blendsym.numeric.lambdified.ParametricFunction`), it returns a
:class:`ParametricBound` whose :math:`K_c^*` and constants are arrays of the broadcast shape.
At each point they equal what ``theorem1(net.subs(point), rho0, eta)`` ... compute
(``tests/test_parametric_bounds.py``: relative :math:`10^{-10}`), by the same formulas.

Where each constant comes from (``TheoremFunction.sources``, ``ParametricConstants.source``):

``"closed form"``
    a SymPy expression derived once and lambdified (``TheoremFunction.closed_forms``):
    :math:`\lambda_m(Q)` (exact; the weights are numbers, so a constant), :math:`C_\Sigma`
    and the :math:`C` of Theorem 4 (exact from an exact :math:`\rho(0)`), :math:`\rho_r`
    (the exact kernel of :math:`\bar{\mathcal L}` over the rational functions of the
    symbols), :math:`\mu` when the exact analysis decides the slowest rate for generic
    values (e.g. :math:`\gamma/4`), :math:`K_{c1} = \frac{1}{T_1\lambda_m}\ln\frac{2C}\eta`
    (Theorems 2, 4), :math:`m` (Theorem 2) when the exact analysis decides it;
``"batched numeric"``
    computed per point in double precision by NumPy on stacks of lambdified matrices
    (:mod:`blendsym.bounds.parametric_spectra`): :math:`\|\mathcal L\| = \max_j\|\mathcal
    L_j\|_2` (eq. (19); SVD of ``(N, n, 4, 4)``), :math:`\mu` otherwise (roots of the
    exactly factored characteristic polynomial), :math:`L_c` (spectral projectors of the
    roots with their exact multiplicities, Jordan-chain terms), :math:`M` (the certified grid
    bound of :math:`\|e^{\bar{\mathcal L}t}\|/\sum_jt^j` on :math:`[0, T_2]`, all points
    stepped together), :math:`\|A_d\|` (dense :math:`4^n\times4^n` SVD per point,
    ``CompiledNetwork.local_liouvillian_dense``);
``"numeric constant"``
    computed once from a floating-point :math:`\rho(0)` (it does not depend on the symbols);
``"derived"``
    the theorem's formula, vectorised, from the other fields (:math:`D, C, T^*, f(T_2),
    D(T_2), K_{c2}, K_c^*`);
``"integer"``
    :math:`n, p`.

Theorem 3 (:math:`m_d, M_d` of the :math:`p\times p` blended coherent generator) is not
covered: use ``theorem3(net.subs(point), ...)``.  The graph weights are numbers (a
:class:`~blendsym.Graph` refuses symbolic weights), so :math:`\lambda_m(Q)` is one exact
constant, and :math:`K_c` (a symbol of the model or not) enters no constant: it is accepted
as a keyword and ignored.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields

import numpy as np
import sympy

from .._validate import check_instance, check_qubits
from ..errors import InvalidArgumentError, NotComputableError
from ..model.network import QuantumNetwork
from ..model.permutations import permutation_invariant_projection
from ..model.states import reduced_states, validate_density
from ..model.structured_states import is_structured_state
from ..numeric.lambdified import ParametricFunction, check_parameter_values, symbol_table
from ..section4.blended import blended_reduced_state
from ._common import check_eta, check_interval, check_positive_time
from .coherent import _first_gain
from .constants import (
    Theorem1Constants,
    Theorem2Constants,
    Theorem4Constants,
    TheoremConstants,
)
from .parametric_spectra import BatchedSpectrum, Points, evaluate, spectral_norms
from .reduced_state import _component

__all__ = [
    "ParametricBound",
    "ParametricConstantInfo",
    "ParametricConstants",
    "TheoremFunction",
    "theorem1_function",
    "theorem2_function",
    "theorem4_function",
]

CLOSED = "closed form"
BATCHED = "batched numeric"
CONSTANT = "numeric constant"
DERIVED = "derived"
INTEGER = "integer"

#: Points evaluated together (stacks of 4 x 4 matrices: a few MB of temporaries).
_CHUNK_POINTS = 4096
#: Bytes of the dense A_d stacks evaluated together (Theorem 4).
_CHUNK_BYTES = 2**26


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ParametricConstantInfo:
    """One constant of a parametric bound: field name, the paper's label, where its values
    come from (``"closed form"``, ``"batched numeric"``, ...) and how it is computed."""

    name: str
    label: str
    source: str
    how: str


class ParametricConstants(Mapping):
    r"""The constants of one theorem as arrays over the parameter points.

    Fields are named as in the theorem's record
    (:class:`~blendsym.bounds.constants.Theorem1Constants`, ...): read them as attributes
    (``k.mu``) or as a mapping by field name or the paper's label (``k["lambda_m(Q)"]``).
    Numeric fields have the broadcast shape of the parameters (``rho_r``: that shape
    followed by ``(2, 2)``); the string fields of Theorem 4 are strings.
    """

    def __init__(self, record: type[TheoremConstants], values: dict, sources: dict):
        self._record = record
        self._values = dict(values)
        self._sources = dict(sources)
        self._labels = {f.name: f.metadata["label"] for f in fields(record)}

    def _name(self, key: str) -> str:
        for name, label in self._labels.items():
            if key in (name, label):
                return name
        raise KeyError(key)

    def __getitem__(self, key: str):
        return self._values[self._name(key)]

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[self._name(name)]
        except KeyError:
            raise AttributeError(
                f"{self._record.__name__} has no constant {name!r}: {', '.join(self._labels)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels.values())

    def __len__(self) -> int:
        return len(self._labels)

    def source(self, key: str) -> str:
        """Where the values of one constant come from (module docstring)."""
        try:
            return self._sources[self._name(key)]
        except KeyError:
            raise InvalidArgumentError(
                f"key must name a constant of {self._record.__name__} (one of "
                f"{', '.join(self._labels.values())}): found {key!r}"
            ) from None

    def describe(self) -> list[ParametricConstantInfo]:
        """Name, label, source and method of every constant, in field order."""
        return [
            ParametricConstantInfo(c.name, c.label, self._sources[c.name], c.how)
            for c in self._record.describe()
        ]

    def __repr__(self) -> str:
        return f"ParametricConstants({self._record.__name__}, {list(self._labels.values())})"


@dataclass(frozen=True)
class ParametricBound:
    r"""A theorem's threshold over many parameter points.

    ``kc_star`` has the broadcast shape of the parameters; ``constants`` is a
    :class:`ParametricConstants`; ``kc_star_printed`` is :math:`K_c^*` from the printed
    formula (Theorem 2), else ``None``.
    """

    theorem: str
    shape: tuple[int, ...]
    kc_star: np.ndarray
    constants: ParametricConstants
    kc_star_printed: np.ndarray | None = None


class TheoremFunction:
    r"""A theorem's :math:`K_c^*` and constants as a NumPy function of the model's symbols.

    Call it with the symbols as keyword arguments: ``f(omega=w, gamma=g)`` (arrays that
    broadcast; unknown names and missing symbols raise
    :class:`~blendsym.errors.InvalidArgumentError` naming them; a point where the generic
    derivation does not apply raises :class:`~blendsym.errors.NotComputableError` naming
    it).  Attributes: ``theorem``, ``symbols`` (the names accepted), ``parameters`` (the names
    needed), ``closed_forms`` (field name -> SymPy expression), ``sources`` (field name ->
    where its values come from, module docstring).
    """

    def __init__(
        self,
        theorem: str,
        record: type[TheoremConstants],
        allowed: dict[str, sympy.Symbol],
        parameters,
        closed_forms: dict,
        sources: dict,
        compute: Callable[[Points], dict],
        chunk: int = _CHUNK_POINTS,
    ):
        self.theorem = theorem
        self._record = record
        self._allowed = dict(allowed)
        self.symbols: tuple[str, ...] = tuple(sorted(allowed))
        self.parameters: tuple[str, ...] = tuple(sorted(set(parameters)))
        self.closed_forms: dict = dict(closed_forms)
        self.sources: dict[str, str] = dict(sources)
        self._compute = compute
        self._chunk = max(1, int(chunk))

    def __repr__(self) -> str:
        params = ", ".join(f"{p}=..." for p in self.parameters)
        return f"<{self.theorem} function({params}) -> K_c* and constants>"

    def __call__(self, **values) -> ParametricBound:
        arrays = check_parameter_values(values, self._allowed, self.parameters, self.theorem)
        try:
            shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
        except ValueError:
            shapes = {k: a.shape for k, a in arrays.items()}
            raise InvalidArgumentError(
                f"{self.theorem}: the parameter arrays do not broadcast together: shapes {shapes}"
            ) from None
        pts = Points(arrays, shape)
        parts = [
            self._compute(pts.chunk(i, min(i + self._chunk, pts.size)))
            for i in range(0, pts.size, self._chunk)
        ]
        out: dict = {}
        for key, first in parts[0].items():
            if isinstance(first, str):
                out[key] = first
                continue
            joined = np.concatenate([np.asarray(p[key]) for p in parts], axis=0)
            out[key] = joined.reshape(tuple(shape) + joined.shape[1:])
        printed = out.pop("kc_star_printed", None)
        kc = out.pop("kc_star")
        return ParametricBound(
            self.theorem,
            tuple(shape),
            kc,
            ParametricConstants(self._record, out, self.sources),
            printed,
        )


# ----------------------------------------------------------------------------- shared parts


def _full(pts: Points, value, dtype=float) -> np.ndarray:
    return np.full(pts.size, value, dtype=dtype)


def _exact_frobenius(mats) -> sympy.Expr:
    r""":math:`\sqrt{\sum\|X\|_F^2}` of exact matrices, exactly."""
    total = sympy.Integer(0)
    for x in mats:
        for e in x:
            total += sympy.expand(e * sympy.conjugate(e))
    return sympy.sqrt(sympy.radsimp(sympy.expand(total)))


def _numeric(rho) -> np.ndarray:
    return np.array(rho.evalf().tolist(), dtype=complex) if hasattr(rho, "evalf") else rho


def _c_sigma(rho) -> tuple[sympy.Expr, float, str]:
    r""":math:`C_\Sigma = \sqrt{\sum_j\|\rho_j(0)-\bar\rho(0)\|_F^2}`: exact from an exact state."""
    parts = reduced_states(rho)
    n = len(parts)
    if isinstance(rho, sympy.MatrixBase):
        mean = sum(parts, sympy.zeros(2, 2)) / n
        expr = _exact_frobenius([p - mean for p in parts])
        return expr, float(expr.evalf(30)), CLOSED
    mean = sum(parts) / n
    value = math.sqrt(sum(np.linalg.norm(p - mean, "fro") ** 2 for p in parts))
    return sympy.Float(value), value, CONSTANT


def _separable_setup(net, rho0, component, theorem: str):
    """The (component) network, its blended dynamics, its symbols and the shared constants
    of Theorems 1-2: lambda_m (exact), C_Sigma, the local generators as one function."""
    check_instance(net, QuantumNetwork, "net")
    # the symbols of the whole network are accepted (a component may use only some of them)
    allowed = symbol_table(net.free_symbols, "the network")
    net, rho0, sites = _component(net, rho0, component, theorem)
    name = theorem if sites is None else f"{theorem} (component {component}, sites {list(sites)})"
    b = blended_reduced_state(net)
    rho = validate_density(rho0, name="rho0", n=net.n)
    lam = net.graph.lambda_m
    c_expr, c_sigma, c_source = _c_sigma(rho)
    distinct = list(dict.fromkeys(sympy.ImmutableMatrix(g) for g in b.local_generators()))
    local = ParametricFunction(
        [[[g[i, j] for j in range(4)] for i in range(4)] for g in distinct],
        allowed,
        f"{name}: local generators",
    )
    return net, b, allowed, name, lam, (c_expr, c_sigma, c_source), local


def _norm_l(local: ParametricFunction, pts: Points) -> np.ndarray:
    r""":math:`\|\mathcal L\| = \max_j\|\mathcal L_j\|_2` (eq. (19)) at every point."""
    return spectral_norms(np.array(evaluate(local, pts))).max(axis=1)


# ----------------------------------------------------------------------------- Theorem 1


def theorem1_function(
    net: QuantumNetwork, rho0, eta, *, component: int | None = None
) -> TheoremFunction:
    r"""Theorem 1 as a function of the model's symbols (module docstring):
    :math:`K_c^* = \max\{\mu/\lambda_m,\ 2(1+\sqrt2)D/\eta\}` with
    :math:`D = \frac{L_c\|\mathcal L\|}{\lambda_m}\big(\frac{C_\Sigma}{n}+\frac{\|\mathcal L\|}
    {\mu}\big)+\frac{n\|\mathcal L\|}{\lambda_m}`, :math:`C = (1+\sqrt2)(C_\Sigma+L_c)`,
    :math:`T^* = \frac2\mu\ln\frac C\eta`, at every parameter point, as
    :func:`~blendsym.bounds.theorem1` computes them for ``net.subs(point)``.

    Needs a separable network whose blended dynamics (6) is relaxing for generic values
    (exactly: 0 is a simple eigenvalue) and at each point (numerically: every other
    eigenvalue has :math:`\mathrm{Re}\,\lambda<0`; points where that, or the generic
    eigenvalue structure, fails raise :class:`~blendsym.errors.NotComputableError` naming
    them).  ``component=i``: one connected component of a disconnected graph.
    """
    eta = check_eta(eta)
    net, b, allowed, name, lam, (c_expr, c_sigma, c_src), local = _separable_setup(
        net, rho0, component, "Theorem 1"
    )
    spec = b.spectral
    batched = BatchedSpectrum(spec, b.generator_function(), allowed, name)
    try:
        relaxing = spec.is_relaxing
    except NotComputableError:  # roots without closed form: decided at each point
        relaxing = batched.zero_multiplicity == 1
    if not relaxing or batched.zero_multiplicity != 1:
        raise NotComputableError(
            "Theorem 1 needs relaxing blended dynamics (6): for generic values of the symbols "
            "the blended generator has several independent steady states or undamped modes; "
            "use theorem2_function"
        )
    rho_fn = b.steady_state_function()
    try:
        mu_fn: ParametricFunction | None = b.mu_function()
    except NotComputableError:
        mu_fn = None
    lam_f = float(lam)
    n = net.n
    gen = b.generator_function()

    def compute(pts: Points) -> dict:
        a = np.array(evaluate(gen, pts))
        roots = batched.roots(pts)
        batched.check_relaxing(roots, pts)
        mu = np.array(evaluate(mu_fn, pts)) if mu_fn is not None else batched.mu(roots)
        l_c = batched.lipschitz(a, roots, mu, pts)
        norm_l = _norm_l(local, pts)
        d = l_c * norm_l / lam_f * (c_sigma / n + norm_l / mu) + n * norm_l / lam_f
        c = (1 + math.sqrt(2)) * (c_sigma + l_c)
        kc = np.maximum(mu / lam_f, 2 * (1 + math.sqrt(2)) * d / eta)
        t_star = np.maximum(0.0, 2 / mu * np.log(c / eta))
        return {
            "n": _full(pts, n, int),
            "lambda_m": _full(pts, lam_f),
            "norm_L": norm_l,
            "C_Sigma": _full(pts, c_sigma),
            "mu": mu,
            "L_c": l_c,
            "D": d,
            "C": c,
            "T_star": t_star,
            "rho_r": np.array(evaluate(rho_fn, pts)),
            "kc_star": kc,
        }

    closed = {
        "lambda_m": lam,
        "C_Sigma": c_expr,
        "rho_r": sympy.ImmutableMatrix(spec.steady_states[0]),
    }
    if mu_fn is not None:
        closed["mu"] = b.mu
    sources = {
        "n": INTEGER,
        "lambda_m": CLOSED,
        "norm_L": BATCHED,
        "C_Sigma": c_src,
        "mu": CLOSED if mu_fn is not None else BATCHED,
        "L_c": BATCHED,
        "D": DERIVED,
        "C": DERIVED,
        "T_star": DERIVED,
        "rho_r": CLOSED,
    }
    params = set(batched.parameters) | set(local.parameters) | set(rho_fn.parameters)
    if mu_fn is not None:
        params |= set(mu_fn.parameters)
    return TheoremFunction(name, Theorem1Constants, allowed, params, closed, sources, compute)


# ----------------------------------------------------------------------------- Theorem 2


def _first_gain_expr(c_expr, c: float, eta: float, t1: float, lam) -> sympy.Expr:
    r""":math:`K_{c1} = \max\{0, \ln(2C/\eta)/(T_1\lambda_m)\}` in closed form (0 when C = 0)."""
    if c == 0:
        return sympy.Integer(0)
    return sympy.Max(0, sympy.log(2 * c_expr / sympy.Float(eta)) / (sympy.Float(t1) * lam))


def theorem2_function(
    net: QuantumNetwork, rho0, eta, T1, T2, *, component: int | None = None
) -> TheoremFunction:
    r"""Theorem 2 as a function of the model's symbols (module docstring):
    :math:`K_c^* = \max\{K_{c1},\ 2D(T_2)/\eta\}` with
    :math:`K_{c1} = \frac{1}{T_1\lambda_m}\ln\frac{2C_\Sigma}\eta` (closed form),
    :math:`f(T_2) = M\sum_{j\le m}T_2^j` and
    :math:`D(T_2) = \frac{n\|\mathcal L\|}{\lambda_m}+\frac{f(T_2)\|\mathcal L\|}{\lambda_m}
    \big(\frac{C_\Sigma}{\sqrt n}+T_2\|\mathcal L\|\big)` (the proof's bound; ``kc_star_printed``
    from the printed :math:`D(T_2)`), as :func:`~blendsym.bounds.theorem2` computes them
    for ``net.subs(point)``.  :math:`m` is exact when the analysis decides it for generic
    values, else read per point from the roots (eigenvalues on the imaginary axis to
    relative :data:`~blendsym.bounds.parametric_spectra.AXIS_TOL`); :math:`M` is the
    certified grid bound on :math:`[0, T_2]` per point."""
    eta = check_eta(eta)
    t1, t2 = check_interval(T1, T2)
    net, b, allowed, name, lam, (c_expr, c_sigma, c_src), local = _separable_setup(
        net, rho0, component, "Theorem 2"
    )
    lam_f = float(lam)
    n = net.n
    if c_sigma == 0:
        k1 = 0.0
    elif t1 == 0:
        raise NotComputableError(
            "T1 = 0 is allowed only when all reduced states start equal (C = 0): found "
            f"C = {c_sigma:.3g}"
        )
    else:
        k1 = max(0.0, math.log(2 * c_sigma / eta) / (t1 * lam_f))
    spec = b.spectral
    gen = b.generator_function()
    try:
        m_exact: int | None = int(spec.f_degree)
    except NotComputableError:
        m_exact = None
    batched = BatchedSpectrum(spec, gen, allowed, name) if m_exact is None else None

    def compute(pts: Points) -> dict:
        a = np.array(evaluate(gen, pts))
        if batched is None:
            m = _full(pts, m_exact, int)
        else:
            m = batched.f_degree(batched.roots(pts))
        big_m = BatchedSpectrum.norm_bound(a, t2, m, pts)
        powers = np.arange(int(m.max()) + 1)
        f_t2 = big_m * np.sum(np.where(powers <= m[:, None], t2**powers, 0.0), axis=1)
        norm_l = _norm_l(local, pts)
        d_proof = n * norm_l / lam_f + f_t2 * norm_l / lam_f * (
            c_sigma / math.sqrt(n) + t2 * norm_l
        )
        d_printed = n * norm_l / lam_f + f_t2 * norm_l / (n * lam_f) * c_sigma
        return {
            "n": _full(pts, n, int),
            "lambda_m": _full(pts, lam_f),
            "norm_L": norm_l,
            "C_Sigma": _full(pts, c_sigma),
            "m": m,
            "M": big_m,
            "f_T2": f_t2,
            "D_T2": d_proof,
            "D_T2_printed": d_printed,
            "C": _full(pts, c_sigma),
            "K_c1": _full(pts, k1),
            "kc_star": np.maximum(k1, 2 * d_proof / eta),
            "kc_star_printed": np.maximum(k1, 2 * d_printed / eta),
        }

    closed = {
        "lambda_m": lam,
        "C_Sigma": c_expr,
        "C": c_expr,
        "K_c1": _first_gain_expr(c_expr, c_sigma, eta, t1, lam),
    }
    if m_exact is not None:
        closed["m"] = sympy.Integer(m_exact)
    sources = {
        "n": INTEGER,
        "lambda_m": CLOSED,
        "norm_L": BATCHED,
        "C_Sigma": c_src,
        "m": CLOSED if m_exact is not None else BATCHED,
        "M": BATCHED,
        "f_T2": DERIVED,
        "D_T2": DERIVED,
        "D_T2_printed": DERIVED,
        "C": c_src,
        "K_c1": CLOSED if c_src == CLOSED else DERIVED,
    }
    params = set(gen.parameters) | set(local.parameters)
    if batched is not None:
        params |= set(batched.parameters)
    return TheoremFunction(name, Theorem2Constants, allowed, params, closed, sources, compute)


# ----------------------------------------------------------------------------- Theorem 4


def _coherent_c(rho) -> tuple[sympy.Expr, float, str]:
    r""":math:`C = \|\rho(0)-\mathcal P_*(\rho(0))\|_F`: exact from an exact state."""
    proj = permutation_invariant_projection(rho)
    if isinstance(rho, sympy.MatrixBase):
        expr = _exact_frobenius([sympy.Matrix(rho) - sympy.Matrix(proj)])
        return expr, float(expr.evalf(30)), CLOSED
    value = float(np.linalg.norm(rho - proj, "fro"))
    return sympy.Float(value), value, CONSTANT


def theorem4_function(net: QuantumNetwork, rho0, eta, T1) -> TheoremFunction:
    r"""Theorem 4 as a function of the model's symbols (module docstring):
    :math:`K_c^* = \max\{K_{c1}, K_{c2}\}`, :math:`K_{c1} = \frac{1}{T_1\lambda_m}\ln\frac{2C}
    \eta` (closed form, :math:`C = \|\rho(0)-\mathcal P_*(\rho(0))\|_F`) and
    :math:`K_{c2} = \frac{2\|A_d\|}{\eta\lambda_m}` with :math:`\|A_d\|` the dense 2-norm of
    the :math:`4^n\times4^n` matrix of :math:`A_d` at each point (for
    :math:`n\le` ``blendsym.limits.PARAMETRIC_DENSE_QUBITS``), as
    :func:`~blendsym.bounds.theorem4` computes them for ``net.subs(point)``; any model
    (not only separable ones), connected graph with edges, dense :math:`\rho(0)`."""
    eta = check_eta(eta)
    t1 = check_positive_time(T1, "T1", allow_zero=True)
    check_instance(net, QuantumNetwork, "net")
    if not net.graph.edges:
        raise NotComputableError("Theorems 3-4 need a graph with edges: Q_d = 0 has no gap")
    if not net.graph.is_connected:
        raise NotComputableError(
            "Theorems 3-4 assume a connected graph G (eq. (13), P_d P_d^T = P_*, needs it): "
            f"found {net.graph.n_components} components {net.graph.components}"
        )
    n = check_qubits(net.n, "n (dense A_d per parameter point)", limit="PARAMETRIC_DENSE_QUBITS")
    if is_structured_state(rho0):
        rho0 = rho0.dense()
    rho = validate_density(rho0, name="rho0", n=n)
    c_expr, c, c_src = _coherent_c(rho)
    lam = net.graph.lambda_m
    lam_f = float(lam)
    k1 = _first_gain(c, eta, t1, lam_f)
    cn = net.compile()
    allowed = symbol_table(net.free_symbols, "the network")
    p = math.comb(n + 3, 3)  # orbits of S_n on words of 4 letters (connected G, eq. (13))

    def compute(pts: Points) -> dict:
        a_d = cn.local_liouvillian_dense(**{k: pts.values[k] for k in cn.local_parameters})
        a_d = np.broadcast_to(a_d, (pts.size, *a_d.shape[-2:]))
        norm_a = spectral_norms(a_d)
        k2 = 2 * norm_a / (eta * lam_f)
        return {
            "n": _full(pts, n, int),
            "p": _full(pts, p, int),
            "lambda_m": _full(pts, lam_f),
            "norm_A_d": norm_a,
            "norm_A_d_method": "dense",
            "C": _full(pts, c),
            "lambda_m_kind": "exact",
            "norm_A_d_kind": "numeric",
            "C_kind": "exact" if c_src == CLOSED else "numeric",
            "K_c1": _full(pts, k1),
            "K_c2": k2,
            "kc_star": np.maximum(k1, k2),
        }

    closed = {"lambda_m": lam, "C": c_expr, "K_c1": _first_gain_expr(c_expr, c, eta, t1, lam)}
    sources = {
        "n": INTEGER,
        "p": INTEGER,
        "lambda_m": CLOSED,
        "norm_A_d": BATCHED,
        "norm_A_d_method": DERIVED,
        "C": c_src,
        "lambda_m_kind": DERIVED,
        "norm_A_d_kind": DERIVED,
        "C_kind": DERIVED,
        "K_c1": CLOSED if c_src == CLOSED else DERIVED,
        "K_c2": DERIVED,
    }
    chunk = max(1, _CHUNK_BYTES // (16 * 16**n))
    return TheoremFunction(
        "Theorem 4",
        Theorem4Constants,
        allowed,
        cn.local_parameters,
        closed,
        sources,
        compute,
        chunk,
    )
