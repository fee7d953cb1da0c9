"""Claims of Section 4 and Appendices A–B (separable models, Examples 1–2, Theorems 1–2)."""

from __future__ import annotations

import math
from typing import cast

import numpy as np
import scipy.integrate
import sympy

from ..bounds import theorem1, theorem2
from ..bounds.constants import Theorem1Constants, Theorem2Constants
from ..errors import InvalidStateError
from ..model.conventions import vec
from ..model.network import QuantumNetwork
from ..model.states import validate_density
from ..numeric.evolve import simulate
from ..section4.blended import blended_reduced_state
from ..section4.reduced import check_reduced_state_equations, collective_jump_counterexample
from .claims import Claim, verdict
from .examples import (
    example1,
    example1_printed_steady_state,
    example2,
    example2_printed_blended_initial_state,
    example2_printed_initial_state,
)

__all__ = ["section4_claims", "THEOREM_SETTINGS"]

#: eta, T1, T2 used to check Theorems 1-2 on Examples 1-2.
THEOREM_SETTINGS = {"eta": 0.05, "T1": 1.0, "T2": 5.0}


def _fmt(m) -> str:
    return sympy.sstr(sympy.Matrix(m).applyfunc(sympy.nsimplify)).replace("Matrix", "")


def claim_assumption1() -> Claim:
    ce = collective_jump_counterexample()
    breaks = not ce["difference"].is_zero_matrix
    return Claim(
        "assumption-1",
        "Assumption 1",
        "Separable jump operators L_l = L_{l,1} (+) ... (+) L_{l,n} give the reduced-state equations (5)",
        "erratum" if breaks else "holds",
        "with L = sigma_-^(1) + sigma_-^(2) (a Kronecker sum) on |+><+| x |+><+|, the partial trace "
        f"of (4) minus the prediction of (5) is {_fmt(ce['difference'])} != 0: the cross terms "
        "L_j rho L_k^dagger depend on correlations. With one jump per qubit (5) is exact (eq5 claim).",
        printed="L_l = L_{l,1} (+) L_{l,2} (+) ... (+) L_{l,n}",
        correct="every jump operator acts on a single qubit (a family {L_{l,j}} of separate jumps)",
    )


def claim_eq5() -> Claim:
    ok1 = all(check_reduced_state_equations(example1()[0]))
    ok2 = all(check_reduced_state_equations(example2()[0]))
    return Claim(
        "eq5",
        "eq. (5)",
        "Under Assumption 1 each reduced state obeys d rho_j/dt = L_j rho_j + K_c sum a_jk (rho_k - rho_j)",
        verdict(ok1 and ok2),
        "exact identity of 4 x 64 matrices, K_c symbolic: partial-trace map composed with the "
        "generator of (4) equals the right side of (5) composed with the partial traces, for "
        "Examples 1 and 2 - so (5) holds for every state, not only the product states Assumption 1 asks for",
    )


def claim_definition1() -> Claim:
    net, _ = example1()
    b = blended_reduced_state(net)
    diff = (sympy.Matrix(b.printed_generator()) - sympy.Matrix(b.generator)).applyfunc(
        sympy.simplify
    )
    agrees = diff.is_zero_matrix
    return Claim(
        "definition-1",
        "Definition 1",
        "The blended reduced-state dynamics is d rho_b/dt = -i/hbar [Hbar, rho_b] + sum_l gamma_l D(Lbar_l) rho_b, "
        "Lbar_l = (1/n) sum_j L_{l,j}",
        verdict(agrees),
        "Example 1: the printed form gives (1/9)(D(sigma_-) + D(sqrt3 sigma_+)); the average of the "
        "local generators of (5) (what eq. (3) prescribes, what Appendix A uses and what eq. (9) "
        "prints) gives (1/3)(...). The 4x4 generators differ exactly; D is quadratic in L, so "
        "averaging L is not averaging D(L)",
        printed="sum_l gamma_l D(Lbar_l), Lbar_l = (1/n) sum_j L_{l,j}",
        correct="(1/n) sum_j sum_l gamma_l D(L_{l,j}) (the average of the local generators L_j)",
    )


