"""Site operators: algebra against explicit Kronecker products, Pauli decomposition, bad input."""

from __future__ import annotations

import functools
import itertools
import operator

import numpy as np
import pytest
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.errors import BlendsymError
from blendsym.testing import hermitian_site_operators

I = sympy.I

# ----------------------------------------------------------------------------- independent reference

_NP = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
    "+": np.array([[0, 0], [1, 0]], dtype=complex),
    "-": np.array([[0, 1], [0, 0]], dtype=complex),
}
_SY = {k: sympy.Matrix(v.tolist()).applyfunc(sympy.nsimplify) for k, v in _NP.items()}
_OPS = {
    "I": lambda j: bs.identity(),
    "X": bs.sigma_x,
    "Y": bs.sigma_y,
    "Z": bs.sigma_z,
    "+": bs.sigma_plus,
    "-": bs.sigma_minus,
}


def kron_site_np(m: np.ndarray, j: int, n: int) -> np.ndarray:
    """``I x ... x m (position j, 1-based) x ... x I`` with NumPy."""
    return functools.reduce(np.kron, [m if i == j else np.eye(2) for i in range(1, n + 1)])


def kron_site_sy(m: sympy.Matrix, j: int, n: int) -> sympy.Matrix:
    return sympy.kronecker_product(*[m if i == j else sympy.eye(2) for i in range(1, n + 1)])


def to_np(m) -> np.ndarray:
    if sp.issparse(m):
        return m.toarray()
    if isinstance(m, sympy.MatrixBase):
        return np.array(m.evalf().tolist(), dtype=complex)
    return np.asarray(m, dtype=complex)


_gauss_rational = st.tuples(
    st.integers(-3, 3), st.integers(1, 3), st.integers(-2, 2), st.integers(1, 2)
).map(lambda t: sympy.Rational(t[0], t[1]) + I * sympy.Rational(t[2], t[3]))


@st.composite
def expressions(draw, max_n: int = 4):
    """(n, terms) with terms [(c, [(name, site), ...])]; sites may repeat within a product."""
    n = draw(st.integers(1, max_n))
    factor = st.tuples(st.sampled_from(list(_OPS)), st.integers(1, n))
    terms = draw(
        st.lists(
            st.tuples(_gauss_rational, st.lists(factor, min_size=1, max_size=3)),
            min_size=1,
            max_size=4,
        )
    )
    return n, terms


def build(terms) -> bs.SiteOperator:
    out = bs.SiteOperator({})
    for c, factors in terms:
        prod = bs.identity()
        for name, site in factors:
            prod = prod * _OPS[name](site)
        out = out + c * prod
    return out


def reference_np(n, terms) -> np.ndarray:
    d = 2**n
    out = np.zeros((d, d), dtype=complex)
    for c, factors in terms:
        prod = np.eye(d, dtype=complex)
        for name, site in factors:
            prod = prod @ kron_site_np(_NP[name], site, n)
        out += complex(c) * prod
    return out


def reference_sy(n, terms) -> sympy.Matrix:
    d = 2**n
    out = sympy.zeros(d, d)
    for c, factors in terms:
        prod = sympy.eye(d)
        for name, site in factors:
            prod = prod * kron_site_sy(_SY[name], site, n)
        out += c * prod
    return out.applyfunc(sympy.expand)


def pauli_string_np(key: str) -> np.ndarray:
    return functools.reduce(np.kron, [_NP[p] for p in key])


# ----------------------------------------------------------------------------- single-site matrices


@pytest.mark.parametrize("name", list(_OPS))
@pytest.mark.parametrize("n,j", [(1, 1), (2, 1), (2, 2), (3, 2), (4, 4)])
def test_single_site_operators(name, n, j):
    op = _OPS[name](j)
    np.testing.assert_array_equal(op.to_matrix(n, "scipy").toarray(), kron_site_np(_NP[name], j, n))
    assert op.to_matrix(n, "sympy") == kron_site_sy(_SY[name], j, n)


def test_paper_example_sigma_plus_2():
    # sigma_+^(2) := I x sigma_+ x I x ... (paper, Section 2.4), with sigma_+ = [[0,0],[1,0]]
    m = bs.sigma_plus(2).to_numpy(3)
    expected = np.kron(np.kron(np.eye(2), [[0, 0], [1, 0]]), np.eye(2))
    np.testing.assert_array_equal(m, expected)
    # sigma_+ raises |0> -> |1>: |000> (index 0) -> |010> (index 2)
    assert m[2, 0] == 1


# ----------------------------------------------------------------------------- algebra


@given(expressions())
def test_expression_matrix_matches_kronecker_numeric(nt):
    n, terms = nt
    op = build(terms)
    np.testing.assert_allclose(
        op.to_matrix(n, "scipy").toarray(), reference_np(n, terms), atol=1e-12
    )
    np.testing.assert_allclose(op.to_numpy(n), reference_np(n, terms), atol=1e-12)


