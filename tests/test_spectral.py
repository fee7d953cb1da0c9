"""Tests of :mod:`blendsym.spectral`: exact Jordan structure, steady states, relaxation,
the constants of Theorems 1-2, exact and numeric propagation, input validation."""

from __future__ import annotations

import random

import numpy as np
import pytest
import scipy.linalg
import sympy
from hypothesis import given
from hypothesis import strategies as st

from blendsym.conventions import (
    SIGMA_MINUS,
    SIGMA_PLUS,
    SIGMA_X,
    SIGMA_Y,
    SIGMA_Z,
    dissipator_superop,
    hamiltonian_superop,
)
from blendsym.errors import BlendsymError, InvalidArgumentError, NotComputableError
from blendsym.spectral import (
    IsolatedRoot,
    SpectralAnalysis,
    analyze,
    exact_solution,
    matrix_exponential,
    numeric_propagator,
)
from blendsym.spectral.fields import _field_matrix
from blendsym.spectral.modular import _DirectEngine, _ModularEngine

I = sympy.I
R = sympy.Rational
T = sympy.Symbol("t", real=True)


# ----------------------------------------------------------------------------- helpers


def jordan_block(lam, k: int) -> sympy.Matrix:
    j = sympy.zeros(k, k)
    for i in range(k):
        j[i, i] = lam
        if i + 1 < k:
            j[i, i + 1] = 1
    return j


def unimodular(n: int, rng: random.Random, ext=None) -> sympy.Matrix:
    """Random exact invertible matrix with small entries (product of elementary matrices)."""
    p = sympy.eye(n)
    if n == 1:
        return p
    for _ in range(3 * n):
        i, j = rng.sample(range(n), 2)
        c = R(rng.choice([-2, -1, 1, 2]), rng.choice([1, 2]))
        if ext is not None and rng.random() < 0.3:
            c = c * ext
        e = sympy.eye(n)
        e[i, j] = c
        p = p * e
    perm = list(range(n))
    rng.shuffle(perm)
    return p.extract(perm, list(range(n)))


def similar(j: sympy.Matrix, seed: int, ext=None) -> sympy.Matrix:
    p = unimodular(j.shape[0], random.Random(seed), ext)
    return (p * j * p.inv()).applyfunc(sympy.expand)


def rand_q(rng: random.Random, complex_=True) -> sympy.Expr:
    v = R(rng.randint(-3, 3), rng.randint(1, 3))
    if complex_:
        v += I * R(rng.randint(-3, 3), rng.randint(1, 3))
    return v


def random_lindbladian(d: int, rng: random.Random, jumps: int = 1) -> sympy.Matrix:
    """Random exact Lindblad generator (rational Hamiltonian and jump entries)."""
    h = sympy.zeros(d, d)
    for i in range(d):
        h[i, i] = rand_q(rng, False)
        for k in range(i + 1, d):
            h[i, k] = rand_q(rng)
            h[k, i] = sympy.conjugate(h[i, k])
    a = sympy.Matrix(hamiltonian_superop(h))
    for _ in range(jumps):
        lop = sympy.Matrix(d, d, lambda i, k: rand_q(rng))
        a += sympy.Matrix(dissipator_superop(lop))
    return a.applyfunc(sympy.expand)


def phase_covariant(h, g_minus, g_plus, g_z) -> sympy.Matrix:
    """Single-qubit generator with closed-form spectrum."""
    return sympy.Matrix(
        hamiltonian_superop(h * SIGMA_Z)
        + g_minus * dissipator_superop(SIGMA_MINUS)
        + g_plus * dissipator_superop(SIGMA_PLUS)
        + g_z * dissipator_superop(SIGMA_Z)
    )


def numeric(a) -> np.ndarray:
    return np.array(sympy.Matrix(a).evalf(30).tolist(), dtype=complex)


def vec(rho: sympy.Matrix) -> sympy.Matrix:
    return sympy.Matrix(rho.shape[0] * rho.shape[1], 1, list(rho))


def same_number(a, b) -> bool:
    d = sympy.expand(a - b)
    return d == 0 or sympy.simplify(d) == 0


def structure_equal(got: dict, expected: dict) -> bool:
    if len(got) != len(expected):
        return False
    for lam, blocks in expected.items():
        match = [k for k in got if same_number(k, lam)]
        if len(match) != 1 or got[match[0]] != sorted(blocks):
            return False
    return True


