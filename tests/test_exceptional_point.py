"""Theorem 1 at an exceptional point: L_c for a defective blended generator (Jordan chain)."""

import numpy as np
import scipy.linalg
import sympy

import blendsym as bs
from blendsym.model.operators import sigma_minus, sigma_x
from blendsym.model.states import basis_state, product_state

R = sympy.Rational


def _exceptional_network():
    # blended: H = sigma_x / 8, D(sigma_-) at rate 1: the y-z Bloch block has the double,
    # defective eigenvalue -3/4 (Omega = gamma / 4), below the slowest rate mu = 1/2
    return bs.QuantumNetwork(2, [(1, 2)], R(1, 4) * sigma_x(1), [(2, sigma_minus(1))])


def test_defective_decaying_eigenvalue_gets_a_finite_lipschitz_constant():
    b = bs.blended_reduced_state(_exceptional_network())
    an = b.spectral
    assert an.jordan_structure[R(-3, 4)] == [2]
    assert an.mu == R(1, 2)
    l_c = an.lipschitz_constant()
    # brute force: sup_t ||e^{At} Pi_s||_2 e^{mu t} on a fine grid (about 1.41)
    a = np.array(b.generator.evalf().tolist(), dtype=complex)
    g = sympy.Matrix(b.generator)
    v = np.array(g.nullspace()[0].evalf().tolist(), dtype=complex)
    u = np.array(g.T.nullspace()[0].evalf().tolist(), dtype=complex)
    pi_s = np.eye(4) - v @ u.T / (u.T @ v)
    sup = max(
        np.linalg.norm(scipy.linalg.expm(a * t) @ pi_s, 2) * np.exp(0.5 * t)
        for t in np.linspace(0, 60, 3001)
    )
    assert 1.3 < sup <= l_c
    assert np.isfinite(l_c) and l_c < 10 * sup


def test_theorem1_at_the_exceptional_point_is_no_longer_refused():
    # was: NotComputableError "no finite L_c ... exists"
    net = _exceptional_network()
    rho0 = product_state(basis_state("0"), basis_state("1"))
    t = bs.bounds.theorem1(net, rho0, 0.1)
    assert t.constants.L_c > 1.3
    assert t.check().holds
