"""Positive stationary states of degenerate kernels (blendsym.spectral.stationary).

Each returned state is checked to be a density operator (exactly: SymPy's own
``is_positive_semidefinite``, independent of blendsym's elimination), to lie in the kernel of
the generator exactly (the generator built here from its Lindblad data, not by blendsym), and
the list to span the kernel (rank = kernel dimension, the nullity computed here)."""

import itertools

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.polys.matrices import DomainMatrix

import blendsym as bs
from blendsym import limits
from blendsym.section5.averaging import permutation_averaged_network
from blendsym.spectral import analyze

SMALL = settings(max_examples=10)


# ---------------------------------------------------------------- an independent Lindbladian
def lindbladian(h, jumps):
    r"""Row-stacking :math:`-i[H,\cdot] + \sum D(L)`: vec(A X B) = (A kron B^T) vec(X)."""
    d = h.rows
    eye = sympy.eye(d)

    def sup(a, b):
        return sympy.kronecker_product(a, b.T)

    out = -sympy.I * (sup(h, eye) - sup(eye, h))
    for l_op in jumps:
        ldl = l_op.H * l_op
        out += sup(l_op, l_op.H) - (sup(ldl, eye) + sup(eye, ldl)) / 2
    return out


def rational_orthogonal(k, entries):
    """Cayley transform (I - S)(I + S)^-1 of a rational skew-symmetric S: rational, orthogonal."""
    s = sympy.zeros(k)
    it = iter(entries)
    for i in range(k):
        for j in range(i + 1, k):
            s[i, j] = next(it)
            s[j, i] = -s[i, j]
    eye = sympy.eye(k)
    return (eye - s) * (eye + s).inv()


def dm(m):
    """``m`` over the exact field of its entries (SymPy's DomainMatrix)."""
    return DomainMatrix.from_Matrix(sympy.Matrix(m), extension=True).to_field()


def is_zero(m):
    """``m == 0`` exactly (each entry converted to the field of the entries)."""
    a = dm(m)
    return all(v == a.domain.zero for row in a.to_list() for v in row)


def product_is_zero(a, b):
    """``a * b == 0`` exactly, multiplied in a field holding both."""
    da, db = dm(a), dm(b)
    k = da.domain.unify(db.domain)
    p = da.convert_to(k) * db.convert_to(k)
    return all(v == k.zero for row in p.to_list() for v in row)


def is_psd(x):
    """Every principal minor is non-negative (the criterion for a Hermitian matrix; not the
    elimination blendsym uses)."""
    d = x.rows
    for r in range(1, d + 1):
        for idx in itertools.combinations(range(d), r):
            minor = sympy.nsimplify(sympy.expand(x.extract(list(idx), list(idx)).det()))
            if sympy.re(minor) < 0 or sympy.im(minor) != 0:
                return False
    return True


def check_basis(states, generator, d, kernel_dim=None):
    """Density operators, in ker(generator) exactly, spanning it (or, given ``kernel_dim``,
    spanning a subspace of that dimension); returns the states as column vectors."""
    if kernel_dim is None:
        kernel_dim = d * d - dm(generator).rank()
    assert len(states) == kernel_dim
    vecs = []
    for x in states:
        x = sympy.Matrix(x)
        assert is_zero(x - x.H)
        assert is_zero(sympy.Matrix([[x.trace() - 1]]))
        assert is_psd(x)
        vecs.append(sympy.Matrix(d * d, 1, list(x)))
    vs = sympy.Matrix.hstack(*vecs)
    assert product_is_zero(generator, vs)
    assert dm(vs).rank() == kernel_dim
    return vecs


rationals = st.fractions(min_value=-3, max_value=3, max_denominator=4).map(sympy.Rational)
nonzero = rationals.filter(lambda r: r != 0)


# ---------------------------------------------------------------- commutative kernels
@SMALL
@given(
    d=st.sampled_from([2, 3, 4]),
    data=st.data(),
)
def test_dephasing_kernels_give_the_basis_projectors(d, data):
    """Diagonal jumps and Hamiltonian with distinct entries: ker = diagonal matrices, whose
    extreme stationary states are the |i><i|."""
    diag = data.draw(st.lists(rationals, min_size=d, max_size=d, unique=True))
    energies = data.draw(st.lists(rationals, min_size=d, max_size=d))
    a = lindbladian(sympy.diag(*energies), [sympy.diag(*diag)])
    states = analyze(a, state_dim=d).positive_stationary_basis()
    assert states.method == "extreme points" and states.exact and states.tolerance is None
    check_basis(states, a, d)
    expected = [sympy.zeros(d) for _ in range(d)]
    for i in range(d):
        expected[i][i, i] = 1
    assert [sympy.Matrix(x) for x in states] == expected


