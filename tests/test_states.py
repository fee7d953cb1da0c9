"""Density operators: validation, basis states, partial traces (vs QuTiP), Bloch vectors."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import qutip
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.errors import BlendsymError, InvalidStateError
from blendsym.testing import density_matrices, single_qubit_density_matrices

R = sympy.Rational
I = sympy.I

SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]])
SZ = np.array([[1, 0], [0, -1]], dtype=complex)


def to_np(m) -> np.ndarray:
    if isinstance(m, sympy.MatrixBase):
        return np.array(m.evalf().tolist(), dtype=complex)
    return np.asarray(m, dtype=complex)


# ----------------------------------------------------------------------------- the strategies


@pytest.mark.parametrize("kind", ["full", "low_rank", "pure", "product", "any"])
@pytest.mark.parametrize("exact", [False, True])
@settings(max_examples=10)
@given(data=st.data())
def test_density_strategies_give_states(kind, exact, data):
    """Independent check (NumPy eigenvalues) of what the public strategies promise."""
    n = data.draw(st.integers(1, 3))
    rho = data.draw(density_matrices(n, kind=kind, exact=exact))
    if exact:
        assert isinstance(rho, sympy.MatrixBase)
        assert all(sympy.re(e).is_rational and sympy.im(e).is_rational for e in rho)
        assert rho == rho.H and rho.trace() == 1
    else:
        assert isinstance(rho, np.ndarray) and rho.dtype == complex
        np.testing.assert_array_equal(rho, rho.conj().T)
    a = to_np(rho)
    d = 2**n
    assert a.shape == (d, d)
    assert abs(np.trace(a) - 1) < 1e-12
    ev = np.linalg.eigvalsh(a)
    assert ev.min() > -1e-12
    rank = int(np.sum(ev > 1e-9))
    if kind == "full":
        assert rank == d
    elif kind == "low_rank":
        assert rank < d or d == 1
    elif kind == "pure":
        assert rank == 1
    elif kind == "product":
        # rho = rho_1 x ... x rho_n: it equals the product of its reduced states
        red = [bs.partial_trace(a, [j]) for j in range(1, n + 1)]
        np.testing.assert_allclose(functools.reduce(np.kron, red), a, atol=1e-12)
    assert bs.is_density(rho)


# ----------------------------------------------------------------------------- basis states


def test_basis_index_convention():
    # l = sum_i q_i 2^(n-i): qubit 1 is the most significant bit
    for bits in ("0", "1", "01", "10", "001", "110", "0101"):
        v = bs.ket(bits)
        assert v.shape == (2 ** len(bits), 1)
        assert list(v).index(1) == int(bits, 2)
        assert sum(abs(x) for x in v) == 1
    assert bs.bra("10") == bs.ket("10").T
    assert bs.ket("+") == sympy.Matrix([1, 1]) / sympy.sqrt(2)
    assert bs.ket("-") == sympy.Matrix([1, -1]) / sympy.sqrt(2)
    rho = bs.basis_state("01")
    assert rho[1, 1] == 1 and sum(rho) == 1


@pytest.mark.parametrize("bad", ["", "2", "0a", 1, None, "01 "])
def test_ket_bad_bits(bad):
    with pytest.raises(BlendsymError, match="bits"):
        bs.ket(bad)


@settings(max_examples=15)
@given(st.lists(single_qubit_density_matrices(exact=True), min_size=1, max_size=3))
def test_product_state_is_kronecker(factors):
    rho = bs.product_state(*factors)
    ref = functools.reduce(sympy.kronecker_product, factors)
    assert (rho - ref).applyfunc(sympy.expand).is_zero_matrix
    assert (rho - bs.product_state(factors)).applyfunc(sympy.expand).is_zero_matrix
    # mixed exact / numeric factors give NumPy
    mixed = bs.product_state(to_np(factors[0]), *factors[1:])
    np.testing.assert_allclose(mixed, to_np(rho), atol=1e-14)


def test_product_state_stays_in_gaussian_rationals():
    """Exact complex factors stay Gaussian rationals (fast exact validation)."""
    from sympy.polys.matrices import DomainMatrix

    f1 = sympy.Matrix([[R(1, 3), R(1, 3) + I / 3], [R(1, 3) - I / 3, R(2, 3)]])
    f2 = sympy.Matrix([[R(1, 2), I / 2], [-I / 2, R(1, 2)]])
    rho = bs.product_state(f1, f2)
    assert DomainMatrix.from_Matrix(rho).domain == sympy.QQ_I


def test_product_state_strings_and_bad_factor():
    assert bs.product_state("0", "1") == bs.basis_state("01")
    with pytest.raises(InvalidStateError, match="factor 2"):
        bs.product_state("0", np.eye(2))
    with pytest.raises(BlendsymError, match="at least one"):
        bs.product_state()


# ----------------------------------------------------------------------------- validation


@given(st.integers(1, 3).flatmap(lambda n: density_matrices(n)))
def test_validate_accepts_numeric_states(rho):
    out = bs.validate_density(rho)
    np.testing.assert_array_equal(out, rho)


@settings(max_examples=15)
@given(st.integers(1, 3).flatmap(lambda n: density_matrices(n, exact=True)))
def test_validate_accepts_exact_states(rho):
    out = bs.validate_density(rho)
    assert isinstance(out, sympy.MatrixBase) and out == rho


_bad_states = {
    # name: (matrix, fragment)
    "non-hermitian-exact": (sympy.Matrix([[R(1, 2), R(1, 3)], [0, R(1, 2)]]), "not Hermitian"),
    "non-hermitian-float": (np.array([[0.5, 0.1], [0.0, 0.5]]), "not Hermitian"),
    "non-hermitian-imag-diag": (np.array([[0.5 + 0.1j, 0], [0, 0.5 - 0.1j]]), "not Hermitian"),
    "trace-exact": (sympy.Matrix([[R(1, 2), 0], [0, R(1, 3)]]), "trace"),
    "trace-float": (np.eye(4) / 2, "trace"),
    "trace-zero": (np.zeros((2, 2)), "trace"),
    "not-psd-exact": (sympy.Matrix([[R(3, 2), 0], [0, R(-1, 2)]]), "positive semidefinite"),
    "not-psd-offdiag-exact": (sympy.Matrix([[R(1, 2), 1], [1, R(1, 2)]]), "positive semidefinite"),
    "not-psd-offdiag-float": (np.array([[0.5, 1j], [-1j, 0.5]]), "positive semidefinite"),
    "not-psd-4x4": (np.diag([0.6, 0.6, 0.1, -0.3]), "positive semidefinite"),
    "not-psd-tiny-exact": (
        sympy.diag(1 + R(1, 10**20), R(-1, 10**20)),
        "positive semidefinite",
    ),
    "size-3": (np.eye(3) / 3, "2^n x 2^n"),
    "size-1": (np.ones((1, 1)), "2^n x 2^n"),
    "non-square": (np.ones((2, 4)) / 2, "square"),
    "vector": (np.ones(4) / 4, "square"),
    "nan": (np.array([[np.nan, 0], [0, 1]]), "NaN"),
    "inf": (np.array([[np.inf, 0], [0, 1]]), "NaN or infinite"),
    "nan-sympy": (sympy.Matrix([[sympy.nan, 0], [0, 1]]), "NaN"),
    "symbol": (sympy.Matrix([[sympy.Symbol("p"), 0], [0, 1 - sympy.Symbol("p")]]), "free symbols"),
    "strings": (np.array([["a", "b"], ["c", "d"]]), "numeric"),
}


@pytest.mark.parametrize("name", sorted(_bad_states))
def test_validate_rejects(name):
    rho, fragment = _bad_states[name]
    with pytest.raises(InvalidStateError) as exc:
        bs.validate_density(rho, name="rho0")
    msg = str(exc.value)
    assert msg.startswith("rho0"), msg
    assert fragment in msg, msg
    assert not bs.is_density(rho) if name not in ("vector", "size-1", "non-square") else True


def test_validate_exact_positivity_is_exact():
    # an exactly PSD state with a zero eigenvalue is accepted
    pure = bs.basis_state("+0")
    assert bs.validate_density(pure) == pure
    # a tiny negative eigenvalue a float tolerance would forgive is refused exactly ...
    tiny = sympy.diag(1 + R(1, 10**20), R(-1, 10**20))
    assert not bs.is_density(tiny)
    # ... but accepted within the tolerance in floating point
    assert bs.is_density(to_np(tiny))
    with pytest.raises(InvalidStateError, match="positive semidefinite"):
        bs.validate_density(to_np(tiny), tol=1e-30)


def test_validate_n_and_list_input():
    with pytest.raises(InvalidStateError, match="for n = 2"):
        bs.validate_density(np.eye(2) / 2, n=2)
    out = bs.validate_density([[0.5, 0], [0, 0.5]])
    np.testing.assert_array_equal(out, np.eye(2) / 2)
    with pytest.raises(InvalidStateError, match="must be a matrix"):
        bs.validate_density("rho")


def test_validate_float_sympy_matrix_goes_numeric():
    rho = sympy.Matrix([[0.25, 0], [0, 0.75]])
    out = bs.validate_density(rho)
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, np.diag([0.25, 0.75]))


# ----------------------------------------------------------------------------- partial traces


def test_partial_trace_hand_computed():
    m = sympy.Matrix(4, 4, list(range(16)))  # m[a, b] = 4 a + b; qubit 1 = high bit
    # keep qubit 1: sum over qubit 2's diagonal
    assert bs.partial_trace(m, [1]) == sympy.Matrix([[0 + 5, 2 + 7], [8 + 13, 10 + 15]])
    # keep qubit 2: sum over qubit 1's diagonal
    assert bs.partial_trace(m, [2]) == sympy.Matrix([[0 + 10, 1 + 11], [4 + 14, 5 + 15]])
    np.testing.assert_array_equal(
        bs.partial_trace(np.arange(16.0).reshape(4, 4), [2]), [[10, 12], [18, 20]]
    )
    assert bs.partial_trace(m, [1, 2]) == m
    # Bell state: maximally mixed marginals
    bell = (bs.ket("00") + bs.ket("11")) / sympy.sqrt(2)
    rho = bell * bell.H
    assert bs.reduced_state(rho, 1) == sympy.eye(2) / 2
    assert bs.reduced_state(rho, 2) == sympy.eye(2) / 2
    # |0><0| x |+><+| x |1><1|
    rho3 = bs.product_state("0", "+", "1")
    assert bs.reduced_state(rho3, 1) == bs.basis_state("0")
    assert bs.reduced_state(rho3, 2) == bs.basis_state("+")
    assert bs.reduced_state(rho3, 3) == bs.basis_state("1")
    assert bs.partial_trace(rho3, [3, 1]) == bs.basis_state("01")


@st.composite
def states_and_keeps(draw, exact=False, max_n=4):
    n = draw(st.integers(1, max_n))
    rho = draw(density_matrices(n, exact=exact))
    keep = draw(st.lists(st.integers(1, n), min_size=1, max_size=n, unique=True))
    return n, rho, keep


@given(states_and_keeps())
def test_partial_trace_matches_qutip(nrk):
    n, rho, keep = nrk
    q = qutip.Qobj(rho, dims=[[2] * n, [2] * n])
    expected = q.ptrace(sorted(j - 1 for j in keep)).full()  # QuTiP is 0-based
    np.testing.assert_allclose(bs.partial_trace(rho, keep), expected, atol=1e-12)


@settings(max_examples=15)
@given(states_and_keeps(exact=True, max_n=3))
def test_partial_trace_exact_matches_qutip(nrk):
    n, rho, keep = nrk
    out = bs.partial_trace(rho, keep)
    assert isinstance(out, sympy.MatrixBase) and not any(e.has(sympy.Float) for e in out)
    expected = qutip.Qobj(to_np(rho), dims=[[2] * n, [2] * n]).ptrace(sorted(j - 1 for j in keep))
    np.testing.assert_allclose(to_np(out), expected.full(), atol=1e-12)
    assert out.trace() == 1


@given(st.integers(1, 3).flatmap(lambda n: st.lists(density_matrices(n), min_size=1, max_size=4)))
def test_partial_trace_of_a_stack(rhos):
    stack = np.array(rhos)
    n = stack.shape[-1].bit_length() - 1
    for j in range(1, n + 1):
        red = bs.reduced_state(stack, j)
        assert red.shape == (len(rhos), 2, 2)
        for t, rho in enumerate(rhos):
            np.testing.assert_allclose(red[t], bs.reduced_state(rho, j), atol=1e-14)
    all_red = bs.reduced_states(rhos[0])
    assert len(all_red) == n
    for j, r in enumerate(all_red, start=1):
        np.testing.assert_allclose(r, bs.partial_trace(rhos[0], [j]), atol=1e-14)


@pytest.mark.parametrize("j", [0, 3, -1, 1.0, True, "1"])
def test_reduced_state_bad_qubit(j):
    with pytest.raises(BlendsymError, match="j must be") as exc:
        bs.reduced_state(np.eye(4) / 4, j)
    assert "1..2" in str(exc.value)


def test_partial_trace_bad_keep():
    with pytest.raises(BlendsymError, match="keep"):
        bs.partial_trace(np.eye(4) / 4, [3])
    with pytest.raises(BlendsymError, match="keep"):
        bs.partial_trace(sympy.eye(4) / 4, [0])
    with pytest.raises(BlendsymError, match="2\\^n x 2\\^n"):
        bs.partial_trace(np.eye(3), [1])


# ----------------------------------------------------------------------------- Bloch vectors


@given(single_qubit_density_matrices())
def test_bloch_vector_numeric(rho):
    r = bs.bloch_vector(rho)
    expected = [np.trace(rho @ s).real for s in (SX, SY, SZ)]
    np.testing.assert_allclose(r, expected, atol=1e-14)
    assert np.linalg.norm(r) <= 1 + 1e-12
    np.testing.assert_allclose(bs.bloch_vector(rho, "paper"), np.array(expected) / 2, atol=1e-14)
    # round trips in both conventions
    np.testing.assert_allclose(bs.state_from_bloch(r), rho, atol=1e-14)
    p = bs.bloch_vector(rho, convention="paper")
    np.testing.assert_allclose(bs.state_from_bloch(p, convention="paper"), rho, atol=1e-14)
    # paper footnote: rho = I/2 + x sigma_x + y sigma_y + z sigma_z
    np.testing.assert_allclose(np.eye(2) / 2 + p[0] * SX + p[1] * SY + p[2] * SZ, rho, atol=1e-14)


@given(single_qubit_density_matrices(exact=True))
def test_bloch_vector_exact(rho):
    r = bs.bloch_vector(rho)
    assert isinstance(r, sympy.MatrixBase) and r.shape == (3, 1)
    assert list(r) == [
        sympy.expand((rho * s).trace())
        for s in (bs.conventions.SIGMA_X, bs.conventions.SIGMA_Y, bs.conventions.SIGMA_Z)
    ]
    assert all(c.is_real for c in r)
    assert bs.state_from_bloch(list(r)) == rho
    p = bs.bloch_vector(rho, "paper")
    assert p == r / 2
    assert bs.state_from_bloch(list(p), "paper") == rho


@given(single_qubit_density_matrices(kind="pure"))
def test_pure_states_lie_on_the_sphere(rho):
    assert abs(np.linalg.norm(bs.bloch_vector(rho)) - 1) < 1e-12
    assert abs(np.linalg.norm(bs.bloch_vector(rho, "paper")) - 0.5) < 1e-12


def test_bloch_hand_examples():
    assert list(bs.bloch_vector(bs.basis_state("0"))) == [0, 0, 1]
    assert list(bs.bloch_vector(bs.basis_state("1"))) == [0, 0, -1]
    assert list(bs.bloch_vector(bs.basis_state("+"))) == [1, 0, 0]
    assert list(bs.bloch_vector(bs.basis_state("+"), "paper")) == [R(1, 2), 0, 0]
    y_plus = (bs.ket("0") + I * bs.ket("1")) / sympy.sqrt(2)
    assert list(bs.bloch_vector(y_plus * y_plus.H)) == [0, 1, 0]
    np.testing.assert_allclose(bs.bloch_vector(np.eye(2) / 2), [0, 0, 0])
    stack = np.array([np.eye(2) / 2, to_np(bs.basis_state("1"))])
    np.testing.assert_allclose(bs.bloch_vector(stack), [[0, 0, 0], [0, 0, -1]])
    assert bs.bloch_vector(np.zeros((5, 4, 2, 2))).shape == (5, 4, 3)


def test_bloch_bad_input():
    with pytest.raises(BlendsymError, match="convention"):
        bs.bloch_vector(np.eye(2) / 2, convention="Paper")
    with pytest.raises(BlendsymError, match="2x2"):
        bs.bloch_vector(np.eye(4) / 4)
    with pytest.raises(BlendsymError, match="2x2"):
        bs.bloch_vector(sympy.eye(4) / 4)
    with pytest.raises(BlendsymError, match="three components"):
        bs.state_from_bloch([0, 0])
    with pytest.raises(BlendsymError, match="convention"):
        bs.state_from_bloch([0, 0, 0], convention="x")
