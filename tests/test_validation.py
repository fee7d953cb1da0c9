"""One place for argument checks (blendsym._validate), the size limits (blendsym.limits), the
exact positivity test (blendsym.model.positivity) and the typed theorem constants; with the
reproducers of the model-level faults of the fault-injection run as regression tests."""

from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym import _validate as v
from blendsym.bounds import constants as bc
from blendsym.errors import (
    BlendsymError,
    InternalError,
    InvalidArgumentError,
    InvalidGraphError,
    InvalidModelError,
    InvalidOperatorError,
    InvalidStateError,
    NotComputableError,
    SizeLimitError,
)
from blendsym.model.positivity import exact_psd_violation
from blendsym.testing import density_matrices

R = sympy.Rational
X1 = bs.sigma_x(1)
G = sympy.Symbol("g", positive=True)


def _raises(exc, call, *fragments):
    with pytest.raises(exc) as info:
        call()
    msg = str(info.value)
    for f in fragments:
        assert f in msg, (f, msg)
    return msg


# ----------------------------------------------------------------------------- the error family


def test_internal_error_is_not_a_blendsym_error():
    """InternalError reports a bug: `except BlendsymError` (bad input) must not swallow it."""
    assert issubclass(InternalError, RuntimeError)
    assert not issubclass(InternalError, BlendsymError)
    with pytest.raises(InternalError, match="cannot fail"):
        v.internal_check(False, "this cannot fail")
    v.internal_check(True, "fine")
    assert issubclass(SizeLimitError, InvalidArgumentError)
    assert bs.InternalError is InternalError and bs.SizeLimitError is SizeLimitError


# ----------------------------------------------------------------------------- reproducers


def test_nan_bloch_vector_refused():
    # was: a NumPy array full of NaN (state_from_bloch did not check its input)
    _raises(
        InvalidArgumentError, lambda: bs.state_from_bloch([float("nan"), 0, 0]), "r[0]", "finite"
    )
    _raises(InvalidArgumentError, lambda: bs.state_from_bloch([0, 0, sympy.nan]), "r[2]", "finite")


def test_scalar_given_as_bloch_vector_refused():
    # was: TypeError: object of type 'float' has no len()
    _raises(InvalidArgumentError, lambda: bs.state_from_bloch(float("nan")), "r must be a sequence")
    _raises(InvalidArgumentError, lambda: bs.state_from_bloch("0.1"), "r must be a sequence")


def test_bloch_vector_components_must_be_real_numbers():
    _raises(InvalidArgumentError, lambda: bs.state_from_bloch([1j, 0, 0]), "r[0] must be real")
    _raises(InvalidArgumentError, lambda: bs.state_from_bloch(["1", 0, 0]), "r[0]", "string")
    _raises(InvalidArgumentError, lambda: bs.state_from_bloch([sympy.Symbol("x"), 0, 0]), "real")
    x = sympy.Symbol("x", real=True)
    assert bs.state_from_bloch([x, 0, 0])[0, 1] == x / 2
    assert bs.state_from_bloch([R(1, 2), 0, 0]) == sympy.Matrix(
        [[R(1, 2), R(1, 4)], [R(1, 4), R(1, 2)]]
    )


def test_nan_mixture_weight_refused():
    # a NaN weight of a mixture of basis states (exact and float)
    rho = sympy.Matrix([[sympy.nan, 0], [0, 1]])
    _raises(InvalidStateError, lambda: bs.validate_density(rho), "NaN or infinite")
    _raises(
        InvalidStateError, lambda: bs.validate_density(sympy.nan * bs.basis_state("0")), "matrix"
    )
    _raises(
        InvalidStateError, lambda: bs.validate_density(np.diag([np.nan, 1.0])), "NaN or infinite"
    )


@pytest.mark.parametrize("hbar", [1e-400, sympy.Float("1e-400"), R(1, 10**400)])
def test_hbar_that_underflows_refused(hbar):
    # was: ZeroDivisionError in hamiltonian_superop (-1j / complex(hbar)) with backend="scipy"
    _raises(InvalidModelError, lambda: bs.QuantumNetwork(2, [(1, 2)], X1, hbar=hbar), "hbar")


