r"""States and observables in the PI coordinates of Definition 2, never lifted to :math:`2^n`.

Coordinates
-----------
With orthonormal :math:`P_d`, :math:`\mathbf y_d = P_d^\top\mathrm{vec}\rho` has entries
:math:`y_m = |\mathbb V_m|^{-1/2}S_m`, :math:`S_m = \sum_{w\in\mathbb V_m}\rho_w` (eq. (16)), and
the lifted operator :math:`X = \mathrm{vec}^{-1}(P_d\mathbf y_d)` has the *consensus value*
:math:`x_m = y_m/\sqrt{|\mathbb V_m|}` on every node of :math:`\mathbb V_m` (eq. (15)).

*Product states.*  For :math:`\rho = \bigotimes_s\rho_s`, :math:`\rho_w = \prod_s\rho_s[t_s]`
(:math:`t = 2q+q'`), so :math:`S_m` is the coefficient of :math:`x^m` in the generating function

.. math::  \prod_{s=1}^n\ell_s(x),\qquad \ell_s(x) = \sum_t\rho_s[t]\,x_t .          \tag{S.1}

It is computed in the fixed index set :math:`|m| = n` by replacing one :math:`x_{11}` at a time:
:math:`P_0 = x_{11}^n`, :math:`P_s = P_{s-1}\,\ell_s/x_{11}`, i.e.

.. math::  P_s[m] = \rho_s[11]\,P_{s-1}[m] + \sum_{t\ne11}\rho_s[t]\,P_{s-1}[m - e_t + e_{11}],

:math:`n` steps of three gathers: :math:`O(np)` (:func:`product_coordinates`).  Mixtures are
linear; for a Dicke superposition :math:`\sum_kc_k|D_k\rangle`,
:math:`\rho_{(l,l')} = c_k\bar c_{k'}/\sqrt{\binom nk\binom n{k'}}` with :math:`k = |l| =
m_{10}+m_{11}`, :math:`k' = |l'| = m_{01}+m_{11}`, so :math:`y_m = c_k\bar c_{k'}\sqrt{|\mathbb
V_m|}/\sqrt{\binom nk\binom n{k'}}`.

Marginals
---------
The :math:`k`-site reduced operator of the (PI) lift is the same on every :math:`k` sites;
tracing the other :math:`n-k` sites keeps only diagonal types :math:`00, 11` there, so for
:math:`a\in\{00,01,10,11\}^k`

.. math::  [X_{1\dots k}]_a = \sum_{r=0}^{n-k}\binom{n-k}{r}\,
           x_{c(a) + (n-k-r)e_{00} + re_{11}} ,                                      \tag{S.2}

:math:`n-k+1` terms per count vector :math:`c(a)` (:func:`marginal`).  Every :math:`k`-local
expectation value follows: :math:`\mathrm{tr}(P_SX) = \mathrm{tr}(P X_{1\dots k})` for a Pauli
string :math:`P` on any :math:`k` sites (:func:`expectation`); collective moments
:math:`\langle J_a\rangle = \frac n2\mathrm{tr}(\sigma_aX_1)`,
:math:`\langle J_aJ_b\rangle = \frac14\big(n\,\mathrm{tr}(\sigma_a\sigma_bX_1) +
n(n-1)\,\mathrm{tr}(\sigma_a\otimes\sigma_b\,X_{12})\big)`, :math:`J_a = \frac12\sum_j
\sigma_a^{(j)}` (:func:`collective_moments`); the purity :math:`\mathrm{tr}X^2 = \|\mathbf y\|^2`
(orthonormal :math:`P_d`, Hermitian :math:`X`); and the two-site concurrence of
:math:`X_{12}/\mathrm{tr}X_{12}` (Wootters, :func:`concurrence`).

Norms (Theorems 3-4)
--------------------
:math:`P_dP_d^\top = \mathcal P_*` is an orthogonal projector, so
:math:`C^2 = \|\rho - \mathcal P_*\rho\|_F^2 = \|\rho\|_F^2 - \|\mathbf y\|^2`, with
:math:`\|\rho\|_F^2 = \prod_s\mathrm{tr}\rho_s^2` for products and
:math:`\sum_{a,b}w_aw_b\prod_s\mathrm{tr}(\rho^{(a)}_s\rho^{(b)}_s)` for mixtures
(:func:`distance_to_pi`).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import sympy

from .._validate import check_int
from ..errors import InvalidArgumentError, InvalidStateError, NotComputableError
from ..model.operators import SiteOperator
from ..model.structured_states import (
    DickeState,
    ProductMixture,
    ProductState,
    is_structured_state,
)
from .pi_basis import MAX_LIFT_QUBITS, PIBasis, count_vectors
from .product_basis import AnyPIBasis

__all__ = [
    "product_coordinates",
    "project_operator",
    "state_coordinates",
    "consensus_values",
    "marginal",
    "marginal_map",
    "expectation_functional",
    "reduced_state",
    "expectation",
    "collective_moments",
    "purity",
    "trace",
    "concurrence",
    "distance_to_pi",
    "lift_coordinates",
]

_PAULI = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}
_PAULI_EXACT = {
    "I": sympy.eye(2),
    "X": sympy.Matrix([[0, 1], [1, 0]]),
    "Y": sympy.Matrix([[0, -sympy.I], [sympy.I, 0]]),
    "Z": sympy.Matrix([[1, 0], [0, -1]]),
}
#: Largest p for which exact input gives exact (SymPy) coordinates by default (n <= 20).
EXACT_STATE_MAX_P = 2000

_E11_SHIFTS = {
    t: tuple((1 if u == 3 else 0) - (1 if u == t else 0) for u in range(4)) for t in range(3)
}


def _is_exact_vector(y) -> bool:
    return isinstance(y, sympy.MatrixBase)


def _check_y(basis: AnyPIBasis, y, name: str = "y"):
    """``y`` as a length-p complex array, or a SymPy column (exact)."""
    if isinstance(y, sympy.MatrixBase):
        if y.shape not in ((basis.p, 1), (1, basis.p)):
            raise InvalidArgumentError(
                f"{name} must be a vector of length p = {basis.p}: found shape {y.shape}"
            )
        return sympy.Matrix(list(y))
    try:
        arr = np.asarray(y, dtype=complex)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"{name} must be a numeric vector of length p = {basis.p}: found {type(y).__name__}"
        ) from None
    if arr.ndim != 1 or arr.size != basis.p:
        raise InvalidArgumentError(
            f"{name} must be a vector of length p = {basis.p}: found shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise InvalidArgumentError(f"{name} must have finite entries: found nan or inf")
    return arr


# ----------------------------------------------------------------------------- coordinates


def _entries(f) -> list:
    """``[rho[0,0], rho[0,1], rho[1,0], rho[1,1]]`` (type order t = 2q + q')."""
    return [f[0, 0], f[0, 1], f[1, 0], f[1, 1]]


def _factor_groups(state: ProductState, exact: bool) -> list[tuple[tuple, int]]:
    """Distinct factors as ``(entries (type order), multiplicity)``, largest group first.
    The coordinates are symmetric in the factors, so only these multiplicities matter."""
    groups: dict[tuple, int] = {}
    factors = state.factors if exact else state.numeric_factors()
    for f in factors:
        key = tuple(_entries(f)) if exact else tuple(complex(x) for x in _entries(f))
        groups[key] = groups.get(key, 0) + 1
    return sorted(groups.items(), key=lambda kv: -kv[1])


def _power_group(basis: PIBasis, a: tuple, r: int, exact: bool):
    r"""Coefficients of :math:`\ell_a(x)^r x_{11}^{n-r}` in the index set :math:`|m| = n`:
    :math:`\binom{r}{m'}\prod_ta_t^{m'_t}`, :math:`m' = m - (n-r)e_{11}` (multinomial theorem)."""
    n = basis.n
    c = basis.counts.copy()
    c[:, 3] -= n - r
    ok = c[:, 3] >= 0
    if exact:
        fact = [math.factorial(i) for i in range(r + 1)]
        out = np.array([sympy.S.Zero] * basis.p, dtype=object)
        for m in np.flatnonzero(ok).tolist():
            k = c[m].tolist()
            coef = fact[r] // (fact[k[0]] * fact[k[1]] * fact[k[2]] * fact[k[3]])
            val = sympy.Integer(coef)
            for t in range(4):
                if k[t]:
                    val = val * a[t] ** k[t]
            out[m] = sympy.expand(val)
        return out
    out = np.zeros(basis.p, dtype=complex)
    k = c[ok]
    lg = np.array([math.lgamma(i + 1) for i in range(r + 1)])
    mag = np.exp(lg[r] - lg[k].sum(axis=1))
    val = mag.astype(complex)
    for t in range(4):
        val = val * np.power(complex(a[t]), k[:, t])
    out[ok] = val
    return out


def _gaussian_rational(x) -> bool:
    """A number p/q + i r/s (SymPy keeps sums and products of these canonical unexpanded)."""
    re_, im_ = sympy.sympify(x).as_real_imag()
    return bool(re_.is_Rational and im_.is_Rational)


def product_coordinates(basis: PIBasis, state: ProductState, exact: bool | None = None):
    r""":math:`\mathbf y_d` of a product state by the generating function (S.1).

    The coordinates are symmetric in the factors, so equal factors are grouped: the largest
    group :math:`\ell_a^r` by the multinomial theorem, every other factor by one step of the
    recurrence (:math:`O(p)` each): :math:`O(p\,(1 + n - r))` in all.  Exact (SymPy column)
    when the factors are exact and ``exact`` is not false (limited to :math:`p\le` 2000);
    otherwise complex128 (the multinomials through ``lgamma``: relative error
    :math:`\approx10^{-13}` at :math:`n = 100`)."""
    if state.n != basis.n:
        raise InvalidStateError(f"state has n = {state.n} qubits, the network n = {basis.n}")
    p = basis.p
    if exact and p > EXACT_STATE_MAX_P:
        raise NotComputableError(
            f"exact product coordinates are limited to p <= {EXACT_STATE_MAX_P}: p = {p}"
        )
    exact = (
        (state.exact and p <= EXACT_STATE_MAX_P) if exact is None else bool(exact and state.exact)
    )
    groups = _factor_groups(state, exact)
    (a, r), rest = groups[0], groups[1:]
    cur = _power_group(basis, a, r, exact)
    if rest:
        shifts = [basis.shifted_index(_E11_SHIFTS[t]) for t in range(3)]
        zero = sympy.S.Zero if exact else 0.0
        cur = np.append(cur, zero)
        for e, mult in rest:
            for _ in range(mult):
                new = cur[:p] * e[3]
                for t in range(3):
                    if e[t] != 0:
                        new = new + cur[shifts[t]] * e[t]
                if exact and not all(_gaussian_rational(x) for x in e):
                    new = np.array([sympy.expand(x) for x in new], dtype=object)
                cur = np.append(new, zero)
        cur = cur[:p]
    if exact:
        sizes = basis.exact_sizes
        return sympy.Matrix([sympy.expand(cur[m] / sympy.sqrt(sizes[m])) for m in range(p)])
    return cur * np.exp(-0.5 * basis.log_sizes)


def _dicke_coordinates(basis: PIBasis, state: DickeState, exact: bool):
    c = basis.counts
    k_row = c[:, 2] + c[:, 3]
    k_col = c[:, 1] + c[:, 3]
    n = basis.n
    if exact:
        sizes = basis.exact_sizes
        out = []
        for m in range(basis.p):
            a = state.amplitudes.get(int(k_row[m]), 0)
            b = state.amplitudes.get(int(k_col[m]), 0)
            if a == 0 or b == 0:
                out.append(sympy.S.Zero)
                continue
            val = (
                a
                * sympy.conjugate(b)
                * sympy.sqrt(
                    sympy.Rational(
                        sizes[m], math.comb(n, int(k_row[m])) * math.comb(n, int(k_col[m]))
                    )
                )
            )
            out.append(sympy.expand(val))
        return sympy.Matrix(out)
    amp = np.zeros(n + 1, dtype=complex)
    for k, a in state.amplitudes.items():
        amp[k] = complex(a)
    lc = np.array([math.lgamma(k + 1) for k in range(n + 1)])
    logbin = lc[n] - lc - lc[::-1]
    return (
        amp[k_row]
        * amp[k_col].conj()
        * np.exp(0.5 * (basis.log_sizes - logbin[k_row] - logbin[k_col]))
    )


def _dense_coordinates(basis: AnyPIBasis, rho):
    from ..model.conventions import vec

    if basis.n > MAX_LIFT_QUBITS:
        raise NotComputableError(
            f"a dense state on n = {basis.n} qubits: give a ProductState, ProductMixture or "
            f"DickeState (dense input is limited to n <= {MAX_LIFT_QUBITS})"
        )
    labels = basis.node_labels
    if isinstance(rho, sympy.MatrixBase):
        sums: list[list] = [[] for _ in range(basis.p)]
        for v, val in enumerate(list(rho)):
            if val != 0:
                sums[labels[v]].append(val)
        return sympy.Matrix(
            [
                sympy.expand(sympy.Add(*t) / sympy.sqrt(s))
                for t, s in zip(sums, basis.exact_sizes, strict=True)
            ]
        )
    x = np.asarray(vec(np.asarray(rho, dtype=complex)))
    tot = np.bincount(labels, weights=x.real, minlength=basis.p) + 1j * np.bincount(
        labels, weights=x.imag, minlength=basis.p
    )
    return tot / np.sqrt(basis.sizes)


def project_operator(basis: AnyPIBasis, rho):
    r""":math:`P_d^\top\mathrm{vec}(\rho)` of any :math:`2^n\times2^n` operator or
    length-:math:`4^n` vector (not validated as a state; :math:`n\le`
    :data:`MAX_LIFT_QUBITS`), exact for SymPy input."""
    import scipy.sparse as sp

    if basis.n > MAX_LIFT_QUBITS:
        raise NotComputableError(
            f"a dense operator on n = {basis.n} qubits: dense input is limited to n <= "
            f"{MAX_LIFT_QUBITS}; give a ProductState, ProductMixture or DickeState"
        )
    d = 2**basis.n
    if sp.issparse(rho):
        rho = rho.toarray()
    if isinstance(rho, sympy.MatrixBase):
        if rho.shape in ((d * d, 1), (1, d * d)):
            rho = sympy.Matrix(d, d, list(rho))
        if rho.shape != (d, d):
            raise InvalidStateError(
                f"rho must be a {d}x{d} matrix or a vector of length {d * d}: found shape "
                f"{rho.shape}"
            )
        if any(e.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) for e in rho):
            raise InvalidStateError("rho must have finite entries")
        return _dense_coordinates(basis, rho)
    try:
        arr = np.asarray(rho, dtype=complex)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"rho must be numeric: found {type(rho).__name__} that does not convert"
        ) from None
    if arr.size == d * d and (arr.ndim == 1 or (arr.ndim == 2 and 1 in arr.shape)):
        arr = arr.reshape(d, d)
    if arr.shape != (d, d):
        raise InvalidStateError(
            f"rho must be a {d}x{d} matrix or a vector of length {d * d}: found shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise InvalidStateError("rho must have finite entries: found nan or inf")
    return _dense_coordinates(basis, arr)


def state_coordinates(basis: PIBasis, state, exact: bool | None = None):
    r""":math:`\mathbf y_d(0) = P_d^\top\mathrm{vec}\rho` of a :class:`ProductState`,
    :class:`ProductMixture`, :class:`DickeState` or a dense :math:`2^n\times2^n` density operator
    (:math:`n\le` :data:`~blendsym.section5.pi_basis.MAX_LIFT_QUBITS`).  Exact input gives an
    exact SymPy column (unless ``exact=False``, or :math:`p` is too large); otherwise complex128.
    """
    if isinstance(state, ProductState):
        return product_coordinates(basis, state, exact)
    if isinstance(state, ProductMixture):
        if state.n != basis.n:
            raise InvalidStateError(f"state has n = {state.n} qubits, the network n = {basis.n}")
        ex = state.exact if exact is None else bool(exact and state.exact)
        if ex and basis.p <= EXACT_STATE_MAX_P:
            # components with the same multiset of factors share coordinates
            weights: dict = {}
            first: dict = {}
            for w, s in zip(state.weights, state.states, strict=True):
                key = tuple(sorted(_factor_groups(s, True), key=repr))
                weights[key] = weights.get(key, 0) + w
                first.setdefault(key, s)
            parts = [w * product_coordinates(basis, first[key], True) for key, w in weights.items()]
            return sum(parts[1:], parts[0]).applyfunc(sympy.expand)
        out = np.zeros(basis.p, dtype=complex)
        cache: dict = {}  # components with the same multiset of factors share coordinates
        for w, s in zip(state.numeric_weights(), state.states, strict=True):
            key = tuple(sorted(_factor_groups(s, False), key=repr))
            if key not in cache:
                cache[key] = product_coordinates(basis, s, False)
            out += w * cache[key]
        return out
    if isinstance(state, DickeState):
        if state.n != basis.n:
            raise InvalidStateError(f"state has n = {state.n} qubits, the network n = {basis.n}")
        ex = state.exact if exact is None else bool(exact and state.exact)
        return _dicke_coordinates(basis, state, ex and basis.p <= EXACT_STATE_MAX_P)
    return dense_state_coordinates(
        basis, state, exact, "a ProductState, ProductMixture or DickeState"
    )


def dense_state_coordinates(basis: AnyPIBasis, state, exact, structured: str):
    r""":math:`\mathbf y = P_d^\top\mathrm{vec}(\rho)` of a dense density matrix (NumPy, or
    SymPy unless ``exact is False``), for :math:`n\le` :data:`MAX_LIFT_QUBITS`; above it the
    error names the ``structured`` inputs that are accepted instead."""
    from ..model.states import validate_density

    if basis.n > MAX_LIFT_QUBITS:
        raise NotComputableError(
            f"a dense state on n = {basis.n} qubits: give {structured} "
            f"(dense input is limited to n <= {MAX_LIFT_QUBITS})"
        )
    rho = validate_density(state, name="state", n=basis.n)
    if exact is False and isinstance(rho, sympy.MatrixBase):
        rho = np.array(rho.evalf().tolist(), dtype=complex)
    return _dense_coordinates(basis, rho)


def lift_coordinates(basis: AnyPIBasis, y):
    r""":math:`\mathrm{vec}^{-1}(P_d\mathbf y)` for :math:`n\le` :data:`MAX_LIFT_QUBITS`
    (SymPy in, SymPy out); stacks ``(T, p)`` give ``(T, 2^n, 2^n)``."""
    if basis.n > MAX_LIFT_QUBITS:
        raise NotComputableError(
            f"lifting to a 2^{basis.n} x 2^{basis.n} operator is limited to n <= "
            f"{MAX_LIFT_QUBITS}; use reduced_state / expectation on the coordinates"
        )
    d = 2**basis.n
    labels = basis.node_labels
    if isinstance(y, sympy.MatrixBase):
        y = _check_y(basis, y)
        vals = [y[m] / sympy.sqrt(s) for m, s in enumerate(basis.exact_sizes)]
        return sympy.Matrix(d, d, [vals[int(lab)] for lab in labels])
    arr = np.asarray(y, dtype=complex)
    if arr.ndim == 2 and arr.shape[1] == basis.p:
        return (arr / np.sqrt(basis.sizes)[None, :])[:, labels].reshape(arr.shape[0], d, d)
    arr = _check_y(basis, arr)
    return (arr / np.sqrt(basis.sizes))[labels].reshape(d, d)


# ----------------------------------------------------------------------------- observables


def consensus_values(basis: AnyPIBasis, y):
    r""":math:`x_m = y_m/\sqrt{|\mathbb V_m|}`, the value of the lift on :math:`\mathbb V_m`."""
    y = _check_y(basis, y)
    if _is_exact_vector(y):
        return sympy.Matrix([y[m] / sympy.sqrt(s) for m, s in enumerate(basis.exact_sizes)])
    return y * np.exp(-0.5 * basis.log_sizes)


@lru_cache(maxsize=64)
def _marginal_plan(n: int, k: int):
    """For each count vector c (|c| = k): the count vectors of (S.2) and the weights
    binom(n-k, r)/sqrt|V_m| as (exact squared Fractions, floats)."""
    from fractions import Fraction

    fact = [math.factorial(i) for i in range(n + 1)]
    plan = {}
    for c in count_vectors(k):
        ms, w2 = [], []
        for r in range(n - k + 1):
            m = (c[0] + n - k - r, c[1], c[2], c[3] + r)
            size = fact[n] // (fact[m[0]] * fact[m[1]] * fact[m[2]] * fact[m[3]])
            ms.append(m)
            w2.append(Fraction(math.comb(n - k, r) ** 2, size))
        plan[c] = (np.array(ms, dtype=np.int64), w2, np.sqrt(np.array([float(x) for x in w2])))
    return plan


@lru_cache(maxsize=32)
def _marginal_map(n: int, k: int):
    import scipy.sparse as sp

    basis = PIBasis(n)
    plan = _marginal_plan(n, k)
    d = 2**k
    rows, cols, vals = [], [], []
    for row in range(d):
        for col in range(d):
            cnt = [0, 0, 0, 0]
            for s in range(k):
                cnt[2 * ((row >> (k - 1 - s)) & 1) + ((col >> (k - 1 - s)) & 1)] += 1
            ms, _, wf = plan[tuple(cnt)]
            rows.append(np.full(len(wf), row * d + col))
            cols.append(basis.index(ms))
            vals.append(wf)
    out = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(d * d, basis.p)
    )
    return out


