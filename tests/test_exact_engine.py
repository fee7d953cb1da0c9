"""The exact engine's building blocks: the prime-field kernels (NumPy against python-flint and
against SymPy's GF(p)), the modular engine under both kernels, rescaled ``CRootOf`` roots, the
up-front refusal of number fields of too high a degree."""

from __future__ import annotations

import random

import numpy as np
import pytest
import sympy
from sympy import GF
from sympy.polys import galoistools as gt
from sympy.polys.matrices import DomainMatrix

from blendsym.cli import main
from blendsym.errors import NotComputableError
from blendsym.model.network import QuantumNetwork
from blendsym.model.operators import sigma_minus, sigma_x, sigma_z
from blendsym.section4.blended import blended_reduced_state
from blendsym.spectral import analyze, modp
from blendsym.spectral.fields import (
    MAX_FIELD_DEGREE,
    _field_degree_bounds,
    _field_matrix,
)
from blendsym.spectral.modular import _DirectEngine, _modular_gcd, _ModularEngine

R = sympy.Rational
I = sympy.I
X = sympy.Symbol("x")
PRIMES = [7, 101, 1000003, 33554467]
BACKENDS = ["numpy"] + (["flint"] if modp.FLINT_AVAILABLE else [])
needs_flint = pytest.mark.skipif(not modp.FLINT_AVAILABLE, reason="python-flint not installed")


def random_matrix(rng: np.random.Generator, n: int, m: int, p: int) -> np.ndarray:
    """Random matrices of every rank and sparsity (products of thin factors, masked entries)."""
    kind = rng.integers(0, 3)
    if kind == 0:
        return rng.integers(0, p, (n, m)).astype(np.int64)
    if kind == 1:
        r = int(rng.integers(0, min(n, m) + 1))
        a = rng.integers(0, p, (n, r)).astype(object)
        b = rng.integers(0, p, (r, m)).astype(object)
        return (a @ b % p if r else np.zeros((n, m), dtype=object)).astype(np.int64)
    mask = rng.random((n, m)) < 0.2
    return (rng.integers(0, p, (n, m)) * mask).astype(np.int64)


def gf_rref(m: np.ndarray, p: int):
    dm = DomainMatrix([[GF(p)(int(x)) for x in row] for row in m.tolist()], m.shape, GF(p))
    r, piv = dm.rref()
    return np.array([[int(x) % p for x in row] for row in r.to_list()], dtype=np.int64), list(piv)


# ----------------------------------------------------------------------------- kernels


@pytest.mark.parametrize("backend", BACKENDS)
def test_rref_and_nullspace_match_sympy_gf(backend):
    rng = np.random.default_rng(3)
    for p in PRIMES:
        for _ in range(12):
            n, m = (int(v) for v in rng.integers(1, 9, 2))
            a = random_matrix(rng, n, m, p)
            r, piv = modp.rref_mod(a, p, backend)
            r0, piv0 = gf_rref(a, p)
            assert piv == piv0 and np.array_equal(r, r0)
            piv2, basis = modp.nullspace_mod(a, p, backend)
            assert piv2 == piv0 and basis.shape == (m, m - len(piv0))
            assert not (a.astype(object) @ basis.astype(object) % p).any()
            free = [c for c in range(m) if c not in piv0]
            assert np.array_equal(basis[free], np.eye(len(free), dtype=np.int64))


@pytest.mark.parametrize("backend", BACKENDS)
def test_charpoly_matches_sympy_gf(backend):
    rng = np.random.default_rng(4)
    for p in PRIMES:
        for n in (1, 2, 3, 5, 9):
            a = random_matrix(rng, n, n, p)
            dm = DomainMatrix([[GF(p)(int(x)) for x in row] for row in a.tolist()], a.shape, GF(p))
            assert modp.charpoly_mod(a, p, backend) == [int(c) % p for c in dm.charpoly()]


