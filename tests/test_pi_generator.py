"""Definition 2 in the PI coordinates (blendsym.section5.pi_basis / pi_terms / pi_generator)
against today's 4^n construction (basis="full")."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.errors import BlendsymError, NotComputableError
from blendsym.paper import example1, example2, example3
from blendsym.section5 import coherent as coherent_mod
from blendsym.section5.induced import induced_graph_from_edges
from blendsym.section5.pi_basis import PIBasis, node_type_counts
from blendsym.section5.pi_generator import assemble_exact, assemble_numeric
from blendsym.section5.pi_terms import Content, fold_structure, local_model
from blendsym.testing import connected_weighted_graphs, inseparable_networks, k_local_networks


def _exact_equal(a, b) -> bool:
    diff = (sympy.Matrix(a) - sympy.Matrix(b)).applyfunc(
        lambda x: sympy.expand(sympy.radsimp(sympy.expand(x)))
    )
    return diff.is_zero_matrix


def _dense(m) -> np.ndarray:
    return np.array(sympy.Matrix(m).evalf().tolist(), dtype=complex)


# ----------------------------------------------------------------------------- index arithmetic


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_coordinate_order_is_the_induced_graph_order(n):
    """(PI.1): the closed-form rank equals InducedGraph's numbering by smallest node, for a
    path and for the complete graph; the sizes are the multinomials."""
    basis = PIBasis(n)
    assert basis.p == math.comb(n + 3, 3) == basis.counts.shape[0]
    for edges in (
        [(j, j + 1) for j in range(1, n)],
        [(j, k) for j in range(1, n + 1) for k in range(j + 1, n + 1)],
    ):
        g = induced_graph_from_edges(n, edges)
        assert np.array_equal(g.labels, basis.node_labels)
        assert np.array_equal(g.component_sizes, np.array(basis.exact_sizes))
    # the counts of a component are those of every node in it
    counts = node_type_counts(n)
    assert np.array_equal(counts[np.array([c[0] for c in g.components])], basis.counts)


def test_index_roundtrip_adjoint_and_ratios():
    basis = PIBasis(7)
    assert np.array_equal(basis.index(basis.counts), np.arange(basis.p))
    assert basis.index(np.array([-1, 3, 3, 2])) == -1
    assert basis.index(np.array([1, 1, 1, 1])) == -1  # sums to 4, not 7
    s = basis.adjoint
    assert np.array_equal(s[s], np.arange(basis.p))
    assert np.array_equal(basis.counts[s][:, [0, 2, 1, 3]], basis.counts)
    d = np.array([1, -2, 0, 1])
    tgt = basis.shifted_index(d)
    ok = tgt >= 0
    sizes = np.array(basis.exact_sizes, dtype=object)
    want = np.array(
        [sizes[m] / sizes[t] for m, t in zip(np.flatnonzero(ok), tgt[ok], strict=True)], dtype=float
    )
    assert np.allclose(basis.size_ratio(d)[ok], want, rtol=1e-14)


def test_fold_structure_of_a_commutator_and_a_dissipator_are_trace_free():
    r"""Trace preservation term by term: the sum over the row counts c_a with diagonal types
    only (00/11) of the folded superoperator vanishes for every column count, exactly."""
    for content in (
        Content("H", ("X", "Y")),
        Content("H", ("Z",)),
        Content("D", (("X", "I"), ("I", "Y"))),
        Content("D", (("Z", "X"),)),
    ):
        acc: dict = {}
        for ca, cb, v in fold_structure(content):
            if ca[1] == ca[2] == 0:
                acc[cb] = acc.get(cb, 0) + v
        assert all(v == 0 for v in acc.values()), (content, acc)


# ----------------------------------------------------------------------------- against 4^n


@pytest.mark.parametrize("make", [example1, example2, example3])
def test_paper_examples_exactly_equal(make):
    net, _ = make()
    full = bs.blended_coherent(net, basis="full")
    pi = bs.blended_coherent(net, basis="pi")
    assert pi.basis == "pi" and full.basis == "full"
    assert _exact_equal(full.generator, pi.generator)
    assert _exact_equal(full.consensus_generator(), pi.consensus_generator())
    assert np.abs(full.generator_numeric() - pi.generator_numeric()).max() < 1e-14
    assert np.array_equal(full.components, pi.components)


@pytest.mark.parametrize("n", [4, 5])
def test_example3_exactly_equal_n4_n5(n):
    net, _ = example3(n=n)
    full = bs.blended_coherent(net, basis="full")
    pi = bs.blended_coherent(net, basis="pi")
    assert _exact_equal(full.consensus_generator(), pi.consensus_generator())
    assert _exact_equal(full.generator, pi.generator)


@pytest.mark.parametrize("n", [6, 7, 8])
def test_example3_numeric_equal_to_1e12(n):
    net, _ = example3(n=n)
    b_full = bs.blended_coherent(net, basis="full").generator_numeric()
    b_pi = bs.blended_coherent(net, basis="pi").generator_numeric()
    assert np.abs(b_full - b_pi).max() < 1e-12


@given(net=k_local_networks(1, 3, max_locality=3))
def test_random_k_local_models_exactly_equal(net):
    """Random 3-local Hamiltonians and (non-Hermitian, non-PI) 3-local jumps plus collective
    jumps on random weighted graphs: B and C of the PI route equal the 4^n ones exactly."""
    full = bs.blended_coherent(net, basis="full")
    pi = bs.blended_coherent(net, basis="pi")
    assert _exact_equal(full.consensus_generator(), pi.consensus_generator())
    assert _exact_equal(full.generator, pi.generator)


@settings(max_examples=8)
@given(net=k_local_networks(4, 6, max_locality=3, max_h_terms=6, max_jumps=3))
def test_random_k_local_models_numeric_n4_to_n6(net):
    b_full = bs.blended_coherent(net, basis="full").generator_numeric()
    b_pi = bs.blended_coherent(net, basis="pi").generator_numeric()
    assert np.abs(b_full - b_pi).max() < 1e-12


@settings(max_examples=10)
@given(edges=connected_weighted_graphs(2, 4, integer_weights=False), data=st.data())
def test_weighted_graphs_do_not_change_the_generator(edges, data):
    """Definition 2 depends on the graph only through its components: any connected weighted
    graph gives the same B (the SWAP part vanishes on ker Q_d)."""
    n = max(k for _, k, _ in edges)
    net = data.draw(inseparable_networks(n, n))
    other = bs.QuantumNetwork(n, edges, net.hamiltonian, list(net.jumps))
    full = bs.blended_coherent(other, basis="full")
    pi = bs.blended_coherent(net, basis="pi")
    assert _exact_equal(full.generator, pi.generator)


@settings(max_examples=15)
@given(net=k_local_networks(2, 4, max_locality=3))
def test_trace_and_hermiticity_preservation_in_pi_coordinates(net):
    r"""Exactly, in the PI coordinates themselves: tau C = 0 with tau_m = |V_m| on the diagonal
    orbits (m01 = m10 = 0), and C[s(m), s(k)] = conj(C[m, k]) for the adjoint map s."""
    c = bs.blended_coherent(net, basis="pi")
    basis = c.pi_basis
    cons = sympy.Matrix(c.consensus_generator())
    tau = sympy.Matrix([[basis.exact_sizes[m] if basis.diagonal[m] else 0 for m in range(basis.p)]])
    assert (tau * cons).applyfunc(sympy.expand).is_zero_matrix
    s = basis.adjoint
    for (m, k), v in sympy.SparseMatrix(cons).todok().items():
        assert sympy.expand(cons[int(s[m]), int(s[k])] - sympy.conjugate(v)) == 0
    assert sympy.expand((c.trace_functional() * sympy.Matrix(c.generator))[0, 0]) == 0


def test_jump_with_overlapping_two_site_strings_on_two_qubits():
    """A two-site jump on n = 2: every pair of its strings overlaps, so the 4-site contents
    assumed for disjoint pairs must vanish (regression: they reached (n)_k = 0)."""
    jump = (bs.sigma_plus(1) * bs.sigma_plus(2) + bs.sigma_x(1) * bs.sigma_z(2)) / 2
    net = bs.QuantumNetwork(2, [(1, 2)], bs.sigma_x(1), [(sympy.Rational(1, 3), jump)])
    full = bs.blended_coherent(net, basis="full")
    pi = bs.blended_coherent(net, basis="pi")
    assert np.all(np.isfinite(pi.generator_numeric()))
    assert np.abs(full.generator_numeric() - pi.generator_numeric()).max() < 1e-14
    assert _exact_equal(full.generator, pi.generator)


def test_float_model_and_symbolic_rates():
    g = sympy.Symbol("g", positive=True)
    net = bs.QuantumNetwork(
        3,
        bs.complete_graph(3),
        0.3 * bs.sigma_x(1) * bs.sigma_y(2),
        [(g, bs.sum_sites(bs.sigma_minus, 3))],
    )
    full = bs.blended_coherent(net, basis="full")
    pi = bs.blended_coherent(net, basis="pi")
    assert _exact_equal(full.consensus_generator(), pi.consensus_generator())
    with pytest.raises(NotComputableError, match="free symbols"):
        pi.generator_numeric()
    num = net.subs({g: sympy.Rational(1, 7)})
    assert (
        np.abs(
            bs.blended_coherent(num, basis="full").generator_numeric()
            - bs.blended_coherent(num, basis="pi").generator_numeric()
        ).max()
        < 1e-14
    )


# ----------------------------------------------------------------------------- at scale


def test_no_4n_object_at_n12(monkeypatch):
    """The PI route never builds 2^n- or 4^n-size objects: every builder of one raises."""

    def refuse(*args, **kwargs):
        raise AssertionError("a 2^n or 4^n object was built")

    net, rho0 = example3(n=12, numeric=True, normalization="kac")
    monkeypatch.setattr(bs.QuantumNetwork, "local_liouvillian", refuse)
    monkeypatch.setattr(bs.QuantumNetwork, "liouvillian", refuse)
    monkeypatch.setattr(bs.SiteOperator, "to_matrix", refuse)
    monkeypatch.setattr(coherent_mod, "induced_graph", refuse)
    monkeypatch.setattr("blendsym.section5.pi_basis.node_type_counts", refuse)
    c = bs.blended_coherent(net)
    assert c.basis == "pi" and c.p == math.comb(15, 3)
    b = c.generator_numeric(sparse=True)
    assert sp.issparse(b) and b.shape == (c.p, c.p)
    state = bs.product_state([np.diag([0.75, 0.25])] * 6 + [np.diag([0.25, 0.75])] * 6, lazy=True)
    y0 = c.initial_state(state)
    ys = c.evolve_coordinates(y0, [0.0, 0.5, 1.0], method="krylov")
    assert ys.shape == (3, c.p)
    assert abs(c.trace(ys[-1]) - 1) < 1e-9


def test_auto_basis_and_errors():
    net, _ = example3(n=5)
    assert bs.blended_coherent(net).basis == "pi"
    net4, _ = example3(n=4)
    assert bs.blended_coherent(net4).basis == "full"
    # a disconnected graph takes the PI route of the product group above 4 qubits too
    disconnected = bs.QuantumNetwork(6, [(1, 2), (3, 4), (5, 6)], bs.sigma_x(1))
    c = bs.blended_coherent(disconnected)
    assert c.basis == "pi" and c.p == 10**3
    assert c.graph_components == ((1, 2), (3, 4), (5, 6))
    assert c.components.shape == (1000, 3, 4)
    assert (c.components.sum(axis=2) == 2).all()
    with pytest.raises(BlendsymError, match="basis must be"):
        bs.blended_coherent(net, basis="dicke")


def test_exact_assembly_is_refused_for_large_p():
    basis = PIBasis(12)
    with pytest.raises(NotComputableError, match="p <= "):
        assemble_exact(basis, {}, max_p=300)


def test_assembly_blocks_do_not_matter():
    net, _ = example3(n=9, numeric=True, normalization="kac")
    basis = PIBasis(9)
    folded = local_model(net).folded()
    for kind in ("orthonormal", "consensus", "real"):
        one = assemble_numeric(basis, folded, kind=kind)
        blocks = assemble_numeric(basis, folded, kind=kind, block_rows=17)
        assert abs(one - blocks).max() == 0


def test_example3_at_n100_builds_quickly_and_is_a_generator():
    """n = 100 (p = 176,851): the Kac-normalised Example 3 model is built with sum_pairs and
    its generator assembled; the columns of the real form annihilate the trace functional."""
    net, rho0 = example3(n=100, normalization="kac")
    c = bs.blended_coherent(net)
    b = c.generator_numeric()
    assert sp.issparse(b) and b.shape == (176851, 176851)
    basis = c.pi_basis
    tau = np.where(basis.diagonal, np.exp(0.5 * basis.log_sizes), 0.0)
    assert np.abs(b.T @ tau).max() < 1e-9 * np.abs(tau).max()
    assert isinstance(rho0, bs.ProductMixture) and rho0.n == 100
