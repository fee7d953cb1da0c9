"""Section 4: Assumption 1, the reduced-state equations (5), Definition 1, LaTeX."""

import numpy as np
import pytest
import scipy.linalg
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.blended import blended_reduced_state
from blendsym.conventions import (
    SIGMA_MINUS,
    SIGMA_PLUS,
    SIGMA_X,
    SIGMA_Y,
    SIGMA_Z,
    dissipator_superop,
    hamiltonian_superop,
)
from blendsym.latex import blended_equation_latex, reduced_state_equations_latex
from blendsym.paper import examples
from blendsym.reduced import (
    check_reduced_state_equations,
    collective_jump_counterexample,
    numeric_reduced_derivatives,
    reduced_system_generator,
    separability,
)
from blendsym.testing import density_matrices, inseparable_networks, separable_networks

R = sympy.Rational


def _num(m):
    return np.array(sympy.Matrix(m).evalf().tolist(), dtype=complex)


# ---------------------------------------------------------------------- Assumption 1


def test_example1_is_separable_whatever_the_form():
    net, _ = examples.example1()
    assert bs.is_separable(net)
    # the same model written with full matrices
    h = net.hamiltonian_matrix("scipy").toarray()
    jumps = [m.toarray() for _, m in net.jump_matrices("scipy")]
    net_m = bs.QuantumNetwork(3, [(1, 2), (1, 3), (2, 3)], h, jumps)
    assert bs.is_separable(net_m)
    # exact full matrices too
    net_s = bs.QuantumNetwork(
        3,
        [(1, 2), (1, 3), (2, 3)],
        sympy.Matrix(net.hamiltonian_matrix()),
        [sympy.Matrix(m) for _, m in net.jump_matrices()],
    )
    assert bs.is_separable(net_s)


def test_inseparable_reasons_name_the_terms():
    net = bs.QuantumNetwork(
        3,
        [(1, 2), (2, 3)],
        bs.sigma_z(1) + bs.sigma_x(1) * bs.sigma_y(3),
        [bs.sigma_minus(2), bs.sigma_minus(1) + bs.sigma_minus(2)],
    )
    rep = separability(net)
    assert not rep
    assert len(rep.reasons) == 2
    assert "hamiltonian" in rep.reasons[0] and "[1, 3]" in rep.reasons[0]
    assert "jumps[1]" in rep.reasons[1] and "[1, 2]" in rep.reasons[1]
    with pytest.raises(bs.NotSeparableError, match="jumps\\[1\\]"):
        bs.reduced_state_equations(net)


def test_full_matrix_collective_jump_is_inseparable():
    lm = (bs.sigma_minus(1) + bs.sigma_minus(2)).to_numpy(2)
    net = bs.QuantumNetwork(2, [(1, 2)], 0, [lm])
    assert not bs.is_separable(net)


def test_example3_is_inseparable():
    net, _ = examples.example3()
    rep = separability(net)
    assert not rep
    assert any("hamiltonian" in r for r in rep.reasons)
    assert any("collective" in r for r in rep.reasons)


# ---------------------------------------------------------------------- eq. (5)


@pytest.mark.parametrize("builder", [examples.example1, examples.example2])
def test_reduced_equations_exact_for_examples(builder):
    net, _ = builder()
    assert all(check_reduced_state_equations(net))
    eqs = bs.reduced_state_equations(net)
    assert len(eqs) == net.n


@settings(max_examples=10)
@given(separable_networks(min_n=2, max_n=3))
def test_reduced_equations_exact_random(net):
    """Eq. (5) is an identity on all operators, checked exactly (K_c symbolic)."""
    assert all(check_reduced_state_equations(net))


@given(separable_networks(min_n=2, max_n=3), st.data())
def test_reduced_equations_numeric_on_entangled_states(net, data):
    """The partial trace of (4) on a random (generally entangled) state obeys (5)."""
    rho = data.draw(density_matrices(net.n, kind="any"))
    kc = data.draw(st.sampled_from([0.5, 3.0, 40.0]))
    derived = numeric_reduced_derivatives(net, rho, kc)
    gen = _num(reduced_system_generator(net, kc=kc))
    stacked = np.concatenate([bs.reduced_state(rho, j).ravel() for j in range(1, net.n + 1)])
    predicted = (gen @ stacked).reshape(net.n, 2, 2)
    np.testing.assert_allclose(derived, predicted, atol=1e-10)


