"""Claims of Section 5 and Appendices C–D (induced graph, Definition 2, Theorems 3–4, Example 3)."""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from ..bounds import theorem3, theorem4
from ..errors import BlendsymError
from ..model.graph import complete_graph
from ..model.network import QuantumNetwork
from ..model.operators import sigma_x, sigma_y
from ..model.permutations import (
    permutation_invariant_projection,
    permutation_invariant_projection_literal,
)
from ..section4.reduced import separability
from ..section5.coherent import blended_coherent
from ..section5.induced import induced_graph, printed_p_m
from .claims import Claim, verdict
from .examples import example3

__all__ = ["section5_claims", "THEOREM_SETTINGS"]

#: eta, T1, T2 used to check Theorems 3-4 on Example 3.
THEOREM_SETTINGS = {"eta": 0.05, "T1": 1.0, "T2": 5.0}


def _rng() -> np.random.Generator:
    return np.random.default_rng(5)


def _random_density(rng, d: int) -> np.ndarray:
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    r = a @ a.conj().T
    return r / np.trace(r)


def claim_printed_pm() -> Claim:
    net, _ = example3()
    g = induced_graph(net)
    p_printed = printed_p_m(g)
    p_printed = p_printed.toarray() if sp.issparse(p_printed) else np.asarray(p_printed)
    gram = p_printed.T @ p_printed
    dev = np.abs(gram - np.eye(gram.shape[0])).max()
    p_ok = g.P_d.toarray()
    dev_ok = np.abs(p_ok.T @ p_ok - np.eye(g.n_components)).max()
    rho = _random_density(_rng(), net.dim)
    lit = permutation_invariant_projection_literal(rho)
    err_printed = np.abs(p_printed @ p_printed.T @ rho.ravel() - lit.ravel()).max()
    return Claim(
        "p-m",
        "Section 5.1",
        "{p_1, ..., p_p} with [p_m]_k = 1/|V_m| on component m is an orthonormal basis of ker Q_d",
        verdict(dev < 1e-12),
        f"n = 3 complete graph (p = {g.n_components}): with the printed entries max|P^T P - I| = {dev:.3f} "
        f"(p_m^T p_m = 1/|V_m|) and (13) fails by {err_printed:.3f}; with entries 1/sqrt(|V_m|), "
        f"max|P^T P - I| = {dev_ok:.1e}",
        printed="[p_m]_k = 1/|V_m| for k in V_m",
        correct="[p_m]_k = 1/sqrt(|V_m|) for k in V_m",
        method="numeric (1e-12)",
    )


def claim_qd_psd() -> Claim:
    net, _ = example3()
    g = induced_graph(net)
    ev = np.linalg.eigvalsh(g.laplacian.toarray())
    zeros = int(np.sum(np.abs(ev) < 1e-9))
    ok = ev.min() > -1e-12 and zeros == g.n_components == math.comb(net.n + 3, 3)
    return Claim(
        "Qd-psd",
        "Section 5.1",
        "G_d is undirected and Q_d is positive semidefinite with p zero eigenvalues",
        verdict(ok),
        f"n = 3 complete graph: Q_d (64 x 64) has min eigenvalue {ev.min():.1e}, {zeros} zero "
        f"eigenvalues and {g.n_components} connected components (scipy.sparse.csgraph) = "
        f"C(n+3, 3) = {math.comb(net.n + 3, 3)}: the components are the orbits of pairs of bit "
        "strings under qubit permutations",
        method="numeric (1e-9)",
    )


def claim_eq13() -> Claim:
    rng = _rng()
    worst = 0.0
    for n in (2, 3, 4):
        net = QuantumNetwork(n, [(j, j + 1, j) for j in range(1, n)])  # a weighted path
        g = induced_graph(net)
        rho = _random_density(rng, 2**n)
        lhs = (g.P_d @ (g.P_d.T @ rho.ravel())).reshape(2**n, 2**n)
        worst = max(worst, np.abs(lhs - permutation_invariant_projection_literal(rho)).max())
    # disconnected graph: P_d P_d^T is not P_*
    net = QuantumNetwork(3, [(1, 2)])
    g = induced_graph(net)
    rho = _random_density(rng, 8)
    lhs = (g.P_d @ (g.P_d.T @ rho.ravel())).reshape(8, 8)
    gap = np.abs(lhs - permutation_invariant_projection_literal(rho)).max()
    return Claim(
        "eq13",
        "eq. (13)",
        "P_d P_d^T vec(rho) = vec(P_*(rho)), P_* the average over all n! permutations",
        verdict(worst < 1e-12),
        f"weighted paths n = 2, 3, 4, random states, orthonormal P_d, against the literal n! "
        f"average: max deviation {worst:.1e}. It needs G connected (assumed in Section 3): for "
        f"n = 3 with the single edge {{1,2}} the deviation is {gap:.3f}",
        method="numeric (1e-12)",
    )