def test_numbers_outside_double_range_refused_by_name():
    # was: accepted exactly, then inf/nan (or OverflowError) in the numeric generators
    _raises(
        InvalidModelError, lambda: bs.QuantumNetwork(2, [(1, 2)], X1, coupling=10**400), "coupling"
    )
    _raises(InvalidGraphError, lambda: bs.QuantumNetwork(2, [(1, 2, 10**400)], X1), "weights[0]")
    _raises(
        InvalidOperatorError,
        lambda: bs.QuantumNetwork(2, [(1, 2)], 1e200 * X1 * 1e200),
        "hamiltonian",
    )
    _raises(
        InvalidOperatorError,
        lambda: bs.QuantumNetwork(2, [(1, 2)], X1, [10**400 * bs.sigma_minus(1)]),
        "jumps[0]",
    )


def test_rate_of_1e400_blames_the_rate():
    # was: "rho must have finite entries" (the simulation produced NaN from an infinite rate)
    for rate in (sympy.Float("1e400"), 10**400):
        msg = _raises(
            InvalidModelError,
            lambda rate=rate: bs.QuantumNetwork(2, [(1, 2)], X1, [(rate, bs.sigma_minus(1))]),
            "jumps[0] rate gamma",
        )
        assert "rho" not in msg


def test_numeric_value_of_a_parameter_must_be_finite():
    net = bs.QuantumNetwork(2, [(1, 2)], X1, coupling=sympy.exp(1000))
    _raises(InvalidModelError, lambda: net.liouvillian(backend="scipy"), "coupling (K_c)", "finite")


@pytest.mark.parametrize("digits", [400, 5000])
def test_huge_integers_give_short_messages(digits):
    # was: ValueError "Exceeds the limit (4300 digits) for integer string conversion"
    big = 10**digits
    for call in (
        lambda: bs.QuantumNetwork(big, [], X1),
        lambda: bs.QuantumNetwork(2, [(1, big)], X1),
        lambda: bs.QuantumNetwork(2, [(1, 2, -big)], X1),
        lambda: bs.QuantumNetwork(2, [(1, 2)], X1, coupling=-big),
        lambda: bs.reduced_state(np.eye(4) / 4, big),
        lambda: bs.sigma_x(1) ** big,
    ):
        msg = _raises(BlendsymError, call)
        assert len(msg) < 400, msg


def test_ragged_weights_named():
    # was: "weights[0]: node j must be in 1..2 (1-based): found 0" (read as an edge list)
    msg = _raises(InvalidGraphError, lambda: bs.QuantumNetwork(2, [[0, 1], [1]], X1), "row 2 has 1")
    assert "2 x 2 matrix" in msg
    _raises(InvalidGraphError, lambda: bs.Graph(3, [[0, 1, 1], [1, 0], [1, 1, 0]]), "row 2 has 2")


def test_networkx_graph_with_mixed_node_labels():
    # was: TypeError: '<' not supported between instances of 'str' and 'int'
    _raises(InvalidGraphError, lambda: bs.Graph(2, nx.Graph([(1, "a")])), "integer nodes", "'a'")
    _raises(InvalidGraphError, lambda: bs.Graph(2, nx.Graph([(1, 2.0)])), "integer nodes")
    _raises(InvalidGraphError, lambda: bs.Graph(2, nx.Graph([(True, 2)])), "integer nodes")
    g = nx.Graph([(np.int64(1), np.int64(2))])
    assert bs.Graph(2, g).edges == [(1, 2, 1)]


def test_empty_edge_list_is_the_edgeless_graph():
    """Deliberate: [] is n isolated nodes; the theorems that need a connected G say so."""
    net = bs.QuantumNetwork(3, [], bs.sigma_z(1))
    assert net.graph.edges == [] and net.graph.n_components == 3
    assert net.graph.components == [[1], [2], [3]]
    assert net.swap_liouvillian("scipy").nnz == 0
    _raises(InvalidGraphError, lambda: net.graph.lambda_m, "no edge")
    rho = bs.basis_state("000")
    _raises(NotComputableError, lambda: bs.bounds.theorem4(net, rho, 0.1, 1.0), "edges")
    _raises(
        NotComputableError,
        lambda: bs.bounds.theorem1(net, rho, 0.1),
        "connected",
        "[[1], [2], [3]]",
    )


