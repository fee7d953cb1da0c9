r"""Theorems 3 and 4 (Section 5.3): coupling gains for the blended coherent dynamics.

Notation: :math:`\tilde{\mathbf y} = \mathrm{vec}\,\rho` obeys
:math:`\dot{\tilde{\mathbf y}} = (A_d - K_cQ_d)\tilde{\mathbf y}` (eq. (14), sign corrected),
:math:`B = P_d^\top A_dP_d` is the blended coherent generator (17) and
:math:`\tilde{\boldsymbol\nu} = S_d^\top\tilde{\mathbf y}` the part of the state outside
:math:`\ker Q_d`, :math:`\|\tilde{\boldsymbol\nu}(t)\| = \|\rho(t) - \mathcal P_*(\rho(t))\|_F`
(eq. (37)).

Constants (Appendices C–D), each computed
-----------------------------------------
* :math:`C = \|\rho(0) - \mathcal P_*(\rho(0))\|_F = \|\tilde{\boldsymbol\nu}(0)\|`.
* :math:`\|A_d\|`: spectral norm of the :math:`4^n\times4^n` row-stacking matrix of
  :math:`A_d` (the Hamiltonian and dissipative part of (4)).  For :math:`n\le5` the dense
  :math:`2`-norm (an SVD of at most :math:`1024\times1024`, LAPACK accuracy); beyond, the
  largest singular value from ``scipy.sparse.linalg.svds`` (ARPACK, converged to machine
  precision by default; Lanczos approaches the top of the spectrum from below, so the value
  is inflated by the relative safety factor ``1 + 1e-8`` to remain an upper bound).
* :math:`\lambda_m(Q_d)`: the smallest non-zero eigenvalue of :math:`Q_d`.  It equals
  :math:`\lambda_m(Q)` of the :math:`n`-node graph: restricted to a component of
  :math:`G_d`, :math:`Q_d` is the generator of an exclusion process with four particle
  colours, a quotient of the interchange process on :math:`S_n`, so its non-zero spectrum is
  a subset of the interchange spectrum, whose gap is :math:`\lambda_m(Q)` by the
  Caputo–Liggett–Richthammer theorem (Aldous' spectral gap conjecture: P. Caputo,
  T. M. Liggett, T. Richthammer, *Proof of Aldous' spectral gap conjecture*, J. Amer. Math.
  Soc. 23 (2010) 831–851); and the component of the words with one letter different from the
  others is the random walk on :math:`G` itself, which attains :math:`\lambda_m(Q)`.  So an
  :math:`O(n^3)` (exact) eigenproblem replaces a :math:`4^n` one (``tests`` compare with
  :meth:`~blendsym.induced.InducedGraph.spectral_gap_numeric`).
* :math:`m_d, M_d` with :math:`\|e^{Bt}\|\le f_d(t) = M_d\sum_{j=0}^{m_d}t^j` on
  :math:`[0,T_2]`: :math:`m_d + 1` is the size of the largest Jordan block of :math:`B` **on the
  imaginary axis** (exact, :mod:`blendsym.spectral`), and :math:`M_d` the certified
  :meth:`~blendsym.spectral.SpectralAnalysis.norm_bound_constant` on :math:`[0,T_2]`.
  The paper says ":math:`m_d` the index of the largest block in the Jordan form of
  :math:`A_d`"; the proof of (36) bounds :math:`\|e^{P_d^\top A_dP_dt}\|`, so the exponent must
  come from :math:`B = P_d^\top A_dP_d`, and only its blocks with :math:`\mathrm{Re}\,\lambda = 0`
  grow polynomially (decaying blocks are absorbed in :math:`M_d`).

Theorem 3: :math:`D(T_2) = \frac{\|A_d\|}{\lambda_m} + \frac{f_d(T_2)\|A_d\|}{\lambda_m}
(C + T_2\|A_d\|)`, :math:`K_c^* = \max\{\frac1{T_1\lambda_m}\ln\frac{2C}\eta,\ \frac{2D(T_2)}\eta\}`
and the proof gives, for every :math:`K_c` and :math:`t\in[0,T_2]`,

.. math::  \|\rho(t) - \mathrm{vec}^{-1}(\tilde{\mathbf y}_d(t))\|_F \le
           Ce^{-K_c\lambda_mt} + D(t)/K_c           \qquad(\text{(35)+(36)})

(:func:`theorem3_envelope`).  Theorem 4: :math:`K_c^* = \max\{\frac1{T_1\lambda_m}\ln\frac{2C}
\eta,\ \frac{2\|A_d\|}{\eta\lambda_m}\}` from (35):
:math:`\|\rho(t)-\mathcal P_*(\rho(t))\|_F\le Ce^{-K_c\lambda_mt}+\frac{\|A_d\|}{K_c\lambda_m}
(1-e^{-K_c\lambda_mt})` (:func:`theorem4_envelope`).  The printed formulas are the ones used.
When :math:`C = 0` (a permutation-invariant :math:`\rho(0)`) the first term is 0 and
:math:`T_1 = 0` is allowed; when :math:`2C\le\eta` it is :math:`\le 0` and dropped.

Disconnected graphs
-------------------
The proofs of Appendices C-D use of :math:`Q_d` only an orthonormal basis :math:`P_d` of
its kernel, its complement :math:`S_d` and the smallest non-zero eigenvalue
:math:`\lambda_m(Q_d)`; (13) enters only to identify :math:`\|\tilde{\boldsymbol\nu}\|` with
a distance to the invariant states (eq. (37)).  For :math:`G` with components
:math:`C_1,\dots,C_r` (``docs/theory.md``, "Section 5 on a disconnected graph") the kernel is
spanned by the orbits of :math:`G_\times = S_{C_1}\times\cdots\times S_{C_r}`,
:math:`P_dP_d^\top = \mathcal P_\times` (the average over :math:`G_\times`), and
:math:`\lambda_m(Q_d) = \min\{\lambda_2(Q_{C_i}) : |C_i|\ge2\}`, the smallest non-zero
eigenvalue of :math:`Q` again.  So both theorems hold verbatim with
:math:`\mathcal P_*\to\mathcal P_\times` (in :math:`C` and in Theorem 4's promise), the
blended coherent dynamics of the product group and that :math:`\lambda_m`; the bound's
``components`` says which components they were computed on.  Single-qubit components add no
coupling and do not enter :math:`\lambda_m`; a graph without edges (every component a single
qubit) has :math:`Q_d = 0` and no :math:`\lambda_m`, and is refused.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import numpy as np
import scipy.sparse.linalg as spla

from .._validate import check_instance, check_real, check_times
from ..errors import InvalidArgumentError, NotComputableError
from ..model.network import QuantumNetwork
from ..model.permutations import permutation_invariant_projection
from ..model.states import validate_density
from ..model.structured_states import is_structured_state
from ..numeric.evolve import simulate
from ..section5.coherent import blended_coherent
from ..section5.pi_basis import MAX_LIFT_QUBITS
from ._common import TheoremBound, check_eta, check_interval, check_positive_time
from .certified import coherent_promise
from .coherent_scale import coherent_constants_at_scale
from .constants import CoherentConstants, Theorem3Constants, Theorem4Constants
from .spectral_norms import norm_bound_constant

__all__ = [
    "component_gaps",
    "theorem3",
    "theorem4",
    "coherent_constants",
    "local_liouvillian_norm",
    "theorem3_envelope",
    "theorem4_envelope",
]

#: Largest n for which ||A_d|| is computed with a dense SVD (4^5 = 1024).
DENSE_NORM_MAX_QUBITS = 5
#: Relative safety factor applied to the iterative (svds) estimate of ||A_d||.
SVDS_SAFETY = 1e-8


def _coherent_of(net: QuantumNetwork):
    """The network's BlendedCoherent (kept in its memo: the exact spectral analysis is done
    once per network)."""
    return blended_coherent(net)


def _numeric_state(rho) -> np.ndarray:
    if hasattr(rho, "evalf"):
        return np.array(rho.evalf().tolist(), dtype=complex)
    return np.asarray(rho, dtype=complex)


def _counting(a, progress) -> spla.LinearOperator:
    """``a`` as a LinearOperator whose every product (with ``a`` or its adjoint) advances
    ``progress`` by one."""
    ah = a.conj().T.tocsr()

    def matvec(x):
        progress.update(1)
        return a @ x

    def rmatvec(x):
        progress.update(1)
        return ah @ x

    return spla.LinearOperator(a.shape, matvec=matvec, rmatvec=rmatvec, dtype=a.dtype)


def local_liouvillian_norm(net: QuantumNetwork) -> tuple[float, str]:
    r""":math:`\|A_d\|_2` and the method used (``"dense"`` or ``"svds"``), see the module notes.

    From :data:`blendsym._progress.NORM_MIN_QUBITS` qubits on a progress bar counts the
    products with :math:`A_d` and :math:`A_d^\dagger` ``svds`` makes (tqdm installed, a
    terminal)."""
    from .._progress import NORM_MIN_QUBITS, bar, enabled

    shown = net.n > DENSE_NORM_MAX_QUBITS and net.n >= NORM_MIN_QUBITS
    with bar(None, f"Theorems 3-4: ||A_d|| by svds (n={net.n})", shown) as progress:
        a = net.local_liouvillian("scipy")
        if a.nnz == 0:
            return 0.0, "dense"
        if net.n <= DENSE_NORM_MAX_QUBITS:
            return float(np.linalg.norm(a.toarray(), 2)), "dense"
        op = _counting(a, progress) if shown and enabled() else a
        s = spla.svds(op, k=1, return_singular_vectors=False, tol=0)
    return float(s[0]) * (1 + SVDS_SAFETY), "svds"


def component_gaps(net: QuantumNetwork) -> list[tuple[tuple[int, ...], float]]:
    r"""``[(sites, lambda_2(Q_C)), ...]`` for every connected component :math:`C` of :math:`G`
    with at least two qubits (``eigvalsh`` of its own Laplacian, for the notes; the theorems
    use the exact :math:`\lambda_m(Q)`, which is their minimum)."""
    q = net.graph.laplacian_numeric()
    out = []
    for comp in net.graph.components:
        if len(comp) >= 2:
            idx = [s - 1 for s in comp]
            out.append((tuple(comp), float(np.linalg.eigvalsh(q[np.ix_(idx, idx)])[1])))
    return out


def _gap_notes(net: QuantumNetwork) -> list[str]:
    if net.graph.is_connected:
        return ["lambda_m(Q_d) = lambda_m(Q) (Caputo-Liggett-Richthammer theorem)"]
    gaps = component_gaps(net)
    sites, lam = min(gaps, key=lambda g: g[1])
    singles = [c for c in net.graph.components if len(c) == 1]
    text = (
        f"disconnected G with components {net.graph.components}: P_d P_d^T is the average over "
        "S_C1 x ... x S_Cr, and lambda_m(Q_d) = min over the components with >= 2 qubits of "
        f"lambda_2(Q_C) (Caputo-Liggett-Richthammer per component) = {lam:.6g}, attained on "
        f"sites {list(sites)}"
    )
    if singles:
        text += f"; the single qubits {singles} have no coupling and do not enter lambda_m"
    return [text]


def _setup(net: QuantumNetwork, rho0):
    """The shared constants, the blended coherent dynamics and the numeric initial state."""
    check_instance(net, QuantumNetwork, "net")
    if not net.graph.edges:
        raise NotComputableError(
            "Theorems 3-4 need a graph with edges: every component of G is a single qubit, "
            "Q_d = 0 has no non-zero eigenvalue lambda_m (and (4) has no coupling)"
        )
    if is_structured_state(rho0):  # any n: no 2^n or 4^n object (bounds/coherent_scale.py)
        coh = _coherent_of(net)
        k = coherent_constants_at_scale(net, rho0, coh)
        shared = CoherentConstants(
            n=net.n,
            p=coh.p,
            lambda_m=k["lambda_m(Q_d)"],
            norm_A_d=k["||A_d||"],
            norm_A_d_method=k["||A_d|| method"],
            C=k["C"],
            lambda_m_kind=k["lambda_m(Q_d) kind"],
            norm_A_d_kind=k["||A_d|| kind"],
            C_kind=k["C kind"],
        )
        rho = _numeric_state(rho0.dense()) if net.n <= MAX_LIFT_QUBITS else None
        return shared, coh, rho
    rho = _numeric_state(validate_density(rho0, name="rho0", n=net.n))
    blocks = None if net.graph.is_connected else net.graph.components
    c = float(np.linalg.norm(rho - permutation_invariant_projection(rho, blocks), "fro"))
    norm_a, how = local_liouvillian_norm(net)
    coh = _coherent_of(net)
    shared = CoherentConstants(
        n=net.n,
        p=coh.p,
        lambda_m=float(net.graph.lambda_m),
        norm_A_d=norm_a,
        norm_A_d_method=how,
        C=c,
        lambda_m_kind="exact",
        norm_A_d_kind="numeric",
        C_kind="numeric",
    )
    return shared, coh, rho


def coherent_constants(net: QuantumNetwork, rho0) -> CoherentConstants:
    r"""Constants shared by Theorems 3–4: :math:`n, p, \lambda_m(Q_d), \|A_d\|, C` (a
    :class:`~blendsym.bounds.constants.CoherentConstants`).

    On a disconnected graph :math:`C = \|\rho(0) - \mathcal P_\times(\rho(0))\|_F` with the
    average :math:`\mathcal P_\times` over :math:`S_{C_1}\times\cdots\times S_{C_r}` and
    :math:`\lambda_m(Q_d) = \min_i\lambda_2(Q_{C_i})` over the components with two or more
    qubits (module docstring).  Raises :class:`~blendsym.errors.InvalidArgumentError` when
    ``net`` is not a :class:`~blendsym.QuantumNetwork`,
    :class:`~blendsym.errors.NotComputableError` for a network without edges.
    """
    return _setup(net, rho0)[0]


def _fields(k: CoherentConstants) -> dict:
    """The shared fields of ``k``, to build a theorem's record from them."""
    return {f.name: getattr(k, f.name) for f in dataclasses.fields(CoherentConstants)}


