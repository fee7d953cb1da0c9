"""Theorems 3 and 4 (Section 5.3, Appendices C-D): constants, K_c*, and simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym.bounds.coherent as bc
from blendsym.bounds import (
    coherent_constants,
    local_liouvillian_norm,
    theorem3,
    theorem3_envelope,
    theorem4,
    theorem4_envelope,
)
from blendsym.coherent import blended_coherent
from blendsym.errors import BlendsymError, NotComputableError
from blendsym.evolve import simulate
from blendsym.induced import induced_graph
from blendsym.network import QuantumNetwork
from blendsym.operators import sigma_minus, sigma_x, sigma_z
from blendsym.paper import example3
from blendsym.permutations import permutation_invariant_projection
from blendsym.states import partial_trace
from blendsym.testing import density_matrices, inseparable_networks

ETA, T1, T2 = 0.01, 1.0, 10.0


@pytest.fixture(scope="module")
def ex3():
    net, rho0 = example3()
    return net, rho0


@pytest.fixture(scope="module")
def ex3_theorem3(ex3):
    return theorem3(*ex3, ETA, T1, T2)


@pytest.fixture(scope="module")
def ex3_theorem4(ex3):
    return theorem4(*ex3, ETA, T1)


# ----------------------------------------------------------------------------- constants


def test_example3_constants(ex3, ex3_theorem4):
    r"""C = ||rho0 - P_*(rho0)||_F = sqrt(2)/6 (P_* spreads 1/6, 2/6, 3/6 to 1/3 each),
    lambda_m(Q_d) = lambda_m(K_3) = 3, ||A_d|| = dense 2-norm, p = 20."""
    k = ex3_theorem4.constants
    assert k["p"] == 20
    assert math.isclose(k["C"], math.sqrt(2) / 6, rel_tol=1e-12)
    assert k["lambda_m(Q_d)"] == 3.0
    assert math.isclose(
        k["lambda_m(Q_d)"], induced_graph(ex3[0]).spectral_gap_numeric(), rel_tol=1e-10
    )
    a = ex3[0].local_liouvillian("scipy").toarray()
    assert math.isclose(k["||A_d||"], np.linalg.norm(a, 2), rel_tol=1e-12)
    assert 7.5 < k["||A_d||"] < 7.52
    # Theorem 4: K_c* = max{ln(2C/eta)/(T1 lambda), 2||A_d||/(eta lambda)}
    k1 = math.log(2 * math.sqrt(2) / 6 / ETA) / 3
    k2 = 2 * k["||A_d||"] / (ETA * 3)
    assert math.isclose(ex3_theorem4.kc_star, max(k1, k2), rel_tol=1e-12)
    assert 500 < ex3_theorem4.kc_star < 501


def test_example3_theorem3_constants(ex3_theorem3):
    r"""B has a two-dimensional semisimple kernel and no other eigenvalue on the imaginary
    axis, so m_d = 0 and f_d(T2) = M_d; D(T2) and K_c* follow the printed formula."""
    k = ex3_theorem3.constants
    assert k["m_d"] == 0
    assert k["M_d"] >= 1.0  # ||exp(B * 0)|| = 1
    lam, na, c = k["lambda_m(Q_d)"], k["||A_d||"], k["C"]
    d = na / lam + k["M_d"] * na / lam * (c + T2 * na)
    assert math.isclose(k["D(T2)"], d, rel_tol=1e-12)
    assert math.isclose(ex3_theorem3.kc_star, max(k["K_c1"], 2 * d / ETA), rel_tol=1e-12)
    assert ex3_theorem3.kc_star_printed is None


def test_m_d_bounds_the_propagator(ex3_theorem3):
    """M_d sum_{j<=m_d} t^j >= ||exp(B t)|| on [0, T2] (sampled densely)."""
    import scipy.linalg

    k = ex3_theorem3.constants
    b = blended_coherent(example3()[0]).generator_numeric()
    for t in np.linspace(0, T2, 101):
        bound = k["M_d"] * sum(t**j for j in range(k["m_d"] + 1))
        assert np.linalg.norm(scipy.linalg.expm(b * t), 2) <= bound * (1 + 1e-12)


def test_norm_svds_path_agrees_with_dense(ex3, monkeypatch):
    dense, how = local_liouvillian_norm(ex3[0])
    assert how == "dense"
    monkeypatch.setattr(bc, "DENSE_NORM_MAX_QUBITS", 0)
    it, how = local_liouvillian_norm(ex3[0])
    assert how == "svds"
    assert dense <= it <= dense * (1 + 1e-7)


@given(net=inseparable_networks(2, 4))
def test_lambda_m_Qd_equals_lambda_m_Q(net):
    """Caputo-Liggett-Richthammer: the gap of the 4^n-node Q_d is the gap of the n-node Q."""
    rho = np.eye(2**net.n) / 2**net.n
    k = coherent_constants(net, rho)
    assert math.isclose(k["lambda_m(Q_d)"], induced_graph(net).spectral_gap_numeric(), rel_tol=1e-9)
    assert k["C"] == 0.0


# ----------------------------------------------------------------------------- simulation


def test_example3_theorem4_holds_and_empirical_gain(ex3_theorem4):
    check = ex3_theorem4.check()
    assert check.holds, str(check)
    emp = ex3_theorem4.empirical_kc(lo=0.1)
    assert emp <= ex3_theorem4.kc_star
    assert 5 < emp < 40  # measured: about 15.2


def test_example3_theorem3_holds_and_empirical_gain(ex3_theorem3):
    times = np.linspace(0.0, T2, 201)
    check = ex3_theorem3.check(times=times)
    assert check.holds, str(check)
    emp = ex3_theorem3.empirical_kc(lo=1.0, times=times)
    assert emp <= ex3_theorem3.kc_star
    assert 100 < emp < 1000  # measured: about 2.8e2


@pytest.mark.parametrize("kc", [1.0, 10.0, 100.0])
def test_example3_proof_envelopes(ex3, ex3_theorem3, ex3_theorem4, kc):
    r"""The proof's bounds hold at every K_c, not only at K_c*: on [0, T2]
    ||rho - vec^{-1}(ytilde_d)||_F <= C e^{-K_c lambda t} + D(t)/K_c (Appendix C) and
    ||rho - P_*(rho)||_F <= C e^{-K_c lambda t} + ||A_d||/(K_c lambda)(1 - e^{-K_c lambda t})
    (eq. (35))."""
    times = np.linspace(0.0, T2, 101)
    lhs3, _ = ex3_theorem3._measure(kc, times)
    assert np.all(lhs3 <= theorem3_envelope(ex3_theorem3.constants, kc, times) * (1 + 1e-9))
    lhs4, _ = ex3_theorem4._measure(kc, times)
    assert np.all(lhs4 <= theorem4_envelope(ex3_theorem4.constants, kc, times) * (1 + 1e-9))
    # (37): ||nu(0)|| = C exactly at t = 0
    assert math.isclose(lhs4[0], ex3_theorem4.constants["C"], rel_tol=1e-12)
    assert math.isclose(lhs3[0], ex3_theorem3.constants["C"], rel_tol=1e-12)


@settings(max_examples=4)
@given(net=inseparable_networks(2, 3), data=st.data())
def test_random_inseparable_theorems_hold(net, data):
    rho = data.draw(density_matrices(net.n, kind="any"))
    b3 = theorem3(net, rho, 0.05, 0.5, 2.0)
    times = np.linspace(0.0, 2.0, 41)
    assert b3.check(times=times).holds
    assert b3.empirical_kc(times=times) <= b3.kc_star
    b4 = theorem4(net, rho, 0.05, 0.5, t_final=3.0)
    times = np.linspace(0.0, 3.0, 61)
    assert b4.check(times=times).holds
    assert b4.empirical_kc(times=times) <= b4.kc_star


# ----------------------------------------------------------------------------- edge cases


def test_permutation_invariant_initial_state_allows_T1_zero(ex3):
    """C = 0 (rho0 = P_*(rho0)): no transient term, T1 = 0 is allowed, the promise holds
    from t = 0."""
    net, rho0 = ex3
    rho = permutation_invariant_projection(rho0)
    b4 = theorem4(net, rho, ETA, 0.0, t_final=5.0)
    assert b4.constants["C"] == 0 and b4.constants["K_c1"] == 0.0
    assert b4.check(times=np.linspace(0, 5, 51)).holds
    b3 = theorem3(net, rho, ETA, 0.0, 2.0)
    assert b3.constants["K_c1"] == 0.0
    assert b3.check(times=np.linspace(0, 2, 41)).holds


def test_equal_marginals_do_not_give_T1_zero(ex3):
    r"""Section 5.3 says Theorems 1-4 hold with T1 = 0 when rho_j(0) = rho_k(0) for all j, k.
    For Theorems 3-4 that is false: (|01> + i|10>)/sqrt2 on two qubits has equal marginals
    I/2 but ||rho(0) - P_*(rho(0))||_F = C = 1/sqrt2 > eta, and the distance at t = 0 is C
    whatever K_c.  The right condition is a permutation-invariant rho(0) (C = 0)."""
    net = QuantumNetwork(2, [(1, 2)], sigma_x(1) * sigma_z(2), [sigma_minus(1)])
    psi = np.array([0, 1, 1j, 0]) / np.sqrt(2)
    rho = np.outer(psi, psi.conj())
    assert np.allclose(partial_trace(rho, [1]), partial_trace(rho, [2]))
    k = coherent_constants(net, rho)
    assert math.isclose(k["C"], 1 / math.sqrt(2), rel_tol=1e-12)
    with pytest.raises(NotComputableError, match="T1 = 0"):
        theorem4(net, rho, ETA, 0.0)
    traj = simulate(net, rho, [0.0], kc=1e6)
    dist0 = np.linalg.norm(traj.states[0] - permutation_invariant_projection(traj.states[0]))
    assert dist0 > ETA


def test_small_C_drops_first_gain():
    """2C <= eta: ln(2C/eta) <= 0, the first gain is 0."""
    net = QuantumNetwork(2, [(1, 2)], sigma_x(1) * sigma_z(2), [sigma_minus(1)])
    rho = np.diag([0.5, 0.25 + 1e-3, 0.25 - 1e-3, 0.0]).astype(complex)
    b = theorem4(net, rho, 0.1, 1.0)
    assert b.constants["K_c1"] == 0.0
    assert b.kc_star == b.constants["K_c2"]


def test_graph_without_edges_raises():
    """Every component a single qubit: Q_d = 0 has no lambda_m (disconnected graphs with
    edges are covered in tests/test_coherent_components.py)."""
    net = QuantumNetwork(3, [], sigma_x(1) * sigma_z(3), [sigma_minus(1)])
    rho = np.eye(8) / 8
    with pytest.raises(NotComputableError, match="single qubit"):
        theorem3(net, rho, ETA, T1, T2)
    with pytest.raises(NotComputableError, match="single qubit"):
        theorem4(net, rho, ETA, T1)


@pytest.mark.parametrize(
    "call",
    [
        lambda net, rho: theorem3(net, rho, -1, 1, 2),
        lambda net, rho: theorem3(net, rho, 0.1, 2, 1),
        lambda net, rho: theorem3(net, rho, 0.1, -1, 1),
        lambda net, rho: theorem4(net, rho, 0.1, 1, t_final=0.5),
        lambda net, rho: theorem4(net, np.eye(8), 0.1, 1),
        lambda net, rho: theorem4("net", rho, 0.1, 1),
    ],
)
def test_bad_input(ex3, call):
    net, rho0 = ex3
    with pytest.raises(BlendsymError):
        call(net, rho0)


def test_exact_rho0_accepted(ex3):
    net, rho0 = ex3
    assert isinstance(rho0, sympy.MatrixBase)
    b = theorem4(net, rho0, ETA, T1)
    assert b.window == (T1, 10.0)