def claim_eq9() -> Claim:
    from ..model.conventions import (
        SIGMA_MINUS,
        SIGMA_PLUS,
        SIGMA_Z,
        dissipator_superop,
        hamiltonian_superop,
    )

    net, rho0 = example1()
    b = blended_reduced_state(net)
    eq9 = (
        sympy.Matrix(hamiltonian_superop(SIGMA_Z / 3, 1, "sympy"))
        + sympy.Rational(1, 3) * sympy.Matrix(dissipator_superop(SIGMA_MINUS, "sympy"))
        + sympy.Rational(1, 3)
        * sympy.Matrix(dissipator_superop(sympy.sqrt(3) * SIGMA_PLUS, "sympy"))
    )
    ok = (eq9 - sympy.Matrix(b.generator)).applyfunc(sympy.simplify).is_zero_matrix
    ok0 = b.initial_state(rho0) == sympy.eye(2) / 2
    return Claim(
        "eq9",
        "eq. (9)",
        "Example 1's blended dynamics is -i/hbar[sigma_z/3, rho_b] + (1/3)(D(sigma_-) + D(sqrt3 sigma_+)) "
        "with rho_b(0) = I/2",
        verdict(ok and ok0),
        "exact: the average of the three local generators equals the printed (9); the average of "
        "the reduced initial states is I/2",
    )


def claim_example1_steady_state() -> Claim:
    net, rho0 = example1()
    b = blended_reduced_state(net)
    spec = b.spectral
    rho_r = sympy.Matrix(spec.steady_states[0])
    printed = example1_printed_steady_state()
    residual = (sympy.Matrix(b.generator) * vec(printed)).applyfunc(sympy.simplify)
    agrees = residual.is_zero_matrix and spec.is_relaxing
    times = np.array([0.0, 30.0])
    traj = simulate(net, rho0, times, kc=40.0)
    r_num = np.array(rho_r.evalf().tolist(), dtype=complex)
    p_num = np.array(printed.evalf().tolist(), dtype=complex)
    d_true = max(np.linalg.norm(traj.reduced(j)[-1] - r_num) for j in (1, 2, 3))
    d_printed = min(np.linalg.norm(traj.reduced(j)[-1] - p_num) for j in (1, 2, 3))
    return Claim(
        "example1-steady-state",
        "Example 1",
        "(9) is relaxing with the unique steady state rho_r = [[2/3, -i/6], [i/6, 1/3]]",
        verdict(agrees),
        f"relaxing: {spec.is_relaxing} (kernel of the exact 4x4 generator is 1-dimensional, other "
        f"eigenvalues {sorted(map(str, spec.eigenvalues))}). The exact kernel gives rho_r = {_fmt(rho_r)}; "
        f"the printed matrix is not stationary: Lbar vec(printed) = {_fmt(residual.T)}. "
        f"Simulation of (8) at K_c = 40, t = 30: max_j ||rho_j - rho_r(computed)||_F = {d_true:.2e}, "
        f"min_j ||rho_j - rho_r(printed)||_F = {d_printed:.3f}",
        printed="rho_r = [[2/3, -i/6], [i/6, 1/3]]",
        correct=f"rho_r = {_fmt(rho_r)}",
        method="exact + simulation",
    )