@settings(max_examples=15)
@given(expressions(max_n=3))
def test_expression_matrix_matches_kronecker_exact(nt):
    n, terms = nt
    op = build(terms)
    m = op.to_matrix(n, "sympy")
    assert (sympy.Matrix(m) - reference_sy(n, terms)).applyfunc(sympy.expand).is_zero_matrix


@given(expressions(max_n=3), expressions(max_n=3), _gauss_rational, st.integers(0, 3))
def test_algebra_against_matrices(nt1, nt2, c, k):
    n = max(nt1[0], nt2[0])
    a, b = build(nt1[1]), build(nt2[1])
    ma, mb = reference_np(n, nt1[1]), reference_np(n, nt2[1])
    cc = complex(c)
    eye = np.eye(2**n)
    cases = {
        "a+b": (a + b, ma + mb),
        "a-b": (a - b, ma - mb),
        "a*b": (a * b, ma @ mb),
        "b*a": (b * a, mb @ ma),
        "c*a": (c * a, cc * ma),
        "a*c": (a * c, cc * ma),
        "a*int": (a * 3, 3 * ma),
        "float*a": (0.5 * a, 0.5 * ma),
        "complex*a": ((1 - 2j) * a, (1 - 2j) * ma),
        "-a": (-a, -ma),
        "a+2": (a + 2, ma + 2 * eye),
        "2+a": (2 + a, ma + 2 * eye),
        "1-a": (1 - a, eye - ma),
        "a/3": (a / 3, ma / 3),
        "a^dag": (a.dag(), ma.conj().T),
        "a^k": (a**k, np.linalg.matrix_power(ma, k)),
        "[a,b]": (a * b - b * a, ma @ mb - mb @ ma),
    }
    for name, (op, expected) in cases.items():
        np.testing.assert_allclose(op.to_numpy(n), expected, atol=1e-9, err_msg=name)


def test_pauli_relations_exact():
    x, y, z = bs.sigma_x(1), bs.sigma_y(1), bs.sigma_z(1)
    assert x * y == I * z and y * z == I * x and z * x == I * y
    assert y * x == -I * z
    assert x * x == bs.identity() == 1
    assert x * y + y * x == 0
    assert bs.sigma_plus(1) == (x - I * y) / 2
    assert bs.sigma_minus(1) == bs.sigma_plus(1).dag()
    assert bs.sigma_plus(1) * bs.sigma_plus(1) == 0
    # operators on different sites commute
    assert bs.sigma_x(1) * bs.sigma_y(2) == bs.sigma_y(2) * bs.sigma_x(1)
    # sigma_+ sigma_- = |1><1| = (I - Z)/2 with the paper's matrices
    assert bs.sigma_plus(1) * bs.sigma_minus(1) == (1 - z) / 2
    assert bs.sigma_x(1) ** 0 == 1


def test_equality_distinguishes():
    assert bs.sigma_x(1) != bs.sigma_x(2)
    assert bs.sigma_x(1) != bs.sigma_y(1)
    assert bs.sigma_x(1) * bs.sigma_z(2) != bs.sigma_z(1) * bs.sigma_x(2)
    assert bs.sigma_z(1) + 0 == bs.sigma_z(1)
    assert bs.sigma_z(1) != 2 * bs.sigma_z(1)
    assert bs.sigma_z(1) != "sigma_z(1)"
    w = sympy.Symbol("w")
    assert w * bs.sigma_z(1) + w * bs.sigma_z(1) == 2 * w * bs.sigma_z(1)
    assert (w * bs.sigma_z(1)).subs({w: 3}) == 3 * bs.sigma_z(1)


def test_hash_agrees_with_equality_for_hidden_zeros():
    # sin(1)^2 + cos(1)^2 - 1 survives expansion but is zero: equal operators, equal hashes
    hidden = sympy.sin(1) ** 2 + sympy.cos(1) ** 2 - 1
    a = bs.sigma_z(1)
    b = a + hidden * bs.sigma_x(2)
    assert hidden != 0 and a == b and hash(a) == hash(b) and len({a, b}) == 1
    w = sympy.Symbol("w")
    c = (w * (w + 1) - w**2 - w + sympy.sin(w) ** 2 + sympy.cos(w) ** 2 - 1) * bs.sigma_x(1)
    assert c == 0 * bs.sigma_x(1) and hash(c) == hash(bs.SiteOperator({}))
    assert hash(2 * bs.sigma_z(1)) != hash(bs.sigma_x(1))  # not a constant hash


