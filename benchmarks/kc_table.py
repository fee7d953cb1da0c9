"""Paper / certified / empirical K_c* for the paper's examples and further models (n <= 5).

``python -m benchmarks kc_table [--out FILE] [--only I ...]``: for each model the theorem's
K_c* (the paper's formula with every constant computed), ``certified_kc()`` (the promise
proved for the instance, blendsym.bounds.certified) and ``empirical_kc()`` (simulation on the
default grid), eta = 0.05, T1 = 1, T2 = 5 as in ``blendsym verify``, with the seconds taken by
the bound and the empirical search, and by the certified search.  Cases 0-5 take seconds,
the three n = 5 cases (6-8) about 4.5 minutes together.  Prints a Markdown table
(docs/performance.md, "Thresholds").
"""

from __future__ import annotations

import argparse
import time

import sympy

import blendsym as bs
from blendsym.model.operators import sigma_minus, sigma_plus, sigma_x, sigma_y, sigma_z
from blendsym.model.states import basis_state, product_state

ETA, T1, T2 = 0.05, 1.0, 5.0
R = sympy.Rational


def exceptional_point():
    """2 qubits, blended generator at an exceptional point (Jordan block at -3/4)."""
    net = bs.QuantumNetwork(2, [(1, 2)], R(1, 4) * sigma_x(1), [(2, sigma_minus(1))])
    return net, product_state(basis_state("0"), basis_state("1"))


def ring4():
    """4-qubit ring, different local Hamiltonians, decay and pumping (separable)."""
    net = bs.QuantumNetwork(
        4,
        [(1, 2), (2, 3), (3, 4), (4, 1)],
        sigma_z(1) + R(1, 2) * sigma_x(2) - sigma_y(3) + R(1, 3) * sigma_z(4),
        [(R(1, 2), sigma_minus(1)), (R(1, 5), sigma_plus(3))],
    )
    return net, product_state(*(basis_state(x) for x in "01+0"))


def ring5():
    """5-qubit ring, the 4-qubit ring's terms with a fifth site (Liouville dimension 1024)."""
    net = bs.QuantumNetwork(
        5,
        [(1, 2), (2, 3), (3, 4), (4, 5), (5, 1)],
        sigma_z(1) + R(1, 2) * sigma_x(2) - sigma_y(3) + R(1, 3) * sigma_z(4) + sigma_x(5),
        [(R(1, 2), sigma_minus(1)), (R(1, 5), sigma_plus(3))],
    )
    return net, product_state(*(basis_state(x) for x in "01+00"))


def cases():
    yield "Example 1", "Theorem 1", lambda: bs.bounds.theorem1(*bs.paper.example1(), ETA)
    yield "Example 2", "Theorem 2", lambda: bs.bounds.theorem2(*bs.paper.example2(), ETA, T1, T2)
    yield "Example 3", "Theorem 3", lambda: bs.bounds.theorem3(*bs.paper.example3(), ETA, T1, T2)
    yield "Example 3", "Theorem 4", lambda: bs.bounds.theorem4(*bs.paper.example3(), ETA, T1)
    yield (
        "exceptional point (n=2)",
        "Theorem 1",
        lambda: bs.bounds.theorem1(*exceptional_point(), ETA),
    )
    yield "ring, n=4", "Theorem 2", lambda: bs.bounds.theorem2(*ring4(), ETA, T1, T2)
    # n = 5: 1024 x 1024 dense enclosures
    ex3_5 = lambda: bs.paper.example3(n=5)  # noqa: E731
    yield "Example 3, n=5", "Theorem 4", lambda: bs.bounds.theorem4(*ex3_5(), ETA, T1)
    yield "Example 3, n=5", "Theorem 3", lambda: bs.bounds.theorem3(*ex3_5(), ETA, T1, T2)
    yield "ring, n=5", "Theorem 2", lambda: bs.bounds.theorem2(*ring5(), ETA, T1, T2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks kc_table")
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument("--only", type=int, nargs="*", help="case numbers (0-based)")
    args = parser.parse_args(argv)
    rows = [
        "| model | theorem | paper K_c* | certified K_c* | empirical K_c* | paper / certified "
        "| bound + empirical (s) | certified (s) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for i, (model, theorem, build) in enumerate(cases()):
        if args.only is not None and i not in args.only:
            continue
        start = time.perf_counter()
        bound = build()
        emp = bound.empirical_kc()
        mid = time.perf_counter()
        cert = bound.certified_kc(lo=emp / 1.02)
        secs = time.perf_counter() - mid
        rows.append(
            f"| {model} | {theorem} | {bound.kc_star:.4g} | {cert:.4g} | {emp:.4g} | "
            f"{bound.kc_star / cert:.0f} | {mid - start:.1f} | {secs:.1f} |"
        )
        print(rows[-1], flush=True)
    text = "\n".join(rows)
    print(text)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
