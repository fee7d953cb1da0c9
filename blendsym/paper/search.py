r"""Adversarial search for counterexamples to the explicit gains :math:`K_c^*` of Theorems 1-4.

For one theorem and one formula for :math:`K_c^*` (``"printed"``: the paper's; ``"blendsym"``:
the one :mod:`blendsym.bounds` uses), the search looks for an initial state, a horizon, an
accuracy :math:`\eta` and a model of the theorem's class for which the network (4), run at that
:math:`K_c^*`, breaks the theorem's promise:

* Theorem 1: :math:`\max_j\|\rho_j(t)-\rho_r\|_F \le Ce^{-\mu t/2}` on :math:`[0,T^*]` and
  :math:`\le\eta` on :math:`[T^*, T^*+H]`, :math:`T^* = \frac2\mu\ln\frac C\eta` (eq. (7));
* Theorem 2: :math:`\max_j\|\rho_j(t)-\rho_b(t)\|_F\le\eta` on :math:`[T_1,T_2]`;
* Theorem 3: :math:`\|\rho(t)-\mathrm{vec}^{-1}(P_d\mathbf y_d(t))\|_F\le\eta` on :math:`[T_1,T_2]`;
* Theorem 4: :math:`\|\rho(t)-\mathcal P_*(\rho(t))\|_F\le\eta` on :math:`[T_1, T_1+H]`.

The objective is the worst ratio distance / promise on a time grid; it is maximised by
``scipy.optimize.minimize`` (Nelder-Mead) over Bloch parameters (product states) or Haar
parameters (pure states, the real and imaginary parts of a normalised vector), started from the
best of a random sample, for every model, state family, :math:`\eta` and horizon of the plan.

Models are drawn with rational coefficients (multiples of 1/4) so that the exact constants of
:mod:`blendsym.bounds` can be computed for every model the search reports.  The search itself
computes its constants in double precision, independently of :mod:`blendsym.bounds`, and
propagates with the matrix exponential of one time step (the reduced-state system (5) for
Theorems 1-2, the full generator :math:`A_d - K_cQ_d` for Theorems 3-4); a violation it finds
is then *confirmed*: :math:`K_c^*` is recomputed by :func:`blendsym.bounds.theorem1` ...
:func:`~blendsym.bounds.theorem4` and the distance by :func:`blendsym.simulate` on the full
network (4) at the violating time.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import scipy.linalg
import scipy.optimize
import sympy

from ..model import operators as ops
from ..model.network import QuantumNetwork
from ._checks import blended_steady_state

__all__ = [
    "ModelSpec",
    "random_model",
    "SearchPlan",
    "thorough_plans",
    "quick_plans",
    "EXAMPLE1",
    "EXAMPLE2",
    "state_from_record",
    "search",
    "confirm",
    "PAPER_SETTINGS",
]

#: the paper-like settings the horizons are multiples of (eta, T1, T2 of the report's claims)
PAPER_SETTINGS = {"eta": 0.05, "T1": 1.0, "T2": 5.0}

_PAULI = {
    "x": ops.sigma_x,
    "y": ops.sigma_y,
    "z": ops.sigma_z,
    "+": ops.sigma_plus,
    "-": ops.sigma_minus,
}

# ----------------------------------------------------------------------------- models


def _q(x) -> sympy.Rational:
    f = Fraction(x).limit_denominator(64)
    return sympy.Rational(f.numerator, f.denominator)


def _operator(terms) -> ops.SiteOperator:
    """``[[coef, [[site, pauli], ...]], ...]`` -> a SiteOperator (rational coefficients)."""
    out = 0 * ops.sigma_x(1)
    for coef, factors in terms:
        term = sympy.Integer(1) * ops.identity()
        for site, p in factors:
            term = term * _PAULI[p](int(site))
        out = out + _q(coef) * term
    return out


@dataclass(frozen=True)
class ModelSpec:
    """A network as data (JSON-able): ``hamiltonian`` and each jump as
    ``[[coefficient, [[site, pauli], ...]], ...]`` (pauli one of ``x y z + -``), jumps as
    ``[rate, terms]``, edges ``[j, k, a_jk]``; coefficients are exact fractions (strings)."""

    n: int
    edges: tuple
    hamiltonian: tuple
    jumps: tuple = ()
    label: str = ""

    def network(self) -> QuantumNetwork:
        h = _operator(self.hamiltonian)
        jumps = [(_q(rate), _operator(t)) for rate, t in self.jumps]
        edges = [(int(j), int(k), _q(a)) for j, k, a in self.edges]
        return QuantumNetwork(self.n, edges, h, jumps)

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "edges": [list(e) for e in self.edges],
            "hamiltonian": [[c, [list(f) for f in fs]] for c, fs in self.hamiltonian],
            "jumps": [[r, [[c, [list(f) for f in fs]] for c, fs in t]] for r, t in self.jumps],
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, d: dict) -> ModelSpec:
        def terms(ts):
            return tuple((str(c), tuple((int(s), str(p)) for s, p in fs)) for c, fs in ts)

        return cls(
            int(d["n"]),
            tuple((int(j), int(k), str(a)) for j, k, a in d["edges"]),
            terms(d["hamiltonian"]),
            tuple((str(r), terms(t)) for r, t in d["jumps"]),
            d.get("label", ""),
        )


def _frac(g: np.random.Generator, lo: float, hi: float, den: int = 4) -> str:
    v = Fraction(int(round(g.uniform(lo, hi) * den)), den)
    return str(v)


def _connected_edges(g: np.random.Generator, n: int) -> tuple:
    """A random connected weighted graph: a random spanning path plus random extra edges."""
    perm = [int(x) + 1 for x in g.permutation(n)]
    edges = {tuple(sorted(e)) for e in zip(perm, perm[1:], strict=False)}
    for e in itertools.combinations(range(1, n + 1), 2):
        if g.random() < 0.4:
            edges.add(e)
    return tuple((j, k, str(Fraction(int(g.integers(1, 5)), 2))) for j, k in sorted(edges))


def random_model(g: np.random.Generator, theorem: int, n: int, kind: str) -> ModelSpec:
    """A random model of a theorem's class.

    Theorems 1-2 (separable, Assumption 1): local fields :math:`a\\sigma_x+b\\sigma_y+c\\sigma_z`
    on each qubit and, for ``kind="dissipative"``, one local jump
    :math:`\\alpha\\sigma_-+\\beta\\sigma_++\\gamma\\sigma_z` per qubit (generic: relaxing);
    ``kind="unitary"`` has no jumps (orbital blended dynamics, Theorem 2 only).
    Theorems 3-4 (any model): local fields, random two-qubit couplings
    :math:`J\\sigma_a^{(j)}\\sigma_b^{(k)}` and a collective jump
    :math:`\\sum_j(\\alpha_j\\sigma_-^{(j)}+\\gamma_j\\sigma_z^{(j)})` (or none, ``"unitary"``).
    """
    edges = _connected_edges(g, n)
    h: list[tuple] = []
    for j in range(1, n + 1):
        for p in "xyz":
            h.append((_frac(g, -1.5, 1.5), ((j, p),)))
    jumps: list[tuple] = []
    if theorem in (3, 4):
        for j, k in itertools.combinations(range(1, n + 1), 2):
            a, b = g.choice(list("xyz")), g.choice(list("xyz"))
            h.append((_frac(g, -1, 1), ((j, str(a)), (k, str(b)))))
        if kind == "dissipative":
            terms: list[tuple] = []
            for j in range(1, n + 1):
                terms.append((_frac(g, 0.25, 1), ((j, "-"),)))
                terms.append((_frac(g, -0.5, 0.5), ((j, "z"),)))
            jumps.append((_frac(g, 0.25, 1), tuple(terms)))
    elif kind == "dissipative":
        for j in range(1, n + 1):
            local_terms = (
                (_frac(g, 0.25, 1.25), ((j, "-"),)),
                (_frac(g, 0, 1), ((j, "+"),)),
                (_frac(g, -0.5, 0.5), ((j, "z"),)),
            )
            jumps.append(("1", local_terms))
    kept = tuple(t for t in h if Fraction(t[0]) != 0) or (("1", ((1, "z"),)),)
    return ModelSpec(n, edges, kept, tuple(jumps), f"random T{theorem} {kind} n={n}")


# ----------------------------------------------------------------------------- states


def _bloch_state(v: np.ndarray) -> np.ndarray:
    """A qubit state from 3 unconstrained numbers: the Bloch vector clamped to the ball."""
    r = np.asarray(v, dtype=float)
    norm = np.linalg.norm(r)
    if norm > 1:
        r = r / norm
    sx = np.array([[0, 1], [1, 0]], dtype=complex)
    sy = np.array([[0, -1j], [1j, 0]])
    sz = np.diag([1.0 + 0j, -1.0])
    return 0.5 * (np.eye(2) + r[0] * sx + r[1] * sy + r[2] * sz)


def _kron(mats) -> np.ndarray:
    out = np.array([[1.0 + 0j]])
    for m in mats:
        out = np.kron(out, m)
    return out


def _perm_matrices(n: int) -> list[np.ndarray]:
    d = 2**n
    out = []
    for perm in itertools.permutations(range(n)):
        u = np.zeros((d, d))
        for idx in range(d):
            bits = [(idx >> (n - 1 - i)) & 1 for i in range(n)]
            new = [bits[perm[i]] for i in range(n)]
            u[sum(b << (n - 1 - i) for i, b in enumerate(new)), idx] = 1
        out.append(u)
    return out


def _cyclic_matrices(n: int) -> list[np.ndarray]:
    perms = _perm_matrices(n)
    cyc = []
    for s in range(n):
        perm = tuple((i + s) % n for i in range(n))
        cyc.append(perms[list(itertools.permutations(range(n))).index(perm)])
    return cyc


#: state families: name -> (number of parameters for n qubits, builder(params, n))
def _family(name: str, n: int):
    d = 2**n
    if name == "product":
        return 3 * n, lambda x: _kron(_bloch_state(x[3 * j : 3 * j + 3]) for j in range(n))
    if name == "product-pure":

        def pure(x):
            out = []
            for j in range(n):
                v = np.asarray(x[3 * j : 3 * j + 3], dtype=float)
                out.append(_bloch_state(v / max(np.linalg.norm(v), 1e-12)))
            return _kron(out)

        return 3 * n, pure
    if name == "equal-marginal-product":
        return 3, lambda x: _kron([_bloch_state(x[:3])] * n)
    if name in ("pure", "entangled-pure"):

        def haar(x):
            v = np.asarray(x[:d]) + 1j * np.asarray(x[d : 2 * d])
            v = v / max(np.linalg.norm(v), 1e-12)
            return np.outer(v, v.conj())

        return 2 * d, haar
    if name == "mixed":

        def ginibre(x):
            a = (np.asarray(x[: 2 * d]) + 1j * np.asarray(x[2 * d : 4 * d])).reshape(d, 2)
            r = a @ a.conj().T
            return r / max(np.trace(r).real, 1e-12)

        return 4 * d, ginibre
    if name == "permutation-invariant":
        perms = _perm_matrices(n)
        _, haar = _family("pure", n)
        return 2 * d, lambda x: sum(u @ haar(x) @ u.T for u in perms) / len(perms)
    if name == "equal-marginal":
        cyc = _cyclic_matrices(n)
        _, haar = _family("pure", n)
        return 2 * d, lambda x: sum(u @ haar(x) @ u.T for u in cyc) / len(cyc)
    raise KeyError(name)


# ----------------------------------------------------------------------------- evaluators


def _num(m) -> np.ndarray:
    return np.array(sympy.Matrix(m).evalf().tolist(), dtype=complex)


def _reduced(rho: np.ndarray, n: int, j: int) -> np.ndarray:
    t = rho.reshape([2] * (2 * n))
    keep = j - 1
    axes = [i for i in range(n) if i != keep]
    for i in sorted(axes, reverse=True):
        t = np.trace(t, axis1=i, axis2=i + t.ndim // 2)
    return t.reshape(2, 2)


def _sup_norm_exp(gen: np.ndarray, t_end: float) -> float:
    r"""A certified :math:`\sup_{[0,T]}\|e^{Gt}\|_2` (grid + :math:`e^{\|G\|h}` step), the
    :math:`M` of :math:`f(t) = M` when the imaginary-axis part is semisimple (m = 0).  The grid
    values come from the eigendecomposition (batched SVDs) when it reproduces
    :math:`e^{GT}` to 1e-10, else from powers of the one-step exponential."""
    na = float(np.linalg.norm(gen, 2))
    num = int(min(20000, max(200, math.ceil(20 * na * t_end))))
    h = t_end / num
    times = np.arange(num + 1) * h
    w, v = np.linalg.eig(gen)
    best = 1.0
    ok = np.linalg.cond(v) < 1e6
    if ok:
        vinv = np.linalg.inv(v)
        ref = scipy.linalg.expm(gen * t_end)
        ok = np.abs(v @ np.diag(np.exp(w * t_end)) @ vinv - ref).max() < 1e-10 * max(
            1.0, np.abs(ref).max()
        )
    if ok:
        for lo in range(0, num + 1, 2000):
            ts = times[lo : lo + 2000]
            arg = np.outer(ts, w)
            arg = np.where(arg.real < -300, -np.inf + 0j, arg)
            e = np.einsum("ij,tj,jk->tik", v, np.exp(arg), vinv)
            best = max(best, float(np.linalg.norm(e, 2, axis=(1, 2)).max()))
    else:
        step = scipy.linalg.expm(gen * h)
        e = np.eye(gen.shape[0], dtype=complex)
        for _ in range(num):
            e = e @ step
            best = max(best, float(np.linalg.norm(e, 2)))
    return best * math.exp(na * h) * (1 + 1e-9)


def _semisimple_on_axis(gen: np.ndarray, tol: float = 1e-7) -> bool:
    w, v = np.linalg.eig(gen)
    on = np.abs(w.real) < tol
    if not on.any():
        return True
    vs = v[:, on]
    return np.linalg.matrix_rank(vs, tol=1e-6) == on.sum()


@dataclass
class _Section4:
    """Numeric pieces of a separable model: local generators, Laplacian, blended generator."""

    spec: ModelSpec

    def __post_init__(self):
        from ..section4.blended import blended_reduced_state

        net = self.spec.network()
        b = blended_reduced_state(net)
        self.n = net.n
        self.local = [_num(g) for g in b.local_generators()]
        self.lap = np.array(net.graph.laplacian_numeric(), dtype=float)
        ev = np.linalg.eigvalsh(self.lap)
        self.lam = float(min(e for e in ev if e > 1e-9))
        self.bar = sum(self.local) / self.n
        self.norm_l = max(float(np.linalg.norm(g, 2)) for g in self.local)
        w, v = np.linalg.eig(self.bar)
        decaying = np.abs(w.real) > 1e-9
        self.relaxing = int((~decaying).sum()) == 1 and abs(w[~decaying][0]) < 1e-9
        self.mu = float(np.min(np.abs(w.real[decaying]))) if decaying.any() else 0.0
        # L_c = sum of the spectral projectors' norms over the decaying eigenvalues
        vinv = np.linalg.inv(v)
        self.l_c = float(
            sum(np.linalg.norm(np.outer(v[:, i], vinv[i]), 2) for i in np.flatnonzero(decaying))
        ) * (1 + 1e-8)
        if self.relaxing:
            k = v[:, ~decaying][:, 0].reshape(2, 2)
            self.rho_r = k / np.trace(k)
        self.semisimple = _semisimple_on_axis(self.bar)
        self._m_cache: dict = {}

    def big_m(self, t2: float) -> float:
        key = round(t2, 9)
        if key not in self._m_cache:
            self._m_cache[key] = _sup_norm_exp(self.bar, t2)
        return self._m_cache[key]

    def c_sigma(self, parts) -> float:
        mean = sum(parts) / self.n
        return math.sqrt(sum(np.linalg.norm(p - mean) ** 2 for p in parts))

    def generator(self, kc: float) -> np.ndarray:
        return scipy.linalg.block_diag(*self.local) - kc * np.kron(self.lap, np.eye(4))


@dataclass
class _Section5:
    spec: ModelSpec

    def __post_init__(self):
        from ..section5.induced import induced_graph

        net = self.spec.network()
        self.n = net.n
        self.a = net.local_liouvillian("scipy").toarray()
        g = induced_graph(net)
        self.qd = g.laplacian.toarray()
        self.pd = g.P_d.toarray()
        self.b = self.pd.T @ self.a @ self.pd
        self.lam = float(net.graph.lambda_m_numeric())
        self.norm_a = float(np.linalg.norm(self.a, 2))
        self.semisimple = _semisimple_on_axis(self.b)
        self._m_cache: dict = {}

    def big_m(self, t2: float) -> float:
        key = round(t2, 9)
        if key not in self._m_cache:
            self._m_cache[key] = _sup_norm_exp(self.b, t2)
        return self._m_cache[key]


def _grid(t_end: float, num: int) -> np.ndarray:
    return np.linspace(0.0, t_end, num + 1)


def _propagate(gen: np.ndarray, x0: np.ndarray, t_end: float, num: int) -> np.ndarray:
    r"""``x(t_i)``, :math:`t_i = i\,t_{end}/num`: by the eigendecomposition of ``gen`` when it
    is well conditioned (cond(V) < 1e6 and V diag(w) V^-1 reproduces ``gen`` to 1e-11),
    else by powers of the one-step exponential."""
    times = _grid(t_end, num)
    x0 = x0.astype(complex)
    w, v = np.linalg.eig(gen)
    if np.linalg.cond(v) < 1e6:
        vinv = np.linalg.inv(v)
        resid = np.abs((v * w) @ vinv - gen).max()
        if resid <= 1e-11 * max(1.0, np.abs(gen).max()):
            arg = np.outer(times, w)
            arg = np.where(arg.real < -300, -np.inf + 0j, arg)  # no denormals
            return (np.exp(arg) * (vinv @ x0)) @ v.T
    h = t_end / num
    step = scipy.linalg.expm(gen * h)
    out = np.empty((num + 1, x0.size), dtype=complex)
    x = x0
    out[0] = x
    for i in range(1, num + 1):
        x = step @ x
        out[i] = x
    return out


def gain(theorem: int, formula: str, model, rho: np.ndarray, eta: float, t1: float, t2: float):
    """``(K_c*, extra)`` of ``theorem`` by ``formula`` ("printed" or "blendsym") in double
    precision (the search's own computation, independent of :mod:`blendsym.bounds`)."""
    n = model.n
    if theorem in (1, 2):
        parts = [_reduced(rho, n, j) for j in range(1, n + 1)]
        cs = model.c_sigma(parts)
        lam, nl = model.lam, model.norm_l
        if theorem == 1:
            mu, lc = model.mu, model.l_c
            d = lc * nl / lam * (cs / n + nl / mu) + n * nl / lam
            c = (1 + math.sqrt(2)) * (cs + lc)
            return max(mu / lam, 2 * (1 + math.sqrt(2)) * d / eta), {
                "C": c,
                "T_star": max(0.0, 2 / mu * math.log(c / eta)),
            }
        big_m = model.big_m(t2)
        k1 = 0.0 if cs == 0 else max(0.0, math.log(2 * cs / eta) / (t1 * lam))
        if formula == "printed":
            d = n * nl / lam + big_m * nl / (n * lam) * cs
        else:
            d = n * nl / lam + big_m * nl / lam * (cs / n + t2 * nl)
        return max(k1, 2 * d / eta), {"C": cs}
    y = rho.ravel()
    c = float(np.linalg.norm(y - model.pd @ (model.pd.T @ y)))
    lam, na = model.lam, model.norm_a
    k1 = 0.0 if c == 0 else max(0.0, math.log(2 * c / eta) / (t1 * lam))
    if theorem == 3:
        big_m = model.big_m(t2)
        d = na / lam + big_m * na / lam * (c + t2 * na)
        return max(k1, 2 * d / eta), {"C": c}
    return max(k1, 2 * na / (eta * lam)), {"C": c}


def distances(theorem: int, model, rho: np.ndarray, kc: float, t_end: float, num: int):
    """``(times, distance)`` along the network at gain ``kc`` (the search's propagation)."""
    n = model.n
    times = _grid(t_end, num)
    if theorem in (1, 2):
        parts = [_reduced(rho, n, j) for j in range(1, n + 1)]
        x = _propagate(model.generator(kc), np.concatenate([p.ravel() for p in parts]), t_end, num)
        if theorem == 1:
            target = np.tile(model.rho_r.ravel(), (len(times), 1))
        else:
            target = _propagate(model.bar, np.asarray(sum(parts)).ravel() / n, t_end, num)
        dist = np.zeros(len(times))
        for j in range(n):
            dist = np.maximum(dist, np.linalg.norm(x[:, 4 * j : 4 * j + 4] - target, axis=1))
        return times, dist
    y = _propagate(model.a - kc * model.qd, rho.ravel(), t_end, num)
    if theorem == 3:
        yd = _propagate(model.b, model.pd.T @ rho.ravel(), t_end, num)
        return times, np.linalg.norm(y - yd @ model.pd.T, axis=1)
    return times, np.linalg.norm(y - (y @ model.pd) @ model.pd.T, axis=1)


def promise(theorem: int, times, eta, t1, t_end, extra) -> np.ndarray:
    """The bound promised at each time (``inf`` where the theorem promises nothing)."""
    if theorem == 1:
        ts = extra["T_star"]
        return np.where(times <= ts, extra["C"] * np.exp(-0.5 * extra["mu"] * times), eta)
    inside = (times >= t1 - 1e-12) & (times <= t_end + 1e-12)
    return np.where(inside, eta, np.inf)


# ----------------------------------------------------------------------------- search


@dataclass
class SearchPlan:
    """The extent of one search: theorem, formula, models, state families, eta values,
    horizon multiples of the paper's (T2 = 5; for Theorems 1 and 4 the length H of the
    checked tail), optimiser evaluations per start."""

    theorem: int
    formula: str
    models: tuple
    families: tuple
    etas: tuple = (0.05,)
    horizons: tuple = (1.0, 10.0, 100.0)
    samples: int = 6
    maxfev: int = 24
    points_per_unit: float = 8.0
    max_points: int = 4000
    seed: int = 20261202


def _ratio(theorem, formula, model, rho, eta, t1, t_end, plan):
    if theorem == 1:
        kc, extra = gain(1, formula, model, rho, eta, t1, t_end)
        extra["mu"] = model.mu
        t_stop = extra["T_star"] + t_end
    else:
        kc, extra = gain(theorem, formula, model, rho, eta, t1, t_end)
        t_stop = t_end if theorem in (2, 3) else t1 + t_end
    num = int(min(plan.max_points, max(100, math.ceil(plan.points_per_unit * t_stop))))
    times, dist = distances(theorem, model, rho, kc, t_stop, num)
    bound = promise(theorem, times, eta, t1, t_stop, extra)
    finite = np.isfinite(bound)
    r = dist[finite] / np.maximum(bound[finite], 1e-300)
    i = int(np.argmax(r))
    return float(r[i]), {
        "kc": kc,
        "time": float(times[finite][i]),
        "distance": float(dist[finite][i]),
        "bound": float(bound[finite][i]),
        "t_end": t_stop,
    }


@dataclass
class SearchResult:
    plan: dict
    evaluations: int
    seconds: float
    worst: dict
    violations: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "plan": self.plan,
            "evaluations": self.evaluations,
            "seconds": self.seconds,
            "worst": self.worst,
            "violations": self.violations,
        }