def claim_theorem1() -> Claim:
    net, rho0 = example1()
    eta = THEOREM_SETTINGS["eta"]
    bound = theorem1(net, rho0, eta)
    chk = bound.check()
    k_emp = bound.empirical_kc()
    c = cast(Theorem1Constants, bound.constants)
    return Claim(
        "theorem-1",
        "Theorem 1",
        "For K_c >= K_c* = max{mu/lambda_m(Q), 2(1+sqrt2)D/eta} the reduced states satisfy (7)",
        verdict(chk.holds),
        f"Example 1, eta = {eta}: mu = {c.mu:.4g}, lambda_m(Q) = {c.lambda_m:.4g}, "
        f"||L|| = {c.norm_L:.4g}, L_c = {c.L_c:.4g}, C = {c.C:.4g}, D = {c.D:.4g}, "
        f"K_c* = {bound.kc_star:.4g}; simulating (8) at K_c* on {len(chk.times)} times in "
        f"[0, {bound.window[1]:.3g}]: worst distance/bound = {chk.worst_ratio:.3g}. "
        f"Smallest K_c meeting eta after T* = {c.T_star:.3g} in simulation: {k_emp:.3g} "
        f"(K_c* is {bound.kc_star / k_emp:.3g} times larger)",
        method="simulation",
    )


def claim_theorem1_proof() -> Claim:
    """Appendix A: from E(t) <= C1 e^{-mu t} + D/K_c to (22)."""
    net, rho0 = example1()
    eta = THEOREM_SETTINGS["eta"]
    bound = theorem1(net, rho0, eta)
    c1 = cast(Theorem1Constants, bound.constants).C / (1 + math.sqrt(2))
    eta1 = eta / (1 + math.sqrt(2))
    d_over_k = (
        cast(Theorem1Constants, bound.constants).D / bound.kc_star
    )  # = eta1 / 2 when the second term dominates
    at_zero = c1 + d_over_k
    holds = at_zero <= c1
    return Claim(
        "appendix-A-22",
        "Appendix A, (22)",
        "E(t) <= C1 e^{-min(mu, K_c lambda_m) t} + D/K_c with K_c >= K_c*(eta1) gives "
        "E(t) <= C1 e^{-mu t/2} on [0, (2/mu) ln(C1/eta1)]",
        verdict(holds),
        f"Example 1: at t = 0 the derived bound is C1 + D/K_c* = {at_zero:.4g} > C1 = {c1:.4g}, so "
        "the envelope C1 e^{-mu t/2} does not follow near t = 0 (it needs "
        "C1 e^{-mu t/2}(1 - e^{-mu t/2}) >= D/K_c, false for small t). Theorem 1 itself still "
        "holds in simulation (theorem-1 claim): the factor (1 + sqrt2) in C leaves room",
        printed="E(t) <= C1 e^{-mu t/2} for 0 <= t <= (2/mu) ln(C1/eta1)",
        correct=f"E(t) <= C1 e^{{-mu t}} + eta1/2 (eta1 = {eta1:.3g}); the e^{{-mu t/2}} envelope needs a larger constant",
        method="numeric",
    )


def claim_theorem2() -> Claim:
    net, rho0 = example2()
    s = THEOREM_SETTINGS
    bound = theorem2(net, rho0, s["eta"], s["T1"], s["T2"])
    chk = bound.check()
    c = cast(Theorem2Constants, bound.constants)
    printed = bound.kc_star_printed
    chk_printed = bound.check(kc=printed) if printed is not None else chk
    agrees = printed is None
    k_emp = bound.empirical_kc()
    return Claim(
        "theorem-2",
        "Theorem 2",
        "For K_c >= K_c* = max{ln(2C/eta)/(T1 lambda_m), 2D(T2)/eta}, "
        "D(T2) = n||L||/lambda_m + f(T2)||L|| C/(n lambda_m), max_j ||rho_j - rho_b|| <= eta on [T1, T2]",
        verdict(agrees),
        f"Example 2, eta = {s['eta']}, [T1, T2] = [{s['T1']}, {s['T2']}]: lambda_m = {c.lambda_m:.4g}, "
        f"||L|| = {c.norm_L:.4g}, C = {c.C:.4g}, m = {c.m}, M = {c.M:.4g}, "
        f"f(T2) = {c.f_T2:.4g}. The bound (30) gives D(T2) = n||L||/lambda_m + "
        f"f(T2)||L||/lambda_m (C/n + T2 ||L||) = {c.D_T2:.4g}; the printed D(T2) drops "
        f"f(T2) T2 ||L||^2/lambda_m and gives {c.D_T2_printed:.4g}. K_c* = {bound.kc_star:.4g} "
        f"(printed formula: {printed if printed is None else f'{printed:.4g}'}). Simulation at K_c*: "
        f"{'holds' if chk.holds else 'VIOLATED'} (worst ratio {chk.worst_ratio:.3g}); at the printed "
        f"K_c*: {'holds' if chk_printed.holds else 'violated'} (worst ratio {chk_printed.worst_ratio:.3g}); "
        f"smallest K_c meeting eta in simulation: {k_emp:.3g}",
        printed="D(T2) = n||L||/lambda_m + f(T2)||L|| C / (n lambda_m)",
        correct="D(T2) = n||L||/lambda_m + f(T2)||L||/lambda_m (C/n + T2 ||L||), from (25) and (30)",
        method="numeric + simulation",
    )