def _constant(constants, name: str, label: str) -> float:
    """A constant from a theorem record, or from a mapping keyed by the paper's labels."""
    if isinstance(constants, Mapping):
        try:
            return constants[label]
        except KeyError:
            pass
    if hasattr(constants, name):
        return getattr(constants, name)
    raise InvalidArgumentError(
        f"constants must be the .constants of a Theorem 3/4 bound (a record with {name}, or a "
        f"mapping with the key {label!r}): found {type(constants).__name__} without it"
    )


def _first_gain(c: float, eta: float, t1: float, lam: float) -> float:
    if c == 0:
        return 0.0
    if t1 == 0:
        raise NotComputableError(
            f"T1 = 0 is allowed only for a permutation-invariant rho(0) (C = 0): found C = {c:.3g}"
        )
    return max(0.0, math.log(2 * c / eta) / (t1 * lam))


def theorem3_envelope(constants: dict, kc: float, times) -> np.ndarray:
    r"""The proof's bound :math:`Ce^{-K_c\lambda_mt} + D(t)/K_c` (Appendix C) at ``times``
    (valid on :math:`[0, T_2]`, where :math:`M_d` is certified)."""
    t = check_times(times)
    kc = check_real(kc, "kc", positive=True)
    lam = _constant(constants, "lambda_m", "lambda_m(Q_d)")
    na, c = _constant(constants, "norm_A_d", "||A_d||"), _constant(constants, "C", "C")
    m, big_m = _constant(constants, "m_d", "m_d"), _constant(constants, "M_d", "M_d")
    f = big_m * sum(t**j for j in range(int(m) + 1))
    d = na / lam + f * na / lam * (c + t * na)
    return c * np.exp(-kc * lam * t) + d / kc


