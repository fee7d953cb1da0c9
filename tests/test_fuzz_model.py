"""Hostile input to the public constructors of the model layer: every call either returns a
valid result or raises a BlendsymError (never a TypeError, ValueError, OverflowError, ... from
Python, NumPy or SymPy internals, and never runs code from a string)."""

from __future__ import annotations

import builtins
import math
import traceback

import networkx as nx
import numpy as np
import pytest
import sympy
from hypothesis import example, given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.errors import BlendsymError
from blendsym.model import permutations as perm
from blendsym.model import states

# a string that would run code if anything sympified or evaluated it
_TRAP = "__import__('builtins').setattr(__import__('builtins'), 'BLENDSYM_PWNED', 1)"

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 5),
    st.sampled_from([2**63, -(2**64)]),
    st.sampled_from([400, -5000]).map(lambda k: 10 ** abs(k) * (1 if k > 0 else -1)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e-400, 1e300, 1e308, 5e-324, -0.0]),
    st.complex_numbers(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.sampled_from(["1", "١", "²", "1e3", _TRAP, "x", ""]),
    st.binary(max_size=3),
    st.sampled_from(
        [
            sympy.nan,
            sympy.zoo,
            sympy.oo,
            -sympy.oo,
            sympy.I,
            sympy.Symbol("x"),
            sympy.Symbol("p", positive=True),
            sympy.Integer(10) ** 400,
            sympy.Float("1e400"),
            sympy.Float("1e-400"),
            sympy.Rational(1, 3),
            sympy.sqrt(2),
            sympy.exp(1000),
            sympy.true,
            sympy.Matrix([[1]]),
            sympy.Eq(sympy.Symbol("x"), 1),
        ]
    ),
    st.sampled_from([np.int64(2), np.float64("nan"), np.complex128(1j), np.bool_(True)]),
    st.sampled_from([object(), {}, set(), frozenset({1}), range(3), slice(1), Ellipsis]),
)


def _arrays():
    return st.one_of(
        st.sampled_from(
            [
                np.eye(2) / 2,
                np.eye(4) / 4,
                np.zeros((2, 2)),
                np.full((2, 2), np.nan),
                np.array([[1, 0], [0, 0]], dtype=bool),
                np.array([["a", "b"], ["c", "d"]]),
                np.array([[_TRAP, 0], [0, 1]], dtype=object),
                np.array([[sympy.Rational(1, 2), 0], [0, sympy.Rational(1, 2)]], dtype=object),
                np.array([[sympy.Symbol("x"), 0], [0, 1]], dtype=object),
                np.array([[sympy.zoo, 0], [0, 1]], dtype=object),
                np.array([[None, 0], [0, 1]], dtype=object),
                np.ones((2, 2, 2)) / 2,
                np.ones(4),
                np.ones((3, 3)),
                np.ones((0, 0)),
                np.array(1.0),
                np.array([[np.inf, 0], [0, 1e308]]),
            ]
        ),
        st.sampled_from(
            [
                sympy.Matrix([[sympy.Rational(1, 2), 0], [0, sympy.Rational(1, 2)]]),
                sympy.Matrix([[sympy.nan, 0], [0, 1]]),
                sympy.Matrix([[sympy.Symbol("x"), 0], [0, 1]]),
                sympy.Matrix([[1, 2], [3, 4]]),
                sympy.zeros(3, 3),
                sympy.SparseMatrix(4, 4, {(0, 0): 1}),
                sympy.ImmutableMatrix([[0, 1], [1, 0]]),
            ]
        ),
        st.recursive(
            _SCALARS | st.just(0.5),
            lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner),
            max_leaves=10,
        ),
    )


_ANY = st.one_of(_SCALARS, _arrays())


def _call(f, *args, **kwargs):
    """Run ``f``; a BlendsymError or a result is fine, anything else fails the test."""
    try:
        return f(*args, **kwargs)
    except BlendsymError as exc:
        str(exc)  # the message itself must be printable
        return None
    finally:
        assert not hasattr(builtins, "BLENDSYM_PWNED"), "a string was evaluated as code"


def _op(f):
    """An arithmetic operator: also Python's TypeError for an unsupported operand type (the
    operator protocol: both sides returned NotImplemented, or a builtin such as ``str``
    refused), but not a TypeError raised from inside blendsym other than its deliberate
    refusal of matrix operands."""
    try:
        return _call(f)
    except TypeError as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        inside = [fr for fr in frames if "/blendsym/" in fr.filename.replace("\\", "/")]
        assert not inside or inside[-1].name == "_refuse_matrix", (exc, inside)
        return None


def _mapping(key, value):
    try:
        return {key: value}
    except TypeError:  # an unhashable key cannot even be put in a dict
        return {}


def _nx_graph(edges):
    g = nx.Graph()
    for e in edges:
        try:
            g.add_edge(*e)
        except (TypeError, ValueError, nx.NetworkXError):  # None or unhashable nodes
            pass
    return g


