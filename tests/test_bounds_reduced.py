"""Section 4: exact spectral data of the examples and Theorems 1-2 in simulation."""

import math

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings

import blendsym as bs
from blendsym.conventions import vec
from blendsym.testing import separable_networks

R = sympy.Rational


@pytest.fixture(scope="module")
def ex1():
    net, rho0 = bs.paper.example1()
    return net, rho0, bs.blended_reduced_state(net)


def test_example1_exact_spectrum(ex1):
    net, rho0, b = ex1
    spec = b.spectral
    assert spec.is_relaxing
    rho_r = sympy.Matrix(spec.steady_states[0])
    assert rho_r == sympy.Matrix([[R(1, 4), 0], [0, R(3, 4)]])
    assert (sympy.Matrix(b.generator) * vec(rho_r)).is_zero_matrix
    assert sympy.simplify(spec.mu - R(2, 3)) == 0
    expected = {0, R(-4, 3), R(-2, 3) + 2 * sympy.I / 3, R(-2, 3) - 2 * sympy.I / 3}
    assert {sympy.nsimplify(e) for e in spec.eigenvalues} == expected
    assert all(blocks == [1] for blocks in spec.jordan_structure.values())


def test_example1_reduced_states_approach_rho_r(ex1):
    """Fig. 1: the late-time distance to rho_r shrinks like 1/K_c."""
    net, rho0, b = ex1
    r = np.diag([0.25, 0.75]).astype(complex)
    times = np.array([0.0, 15.0])
    dists = []
    for kc in (1.0, 10.0, 100.0):
        traj = bs.simulate(net, rho0, times, kc=kc)
        dists.append(max(np.linalg.norm(traj.reduced(j)[-1] - r) for j in (1, 2, 3)))
    assert dists[0] > dists[1] > dists[2]
    # the offset from rho_r is O(1/K_c), as Theorem 1's D/K_c term predicts
    assert dists[1] / dists[2] == pytest.approx(10, rel=0.1)


def test_example2_not_relaxing_orbits():
    net, rho0 = bs.paper.example2()
    spec = bs.blended_reduced_state(net).spectral
    assert not spec.is_relaxing
    w = 2 * sympy.sqrt(3) / 3  # |h| = sqrt(3)/3, frequency 2|h|
    assert set(spec.eigenvalues) == {0, sympy.I * w, -sympy.I * w}
    assert spec.f_degree == 0


def test_theorem1_example1(ex1):
    net, rho0, b = ex1
    bound = bs.bounds.theorem1(net, rho0, 0.05)
    c = bound.constants
    assert c["lambda_m(Q)"] == pytest.approx(3.0)
    assert c["mu"] == pytest.approx(2 / 3)
    norms = [
        np.linalg.norm(np.array(g.evalf().tolist(), dtype=complex), 2) for g in b.local_generators()
    ]
    assert c["||L||"] == pytest.approx(max(norms))
    assert bound.kc_star == pytest.approx(max(c["mu"] / 3, 2 * (1 + math.sqrt(2)) * c["D"] / 0.05))
    chk = bound.check()
    assert chk.holds, chk
    assert bound.empirical_kc() <= bound.kc_star


def test_theorem2_example2_and_printed_constant():
    net, rho0 = bs.paper.example2()
    bound = bs.bounds.theorem2(net, rho0, 0.05, 1.0, 5.0)
    assert bound.check().holds
    assert bound.kc_star_printed is not None and bound.kc_star_printed < bound.kc_star
    assert bound.empirical_kc() <= bound.kc_star


def test_theorem1_refuses_non_relaxing():
    net, rho0 = bs.paper.example2()
    with pytest.raises(bs.NotComputableError, match="relaxing"):
        bs.bounds.theorem1(net, rho0, 0.05)


def test_bounds_bad_input():
    net, rho0 = bs.paper.example2()
    with pytest.raises(bs.BlendsymError, match="eta"):
        bs.bounds.theorem2(net, rho0, -1, 1.0, 5.0)
    with pytest.raises(bs.BlendsymError, match="T2"):
        bs.bounds.theorem2(net, rho0, 0.1, 2.0, 1.0)
    with pytest.raises(bs.NotSeparableError):
        bs.bounds.theorem2(bs.paper.example3()[0], bs.paper.example3()[1], 0.1, 1.0, 2.0)


@settings(max_examples=4)
@given(separable_networks(min_n=2, max_n=2, max_jumps=2))
def test_theorem2_random_models(net):
    rho0 = bs.product_state("0", "1")
    bound = bs.bounds.theorem2(net, rho0, 0.1, 0.5, 2.0)
    assume(bound.kc_star < 1e7)
    assert bound.check().holds


@settings(max_examples=4)
@given(separable_networks(min_n=2, max_n=2, max_jumps=2))
def test_theorem1_random_relaxing_models(net):
    b = bs.blended_reduced_state(net)
    assume(b.spectral.is_relaxing)
    rho0 = bs.product_state("0", "+")
    bound = bs.bounds.theorem1(net, rho0, 0.1)
    assume(bound.kc_star < 1e7)
    assert bound.check().holds
