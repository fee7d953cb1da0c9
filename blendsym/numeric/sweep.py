r"""Parameter sweeps on any :class:`concurrent.futures.Executor`.

blendsym's users sweep the coupling gain :math:`K_c`, look for the empirical threshold
:math:`K_c^*` above which a promise of Theorems 1-4 holds, and repeat both over batches of
random models.  Every task here is a simulation of eq. (4), independent of the others, so
they run on an executor:

* default: a local :class:`~concurrent.futures.ProcessPoolExecutor` (one worker per core;
  each simulation uses one BLAS thread), created and shut down by the call;
* any other :class:`~concurrent.futures.Executor`: a ``ThreadPoolExecutor`` (no pickling;
  NumPy and SciPy release the GIL in the heavy kernels), or Dask's
  ``distributed.Client(...).get_executor()`` to spread the tasks over a cluster::

      from dask.distributed import Client
      client = Client("scheduler-address:8786")        # or Client() for a local cluster
      sweep = kc_sweep(net, rho0, times, kcs, executor=client.get_executor())

For a process pool or a Dask cluster the task function and its arguments are pickled:
measures must be module-level functions (like the ones below), not lambdas.  A network
pickles as its model only (its memo of derived matrices stays behind), and the built-in
measures of reduced states (``"reduced_states"``, ``"disagreement"``, :class:`ConsensusCheck`)
simulate with ``observe="reduced"``, so no task holds the :math:`4^n` states.  Results
come back in the order of the inputs and equal those of a serial run (the computations
are deterministic).  With ``tqdm`` installed, sweeps of more than a few tasks show a
progress bar (``progress=False`` turns it off).

Functions
---------
``map_tasks(fn, items)``: the building block, ``[fn(x) for x in items]`` on an executor.
``kc_sweep(net, rho0, times, kcs, measure=...)``: one simulation per gain.
``empirical_kc(ok, lo, hi)``: parallel geometric bisection for the smallest gain with
``ok(K_c)`` true; ``ConsensusCheck`` is a ready-made picklable ``ok``.
``random_network(n, seed)``, ``model_sweep(fn, n, seeds)``: batches of random models.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from .._validate import check_real_array
from ..errors import InvalidArgumentError
from ..model.graph import Graph
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator, sigma_minus, sigma_x, sigma_y, sigma_z
from .evolve import DEFAULT_TOL, simulate

__all__ = [
    "map_tasks",
    "default_executor",
    "kc_sweep",
    "KcSweep",
    "empirical_kc",
    "ConsensusCheck",
    "reduced_states",
    "disagreement",
    "final_state",
    "random_network",
    "model_sweep",
]


# ----------------------------------------------------------------------------- the executor


def default_executor(max_workers: int | None = None) -> cf.ProcessPoolExecutor:
    """A local process pool with one worker per core (or ``max_workers``)."""
    return cf.ProcessPoolExecutor(max_workers=max_workers or os.cpu_count() or 1)


def _workers(executor) -> int:
    for attr in ("_max_workers",):
        k = getattr(executor, attr, None)
        if isinstance(k, int) and k > 0:
            return k
    return os.cpu_count() or 1


def _progress_bar(total: int, desc: str, progress: bool | None):
    if progress is False or (progress is None and total < 8):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=desc, leave=False)


def map_tasks(
    fn: Callable[[Any], Any],
    items: Iterable,
    *,
    executor: cf.Executor | None = None,
    progress: bool | None = None,
    desc: str = "blendsym sweep",
) -> list:
    """``[fn(x) for x in items]`` evaluated on ``executor``, results in input order.

    ``executor=None`` creates a local process pool for the call.  The first exception
    raised by a task is re-raised here (the remaining tasks are cancelled).
    """
    items = list(items)
    if not callable(fn):
        raise InvalidArgumentError(f"fn must be callable: found {type(fn).__name__}")
    if executor is not None and not hasattr(executor, "submit"):
        raise InvalidArgumentError(
            "executor must be a concurrent.futures.Executor (with submit): found "
            f"{type(executor).__name__}"
        )
    if not items:
        return []
    owned = executor is None
    ex: cf.Executor = (
        default_executor(min(len(items), os.cpu_count() or 1)) if executor is None else executor
    )
    bar = _progress_bar(len(items), desc, progress)
    results: list = [None] * len(items)
    try:
        futures = {ex.submit(fn, x): i for i, x in enumerate(items)}
        try:
            for fut in cf.as_completed(futures):
                results[futures[fut]] = fut.result()
                if bar is not None:
                    bar.update(1)
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
    finally:
        if bar is not None:
            bar.close()
        if owned:
            ex.shutdown(wait=True, cancel_futures=True)
    return results


# ----------------------------------------------------------------------------- measures


def final_state(traj) -> np.ndarray:
    """The last state of the trajectory, shape ``(2^n, 2^n)``."""
    return traj.states[-1]


def reduced_states(traj) -> np.ndarray:
    r"""Every qubit's reduced state at every time, shape ``(T, n, 2, 2)``."""
    return np.stack([traj.reduced(j) for j in range(1, traj.n + 1)], axis=1)