def marginal_map(basis: PIBasis, k: int):
    r"""The linear map :math:`\mathbf y\mapsto\mathrm{vec}(X_{1\dots k})` of (S.2) as a
    :math:`4^k\times p` CSR matrix (row-major :math:`2^k\times2^k` entries; cached)."""
    k = check_int(k, "k", minimum=1, maximum=min(basis.n, 8))
    return _marginal_map(basis.n, k)


def expectation_functional(basis: PIBasis, op: SiteOperator) -> np.ndarray:
    r"""The vector :math:`\boldsymbol\ell` with :math:`\mathrm{tr}(\mathrm{op}\,X) =
    \boldsymbol\ell\cdot\mathbf y` for every coordinate vector (an expectation value is linear
    in the state): :math:`\sum_{\text{contents}}c\,\mathrm{vec}(P^\top)^\top M_k`, with
    :math:`M_k` the :func:`marginal_map`; numeric coefficients."""
    if not isinstance(op, SiteOperator):
        raise InvalidArgumentError(f"op must be a SiteOperator: found {type(op).__name__}")
    if op.max_site > basis.n:
        raise InvalidArgumentError(
            f"op acts on qubit {op.max_site} but the network has n = {basis.n} qubits"
        )
    out = np.zeros(basis.p, dtype=complex)
    for letters, coeffs in _content_groups(op).items():
        c = complex(sympy.Add(*coeffs))
        if not letters:
            diag = np.flatnonzero(basis.diagonal)
            out[diag] += c * np.exp(0.5 * basis.log_sizes[diag])
            continue
        p = _PAULI[letters[0]]
        for x in letters[1:]:
            p = np.kron(p, _PAULI[x])
        out += c * (marginal_map(basis, len(letters)).T @ p.T.ravel())
    return out


