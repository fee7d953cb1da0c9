"""Example 1: eq. (9), its steady state, relaxation rate and Figure 1."""

import numpy as np
import sympy
from _report import agree, show, summary

import blendsym as bs

print(__doc__)
net, rho0 = bs.paper.example1()
b = bs.blended_reduced_state(net)
show("eq. (9)", b.latex())
show("rho_b(0)", b.initial_state(rho0))
spec = b.spectral
show("eigenvalues of the blended generator", spec.eigenvalues)
show("Jordan structure", spec.jordan_structure)
agree("(9) is relaxing", spec.is_relaxing)
rho_r = spec.steady_states[0]
printed = bs.paper.example1_printed_steady_state()
agree(
    "the steady state of (9) is [[2/3, -i/6], [i/6, 1/3]]",
    (sympy.Matrix(rho_r) - printed).is_zero_matrix,
    paper=sympy.sstr(printed),
    computed=sympy.sstr(rho_r),
)
show("mu", spec.mu)
times = np.linspace(0, 20, 5)
for kc in (1, 10, 40):
    traj = bs.simulate(net, rho0, times, kc=kc)
    d = max(
        np.linalg.norm(traj.reduced(j)[-1] - np.array(rho_r.evalf().tolist(), dtype=complex))
        for j in (1, 2, 3)
    )
    show(f"K_c = {kc}: max_j ||rho_j(20) - rho_r||_F", f"{d:.3e}")
summary()