def disagreement(traj) -> np.ndarray:
    r""":math:`\max_{j} \|\rho_j(t) - \bar\rho(t)\|_F` at every time, with
    :math:`\bar\rho = \frac1n\sum_j\rho_j` (zero exactly at consensus)."""
    red = reduced_states(traj)
    mean = red.mean(axis=1, keepdims=True)
    return np.linalg.norm(red - mean, axis=(2, 3)).max(axis=1)


_MEASURES: dict[str, Callable] = {
    "final_state": final_state,
    "reduced_states": reduced_states,
    "disagreement": disagreement,
}


#: Measures that need only the reduced states: their simulations run with
#: ``observe="reduced"`` (memory O(T n) instead of O(T 4^n)).
_REDUCED_MEASURES = (reduced_states, disagreement)


def _observe_for(fn: Callable) -> str:
    return "reduced" if fn in _REDUCED_MEASURES else "states"


def _resolve_measure(measure) -> Callable:
    if measure is None:
        return reduced_states
    if isinstance(measure, str):
        try:
            return _MEASURES[measure]
        except KeyError:
            raise InvalidArgumentError(
                f"measure must be one of {sorted(_MEASURES)} or a function: found {measure!r}"
            ) from None
    if not callable(measure):
        raise InvalidArgumentError(f"measure must be callable: found {type(measure).__name__}")
    return measure


# ----------------------------------------------------------------------------- K_c sweeps


@dataclass(frozen=True)
class _SimulateTask:
    """One simulation at one gain (module level, hence picklable)."""

    net: QuantumNetwork
    rho0: Any
    times: np.ndarray
    measure: Callable
    method: str
    tol: float
    observe: str = "states"

    def __call__(self, kc):
        traj = simulate(
            self.net,
            self.rho0,
            self.times,
            kc=kc,
            method=self.method,
            tol=self.tol,
            observe=self.observe,
        )
        return self.measure(traj)


@dataclass
class KcSweep:
    """Results of :func:`kc_sweep`: ``values[i]`` is ``measure(trajectory at kcs[i])``."""

    kcs: np.ndarray
    times: np.ndarray
    values: list
    measure: str

    def as_array(self) -> np.ndarray:
        """The values stacked along a first axis (when they share a shape)."""
        return np.stack([np.asarray(v) for v in self.values])


def _numeric_state(rho0):
    if isinstance(rho0, sympy.MatrixBase):
        return np.array(rho0.evalf().tolist(), dtype=complex)
    return np.asarray(rho0)