def _printed_ad(net) -> np.ndarray:
    h = net.hamiltonian_matrix("scipy").toarray()
    d = net.dim
    eye = np.eye(d)
    out = 1j * (np.kron(h, eye) + np.kron(eye, h))
    for g, l_m in net.jump_matrices("scipy"):
        lm = l_m.toarray()
        ld = lm.conj().T
        out += complex(g) * (
            np.kron(lm, ld) - 0.5 * np.kron(ld @ lm, eye) - 0.5 * np.kron(eye, ld @ lm)
        )
    return out


def claim_eq14() -> Claim:
    net, _ = example3(coupling=3)
    a_true = net.local_liouvillian("scipy").toarray()
    a_printed = _printed_ad(net)
    qd = induced_graph(net).laplacian.toarray()
    full = net.liouvillian(backend="scipy").toarray()
    sign_ok = np.abs(full - (a_true - 3 * qd)).max() < 1e-12
    plus_wrong = np.abs(full - (a_true + 3 * qd)).max()
    diff = np.abs(a_printed - a_true).max()
    trace_row = np.eye(net.dim).ravel()
    leak = np.abs(trace_row @ a_printed).max()
    return Claim(
        "eq14",
        "eq. (14)",
        "vec(rho) obeys d y/dt = A_d y + K_c Q_d y with A_d = (i/hbar)(H x I + I x H) + "
        "sum gamma (L x L^dag - L^dag L x I/2 - I x L^dag L/2)",
        verdict(diff < 1e-12 and plus_wrong < 1e-12),
        f"Example 3 at K_c = 3: the generator of (4) equals A_d - K_c Q_d exactly ({sign_ok}); with "
        f"+K_c Q_d it misses by {plus_wrong:.1f}. The printed A_d differs from the row-stacking "
        f"matrix of the Hamiltonian and dissipative part by {diff:.2f} (max entry) and does not even "
        f"preserve the trace (max |vec(I)^T A_d| = {leak:.2f})",
        printed="A_d y + K_c Q_d y, A_d = (i/hbar)(H x I + I x H) + sum gamma (L x L^dag - ...)",
        correct="A_d y - K_c Q_d y, A_d = -(i/hbar)(H x I - I x H^T) + sum gamma (L x conj(L) - "
        "(1/2) L^dag L x I - (1/2) I x (L^dag L)^T)",
        method="numeric (1e-12)",
    )


def claim_eq15_16() -> Claim:
    net, rho0 = example3()
    g = induced_graph(net)
    sizes = np.bincount(np.asarray(g.labels))
    y_m = np.exp(1j * np.arange(g.n_components))  # consensus values, one per component
    tilde_y = y_m[np.asarray(g.labels)]  # consensus reached: y~ constant on each component
    y_d = g.P_d.T @ tilde_y
    printed = sizes * y_m
    correct = np.sqrt(sizes) * y_m
    ok_printed = np.abs(y_d - printed).max() < 1e-12
    c = blended_coherent(net)
    yd0 = np.asarray(c.project(rho0), dtype=complex)
    traj = c.evolve_coordinates(yd0, np.array([0.0, 1.0]))
    complex_valued = np.abs(np.asarray(traj)[-1].imag).max() > 1e-9
    return Claim(
        "eq15-16",
        "eq. (15)-(16)",
        "y_d := [|V_1| y_1; ...; |V_p| y_p] in R^p satisfies y~ = P_d y_d and y_d = P_d^T y~",
        verdict(ok_printed and not complex_valued),
        f"Example 3 with orthonormal P_d and a consensus vector: P_d^T y~ = sqrt(|V_m|) y_m "
        f"(max deviation {np.abs(y_d - correct).max():.1e}), not |V_m| y_m (deviation "
        f"{np.abs(y_d - printed).max():.2f}); no scaling satisfies (15), (16) and the printed p_m "
        f"together. y_d(t) is complex (max |Im y_d(1)| = {np.abs(np.asarray(traj)[-1].imag).max():.3f})",
        printed="y_d := [|V_m| y_m] in R^p",
        correct="y_d := [sqrt(|V_m|) y_m] in C^p (with [p_m]_k = 1/sqrt(|V_m|))",
        method="numeric (1e-12)",
    )