@pytest.mark.parametrize("site", ["١", "1", "٣", "²", b"1", 1.0, True, np.float64(1.0)])
def test_sites_must_be_ints(site):
    # Unicode digits are not sites in the Python API (the model-file parser is separate)
    for ctor in (bs.sigma_x, bs.sigma_plus):
        _raises(InvalidArgumentError, lambda ctor=ctor: ctor(site), "site")
    _raises(InvalidGraphError, lambda: bs.Graph(2, [(site, 2)]), "node j")
    _raises(InvalidArgumentError, lambda: bs.reduced_state(np.eye(4) / 4, site), "j must be")


def test_pauli_string_keys_use_ascii_sites():
    assert (X1 * bs.sigma_z(3)).coefficient("X1 Z3") == 1
    _raises(InvalidArgumentError, lambda: X1.coefficient("X١"), "ASCII")
    _raises(InvalidArgumentError, lambda: X1.coefficient("Q1"), "Pauli string")
    _raises(InvalidArgumentError, lambda: bs.SiteOperator({((0, "X"),): 1}), "site")
    _raises(InvalidArgumentError, lambda: bs.SiteOperator({((1, "Q"),): 1}), "'X', 'Y' or 'Z'")
    _raises(InvalidArgumentError, lambda: bs.SiteOperator({((1, "X"), (1, "Z")): 1}), "once")
    # keys are put in canonical (site) order
    op = bs.SiteOperator({((3, "Z"), (1, "X")): 2})
    assert op == 2 * X1 * bs.sigma_z(3)


def test_subs_never_evaluates_strings():
    # was: net.subs({g: "..."}) ran sympify on the string (code execution)
    net = bs.QuantumNetwork(2, [(1, 2)], G * X1, [(G, bs.sigma_minus(1))])
    _raises(
        InvalidArgumentError,
        lambda: net.subs({G: "__import__('os').getcwd()"}),
        "mapping[g]",
        "string",
    )
    _raises(InvalidArgumentError, lambda: net.subs({G * 2: 1}), "SymPy symbols")
    _raises(InvalidArgumentError, lambda: net.subs({"h": 1}), "'h'", "g")
    # a key may be the name of a symbol of the network (looked up, not parsed)
    assert net.subs({"g": 2}).hamiltonian == 2 * X1
    assert net.subs({G: R(1, 2)}).jumps[0][0] == R(1, 2)
    # the substituted network is validated again, by name
    _raises(InvalidModelError, lambda: net.subs({G: -1}), "jumps[0] rate gamma")
    _raises(
        InvalidArgumentError, lambda: bs.QuantumNetwork(1, [], X1 / G).subs({G: 0}), "hamiltonian"
    )
    _raises(InvalidArgumentError, lambda: X1.subs(G, "1"), "string")


def test_exact_validation_of_structured_states_is_cheap_and_exact():
    """n = 8 exact product and basis states are validated through their structure (before:
    a 256 x 256 exact characteristic polynomial, or for a product of dense factors hours)."""
    f = sympy.Matrix([[R(2, 3), sympy.I / 6], [-sympy.I / 6, R(1, 3)]])
    rho = bs.product_state(*[f] * 8)
    out = bs.validate_density(rho)
    assert out.shape == (256, 256) and out == rho
    assert bs.validate_density(bs.basis_state("01" * 4)) == bs.basis_state("01" * 4)
    # one bad factor hidden in a product is found exactly
    bad = sympy.Matrix([[R(11, 10), 0], [0, R(-1, 10)]])
    hidden = sympy.kronecker_product(bs.product_state(*[f] * 3), bad, bs.product_state(*[f] * 4))
    _raises(InvalidStateError, lambda: bs.validate_density(hidden), "positive semidefinite")


