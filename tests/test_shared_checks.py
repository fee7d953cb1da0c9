"""Arguments checked by the shared checks of ``blendsym._validate`` in every module.

Each test reproduces an input that a module-local check handled differently (a string value
sympified, a bool read as an integer, a time list accepted without its name in the message).
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import blendsym as bs
from blendsym import paper
from blendsym.coherent import permutation_averaged_network
from blendsym.errors import InvalidArgumentError, SizeLimitError
from blendsym.evolve import propagate
from blendsym.krylov import expm_krylov
from blendsym.limits import AVERAGED_NETWORK_QUBITS
from blendsym.spectral import SpectralAnalysis, numeric_propagator
from blendsym.sweep import kc_sweep

X = sympy.Symbol("x")
A = sympy.Matrix([[-X, 0], [0, -1]])


def _message(exc, call) -> str:
    with pytest.raises(exc) as info:
        call()
    return str(info.value)


def test_numeric_propagator_never_evaluates_a_string_parameter(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    msg = _message(InvalidArgumentError, lambda: numeric_propagator(A, [1, 0], params={X: code}))
    assert "params[x]" in msg and "string" in msg
    assert not marker.exists()


def test_numeric_propagator_parameters_by_symbol_or_name():
    for params in ({X: 2}, {"x": 2}, {X: sympy.Rational(2)}):
        f = numeric_propagator(A, [1, 1], params=params)
        np.testing.assert_allclose(f([0.5]).ravel(), [np.exp(-1.0), np.exp(-0.5)], rtol=1e-12)


def test_numeric_propagator_unknown_parameter_name_is_named():
    msg = _message(InvalidArgumentError, lambda: numeric_propagator(A, [1, 0], params={"y": 1}))
    assert "'y'" in msg and "x" in msg


@pytest.mark.parametrize("bad", [True, 2.0, "2", -2])
def test_state_dim_must_be_a_positive_integer(bad):
    m = sympy.diag(-1, -2, -3, -4)
    msg = _message(InvalidArgumentError, lambda: SpectralAnalysis(m, state_dim=bad))
    assert "state_dim" in msg


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"tol": True}, "tol"), ({"tol": -1e-9}, "tol"), ({"krylov_dim": 1.5}, "krylov_dim")],
)
def test_propagate_options_named(kwargs, name):
    g = np.diag([-1.0, -2.0])
    msg = _message(InvalidArgumentError, lambda: propagate(g, np.ones(2), [0.0, 1.0], **kwargs))
    assert name in msg


@pytest.mark.parametrize("bad", [["1", "2"], [0.0, float("nan")], [2.0, 1.0], "0 1"])
def test_krylov_times_checked_by_name(bad):
    msg = _message(InvalidArgumentError, lambda: expm_krylov(lambda x: -x, np.ones(3), bad, m=3))
    assert "times" in msg


@pytest.mark.parametrize("bad", [[], [1.0, -2.0], ["3"], [float("inf")], True])
def test_kc_sweep_gains_checked_by_name(bad):
    net, rho0 = paper.example1()
    msg = _message(InvalidArgumentError, lambda: kc_sweep(net, rho0, [0.0, 1.0], bad))
    assert "kcs" in msg


def test_permutation_average_refused_with_its_named_limit():
    n = AVERAGED_NETWORK_QUBITS + 1
    net = bs.QuantumNetwork(n, _path(n))
    msg = _message(SizeLimitError, lambda: permutation_averaged_network(net))
    assert "AVERAGED_NETWORK_QUBITS" in msg


def _path(n: int) -> np.ndarray:
    w = np.zeros((n, n), dtype=int)
    for j in range(n - 1):
        w[j, j + 1] = w[j + 1, j] = 1
    return w
