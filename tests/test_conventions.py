"""Fixed conventions: Pauli matrices, row-stacking vec, superoperators in both backends."""

from __future__ import annotations

import numpy as np
import pytest
import qutip
import scipy.sparse as sp
import sympy
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from blendsym import conventions as cv
from blendsym.errors import BlendsymError

I = sympy.I

# ----------------------------------------------------------------------------- strategies

_finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def complex_arrays(d: int):
    return st.tuples(
        arrays(float, (d, d), elements=_finite), arrays(float, (d, d), elements=_finite)
    ).map(lambda t: t[0] + 1j * t[1])


_gauss_rational = st.tuples(
    st.integers(-3, 3), st.integers(1, 3), st.integers(-3, 3), st.integers(1, 3)
).map(lambda t: sympy.Rational(t[0], t[1]) + I * sympy.Rational(t[2], t[3]))


def exact_matrices(d: int):
    return st.lists(_gauss_rational, min_size=d * d, max_size=d * d).map(
        lambda es: sympy.Matrix(d, d, es)
    )


dims = st.sampled_from([1, 2, 3, 4, 8])
small_dims = st.sampled_from([2, 4])


def to_np(m) -> np.ndarray:
    if sp.issparse(m):
        return m.toarray()
    if isinstance(m, sympy.MatrixBase):
        return np.array(m.evalf().tolist(), dtype=complex)
    return np.asarray(m, dtype=complex)


def exact_zero(m: sympy.MatrixBase) -> bool:
    return all(sympy.expand(e) == 0 for e in m)


# ----------------------------------------------------------------------------- fixed matrices


def test_pauli_matrices_are_the_papers():
    assert cv.SIGMA_X == sympy.Matrix([[0, 1], [1, 0]])
    assert cv.SIGMA_Y == sympy.Matrix([[0, -I], [I, 0]])
    assert cv.SIGMA_Z == sympy.Matrix([[1, 0], [0, -1]])
    assert cv.SIGMA_PLUS == sympy.Matrix([[0, 0], [1, 0]])
    assert cv.SIGMA_MINUS == sympy.Matrix([[0, 1], [0, 0]])
    # sigma_+ = (sigma_x - i sigma_y)/2, sigma_- = its adjoint
    assert (cv.SIGMA_X - I * cv.SIGMA_Y) / 2 == cv.SIGMA_PLUS
    assert cv.SIGMA_PLUS.H == cv.SIGMA_MINUS
    for name in "IXYZ+-":
        np.testing.assert_array_equal(cv.pauli_matrix(name, "scipy"), to_np(cv.PAULI[name]))


def test_pauli_matrix_returns_copies():
    m = cv.pauli_matrix("X", "scipy")
    m[0, 0] = 99
    assert cv.pauli_matrix("X", "scipy")[0, 0] == 0


@pytest.mark.parametrize("bad", ["W", "x", "", None])
def test_pauli_matrix_bad_name(bad):
    with pytest.raises(BlendsymError, match="name"):
        cv.pauli_matrix(bad)


# ----------------------------------------------------------------------------- vec / unvec


@given(dims.flatmap(complex_arrays))
def test_vec_is_row_stacking_numeric(x):
    d = x.shape[0]
    v = cv.vec(x)
    assert v.shape == (d * d,)
    for l in range(d):
        for lp in range(d):
            assert v[l * d + lp] == x[l, lp]
    np.testing.assert_array_equal(cv.unvec(v), x)
    np.testing.assert_array_equal(cv.vec(cv.unvec(v)), v)


@given(st.sampled_from([1, 2, 3, 4]).flatmap(exact_matrices))
def test_vec_is_row_stacking_exact(x):
    d = x.shape[0]
    v = cv.vec(x)
    assert isinstance(v, sympy.MatrixBase) and v.shape == (d * d, 1)
    for l in range(d):
        for lp in range(d):
            assert v[l * d + lp] == x[l, lp]
    assert cv.unvec(v) == x
    assert cv.unvec(v.T) == x  # a row vector is accepted too
    assert cv.vec(cv.unvec(v)) == v