def test_reduced_equations_evaluate_to_partial_trace():
    """Substituting reduced states into the returned sympy.Eq gives the partial trace."""
    net, rho0 = examples.example1(coupling=2)
    eqs = bs.reduced_state_equations(net)
    rho = sympy.Matrix(_random_exact_state())
    parts = bs.reduced_states(rho)
    subs = {bs.reduced.reduced_state_symbol(j + 1): parts[j] for j in range(3)}
    full = sympy.Matrix(net.liouvillian(backend="sympy")) * bs.conventions.vec(rho)
    drho = bs.conventions.unvec(full)
    for j, eq in enumerate(eqs):
        rhs = sympy.Matrix(eq.rhs.subs(subs).doit())
        assert (rhs - bs.partial_trace(drho, [j + 1])).applyfunc(sympy.simplify).is_zero_matrix


def _random_exact_state():
    # an entangled exact 3-qubit state: mixture of a GHZ-like projector and the identity
    v = sympy.Matrix([1, 0, 0, 1, 0, sympy.I, 0, 1])
    g = v * v.H
    return (g / g.trace() + sympy.eye(8) / 8) / 2


def test_collective_jump_breaks_eq5():
    ce = collective_jump_counterexample()
    assert not ce["difference"].is_zero_matrix


@settings(max_examples=5)
@given(inseparable_networks(min_n=2, max_n=2))
def test_inseparable_models_refused(net):
    with pytest.raises(bs.NotSeparableError):
        bs.reduced_state_equations(net)


# ---------------------------------------------------------------------- Definition 1


def test_example1_blended_generator_is_eq9():
    net, rho0 = examples.example1()
    b = blended_reduced_state(net)
    eq9 = (
        hamiltonian_superop(SIGMA_Z / 3, 1, "sympy")
        + R(1, 3) * dissipator_superop(SIGMA_MINUS, "sympy")
        + R(1, 3) * dissipator_superop(sympy.sqrt(3) * SIGMA_PLUS, "sympy")
    )
    assert (sympy.Matrix(b.generator) - sympy.Matrix(eq9)).applyfunc(sympy.simplify).is_zero_matrix
    assert b.hamiltonian == sympy.ImmutableMatrix(SIGMA_Z / 3)
    assert b.initial_state(rho0) == sympy.eye(2) / 2


def test_definition1_as_printed_differs_when_dissipative():
    """sum_l gamma_l D(Lbar_l) with Lbar_l = L_l / n scales each dissipator by 1/n^2."""
    net, _ = examples.example1()
    b = blended_reduced_state(net)
    printed = sympy.Matrix(b.printed_generator())
    assert not (printed - sympy.Matrix(b.generator)).is_zero_matrix
    expected = (
        hamiltonian_superop(SIGMA_Z / 3, 1, "sympy")
        + R(1, 9) * dissipator_superop(SIGMA_MINUS, "sympy")
        + R(1, 9) * dissipator_superop(sympy.sqrt(3) * SIGMA_PLUS, "sympy")
    )
    assert (printed - sympy.Matrix(expected)).applyfunc(sympy.simplify).is_zero_matrix


def test_example2_blended_generator_is_eq12_and_initial_state():
    net, rho0 = examples.example2()
    b = blended_reduced_state(net)
    eq12 = hamiltonian_superop((SIGMA_X + SIGMA_Y + SIGMA_Z) / 3, 1, "sympy")
    assert (sympy.Matrix(b.generator) - sympy.Matrix(eq12)).is_zero_matrix
    assert b.printed_generator() == b.generator  # no dissipation: the printed form agrees
    rb0 = b.initial_state(rho0)
    assert rb0 == sympy.Matrix([[R(1, 2), R(1, 6)], [R(1, 6), R(1, 2)]])
    # the printed rho_b(0) is not a density operator (trace 1/2)
    with pytest.raises(bs.InvalidStateError, match="trace"):
        bs.validate_density(examples.example2_printed_blended_initial_state())


def test_example2_printed_initial_state_refused():
    with pytest.raises(bs.InvalidStateError):
        bs.validate_density(examples.example2_printed_initial_state())


