r"""Constants of Theorems 3–4 without :math:`2^n`- or :math:`4^n`-size objects.

Theorem 4's :math:`K_c^* = \max\{\frac1{T_1\lambda_m}\ln\frac{2C}\eta,\
\frac{2\|A_d\|}{\eta\lambda_m}\}` (Appendix D) stays valid when :math:`C` and :math:`\|A_d\|`
are replaced by upper bounds and :math:`\lambda_m(Q_d)` by a lower bound, since it is
increasing in the first two and decreasing in the third.  Each function returns
``(value, kind)`` with ``kind`` one of ``"exact"``, ``"upper bound"``, ``"lower bound"`` (or
``"estimate"`` where nothing is certified), and every constant of
:func:`coherent_constants_at_scale` carries its kind.

:math:`\lambda_m(Q_d) = \lambda_m(Q)`
-------------------------------------
(Caputo–Liggett–Richthammer, :mod:`blendsym.bounds.coherent`.)  Exact (SymPy) for
:math:`n\le` :data:`EXACT_GAP_MAX_QUBITS`; beyond, ``eigvalsh`` gives :math:`\hat\lambda` and a
rational :math:`\mu\approx\hat\lambda(1-10^{-9})` is *certified* as a lower bound by Sylvester's
law of inertia: for a graph with :math:`r` connected components :math:`Q - \mu I` has the
eigenvalue :math:`-\mu` :math:`r` times (from :math:`\ker Q`) and :math:`\lambda_i - \mu`, so
:math:`\lambda_m(Q) > \mu` iff :math:`Q - \mu I` has exactly :math:`r` negative eigenvalues and is
non-singular, i.e. iff exactly :math:`r` pivots of its :math:`LDL^\top` factorisation are
negative and none is zero — decided exactly by
fraction-free (Bareiss) elimination of the integer matrix :math:`b\,dQ - a\,dI`
(:math:`\mu = a/b`, :math:`d` a common denominator of the weights, floats read exactly), whose
pivots are the ratios :math:`\Delta_k/\Delta_{k-1}` of leading principal minors.

:math:`\|A_d\|`
----------------
Exact (dense 2-norm) for :math:`n\le` :data:`~blendsym.bounds.coherent.DENSE_NORM_MAX_QUBITS`,
as before.  Beyond, from the model's terms: with :math:`H = \sum_SH_S` grouped by support
:math:`S` and :math:`L_l = \sum_SL_{l,S}`,

.. math::  \|A_d\| \le \frac1{|\hbar|}\sum_S\big(\lambda_{\max}(H_S) - \lambda_{\min}(H_S)\big)
           + \sum_l 2\gamma_l\Big(\sum_S\|L_{l,S}\|\Big)^2,                         \tag{N.1}

since :math:`\|[H_S,\cdot]\| = \lambda_{\max} - \lambda_{\min}` and
:math:`\|\mathcal D(L)\|\le\|L\otimes\bar L\| + \|L^\dagger L\| = 2\|L\|^2`.  The
:math:`2^{|S|}`-size spreads and norms are computed by LAPACK and each is enlarged by
:math:`10^{-12}\|\cdot\|_F + 10^{-300}` (far above the backward error of ``eigvalsh``/``svd``
on matrices of at most :data:`MAX_SUPPORT` qubits) to stay upper bounds.

:math:`C = \|\rho(0) - \mathcal P_*(\rho(0))\|_F`
--------------------------------------------------
From generating functions (:func:`blendsym.section5.pi_states.distance_to_pi`): exact for exact
products and mixtures, an upper bound otherwise.
"""

from __future__ import annotations

import math
import weakref
from collections import defaultdict
from fractions import Fraction

import numpy as np
import sympy

from ..errors import NotComputableError
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator
from ..model.structured_states import is_structured_state
from ..section5.coherent import blended_coherent