def theorem4_envelope(constants: dict, kc: float, times) -> np.ndarray:
    r"""The bound (35): :math:`Ce^{-K_c\lambda_mt}+\frac{\|A_d\|}{K_c\lambda_m}(1-e^{-K_c\lambda_mt})`."""
    t = check_times(times)
    kc = check_real(kc, "kc", positive=True)
    lam = _constant(constants, "lambda_m", "lambda_m(Q_d)")
    na, c = _constant(constants, "norm_A_d", "||A_d||"), _constant(constants, "C", "C")
    e = np.exp(-kc * lam * t)
    return c * e + na / (kc * lam) * (1 - e)


def _window_rhs(times: np.ndarray, eta: float, t1: float, t2: float) -> np.ndarray:
    inside = (times >= t1 - 1e-12) & (times <= t2 + 1e-12)
    return np.where(inside, eta, np.inf)


def theorem3(net: QuantumNetwork, rho0, eta, T1, T2) -> TheoremBound:
    r"""Theorem 3: :math:`K_c^*` for :math:`\|\rho(t)-\mathrm{vec}^{-1}(\tilde{\mathbf y}_d(t))\|_F
    \le\eta` on :math:`[T_1,T_2]`, :math:`\tilde{\mathbf y}_d = P_d\mathbf y_d`, :math:`\mathbf y_d`
    from (17).  Every constant is computed (module docstring); ``check`` simulates (4)."""
    eta = check_eta(eta)
    t1, t2 = check_interval(T1, T2)
    k, coh, rho = _setup(net, rho0)
    spec = coh.spectral
    m_d = int(spec.f_degree)
    big_m = float(norm_bound_constant(spec, t2, label="Theorem 3: M_d on [0, T2]"))
    lam, na, c = k.lambda_m, k.norm_A_d, k.C
    f_t2 = big_m * sum(t2**j for j in range(m_d + 1))
    d_t2 = na / lam + f_t2 * na / lam * (c + t2 * na)
    k1 = _first_gain(c, eta, t1, lam)
    k2 = 2 * d_t2 / eta
    constants = Theorem3Constants(
        **_fields(k), m_d=m_d, M_d=big_m, f_d_T2=f_t2, D_T2=d_t2, K_c1=k1, K_c2=k2
    )
    cache: dict = {}

    def lifted(times: np.ndarray) -> np.ndarray:
        key = times.tobytes()
        if key not in cache:
            cache.clear()
            cache[key] = coh.evolve(rho, times)
        return cache[key]

    def measure(kc, times):
        times = np.asarray(times, dtype=float)
        traj = simulate(net, rho, times, kc=kc)
        lhs = np.linalg.norm(traj.states - lifted(times), axis=(1, 2))
        return lhs, _window_rhs(times, eta, t1, t2)

    return TheoremBound(
        "Theorem 3",
        max(k1, k2),
        constants,
        eta,
        (t1, t2),
        notes=[
            "m_d + 1 = largest Jordan block on the imaginary axis of B = P_d^T A_d P_d (exact); "
            "the paper says 'of A_d', but the proof bounds ||exp(P_d^T A_d P_d t)||",
            "M_d = certified sup over [0, T2] of ||exp(B t)|| / sum_j t^j",
            *_gap_notes(net),
            f"||A_d|| by {k.norm_A_d_method}",
        ],
        components=coh.graph_components,
        _measure=measure,
        _promise=lambda: coherent_promise(net, rho0, coh, eta, (t1, t2), lifted=True),
    )


