"""No needless exact work in Section 5: the block sums of A_d from the operators equal those of
the exact 4^n x 4^n Liouvillian, the spectral analysis on the consensus form (similarity by
construction, B built only on request) equals the checked ``analyze(B, similar=...)``, and the
LaTeX of eq. (17) never builds the exact Liouvillian."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
import sympy
from hypothesis import given, settings

from blendsym import paper
from blendsym.io.latex import coherent_equation_latex
from blendsym.model.network import QuantumNetwork
from blendsym.model.operators import identity, sigma_minus, sigma_plus, sigma_x, sigma_y, sigma_z
from blendsym.section5.coherent import BlendedCoherent, blended_coherent
from blendsym.spectral import analyze
from blendsym.testing import inseparable_networks, separable_networks

R = sympy.Rational
I = sympy.I


# ----------------------------------------------------------------------------- oracle


def liouvillian_block_sums(c) -> dict:
    """The old route: block sums over the non-zeros of the exact sparse A_d."""
    a = c.network.local_liouvillian("sympy")
    labels = c.induced.labels
    acc = defaultdict(list)
    for (u, v), val in a.todok().items():
        acc[(int(labels[u]), int(labels[v]))].append(val)
    return acc


def reference_generators(c):
    """(B, C) from the exact A_d, entry by entry as they were built before."""
    sizes = c.induced.component_sizes
    b, cc = {}, {}
    for (m, k), vals in liouvillian_block_sums(c).items():
        s = sympy.Add(*vals)
        e = sympy.expand(s / sympy.sqrt(sympy.Integer(int(sizes[m]) * int(sizes[k]))))
        if e != 0:
            b[(m, k)] = e
        e = sympy.expand(s / sympy.Integer(int(sizes[m])))
        if e != 0:
            cc[(m, k)] = e
    return (
        sympy.ImmutableMatrix(sympy.SparseMatrix(c.p, c.p, b)),
        sympy.ImmutableMatrix(sympy.SparseMatrix(c.p, c.p, cc)),
    )


def assert_same_generators(net):
    c = BlendedCoherent(net)  # a fresh object (blended_coherent may return a memoised one)
    b0, c0 = reference_generators(BlendedCoherent(net))
    # identical SymPy expressions, entry by entry (not merely equal values)
    assert list(c.generator) == list(b0)
    assert list(c.consensus_generator()) == list(c0)


def symbolic_models():
    g = sympy.Symbol("g", positive=True)
    w = sympy.Symbol("w")  # complex
    hbar = sympy.Symbol("hbar", positive=True)
    yield QuantumNetwork(
        2,
        [(1, 2, R(3, 2))],
        g * sigma_x(1) * sigma_z(2)
        + w * sigma_plus(1)
        + sympy.conjugate(w) * sigma_minus(1)
        + 3 * identity(),
        [
            (g, sigma_minus(1) + sympy.sqrt(2) * sigma_z(2) + R(1, 3) * identity()),
            (R(1, 5), (1 + I) * sigma_plus(2)),
        ],
        hbar=hbar,
    )
    # a disconnected graph (components of G_d are orbits of S_2 x S_1), sqrt(3) coefficients
    yield QuantumNetwork(
        3,
        [(1, 2)],
        sympy.sqrt(3) * sigma_x(1) * sigma_x(3) + sigma_y(2),
        [(2, sigma_minus(1) + sigma_minus(2) + sigma_minus(3)), (1, sigma_z(3))],
    )
    yield QuantumNetwork(
        3,
        [(1, 2, 1), (2, 3, 2)],
        (R(11, 2) * sympy.sqrt(3) - R(8, 25) * sympy.sqrt(5)) * sigma_x(1) * sigma_x(2)
        + sigma_z(1)
        + sigma_x(3) * sigma_y(1) * sigma_z(2),
        [(1, sigma_minus(1)), (R(1, 2), sigma_plus(2) * sigma_minus(3))],
    )
    # no edges at all: every node of G_d is its own component (p = 16)
    yield QuantumNetwork(
        2,
        [],
        sympy.sqrt(3) * sigma_x(1) * sigma_x(2) + sigma_y(2),
        [(2, sigma_minus(1) + sigma_minus(2))],
    )


# ----------------------------------------------------------------------------- generators


@pytest.mark.parametrize("n", [2, 3, 4])
def test_example3_generators_equal_those_of_the_exact_liouvillian(n):
    assert_same_generators(paper.example3(n=n)[0])


@pytest.mark.parametrize("which", [paper.example1, paper.example2])
def test_separable_examples_generators_equal(which):
    assert_same_generators(which()[0])


@pytest.mark.parametrize("k", range(4))
def test_symbolic_and_disconnected_models_generators_equal(k):
    assert_same_generators(list(symbolic_models())[k])


@settings(max_examples=15)
@given(inseparable_networks(max_n=3))
def test_random_inseparable_generators_equal(net):
    assert_same_generators(net)


@settings(max_examples=10)
@given(separable_networks(max_n=3))
def test_random_separable_generators_equal(net):
    assert_same_generators(net)


def test_float_coefficients_agree_to_rounding():
    net = QuantumNetwork(
        2,
        [(1, 2)],
        0.1 * sigma_x(1) * sigma_x(2) + 0.3 * sigma_z(1),
        [(0.7, sigma_minus(1) + 0.2 * sigma_minus(2))],
    )
    c = BlendedCoherent(net)
    b0, _ = reference_generators(BlendedCoherent(net))
    diff = np.abs(np.array((c.generator - b0).evalf().tolist(), dtype=complex))
    assert diff.max() < 1e-14


# ----------------------------------------------------------------------------- analysis


def assert_same_analysis(net, t=2.0):
    c = BlendedCoherent(net)
    trusted = c.spectral
    trusted.is_relaxing, trusted.kernel, trusted.mu  # noqa: B018
    c.steady_states()
    assert "generator" not in c.__dict__  # B was not built for any of this
    scaling = [sympy.sqrt(sympy.Integer(int(k))) for k in c.induced.component_sizes]
    cref = BlendedCoherent(net)
    checked = analyze(cref.generator, similar=(cref.consensus_generator(), scaling))
    assert trusted.characteristic_polynomial == checked.characteristic_polynomial
    assert trusted.jordan_structure_by_factor == checked.jordan_structure_by_factor
    assert trusted.kernel == checked.kernel
    assert trusted.invariant_subspace == checked.invariant_subspace
    assert trusted.is_relaxing == checked.is_relaxing
    assert trusted.f_degree == checked.f_degree
    assert trusted.mu == checked.mu
    assert c.steady_states() == cref.steady_states()
    assert np.array_equal(trusted._numeric, checked._numeric)  # the same doubles
    assert trusted.norm_bound_constant(t) == checked.norm_bound_constant(t)
    assert trusted.matrix == checked.matrix == cref.generator  # built on request


def test_example3_trusted_analysis_equals_checked_analysis():
    assert_same_analysis(paper.example3()[0])


@pytest.mark.parametrize("k", [2, 3])
def test_disconnected_and_radical_models_analysis_equal(k):
    assert_same_analysis(list(symbolic_models())[k])


@settings(max_examples=5)
@given(inseparable_networks(max_n=2, coupling=1))
def test_random_trusted_analysis_equals_checked_analysis(net):
    assert_same_analysis(net)


# ----------------------------------------------------------------------------- LaTeX


@pytest.fixture
def no_exact_liouvillian(monkeypatch):
    """Make any request for the exact 4^n x 4^n Liouvillian fail."""
    original_local = QuantumNetwork.local_liouvillian
    original_full = QuantumNetwork.liouvillian

    def local(self, backend="sympy"):
        if backend == "sympy":
            raise AssertionError("the exact local Liouvillian A_d was built")
        return original_local(self, backend)

    def full(self, kc=None, backend="sympy"):
        if backend == "sympy":
            raise AssertionError("the exact Liouvillian was built")
        return original_full(self, kc, backend)

    monkeypatch.setattr(QuantumNetwork, "local_liouvillian", local)
    monkeypatch.setattr(QuantumNetwork, "liouvillian", full)
    return monkeypatch


def reference_latex(net) -> str:
    """The LaTeX of eq. (17) from the exact A_d (exact models: entries printed as they are)."""
    b0, _ = reference_generators(BlendedCoherent(net))
    rows = [" & ".join(sympy.latex(v) for v in b0.row(i)) for i in range(b0.rows)]
    return (
        r"\frac{d\mathbf{y}_d}{dt} = \begin{bmatrix} "
        + r" \\ ".join(rows)
        + r" \end{bmatrix}\mathbf{y}_d,"
        + rf"\qquad \mathbf{{y}}_d \in \mathbb{{C}}^{{{b0.rows}}}"
    )


@pytest.mark.parametrize("n", [3, 4])
def test_latex_of_example3_from_operators(n, no_exact_liouvillian):
    """The exact B (hence the LaTeX) comes from the operators; A_d is never built."""
    net = paper.example3(n=n)[0]
    tex = coherent_equation_latex(net)
    blended_coherent(net).spectral.is_relaxing  # noqa: B018 - nor for the spectral analysis
    no_exact_liouvillian.undo()
    assert tex == reference_latex(paper.example3(n=n)[0])


@pytest.mark.parametrize("n", [2, 3])
def test_latex_equals_the_liouvillian_route(n):
    net = paper.example3(n=n)[0]
    assert coherent_equation_latex(net) == reference_latex(paper.example3(n=n)[0])
    for which in (paper.example1, paper.example2):
        assert coherent_equation_latex(which()[0]) == reference_latex(which()[0])


def test_latex_prints_exact_entries_not_guessed_ones():
    """nsimplify guessed -3/4 - 11 sqrt(3) i/2 - i + 8 sqrt(5) i/25 as
    -3/4 - 5*2**(114/313)*3**(205/313)*5**(16/313)*7**(151/939)*I/2 (off by 1e-17)."""
    h = (R(11, 2) * sympy.sqrt(3) - R(8, 25) * sympy.sqrt(5)) * sigma_x(1) * sigma_x(2) + sigma_z(1)
    net = QuantumNetwork(2, [(1, 2)], h, [(1, sigma_minus(1))])
    tex = coherent_equation_latex(net)
    assert "313" not in tex
    assert tex == reference_latex(QuantumNetwork(2, [(1, 2)], h, [(1, sigma_minus(1))]))
    exact = sympy.Rational(-3, 4) - 11 * sympy.sqrt(3) * I / 2 - I + 8 * sympy.sqrt(5) * I / 25
    assert sympy.latex(exact) in tex