@pytest.fixture(scope="module")
def example1():
    third = R(1, 3)
    a = sympy.Matrix(
        hamiltonian_superop(third * SIGMA_Z)
        + third * dissipator_superop(SIGMA_MINUS)
        + third * dissipator_superop(sympy.sqrt(3) * SIGMA_PLUS)
    )
    return a, analyze(a, state_dim=2)


# ------------------------------------------------------------------- Jordan structure

JORDAN_CASES = {
    "rational": [(2, [2, 1]), (-1, [1]), (0, [3])],
    "complex-rational": [(R(1, 2) + I, [3]), (R(1, 2) - I, [1, 1]), (0, [2])],
    "algebraic": [(sympy.sqrt(2) * I, [2]), (-sympy.sqrt(2) * I, [2, 1]), (-1, [1])],
    "mixed": [(-R(3, 2), [2, 2]), (sympy.sqrt(3), [1]), (2 * I, [2]), (-2 * I, [1])],
    "lindblad-like": [(0, [1]), (-1 + I, [2]), (-1 - I, [2]), (-R(1, 3), [1, 1, 1])],
}


@pytest.mark.parametrize("name", sorted(JORDAN_CASES))
def test_jordan_structure_of_similar_matrices(name):
    spec = JORDAN_CASES[name]
    j = sympy.diag(*[jordan_block(lam, k) for lam, ks in spec for k in ks])
    ext = sympy.sqrt(2) if name == "algebraic" else None
    a = similar(j, seed=len(name), ext=ext)
    an = analyze(a)
    assert structure_equal(an.jordan_structure, {lam: ks for lam, ks in spec})
    assert an.eigenvalues == {k: sum(v) for k, v in an.jordan_structure.items()}
    # the characteristic polynomial is exact
    lam = sympy.Symbol("lambda")
    expected = sympy.prod([(lam - e) ** sum(ks) for e, ks in spec])
    assert sympy.expand(an.characteristic_polynomial.as_expr() - expected) == 0


def test_jordan_structure_irreducible_cubic_factor():
    # companion matrix of x^3 + x + 1 (irreducible over QQ and QQ(i)) in a block of size 2
    c = sympy.Matrix([[0, 0, -1], [1, 0, -1], [0, 1, 0]])
    block = sympy.Matrix(sympy.BlockMatrix([[c, sympy.eye(3)], [sympy.zeros(3), c]]))
    j = sympy.diag(block, c, sympy.Matrix([[I]]))
    a = similar(j, seed=7)
    an = analyze(a)
    by_factor = {str(q.as_expr()): (m, b) for q, m, b in an.jordan_structure_by_factor}
    assert by_factor == {"lambda**3 + lambda + 1": (3, [1, 2]), "lambda - I": (1, [1])}
    js = an.jordan_structure
    cubic = [k for k in js if isinstance(k, sympy.CRootOf)]
    assert len(cubic) == 3 and all(js[k] == [1, 2] for k in cubic)
    key = lambda z: (round(z.real, 8), z.imag)  # noqa: E731
    ours = sorted((complex(k) for k in cubic), key=key)
    assert np.allclose(ours, sorted(np.roots([1, 0, 1, 1]), key=key), atol=1e-12)
    # two of the three cubic roots have Re > 0: growing modes
    assert an.has_growing_modes


@given(
    st.lists(
        st.tuples(st.integers(-3, 3), st.integers(-2, 2), st.integers(1, 3)),
        min_size=1,
        max_size=3,
    ),
    st.integers(0, 10**6),
)
def test_jordan_structure_random_blocks(blocks, seed):
    spec: dict = {}
    for re, im, k in blocks:
        spec.setdefault(re + im * I, []).append(k)
    j = sympy.diag(*[jordan_block(lam, k) for lam, ks in spec.items() for k in ks])
    a = similar(j, seed)
    an = analyze(a)
    assert structure_equal(an.jordan_structure, spec)
    axis = [lam for lam in spec if sympy.re(lam) == 0]
    largest = max((max(spec[lam]) for lam in axis), default=0)
    assert an.largest_block_on_imaginary_axis == largest
    assert an.f_degree == max(largest - 1, 0)


