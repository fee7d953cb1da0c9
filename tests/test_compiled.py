"""Compiled parametric models: lambdified blended generators and steady states, the
compiled Liouvillian, simulate on it and parameter sweeps, all against net.subs(...)."""

import concurrent.futures as cf
import functools

import numpy as np
import pytest
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
import blendsym.sweep
from blendsym.model.operators import sigma_minus, sigma_z
from blendsym.testing import (
    PARAMETRIC_SYMBOLS,
    parametric_inseparable_network,
    parametric_separable_network,
)

W, G, D, B = PARAMETRIC_SYMBOLS


_separable = functools.cache(parametric_separable_network)


# not separable: a two-qubit Hamiltonian term and a jump with two Pauli terms
_coupled = functools.cache(parametric_inseparable_network)


def _num(m):
    return np.array(sympy.Matrix(m).evalf(20).tolist(), dtype=complex)


positive = st.floats(0.05, 5.0)
real = st.floats(-3.0, 3.0).filter(lambda x: x == 0 or abs(x) > 1e-3)


# decimals with a few digits: the exact re-derivation at a 17-digit float costs seconds
tenths = st.integers(1, 50).map(lambda k: k / 10)


# each example re-derives the steady state exactly (seconds): a third of the profile's draws
# (8 in the ci profile, 100 in the thorough one)
@settings(max_examples=max(8, settings.default.max_examples // 3))
@given(w=tenths, g=tenths, d=tenths, b=st.integers(-30, 30).map(lambda k: k / 10))
def test_steady_state_function_equals_subs_rederivation(w, g, d, b):
    net = _separable()
    f = bs.blended_reduced_state(net).steady_state_function()
    got = f(omega=w, gamma=g, delta=d, beta=b)
    point = {"omega": w, "gamma": g, "delta": d, "beta": b}
    want = bs.blended_reduced_state(net.subs(point)).steady_states()
    assert len(want) == 1
    assert np.abs(got - _num(want[0])).max() < 1e-12


@given(w=positive, g=positive, d=positive, b=real)
def test_generator_function_equals_subs_rederivation(w, g, d, b):
    net = _separable()
    f = bs.blended_reduced_state(net).generator_function()
    point = {"omega": w, "gamma": g, "delta": d, "beta": b}
    want = _num(bs.blended_reduced_state(net.subs(point)).generator)
    assert np.abs(f(**point) - want).max() < 1e-12


def test_functions_broadcast_over_parameter_arrays():
    b = bs.blended_reduced_state(_separable())
    f, gen = b.steady_state_function(), b.generator_function()
    w = np.linspace(0.5, 2.0, 4)[:, None]
    g = np.array([0.1, 0.3, 0.7])
    out, gout = f(omega=w, gamma=g, delta=0.4, beta=-1.0), gen(omega=w, gamma=g, delta=0.4, beta=0)
    assert out.shape == (4, 3, 2, 2) and gout.shape == (4, 3, 4, 4)
    for i in range(4):
        for j in range(3):
            single = f(omega=float(w[i, 0]), gamma=float(g[j]), delta=0.4, beta=-1.0)
            assert np.abs(out[i, j] - single).max() < 1e-15
    # every steady state is a density matrix
    assert np.allclose(np.trace(out, axis1=-2, axis2=-1), 1)
    assert np.all(np.linalg.eigvalsh(out) > -1e-12)


def test_parametric_function_checks_its_arguments():
    f = bs.blended_reduced_state(_separable()).steady_state_function()
    with pytest.raises(bs.InvalidArgumentError, match="needs values for"):
        f(omega=1.0, gamma=1.0)
    with pytest.raises(bs.InvalidArgumentError, match="unknown parameter"):
        f(omega=1.0, gamma=1.0, delta=1.0, beta=0.0, gama=2.0)
    with pytest.raises(bs.InvalidArgumentError, match="declared positive"):
        f(omega=1.0, gamma=-1.0, delta=1.0, beta=0.0)
    with pytest.raises(bs.InvalidArgumentError, match="do not broadcast"):
        f(omega=np.ones(2), gamma=np.ones(3), delta=1.0, beta=0.0)


@given(w=positive, g=positive, d=positive, b=real, kc=st.floats(0.1, 50.0))
def test_compiled_liouvillian_equals_subs_rederivation(w, g, d, b, kc):
    net = _coupled()
    cn = net.compile()
    point = {"omega": w, "gamma": g, "delta": d, "beta": b}
    got = cn.liouvillian(K_c=kc, **point)
    assert sp.issparse(got)
    want = net.subs(point).liouvillian(kc, backend="scipy")
    assert abs(got - want).max() < 1e-12
    assert abs(cn.liouvillian(kc=kc, **point) - got).max() == 0


def test_compiled_network_is_memoised_and_names_its_parameters():
    net = _coupled()
    assert net.compile() is net.compile()
    assert net.compile().parameters == ("K_c", "beta", "delta", "gamma", "omega")
    with pytest.raises(bs.InvalidArgumentError, match="same gain"):
        net.compile().liouvillian(kc=1, K_c=2, omega=1, gamma=1, delta=1, beta=1)


def test_simulate_takes_the_compiled_network():
    net = _coupled()
    cn = net.compile()
    _, rho0 = bs.paper.example1()
    times = np.linspace(0, 2, 5)
    point = {"omega": 1.1, "gamma": 0.3, "delta": 0.7, "beta": -0.4}
    traj = bs.simulate(cn, rho0, times, kc=4.0, **point)
    ref = bs.simulate(net.subs(point), rho0, times, kc=4.0, method="dense")
    assert np.abs(traj.states - ref.states).max() < 1e-12
    red = bs.simulate(cn, rho0, times, observe="reduced", K_c=4.0, **point)
    assert np.abs(red.reduced(2) - ref.reduced(2)).max() < 1e-12
    with pytest.raises(bs.InvalidArgumentError, match="compiled network only"):
        bs.simulate(net, rho0, times, kc=4.0, omega=1.0)


def test_parameter_sweep_grid_and_random_draws_equal_subs():
    net = _coupled()
    _, rho0 = bs.paper.example1()
    times = np.array([0.0, 0.5, 1.0])
    with cf.ThreadPoolExecutor(2) as ex:
        res = blendsym.sweep.parameter_sweep(
            net,
            rho0,
            times,
            grid={"omega": [0.5, 1.5], "gamma": [0.2, 0.4, 0.8]},
            executor=ex,
            fixed={"delta": 0.3, "beta": 0.1, "K_c": 5.0},
            progress=False,
        )
        assert len(res.points) == 6
        assert [p["omega"] for p in res.points] == [0.5] * 3 + [1.5] * 3
        for p, v in zip(res.points, res.values, strict=True):
            ref = bs.simulate(
                net.subs({k: x for k, x in p.items() if k != "K_c"}), rho0, times, kc=5.0
            )
            want = np.stack([ref.reduced(j) for j in (1, 2, 3)], axis=1)
            assert np.abs(v - want).max() < 1e-12
        draws = blendsym.sweep.parameter_sweep(
            net,
            rho0,
            times,
            executor=ex,
            random={"omega": (0.1, 2.0), "beta": (-1.0, 1.0)},
            samples=4,
            seed=7,
            fixed={"delta": 0.3, "gamma": 0.5, "kc": 2.0},
            measure="disagreement",
        )
    assert len(draws.values) == 4
    assert np.all((draws.column("omega") >= 0.1) & (draws.column("omega") <= 2.0))
    p = draws.points[2]
    ref = bs.simulate(
        net.subs({"omega": p["omega"], "beta": p["beta"], "delta": 0.3, "gamma": 0.5}),
        rho0,
        times,
        kc=2.0,
    )
    assert np.abs(draws.values[2] - blendsym.sweep.disagreement(ref)).max() < 1e-12
    with pytest.raises(bs.InvalidArgumentError, match="needs values for"):
        blendsym.sweep.parameter_sweep(net, rho0, times, grid={"omega": [1.0]}, executor=ex)


def test_parameter_sweep_default_process_pool():
    net = _coupled()
    _, rho0 = bs.paper.example1()
    res = blendsym.sweep.parameter_sweep(
        net,
        rho0,
        [0.0, 1.0],
        grid={"omega": [0.5, 1.5]},
        executor=None,
        fixed={"delta": 0.3, "beta": 0.1, "gamma": 1.0, "K_c": 5.0},
        measure="final_state",
    )
    ref = bs.simulate(
        net.subs({"omega": 1.5, "delta": 0.3, "beta": 0.1, "gamma": 1.0}), rho0, [0.0, 1.0], kc=5.0
    )
    assert np.abs(res.values[1] - ref.states[-1]).max() < 1e-12


def test_solution_and_mu_functions_equal_subs_rederivation():
    w, g = sympy.symbols("omega gamma", positive=True)
    net = bs.QuantumNetwork(2, [(1, 2)], w * sigma_z(1), [(g, sigma_minus(1))])
    b = bs.blended_reduced_state(net)
    half = sympy.Rational(1, 2)
    f = b.solution_function(sympy.Matrix([[half, half], [half, half]]))
    times = np.array([0.0, 0.5, 2.0])
    point = {"omega": 1.2, "gamma": 0.4}
    sub = bs.blended_reduced_state(net.subs(point))
    want = sub.evolve(sympy.Matrix([[half, half], [half, half]]), times)
    assert np.abs(f(times, **point) - want).max() < 1e-12
    assert abs(b.mu_function()(**point) - float(sub.mu)) < 1e-12
