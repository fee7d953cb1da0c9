"""Theorems 1, 2 and 4 as NumPy functions of the model's symbols, against the one-point route
(``theorem1(net.subs(point), ...)``: exact re-derivation of the substituted model)."""

import functools

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.model.operators import sigma_minus, sigma_x, sigma_z
from blendsym.model.states import basis_state, product_state
from blendsym.testing import (
    PARAMETRIC_SYMBOLS,
    parametric_inseparable_network,
    parametric_separable_network,
)

W, G, D, B = PARAMETRIC_SYMBOLS
ETA, T1, T2 = 0.05, 1.0, 3.0
RTOL = 1e-10


@functools.cache
def _decay():
    # damped qubit with a detuning: eigenvalues 0, -gamma/2, -gamma/4 +- 2 i omega
    return bs.QuantumNetwork(2, [(1, 2)], W * sigma_z(1), [(G, sigma_minus(1))])


@functools.cache
def _driven():
    # driven damped qubit: an irreducible cubic factor, no closed-form roots
    return bs.QuantumNetwork(
        3, [(1, 2), (2, 3)], W * sigma_z(1) + sigma_x(2), [(G, sigma_minus(1))]
    )


@functools.cache
def _exceptional():
    # Omega = gamma / 4 for every gamma: a 2 x 2 Jordan block at -3 gamma / 8
    return bs.QuantumNetwork(2, [(1, 2)], G / 8 * sigma_x(1), [(G, sigma_minus(1))])


_four_symbols = functools.cache(parametric_separable_network)


# not separable (Theorem 4 only)
_coupled = functools.cache(parametric_inseparable_network)


def _rho0(n):
    return product_state(*(basis_state(x) for x in "01+-"[:n]))


MODELS = {"decay": _decay, "driven": _driven, "exceptional": _exceptional, "four": _four_symbols}
# decimals with few digits: the exact re-derivation of net.subs at a 17-digit float costs
# seconds, and the float policy reads each substituted coefficient as the decimal it prints
# as, so that gamma / 8 stays exactly gamma / 8 (the exceptional family) only for short ones
positive = st.integers(1, 40).map(lambda k: k / 10)
real = st.integers(-30, 30).filter(lambda k: k != 0).map(lambda k: k / 10)


@functools.cache
def _theorem1_function(model):
    net = MODELS[model]()
    return bs.bounds.theorem1_function(net, _rho0(net.n), ETA)


def _point(net, draw_pos, draw_real):
    return {
        s.name: (draw_real if s.is_positive is not True else draw_pos)()
        for s in sorted(net.free_symbols, key=lambda s: s.name)
        if s.name != "K_c"
    }


def _close(got, want, what):
    assert abs(got - want) <= RTOL * max(abs(want), 1e-300), (what, got, want)


FLOATS1 = ("lambda_m", "norm_L", "C_Sigma", "mu", "L_c", "D", "C", "T_star")


@pytest.mark.parametrize("model", sorted(MODELS))
@settings(max_examples=4)
@given(data=st.data())
def test_theorem1_function_equals_subs_rederivation(model, data):
    net = MODELS[model]()
    rho0 = _rho0(net.n)
    f = _theorem1_function(model)
    pts = [_point(net, lambda: data.draw(positive), lambda: data.draw(real)) for _ in range(2)]
    arrays = {k: np.array([p[k] for p in pts]) for k in pts[0]}
    got = f(**arrays)
    assert got.shape == (2,) and got.kc_star.shape == (2,)
    for i, p in enumerate(pts):
        ref = bs.bounds.theorem1(net.subs(p), rho0, ETA)
        _close(got.kc_star[i], ref.kc_star, "kc_star")
        for name in FLOATS1:
            _close(got.constants[name][i], ref.constants[name], name)
        assert got.constants.n[i] == ref.constants.n
        want = np.array(ref.constants.rho_r.evalf(20).tolist(), dtype=complex)
        assert np.abs(got.constants.rho_r[i] - want).max() < 1e-12


def test_theorem1_function_says_where_each_constant_comes_from():
    closed = bs.bounds.theorem1_function(_decay(), _rho0(2), ETA)
    assert closed.sources["mu"] == "closed form"
    # the slowest rate of the damped qubit, -Re(-gamma/4 +- 2 i omega), by hand
    assert sympy.simplify(closed.closed_forms["mu"] - G / 4) == 0
    batched = bs.bounds.theorem1_function(_driven(), _rho0(3), ETA)
    assert batched.sources["mu"] == "batched numeric" and "mu" not in batched.closed_forms
    for f in (closed, batched):
        assert f.sources["L_c"] == f.sources["norm_L"] == "batched numeric"
        assert f.sources["D"] == f.sources["T_star"] == "derived"
        assert f.parameters == ("gamma", "omega")
        got = f(gamma=1.0, omega=1.0)
        info = {c.name: c.source for c in got.constants.describe()}
        assert info == f.sources
        assert got.constants.source("lambda_m(Q)") == "closed form"
    # |0> (x) |1>: rho_j - mean = +-diag(1, -1)/2, so C_Sigma^2 = 2 * 1/2
    assert closed.closed_forms["C_Sigma"] == 1
    assert closed.closed_forms["lambda_m"] == 2  # one edge of weight 1