@pytest.mark.parametrize("backend", BACKENDS)
def test_gcd_and_split_roots_match_galoistools(backend):
    rng = random.Random(5)
    for p in PRIMES[:3]:
        for _ in range(25):
            common = [rng.randrange(p) for _ in range(rng.randrange(0, 4))]
            common = gt.gf_strip([1, *common])
            f = gt.gf_mul(
                common,
                gt.gf_strip([rng.randrange(1, p)] + [rng.randrange(p) for _ in range(3)]),
                p,
                sympy.ZZ,
            )
            g = gt.gf_mul(
                common,
                gt.gf_strip([rng.randrange(1, p)] + [rng.randrange(p) for _ in range(2)]),
                p,
                sympy.ZZ,
            )
            expected = [int(c) for c in gt.gf_gcd(f, g, p, sympy.ZZ)]
            assert modp.gcd_mod([int(c) for c in f], [int(c) for c in g], p, backend) == expected
        for d in range(1, 7):
            roots = rng.sample(range(p), d)
            f = [1]
            for r in roots:
                f = gt.gf_mul(f, [1, (-r) % p], p, sympy.ZZ)
            assert modp.split_roots_mod([int(c) for c in f], p, backend) == sorted(roots)
            # an irreducible quadratic factor: no complete splitting
            nonres = next(a for a in range(2, p) if pow(a, (p - 1) // 2, p) == p - 1)
            h = gt.gf_mul(f, [1, 0, (-nonres) % p], p, sympy.ZZ)
            assert modp.split_roots_mod([int(c) for c in h], p, backend) is None
            sq = gt.gf_mul(f, [1, (-roots[0]) % p], p, sympy.ZZ)  # a double root
            assert modp.split_roots_mod([int(c) for c in sq], p, backend) is None


@needs_flint
def test_numpy_and_flint_kernels_agree_on_generator_reductions():
    """The reductions of real generators (Example 3's consensus generator, Liouvillians of
    n = 1..3 qubits) modulo the engine's primes: identical RREF, kernels, charpolys, gcds."""
    from blendsym import paper
    from blendsym.section5.coherent import blended_coherent

    mats = [blended_coherent(paper.example3()[0]).consensus_generator()]
    mats += [sympy.Matrix(paper.example3(n=n)[0].local_liouvillian("sympy")) for n in (2, 3)]
    for m in mats:
        eng = _ModularEngine(_field_matrix(sympy.Matrix(m)).dm)
        for (p, ws, _), _k in zip(eng.primes(), range(2), strict=False):
            for w in ws:
                a = eng.reduced(p, w)
                assert np.array_equal(
                    modp.rref_mod(a, p, "numpy")[0], modp.rref_mod(a, p, "flint")[0]
                )
                n1, n2 = modp.nullspace_mod(a, p, "numpy"), modp.nullspace_mod(a, p, "flint")
                assert n1[0] == n2[0] and np.array_equal(n1[1], n2[1])
                c1 = modp.charpoly_mod(a, p, "numpy")
                assert c1 == modp.charpoly_mod(a, p, "flint")
                d1 = [(len(c1) - 1 - k) * c % p for k, c in enumerate(c1[:-1])]
                assert modp.gcd_mod(c1, d1, p, "numpy") == modp.gcd_mod(c1, d1, p, "flint")


@needs_flint
def test_modular_engine_gives_identical_results_with_both_kernels():
    rng = random.Random(11)
    s10 = sympy.sqrt(10)
    for _ in range(3):
        n = 6
        a = sympy.Matrix(
            n,
            n,
            lambda i, j: (
                R(rng.randint(-3, 3), rng.randint(1, 3))
                + (I * rng.randint(-1, 1) if rng.random() < 0.3 else 0)
                + (s10 * rng.randint(-1, 1) if rng.random() < 0.2 else 0)
            ),
        )
        a[0, :] = sympy.zeros(1, n)  # a kernel
        out = {}
        for backend in ("numpy", "flint"):
            with modp.use_backend(backend):
                eng = _ModularEngine(_field_matrix(a).dm)
                chi = eng.charpoly()
                K = eng.K
                ker = eng.nullspace([([K.one, K.zero], 1)]).to_Matrix()
                dchi = [c * (len(chi) - 1 - k) for k, c in enumerate(chi[:-1])]
                g = _modular_gcd(eng, chi, dchi)
                out[backend] = (chi, ker, g)
        assert out["numpy"] == out["flint"]
        direct = _DirectEngine(_field_matrix(a).dm)
        assert out["numpy"][0] == direct.charpoly()


def test_use_backend_checks_its_argument():
    with pytest.raises(ValueError, match="numpy"):
        with modp.use_backend("cuda"):
            pass


# ----------------------------------------------------------------------------- CRootOf


def assert_exact_roots_of(poly_expr, an):
    """Every eigenvalue is a root of ``poly_expr`` (exactly: its minimal polynomial divides it)
    and is matched to its own certified numeric root."""
    ev = an.eigenvalues
    assert sum(ev.values()) == sympy.degree(poly_expr, X)
    numeric = np.linalg.eigvals(np.array(an.matrix.evalf(30).tolist(), dtype=complex))
    for v in ev:
        mp = sympy.minimal_polynomial(v, X)
        assert sympy.rem(poly_expr, mp, X) == 0
        assert np.min(np.abs(numeric - complex(sympy.N(v, 30)))) < 1e-10


def test_rescaled_crootof_is_matched():
    """CRootOf(x**3 - 4x + 8, k) is 2*CRootOf(x**3 - x + 1, k): no _get_interval on a Mul."""
    assert isinstance(sympy.CRootOf(X**3 - 4 * X + 8, 0), sympy.Mul)
    a = sympy.Matrix([[0, 0, -8], [1, 0, 4], [0, 1, 0]])  # companion of x^3 - 4x + 8
    an = analyze(a)
    assert_exact_roots_of(X**3 - 4 * X + 8, an)
    assert any(isinstance(v, sympy.Mul) for v in an.eigenvalues)
    assert float(an.mu) == pytest.approx(an.mu_numeric, rel=1e-12)


def test_rescaled_crootof_in_a_model(capsys, tmp_path):
    """A valid model whose blended generator has the factor x^3 + 8x^2 + 28x + 40 (roots
    2*CRootOf(x**3 + 4x**2 + 7x + 5, k)): `blendsym analyze` crashed with AttributeError."""
    h = sigma_z(1) + sigma_x(1) + sigma_z(2) + sigma_x(2)
    net = QuantumNetwork(2, [(1, 2)], h, [(4, sigma_minus(1)), (4, sigma_minus(2))])
    b = blended_reduced_state(net)
    an = b.spectral
    cubic = X**3 + 8 * X**2 + 28 * X + 40
    assert (
        sympy.rem(
            an.characteristic_polynomial.as_expr().subs(an.characteristic_polynomial.gen, X),
            cubic,
            X,
        )
        == 0
    )
    structure = b.jordan_structure()
    assert sorted(structure.values()) == [[1]] * 4
    assert float(b.mu) == pytest.approx(an.mu_numeric, rel=1e-12)
    model = tmp_path / "m.toml"
    model.write_text(
        'n = 2\nhamiltonian = "sigma_z(1) + sigma_x(1) + sigma_z(2) + sigma_x(2)"\n'
        "[graph]\ncomplete = true\n"
        '[[jumps]]\nrate = 4\noperator = "sigma_minus(1)"\n'
        '[[jumps]]\nrate = 4\noperator = "sigma_minus(2)"\n'
        '[initial_state]\nproduct = ["0", "1"]\n'
    )
    assert main(["analyze", str(model)]) == 0
    out = capsys.readouterr().out
    assert "2*CRootOf(lambda**3 + 4*lambda**2 + 7*lambda + 5" in out and "Theorem 1: K_c* =" in out


# ----------------------------------------------------------------------------- field degree


@pytest.mark.parametrize(
    "expr",
    [
        "sqrt(2) + I",
        "sqrt(2)*sqrt(3) + sqrt(6)",
        "2**(1/3) + sqrt(3)",
        "3**(1/4) + I",
        "exp(I*pi/3)",
        "cos(pi/7)",
        "sqrt(1 + sqrt(2))",
        "(-2)**(1/3)",
        "2**(3/7) + 2**(1/7)",
        "I + sqrt(2) + sqrt(3) + sqrt(10) + sqrt(15)",
    ],
)
def test_field_degree_bounds_are_upper_bounds(expr):
    e = sympy.sympify(expr)
    D, G, gens = _field_degree_bounds([e])
    actual = len(sympy.QQ.algebraic_field(*gens).mod.to_list()) - 1 if gens else 1
    assert actual <= D <= G
    if all(
        g == I or (isinstance(g, sympy.Pow) and g.exp == R(1, 2) and g.base.is_Rational)
        for g in gens
    ):
        assert D == G == actual  # multi-quadratic fields: exact


def test_degree_7_radicals_are_refused_up_front(capsys, tmp_path):
    r7 = sympy.Integer(2) ** R(1, 7)
    net = QuantumNetwork(2, [(1, 2)], r7 * sigma_x(1) + sigma_z(2), [(1, sigma_minus(1))])
    b = blended_reduced_state(net)
    with pytest.raises(NotComputableError, match=r"degree up to 14 over QQ .*2\*\*\(1/7\)"):
        b.spectral  # noqa: B018
    prod = r7 * sympy.Integer(3) ** R(1, 5)
    with pytest.raises(
        NotComputableError, match=r"degree up to 35 over QQ.*rational approximations"
    ):
        analyze(sympy.Matrix([[-1, prod], [prod, -2]]))
    model = tmp_path / "r7.toml"
    model.write_text(
        'n = 2\nhamiltonian = "2**(1/7)*sigma_x(1)*sigma_x(2) + sigma_z(2)"\n'
        '[graph]\ncomplete = true\n[[jumps]]\noperator = "sigma_minus(1)"\n'
    )
    assert main(["analyze", str(model)]) == 2
    assert f"degree <= {MAX_FIELD_DEGREE}" in capsys.readouterr().err


def test_feasible_radical_field_stays_exact():
    c = sympy.Integer(2) ** R(1, 3)
    a = sympy.Matrix([[-1, c, 0], [c, -2, 1], [0, 1, -3 + I]])
    an = analyze(a)
    assert (
        an.characteristic_polynomial.as_expr()
        .subs(an.characteristic_polynomial.gen, X)
        .equals(a.charpoly(X).as_expr())
    )
    assert an.exact and not an.is_relaxing


def test_symbols_with_transcendental_constant_raise_the_error_family():
    """The composite-field path used sympy.ImaginaryUnit, which does not exist (AttributeError)."""
    x = sympy.Symbol("x", positive=True)
    with pytest.raises(NotComputableError, match="rational functions of symbols"):
        analyze(sympy.Matrix([[x * sympy.sqrt(2), 1], [sympy.exp(x), -1]]))
    an = analyze(sympy.Matrix([[-x, sympy.pi], [sympy.sqrt(2) * x, -1]]))
    assert (
        an.characteristic_polynomial.as_expr()
        .subs(an.characteristic_polynomial.gen, X)
        .equals(X**2 + (x + 1) * X + x - sympy.sqrt(2) * sympy.pi * x)
    )