X1 = bs.sigma_x(1)
NET = bs.QuantumNetwork(
    2, [(1, 2)], bs.sigma_z(1), [(sympy.Symbol("g", positive=True), bs.sigma_minus(1))]
)


@settings(max_examples=150)
@given(
    n=st.one_of(_SCALARS, st.integers(1, 3)),
    weights=st.one_of(_ANY, st.sampled_from([[], [(1, 2)], [(1, 2, 0.5)], nx.path_graph(2)])),
    hamiltonian=st.one_of(_ANY, st.just(X1)),
    jumps=st.one_of(_ANY, st.lists(st.tuples(_SCALARS, st.just(X1)), max_size=2)),
    coupling=_SCALARS,
    hbar=_SCALARS,
)
def test_network_constructor(n, weights, hamiltonian, jumps, coupling, hbar):
    net = _call(bs.QuantumNetwork, n, weights, hamiltonian, jumps, coupling=coupling, hbar=hbar)
    if net is not None:
        assert 1 <= net.n <= bs.limits.NETWORK_MAX_QUBITS
        repr(net)


_VALID = {
    "n": 2,
    "weights": [(1, 2, sympy.Rational(1, 2))],
    "hamiltonian": bs.sigma_z(1) + bs.sigma_x(2),
    "jumps": [(sympy.Rational(1, 3), bs.sigma_minus(1))],
    "coupling": 3,
    "hbar": 1,
}


@pytest.mark.parametrize("arg", sorted(_VALID))
@settings(max_examples=60)
@example(value=[(None, None), (None, -(10**400))]).via("an int beyond double precision")
@given(
    value=st.one_of(_ANY, st.lists(_ANY, max_size=3), st.lists(st.tuples(_ANY, _ANY), max_size=2))
)
def test_network_one_hostile_argument(arg, value):
    """All arguments valid but one: the error (if any) names that argument."""
    kwargs = dict(_VALID, **{arg: value})
    try:
        net = bs.QuantumNetwork(**kwargs)
    except BlendsymError as exc:
        words = {
            "n": "n",
            "weights": "weights",
            "hamiltonian": "hamiltonian",
            "jumps": "jumps",
            "coupling": "coupling",
            "hbar": "hbar",
        }
        assert words[arg] in str(exc), (arg, str(exc))
        return
    finally:
        assert not hasattr(builtins, "BLENDSYM_PWNED")
    if all(not e.free_symbols for e in [net.coupling, net.hbar]):
        _call(net.liouvillian, None, "scipy")


@settings(max_examples=100)
@given(
    n=st.one_of(_SCALARS, st.integers(1, 4)),
    weights=st.one_of(
        _ANY,
        st.lists(st.tuples(_SCALARS, _SCALARS), max_size=3),
        st.lists(st.tuples(_SCALARS, _SCALARS, _SCALARS), max_size=3),
        st.builds(_nx_graph, st.lists(st.tuples(_SCALARS, _SCALARS), max_size=3)),
    ),
)
def test_graph_constructor(n, weights):
    g = _call(bs.Graph, n, weights)
    if g is not None:
        assert g.n_components >= 1
        repr(g)
        _call(lambda: g.lambda_m)


@settings(max_examples=100)
@given(j=_ANY, other=_ANY, k=_SCALARS)
def test_site_operators(j, other, k):
    for ctor in (bs.sigma_x, bs.sigma_y, bs.sigma_z, bs.sigma_plus, bs.sigma_minus):
        op = _call(ctor, j)
        if op is not None:
            assert all(s >= 1 and type(s) is int for s in op.sites)
    _op(lambda: X1 * other)
    _op(lambda: other * X1)
    _op(lambda: X1 + other)
    _op(lambda: other + X1)
    _op(lambda: X1 - other)
    _op(lambda: other - X1)
    _op(lambda: X1 / other)
    _op(lambda: X1**k)
    assert (X1 == other) in (True, False)
    _call(bs.site_operator, other, j)
    _call(bs.from_matrix, other)
    _call(bs.SiteOperator, other)
    _call(bs.SiteOperator, _mapping(other, 1))
    _call(X1.coefficient, other)
    _call(X1.subs, other)
    _call(X1.subs, sympy.Symbol("x"), other)
    _call(X1.to_matrix, k)
    _call(X1.to_matrix, 2, other)


