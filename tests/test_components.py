"""Disconnected graphs: one blended reduced-state dynamics per connected component."""

import numpy as np
import pytest
import sympy

import blendsym as bs
from blendsym.model.operators import sigma_minus, sigma_plus, sigma_x, sigma_z
from blendsym.model.states import basis_state, product_state
from blendsym.section4.reduced import local_models


def _two_component_network(kc=40):
    # components {1, 2, 3} (a path) and {4, 5}, with different local physics
    return bs.QuantumNetwork(
        5,
        [(1, 2), (2, 3), (4, 5)],
        sigma_z(1) + sigma_x(4),
        [sigma_minus(2), (sympy.Rational(1, 2), sigma_plus(5)), (1, sigma_minus(4))],
        coupling=kc,
    )


def _num(m):
    return np.array(sympy.Matrix(m).evalf().tolist(), dtype=complex)


def test_components_are_found_and_each_has_its_own_blended_dynamics():
    net = _two_component_network()
    b = bs.blended_reduced_state(net)
    assert b.components == ((1, 2, 3), (4, 5))
    c0, c1 = b.component(0), b.component(1)
    assert isinstance(c0, bs.BlendedReducedState) and isinstance(c1, bs.BlendedReducedState)
    assert (c0.sites, c0.index, c1.sites, c1.index) == ((1, 2, 3), 0, (4, 5), 1)
    # each averages its own local generators: (1/|C|) sum_{j in C} L_j
    loc = {j + 1: sympy.Matrix(m.generator()) for j, m in enumerate(local_models(net))}
    for c in (c0, c1):
        avg = sum((loc[j] for j in c.sites), sympy.zeros(4, 4)) / len(c.sites)
        assert (sympy.Matrix(c.generator) - avg).applyfunc(sympy.simplify) == sympy.zeros(4, 4)


def test_disconnected_steady_states_are_per_component_not_averaged():
    net = _two_component_network()
    b = bs.blended_reduced_state(net)
    per = b.steady_states()
    assert [p.sites for p in per] == [(1, 2, 3), (4, 5)]
    assert [p.index for p in per] == [0, 1]
    assert "sites [4, 5]" in str(per[1])
    for p in per:
        assert len(p.states) == 1
        assert sympy.simplify(p.states[0] - b.component(p.index).steady_states()[0]) == sympy.zeros(
            2, 2
        )
    # the whole-network averages are refused with a pointer to component(i)
    with pytest.raises(bs.NotComputableError, match="component"):
        _ = b.generator
    with pytest.raises(bs.NotComputableError, match="component"):
        _ = b.mu


def test_disconnected_graph_each_component_converges_to_its_own_blended_state():
    """Against simulation of the full 5-qubit network (4): at large K_c every reduced state
    follows the blended dynamics of *its* component, rho_{b,C}(t), within O(1/K_c), and
    tends to that component's steady state; the two components' states differ."""
    rho0 = product_state(*(basis_state(x) for x in "01+01"))
    times = np.linspace(0.0, 12.0, 25)
    errors = {}
    for kc in (20.0, 80.0):
        net = _two_component_network(kc)
        b = bs.blended_reduced_state(net)
        traj = bs.simulate(net, rho0, times)
        worst = 0.0
        for i, sites in enumerate(b.components):
            c = b.component(i)
            rho_b = c.evolve(c.initial_state(rho0), times)
            for j in sites:
                d = np.linalg.norm(traj.reduced(j) - rho_b, axis=(1, 2))
                worst = max(worst, float(d[times >= 2.0].max()))
        errors[kc] = worst
    assert errors[20.0] < 0.05
    assert errors[80.0] < errors[20.0] / 2.5  # the O(1/K_c) approach
    # the long-time limits are the components' own steady states, which differ
    net = _two_component_network(80.0)
    b = bs.blended_reduced_state(net)
    traj = bs.simulate(net, rho0, [0.0, 40.0])
    s0, s1 = (_num(p.states[0]) for p in b.steady_states())
    assert np.linalg.norm(s0 - s1) > 0.5
    for j in (1, 2, 3):
        assert np.linalg.norm(traj.reduced(j)[-1] - s0) < 0.01
    for j in (4, 5):
        assert np.linalg.norm(traj.reduced(j)[-1] - s1) < 0.02
    # the average over all qubits (what a single blended state would be) is wrong for both
    avg = (3 * s0 + 2 * s1) / 5
    assert all(np.linalg.norm(traj.reduced(j)[-1] - avg) > 0.1 for j in range(1, 6))


def test_component_initial_state_accepts_the_whole_network_state():
    net = _two_component_network()
    rho0 = product_state(*(basis_state(x) for x in "01+01"))
    c = bs.blended_reduced_state(net).component(1)
    want = (_num(bs.reduced_state(rho0, 4)) + _num(bs.reduced_state(rho0, 5))) / 2
    assert np.allclose(_num(c.initial_state(rho0)), want)


def test_theorem1_per_component_uses_the_component_laplacian():
    net = _two_component_network()
    rho0 = product_state(*(basis_state(x) for x in "01+01"))
    with pytest.raises(bs.NotComputableError, match="component=i"):
        bs.bounds.theorem1(net, rho0, 0.05)
    t0 = bs.bounds.theorem1(net, rho0, 0.05, component=0)
    t1 = bs.bounds.theorem1(net, rho0, 0.05, component=1)
    # lambda_m of the path 1-2-3 is 1, of the single edge 4-5 is 2
    assert t0.constants.lambda_m == pytest.approx(1.0)
    assert t1.constants.lambda_m == pytest.approx(2.0)
    assert t0.sites == (1, 2, 3) and t1.sites == (4, 5)
    assert "sites [4, 5]" in t1.theorem
    assert t0.check().holds and t1.check().holds
    t2 = bs.bounds.theorem2(net, rho0, 0.05, 1.0, 3.0, component=1)
    assert t2.sites == (4, 5) and t2.check().holds
    with pytest.raises(bs.InvalidArgumentError, match="component"):
        bs.bounds.theorem1(net, rho0, 0.05, component=2)


def test_connected_network_component_zero_is_itself():
    net, _ = bs.paper.example1()
    b = bs.blended_reduced_state(net)
    assert b.components == ((1, 2, 3),)
    assert b.component(0) is b
    assert isinstance(b.steady_states(), list)
