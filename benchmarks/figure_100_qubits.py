r"""The figure and the numbers of ``docs/tutorial-100-qubits.md``.

Run it apart from the test suite (about two and a half minutes on 2 cores, most of it the
n = 100 evolution)::

    python -m benchmarks figure_100_qubits          # writes docs/tutorial-100-qubits.png

The model is Example 3 extended to n qubits with Kac normalisation
(:func:`blendsym.paper.example3` with ``normalization="kac"``), started in the spin-coherent
product state with Bloch vector :math:`(0.6, 0, 0.8)` on every qubit; its blended coherent
dynamics (Definition 2) is evolved to :math:`T = 10` in the PI coordinates for n = 20, 50, 100
and the magnetisation :math:`\langle J_a\rangle/(n/2)` (the Bloch vector of every qubit), the
two-site concurrence and the purity of the lifted state are drawn by
:func:`blendsym.plot.plot_coherent_trajectory` (one line style per n).  The script prints the
values the tutorial quotes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

__all__ = ["main", "compute"]

BLOCH = (0.6, 0.0, 0.8)


def _state(n: int):
    import blendsym as bs

    x, y, z = BLOCH
    rho = 0.5 * np.array([[1 + z, x - 1j * y], [x + 1j * y, 1 - z]])
    return bs.product_state([rho] * n, lazy=True)


def compute(n: int, times: np.ndarray) -> dict:
    import blendsym as bs
    from blendsym.paper import example3

    t0 = time.perf_counter()
    net, _ = example3(n=n, normalization="kac", coupling=40)
    c = bs.blended_coherent(net)
    tr = c.trajectory(
        _state(n),
        times,
        observables=["Jx", "Jy", "Jz", "concurrence", "purity"],
        keep_coordinates=False,
    )
    out = {k: np.asarray(v) for k, v in tr.observables.items()}
    out["trajectory"] = tr
    out["seconds"] = time.perf_counter() - t0
    out["info"] = tr.info
    out["p"] = c.p
    out["thm4"] = bs.bounds.theorem4(net, _state(n), 0.05, 1.0)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks figure_100_qubits", description=__doc__.split("\n")[0]
    )
    p.add_argument("--sizes", type=int, nargs="+", default=[20, 50, 100])
    p.add_argument("--out", type=Path, default=Path("docs/tutorial-100-qubits.png"))
    a = p.parse_args(argv)
    from blendsym.plot import DPI, plot_coherent_trajectory

    times = np.linspace(0.0, 10.0, 201)
    results = {}
    for n in a.sizes:
        results[n] = compute(n, times)
        r = results[n]
        done = r["info"].get("applications")  # none for the dense propagator of small n
        print(
            f"n = {n}: p = {r['p']}, method {r['info']['method']}"
            + (f", {done} generator applications" if done is not None else "")
            + f", {r['seconds']:.1f} s",
            file=sys.stderr,
        )
    fig = plot_coherent_trajectory(
        {f"$n = {n}$": r["trajectory"] for n, r in sorted(results.items(), reverse=True)},
        title="Blended coherent dynamics of Example 3 (Kac-normalised), spin-coherent start "
        f"{BLOCH}",
    )
    fig.savefig(a.out, dpi=DPI)
    n = max(results)
    r = results[n]
    print(f"wrote {a.out}", file=sys.stderr)
    print(f"n = {n}, p = {r['p']}")
    for t in (0.0, 2.5, 5.0, 7.5, 10.0):
        i = int(np.argmin(np.abs(times - t)))
        print(
            f"t = {times[i]:4.1f}: <J>/(n/2) = ({r['Jx'][i] / (n / 2):+.4f}, "
            f"{r['Jy'][i] / (n / 2):+.4f}, {r['Jz'][i] / (n / 2):+.4f}), "
            f"concurrence = {r['concurrence'][i]:.5f}, purity = {r['purity'][i]:.4f}"
        )
    k = r["thm4"].constants
    print(
        f"Theorem 4 (eta = 0.05, T1 = 1): K_c* = {r['thm4'].kc_star:.6g}; "
        f"lambda_m = {k['lambda_m(Q_d)']:.10g} ({k['lambda_m(Q_d) kind']}), "
        f"||A_d|| <= {k['||A_d||']:.6g} ({k['||A_d|| kind']}), C = {k['C']:.3g} ({k['C kind']})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
