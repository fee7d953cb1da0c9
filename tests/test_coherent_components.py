"""Section 5 on a disconnected graph: the product group S_C1 x ... x S_Cr (docs/theory.md,
"Section 5 on a disconnected graph"), its PI route, and Theorems 3-4 with lambda_m(Q_d) =
min_i lambda_2(Q_Ci).  Every check is against an independent computation: dense 4^n
eigenvalues, the literal group average over enumerated permutations, the 4^n route of
Definition 2, the blended reduced-state dynamics of Section 4, simulation of the network (4)."""

import itertools
import math

import numpy as np
import pytest
import scipy.linalg
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.bounds.coherent import component_gaps, theorem3_envelope
from blendsym.bounds.coherent_scale import _certified_gap
from blendsym.errors import NotComputableError
from blendsym.model.operators import (
    sigma_minus,
    sigma_plus,
    sigma_x,
    sigma_y,
    sigma_z,
    sum_sites,
)
from blendsym.model.permutations import permutation_invariant_projection, permutation_unitary
from blendsym.section5.induced import induced_graph
from blendsym.section5.product_basis import ProductPIBasis
from blendsym.testing import k_local_networks

# ----------------------------------------------------------------------------- helpers


def _group(blocks, n):
    """Every element of S_C1 x ... x S_Cr as a tuple of 1-based images."""
    out = []
    for images in itertools.product(*[itertools.permutations(b) for b in blocks]):
        pi = [0] * n
        for b, img in zip(blocks, images, strict=True):
            for s, t in zip(b, img, strict=True):
                pi[s - 1] = t
        out.append(tuple(pi))
    return out


def _group_average(rho, blocks, n):
    """(1/|G|) sum_pi U_pi rho U_pi^dagger, literally."""
    perms = _group(blocks, n)
    acc = np.zeros_like(rho, dtype=complex)
    for pi in perms:
        u = permutation_unitary(pi, n, backend="scipy").toarray()
        acc += u @ rho @ u.conj().T
    return acc / len(perms)


def _random_state(seed, n):
    rng = np.random.default_rng(seed)
    d = 2**n
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    rho = a @ a.conj().T
    return rho / np.trace(rho)


@st.composite
def _partitions(draw, n):
    order = draw(st.permutations(range(1, n + 1)))
    # at most three components, so that most blocks have edges
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), min_size=1, max_size=min(2, n - 1))))
    return [sorted(order[a:b]) for a, b in zip([0, *cuts], [*cuts, n], strict=True)]


@st.composite
def disconnected_networks(draw, min_n=3, max_n=5):
    """A random k-local model (terms across components included) on a random disconnected
    graph: a random spanning tree with random rational weights inside each block, plus a few
    extra edges inside blocks."""
    net = draw(k_local_networks(min_n, max_n, max_locality=3, max_h_terms=4, max_jumps=2))
    blocks = draw(_partitions(net.n))
    edges = {}
    for b in blocks:
        for i in range(1, len(b)):
            j, k = sorted((b[i], b[draw(st.integers(0, i - 1))]))
            edges[(j, k)] = sympy.Rational(draw(st.integers(1, 9)), draw(st.integers(1, 4)))
        if len(b) >= 3 and draw(st.booleans()):
            j, k = sorted(draw(st.sampled_from(list(itertools.combinations(b, 2)))))
            edges.setdefault((j, k), sympy.Integer(2))
    return bs.QuantumNetwork(
        net.n, [(j, k, w) for (j, k), w in sorted(edges.items())], net.hamiltonian, net.jumps
    )


def _two_components(kc=None):
    # components {1, 3, 4} (a path 1-4-3) and {2, 5}; a Hamiltonian term across them
    return bs.QuantumNetwork(
        5,
        [(1, 4), (3, 4, 2), (2, 5)],
        sigma_z(1) + sigma_x(4) * sigma_y(2) + sigma_x(3),
        [sigma_minus(1) + sigma_minus(3), (sympy.Rational(1, 2), sigma_plus(5))],
        coupling=kc,
    )


# ----------------------------------------------------------------------------- Q_d, P_d


