"""Sweeps on executors give the serial results: threads, processes and a local Dask client."""

from __future__ import annotations

import concurrent.futures as cf
import math

import numpy as np
import pytest
import sympy

import blendsym as bs
from blendsym import sweep
from blendsym.errors import BlendsymError

R = sympy.Rational


def small_model(kc=None) -> bs.QuantumNetwork:
    h = bs.sigma_z(1) + R(1, 2) * bs.sigma_x(2) + bs.sigma_x(1) * bs.sigma_y(3)
    jumps = [(R(1, 4), bs.sigma_minus(j)) for j in (1, 2, 3)]
    return bs.QuantumNetwork(3, [(1, 2), (2, 3, R(1, 2))], h, jumps, coupling=kc)


RHO0 = np.array(bs.product_state("1", "+", "0").tolist(), dtype=complex)
TIMES = np.linspace(0.0, 2.0, 9)
GAINS = [0.5, 2.0, 8.0, 30.0]


def serial_values(measure):
    net = small_model()
    return [measure(bs.simulate(net, RHO0, TIMES, kc=k)) for k in GAINS]


def square(x):
    return x * x


def fail_on_three(x):
    if x == 3:
        raise ValueError("three")
    return x


def purity_of_final(traj):
    rho = traj.states[-1]
    return float(np.trace(rho @ rho).real)


def n_edges(net):
    return len(net.graph.edges)


@pytest.fixture(scope="module")
def dask_executor():
    distributed = pytest.importorskip("distributed")
    client = distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    )
    try:
        yield client.get_executor()
    finally:
        client.close()


def executors(kind, dask_executor=None):
    if kind == "thread":
        return cf.ThreadPoolExecutor(2)
    if kind == "process":
        return cf.ProcessPoolExecutor(2)
    return dask_executor


# ----------------------------------------------------------------------------- map_tasks


def test_map_tasks_order_and_errors():
    with cf.ThreadPoolExecutor(3) as ex:
        assert sweep.map_tasks(square, range(10), executor=ex) == [x * x for x in range(10)]
        assert sweep.map_tasks(square, [], executor=ex) == []
        with pytest.raises(ValueError, match="three"):
            sweep.map_tasks(fail_on_three, range(6), executor=ex)
    with pytest.raises(BlendsymError, match="executor"):
        sweep.map_tasks(square, [1], executor=object())
    with pytest.raises(BlendsymError, match="callable"):
        sweep.map_tasks(3, [1])


def test_map_tasks_default_process_pool_and_progress_bar():
    assert sweep.map_tasks(square, range(12), progress=True) == [x * x for x in range(12)]


# ----------------------------------------------------------------------------- K_c sweeps


@pytest.mark.parametrize("kind", ["thread", "process", "dask"])
def test_kc_sweep_equals_serial(kind, dask_executor):
    ex = executors(kind, dask_executor)
    try:
        got = sweep.kc_sweep(small_model(), RHO0, TIMES, GAINS, measure="disagreement", executor=ex)
        reduced = sweep.kc_sweep(small_model(), RHO0, TIMES, GAINS, executor=ex)
        custom = sweep.kc_sweep(
            small_model(), RHO0, TIMES, GAINS, measure=purity_of_final, executor=ex
        )
    finally:
        if kind != "dask":
            ex.shutdown()
    np.testing.assert_allclose(got.as_array(), serial_values(sweep.disagreement), atol=1e-12)
    np.testing.assert_allclose(reduced.as_array(), serial_values(sweep.reduced_states), atol=1e-12)
    np.testing.assert_allclose(custom.values, serial_values(purity_of_final), atol=1e-12)
    assert got.measure == "disagreement" and custom.measure == "purity_of_final"
    np.testing.assert_array_equal(got.kcs, GAINS)
    assert reduced.as_array().shape == (len(GAINS), len(TIMES), 3, 2, 2)
    # strong coupling drives the reduced states together
    dis = got.as_array()
    assert dis[-1, -1] < dis[0, -1]


def test_kc_sweep_arguments():
    with pytest.raises(BlendsymError, match="kcs"):
        sweep.kc_sweep(small_model(), RHO0, TIMES, [1.0, -2.0])
    with pytest.raises(BlendsymError, match="measure"):
        sweep.kc_sweep(small_model(), RHO0, TIMES, [1.0], measure="nope")
    with pytest.raises(BlendsymError, match="net"):
        sweep.kc_sweep("net", RHO0, TIMES, [1.0])
    one = sweep.kc_sweep(small_model(), RHO0, TIMES, 3.0, measure="final_state", progress=False)
    assert one.values[0].shape == (8, 8)


# ----------------------------------------------------------------------------- bisection


class Threshold:
    """A monotone predicate with a known threshold (picklable)."""

    def __init__(self, k0):
        self.k0 = k0

    def __call__(self, k):
        return k >= self.k0


@pytest.mark.parametrize("points", [1, 3])
def test_empirical_kc_brackets_the_threshold(points):
    with cf.ThreadPoolExecutor(2) as ex:
        k = sweep.empirical_kc(Threshold(7.3), 0.1, 1000.0, rtol=0.01, executor=ex, points=points)
        assert 7.3 <= k <= 7.3 * 1.01
        assert sweep.empirical_kc(Threshold(0.05), 0.1, 10.0, executor=ex) == 0.1
        with pytest.raises(BlendsymError, match="does not hold"):
            sweep.empirical_kc(Threshold(50), 0.1, 10.0, executor=ex)
    with pytest.raises(BlendsymError, match="lo"):
        sweep.empirical_kc(Threshold(1), 5.0, 1.0)


@pytest.mark.parametrize("kind", ["process", "dask"])
def test_consensus_bisection_parallel_equals_serial(kind, dask_executor):
    """The empirical K_c* of the consensus promise: parallel rounds land where serial
    bisection does (both within rtol of the true switch point)."""
    ok = sweep.ConsensusCheck(small_model(), RHO0, TIMES, eta=0.05, t1=1.0)
    ex = executors(kind, dask_executor)
    try:
        par = sweep.empirical_kc(ok, 0.5, 500.0, rtol=0.05, executor=ex, points=2)
    finally:
        if kind != "dask":
            ex.shutdown()
    from blendsym.bounds import bisect_kc

    ser = bisect_kc(ok, 0.5, 500.0, rtol=0.05)
    assert ok(par) and ok(ser)
    assert not ok(par / 1.05) and not ok(ser / 1.05)
    assert math.isclose(par, ser, rel_tol=0.06)


# ----------------------------------------------------------------------------- random models


def test_random_network_is_reproducible_and_valid():
    a, b = sweep.random_network(4, 11), sweep.random_network(4, 11)
    assert repr(a) == repr(b)
    assert repr(sweep.random_network(4, 12)) != repr(a)
    assert bs.is_separable(sweep.random_network(3, 5, separable=True))
    assert not bs.is_separable(sweep.random_network(3, 5))
    assert bs.induced_graph(a).n_components >= 1
    with pytest.raises(BlendsymError, match="n must be"):
        sweep.random_network(0, 1)


@pytest.mark.parametrize("kind", ["thread", "process", "dask"])
def test_model_sweep_equals_serial(kind, dask_executor):
    ex = executors(kind, dask_executor)
    try:
        got = sweep.model_sweep(n_edges, 4, range(6), executor=ex)
    finally:
        if kind != "dask":
            ex.shutdown()
    assert got == [n_edges(sweep.random_network(4, s)) for s in range(6)]
