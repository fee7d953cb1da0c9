"""The forms the LaTeX prints: Definition 2 as the averaged Lindblad generator (checked against
P_d^T A_d P_d), merged dissipators, no \\frac{1}{1}, line breaking."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings

import blendsym as bs
from blendsym.io.latex import (
    blended_equation_latex,
    coherent_equation_latex,
    network_equation_latex,
)
from blendsym.io.latex_average import averaged_lindblad
from blendsym.io.latex_layout import LINE_WIDTH, tex_width
from blendsym.section5.coherent import BlendedCoherent
from blendsym.testing import inseparable_networks, separable_networks

R = sympy.Rational


def assert_average_is_definition2(net):
    """P_d^T Abar P_d (Abar: the Liouvillian of the printed Hbar and jumps, built numerically
    from the operators) equals the generator of (17) computed by block sums of A_d."""
    avg = averaged_lindblad(net).network(net)
    c = BlendedCoherent(net)
    p_d = c.induced.P_d
    a_bar = avg.local_liouvillian("scipy")
    b = (p_d.T @ a_bar @ p_d).toarray()
    np.testing.assert_allclose(b, c.generator_numeric(), atol=1e-12)


@pytest.mark.parametrize(
    "net",
    [
        bs.paper.example1()[0],
        bs.paper.example2()[0],
        bs.paper.example3()[0],
        bs.paper.example3(n=4)[0],
        # a disconnected graph: the average runs over S_{1,2} x S_{3,4}
        bs.QuantumNetwork(
            4,
            [(1, 2), (3, 4)],
            bs.sigma_x(1) * bs.sigma_z(3) + R(1, 3) * bs.sigma_y(2),
            [(R(1, 2), bs.sigma_minus(1)), (1, bs.sigma_minus(3) + bs.sigma_plus(4))],
        ),
    ],
    ids=["ex1", "ex2", "ex3", "ex3n4", "disconnected"],
)
def test_operator_form_is_definition2(net):
    assert_average_is_definition2(net)


@settings(max_examples=10)
@given(inseparable_networks(min_n=2, max_n=3, max_h_terms=3, max_jumps=2))
def test_operator_form_is_definition2_random(net):
    assert_average_is_definition2(net)


def test_operator_form_is_short_for_any_n():
    """Example 3's H at n = 8 prints as three sums, not 8 x 7 pair terms (and no 4^8 graph)."""
    net = bs.paper.example3(n=8)[0]
    tex = coherent_equation_latex(net)
    assert r"\sum_{j\neq k}\sigma_x^{(j)}\sigma_y^{(k)}" in tex
    assert r"\sum_{j=1}^{8}\sigma_z^{(j)}" in tex
    assert "bmatrix" not in tex and len(tex) < 1500


def test_equal_dissipators_merged_and_no_frac_one_over_one():
    s = bs.sigma_minus(1)
    net = bs.QuantumNetwork(1, [], bs.sigma_z(1), [(R(1, 2), s), (R(1, 5), s)])
    tex = network_equation_latex(net)
    assert r"\frac{7}{10} \mathcal{D}\left(\sigma_-^{(1)}\right)\rho" in tex
    assert tex.count(r"\mathcal{D}") == 1
    b = blended_equation_latex(bs.blended_reduced_state(net))
    assert r"\frac{1}{1}" not in b and r"\frac{7}{10} \mathcal{D}\left(\sigma_-\right)" in b


@settings(max_examples=10)
@given(separable_networks(min_n=1, max_n=4, max_h_terms=4, max_jumps=3))
def test_no_frac_one_over_one_and_lines_fit(net):
    for tex in [network_equation_latex(net), bs.blended_reduced_state(net).latex()]:
        assert r"\frac{1}{1}" not in tex
        if tex.startswith(r"\begin{aligned}"):
            body = tex[len(r"\begin{aligned}") : -len(r"\end{aligned}")]
            for line in body.split(r"\\"):
                assert tex_width(line) <= LINE_WIDTH + 8  # one unbreakable term may be wider
        else:
            assert tex_width(tex) <= LINE_WIDTH


def test_latex_functions_name_a_wrong_network_argument():
    from blendsym.io.latex import edge_set_latex, reduced_state_equations_latex

    for fn in (
        network_equation_latex,
        edge_set_latex,
        reduced_state_equations_latex,
        coherent_equation_latex,
    ):
        with pytest.raises(
            bs.InvalidArgumentError, match="net must be a QuantumNetwork: found str"
        ):
            fn("net")
