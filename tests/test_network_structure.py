"""The structure of QuantumNetwork: immutable, equal and hashed by value, one thread-safe memo
of derived values that is bounded where it holds large objects and never pickled."""

from __future__ import annotations

import concurrent.futures as cf
import copy
import pickle
import threading

import numpy as np
import pytest
import sympy
from hypothesis import given, settings

import blendsym as bs
from blendsym.errors import BlendsymError, ReadOnlyError
from blendsym.model._memo import Memo, nbytes
from blendsym.testing import inseparable_networks, separable_networks

R = sympy.Rational


def small(coupling=3, rate=None) -> bs.QuantumNetwork:
    rate = R(1, 2) if rate is None else rate
    return bs.QuantumNetwork(
        2,
        [(1, 2, R(3, 2))],
        bs.sigma_z(1) + bs.sigma_x(1) * bs.sigma_y(2),
        [(rate, bs.sigma_minus(1))],
        coupling=coupling,
    )


@pytest.mark.parametrize(
    "name", ["n", "graph", "hamiltonian", "jumps", "coupling", "hbar", "_memo", "anything"]
)
def test_attributes_are_read_only(name):
    net = small()
    before = repr(net)
    with pytest.raises(ReadOnlyError, match=f"cannot set attribute '{name}'"):
        setattr(net, name, 5)
    with pytest.raises(AttributeError):  # also an AttributeError, as a frozen dataclass
        setattr(net, name, 5)
    with pytest.raises(BlendsymError, match=f"cannot delete attribute '{name}'"):
        delattr(net, name)
    assert repr(net) == before
    assert isinstance(net.jumps, tuple)


def test_derived_networks_are_new_and_the_original_is_unchanged():
    net = small(coupling=None)
    g = sympy.Symbol("g", positive=True)
    other = net.with_coupling(5)
    assert other is not net and other.coupling == 5 and net.coupling == bs.KC
    sym = bs.QuantumNetwork(1, [], g * bs.sigma_z(1), coupling=1)
    num = sym.subs({g: 2})
    assert num is not sym and sym.free_symbols == {g} and not num.free_symbols
    flt = bs.QuantumNetwork(1, [], 0.5 * bs.sigma_z(1), coupling=1)
    ex = flt.exact()
    assert ex is not flt and ex.is_exact and not flt.is_exact


def test_equality_and_hash_by_value():
    a, b = small(), small()
    assert a == b and hash(a) == hash(b) and a is not b
    assert len({a, b}) == 1
    assert a != small(coupling=4) and a != small(rate=R(1, 3))
    assert a != a.with_coupling(4) and a == a.with_coupling(3)
    # structural: 1/2 and 0.5 differ (the exact and the float model are different data)
    assert small(rate=R(1, 2)) != small(rate=0.5)
    assert a != "network" and (a == "network") is False
    # the order of the jumps is part of the data
    j1, j2 = (1, bs.sigma_minus(1)), (2, bs.sigma_minus(2))
    p = bs.QuantumNetwork(2, [(1, 2)], 0, [j1, j2], coupling=1)
    q = bs.QuantumNetwork(2, [(1, 2)], 0, [j2, j1], coupling=1)
    assert p != q


@settings(max_examples=10)
@given(separable_networks(min_n=1, max_n=3))
def test_equal_networks_have_equal_liouvillians(net):
    twin = bs.QuantumNetwork(
        net.n,
        net.graph.weights,
        net.hamiltonian,
        list(net.jumps),
        coupling=net.coupling,
        hbar=net.hbar,
    )
    assert twin == net and hash(twin) == hash(net)
    assert (twin.liouvillian(kc=2, backend="sympy") - net.liouvillian(kc=2)).is_zero_matrix


@settings(max_examples=5)
@given(inseparable_networks(max_n=2))
def test_pickle_and_copy_drop_the_memo(net):
    net = net.with_coupling(2)
    net.liouvillian(backend="scipy")  # fill the memo
    bs.simulate(net, np.eye(net.dim) / net.dim, [0.0, 0.5], method="dense")
    assert net.cache_info()["entries"]["bytes"] > 0
    data = pickle.dumps(net)
    back = pickle.loads(data)
    assert back == net and back.cache_info()["entries"]["items"] <= 2  # hash/value key only
    assert len(data) < 20_000  # the model, not its matrices
    with pytest.raises(ReadOnlyError):
        back.n = 3
    assert copy.copy(net) is net and copy.deepcopy(net) is net


def test_memo_matrices_are_read_only():
    net = small()
    local = net.local_liouvillian("scipy")
    with pytest.raises(ValueError, match="read-only"):
        local.data[0] = 7
    assert net.local_liouvillian("scipy") is local  # computed once
    full = net.liouvillian(backend="scipy")  # a new matrix: the caller's to change
    full.data[0] = full.data[0]


def test_clear_cache_and_cache_info():
    net = small()
    bs.simulate(net, np.eye(4) / 4, [0.0, 0.1, 0.2], method="dense")
    info = net.cache_info()
    assert info["dense propagators"]["items"] == 1 and info["numeric forms"]["items"] >= 1
    net.clear_cache("dense propagators")
    assert "dense propagators" not in net.cache_info()
    net.clear_cache()
    assert net.cache_info()["entries"]["items"] == 0
    with pytest.raises(BlendsymError, match="section must be a string"):
        net.clear_cache(3)


def test_memo_computes_once_across_threads():
    memo = Memo()
    calls = []
    gate = threading.Event()

    def factory():
        calls.append(1)
        gate.wait(1.0)
        return np.arange(10)

    with cf.ThreadPoolExecutor(8) as ex:
        futures = [ex.submit(memo.get, "k", factory) for _ in range(8)]
        gate.set()
        values = [f.result() for f in futures]
    assert len(calls) == 1 and all(v is values[0] for v in values)
    # a failing factory leaves nothing behind, and the next call computes again
    with pytest.raises(ZeroDivisionError):
        memo.get("bad", lambda: 1 / 0)
    assert memo.get("bad", lambda: 2) == 2


def test_memo_sections_are_bounded_by_items_and_bytes():
    memo = Memo()
    for i in range(10):
        memo.section_get("s", i, lambda: np.zeros(1000), max_items=4)
    assert memo.section_keys("s") == [6, 7, 8, 9]
    # touching an entry makes it the newest
    key, _, computed = memo.section_get("s", 6, lambda: None, max_items=4)
    assert key == 6 and not computed and memo.section_keys("s")[-1] == 6
    for i in range(5):
        memo.section_get("b", i, lambda: np.zeros(1000), max_items=10, max_bytes=20_000)
    assert memo.section_keys("b") == [3, 4]  # 8000 bytes each
    memo.section_get("b", 9, lambda: np.zeros(10_000), max_items=10, max_bytes=20_000)
    assert memo.section_keys("b") == [9]  # larger than the budget: kept alone
    # an equivalent key found by match is reused
    key, _, computed = memo.section_get(
        "b",
        9.0000001,
        lambda: None,
        max_items=10,
        match=lambda keys: next((k for k in keys if abs(k - 9) < 1e-3), None),
    )
    assert key == 9 and not computed
    assert memo.info()["b"] == {"items": 1, "bytes": 80_000}
    assert nbytes((np.zeros(3), [np.zeros(2)], {"a": np.zeros(1)})) == 48
