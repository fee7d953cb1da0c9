"""Example 3: the Dicke-type model (18), its blended coherent dynamics and Figures 6-7."""

import numpy as np
from _report import agree, show, summary

import blendsym as bs

print(__doc__)
net, rho0 = bs.paper.example3()
show("model", bs.latex.network_equation_latex(net))
show("Assumption 1", bs.separability(net))
agree("(18) is inseparable", not bs.is_separable(net))
c = bs.blended_coherent(net)
show("p", c.induced.n_components)
show("blended coherent generator", f"{c.generator.shape} exact matrix")
spec = c.spectral
show("relaxing", spec.is_relaxing)
show("Jordan structure decided exactly", spec.exact)
show("largest Jordan block on the imaginary axis", spec.largest_block_on_imaginary_axis)
times = np.linspace(0, 10, 11)
for kc in (5, 20, 80):
    traj = bs.simulate(net, rho0, times, kc=kc)
    lifted = c.evolve(rho0, times)
    err = np.linalg.norm(traj.states - lifted, axis=(1, 2))[times >= 1].max()
    pi_err = max(
        np.linalg.norm(s - bs.permutation_invariant_projection(s)) for s in traj.states[times >= 1]
    )
    show(
        f"K_c = {kc}: max_t>=1 ||rho - vec^-1(y~_d)||_F, ||rho - P_*(rho)||_F",
        f"{err:.3e}, {pi_err:.3e}",
    )
summary()
