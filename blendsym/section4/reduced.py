r"""Section 4: separability (Assumption 1) and the reduced-state equations (5).

Assumption 1, as this module decides it
----------------------------------------
:math:`H = \sum_j H_j^{(j)}` (plus a multiple of the identity) and every jump operator
acts on a single qubit.  The paper writes :math:`L_l = L_{l,1}\oplus\cdots\oplus L_{l,n}`;
read as a Kronecker sum, :math:`\sum_j L_{l,j}^{(j)}`, a *collective* jump operator,
:math:`\mathcal D(\sum_j L_{l,j}^{(j)})` contains cross terms
:math:`L_{l,j}^{(j)}\rho L_{l,k}^{(k)\dagger}` whose partial trace depends on two-qubit
correlations, and eq. (5) fails (see :func:`collective_jump_counterexample`).  With one
jump per qubit, eq. (5) is exact.

Eq. (5) by partial trace
------------------------
For a separable model, for *every* operator :math:`\rho` (not only product states),

.. math::

    \frac{d\rho_j}{dt} = \mathcal L_j\rho_j + K_c\sum_{k} a_{jk}(\rho_k - \rho_j),\qquad
    \mathcal L_j\rho_j = -\frac{i}{\hbar}[H_j,\rho_j] + \sum_l \gamma_l\,\mathcal D(L_{l,j})\rho_j,

because :math:`\mathrm{Tr}_{\neg j}` kills commutators and dissipators of operators acting
only on traced-out qubits, and :math:`\mathrm{Tr}_{\neg j}(U_{jk}\rho U_{jk}) = \rho_k`,
:math:`\mathrm{Tr}_{\neg j}(U_{km}\rho U_{km}) = \rho_j` for :math:`j\notin\{k,m\}`.
:func:`reduced_state_equations` builds these equations and checks them *exactly* against
the partial trace of the full generator of eq. (4) applied to a generic operator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy

from .._validate import check_positive_parameter, internal_check
from ..errors import InvalidArgumentError, InvalidOperatorError, NotSeparableError
from ..model.conventions import dissipator_superop, hamiltonian_superop
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator

__all__ = [
    "SeparabilityReport",
    "LocalModel",
    "separability",
    "is_separable",
    "local_models",
    "reduced_state_equations",
    "reduced_system_generator",
    "partial_trace_superop",
    "check_reduced_state_equations",
    "collective_jump_counterexample",
    "reduced_state_symbol",
]

#: Largest n for which :func:`reduced_state_equations` checks eq. (5) exactly.
EXACT_CHECK_MAX_N = 4


@dataclass(frozen=True)
class SeparabilityReport:
    """Whether a network satisfies Assumption 1, and why not if it does not."""

    separable: bool
    reasons: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.separable

    def __str__(self) -> str:
        if self.separable:
            return "separable (Assumption 1 holds)"
        return "not separable: " + "; ".join(self.reasons)


def _term_name(key) -> str:
    return "*".join(f"sigma_{p.lower()}({s})" for s, p in key) or "I"


def separability(net: QuantumNetwork) -> SeparabilityReport:
    """Decide Assumption 1 from the canonical (Pauli-string) form of ``H`` and the jumps."""
    _check_net(net)
    reasons = []
    for key, c in net.hamiltonian.terms.items():
        if len(key) > 1:
            sites = sorted(s for s, _ in key)
            reasons.append(f"hamiltonian term ({c})*{_term_name(key)} acts on qubits {sites}")
    for i, (_, l_op) in enumerate(net.jumps):
        if len(l_op.sites) > 1:
            reasons.append(
                f"jumps[{i}] = {l_op} acts on qubits {sorted(l_op.sites)} "
                "(a collective jump operator)"
            )
    return SeparabilityReport(not reasons, tuple(reasons))


def is_separable(net: QuantumNetwork) -> bool:
    """True when ``net`` satisfies Assumption 1 (see :func:`separability`)."""
    return separability(net).separable


def _check_net(net) -> None:
    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")


def _single_site_matrix(op: SiteOperator, site: int) -> sympy.Matrix:
    """The 2x2 matrix of an operator acting on ``site`` only (identity part included)."""
    if not op.sites <= {site}:
        raise InvalidOperatorError(
            f"expected an operator on qubit {site} only: found one on qubits {sorted(op.sites)}"
        )
    moved = SiteOperator({tuple((1, p) for _, p in k): c for k, c in op.terms.items()})
    return sympy.Matrix(moved.to_matrix(1, "sympy"))


@dataclass(frozen=True)
class LocalModel:
    r"""The local dynamics :math:`\mathcal L_j` of qubit ``site`` under Assumption 1."""

    site: int
    hamiltonian: sympy.ImmutableMatrix
    jumps: tuple[tuple[sympy.Expr, sympy.ImmutableMatrix], ...]
    hbar: sympy.Expr = field(default=sympy.Integer(1))

    def generator(self) -> sympy.ImmutableMatrix:
        r""":math:`\mathcal L_j` as an exact 4x4 superoperator (row stacking)."""
        out = sympy.Matrix(hamiltonian_superop(self.hamiltonian, self.hbar, "sympy"))
        for g, l_m in self.jumps:
            out += g * sympy.Matrix(dissipator_superop(l_m, "sympy"))
        return sympy.ImmutableMatrix(out.applyfunc(sympy.expand))


def local_models(net: QuantumNetwork) -> list[LocalModel]:
    """Split a separable network into its single-qubit models ``[L_1, ..., L_n]``.

    Raises :class:`NotSeparableError` (with the reasons) otherwise.
    """
    rep = separability(net)
    if not rep:
        raise NotSeparableError(f"net violates Assumption 1: {'; '.join(rep.reasons)}")
    n = net.n
    h_parts: dict[int, SiteOperator] = {}
    for key, c in net.hamiltonian.terms.items():
        if key:  # the identity part commutes with everything: dropped
            s = key[0][0]
            h_parts[s] = h_parts.get(s, SiteOperator()) + SiteOperator({key: c})
    jumps: dict[int, list] = {j: [] for j in range(1, n + 1)}
    for g, l_op in net.jumps:
        if not l_op.sites:  # a multiple of the identity: D(cI) = 0
            continue
        (s,) = l_op.sites
        jumps[s].append((g, sympy.ImmutableMatrix(_single_site_matrix(l_op, s))))
    out = []
    for j in range(1, n + 1):
        h = h_parts.get(j, SiteOperator())
        hm = _single_site_matrix(h, j) if not h.is_zero() else sympy.zeros(2, 2)
        out.append(LocalModel(j, sympy.ImmutableMatrix(hm), tuple(jumps[j]), net.hbar))
    return out


# ---------------------------------------------------------------------- partial trace maps


def partial_trace_superop(n: int, j: int) -> sympy.SparseMatrix:
    r"""The 4 x 4^n 0/1 matrix :math:`T_j` with :math:`\mathrm{vec}(\rho_j) = T_j\,\mathrm{vec}(\rho)`."""
    d = 2**n
    shift = n - j
    others = (d - 1) ^ (1 << shift)
    entries = {}
    for l in range(d):
        a = (l >> shift) & 1
        for b in (0, 1):
            lp = (l & others) | (b << shift)
            entries[(2 * a + b, l * d + lp)] = 1
    return sympy.SparseMatrix(4, d * d, entries)


def reduced_state_symbol(j: int | str) -> sympy.MatrixSymbol:
    r"""The 2x2 matrix symbol :math:`\rho_j` used in the equations."""
    return sympy.MatrixSymbol(f"rho_{j}", 2, 2)


def reduced_system_generator(net: QuantumNetwork, kc=None) -> sympy.ImmutableMatrix:
    r"""The generator of the closed reduced system (5), :math:`4n\times 4n`, exact.

    .. math::  \frac{d}{dt}\begin{bmatrix}\mathrm{vec}\rho_1\\ \vdots\\ \mathrm{vec}\rho_n\end{bmatrix}
        = \Big(\bigoplus_j \mathcal L_j - K_c\, Q\otimes I_4\Big)
          \begin{bmatrix}\mathrm{vec}\rho_1\\ \vdots\\ \mathrm{vec}\rho_n\end{bmatrix}.
    """
    models = local_models(net)
    gain = net.coupling if kc is None else check_positive_parameter(kc, "kc")
    blocks = sympy.diag(*[m.generator() for m in models])
    q = net.graph.laplacian
    return sympy.ImmutableMatrix(blocks - gain * sympy.kronecker_product(q, sympy.eye(4)))


def check_reduced_state_equations(net: QuantumNetwork) -> list[bool]:
    r"""Check eq. (5) exactly for each qubit, as an identity on *all* operators.

    Compares :math:`T_j\,\mathcal L_{(4)}` (partial trace of the full generator of eq. (4),
    exact, :math:`K_c` symbolic) with
    :math:`\mathcal L_j T_j + K_c\sum_k a_{jk}(T_k - T_j)`; both are
    :math:`4\times 4^n` matrices, so equality means eq. (5) holds for every :math:`\rho`,
    product or entangled.  Practical for ``n <= 4``.
    """
    models = local_models(net)
    n = net.n
    full = net.liouvillian(backend="sympy")
    traces = [partial_trace_superop(n, j) for j in range(1, n + 1)]
    gain = net.coupling
    w = net.graph.weights
    out = []
    for j in range(1, n + 1):
        lhs = traces[j - 1] * full
        rhs = sympy.SparseMatrix(models[j - 1].generator()) * traces[j - 1]
        for k in range(1, n + 1):
            if w[j - 1, k - 1] != 0:
                rhs += gain * w[j - 1, k - 1] * (traces[k - 1] - traces[j - 1])
        diff = (lhs - rhs).applyfunc(sympy.expand)
        out.append(all(sympy.simplify(v) == 0 for v in diff.values()))
    return out


def reduced_state_equations(net: QuantumNetwork, check: bool = True) -> list[sympy.Eq]:
    r"""Eq. (5) for every qubit, as ``sympy.Eq`` in the matrix symbols :math:`\rho_j`.

    ``Eq(Derivative(rho_j, t), L_j(rho_j) + K_c * sum_k a_jk (rho_k - rho_j))``, with
    the local terms written out (``-I/hbar*(H_j*rho_j - rho_j*H_j) + gamma*(L rho L^dag - ...)``).
    Substitute 2x2 matrices for the symbols and call ``.doit()`` to evaluate.

    With ``check=True`` (default) and ``n <= 4`` the equations are verified exactly
    against the partial trace of the full generator of eq. (4) (see
    :func:`check_reduced_state_equations`); a return without
    :class:`~blendsym.errors.InternalError` means they hold for every state.  Raises :class:`NotSeparableError` for an inseparable model:
    then the reduced states do not obey a closed system.
    """
    models = local_models(net)
    if check and net.n <= EXACT_CHECK_MAX_N:
        ok = check_reduced_state_equations(net)
        bad = [j + 1 for j, v in enumerate(ok) if not v]
        internal_check(not bad, f"eq. (5) failed the exact partial-trace check for qubits {bad}")
    t = sympy.Symbol("t", real=True)
    rhos = [reduced_state_symbol(j) for j in range(1, net.n + 1)]
    w = net.graph.weights
    eqs = []
    for j, m in enumerate(models):
        r = rhos[j]
        rhs = local_generator_expression(m.hamiltonian, m.jumps, m.hbar, r)
        for k in range(net.n):
            if w[j, k] != 0:
                term = net.coupling * w[j, k] * (rhos[k] - r)
                rhs = term if rhs == sympy.ZeroMatrix(2, 2) else rhs + term
        eqs.append(sympy.Eq(sympy.Derivative(r, t, evaluate=False), rhs, evaluate=False))
    return eqs


def local_generator_expression(h, jumps, hbar, r):
    r""":math:`-\frac{i}{\hbar}[H, r] + \sum \gamma(LrL^\dagger - \frac12\{L^\dagger L, r\})`."""
    expr = sympy.ZeroMatrix(2, 2)
    parts = []
    if not sympy.Matrix(h).is_zero_matrix:
        hm = sympy.ImmutableMatrix(h)
        parts.append((-sympy.I / hbar) * (hm * r - r * hm))
    for g, l_m in jumps:
        lm = sympy.ImmutableMatrix(l_m)
        ld = sympy.ImmutableMatrix(lm.H)
        ldl = sympy.ImmutableMatrix(ld * lm)
        half = sympy.Rational(1, 2)
        parts.append(g * (lm * r * ld - half * (ldl * r + r * ldl)))
    for p in parts:
        expr = p if expr == sympy.ZeroMatrix(2, 2) else expr + p
    return expr


def collective_jump_counterexample() -> dict:
    r"""Why a Kronecker-sum jump :math:`L = \sum_j L_j^{(j)}` breaks eq. (5).

    Two qubits, :math:`L = \sigma_-^{(1)} + \sigma_-^{(2)}`, no Hamiltonian, no edge;
    evaluated on the product state :math:`|{+}\rangle\langle{+}|\otimes|{+}\rangle\langle{+}|`:
    returns the partial trace of the full generator and what eq. (5) with
    :math:`\mathcal D(L_{l,j})` predicts (they differ by the cross terms).
    """
    from ..model.operators import sigma_minus
    from ..model.states import basis_state, partial_trace

    net = QuantumNetwork(2, [], 0, [sigma_minus(1) + sigma_minus(2)], coupling=1)
    plus = basis_state("+")
    rho = sympy.kronecker_product(plus, plus)
    full = sympy.Matrix(net.liouvillian(backend="sympy")) * sympy.Matrix(
        [rho[i, j] for i in range(4) for j in range(4)]
    )
    derived = partial_trace(sympy.Matrix(4, 4, list(full)), [1])
    sm = sympy.Matrix([[0, 1], [0, 0]])
    predicted = sympy.Matrix(
        2, 2, list(sympy.Matrix(dissipator_superop(sm, "sympy")) * sympy.Matrix(list(plus)))
    )
    return {
        "state": rho,
        "partial_trace_of_generator": derived.applyfunc(sympy.nsimplify),
        "eq5_prediction": predicted,
        "difference": (derived - predicted).applyfunc(sympy.simplify),
    }


def numeric_reduced_derivatives(net: QuantumNetwork, rho: np.ndarray, kc: float) -> np.ndarray:
    """Partial traces of the full generator applied to ``rho`` (shape ``(n, 2, 2)``)."""
    from ..model.states import partial_trace

    gen = net.liouvillian(kc=kc, backend="scipy")
    drho = (gen @ np.asarray(rho, dtype=complex).ravel()).reshape(net.dim, net.dim)
    return np.stack([partial_trace(drho, [j]) for j in range(1, net.n + 1)])
