r"""Benchmark: ``blendsym latex`` on large models (eq. (4) with collective sums and Definition 2
in operator form, :mod:`blendsym.io.latex_collective`, :mod:`blendsym.io.latex_average`).

Run it apart from the test suite::

    python -m benchmarks latex_large                 # n = 12, 20, 40, 100
    python -m benchmarks latex_large --n 12 200

Model: Example 3 Kac-normalised as ``docs/examples/dicke100.toml`` (which is its n = 100 case),
on the complete graph of :math:`n` qubits:
:math:`H = \sum_j\sigma_z^{(j)} + \frac1{20}\sum_j\sigma_x^{(j)} + \frac1n\sum_{j>k}
\sigma_x^{(j)}\sigma_y^{(k)}` (:math:`n + n + n(n-1)/2` Pauli strings) and the collective jump
:math:`\frac1{\sqrt n}(\sqrt{1/20}\sum_j\sigma_-^{(j)} + \sqrt{1/50}\sum_j\sigma_z^{(j)})`, plus
(``--local``, default on) a 3-site term :math:`\sigma_x^{(1)}\sigma_x^{(2)}\sigma_z^{(3)}`, a
2-site jump :math:`\sigma_-^{(1)}\sigma_+^{(2)}` and a local :math:`\sigma_z^{(1)}` added to the
collective jump (so that every case of the average is timed).  Reports, per :math:`n`, the time
to build the model from ``sum_sites``/``sum_pairs``, to write eq. (4)
(``network_equation_latex``) and Definition 2 (``coherent_equation_latex``), and the length of
each in characters.
"""

from __future__ import annotations

import argparse
import time

__all__ = ["main", "model"]


def model(n: int, local: bool = True):
    """The benchmark's network on ``n`` qubits (module docstring)."""
    import sympy

    import blendsym as bs

    h = (
        bs.sum_sites(bs.sigma_z, n)
        + sympy.Rational(1, 20) * bs.sum_sites(bs.sigma_x, n)
        + sympy.Rational(1, n) * bs.sum_pairs(bs.sigma_x, bs.sigma_y, n)
    )
    jump = (
        sympy.sqrt(sympy.Rational(1, 20)) * bs.sum_sites(bs.sigma_minus, n)
        + sympy.sqrt(sympy.Rational(1, 50)) * bs.sum_sites(bs.sigma_z, n)
    ) / sympy.sqrt(n)
    jumps = [jump]
    if local:
        h = h + bs.sigma_x(1) * bs.sigma_x(2) * bs.sigma_z(3)
        jumps = [jump + bs.sigma_z(1), bs.sigma_minus(1) * bs.sigma_plus(2)]
    edges = [(j, k) for j in range(1, n + 1) for k in range(j + 1, n + 1)]
    return bs.QuantumNetwork(n, edges, h, jumps, coupling=40)


def main(argv: list[str] | None = None) -> int:
    from blendsym.io.latex import coherent_equation_latex, network_equation_latex

    parser = argparse.ArgumentParser(prog="python -m benchmarks latex_large")
    parser.add_argument("--n", type=int, nargs="+", default=[12, 20, 40, 100])
    parser.add_argument("--no-local", action="store_true", help="the collective model only")
    args = parser.parse_args(argv)
    print(
        f"{'n':>5} {'strings':>8} {'build s':>8} {'eq. (4) s':>10} {'Def. 2 s':>9} chars (4)/(Def. 2)"
    )
    for n in args.n:
        t0 = time.perf_counter()
        net = model(n, local=not args.no_local)
        t1 = time.perf_counter()
        eq4 = network_equation_latex(net)
        t2 = time.perf_counter()
        def2 = coherent_equation_latex(net)
        t3 = time.perf_counter()
        strings = len(net.hamiltonian.terms) + sum(len(op.terms) for _, op in net.jumps)
        print(
            f"{n:>5} {strings:>8} {t1 - t0:>8.2f} {t2 - t1:>10.3f} {t3 - t2:>9.3f} "
            f"{len(eq4)}/{len(def2)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
