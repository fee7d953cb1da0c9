"""States and observables in PI coordinates (blendsym.section5.pi_states), against the dense
2^n objects for small n and against closed forms at large n."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.errors import BlendsymError, InvalidStateError, NotComputableError
from blendsym.model.permutations import permutation_invariant_projection
from blendsym.section5 import pi_states as ps
from blendsym.section5.pi_basis import PIBasis
from blendsym.testing import hermitian_site_operators, single_qubit_density_matrices


def _np(m) -> np.ndarray:
    return np.array(sympy.Matrix(m).evalf().tolist(), dtype=complex)


def _factors(data, n, exact):
    return [data.draw(single_qubit_density_matrices(exact=exact)) for _ in range(n)]


@settings(max_examples=15)
@given(n=st.integers(1, 5), exact=st.booleans(), data=st.data())
def test_product_coordinates_equal_projection_of_the_dense_state(n, exact, data):
    factors = _factors(data, n, exact)
    state = bs.ProductState(factors)
    basis = PIBasis(n)
    y = ps.state_coordinates(basis, state)
    dense = state.dense()
    y_dense = ps.state_coordinates(basis, dense)
    if exact:
        assert isinstance(y, sympy.MatrixBase)
        assert (y - y_dense).applyfunc(sympy.expand).is_zero_matrix
    else:
        assert np.abs(y - y_dense).max() < 1e-14
    x = permutation_invariant_projection(_np(dense))
    assert np.abs(ps.lift_coordinates(basis, _np(y).ravel() if exact else y) - x).max() < 1e-13


@settings(max_examples=10)
@given(n=st.integers(2, 4), data=st.data())
def test_mixture_dicke_and_spin_coherent_coordinates(n, data):
    basis = PIBasis(n)
    a = bs.ProductState(_factors(data, n, True))
    b = bs.ProductState(_factors(data, n, True))
    w = sympy.Rational(data.draw(st.integers(0, 4)), 4)
    mix = bs.ProductMixture([(w, a), (1 - w, b)])
    y = ps.state_coordinates(basis, mix)
    assert (y - ps.state_coordinates(basis, mix.dense())).applyfunc(sympy.expand).is_zero_matrix
    amps = {0: sympy.sqrt(sympy.Rational(1, 3)), n: sympy.I * sympy.sqrt(sympy.Rational(2, 3))}
    if n > 2:
        amps = {1: sympy.Rational(3, 5), n - 1: sympy.Rational(-4, 5)}
    d = bs.DickeState(n, amps)
    yd = ps.state_coordinates(basis, d)
    assert (yd - ps.state_coordinates(basis, d.dense())).applyfunc(sympy.expand).is_zero_matrix
    yn = ps.state_coordinates(basis, bs.DickeState(n, {k: complex(v) for k, v in amps.items()}))
    assert np.abs(yn - _np(yd).ravel()).max() < 1e-14
    theta, phi = 0.7, -1.1
    css = bs.spin_coherent_state(n, theta, phi)
    ket = np.array([math.cos(theta / 2), np.exp(1j * phi) * math.sin(theta / 2)])
    assert np.allclose(css.factors[0], np.outer(ket, ket.conj()))
    assert (
        np.abs(ps.state_coordinates(basis, css) - ps.state_coordinates(basis, css.dense())).max()
        < 1e-14
    )


@settings(max_examples=15)
@given(n=st.integers(2, 5), data=st.data())
def test_marginals_expectations_moments_purity_against_dense(n, data):
    """Marginals (S.2), k-local expectation values, collective moments and the purity from
    the coordinates equal those of the lifted 2^n x 2^n operator P_*(rho)."""
    basis = PIBasis(n)
    rho = data.draw(bs.testing.density_matrices(n, kind="any"))
    y = ps.state_coordinates(basis, rho)
    x = permutation_invariant_projection(rho)
    for k in range(1, min(n, 3) + 1):
        assert np.abs(ps.marginal(basis, y, k) - bs.partial_trace(x, range(1, k + 1))).max() < 1e-13
    op = data.draw(hermitian_site_operators(n, max_terms=4))
    assert abs(ps.expectation(basis, y, op) - np.trace(op.to_numpy(n) @ x)) < 1e-12
    j, jj = ps.collective_moments(basis, y)
    big = [0.5 * bs.sum_sites(s, n).to_numpy(n) for s in (bs.sigma_x, bs.sigma_y, bs.sigma_z)]
    assert np.allclose(j, [np.trace(a @ x) for a in big], atol=1e-12)
    assert np.allclose(jj, [[np.trace(a @ b @ x) for b in big] for a in big], atol=1e-12)
    assert abs(ps.purity(basis, y) - np.trace(x @ x).real) < 1e-13
    assert abs(ps.trace(basis, y) - 1) < 1e-13


def test_exact_observables_and_concurrence():
    n = 4
    basis = PIBasis(n)
    w = bs.DickeState(n, 1)  # W state: every two-site marginal has concurrence 2/n
    y = ps.state_coordinates(basis, w)
    assert isinstance(y, sympy.MatrixBase)
    assert ps.trace(basis, y) == 1 and ps.purity(basis, y) == 1
    assert ps.expectation(basis, y, bs.sum_sites(bs.sigma_z, n)) == n - 2
    assert ps.reduced_state(basis, y) == sympy.diag(sympy.Rational(3, 4), sympy.Rational(1, 4))
    assert abs(ps.concurrence(ps.marginal(basis, y, 2)) - 2 / n) < 1e-12
    ghz = bs.DickeState(n, {0: 1 / sympy.sqrt(2), n: 1 / sympy.sqrt(2)})
    assert ps.concurrence(ps.marginal(basis, ps.state_coordinates(basis, ghz), 2)) < 1e-12
    bell = np.zeros((4, 4))
    bell[[0, 0, 3, 3], [0, 3, 0, 3]] = 0.5
    assert abs(ps.concurrence(bell) - 1) < 1e-12


@settings(max_examples=10)
@given(n=st.integers(2, 4), data=st.data())
def test_distance_to_pi_exact_and_bound(n, data):
    """C = ||rho - P_*(rho)||_F from generating functions: exact for exact products and
    mixtures, an upper bound (within 1e-6) for floats."""
    basis = PIBasis(n)
    a = bs.ProductState(_factors(data, n, True))
    b = bs.ProductState(_factors(data, n, True))
    mix = bs.ProductMixture([(sympy.Rational(1, 3), a), (sympy.Rational(2, 3), b)])
    for state in (a, mix):
        c, kind = ps.distance_to_pi(basis, state)
        dense = _np(state.dense())
        want = np.linalg.norm(dense - permutation_invariant_projection(dense))
        assert kind == "exact" and abs(float(c) - want) < 1e-12
    f = bs.ProductState([_np(m) for m in a.factors])
    c, kind = ps.distance_to_pi(basis, f)
    dense = f.dense()
    want = np.linalg.norm(dense - permutation_invariant_projection(dense))
    if len({m.tobytes() for m in f.factors}) == 1:  # identical factors: PI, C = 0 exactly
        assert (c, kind) == (0.0, "exact") and want < 1e-12
    else:
        assert kind == "upper bound" and want - 1e-12 <= c <= want + 2e-6


def test_identical_factors_are_permutation_invariant_at_n60():
    """rho^{(x)n} is PI: ||y||^2 = ||rho||_F^2 = tr(rho^2)^n, the marginal is rho and the
    two-site marginal rho (x) rho, at n = 60 (p = 39,711)."""
    n = 60
    basis = PIBasis(n)
    r = np.array([[0.7, 0.1 - 0.2j], [0.1 + 0.2j, 0.3]])
    state = bs.product_state([r] * n)
    assert isinstance(state, bs.ProductState)
    y = ps.state_coordinates(basis, state)
    assert abs(ps.trace(basis, y) - 1) < 1e-12
    assert abs(ps.purity(basis, y) / np.trace(r @ r).real ** n - 1) < 1e-11
    assert np.abs(ps.reduced_state(basis, y) - r).max() < 1e-12
    assert np.abs(ps.marginal(basis, y, 2) - np.kron(r, r)).max() < 1e-12
    j, _ = ps.collective_moments(basis, y)
    assert np.allclose(j, n / 2 * np.array([0.2, 0.4, 0.4]), atol=1e-10)


def test_product_state_lazy_forms_and_errors():
    small = bs.product_state("0", "1")
    assert isinstance(small, sympy.MatrixBase)  # unchanged below 13 qubits
    lazy = bs.product_state("01" * 7)
    assert isinstance(lazy, bs.ProductState) and lazy.n == 14 and lazy.exact
    assert bs.product_state("01", lazy=True).dense() == small
    with pytest.raises(NotComputableError, match="dense"):
        lazy.dense()
    with pytest.raises(InvalidStateError):
        bs.ProductState([np.eye(2)])  # trace 2
    with pytest.raises(InvalidStateError, match="add up to 1"):
        bs.ProductMixture([(0.5, [np.diag([1.0, 0.0])])])
    with pytest.raises(InvalidStateError, match="normalised"):
        bs.DickeState(3, {0: 1, 1: 1})
    basis = PIBasis(3)
    with pytest.raises(InvalidStateError, match="n = 2"):
        ps.state_coordinates(basis, bs.ProductState([np.diag([1.0, 0.0])] * 2))
    with pytest.raises(BlendsymError, match="length p"):
        ps.marginal(basis, np.ones(3), 1)
    with pytest.raises(NotComputableError, match="dense"):
        ps.state_coordinates(PIBasis(12), np.eye(4096) / 4096)


def test_weights_and_amplitudes_given_as_strings_are_refused_not_evaluated(tmp_path):
    """(Was: ProductMixture / DickeState / spin_coherent_state sympified their numbers, so a
    string weight was run as code.)"""
    flag = tmp_path / "ran"
    code = f"__import__('pathlib').Path({str(flag)!r}).touch() or 1"
    zero = bs.basis_state("0")
    with pytest.raises(BlendsymError, match="strings are not evaluated"):
        bs.ProductMixture([(code, [zero, zero])])
    with pytest.raises(BlendsymError, match="strings are not evaluated"):
        bs.DickeState(2, {1: code})
    with pytest.raises(BlendsymError, match="strings are not evaluated"):
        bs.spin_coherent_state(2, sympy.Symbol("t", real=True), code)
    assert not flag.exists()
