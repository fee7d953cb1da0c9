"""Claims of Sections 2–3 (preliminaries and the network model (4)), each recomputed.

``PRINTED[id]`` is what the paper prints for claim ``id`` (a value or a small function) and
``CORRECTED[id]`` the corrected form; a claim compares ``PRINTED[id]`` with an independent
computation, so replacing it by ``CORRECTED[id]`` flips the verdict (tests/test_verify.py).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import scipy.linalg
import sympy

from ..model.conventions import vec
from ..model.graph import Graph
from ..model.network import QuantumNetwork
from ..model.states import partial_trace
from ._checks import lindblad_superop, random_hermitian, random_operator
from .claims import Claim, judge, verdict
from .examples import example3

__all__ = ["model_claims", "BUILDERS", "PRINTED", "CORRECTED"]

#: the admissible set of rho' in the definition of ||rho||_S, as an orthonormal basis
#: (``None`` = all of C^{n x n}, as printed)
PRINTED = {"norm-S": lambda s_basis: None}
CORRECTED = {"norm-S": lambda s_basis: s_basis}


def _rng() -> np.random.Generator:
    return np.random.default_rng(20261121)


def _random_density(rng, d: int) -> np.ndarray:
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    r = a @ a.conj().T
    return r / np.trace(r)


def claim_laplacian() -> Claim:
    """Section 2.2: Q is PSD with as many zero eigenvalues as components."""
    rng = _rng()
    cases = []
    for n in (3, 4, 5, 6):
        for _ in range(3):
            edges = [
                (j, k, int(rng.integers(1, 4)))
                for j, k in itertools.combinations(range(1, n + 1), 2)
                if rng.random() < 0.45
            ]
            g = Graph(n, edges)
            ev = np.linalg.eigvalsh(g.laplacian_numeric())
            zeros = int(np.sum(np.abs(ev) < 1e-9))
            cases.append((ev.min() > -1e-12) and zeros == g.n_components)
    ok = all(cases)
    return Claim(
        "laplacian-psd",
        "Section 2.2",
        "The Laplacian Q is positive semidefinite with p zero eigenvalues (p = number of components)",
        verdict(ok),
        f"{len(cases)} random weighted graphs (n = 3..6, some disconnected): eigvalsh(Q) >= 0 and "
        f"#zero eigenvalues == #components (scipy.sparse.csgraph) in {sum(cases)}/{len(cases)} "
        "(the index of the printed diagonal is claim laplacian-definition)",
        printed="Q PSD with p zero eigenvalues",
        correct="as printed",
        method="numeric (1e-9)",
    )


def claim_distance_to_subspace() -> Claim:
    """Section 2.4: ||rho||_S := inf over rho' in C^{n x n} of ||rho - rho'||_F."""
    rng = _rng()
    rho = _random_density(rng, 2)
    s_basis = (np.eye(2).ravel() / np.sqrt(2))[:, None]  # S = span{I}, an invariant subspace
    admissible = PRINTED["norm-S"](s_basis)
    x = rho.ravel()
    if admissible is None:  # every rho' is admissible: the infimum is attained at rho' = rho
        value = 0.0
    else:
        value = float(np.linalg.norm(x - admissible @ (admissible.conj().T @ x)))
    # the distance to S, independently: least squares over the coefficients of S
    coef = np.linalg.lstsq(s_basis, x, rcond=None)[0]
    true = float(np.linalg.norm(x - s_basis @ coef))
    status, sev = judge(abs(value - true) < 1e-12, "notation")
    return Claim(
        "norm-S",
        "Section 2.4",
        "||rho||_S is the distance between rho and the subspace S",
        status,
        f"S = span{{I}}, a random qubit state: the printed definition gives ||rho||_S = "
        f"{value:.4f} (the infimum over all rho' in C^(n x n) is attained at rho' = rho, so it "
        f"is 0 for every rho); the distance to S (least squares) is {true:.4f}",
        printed="||rho||_S := inf_{rho' in C^{n x n}} ||rho - rho'||_F",
        correct="||rho||_S := inf_{rho' in S} ||rho - rho'||_F",
        method="exact",
        severity=sev,
    )


def claim_swap() -> Claim:
    """Section 3 (iii): U_jk exchanges the states of qubits j and k."""
    rng = _rng()
    n = 3
    facs = [_random_density(rng, 2) for _ in range(n)]
    ok = True
    net = QuantumNetwork(n, [(1, 2), (1, 3), (2, 3)])
    for j, k in itertools.combinations(range(1, n + 1), 2):
        u = net.swap_operator(j, k, "scipy").toarray()
        lhs = u @ _kron(facs) @ u.conj().T
        swapped = list(facs)
        swapped[j - 1], swapped[k - 1] = swapped[k - 1], swapped[j - 1]
        ok &= bool(np.allclose(lhs, _kron(swapped), atol=1e-14))
    return Claim(
        "swap",
        "Section 3",
        "U_jk (rho_1 x ... x rho_j x ... x rho_k x ... x rho_n) U_jk^dagger exchanges rho_j and rho_k",
        verdict(ok),
        "all pairs of 3 qubits, random single-qubit states: U rho U^dagger equals the Kronecker "
        "product with factors j and k exchanged (max deviation < 1e-14)",
        method="numeric (1e-14)",
    )


def _kron(mats):
    out = np.array([[1.0 + 0j]])
    for m in mats:
        out = np.kron(out, m)
    return out


def claim_swap_dissipator() -> Claim:
    """D(U_jk) rho = U_jk rho U_jk - rho, exactly."""
    net = QuantumNetwork(3, [(1, 2)], coupling=1)
    u = sympy.Matrix(net.swap_operator(1, 2))
    rho = sympy.Matrix(8, 8, lambda a, b: sympy.Rational(a + 1, b + 2) + sympy.I * (a - b))
    d = u * rho * u.H - (u.H * u * rho + rho * u.H * u) / 2
    ok = (d - (u * rho * u - rho)).is_zero_matrix
    # and the superoperator built by blendsym is that map
    sw = sympy.Matrix(net.swap_liouvillian("sympy")) * vec(rho)
    ok2 = (sw - vec(u * rho * u - rho)).is_zero_matrix
    return Claim(
        "swap-dissipator",
        "eq. (4)",
        "The diffusive term K_c sum a_jk D(U_jk) rho: U_jk is a real symmetric involution, so "
        "D(U_jk) rho = U_jk rho U_jk - rho",
        verdict(ok and ok2),
        "exact SymPy on a generic 8x8 matrix: D(U_12) rho - (U rho U - rho) = 0, and blendsym's "
        "row-stacking superoperator reproduces it",
    )


def claim_eq4_generator() -> Claim:
    """Eq. (4): the row-stacking generator equals the master equation applied directly."""
    rng = _rng()
    net, _ = example3(coupling=7)
    n, d = net.n, net.dim
    gen = net.liouvillian(backend="scipy")
    h = net.hamiltonian_matrix("scipy").toarray()
    worst = 0.0
    for _ in range(3):
        rho = _random_density(rng, d)
        direct = -1j * (h @ rho - rho @ h)
        for g, l_m in net.jump_matrices("scipy"):
            lm = l_m.toarray()
            ld = lm.conj().T
            direct += complex(g) * (lm @ rho @ ld - 0.5 * (ld @ lm @ rho + rho @ ld @ lm))
        for j, k, a in net.graph.edges:
            u = net.swap_operator(j, k, "scipy").toarray()
            direct += 7 * float(a) * (u @ rho @ u - rho)
        worst = max(worst, np.abs((gen @ rho.ravel()).reshape(d, d) - direct).max())
    # trace and Hermiticity preservation of the flow, and positivity of exp(tL)
    big = gen.toarray()
    phi = scipy.linalg.expm(big * 0.3)
    rho = _random_density(rng, d)
    out = (phi @ rho.ravel()).reshape(d, d)
    ok_phys = (
        abs(np.trace(out) - 1) < 1e-12
        and np.linalg.eigvalsh((out + out.conj().T) / 2).min() > -1e-12
    )
    ok = worst < 1e-12 and ok_phys
    return Claim(
        "eq4",
        "eq. (4)",
        "The network evolves by the Lindblad equation (4) (a CPTP semigroup)",
        verdict(ok),
        f"Example 3 at K_c = 7 ({n} qubits): the row-stacking generator applied to random states "
        f"equals -i[H,rho] + sum gamma D(L) rho + K_c sum a_jk (U rho U - rho) evaluated directly "
        f"(max deviation {worst:.1e}); exp(0.3 L) keeps trace and positivity of a random state",
        method="numeric (1e-12)",
    )


def claim_partial_trace_of_swap() -> Claim:
    """Tr_{not j}(U_jk rho U_jk) = rho_k and Tr_{not j}(U_km rho U_km) = rho_j (used by (5))."""
    rng = _rng()
    n = 3
    rho = _random_density(rng, 8)
    net = QuantumNetwork(n, [(1, 2), (2, 3), (1, 3)])
    ok = True
    for j in range(1, n + 1):
        for k, m in itertools.combinations(range(1, n + 1), 2):
            u = net.swap_operator(k, m, "scipy").toarray()
            lhs = partial_trace(u @ rho @ u, [j])
            if j == k:
                expect = partial_trace(rho, [m])
            elif j == m:
                expect = partial_trace(rho, [k])
            else:
                expect = partial_trace(rho, [j])
            ok &= bool(np.allclose(lhs, expect, atol=1e-14))
    return Claim(
        "swap-partial-trace",
        "Section 4.1",
        "The diffusive term of (4) becomes K_c sum a_jk (rho_k - rho_j) on reduced states",
        verdict(ok),
        "for a random entangled 3-qubit state, every j and edge {k,m}: Tr_not j(U rho U) is "
        "rho_m if j = k, rho_k if j = m, rho_j otherwise (max deviation < 1e-14)",
        method="numeric (1e-14)",
    )


def claim_eq1() -> Claim:
    """Eq. (1): the Lindblad equation generates a CPTP, trace-preserving semigroup."""
    g = _rng()
    worst_choi, worst_tr, worst_herm = math.inf, 0.0, 0.0
    d = 4
    for _ in range(4):
        h = random_hermitian(g, d)
        ls = [np.sqrt(g.uniform(0.1, 2)) * random_operator(g, d) for _ in range(2)]
        gen = lindblad_superop(h, ls)
        for t in (0.1, 1.0, 5.0):
            phi = scipy.linalg.expm(gen * t)
            # Choi matrix sum_{ab} |a><b| (x) Phi(|a><b|), row stacking: Phi(E_ab) = reshape(phi[:, a*d+b])
            choi = np.zeros((d * d, d * d), dtype=complex)
            for a in range(d):
                for b in range(d):
                    choi[a * d : (a + 1) * d, b * d : (b + 1) * d] = phi[:, a * d + b].reshape(d, d)
            worst_choi = min(worst_choi, np.linalg.eigvalsh((choi + choi.conj().T) / 2).min())
            worst_tr = max(worst_tr, np.abs(np.eye(d).ravel() @ phi - np.eye(d).ravel()).max())
            worst_herm = max(worst_herm, np.abs(choi - choi.conj().T).max())
    ok = worst_choi > -1e-10 and worst_tr < 1e-10 and worst_herm < 1e-10
    return Claim(
        "eq1",
        "eq. (1)",
        "The Lindblad equation (1) (gamma_l > 0) gives a completely positive, trace-preserving "
        "evolution (Lindblad 1976)",
        verdict(ok),
        f"4 random 2-qubit generators (random H, two random jumps with rates in [0.1, 2]), "
        f"t = 0.1, 1, 5: min eigenvalue of the Choi matrix of exp(tL) {worst_choi:.1e} "
        f"(completely positive), max |Tr Phi(X) - Tr X| coefficient {worst_tr:.1e}, Choi "
        f"Hermitian to {worst_herm:.1e}; the generator is written out independently of "
        "blendsym.conventions. That these are all the generators is Lindblad's theorem",
        method="numeric (1e-10)",
    )


def claim_dissipator() -> Claim:
    """Section 2.1: D[L] rho = L rho L^dag - (L^dag L rho + rho L^dag L)/2 is trace- and
    Hermiticity-preserving (exact, generic L and rho)."""
    lv = sympy.Matrix(2, 2, sympy.symbols("l0:4"))
    rv = sympy.symbols("r0:4", real=True)
    rho = sympy.Matrix([[rv[0], rv[1] + sympy.I * rv[2]], [rv[1] - sympy.I * rv[2], rv[3]]])
    ld = lv.H
    d = lv * rho * ld - (ld * lv * rho + rho * ld * lv) / 2
    trace_zero = sympy.expand(d.trace()) == 0
    herm = (d - d.H).applyfunc(sympy.expand).is_zero_matrix
    return Claim(
        "dissipator",
        "Section 2.1",
        "D[L] rho = L rho L^dag - (1/2)(L^dag L rho + rho L^dag L) (written D(L) from eq. (4) on)",
        verdict(trace_zero and herm),
        f"exact SymPy, generic complex 2 x 2 L and Hermitian rho: Tr D[L] rho = 0 ({trace_zero}) "
        f"and D[L] rho is Hermitian ({herm}); the brackets D[.] and D(.) denote the same map",
    )


def claim_swap_symmetrization() -> Claim:
    """Section 3 (iii): the swaps act as a symmetrisation force: exp(t sum a D(U)) -> P_*."""
    from ..section5.induced import induced_graph

    worst, rates = 0.0, []
    for edges in ([(1, 2), (2, 3), (1, 3)], [(1, 2, 2), (2, 3, 1)]):
        net = QuantumNetwork(3, edges, coupling=1)
        sw = net.swap_liouvillian("scipy").toarray()
        pd = induced_graph(net).P_d.toarray()
        proj = pd @ pd.T
        lam = net.graph.lambda_m_numeric()
        for t in (2.0, 6.0):
            dev = np.linalg.norm(scipy.linalg.expm(sw * t) - proj, 2)
            rates.append(-math.log(dev) / t if dev > 0 else math.inf)
            worst = max(worst, float((dev - 1e-13) * math.exp(lam * t)))
    ok = worst < 1 + 1e-6
    return Claim(
        "swap-symmetrization",
        "Section 3",
        "The swap couplings act as a symmetrisation force: without H and L, rho(t) tends to "
        "P_*(rho(0)) and the reduced states reach consensus",
        verdict(ok),
        f"complete graph and weighted path, n = 3: ||exp(t sum a_jk D(U_jk)) - P_d P_d^T||_2 <= "
        f"e^(-lambda_m t) (max ratio {worst:.3f}, t = 2, 6; observed rates "
        f"{', '.join(f'{r:.3g}' for r in rates)}), and P_d P_d^T = P_* (claim eq13)",
        method="numeric",
    )


BUILDERS = [
    ("eq1", claim_eq1),
    ("dissipator", claim_dissipator),
    ("laplacian-psd", claim_laplacian),
    ("norm-S", claim_distance_to_subspace),
    ("swap", claim_swap),
    ("swap-dissipator", claim_swap_dissipator),
    ("swap-partial-trace", claim_partial_trace_of_swap),
    ("eq4", claim_eq4_generator),
    ("swap-symmetrization", claim_swap_symmetrization),
]


def model_claims() -> list[Claim]:
    return [build() for _, build in BUILDERS]
