"""simulate(..., observe=...): the trajectory keeps only what was asked (states, reduced
states, expectation values or a function's values), each equal to what the full states give.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym import sweep
from blendsym.errors import BlendsymError, InvalidArgumentError, NotStoredError
from blendsym.testing import (
    density_matrices,
    inseparable_networks,
    positive_rationals,
    separable_networks,
)

R = sympy.Rational
METHODS = ("dense", "krylov", "matrix_free", "expm_multiply")
models = st.one_of(
    separable_networks(min_n=1, max_n=3, coupling=positive_rationals(5, 2)),
    inseparable_networks(max_n=3, coupling=positive_rationals(5, 2)),
)
TIMES = np.array([0.0, 0.1, 0.35, 0.7, 1.5])


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=5)
@given(net=models, data=st.data())
def test_reduced_equals_partial_trace_of_states(method, net, data):
    rho0 = data.draw(density_matrices(net.n))
    full = bs.simulate(net, rho0, TIMES, method=method)
    red = bs.simulate(net, rho0, TIMES, method=method, observe="reduced")
    assert full.observed == "states" and red.observed == "reduced"
    for j in range(1, net.n + 1):
        ref = np.array([bs.partial_trace(s, [j]) for s in full.states])
        np.testing.assert_allclose(red.reduced(j), ref, atol=1e-12)
        np.testing.assert_allclose(red.bloch(j), full.bloch(j), atol=1e-12)
    assert red.info["error_estimate"] == pytest.approx(full.info["error_estimate"], rel=1e-6)


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=4)
@given(net=models, data=st.data())
def test_expectation_values_equal_traces(method, net, data):
    rho0 = data.draw(density_matrices(net.n))
    n = net.n
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    m = rng.normal(size=(net.dim, net.dim)) + 1j * rng.normal(size=(net.dim, net.dim))
    ops = [
        bs.sigma_z(1),
        (bs.sigma_x(n) * bs.sigma_z(1) if n > 1 else bs.sigma_x(1)) + R(1, 3) * bs.sigma_y(1),
        m + m.conj().T,  # Hermitian, dense
        sp.csr_matrix(m + m.conj().T),
        sympy.Matrix(bs.sigma_x(1).to_matrix(n)),
    ]
    full = bs.simulate(net, rho0, TIMES, method=method)
    herm = bs.simulate(net, rho0, TIMES, method=method, observe=ops)
    mats = [
        np.asarray(o.to_matrix(n, "scipy").toarray())
        if isinstance(o, bs.SiteOperator)
        else (
            o.toarray()
            if sp.issparse(o)
            else np.array(o.tolist() if isinstance(o, sympy.MatrixBase) else o, dtype=complex)
        )
        for o in ops
    ]
    ref = np.array([[np.trace(o @ s) for o in mats] for s in full.states])
    assert herm.observed == "expect" and herm.expect.dtype == float  # Hermitian: real
    np.testing.assert_allclose(herm.expect, ref.real, atol=1e-11)
    np.testing.assert_allclose(ref.imag, 0, atol=1e-11)
    nonherm = bs.simulate(net, rho0, TIMES, method=method, observe=[bs.sigma_minus(1), m])
    ref2 = np.array([[np.trace(o @ s) for o in (mats_minus(n), m)] for s in full.states])
    assert np.iscomplexobj(nonherm.expect)
    np.testing.assert_allclose(nonherm.expect, ref2, atol=1e-11)


def mats_minus(n: int) -> np.ndarray:
    return np.asarray(bs.sigma_minus(1).to_matrix(n, "scipy").toarray())


def test_function_observer_gets_time_and_state():
    net, rho0 = bs.paper.example3(coupling=5, n=2, numeric=True)
    full = bs.simulate(net, rho0, TIMES)
    seen = []

    def purity(t, rho):
        seen.append((t, rho.copy()))
        return float(np.trace(rho @ rho).real)

    traj = bs.simulate(net, rho0, TIMES, observe=purity)
    assert traj.observed == "function" and len(traj.values) == len(TIMES)
    np.testing.assert_allclose(traj.values, [np.trace(s @ s).real for s in full.states], atol=1e-12)
    assert [t for t, _ in seen] == list(TIMES)
    np.testing.assert_allclose(np.array([r for _, r in seen]), full.states, atol=1e-13)
    # the state handed over is the caller's to keep (not a view that changes later)
    assert not np.shares_memory(seen[0][1], seen[1][1])


def test_missing_data_raises_a_clear_error():
    net, rho0 = bs.paper.example3(coupling=5, n=2, numeric=True)
    red = bs.simulate(net, rho0, TIMES, observe="reduced")
    with pytest.raises(NotStoredError, match="only the reduced states.*observe='states'"):
        _ = red.states
    with pytest.raises(NotStoredError, match="expectation values"):
        _ = red.expect
    ex = bs.simulate(net, rho0, TIMES, observe=[bs.sigma_z(1)])
    with pytest.raises(NotStoredError, match="only expectation values"):
        ex.reduced(1)
    with pytest.raises(NotStoredError):
        ex.bloch(2)
    with pytest.raises(NotStoredError, match="function values"):
        _ = ex.values
    full = bs.simulate(net, rho0, TIMES)
    with pytest.raises(NotStoredError, match="expectation values"):
        _ = full.expect
    assert "observed='reduced'" in repr(red)
    assert issubclass(NotStoredError, BlendsymError)
    # j is checked before anything else
    with pytest.raises(InvalidArgumentError, match="j must be a qubit index"):
        red.reduced(3)


@pytest.mark.parametrize(
    "observe,fragment",
    [
        ("nope", "observe must be 'states', 'reduced'"),
        ([], "empty"),
        (bs.sigma_z(1), "wrap a single operator in a list"),
        (np.eye(4), "wrap a single operator in a list"),
        ([np.eye(3)], "observe[0] must be a 4 x 4 operator"),
        ([bs.sigma_z(1), np.ones(4)], "observe[1] must be a 4 x 4 matrix"),
        ([np.full((4, 4), np.nan)], "observe[0] must have finite entries"),
        ([bs.sigma_z(3)], "qubit 3"),
        ([sympy.Matrix(4, 4, lambda i, j: sympy.Symbol("a") if i == j else 0)], "free symbols"),
        (3, "observe must be"),
    ],
)
def test_bad_observe_is_refused(observe, fragment):
    net, rho0 = bs.paper.example3(coupling=5, n=2, numeric=True)
    with pytest.raises(BlendsymError) as exc:
        bs.simulate(net, rho0, TIMES, observe=observe)
    assert fragment in str(exc.value)


def test_reduced_never_allocates_the_states():
    """At n = 6 with 201 outputs the states take 13 MB; observe='reduced' must not allocate
    anything of that order (the n = 10 trajectory is 1.7 GB).  What remains is the Krylov
    basis and O(m) numbers per output of a step."""
    net, rho0 = bs.paper.example3(coupling=40, n=6, numeric=True)
    times = np.linspace(0, 1, 201)
    states_bytes = len(times) * 16 * net.dim**2
    bs.simulate(net, rho0, times[:3], method="matrix_free")  # build the forms first

    def peak(observe) -> int:
        tracemalloc.start()
        try:
            bs.simulate(net, rho0, times, method="matrix_free", observe=observe)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    full, reduced = peak("states"), peak("reduced")
    assert full >= states_bytes
    assert reduced < states_bytes / 1.5
    assert reduced < full - 0.9 * states_bytes


def test_sweeps_keep_only_reduced_states_when_that_is_what_they_measure():
    net = sweep.random_network(3, 4, coupling=1)
    rho0 = np.eye(8) / 8
    times = np.linspace(0, 1, 5)
    got = sweep.kc_sweep(
        net, rho0, times, [1.0, 10.0], measure="disagreement", progress=False, executor=None
    )
    serial = [sweep.disagreement(bs.simulate(net, rho0, times, kc=k)) for k in (1.0, 10.0)]
    np.testing.assert_allclose(got.as_array(), serial, atol=1e-12)

    def observed(traj):
        return traj.observed

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as ex:
        kinds = sweep.kc_sweep(net, rho0, times, [1.0], measure=observed, executor=ex).values
    assert kinds == ["states"]  # a custom measure may need anything
    assert sweep._observe_for(sweep.reduced_states) == "reduced"
    assert sweep._observe_for(sweep.disagreement) == "reduced"
    assert sweep._observe_for(sweep.final_state) == "states"


def test_network_propagator_is_accepted_by_simulate():
    net, rho0 = bs.paper.example3(coupling=5, n=3, numeric=True)
    prop = bs.NetworkPropagator(net, 7)
    for method in METHODS:
        a = bs.simulate(prop, rho0, TIMES, method=method)
        b = bs.simulate(net, rho0, TIMES, kc=7, method=method)
        np.testing.assert_allclose(a.states, b.states, atol=1e-10)
    assert bs.simulate(prop, rho0, TIMES, kc=7).method == "dense"
    with pytest.raises(InvalidArgumentError, match="differs from the propagator's gain 7"):
        bs.simulate(prop, rho0, TIMES, kc=8)
    with pytest.raises(InvalidArgumentError, match="QuantumNetwork or a NetworkPropagator"):
        bs.simulate("net", rho0, TIMES)
    assert prop.kc == 7.0 and prop.n == 3 and prop.dim == 8 and prop.network is net
    # the forms are the ones the network's memo holds, and they are read-only
    assert prop.real_csr() is bs.NetworkPropagator(net, 7).real_csr()
    with pytest.raises(ValueError, match="read-only"):
        prop.real_dense()[0, 0] = 1.0
    np.testing.assert_allclose(
        prop.complex_csr().toarray(), net.liouvillian(kc=7, backend="scipy").toarray()
    )