def claim_eq30_sign() -> Claim:
    k, lam, t = 3.0, 1.5, 2.0
    integral = scipy.integrate.quad(lambda s: math.exp(-k * lam * s), 0, t)[0]
    printed = (1 - math.exp(k * lam * t)) / (k * lam)
    correct = (1 - math.exp(-k * lam * t)) / (k * lam)
    return Claim(
        "eq30",
        "eq. (30)",
        "int_0^t e^{-K_c lambda_m tau} dtau = (1 - e^{K_c lambda_m t})/(K_c lambda_m)",
        verdict(abs(printed - integral) < 1e-9),
        f"quadrature at K_c = {k}, lambda_m = {lam}, t = {t}: {integral:.6g}; printed expression "
        f"{printed:.6g}; with the minus sign {correct:.6g}",
        printed="(1 - e^{K_c lambda_m(Q) t}) / (K_c lambda_m(Q))",
        correct="(1 - e^{-K_c lambda_m(Q) t}) / (K_c lambda_m(Q))",
        method="numeric (quadrature)",
    )


def claim_example2_initial_state() -> Claim:
    printed = example2_printed_initial_state()
    try:
        validate_density(printed)
        valid = True
        why = ""
    except InvalidStateError as exc:
        valid = False
        why = str(exc)
    middle = sympy.Matrix([[0, 0], [sympy.Rational(1, 2), sympy.Rational(1, 2)]])
    return Claim(
        "example2-initial-state",
        "Example 2",
        "rho(0) = |0><0| x (1/2)(|1><1| + |1><0|) x |1><1|",
        verdict(valid),
        f"the printed operator is refused: {why}; its middle factor {_fmt(middle)} has trace "
        f"{middle.trace()} and is not Hermitian. The printed rho_b(0) has off-diagonal 1/6 = (1/3)(1/2), "
        "so the middle qubit has coherence 1/2; positivity then forces populations 1/2, i.e. |+><+|",
        printed="|0><0| x (1/2)(|1><1| + |1><0|) x |1><1|",
        correct="|0><0| x |+><+| x |1><1|, |+> = (|0> + |1>)/sqrt2 (the only state matching the printed rho_b(0) coherence)",
    )


