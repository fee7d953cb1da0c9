"""Definition 2 (eq. (17)): the blended coherent dynamics of Section 5.2."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.linalg
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from blendsym.coherent import (
    BlendedCoherent,
    blended_coherent,
    permutation_averaged_network,
    pi_projector_superop,
    relabel_sites,
)
from blendsym.errors import BlendsymError, InvalidArgumentError
from blendsym.evolve import simulate
from blendsym.network import QuantumNetwork
from blendsym.operators import sigma_minus, sigma_x, sigma_y, sigma_z
from blendsym.paper import example3
from blendsym.permutations import (
    is_permutation_invariant,
    permutation_invariant_projection,
    permutation_unitary,
)
from blendsym.states import partial_trace
from blendsym.testing import density_matrices, inseparable_networks, separable_networks

# ----------------------------------------------------------------------------- helpers


def _dense(m) -> np.ndarray:
    return np.array(sympy.Matrix(m).evalf().tolist(), dtype=complex)


def _naive_generator(net) -> np.ndarray:
    """P_d^T A_d P_d by dense 4^n x 4^n matrix products (the definition, literally)."""
    c = blended_coherent(net)
    a = net.local_liouvillian("scipy").toarray()
    p = c.induced.P_d.toarray()
    return p.T @ a @ p


def _literal_average(net) -> np.ndarray:
    """(1/n!) sum_pi S_pi A_d S_pi^T with S_pi = U_pi (x) conj(U_pi): the superoperator of
    X -> U_pi A_d(U_pi^dagger X U_pi) U_pi^dagger in row stacking, averaged literally."""
    a = net.local_liouvillian("scipy").toarray()
    acc = np.zeros_like(a)
    perms = list(itertools.permutations(range(1, net.n + 1)))
    for pi in perms:
        u = permutation_unitary(pi, net.n, backend="scipy").toarray()
        s = np.kron(u, u.conj())
        acc += s @ a @ s.conj().T
    return acc / len(perms)


def _pi_state(n: int, data) -> np.ndarray:
    rho = data.draw(density_matrices(n, kind="any"))
    return permutation_invariant_projection(rho)


@pytest.fixture(scope="module")
def ex3():
    net, rho0 = example3()
    return net, rho0, blended_coherent(net)


# ----------------------------------------------------------------------------- the generator


def test_example3_generator_exact(ex3):
    """p = 20 = C(6, 3); B is exact (radicals sqrt(|V_m|), sqrt(10), i) and equals the literal
    dense product P_d^T A_d P_d computed exactly with SymPy."""
    net, _, c = ex3
    assert c.p == 20 == math.comb(6, 3)
    assert sorted(c.induced.component_sizes.tolist()) == sorted([1, 1, 1, 1] + [3] * 12 + [6] * 4)
    b = c.generator
    assert b.shape == (20, 20)
    assert not any(e.has(sympy.Float) for e in b)
    # |000><000| is an eigenstate of L and diagonal: no loss, and the first row/column
    # couple it to the orbits |000><001|-type (size 3) with the printed exact numbers
    assert b[0, 0] == 0
    assert sympy.simplify(b[0, 2] + sympy.sqrt(3)) == 0
    assert sympy.simplify(b[1, 1] - (-sympy.Rational(23, 200) - 2 * sympy.I)) == 0
    naive = (
        c.induced.P_d_exact().T
        * sympy.Matrix(net.local_liouvillian("sympy"))
        * c.induced.P_d_exact()
    )
    diff = (sympy.Matrix(b) - naive).applyfunc(lambda x: sympy.nsimplify(sympy.expand(x)))
    assert diff.is_zero_matrix
    assert np.allclose(_dense(b), c.generator_numeric(), atol=1e-14)


@given(net=st.one_of(inseparable_networks(2, 3), separable_networks(2, 3)))
def test_generator_equals_naive_product(net):
    """The block-sum construction equals P_d^T A_d P_d by dense products (n = 2, 3)."""
    c = blended_coherent(net)
    naive = _naive_generator(net)
    assert np.allclose(c.generator_numeric(), naive, atol=1e-12)
    assert np.allclose(_dense(c.generator), naive, atol=1e-12)


@given(net=inseparable_networks(2, 2))
def test_generator_exact_equals_exact_naive_n2(net):
    c = blended_coherent(net)
    pd = c.induced.P_d_exact()
    naive = pd.T * sympy.Matrix(net.local_liouvillian("sympy")) * pd
    diff = (sympy.Matrix(c.generator) - naive).applyfunc(sympy.expand)
    assert diff.is_zero_matrix


@given(net=inseparable_networks(2, 3))
def test_generator_is_trace_and_hermiticity_preserving_exactly(net):
    r"""tau^T B = 0 with tau_m = #{diagonal nodes in V_m}/sqrt|V_m| (trace), and
    B[s(m), s(k)] = conj(B[m, k]) with s the component of (l', l) (Hermiticity)."""
    c = blended_coherent(net)
    d = 2**net.n
    labels = c.induced.labels
    sizes = c.induced.component_sizes
    diag = np.bincount(labels[np.arange(d) * d + np.arange(d)], minlength=c.p)
    tau = sympy.Matrix(
        [[sympy.Integer(int(diag[m])) / sympy.sqrt(int(sizes[m])) for m in range(c.p)]]
    )
    assert (tau * sympy.Matrix(c.generator)).applyfunc(sympy.expand).is_zero_matrix
    v = np.arange(d * d)
    transposed = (v % d) * d + v // d
    s = np.empty(c.p, dtype=int)
    s[labels] = labels[transposed]
    b = sympy.Matrix(c.generator)
    for m in range(c.p):
        for k in range(c.p):
            assert sympy.expand(b[s[m], s[k]] - sympy.conjugate(b[m, k])) == 0


def test_consensus_generator_is_similar(ex3):
    _, _, c = ex3
    dh = np.sqrt(c.induced.component_sizes.astype(float))
    b = c.generator_numeric()
    g = _dense(c.consensus_generator())
    assert np.allclose(g, (b * dh[None, :]) / dh[:, None], atol=1e-13)
    assert not any(e.has(sympy.sqrt(3)) or e.has(sympy.sqrt(2)) for e in c.consensus_generator())


# ----------------------------------------------------------------------------- Lindblad form


@given(net=inseparable_networks(2, 3))
def test_permutation_average_identity(net):
    r"""P_d P_d^T A_d P_d P_d^T = P_* A_d P_* = Abar P_* = P_* Abar P_*, with Abar the average
    over pi of the U_pi-conjugated generator; Abar built (a) literally from superoperators and
    (b) as the Lindblad generator of permutation_averaged_network; P_d^T Abar P_d = B."""
    c = blended_coherent(net)
    a = net.local_liouvillian("scipy").toarray()
    p = c.induced.P_d.toarray()
    proj = p @ p.T
    ps = pi_projector_superop(net.n).toarray()
    assert np.allclose(proj, ps, atol=1e-14)  # eq. (13), connected graph
    abar = _literal_average(net)
    abar_lindblad = permutation_averaged_network(net).local_liouvillian("scipy").toarray()
    assert np.allclose(abar, abar_lindblad, atol=1e-12)
    lhs = proj @ a @ proj
    assert np.allclose(lhs, ps @ a @ ps, atol=1e-12)
    assert np.allclose(lhs, abar @ ps, atol=1e-12)
    assert np.allclose(lhs, ps @ abar @ ps, atol=1e-12)
    assert np.allclose(abar @ ps, ps @ abar, atol=1e-12)  # Abar preserves PI operators
    assert np.allclose(p.T @ abar @ p, c.generator_numeric(), atol=1e-12)


def test_permutation_average_exact_example3(ex3):
    net, _, c = ex3
    avg = permutation_averaged_network(net)
    # the symmetric collective jump of (18) is its own orbit: one jump, rate 1
    assert len(avg.jumps) == 1 and avg.jumps[0][0] == 1
    pd = c.induced.P_d_exact()
    b_avg = pd.T * sympy.Matrix(avg.local_liouvillian("sympy")) * pd
    diff = (b_avg - sympy.Matrix(c.generator)).applyfunc(lambda x: sympy.nsimplify(sympy.expand(x)))
    assert diff.is_zero_matrix


@settings(max_examples=10)
@given(net=inseparable_networks(2, 2))
def test_averaged_generator_completely_positive(net):
    """exp(Abar t) has a positive semidefinite Choi matrix (Abar is a Lindblad generator)."""
    abar = permutation_averaged_network(net).local_liouvillian("scipy").toarray()
    d = 2**net.n
    for t in (0.1, 1.0):
        e = scipy.linalg.expm(abar * t)
        # row stacking: e[(i d + j), (k d + l)] maps |k><l| to its (i, j) entry
        choi = e.reshape(d, d, d, d).transpose(0, 2, 1, 3).reshape(d * d, d * d)
        assert np.linalg.eigvalsh((choi + choi.conj().T) / 2).min() > -1e-10


def test_relabel_sites_matches_unitary_conjugation():
    op = sigma_x(1) * sigma_y(3) + 2 * sigma_minus(2)
    for pi in itertools.permutations((1, 2, 3)):
        u = permutation_unitary(pi, 3, backend="scipy").toarray()
        want = u @ op.to_numpy(3) @ u.conj().T
        assert np.allclose(relabel_sites(op, pi).to_numpy(3), want)


# ----------------------------------------------------------------------------- physics


@given(net=inseparable_networks(2, 3), data=st.data())
def test_evolution_of_pi_states_is_physical(net, data):
    """Lifted trajectories from PI states: trace one, Hermitian, positive, PI; and for any
    rho0 the lifted trajectory equals exp(Abar t) P_*(rho0)."""
    c = blended_coherent(net)
    rho = _pi_state(net.n, data)
    times = np.linspace(0.0, 10.0, 6)
    states = c.evolve(rho, times)
    assert np.allclose(states[0], rho, atol=1e-12)
    for s in states:
        assert abs(np.trace(s) - 1) < 1e-10
        assert np.abs(s - s.conj().T).max() < 1e-10
        assert np.linalg.eigvalsh((s + s.conj().T) / 2).min() >= -1e-10
        assert is_permutation_invariant(s, tol=1e-9)
    rho_any = data.draw(density_matrices(net.n))
    abar = permutation_averaged_network(net).local_liouvillian("scipy").toarray()
    x0 = permutation_invariant_projection(rho_any).ravel()
    lifted = c.evolve(rho_any, [0.0, 2.0])
    assert np.allclose(lifted[1].ravel(), scipy.linalg.expm(abar * 2.0) @ x0, atol=1e-9)


def test_project_lift_initial_state(ex3):
    net, rho0, c = ex3
    y0 = c.initial_state(rho0)
    assert isinstance(y0, sympy.MatrixBase) and y0.shape == (20, 1)
    lifted = c.lift(y0)
    assert (
        (lifted - permutation_invariant_projection(rho0)).applyfunc(sympy.simplify).is_zero_matrix
    )
    assert np.allclose(c.project(_dense(rho0)), _dense(y0).ravel())
    ys = c.evolve_coordinates(_dense(y0).ravel(), [0.0, 1.0])
    assert np.allclose(c.lift(ys[1]), c.evolve(rho0, [0.0, 1.0])[1])


def test_evolution_converges_like_one_over_kc(ex3):
    r"""sup_{t in [1, 5]} ||rho(t) - vec^{-1}(ytilde_d(t))||_F ~ D/K_c: log-log slope -1."""
    net, rho0, c = ex3
    times = np.linspace(0.0, 5.0, 101)
    lifted = c.evolve(rho0, times)
    kcs = np.array([20.0, 40.0, 80.0, 160.0])
    errs = []
    for kc in kcs:
        states = simulate(net, rho0, times, kc=kc).states
        d = np.linalg.norm(states - lifted, axis=(1, 2))
        errs.append(d[times >= 1.0].max())
    slope = np.polyfit(np.log(kcs), np.log(errs), 1)[0]
    local = np.diff(np.log(errs)) / np.diff(np.log(kcs))
    # -0.928 over {20, ..., 160}; local slopes -0.88, -0.94, -0.97 -> -1 (O(1/K_c^2) correction)
    assert abs(slope + 1) < 0.1, (slope, errs)
    assert np.all(np.diff(local) < 0) and abs(local[-1] + 1) < 0.05, local


@settings(max_examples=5)
@given(net=inseparable_networks(2, 3))
def test_random_inseparable_error_shrinks_like_one_over_kc(net):
    rho0 = np.zeros((2**net.n, 2**net.n), dtype=complex)
    rho0[1, 1] = 1.0  # |0...01>, not permutation invariant
    c = blended_coherent(net)
    times = np.linspace(0.0, 2.0, 41)
    lifted = c.evolve(rho0, times)
    kcs = np.array([200.0, 400.0, 800.0, 1600.0])
    errs = []
    for kc in kcs:
        d = np.linalg.norm(simulate(net, rho0, times, kc=kc).states - lifted, axis=(1, 2))
        errs.append(d[times >= 0.5].max())
    slope = np.polyfit(np.log(kcs), np.log(errs), 1)[0]
    assert abs(slope + 1) < 0.1, (slope, errs)


# ----------------------------------------------------------------------------- separable models


@settings(max_examples=15)
@given(net=separable_networks(2, 3), data=st.data())
def test_separable_marginals_follow_blended_reduced_state(net, data):
    r"""Separable model (Assumption 1): A_d = sum_j L_j^{(j)}, so Abar = sum_s Lbar^{(s)} with
    Lbar = (1/n) sum_j L_j the generator of Definition 1 (eq. (6), as the average of the local
    generators).  What is compared: the single-qubit reduced state (qubit 1; by permutation
    invariance every qubit) of the lifted coherent trajectory vec^{-1}(P_d y_d(t)) against
    rho_b(t) = blended_reduced_state(net).evolve(rho_b(0)), rho_b(0) = (1/n) sum_j rho_j(0).
    They must agree for EVERY rho(0), product or correlated: the marginal of
    exp(Abar t) X obeys d/dt X_1 = Lbar X_1 (the other sites' terms are trace preserving),
    and the marginal of P_*(rho(0)) is the average of the marginals of rho(0).
    For a PI product state sigma^{(x)n} the lifted state is moreover exactly
    rho_b(t)^{(x)n} (exp(Abar t) = exp(Lbar t)^{(x)n} preserves product form).
    """
    from blendsym.blended import blended_reduced_state

    b = blended_reduced_state(net)
    c = blended_coherent(net)
    times = np.array([0.0, 0.5, 2.0, 6.0])
    rho = data.draw(density_matrices(net.n, kind="any"))
    marg0 = sum(partial_trace(rho, [j]) for j in range(1, net.n + 1)) / net.n
    rho_b = b.evolve(marg0, times)
    lifted = c.evolve(rho, times)
    for j in range(1, net.n + 1):
        assert np.allclose(partial_trace(lifted, [j]), rho_b, atol=1e-9)
    sigma = data.draw(density_matrices(1, kind="any"))
    prod = sigma
    for _ in range(net.n - 1):
        prod = np.kron(prod, sigma)
    lifted = c.evolve(prod, times)
    rho_b = b.evolve(sigma, times)
    for s, r in zip(lifted, rho_b, strict=True):
        want = r
        for _ in range(net.n - 1):
            want = np.kron(want, r)
        assert np.allclose(s, want, atol=1e-9)


def test_separable_marginals_differ_from_printed_definition1():
    """With dissipation, Definition 1 as printed (D(Lbar_l), Lbar_l = L_l/n) is not what the
    coherent dynamics reduces to: the marginals follow (1/n) sum_j L_j instead."""
    from blendsym.blended import blended_reduced_state

    net = QuantumNetwork(3, [(1, 2), (2, 3)], sigma_z(1), [sigma_minus(2)])
    b = blended_reduced_state(net)
    c = blended_coherent(net)
    rho = np.zeros((8, 8), dtype=complex)
    rho[7, 7] = 1.0
    times = np.array([0.0, 2.0])
    marg = partial_trace(c.evolve(rho, times), [1])
    printed = np.array(sympy.Matrix(b.printed_generator()).evalf().tolist(), dtype=complex)
    x = scipy.linalg.expm(printed * 2.0) @ np.diag([0.0, 1.0]).ravel()
    assert np.allclose(marg, b.evolve(np.diag([0.0, 1.0]), times), atol=1e-10)
    assert not np.allclose(marg[1].ravel(), x, atol=1e-3)


def test_inseparable_marginals_do_not_follow_an_average(ex3):
    """For Example 3 the qubit marginal of the lifted coherent state is not generated by any
    closed single-qubit equation from rho_b(0) alone: two PI initial states with the same
    marginals give different marginal trajectories."""
    net, _, c = ex3
    # |W><W| and the classical mixture with the same marginals
    w = np.zeros(8, dtype=complex)
    w[[1, 2, 4]] = 1 / np.sqrt(3)
    rho_w = np.outer(w, w.conj())
    rho_mix = np.diag(np.diag(rho_w))
    assert np.allclose(partial_trace(rho_w, [1]), partial_trace(rho_mix, [1]))
    times = np.array([0.0, 1.0])
    m_w = partial_trace(c.evolve(rho_w, times), [1])
    m_mix = partial_trace(c.evolve(rho_mix, times), [1])
    assert np.abs(m_w[1] - m_mix[1]).max() > 1e-3


# ----------------------------------------------------------------------------- misc


def test_disconnected_graph_projects_onto_block_symmetric_subspace():
    net = QuantumNetwork(3, [(1, 2)], sigma_z(3) + sigma_x(1), [sigma_minus(1)])
    c = blended_coherent(net)
    assert c.p == math.comb(5, 3) * math.comb(4, 3)
    rho = np.zeros((8, 8), dtype=complex)
    rho[1, 1] = 1.0  # |001>: invariant under swapping 1, 2 but not P_*-invariant
    assert np.allclose(c.lift(c.project(rho)), rho)
    assert not is_permutation_invariant(rho)


def test_bad_input():
    with pytest.raises(InvalidArgumentError):
        blended_coherent("not a network")
    net, rho0 = example3()
    c = BlendedCoherent(net)
    with pytest.raises(BlendsymError):
        c.evolve(np.eye(8), [0.0, 1.0])  # trace 8
    with pytest.raises(BlendsymError):
        c.evolve(rho0, [1.0, 0.0])
    with pytest.raises(BlendsymError):
        c.evolve_coordinates(np.ones(3), [0.0])
    with pytest.raises(BlendsymError):
        c.lift(np.ones(5))
    with pytest.raises(BlendsymError):
        permutation_averaged_network(3)


def test_printed_p_m_give_a_different_generator(ex3):
    r"""Definition 2 with the vectors p_m as printed ([p_m]_k = 1/|V_m|) is
    Phat^T A_d Phat = D^{-1/2} B D^{-1/2}, not similar to B: its spectrum differs (slowest
    decay -0.0115 instead of -0.0469 for Example 3) and its lift Phat y_d does not start at
    P_*(rho0)."""
    from blendsym.induced import printed_p_m

    net, rho0, c = ex3
    phat = printed_p_m(c.induced).toarray()
    a = net.local_liouvillian("scipy").toarray()
    ev_printed = np.sort(np.linalg.eigvals(phat.T @ a @ phat).real)
    ev = np.sort(np.linalg.eigvals(c.generator_numeric()).real)
    assert abs(ev[-3] + 0.0468787513878417) < 1e-9
    assert abs(ev_printed[-3] - ev[-3]) > 0.03
    rho = _dense(rho0)
    start = (phat @ (phat.T @ rho.ravel())).reshape(8, 8)
    assert not np.allclose(start, permutation_invariant_projection(rho), atol=1e-3)


# ----------------------------------------------------------------------------- Example 3 spectrum


def test_example3_spectral_data(ex3):
    r"""Exact spectral data of B for Example 3.

    chi_B = lambda^2 q_3 q_15 over Q(sqrt10) with q_3 = lambda^3 + 9/50 lambda^2
    + 160789/40000 lambda + 160637/800000 - sqrt(10)/250; the double eigenvalue 0 has two
    Jordan blocks of size 1 (kernel of dimension 2: the J = 3/2 and J = 1/2 sectors of the
    collective, permutation-averaged model), every other eigenvalue is simple with Re < 0.
    So m_d = 0, B is NOT relaxing, and mu_d = 0.0468787513878417 is the real root of q_3."""
    net, _, c = ex3
    spec = c.spectral
    factors = sorted(((q.degree(), m, blocks) for q, m, blocks in c.jordan_structure_by_factor()))
    assert factors == [(1, 2, [1, 1]), (3, 1, [1]), (15, 1, [1])]
    lam = sympy.Symbol("lambda")
    r10 = sympy.sqrt(10)
    q3 = (
        lam**3
        + sympy.Rational(9, 50) * lam**2
        + sympy.Rational(160789, 40000) * lam
        + sympy.Rational(160637, 800000)
        - r10 / 250
    )
    cubic = next(q for q, _, _ in c.jordan_structure_by_factor() if q.degree() == 3)
    assert sympy.expand(cubic.as_expr().subs(cubic.gen, lam) - q3) == 0
    assert spec.f_degree == 0 and spec.largest_block_on_imaginary_axis == 1
    assert len(spec.kernel) == 2 and not c.is_relaxing()
    # the exact algebra ran on the radical-free consensus generator; the kernel is B's, exactly
    assert spec.similar is not None and "sqrt(2)" not in spec.field and "sqrt(3)" not in spec.field
    assert spec.matrix == c.generator
    for v in spec.kernel:
        assert all(sympy.expand(sympy.radsimp(x)) == 0 for x in c.generator * v)
    mu = c.mu
    assert abs(float(sympy.N(mu, 30)) - 0.0468787513878417) < 1e-13
    assert abs(complex(sympy.N(q3.subs(lam, -mu), 40))) < 1e-30
    # independent oracle: the numeric spectrum
    ev = np.linalg.eigvals(c.generator_numeric())
    assert np.sum(np.abs(ev) < 1e-10) == 2
    assert np.max(ev.real[np.abs(ev) > 1e-10]) < -0.046
    # the two lifted steady states: Hermitian, trace one, stationary under Abar; the first one
    # (the J = 1/2 sector state) is a density operator, the second spans the rest
    abar = permutation_averaged_network(net).local_liouvillian("scipy")
    states = c.steady_states()
    assert len(states) == 2
    for r in states:
        x = _dense(r)
        assert abs(np.trace(x) - 1) < 1e-12 and np.abs(x - x.conj().T).max() < 1e-12
        assert np.abs(abar @ x.ravel()).max() < 1e-12
        assert is_permutation_invariant(x)
    assert np.linalg.eigvalsh(_dense(states[0])).min() > -1e-12


def test_example3_long_time_disagreement(ex3):
    """B is not relaxing while the network (4) has a unique steady state for K_c > 0: the
    lifted coherent trajectory keeps the initial weights of the two stationary sectors, the
    network mixes them at rate O(1/K_c).  The distance therefore does NOT stay O(1/K_c) as
    t -> infinity: about 0.23-0.29 for K_c in {10, 40, 160} at t = 10^4.  Theorem 3's finite
    T_2 is essential here, even though m_d = 0."""
    net, rho0, c = ex3
    times = np.array([0.0, 1e4])
    lifted = c.evolve(rho0, times)[-1]
    for kc, lo in ((10.0, 0.25), (40.0, 0.23), (160.0, 0.2)):
        final = simulate(net, rho0, times, kc=kc).states[-1]
        assert np.linalg.norm(final - lifted) > lo


# ----------------------------------------------------------------------------- figures 6-7


def test_figures_6_7_data_and_drawing(tmp_path):
    from blendsym.paper.figures_section5 import (
        draw_figure6,
        draw_figure7,
        figure6_data,
        figure7_data,
    )

    times = np.linspace(0.0, 4.0, 41)
    d6 = figure6_data([1.0, 40.0], times)
    d7 = figure7_data([1.0, 40.0], times)
    for d in (d6, d7):
        assert d["distance"].shape == (2, 41) and d["eta"] == 0.01
        assert np.allclose(d["distance"][:, 0], math.sqrt(2) / 6)  # C at t = 0
    # larger gain, smaller distance after the transient (Theorems 3-4)
    late = times >= 1.0
    assert d6["distance"][1, late].max() < d6["distance"][0, late].max() / 5
    assert d7["distance"][1, late].max() < 0.01 < d7["distance"][0, late].max()
    for draw, d, name in ((draw_figure6, d6, "f6.png"), (draw_figure7, d7, "f7.png")):
        path = tmp_path / name
        assert draw(d, path) == path
        assert path.stat().st_size > 1000
    with pytest.raises(BlendsymError):
        figure6_data([0.0], times)