@SMALL
@given(sizes=st.sampled_from([(1, 2), (2, 1), (1, 1, 1), (3, 1)]), data=st.data())
def test_block_decay_kernels_commute_and_give_orthogonal_supports(sizes, data):
    """Independent blocks each relaxing to its own state, hidden by a rational rotation: the
    extreme points have mutually orthogonal supports."""
    d = sum(sizes)
    h = sympy.zeros(d)
    # dephasing between the blocks (a jump constant on each block) kills their coherences
    jumps = [sympy.diag(*[k for k, size in enumerate(sizes) for _ in range(size)])]
    start = 0
    for size in sizes:
        if size > 1:  # amplitude damping inside the block, driven by a field
            lo = sympy.zeros(d)
            for i in range(start, start + size - 1):
                lo[i, i + 1] = data.draw(nonzero)
                h[i, i + 1] = h[i + 1, i] = data.draw(rationals)
            jumps.append(lo)
        start += size
    q = rational_orthogonal(d, data.draw(st.lists(rationals, min_size=d * d, max_size=d * d)))
    a = lindbladian(q * h * q.T, [q * j * q.T for j in jumps])
    states = analyze(a, state_dim=d).positive_stationary_basis()
    check_basis(states, a, d)
    assert states.method == "extreme points"
    for i, x in enumerate(states):
        for j, y in enumerate(states):
            if i != j:
                assert product_is_zero(sympy.Matrix(x), sympy.Matrix(y))


# ---------------------------------------------------------------- non-commutative kernels
@SMALL
@given(data=st.data())
def test_decoherence_free_qubit_gives_a_projected_basis(data):
    """Qubit 1 is driven and decays to its steady state rho_1, qubit 2 is untouched:
    ker = rho_1 (x) M_2 (not commutative)."""
    sm = sympy.Matrix([[0, 1], [0, 0]])
    rate = data.draw(nonzero)
    field = data.draw(rationals)
    h = sympy.kronecker_product(field * sympy.Matrix([[0, 1], [1, 0]]), sympy.eye(2))
    a = lindbladian(h, [rate * sympy.kronecker_product(sm, sympy.eye(2))])
    states = analyze(a, state_dim=4).positive_stationary_basis()
    assert states.method == "projection" and states.exact
    check_basis(states, a, 4)
    # every state is rho_1 (x) (a qubit state): one marginal of qubit 1 for all of them
    marginals = [bs.reduced_state(sympy.Matrix(x), 1) for x in states]
    assert all(is_zero(m - marginals[0]) for m in marginals)


@SMALL
@given(energies=st.lists(rationals, min_size=2, max_size=2, unique=True), data=st.data())
def test_hamiltonian_only_kernels_and_their_oscillations(energies, data):
    """H with a degenerate level, no jumps: ker = commutant of H (not commutative); the
    non-zero purely imaginary eigenvalues -i(E_a - E_b) are reported."""
    levels = [energies[0]] + energies  # the first level twice
    d = len(levels)
    q = rational_orthogonal(d, data.draw(st.lists(rationals, min_size=d * d, max_size=d * d)))
    h = q * sympy.diag(*levels) * q.T
    a = lindbladian(h, [])
    states = analyze(a, state_dim=d).positive_stationary_basis()
    assert states.method == "projection"
    check_basis(states, a, d)
    got = sorted(round(z.imag, 9) for z in states.oscillating_eigenvalues)
    want = sorted(round(float(x - y), 9) for x in set(levels) for y in set(levels) if x != y)
    assert got == want


def test_numeric_route_agrees_with_the_exact_one():
    sm = sympy.Matrix([[0, 1], [0, 0]])
    h = sympy.kronecker_product(sympy.Matrix([[1, 2], [2, -1]]) / 3, sympy.eye(2))
    a = lindbladian(h, [sympy.kronecker_product(sm, sympy.eye(2))])
    spec = analyze(a, state_dim=4)
    exact = spec.positive_stationary_basis()
    num = spec.positive_stationary_basis(method="numeric", tol=1e-10)
    assert not num.exact and num.tolerance == 1e-10 and "numeric" in num.describe()
    assert num.checks["min_eigenvalue"] >= -1e-10 and num.checks["max_residual"] <= 1e-10
    assert len(num) == len(exact)
    for x, y in zip(exact, num, strict=True):
        np.testing.assert_allclose(np.array(x.evalf(), dtype=complex), y, atol=1e-10)