@given(
    small_dims.flatmap(lambda d: st.tuples(complex_arrays(d), complex_arrays(d), complex_arrays(d)))
)
def test_vec_of_product_numeric(abx):
    a, b, x = abx
    lhs = cv.vec(a @ x @ b)
    np.testing.assert_allclose(np.kron(a, b.T) @ cv.vec(x), lhs, atol=1e-10)
    # the library's left/right superoperators implement the same identity
    sup = cv.left_superop(a, "scipy") @ cv.right_superop(b, "scipy")
    np.testing.assert_allclose(sup @ cv.vec(x), lhs, atol=1e-10)
    np.testing.assert_allclose(cv.left_superop(a, "scipy") @ cv.vec(x), cv.vec(a @ x), atol=1e-10)
    np.testing.assert_allclose(cv.right_superop(b, "scipy") @ cv.vec(x), cv.vec(x @ b), atol=1e-10)


@given(st.sampled_from([2, 3]).flatmap(lambda d: st.tuples(*(exact_matrices(d),) * 3)))
def test_vec_of_product_exact(abx):
    a, b, x = abx
    lhs = cv.vec(a * x * b)
    assert exact_zero(sympy.kronecker_product(a, b.T) * cv.vec(x) - lhs)
    sup = cv.left_superop(a, "sympy") * cv.right_superop(b, "sympy")
    assert exact_zero(sup * cv.vec(x) - lhs)


@pytest.mark.parametrize("bad", [np.zeros((2, 3)), np.zeros(4), np.zeros((2, 2, 2))])
def test_vec_rejects_non_square(bad):
    with pytest.raises(BlendsymError, match="square"):
        cv.vec(bad)


def test_vec_rejects_non_square_sympy():
    with pytest.raises(BlendsymError, match="rho must be a square matrix"):
        cv.vec(sympy.zeros(2, 3))


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros(5), sympy.zeros(3, 1), sympy.zeros(2, 2)])
def test_unvec_rejects_non_square_length(bad):
    with pytest.raises(BlendsymError, match="v must"):
        cv.unvec(bad)


# ----------------------------------------------------------------------------- superoperators

_BUILDERS = {
    "left": lambda a, be: cv.left_superop(a, be),
    "right": lambda a, be: cv.right_superop(a, be),
    "commutator": lambda a, be: cv.commutator_superop(a, be),
    "hamiltonian": lambda a, be: cv.hamiltonian_superop(a, 1, be),
    "hamiltonian_hbar": lambda a, be: cv.hamiltonian_superop(
        a, sympy.Rational(3, 2) if be == "sympy" else 1.5, be
    ),
    "dissipator": lambda a, be: cv.dissipator_superop(a, be),
}


@pytest.mark.parametrize("kind", sorted(_BUILDERS))
@given(a=st.sampled_from([2, 4]).flatmap(exact_matrices))
def test_sympy_and_scipy_superoperators_agree(kind, a):
    exact = _BUILDERS[kind](a, "sympy")
    numeric = _BUILDERS[kind](a, "scipy")
    assert sp.issparse(numeric)
    assert isinstance(exact, sympy.MatrixBase)
    assert exact.shape == numeric.shape == (a.shape[0] ** 2,) * 2
    np.testing.assert_allclose(to_np(exact), numeric.toarray(), atol=1e-12)
    # also from a NumPy input
    np.testing.assert_allclose(
        _BUILDERS[kind](to_np(a), "scipy").toarray(), numeric.toarray(), atol=1e-12
    )


def _dissipator_direct(l_op, x):
    ld = l_op.conj().T
    return l_op @ x @ ld - 0.5 * (ld @ l_op @ x + x @ ld @ l_op)