def search(plan: SearchPlan) -> SearchResult:
    """Run one plan; return the worst case found and every violation (ratio > 1 + 1e-6),
    at most one per (model, family, eta, horizon), each with its state and numbers."""
    g = np.random.default_rng(plan.seed)
    t0 = time.perf_counter()
    evals = 0
    worst = {"ratio": -1.0}
    violations = []
    s = PAPER_SETTINGS
    for spec in plan.models:
        model = _Section4(spec) if plan.theorem in (1, 2) else _Section5(spec)
        if plan.theorem == 1 and not getattr(model, "relaxing", True):
            continue
        if not model.semisimple:
            continue
        for fam in plan.families:
            npar, build = _family(fam, spec.n)
            for eta, hz in itertools.product(plan.etas, plan.horizons):
                t1 = s["T1"]
                t_end = s["T2"] * hz

                def objective(x, eta=eta, t_end=t_end, build=build, t1=t1, model=model):
                    nonlocal evals
                    evals += 1
                    try:
                        r, _ = _ratio(
                            plan.theorem, plan.formula, model, build(x), eta, t1, t_end, plan
                        )
                    except (ValueError, FloatingPointError, np.linalg.LinAlgError):
                        return 0.0
                    return -r

                starts = [g.normal(size=npar) for _ in range(plan.samples)]
                vals = [objective(x) for x in starts]
                x0 = starts[int(np.argmin(vals))]
                res = scipy.optimize.minimize(
                    objective,
                    x0,
                    method="Nelder-Mead",
                    options={"maxfev": plan.maxfev, "xatol": 1e-4, "fatol": 1e-6},
                )
                x = res.x if res.fun <= min(vals) else x0
                rho = build(x)
                r, info = _ratio(plan.theorem, plan.formula, model, rho, eta, t1, t_end, plan)
                record = {
                    "ratio": r,
                    "model": spec.as_dict(),
                    "family": fam,
                    "eta": eta,
                    "T1": t1,
                    "horizon": t_end,
                    "state": _state_record(rho),
                    **info,
                }
                if r > worst["ratio"]:
                    worst = record
                if r > 1 + 1e-6:
                    violations.append(record)
    return SearchResult(
        {
            "theorem": plan.theorem,
            "formula": plan.formula,
            "models": [m.label or f"n={m.n}" for m in plan.models],
            "families": list(plan.families),
            "etas": list(plan.etas),
            "horizons": [s["T2"] * h for h in plan.horizons],
            "samples": plan.samples,
            "maxfev": plan.maxfev,
        },
        evals,
        time.perf_counter() - t0,
        worst,
        violations,
    )


