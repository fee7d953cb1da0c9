r"""States and observables in the PI coordinates of a disconnected graph.

Everything factorises over the components.  The orbit indicator of
:math:`\mathbb V_{\mathbf m}` is, after ordering the sites by component, the tensor product of
the per-component orbit indicators, :math:`E_{\mathbf m} = \bigotimes_iE^{(i)}_{m^{(i)}}`, and
:math:`|\mathbb V_{\mathbf m}| = \prod_i|\mathbb V_{m^{(i)}}|`.  Hence

* a product state :math:`\bigotimes_s\rho_s` has the coordinates
  :math:`y_{\mathbf m} = \prod_iy^{(i)}_{m^{(i)}}`, :math:`y^{(i)}` those of
  :math:`\bigotimes_{s\in C_i}\rho_s` in the PI basis of :math:`C_i` (eq. (S.1) per component):
  :math:`\mathbf y = \bigotimes_i\mathbf y^{(i)}` up to the coordinate order
  (:meth:`~blendsym.section5.product_basis.ProductPIBasis.kron`); mixtures are linear;
* an expectation value :math:`\mathrm{tr}(PX) = \boldsymbol\ell\cdot\mathbf y` of a Pauli string
  :math:`P = \bigotimes_iP_i` (:math:`P_i` its factors on :math:`C_i`) has
  :math:`\boldsymbol\ell = \bigotimes_i\boldsymbol\ell^{(i)}`, :math:`\ell^{(i)}_{m} =
  \mathrm{tr}(P_iE^{(i)}_m)/\sqrt{|\mathbb V_m|}` the functional of :math:`P_i` in component
  :math:`i` (the trace functional when :math:`P_i = I`).  It depends on the letters of
  :math:`P` in each component, not on which sites of the component carry them;
* the marginal of the lift on sites :math:`S` is, with :math:`S_i = S\cap C_i`,
  :math:`\bigotimes_iM^{(i)}_{|S_i|}`, :math:`M^{(i)}_k` the :math:`k`-site marginal map (S.2) of
  component :math:`i` (the trace functional for :math:`k = 0`), with its rows reordered to the
  site order of :math:`S`.  Unlike the connected case it depends on how :math:`S` meets the
  components, so the marginals here always name their sites.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

import numpy as np
import scipy.sparse as sp
import sympy

from ..errors import InvalidArgumentError, InvalidStateError, NotComputableError
from ..model.operators import SiteOperator
from ..model.structured_states import DickeState, ProductMixture, ProductState
from . import pi_states as ps
from .pi_basis import MAX_LIFT_QUBITS
from .product_basis import ProductPIBasis

__all__ = [
    "product_state_coordinates",
    "product_expectation_functional",
    "product_marginal_map",
    "product_marginal",
    "product_expectation",
    "product_collective_moments",
    "product_distance_to_pi",
]

_IDENTITY = SiteOperator({(): 1})


def _substate(state: ProductState, block: tuple[int, ...]) -> ProductState:
    return ProductState([state.factors[s - 1] for s in block])


def _kron_exact(basis: ProductPIBasis, vectors: list) -> sympy.Matrix:
    raw = np.ones(1, dtype=object)
    for v in vectors:
        raw = np.outer(raw, np.array(list(v), dtype=object)).ravel()
    return sympy.Matrix([sympy.expand(x) for x in raw[basis.coord_to_raw]])


def _product_coordinates(basis: ProductPIBasis, state: ProductState, exact: bool):
    parts = [
        ps.product_coordinates(f, _substate(state, blk), exact)
        for f, blk in zip(basis.factors, basis.blocks, strict=True)
    ]
    return _kron_exact(basis, parts) if exact else basis.kron(parts)


def product_state_coordinates(basis: ProductPIBasis, state, exact: bool | None = None):
    r""":math:`\mathbf y_d(0) = P_d^\top\mathrm{vec}\rho` of a :class:`~blendsym.ProductState` or
    :class:`~blendsym.ProductMixture` (module docstring; exact SymPy for exact input while
    :math:`p\le` :data:`~blendsym.section5.pi_states.EXACT_STATE_MAX_P`), of a
    :class:`~blendsym.DickeState` or a dense density operator through its
    :math:`2^n\times2^n` matrix (:math:`n\le` :data:`~blendsym.section5.pi_basis.
    MAX_LIFT_QUBITS`)."""
    if isinstance(state, ProductState | ProductMixture):
        if state.n != basis.n:
            raise InvalidStateError(f"state has n = {state.n} qubits, the network n = {basis.n}")
        ex = state.exact and basis.p <= ps.EXACT_STATE_MAX_P and exact is not False
        if isinstance(state, ProductState):
            return _product_coordinates(basis, state, ex)
        weights = state.weights if ex else state.numeric_weights()
        parts = [
            w * _product_coordinates(basis, s, ex)
            for w, s in zip(weights, state.states, strict=True)
        ]
        total = sum(parts[1:], parts[0])
        return total.applyfunc(sympy.expand) if ex else total
    if isinstance(state, DickeState):
        if basis.n > MAX_LIFT_QUBITS:
            raise NotComputableError(
                f"a Dicke state on a disconnected graph of n = {basis.n} qubits: its coordinates "
                f"are computed from its dense matrix, for n <= {MAX_LIFT_QUBITS}"
            )
        state = state.dense()
    # the node labels of the basis give the dense coordinates
    return ps.dense_state_coordinates(basis, state, exact, "a ProductState or ProductMixture")


# ----------------------------------------------------------------------------- observables


def _local_string(letters: tuple) -> SiteOperator:
    return SiteOperator({tuple((j + 1, x) for j, x in enumerate(letters)): 1})


def _shape_groups(basis: ProductPIBasis, op: SiteOperator) -> dict[tuple, list]:
    comp = basis.component_of
    groups: dict[tuple, list] = {}
    for key, c in op.terms.items():
        per: list[list] = [[] for _ in range(basis.r)]
        for s, x in key:
            per[comp[s]].append(x)
        groups.setdefault(tuple(tuple(sorted(g)) for g in per), []).append(c)
    return groups


def product_expectation_functional(basis: ProductPIBasis, op: SiteOperator) -> np.ndarray:
    r""":math:`\boldsymbol\ell` with :math:`\mathrm{tr}(\mathrm{op}\,X) = \boldsymbol\ell\cdot
    \mathbf y`: terms grouped by their letters in each component, one Kronecker product of
    per-component functionals per group (numeric coefficients)."""
    if not isinstance(op, SiteOperator):
        raise InvalidArgumentError(f"op must be a SiteOperator: found {type(op).__name__}")
    if op.max_site > basis.n:
        raise InvalidArgumentError(
            f"op acts on qubit {op.max_site} but the network has n = {basis.n} qubits"
        )
    out = np.zeros(basis.p, dtype=complex)
    cache: dict[tuple, np.ndarray] = {}
    for shape, coeffs in _shape_groups(basis, op).items():
        c = complex(sympy.Add(*coeffs))
        if c == 0:
            continue
        parts = []
        for i, letters in enumerate(shape):
            if (i, letters) not in cache:
                local = _local_string(letters) if letters else _IDENTITY
                cache[(i, letters)] = ps.expectation_functional(basis.factors[i], local)
            parts.append(cache[(i, letters)])
        out += c * basis.kron(parts)
    return out


def _check_sites(basis: ProductPIBasis, sites) -> tuple[int, ...]:
    try:
        out = tuple(int(s) for s in sites)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"sites must be 1-based sites: found {sites!r}") from None
    if not out or len(set(out)) != len(out) or any(not 1 <= s <= basis.n for s in out):
        raise InvalidArgumentError(
            f"sites must be distinct sites in 1..{basis.n}: found {list(out)}"
        )
    if len(out) > 8:
        raise InvalidArgumentError(f"a marginal on at most 8 sites: found {len(out)}")
    return tuple(sorted(out))


@lru_cache(maxsize=64)
def _marginal_map(basis: ProductPIBasis, sites: tuple[int, ...]) -> sp.csr_matrix:
    comp = basis.component_of
    per = [[s for s in sites if comp[s] == i] for i in range(basis.r)]
    mats = []
    for f, group in zip(basis.factors, per, strict=True):
        if group:
            mats.append(sp.csr_matrix(ps.marginal_map(f, len(group))))
        else:
            mats.append(sp.csr_matrix(ps.expectation_functional(f, _IDENTITY)[None, :]))
    raw = mats[0]
    for m in mats[1:]:
        raw = sp.kron(raw, m, format="csr")
    k = len(sites)
    d = 2**k
    row_q = (np.arange(d)[:, None] >> (k - 1 - np.arange(k))[None, :]) & 1  # (d, k)
    # the raw row of the entry (R, C): per component r_i = row_i 2^{k_i} + col_i, mixed radix
    raw_rows = np.zeros((d, d), dtype=np.int64)
    for group in per:
        ki = len(group)
        pos = [sites.index(s) for s in group]
        weights = 1 << (ki - 1 - np.arange(ki)) if ki else np.zeros(0, dtype=np.int64)
        row_i = row_q[:, pos] @ weights if ki else np.zeros(d, dtype=np.int64)
        r_i = row_i[:, None] * (1 << ki) + row_i[None, :]
        raw_rows = raw_rows * (4**ki) + r_i
    out = raw[raw_rows.ravel()].tocoo()
    return sp.csr_matrix((out.data, (out.row, basis.raw_to_coord[out.col])), shape=(d * d, basis.p))


def product_marginal_map(basis: ProductPIBasis, sites) -> sp.csr_matrix:
    r""":math:`\mathbf y\mapsto\mathrm{vec}(X_S)`, the marginal of the lift on ``sites`` (sorted;
    rows :math:`q_S`, columns :math:`q'_S`), as a :math:`4^{|S|}\times p` CSR matrix (cached)."""
    return _marginal_map(basis, _check_sites(basis, sites))


def _numeric_y(basis: ProductPIBasis, y) -> np.ndarray:
    y = ps._check_y(basis, y)
    if isinstance(y, sympy.MatrixBase):
        return np.array(y.evalf().tolist(), dtype=complex).ravel()
    return y


def product_marginal(basis: ProductPIBasis, y, sites) -> np.ndarray:
    r"""The marginal :math:`X_S` of the lift on ``sites`` (a :math:`2^{|S|}\times2^{|S|}` array;
    exact coordinates are evaluated in double precision)."""
    m = product_marginal_map(basis, sites)
    d = int(round(np.sqrt(m.shape[0])))
    return (m @ _numeric_y(basis, y)).reshape(d, d)


def product_expectation(basis: ProductPIBasis, y, op: SiteOperator) -> complex:
    r""":math:`\mathrm{tr}(\mathrm{op}\,X)` from the coordinates (double precision)."""
    return complex(product_expectation_functional(basis, op) @ _numeric_y(basis, y))


_SIG = [
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
]


def product_collective_moments(basis: ProductPIBasis, y) -> tuple[np.ndarray, np.ndarray]:
    r"""``(<J_a>, <J_a J_b>)``, :math:`J_a = \frac12\sum_j\sigma_a^{(j)}`: one single-site marginal
    per component (:math:`n_i` equal terms) and one two-site marginal per ordered pair of
    components, or inside a component (:math:`n_in_{i'}` resp. :math:`n_i(n_i-1)` ordered
    pairs of sites)."""
    yv = _numeric_y(basis, y)
    j = np.zeros(3, dtype=complex)
    jj = np.zeros((3, 3), dtype=complex)
    for a, blk in enumerate(basis.blocks):
        x1 = product_marginal(basis, yv, (blk[0],))
        j += np.array([len(blk) / 2 * np.trace(s @ x1) for s in _SIG])
        for u in range(3):
            for v in range(3):
                jj[u, v] += len(blk) * np.trace(_SIG[u] @ _SIG[v] @ x1) / 4
        for b, other in enumerate(basis.blocks):
            if a == b and len(blk) < 2:
                continue
            pair = (blk[0], blk[1]) if a == b else (blk[0], other[0])
            count = len(blk) * (len(blk) - 1) if a == b else len(blk) * len(other)
            x2 = product_marginal(basis, yv, pair)
            first = 0 if pair[0] < pair[1] else 1  # rows of x2 follow the sorted sites
            for u in range(3):
                for v in range(3):
                    ops = (_SIG[u], _SIG[v]) if first == 0 else (_SIG[v], _SIG[u])
                    jj[u, v] += count * np.trace(np.kron(*ops) @ x2) / 4
    return j, jj


def product_distance_to_pi(basis: ProductPIBasis, state) -> tuple[Any, str]:
    r""":math:`C = \|\rho - \mathcal P_G(\rho)\|_F`, :math:`\mathcal P_G` the average over
    :math:`S_{C_1}\times\cdots\times S_{C_r}`, from :math:`C^2 = \|\rho\|_F^2 - \|\mathbf y\|^2`
    (:func:`~blendsym.section5.pi_states.distance_to_pi`, with the coordinates of this basis).
    A state with identical factors, or a Dicke state, is invariant under :math:`S_n` and so
    under the subgroup: :math:`C = 0`."""
    states = state.states if isinstance(state, ProductMixture) else (state,)
    if isinstance(state, DickeState) or all(
        isinstance(s, ProductState) and len(ps._factor_groups(s, s.exact)) == 1 for s in states
    ):
        return ps.distance_to_pi(cast(Any, basis), state)  # 0: no coordinates needed
    y = product_state_coordinates(basis, state)
    # given y, distance_to_pi only uses the orbit sizes (purity), which this basis provides
    return ps.distance_to_pi(cast(Any, basis), state, y=y)