def test_modular_and_direct_engines_agree():
    rng = random.Random(11)
    a = random_lindbladian(2, rng)
    j = sympy.diag(jordan_block(-1, 2), jordan_block(2 * I, 2), sympy.Matrix([[0]]))
    for m in (a, similar(j, 5, ext=sympy.sqrt(10))):
        fm = _field_matrix(sympy.Matrix(m))
        mod, direct = _ModularEngine(fm.dm), _DirectEngine(fm.dm)
        assert mod.charpoly() == direct.charpoly()
        K = fm.K
        for factors in ([([K.one, K.zero], 1)], [([K.one, K(1)], 2)], [([K.one, K.zero], 3)]):
            b1, b2 = mod.nullspace(factors), direct.nullspace(factors)
            assert b1.shape == b2.shape
            assert b1.to_Matrix() == b2.to_Matrix()  # both in reduced echelon form


# --------------------------------------------------------------- steady states, relaxing


def check_against_numpy(an: SpectralAnalysis, a: sympy.Matrix):
    ev = np.linalg.eigvals(numeric(a))
    nonzero = ev[np.abs(ev) > 1e-9]
    relaxing_np = (np.sum(np.abs(ev) < 1e-9) == 1) and bool(np.all(nonzero.real < -1e-9))
    assert an.is_relaxing == relaxing_np
    re_nonzero = np.abs(ev.real[np.abs(ev.real) > 1e-9])
    assert an.mu_numeric == pytest.approx(float(np.min(re_nonzero)), abs=1e-10)
    assert float(an.mu) == pytest.approx(float(np.min(re_nonzero)), abs=1e-10)
    ours = sorted(
        (z for z, m in an.numeric_eigenvalues for _ in range(m)),
        key=lambda z: (round(z.real, 7), round(z.imag, 7)),
    )
    ref = sorted(ev, key=lambda z: (round(z.real, 7), round(z.imag, 7)))
    assert np.allclose(ours, ref, atol=1e-9)


@given(st.integers(0, 10**6))
def test_random_single_qubit_generator(seed):
    rng = random.Random(seed)
    a = random_lindbladian(2, rng, jumps=rng.choice([1, 2]))
    an = analyze(a, state_dim=2)
    assert an.exact
    rho = an.steady_state
    assert (a * vec(rho)).applyfunc(sympy.expand).is_zero_matrix
    check = an.check_steady_state()
    assert check.hermitian and check.trace_one and check.positive_semidefinite
    assert check.is_state
    # trace and determinant of the exact state, checked independently
    assert sympy.simplify(rho.trace()) == 1
    assert sympy.simplify(rho.det()) >= 0
    check_against_numpy(an, a)
    # kernel vectors are exact
    for v in an.kernel:
        assert (a * v).applyfunc(sympy.expand).is_zero_matrix
    assert an.f_degree == 0 and an.largest_block_on_imaginary_axis == 1


def test_random_qutrit_generator_with_sqrt10():
    rng = random.Random(3)
    h = sympy.Matrix(
        [[1, sympy.sqrt(10) + I, 0], [sympy.sqrt(10) - I, -1, R(1, 2)], [0, R(1, 2), 0]]
    )
    lop = sympy.Matrix(3, 3, lambda i, k: rand_q(rng))
    a = sympy.Matrix(hamiltonian_superop(h) + dissipator_superop(lop)).applyfunc(sympy.expand)
    an = analyze(a, state_dim=3)
    assert "sqrt(10)" in an.field
    rho = an.steady_state
    assert (a * vec(rho)).applyfunc(sympy.expand).is_zero_matrix
    assert an.check_steady_state().is_state
    check_against_numpy(an, a)
    # eigenvalues (exact objects) agree with numpy
    ev = sorted(np.linalg.eigvals(numeric(a)), key=lambda z: (round(z.real, 6), z.imag))
    ours = sorted(
        (complex(sympy.N(k, 20)) for k, m in an.eigenvalues.items() for _ in range(m)),
        key=lambda z: (round(z.real, 6), z.imag),
    )
    assert np.allclose(ours, ev, atol=1e-9)