def _state_record(rho: np.ndarray) -> dict:
    return {"re": np.round(rho.real, 12).tolist(), "im": np.round(rho.imag, 12).tolist()}


def state_from_record(d: dict) -> np.ndarray:
    rho = np.asarray(d["re"], dtype=float) + 1j * np.asarray(d["im"], dtype=float)
    rho = (rho + rho.conj().T) / 2
    return rho / np.trace(rho).real


# ----------------------------------------------------------------------------- confirmation


def confirm(theorem: int, formula: str, record: dict, method: str = "auto") -> dict:
    """Re-check a violation with blendsym itself: :math:`K_c^*` from
    :mod:`blendsym.bounds` (the printed value where ``formula == "printed"``) and the distance
    at the violating time from :func:`blendsym.simulate` on the full network (4)."""
    from ..bounds import theorem1, theorem2, theorem3, theorem4
    from ..numeric.evolve import simulate
    from ..section4.blended import blended_reduced_state
    from ..section5.coherent import blended_coherent

    spec = ModelSpec.from_dict(record["model"])
    net = spec.network()
    rho = state_from_record(record["state"])
    eta, t1, t_end, t = record["eta"], record["T1"], record["horizon"], record["time"]
    if theorem == 1:
        b = theorem1(net, rho, eta)
        kc = b.kc_star
    elif theorem == 2:
        b = theorem2(net, rho, eta, t1, t_end)
        kc = b.kc_star if formula == "blendsym" or b.kc_star_printed is None else b.kc_star_printed
    elif theorem == 3:
        b = theorem3(net, rho, eta, t1, t_end)
        kc = b.kc_star
    else:
        b = theorem4(net, rho, eta, t1)
        kc = b.kc_star
    traj = simulate(net, rho, np.array([0.0, t]), kc=kc, method=method)
    state = traj.states[-1]
    if theorem in (1, 2):
        bl = blended_reduced_state(net)
        if theorem == 1:
            target = blended_steady_state(net)
        else:
            mean = sum(_reduced(rho, net.n, j) for j in range(1, net.n + 1)) / net.n
            target = bl.evolve(mean, np.array([0.0, t]))[-1]
        dist = max(
            float(np.linalg.norm(_reduced(state, net.n, j) - target)) for j in range(1, net.n + 1)
        )
    elif theorem == 3:
        lifted = blended_coherent(net).evolve(rho, np.array([0.0, t]))[-1]
        dist = float(np.linalg.norm(state - lifted))
    else:
        from ..model.permutations import permutation_invariant_projection

        dist = float(np.linalg.norm(state - permutation_invariant_projection(state)))
    return {"kc": float(kc), "time": float(t), "distance": dist, "eta": float(eta)}


