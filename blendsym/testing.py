r"""Hypothesis strategies for validating quantum-network models property by property.

These strategies are public: use them to test your own models and extensions of
blendsym the way blendsym tests itself.

>>> from hypothesis import given
>>> from blendsym.testing import separable_networks, density_matrices
>>> @given(separable_networks(max_n=3))
... def test_trace_preserved(net):
...     ...

Everything drawn here is small and, unless asked otherwise, **exact**: matrix entries,
Hamiltonian coefficients, rates and edge weights are small rationals (or Gaussian
rationals :math:`p/q + i\,r/s`), so the exact SymPy Liouvillian of a 3-qubit model is
built in milliseconds.

Density operators are built from Gram matrices, which are positive semidefinite by
construction:

* ``"full"`` (full rank): :math:`\rho = (A A^\dagger + c I)/\mathrm{tr}(\cdot)` with
  :math:`c > 0`;
* ``"low_rank"``: :math:`\rho = A A^\dagger/\mathrm{tr}(\cdot)` with :math:`A` of size
  :math:`2^n\times r`, :math:`1 \le r < 2^n` (so :math:`\mathrm{rank}\,\rho \le r`);
* ``"pure"``: :math:`\rho = v v^\dagger / v^\dagger v`;
* ``"product"``: :math:`\rho_1\otimes\cdots\otimes\rho_n` of single-qubit states of any
  kind (the initial states of Assumption 1);
* ``"any"``: one of the above.

Exact states use Gaussian-integer :math:`A` (entries :math:`a + ib`,
:math:`|a|, |b| \le 2`) and come out as SymPy matrices with rational real and imaginary
parts; numeric states use floats in :math:`[-1, 1]` and come out as complex NumPy arrays,
Hermitian to the last bit.

Models: :func:`separable_networks` draws models satisfying the separability under which
the reduced-state equations (5) close — a Hamiltonian that is a sum of single-qubit terms
and jump operators that each act on **one** qubit — and :func:`inseparable_networks`
models with at least one multi-qubit Hamiltonian term or one collective jump (such as
:math:`\sum_j\sigma_-^{(j)}`, a sum of single-qubit terms whose dissipator nevertheless
couples the qubits).  Both draw a random connected weighted graph and positive
rational rates.

Parametric models: :func:`parametric_separable_network` and
:func:`parametric_inseparable_network` are two fixed 3-qubit models in the symbols
:data:`PARAMETRIC_SYMBOLS` (:math:`\omega, \gamma, \delta > 0`, :math:`\beta` real), for
checking what is compiled once from a symbolic model (``net.compile()``,
``steady_state_function()``, ``theorem1_function()``, ...) against the model re-derived at
a point (``net.subs(point)``).
"""

from __future__ import annotations

import itertools
from typing import Any, Literal

import numpy as np
import sympy
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ._validate import check_bool, check_choice, check_int
from .errors import InvalidArgumentError
from .model.network import QuantumNetwork
from .model.operators import (
    SiteOperator,
    identity,
    sigma_minus,
    sigma_plus,
    sigma_x,
    sigma_y,
    sigma_z,
    site_operator,
)

__all__ = [
    "DensityKind",
    "small_rationals",
    "positive_rationals",
    "density_matrices",
    "single_qubit_density_matrices",
    "connected_weighted_graphs",
    "pauli_strings",
    "hermitian_site_operators",
    "single_site_jumps",
    "collective_jumps",
    "separable_networks",
    "inseparable_networks",
    "k_local_networks",
    "permutation_invariant_networks",
    "acts_on_one_qubit",
    "is_separable_model",
    "PARAMETRIC_SYMBOLS",
    "parametric_separable_network",
    "parametric_inseparable_network",
]

DensityKind = Literal["full", "low_rank", "pure", "product", "any"]

_KINDS = ("full", "low_rank", "pure", "product", "any")
#: Largest n of density_matrices: an exact full-rank state on n qubits is one dense block,
#: decided exactly up to blendsym.limits.EXACT_POSITIVITY_BLOCK = 64 = 2^6.
_MAX_STATE_QUBITS = 6
_I = sympy.I