def test_large_square_free_part_is_certified_without_factoring():
    # 25 x 25 generator over QQ(i, sqrt(10)): the square-free part of degree 24 over
    # QQ(sqrt(10)) is not factored; its roots are certified discs and IsolatedRoot objects
    rng = random.Random(1)
    d = 5
    h = sympy.zeros(d, d)
    for i in range(d):
        h[i, i] = i
        if i + 1 < d:
            h[i, i + 1] = sympy.sqrt(10) / (i + 1) + I
            h[i + 1, i] = sympy.conjugate(h[i, i + 1])
    lop = sympy.Matrix(d, d, lambda i, k: rand_q(rng) if rng.random() < 0.4 else 0)
    a = sympy.Matrix(hamiltonian_superop(h) + dissipator_superop(lop)).applyfunc(sympy.expand)
    an = analyze(a, state_dim=d)
    check_against_numpy(an, a)
    values = [k for k in an.eigenvalues if isinstance(k, IsolatedRoot)]
    assert values
    ev = np.linalg.eigvals(numeric(a))
    for k in values:
        z = complex(sympy.N(k, 20))
        assert np.min(np.abs(ev - z)) < 1e-9
    assert (a * vec(an.steady_state)).applyfunc(sympy.expand).is_zero_matrix


def test_parametric_generator_with_positive_rates():
    g1, g2, w = sympy.symbols("gamma1 gamma2 omega", positive=True)
    a = phase_covariant(w / 2, g1, g2, 0)
    an = analyze(a, state_dim=2)
    assert an.generic and an.parameters == (g1, g2, w)
    assert an.is_relaxing
    assert sympy.simplify(an.mu - (g1 + g2) / 2) == 0
    rho = an.steady_state
    assert sympy.simplify(rho - sympy.diag(g1 / (g1 + g2), g2 / (g1 + g2))) == sympy.zeros(2)
    assert an.check_steady_state().is_state
    sol = exact_solution(a, sympy.diag(1, 0), T)
    assert sympy.simplify(sol[0, 0] - (g1 + g2 * sympy.exp(-(g1 + g2) * T)) / (g1 + g2)) == 0


def test_parametric_undecidable_sign_raises():
    g = sympy.Symbol("g")  # no assumptions: the sign of Re(lambda) cannot be decided
    a = sympy.Matrix([[g, 0], [0, -1]])
    an = analyze(a)
    with pytest.raises(NotComputableError, match="sign"):
        _ = an.mu


def test_unitary_generator_example2():
    third = R(1, 3)
    a = sympy.Matrix(hamiltonian_superop(third * (SIGMA_X + SIGMA_Y + SIGMA_Z)))
    an = analyze(a, state_dim=2)
    w = 2 * sympy.sqrt(3) / 3
    assert structure_equal(an.jordan_structure, {0: [1, 1], w * I: [1], -w * I: [1]})
    assert not an.is_relaxing and an.mu is None
    assert len(an.zero_real_part_eigenvalues) == 3
    assert len(an.invariant_subspace) == 4
    assert an.f_degree == 0
    assert an.lipschitz_constant() == 0.0
    states = an.steady_states
    assert len(states) == 2
    for s in states:
        assert s.trace() == 1 and s == s.H
        assert (a * vec(s)).applyfunc(sympy.expand).is_zero_matrix
    assert an.distance_to_invariant_subspace(np.eye(2)) == pytest.approx(0, abs=1e-12)


def test_example1_blended_generator(example1):
    """Example 1 (eq. (9)): what the exact analysis finds (the paper's rho_r is misprinted)."""
    a, an = example1
    assert an.is_relaxing and an.exact
    assert structure_equal(
        an.jordan_structure,
        {0: [1], -R(4, 3): [1], -R(2, 3) + 2 * I / 3: [1], -R(2, 3) - 2 * I / 3: [1]},
    )
    assert an.mu == R(2, 3)
    rho_r = an.steady_state
    assert rho_r == sympy.diag(R(1, 4), R(3, 4))
    assert an.check_steady_state().is_state
    # the printed steady state of the paper is not stationary for (9)
    paper = sympy.Matrix([[R(2, 3), -I / 6], [I / 6, R(1, 3)]])
    assert not (a * vec(paper)).applyfunc(sympy.expand).is_zero_matrix
    assert an.f_degree == 0
    assert [list(v) for v in an.invariant_subspace] == [[R(1, 3), 0, 0, 1]]
    assert an.distance_to_invariant_subspace(rho_r) == pytest.approx(0, abs=1e-14)


# ------------------------------------------------------------------------ time evolution


