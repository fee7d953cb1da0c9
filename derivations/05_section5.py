"""Section 5: the induced graph, P_d, the projection (13), the vectorised form (14)."""

import math

import numpy as np
from _report import agree, show, summary

import blendsym as bs
from blendsym.induced import printed_p_m
from blendsym.permutations import permutation_invariant_projection_literal

print(__doc__)
net, _ = bs.paper.example3(coupling=2)
g = bs.induced_graph(net)
show("nodes of G_d", g.dim)
show("components p", g.n_components)
agree(
    "p = C(n+3, 3): components are orbits of pairs of bit strings",
    g.n_components == math.comb(6, 3),
)

P = g.P_d.toarray()
pp = printed_p_m(g).toarray()
agree(
    "the printed p_m (entries 1/|V_m|) are orthonormal",
    np.allclose(pp.T @ pp, np.eye(g.n_components)),
    paper="[p_m]_k = 1/|V_m|",
    computed="entries 1/sqrt(|V_m|) are needed for P_d^T P_d = I",
)
agree("P_d^T P_d = I with entries 1/sqrt(|V_m|)", np.allclose(P.T @ P, np.eye(g.n_components)))

rng = np.random.default_rng(1)
a = rng.normal(size=(8, 8)) + 1j * rng.normal(size=(8, 8))
rho = a @ a.conj().T
rho /= np.trace(rho)
lhs = (P @ P.T @ rho.ravel()).reshape(8, 8)
agree(
    "(13): P_d P_d^T vec(rho) = vec(P_*(rho)) (literal average over 3! permutations)",
    np.allclose(lhs, permutation_invariant_projection_literal(rho), atol=1e-13),
)
agree(
    "fast P_* (through the orbits) equals the literal average",
    np.allclose(
        bs.permutation_invariant_projection(rho), permutation_invariant_projection_literal(rho)
    ),
)

full = net.liouvillian(backend="scipy").toarray()
a_d = net.local_liouvillian("scipy").toarray()
q_d = g.laplacian.toarray()
agree(
    "(14) with +K_c Q_d",
    np.allclose(full, a_d + 2 * q_d),
    paper="d y/dt = A_d y + K_c Q_d y",
    computed="d y/dt = A_d y - K_c Q_d y (Q_d is positive semidefinite)",
)
show("lambda_m(Q_d) (4^n eigenproblem)", f"{g.spectral_gap_numeric():.12f}")
show("lambda_m(Q) (n x n, exact)", net.graph.lambda_m)
agree(
    "lambda_m(Q_d) = lambda_m(Q) (Caputo-Liggett-Richthammer)",
    abs(g.spectral_gap_numeric() - float(net.graph.lambda_m)) < 1e-9,
)
summary()
