"""The one float policy of exact analyses (blendsym.model.rationalize)."""

import numpy as np
import sympy

import blendsym as bs
from blendsym.model.operators import sigma_minus, sigma_x, sigma_z
from blendsym.model.rationalize import shortest_rational

R = sympy.Rational


def test_shortest_rational_is_the_printed_decimal():
    assert shortest_rational(0.05) == R(1, 20)
    assert shortest_rational(0.1 + 0.2) == R(30000000000000004, 10**17)
    assert shortest_rational(1e-3) == R(1, 1000)
    x = 0.7071067811865476
    r = shortest_rational(x)
    assert float(r) == x and r != 1 / sympy.sqrt(2)


def _float_model():
    return bs.QuantumNetwork(
        2, [(1, 2)], 0.3 * sigma_z(1) + 0.7 * sigma_x(2), [(0.05, sigma_minus(1))], coupling=2.0
    )


def _exact_model():
    return bs.QuantumNetwork(
        2,
        [(1, 2)],
        R(3, 10) * sigma_z(1) + R(7, 10) * sigma_x(2),
        [(R(1, 20), sigma_minus(1))],
        coupling=2,
    )


def test_model_with_floats_is_analysed_as_the_decimals_it_prints():
    b, e = bs.blended_reduced_state(_float_model()), bs.blended_reduced_state(_exact_model())
    assert b.generator == e.generator
    assert b.steady_states() == e.steady_states()
    assert {str(r) for r in b.rationalized} == {
        "0.05 -> 1/20",
        "0.3 -> 3/10",
        "0.7 -> 7/10",
        "2.0 -> 2",
    }
    assert e.rationalized == ()
    assert _float_model().exact() == _exact_model()


def test_float_policy_applies_to_the_coherent_dynamics_too():
    c, e = bs.blended_coherent(_float_model()), bs.blended_coherent(_exact_model())
    assert c.spectral.characteristic_polynomial == e.spectral.characteristic_polynomial


def test_numpy_operators_are_read_by_the_policy():
    h = np.kron(np.diag([0.3, -0.3]), np.eye(2)) + np.kron(np.eye(2), [[0, 0.7], [0.7, 0]])
    net = bs.QuantumNetwork(2, [(1, 2)], h, [(0.05, sigma_minus(1))], coupling=2.0)
    b = bs.blended_reduced_state(net)
    assert b.steady_states() == bs.blended_reduced_state(_exact_model()).steady_states()