@pytest.mark.parametrize(
    "params", [(R(1, 3), R(1, 3), 1, 0), (1, R(1, 2), R(1, 4), R(1, 5)), (0, 2, 0, R(1, 3))]
)
def test_exact_solution_matches_expm_and_relaxes(params):
    a = phase_covariant(*params)
    rng = random.Random(4)
    x0 = sympy.Matrix([[R(1, 3), R(1, 5) + I / 7], [R(1, 5) - I / 7, R(2, 3)]])
    sol = exact_solution(a, x0, T)
    assert sol.shape == (2, 2)
    prop = numeric_propagator(a, numeric(x0))
    times = np.linspace(0, 6, 13)
    num = prop(times)
    f = sympy.lambdify(T, sol, "numpy")
    for k, t in enumerate(times):
        assert np.allclose(np.array(f(t), dtype=complex), num[k], atol=1e-10)
    an = analyze(a, state_dim=2)
    if an.is_relaxing:
        late = np.array(f(200.0), dtype=complex)
        assert np.allclose(late, numeric(an.steady_state), atol=1e-10)
    e = matrix_exponential(a, T)
    fe = sympy.lambdify(T, e, "numpy")
    t = rng.uniform(0, 3)
    assert np.allclose(
        np.array(fe(t), dtype=complex), scipy.linalg.expm(numeric(a) * t), atol=1e-10
    )


def test_matrix_exponential_with_jordan_blocks_and_numeric_time():
    j = sympy.diag(jordan_block(-1, 3), jordan_block(2 * I, 2), sympy.Matrix([[0]]))
    a = similar(j, 3)
    e = matrix_exponential(a)
    t = sympy.Symbol("t", real=True)
    assert e.free_symbols == {t}
    fe = sympy.lambdify(t, e, "numpy")
    for tv in (0.0, 0.7, 2.5):
        assert np.allclose(
            np.array(fe(tv), dtype=complex), scipy.linalg.expm(numeric(a) * tv), atol=1e-9
        )
    assert matrix_exponential(a, 0) == sympy.eye(a.shape[0])


def test_matrix_exponential_needs_closed_forms():
    a = random_lindbladian(2, random.Random(1))
    with pytest.raises(NotComputableError, match="closed form"):
        matrix_exponential(a)


def test_numeric_propagator_shapes_and_params():
    g = sympy.Symbol("g", positive=True)
    a = phase_covariant(1, g, 0, 0)
    prop = numeric_propagator(a, np.diag([0.0, 1.0]), params={g: 0.5})
    out = prop([0.0, 1.0])
    assert out.shape == (2, 2, 2)
    assert out[1, 1, 1].real == pytest.approx(np.exp(-0.5), rel=1e-12)
    vec_prop = numeric_propagator(numeric(phase_covariant(1, 1, 0, 0)), [0, 0, 0, 1])
    assert vec_prop(0.5).shape == (1, 4)
    with pytest.raises(NotComputableError, match="free symbols"):
        numeric_propagator(a, np.eye(2))
    with pytest.raises(InvalidArgumentError, match="times"):
        prop([[0.0, 1.0]])


# -------------------------------------------------------------- constants of Theorems 1-2


def decaying_projector(a: np.ndarray) -> np.ndarray:
    ev, v = np.linalg.eig(a)
    mask = ev.real < -1e-9
    return v[:, mask] @ np.linalg.inv(v)[mask, :]


@given(st.integers(0, 10**6))
def test_lipschitz_and_norm_bound_constants_are_valid(seed):
    rng = random.Random(seed)
    a = random_lindbladian(2, rng)
    an = analyze(a, state_dim=2)
    an_ = numeric(a)
    lc = an.lipschitz_constant()
    mu = float(an.mu)
    pis = decaying_projector(an_)
    big_t = 5.0
    m_const = an.norm_bound_constant(big_t)
    m = an.f_degree
    for t in np.linspace(0, big_t, 157):
        e = scipy.linalg.expm(an_ * t)
        assert np.linalg.norm(e @ pis, 2) <= lc * np.exp(-mu * t) * (1 + 1e-9) + 1e-12
        assert np.linalg.norm(e, 2) <= m_const * sum(t**k for k in range(m + 1)) * (1 + 1e-12)


def test_norm_bound_with_jordan_block_on_axis():
    # a nilpotent block on the imaginary axis: ||e^{At}|| grows like t, f_degree = 1
    j = sympy.diag(jordan_block(0, 2), jordan_block(-1, 1))
    a = similar(j, 2)
    an = analyze(a)
    assert an.f_degree == 1
    m_const = an.norm_bound_constant(4)
    an_ = numeric(a)
    for t in np.linspace(0, 4, 301):
        assert np.linalg.norm(scipy.linalg.expm(an_ * t), 2) <= m_const * (1 + t)
    assert an.lipschitz_constant() > 0