def test_auto_route_goes_numeric_above_the_limit(monkeypatch):
    a = lindbladian(sympy.zeros(2), [sympy.diag(1, -1)])
    spec = analyze(a, state_dim=2)
    monkeypatch.setattr(limits, "EXACT_STATIONARY_DIM", 1)
    auto = spec.positive_stationary_basis()
    assert not auto.exact
    with pytest.raises(bs.SizeLimitError, match="EXACT_STATIONARY_DIM"):
        spec.positive_stationary_basis(method="exact")
    np.testing.assert_allclose(sum(auto), np.eye(2), atol=1e-12)  # diagonal states, any order


# ---------------------------------------------------------------- networks
def test_disconnected_network_blended_dynamics():
    # two separate dephasing qubits: each component's blended generator has a 2-dim kernel
    net = bs.QuantumNetwork(2, [], 0, [bs.sigma_z(1), bs.sigma_z(2)])
    parts = bs.blended_reduced_state(net).positive_stationary_basis()
    assert len(parts) == 2
    for part in parts:
        assert [sympy.Matrix(x) for x in part.states] == [sympy.diag(1, 0), sympy.diag(0, 1)]


@pytest.mark.parametrize(
    "net",
    [
        bs.QuantumNetwork(
            2, [], bs.sigma_z(1) + bs.sigma_x(1) * bs.sigma_x(2), [bs.sigma_minus(1)]
        ),
        bs.QuantumNetwork(3, [(1, 2), (2, 3)], 0, [bs.sigma_z(1)]),
        bs.QuantumNetwork(2, [(1, 2)], bs.sigma_x(1) + bs.sigma_x(2), []),
    ],
)
def test_blended_coherent_bases(net):
    """The lifted states are PI stationary states of the permutation-averaged network (its
    exact Liouvillian at K_c = 0, built by blendsym's other route) spanning ker B."""
    c = bs.blended_coherent(net)
    states = c.positive_stationary_basis()
    d = 2**net.n
    # edgeless: the group is trivial and A-bar = A_d; connected: the S_n average
    avg = permutation_averaged_network(net) if net.graph.edges else net
    gen = sympy.Matrix(avg.local_liouvillian())  # A_d, the Liouvillian without SWAPs
    assert len(states) == len(c.steady_states()) > 1
    # PI stationary states: a subspace of ker A_d, of the dimension of the PI kernel
    vecs = check_basis(states, gen, d, kernel_dim=len(states))
    num = c.positive_stationary_basis(method="numeric")
    assert len(num) == len(states) and not num.exact
    # the numeric states span the same space (rank does not grow when they are appended)
    both = np.array([np.array(v.evalf(), dtype=complex).ravel() for v in vecs])
    both = np.vstack([both, [y.ravel() for y in num]])
    assert np.linalg.matrix_rank(both, tol=1e-8) == len(states)


# ---------------------------------------------------------------- errors
def test_not_a_lindblad_generator_is_refused():
    # A = I - Pi, Pi the projector onto vec(diag(2, -1)): the kernel holds no state
    v = sympy.Matrix([2, 0, 0, -1])
    a = sympy.eye(4) - v * v.T / (v.T * v)[0]
    with pytest.raises(bs.NotComputableError, match="not positive"):
        analyze(a, state_dim=2).positive_stationary_basis()
    with pytest.raises(bs.NotComputableError, match="not a Lindblad generator"):
        analyze(a, state_dim=2).positive_stationary_basis(method="numeric")
    # growing modes with a non-commuting kernel: -L of the decoherence-free model
    sm = sympy.kronecker_product(sympy.Matrix([[0, 1], [0, 0]]), sympy.eye(2))
    with pytest.raises(bs.NotComputableError, match="positive real part"):
        analyze(-lindbladian(sympy.zeros(4), [sm]), state_dim=4).positive_stationary_basis()


def test_bad_arguments():
    g = sympy.Symbol("g", positive=True)
    a = lindbladian(sympy.zeros(2), [g * sympy.diag(1, -1)])
    with pytest.raises(bs.NotComputableError, match="free symbols"):
        analyze(a, state_dim=2).positive_stationary_basis()
    a = lindbladian(sympy.zeros(2), [sympy.diag(1, -1)])
    with pytest.raises(bs.InvalidArgumentError, match="state_dim"):
        analyze(a).positive_stationary_basis()
    with pytest.raises(bs.InvalidArgumentError, match="method must be one of"):
        analyze(a, state_dim=2).positive_stationary_basis(method="fast")
    with pytest.raises(bs.InvalidArgumentError, match="tol must be"):
        analyze(a, state_dim=2).positive_stationary_basis(tol=0.5)
    from blendsym.spectral.stationary import positive_stationary_basis

    with pytest.raises(bs.InvalidArgumentError, match="SpectralAnalysis"):
        positive_stationary_basis(a)
