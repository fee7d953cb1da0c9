r"""Benchmark: the exact engine's backends.

Run it apart from the test suite::

    python -m benchmarks exact_backends              # steps and pipelines, 3 repeats
    python -m benchmarks exact_backends --quick      # one repeat, smaller cases
    python -m benchmarks exact_backends --json out.json

Two parts:

* **Steps of the modular engine** (:mod:`blendsym.spectral.modp`) with the NumPy kernels and
  with python-flint's ``nmod_mat`` / ``nmod_poly`` (skipped when python-flint is not installed):
  RREF and kernel, characteristic polynomial and the gcd of it with its derivative modulo a
  prime :math:`p < 2^{26}`, and the test that a prime splits the number field completely.
  The matrices are the engine's own reductions of realistic generators: the blended
  reduced-state generator of Example 1 (:math:`4\times4`), the local Liouvillians
  :math:`A_d` of the :math:`n`-qubit Example 3 (:math:`16\times16`, :math:`64\times64`,
  :math:`256\times256`) and the blended coherent (consensus) generator of Example 3
  (:math:`p = 20`, over :math:`\mathbb Q(i,\sqrt{10})`).  Each timing is the best of
  ``--repeats`` runs and includes the conversion to FLINT's types; the two kernels' results
  are checked to be identical.
* **Whole exact pipelines** of Examples 1-3 (blended generator, steady states, Jordan
  structure, :math:`\mu`, relaxation; for Example 3 Definition 2 on the consensus form),
  each in a fresh interpreter for every SymPy ground type (``python``, ``gmpy``, ``flint``;
  skipped when the package is missing) and both kernels; median of ``--repeats`` children.

The numbers and the choice they support are recorded in ``docs/performance.md``
("Exact backends").
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[1]
GROUND_TYPES = ("python", "gmpy", "flint")
PIPELINES = {
    "example1": "Example 1: blended generator, steady state, Jordan structure, mu",
    "example2": "Example 2: blended generator, steady states, Jordan structure, f degree",
    "example3": "Example 3: Definition 2 (p = 20), Jordan structure, steady states, mu, relaxing",
}


def _best(f, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def _cases(quick: bool):
    import sympy

    from blendsym import paper
    from blendsym.section4.blended import blended_reduced_state
    from blendsym.section5.coherent import blended_coherent

    yield (
        "Example 1 blended generator (4 x 4, QQ(i))",
        blended_reduced_state(paper.example1()[0]).generator,
    )
    yield (
        "Example 3 consensus generator (20 x 20, QQ(i, sqrt 10))",
        blended_coherent(paper.example3()[0]).consensus_generator(),
    )
    for n in (2, 3) if quick else (2, 3, 4):
        a = sympy.Matrix(paper.example3(n=n)[0].local_liouvillian("sympy"))
        yield f"A_d of Example 3, n = {n} ({4**n} x {4**n}, QQ(i, sqrt 10))", a


def _time_steps(a, p: int, chi: list, dchi: list, b: str, repeats: int) -> dict:
    from blendsym.spectral import modp

    return {
        f"rref_{b}": _best(lambda: modp.nullspace_mod(a, p, b), repeats),
        f"charpoly_{b}": _best(lambda: modp.charpoly_mod(a, p, b), repeats),
        f"gcd_{b}": _best(lambda: modp.gcd_mod(chi, dchi, p, b), repeats),
    }


def _splitter(minpoly: list, primes: list, b: str):
    from blendsym.spectral import modp

    return lambda: [modp.split_roots_mod(minpoly, q, b) for q in primes]


def bench_steps(repeats: int, quick: bool) -> list[dict]:
    import numpy as np
    import sympy

    from blendsym.spectral import modp
    from blendsym.spectral.fields import _field_matrix
    from blendsym.spectral.modular import _ModularEngine

    backends = ["numpy"] + (["flint"] if modp.FLINT_AVAILABLE else [])
    rows = []
    for name, m in _cases(quick):
        eng = _ModularEngine(_field_matrix(sympy.Matrix(m)).dm)
        p, ws, _ = next(eng.primes())
        a = eng.reduced(p, ws[0])
        chi = modp.charpoly_mod(a, p, "numpy")
        dchi = [(len(chi) - 1 - k) * c % p for k, c in enumerate(chi[:-1])]
        row = {"case": name, "size": int(a.shape[0]), "field_degree": eng.D, "p": p}
        results = {}
        for b in backends:
            results[b] = (
                modp.nullspace_mod(a, p, b),
                modp.charpoly_mod(a, p, b),
                modp.gcd_mod(chi, dchi, p, b),
            )
            row.update(_time_steps(a, p, chi, dchi, b, repeats))
        if "flint" in results:
            (pn, bn), cn, gn = results["numpy"]
            (pf, bf), cf, gf = results["flint"]
            if not (pn == pf and np.array_equal(bn, bf) and cn == cf and gn == gf):
                raise RuntimeError(f"the kernels disagree on {name}")
        rows.append(row)
        print(
            f"  {name}: "
            + ", ".join(
                f"{k} {v * 1e3:.3g} ms" for k, v in row.items() if k.split("_")[-1] in backends
            ),
            file=sys.stderr,
        )
    # the split-prime test on fields without a quadratic basis (power basis, x^p mod f)
    for label, gen in (
        ("QQ(2**(1/3), i)", sympy.Integer(2) ** sympy.Rational(1, 3)),
        ("QQ(2**(1/5), i)", sympy.Integer(2) ** sympy.Rational(1, 5)),
    ):
        eng = _ModularEngine(_field_matrix(sympy.Matrix([[gen, sympy.I], [1, 0]])).dm)
        primes = [int(q) for q in sympy.primerange(1 << 25, (1 << 25) + 20000)][:300]
        row = {
            "case": f"{label} (degree {eng.D}), per prime",
            "size": 0,
            "field_degree": eng.D,
            "p": 0,
        }
        for b in backends:
            row[f"split_{b}"] = _best(_splitter(eng.minpoly, primes, b), repeats) / len(primes)
        if (
            "flint" in backends
            and _splitter(eng.minpoly, primes, "numpy")()
            != _splitter(eng.minpoly, primes, "flint")()
        ):
            raise RuntimeError("the kernels disagree on a split-prime test")
        rows.append(row)
    return rows


_CHILD = r"""
import json, sys, time
from sympy.external.gmpy import GROUND_TYPES
from blendsym.spectral import modp
name, kernels = sys.argv[1], sys.argv[2]
def run():
    from blendsym import paper
    from blendsym.section4.blended import blended_reduced_state
    from blendsym.section5.coherent import blended_coherent
    if name in ("example1", "example2"):
        b = blended_reduced_state((paper.example1 if name == "example1" else paper.example2)()[0])
        b.generator; b.steady_states(); b.jordan_structure()
        _ = b.mu, b.spectral.f_degree
    else:
        c = blended_coherent(paper.example3()[0])
        c.jordan_structure_by_factor(); c.steady_states()
        _ = c.mu, c.is_relaxing()