def test_lipschitz_constant_rejects_decaying_jordan_block():
    a = similar(sympy.diag(jordan_block(-1, 2), sympy.Matrix([[0]])), 1)
    with pytest.raises(NotComputableError, match="Jordan block"):
        analyze(a).lipschitz_constant()


def test_distance_to_invariant_subspace(example1):
    a, an = example1
    basis = numeric(sympy.Matrix.hstack(*an.invariant_subspace))
    q, _ = np.linalg.qr(basis)
    x = np.array([[0.3, 0.1 + 0.2j], [0.1 - 0.2j, 0.7]])
    v = x.ravel()
    expected = np.linalg.norm(v - q @ (q.conj().T @ v))
    assert an.distance_to_invariant_subspace(x) == pytest.approx(expected, rel=1e-12)
    assert an.distance_to_invariant_subspace(v) == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "bad, match",
    [
        ([[1, 2, 3], [4, 5, 6]], "square"),
        (np.zeros((2, 2, 2)), "2-D"),
        ("[[1]]", "square matrix"),
        (42, "square matrix"),
        ([[1, 2], [3]], "ragged|square"),
        (np.array([[1.0, np.nan], [0, 1]]), "finite"),
        (np.array([[1.0, np.inf], [0, 1]]), "finite"),
        ([[sympy.nan, 0], [0, 1]], "finite"),
        ([[sympy.zoo, 0], [0, 1]], "finite"),
        (np.array([[0.1, 0], [0, 1]]), "float"),
        ([[True, 0], [0, 1]], "boolean"),
        ([["a", 0], [0, 1]], "numbers"),
        (sympy.zeros(0, 0), "non-empty"),
    ],
)
def test_bad_matrices_raise(bad, match):
    with pytest.raises(InvalidArgumentError, match=match):
        analyze(bad)


def test_floats_accepted_with_rationalize():
    an = analyze(np.array([[-0.5, 0.25], [0.5, -0.25]]), rationalize=True)
    assert an.eigenvalues == {0: 1, -R(3, 4): 1}


def test_bad_arguments_raise(example1):
    a, an = example1
    with pytest.raises(InvalidArgumentError, match="state_dim"):
        analyze(a, state_dim=3)
    with pytest.raises(InvalidArgumentError, match="state_dim"):
        analyze(a, state_dim="2")
    with pytest.raises(InvalidArgumentError, match="state_dim"):
        _ = analyze(a).steady_states
    with pytest.raises(InvalidArgumentError, match="T"):
        an.norm_bound_constant(0)
    with pytest.raises(InvalidArgumentError, match="T"):
        an.norm_bound_constant("soon")
    with pytest.raises(InvalidArgumentError, match="grid_points"):
        an.norm_bound_constant(1, grid_points=0)
    with pytest.raises(InvalidArgumentError, match="shape"):
        an.distance_to_invariant_subspace(np.ones(3))
    with pytest.raises(InvalidArgumentError, match="x0"):
        exact_solution(a, sympy.ones(3, 1))
    with pytest.raises(InvalidArgumentError, match="t must"):
        exact_solution(a, sympy.ones(4, 1), "t")
    with pytest.raises(InvalidArgumentError, match="x0"):
        numeric_propagator(a, np.ones(3))
    g = sympy.Symbol("g", positive=True)
    with pytest.raises(NotComputableError, match="free symbols"):
        analyze(phase_covariant(1, g, 1, 0), 2).norm_bound_constant(1)
    with pytest.raises(NotComputableError):
        _ = analyze(sympy.Matrix([[sympy.exp(g), 0], [0, 1]])).eigenvalues
    # every error is a BlendsymError (and a ValueError)
    assert issubclass(InvalidArgumentError, BlendsymError)
    assert issubclass(NotComputableError, ValueError)


def test_non_hermiticity_preserving_kernel_is_reported():
    # kernel spanned by [[0, 1], [0, 0]] only: not closed under the adjoint
    a = sympy.diag(-1, 0, -2, -3)
    with pytest.raises(NotComputableError, match="adjoint"):
        _ = analyze(a, state_dim=2).steady_states
    with pytest.raises(NotComputableError, match="dimension"):
        _ = analyze(sympy.zeros(4, 4), state_dim=2).steady_state


