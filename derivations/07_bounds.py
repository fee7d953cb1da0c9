"""Theorems 1-4: the coupling gains K_c* with every constant, checked in simulation."""

from _report import agree, show, summary

import blendsym as bs

print(__doc__)
eta = 0.05
net1, rho1 = bs.paper.example1()
net2, rho2 = bs.paper.example2()
net3, rho3 = bs.paper.example3()
cases = [
    (bs.bounds.theorem1(net1, rho1, eta), "Example 1"),
    (bs.bounds.theorem2(net2, rho2, eta, 1.0, 5.0), "Example 2"),
    (bs.bounds.theorem3(net3, rho3, eta, 1.0, 5.0), "Example 3"),
    (bs.bounds.theorem4(net3, rho3, eta, 1.0), "Example 3"),
]
for bound, ex in cases:
    print(f"\n{bound.theorem} on {ex}, eta = {eta}")
    for k, v in bound.constants.as_dict().items():
        if isinstance(v, (int, float)):
            show(k, f"{v:.6g}")
    show("K_c*", f"{bound.kc_star:.6g}")
    if bound.kc_star_printed is not None:
        show("K_c* from the formula as printed", f"{bound.kc_star_printed:.6g}")
    chk = bound.check()
    agree(f"{bound.theorem} holds in simulation at K_c*", chk.holds)
    show("worst distance / promised bound", f"{chk.worst_ratio:.3g}")
    show("smallest K_c meeting eta in simulation", f"{bound.empirical_kc():.4g}")
summary()