# ----------------------------------------------------------------------------- argument checks


def _check_int(value, name: str, lo: int, hi: int | None = None) -> int:
    """:func:`blendsym._validate.check_int` on ``[lo, hi]``."""
    return check_int(value, name, minimum=lo, maximum=hi)


def _check_range(min_n, max_n, lo: int, hi: int) -> tuple[int, int]:
    min_n = _check_int(min_n, "min_n", lo, hi)
    max_n = _check_int(max_n, "max_n", lo, hi)
    if min_n > max_n:
        raise InvalidArgumentError(f"min_n must be <= max_n: found min_n={min_n}, max_n={max_n}")
    return min_n, max_n


# ----------------------------------------------------------------------------- scalars


def small_rationals(
    max_numerator: int = 3, max_denominator: int = 3, nonzero: bool = False
) -> SearchStrategy[sympy.Rational]:
    """Exact rationals :math:`p/q` with :math:`|p|\\le` ``max_numerator``, :math:`1\\le q\\le`
    ``max_denominator``; ``nonzero=True`` excludes 0."""
    p = st.integers(-max_numerator, max_numerator)
    if nonzero:
        p = p.filter(lambda x: x != 0)
    return st.builds(sympy.Rational, p, st.integers(1, max_denominator))


def positive_rationals(
    max_numerator: int = 4, max_denominator: int = 3
) -> SearchStrategy[sympy.Rational]:
    """Exact positive rationals :math:`p/q`, :math:`1\\le p\\le` ``max_numerator``,
    :math:`1\\le q\\le` ``max_denominator`` (rates, weights, gains)."""
    return st.builds(sympy.Rational, st.integers(1, max_numerator), st.integers(1, max_denominator))


# ----------------------------------------------------------------------------- density operators

_GAUSS = st.integers(-2, 2)
_FLOAT = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def _complex_block(rows: int, cols: int, exact: bool) -> SearchStrategy[np.ndarray]:
    """A ``rows x cols`` complex array: Gaussian integers (exact) or floats in [-1, 1]."""
    elem = _GAUSS if exact else _FLOAT
    size = rows * cols

    def build(parts: tuple[list, list]) -> np.ndarray:
        re, im = parts
        a = (np.array(re, dtype=float) + 1j * np.array(im, dtype=float)).reshape(rows, cols)
        if np.abs(a).max() < 1e-3:  # keep the Gram matrix away from 0 (trace normalisation)
            a[0, 0] += 1.0
        return a

    lists = st.lists(elem, min_size=size, max_size=size)
    return st.tuples(lists, lists).map(build)


def _normalise(g: np.ndarray, exact: bool):
    """``g / tr(g)`` as an exact SymPy matrix (``g`` holds Gaussian integers) or NumPy array."""
    if exact:
        gi = np.rint(g.real).astype(np.int64) + 1j * np.rint(g.imag).astype(np.int64)
        tr = int(np.rint(np.trace(gi).real))
        d = g.shape[0]
        return sympy.Matrix(
            d,
            d,
            [
                sympy.Rational(int(z.real), tr) + _I * sympy.Rational(int(z.imag), tr)
                for z in gi.ravel()
            ],
        )
    rho = g / np.trace(g).real
    return (rho + rho.conj().T) / 2


def _gram_full(d: int, exact: bool) -> SearchStrategy[np.ndarray]:
    shift = st.integers(1, 3).map(float) if exact else st.floats(0.05, 1.0)
    return st.tuples(_complex_block(d, d, exact), shift).map(
        lambda t: t[0] @ t[0].conj().T + t[1] * np.eye(d)
    )


def _gram_low_rank(d: int, exact: bool) -> SearchStrategy[np.ndarray]:
    return st.integers(1, max(1, d - 1)).flatmap(
        lambda r: _complex_block(d, r, exact).map(lambda a: a @ a.conj().T)
    )


def _gram_pure(d: int, exact: bool) -> SearchStrategy[np.ndarray]:
    return _complex_block(d, 1, exact).map(lambda v: v @ v.conj().T)