@pytest.mark.parametrize("model", ["decay", "driven", "exceptional"])
@settings(max_examples=3)
@given(data=st.data())
def test_theorem2_function_equals_subs_rederivation(model, data):
    net = MODELS[model]()
    rho0 = _rho0(net.n)
    f = bs.bounds.theorem2_function(net, rho0, ETA, T1, T2)
    p = _point(net, lambda: data.draw(positive), lambda: data.draw(real))
    got = f(**p)
    assert got.shape == ()
    ref = bs.bounds.theorem2(net.subs(p), rho0, ETA, T1, T2)
    _close(float(got.kc_star), ref.kc_star, "kc_star")
    printed = ref.kc_star if ref.kc_star_printed is None else ref.kc_star_printed
    _close(float(got.kc_star_printed), printed, "kc_star_printed")
    for name in ("lambda_m", "norm_L", "C_Sigma", "M", "f_T2", "D_T2", "D_T2_printed", "K_c1"):
        _close(float(got.constants[name]), ref.constants[name], name)
    assert int(got.constants.m) == ref.constants.m


def test_theorem2_function_reads_m_per_point_without_closed_form_roots():
    # a Hamiltonian without dissipation: 0 twice and two imaginary roots of a quadratic
    # with no exact decision of their real part for generic beta (real symbol)
    net = bs.QuantumNetwork(2, [(1, 2)], W * sigma_z(1) + B * sigma_x(1), [])
    rho0 = _rho0(2)
    f = bs.bounds.theorem2_function(net, rho0, ETA, T1, T2)
    got = f(omega=np.array([0.5, 1.3]), beta=np.array([0.7, -0.2]))
    for i, p in enumerate([{"omega": 0.5, "beta": 0.7}, {"omega": 1.3, "beta": -0.2}]):
        ref = bs.bounds.theorem2(net.subs(p), rho0, ETA, T1, T2)
        _close(got.kc_star[i], ref.kc_star, "kc_star")
        _close(got.constants.M[i], ref.constants.M, "M")
        assert got.constants.m[i] == ref.constants.m
    with pytest.raises(bs.NotComputableError, match="relaxing"):
        bs.bounds.theorem1_function(net, rho0, ETA)


@settings(max_examples=4)
@given(w=positive, g=positive, d=positive, b=real, t1=st.floats(0.2, 3.0))
def test_theorem4_function_equals_subs_rederivation(w, g, d, b, t1):
    net = _coupled()
    rho0 = _rho0(3)
    f = bs.bounds.theorem4_function(net, rho0, ETA, t1)
    assert "K_c" not in f.parameters and "K_c" in f.symbols
    p = {"omega": w, "gamma": g, "delta": d, "beta": b}
    got = f(**p, K_c=3.0)  # the gain is accepted and enters no constant
    ref = bs.bounds.theorem4(net.subs(p), rho0, ETA, t1)
    _close(float(got.kc_star), ref.kc_star, "kc_star")
    for name in ("lambda_m", "norm_A_d", "C", "K_c1", "K_c2"):
        _close(float(got.constants[name]), ref.constants[name], name)
    assert int(got.constants.p) == ref.constants.p
    assert got.constants.norm_A_d_method == ref.constants.norm_A_d_method == "dense"
    k1 = f.closed_forms["K_c1"]
    assert not k1.free_symbols and abs(float(k1) - ref.constants.K_c1) <= 1e-12 * ref.kc_star


@settings(max_examples=5)
@given(w=positive, g=positive, d=positive, b=real)
def test_local_liouvillian_dense_equals_subs(w, g, d, b):
    net = _coupled()
    p = {"omega": w, "gamma": g, "delta": d, "beta": b}
    got = net.compile().local_liouvillian_dense(**p)
    want = net.subs(p).local_liouvillian("scipy").toarray()
    assert got.shape == want.shape and np.abs(got - want).max() < 1e-12


def test_local_liouvillian_dense_has_a_size_limit():
    net = bs.QuantumNetwork(5, [(j, j + 1) for j in range(1, 5)], W * sigma_z(1))
    with pytest.raises(bs.errors.SizeLimitError, match="PARAMETRIC_DENSE_QUBITS"):
        net.compile().local_liouvillian_dense(omega=1.0)


