"""Example 2: the initial state, eqs. (11)-(12) and the orbit-following of Figures 2-3."""

import numpy as np
import sympy
from _report import agree, show, summary

import blendsym as bs

print(__doc__)
agree(
    "the printed rho(0) is a density operator",
    bs.is_density(bs.paper.example2_printed_initial_state()),
    paper="|0><0| x (1/2)(|1><1| + |1><0|) x |1><1|",
    computed="its middle factor has trace 1/2 and is not Hermitian; |+><+| is the evident intent",
)
net, rho0 = bs.paper.example2()
b = bs.blended_reduced_state(net)
show("eq. (12)", b.latex())
rb0 = b.initial_state(rho0)
agree(
    "rho_b(0) = (1/2)|1><1| + (1/6)(|0><1| + |1><0|)",
    (rb0 - bs.paper.example2_printed_blended_initial_state()).is_zero_matrix,
    paper=sympy.sstr(bs.paper.example2_printed_blended_initial_state()),
    computed=sympy.sstr(rb0),
)
spec = b.spectral
show("eigenvalues", spec.eigenvalues)
agree("(12) has orbital (non-relaxing) solutions", not spec.is_relaxing)
times = np.linspace(0, 10, 101)
rho_b = b.evolve(rb0, times)
for kc in (1, 10, 40):
    traj = bs.simulate(net, rho0, times, kc=kc)
    d = max(
        np.linalg.norm(traj.reduced(j)[times >= 1] - rho_b[times >= 1], axis=(1, 2)).max()
        for j in (1, 2, 3)
    )
    show(f"K_c = {kc}: max over t in [1, 10], j of ||rho_j - rho_b||_F", f"{d:.3e}")
summary()
