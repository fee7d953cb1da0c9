"""Evolution and stationary states of Definition 2 in the PI coordinates: against dense
exponentials, the lifted 2^n trajectory, QuTiP's PIQS (permutation-invariant models), and the
full network (4) at large K_c (Theorem 3)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import sympy
from hypothesis import given, settings

import blendsym as bs
from blendsym.errors import BlendsymError, NotComputableError
from blendsym.model.permutations import is_permutation_invariant
from blendsym.paper import example3
from blendsym.section5 import pi_dynamics
from blendsym.testing import k_local_networks

qutip = pytest.importorskip("qutip")
pytest.importorskip("qutip.piqs")
from qutip import piqs  # noqa: E402 (the module attribute holds jspin, Dicke, ...)


def _dense(m) -> np.ndarray:
    return np.array(sympy.Matrix(m).evalf().tolist(), dtype=complex)


# ----------------------------------------------------------------------------- propagation


@pytest.mark.parametrize("hermitian", [True, False])
def test_krylov_real_and_complex_routes_match_dense_exponentials(hermitian):
    """n = 6 (p = 84): the Krylov propagator (real coordinates (PI.6) for a Hermitian start,
    complex otherwise) agrees with expm of the dense generator to 1e-9."""
    net, _ = example3(n=6, numeric=True, normalization="kac")
    c = bs.blended_coherent(net, basis="pi")
    rng = np.random.default_rng(5)
    y0 = rng.normal(size=c.p) + 1j * rng.normal(size=c.p)
    if hermitian:
        y0 = y0 + y0[c.pi_basis.adjoint].conj()
    y0 /= np.linalg.norm(y0)
    times = np.linspace(0.0, 5.0, 11)
    b = c.generator_numeric(sparse=False)
    want = np.array([scipy.linalg.expm(b * t) @ y0 for t in times])
    tr = c.trajectory(y0, times, method="krylov", tol=1e-11)
    assert tr.info["real_coordinates"] is hermitian
    assert np.abs(tr.coordinates - want).max() < 1e-9
    assert np.abs(c.evolve_coordinates(y0, times) - want).max() < 1e-12  # dense route


def test_real_form_is_the_generator_on_hermitian_coordinates():
    net, _ = example3(n=7, numeric=True, normalization="kac")
    c = bs.blended_coherent(net, basis="pi")
    rng = np.random.default_rng(1)
    y = rng.normal(size=c.p) + 1j * rng.normal(size=c.p)
    y = y + y[c.pi_basis.adjoint].conj()
    r = pi_dynamics.to_real(c.pi_basis, y)
    assert np.allclose(pi_dynamics.from_real(c.pi_basis, r), y)
    assert abs(np.linalg.norm(r) - np.linalg.norm(y)) < 1e-12  # (PI.6) is an isometry
    z = c.generator_numeric() @ y
    assert np.abs(c.generator_real() @ r - pi_dynamics.to_real(c.pi_basis, z)).max() < 1e-12
    # the full route builds the same real form from its dense B
    full = bs.blended_coherent(example3(n=4, numeric=True)[0], basis="full")
    pi = bs.blended_coherent(example3(n=4, numeric=True)[0], basis="pi")
    assert abs(full.generator_real() - pi.generator_real()).max() < 1e-14


@settings(max_examples=8)
@given(net=k_local_networks(2, 4, max_locality=3))
def test_lifted_evolution_is_physical_and_observables_agree(net):
    """From a non-PI product state: the trajectory's observables equal those of the lifted
    operator; the lift has trace one, is Hermitian, positive and PI (Definition 2 is the
    evolution of Abar from P_*(rho0))."""
    c = bs.blended_coherent(net, basis="pi")
    n = net.n
    fs = [np.diag([1.0, 0.0]), np.array([[0.5, 0.5j], [-0.5j, 0.5]]), np.diag([0.3, 0.7])]
    state = bs.product_state([fs[j % 3] for j in range(n)], lazy=True)
    times = np.linspace(0.0, 3.0, 4)
    op = bs.sigma_x(1) * bs.sigma_y(n) + bs.sigma_z(1) if n > 1 else bs.sigma_z(1)
    tr = c.trajectory(
        state,
        times,
        observables={"Jz": "Jz", "op": op, "purity": "purity", "rho1": "rho1", "trace": "trace"},
    )
    lifted = c.evolve(state.dense(), times)
    jz = 0.5 * bs.sum_sites(bs.sigma_z, n).to_numpy(n)
    for i, x in enumerate(lifted):
        assert abs(np.trace(x) - 1) < 1e-10 and np.abs(x - x.conj().T).max() < 1e-10
        assert np.linalg.eigvalsh((x + x.conj().T) / 2).min() > -1e-9
        assert is_permutation_invariant(x, tol=1e-9)
        assert abs(tr.observables["Jz"][i] - np.trace(jz @ x).real) < 1e-10
        assert abs(tr.observables["op"][i] - np.trace(op.to_numpy(n) @ x)) < 1e-10
        assert abs(tr.observables["purity"][i] - np.trace(x @ x).real) < 1e-10
        assert np.abs(tr.observables["rho1"][i] - bs.partial_trace(x, [1])).max() < 1e-10
        assert abs(tr.observables["trace"][i] - 1) < 1e-10
    assert np.abs(tr.reduced(1) - tr.observables["rho1"]).max() < 1e-14
    assert np.allclose(tr.expectation(op), tr.observables["op"])


def test_observables_only_trajectory_and_bad_input():
    net, rho0 = example3(n=14, numeric=True, normalization="kac")
    c = bs.blended_coherent(net)
    tr = c.trajectory(
        rho0, [0.0, 0.2], observables=["Jz", "concurrence"], keep_coordinates=False, method="krylov"
    )
    assert tr.coordinates is None and tr.observables["Jz"].shape == (2,)
    with pytest.raises(NotComputableError, match="did not keep"):
        tr.reduced(1)
    with pytest.raises(BlendsymError, match="observable"):
        c.trajectory(rho0, [0.0], observables=["magnetisation"])
    with pytest.raises(BlendsymError, match="length p"):
        c.evolve_coordinates(np.ones(4), [0.0])
    with pytest.raises(BlendsymError, match="method"):
        c.trajectory(rho0, [0.0], method="rk4")


# ----------------------------------------------------------------------------- stationary states


def test_stationary_states_of_example3_match_the_exact_kernel():
    """Example 3 (n = 3): the numeric kernel of B (SVD) is two-dimensional and spans the exact
    steady states of BlendedCoherent.steady_states()."""
    net, _ = example3()
    c = bs.blended_coherent(net, basis="pi")
    states, info = c.stationary_states()
    assert info["kernel_dimension"] == 2 == c.kernel_dimension()
    exact = [c.project(_dense(s)) for s in c.steady_states()]
    basis = np.array(exact).T
    for y in states:
        coef, *_ = np.linalg.lstsq(basis, y, rcond=None)
        assert np.abs(basis @ coef - y).max() < 1e-10
        assert abs(c.trace(y) - 1) < 1e-10
        assert np.abs(c.generator_numeric() @ y).max() < 1e-10


def test_shift_invert_kernel(monkeypatch):
    """The sparse shift-invert route (forced at n = 8) finds the n/2 + 1 = 5 collective J
    sectors of Example 3, as the dense SVD does."""
    net, _ = example3(n=8, numeric=True)
    c = bs.blended_coherent(net, basis="pi")
    dense_states, dense_info = c.stationary_states()
    monkeypatch.setattr(pi_dynamics, "DENSE_KERNEL_MAX_P", 10)
    states, info = c.stationary_states()
    assert info["method"] == "shift-invert"
    assert info["kernel_dimension"] == dense_info["kernel_dimension"] == 5
    b = c.generator_numeric()
    basis = np.array(dense_states).T
    for y in states:
        assert np.abs(b @ y).max() < 1e-9
        coef, *_ = np.linalg.lstsq(basis, y, rcond=None)
        assert np.abs(basis @ coef - y).max() < 1e-8


# ----------------------------------------------------------------------------- PIQS


def _pi_model(n, omega=0.7, g=0.3, emission=0.4, dephasing=0.2, collective=0.5):
    r"""H = omega sum sigma_z + g sum sigma_x, local emission (the paper's sigma_+ =
    |1><0| lowers sigma_z), local dephasing, collective emission; and the same in PIQS:
    sum_j sigma_a = 2 J_a, PIQS `dephasing` gamma is D[sigma_z] at rate gamma/4."""
    h = omega * bs.sum_sites(bs.sigma_z, n) + g * bs.sum_sites(bs.sigma_x, n)
    jumps = [(emission, bs.sigma_plus(j)) for j in range(1, n + 1)]
    jumps += [(dephasing / 4, bs.sigma_z(j)) for j in range(1, n + 1)]
    jumps.append((collective, bs.sum_sites(bs.sigma_plus, n)))
    net = bs.QuantumNetwork(n, bs.complete_graph(n), h, jumps, coupling=1)
    jx, _, jz = piqs.jspin(n)
    dicke = piqs.Dicke(
        n,
        hamiltonian=2 * omega * jz + 2 * g * jx,
        emission=emission,
        dephasing=dephasing,
        collective_emission=collective,
    )
    return net, dicke


def _piqs_steady_state(dicke, n):
    """PIQS's steady state: the null vector of its Liouvillian restricted to the entries inside
    the j blocks (``piqs.block_matrix``; the full Dicke-basis matrices also hold entries between
    different j, which no physical state uses and which enlarge the kernel), trace one."""
    mask = piqs.block_matrix(n).toarray().astype(bool)
    idx = np.flatnonzero(mask.ravel(order="F"))  # QuTiP's vec stacks columns
    sub = dicke.liouvillian().full()[np.ix_(idx, idx)]
    _, sv, vh = np.linalg.svd(sub)
    assert sv[-1] < 1e-8 * sv[0] < sv[-2]  # one-dimensional
    vec = np.zeros(dicke.nds**2, dtype=complex)
    vec[idx] = vh[-1].conj()
    rho = vec.reshape((dicke.nds, dicke.nds), order="F")
    return qutip.Qobj(rho / np.trace(rho))


@pytest.mark.parametrize("n", [4, 8, 12])
def test_pi_model_against_piqs(n):
    r"""A PI model started in a PI state never leaves the PI subspace, so Definition 2 is its
    exact dynamics: <J_z>(t), <J_+J_->(t) (PIQS's J_+ raises J_z: sum_j sigma_-^{(j)} here) and
    the steady state agree with PIQS (Liouvillian in the Dicke basis + mesolve)."""
    net, dicke = _pi_model(n)
    c = bs.blended_coherent(net)
    amps = {0: np.sqrt(0.6), 2: np.sqrt(0.4)}
    state = bs.DickeState(n, amps)
    jpjm = bs.sum_sites(bs.sigma_minus, n) * bs.sum_sites(bs.sigma_plus, n)
    times = np.linspace(0.0, 4.0, 21)
    tr = c.trajectory(state, times, observables={"Jz": "Jz", "JpJm": jpjm}, tol=1e-11)
    j = n / 2
    a, b = np.sqrt(0.6), np.sqrt(0.4)
    rho0 = piqs.dicke_basis(
        n, {(j, j, j): a * a, (j, j - 2, j - 2): b * b, (j, j, j - 2): a * b, (j, j - 2, j): a * b}
    )
    _, _, jz = piqs.jspin(n)
    jp = piqs.jspin(n, "+")
    res = qutip.mesolve(
        dicke.liouvillian(),
        rho0,
        times,
        [],
        e_ops=[jz, jp * jp.dag()],
        options={"atol": 1e-12, "rtol": 1e-10, "nsteps": 100000},
    )
    # PIQS's dissipators carry a ~1e-8 relative error of their own (see docs/performance.md)
    assert np.abs(tr.observables["Jz"] - np.real(res.expect[0])).max() < 1e-6
    assert np.abs(tr.observables["JpJm"] - np.real(res.expect[1])).max() < 1e-6 * n
    states, info = c.stationary_states()
    assert info["kernel_dimension"] == 1
    ss = _piqs_steady_state(dicke, n)
    assert abs(c.collective_moments(states[0])[0][2].real - qutip.expect(jz, ss)) < 1e-6
    assert abs(c.expectation(jpjm, states[0]).real - qutip.expect(jp * jp.dag(), ss)) < 1e-6 * n


def test_pi_model_n4_against_the_full_space_exactly():
    """The same model at n = 4 against expm of the 256 x 256 local Liouvillian: 1e-13."""
    net, _ = _pi_model(4)
    c = bs.blended_coherent(net, basis="pi")
    state = bs.DickeState(4, {0: np.sqrt(0.6), 2: np.sqrt(0.4)})
    times = np.linspace(0.0, 2.0, 5)
    tr = c.trajectory(state, times, observables=["Jz"])
    a = net.local_liouvillian("scipy").toarray()
    jz = 0.5 * bs.sum_sites(bs.sigma_z, 4).to_numpy(4)
    rho = state.dense().ravel()
    want = [np.trace(jz @ (scipy.linalg.expm(a * t) @ rho).reshape(16, 16)).real for t in times]
    assert np.abs(tr.observables["Jz"] - want).max() < 1e-13


# ----------------------------------------------------------------------------- Theorem 3


def _distances(net, state, kcs, times):
    c = bs.blended_coherent(net, basis="pi")
    lifted = c.evolve(state, times)
    rho0 = state.dense()
    out = []
    for kc in kcs:
        d = np.linalg.norm(bs.simulate(net, rho0, times, kc=kc).states - lifted, axis=(1, 2))
        out.append(d[times >= 0.5].max())
    return np.array(out)


@settings(max_examples=4)
@given(net=k_local_networks(4, 5, max_locality=3, max_h_terms=5, max_jumps=2))
def test_full_network_approaches_the_pi_dynamics_like_one_over_kc(net):
    """Random non-PI models from a non-PI product state: sup_{t in [0.5, 2]} of the distance
    between the network (4) and the lifted Definition 2 trajectory shrinks like 1/K_c."""
    n = net.n
    fs = [np.diag([1.0, 0.0]), np.array([[0.5, 0.5], [0.5, 0.5]]), np.diag([0.2, 0.8])]
    state = bs.product_state([fs[j % 3] for j in range(n)], lazy=True)
    times = np.linspace(0.0, 2.0, 9)
    kcs = np.array([400.0, 800.0, 1600.0])
    d = _distances(net, state, kcs, times)
    slope = np.polyfit(np.log(kcs), np.log(d), 1)[0]
    assert abs(slope + 1) < 0.1, (slope, d)


def test_full_network_n7_approaches_the_pi_dynamics():
    n = 7
    h = bs.sum_operators(
        [
            0.5 * bs.sigma_z(1),
            0.3 * bs.sigma_x(2) * bs.sigma_y(3),
            0.2 * bs.sigma_z(1) * bs.sigma_x(n),
            0.4 * bs.sum_sites(bs.sigma_x, n),
        ]
    )
    jumps = [
        (0.3, bs.sigma_minus(2) + 0.5 * bs.sigma_z(1) * bs.sigma_plus(3)),
        (0.2, bs.sum_sites(bs.sigma_minus, n)),
    ]
    ring = [(j, j + 1) for j in range(1, n)] + [(1, n)]
    net = bs.QuantumNetwork(n, ring, h, jumps)
    fs = [np.diag([1.0, 0.0]), np.array([[0.5, 0.5], [0.5, 0.5]]), np.diag([0.2, 0.8])]
    state = bs.product_state([fs[j % 3] for j in range(n)], lazy=True)
    d = _distances(net, state, [100.0, 400.0], np.linspace(0.0, 2.0, 9))
    assert 3.7 < d[0] / d[1] < 4.3, d