def test_too_large_exact_states_refused_with_their_size():
    # was: a dense 65536 x 65536 SymPy matrix for n = 16 (hang / MemoryError)
    _raises(SizeLimitError, lambda: bs.basis_state("0" * 16), "4294967296", "EXACT_DENSE_ENTRIES")
    _raises(SizeLimitError, lambda: bs.product_state(*["0"] * 9), "262144")
    _raises(SizeLimitError, lambda: bs.ket("0" * 17), "EXACT_DENSE_ENTRIES")
    assert bs.ket("0" * 16).shape == (65536, 1)
    assert bs.product_state(*[np.eye(2) / 2] * 9).shape == (512, 512)
    _raises(
        SizeLimitError,
        lambda: bs.product_state(*[np.eye(2) / 2] * 13, lazy=False),
        "NUMERIC_DENSE_QUBITS",
        "GB",
    )
    # by default more than 12 factors stay factors (no 2^n x 2^n matrix)
    assert isinstance(bs.product_state(*[np.eye(2) / 2] * 13), bs.ProductState)


def test_entangled_exact_block_limit(monkeypatch):
    rho = sympy.Matrix(4, 4, lambda i, j: R(1, 4))  # |++><++|: a product, no elimination needed
    assert bs.validate_density(rho) == rho
    bell = (bs.ket("00") + bs.ket("11")) / sympy.sqrt(2)
    ghz_like = bell * bell.H / 2 + sympy.diag(0, R(1, 4), R(1, 4), 0)
    monkeypatch.setattr(bs.limits, "EXACT_POSITIVITY_BLOCK", 1)
    # the Bell part is a 2 x 2 block: beyond a limit of 1 it is refused, naming the limit
    _raises(
        SizeLimitError, lambda: bs.validate_density(ghz_like), "EXACT_POSITIVITY_BLOCK", "2 x 2"
    )
    monkeypatch.setattr(bs.limits, "EXACT_POSITIVITY_BLOCK", 2)
    assert bs.validate_density(ghz_like) == ghz_like


def test_powers_use_square_and_multiply_and_a_limit():
    op = X1 + bs.sigma_z(1)  # (X + Z)^2 = 2 I
    assert op**10 == 32 * bs.identity()
    assert op**7 == 8 * op
    assert X1**1000 == bs.identity()
    _raises(SizeLimitError, lambda: op**1001, "OPERATOR_MAX_EXPONENT")
    _raises(InvalidArgumentError, lambda: op**True, "exponent")


def test_matrix_operands_are_type_errors_with_a_hint():
    for other in (np.eye(2), sympy.eye(2)):
        with pytest.raises(TypeError, match="from_matrix"):
            X1 * other
        with pytest.raises(TypeError, match="from_matrix"):
            other * X1
    assert (X1 == np.eye(2)) is False
    assert (X1 == sympy.nan) is False
    with pytest.raises(InvalidArgumentError, match="bool"):
        X1 * np.bool_(True)


def test_reduced_system_generator_kc_is_not_sympified():
    # was: sympy.sympify(kc) on a user string (code execution)
    from blendsym.section4.reduced import reduced_system_generator

    net, _ = bs.paper.example1()
    _raises(
        InvalidArgumentError,
        lambda: reduced_system_generator(net, kc="__import__('os')"),
        "kc",
        "string",
    )
    _raises(InvalidArgumentError, lambda: reduced_system_generator(net, kc=-1), "kc", "positive")
    assert reduced_system_generator(net, kc=2) == reduced_system_generator(net.with_coupling(2))


def test_strings_in_matrices_are_refused_not_parsed():
    # not even strings of digits (complex("١") is 1 in Python): a state is made of numbers
    _raises(InvalidStateError, lambda: bs.validate_density([["١", 0], [0, "0"]]), "numeric")
    _raises(InvalidStateError, lambda: bs.validate_density([["1", "0"], ["0", "0"]]), "numeric")
    trap = "__import__('os').getcwd()"
    _raises(InvalidStateError, lambda: bs.validate_density([[trap, 0], [0, 1]]), "numeric")
    _raises(
        InvalidOperatorError,
        lambda: bs.from_matrix(np.array([[trap, 0], [0, 1]], dtype=object)),
        "numeric",
    )
    _raises(
        InvalidArgumentError, lambda: bs.conventions.left_superop([[trap, 0], [0, 1]]), "numeric"
    )
    _raises(
        InvalidArgumentError,
        lambda: bs.conventions.hamiltonian_superop(np.eye(2), hbar=trap),
        "hbar",
    )