@settings(max_examples=12)
@given(net=disconnected_networks(3, 5))
def test_gap_of_q_d_is_the_smallest_component_gap(net):
    """lambda_m(Q_d) from the dense 4^n eigenvalues equals min over the components with >= 2
    qubits of lambda_2 of their own n_i x n_i Laplacians, and lambda_m(Q) of the graph."""
    if not net.graph.edges:
        return
    q_d = induced_graph(net).laplacian.toarray()
    ev = scipy.linalg.eigvalsh(q_d)
    p = math.prod(math.comb(len(c) + 3, 3) for c in net.graph.components)
    assert np.all(np.abs(ev[:p]) < 1e-9) and ev[p] > 1e-6  # exactly p zero eigenvalues
    q = np.array(net.graph.laplacian.evalf().tolist(), dtype=float)
    per = [
        scipy.linalg.eigvalsh(q[np.ix_([s - 1 for s in c], [s - 1 for s in c])])[1]
        for c in net.graph.components
        if len(c) >= 2
    ]
    assert ev[p] == pytest.approx(min(per), rel=1e-10)
    assert float(net.graph.lambda_m) == pytest.approx(min(per), rel=1e-10)
    assert min(g for _, g in component_gaps(net)) == pytest.approx(min(per), rel=1e-12)


@settings(max_examples=10)
@given(net=disconnected_networks(3, 4), seed=st.integers(0, 2**32 - 1))
def test_pd_pd_transpose_is_the_product_group_average(net, seed):
    """P_d P_d^T, built from the product PI basis (its node labels and orbit sizes), equals
    the literal average over the enumerated group S_C1 x ... x S_Cr, and the PI route's
    lift(project(rho)) is that average of rho."""
    n = net.n
    blocks = net.graph.components
    basis = ProductPIBasis(n, blocks)
    assert basis.p == math.prod(math.comb(len(b) + 3, 3) for b in blocks)
    labels, sizes = basis.node_labels, basis.sizes
    pd = np.zeros((4**n, basis.p))
    pd[np.arange(4**n), labels] = 1 / np.sqrt(sizes[labels])
    np.testing.assert_allclose(pd.T @ pd, np.eye(basis.p), atol=1e-14)
    perms = _group(blocks, n)
    assert len(perms) == math.prod(math.factorial(len(b)) for b in blocks)
    avg = np.zeros((4**n, 4**n))
    for pi in perms:
        u = permutation_unitary(pi, n, backend="scipy").toarray()
        avg += np.kron(u, u)  # vec(U X U^T) = (U (x) U) vec X for the real U
    np.testing.assert_allclose(pd @ pd.T, avg / len(perms), atol=1e-13)
    rho = _random_state(seed, n)
    c = bs.blended_coherent(net, basis="pi")
    ref = _group_average(rho, blocks, n)
    np.testing.assert_allclose(c.lift(c.project(rho)), ref, atol=1e-13)
    np.testing.assert_allclose(permutation_invariant_projection(rho, blocks), ref, atol=1e-13)


# ----------------------------------------------------------------------------- the PI route


@settings(max_examples=8)
@given(net=disconnected_networks(3, 5))
def test_pi_route_equals_the_4n_route_on_disconnected_graphs(net):
    """The product-group PI route gives the matrices of the 4^n route, in the same coordinate
    order: numeric B, C and R to 1e-12, and exactly for n <= 4."""
    pi, full = bs.blended_coherent(net, basis="pi"), bs.blended_coherent(net, basis="full")
    assert pi.p == full.p and np.array_equal(pi.components, full.components)
    assert pi.graph_components == tuple(tuple(c) for c in net.graph.components)
    ref = full.generator_numeric()
    scale = max(1.0, np.abs(ref).max())
    assert np.abs(pi.generator_numeric() - ref).max() <= 1e-12 * scale
    assert abs(pi.generator_real() - full.generator_real()).max() <= 1e-12 * scale
    if net.n <= 4:
        diff = sympy.Matrix(pi.consensus_generator()) - sympy.Matrix(full.consensus_generator())
        assert diff.applyfunc(sympy.expand).is_zero_matrix


