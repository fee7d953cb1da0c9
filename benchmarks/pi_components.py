r"""Benchmark: Definition 2 on *disconnected* graphs in the PI coordinates of
:math:`S_{C_1}\times\cdots\times S_{C_r}` (:mod:`blendsym.section5.product_basis`).

Run it apart from the test suite::

    python -m benchmarks pi_components                    # block sizes 5+5 ... 12+12, 6+6+6
    python -m benchmarks pi_components --blocks 8,8 10,10

Model (inseparable, on components :math:`C_i` that are paths): per component
:math:`\sum_{j\in C_i}\sigma_z^{(j)} + \frac1{n_i}\sum_{j<k\in C_i}\sigma_x^{(j)}\sigma_x^{(k)}` and
the collective jump :math:`\frac1{\sqrt{n_i}}\sum_{j\in C_i}\sigma_-^{(j)}`, plus the coupling
:math:`\frac12\sigma_x^{(a)}\sigma_x^{(b)}` between the first sites of the first two components;
initial state a product of two alternating single-qubit states.  Each size is run in a fresh
child process and reports: the time to build the network and the coordinate table (the sort of
(PP.1)), to assemble the real generator :math:`R`, to compute :math:`\mathbf y_d(0)`, and to
evolve to :math:`T = 10` with 101 outputs (:math:`\langle J_z\rangle` and the purity at each),
and the peak resident set size.  ``--check`` compares the PI evolution with the
:math:`4^n` route for block sizes 2+2 and 3+2 (maximum coordinate difference).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

__all__ = ["main", "component_model"]

T_FINAL = 10.0
N_TIMES = 101


def component_model(sizes: tuple[int, ...]):
    """The benchmark's network and initial state for components of the given sizes."""
    import blendsym as bs
    from blendsym.model.operators import SiteOperator, sigma_minus, sigma_x, sigma_z

    n = sum(sizes)
    blocks, start = [], 1
    for s in sizes:
        blocks.append(list(range(start, start + s)))
        start += s
    edges = [(b[i], b[i + 1]) for b in blocks for i in range(len(b) - 1)]
    h = SiteOperator({})
    jumps = []
    for b in blocks:
        for j in b:
            h = h + sigma_z(j)
        for i, j in enumerate(b):
            for k in b[i + 1 :]:
                h = h + sigma_x(j) * sigma_x(k) * (1.0 / len(b))
        col = SiteOperator({})
        for j in b:
            col = col + sigma_minus(j)
        jumps.append((1.0 / len(b), col))
    if len(blocks) >= 2:
        h = h + 0.5 * sigma_x(blocks[0][0]) * sigma_x(blocks[1][0])
    net = bs.QuantumNetwork(n, edges, h, jumps, coupling=40)
    up = np.array([[0.9, 0.3], [0.3, 0.1]])
    down = np.array([[0.2, 0.1j], [-0.1j, 0.8]])
    rho0 = bs.ProductState([up if j % 2 else down for j in range(n)])
    return net, rho0


def _run(sizes: tuple[int, ...]) -> dict:
    from blendsym.section5.coherent import BlendedCoherent

    out: dict = {"blocks": list(sizes), "n": sum(sizes)}
    t0 = time.perf_counter()
    net, rho0 = component_model(sizes)
    c = BlendedCoherent(net, basis="pi")
    basis = c.pi_basis
    out["p"] = basis.p
    out["build_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = c.generator_real()
    out["assemble_s"] = time.perf_counter() - t0
    out["nnz_per_row"] = r.nnz / r.shape[0]
    t0 = time.perf_counter()
    y0 = c.initial_state(rho0)
    out["y0_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    tr = c.trajectory(
        y0,
        np.linspace(0.0, T_FINAL, N_TIMES),
        observables=["Jz", "purity"],
        keep_coordinates=False,
    )
    out["evolve_s"] = time.perf_counter() - t0
    out["method"] = tr.info["method"]
    out["Jz_T"] = float(tr.observables["Jz"][-1])
    out["peak_MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _check() -> list[dict]:
    from blendsym.section5.coherent import BlendedCoherent

    rows = []
    for sizes in ((2, 2), (3, 2)):
        net, rho0 = component_model(sizes)
        times = np.linspace(0.0, 2.0, 5)
        pi = BlendedCoherent(net, basis="pi")
        full = BlendedCoherent(net, basis="full")
        a = pi.trajectory(rho0, times).coordinates
        b = full.evolve_coordinates(full.initial_state(rho0.dense()), times)
        rows.append({"blocks": list(sizes), "max_coordinate_difference": float(abs(a - b).max())})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks pi_components")
    ap.add_argument("--blocks", nargs="*", default=["5,5", "8,8", "10,10", "12,12", "6,6,6"])
    ap.add_argument("--check", action="store_true", help="compare with the 4^n route")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_run(tuple(int(x) for x in args.child.split(",")))))
        return 0
    if args.check:
        for row in _check():
            print(row)
    print(
        "| blocks | n | p | model + basis (s) | assemble R (s) | nnz/row | y(0) (s) | evolve (s) | peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for spec in args.blocks:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks", "pi_components", "--child", spec],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"| {'+'.join(map(str, r['blocks']))} | {r['n']} | {r['p']:,} | {r['build_s']:.2f} | "
            f"{r['assemble_s']:.2f} | {r['nnz_per_row']:.1f} | {r['y0_s']:.2f} | "
            f"{r['evolve_s']:.1f} ({r['method']}) | {r['peak_MB']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