@given(small_dims.flatmap(lambda d: st.tuples(complex_arrays(d), complex_arrays(d))))
def test_dissipator_matches_direct_formula_numeric(lx):
    l_op, x = lx
    sup = cv.dissipator_superop(l_op, "scipy")
    np.testing.assert_allclose(cv.unvec(sup @ cv.vec(x)), _dissipator_direct(l_op, x), atol=1e-9)


@given(st.sampled_from([2, 4]).flatmap(lambda d: st.tuples(exact_matrices(d), exact_matrices(d))))
def test_dissipator_matches_direct_formula_exact(lx):
    l_op, x = lx
    ld = l_op.H
    direct = l_op * x * ld - (ld * l_op * x + x * ld * l_op) / 2
    sup = cv.dissipator_superop(l_op, "sympy")
    assert exact_zero(cv.unvec(sup * cv.vec(x)) - direct)


@given(small_dims.flatmap(lambda d: st.tuples(complex_arrays(d), complex_arrays(d))))
def test_hamiltonian_and_commutator_superops_numeric(hx):
    h, x = hx
    h = h + h.conj().T
    np.testing.assert_allclose(
        cv.unvec(cv.commutator_superop(h, "scipy") @ cv.vec(x)), h @ x - x @ h, atol=1e-9
    )
    np.testing.assert_allclose(
        cv.unvec(cv.hamiltonian_superop(h, 2.0, "scipy") @ cv.vec(x)),
        -0.5j * (h @ x - x @ h),
        atol=1e-9,
    )


def test_hamiltonian_superop_symbolic_hbar():
    hbar = sympy.Symbol("hbar", positive=True)
    x = sympy.Matrix(2, 2, sympy.symbols("x0:4"))
    h = cv.SIGMA_Z
    sup = cv.hamiltonian_superop(h, hbar, "sympy")
    expected = -I / hbar * (h * x - x * h)
    assert exact_zero(cv.unvec(sup * cv.vec(x)) - expected)


@given(st.sampled_from([2, 4]).flatmap(complex_arrays))
def test_dissipator_matches_qutip(l_op):
    """Oracle: qutip.lindblad_dissipator (column stacking) permuted to row stacking."""
    d = l_op.shape[0]
    q = qutip.lindblad_dissipator(qutip.Qobj(l_op)).full()
    q_row = q.reshape(d, d, d, d).transpose(1, 0, 3, 2).reshape(d * d, d * d)
    np.testing.assert_allclose(cv.dissipator_superop(l_op, "scipy").toarray(), q_row, atol=1e-10)


@given(st.sampled_from([2, 4]).flatmap(complex_arrays))
def test_dissipator_is_trace_preserving(l_op):
    d = l_op.shape[0]
    sup = cv.dissipator_superop(l_op, "scipy").toarray()
    np.testing.assert_allclose(cv.vec(np.eye(d)) @ sup, 0, atol=1e-10)


def test_superop_exact_entries_stay_exact():
    sup = cv.dissipator_superop(cv.SIGMA_MINUS + sympy.Rational(1, 3) * cv.SIGMA_Z, "sympy")
    assert not any(e.has(sympy.Float) for e in sup)


def test_superops_reject_bad_backend_and_shapes():
    with pytest.raises(BlendsymError, match="backend"):
        cv.left_superop(np.eye(2), "numpy")
    with pytest.raises(BlendsymError, match="backend"):
        cv.dissipator_superop(np.eye(2), "torch")
    with pytest.raises(BlendsymError, match="square"):
        cv.dissipator_superop(np.zeros((2, 3)), "scipy")
    with pytest.raises(BlendsymError, match="square"):
        cv.left_superop(sympy.zeros(2, 3), "sympy")
    with pytest.raises(BlendsymError, match="free symbols"):
        cv.left_superop(sympy.Matrix([[sympy.Symbol("w"), 0], [0, 0]]), "scipy")