__all__ = [
    "gap_lower_bound",
    "local_liouvillian_norm_bound",
    "initial_distance",
    "coherent_constants_at_scale",
    "EXACT_GAP_MAX_QUBITS",
    "MAX_SUPPORT",
]

#: Largest n for which lambda_m(Q) is computed exactly (SymPy roots of the characteristic
#: polynomial); above it the certified rational lower bound is used.
EXACT_GAP_MAX_QUBITS = 12
#: Largest support (qubits) of a term whose norm is computed from its matrix in (N.1); larger
#: supports use the sum of the absolute Pauli coefficients.
MAX_SUPPORT = 6

_PAULI = {
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}


# ----------------------------------------------------------------------------- lambda_m


def _fraction(x) -> Fraction:
    """An exact rational: SymPy rationals as they are, floats read exactly."""
    if isinstance(x, sympy.Rational):
        return Fraction(int(x.p), int(x.q))
    if isinstance(x, sympy.Float):
        return Fraction(float(x))
    raise NotComputableError(f"edge weight {x} is not rational")


def _bareiss_negatives_are(m: np.ndarray, expected: int = 1) -> bool | None:
    r"""Inertia of an exact integer symmetric matrix by fraction-free (Bareiss) elimination:
    ``True`` if exactly ``expected`` pivots :math:`\Delta_k/\Delta_{k-1}` of its
    :math:`LDL^\top` factorisation are negative and none is zero, ``False`` if more are
    negative, ``None`` if a zero pivot stops the elimination (or fewer are negative).  Every
    division is exact; ``m`` is overwritten."""
    n = m.shape[0]
    prev = 1
    negatives = 0
    for k in range(n):
        piv = m[k, k]
        if piv == 0:
            return None
        if (piv > 0) != (prev > 0):  # sign of Delta_k / Delta_{k-1}
            negatives += 1
            if negatives > expected:
                return False
        if k + 1 < n:
            m[k + 1 :, k + 1 :] = (
                piv * m[k + 1 :, k + 1 :] - np.outer(m[k + 1 :, k], m[k, k + 1 :])
            ) // prev
        prev = piv
    return True if negatives == expected else None