def test_coordinates_are_the_induced_graph_components_and_one_component_is_pi_basis():
    net = _two_components()
    c = bs.blended_coherent(net, basis="pi")
    g = induced_graph(net)
    assert c.p == g.n_components == 20 * 10
    np.testing.assert_array_equal(c.pi_basis.node_labels, g.labels)
    assert c.components.shape == (200, 2, 4)
    # the type counts of every node, inside each component, read off its bit strings
    d = 2**5
    for v in range(0, d * d, 37):
        l, lp = divmod(v, d)
        for i, comp in enumerate(c.graph_components):
            cnt = [0, 0, 0, 0]
            for s in comp:
                cnt[2 * ((l >> (5 - s)) & 1) + ((lp >> (5 - s)) & 1)] += 1
            assert list(c.components[g.labels[v], i]) == cnt
    one = ProductPIBasis(4, [(1, 2, 3, 4)])
    np.testing.assert_array_equal(one.counts[:, 0, :], bs.section5.pi_basis.PIBasis(4).counts)


def test_states_and_observables_in_the_product_coordinates():
    """Against the dense lift of the 4^n route: structured-state coordinates, reduced states
    per site, expectation values of operators across components, collective moments, trace
    and purity along an evolution; the site-independent marginals are refused."""
    net = _two_components()
    pi, full = bs.blended_coherent(net, basis="pi"), bs.blended_coherent(net, basis="full")
    f = [
        np.diag([0.3, 0.7]),
        np.array([[0.5, 0.5], [0.5, 0.5]]),
        np.diag([1.0, 0.0]),
        np.array([[0.6, 0.2 - 0.1j], [0.2 + 0.1j, 0.4]]),
        np.array([[0.5, -0.5j], [0.5j, 0.5]]),
    ]
    state = bs.ProductMixture([(0.25, bs.ProductState(f)), (0.75, bs.ProductState(f[::-1]))])
    dense = state.dense()
    y = pi.initial_state(state)
    np.testing.assert_allclose(y, np.asarray(full.project(dense), dtype=complex), atol=1e-14)
    times = np.array([0.0, 0.7, 2.0])
    ops = {"a": sigma_x(1) * sigma_z(2) + 0.5 * sigma_y(4) * sigma_y(3), "b": sigma_z(5)}
    tr = pi.trajectory(state, times, observables={**ops, "t": "trace", "Jz": "Jz"})
    lifted = full.evolve(dense, times)
    jz = sum_sites(sigma_z, 5).to_matrix(5, "scipy").toarray() / 2
    jx = sum_sites(sigma_x, 5).to_matrix(5, "scipy").toarray() / 2
    for i, x in enumerate(lifted):
        for name, op in ops.items():
            want = np.trace(op.to_matrix(5, "scipy").toarray() @ x)
            assert abs(tr.observables[name][i] - want) < 1e-12
        assert abs(tr.observables["t"][i] - 1) < 1e-12
        assert abs(tr.observables["Jz"][i] - np.trace(jz @ x).real) < 1e-12
        for j in range(1, 6):
            np.testing.assert_allclose(
                pi.reduced_state(tr.coordinates[i], j), bs.reduced_state(x, j), atol=1e-13
            )
        _, jj = pi.collective_moments(tr.coordinates[i])
        assert abs(jj[0, 2] - np.trace(jx @ jz @ x)) < 1e-12
        assert abs(pi.purity(tr.coordinates[i]) - np.trace(x @ x).real) < 1e-12
    with pytest.raises(NotComputableError, match="depend on the sites"):
        pi.marginal(y, 2)
    with pytest.raises(NotComputableError, match="depend on the sites"):
        pi.trajectory(state, times, observables=["rho12"])