def test_hermiticity():
    assert bs.sigma_x(1).is_hermitian() is True
    assert bs.sigma_plus(1).is_hermitian() is False
    assert (bs.sigma_plus(1) + bs.sigma_minus(1)).is_hermitian() is True
    assert (I * (bs.sigma_plus(2) - bs.sigma_minus(2))).is_hermitian() is True
    assert (sympy.Symbol("w") * bs.sigma_z(1)).is_hermitian() is None
    assert (sympy.Symbol("w", real=True) * bs.sigma_z(1)).is_hermitian() is True


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(st.just(n), hermitian_site_operators(n))))
def test_hermitian_strategy_gives_hermitian_matrices(nh):
    n, h = nh
    m = h.to_numpy(n)
    assert h.is_hermitian() is True
    np.testing.assert_allclose(m, m.conj().T, atol=1e-14)
    assert not h.is_zero()


# ----------------------------------------------------------------------------- sites


def test_sites_and_term_sites():
    op = bs.sigma_x(1) * bs.sigma_z(3) + 2 * bs.sigma_y(2)
    assert op.sites == frozenset({1, 2, 3})
    assert sorted(map(sorted, op.term_sites())) == [[1, 3], [2]]
    assert op.max_site == 3
    assert op.local_parts() is None
    assert (bs.sigma_x(1) * bs.sigma_x(1)).sites == frozenset()
    assert bs.identity().max_site == 0
    # sigma_+ is two Pauli terms on the same qubit
    assert bs.sigma_plus(2).term_sites() == [frozenset({2}), frozenset({2})]
    local = bs.sigma_z(1) + bs.sigma_plus(3) + 5
    parts = local.local_parts()
    assert set(parts) == {0, 1, 3}
    assert parts[1] == bs.sigma_z(1) and parts[3] == bs.sigma_plus(3) and parts[0] == 5
    # a sum of single-site terms on several sites has only single-site terms
    collective = bs.sigma_minus(1) + bs.sigma_minus(2)
    assert all(len(s) == 1 for s in collective.term_sites())
    assert collective.sites == frozenset({1, 2})


def test_coefficient_lookup():
    op = 3 * bs.sigma_x(1) * bs.sigma_z(3) + bs.sigma_plus(2)
    assert op.coefficient("X1 Z3") == 3
    assert op.coefficient(((3, "Z"), (1, "X"))) == 3
    assert op.coefficient("Y2") == -I / 2
    assert op.coefficient("Z2") == 0


# ----------------------------------------------------------------------------- Pauli decomposition

_cfloat = st.floats(-2, 2, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def complex_matrices(draw, min_n=1, max_n=4):
    n = draw(st.integers(min_n, max_n))
    d = 2**n
    re = np.array(draw(st.lists(_cfloat, min_size=d * d, max_size=d * d))).reshape(d, d)
    im = np.array(draw(st.lists(_cfloat, min_size=d * d, max_size=d * d))).reshape(d, d)
    return n, re + 1j * im


@given(complex_matrices())
def test_pauli_decomposition_round_trip_numeric(nm):
    n, m = nm
    op = bs.from_matrix(m)
    np.testing.assert_allclose(op.to_numpy(n), m, atol=1e-12)
    # and the coefficients are tr(P M) / 2^n for every string
    for key in itertools.product("IXYZ", repeat=n):
        label = " ".join(f"{p}{i + 1}" for i, p in enumerate(key) if p != "I")
        expected = np.trace(pauli_string_np("".join(key)) @ m) / 2**n
        got = complex(op.coefficient(label)) if label else complex(op.terms.get((), 0))
        assert abs(got - expected) <= 1e-12, (key, got, expected)


@settings(max_examples=15)
@given(st.integers(1, 3).flatmap(lambda n: st.lists(_gauss_rational, min_size=4**n, max_size=4**n)))
def test_pauli_decomposition_round_trip_exact(entries):
    d = int(round(len(entries) ** 0.5))
    n = d.bit_length() - 1
    m = sympy.Matrix(d, d, entries)
    op = bs.from_matrix(m)
    assert not any(c.has(sympy.Float) for c in op.terms.values())
    back = sympy.Matrix(op.to_matrix(n, "sympy"))
    assert (back - m).applyfunc(sympy.expand).is_zero_matrix


def test_from_matrix_input_forms_agree():
    m = np.array([[1, 2 - 1j, 0, 0], [2 + 1j, -1, 0, 3], [0, 0, 0, 0], [0, 3, 0, 2]])
    a = bs.from_matrix(m)
    assert a == bs.from_matrix(sp.csr_matrix(m))
    assert a == bs.from_matrix(m.tolist())
    assert a == bs.from_matrix(sympy.Matrix(m.tolist()))
    assert a.is_hermitian() is True
    np.testing.assert_allclose(a.to_numpy(2), m)


def test_site_operator_embeds_2x2():
    m = sympy.Matrix([[1, 2], [3, 4]])
    op = bs.site_operator(m, 2)
    assert op.to_matrix(3, "sympy") == kron_site_sy(m, 2, 3)
    assert bs.site_operator(np.array([[0, 1], [0, 0]]), 1) == bs.sigma_minus(1)


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "ctor", [bs.sigma_x, bs.sigma_y, bs.sigma_z, bs.sigma_plus, bs.sigma_minus]
)
@pytest.mark.parametrize("site", [0, -1, 1.5, 2.0, True, "1", None])
def test_bad_site_rejected(ctor, site):
    with pytest.raises(BlendsymError, match="site") as exc:
        ctor(site)
    assert repr(site) in str(exc.value)