def marginal(basis: PIBasis, y, k: int):
    r"""The :math:`k`-site reduced operator :math:`X_{1\dots k}` of the lift (eq. (S.2)),
    a :math:`2^k\times2^k` matrix (rows :math:`q_1\dots q_k`, columns :math:`q'_1\dots q'_k`),
    the same for every :math:`k` sites.  Exact for exact ``y``."""
    k = check_int(k, "k", minimum=1, maximum=basis.n)
    if k > 8:
        raise InvalidArgumentError(f"k must be <= 8 (a 2^k x 2^k marginal): found {k}")
    y = _check_y(basis, y)
    exact = _is_exact_vector(y)
    if not exact:
        d = 2**k
        return (marginal_map(basis, k) @ y).reshape(d, d)
    plan = _marginal_plan(basis.n, k)
    values = {}
    for c, (ms, w2, wf) in plan.items():
        idx = basis.index(ms)
        if exact:
            values[c] = sympy.expand(
                sympy.Add(
                    *[
                        sympy.sqrt(sympy.Rational(w.numerator, w.denominator)) * y[int(i)]
                        for w, i in zip(w2, idx, strict=True)
                    ]
                )
            )
        else:
            values[c] = complex(np.dot(wf, y[idx]))
    d = 2**k
    out = sympy.zeros(d, d) if exact else np.zeros((d, d), dtype=complex)
    for row in range(d):
        for col in range(d):
            cnt = [0, 0, 0, 0]
            for s in range(k):
                q = (row >> (k - 1 - s)) & 1
                qp = (col >> (k - 1 - s)) & 1
                cnt[2 * q + qp] += 1
            out[row, col] = values[tuple(cnt)]
    return out


