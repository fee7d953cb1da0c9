"""Section 4: Assumption 1, the reduced-state equations (5) and Definition 1."""

import sympy
from _report import agree, show, summary

import blendsym as bs
from blendsym.reduced import check_reduced_state_equations, collective_jump_counterexample

print(__doc__)
net, _ = bs.paper.example1()
show("Assumption 1 for Example 1", bs.separability(net))
agree(
    "(5) is an exact consequence of (4) for every state (not only product states)",
    all(check_reduced_state_equations(net)),
)
for tex in bs.latex.reduced_state_equations_latex(net):
    show("eq. (5)", tex)

ce = collective_jump_counterexample()
agree(
    "Assumption 1 read as L = L_1 (+) L_2 (Kronecker sum) still gives (5)",
    ce["difference"].is_zero_matrix,
    paper="L_l = L_{l,1} (+) ... (+) L_{l,n}",
    computed=f"partial trace minus (5) = {sympy.sstr(ce['difference'])} for L = s-^(1) + s-^(2)",
)

b = bs.blended_reduced_state(net)
agree(
    "Definition 1 as printed, sum gamma D(Lbar), equals the average of the local generators",
    b.printed_generator() == b.generator,
    paper="sum_l gamma_l D((1/n) sum_j L_{l,j})",
    computed="(1/n) sum_j sum_l gamma_l D(L_{l,j}), which is what eq. (9) shows",
)
show("blended equation", b.latex())
summary()