def test_partial_trace_argument_checks():
    _raises(
        InvalidArgumentError, lambda: bs.partial_trace(np.eye(4) / 4, 1), "keep must be a sequence"
    )
    _raises(
        InvalidArgumentError,
        lambda: bs.partial_trace(np.eye(4) / 4, "1"),
        "keep must be a sequence",
    )
    _raises(InvalidStateError, lambda: bs.partial_trace(np.full((4, 4), np.nan), [1]), "finite")
    _raises(InvalidStateError, lambda: bs.partial_trace([[1, 0], [0]], [1]), "rho")
    _raises(
        InvalidStateError, lambda: bs.bloch_vector(np.array([["a", "b"], ["c", "d"]])), "numeric"
    )
    # stacks keep working, and numbers of qubits beyond 26 letters are no problem for einsum
    stack = np.array([np.eye(4) / 4] * 3)
    assert bs.partial_trace(stack, [2]).shape == (3, 2, 2)


def test_theorem_argument_errors_are_invalid_arguments():
    # was: NotComputableError, which `blendsym analyze` printed as "not applicable" (exit 0)
    net, rho0 = bs.paper.example2()
    _raises(
        InvalidArgumentError,
        lambda: bs.bounds.theorem2(net, rho0, 0.1, 2.0, 1.0),
        "T2 must be >= T1",
    )
    net3, rho3 = bs.paper.example3()
    _raises(
        InvalidArgumentError,
        lambda: bs.bounds.theorem3(net3, rho3, 0.1, 2.0, 1.0),
        "T2 must be >= T1",
    )
    _raises(
        InvalidArgumentError,
        lambda: bs.bounds.theorem4(net3, rho3, 0.1, 2.0, t_final=1.0),
        "t_final",
    )
    _raises(
        InvalidArgumentError,
        lambda: bs.bounds.coherent_constants("net", rho3),
        "net must be a QuantumNetwork",
    )
    _raises(InvalidArgumentError, lambda: bs.bounds.theorem1(net, rho0, "0.1"), "eta")
    _raises(InvalidArgumentError, lambda: bs.bounds.theorem1(net, rho0, True), "eta")


def test_cli_reports_t2_before_t1_as_an_error(tmp_path, capsys):
    # was: "not applicable" and exit code 0
    from blendsym.cli import main

    model = tmp_path / "m.toml"
    model.write_text(
        'n = 2\nhamiltonian = "sigma_z(1) + sigma_z(2)"\ncoupling = 2\n[graph]\ncomplete = true\n'
        '[[jumps]]\noperator = "sigma_minus(1)"\n[[jumps]]\noperator = "sigma_minus(2)"\n'
        '[initial_state]\nbasis = "01"\n[theorems]\neta = 0.1\nT1 = 3.0\nT2 = 1.0\n'
    )
    assert main(["analyze", str(model)]) == 2
    err = capsys.readouterr().err
    assert "T1" in err and "T2" in err and "3" in err and "1" in err, err


# ----------------------------------------------------------------------------- _validate units


def test_check_int_and_qubits():
    assert v.check_int(np.int64(3), "k") == 3 and v.check_int(sympy.Integer(3), "k") == 3
    for bad in (True, 2.0, "2", "٢", None, 1 + 0j, Fraction(2)):
        _raises(InvalidArgumentError, lambda bad=bad: v.check_int(bad, "k"), "k must be an integer")
    _raises(
        InvalidArgumentError,
        lambda: v.check_int(0, "n", minimum=1),
        "n must be a positive integer: found 0",
    )
    _raises(InvalidArgumentError, lambda: v.check_int(5, "k", minimum=0, maximum=3), "in 0..3")
    assert v.check_qubits(12, limit="NUMERIC_DENSE_QUBITS") == 12
    msg = _raises(
        SizeLimitError, lambda: v.check_qubits(13, limit="NUMERIC_DENSE_QUBITS"), "13", "1.07 GB"
    )
    assert "NUMERIC_DENSE_QUBITS = 12" in msg