def reduced_state(basis: PIBasis, y, j: int = 1):
    r"""The :math:`2\times2` marginal at site ``j`` of the lift (the same at every site)."""
    check_int(j, "j", minimum=1, maximum=basis.n)
    return marginal(basis, y, 1)


def trace(basis: AnyPIBasis, y):
    r""":math:`\mathrm{tr}\,X = \sum_{m_{01}=m_{10}=0}\sqrt{|\mathbb V_m|}\,y_m`."""
    y = _check_y(basis, y)
    diag = np.flatnonzero(basis.diagonal)
    if _is_exact_vector(y):
        return sympy.expand(
            sympy.Add(*[sympy.sqrt(basis.exact_sizes[m]) * y[int(m)] for m in diag])
        )
    return complex(np.dot(np.exp(0.5 * basis.log_sizes[diag]), y[diag]))


def _content_groups(op: SiteOperator) -> dict[tuple, list]:
    groups: dict[tuple, list] = {}
    for key, c in op.terms.items():
        groups.setdefault(tuple(sorted(p for _, p in key)), []).append(c)
    return groups


def expectation(basis: PIBasis, y, op: SiteOperator):
    r""":math:`\mathrm{tr}(\mathrm{op}\,X)` for a site operator, from the coordinates: terms are
    grouped by content (sorted Pauli letters) and each content is evaluated on the marginal
    :math:`X_{1\dots k}` (eq. (S.2)).  Exact for exact ``y`` and coefficients.  (For a
    trajectory of a trace-one state this is :math:`\langle\mathrm{op}\rangle`.)"""
    if not isinstance(op, SiteOperator):
        raise InvalidArgumentError(f"op must be a SiteOperator: found {type(op).__name__}")
    if op.max_site > basis.n:
        raise InvalidArgumentError(
            f"op acts on qubit {op.max_site} but the network has n = {basis.n} qubits"
        )
    y = _check_y(basis, y)
    exact = _is_exact_vector(y)
    marg: dict[int, object] = {}
    total = []
    for letters, coeffs in _content_groups(op).items():
        c = sympy.Add(*coeffs)
        k = len(letters)
        if k == 0:
            val = trace(basis, y)
        else:
            if k not in marg:
                marg[k] = marginal(basis, y, k)
            table = _PAULI_EXACT if exact else _PAULI
            p = table[letters[0]]
            for x in letters[1:]:
                p = sympy.kronecker_product(p, table[x]) if exact else np.kron(p, table[x])
            val = (p * marg[k]).trace() if exact else complex(np.trace(p @ marg[k]))
        total.append(c * val if exact else complex(c) * val)
    if exact:
        return sympy.expand(sympy.Add(*total))
    return complex(sum(total)) if total else 0j