def claim_eq11() -> Claim:
    net, rho0 = example2()
    printed_net = QuantumNetwork(3, [], net.hamiltonian, [], coupling=1)  # (11) as printed
    b = blended_reduced_state(net)
    times = np.linspace(0, 5, 51)
    rho_b = b.evolve(b.initial_state(rho0), times)
    dist = {}
    for kc in (1.0, 40.0):
        traj = simulate(printed_net, rho0, times, kc=kc)
        dist[("printed", kc)] = max(
            np.linalg.norm(traj.reduced(j)[-1] - rho_b[-1]) for j in (1, 2, 3)
        )
        traj = simulate(net, rho0, times, kc=kc)
        dist[("coupled", kc)] = max(
            np.linalg.norm(traj.reduced(j)[-1] - rho_b[-1]) for j in (1, 2, 3)
        )
    independent = abs(dist[("printed", 1.0)] - dist[("printed", 40.0)]) < 1e-12
    return Claim(
        "eq11",
        "eq. (11)",
        "Example 2's network is d rho/dt = -i/hbar [sigma_x^(1) + sigma_y^(2) + sigma_z^(3), rho]",
        verdict(not independent),
        f"as printed, (11) has no diffusive term, so its reduced states do not depend on K_c: "
        f"max_j ||rho_j(5) - rho_b(5)|| = {dist[('printed', 1.0)]:.4f} at K_c = 1 and "
        f"{dist[('printed', 40.0)]:.4f} at K_c = 40, contradicting Figs. 2-3 and Theorem 2. "
        f"With the diffusive term of (4): {dist[('coupled', 1.0)]:.4f} and {dist[('coupled', 40.0)]:.4f}",
        printed="d rho/dt = -i/hbar [sigma_x^(1) + sigma_y^(2) + sigma_z^(3), rho]",
        correct="d rho/dt = -i/hbar [sigma_x^(1) + sigma_y^(2) + sigma_z^(3), rho] + K_c sum_{j,k} D(U_jk) rho",
        method="simulation",
    )


def claim_eq12() -> Claim:
    from ..model.conventions import SIGMA_X, SIGMA_Y, SIGMA_Z, hamiltonian_superop

    net, rho0 = example2()
    b = blended_reduced_state(net)
    eq12 = sympy.Matrix(hamiltonian_superop((SIGMA_X + SIGMA_Y + SIGMA_Z) / 3, 1, "sympy"))
    ok = (eq12 - sympy.Matrix(b.generator)).applyfunc(sympy.simplify).is_zero_matrix
    spec = b.spectral
    orbital = not spec.is_relaxing and any(sympy.re(ev) == 0 and ev != 0 for ev in spec.eigenvalues)
    return Claim(
        "eq12",
        "eq. (12)",
        "Example 2's blended dynamics is -i/hbar [(sigma_x + sigma_y + sigma_z)/3, rho_b], with orbital solutions",
        verdict(ok and orbital),
        f"exact: equals the average of the local generators; eigenvalues {sorted(map(str, spec.eigenvalues))} "
        f"with Jordan blocks {spec.jordan_structure}: non-zero purely imaginary eigenvalues, not relaxing",
    )


def claim_example2_blended_initial_state() -> Claim:
    net, rho0 = example2()
    b = blended_reduced_state(net)
    correct = sympy.Matrix(b.initial_state(rho0))
    printed = example2_printed_blended_initial_state()
    ok = (correct - printed).is_zero_matrix
    return Claim(
        "example2-rho-b0",
        "Example 2",
        "rho_b(0) = (1/2)|1><1| + (1/6)|0><1| + (1/6)|1><0|",
        verdict(ok),
        f"(1/3)(|0><0| + |+><+| + |1><1|) = {_fmt(correct)}; the printed matrix has trace "
        f"{printed.trace()} (the (1/2)|0><0| term is missing)",
        printed="(1/2)|1><1| + (1/6)|0><1| + (1/6)|1><0|",
        correct="(1/2)|0><0| + (1/2)|1><1| + (1/6)|0><1| + (1/6)|1><0|",
    )


def section4_claims() -> list[Claim]:
    return [
        claim_assumption1(),
        claim_eq5(),
        claim_definition1(),
        claim_eq9(),
        claim_example1_steady_state(),
        claim_theorem1(),
        claim_theorem1_proof(),
        claim_theorem2(),
        claim_eq30_sign(),
        claim_example2_initial_state(),
        claim_eq11(),
        claim_eq12(),
        claim_example2_blended_initial_state(),
    ]