def test_limits_are_read_at_call_time(monkeypatch):
    monkeypatch.setattr(bs.limits, "NUMERIC_DENSE_QUBITS", 2)
    _raises(SizeLimitError, lambda: bs.validate_density(np.eye(8) / 8), "NUMERIC_DENSE_QUBITS = 2")
    monkeypatch.setattr(bs.limits, "PERMUTATION_QUBITS", 1)
    _raises(
        SizeLimitError,
        lambda: bs.permutation_invariant_projection(np.eye(4) / 4),
        "PERMUTATION_QUBITS",
    )
    monkeypatch.setattr(bs.limits, "EXACT_SUPEROPERATOR_QUBITS", 1)
    _raises(
        SizeLimitError,
        lambda: bs.QuantumNetwork(2, [(1, 2)], X1).liouvillian(),
        "EXACT_SUPEROPERATOR",
    )


def test_check_real():
    assert v.check_real(sympy.Rational(1, 2), "x") == 0.5
    _raises(InvalidArgumentError, lambda: v.check_real(10**400, "x"), "overflows")
    _raises(
        InvalidArgumentError,
        lambda: v.check_real(sympy.Float("1e-400"), "x", positive=True),
        "underflows",
    )
    for bad in ("1", True, 1j, sympy.Symbol("x"), float("nan"), None, [1.0]):
        _raises(InvalidArgumentError, lambda bad=bad: v.check_real(bad, "x"), "x must be")
    assert v.check_real(float("inf"), "x", finite=False) == math.inf


def test_check_scalar_and_model_numbers():
    assert v.check_scalar(Fraction(1, 3), "c") == R(1, 3)
    assert v.check_scalar(np.array(2.5), "c") == sympy.Float(2.5)
    assert v.check_scalar(2 + 0j, "c") == sympy.Float(2.0)
    for bad in ("1", b"1", True, None, sympy.true, sympy.Matrix([1]), sympy.zoo, float("inf"), [1]):
        _raises(InvalidArgumentError, lambda bad=bad: v.check_scalar(bad, "c"), "c must")
    assert v.check_model_number(R(1, 10**299), "c") == R(1, 10**299)
    assert v.check_model_number(0, "c") == 0
    for bad in (R(1, 10**301), 10**301, sympy.Float("1e-301"), 3 * sympy.Symbol("x") * 10**400):
        _raises(InvalidArgumentError, lambda bad=bad: v.check_model_number(bad, "c"), "magnitude")


def test_check_times():
    np.testing.assert_array_equal(v.check_times(2), [2.0])
    np.testing.assert_array_equal(v.check_times([0, R(1, 2), 1]), [0, 0.5, 1])
    for bad, frag in (
        (["0", "1"], "real numbers"),
        ([True, False], "real numbers"),
        ([0, 1j], "real numbers"),
        ([1, 0], "non-decreasing"),
        ([0, float("nan")], "finite"),
        ([-1, 0], "non-negative"),
        ([], "non-empty"),
        ([[0, 1]], "1-D"),
        ([0, sympy.Symbol("t")], "times[1]"),
        ("01", "1-D array"),
    ):
        _raises(InvalidArgumentError, lambda bad=bad: v.check_times(bad), frag)


def test_check_real_array():
    np.testing.assert_array_equal(v.check_real_array([3, 1], "kcs", positive=True), [3.0, 1.0])
    _raises(
        InvalidArgumentError,
        lambda: v.check_real_array([1, 0], "kcs", positive=True),
        "kcs must be positive",
    )
    _raises(InvalidArgumentError, lambda: v.check_real_array([], "kcs"), "non-empty")
    _raises(InvalidArgumentError, lambda: v.check_real_array(["1"], "kcs"), "real numbers")


