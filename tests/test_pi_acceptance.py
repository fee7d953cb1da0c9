"""The public names of the PI route exactly as users call them (issue: "names the acceptance
checks use"), each checked against an independent computation, and basis="pi" against
basis="full" on the same random network (n <= 5)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.model.states import partial_trace
from blendsym.paper import example3
from blendsym.testing import k_local_networks, single_qubit_density_matrices

TIMES = np.linspace(0.0, 0.6, 4)


def _dense(b) -> np.ndarray:
    return b.toarray() if sp.issparse(b) else np.asarray(b)


def _numeric(m) -> np.ndarray:
    return np.array(m.evalf().tolist(), dtype=complex) if hasattr(m, "evalf") else np.asarray(m)


def _random_density(rng: np.random.Generator, n: int) -> np.ndarray:
    d = 2**n
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    rho = a @ a.conj().T
    return rho / np.trace(rho)


def _type_counts(l: int, lp: int, n: int) -> tuple[int, int, int, int]:
    """Type counts (00, 01, 10, 11) of |l><l'|: site s has type (q_s, q'_s)."""
    out = [0, 0, 0, 0]
    for s in range(n):
        q, qp = (l >> (n - 1 - s)) & 1, (lp >> (n - 1 - s)) & 1
        out[2 * q + qp] += 1
    return tuple(out)


def _pair(net):
    return bs.blended_coherent(net, basis="pi"), bs.blended_coherent(net, basis="full")


# ----------------------------------------------------------------------------- construction


@pytest.mark.parametrize("n", [1, 2, 4, 5, 12, 100])
def test_blended_coherent_works_for_any_n(n):
    """``bs.blended_coherent(net)``: the full route for small n, the PI route above."""
    if n >= 3:
        net = example3(n=n, normalization="kac")[0]
    else:
        net = bs.QuantumNetwork(n, [(j, j + 1) for j in range(1, n)], bs.sigma_x(1))
    c = bs.blended_coherent(net)
    assert c.basis == ("full" if n <= bs.section5.coherent.AUTO_FULL_MAX_QUBITS else "pi")
    assert c.p == math.comb(n + 3, 3)
    assert bs.blended_coherent(net) is c  # one object per network and route


@pytest.mark.parametrize("n", [2, 3])
def test_basis_pi_forces_the_pi_route_and_full_the_4n_route(n):
    net = bs.QuantumNetwork(n, [(j, j + 1) for j in range(1, n)], bs.sigma_x(1) * bs.sigma_y(2))
    pi, full = _pair(net)
    assert pi.basis == "pi" and full.basis == "full"
    assert "induced" in full.__dict__ and "induced" not in pi.__dict__  # no G_d for the PI one
    assert pi.p == full.p == full.induced.n_components == math.comb(n + 3, 3)
    big = example3(n=30, normalization="kac")[0]
    assert bs.blended_coherent(big, basis="pi").p == math.comb(33, 3)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_components_are_type_counts_in_coordinate_order(n):
    """``c.components[m]`` are the type counts of every node |l><l'| of the component V_m of the
    induced graph, read off the induced graph itself; the same array in both routes."""
    net = bs.QuantumNetwork(n, [(j, j + 1) for j in range(1, n)], bs.sigma_z(1))
    pi, full = _pair(net)
    comp = full.components
    assert comp.shape == (full.p, 4) and np.issubdtype(comp.dtype, np.integer)
    np.testing.assert_array_equal(comp, pi.components)
    assert (comp.sum(axis=1) == n).all() and len({tuple(r) for r in comp}) == full.p
    d = 2**n
    labels = full.induced.labels
    for u in range(d * d):
        assert tuple(comp[labels[u]]) == _type_counts(u // d, u % d, n)


# ----------------------------------------------------------------------------- the generator


@settings(max_examples=6)
@given(net=k_local_networks(2, 5, max_locality=3, max_h_terms=4, max_jumps=2))
def test_generator_numeric_is_pd_transpose_a_d_pd_in_both_routes(net):
    """``c.generator_numeric()`` equals P_d^T A_d P_d built from the 4^n A_d and the
    orthonormal P_d (P_d^T P_d = I), in both routes, dense or sparse."""
    pi, full = _pair(net)
    pd = full.induced.P_d.astype(complex)
    np.testing.assert_allclose(_dense(pd.T @ pd), np.eye(full.p), atol=1e-14)
    ref = _dense(pd.T @ (net.local_liouvillian("scipy") @ pd))
    scale = max(1.0, np.abs(ref).max())
    for c in (pi, full):
        for sparse in (None, True, False):
            b = c.generator_numeric(sparse=sparse) if sparse is not None else c.generator_numeric()
            assert b.shape == (c.p, c.p)
            assert np.abs(_dense(b) - ref).max() <= 1e-12 * scale
    assert np.array_equal(pi.components, full.components)


# ----------------------------------------------------------------------------- states


@settings(max_examples=6)
@given(n=st.integers(1, 5), data=st.data())
def test_product_state_and_initial_state_in_both_routes(n, data):
    """``bs.product_state([rho_1, ..., rho_n])`` of 2x2 factors; ``c.initial_state`` accepts it
    and a dense rho, and returns y_d(0) = P_d^T vec(rho) (length p) in both routes."""
    factors = [data.draw(single_qubit_density_matrices(exact=False)) for _ in range(n)]
    state = bs.product_state(factors)
    dense = np.array(factors[0], dtype=complex)
    for f in factors[1:]:
        dense = np.kron(dense, np.asarray(f, dtype=complex))
    np.testing.assert_allclose(_numeric(state), dense, atol=1e-14)
    lazy = bs.product_state(factors, lazy=True)
    edges = [(j, j + 1) for j in range(1, n)]
    net = bs.QuantumNetwork(n, edges, bs.sigma_z(1))
    if n == 1:
        c = bs.blended_coherent(net)
        assert c.initial_state(state).shape[0] == c.p == 4
        return
    pi, full = _pair(net)
    ref = _numeric(full.induced.project(dense)).ravel()  # P_d^T vec(rho)
    rng = np.random.default_rng(n)
    rho = _random_density(rng, n)
    ref_rho = _numeric(full.induced.project(rho)).ravel()
    for c in (pi, full):
        for s in (state, lazy):
            y0 = np.asarray(_numeric(c.initial_state(s)), dtype=complex).ravel()
            assert y0.shape == (c.p,)
            np.testing.assert_allclose(y0, ref, atol=1e-12)
        y_rho = np.asarray(_numeric(c.initial_state(rho)), dtype=complex).ravel()
        np.testing.assert_allclose(y_rho, ref_rho, atol=1e-12)


def test_product_state_at_100_qubits_is_lazy_and_accepted():
    rho = [np.array([[0.75, 0.25], [0.25, 0.25]])] * 50 + [bs.basis_state("1")] * 50
    state = bs.product_state(rho)
    assert isinstance(state, bs.ProductState) and state.n == 100
    c = bs.blended_coherent(example3(n=100, normalization="kac")[0])
    y0 = c.initial_state(state)
    assert y0.shape == (c.p,) and abs(c.trace(y0) - 1) < 1e-12
    # the marginal of the lifted P_*(rho) is the average of the factors
    avg = (50 * rho[0] + 50 * np.diag([0.0, 1.0])) / 100
    np.testing.assert_allclose(c.reduced_state(y0, 1), avg, atol=1e-12)


# ----------------------------------------------------------------------------- evolution, observables


@settings(max_examples=5)
@given(net=k_local_networks(2, 5, max_locality=3, max_h_terms=4, max_jumps=2), data=st.data())
def test_evolution_reduced_state_and_expectation_agree_between_routes(net, data):
    """``c.evolve_coordinates(y0, times)`` -> (T, p); ``c.reduced_state(y, j)`` is the
    partial trace of the lifted operator vec^-1(P_d y) at site j; ``c.expectation(op, y)`` is
    tr(op vec^-1(P_d y)); all equal between basis="pi" and basis="full"."""
    n = net.n
    pi, full = _pair(net)
    factors = [data.draw(single_qubit_density_matrices(exact=False)) for _ in range(n)]
    state = bs.product_state(factors)
    y0 = np.asarray(_numeric(full.initial_state(state)), dtype=complex).ravel()
    ys = {c.basis: c.evolve_coordinates(y0, TIMES) for c in (pi, full)}
    assert ys["pi"].shape == ys["full"].shape == (len(TIMES), full.p)
    np.testing.assert_allclose(ys["pi"], ys["full"], atol=1e-9)
    # independent: y(t) = expm(B t) y0 with B = P_d^T A_d P_d from the 4^n A_d
    pd = full.induced.P_d.astype(complex)
    b = _dense(pd.T @ (net.local_liouvillian("scipy") @ pd))
    ref = np.array([scipy.linalg.expm(b * t) @ y0 for t in TIMES])
    np.testing.assert_allclose(ys["full"], ref, atol=1e-9)
    op = data.draw(
        st.sampled_from(
            [bs.sigma_z(1), bs.sigma_x(1) * bs.sigma_y(2), bs.sum_sites(bs.sigma_x, n) + 0.5]
        )
    )
    y = ys["pi"][-1]
    lifted = _numeric(full.lift(y))
    for j in (1, n):
        ref_j = _numeric(partial_trace(lifted, [j]))
        for c in (pi, full):
            np.testing.assert_allclose(_numeric(c.reduced_state(y, j)), ref_j, atol=1e-12)
    want = np.trace(op.to_numpy(n) @ lifted)
    for c in (pi, full):
        assert abs(complex(c.expectation(op, y)) - want) <= 1e-12 * max(1.0, abs(want))


def test_reduced_state_and_expectation_exact_on_example3():
    """Exact coordinates give exact marginals and expectation values, equal in both routes."""
    net, rho0 = example3()
    pi, full = _pair(net)
    y_pi, y_full = pi.initial_state(rho0), full.initial_state(rho0)
    assert (y_pi - y_full).applyfunc(lambda e: e.expand()).is_zero_matrix
    for j in (1, 2, 3):
        a = pi.reduced_state(y_pi, j)
        want = partial_trace(full.lift(y_full), [j])
        assert (sympy.Matrix(a) - want).applyfunc(lambda e: e.expand()).is_zero_matrix
    op = bs.sigma_x(1) * bs.sigma_y(2) + bs.sigma_z(3)
    want = (op.to_matrix(3) * full.lift(y_full)).trace().expand()
    assert (pi.expectation(op, y_pi) - want).expand() == 0