def collective_moments(basis: PIBasis, y) -> tuple[np.ndarray, np.ndarray]:
    r"""``(J, JJ)``: :math:`\langle J_a\rangle` (shape 3) and :math:`\langle J_aJ_b\rangle`
    (3x3), :math:`J_a = \frac12\sum_j\sigma_a^{(j)}`, :math:`a = x, y, z` (module docstring)."""
    y = _check_y(basis, y)
    if _is_exact_vector(y):
        y = np.array(y.evalf().tolist(), dtype=complex).ravel()
    n = basis.n
    x1 = marginal(basis, y, 1)
    x2 = marginal(basis, y, 2) if n >= 2 else None
    sig = [_PAULI["X"], _PAULI["Y"], _PAULI["Z"]]
    j = np.array([n / 2 * np.trace(s @ x1) for s in sig])
    jj = np.zeros((3, 3), dtype=complex)
    for a in range(3):
        for b in range(3):
            v = n * np.trace(sig[a] @ sig[b] @ x1)
            if x2 is not None:
                v += n * (n - 1) * np.trace(np.kron(sig[a], sig[b]) @ x2)
            jj[a, b] = v / 4
    return j, jj


def purity(basis: AnyPIBasis, y):
    r""":math:`\mathrm{tr}X^2 = \|\mathbf y\|^2` for a Hermitian lift :math:`X` (orthonormal
    :math:`P_d`)."""
    y = _check_y(basis, y)
    if _is_exact_vector(y):
        return sympy.expand(sum((v * sympy.conjugate(v) for v in y), sympy.S.Zero))
    return float(np.vdot(y, y).real)