def test_separable_model_beyond_4n_sizes_follows_each_components_blended_state():
    """n = 12 (p = 84^2): for a separable model the single-site marginals of the lifted
    coherent trajectory are exactly each component's blended reduced state of Section 4,
    rho_{b,C}(t) (docs/theory.md: the averaged generator is a sum of the components' blended
    generators), computed independently by BlendedReducedState.component(i)."""
    n = 12
    edges = [(j, j + 1) for j in range(1, 6)] + [(7, 12), (8, 12), (9, 12), (10, 12), (11, 12)]
    h = sum_sites(sigma_z, n) + 0.5 * sigma_x(2) + sigma_x(9)
    jumps = [sigma_minus(1), (0.5, sigma_plus(8)), (0.3, sigma_minus(12))]
    net = bs.QuantumNetwork(n, edges, h, jumps)
    c = bs.blended_coherent(net)
    assert c.basis == "pi" and c.p == 84**2
    rng = np.random.default_rng(3)
    factors = []
    for _ in range(n):
        a = rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))
        factors.append(a @ a.conj().T / np.trace(a @ a.conj().T))
    state = bs.ProductState(factors)
    times = np.linspace(0.0, 3.0, 4)
    tr = c.trajectory(state, times)
    b = bs.blended_reduced_state(net)
    assert b.components == c.graph_components
    for i, sites in enumerate(b.components):
        comp = b.component(i)
        want = comp.evolve(comp.initial_state(state.dense()), times)
        for j in (sites[0], sites[-1]):
            got = np.array([c.reduced_state(y, j) for y in tr.coordinates])
            assert np.abs(got - want).max() < 1e-8


# ----------------------------------------------------------------------------- Theorems 3-4


def test_theorems_3_and_4_on_a_disconnected_graph_hold_in_simulation():
    """The bounds are computed with the product group (components recorded, lambda_m the
    smaller component gap) and the simulation of (4) satisfies them at K_c*; at large K_c the
    network converges to the lifted blended coherent trajectory at the rate of (35)-(36):
    the distance is below the proof's envelope and falls like 1/K_c."""
    net = bs.QuantumNetwork(
        4,
        [(1, 3), (2, 4, 3)],
        sigma_x(1) * sigma_z(2) + sigma_y(3),
        [sigma_minus(1) + sigma_minus(4)],
    )
    rho = np.diag([0.0] * 6 + [1.0] + [0.0] * 9).astype(complex)  # |0110>
    t3 = bs.bounds.theorem3(net, rho, 0.1, 0.5, 2.0)
    t4 = bs.bounds.theorem4(net, rho, 0.1, 0.5)
    for t in (t3, t4):
        assert t.components == ((1, 3), (2, 4))
        assert t.constants.lambda_m == pytest.approx(2.0)  # edge {1, 3}: 2; edge {2, 4}: 6
        assert any("attained on sites [1, 3]" in s for s in t.notes)
        ref = np.linalg.norm(rho - _group_average(rho, [(1, 3), (2, 4)], 4))
        assert t.constants.C == pytest.approx(ref, rel=1e-12) and ref > 0.5
    assert t4.check().holds
    assert t3.check().holds
    c = bs.blended_coherent(net)
    times = np.linspace(0.0, 2.0, 41)
    lifted = c.evolve(rho, times)
    dist = {}
    for kc in (50.0, 200.0):
        traj = bs.simulate(net, rho, times, kc=kc)
        d = np.linalg.norm(traj.states - lifted, axis=(1, 2))
        assert np.all(d <= theorem3_envelope(t3.constants, kc, times) + 1e-9)
        dist[kc] = d[times >= 0.5].max()
    assert dist[200.0] < 0.1 and 3.0 < dist[50.0] / dist[200.0] < 5.0


def test_theorem4_promise_is_for_the_product_group_not_s_n():
    """H = 0, no jumps, edge {1, 2}: |001><001| is stationary for every K_c; its distance to
    P_x (the S_2 x S_1 average) is 0 and Theorem 4 holds with C = 0, while its distance to
    the S_n average stays sqrt(2/3) (docs/theory.md)."""
    net = bs.QuantumNetwork(3, [(1, 2)], bs.SiteOperator({}), [])
    rho = np.zeros((8, 8), dtype=complex)
    rho[1, 1] = 1.0
    t4 = bs.bounds.theorem4(net, rho, 0.05, 0.0)
    assert t4.constants.C == 0.0 and t4.check(kc=1.0).holds
    traj = bs.simulate(net, rho, [0.0, 5.0], kc=1000.0)
    far = np.linalg.norm(traj.states[-1] - permutation_invariant_projection(traj.states[-1]))
    assert far == pytest.approx(math.sqrt(2 / 3), rel=1e-9)