def claim_definition2() -> Claim:
    net, _ = example3()
    c = blended_coherent(net)
    rng = _rng()
    times = np.linspace(0, 4, 9)
    worst_eig, worst_tr, worst_herm = 0.0, 0.0, 0.0
    for _ in range(3):
        rho = permutation_invariant_projection(_random_density(rng, net.dim))
        states = c.evolve(rho, times)
        for s in states:
            worst_tr = max(worst_tr, abs(np.trace(s) - 1))
            worst_herm = max(worst_herm, np.abs(s - s.conj().T).max())
            worst_eig = min(worst_eig, np.linalg.eigvalsh((s + s.conj().T) / 2).min())
    ok = worst_tr < 1e-10 and worst_herm < 1e-10 and worst_eig > -1e-10
    return Claim(
        "definition-2",
        "Definition 2",
        "The blended coherent dynamics dy_d/dt = P_d^T A_d P_d y_d (17) is a physical evolution of "
        "permutation-invariant states",
        verdict(ok),
        f"Example 3 (p = {c.induced.n_components}): 3 random permutation-invariant states evolved by (17) "
        f"and lifted keep trace (max error {worst_tr:.1e}), Hermiticity ({worst_herm:.1e}) and "
        f"positivity (min eigenvalue {worst_eig:.1e}); on PI operators P_d P_d^T A_d P_d P_d^T is "
        "the permutation average of A_d, itself a Lindblad generator",
        method="numeric (1e-10)",
    )


def _theorem_claim(which: int) -> Claim:
    net, rho0 = example3()
    s = THEOREM_SETTINGS
    if which == 3:
        bound = theorem3(net, rho0, s["eta"], s["T1"], s["T2"])
        statement = (
            "For K_c >= K_c* = max{ln(2C/eta)/(T1 lambda_m(Q_d)), 2D(T2)/eta}, "
            "||rho(t) - vec^-1(y~_d(t))||_F <= eta on [T1, T2]"
        )
    else:
        bound = theorem4(net, rho0, s["eta"], s["T1"])
        statement = (
            "For K_c >= K_c* = max{ln(2C/eta)/(T1 lambda_m(Q_d)), 2||A_d||/(eta lambda_m(Q_d))}, "
            "||rho(t) - P_*(rho(t))||_F <= eta for t >= T1"
        )
    chk = bound.check()
    k_emp = bound.empirical_kc()
    consts = ", ".join(
        f"{k} = {v:.4g}"
        for k, v in bound.constants.as_dict().items()
        if isinstance(v, (int, float))
    )
    return Claim(
        f"theorem-{which}",
        f"Theorem {which}",
        statement,
        verdict(chk.holds),
        f"Example 3, eta = {s['eta']}, T1 = {s['T1']}"
        + (f", T2 = {s['T2']}" if which == 3 else "")
        + f": {consts}; K_c* = {bound.kc_star:.4g}. Simulation of (18) at K_c* on "
        f"{len(chk.times)} times: worst distance/eta = {chk.worst_ratio:.3g}; smallest K_c meeting "
        f"eta in simulation: {k_emp:.3g} (K_c* is {bound.kc_star / k_emp:.3g} times larger)",
        method="simulation",
    )


def claim_eq33() -> Claim:
    net, _ = example3()
    g = induced_graph(net)
    p, q = g.P_d, g.laplacian
    shapes = f"P_d is {p.shape[0]} x {p.shape[1]}, Q_d is {q.shape[0]} x {q.shape[1]}"
    defined = p.shape[1] == q.shape[0]
    residual = abs(q @ p).max()
    return Claim(
        "eq33",
        "eq. (33)",
        "P_d Q_d = 0",
        verdict(defined and residual < 1e-12),
        f"{shapes}, so P_d Q_d is undefined; Q_d P_d = 0 holds (max |Q_d P_d| = {residual:.1e}), "
        "equivalently P_d^T Q_d = 0",
        printed="P_d Q_d = 0",
        correct="Q_d P_d = 0 (P_d^T Q_d = 0)",
        method="numeric",
    )