def concurrence(rho2) -> float:
    r"""Wootters' concurrence of a two-qubit operator normalised to trace one:
    :math:`\max(0,\lambda_1-\lambda_2-\lambda_3-\lambda_4)`, :math:`\lambda_i` the decreasing
    square roots of the eigenvalues of :math:`\rho\tilde\rho`,
    :math:`\tilde\rho = (\sigma_y\otimes\sigma_y)\bar\rho(\sigma_y\otimes\sigma_y)`."""
    r = np.asarray(
        rho2.evalf().tolist() if isinstance(rho2, sympy.MatrixBase) else rho2, dtype=complex
    )
    if r.shape != (4, 4):
        raise InvalidArgumentError(f"rho2 must be a 4x4 two-qubit operator: found {r.shape}")
    tr = np.trace(r).real
    if not tr > 0:
        raise InvalidStateError(f"rho2 must have positive trace: found {tr:.3g}")
    r = r / tr
    r = (r + r.conj().T) / 2
    yy = np.kron(_PAULI["Y"], _PAULI["Y"])
    rt = yy @ r.conj() @ yy
    ev = np.linalg.eigvals(r @ rt)
    lam = np.sort(np.sqrt(np.clip(ev.real, 0.0, None)))[::-1]
    return float(max(0.0, lam[0] - lam[1] - lam[2] - lam[3]))