# ----------------------------------------------------------------------------- plans

_COMPLETE3 = ((1, 2, "1"), (1, 3, "1"), (2, 3, "1"))
#: Example 1 (eq. (8)) and Example 2 (eq. (11) with the diffusive term) as model data
EXAMPLE1 = ModelSpec(
    3,
    _COMPLETE3,
    (("1", ((1, "z"),)),),
    (("1", (("1", ((2, "-"),)),)), ("3", (("1", ((3, "+"),)),))),
    "Example 1",
)
EXAMPLE2 = ModelSpec(
    3,
    _COMPLETE3,
    (("1", ((1, "x"),)), ("1", ((2, "y"),)), ("1", ((3, "z"),))),
    (),
    "Example 2",
)


def _models(theorem: int, layout, seed: int) -> tuple:
    g = np.random.default_rng(seed)
    return tuple(random_model(g, theorem, n, kind) for n, kind in layout)


def thorough_plans() -> list[SearchPlan]:
    """The searches of ``blendsym verify --thorough`` (cached in the package data)."""
    sec4_fams = ("product", "product-pure", "equal-marginal-product")
    sec5_fams = ("pure", "mixed", "product-pure", "permutation-invariant", "equal-marginal")
    etas = (0.5, 0.05, 0.005)
    t1_models = (EXAMPLE1,) + _models(
        1, ((2, "dissipative"), (3, "dissipative"), (4, "dissipative")), 1
    )
    t2_models = (EXAMPLE2,) + _models(
        2, ((2, "unitary"), (3, "unitary"), (3, "dissipative"), (4, "unitary")), 2
    )
    t34_models = _models(3, ((2, "dissipative"), (2, "unitary"), (3, "dissipative")), 3)
    return [
        SearchPlan(1, "printed", t1_models, sec4_fams, etas, (1.0, 100.0)),
        SearchPlan(2, "printed", t2_models, sec4_fams, etas, (1.0, 10.0, 100.0)),
        SearchPlan(2, "blendsym", t2_models, sec4_fams, etas, (1.0, 10.0, 100.0)),
        SearchPlan(3, "printed", t34_models, sec5_fams, (0.5, 0.05), (1.0, 10.0, 100.0)),
        SearchPlan(4, "printed", t34_models, sec5_fams, (0.5, 0.05), (1.0, 100.0)),
    ]


def quick_plans() -> list[SearchPlan]:
    """A small live search per theorem for the default ``blendsym verify`` run."""
    g34 = _models(3, ((2, "dissipative"),), 3)
    small = {"samples": 3, "maxfev": 12, "max_points": 1500}
    return [
        SearchPlan(1, "printed", (EXAMPLE1,), ("product",), (0.05,), (1.0,), **small),
        SearchPlan(2, "printed", (EXAMPLE2,), ("product",), (0.05,), (10.0,), **small),
        SearchPlan(2, "blendsym", (EXAMPLE2,), ("product",), (0.05,), (10.0,), **small),
        SearchPlan(3, "printed", g34, ("pure",), (0.05,), (1.0,), **small),
        SearchPlan(4, "printed", g34, ("pure",), (0.05,), (1.0,), **small),
    ]


def plan_key(theorem: int, formula: str) -> str:
    return f"theorem{theorem}-{formula}"
