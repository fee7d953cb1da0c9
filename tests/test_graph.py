"""The weighted coupling graph: input forms, Laplacian, lambda_m, components, bad weights."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
import sympy
from hypothesis import given
from hypothesis import strategies as st

import blendsym as bs
from blendsym.errors import BlendsymError, InvalidGraphError
from blendsym.testing import connected_weighted_graphs, positive_rationals

R = sympy.Rational

# ----------------------------------------------------------------------------- strategies


@st.composite
def weight_matrices(draw, min_n=1, max_n=5, weights=None):
    """(n, W): symmetric, zero diagonal, non-negative exact weights; possibly disconnected."""
    n = draw(st.integers(min_n, max_n))
    weights = weights if weights is not None else st.one_of(st.integers(1, 3), positive_rationals())
    w = sympy.zeros(n, n)
    for j in range(n):
        for k in range(j + 1, n):
            if draw(st.booleans()):
                w[j, k] = w[k, j] = sympy.sympify(draw(weights))
    return n, w


def edges_of(w) -> list[tuple[int, int, object]]:
    n = w.shape[0]
    return [(j + 1, k + 1, w[j, k]) for j in range(n) for k in range(j + 1, n) if w[j, k] != 0]


def laplacian_np(n, edges) -> np.ndarray:
    """Q = D - W built from an edge list with NumPy (independent of the module)."""
    q = np.zeros((n, n))
    for j, k, a in edges:
        a = float(a)
        q[j - 1, k - 1] -= a
        q[k - 1, j - 1] -= a
        q[j - 1, j - 1] += a
        q[k - 1, k - 1] += a
    return q


def nx_graph(n, edges, zero_based=False):
    g = nx.Graph()
    off = 1 if zero_based else 0
    g.add_nodes_from(range(1 - off, n + 1 - off))
    g.add_weighted_edges_from((j - off, k - off, a) for j, k, a in edges)
    return g


# ----------------------------------------------------------------------------- input forms


@given(weight_matrices())
def test_input_forms_agree(nw):
    n, w = nw
    edges = edges_of(w)
    ref = bs.Graph(n, w)
    assert ref.weights == w
    assert ref.edges == edges
    forms = {
        "sympy": sympy.ImmutableMatrix(w),
        "numpy-object": np.array(w.tolist(), dtype=object),
        "nested-list": w.tolist(),
        "edges": edges,
        "edges-reversed": [(k, j, a) for j, k, a in reversed(edges)],
        "networkx": nx_graph(n, edges),
        "networkx-0based": nx_graph(n, edges, zero_based=True),
    }
    for name, form in forms.items():
        g = bs.Graph(n, form)
        assert g.weights == w, name
        assert g.edges == edges, name
        assert g == ref, name


@given(weight_matrices(weights=st.integers(1, 3)))
def test_float_and_sparse_matrices_agree(nw):
    n, w = nw
    arr = np.array(w.tolist(), dtype=float)
    ref = bs.Graph(n, w)
    for form in (arr, sp.csr_matrix(arr), arr.astype(int)):
        g = bs.Graph(n, form)
        np.testing.assert_array_equal(g.weights_numeric(), arr)
        assert [(j, k) for j, k, _ in g.edges] == [(j, k) for j, k, _ in ref.edges]


def test_unweighted_edges_and_networkx_default_weight():
    g = bs.Graph(3, [(1, 2), (2, 3)])
    assert g.weights == sympy.Matrix([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    h = nx.path_graph([1, 2, 3])
    assert bs.Graph(3, h) == g
    assert bs.Graph(3, nx.path_graph(3)) == g  # nodes 0..2


def test_edge_list_vs_matrix_disambiguation_small_n():
    # n = 2 and n = 3: an edge list can look like an n x n nested list
    assert bs.Graph(2, [(1, 2, 5), (1, 2, 5)][:1]).weights == sympy.Matrix([[0, 5], [5, 0]])
    three = [(1, 2, 1), (2, 3, 2), (1, 3, 3)]
    g = bs.Graph(3, three)
    assert g.weights == sympy.Matrix([[0, 1, 3], [1, 0, 2], [3, 2, 0]])
    m = [[0, 1, 3], [1, 0, 2], [3, 2, 0]]
    assert bs.Graph(3, m) == g
    assert bs.Graph(2, [[0, 2], [2, 0]]).edges == [(1, 2, 2)]
    # a nested list with a non-zero diagonal that is no valid edge list is a (bad) matrix:
    # the error speaks of the diagonal, not of edges or self-loops
    for n, bad, entry in (
        (3, [[0, 1, 1], [1, 5, 1], [1, 1, 0]], "a_22 = 5"),
        (2, [[1, 1], [1, 0]], "a_11 = 1"),
        (3, [[2, 2, 1], [1, 0, 1], [1, 1, 0]], "a_11 = 2"),
    ):
        with pytest.raises(BlendsymError, match=f"zero diagonal.*{entry}"):
            bs.Graph(n, bad)


def test_exact_weights_stay_exact():
    g = bs.Graph(3, [(1, 2, R(1, 3)), (2, 3, sympy.sqrt(2))])
    assert g.weights[0, 1] == R(1, 3)
    assert g.weights[1, 2] == sympy.sqrt(2)
    assert g.laplacian[1, 1] == R(1, 3) + sympy.sqrt(2)


# ----------------------------------------------------------------------------- Laplacian, spectrum


@given(weight_matrices())
def test_laplacian(nw):
    n, w = nw
    g = bs.Graph(n, w)
    q = g.laplacian
    for j in range(n):
        assert q[j, j] == sum(w[j, k] for k in range(n))
        for k in range(n):
            if j != k:
                assert q[j, k] == -w[j, k]
    assert q == q.T
    assert all(sum(q.row(j)) == 0 for j in range(n))
    np.testing.assert_allclose(g.laplacian_numeric(), laplacian_np(n, g.edges), atol=1e-14)
    ev = np.linalg.eigvalsh(laplacian_np(n, g.edges))
    assert ev.min() > -1e-12  # positive semidefinite
    # as many zero eigenvalues as connected components (paper, Section 2.2)
    assert int(np.sum(np.abs(ev) < 1e-9)) == g.n_components


@given(weight_matrices(min_n=2).filter(lambda nw: any(x != 0 for x in nw[1])))
def test_lambda_m_against_numpy(nw):
    n, w = nw
    g = bs.Graph(n, w)
    ev = np.linalg.eigvalsh(laplacian_np(n, edges_of(w)))
    expected = ev[ev > 1e-9].min()
    lam = g.lambda_m
    assert not lam.has(sympy.Float)  # exact for exact weights
    assert abs(float(lam) - expected) < 1e-9
    assert abs(g.lambda_m_numeric() - expected) < 1e-9
    # it is a root of the characteristic polynomial of Q
    x = sympy.Symbol("x")
    cp = sympy.Poly(g.laplacian.charpoly(x).as_expr(), x)
    assert abs(complex(cp.eval(lam.evalf(30)))) < 1e-12 * max(
        1.0, float(sum(abs(c) for c in cp.all_coeffs()))
    )


@given(connected_weighted_graphs(min_n=2, max_n=5, integer_weights=False))
def test_connected_graph_lambda_m_is_algebraic_connectivity(edges):
    n = max(k for _, k, _ in edges)
    g = bs.Graph(n, edges)
    assert g.is_connected and g.components == [list(range(1, n + 1))]
    ev = np.linalg.eigvalsh(laplacian_np(n, edges))
    assert abs(float(g.lambda_m) - ev[1]) < 1e-9
    float_edges = [(j, k, float(a)) for j, k, a in edges]
    fiedler = nx.algebraic_connectivity(nx_graph(n, float_edges), tol=1e-12, method="tracemin_lu")
    assert abs(float(g.lambda_m) - fiedler) < 1e-6


@given(connected_weighted_graphs(min_n=2, max_n=4, float_weights=True))
def test_float_weights_lambda_m(edges):
    n = max(k for _, k, _ in edges)
    g = bs.Graph(n, edges)
    ev = np.linalg.eigvalsh(laplacian_np(n, edges))
    assert abs(float(g.lambda_m) - ev[1]) < 1e-9 * max(1, ev[1])


def test_lambda_m_closed_forms():
    # path on 3 nodes: eigenvalues 0, 1, 3; complete graph K_n: 0, n (n-1 times)
    assert bs.Graph(3, [(1, 2), (2, 3)]).lambda_m == 1
    assert bs.complete_graph(4).lambda_m == 4
    assert bs.complete_graph(3, R(1, 2)).lambda_m == R(3, 2)
    # path on 4 nodes: 2 - sqrt(2)
    lam = bs.Graph(4, [(1, 2), (2, 3), (3, 4)]).lambda_m
    assert sympy.simplify(lam - (2 - sympy.sqrt(2))) == 0
    with pytest.raises(InvalidGraphError, match="no edge"):
        _ = bs.Graph(3, []).lambda_m
    with pytest.raises(InvalidGraphError, match="no edge"):
        bs.Graph(3, []).lambda_m_numeric()


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_complete_graph(n):
    g = bs.complete_graph(n)
    assert len(g.edges) == n * (n - 1) // 2
    assert g.laplacian == n * sympy.eye(n) - sympy.ones(n, n)


# ----------------------------------------------------------------------------- components


@given(weight_matrices(max_n=6))
def test_components_against_networkx(nw):
    n, w = nw
    g = bs.Graph(n, w)
    expected = sorted(sorted(c) for c in nx.connected_components(nx_graph(n, edges_of(w))))
    assert sorted(g.components) == expected
    # numbered by their smallest node
    assert [c[0] for c in g.components] == sorted(c[0] for c in g.components)
    assert g.n_components == len(expected)
    assert g.is_connected == (len(expected) == 1)


def test_components_hand_example():
    g = bs.Graph(5, [(1, 4, 2), (2, 5, 1)])
    assert g.components == [[1, 4], [2, 5], [3]]
    assert g.n_components == 3 and not g.is_connected


# ----------------------------------------------------------------------------- bad weights

_nan_w = np.array([[0, np.nan], [np.nan, 0]])
_inf_w = np.array([[0, np.inf], [np.inf, 0]])


@pytest.mark.parametrize(
    "n,weights,fragment",
    [
        (2, np.array([[0, 1], [2, 0]]), "symmetric"),
        (3, sympy.Matrix([[0, 1, 0], [1, 0, R(1, 2)], [0, R(1, 3), 0]]), "symmetric"),
        (2, np.array([[0, -1], [-1, 0]]), "non-negative"),
        (2, [(1, 2, -1)], "non-negative"),
        (2, [(1, 2, 0)], "positive"),
        (2, np.array([[1, 1], [1, 0]]), "diagonal"),
        (2, sympy.Matrix([[0, 1], [1, 2]]), "diagonal"),
        (2, np.zeros((3, 3)), "2 x 2"),
        (3, np.zeros((2, 2)), "3 x 3"),
        (3, np.zeros((3, 2)), "3 x 3"),
        (2, [(1, 3)], "1..2"),
        (3, [(0, 1)], "1..3"),
        (2, [(1, 2.0)], "integer"),
        (2, [(1, "2")], "integer"),
        (2, _nan_w, "finite"),
        (2, _inf_w, "finite"),
        (2, [(1, 2, float("nan"))], "finite"),
        (2, [(1, 2, sympy.nan)], "finite"),
        (2, [(1, 2, float("inf"))], "finite"),
        (3, [(1, 2), (2, 3), (2, 1, 4)], "twice"),
        (3, [(1, 2), (1, 2)], "twice"),
        (2, [(1, 1)], "self-loop"),
        (2, [(1, 2, 1j)], "real"),
        (2, np.array([[0, 1j], [1j, 0]]), "real"),
        (2, [(1, 2, sympy.Symbol("a"))], "number"),
        (2, [(1, 2, 3, 4)], "edge"),
        (2, [1, 2], "edge"),
        (2, "1-2", "weights must be"),
        (2, None, "weights must be given"),
        (3, nx.path_graph([1, 2, 5]), "nodes"),
        (2, nx.DiGraph([(1, 2)]), "undirected"),
        (2, nx.MultiGraph([(1, 2)]), "simple"),
        (2, nx.Graph([(1, 2, {"weight": -2})]), "non-negative"),
        (2, nx.Graph([(1, 2, {"weight": float("nan")})]), "finite"),
    ],
)
def test_invalid_weights(n, weights, fragment):
    with pytest.raises(BlendsymError) as exc:
        bs.Graph(n, weights)
    assert isinstance(exc.value, InvalidGraphError), type(exc.value)
    msg = str(exc.value)
    assert "weights" in msg, msg
    assert fragment in msg, msg


def test_invalid_weights_through_network():
    with pytest.raises(InvalidGraphError, match="weights must be symmetric"):
        bs.QuantumNetwork(2, np.array([[0, 1], [2, 0]]))
    with pytest.raises(InvalidGraphError, match="weights"):
        bs.QuantumNetwork(2, bs.Graph(3, [(1, 2)]))


@pytest.mark.parametrize("n", [0, -1, 1.5, True, "2"])
def test_invalid_n(n):
    with pytest.raises(BlendsymError, match="n must be a positive integer"):
        bs.Graph(n, [])