def _gram(d: int, kind: str, exact: bool) -> SearchStrategy[np.ndarray]:
    """An (unnormalised) positive semidefinite matrix of the given kind."""
    if kind == "full":
        return _gram_full(d, exact)
    if kind == "low_rank":
        return _gram_low_rank(d, exact)
    if kind == "pure":
        return _gram_pure(d, exact)
    n = d.bit_length() - 1
    if kind == "product":
        single = st.one_of(_gram_full(2, exact), _gram_pure(2, exact))

        def kron_all(gs: list[np.ndarray]) -> np.ndarray:
            out = np.ones((1, 1), dtype=complex)
            for g in gs:
                out = np.kron(out, g)
            return out

        return st.lists(single, min_size=n, max_size=n).map(kron_all)
    return st.one_of(*(_gram(d, k, exact) for k in ("full", "low_rank", "pure", "product")))


def density_matrices(n: int, kind: DensityKind = "any", exact: bool = False) -> SearchStrategy[Any]:
    r"""Density operators on ``n`` qubits (:math:`2^n\times 2^n`).

    Parameters
    ----------
    n:
        Number of qubits (1..6).
    kind:
        ``"full"`` (full rank), ``"low_rank"`` (rank below :math:`2^n`), ``"pure"``,
        ``"product"`` (:math:`\rho_1\otimes\cdots\otimes\rho_n`) or ``"any"``.
    exact:
        ``False``: complex NumPy arrays.  ``True``: SymPy matrices whose entries are
        Gaussian rationals, built from Gaussian-integer Gram matrices normalised by
        their trace (accepted exactly by :func:`blendsym.validate_density`).
    """
    n = _check_int(n, "n", 1, _MAX_STATE_QUBITS)
    check_choice(kind, "kind", _KINDS)
    exact = check_bool(exact, "exact")
    return _gram(2**n, kind, exact).map(lambda g: _normalise(g, exact))


def single_qubit_density_matrices(
    kind: DensityKind = "any", exact: bool = False
) -> SearchStrategy[Any]:
    """Single-qubit density operators (2x2): :func:`density_matrices` with ``n = 1``."""
    return density_matrices(1, kind=kind, exact=exact)


# ----------------------------------------------------------------------------- graphs


def _weights(integer_weights: bool, float_weights: bool) -> SearchStrategy:
    if float_weights:
        return st.floats(0.1, 3.0, allow_nan=False, allow_infinity=False)
    if integer_weights:
        return st.integers(1, 3)
    return positive_rationals(4, 3)


@st.composite
def _connected_edges(
    draw, n: int, integer_weights: bool = True, float_weights: bool = False
) -> list[tuple[int, int, Any]]:
    """A connected graph on nodes 1..n: a random spanning tree plus random extra edges."""
    labels = draw(st.permutations(list(range(1, n + 1))))
    pairs: set[tuple[int, int]] = set()
    for i in range(1, n):  # attach node i of the random order to an earlier one
        parent = draw(st.integers(0, i - 1))
        a, b = labels[i], labels[parent]
        pairs.add((min(a, b), max(a, b)))
    others = [p for p in itertools.combinations(range(1, n + 1), 2) if p not in pairs]
    if others:
        extra = draw(st.lists(st.sampled_from(others), unique=True, max_size=len(others)))
        pairs.update(extra)
    weight = _weights(integer_weights, float_weights)
    return [(j, k, draw(weight)) for j, k in sorted(pairs)]


def connected_weighted_graphs(
    min_n: int = 2,
    max_n: int = 4,
    integer_weights: bool = True,
    float_weights: bool = False,
) -> SearchStrategy[list[tuple[int, int, Any]]]:
    r"""Connected weighted graphs as edge lists ``[(j, k, a_jk)]`` with ``1 <= j < k <= n``.

    Every node ``1..n`` lies on an edge (the graph is connected and ``n >= 2``), so
    ``n = max(k for _, k, _ in edges)``.  Weights are positive: small integers 1..3
    (``integer_weights=True``), small rationals :math:`p/q` (``integer_weights=False``)
    or floats in :math:`[0.1, 3]` (``float_weights=True``).
    """
    min_n, max_n = _check_range(min_n, max_n, 2, 12)
    return st.integers(min_n, max_n).flatmap(
        lambda n: _connected_edges(n, integer_weights, float_weights)
    )


