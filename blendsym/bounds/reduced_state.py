r"""Theorems 1 and 2 (Section 4): coupling gains for the blended reduced-state dynamics.

Constants (Appendix A–B)
------------------------
* :math:`\lambda_m(Q)`: smallest non-zero eigenvalue of the graph Laplacian (exact).
* :math:`\|\mathcal L\| = \|\bigoplus_j\mathcal L_j\| = \max_j\|\mathcal L_j\|`: spectral norm of
  the row-stacking matrices of the local generators (eq. (19)).
* :math:`\mu`: smallest non-zero :math:`|\mathrm{Re}\,\lambda|` of :math:`\bar{\mathcal L}` (exact).
* :math:`C_\Sigma = \sqrt{\sum_j\|\rho_j(0)-\bar\rho(0)\|_F^2}`.
* :math:`L_c` (left implicit by the paper): a constant with
  :math:`\|e^{\bar{\mathcal L}t}\Pi_s x\| \le L_c e^{-\mu t}\|x\|`, :math:`\Pi_s` the spectral
  projector on the decaying modes; computed as :math:`\sum_k\|v_k\|\|w_k\|` over the decaying
  eigenpairs (:meth:`blendsym.spectral.SpectralAnalysis.lipschitz_constant`).  It bounds
  :math:`\|\bar\rho(t)\|_{\mathbb S}` because :math:`x - \Pi_s x\in\mathbb S`.
* :math:`f(t) = M\sum_{j=0}^m t^j` (Theorem 2, left implicit): :math:`m` + 1 is the largest
  Jordan block of :math:`\bar{\mathcal L}` on the imaginary axis (exact), and :math:`M` a
  certified bound of :math:`\sup_{[0,T_2]}\|e^{\bar{\mathcal L}t}\|/\sum_j t^j`
  (:meth:`~blendsym.spectral.SpectralAnalysis.norm_bound_constant`).

Theorem 1: :math:`K_c^* = \max\{\mu/\lambda_m(Q),\ 2(1+\sqrt2)D/\eta\}` with
:math:`D = \frac{L_c\|\mathcal L\|}{\lambda_m}\big(\frac{C_\Sigma}{n} + \frac{\|\mathcal L\|}{\mu}\big) + \frac{n\|\mathcal L\|}{\lambda_m}`
and :math:`C = (1+\sqrt2)(C_\Sigma + L_c)`; promise (7).

Theorem 2: :math:`K_c^* = \max\{\frac{1}{T_1\lambda_m}\ln\frac{2C}{\eta},\ \frac{2D(T_2)}{\eta}\}`,
:math:`C = C_\Sigma`.  The proof of Appendix B, with (29) repaired (the forcing
:math:`\frac1n\sum_j\mathcal L_j(\rho_j-\bar\rho)` has norm at most
:math:`\frac{\|\mathcal L\|}{\sqrt n}\sqrt{\sum_j\|\rho_j-\bar\rho\|_F^2}`, not
:math:`\frac{\|\mathcal L\|}{n}\max_j\|\rho_j-\bar\rho\|_F`), gives

.. math::  D(t) = \frac{n\|\mathcal L\|}{\lambda_m} + \frac{f(t)\|\mathcal L\|}{\lambda_m}
           \Big(\frac{C_\Sigma}{\sqrt n} + t\,\|\mathcal L\|\Big)

(derivation in docs/verification.md), whereas the printed :math:`D(T_2)` drops the term
:math:`f(T_2)T_2\|\mathcal L\|^2/\lambda_m` coming from the :math:`t\|\mathcal L\|/(K_c\lambda_m)`
part of (24), and divides the :math:`C_\Sigma` term by :math:`n`.  ``theorem2`` uses the
bound that follows from (30) and reports the printed value as ``kc_star_printed``.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import sympy

from .._validate import check_instance
from ..errors import NotComputableError
from ..model.network import QuantumNetwork
from ..model.states import partial_trace, reduced_states, validate_density
from ..numeric.evolve import simulate
from ..section4.blended import blended_reduced_state
from ._common import TheoremBound, check_eta, check_interval, check_positive_time
from .certified import reduced_state_promise
from .constants import ReducedStateConstants, Theorem1Constants, Theorem2Constants
from .spectral_norms import norm_bound_constant

__all__ = ["theorem1", "theorem2", "reduced_state_constants"]


def _numeric_state(rho) -> np.ndarray:
    if hasattr(rho, "evalf"):
        return np.array(rho.evalf().tolist(), dtype=complex)
    return np.asarray(rho, dtype=complex)


def _component(net: QuantumNetwork, rho0, component, theorem: str):
    """``(net, rho0, sites)`` of the network the theorem is applied to: the whole connected
    network, or the subnetwork of one connected component of G with the marginal of
    ``rho0`` on its qubits (which evolves autonomously, QuantumNetwork.subnetwork)."""
    check_instance(net, QuantumNetwork, "net")
    b = blended_reduced_state(net)
    comps = b.components
    if component is None:
        if len(comps) > 1:
            raise NotComputableError(
                f"{theorem} holds per connected component of G, which has {len(comps)}: "
                f"{net.graph.components}; pass component=i (0-based) for each component of at least "
                "two qubits (the bound then uses that component's lambda_m and blended dynamics)"
            )
        return net, rho0, None
    part = b.component(component)
    if len(comps) == 1:
        return net, rho0, part.sites
    if part.n == 1:
        raise NotComputableError(
            f"{theorem}: component {part.sites} of G is a single qubit: no coupling acts on "
            "it, and its reduced state follows its own local generator, which is its blended "
            "dynamics (eq. (6) with n = 1), exactly for every K_c"
        )
    rho = validate_density(rho0, name="rho0", n=net.n)
    return part.network, partial_trace(rho, list(part.sites)), part.sites


def _setup(net: QuantumNetwork, rho0):
    """The shared constants and what the theorems need besides them: the blended dynamics,
    the numeric initial state and the mean of its reduced states."""
    check_instance(net, QuantumNetwork, "net")
    b = blended_reduced_state(net)
    if not net.graph.is_connected:  # pragma: no cover - _component chose a component
        raise NotComputableError(
            "Theorems 1-2 assume a connected graph G (Section 3): "
            f"found {net.graph.n_components} components {net.graph.components}"
        )
    rho = _numeric_state(validate_density(rho0, name="rho0", n=net.n))
    parts = [_numeric_state(r) for r in reduced_states(rho)]
    mean = sum(parts) / net.n
    c_sigma = math.sqrt(sum(np.linalg.norm(p - mean, "fro") ** 2 for p in parts))
    norms = []
    for g in b.local_generators():
        if g.free_symbols:
            raise NotComputableError(
                f"local generator has free symbols {sorted(map(str, g.free_symbols))}: "
                "substitute numeric rates first (net.subs)"
            )
        norms.append(np.linalg.norm(np.array(g.evalf().tolist(), dtype=complex), 2))
    shared = ReducedStateConstants(
        n=net.n,
        lambda_m=float(net.graph.lambda_m),
        norm_L=float(max(norms)),
        C_Sigma=c_sigma,
    )
    return shared, b, rho, mean


def reduced_state_constants(net: QuantumNetwork, rho0, *, component=None) -> ReducedStateConstants:
    r"""The constants shared by Theorems 1–2: :math:`n, \lambda_m(Q), \|\mathcal L\|,
    C_\Sigma` (a :class:`~blendsym.bounds.constants.ReducedStateConstants`); of one connected
    component of :math:`G` with ``component=i``."""
    net, rho0, _ = _component(net, rho0, component, "reduced_state_constants")
    return _setup(net, rho0)[0]


def _fields(k: ReducedStateConstants) -> dict:
    """The shared fields of ``k``, to build a theorem's record from them."""
    return {f.name: getattr(k, f.name) for f in dataclasses.fields(ReducedStateConstants)}


