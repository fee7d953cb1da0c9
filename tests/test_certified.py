"""Certified K_c*: the promise proved by interval enclosures plus a derivative bound, between
the empirical gain (simulation on a grid) and the paper's K_c*."""

import numpy as np
import sympy

import blendsym as bs
from blendsym.model.operators import sigma_minus, sigma_x
from blendsym.model.states import basis_state, product_state

R = sympy.Rational
RTOL = 0.05


def _two_qubits():
    net = bs.QuantumNetwork(2, [(1, 2)], R(1, 4) * sigma_x(1), [(2, sigma_minus(1))])
    return net, product_state(basis_state("0"), basis_state("1"))


def _between(bound):
    emp = bound.empirical_kc(rtol=RTOL)
    cert = bound.certified_kc(lo=emp / (1 + RTOL), rtol=RTOL)
    assert cert <= bound.kc_star
    assert cert >= emp / (1 + RTOL) ** 2  # up to the two search resolutions
    proved, worst = bound.certify(cert)
    assert proved and worst <= bound.eta
    return emp, cert


def test_certified_between_empirical_and_paper_theorem1():
    emp, cert = _between(bs.bounds.theorem1(*_two_qubits(), 0.05))
    assert cert < 100 * emp


def test_certified_between_empirical_and_paper_theorem4_example3():
    net, rho0 = bs.paper.example3()
    _between(bs.bounds.theorem4(net, rho0, 0.05, 1.0, t_final=4.0))


def test_certified_between_empirical_and_paper_theorem2():
    net, rho0 = _two_qubits()
    _between(bs.bounds.theorem2(net, rho0, 0.05, 1.0, 3.0))


def test_certificate_is_sound_and_refuses_violated_promises():
    net, rho0 = _two_qubits()
    bound = bs.bounds.theorem2(net, rho0, 0.05, 1.0, 3.0)
    emp = bound.empirical_kc(rtol=RTOL)
    # well below the empirical gain the simulation violates the promise: never "proved"
    low = emp / 3
    assert not bound.eta_holds(low)
    assert not bound.certify(low)[0]
    # where it is proved, a fine simulation agrees, and the bound dominates the distance
    kc = 1.5 * emp
    proved, worst = bound.certify(kc)
    assert proved
    times = np.linspace(1.0, 3.0, 2001)
    chk = bound.check(kc, times)
    assert chk.lhs.max() <= worst <= bound.eta