# ----------------------------------------------------------------------------- operators

_PAULI = {"X": sigma_x, "Y": sigma_y, "Z": sigma_z}


def _string_operator(key: tuple[tuple[int, str], ...]) -> SiteOperator:
    op = identity()
    for site, p in key:
        op = op * _PAULI[p](site)
    return op


def pauli_strings(
    n: int, local_only: bool = False, min_weight: int = 1
) -> SearchStrategy[tuple[tuple[int, str], ...]]:
    """Non-identity Pauli strings on ``n`` qubits as sorted keys ``((site, 'X'|'Y'|'Z'), ...)``.

    ``local_only=True`` gives single-qubit strings; ``min_weight`` is the least number of
    qubits acted on (use 2 for genuinely multi-qubit terms).
    """
    n = _check_int(n, "n", 1)
    max_weight = 1 if local_only else n
    min_weight = _check_int(min_weight, "min_weight", 1, max_weight)
    sites = st.lists(st.integers(1, n), min_size=min_weight, max_size=max_weight, unique=True).map(
        sorted
    )
    return sites.flatmap(
        lambda ss: st.lists(st.sampled_from("XYZ"), min_size=len(ss), max_size=len(ss)).map(
            lambda ps: tuple(zip(ss, ps, strict=True))
        )
    )


def hermitian_site_operators(
    n: int,
    max_terms: int = 3,
    local_only: bool = False,
    min_terms: int = 1,
) -> SearchStrategy[SiteOperator]:
    r"""Hermitian operators :math:`\sum_P c_P P` over distinct Pauli strings, :math:`c_P\ne 0`.

    Coefficients are small non-zero rationals, so exactly ``len(terms)`` strings survive.
    ``local_only=True`` restricts to single-qubit strings (a separable Hamiltonian
    :math:`H = \sum_j H_j`).  Between ``min_terms`` and ``max_terms`` terms.
    """
    n = _check_int(n, "n", 1)
    max_terms = _check_int(max_terms, "max_terms", 0)
    available = 3 * n if local_only else 4**n - 1  # distinct non-identity strings
    max_terms = min(max_terms, available)
    min_terms = _check_int(min_terms, "min_terms", 0, max_terms)
    keys = st.lists(
        pauli_strings(n, local_only=local_only),
        min_size=min_terms,
        max_size=max_terms,
        unique=True,
    )
    return keys.flatmap(
        lambda ks: st.lists(small_rationals(nonzero=True), min_size=len(ks), max_size=len(ks)).map(
            lambda cs: sum(
                (c * _string_operator(k) for k, c in zip(ks, cs, strict=True)), SiteOperator({})
            )
        )
    )


def _gaussian_rational() -> SearchStrategy[sympy.Expr]:
    return st.tuples(small_rationals(2, 2), small_rationals(2, 2)).map(lambda t: t[0] + _I * t[1])


def _single_site_matrix() -> SearchStrategy[sympy.Matrix]:
    named = st.sampled_from(
        [
            sympy.Matrix([[0, 1], [0, 0]]),  # sigma_-
            sympy.Matrix([[0, 0], [1, 0]]),  # sigma_+
            sympy.Matrix([[1, 0], [0, -1]]),  # sigma_z
            sympy.Matrix([[0, 1], [1, 0]]),  # sigma_x
        ]
    )
    generic = (
        st.lists(_gaussian_rational(), min_size=4, max_size=4)
        .map(lambda es: sympy.Matrix(2, 2, es))
        .filter(lambda m: not m.is_zero_matrix)
    )
    return st.one_of(named, generic)


def single_site_jumps(n: int) -> SearchStrategy[SiteOperator]:
    r"""Jump operators acting on one qubit: :math:`\sigma_\pm^{(j)}`, :math:`\sigma_z^{(j)}`,
    :math:`\sigma_x^{(j)}` or a random non-zero 2x2 Gaussian-rational matrix on qubit ``j``."""
    n = _check_int(n, "n", 1)
    return st.builds(site_operator, _single_site_matrix(), st.integers(1, n)).filter(
        lambda op: len(op.sites) == 1
    )