def theorem4(net: QuantumNetwork, rho0, eta, T1, t_final=None) -> TheoremBound:
    r"""Theorem 4: :math:`K_c^*` for :math:`\|\rho(t)-\mathcal P_*(\rho(t))\|_F\le\eta` for
    :math:`t\ge T_1` (:math:`\mathcal P_\times` of the components on a disconnected graph).
    The promise is for all :math:`t\ge T_1`; ``check`` evaluates it on
    :math:`[T_1, t_{final}]` (default :math:`t_{final} = \max(10, 10T_1)`)."""
    eta = check_eta(eta)
    t1 = check_positive_time(T1, "T1", allow_zero=True)
    t_end = max(10.0, 10.0 * t1) if t_final is None else check_positive_time(t_final, "t_final")
    if t_end < t1:
        raise InvalidArgumentError(f"t_final must be >= T1: found T1={t1:g}, t_final={t_end:g}")
    k, coh, rho = _setup(net, rho0)
    lam, na, c = k.lambda_m, k.norm_A_d, k.C
    k1 = _first_gain(c, eta, t1, lam)
    k2 = 2 * na / (eta * lam)
    constants = Theorem4Constants(**_fields(k), K_c1=k1, K_c2=k2)

    def measure(kc, times):
        if rho is None:
            raise NotComputableError(f"checking Theorem 4 simulates the network: n = {net.n}")
        pd = coh.induced.P_d
        times = np.asarray(times, dtype=float)
        traj = simulate(net, rho, times, kc=kc)
        ys = traj.states.reshape(len(times), -1)
        sym = (pd @ (pd.T @ ys.T)).T
        lhs = np.linalg.norm(ys - sym, axis=1)
        return lhs, _window_rhs(times, eta, t1, t_end)

    return TheoremBound(
        "Theorem 4",
        max(k1, k2),
        constants,
        eta,
        (t1, t_end),
        notes=[
            *_gap_notes(net),
            f"||A_d|| by {k.norm_A_d_method}",
            "the promise holds for all t >= T1; it is checked on [T1, t_final]",
        ],
        components=coh.graph_components,
        _measure=measure,
        _promise=lambda: coherent_promise(net, rho0, coh, eta, (t1, t_end), lifted=False),
    )