@settings(max_examples=15)
@given(separable_networks(min_n=2, max_n=3))
def test_blended_is_average_of_local_generators_and_trace_preserving(net):
    b = blended_reduced_state(net)
    avg = sum((sympy.Matrix(g) for g in b.local_generators()), sympy.zeros(4, 4)) / net.n
    assert (avg - sympy.Matrix(b.generator)).applyfunc(sympy.simplify).is_zero_matrix
    # trace preservation: vec(I)^T G = 0 exactly
    tr_row = sympy.Matrix([[1, 0, 0, 1]]) * sympy.Matrix(b.generator)
    assert tr_row.applyfunc(sympy.simplify).is_zero_matrix
    # Hermiticity preservation: G(X^dagger) = G(X)^dagger on a basis
    g = _num(b.generator)
    for k in range(4):
        x = np.zeros(4, dtype=complex)
        x[k] = 1
        xm = x.reshape(2, 2)
        lhs = (g @ xm.conj().T.ravel()).reshape(2, 2)
        rhs = (g @ xm.ravel()).reshape(2, 2).conj().T
        np.testing.assert_allclose(lhs, rhs, atol=1e-12)


@settings(max_examples=15)
@given(separable_networks(min_n=2, max_n=3), st.sampled_from([0.1, 1.0, 7.0]))
def test_blended_is_completely_positive(net, t):
    """Choi matrix of exp(t Lbar) is positive semidefinite (row-stacking reshuffle)."""
    b = blended_reduced_state(net)
    phi = scipy.linalg.expm(_num(b.generator) * t)
    # Choi: sum_{ij} |i><j| (x) Phi(|i><j|)
    choi = np.zeros((4, 4), dtype=complex)
    for i in range(2):
        for j in range(2):
            e = np.zeros((2, 2))
            e[i, j] = 1
            out = (phi @ e.ravel()).reshape(2, 2)
            choi += np.kron(e, out)
    assert np.linalg.eigvalsh((choi + choi.conj().T) / 2).min() >= -1e-10


# ---------------------------------------------------------------------- LaTeX


def test_latex_example1_is_eq9():
    net, _ = examples.example1()
    tex = blended_equation_latex(blended_reduced_state(net))
    assert tex == (
        r"\frac{d\rho_b}{dt} = -\frac{i}{\hbar}\left[\frac{1}{3}\sigma_z, \rho_b\right] + "
        r"\frac{1}{3}\left(\mathcal{D}\left(\sigma_-\right)\rho_b + "
        r"\mathcal{D}\left(\sqrt{3} \sigma_+\right)\rho_b\right)"
    )


def test_latex_example2_is_eq12():
    net, _ = examples.example2()
    assert blended_reduced_state(net).latex() == (
        r"\frac{d\rho_b}{dt} = -\frac{i}{\hbar}\left[\frac{1}{3}\left(\sigma_x + \sigma_y + "
        r"\sigma_z\right), \rho_b\right]"
    )


def test_latex_reduced_equations_example1():
    net, _ = examples.example1()
    tex = reduced_state_equations_latex(net)
    assert tex[1] == (
        r"\frac{d\rho_{2}}{dt} = \mathcal{D}\left(\sigma_-\right)\rho_{2} + K_{c} \left(\left("
        r"\rho_{1} - \rho_{2}\right) + \left(\rho_{3} - \rho_{2}\right)\right)"
    )


def test_latex_weights_rates_and_hbar():
    hb = sympy.Symbol("hbar", positive=True)
    net = bs.QuantumNetwork(
        2, [(1, 2, R(1, 2))], 2 * bs.sigma_x(1), [(R(1, 4), bs.sigma_minus(2))], hbar=hb
    )
    tex = reduced_state_equations_latex(net)
    assert r"-\frac{i}{\hbar}\left[2 \sigma_x, \rho_{1}\right]" in tex[0]
    assert r"\frac{1}{2} \left(\rho_{2} - \rho_{1}\right)" in tex[0]
    assert r"\frac{1}{4} \mathcal{D}\left(\sigma_-\right)\rho_{2}" in tex[1]


def test_reduced_system_generator_never_evaluates_a_string(tmp_path):
    marker = tmp_path / "pwned"
    net, _ = bs.paper.example1()
    with pytest.raises(bs.InvalidArgumentError, match="kc"):
        reduced_system_generator(net, kc=f"__import__('os').system('touch {marker}')")
    assert not marker.exists()
    with pytest.raises(bs.InvalidArgumentError, match="kc"):
        reduced_system_generator(net, kc=float("nan"))
    half = reduced_system_generator(net, kc=sympy.Rational(1, 2))
    assert half == reduced_system_generator(net).subs(net.coupling, sympy.Rational(1, 2))