def collective_jumps(n: int) -> SearchStrategy[SiteOperator]:
    r"""Jump operators that act on two or more qubits (``n >= 2``).

    One of: a collective decay :math:`\sum_{j\in S} c_j\sigma_-^{(j)}` (:math:`|S|\ge 2`,
    each term on one qubit but the operator on several), a product
    :math:`\sigma_-^{(j)}\sigma_-^{(k)}`, :math:`\sigma_-^{(j)}\sigma_z^{(k)}`, or
    :math:`\sigma_+^{(j)}\sigma_-^{(k)}` (hopping) with :math:`j\ne k`.
    """
    n = _check_int(n, "n", 2)
    subset = st.lists(st.integers(1, n), min_size=2, max_size=n, unique=True)
    coeffs = st.sampled_from([sympy.Integer(1), sympy.Rational(1, 2), sympy.Integer(-1), _I])

    def decay(sites_and_coeffs):
        sites, cs = sites_and_coeffs
        return sum((c * sigma_minus(j) for j, c in zip(sites, cs, strict=True)), SiteOperator({}))

    collective = subset.flatmap(
        lambda s: st.tuples(st.just(s), st.lists(coeffs, min_size=len(s), max_size=len(s)))
    ).map(decay)
    pair = st.lists(st.integers(1, n), min_size=2, max_size=2, unique=True)
    products = st.tuples(
        pair,
        st.sampled_from(
            [
                lambda j, k: sigma_minus(j) * sigma_minus(k),
                lambda j, k: sigma_minus(j) * sigma_z(k),
                lambda j, k: sigma_plus(j) * sigma_minus(k),
            ]
        ),
    ).map(lambda t: t[1](*t[0]))
    return st.one_of(collective, products)


def acts_on_one_qubit(op: SiteOperator) -> bool:
    """True when ``op`` acts non-trivially on at most one qubit (``len(op.sites) <= 1``)."""
    return len(op.sites) <= 1


def is_separable_model(net: QuantumNetwork) -> bool:
    """True when :math:`H = \\sum_j H_j` (no multi-qubit Pauli term) and every jump acts on
    one qubit: the class for which the reduced-state equations (5) close."""
    if net.hamiltonian.local_parts() is None:
        return False
    return all(acts_on_one_qubit(l_op) for _, l_op in net.jumps)


# ----------------------------------------------------------------------------- networks


def _coupling_strategy(coupling) -> SearchStrategy:
    if coupling is None:
        return st.none()
    if isinstance(coupling, SearchStrategy):
        return coupling
    return st.just(coupling)


def _jump_list(n: int, max_jumps: int, min_jumps: int = 0) -> SearchStrategy[list]:
    return st.lists(
        st.tuples(positive_rationals(3, 3), single_site_jumps(n)),
        min_size=min_jumps,
        max_size=max_jumps,
    )


@st.composite
def _separable(
    draw, min_n, max_n, max_h_terms, max_jumps, integer_weights, coupling
) -> QuantumNetwork:
    n = draw(st.integers(min_n, max_n))
    edges = draw(_connected_edges(n, integer_weights)) if n >= 2 else []
    h = draw(hermitian_site_operators(n, max_terms=max_h_terms, local_only=True, min_terms=0))
    jumps = draw(_jump_list(n, max_jumps))
    return QuantumNetwork(n, edges, h, jumps, coupling=draw(_coupling_strategy(coupling)))


def separable_networks(
    min_n: int = 2,
    max_n: int = 3,
    max_h_terms: int = 3,
    max_jumps: int = 2,
    integer_weights: bool = False,
    coupling: Any = None,
) -> SearchStrategy[QuantumNetwork]:
    r"""Exact separable models: :math:`H = \sum_j H_j`, every jump on one qubit.

    Parameters
    ----------
    min_n, max_n:
        Range of the number of qubits (``min_n >= 1``; ``n = 1`` gives no edges).
    max_h_terms:
        At most this many single-qubit Pauli terms in :math:`H` (possibly none).
    max_jumps:
        At most this many jumps ``(gamma, L)``, rates positive rationals.
    integer_weights:
        Edge weights integers 1..3 instead of small rationals.
    coupling:
        ``None`` keeps the symbol :math:`K_c`; a number fixes it; a hypothesis strategy
        draws it.
    """
    min_n, max_n = _check_range(min_n, max_n, 1, 8)
    max_h_terms = _check_int(max_h_terms, "max_h_terms", 0)
    max_jumps = _check_int(max_jumps, "max_jumps", 0)
    return _separable(min_n, max_n, max_h_terms, max_jumps, integer_weights, coupling)


