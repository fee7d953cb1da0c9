"""Numeric propagation of eq. (4): QuTiP oracle, closed forms, positivity at large K_c."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import qutip
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.errors import BlendsymError
from blendsym.testing import (
    density_matrices,
    inseparable_networks,
    positive_rationals,
    separable_networks,
    single_qubit_density_matrices,
)

R = sympy.Rational

_QT = {"X": qutip.sigmax, "Y": qutip.sigmay, "Z": qutip.sigmaz}
_NP = {
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}


def qutip_operator(op: bs.SiteOperator, n: int) -> qutip.Qobj:
    """A site operator built in QuTiP from its Pauli terms (independent of ``to_matrix``)."""
    out = 0 * qutip.tensor([qutip.qeye(2)] * n)
    for key, c in op.terms.items():
        paulis = dict(key)
        out = out + complex(c) * qutip.tensor(
            [_QT[paulis[i]]() if i in paulis else qutip.qeye(2) for i in range(1, n + 1)]
        )
    return out


def swap_reference(j: int, k: int, n: int) -> np.ndarray:
    """U_jk = (I + X_j X_k + Y_j Y_k + Z_j Z_k)/2."""

    def on(p):
        return functools.reduce(
            np.kron, [_NP[p] if i in (j, k) else np.eye(2) for i in range(1, n + 1)]
        )

    return (np.eye(2**n) + on("X") + on("Y") + on("Z")).real / 2


def qutip_solution(net: bs.QuantumNetwork, rho0: np.ndarray, times, kc) -> list[np.ndarray]:
    n = net.n
    dims = [[2] * n, [2] * n]
    h = qutip_operator(net.hamiltonian, n) / float(net.hbar)
    c_ops = [np.sqrt(float(g)) * qutip_operator(l_op, n) for g, l_op in net.jumps]
    for j, k, a in net.graph.edges:
        c_ops.append(np.sqrt(float(kc) * float(a)) * qutip.Qobj(swap_reference(j, k, n), dims=dims))
    res = qutip.mesolve(
        h,
        qutip.Qobj(rho0, dims=dims),
        np.asarray(times, dtype=float),
        c_ops,
        options={"atol": 1e-12, "rtol": 1e-10, "nsteps": 100000, "progress_bar": False},
    )
    return [s.full() for s in res.states]


def assert_physical(states: np.ndarray, tol: float = 1e-10) -> None:
    for rho in states:
        np.testing.assert_allclose(rho, rho.conj().T, atol=tol)
        assert abs(np.trace(rho) - 1) < tol
        assert np.linalg.eigvalsh((rho + rho.conj().T) / 2).min() >= -tol


models = st.one_of(
    separable_networks(min_n=2, max_n=3, coupling=positive_rationals(5, 2)),
    inseparable_networks(max_n=3, coupling=positive_rationals(5, 2)),
)


# ----------------------------------------------------------------------------- QuTiP oracle


@settings(max_examples=8)
@given(models, st.data())
def test_simulate_matches_qutip_mesolve(net, data):
    rho0 = data.draw(density_matrices(net.n))
    times = np.linspace(0.0, 2.0, 5)
    traj = bs.simulate(net, rho0, times)
    expected = qutip_solution(net, rho0, times, net.coupling)
    for t, (got, ref) in enumerate(zip(traj.states, expected, strict=True)):
        np.testing.assert_allclose(got, ref, atol=1e-8, err_msg=f"t={times[t]}")


@settings(max_examples=5)
@given(separable_networks(min_n=2, max_n=3), st.data())
def test_simulate_matches_qutip_with_kc_override_and_exact_state(net, data):
    """Symbolic K_c in the network, numeric kc at simulation; exact SymPy initial state."""
    rho0 = data.draw(density_matrices(net.n, kind="product", exact=True))
    times = [0.0, 0.3, 1.1, 1.5]
    traj = bs.simulate(net, rho0, times, kc=R(5, 2))
    rho_np = np.array(rho0.evalf().tolist(), dtype=complex)
    np.testing.assert_allclose(traj.states[0], rho_np, atol=1e-14)
    expected = qutip_solution(net, rho_np, times, 2.5)
    np.testing.assert_allclose(traj.states, np.array(expected), atol=1e-8)


# ----------------------------------------------------------------------------- methods agree

_time_grids = {
    "uniform": np.linspace(0, 3, 7),
    "uniform-late-start": np.linspace(0.5, 2.5, 5),
    "non-uniform": np.array([0.0, 0.01, 0.3, 0.31, 2.0]),
    "repeated": np.array([0.0, 0.0, 1.0, 1.0, 2.0]),
    "single": np.array([1.7]),
    "two": np.array([0.2, 1.0]),
}


@pytest.mark.parametrize("grid", sorted(_time_grids))
@settings(max_examples=5)
@given(net=models, data=st.data())
def test_dense_and_expm_multiply_agree(grid, net, data):
    rho0 = data.draw(density_matrices(net.n))
    times = _time_grids[grid]
    dense = bs.simulate(net, rho0, times, method="dense")
    krylov = bs.simulate(net, rho0, times, method="expm_multiply")
    assert dense.method == "dense" and krylov.method == "expm_multiply"
    assert dense.states.shape == krylov.states.shape == (len(times), net.dim, net.dim)
    np.testing.assert_allclose(dense.states, krylov.states, atol=1e-9)
    auto = bs.simulate(net, rho0, times)
    np.testing.assert_allclose(auto.states, dense.states, atol=1e-12)
    # the time grid is honoured: the state at t equals one step exp(L t) rho0
    last = bs.simulate(net, rho0, [times[-1]], method="dense").states[-1]
    np.testing.assert_allclose(dense.states[-1], last, atol=1e-9)


# ----------------------------------------------------------------------------- positivity


@pytest.mark.parametrize("kc", [1, 100, 1000])
@settings(max_examples=5)
@given(
    net=st.one_of(
        separable_networks(min_n=2, max_n=3),
        inseparable_networks(max_n=3),
    ),
    data=st.data(),
)
def test_states_stay_physical_for_large_gains(kc, net, data):
    rho0 = data.draw(density_matrices(net.n, kind=data.draw(st.sampled_from(["pure", "any"]))))
    times = np.linspace(0.0, 5.0, 11)
    traj = bs.simulate(net, rho0, times, kc=kc)
    assert_physical(traj.states)


def _example3_like(n: int, kc) -> bs.QuantumNetwork:
    h = sum((bs.sigma_z(j) for j in range(1, n + 1)), bs.SiteOperator({}))
    jumps = [(R(1, 2), bs.sigma_minus(j)) for j in range(1, n + 1)]
    return bs.QuantumNetwork(n, bs.complete_graph(n), h, jumps, coupling=kc)


def test_kc_1000_stays_physical_and_reaches_consensus():
    net = _example3_like(3, 1000)
    rho0 = bs.product_state("1", "+", "0")
    times = np.linspace(0.0, 5.0, 51)
    traj = bs.simulate(net, rho0, times)
    assert_physical(traj.states)
    krylov = bs.simulate(net, rho0, times, method="expm_multiply")
    np.testing.assert_allclose(krylov.states, traj.states, atol=1e-8)
    # strong diffusive coupling: the reduced states agree up to O(1/K_c) after a short transient
    late = times >= 0.05
    r1, r2, r3 = (traj.reduced(j)[late] for j in (1, 2, 3))
    assert np.abs(r1 - r2).max() < 1e-2 and np.abs(r2 - r3).max() < 1e-2
    # but not at t = 0
    assert np.abs(traj.reduced(1)[0] - traj.reduced(3)[0]).max() > 0.5


# ----------------------------------------------------------------------------- closed forms


def amplitude_damping(rho0: np.ndarray, omega: float, gamma: float, t: np.ndarray) -> np.ndarray:
    r"""H = (omega/2) sigma_z, L = sqrt(gamma) sigma_- with sigma_- = |0><1| (paper's matrices):

    rho_11(t) = rho_11 e^{-gamma t}, rho_00 = 1 - rho_11,
    rho_01(t) = rho_01 e^{-(i omega + gamma/2) t}.
    """
    out = np.empty((len(t), 2, 2), dtype=complex)
    p1 = rho0[1, 1].real * np.exp(-gamma * t)
    c = rho0[0, 1] * np.exp(-(1j * omega + gamma / 2) * t)
    out[:, 1, 1] = p1
    out[:, 0, 0] = 1 - p1
    out[:, 0, 1] = c
    out[:, 1, 0] = np.conj(c)
    return out


omegas = st.sampled_from([R(0), R(1), R(-3, 2), R(5)])
gammas = positive_rationals(3, 2)
hbars = st.sampled_from([R(1), R(1, 2), R(2)])


@settings(max_examples=10)
@given(single_qubit_density_matrices(), omegas, gammas, hbars)
def test_single_qubit_amplitude_damping_closed_form(rho0, omega, gamma, hbar):
    net = bs.QuantumNetwork(
        1, [], omega / 2 * bs.sigma_z(1), [(gamma, bs.sigma_minus(1))], coupling=1, hbar=hbar
    )
    times = np.linspace(0, 4, 9)
    traj = bs.simulate(net, rho0, times)
    expected = amplitude_damping(rho0, float(omega / hbar), float(gamma), times)
    np.testing.assert_allclose(traj.states, expected, atol=1e-12)
    # the excited population of the paper's sigma_- decays to |0>
    assert traj.states[-1][1, 1].real <= rho0[1, 1].real + 1e-12


@settings(max_examples=10)
@given(single_qubit_density_matrices(), omegas, gammas, positive_rationals(50, 1))
def test_identical_qubits_product_state_closed_form(rho1, omega, gamma, kc):
    """Two identical qubits from rho1 x rho1: the SWAP term vanishes, rho(t) = rho1(t) x rho1(t)."""
    h = omega / 2 * (bs.sigma_z(1) + bs.sigma_z(2))
    jumps = [(gamma, bs.sigma_minus(1)), (gamma, bs.sigma_minus(2))]
    net = bs.QuantumNetwork(2, [(1, 2, 3)], h, jumps, coupling=kc)
    times = np.linspace(0, 3, 7)
    traj = bs.simulate(net, np.kron(rho1, rho1), times)
    single = amplitude_damping(rho1, float(omega), float(gamma), times)
    expected = np.array([np.kron(s, s) for s in single])
    np.testing.assert_allclose(traj.states, expected, atol=1e-11)
    for j in (1, 2):
        np.testing.assert_allclose(traj.reduced(j), single, atol=1e-11)


@pytest.mark.parametrize("kc,a", [(1, 1), (7, R(1, 2)), (1000, 2)])
def test_pure_swap_closed_form(kc, a):
    r"""H = 0, no jumps, one edge: D(U)^2 = -2 D(U), so
    rho(t) = rho + (1 - e^{-2 K_c a t}) / 2 (U rho U - rho)."""
    rng = np.random.default_rng(7)
    m = rng.normal(size=(8, 8)) + 1j * rng.normal(size=(8, 8))
    rho0 = m @ m.conj().T
    rho0 /= np.trace(rho0).real
    net = bs.QuantumNetwork(3, [(1, 3, a)], coupling=kc)
    u = swap_reference(1, 3, 3)
    times = np.array([0.0, 1e-4, 1e-3, 0.01, 0.1, 1.0, 5.0])
    for method in ("dense", "expm_multiply"):
        traj = bs.simulate(net, rho0, times, method=method)
        for t, rho in zip(times, traj.states, strict=True):
            f = (1 - np.exp(-2 * kc * float(a) * t)) / 2
            np.testing.assert_allclose(
                rho, rho0 + f * (u @ rho0 @ u - rho0), atol=1e-10, err_msg=f"{method} t={t}"
            )


# regression: the dense propagator used to reuse exp(L h) for any step within an ABSOLUTE
# 1e-12 of h, so steps of 1.0e-12 and 1.5e-12 shared one exponential (SI units: a 5 GHz
# qubit sampled in picoseconds got a phase error of 8e-3 rad at t = 2.5 ps)
def test_dense_method_small_non_uniform_steps_si_units():
    omega, gamma = 2 * np.pi * 5e9, 1e6  # rad/s and 1/s
    net = bs.QuantumNetwork(
        1, [], omega / 2 * bs.sigma_z(1), [(gamma, bs.sigma_minus(1))], coupling=1
    )
    rho0 = np.full((2, 2), 0.5, dtype=complex)
    times = np.array([0.0, 1.0e-12, 2.5e-12])
    expected = amplitude_damping(rho0, omega, gamma, times)
    np.testing.assert_allclose(
        bs.simulate(net, rho0, times, method="expm_multiply").states, expected, atol=1e-10
    )
    np.testing.assert_allclose(
        bs.simulate(net, rho0, times, method="dense").states, expected, atol=1e-10
    )


# ----------------------------------------------------------------------------- the trajectory


@settings(max_examples=8)
@given(separable_networks(min_n=1, max_n=3, coupling=2), st.data())
def test_trajectory_shapes_and_reductions(net, data):
    rho0 = data.draw(density_matrices(net.n))
    times = np.array([0.0, 0.5, 1.0, 2.0])
    traj = bs.simulate(net, rho0, times)
    assert len(traj) == 4 and traj.n == net.n
    np.testing.assert_array_equal(traj.times, times)
    assert traj.states.shape == (4, net.dim, net.dim)
    np.testing.assert_allclose(traj.states[0], rho0, atol=1e-14)
    for j in range(1, net.n + 1):
        red = traj.reduced(j)
        assert red.shape == (4, 2, 2)
        q = [qutip.Qobj(s, dims=[[2] * net.n] * 2).ptrace(j - 1).full() for s in traj.states]
        np.testing.assert_allclose(red, np.array(q), atol=1e-12)
        b = traj.bloch(j)
        assert b.shape == (4, 3)
        np.testing.assert_allclose(b[:, 2], (red[:, 0, 0] - red[:, 1, 1]).real, atol=1e-12)
        np.testing.assert_allclose(b[:, 0], 2 * red[:, 0, 1].real, atol=1e-12)
        np.testing.assert_allclose(b[:, 1], -2 * red[:, 0, 1].imag, atol=1e-12)
        np.testing.assert_allclose(traj.bloch(j, convention="paper"), b / 2, atol=1e-15)
        assert np.all(np.linalg.norm(b, axis=1) <= 1 + 1e-9)


def test_scalar_time_and_time_zero():
    net = _example3_like(2, 3)
    rho0 = bs.product_state("1", "0")
    traj = bs.simulate(net, rho0, 0.0)
    assert traj.states.shape == (1, 4, 4)
    np.testing.assert_allclose(traj.states[0], np.array(rho0.tolist(), dtype=complex))


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs,fragment",
    [
        ({"times": [-1.0, 1.0]}, "non-negative"),
        ({"times": [0.0, 2.0, 1.0]}, "non-decreasing"),
        ({"times": [0.0, np.nan]}, "finite"),
        ({"times": [0.0, np.inf]}, "finite"),
        ({"times": []}, "non-empty"),
        ({"times": [[0.0, 1.0]]}, "1-D"),
        ({"times": ["a"]}, "times"),
        ({"method": "rk45"}, "method"),
        ({"kc": -1}, "kc"),
        ({"kc": 0}, "kc"),
    ],
)
def test_simulate_bad_arguments(kwargs, fragment):
    net = _example3_like(2, 3)
    args = {"net": net, "rho0": np.eye(4) / 4, "times": [0.0, 1.0]}
    args.update(kwargs)
    with pytest.raises(BlendsymError) as exc:
        bs.simulate(**args)
    assert fragment in str(exc.value)


def test_simulate_needs_numeric_gain_and_a_network():
    net = bs.QuantumNetwork(2, [(1, 2)], bs.sigma_z(1))
    with pytest.raises(BlendsymError, match="K_c"):
        bs.simulate(net, np.eye(4) / 4, [0, 1])
    with pytest.raises(BlendsymError, match="net must be a QuantumNetwork"):
        bs.simulate("net", np.eye(4) / 4, [0, 1])
    g = sympy.Symbol("g", positive=True)
    net = bs.QuantumNetwork(2, [(1, 2)], 0, [(g, bs.sigma_minus(1))], coupling=1)
    with pytest.raises(BlendsymError, match="jumps\\[0\\] rate"):
        bs.simulate(net, np.eye(4) / 4, [0, 1])


@pytest.mark.parametrize("j", [0, 3, 1.0, True])
def test_trajectory_bad_qubit(j):
    traj = bs.simulate(_example3_like(2, 1), np.eye(4) / 4, [0, 1])
    with pytest.raises(BlendsymError, match="j must be a qubit index in 1..2"):
        traj.reduced(j)
    with pytest.raises(BlendsymError, match="j must be"):
        traj.bloch(j)