def test_site_operator_bad_site():
    with pytest.raises(BlendsymError, match="site"):
        bs.site_operator(np.eye(2), 0)


@pytest.mark.parametrize(
    "bad,fragment",
    [
        (np.zeros((3, 3)), "2^n x 2^n"),
        (np.zeros((2, 4)), "square"),
        (np.zeros((1, 1)), "2^n x 2^n"),
        (np.zeros((2, 2, 2)), "square"),
        (np.zeros(4), "square"),
        (sympy.zeros(3, 3), "2^n x 2^n"),
        (sympy.zeros(2, 4), "square"),
        (np.array([["a", "b"], ["c", "d"]]), "numeric"),
    ],
)
def test_from_matrix_bad_shape(bad, fragment):
    with pytest.raises(BlendsymError, match="operator") as exc:
        bs.from_matrix(bad)
    assert fragment in str(exc.value)


@pytest.mark.parametrize(
    "bad",
    [
        np.array([[np.nan, 0], [0, 1]]),
        np.array([[0, np.inf], [0, 1]]),
        np.array([[0, 1j * np.inf], [0, 1]]),
        sympy.Matrix([[sympy.nan, 0], [0, 1]]),
        sympy.Matrix([[sympy.oo, 0], [0, 1]]),
    ],
)
def test_from_matrix_nan_rejected(bad):
    with pytest.raises(BlendsymError, match="NaN or infinite"):
        bs.from_matrix(bad, name="L")
    with pytest.raises(BlendsymError, match="matrix"):
        bs.site_operator(bad, 1)


def test_site_operator_needs_2x2():
    with pytest.raises(BlendsymError, match="2x2"):
        bs.site_operator(np.kron(_NP["Z"], _NP["Z"]), 1)


# regression: site_operator used to accept any matrix whose Pauli decomposition acts on
# qubit <= 1 only (I_4, sigma_z x I, ...) as a single-qubit operator
@pytest.mark.parametrize(
    "bad", [np.eye(4), np.kron(_NP["Z"], np.eye(2)), 2 * np.eye(8)], ids=["I4", "ZxI", "2I8"]
)
def test_site_operator_rejects_any_non_2x2(bad):
    with pytest.raises(BlendsymError, match="2x2"):
        bs.site_operator(bad, 3)


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), complex(0, float("nan")), sympy.nan, sympy.zoo]
)
def test_nan_scalar_rejected(bad):
    with pytest.raises(BlendsymError, match="finite|NaN|infinite"):
        bs.sigma_x(1) * bad


def test_bad_algebra_arguments():
    with pytest.raises(BlendsymError, match="exponent"):
        bs.sigma_x(1) ** -1
    with pytest.raises(BlendsymError, match="exponent"):
        bs.sigma_x(1) ** 1.5
    with pytest.raises(BlendsymError, match="divisor"):
        bs.sigma_x(1) / 0
    with pytest.raises(TypeError):
        bs.sigma_x(1) * np.eye(2).tolist()


def test_to_matrix_bad_arguments():
    op = bs.sigma_x(1) * bs.sigma_z(3)
    with pytest.raises(BlendsymError, match="qubit 3") as exc:
        op.to_matrix(2)
    assert "n = 2" in str(exc.value)
    for bad_n in (0, -1, 1.5, True):
        with pytest.raises(BlendsymError, match="n must be a positive integer"):
            op.to_matrix(bad_n)
    with pytest.raises(BlendsymError, match="backend"):
        op.to_matrix(3, "numpy")
    with pytest.raises(BlendsymError, match="free symbols"):
        (sympy.Symbol("w") * op).to_matrix(3, "scipy")


def test_errors_are_value_errors():
    assert issubclass(bs.BlendsymError, ValueError)
    with pytest.raises(ValueError):
        bs.sigma_x(0)


def test_operator_products_reduce():
    # a long product on one site collapses to a single Pauli string with a phase
    ops = [bs.sigma_x(1), bs.sigma_y(1), bs.sigma_z(1)]
    prod = functools.reduce(operator.mul, ops)
    assert prod == I  # XYZ = i I