@st.composite
def _inseparable(
    draw, min_n, max_n, max_h_terms, max_jumps, integer_weights, coupling
) -> QuantumNetwork:
    n = draw(st.integers(min_n, max_n))
    edges = draw(_connected_edges(n, integer_weights))
    # The non-local ingredient: a multi-qubit Hamiltonian term and/or a collective jump.
    where = draw(st.sampled_from(["hamiltonian", "jump", "both"]))
    keys = draw(st.lists(pauli_strings(n), min_size=0, max_size=max_h_terms, unique=True))
    if where in ("hamiltonian", "both"):
        forced = draw(pauli_strings(n, min_weight=2))
        keys = [k for k in keys if k != forced] + [forced]
    h = SiteOperator({})
    for k in keys:  # distinct strings, non-zero coefficients: nothing cancels
        h = h + draw(small_rationals(nonzero=True)) * _string_operator(k)
    jumps = draw(_jump_list(n, max_jumps))
    if where in ("jump", "both"):
        jumps.append((draw(positive_rationals(3, 3)), draw(collective_jumps(n))))
        jumps = draw(st.permutations(jumps))
    return QuantumNetwork(n, edges, h, list(jumps), coupling=draw(_coupling_strategy(coupling)))


def inseparable_networks(
    min_n: int = 2,
    max_n: int = 3,
    max_h_terms: int = 3,
    max_jumps: int = 2,
    integer_weights: bool = False,
    coupling: Any = None,
) -> SearchStrategy[QuantumNetwork]:
    r"""Exact models violating separability (``n >= 2``).

    At least one Hamiltonian term acts on two or more qubits, or at least one jump is
    collective (:func:`collective_jumps`), or both; the other terms are drawn as in
    :func:`separable_networks` (the Hamiltonian's other Pauli strings may be multi-qubit
    too).  Same parameters as :func:`separable_networks`.
    """
    min_n, max_n = _check_range(min_n, max_n, 2, 8)
    max_h_terms = _check_int(max_h_terms, "max_h_terms", 0)
    max_jumps = _check_int(max_jumps, "max_jumps", 0)
    return _inseparable(min_n, max_n, max_h_terms, max_jumps, integer_weights, coupling)


# ----------------------------------------------------------------------------- k-local models


def _local_strings(n: int, max_locality: int) -> SearchStrategy[tuple[tuple[int, str], ...]]:
    k = min(max_locality, n)
    sites = st.lists(st.integers(1, n), min_size=1, max_size=k, unique=True).map(sorted)
    return sites.flatmap(
        lambda ss: st.lists(st.sampled_from("XYZ"), min_size=len(ss), max_size=len(ss)).map(
            lambda ps: tuple(zip(ss, ps, strict=True))
        )
    )


def _local_operator(n: int, max_locality: int, max_terms: int, hermitian: bool):
    keys = st.lists(_local_strings(n, max_locality), min_size=1, max_size=max_terms, unique=True)
    coeff = (
        small_rationals(nonzero=True)
        if hermitian
        else _gaussian_rational().filter(lambda c: c != 0)
    )
    return keys.flatmap(
        lambda ks: st.lists(coeff, min_size=len(ks), max_size=len(ks)).map(
            lambda cs: SiteOperator({k: c for k, c in zip(ks, cs, strict=True)})
        )
    )


