"""Permutations, P_* and the induced graph of Section 5.1 (eq. (13), Q_d, P_d, lambda_m(Q_d))."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest
import qutip
import scipy.linalg
import scipy.sparse as sp
import sympy
from hypothesis import given
from hypothesis import strategies as st

from blendsym.conventions import dissipator_superop
from blendsym.errors import (
    BlendsymError,
    InvalidArgumentError,
    InvalidGraphError,
    InvalidStateError,
    NotComputableError,
)
from blendsym.induced import (
    InducedGraph,
    expected_n_components,
    induced_graph,
    induced_graph_from_edges,
    printed_p_m,
)
from blendsym.permutations import (
    is_permutation_invariant,
    orbit_labels,
    permutation_invariant_projection,
    permutation_invariant_projection_literal,
    permutation_unitary,
    swap_permutation,
    swap_unitary,
)

# ----------------------------------------------------------------------------- independent helpers


def _bitstring(l: int, n: int) -> str:
    return format(l, f"0{n}b")  # qubit 1 = leftmost = most significant bit


def _u_pi_reference(pi, n: int) -> np.ndarray:
    """U_pi|q_1..q_n> = |q_pi(1)..q_pi(n)>, built from bit strings (independent of the module)."""
    d = 2**n
    u = np.zeros((d, d))
    for l in range(d):
        q = _bitstring(l, n)
        m = int("".join(q[p - 1] for p in pi), 2)
        u[m, l] = 1.0
    return u


def _group_average_superop(perms, n: int) -> np.ndarray:
    """(1/|G|) sum_g U_g (x) conj(U_g): the row-stacking matrix of rho -> mean U rho U^dagger."""
    acc = np.zeros((4**n, 4**n))
    for pi in perms:
        u = _u_pi_reference(pi, n)
        acc += np.kron(u, u.conj())
    return acc / len(perms)


def _block_group(blocks, n: int):
    """All permutations (1-based images) that map every block of sites onto itself."""
    out = []
    for choice in itertools.product(*(itertools.permutations(b) for b in blocks)):
        img = [0] * n
        for b, perm in zip(blocks, choice, strict=True):
            for src, dst in zip(b, perm, strict=True):
                img[src - 1] = dst
        out.append(tuple(img))
    return out


def _graph_laplacian(n: int, edges) -> np.ndarray:
    q = np.zeros((n, n))
    for j, k, a in edges:
        a = float(a)
        q[j - 1, k - 1] -= a
        q[k - 1, j - 1] -= a
        q[j - 1, j - 1] += a
        q[k - 1, k - 1] += a
    return q


def _signature(v: int, n: int) -> tuple[int, ...]:
    l, lp = divmod(v, 2**n)
    c = Counter(zip(_bitstring(l, n), _bitstring(lp, n), strict=True))
    return tuple(c[x] for x in (("0", "0"), ("0", "1"), ("1", "0"), ("1", "1")))


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def _random_matrix(seed: int, n: int, complex_: bool = True) -> np.ndarray:
    rng = np.random.default_rng(seed)
    d = 2**n
    m = rng.normal(size=(d, d))
    if complex_:
        m = m + 1j * rng.normal(size=(d, d))
    return m


# ----------------------------------------------------------------------------- strategies

weights = st.one_of(
    st.floats(min_value=0.1, max_value=10.0, allow_nan=False, allow_infinity=False),
    st.fractions(min_value=Fraction(1, 10), max_value=10, max_denominator=20).map(
        lambda f: sympy.Rational(f.numerator, f.denominator)
    ),
    st.integers(min_value=1, max_value=5),
)


@st.composite
def connected_graphs(draw, n_min: int = 2, n_max: int = 5):
    n = draw(st.integers(n_min, n_max))
    relabel = draw(st.permutations(range(1, n + 1)))
    pairs = set()
    for i in range(1, n):  # random spanning tree
        parent = draw(st.integers(0, i - 1))
        a, b = relabel[i], relabel[parent]
        pairs.add((min(a, b), max(a, b)))
    for a, b in draw(st.lists(st.tuples(st.integers(1, n), st.integers(1, n)), max_size=n)):
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    ws = draw(st.lists(weights, min_size=len(pairs), max_size=len(pairs)))
    return n, [(j, k, w) for (j, k), w in zip(sorted(pairs), ws, strict=True)]


@st.composite
def disconnected_graphs(draw, n_min: int = 3, n_max: int = 4):
    n = draw(st.integers(n_min, n_max))
    order = draw(st.permutations(range(1, n + 1)))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), min_size=1, max_size=n - 1)))
    blocks = [sorted(order[a:b]) for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    edges = []
    for b in blocks:
        for i in range(1, len(b)):
            parent = draw(st.integers(0, i - 1))
            j, k = sorted((b[i], b[parent]))
            edges.append((j, k, draw(weights)))
    return n, edges, blocks


def _complete(n: int, weight=lambda j, k: 1.0):
    return [(j, k, weight(j, k)) for j, k in itertools.combinations(range(1, n + 1), 2)]


# ----------------------------------------------------------------------------- unitaries


@pytest.mark.parametrize("backend", ["sympy", "scipy"])
@pytest.mark.parametrize(("j", "k"), [(1, 2), (1, 3), (2, 3), (3, 1)])
def test_swap_unitary_exchanges_tensor_factors(backend, j, k):
    rng = np.random.default_rng(7)
    facs = [rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)) for _ in range(3)]
    u = swap_unitary(j, k, 3, backend=backend)
    u = np.array(u.tolist(), dtype=float) if backend == "sympy" else u.toarray()
    swapped = list(facs)
    swapped[j - 1], swapped[k - 1] = facs[k - 1], facs[j - 1]
    t = np.kron(np.kron(facs[0], facs[1]), facs[2])
    expected = np.kron(np.kron(swapped[0], swapped[1]), swapped[2])
    np.testing.assert_allclose(u @ t @ u.conj().T, expected, atol=1e-12)
    np.testing.assert_allclose(u @ u.conj().T, np.eye(8), atol=0)
    np.testing.assert_array_equal(u, u.T)
    # the same with qutip's subsystem permutation
    order = list(range(3))
    order[j - 1], order[k - 1] = k - 1, j - 1
    q = qutip.tensor(*[qutip.Qobj(f) for f in facs]).permute(order).full()
    np.testing.assert_allclose(u @ t @ u.conj().T, q, atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_swap_permutation_is_bit_swap(n):
    for j, k in itertools.product(range(1, n + 1), repeat=2):
        s = swap_permutation(j, k, n)
        for l in range(2**n):
            q = list(_bitstring(l, n))
            q[j - 1], q[k - 1] = q[k - 1], q[j - 1]
            assert s[l] == int("".join(q), 2)
        u = swap_unitary(j, k, n, backend="scipy").toarray()
        np.testing.assert_array_equal(
            u, _u_pi_reference([k if i == j else j if i == k else i for i in range(1, n + 1)], n)
        )


@given(n=st.integers(1, 4), data=st.data())
def test_permutation_unitary_conjugation_and_composition(n, data):
    pi = tuple(data.draw(st.permutations(range(1, n + 1))))
    sigma = tuple(data.draw(st.permutations(range(1, n + 1))))
    u_pi = permutation_unitary(pi, n, backend="scipy").toarray()
    u_sigma = permutation_unitary(sigma, n, backend="scipy").toarray()
    np.testing.assert_array_equal(u_pi, _u_pi_reference(pi, n))
    np.testing.assert_array_equal(
        u_pi, np.array(permutation_unitary(pi, n, backend="sympy").tolist(), dtype=float)
    )
    np.testing.assert_array_equal(u_pi @ u_pi.T, np.eye(2**n))
    # composition: U_pi U_sigma = U_{sigma o pi}
    sigma_after_pi = tuple(sigma[pi[i] - 1] for i in range(n))
    np.testing.assert_array_equal(
        u_pi @ u_sigma, permutation_unitary(sigma_after_pi, n, backend="scipy").toarray()
    )
    # conjugation: U_pi (A_1 x ... x A_n) U_pi^dagger = A_pi(1) x ... x A_pi(n)  (and qutip)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    facs = [rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)) for _ in range(n)]
    t = qutip.tensor(*[qutip.Qobj(f) for f in facs])
    expected = qutip.tensor(*[qutip.Qobj(facs[p - 1]) for p in pi]).full()
    np.testing.assert_allclose(u_pi @ t.full() @ u_pi.conj().T, expected, atol=1e-12)
    if n > 1:
        np.testing.assert_allclose(t.permute([p - 1 for p in pi]).full(), expected, atol=1e-12)


# ----------------------------------------------------------------------------- P_*


@given(graph=connected_graphs(), seed=st.integers(0, 2**32 - 1))
def test_eq13_connected_graph(graph, seed):
    """(13): P_d P_d^T vec(rho) = vec(P_*(rho)) against the literal n! average; P_d^T P_d = I."""
    n, edges = graph
    g = induced_graph_from_edges(n, edges)
    rho = _random_matrix(seed, n)
    literal = permutation_invariant_projection_literal(rho)
    fast = permutation_invariant_projection(rho)
    np.testing.assert_allclose(fast, literal, atol=1e-12)
    lhs = g.P_d @ (g.P_d.T @ rho.ravel())
    np.testing.assert_allclose(lhs, literal.ravel(), atol=1e-12)
    np.testing.assert_allclose(g.lift(g.project(rho)), literal, atol=1e-12)
    np.testing.assert_allclose((g.P_d.T @ g.P_d).toarray(), np.eye(g.n_components), atol=1e-14)
    assert g.n_components == math.comb(n + 3, 3) == expected_n_components(n, edges)
    assert sum(len(c) for c in g.components) == g.dim == 4**n
    # components = S_n orbits of pairs = equal four-count signatures (computed from bit strings)
    sig = np.array([hash(_signature(v, n)) for v in range(4**n)])
    assert _same_partition(g.labels, sig)
    np.testing.assert_array_equal(g.labels, orbit_labels(n))
    # labels numbered by smallest node index, components sorted
    firsts = [int(c[0]) for c in g.components]
    assert firsts == sorted(firsts)
    for m, c in enumerate(g.components):
        assert np.all(np.diff(c) > 0) and np.all(g.labels[c] == m)
    assert is_permutation_invariant(fast)
    assert not is_permutation_invariant(rho)


@given(seed=st.integers(0, 2**32 - 1))
def test_projection_real_input_stays_real(seed):
    rho = _random_matrix(seed, 3, complex_=False)
    out = permutation_invariant_projection(rho)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, permutation_invariant_projection_literal(rho), atol=1e-12)
    np.testing.assert_allclose(permutation_invariant_projection(out), out, atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_projection_exact_sympy(n):
    rng = np.random.default_rng(n)
    d = 2**n
    a = sympy.Symbol("a")
    rho = sympy.Matrix(
        d,
        d,
        lambda i, j: (
            sympy.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 7)))
            + sympy.I * int(rng.integers(-3, 4))
        ),
    )
    rho[0, d - 1] += a
    fast = permutation_invariant_projection(rho)
    literal = permutation_invariant_projection_literal(rho)
    assert isinstance(fast, sympy.MatrixBase)
    assert (fast - literal).applyfunc(sympy.expand) == sympy.zeros(d, d)
    assert is_permutation_invariant(fast)
    sparse_out = permutation_invariant_projection(sympy.SparseMatrix(rho))
    assert isinstance(sparse_out, sympy.SparseMatrix)
    assert (sympy.Matrix(sparse_out) - fast).applyfunc(sympy.expand) == sympy.zeros(d, d)
    # exact P_d, projection and lift (complete graph)
    g = induced_graph_from_edges(n, _complete(n, lambda j, k: sympy.Rational(j, k)))
    pe = g.P_d_exact()
    assert pe.T * pe == sympy.eye(g.n_components)
    np.testing.assert_allclose(np.array(pe.evalf().tolist(), dtype=float), g.P_d.toarray())
    lifted = g.lift(g.project(rho))
    assert (lifted - fast).applyfunc(sympy.simplify) == sympy.zeros(d, d)


# ----------------------------------------------------------------------------- Q_d


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_laplacian_equals_literal_edge_set_no_parallel_edges(n):
    """Q_d = sum a_jk (I - Pi_jk) is the Laplacian of E_d: no two edges of G give the same edge.

    The complete graph contains every pair {j,k}, so this checks every pair of G-edges.
    Weights are distinct dyadic numbers, so float sums are exact.
    """
    edges = _complete(n, lambda j, k: (2 * j + 3 * k) / 8)
    g = induced_graph_from_edges(n, edges)
    d = 2**n
    e_d: dict[frozenset, tuple[tuple[int, int], float]] = {}
    loops = 0
    for l, lp in itertools.product(range(d), repeat=2):
        for j, k, a in edges:
            s = swap_permutation(j, k, n)
            u, v = l * d + lp, int(s[l]) * d + int(s[lp])
            if u == v:
                loops += 1  # printed E_d contains self-loops {v, v}: irrelevant to a Laplacian
                continue
            key = frozenset((u, v))
            if key in e_d:
                assert e_d[key] == ((j, k), a), f"parallel edge {sorted(key)} from {e_d[key]}"
            e_d[key] = ((j, k), a)
    assert loops > 0
    lap = np.zeros((4**n, 4**n))
    for key, (_, a) in e_d.items():
        u, v = sorted(key)
        lap[u, v] -= a
        lap[v, u] -= a
        lap[u, u] += a
        lap[v, v] += a
    np.testing.assert_array_equal(g.laplacian.toarray(), lap)
    # = sum a_jk (I - U_jk (x) U_jk), and the SWAP dissipators of (4) sum to -Q_d
    if n <= 3:
        total = np.zeros((4**n, 4**n))
        swap_part = np.zeros((4**n, 4**n), dtype=complex)
        for j, k, a in edges:
            u = swap_unitary(j, k, n, backend="scipy").toarray()
            total += a * (np.eye(4**n) - np.kron(u, u))
            swap_part += a * dissipator_superop(u, backend="scipy").toarray()
        np.testing.assert_allclose(g.laplacian.toarray(), total, atol=1e-14)
        np.testing.assert_allclose(swap_part, -lap, atol=1e-14)
        exact = g.laplacian_exact()
        np.testing.assert_array_equal(np.array(exact.tolist(), dtype=float), lap)


def test_laplacian_symbolic_weights():
    a = sympy.Symbol("a", positive=True)
    g = induced_graph_from_edges(2, [(1, 2, a)])
    q = g.laplacian_exact()
    assert q[1, 2] == -a and q[1, 1] == a and q[0, 0] == 0
    assert g.n_components == 10
    with pytest.raises(NotComputableError, match="symbolic weight"):
        _ = g.laplacian


def test_induced_graph_from_network_attributes():
    edges = [(1, 2, sympy.Rational(1, 2)), (2, 3, 2.0)]
    net = SimpleNamespace(n=3, graph=SimpleNamespace(edges=edges))
    g = induced_graph(net)
    assert isinstance(g, InducedGraph) and g.n == 3 and g.dim == 64 and g.n_components == 20
    assert g.edges == ((1, 2, sympy.Rational(1, 2)), (2, 3, sympy.Float(2.0)))
    np.testing.assert_array_equal(printed_p_m(net).toarray(), printed_p_m(g).toarray())


# ----------------------------------------------------------------------------- disconnected G


@given(graph=disconnected_graphs(), seed=st.integers(0, 2**32 - 1))
def test_disconnected_graph_projects_onto_subgroup_average(graph, seed):
    n, edges, blocks = graph
    g = induced_graph_from_edges(n, edges)
    assert g.n_components == math.prod(math.comb(len(b) + 3, 3) for b in blocks)
    assert g.n_components == expected_n_components(n, edges) > math.comb(n + 3, 3)
    np.testing.assert_array_equal(g.labels, orbit_labels(n, blocks))
    proj = (g.P_d @ g.P_d.T).toarray()
    sub = _group_average_superop(_block_group(blocks, n), n)
    np.testing.assert_allclose(proj, sub, atol=1e-12)
    full = _group_average_superop(list(itertools.permutations(range(1, n + 1))), n)
    assert np.abs(proj - full).max() > 0.1  # (13) needs G connected
    rho = _random_matrix(seed, n)
    lhs = g.lift(g.project(rho))
    assert np.linalg.norm(lhs - permutation_invariant_projection(rho)) > 1e-3


# ----------------------------------------------------------------------------- printed p_m


@pytest.mark.parametrize("n", [2, 3, 4])
def test_printed_p_m_are_not_orthonormal_and_break_eq13(n):
    g = induced_graph_from_edges(n, _complete(n))
    p_pr = printed_p_m(g)
    gram = (p_pr.T @ p_pr).toarray()
    np.testing.assert_allclose(gram, np.diag(1.0 / g.component_sizes), atol=1e-15)
    assert np.abs(gram - np.eye(g.n_components)).max() >= 0.5
    exact = printed_p_m(g, exact=True)
    assert exact.T * exact != sympy.eye(g.n_components)
    rho = _random_matrix(n, n)
    target = permutation_invariant_projection(rho).ravel()
    assert np.linalg.norm(p_pr @ (p_pr.T @ rho.ravel()) - target) > 0.1
    np.testing.assert_allclose(g.P_d @ (g.P_d.T @ rho.ravel()), target, atol=1e-12)
    # y_d of (15)-(16): for a consensus vector x = y_m on V_m
    y = np.arange(1, g.n_components + 1) * (1 + 0.5j)
    x = y[g.labels]
    sizes = g.component_sizes
    np.testing.assert_allclose(p_pr @ (sizes * y), x)  # printed (15) holds with printed p_m ...
    np.testing.assert_allclose(p_pr.T @ x, y)  # ... but P^T x = y_m, not |V_m| y_m: (16) fails
    np.testing.assert_allclose(g.project(x), np.sqrt(sizes) * y)  # orthonormal: sqrt(|V_m|) y_m
    np.testing.assert_allclose(g.lift(np.sqrt(sizes) * y).ravel(), x)


# ----------------------------------------------------------------------------- lambda_m(Q_d)


@given(graph=connected_graphs())
def test_spectral_gap_equals_graph_laplacian_gap(graph):
    """Caputo-Liggett-Richthammer: lambda_m(Q_d) = lambda_2(Q) (interchange process on (C^4)^n)."""
    n, edges = graph
    g = induced_graph_from_edges(n, edges)
    lam2 = np.linalg.eigvalsh(_graph_laplacian(n, edges))[1]
    assert g.spectral_gap_numeric() == pytest.approx(lam2, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_spectral_gap_dense_and_kernel_dimension(n):
    rng = np.random.default_rng(100 + n)
    edges = [
        (j, k, float(rng.uniform(0.2, 3)))
        for j, k in itertools.combinations(range(1, n + 1), 2)
        if k == j + 1 or rng.random() < 0.5
    ]
    g = induced_graph_from_edges(n, edges)
    ev = scipy.linalg.eigvalsh(g.laplacian.toarray())
    assert np.all(ev > -1e-10)
    assert int(np.sum(np.abs(ev) < 1e-9)) == g.n_components == math.comb(n + 3, 3)
    lam2 = np.linalg.eigvalsh(_graph_laplacian(n, edges))[1]
    assert ev[g.n_components] == pytest.approx(lam2, rel=1e-9)
    assert g.spectral_gap_numeric("dense") == pytest.approx(lam2, rel=1e-9)
    assert g.spectral_gap_numeric("blocks") == pytest.approx(lam2, rel=1e-9)
    assert sp.linalg.norm(g.laplacian @ g.P_d) < 1e-12


def test_disconnected_gap_is_min_over_components():
    edges = [(1, 2, 3.0), (3, 4, 0.5), (4, 5, 1.0)]
    g = induced_graph_from_edges(5, edges)
    lam = min(6.0, np.linalg.eigvalsh(_graph_laplacian(3, [(1, 2, 0.5), (2, 3, 1.0)]))[1])
    assert g.spectral_gap_numeric() == pytest.approx(lam, rel=1e-9)
    with pytest.raises(NotComputableError, match="no edges"):
        induced_graph_from_edges(3, []).spectral_gap_numeric()
    assert induced_graph_from_edges(1, []).n_components == 4


# ----------------------------------------------------------------------------- bad input

_G2 = induced_graph_from_edges(2, [(1, 2, 1)])

BAD = [
    (lambda: swap_unitary(0, 1, 2), InvalidArgumentError, "j"),
    (lambda: swap_unitary(1, 3, 2), InvalidArgumentError, "k must be a site"),
    (lambda: swap_unitary(1, 2, 0), InvalidArgumentError, "n .number of qubits"),
    (lambda: swap_unitary(1, 2, 2, backend="torch"), InvalidArgumentError, "backend"),
    (lambda: swap_permutation(1.5, 2, 3), InvalidArgumentError, "j must be an integer"),
    (lambda: swap_permutation(True, 2, 3), InvalidArgumentError, "j must be an integer"),
    (lambda: permutation_unitary((1, 1, 2), 3), InvalidArgumentError, "pi must be a permutation"),
    (lambda: permutation_unitary((1, 2), 3), InvalidArgumentError, "pi must have n = 3"),
    (lambda: permutation_unitary("123", 3), InvalidArgumentError, "pi must be a sequence"),
    (lambda: orbit_labels(3, [[1, 2]]), InvalidArgumentError, "blocks must partition"),
    (lambda: permutation_invariant_projection(np.zeros((3, 3))), InvalidStateError, "rho .*2\\^n"),
    (lambda: permutation_invariant_projection(np.zeros((4, 2))), InvalidStateError, "rho .*square"),
    (lambda: permutation_invariant_projection(np.zeros((1, 1))), InvalidStateError, "rho"),
    (
        lambda: permutation_invariant_projection(np.full((4, 4), np.nan)),
        InvalidStateError,
        "rho must have finite",
    ),
    (
        lambda: permutation_invariant_projection([["a", "b"], ["c", "d"]]),
        InvalidArgumentError,
        "rho must be a numeric",
    ),
    (
        lambda: permutation_invariant_projection(sympy.Matrix([[sympy.oo, 0], [0, 0]])),
        InvalidStateError,
        "rho must have finite",
    ),
    (
        lambda: permutation_invariant_projection_literal(np.eye(2**9)),
        InvalidArgumentError,
        "literal",
    ),
    (lambda: is_permutation_invariant(np.eye(2), tol=-1), InvalidArgumentError, "tol"),
    (lambda: induced_graph_from_edges(3, [(1, 1, 1.0)]), InvalidGraphError, "edges: self-loop"),
    (lambda: induced_graph_from_edges(3, [(1, 4, 1.0)]), InvalidGraphError, "edges: k"),
    (lambda: induced_graph_from_edges(3, [(1, 2, 0)]), InvalidGraphError, "edges: weight.*> 0"),
    (lambda: induced_graph_from_edges(3, [(1, 2, -1.5)]), InvalidGraphError, "edges: weight"),
    (
        lambda: induced_graph_from_edges(3, [(1, 2, float("nan"))]),
        InvalidGraphError,
        "edges: weight",
    ),
    (
        lambda: induced_graph_from_edges(3, [(1, 2, float("inf"))]),
        InvalidGraphError,
        "edges: weight.*finite",
    ),
    (
        lambda: induced_graph_from_edges(3, [(1, 2, sympy.Symbol("a"))]),
        InvalidGraphError,
        "edges: weight.*cannot decide",
    ),
    (lambda: induced_graph_from_edges(3, [(1, 2, "1")]), InvalidGraphError, "edges: weight"),
    (
        lambda: induced_graph_from_edges(3, [(1, 2, 1), (2, 1, 2)]),
        InvalidGraphError,
        "edges: edge .* twice",
    ),
    (lambda: induced_graph_from_edges(3, "abc"), InvalidGraphError, "edges must be"),
    (lambda: induced_graph_from_edges(3, [(1,)]), InvalidGraphError, "edges: each edge"),
    (lambda: induced_graph_from_edges(0, []), InvalidArgumentError, "n .number of qubits"),
    (lambda: induced_graph(object()), InvalidArgumentError, "net must be"),
    (lambda: _G2.project(np.zeros((3, 3))), InvalidStateError, "rho must be a 4x4"),
    (lambda: _G2.project(np.full((4, 4), np.inf)), InvalidStateError, "rho must have finite"),
    (lambda: _G2.lift(np.zeros(7)), InvalidArgumentError, "y must be a vector of length p = 10"),
    (lambda: _G2.spectral_gap_numeric("bad"), InvalidArgumentError, "method"),
]


@pytest.mark.parametrize(("call", "exc", "match"), BAD)
def test_bad_input_raises_blendsym_error(call, exc, match):
    with pytest.raises(exc, match=match) as info:
        call()
    assert isinstance(info.value, BlendsymError)