def test_as_square_matrix():
    kind, m, n = v.as_square_matrix([[1, 0], [0, 0]], "rho")
    assert kind == "numpy" and n == 1 and m.dtype == complex
    kind, m, n = v.as_square_matrix([[sympy.Symbol("x"), 0], [0, 1]], "rho")
    assert kind == "sympy" and m[0, 0] == sympy.Symbol("x")
    _raises(InvalidArgumentError, lambda: v.as_square_matrix([[1, 2], [3]], "rho"), "rectangular")
    _raises(
        InvalidArgumentError, lambda: v.as_square_matrix([[None, 0], [0, 1]], "rho"), "NoneType"
    )
    import scipy.sparse as sp

    big = sp.identity(2**13, format="csr")
    _raises(SizeLimitError, lambda: v.as_square_matrix(big, "rho"), "1.07 GB")  # before densifying


def test_check_bool_and_choice():
    assert v.check_bool(np.bool_(True), "exact") is True
    _raises(InvalidArgumentError, lambda: v.check_bool("no", "exact"), "True or False")
    _raises(InvalidArgumentError, lambda: density_matrices(1, exact="no"), "exact")
    _raises(
        InvalidArgumentError, lambda: v.check_choice(["sympy"], "backend", ("sympy",)), "backend"
    )


# ----------------------------------------------------------------------------- exact positivity


def _exact_hermitian(entries: list[int], d: int, shift: int) -> sympy.Matrix:
    """Gaussian-integer A, H = A A^dagger - shift I (PSD for shift <= 0, often not for > 0)."""
    a = sympy.Matrix(
        d, d, [sympy.Integer(entries[2 * i]) + sympy.I * entries[2 * i + 1] for i in range(d * d)]
    )
    return (a * a.H - shift * sympy.eye(d)).applyfunc(sympy.expand)


@settings(max_examples=40)
@given(
    d=st.sampled_from([2, 4, 8]),
    entries=st.lists(st.integers(-2, 2), min_size=128, max_size=128),
    shift=st.integers(-1, 3),
)
def test_exact_psd_agrees_with_eigenvalues(d, entries, shift):
    """The structure-first exact decision against NumPy eigenvalues (integer matrices: the
    smallest eigenvalue is either 0 or well away from it, except exact zeros)."""
    h = _exact_hermitian(entries, d, shift)
    ev = np.linalg.eigvalsh(np.array(h.evalf().tolist(), dtype=complex)).min()
    verdict = exact_psd_violation(dict(h.todok()), d.bit_length() - 1, "h")
    if ev < -1e-9:
        assert verdict is not None
    elif ev > 1e-9:
        assert verdict is None
    else:  # numerically singular: decided exactly, must agree with an exact determinant test
        assert (verdict is None) == all(
            sympy.Matrix(h).extract(list(s), list(s)).det() >= 0
            for k in range(1, d + 1)
            for s in itertools.combinations(range(d), k)
        )


@settings(max_examples=15)
@given(rho=density_matrices(3, kind="product", exact=True))
def test_exact_products_are_split_into_factors(rho):
    assert bs.validate_density(rho) == rho


@settings(max_examples=15)
@given(rho=density_matrices(2, kind="any", exact=True), r=st.integers(1, 3))
def test_exact_states_times_a_negative_factor_are_refused(rho, r):
    bad = sympy.diag(1 + R(1, 10 * r), -R(1, 10 * r))
    with pytest.raises(InvalidStateError, match="positive semidefinite"):
        bs.validate_density(sympy.kronecker_product(rho, bad))


def test_numeric_validation_fast_path_keeps_the_tolerance():
    ok = np.diag([1 + 5e-10, -5e-10])
    assert bs.is_density(ok)
    bad = np.diag([1 + 2e-9, -2e-9])
    _raises(InvalidStateError, lambda: bs.validate_density(bad), "smallest eigenvalue -2e-09")
    assert bs.is_density(bad, tol=1e-8)


# ----------------------------------------------------------------------------- theorem constants


@pytest.fixture(scope="module")
def ex3_bounds():
    net, rho0 = bs.paper.example3()
    return bs.bounds.theorem3(net, rho0, 0.05, 1.0, 5.0), bs.bounds.theorem4(net, rho0, 0.05, 1.0)


