"""Sections 2-3: the network model (4), its generator, SWAPs and the induced Laplacian."""

import numpy as np
import sympy
from _report import agree, show, summary

import blendsym as bs

print(__doc__)
net, rho0 = bs.paper.example1()
L = net.liouvillian()  # exact, K_c symbolic, row stacking
show(
    "generator of (4) for Example 1",
    f"{L.shape[0]}x{L.shape[1]} exact matrix in {sorted(map(str, L.free_symbols))}",
)

# trace preservation: vec(I)^T L = 0
trace_row = sympy.Matrix([[1 if i == j else 0 for i in range(8) for j in range(8)]])
agree("(4) preserves the trace (vec(I)^T L = 0, exactly)", (trace_row * L).is_zero_matrix)

# D(U_jk) rho = U rho U - rho and U_jk swaps tensor factors
u = sympy.Matrix(net.swap_operator(1, 3))
a, b, c = (sympy.Matrix(2, 2, sympy.symbols(f"{s}0:4")) for s in "abc")
agree(
    "U_13 (a x b x c) U_13 = c x b x a",
    (u * sympy.kronecker_product(a, b, c) * u - sympy.kronecker_product(c, b, a)).is_zero_matrix,
)

# the SWAP part of (4) is -K_c Q_d, Q_d the induced-graph Laplacian
g = bs.induced_graph(net)
swap = net.swap_liouvillian("scipy")
agree("sum a_jk D(U_jk) = -Q_d (row stacking)", abs(swap + g.laplacian).max() == 0)
show("components of the induced graph p", g.n_components)

# simulation stays physical for a large gain
traj = bs.simulate(net, rho0, np.linspace(0, 2, 5), kc=1000)
lam_min = min(np.linalg.eigvalsh(s).min() for s in traj.states)
agree("states stay positive semidefinite at K_c = 1000", lam_min > -1e-10)
show("smallest eigenvalue along the trajectory", f"{lam_min:.2e}")
summary()