# ----------------------------------------------------------------------------- similar=(C, s)


@given(
    st.lists(
        st.tuples(st.integers(-2, 2), st.integers(-1, 1), st.integers(1, 2)),
        min_size=1,
        max_size=3,
    ),
    st.integers(0, 10**6),
    st.lists(st.sampled_from([1, 2, 3, 4, 8, 12]), min_size=6, max_size=6),
)
def test_similar_route_agrees_with_direct_analysis(blocks, seed, sizes):
    """analyze(A, similar=(C, s)) with A = diag(s) C diag(s)^-1, s = sqrt(sizes) (the
    consensus scaling of the blended coherent generator) gives the same similarity invariants
    as the direct analysis of A, kernels/invariant subspaces that A annihilates/preserves
    exactly, and numeric constants of A itself."""
    spec: dict = {}
    for re, im, k in blocks:
        spec.setdefault(re + im * I, []).append(k)
    j = sympy.diag(*[jordan_block(lam, k) for lam, ks in spec.items() for k in ks])
    c = similar(j, seed)
    n = c.shape[0]
    s = [sympy.sqrt(k) for k in sizes[:n]]
    a = sympy.Matrix(n, n, lambda i, k: sympy.expand(s[i] * c[i, k] / s[k]))
    direct, via = analyze(a), analyze(a, similar=(c, s))
    assert via.similar is not None and via.similar.matrix == sympy.ImmutableMatrix(c)
    assert via.matrix == sympy.ImmutableMatrix(a)
    assert structure_equal(via.jordan_structure, spec)
    assert structure_equal(direct.jordan_structure, spec)
    lam = sympy.Symbol("lambda")
    assert (
        sympy.expand(
            via.characteristic_polynomial.as_expr().subs(via.characteristic_polynomial.gen, lam)
            - direct.characteristic_polynomial.as_expr().subs(
                direct.characteristic_polynomial.gen, lam
            )
        )
        == 0
    )
    assert via.f_degree == direct.f_degree and via.is_relaxing == direct.is_relaxing
    assert (via.mu is None) == (direct.mu is None)
    if via.mu is not None:
        assert sympy.simplify(via.mu - direct.mu) == 0
    for basis, other in (
        (via.kernel, direct.kernel),
        (via.invariant_subspace, direct.invariant_subspace),
    ):
        assert len(basis) == len(other)
        if basis:
            m = sympy.Matrix.hstack(*basis)
            assert m.rank(simplify=True) == len(basis)
            # same span as the direct analysis' basis
            both = sympy.Matrix.hstack(m, *other)
            assert both.rank(simplify=True) == len(basis)
    for v in via.kernel:
        assert all(sympy.expand(sympy.radsimp(x)) == 0 for x in a * v)
    if via.mu is not None and not via.has_growing_modes:
        assert via.norm_bound_constant(1.0) == pytest.approx(direct.norm_bound_constant(1.0))


def test_similar_bad_input_is_named():
    c = sympy.Matrix([[-1, 1], [0, -2]])
    s = [1, sympy.sqrt(2)]
    a = sympy.Matrix([[-1, 1 / sympy.sqrt(2)], [0, -2]])
    assert analyze(a, similar=(c, s)).eigenvalues == {-1: 1, -2: 1}
    with pytest.raises(InvalidArgumentError, match=r"similar: A is not diag\(s\) C"):
        analyze(c, similar=(c, s))
    with pytest.raises(InvalidArgumentError, match="similar must be a pair"):
        analyze(a, similar=c)
    with pytest.raises(InvalidArgumentError, match=r"similar\[0\] \(C\) must have the shape"):
        analyze(a, similar=(sympy.eye(3), s))
    with pytest.raises(InvalidArgumentError, match=r"similar\[1\] \(s\) must have length 2"):
        analyze(a, similar=(c, [1]))
    with pytest.raises(InvalidArgumentError, match=r"similar\[1\] \(s\) must hold non-zero"):
        analyze(a, similar=(c, [0, 1]))
    with pytest.raises(InvalidArgumentError, match=r"similar\[1\] \(s\) must hold non-zero"):
        analyze(a, similar=(c, [1.0, 1.5]))
    with pytest.raises(InvalidArgumentError, match=r"similar\[1\] \(s\) must be a sequence"):
        analyze(a, similar=(c, "ab"))
