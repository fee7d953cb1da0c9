r"""Benchmark: peak memory of ``simulate`` with ``observe="states"`` against ``"reduced"``.

Run it apart from the test suite::

    python -m benchmarks observe                       # n = 9, 101 outputs, T = 10
    python -m benchmarks observe --n 10 --t-final 1    # n = 10 (memory does not depend on T)
    python -m benchmarks observe --json observe.json   # also keep the numbers

The model is the n-qubit Example 3 of ``python -m benchmarks network`` (complete graph,
:math:`K_c = 40`, ``method="auto"``).  Each ``observe`` choice runs in a fresh child process
whose peak resident set size (``VmHWM``) is read after the run, next to the RSS before it
(the interpreter and libraries) and to blendsym's own estimate (``info["memory_estimate"]``).
The reduced states of both runs are compared (they must agree to round-off: both come from
the same propagation), so the smaller run is known to compute the same thing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .network import KC, _peak_rss_mib, example3_network, example3_state

_REPO_ROOT = Path(__file__).resolve().parents[1]


def _task(n: int, observe: str, num_times: int, t_final: float, method: str, out: str) -> dict:
    from blendsym.numeric.evolve import simulate

    net = example3_network(n, KC)
    rho0 = example3_state(n)
    times = np.linspace(0.0, t_final, num_times)
    baseline = _peak_rss_mib()
    t0 = time.perf_counter()
    traj = simulate(net, rho0, times, method=method, observe=observe)
    seconds = time.perf_counter() - t0
    peak = _peak_rss_mib()
    reduced = np.stack([traj.reduced(j) for j in range(1, n + 1)], axis=1)
    np.save(out, reduced)
    kept = traj.states.nbytes if traj.observed == "states" else reduced.nbytes
    return {
        "observe": observe,
        "method": traj.method,
        "seconds": seconds,
        "baseline_rss_mib": baseline,
        "peak_rss_mib": peak,
        "kept_mib": kept / 2**20,
        "memory_estimate_mib": traj.info["memory_estimate"] / 2**20,
        "error_estimate": traj.info["error_estimate"],
    }


def _run_child(args: dict) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.observe", "--child", json.dumps(args)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=_REPO_ROOT)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"
        return {"observe": args["observe"], "error_message": tail}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def markdown(results: list[dict], n: int, num_times: int, command: str, diff: float | None) -> str:
    lines = [
        f"Command: `{command}` (n = {n}, {num_times} output times, Liouville dimension {4**n:,})",
        "",
        "| observe | method | peak RSS (MiB) | RSS before the run (MiB) | run's own (MiB) | "
        "kept (MiB) | blendsym's estimate (MiB) | time (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "error_message" in r:
            lines.append(f"| `{r['observe']}` | failed: {r['error_message']} |||||||")
            continue
        lines.append(
            f"| `{r['observe']}` | `{r['method']}` | {r['peak_rss_mib']:.0f} | "
            f"{r['baseline_rss_mib']:.0f} | {r['peak_rss_mib'] - r['baseline_rss_mib']:.0f} | "
            f"{r['kept_mib']:.3g} | {r['memory_estimate_mib']:.0f} | {r['seconds']:.1f} |"
        )
    if diff is not None:
        lines += ["", f"Largest difference between the two runs' reduced states: {diff:.1e}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        print(json.dumps(_task(**json.loads(argv[1])), default=float))
        return 0
    p = argparse.ArgumentParser(prog="python -m benchmarks observe", description=__doc__)
    p.add_argument("--n", type=int, default=9)
    p.add_argument("--num-times", type=int, default=101)
    p.add_argument("--t-final", type=float, default=10.0)
    p.add_argument("--method", default="auto")
    p.add_argument("--json", type=Path, default=None)
    args = p.parse_args(argv)
    command = "python -m benchmarks observe" + (" " + " ".join(argv) if argv else "")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for observe in ("states", "reduced"):
            job = {
                "n": args.n,
                "observe": observe,
                "num_times": args.num_times,
                "t_final": args.t_final,
                "method": args.method,
                "out": str(Path(tmp) / f"{observe}.npy"),
            }
            r = _run_child(job)
            print(f"observe={observe}: {r}", file=sys.stderr)
            results.append(r)
        paths = [Path(tmp) / f"{o}.npy" for o in ("states", "reduced")]
        diff = (
            float(np.abs(np.load(paths[0]) - np.load(paths[1])).max())
            if all(p.exists() for p in paths)
            else None
        )
    report = markdown(results, args.n, args.num_times, command, diff)
    print(report)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"results": results, "max_reduced_difference": diff, "command": command}, indent=2
            )
        )
    return 0 if all("error_message" not in r for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