def _integer_laplacian(graph) -> tuple[np.ndarray, int, np.ndarray]:
    """``(dQ, d, Q)``: the Laplacian times a common denominator ``d`` of the weights as an
    exact integer object array, and ``Q`` in floating point (both from the edge list)."""
    n = graph.n
    weights = [(j - 1, k - 1, _fraction(a)) for j, k, a in graph.edges]
    d = math.lcm(*[w.denominator for _, _, w in weights])
    qi = np.empty((n, n), dtype=object)
    qi[:, :] = 0
    qf = np.zeros((n, n))
    for j, k, w in weights:
        v = w.numerator * (d // w.denominator)
        f = float(w)
        for (r, c), sgn in (((j, k), -1), ((k, j), -1), ((j, j), 1), ((k, k), 1)):
            qi[r, c] += sgn * v
            qf[r, c] += sgn * f
    return qi, d, qf


#: lambda_m per graph, kept as long as the graph lives (Theorems 3 and 4 both need it).
_GAP_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _certified_gap(graph) -> tuple[float, str]:
    try:
        qi, d, qf = _integer_laplacian(graph)
    except NotComputableError:
        return float(graph.lambda_m_numeric()), "estimate"
    ev = np.linalg.eigvalsh(qf)
    lam = float(ev[ev > 1e-10 * max(abs(ev).max(), 1.0)].min())
    for rel in (1e-9, 1e-7, 1e-5, 1e-3):
        mu = Fraction(lam * (1 - rel)).limit_denominator(10**12)
        m = qi * mu.denominator
        for i in range(m.shape[0]):
            m[i, i] -= mu.numerator * d
        verdict = _bareiss_negatives_are(m, graph.n_components)
        if verdict:
            return float(mu), "lower bound"
        if verdict is False:
            break
    return lam, "estimate"


def gap_lower_bound(net: QuantumNetwork) -> tuple[float, str]:
    r""":math:`\lambda_m(Q_d) = \lambda_m(Q)` (on a disconnected graph the minimum of the
    components' :math:`\lambda_2`, the smallest non-zero eigenvalue of :math:`Q` again):
    ``(value, "exact")`` for small :math:`n`,
    else a certified ``(value, "lower bound")`` (module docstring), or
    ``(value, "estimate")`` for weights that are not rational numbers.  Cached per graph."""
    graph = net.graph
    if not graph.edges:
        raise NotComputableError("the graph has no edges: Q_d = 0 has no gap")
    try:
        return _GAP_CACHE[graph]
    except (KeyError, TypeError):
        pass
    if net.n <= EXACT_GAP_MAX_QUBITS:
        out = (float(graph.lambda_m), "exact")
    else:
        out = _certified_gap(graph)
    try:
        _GAP_CACHE[graph] = out
    except TypeError:  # pragma: no cover - unhashable graph
        pass
    return out


# ----------------------------------------------------------------------------- ||A_d||


def _support_groups(op: SiteOperator) -> dict[tuple[int, ...], dict]:
    groups: dict[tuple[int, ...], dict] = defaultdict(dict)
    for key, c in op.terms.items():
        if key:
            groups[tuple(s for s, _ in key)][key] = complex(c)
    return groups


_LETTER = {"I": 0, "X": 1, "Y": 2, "Z": 3}


def _pauli_table(k: int) -> np.ndarray:
    """All :math:`4^k` Pauli strings on ``k`` qubits, shape ``(4^k, 2^k, 2^k)`` (index in
    base 4, first site most significant)."""
    one = np.array([np.eye(2, dtype=complex), *[_PAULI[x] for x in "XYZ"]])
    table = np.ones((1, 1, 1), dtype=complex)
    for _ in range(k):
        table = np.einsum("aij,bkl->abikjl", table, one).reshape(
            table.shape[0] * 4, table.shape[1] * 2, table.shape[2] * 2
        )
    return table


def _group_matrices(groups: dict, k: int) -> np.ndarray:
    """The ``2^k x 2^k`` matrices of the groups with support size ``k`` (local site order):
    a coefficient array over the :math:`4^k` strings times the table of Pauli strings."""
    coeffs = np.zeros((len(groups), 4**k), dtype=complex)
    for g, (sites, terms) in enumerate(groups.items()):
        pos = {s: i for i, s in enumerate(sites)}
        for key, c in terms.items():
            idx = 0
            digits = [0] * k
            for site, p in key:
                digits[pos[site]] = _LETTER[p]
            for dgt in digits:
                idx = 4 * idx + dgt
            coeffs[g, idx] += c
    return np.einsum("gs,sij->gij", coeffs, _pauli_table(k))


def _margin(mats: np.ndarray) -> np.ndarray:
    return 1e-12 * np.sqrt((np.abs(mats) ** 2).sum(axis=(1, 2))) + 1e-300


def _spread_bound(op: SiteOperator) -> float:
    r""":math:`\sum_S(\lambda_{\max}(H_S) - \lambda_{\min}(H_S))`, each enlarged by the margin."""
    total = 0.0
    by_size: dict[int, dict] = defaultdict(dict)
    for sites, terms in _support_groups(op).items():
        by_size[len(sites)][sites] = terms
    for k, groups in by_size.items():
        if k > MAX_SUPPORT:
            total += sum(2 * sum(abs(c) for c in t.values()) for t in groups.values())
            continue
        mats = _group_matrices(groups, k)
        ev = np.linalg.eigvalsh(mats)
        total += float(np.sum(ev[:, -1] - ev[:, 0] + 2 * _margin(mats)))
    return total


def _norm_bound(op: SiteOperator) -> float:
    r""":math:`\sum_S\|L_S\|` (identity part included as its modulus), each enlarged."""
    terms = op.terms
    total = abs(complex(terms.get((), 0)))
    by_size: dict[int, dict] = defaultdict(dict)
    for sites, t in _support_groups(op).items():
        by_size[len(sites)][sites] = t
    for k, groups in by_size.items():
        if k > MAX_SUPPORT:
            total += sum(sum(abs(c) for c in t.values()) for t in groups.values())
            continue
        mats = _group_matrices(groups, k)
        sv = np.linalg.svd(mats, compute_uv=False)
        total += float(np.sum(sv[:, 0] + _margin(mats)))
    return total


def _numeric(x, name: str) -> float:
    x = sympy.sympify(x)
    if x.free_symbols:
        raise NotComputableError(
            f"{name} = {x} has free symbols: substitute values before bounding ||A_d||"
        )
    return float(abs(complex(x)))


def local_liouvillian_norm_bound(net: QuantumNetwork) -> tuple[float, str]:
    r"""An upper bound (N.1) on :math:`\|A_d\|` from the model's terms, ``(value, "upper
    bound")``; no :math:`4^n` object (at most :math:`2^{10}`-size blocks)."""
    hbar = _numeric(net.hbar, "hbar")
    total = _spread_bound(net.hamiltonian) / hbar if not net.hamiltonian.is_zero() else 0.0
    for i, (g, l_op) in enumerate(net.jumps):
        total += 2 * _numeric(g, f"jumps[{i}] rate") * _norm_bound(l_op) ** 2
    return total, "upper bound"


# ----------------------------------------------------------------------------- C


def initial_distance(net: QuantumNetwork, rho0, coherent=None) -> tuple[float, str]:
    r""":math:`C = \|\rho(0) - \mathcal P_*(\rho(0))\|_F` of a structured state
    (:class:`~blendsym.ProductState`, :class:`~blendsym.ProductMixture`,
    :class:`~blendsym.DickeState`) from generating functions."""
    from ..section5.coordinate_states import distance_to_pi

    if not is_structured_state(rho0):
        raise NotComputableError(
            f"rho0 must be a ProductState, ProductMixture or DickeState at n = {net.n}: found "
            f"{type(rho0).__name__}"
        )
    if rho0.n != net.n:
        raise NotComputableError(f"rho0 has n = {rho0.n} qubits, the network n = {net.n}")
    if coherent is None:
        coherent = blended_coherent(net, basis="pi")
    basis = coherent.pi_basis
    c, kind = distance_to_pi(basis, rho0)
    return float(c), kind


def coherent_constants_at_scale(net: QuantumNetwork, rho0, coherent) -> dict:
    r"""The constants of Theorems 3–4 for a structured :math:`\rho(0)` at any :math:`n`, each
    with its kind (``"... kind"`` keys): :math:`\lambda_m(Q_d)` (exact or certified lower
    bound), :math:`\|A_d\|` (exact for :math:`n\le5`, else the upper bound (N.1)), :math:`C`
    (exact or upper bound)."""
    from .coherent import DENSE_NORM_MAX_QUBITS, local_liouvillian_norm

    lam, lam_kind = gap_lower_bound(net)
    if net.n <= DENSE_NORM_MAX_QUBITS:
        norm_a, how = local_liouvillian_norm(net)
        norm_kind = "numeric"
    else:
        norm_a, norm_kind = local_liouvillian_norm_bound(net)
        how = "term bound (N.1)"
    c, c_kind = initial_distance(net, rho0, coherent)
    if not math.isfinite(c):  # pragma: no cover - defensive
        raise NotComputableError("C is not finite")
    return {
        "n": net.n,
        "p": coherent.p,
        "lambda_m(Q_d)": lam,
        "lambda_m(Q_d) kind": lam_kind,
        "||A_d||": norm_a,
        "||A_d|| method": how,
        "||A_d|| kind": norm_kind,
        "C": c,
        "C kind": c_kind,
    }