def _distance_series(net, rho0, kc, times, target):
    """max_j ||rho_j(t) - target(t)||_F along the full network at gain kc."""
    traj = simulate(net, rho0, times, kc=kc)
    dist = np.zeros(len(times))
    for j in range(1, net.n + 1):
        dist = np.maximum(dist, np.linalg.norm(traj.reduced(j) - target, axis=(1, 2)))
    return dist


def theorem1(
    net: QuantumNetwork, rho0, eta, t_final: float | None = None, *, component: int | None = None
) -> TheoremBound:
    r"""Theorem 1: :math:`K_c^*` for :math:`\max_j\|\rho_j(t)-\rho_r\|_F \le \eta` after :math:`T^*`.

    Requires a separable network (Assumption 1) whose blended dynamics is relaxing.
    The check evaluates (7): :math:`\le Ce^{-\mu t/2}` on :math:`[0, T^*]` and :math:`\le\eta`
    on :math:`[T^*, t_{final}]` with :math:`T^* = \frac2\mu\ln\frac C\eta`
    (default :math:`t_{final} = T^* + 5/\mu`).

    On a disconnected graph the theorem holds per connected component (``docs/theory.md``):
    ``component=i`` applies it to ``blended_reduced_state(net).components[i]``, with
    :math:`\lambda_m` of that component's Laplacian and its own blended dynamics.
    """
    eta = check_eta(eta)
    t_final = None if t_final is None else check_positive_time(t_final, "t_final")
    net, rho0, sites = _component(net, rho0, component, "Theorem 1")
    k, b, rho, _ = _setup(net, rho0)
    spec = b.spectral
    if not spec.is_relaxing:
        raise NotComputableError(
            "Theorem 1 needs relaxing blended dynamics (6): the blended generator has "
            f"{len(spec.steady_states)} independent steady states or undamped modes; use Theorem 2"
        )
    rho_r = _numeric_state(spec.steady_states[0])
    mu = float(spec.mu)
    lam, norm_l, c_sigma, n = k.lambda_m, k.norm_L, k.C_Sigma, k.n
    l_c = float(spec.lipschitz_constant())
    d = l_c * norm_l / lam * (c_sigma / n + norm_l / mu) + n * norm_l / lam
    c = (1 + math.sqrt(2)) * (c_sigma + l_c)
    kc_star = max(mu / lam, 2 * (1 + math.sqrt(2)) * d / eta)
    t_star = max(0.0, 2 / mu * math.log(c / eta))
    t_end = t_star + 5 / mu if t_final is None else t_final
    constants = Theorem1Constants(
        **_fields(k),
        mu=mu,
        L_c=l_c,
        D=d,
        C=c,
        T_star=t_star,
        rho_r=sympy.ImmutableMatrix(spec.steady_states[0]),
    )

    def measure(kc, times):
        lhs = _distance_series(net, rho, kc, times, rho_r)
        rhs = np.where(times <= t_star, c * np.exp(-mu * times / 2), eta)
        return lhs, rhs

    return TheoremBound(
        "Theorem 1" if sites is None else f"Theorem 1 (component {component}, sites {list(sites)})",
        kc_star,
        constants,
        eta,
        (t_star, t_end),
        notes=[
            "L_c = sum over the decaying eigenvalues of ||N^j Pi|| (j/(e delta))^j / j! "
            "(spectral projectors Pi, nilpotent parts N: Jordan chains at exceptional points)",
        ],
        _promise=lambda: reduced_state_promise(
            net, rho0, spec.steady_states[0], None, eta, (t_star, t_end)
        ),
        sites=None if sites is None else tuple(sites),
        _measure=measure,
    )


