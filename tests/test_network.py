"""The network of eq. (4): Liouvillian invariants, backends, QuTiP oracle, SWAP term, bad input."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import qutip
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.errors import BlendsymError
from blendsym.testing import (
    collective_jumps,
    connected_weighted_graphs,
    density_matrices,
    inseparable_networks,
    is_separable_model,
    positive_rationals,
    separable_networks,
)

R = sympy.Rational
I = sympy.I

# ----------------------------------------------------------------------------- helpers

_NP = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}
_QT = {"X": qutip.sigmax, "Y": qutip.sigmay, "Z": qutip.sigmaz}


def to_np(m) -> np.ndarray:
    """Dense complex array; exact sparse matrices are converted entry by entry (fast)."""
    if sp.issparse(m):
        return m.toarray()
    if isinstance(m, sympy.MatrixBase):
        out = np.zeros(m.shape, dtype=complex)
        for (r, c), v in m.todok().items():
            out[r, c] = complex(v)
        return out
    return np.asarray(m, dtype=complex)


def op_on(factors: dict[int, np.ndarray], n: int) -> np.ndarray:
    """Kronecker product with ``factors[j]`` at position j (1-based) and identities elsewhere."""
    return functools.reduce(np.kron, [factors.get(i, _NP["I"]) for i in range(1, n + 1)])


def swap_reference(j: int, k: int, n: int) -> np.ndarray:
    """U_jk = (I + X_j X_k + Y_j Y_k + Z_j Z_k) / 2, independent of the module."""
    out = np.eye(2**n, dtype=complex)
    for p in "XYZ":
        out = out + op_on({j: _NP[p], k: _NP[p]}, n)
    return out / 2


def qutip_operator(op: bs.SiteOperator, n: int) -> qutip.Qobj:
    """Build a site operator in QuTiP from its Pauli terms (independent of ``to_matrix``)."""
    out = 0 * qutip.tensor([qutip.qeye(2)] * n)
    for key, c in op.terms.items():
        paulis = dict(key)
        out = out + complex(c) * qutip.tensor(
            [_QT[paulis[i]]() if i in paulis else qutip.qeye(2) for i in range(1, n + 1)]
        )
    return out


def column_to_row_stacking(sup: np.ndarray, d: int) -> np.ndarray:
    """QuTiP superoperators act on column-stacked vec; permute to row stacking."""
    return sup.reshape(d, d, d, d).transpose(1, 0, 3, 2).reshape(d * d, d * d)


def qutip_liouvillian(net: bs.QuantumNetwork, kc) -> np.ndarray:
    n, d = net.n, net.dim
    h = qutip_operator(net.hamiltonian, n) / float(net.hbar)
    c_ops = [np.sqrt(float(g)) * qutip_operator(l_op, n) for g, l_op in net.jumps]
    for j, k, a in net.graph.edges:
        u = qutip.Qobj(swap_reference(j, k, n), dims=[[2] * n, [2] * n])
        c_ops.append(np.sqrt(float(kc) * float(a)) * u)
    return column_to_row_stacking(qutip.liouvillian(h, c_ops).full(), d)


def transpose_permutation(d: int) -> np.ndarray:
    """Index map of vec(X) -> vec(X^T) in row stacking: l d + l' -> l' d + l."""
    idx = np.arange(d * d)
    return (idx % d) * d + idx // d


def exact_zero(expr) -> bool:
    return sympy.expand(expr) == 0


kc_values = st.one_of(positive_rationals(5, 2), st.sampled_from([R(1), R(10), R(1000)]))
models = st.one_of(
    separable_networks(min_n=1, max_n=3, coupling=kc_values),
    inseparable_networks(max_n=3, coupling=kc_values),
)


# ----------------------------------------------------------------------------- strategies


@settings(max_examples=15)
@given(separable_networks(max_n=3))
def test_separable_strategy(net):
    assert is_separable_model(net)
    assert net.graph.is_connected
    assert net.hamiltonian.local_parts() is not None
    assert all(len(l_op.sites) == 1 for _, l_op in net.jumps)
    assert all(g > 0 and g.is_rational for g, _ in net.jumps)
    assert net.is_exact and net.coupling == bs.KC


@settings(max_examples=15)
@given(inseparable_networks(max_n=3))
def test_inseparable_strategy(net):
    assert not is_separable_model(net)
    assert net.graph.is_connected and net.n >= 2
    multi_h = any(len(s) >= 2 for s in net.hamiltonian.term_sites())
    collective = any(len(l_op.sites) >= 2 for _, l_op in net.jumps)
    assert multi_h or collective


@settings(max_examples=10)
@given(st.integers(2, 4).flatmap(collective_jumps))
def test_collective_jumps_are_collective(l_op):
    assert len(l_op.sites) >= 2


# ----------------------------------------------------------------------------- invariants


@given(models)
def test_generator_preserves_trace_exactly(net):
    """vec(I)^T L = 0: sum over l of (L y)[l d + l] vanishes for every y, for all K_c."""
    d = net.dim
    diag_rows = [l * d + l for l in range(d)]
    for lv in (net.liouvillian(kc=bs.KC), net.liouvillian()):
        col_sums = {}
        for (r, c), v in lv.todok().items():
            if r in diag_rows:
                col_sums[c] = col_sums.get(c, 0) + v
        assert all(exact_zero(s) for s in col_sums.values())
    num = net.liouvillian(backend="scipy").toarray()
    np.testing.assert_allclose(num[diag_rows].sum(axis=0), 0, atol=1e-9)


@given(models)
def test_generator_preserves_hermiticity_exactly(net):
    """L(X)^dagger = L(X^dagger): with T the vec transpose permutation, T conj(L) T = L."""
    d = net.dim
    t = transpose_permutation(d)
    lv = net.liouvillian(kc=bs.KC)  # K_c positive, so conj(K_c) = K_c
    dok = lv.todok()
    for (r, c), v in dok.items():
        partner = dok.get((int(t[r]), int(t[c])), 0)
        assert exact_zero(sympy.conjugate(v) - partner), (r, c)


@given(models, st.data())
def test_generator_maps_hermitian_to_hermitian_numeric(net, data):
    rho = data.draw(density_matrices(net.n))
    out = (net.liouvillian(backend="scipy") @ rho.ravel()).reshape(net.dim, net.dim)
    np.testing.assert_allclose(out, out.conj().T, atol=1e-9)
    assert abs(np.trace(out)) < 1e-9


@given(models)
def test_sympy_and_scipy_liouvillians_agree(net):
    exact = net.liouvillian()
    numeric = net.liouvillian(backend="scipy")
    assert sp.issparse(numeric) and numeric.shape == exact.shape == (net.dim**2,) * 2
    assert not any(e.has(sympy.Float) for e in exact.values())
    np.testing.assert_allclose(to_np(exact), numeric.toarray(), atol=1e-12)
    # also the two parts
    np.testing.assert_allclose(
        to_np(net.local_liouvillian("sympy")), net.local_liouvillian("scipy").toarray(), atol=1e-12
    )
    np.testing.assert_allclose(
        to_np(net.swap_liouvillian("sympy")), net.swap_liouvillian("scipy").toarray(), atol=1e-12
    )


@given(models)
def test_liouvillian_matches_qutip(net):
    expected = qutip_liouvillian(net, net.coupling)
    np.testing.assert_allclose(net.liouvillian(backend="scipy").toarray(), expected, atol=1e-9)
    np.testing.assert_allclose(to_np(net.liouvillian(backend="sympy")), expected, atol=1e-9)


@settings(max_examples=10)
@given(separable_networks(max_n=2, coupling=2), st.sampled_from([R(1, 2), R(3), sympy.pi]))
def test_hbar(net, hbar):
    net2 = bs.QuantumNetwork(net.n, net.graph, net.hamiltonian, list(net.jumps), 2, hbar=hbar)
    expected = qutip_liouvillian(net2, 2)
    np.testing.assert_allclose(net2.liouvillian(backend="scipy").toarray(), expected, atol=1e-9)
    # hbar only rescales the Hamiltonian part: H -> hbar H, hbar gives back the same generator
    same_h = bs.QuantumNetwork(
        net.n, net.graph, net.hamiltonian * hbar, list(net.jumps), 2, hbar=hbar
    )
    np.testing.assert_allclose(
        same_h.liouvillian(backend="scipy").toarray(),
        net.liouvillian(backend="scipy").toarray(),
        atol=1e-9,
    )


@given(models)
def test_liouvillian_is_local_plus_gain_times_swap(net):
    k = bs.KC
    lv = net.liouvillian(kc=k)
    split = net.local_liouvillian("sympy") + k * net.swap_liouvillian("sympy")
    assert all(exact_zero(e) for e in (lv - split).values())
    # d L / d K_c is the SWAP part: the local part does not depend on K_c
    deriv = lv.applyfunc(lambda e: sympy.diff(e, k))
    assert all(exact_zero(e) for e in (deriv - net.swap_liouvillian("sympy")).values())
    # a numeric K_c override
    np.testing.assert_allclose(
        net.liouvillian(kc=3, backend="scipy").toarray(),
        to_np(net.local_liouvillian("sympy")) + 3 * to_np(net.swap_liouvillian("sympy")),
        atol=1e-9,
    )


def test_single_qubit_network_without_edges():
    net = bs.QuantumNetwork(1, [], bs.sigma_z(1), [(2, bs.sigma_minus(1))], coupling=5)
    assert net.liouvillian() == net.local_liouvillian("sympy")
    assert net.swap_liouvillian("scipy").nnz == 0
    expected = qutip_liouvillian(net, 5)
    np.testing.assert_allclose(net.liouvillian(backend="scipy").toarray(), expected, atol=1e-12)


def test_matrix_and_site_operator_inputs_agree():
    h = R(1, 2) * bs.sigma_x(1) * bs.sigma_z(2) + bs.sigma_y(2)
    l_op = bs.sigma_minus(1) + bs.sigma_minus(2)
    a = bs.QuantumNetwork(2, [(1, 2, 2)], h, [(R(1, 3), l_op)], coupling=R(3, 2))
    b = bs.QuantumNetwork(
        2,
        np.array([[0, 2], [2, 0]]),
        h.to_matrix(2, "sympy"),
        [(R(1, 3), l_op.to_numpy(2))],
        coupling=R(3, 2),
    )
    np.testing.assert_allclose(
        a.liouvillian(backend="scipy").toarray(),
        b.liouvillian(backend="scipy").toarray(),
        atol=1e-12,
    )
    assert a.liouvillian() == b.liouvillian().applyfunc(sympy.nsimplify)
    # rate-1 jumps given bare
    c = bs.QuantumNetwork(2, [(1, 2)], 0, [l_op], coupling=1)
    d = bs.QuantumNetwork(2, [(1, 2)], 0, [(1, l_op)], coupling=1)
    assert c.liouvillian() == d.liouvillian()


# ----------------------------------------------------------------------------- the SWAP term


@pytest.mark.parametrize("n", [2, 3, 4])
def test_swap_operator_matches_reference(n):
    net = bs.QuantumNetwork(n, [])
    for j in range(1, n + 1):
        for k in range(1, n + 1):
            if j == k:
                continue
            ref = swap_reference(j, k, n)
            u = net.swap_operator(j, k, "scipy").toarray()
            np.testing.assert_array_equal(u, ref.real)
            assert sympy.Matrix(net.swap_operator(j, k, "sympy")) == sympy.Matrix(
                ref.real.astype(int).tolist()
            )
            np.testing.assert_array_equal(u @ u, np.eye(2**n))
            np.testing.assert_array_equal(u, u.T)


@st.composite
def swap_cases(draw):
    n = draw(st.integers(2, 4))
    j, k = draw(st.lists(st.integers(1, n), min_size=2, max_size=2, unique=True))
    re = st.floats(-1, 1, allow_nan=False, allow_subnormal=False)
    factors = [
        np.array(draw(st.lists(re, min_size=4, max_size=4))).reshape(2, 2)
        + 1j * np.array(draw(st.lists(re, min_size=4, max_size=4))).reshape(2, 2)
        for _ in range(n)
    ]
    return n, j, k, factors


@given(swap_cases())
def test_swap_exchanges_tensor_factors(case):
    n, j, k, factors = case
    u = bs.QuantumNetwork(n, []).swap_operator(j, k, "scipy").toarray()
    before = functools.reduce(np.kron, factors)
    swapped = list(factors)
    swapped[j - 1], swapped[k - 1] = factors[k - 1], factors[j - 1]
    np.testing.assert_allclose(
        u @ before @ u.conj().T, functools.reduce(np.kron, swapped), atol=1e-12
    )


@given(swap_cases(), positive_rationals(), st.data())
def test_swap_dissipator_is_u_rho_u_minus_rho(case, a, data):
    n, j, k, _ = case
    rho = data.draw(density_matrices(n))
    net = bs.QuantumNetwork(n, [(min(j, k), max(j, k), a)], coupling=1)
    u = swap_reference(j, k, n)
    expected = float(a) * (u @ rho @ u - rho)
    got = (net.swap_liouvillian("scipy") @ rho.ravel()).reshape(2**n, 2**n)
    np.testing.assert_allclose(got, expected, atol=1e-12)
    # it equals a D(U) with the general dissipator formula
    ud = u.conj().T
    general = float(a) * (u @ rho @ ud - 0.5 * (ud @ u @ rho + rho @ ud @ u))
    np.testing.assert_allclose(got, general, atol=1e-12)


@given(connected_weighted_graphs(min_n=2, max_n=4, integer_weights=False))
def test_swap_part_is_minus_q_d(edges):
    """sum_{j<k} a_jk D(U_jk) = -Q_d with Q_d = sum a_jk (I - U_jk x U_jk), each edge once."""
    n = max(k for _, k, _ in edges)
    net = bs.QuantumNetwork(n, edges)
    d2 = 4**n
    q_d = np.zeros((d2, d2))
    for j, k, a in edges:
        u = swap_reference(j, k, n).real
        q_d += float(a) * (np.eye(d2) - np.kron(u, u))
    np.testing.assert_allclose(net.swap_liouvillian("scipy").toarray(), -q_d, atol=1e-12)
    exact = net.swap_liouvillian("sympy")
    assert not any(e.has(sympy.Float) for e in exact.values())
    np.testing.assert_allclose(to_np(exact), -q_d, atol=1e-12)
    # a weight matrix with both triangles filled counts each edge once as well
    w = bs.Graph(n, edges).weights
    np.testing.assert_allclose(
        bs.QuantumNetwork(n, w).swap_liouvillian("scipy").toarray(), -q_d, atol=1e-12
    )


def test_swap_preserves_symmetric_product_states():
    net = bs.QuantumNetwork(3, [(1, 2), (2, 3)], coupling=7)
    rho1 = np.array([[0.7, 0.2 - 0.1j], [0.2 + 0.1j, 0.3]])
    sym = functools.reduce(np.kron, [rho1] * 3)
    np.testing.assert_allclose(net.liouvillian(backend="scipy") @ sym.ravel(), 0, atol=1e-12)
    asym = functools.reduce(np.kron, [rho1, np.eye(2) / 2, rho1])
    assert np.abs(net.liouvillian(backend="scipy") @ asym.ravel()).max() > 0.1


def test_permutation_operator_of_a_transposition_is_the_swap():
    net = bs.QuantumNetwork(3, [])
    np.testing.assert_array_equal(
        net.permutation_operator([2, 1, 3], "scipy").toarray(), swap_reference(1, 2, 3).real
    )


# ----------------------------------------------------------------------------- bad input

_E = [(1, 2)]
_SM = bs.sigma_minus(1)
_nan4 = np.diag([1.0, np.nan, 0, 0])
_inf4 = np.diag([1.0, np.inf, 0, 0])


def _net(**kw):
    args = dict(n=2, weights=_E, hamiltonian=0, jumps=(), coupling=1)
    args.update(kw)
    return bs.QuantumNetwork(**args)


BAD_MODELS = {
    # name: (callable, fragments the message must contain)
    "h-not-hermitian-matrix": (
        lambda: _net(
            hamiltonian=np.array([[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
        ),
        ["hamiltonian", "Hermitian"],
    ),
    "h-not-hermitian-operator": (
        lambda: _net(hamiltonian=bs.sigma_plus(1)),
        ["hamiltonian", "Hermitian"],
    ),
    "h-not-hermitian-complex-coefficient": (
        lambda: _net(hamiltonian=I * bs.sigma_z(2)),
        ["hamiltonian", "Hermitian"],
    ),
    "h-not-hermitian-sympy": (
        lambda: _net(hamiltonian=sympy.Matrix(4, 4, lambda r, c: I if (r, c) == (0, 1) else 0)),
        ["hamiltonian", "Hermitian"],
    ),
    "h-undecidable": (
        lambda: _net(hamiltonian=sympy.Symbol("w") * bs.sigma_z(1)),
        ["hamiltonian", "Hermitian"],
    ),
    "h-wrong-size": (lambda: _net(hamiltonian=np.eye(8)), ["hamiltonian", "4 x 4"]),
    "h-wrong-size-2x2": (lambda: _net(hamiltonian=np.eye(2)), ["hamiltonian", "4 x 4"]),
    "h-qubit-out-of-range": (lambda: _net(hamiltonian=bs.sigma_z(3)), ["hamiltonian", "qubit 3"]),
    "h-nan": (lambda: _net(hamiltonian=_nan4), ["hamiltonian", "NaN"]),
    "h-inf": (lambda: _net(hamiltonian=_inf4), ["hamiltonian", "infinite"]),
    "h-sympy-nan": (
        lambda: _net(hamiltonian=sympy.diag(sympy.nan, 0, 0, 0)),
        ["hamiltonian", "NaN"],
    ),
    "h-string": (lambda: _net(hamiltonian="sigma_z(1)"), ["hamiltonian"]),
    "rate-negative": (lambda: _net(jumps=[(-1, _SM)]), ["jumps[0]", "rate", "positive"]),
    "rate-negative-rational": (
        lambda: _net(jumps=[_SM, (R(-1, 2), _SM)]),
        ["jumps[1]", "rate", "positive"],
    ),
    "rate-zero": (lambda: _net(jumps=[(0, _SM)]), ["jumps[0]", "rate", "positive"]),
    "rate-complex": (lambda: _net(jumps=[(1j, _SM)]), ["jumps[0]", "rate", "real"]),
    "rate-complex-sympy": (lambda: _net(jumps=[(1 + I, _SM)]), ["jumps[0]", "rate", "real"]),
    "rate-negative-symbol": (
        lambda: _net(jumps=[(sympy.Symbol("g", negative=True), _SM)]),
        ["jumps[0]", "rate", "positive"],
    ),
    "rate-nan": (lambda: _net(jumps=[(float("nan"), _SM)]), ["jumps[0]", "rate", "finite"]),
    "rate-inf": (lambda: _net(jumps=[(float("inf"), _SM)]), ["jumps[0]", "rate", "finite"]),
    "jump-wrong-size-small": (
        lambda: _net(jumps=[np.array([[0, 1], [0, 0]])]),
        ["jumps[0]", "4 x 4"],
    ),
    "jump-wrong-size-big": (
        lambda: _net(jumps=[_SM, (2, np.zeros((8, 8)))]),
        ["jumps[1]", "4 x 4"],
    ),
    "jump-qubit-out-of-range": (lambda: _net(jumps=[bs.sigma_minus(3)]), ["jumps[0]", "qubit 3"]),
    "jump-nan": (lambda: _net(jumps=[_SM, _nan4]), ["jumps[1]", "NaN"]),
    "jump-inf": (lambda: _net(jumps=[(1, _inf4)]), ["jumps[0]", "infinite"]),
    "jumps-single-operator": (lambda: _net(jumps=_SM), ["jumps", "list"]),
    "jumps-not-iterable": (lambda: _net(jumps=3), ["jumps", "list"]),
    "jump-string": (lambda: _net(jumps=["sigma_-"]), ["jumps[0]"]),
    "weights-asymmetric": (
        lambda: _net(weights=np.array([[0, 1], [2, 0]])),
        ["weights", "symmetric"],
    ),
    "weights-negative": (
        lambda: _net(weights=np.array([[0, -1], [-1, 0]])),
        ["weights", "non-negative"],
    ),
    "weights-negative-edge": (lambda: _net(weights=[(1, 2, -3)]), ["weights", "non-negative"]),
    "weights-nan": (
        lambda: _net(weights=np.array([[0, np.nan], [np.nan, 0]])),
        ["weights", "finite"],
    ),
    "weights-inf": (lambda: _net(weights=[(1, 2, np.inf)]), ["weights", "finite"]),
    "weights-node-out-of-range": (lambda: _net(weights=[(1, 3)]), ["weights", "1..2"]),
    "n-vs-weights": (lambda: _net(n=3, weights=np.zeros((2, 2))), ["weights", "3 x 3"]),
    "n-vs-graph": (lambda: _net(n=3, weights=bs.Graph(2, _E)), ["weights", "n = 3"]),
    "n-vs-hamiltonian": (
        lambda: _net(n=3, weights=[(1, 2), (2, 3)], hamiltonian=np.eye(4)),
        ["hamiltonian", "8 x 8"],
    ),
    "n-vs-jump": (lambda: _net(n=1, weights=[], jumps=[np.zeros((4, 4))]), ["jumps[0]", "2 x 2"]),
    "n-zero": (lambda: _net(n=0, weights=[]), ["n must be a positive integer"]),
    "n-float": (lambda: _net(n=2.0), ["n must be a positive integer"]),
    "kc-zero": (lambda: _net(coupling=0), ["coupling", "positive"]),
    "kc-negative": (lambda: _net(coupling=-1), ["coupling", "positive"]),
    "kc-negative-rational": (lambda: _net(coupling=R(-1, 3)), ["coupling", "positive"]),
    "kc-complex": (lambda: _net(coupling=2j), ["coupling", "real"]),
    "kc-nan": (lambda: _net(coupling=float("nan")), ["coupling", "finite"]),
    "kc-inf": (lambda: _net(coupling=float("inf")), ["coupling", "finite"]),
    "kc-nonpositive-symbol": (
        lambda: _net(coupling=sympy.Symbol("k", nonpositive=True)),
        ["coupling", "positive"],
    ),
    "kc-override-zero": (lambda: _net().liouvillian(kc=0), ["kc", "positive"]),
    "kc-override-negative-scipy": (
        lambda: _net().liouvillian(kc=-2, backend="scipy"),
        ["kc", "positive"],
    ),
    "kc-override-nan": (lambda: _net().liouvillian(kc=float("nan")), ["kc", "finite"]),
    "with-coupling-negative": (lambda: _net().with_coupling(-1), ["coupling", "positive"]),
    "kc-symbolic-scipy": (
        lambda: _net(coupling=None).liouvillian(backend="scipy"),
        ["K_c", "free symbols"],
    ),
    "rate-symbolic-scipy": (
        lambda: _net(jumps=[(sympy.Symbol("g", positive=True), _SM)]).liouvillian(backend="scipy"),
        ["jumps[0] rate", "free symbols"],
    ),
    "hbar-zero": (lambda: _net(hbar=0), ["hbar", "positive"]),
    "hbar-nan": (lambda: _net(hbar=float("nan")), ["hbar", "finite"]),
    "backend": (lambda: _net().liouvillian(backend="numpy"), ["backend"]),
    "swap-qubit-out-of-range": (lambda: _net().swap_operator(1, 3), ["k", "1..2"]),
    "swap-qubit-zero": (lambda: _net().swap_operator(0, 2), ["j", "1..2"]),
    "permutation-out-of-range": (lambda: _net().permutation_operator([1, 3]), ["pi", "1..2"]),
    "state-not-density": (lambda: bs.simulate(_net(), np.eye(4), [0, 1]), ["rho0", "trace"]),
    "state-not-psd": (
        lambda: bs.simulate(_net(), np.diag([1.5, -0.5, 0, 0]), [0, 1]),
        ["rho0", "positive"],
    ),
    "state-not-hermitian": (
        lambda: bs.simulate(_net(), np.eye(4) / 4 + np.triu(np.ones((4, 4)), 1) / 10, [0, 1]),
        ["rho0", "Hermitian"],
    ),
    "state-wrong-size": (lambda: bs.simulate(_net(), np.eye(8) / 8, [0, 1]), ["rho0", "4 x 4"]),
    "state-nan": (lambda: bs.simulate(_net(), np.full((4, 4), np.nan), [0, 1]), ["rho0", "NaN"]),
    "state-inf": (
        lambda: bs.simulate(_net(), np.diag([np.inf, 0, 0, 0]), [0, 1]),
        ["rho0", "infinite"],
    ),
    "reduced-qubit-out-of-range": (
        lambda: bs.simulate(_net(), np.eye(4) / 4, [0, 1]).reduced(3),
        ["j", "1..2"],
    ),
    "reduced-state-qubit-out-of-range": (lambda: bs.reduced_state(np.eye(4) / 4, 5), ["j", "1..2"]),
}


@pytest.mark.parametrize("name", sorted(BAD_MODELS))
def test_bad_input_is_rejected_with_a_message_naming_the_argument(name):
    build, fragments = BAD_MODELS[name]
    with pytest.raises(BlendsymError) as exc:
        build()
    assert isinstance(exc.value, ValueError)
    msg = str(exc.value)
    for fragment in fragments:
        assert fragment in msg, (fragment, msg)


def test_valid_defaults():
    net = bs.QuantumNetwork(2, [(1, 2)])
    assert net.coupling == bs.KC and net.hbar == 1
    assert net.hamiltonian.is_zero() and net.jumps == ()
    assert net.liouvillian() == bs.KC * net.swap_liouvillian("sympy")
    # zero jumps are dropped, a symbolic rate is kept
    g = sympy.Symbol("g", positive=True)
    net = bs.QuantumNetwork(2, [(1, 2)], 0, [0 * _SM, (g, _SM)])
    assert len(net.jumps) == 1 and net.jumps[0][0] == g
    num = net.subs({g: R(1, 2), bs.KC: 3})
    assert num.coupling == 3 and num.jumps[0][0] == R(1, 2)
    np.testing.assert_allclose(
        num.liouvillian(backend="scipy").toarray(), qutip_liouvillian(num, 3), atol=1e-12
    )


def test_float_hamiltonian_hermitian_within_tolerance():
    """Float Hamiltonians are Hermitian within 1e-9 (relative), as density operators are; the
    Hermitian part is used.  Beyond that they are refused, and exact input is exact."""
    rng = np.random.default_rng(3)
    m = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    h = m + m.conj().T
    noisy = h + 1e-12j * rng.normal(size=(4, 4))
    net = bs.QuantumNetwork(2, [(1, 2)], noisy)
    assert net.hamiltonian.is_hermitian() is True
    hm = np.asarray(net.hamiltonian_matrix("scipy").toarray())
    assert np.abs(hm - (noisy + noisy.conj().T) / 2).max() < 1e-14
    with pytest.raises(BlendsymError, match="hamiltonian is not Hermitian"):
        bs.QuantumNetwork(2, [(1, 2)], h + 1e-6j * rng.normal(size=(4, 4)))
    with pytest.raises(BlendsymError, match="hamiltonian is not Hermitian"):
        bs.QuantumNetwork(
            2, [(1, 2)], sympy.Rational(1, 10**12) * sympy.I * bs.sigma_z(1) + bs.sigma_x(1)
        )
