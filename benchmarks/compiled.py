"""Compiled parametric models against re-derivation through ``net.subs``.

``python -m benchmarks compiled [--points N] [--rederive-points M] [--only CASE ...]``

1. Steady state of a separable 3-qubit model with four symbols (omega, gamma, delta, beta):
   ``b.steady_state_function()`` evaluated at N parameter points in one vectorised call,
   against ``blended_reduced_state(net.subs(point)).steady_states()`` (the exact
   re-derivation) at each point.
2. Trajectory of a 4-qubit network (ring, two symbols in H, one rate) at 11 times in
   [0, 2]: ``bs.simulate(net.compile(), rho0, times, **point)`` against
   ``bs.simulate(net.subs(point), rho0, times, kc=...)`` at each point.

3. Theorem 1's K_c* of the separable model of case 1 (rho(0) = |0>|1>|+>, eta = 0.05):
   ``bs.bounds.theorem1_function(net, rho0, eta)`` built once and called on N points,
   against ``bs.bounds.theorem1(net.subs(point), rho0, eta)`` at each point (relative
   difference printed).

The compiled side is timed on all N points; the re-derived side on the first M points
(it is slow: seconds per point for the exact steady state), its time per point multiplied
by N.  Both sides are compared point by point on those M points (max difference printed).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sympy

import blendsym as bs
from blendsym.model.operators import sigma_minus, sigma_plus, sigma_x, sigma_y, sigma_z
from blendsym.model.states import basis_state, product_state

W, G, D = sympy.symbols("omega gamma delta", positive=True)
B = sympy.Symbol("beta", real=True)


def separable():
    return bs.QuantumNetwork(
        3,
        [(1, 2), (2, 3)],
        W * sigma_z(1) + D * sigma_x(2) + B * sigma_y(3),
        [(G, sigma_minus(1)), (2 * G, sigma_plus(3)), (D, sigma_minus(2))],
    )


def ring4():
    return bs.QuantumNetwork(
        4,
        [(1, 2), (2, 3), (3, 4), (4, 1)],
        W * sigma_z(1) + B * sigma_x(2) * sigma_x(3) + sigma_y(4),
        [(G, sigma_minus(1)), (sympy.Rational(1, 5), sigma_plus(3))],
        coupling=5,
    )


def _num(m):
    return np.array(sympy.Matrix(m).evalf().tolist(), dtype=complex)


def _against_rederivation(
    what: str,
    build,
    evaluate,
    difference,
    n_points: int,
    n_rederive: int,
    diff_kind: str | None = None,
) -> dict:
    """Time ``compiled = build()`` (once) and ``results = evaluate(compiled)`` (all N points),
    then ``difference(i, results)`` -- the re-derivation at point ``i`` against the compiled
    result there -- on the first M points (at most N); the re-derived time per point is
    multiplied by N."""
    start = time.perf_counter()
    compiled = build()
    build_seconds = time.perf_counter() - start
    start = time.perf_counter()
    results = evaluate(compiled)
    compiled_seconds = time.perf_counter() - start
    measured = min(n_rederive, n_points)
    start = time.perf_counter()
    worst = 0.0
    for i in range(measured):
        worst = max(worst, float(difference(i, results)))
    per_point = (time.perf_counter() - start) / measured
    row = {
        "what": what,
        "build": build_seconds,
        "compiled": compiled_seconds,
        "rederived": per_point * n_points,
        "measured_rederived_points": measured,
        "max_diff": worst,
    }
    if diff_kind is not None:
        row["diff_kind"] = diff_kind
    return row


def _separable_points(n_points: int, rng) -> dict:
    return {
        "omega": rng.uniform(0.1, 3, n_points),
        "gamma": rng.uniform(0.1, 2, n_points),
        "delta": rng.uniform(0.1, 2, n_points),
        "beta": rng.uniform(-2, 2, n_points),
    }


def _point(pts: dict, i: int) -> dict:
    return {k: float(v[i]) for k, v in pts.items()}


def steady_state(n_points: int, n_rederive: int, rng) -> dict:
    net = separable()
    pts = _separable_points(n_points, rng)

    def difference(i, out):
        ss = bs.blended_reduced_state(net.subs(_point(pts, i))).steady_states()[0]
        return np.abs(_num(ss) - out[i]).max()

    return _against_rederivation(
        f"steady state, separable n=3, {n_points} points",
        lambda: bs.blended_reduced_state(net).steady_state_function(),
        lambda f: f(**pts),
        difference,
        n_points,
        n_rederive,
    )


def trajectory(n_points: int, n_rederive: int, rng) -> dict:
    net = ring4()
    times = np.linspace(0, 2, 11)
    rho0 = product_state(*(basis_state(x) for x in "01+0"))
    rho0 = np.array(rho0.evalf().tolist(), dtype=complex)
    pts = [
        {"omega": w, "beta": b, "gamma": g}
        for w, b, g in zip(
            rng.uniform(0.1, 3, n_points),
            rng.uniform(-2, 2, n_points),
            rng.uniform(0.1, 2, n_points),
            strict=True,
        )
    ]

    def finals(cn):
        return [bs.simulate(cn, rho0, times, observe="reduced", **p).reduced(1)[-1] for p in pts]

    def difference(i, out):
        ref = bs.simulate(net.subs(pts[i]), rho0, times, method="dense", observe="reduced")
        return np.abs(ref.reduced(1)[-1] - out[i]).max()

    return _against_rederivation(
        f"trajectory, ring n=4, 11 times, {n_points} points",
        net.compile,
        finals,
        difference,
        n_points,
        n_rederive,
    )


def theorem1_kc(n_points: int, n_rederive: int, rng) -> dict:
    net = separable()
    rho0 = product_state(*(basis_state(x) for x in "01+"))
    pts = _separable_points(n_points, rng)

    def difference(i, kc):
        ref = bs.bounds.theorem1(net.subs(_point(pts, i)), rho0, 0.05).kc_star
        return abs(kc[i] - ref) / ref

    return _against_rederivation(
        f"Theorem 1 K_c*, separable n=3, {n_points} points",
        lambda: bs.bounds.theorem1_function(net, rho0, 0.05),
        lambda f: f(**pts).kc_star,
        difference,
        n_points,
        n_rederive,
        diff_kind="relative",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks compiled")
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--rederive-points", type=int, default=100)
    parser.add_argument("--trajectory-points", type=int, default=None)
    parser.add_argument("--theorem-points", type=int, default=None)
    parser.add_argument(
        "--only", choices=("steady", "trajectory", "theorem1"), nargs="*", default=None
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    cases = {
        "steady": lambda: steady_state(args.points, args.rederive_points, rng),
        "trajectory": lambda: trajectory(
            args.trajectory_points or args.points, args.rederive_points, rng
        ),
        "theorem1": lambda: theorem1_kc(
            args.theorem_points or args.points, args.rederive_points, rng
        ),
    }
    rows = [run() for name, run in cases.items() if args.only is None or name in args.only]
    print("| case | compile once (s) | compiled (s) | re-derived (s) | ratio | max diff |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = r["rederived"] / (r["compiled"] + r["build"])
        print(
            f"| {r['what']} | {r['build']:.2f} | {r['compiled']:.3g} | {r['rederived']:.4g} "
            f"(from {r['measured_rederived_points']} points) | {ratio:.3g} | "
            f"{r['max_diff']:.1e}{' (relative)' if r.get('diff_kind') else ''} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