def kc_sweep(
    net: QuantumNetwork,
    rho0,
    times,
    kcs: Sequence[float],
    *,
    measure: str | Callable | None = "reduced_states",
    method: str = "auto",
    tol: float = DEFAULT_TOL,
    executor: cf.Executor | None = None,
    progress: bool | None = None,
) -> KcSweep:
    r"""Simulate eq. (4) at every gain in ``kcs`` and keep ``measure(trajectory)``.

    ``measure``: ``"reduced_states"`` (default, ``(T, n, 2, 2)``), ``"disagreement"``
    (``(T,)``), ``"final_state"``, or a module-level function of a
    :class:`~blendsym.evolve.Trajectory` (a lambda works with threads only).
    """
    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
    gains = check_real_array(kcs, "kcs", positive=True)
    fn = _resolve_measure(measure)
    t = np.asarray(times, dtype=float)
    task = _SimulateTask(net, _numeric_state(rho0), t, fn, method, tol, _observe_for(fn))
    values = map_tasks(task, list(gains), executor=executor, progress=progress, desc="K_c sweep")
    name = measure if isinstance(measure, str) else getattr(fn, "__name__", "measure")
    return KcSweep(kcs=gains, times=t, values=values, measure=name)


# ----------------------------------------------------------------------------- bisection


def empirical_kc(
    ok: Callable[[float], bool],
    lo: float,
    hi: float,
    *,
    rtol: float = 0.02,
    executor: cf.Executor | None = None,
    points: int | None = None,
    progress: bool | None = False,
) -> float:
    r"""Smallest gain in ``[lo, hi]`` (within relative ``rtol``) with ``ok(K_c)`` true.

    Parallel geometric bisection: assuming ``ok`` is monotone (false below a threshold,
    true above), each round evaluates ``ok`` at ``p`` gains spaced geometrically inside the
    bracket, all at once on the executor, and keeps the sub-bracket where ``ok`` turns
    true; the bracket ratio shrinks as :math:`r \mapsto r^{1/(p+1)}` per round (``p = 1``
    is ordinary bisection).  ``p`` defaults to the executor's worker count.  Returns the
    smallest gain found with ``ok`` true (``lo`` if ``ok(lo)``); raises if ``ok(hi)`` is
    false.
    """
    lo, hi = float(lo), float(hi)
    if not (0 < lo < hi and math.isfinite(hi)):
        raise InvalidArgumentError(f"need 0 < lo < hi < inf: found lo={lo}, hi={hi}")
    if not rtol > 0:
        raise InvalidArgumentError(f"rtol must be positive: found {rtol!r}")
    owned = executor is None
    ex: cf.Executor = default_executor() if executor is None else executor
    p = int(points) if points is not None else max(1, _workers(ex))
    try:
        ends = map_tasks(ok, [lo, hi], executor=ex, progress=False)
        if not ends[1]:
            raise InvalidArgumentError(f"the property does not hold at the upper gain {hi:.6g}")
        if ends[0]:
            return lo
        while hi / lo > 1 + rtol:
            ratio = hi / lo
            gains = [lo * ratio ** (i / (p + 1)) for i in range(1, p + 1)]
            verdicts = map_tasks(ok, gains, executor=ex, progress=progress, desc="K_c bisection")
            new_lo, new_hi = lo, hi
            for g, v in zip(gains, verdicts, strict=True):
                if v:
                    new_hi = g
                    break
                new_lo = g
            lo, hi = new_lo, new_hi
        return hi
    finally:
        if owned:
            ex.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class ConsensusCheck:
    r"""``ok(K_c)``: do the reduced states agree within ``eta`` on ``[t1, t2]``?

    Simulates eq. (4) at the gain and tests
    :math:`\max_j\|\rho_j(t) - \bar\rho(t)\|_F \le \eta` on the grid points of ``times`` in
    ``[t1, t2]``: the empirical counterpart of the consensus part of Theorems 1-4.
    Picklable, so it runs on process pools and Dask clusters.
    """

    net: QuantumNetwork
    rho0: Any
    times: np.ndarray
    eta: float
    t1: float = 0.0
    t2: float = math.inf
    method: str = "auto"
    tol: float = DEFAULT_TOL

    def __post_init__(self):
        if not isinstance(self.net, QuantumNetwork):
            raise InvalidArgumentError(
                f"net must be a QuantumNetwork: found {type(self.net).__name__}"
            )
        object.__setattr__(self, "rho0", _numeric_state(self.rho0))

    def __call__(self, kc: float) -> bool:
        t = np.asarray(self.times, dtype=float)
        traj = simulate(
            self.net, self.rho0, t, kc=kc, method=self.method, tol=self.tol, observe="reduced"
        )
        dis = disagreement(traj)
        inside = (t >= self.t1 - 1e-12) & (t <= self.t2 + 1e-12)
        return bool(np.all(dis[inside] <= self.eta))


