"""Theorems 3-4 at scale (blendsym.bounds.coherent_scale): certified lambda_m, the term bound
on ||A_d||, C from generating functions; every constant labelled exact or bound."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.bounds.coherent import local_liouvillian_norm
from blendsym.bounds.coherent_scale import (
    gap_lower_bound,
    initial_distance,
    local_liouvillian_norm_bound,
)
from blendsym.errors import NotComputableError
from blendsym.model.permutations import permutation_invariant_projection
from blendsym.paper import example3
from blendsym.testing import k_local_networks


@settings(max_examples=10)
@given(n=st.integers(13, 30), seed=st.integers(0, 2**31), floats=st.booleans())
def test_gap_lower_bound_is_certified_and_tight(n, seed, floats):
    rng = np.random.default_rng(seed)
    edges = [(j, j + 1) for j in range(1, n)] + [(1, n)]
    extra = rng.choice(n, size=(n // 2, 2)) + 1
    edges += [(int(a), int(b)) for a, b in extra if a != b]
    edges = sorted({(min(a, b), max(a, b)) for a, b in edges})
    w = (
        (lambda: float(rng.uniform(0.2, 3.0)))
        if floats
        else (lambda: sympy.Rational(int(rng.integers(1, 9)), int(rng.integers(1, 5))))
    )
    net = bs.QuantumNetwork(n, [(a, b, w()) for a, b in edges], bs.sigma_z(1))
    lam, kind = gap_lower_bound(net)
    assert kind == "lower bound"
    ev = np.linalg.eigvalsh(net.graph.laplacian_numeric())
    assert lam <= ev[1] and ev[1] - lam <= 1e-8 * ev[1]


def test_gap_exact_below_the_threshold_and_complete_graph():
    net, _ = example3(n=6)
    assert gap_lower_bound(net) == (6.0, "exact")
    lam, kind = gap_lower_bound(example3(n=40)[0])
    assert kind == "lower bound" and 40 * (1 - 2e-9) < lam < 40


@settings(max_examples=15)
@given(net=k_local_networks(2, 5, max_locality=3))
def test_norm_bound_dominates_the_dense_norm(net):
    exact, _ = local_liouvillian_norm(net)
    bound, kind = local_liouvillian_norm_bound(net)
    assert kind == "upper bound" and bound >= exact * (1 - 1e-12)


def test_norm_bound_of_example3_and_symbols():
    for n in (3, 4, 5):
        net, _ = example3(n=n)
        exact, _ = local_liouvillian_norm(net)
        bound, _ = local_liouvillian_norm_bound(net)
        assert exact <= bound <= 2.1 * exact
    g = sympy.Symbol("g", positive=True)
    net = bs.QuantumNetwork(20, bs.complete_graph(20), bs.sigma_z(1), [(g, bs.sigma_minus(2))])
    with pytest.raises(NotComputableError, match="free symbols"):
        local_liouvillian_norm_bound(net)


def test_initial_distance_matches_the_dense_projection():
    net, rho0 = example3(n=4)
    mix = bs.ProductMixture(
        [
            (
                sympy.Rational(j, 10),
                bs.ProductState([bs.basis_state("1" if s == 5 - j else "0") for s in range(1, 5)]),
            )
            for j in range(1, 5)
        ]
    )
    assert mix.dense() == rho0
    c, kind = initial_distance(net, mix)
    dense = np.array(rho0.evalf().tolist(), dtype=complex)
    assert kind == "exact"
    assert abs(c - np.linalg.norm(dense - permutation_invariant_projection(dense))) < 1e-14
    with pytest.raises(NotComputableError, match="ProductState"):
        initial_distance(net, rho0)


def test_theorem4_with_a_structured_state_equals_the_dense_route_at_n4():
    net, rho0 = example3(n=4)
    mix = bs.ProductMixture(
        [
            (
                sympy.Rational(j, 10),
                bs.ProductState([bs.basis_state("1" if s == 5 - j else "0") for s in range(1, 5)]),
            )
            for j in range(1, 5)
        ]
    )
    dense = bs.bounds.theorem4(net, rho0, 0.05, 1.0)
    scale = bs.bounds.theorem4(net, mix, 0.05, 1.0)
    assert scale.constants["C kind"] == "exact" and scale.constants["||A_d|| kind"] == "numeric"
    assert scale.constants["lambda_m(Q_d) kind"] == "exact"
    for key in ("C", "||A_d||", "lambda_m(Q_d)"):
        assert abs(scale.constants[key] - dense.constants[key]) < 1e-12
    assert abs(scale.kc_star - dense.kc_star) < 1e-9 * dense.kc_star
    assert scale.check(times=np.linspace(0.0, 2.0, 5)).holds


def test_theorem4_at_n100_is_valid_and_labelled():
    """Kac-normalised Example 3 at n = 100: K_c* from a certified lambda_m lower bound, the
    term bound on ||A_d|| and C from generating functions; no simulation is possible."""
    net, rho0 = example3(n=100, normalization="kac", coupling=40)
    b = bs.bounds.theorem4(net, rho0, 0.05, 1.0)
    k = b.constants
    assert k["lambda_m(Q_d) kind"] == "lower bound" and 99.9999 < k["lambda_m(Q_d)"] <= 100
    assert k["||A_d|| kind"] == "upper bound" and k["C kind"] == "upper bound"
    # rho0 = sum_j w_j |e_j><e_j|: C^2 = sum w_j^2 - 1/n exactly
    w = np.arange(1, 101) / 5050
    assert abs(k["C"] - np.sqrt(np.sum(w**2) - 0.01)) < 1e-6
    assert b.kc_star == pytest.approx(2 * k["||A_d||"] / (0.05 * k["lambda_m(Q_d)"]))
    with pytest.raises(NotComputableError, match="simulates"):
        b.check()
    # Theorem 3 needs M_d, certified from the exact spectrum of B: refused for p > 700
    net15, rho15 = example3(n=15, normalization="kac", coupling=40)
    with pytest.raises(NotComputableError, match="p <= "):
        bs.bounds.theorem3(net15, rho15, 0.05, 1.0, 5.0)