def claim_lambda_m() -> Claim:
    rng = _rng()
    worst = 0.0
    for n in (3, 4):
        edges = [
            (j, k, float(rng.integers(1, 5)))
            for j in range(1, n + 1)
            for k in range(j + 1, n + 1)
            if rng.random() < 0.7 or k == j + 1
        ]
        net = QuantumNetwork(n, edges)
        gap_d = induced_graph(net).spectral_gap_numeric()
        worst = max(worst, abs(gap_d - net.graph.lambda_m_numeric()))
    return Claim(
        "lambda-m-Qd",
        "Theorems 3-4",
        "lambda_m(Q_d), the smallest non-zero eigenvalue of the 4^n x 4^n induced Laplacian",
        verdict(worst < 1e-9),
        f"equals lambda_m(Q) of the n-node graph (Caputo-Liggett-Richthammer, Aldous' spectral gap "
        f"conjecture, applied to the interchange process): random weighted graphs n = 3, 4, max "
        f"difference {worst:.1e}; blendsym's bounds therefore cost an n x n eigenproblem",
        printed="lambda_m(Q_d) (left to a 4^n eigenproblem)",
        correct="lambda_m(Q_d) = lambda_m(Q)",
        method="numeric (1e-9)",
    )


def claim_example3_reading() -> Claim:
    n = 3
    pairs_gt = [(j, k) for j in range(1, n + 1) for k in range(1, j)]
    pairs_ge = [(j, k) for j in range(1, n + 1) for k in range(1, j + 1)]
    hermitian = {}
    for name, pairs in (("j > k", pairs_gt), ("j >= k", pairs_ge)):
        op = sum((sigma_x(j) * sigma_y(k) for j, k in pairs), 0 * sigma_x(1))
        try:
            QuantumNetwork(n, complete_graph(n), op)
            hermitian[name] = True
        except BlendsymError:
            hermitian[name] = False
    net, _ = example3()
    rep = separability(net)
    return Claim(
        "example3-capacitive",
        "Example 3",
        "H contains the capacitive coupling sum_{j >= K} sigma_x^(j) sigma_y^(k)",
        "erratum" if not hermitian["j >= k"] and hermitian["j > k"] else "not-checkable",
        f"the printed range is malformed (upper-case K, no bounds). Read as j >= k it contains "
        f"sigma_x^(j) sigma_y^(j) = i sigma_z^(j) and H is not Hermitian (constructor: "
        f"{'accepts' if hermitian['j >= k'] else 'refuses'}); read as j > k it is Hermitian "
        f"({'accepted' if hermitian['j > k'] else 'refused'}), so blendsym uses the pairs j > k. "
        f"The model is inseparable: {rep}",
        printed="sum_{j >= K} sigma_x^(j) sigma_y^(k)",
        correct="sum_{j > k} sigma_x^(j) sigma_y^(k)",
    )


def claim_t1_zero_remark() -> Claim:
    """Section 5.3: equal initial reduced states allow T1 = 0 in Theorems 1-4."""
    from ..model.states import partial_trace

    v = np.zeros(4, dtype=complex)
    v[1], v[2] = 1 / np.sqrt(2), 1j / np.sqrt(2)  # (|01> + i|10>)/sqrt2
    rho = np.outer(v, v.conj())
    equal = np.allclose(partial_trace(rho, [1]), partial_trace(rho, [2]))
    c = np.linalg.norm(rho - permutation_invariant_projection(rho))
    return Claim(
        "remark-T1-zero",
        "Section 5.3",
        "If rho_j(0) = rho_k(0) for all j, k, Theorems 1-4 hold with T1 = 0",
        verdict(not (equal and c > 0)),
        f"(|01> + i|10>)/sqrt2 has equal reduced states ({equal}) but ||rho(0) - P_*(rho(0))||_F = "
        f"{c:.4f}, so at t = 0 the distances of Theorems 3-4 equal {c:.4f} whatever K_c: they cannot "
        "hold with T1 = 0 for eta < C. For Theorems 1-2 (reduced states) the remark holds",
        printed="rho_j(0) = rho_k(0) for all j, k",
        correct="for Theorems 3-4: rho(0) permutation invariant (C = 0); equal reduced states suffice for Theorems 1-2",
        method="exact (numeric 1e-12)",
    )


def section5_claims() -> list[Claim]:
    return [
        claim_printed_pm(),
        claim_qd_psd(),
        claim_eq13(),
        claim_eq14(),
        claim_eq15_16(),
        claim_definition2(),
        _theorem_claim(3),
        _theorem_claim(4),
        claim_eq33(),
        claim_lambda_m(),
        claim_example3_reading(),
        claim_t1_zero_remark(),
    ]