def test_theorem4_at_scale_on_a_disconnected_graph():
    """A structured state on n = 14 qubits: C from the product coordinates (generating
    functions per component) is at least the dense value at n = 6 for the same construction,
    and the gap is the certified lower bound with r negative pivots (n > 12)."""
    small = bs.QuantumNetwork(6, [(1, 2), (2, 3), (4, 5), (5, 6)], sigma_x(1), [sigma_minus(4)])
    f = [np.diag([1.0, 0.0]), np.diag([0.2, 0.8]), np.array([[0.5, 0.5], [0.5, 0.5]])] * 2
    state = bs.ProductState(f)
    t_small = bs.bounds.theorem4(small, state, 0.1, 1.0)
    blocks = [(1, 2, 3), (4, 5, 6)]
    dense = np.linalg.norm(state.dense() - _group_average(state.dense(), blocks, 6))
    assert t_small.constants.C >= dense and t_small.constants.C == pytest.approx(dense, rel=1e-9)
    n = 14
    edges = [(j, j + 1) for j in range(1, 7)] + [(j, j + 1) for j in range(8, 14)] + [(8, 14)]
    net = bs.QuantumNetwork(n, edges, sum_sites(sigma_z, n), [sum_sites(sigma_minus, n)])
    big = bs.ProductState([np.diag([1.0, 0.0]) if j % 3 else np.diag([0.3, 0.7]) for j in range(n)])
    t4 = bs.bounds.theorem4(net, big, 0.1, 1.0)
    path = 2 - 2 * math.cos(math.pi / 7)  # the path 1..7; the ring 8..14 has 2 - 2cos(2pi/7)
    assert t4.constants.lambda_m_kind == "lower bound"
    assert path * (1 - 1e-6) <= t4.constants.lambda_m <= path
    assert t4.components == (tuple(range(1, 8)), tuple(range(8, 15)))
    lam, kind = _certified_gap(net.graph)
    assert kind == "lower bound" and lam <= path


def test_exact_generator_and_exact_coordinates_equal_the_4n_route():
    """Exact model, components {1, 3} and {2, 4}: the exact B (with its radicals) and C of
    the PI route equal those of the 4^n route entry by entry; an exact product state has exact
    coordinates equal to the exact projection of its dense matrix; both routes find the same
    stationary PI operators."""
    half = sympy.Rational(1, 2)
    net = bs.QuantumNetwork(
        4,
        [(1, 3), (2, 4, sympy.Rational(3, 2))],
        sigma_x(1) * sigma_z(2) + half * sigma_y(3) + sigma_z(4),
        [sigma_minus(1) + sigma_minus(2), (half, sigma_plus(4) * sigma_z(3))],
    )
    pi, full = bs.blended_coherent(net, basis="pi"), bs.blended_coherent(net, basis="full")
    for a, b in ((pi.generator, full.generator), (pi._consensus, full._consensus)):
        diff = (sympy.Matrix(a) - sympy.Matrix(b)).applyfunc(
            lambda e: sympy.expand(sympy.radsimp(e))
        )
        assert diff.is_zero_matrix
    q = sympy.Rational(1, 3)
    factors = [
        sympy.Matrix([[q, 0], [0, 1 - q]]),
        sympy.Matrix([[half, half * sympy.I], [-half * sympy.I, half]]),
        sympy.Matrix([[1, 0], [0, 0]]),
        sympy.Matrix([[half, q], [q, half]]),
    ]
    state = bs.ProductState(factors)
    y = pi.initial_state(state)
    assert isinstance(y, sympy.MatrixBase)
    ref = full.project(state.dense())
    assert (y - ref).applyfunc(lambda e: sympy.expand(sympy.radsimp(e))).is_zero_matrix
    s_pi, info_pi = pi.stationary_states()
    s_full, info_full = full.stationary_states()
    assert info_pi["kernel_dimension"] == info_full["kernel_dimension"] >= 1
    np.testing.assert_allclose(s_pi[0], s_full[0], atol=1e-9)