def theorem2(
    net: QuantumNetwork, rho0, eta, T1, T2, *, component: int | None = None
) -> TheoremBound:
    r"""Theorem 2: :math:`K_c^*` for :math:`\max_j\|\rho_j(t)-\rho_b(t)\|_F\le\eta` on :math:`[T_1,T_2]`.

    ``component=i``: the theorem for one connected component of a disconnected graph (as in
    :func:`theorem1`)."""
    eta = check_eta(eta)
    t1, t2 = check_interval(T1, T2)
    net, rho0, sites = _component(net, rho0, component, "Theorem 2")
    k, b, rho, mean0 = _setup(net, rho0)
    spec = b.spectral
    lam, norm_l, c_sigma, n = k.lambda_m, k.norm_L, k.C_Sigma, k.n
    m = int(spec.f_degree)
    big_m = float(norm_bound_constant(spec, t2, label="Theorem 2: M on [0, T2]"))
    f_t2 = big_m * sum(t2**j for j in range(m + 1))
    d_proof = n * norm_l / lam + f_t2 * norm_l / lam * (c_sigma / math.sqrt(n) + t2 * norm_l)
    d_printed = n * norm_l / lam + f_t2 * norm_l / (n * lam) * c_sigma
    c = c_sigma
    if c == 0:
        k1 = 0.0
    elif t1 == 0:
        raise NotComputableError(
            f"T1 = 0 is allowed only when all reduced states start equal (C = 0): found C = {c:.3g}"
        )
    else:
        k1 = max(0.0, math.log(2 * c / eta) / (t1 * lam))
    kc_star = max(k1, 2 * d_proof / eta)
    kc_printed = max(k1, 2 * d_printed / eta)
    constants = Theorem2Constants(
        **_fields(k),
        m=m,
        M=big_m,
        f_T2=f_t2,
        D_T2=d_proof,
        D_T2_printed=d_printed,
        C=c,
        K_c1=k1,
    )

    def measure(kc, times):
        rho_b = b.evolve(mean0, times)
        lhs = _distance_series(net, rho, kc, times, rho_b)
        rhs = np.where((times >= t1 - 1e-12) & (times <= t2 + 1e-12), eta, np.inf)
        return lhs, rhs

    return TheoremBound(
        "Theorem 2" if sites is None else f"Theorem 2 (component {component}, sites {list(sites)})",
        kc_star,
        constants,
        eta,
        (t1, t2),
        kc_star_printed=kc_printed if not math.isclose(kc_printed, kc_star) else None,
        notes=[
            "m + 1 = largest Jordan block of the blended generator on the imaginary axis (exact)",
            "M = certified sup over [0, T2] of ||exp(L t)|| / sum_j t^j (grid + Lipschitz step)",
            "D(T2) from (30) keeps f(T2) T2 ||L||^2 / lambda_m, which the printed D(T2) drops",
        ],
        _promise=lambda: reduced_state_promise(
            net, rho0, b.initial_state(rho0), b.generator, eta, (t1, t2)
        ),
        sites=None if sites is None else tuple(sites),
        _measure=measure,
    )