def distance_to_pi(basis: PIBasis, state, y=None) -> tuple[Any, str]:
    r""":math:`C = \|\rho - \mathcal P_*(\rho)\|_F` and how it was obtained, without
    :math:`2^n` objects: :math:`C^2 = \|\rho\|_F^2 - \|\mathbf y\|^2` (module docstring).

    Returns ``(C, kind)``: ``kind = "exact"`` (a SymPy number, exact input; or 0 for a state
    whose products have identical factors, or a Dicke state: those are PI) or
    ``"upper bound"`` (float: :math:`\sqrt{\max(0, C^2) + \epsilon}` with
    :math:`\epsilon = 10^{-12}\|\rho\|_F^2`, a margin for the rounding of both squared
    norms, each an :math:`O(n)`-term product or sum with relative error far below it)."""
    if not is_structured_state(state):
        raise InvalidArgumentError(
            f"state must be a ProductState, ProductMixture or DickeState: found "
            f"{type(state).__name__}"
        )
    states = state.states if isinstance(state, ProductMixture) else (state,)
    if isinstance(state, DickeState) or all(len(_factor_groups(s, s.exact)) == 1 for s in states):
        # identical factors (or a Dicke state): the state is permutation invariant
        return (sympy.S.Zero if state.exact else 0.0), "exact"
    y = state_coordinates(basis, state) if y is None else y
    norm2 = state.frobenius_norm_squared(exact=isinstance(y, sympy.MatrixBase))
    if isinstance(y, sympy.MatrixBase) and isinstance(norm2, sympy.Basic):
        c2 = sympy.expand(sympy.radsimp(sympy.expand(norm2 - purity(basis, y))))
        return sympy.sqrt(c2), "exact"
    yn = (
        np.array(y.evalf().tolist(), dtype=complex).ravel()
        if isinstance(y, sympy.MatrixBase)
        else np.asarray(y)
    )
    r2 = float(norm2)
    c2 = r2 - float(np.vdot(yn, yn).real)
    return math.sqrt(max(0.0, c2) + 1e-12 * max(r2, 1e-300)), "upper bound"
