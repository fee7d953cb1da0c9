r"""Sweeps over any symbols of a model: grids and random draws of parameter values.

:func:`parameter_sweep` simulates eq. (4) of a parametric network at many parameter points.
The network is compiled once per worker (:meth:`QuantumNetwork.compile`: the Liouvillian as
fixed sparse matrices times lambdified coefficients), so each point costs one evaluation of
the coefficients and one propagation, not a symbolic substitution and a rebuild.  The points
are split into chunks, one task per chunk, run on a :class:`concurrent.futures.Executor`
(:func:`blendsym.sweep.map_tasks`: a local process pool by default, progress with ``tqdm``
when it is installed).

Points: ``grid={name: values, ...}`` is the Cartesian product of the value lists (the first
name varies slowest); ``random={name: (low, high), ...}`` with ``samples=N`` draws ``N``
points uniformly in the box (``seed`` for reproducibility); both together give every grid
point with every draw; ``fixed={name: value}`` holds parameters constant.  Every free symbol
of the network must be given one way or another (the coupling gain by its name, e.g.
``K_c``, or as ``kc``).
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import check_int
from ..errors import InvalidArgumentError
from ..model.network import QuantumNetwork

__all__ = ["parameter_sweep", "ParameterSweep", "parameter_points"]


def _values_1d(values, name: str) -> np.ndarray:
    try:
        arr = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"grid[{name!r}] must be a list of real numbers: found {type(values).__name__}"
        ) from None
    if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
        raise InvalidArgumentError(
            f"grid[{name!r}] must be a non-empty 1-D list of finite numbers: found shape "
            f"{arr.shape}"
        )
    return arr


def parameter_points(
    grid: Mapping | None = None,
    random: Mapping | None = None,
    samples: int | None = None,
    seed=None,
    fixed: Mapping | None = None,
) -> list[dict[str, float]]:
    """The parameter points of a sweep (module docstring), in order."""
    grid = {} if grid is None else dict(grid)
    random = {} if random is None else dict(random)
    fixed = {} if fixed is None else dict(fixed)
    for what, d in (("grid", grid), ("random", random), ("fixed", fixed)):
        for k in d:
            if not isinstance(k, str):
                raise InvalidArgumentError(
                    f"{what} keys must be symbol names (str): found {type(k).__name__}"
                )
    names = [*grid, *random, *fixed]
    dup = sorted({k for k in names if names.count(k) > 1})
    if dup:
        raise InvalidArgumentError(f"parameters {dup} are given more than once")
    axes = [_values_1d(v, k) for k, v in grid.items()]
    grid_points = [
        dict(zip(grid, p, strict=True)) for p in itertools.product(*(a.tolist() for a in axes))
    ]
    if random:
        if samples is None:
            raise InvalidArgumentError("random draws need samples=N (the number of draws)")
        samples = check_int(samples, "samples", minimum=1)
        rng = np.random.default_rng(seed)
        lows, highs = [], []
        for k, box in random.items():
            try:
                lo, hi = (float(x) for x in box)
            except (TypeError, ValueError):
                raise InvalidArgumentError(
                    f"random[{k!r}] must be a pair (low, high): found {box!r}"
                ) from None
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                raise InvalidArgumentError(
                    f"random[{k!r}] must be finite with low < high: found ({lo}, {hi})"
                )
            lows.append(lo)
            highs.append(hi)
        draws = rng.uniform(lows, highs, size=(samples, len(random)))
        drawn = [dict(zip(random, row.tolist(), strict=True)) for row in draws]
        points = [{**g, **r} for g in grid_points for r in drawn]
    else:
        if samples is not None:
            raise InvalidArgumentError("samples is for random draws: pass random={name: (lo, hi)}")
        points = grid_points
    return [{**p, **fixed} for p in points]


@dataclass
class ParameterSweep:
    """Results of :func:`parameter_sweep`: ``values[i] = measure(trajectory at points[i])``."""

    points: list[dict[str, float]]
    times: np.ndarray
    values: list
    measure: str

    def column(self, name: str) -> np.ndarray:
        """The values of parameter ``name`` over the points."""
        if not self.points or name not in self.points[0]:
            raise InvalidArgumentError(f"no parameter {name!r} in this sweep")
        return np.array([p[name] for p in self.points])

    def as_array(self) -> np.ndarray:
        """The values stacked along a first axis (when they share a shape)."""
        return np.stack([np.asarray(v) for v in self.values])


@dataclass(frozen=True)
class _ChunkTask:
    """Simulations at a chunk of parameter points (module level, hence picklable)."""

    net: QuantumNetwork
    rho0: Any
    times: np.ndarray
    measure: Callable
    method: str
    observe: str

    def __call__(self, chunk):
        from .evolve import simulate

        cn = self.net.compile()
        return [
            self.measure(
                simulate(cn, self.rho0, self.times, method=self.method, observe=self.observe, **p)
            )
            for p in chunk
        ]


def parameter_sweep(
    net: QuantumNetwork,
    rho0,
    times,
    grid: Mapping | None = None,
    executor: cf.Executor | None = None,
    *,
    random: Mapping | None = None,
    samples: int | None = None,
    seed=None,
    fixed: Mapping | None = None,
    measure: str | Callable | None = "reduced_states",
    method: str = "auto",
    progress: bool | None = None,
    chunk_size: int | None = None,
) -> ParameterSweep:
    r"""Simulate eq. (4) of ``net`` at every parameter point (module docstring) and keep
    ``measure(trajectory)``.

    ``measure``: ``"reduced_states"`` (default, ``(T, n, 2, 2)``), ``"disagreement"``,
    ``"final_state"`` or a module-level function of a trajectory (as
    :func:`blendsym.sweep.kc_sweep`).  ``executor=None``: a local process pool for the call.
    ``chunk_size``: points per task (default: the points spread over about four tasks per
    worker).  Each result equals ``simulate(net.subs(point), rho0, times)`` to round-off.
    """
    from .sweep import _numeric_state, _observe_for, _resolve_measure, map_tasks

    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
    points = parameter_points(grid, random, samples, seed, fixed)
    cn = net.compile()  # checks the names before any task starts
    allowed = set(cn.parameters) | {"kc"}
    for p in points[:1]:
        unknown = sorted(set(p) - allowed)
        if unknown:
            raise InvalidArgumentError(
                f"parameter_sweep: unknown parameter(s) {unknown}; the network's symbols are "
                f"{', '.join(cn.parameters) or 'none'}"
            )
        given = set(p) | ({cn._gain_name} if "kc" in p else set())
        missing = sorted(set(cn.parameters) - given)
        if missing:
            raise InvalidArgumentError(
                f"parameter_sweep needs values for {missing}: give them in grid=, random= or fixed="
            )
    fn = _resolve_measure(measure)
    t = np.asarray(times, dtype=float)
    workers = getattr(executor, "_max_workers", None) or os.cpu_count() or 1
    if chunk_size is None:
        chunk_size = max(1, -(-len(points) // (4 * workers)))
    else:
        chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    chunks = [points[i : i + chunk_size] for i in range(0, len(points), chunk_size)]
    task = _ChunkTask(net, _numeric_state(rho0), t, fn, method, _observe_for(fn))
    parts = map_tasks(task, chunks, executor=executor, progress=progress, desc="parameter sweep")
    values = [v for part in parts for v in part]
    name = measure if isinstance(measure, str) else getattr(fn, "__name__", "measure")
    return ParameterSweep(points=points, times=t, values=values, measure=name)