import blendsym.section5.coherent, blendsym.section4.blended, blendsym.paper  # imports untimed
t0 = time.perf_counter()
with modp.use_backend(kernels):
    run()
print(json.dumps({"seconds": time.perf_counter() - t0, "ground_types": GROUND_TYPES}))
"""


def bench_pipelines(repeats: int) -> list[dict]:
    have = {
        "python": True,
        "gmpy": importlib.util.find_spec("gmpy2") is not None,
        "flint": importlib.util.find_spec("flint") is not None,
    }
    kernels = ["numpy"] + (["flint"] if have["flint"] else [])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(_REPO_ROOT), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    rows = []
    for name in PIPELINES:
        for gt in GROUND_TYPES:
            if not have[gt]:
                continue
            for k in kernels:
                times = []
                for _ in range(repeats):
                    out = subprocess.run(
                        [sys.executable, "-c", _CHILD, name, k],
                        check=True,
                        env=dict(env, SYMPY_GROUND_TYPES=gt),
                        capture_output=True,
                        text=True,
                    )
                    data = json.loads(out.stdout.strip().splitlines()[-1])
                    if data["ground_types"] != gt:
                        raise RuntimeError(f"asked for {gt}, SymPy used {data['ground_types']}")
                    times.append(data["seconds"])
                rows.append(
                    {
                        "pipeline": name,
                        "ground_types": gt,
                        "kernels": k,
                        "seconds": statistics.median(times),
                    }
                )
                print(f"  {name} {gt}/{k}: {rows[-1]['seconds']:.2f} s", file=sys.stderr)
    return rows


def _ms(x) -> str:
    return "-" if x is None else (f"{x * 1e3:.3g}" if x * 1e3 >= 0.01 else f"{x * 1e3:.1e}")


def markdown(steps: list[dict], pipelines: list[dict], meta: dict) -> str:
    lines = [
        f"Command: `{meta['command']}` ({meta['machine']}; load average at start {meta['load']})",
        "",
    ]
    lines += ["| step (ms) | size | NumPy | python-flint | speed-up |", "|---|---|---|---|---|"]
    for r in steps:
        for step, label in (
            ("rref", "RREF + kernel"),
            ("charpoly", "charpoly"),
            ("gcd", "gcd(chi, chi')"),
            ("split", "split-prime test"),
        ):
            a, b = r.get(f"{step}_numpy"), r.get(f"{step}_flint")
            if a is None:
                continue
            speed = f"{a / b:.1f}x" if b else "-"
            lines.append(
                f"| {label}: {r['case']} | {r['size'] or '-'} | {_ms(a)} | {_ms(b)} | {speed} |"
            )
    lines += [
        "",
        "| pipeline (s) | ground types | NumPy kernels | python-flint kernels |",
        "|---|---|---|---|",
    ]
    by = {(r["pipeline"], r["ground_types"], r["kernels"]): r["seconds"] for r in pipelines}
    for name in PIPELINES:
        for gt in GROUND_TYPES:
            a, b = by.get((name, gt, "numpy")), by.get((name, gt, "flint"))
            if a is None:
                continue
            lines.append(
                f"| {PIPELINES[name]} | {gt} | {a:.2f} | {'-' if b is None else f'{b:.2f}'} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks exact_backends", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--repeats", type=int, default=3, help="repeats per timing (default 3)")
    ap.add_argument("--quick", action="store_true", help="one repeat, no 256 x 256 case")
    ap.add_argument("--no-pipelines", action="store_true", help="only the steps")
    ap.add_argument("--json", metavar="FILE", help="write the raw numbers as JSON")
    args = ap.parse_args(argv)
    repeats = 1 if args.quick else max(1, args.repeats)
    meta = {
        "command": "python -m benchmarks exact_backends" + (" --quick" if args.quick else ""),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    print("steps of the modular engine ...", file=sys.stderr)
    steps = bench_steps(repeats, args.quick)
    pipelines = (
        []
        if args.no_pipelines
        else (print("pipelines ...", file=sys.stderr) or bench_pipelines(repeats))
    )
    print(markdown(steps, pipelines, meta))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"meta": meta, "steps": steps, "pipelines": pipelines}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