@st.composite
def _k_local(
    draw, min_n, max_n, max_locality, max_h_terms, max_jumps, collective, coupling
) -> QuantumNetwork:
    n = draw(st.integers(min_n, max_n))
    edges = draw(_connected_edges(n, integer_weights=False)) if n >= 2 else []
    h = (
        draw(_local_operator(n, max_locality, max_h_terms, hermitian=True))
        if max_h_terms
        else SiteOperator({})
    )
    jumps = []
    for _ in range(draw(st.integers(0, max_jumps))):
        jumps.append(
            (
                draw(positive_rationals(3, 3)),
                draw(_local_operator(n, max_locality, 3, hermitian=False)),
            )
        )
    if collective and n >= 2 and draw(st.booleans()):
        jumps.append((draw(positive_rationals(3, 3)), draw(collective_jumps(n))))
    return QuantumNetwork(n, edges, h, jumps, coupling=draw(_coupling_strategy(coupling)))


def k_local_networks(
    min_n: int = 2,
    max_n: int = 3,
    max_locality: int = 3,
    max_h_terms: int = 4,
    max_jumps: int = 2,
    collective: bool = True,
    coupling: Any = None,
) -> SearchStrategy[QuantumNetwork]:
    r"""Exact models whose terms act on at most ``max_locality`` qubits, on random connected
    graphs with rational weights.

    :math:`H` is a sum of up to ``max_h_terms`` Pauli strings of weight :math:`\le k` with
    small rational coefficients; up to ``max_jumps`` jump operators are sums of up to three
    Pauli strings of weight :math:`\le k` with Gaussian-rational coefficients (not Hermitian,
    not permutation invariant), and with ``collective=True`` possibly one
    :func:`collective_jumps` operator.  For testing Definition 2 in the PI coordinates
    against the :math:`4^n` construction.
    """
    min_n, max_n = _check_range(min_n, max_n, 1, 8)
    max_locality = _check_int(max_locality, "max_locality", 1, 8)
    max_h_terms = _check_int(max_h_terms, "max_h_terms", 0)
    max_jumps = _check_int(max_jumps, "max_jumps", 0)
    return _k_local(min_n, max_n, max_locality, max_h_terms, max_jumps, collective, coupling)


# ----------------------------------------------------------------------------- parametric models

#: The symbols of :func:`parametric_separable_network` and
#: :func:`parametric_inseparable_network`: ``omega``, ``gamma``, ``delta`` (positive) and
#: ``beta`` (real).
PARAMETRIC_SYMBOLS: tuple[sympy.Symbol, ...] = (
    *sympy.symbols("omega gamma delta", positive=True),
    sympy.Symbol("beta", real=True),
)


def parametric_separable_network() -> QuantumNetwork:
    r"""A separable 3-qubit model on the path 1-2-3 with all four :data:`PARAMETRIC_SYMBOLS`
    in it, each in the Hamiltonian or a rate:

    .. math::

        H = \omega\sigma_z^{(1)} + \delta\sigma_x^{(2)} + \beta\sigma_y^{(3)},\qquad
        (\gamma, \sigma_-^{(1)}),\ (2\gamma, \sigma_+^{(3)}),\ (\delta, \sigma_-^{(2)}).

    Its reduced-state equations (5) close (Theorems 1-2 apply)."""
    w, g, d, b = PARAMETRIC_SYMBOLS
    return QuantumNetwork(
        3,
        [(1, 2), (2, 3)],
        w * sigma_z(1) + d * sigma_x(2) + b * sigma_y(3),
        [(g, sigma_minus(1)), (2 * g, sigma_plus(3)), (d, sigma_minus(2))],
    )


def parametric_inseparable_network() -> QuantumNetwork:
    r"""A 3-qubit model in the :data:`PARAMETRIC_SYMBOLS` that is not separable: a two-qubit
    Hamiltonian term and jumps with two Pauli terms, on the path 1-2-3 with weight 2 on the
    edge (2, 3):

    .. math::

        H = \omega\sigma_z^{(1)} + \beta\sigma_x^{(2)}\sigma_y^{(3)}
        + \tfrac12\sigma_x^{(3)},\qquad
        (\gamma, \sigma_-^{(1)} + \delta\sigma_z^{(1)}),\
        (2, \beta\sigma_+^{(2)} + i\sigma_-^{(3)}).

    Only Theorems 3-4 apply (Section 5)."""
    w, g, d, b = PARAMETRIC_SYMBOLS
    return QuantumNetwork(
        3,
        [(1, 2), (2, 3, 2)],
        w * sigma_z(1) + b * sigma_x(2) * sigma_y(3) + sympy.Rational(1, 2) * sigma_x(3),
        [(g, sigma_minus(1) + d * sigma_z(1)), (2, b * sigma_plus(2) + _I * sigma_minus(3))],
    )