# ----------------------------------------------------------------------------- random models


def random_network(
    n: int, seed: int, *, separable: bool = False, coupling=1, max_weight: int = 8
) -> QuantumNetwork:
    r"""A reproducible random model of eq. (4) with exact (rational) coefficients.

    A random connected graph (a random spanning tree plus each other edge with
    probability 1/2, weights in :math:`\{1/4, \dots, \text{max\_weight}/4\}`); a Hamiltonian with
    random :math:`\sigma_{x,y,z}` terms on every qubit and, unless ``separable``, one
    random two-qubit term per edge; a damping jump :math:`\sigma_-^{(j)}` on every qubit
    and, unless ``separable``, one collective jump :math:`\sum_j c_j\sigma_-^{(j)}`.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidArgumentError(f"n must be a positive integer: found {n!r}")
    rng = np.random.default_rng(seed)
    r = sympy.Rational

    def coef(lo=-8, hi=8):
        return r(int(rng.integers(lo, hi + 1)), 4)

    edges = []
    for k in range(2, n + 1):
        edges.append((int(rng.integers(1, k)), k))
    for j in range(1, n + 1):
        for k in range(j + 1, n + 1):
            if (j, k) not in edges and (k, j) not in edges and rng.random() < 0.5:
                edges.append((j, k))
    graph = Graph(
        n, [(min(j, k), max(j, k), r(int(rng.integers(1, max_weight + 1)), 4)) for j, k in edges]
    )
    paulis = (sigma_x, sigma_y, sigma_z)
    h = SiteOperator({})
    for j in range(1, n + 1):
        for p in paulis:
            h = h + coef() * p(j)
    jumps = [(r(int(rng.integers(1, 5)), 4), sigma_minus(j)) for j in range(1, n + 1)]
    if not separable and n > 1:
        for j, k, _ in graph.edges:
            a, b = (paulis[int(i)] for i in rng.integers(0, 3, size=2))
            h = h + coef() * a(j) * b(k)
        collective = SiteOperator({})
        for j in range(1, n + 1):
            collective = collective + coef(1, 4) * sigma_minus(j)
        jumps.append((r(1, 4), collective))
    return QuantumNetwork(n, graph, h, jumps, coupling=coupling)


@dataclass(frozen=True)
class _ModelTask:
    fn: Callable
    n: int
    separable: bool
    coupling: Any

    def __call__(self, seed):
        return self.fn(
            random_network(self.n, seed, separable=self.separable, coupling=self.coupling)
        )


def model_sweep(
    fn: Callable[[QuantumNetwork], Any],
    n: int,
    seeds: Iterable[int],
    *,
    separable: bool = False,
    coupling=1,
    executor: cf.Executor | None = None,
    progress: bool | None = None,
) -> list:
    """``[fn(random_network(n, seed)) for seed in seeds]`` on an executor.

    The models are built inside the workers from their seeds (nothing large is pickled);
    ``fn`` must be a module-level function for process pools and Dask.
    """
    task = _ModelTask(fn, int(n), bool(separable), coupling)
    return map_tasks(task, list(seeds), executor=executor, progress=progress, desc="random models")