def test_theorem_constants_are_typed_frozen_records(ex3_bounds):
    b3, b4 = ex3_bounds
    k3, k4 = b3.constants, b4.constants
    assert isinstance(k3, bc.Theorem3Constants) and isinstance(k4, bc.Theorem4Constants)
    assert isinstance(k3, bc.CoherentConstants)
    with pytest.raises(dataclasses.FrozenInstanceError):
        k3.C = 0.0
    # attribute access, by the paper's names, and the old labels give the same numbers
    assert k3.lambda_m == k3["lambda_m(Q_d)"] == k3["lambda_m"] == 3.0
    assert k3.norm_A_d == k3["||A_d||"] and k3.f_d_T2 == k3["f_d(T2)"]
    assert b3.kc_star == max(k3.K_c1, k3.K_c2)
    assert b4.kc_star == max(k4.K_c1, k4.K_c2)
    # no private entries any more
    assert not any(str(key).startswith("_") for key in k3)
    assert set(k4.as_dict()) == {
        "n",
        "p",
        "lambda_m(Q_d)",
        "||A_d||",
        "||A_d|| method",
        "C",
        "lambda_m(Q_d) kind",
        "||A_d|| kind",
        "C kind",
        "K_c1",
        "K_c2",
    }
    assert (k4.lambda_m_kind, k4.norm_A_d_kind, k4.C_kind) == ("exact", "numeric", "numeric")
    with pytest.raises(KeyError):
        k4["_coherent"]


def test_every_constant_documents_how_it_was_computed():
    for cls in (
        bc.Theorem1Constants,
        bc.Theorem2Constants,
        bc.Theorem3Constants,
        bc.Theorem4Constants,
    ):
        infos = cls.describe()
        assert infos and len({i.label for i in infos}) == len(infos)
        for info in infos:
            assert info.kind in ("integer", "exact", "numeric", "upper bound", "derived")
            assert len(info.how) > 10
    assert bc.Theorem1Constants.info("L_c").kind == "upper bound"
    assert bc.Theorem2Constants.info("f(T2)").name == "f_T2"
    _raises(InvalidArgumentError, lambda: bc.Theorem2Constants.info("nope"), "f(T2)")


def test_theorem1_and_2_constants():
    net, rho0 = bs.paper.example1()
    b1 = bs.bounds.theorem1(net, rho0, 0.05)
    k = b1.constants
    assert isinstance(k, bc.Theorem1Constants) and k.n == 3
    assert k.C == pytest.approx((1 + math.sqrt(2)) * (k.C_Sigma + k.L_c))
    assert isinstance(k.rho_r, sympy.ImmutableMatrix) and k.rho_r.trace() == 1
    hash(k)
    shared = bs.bounds.reduced_state_constants(net, rho0)
    assert isinstance(shared, bc.ReducedStateConstants)
    assert (shared.lambda_m, shared.norm_L, shared.C_Sigma) == (k.lambda_m, k.norm_L, k.C_Sigma)
    net2, rho2 = bs.paper.example2()
    k2 = bs.bounds.theorem2(net2, rho2, 0.05, 1.0, 5.0).constants
    assert k2.f_T2 == pytest.approx(k2.M * sum(5.0**j for j in range(k2.m + 1)))
    assert k2.D_T2 > k2.D_T2_printed


def test_envelopes_accept_records_and_old_dicts(ex3_bounds):
    b3, b4 = ex3_bounds
    t = np.linspace(0, 1, 5)
    e3 = bs.bounds.theorem3_envelope(b3.constants, 100.0, t)
    np.testing.assert_array_equal(e3, bs.bounds.theorem3_envelope(b3.constants.as_dict(), 100.0, t))
    np.testing.assert_array_equal(
        bs.bounds.theorem4_envelope(b4.constants, 100.0, t),
        bs.bounds.theorem4_envelope(dict(b4.constants), 100.0, t),
    )
    _raises(
        InvalidArgumentError, lambda: bs.bounds.theorem3_envelope({"C": 1}, 1.0, t), "constants"
    )