@settings(max_examples=100)
@given(rho=_ANY, j=_SCALARS, tol=_SCALARS, n=_SCALARS)
def test_states(rho, j, tol, n):
    out = _call(bs.validate_density, rho)
    if out is not None:
        assert bs.is_density(out)
    _call(bs.validate_density, rho, tol=tol)
    _call(bs.validate_density, rho, n=n)
    _call(bs.is_density, rho, tol=tol) if isinstance(tol, float) and math.isfinite(tol) else None
    _call(bs.reduced_state, rho, j)
    _call(bs.reduced_states, rho)
    _call(bs.partial_trace, rho, [j])
    _call(bs.partial_trace, rho, j)
    _call(bs.bloch_vector, rho)
    _call(bs.bloch_vector, rho, j)
    _call(bs.state_from_bloch, rho)
    _call(bs.state_from_bloch, [j, j, j])
    _call(bs.state_from_bloch, [0, 0, 0], j)
    _call(bs.product_state, rho)
    _call(bs.product_state, rho, "0")
    _call(bs.ket, j)
    _call(bs.basis_state, j)
    _call(states.n_qubits_of, rho)


@settings(max_examples=100)
@given(a=_ANY, b=_SCALARS, c=_SCALARS)
def test_permutations(a, b, c):
    _call(perm.swap_permutation, b, c, 2)
    _call(perm.swap_permutation, 1, 2, b)
    _call(perm.swap_unitary, 1, 2, 2, c)
    _call(perm.permutation_action, a, 2)
    _call(perm.permutation_action, (1, 2), b)
    _call(perm.permutation_unitary, a, 2, c)
    _call(perm.orbit_labels, b)
    _call(perm.orbit_labels, 2, a)
    _call(perm.permutation_invariant_projection, a)
    _call(perm.permutation_invariant_projection_literal, a)
    _call(perm.is_permutation_invariant, a)
    _call(perm.is_permutation_invariant, np.eye(2) / 2, b)


@settings(max_examples=100)
@given(key=_ANY, value=_ANY, kc=_SCALARS, backend=_SCALARS)
def test_network_methods(key, value, kc, backend):
    _call(NET.subs, _mapping(key, value))
    _call(NET.subs, key)
    _call(NET.subs, {sympy.Symbol("g", positive=True): value})
    _call(NET.with_coupling, kc)
    _call(NET.liouvillian, kc)
    _call(NET.liouvillian, kc, "scipy")
    _call(NET.liouvillian, None, backend)
    _call(NET.swap_operator, kc, 2)
    _call(NET.permutation_operator, key)


@pytest.mark.parametrize(
    "call",
    [
        lambda: bs.validate_density([[_TRAP, 0], [0, 1]]),
        lambda: bs.validate_density(np.array([[_TRAP, 0], [0, 1]], dtype=object)),
        lambda: NET.subs({sympy.Symbol("g", positive=True): _TRAP}),
        lambda: NET.subs({_TRAP: 1}),
        lambda: bs.sigma_x(1).subs(sympy.Symbol("x"), _TRAP),
        lambda: bs.from_matrix(np.array([[_TRAP, 0], [0, 1]], dtype=object)),
        lambda: bs.conventions.left_superop([[_TRAP, 0], [0, 1]]),
        lambda: bs.conventions.hamiltonian_superop(np.eye(2), hbar=_TRAP),
        lambda: bs.state_from_bloch([_TRAP, 0, 0]),
        lambda: bs.QuantumNetwork(1, [], hamiltonian=_TRAP),
        lambda: bs.QuantumNetwork(2, [(1, 2, _TRAP)]),
        lambda: bs.permutation_invariant_projection([[_TRAP, 0], [0, 1]]),
    ],
)
def test_strings_are_never_evaluated(call):
    with pytest.raises(BlendsymError):
        call()
    assert not hasattr(builtins, "BLENDSYM_PWNED")


@settings(max_examples=60)
@given(eta=_SCALARS, t1=_SCALARS, t2=_SCALARS)
def test_theorem_arguments(eta, t1, t2):
    """Hostile eta, T1, T2, t_final: refused by name before any work (net=None is refused
    last, so a valid combination costs nothing either)."""
    for call in (
        lambda: bs.bounds.theorem1(None, None, eta, t_final=t1),
        lambda: bs.bounds.theorem2(None, None, eta, t1, t2),
        lambda: bs.bounds.theorem3(None, None, eta, t1, t2),
        lambda: bs.bounds.theorem4(None, None, eta, t1, t_final=t2),
    ):
        with pytest.raises(BlendsymError):
            call()


@pytest.fixture(scope="module")
def theorem4_bound():
    net, rho0 = bs.paper.example3()
    return bs.bounds.theorem4(net, rho0, 0.05, 1.0, t_final=2.0)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # overflow inside a huge-gain expm
@settings(max_examples=30)
@given(kc=_SCALARS, times=_ANY)
def test_bound_methods(theorem4_bound, kc, times):
    _call(theorem4_bound.check, kc, [0.0, 0.5])
    _call(theorem4_bound.check, None, times)
    _call(theorem4_bound.eta_holds, kc, [0.0, 0.5])
    _call(bs.bounds.theorem4_envelope, theorem4_bound.constants, kc, times)
    _call(bs.bounds.bisect_kc, lambda k: True, kc, 2.0)
