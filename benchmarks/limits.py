"""The measurements behind the table of blendsym.limits (``python -m benchmarks limits``).

Each line times one operation at (and, with ``--beyond``, one step past) a limit, so the
values quoted in the docstring of :mod:`blendsym.limits` can be reproduced on any machine:

* one pass over an exact dense state (product state validation at n = 6 and 8);
* the exact positivity elimination of a dense entangled d x d block (d = 16, 32, 64);
* an exact Liouvillian of eq. (4) (Example 3 extended to n qubits, n = 3..5);
* the exact Pauli decomposition of a dense 2^n x 2^n matrix (n = 4..6);
* an exact operator matrix at n = 16 (two Pauli strings).

Timings are wall-clock seconds of a single run (this is a script, never a test).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sympy

import blendsym as bs


def _time(label: str, f) -> None:
    t = time.perf_counter()
    f()
    print(f"{label:60s} {time.perf_counter() - t:8.2f} s", flush=True)


def _dense_exact_state(n: int, seed: int = 0) -> sympy.Matrix:
    """A full-rank exact state (A A^dagger + I)/tr with Gaussian-integer A: one dense block."""
    rng = np.random.default_rng(seed)
    d = 2**n
    a = rng.integers(-2, 3, (d, d)) + 1j * rng.integers(-2, 3, (d, d))
    g = a @ a.conj().T + np.eye(d)
    tr = int(round(np.trace(g).real))
    return sympy.Matrix(
        d,
        d,
        [
            sympy.Rational(int(round(z.real)), tr)
            + sympy.I * sympy.Rational(int(round(z.imag)), tr)
            for z in g.ravel()
        ],
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks limits", description=__doc__.splitlines()[0]
    )
    p.add_argument("--beyond", action="store_true", help="also time one step past each limit")
    args = p.parse_args(argv)

    f = sympy.Matrix([[sympy.Rational(2, 3), sympy.I / 6], [-sympy.I / 6, sympy.Rational(1, 3)]])
    for n in (6, 8):
        rho = bs.product_state(*[f] * n)
        _time(
            f"validate an exact product state, n = {n} ({4**n} entries)",
            lambda rho=rho: bs.validate_density(rho),
        )

    blocks = (4, 5, 6) + ((7,) if args.beyond else ())
    for n in blocks:
        rho = _dense_exact_state(n)
        old = bs.limits.EXACT_POSITIVITY_BLOCK
        bs.limits.EXACT_POSITIVITY_BLOCK = max(old, 2**n)
        try:
            _time(
                f"validate a dense entangled exact state, d = {2**n}",
                lambda rho=rho: bs.validate_density(rho),
            )
        finally:
            bs.limits.EXACT_POSITIVITY_BLOCK = old

    for n in (3, 4, 5) + ((6,) if args.beyond else ()):
        net, _ = bs.paper.example3(n=n)
        _time(
            f"exact Liouvillian of Example 3 at n = {n}",
            lambda net=net: net.liouvillian(backend="sympy"),
        )

    rng = np.random.default_rng(1)
    for n in (4, 5, 6):
        d = 2**n
        m = sympy.Matrix(d, d, [sympy.Rational(int(x), 3) for x in rng.integers(-3, 4, d * d)])
        _time(
            f"exact Pauli decomposition of a dense {d} x {d} matrix", lambda m=m: bs.from_matrix(m)
        )

    op = bs.sigma_x(1) * bs.sigma_z(16) + bs.sigma_y(2)
    _time("exact matrix of two Pauli strings at n = 16", lambda: op.to_matrix(16, "sympy"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