def test_parametric_bounds_broadcast():
    f = bs.bounds.theorem1_function(_decay(), _rho0(2), ETA)
    w = np.array([0.3, 1.0, 2.5])[:, None]
    g = np.array([0.4, 1.7])
    got = f(omega=w, gamma=g)
    assert got.shape == (3, 2) and got.kc_star.shape == (3, 2)
    assert got.constants.rho_r.shape == (3, 2, 2, 2)
    assert got.constants.lambda_m.shape == (3, 2)
    for i in range(3):
        for j in range(2):
            one = f(omega=float(w[i, 0]), gamma=float(g[j]))
            assert one.shape == ()
            assert abs(got.kc_star[i, j] - one.kc_star) <= 1e-14 * one.kc_star
            assert abs(got.constants.L_c[i, j] - one.constants.L_c) <= 1e-14
    # chunked evaluation gives the same values as one chunk
    f._chunk = 2
    again = f(omega=w, gamma=g)
    assert np.array_equal(again.kc_star, got.kc_star)


def test_parametric_bounds_check_their_arguments():
    f = bs.bounds.theorem1_function(_decay(), _rho0(2), ETA)
    with pytest.raises(bs.InvalidArgumentError, match="omgea"):
        f(omgea=1.0, gamma=1.0)
    with pytest.raises(bs.InvalidArgumentError, match=r"needs values for \['omega'\]"):
        f(gamma=1.0)
    with pytest.raises(bs.InvalidArgumentError, match="gamma is declared positive"):
        f(omega=1.0, gamma=-1.0)
    with pytest.raises(bs.InvalidArgumentError, match="do not broadcast"):
        f(omega=np.ones(2), gamma=np.ones(3))
    with pytest.raises(bs.InvalidArgumentError, match="eta"):
        bs.bounds.theorem1_function(_decay(), _rho0(2), -1.0)
    with pytest.raises(bs.InvalidArgumentError, match="net"):
        bs.bounds.theorem2_function("net", _rho0(2), ETA, T1, T2)
    with pytest.raises(bs.NotSeparableError):
        bs.bounds.theorem1_function(_coupled(), _rho0(3), ETA)
    got = f(omega=1.0, gamma=1.0)
    with pytest.raises(bs.InvalidArgumentError, match="lambda_m"):
        got.constants.source("lambda")
    with pytest.raises(AttributeError, match="no constant"):
        _ = got.constants.K_c2


def test_points_where_the_generic_derivation_fails_are_named():
    # dephasing and a transverse field beta: relaxing for beta != 0 only
    net = bs.QuantumNetwork(2, [(1, 2)], B * sigma_x(1), [(G, sigma_z(1))])
    rho0 = _rho0(2)
    f = bs.bounds.theorem1_function(net, rho0, ETA)
    ok = f(beta=0.8, gamma=0.5)
    _close(
        float(ok.kc_star),
        bs.bounds.theorem1(net.subs({"beta": 0.8, "gamma": 0.5}), rho0, ETA).kc_star,
        "kc",
    )
    with pytest.raises(bs.NotComputableError, match="beta"):
        f(beta=np.array([0.8, 0.0]), gamma=0.5)
    with pytest.raises(bs.NotComputableError):  # the one-point route refuses it too
        bs.bounds.theorem1(net.subs({"beta": 0, "gamma": 0.5}), rho0, ETA)


def test_theorem1_function_per_connected_component():
    net = bs.QuantumNetwork(
        4,
        [(1, 2), (3, 4, 2)],
        W * sigma_z(1) + sigma_x(3),
        [(G, sigma_minus(2)), (1, sigma_minus(4))],
    )
    rho0 = _rho0(4)
    p = {"omega": 0.9, "gamma": 1.4}
    for i in (0, 1):
        f = bs.bounds.theorem1_function(net, rho0, ETA, component=i)
        assert f.theorem.startswith(f"Theorem 1 (component {i}")
        ref = bs.bounds.theorem1(net.subs(p), rho0, ETA, component=i)
        got = f(**p)
        _close(float(got.kc_star), ref.kc_star, "kc_star")
        _close(float(got.constants.lambda_m), ref.constants.lambda_m, "lambda_m")
    with pytest.raises(bs.NotComputableError, match="component"):
        bs.bounds.theorem1_function(net, rho0, ETA)


def test_models_without_symbols_give_the_one_point_values():
    net, rho0 = bs.paper.example1()
    got = bs.bounds.theorem1_function(net, rho0, ETA)()
    assert got.shape == ()
    _close(float(got.kc_star), bs.bounds.theorem1(net, rho0, ETA).kc_star, "Example 1")
    net3, rho3 = bs.paper.example3()
    got4 = bs.bounds.theorem4_function(net3, rho3, ETA, T1)()
    _close(float(got4.kc_star), bs.bounds.theorem4(net3, rho3, ETA, T1).kc_star, "Example 3")