# ----------------------------------------------------------- permutation-invariant models


@st.composite
def _pi_network(draw, min_n, max_n, perturbed, disconnected, coupling) -> QuantumNetwork:
    from .model.operators import sum_pairs, sum_sites

    n = draw(st.integers(min_n, max_n))
    letters = st.sampled_from([sigma_x, sigma_y, sigma_z])
    h = SiteOperator({})
    for _ in range(draw(st.integers(1, 3))):
        c = draw(small_rationals(nonzero=True))
        if n >= 2 and draw(st.booleans()):
            order = draw(st.sampled_from(["j<k", "j>k", "j!=k"]))
            h = h + c * sum_pairs(draw(letters), draw(letters), n, pairs=order)
        else:
            h = h + c * sum_sites(draw(letters), n)
    jumps = []
    for _ in range(draw(st.integers(0, 2))):
        a, b = draw(st.lists(_gaussian_rational(), min_size=2, max_size=2))
        if a == 0 and b == 0:
            a = sympy.Integer(1)
        jumps.append(
            (
                draw(positive_rationals(3, 3)),
                a * sum_sites(sigma_minus, n) + b * sum_sites(sigma_z, n),
            )
        )
    if perturbed:
        j, k = draw(st.integers(1, n)), draw(st.integers(1, n))
        h = h + draw(small_rationals(nonzero=True)) * sigma_z(j)
        extra = draw(_gaussian_rational().filter(lambda c: c != 0)) * sigma_z(k)
        if jumps and draw(st.booleans()):
            g, l_op = jumps[0]
            jumps[0] = (g, l_op + extra)
        else:
            jumps.append((draw(positive_rationals(3, 3)), sigma_minus(k) + extra))
    if disconnected and n >= 2:
        m = draw(st.integers(1, n - 1))
        edges = [(j, k) for j in range(1, m + 1) for k in range(j + 1, m + 1)]
        edges += [(j, k) for j in range(m + 1, n + 1) for k in range(j + 1, n + 1)]
    else:
        edges = [(j, k) for j in range(1, n + 1) for k in range(j + 1, n + 1)]
    return QuantumNetwork(n, edges, h, jumps, coupling=draw(_coupling_strategy(coupling)))


def permutation_invariant_networks(
    min_n: int = 2,
    max_n: int = 40,
    perturbed: bool = False,
    disconnected: bool = False,
    coupling: Any = None,
) -> SearchStrategy[QuantumNetwork]:
    r"""Exact models written with :func:`~blendsym.sum_sites` and :func:`~blendsym.sum_pairs`,
    as a user writes a large collective model.

    :math:`H` is a sum of one to three terms :math:`c\sum_j\sigma_a^{(j)}` or
    :math:`c\sum_{(j,k)}\sigma_a^{(j)}\sigma_b^{(k)}` (pairs ``j<k``, ``j>k`` or ``j!=k``:
    the first two are not permutation invariant), up to two collective jumps
    :math:`a\sum_j\sigma_-^{(j)} + b\sum_j\sigma_z^{(j)}`, on the complete graph.
    ``perturbed`` adds a field :math:`c\sigma_z^{(j)}` on one site to :math:`H` and a local
    :math:`c\sigma_z^{(k)}` to a collective jump (or a jump :math:`\sigma_-^{(k)} +
    c\sigma_z^{(k)}`); ``disconnected`` splits the graph into two complete components.  For
    testing collective LaTeX (eq. (4), Definition 2 in operator form) at large :math:`n`.
    """
    min_n, max_n = _check_range(min_n, max_n, 1, 1000)
    return _pi_network(
        min_n,
        max_n,
        check_bool(perturbed, "perturbed"),
        check_bool(disconnected, "disconnected"),
        coupling,
    )
