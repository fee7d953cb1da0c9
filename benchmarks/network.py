r"""Benchmark: blendsym against QuTiP ``mesolve`` on the n-qubit Example 3 model.

Run it apart from the test suite::

    python -m benchmarks network                  # n = 3..9 (QuTiP up to its budget), n = 10 alone
    python -m benchmarks network --large          # without n = 10
    python -m benchmarks network --quick          # n = 3..5, for a smoke test
    python -m benchmarks network --exact-only     # only the exact pipelines, merged into the JSON

The model is the paper's Example 3 extended to ``n`` qubits: complete graph with unit
weights, :math:`H = \sum_j\sigma_z^{(j)} + \frac1{20}\sum_j(\sigma_+^{(j)}+\sigma_-^{(j)})
+ \sum_{j>k}\sigma_x^{(j)}\sigma_y^{(k)}`, one collective jump
:math:`L = \sqrt{1/20}\sum_j\sigma_-^{(j)} + \sqrt{1/50}\sum_j\sigma_z^{(j)}`,
:math:`K_c = 40`, :math:`T = 10`, 101 output times, and the initial state
:math:`\rho_0 = \sum_{j=1}^n j\,|e_j\rangle\langle e_j| / \binom{n+1}2` with
:math:`e_j` the basis state whose only excited qubit is qubit :math:`n+1-j` (for
``n = 3`` exactly Example 3's :math:`(|001\rangle\langle001| + 2|010\rangle\langle010|
+ 3|100\rangle\langle100|)/6`).

What is measured, each in a fresh child process (so that peak memory is per run):

* blendsym ``simulate`` with ``method="auto"`` (median of ``--repeats`` runs on a network
  whose numeric Liouvillian parts are cached, as in a sweep, but whose dense propagators
  are cleared before each run; the first, cold call that also converts the exact model to
  numbers is reported apart, and so is a call with a second initial state that reuses the
  propagators, as a sweep over initial states does);
* QuTiP ``mesolve`` with its defaults (Adams, ``atol=1e-8``, ``rtol=1e-6``), interleaved
  with the blendsym runs, skipped where the run predicted from the previous size
  (x14 per qubit) exceeds ``--qutip-budget`` seconds (default one hour);
* every blendsym method on its own (the crossover table that ``method="auto"`` follows);
* the accuracy of both against a reference: :func:`scipy.linalg.expm` of the dense complex
  Liouvillian for ``n <= 6``; for larger ``n`` a tight-tolerance (``tol = 1e-12``) Krylov
  run on the network's sparse Liouvillian (``method="krylov"``, independent of the
  matrix-free action that ``"auto"`` uses there);
* peak memory: the child's peak resident set size (``VmHWM``; it includes the ~120-200 MB
  of the interpreter, NumPy, SciPy, SymPy and QuTiP, reported apart as the RSS before the
  timed runs);
* the exact pipelines (:data:`EXACT_PIPELINES`): the exact Liouvillian of eq. (4) for
  ``n = 4`` with symbolic :math:`K_c`, the blended generators of the paper's examples with
  their steady states, Jordan structure and :math:`\mu`, and ``blendsym verify``; each run in
  a fresh interpreter.

Outputs: a Markdown report (``--out``, default ``docs/performance.md``), a PNG plot
(``--plot``) and the raw numbers as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from blendsym import paper

__all__ = ["example3_network", "example3_state", "main", "markdown_report"]

_REPO_ROOT = Path(__file__).resolve().parents[1]
T_FINAL = 10.0
N_TIMES = 101
KC = 40
QUTIP_OPTIONS = {"atol": 1e-8, "rtol": 1e-6}


def example3_network(n: int, kc=KC):
    """The n-qubit extension of Example 3 (:func:`blendsym.paper.example3` with ``n``)."""
    return paper.example3(coupling=kc, n=n)[0]


def example3_state(n: int) -> np.ndarray:
    """Its initial state as a complex NumPy array."""
    return paper.example3(n=n, numeric=True)[1]


def _times() -> np.ndarray:
    return np.linspace(0.0, T_FINAL, N_TIMES)


def _peak_rss_mib() -> float:
    """Peak resident set size of this process image (``VmHWM``; ``ru_maxrss`` would also
    count the parent's memory at ``fork``, which Linux carries across ``exec``)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1]) / 1024.0
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _errors_against(states: np.ndarray, ref_path: str | None) -> dict:
    """Largest Frobenius error against the saved reference, and the largest trace error."""
    out = {"max_trace_error": float(np.abs(np.trace(states, axis1=1, axis2=2) - 1).max())}
    if ref_path and Path(ref_path).exists():
        ref = np.load(ref_path)
        diff = (np.asarray(states) - ref).reshape(len(ref), -1)
        out["error"] = float(np.linalg.norm(diff, axis=1).max())
    return out


# ----------------------------------------------------------------------------- child tasks


def _task_blendsym(
    n: int, method: str, repeats: int, tol: float, krylov_dim=None, ref_path=None
) -> dict:
    from blendsym.numeric.evolve import clear_propagator_cache, simulate

    times = _times()
    rho0 = example3_state(n)
    net = example3_network(n)
    baseline = _peak_rss_mib()
    t0 = time.perf_counter()
    traj = simulate(net, rho0, times, method=method, tol=tol, krylov_dim=krylov_dim)
    cold = time.perf_counter() - t0
    # a second initial state on the same network: the dense method reuses its propagator
    # (the other methods have nothing to reuse, so they are not run twice)
    reuse = None
    if traj.method == "dense":
        t0 = time.perf_counter()
        simulate(net, np.eye(2**n) / 2**n, times, method=method, tol=tol, krylov_dim=krylov_dim)
        reuse = time.perf_counter() - t0
    runs = []
    for _ in range(max(0, repeats - 1)):
        clear_propagator_cache(net)  # every timed run computes its propagators, as QuTiP does
        t0 = time.perf_counter()
        traj = simulate(net, rho0, times, method=method, tol=tol, krylov_dim=krylov_dim)
        runs.append(time.perf_counter() - t0)
    info = {k: v for k, v in traj.info.items() if isinstance(v, (int, float, str, bool))}
    return {
        "cold": cold,
        "reuse": reuse,
        "runs": runs or [cold],
        "method": traj.method,
        "info": info,
        "baseline_rss_mib": baseline,
        "peak_rss_mib": _peak_rss_mib(),
        **_errors_against(traj.states, ref_path),
    }


def _qutip_operators(n: int):
    import qutip

    from blendsym.model.permutations import swap_unitary

    net = example3_network(n)
    dims = [[2] * n, [2] * n]
    h = qutip.Qobj(net.hamiltonian_matrix("scipy"), dims=dims)
    c_ops = [
        qutip.Qobj(np.sqrt(float(g)) * l_m, dims=dims) for g, l_m in net.jump_matrices("scipy")
    ]
    for j, k, a in net.graph.edges:
        c_ops.append(qutip.Qobj(np.sqrt(KC * float(a)) * swap_unitary(j, k, n, "scipy"), dims=dims))
    return h, c_ops, qutip.Qobj(example3_state(n), dims=dims)


def _task_qutip(n: int, repeats: int, ref_path=None) -> dict:
    import qutip

    h, c_ops, rho0 = _qutip_operators(n)
    times = _times()
    opts = dict(QUTIP_OPTIONS, progress_bar=False)
    if n <= 5:  # warm-up (imports, first-call set-up) outside the timer
        qutip.mesolve(h, rho0, times[:3], c_ops, options=opts)
    baseline = _peak_rss_mib()
    runs = []
    res = None
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        res = qutip.mesolve(h, rho0, times, c_ops, options=opts)
        runs.append(time.perf_counter() - t0)
    peak = _peak_rss_mib()
    states = np.array([s.full() for s in res.states])
    return {
        "runs": runs,
        "baseline_rss_mib": baseline,
        "peak_rss_mib": peak,
        **_errors_against(states, ref_path),
    }


def _task_reference(n: int, ref_path: str) -> dict:
    """Dense expm of the complex Liouvillian (n <= 6), else a tight Krylov run."""
    import scipy.linalg

    from blendsym.numeric.evolve import simulate

    times = _times()
    rho0 = example3_state(n)
    net = example3_network(n)
    t0 = time.perf_counter()
    if n <= 6:
        gen = net.liouvillian(backend="scipy").toarray()
        step = scipy.linalg.expm(gen * (times[1] - times[0]))
        y = rho0.ravel().astype(complex)
        out = [y]
        for _ in range(len(times) - 1):
            y = step @ y
            out.append(y)
        states = np.array(out).reshape(len(times), 2**n, 2**n)
        kind = "dense expm (complex Liouvillian)"
    else:
        # the network's own sparse Liouvillian (independent of the matrix-free action that
        # method="auto" uses from n = 7), a basis of 80 and a 1000x tighter tolerance
        traj = simulate(net, rho0, times, method="krylov", tol=1e-12, krylov_dim=80)
        states = traj.states
        kind = "Krylov (CSR, m = 80, tol = 1e-12)"
    seconds = time.perf_counter() - t0
    np.save(ref_path, states)
    return {"kind": kind, "seconds": seconds, "peak_rss_mib": _peak_rss_mib()}


#: The exact pipelines timed by the benchmark: name -> what the timing includes.
EXACT_PIPELINES = {
    "exact_liouvillian_n4": "exact Liouvillian of eq. (4), n = 4 (256 x 256), K_c symbolic",
    "example1_blended_algebra": (
        "Example 1: blended generator (eq. (9)), steady state, Jordan structure, mu"
    ),
    "example2_blended_algebra": (
        "Example 2: blended generator (eq. (12)), steady states, Jordan structure, f degree"
    ),
    "example3_coherent_generator": "Example 3: B = P_d^T A_d P_d (20 x 20), exact",
    "example3_coherent_algebra": (
        "Example 3: B, Jordan structure, steady states, mu, relaxation (Definition 2)"
    ),
    "blendsym_verify": "`blendsym verify` (whole command: start-up, 31 claims)",
}


def _exact_pipeline(name: str) -> None:
    from blendsym.section4.blended import blended_reduced_state
    from blendsym.section5.coherent import blended_coherent

    if name == "exact_liouvillian_n4":
        example3_network(4, kc=None).liouvillian(backend="sympy")
    elif name in ("example1_blended_algebra", "example2_blended_algebra"):
        net, _ = (paper.example1 if name.startswith("example1") else paper.example2)()
        b = blended_reduced_state(net)
        b.generator  # noqa: B018 - the computation is the point
        b.steady_states()
        b.jordan_structure()
        _ = b.mu, b.spectral.f_degree
    elif name == "example3_coherent_generator":
        blended_coherent(paper.example3()[0]).generator  # noqa: B018
    elif name == "example3_coherent_algebra":
        c = blended_coherent(paper.example3()[0])
        c.generator  # noqa: B018
        c.jordan_structure()
        c.steady_states()
        _ = c.mu, c.is_relaxing()
    elif name == "blendsym_verify":
        proc = subprocess.run(
            [sys.executable, "-m", "blendsym.cli", "verify"], capture_output=True, text=True
        )
        if proc.returncode not in (0, 1):  # 1: the report lists errata
            raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed")
    else:
        raise ValueError(f"unknown exact pipeline {name!r}")


def _task_exact(name: str) -> dict:
    """Time one exact pipeline in this (fresh) process, imports excluded."""
    import blendsym  # noqa: F401 - import time is not part of the pipeline

    t0 = time.perf_counter()
    _exact_pipeline(name)
    return {"seconds": time.perf_counter() - t0}


def run_exact(repeats: int, log=print) -> dict:
    """Each exact pipeline ``repeats`` times, each run in a fresh interpreter (cold SymPy
    caches, as a user's first call); medians and every run."""
    out: dict = {}
    for name, what in EXACT_PIPELINES.items():
        runs, failure = [], None
        for _ in range(repeats):
            r = _run_child("exact", {"name": name}, timeout=1800)
            if "seconds" not in r:
                failure = r.get("error_message", "failed")
                break
            runs.append(r["seconds"])
        out[name] = {
            "what": what,
            "runs_s": runs,
            "median_s": statistics.median(runs) if runs and failure is None else None,
            "peak_rss_mib": r.get("peak_rss_mib"),
            "failure": failure,
        }
        log(f"{name}: {out[name]['median_s'] if failure is None else failure}")
    return out


def _run_child(task: str, args: dict, timeout: float | None, threads: int = 1) -> dict:
    """Run one task in a fresh interpreter and return its JSON result.

    Only numbers cross the process boundary (states stay in the child, compared there
    with the reference saved on disk), so the parent stays small.
    """
    cmd = [sys.executable, "-m", "benchmarks.network", "--child", task, json.dumps(args)]
    env = dict(os.environ)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=_REPO_ROOT
        )
    except subprocess.TimeoutExpired:
        return {"error_message": f"timeout after {timeout:.0f} s"}
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"
        return {"error_message": tail}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child_main(task: str, args_json: str) -> None:
    args = json.loads(args_json)
    fn = {
        "blendsym": _task_blendsym,
        "qutip": _task_qutip,
        "reference": _task_reference,
        "exact": _task_exact,
    }[task]
    result = fn(**args)
    result.setdefault("peak_rss_mib", _peak_rss_mib())
    print(json.dumps(result, default=float))


# ----------------------------------------------------------------------------- the report


def _fmt(x, spec=".3g") -> str:
    if x is None:
        return "—"
    if isinstance(x, str):
        return x
    return format(x, spec)


def run_benchmark(
    sizes,
    large,
    repeats: int,
    qutip_budget: float,
    method_budget: float,
    tol: float,
    log=print,
) -> dict:
    """Run every measurement (see the module docstring) and return the numbers."""
    import tempfile

    from blendsym.numeric.evolve import FASTEST_METHOD, METHODS, choose_method

    results: dict = {"sizes": {}, "large": {}, "machine": _machine(), "tol": tol}
    qutip_prev = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            entry: dict = {"n": n, "dim": 4**n}
            ref_path = str(Path(tmp) / f"reference_{n}.npy")
            ref = _run_child(
                "reference", {"n": n, "ref_path": ref_path}, None, threads=os.cpu_count() or 1
            )
            entry["reference"] = ref.get("kind", ref.get("error_message"))
            entry["reference_seconds"] = ref.get("seconds")
            reps = repeats if n <= 7 else 1
            job = {"n": n, "method": "auto", "repeats": reps, "tol": tol, "ref_path": ref_path}
            # interleaved: blendsym, QuTiP, blendsym
            b1 = _run_child("blendsym", job, None)
            predicted = qutip_prev * 14 if qutip_prev else 0.0
            if predicted <= qutip_budget:
                q_reps = repeats if n <= 5 else (min(repeats, 3) if n == 6 else 1)
                q = _run_child(
                    "qutip",
                    {"n": n, "repeats": q_reps, "ref_path": ref_path},
                    qutip_budget * 3 + 60,
                )
            else:
                q = {
                    "error_message": f"skipped (predicted {predicted:.0f} s > budget "
                    f"{qutip_budget:.0f} s)"
                }
            b2 = _run_child("blendsym", job, None) if n <= 8 else {}
            b_runs = b1.get("runs", []) + b2.get("runs", [])
            entry["blendsym"] = {
                "method": b1.get("method"),
                "median_s": statistics.median(b_runs) if b_runs else None,
                "runs": b_runs,
                "cold_s": b1.get("cold"),
                "reuse_s": b1.get("reuse"),
                "error": b1.get("error"),
                "estimate": b1.get("info", {}).get("error_estimate"),
                "applications": b1.get("info", {}).get("applications"),
                "peak_rss_mib": max(b1.get("peak_rss_mib", 0), b2.get("peak_rss_mib", 0)),
                "baseline_rss_mib": b1.get("baseline_rss_mib"),
                "failure": b1.get("error_message") or b2.get("error_message"),
            }
            if "runs" in q:
                qutip_prev = statistics.median(q["runs"])
                entry["qutip"] = {
                    "median_s": qutip_prev,
                    "runs": q["runs"],
                    "error": q.get("error"),
                    "peak_rss_mib": q.get("peak_rss_mib"),
                    "baseline_rss_mib": q.get("baseline_rss_mib"),
                }
            else:
                qutip_prev = predicted or qutip_prev
                entry["qutip"] = {"skipped": q.get("error_message")}
            # every method on its own (the crossover table)
            entry["methods"] = {}
            for method in METHODS[1:]:
                if not _method_applicable(method, n):
                    continue
                if n >= 8 and method == b1.get("method"):
                    r = b1  # the auto run already timed this method
                else:
                    r = _run_child("blendsym", dict(job, method=method), method_budget)
                entry["methods"][method] = {
                    "median_s": statistics.median(r["runs"]) if "runs" in r else None,
                    "error": r.get("error"),
                    "applications": r.get("info", {}).get("applications"),
                    "peak_rss_mib": r.get("peak_rss_mib"),
                    "failure": r.get("error_message"),
                }
            timed = {m: v["median_s"] for m, v in entry["methods"].items() if v["median_s"]}
            entry["fastest"] = min(timed, key=timed.get) if timed else None
            entry["auto"] = choose_method(n)
            entry["table"] = FASTEST_METHOD.get(n)
            results["sizes"][n] = entry
            log(_summary_line(entry))
            Path(ref_path).unlink(missing_ok=True)
    for n in large:
        entry = {"n": n, "dim": 4**n}
        r = _run_child("blendsym", {"n": n, "method": "auto", "repeats": 1, "tol": tol}, None)
        entry["blendsym"] = {
            "method": r.get("method"),
            "median_s": r.get("cold"),
            "applications": r.get("info", {}).get("applications"),
            "estimate": r.get("info", {}).get("error_estimate"),
            "peak_rss_mib": r.get("peak_rss_mib"),
            "baseline_rss_mib": r.get("baseline_rss_mib"),
            "max_trace_error": r.get("max_trace_error"),
            "failure": r.get("error_message"),
        }
        results["large"][n] = entry
        log(f"n={n}: blendsym {entry['blendsym']}")
    results["exact"] = run_exact(repeats, log)
    return results


def _method_applicable(method: str, n: int) -> bool:
    limits = {"dense": 5, "expm_multiply": 6, "krylov": 9, "matrix_free": 10}
    return n <= limits.get(method, 0)


def _summary_line(e: dict) -> str:
    b, q = e["blendsym"], e["qutip"]
    ratio = q["median_s"] / b["median_s"] if q.get("median_s") and b.get("median_s") else None
    return (
        f"n={e['n']}: blendsym {b['method']} {_fmt(b['median_s'])} s (err {_fmt(b['error'])}), "
        + (
            f"QuTiP {_fmt(q['median_s'])} s (err {_fmt(q.get('error'))}), "
            if "median_s" in q
            else f"QuTiP {q.get('skipped', 'not run')}, "
        )
        + f"speed-up {_fmt(ratio)}; fastest {e['fastest']}"
    )


def _machine() -> dict:
    try:
        import qutip

        qv = qutip.__version__
    except ImportError:  # pragma: no cover
        qv = None
    import scipy

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "qutip": qv,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "load_average_at_start": os.getloadavg(),
    }


def markdown_report(results: dict, command: str) -> str:
    lines = []
    reuse = any(e["blendsym"].get("reuse_s") is not None for e in results["sizes"].values())
    m = results["machine"]
    lines += [
        "<!-- generated by python -m benchmarks network; edit the prose around it freely -->",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {m['cpus']} CPUs ({m['machine']}), Python {m['python']}, NumPy {m['numpy']}, "
        f"SciPy {m['scipy']}, QuTiP {m['qutip']}; load average at start "
        f"{', '.join(f'{x:.1f}' for x in m['load_average_at_start'])}.",
        "",
        '### blendsym (`method="auto"`) against QuTiP `mesolve`',
        "",
        "| n | Liouville dim | blendsym method | blendsym (s) | first call (s) "
        + ("| second initial state (s) " if reuse else "")
        + "| QuTiP (s) "
        "| speed-up | blendsym error | QuTiP error | reference | blendsym peak RSS (MiB) "
        "| QuTiP peak RSS (MiB) | operator applications |",
        "|---|---|---|---|---|" + ("---|" if reuse else "") + "---|---|---|---|---|---|---|---|",
    ]
    for n, e in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        b, q = e["blendsym"], e["qutip"]
        ratio = q["median_s"] / b["median_s"] if q.get("median_s") and b.get("median_s") else None
        qtime = _fmt(q.get("median_s")) if "median_s" in q else "skipped"
        lines.append(
            f"| {n} | {e['dim']:,} | `{b['method']}` | {_fmt(b['median_s'])} "
            f"| {_fmt(b['cold_s'])} "
            + (f"| {_fmt(b.get('reuse_s'))} " if reuse else "")
            + f"| {qtime} | {_fmt(ratio, '.1f')}{'x' if ratio else ''} "
            f"| {_fmt(b['error'], '.1e')} "
            f"| {_fmt(q.get('error'), '.1e')} | {e['reference']} | {_fmt(b['peak_rss_mib'], '.0f')} "
            f"| {_fmt(q.get('peak_rss_mib'), '.0f')} | {_fmt(b['applications'], 'd')} |"
        )
    lines += [
        "",
        "Times are wall-clock medians of the runs listed in the JSON (blendsym: two child "
        "processes interleaved with QuTiP's, `--repeats` runs each up to n = 7, one run above; "
        "QuTiP: `--repeats` runs up to n = 5, three at n = 6, one above).  'first call' is "
        "blendsym's first run in a fresh process, which also converts the exact model to "
        "numbers"
        + (
            "; 'second initial state' the next call on the same network (`dense` reuses its "
            "propagators; the other methods have nothing to reuse)"
            if reuse
            else ""
        )
        + ".  Errors are the largest Frobenius-norm error over the 101 output states; "
        "peak RSS is the child process's `VmHWM` (about 190 MiB of it is the interpreter "
        "and libraries).",
        "",
    ]
    if results.get("large"):
        lines += [
            "### Larger networks (blendsym alone)",
            "",
            "| n | Liouville dim | method | time (s) | operator applications | error estimate "
            "| max abs(tr rho - 1) | peak RSS (MiB) | RSS before the run (MiB) |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for n, e in sorted(results["large"].items(), key=lambda kv: int(kv[0])):
            b = e["blendsym"]
            if b.get("failure"):
                lines.append(f"| {n} | {e['dim']:,} | failed: {b['failure']} | | | | | | |")
                continue
            lines.append(
                f"| {n} | {e['dim']:,} | `{b['method']}` | {_fmt(b['median_s'], '.1f')} "
                f"| {_fmt(b['applications'], 'd')} | {_fmt(b['estimate'], '.1e')} "
                f"| {_fmt(b.get('max_trace_error'), '.1e')} | {_fmt(b['peak_rss_mib'], '.0f')} "
                f"| {_fmt(b['baseline_rss_mib'], '.0f')} |"
            )
        lines.append("")
    lines += [
        '### Every method (the crossover `method="auto"` follows)',
        "",
        "| n | dense (s) | krylov (s) | matrix_free (s) | expm_multiply (s) | fastest |",
        "|---|---|---|---|---|---|",
    ]
    for n, e in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        cells = []
        for method in ("dense", "krylov", "matrix_free", "expm_multiply"):
            r = e["methods"].get(method)
            if r is None:
                cells.append("—")
            elif r.get("median_s") is None:
                cells.append(f"({r.get('failure') or 'n/a'})")
            else:
                cells.append(f"{r['median_s']:.3g} (err {_fmt(r['error'], '.0e')})")
        lines.append(f"| {n} | " + " | ".join(cells) + f" | `{e['fastest']}` |")
    lines += [
        "",
        "Fastest method per number of qubits (`blendsym.evolve.FASTEST_METHOD` encodes this "
        "table; `tests/test_propagation.py` checks that they agree):",
        "",
        "<!-- fastest-method-table -->",
        "",
        "| n | fastest |",
        "|---|---|",
    ]
    for n, e in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        if e.get("fastest"):
            lines.append(f"| {n} | `{e['fastest']}` |")
    lines += ["", "<!-- end-fastest-method-table -->", ""]
    ex = results.get("exact") or {}
    if ex:
        lines += ["### Exact algebra", ""]
        if results.get("exact_command"):
            lines += [f"Command: `{results['exact_command']}`", ""]
        lines += [
            "| computation | includes | median (s) | runs (s) |",
            "|---|---|---|---|",
        ]
        for k, v in ex.items():
            if not isinstance(v, dict):  # results written before the per-pipeline format
                continue
            t = v["failure"] if v.get("failure") else _fmt(v.get("median_s"))
            runs = ", ".join(_fmt(x) for x in v.get("runs_s", []))
            lines.append(f"| `{k}` | {v['what']} | {t} | {runs} |")
        lines += [
            "",
            "Each run is a fresh interpreter (imports excluded, except for `blendsym verify`, "
            "which is timed as a whole command).",
            "",
        ]
    return "\n".join(lines)


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    sizes = sorted(results["sizes"].items(), key=lambda kv: int(kv[0]))
    ns = [int(n) for n, _ in sizes]
    b = [e["blendsym"]["median_s"] for _, e in sizes]
    q = [e["qutip"].get("median_s") for _, e in sizes]
    ax1.semilogy(ns, b, "o-", label="blendsym (auto)")
    ax1.semilogy(
        [n for n, x in zip(ns, q, strict=True) if x],
        [x for x in q if x],
        "s-",
        label="QuTiP mesolve",
    )
    for method, marker in (("dense", "v"), ("krylov", "^"), ("matrix_free", "d")):
        pts = [
            (n, e["methods"].get(method, {}).get("median_s"))
            for n, e in zip(ns, [e for _, e in sizes], strict=True)
        ]
        pts = [(n, t) for n, t in pts if t]
        if pts:
            ax1.semilogy(*zip(*pts, strict=True), marker + ":", alpha=0.6, label=method)
    large = sorted(results.get("large", {}).items(), key=lambda kv: int(kv[0]))
    lp = [(int(n), e["blendsym"]["median_s"]) for n, e in large if e["blendsym"].get("median_s")]
    if lp:
        ax1.semilogy(*zip(*lp, strict=True), "o", color="C0", mfc="none")
    ax1.set_xlabel("qubits n")
    ax1.set_ylabel("wall time (s), T = 10, 101 outputs")
    ax1.legend()
    ax1.grid(True, which="both", alpha=0.3)
    be = [e["blendsym"]["error"] for _, e in sizes]
    qe = [e["qutip"].get("error") for _, e in sizes]
    ax2.semilogy(ns, [x or np.nan for x in be], "o-", label="blendsym")
    ax2.semilogy(ns, [x or np.nan for x in qe], "s-", label="QuTiP mesolve")
    ax2.axhline(1e-8, color="k", lw=0.8, ls="--", label="1e-8 target")
    ax2.set_xlabel("qubits n")
    ax2.set_ylabel("max Frobenius error vs reference")
    ax2.legend()
    ax2.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _write_docs(path: Path, report: str) -> None:
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    block = f"{begin}\n{report}\n{end}"
    if path.exists():
        text = path.read_text()
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            tail = rest.split(end, 1)[1]
            path.write_text(head + block + tail)
            return
        path.write_text(text.rstrip() + "\n\n" + block + "\n")
        return
    path.write_text("# Performance\n\n" + block + "\n")


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        _child_main(argv[1], argv[2])
        return 0
    p = argparse.ArgumentParser(
        prog="python -m benchmarks network", description=__doc__.split("\n")[0]
    )
    p.add_argument("--sizes", type=int, nargs="+", default=[3, 4, 5, 6, 7, 8, 9])
    p.add_argument("--large", type=int, nargs="*", default=[10])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--qutip-budget", type=float, default=3600.0, help="seconds per QuTiP run")
    p.add_argument("--method-budget", type=float, default=900.0, help="seconds per method run")
    p.add_argument("--tol", type=float, default=1e-9)
    p.add_argument("--quick", action="store_true", help="n = 3..5 only, no large sizes")
    p.add_argument(
        "--exact-only",
        action="store_true",
        help="time only the exact pipelines and merge them into the existing --json results",
    )
    p.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the Markdown report (and plot) from the existing --json results",
    )
    p.add_argument(
        "--check-report",
        action="store_true",
        help="exit 1 unless --out's generated block is what the --json results give",
    )
    p.add_argument("--out", type=Path, default=Path("docs/performance.md"))
    p.add_argument("--plot", type=Path, default=Path("docs/performance.png"))
    p.add_argument("--json", type=Path, default=Path("docs/performance.json"))
    args = p.parse_args(argv)
    if args.quick:
        args.sizes, args.large = [3, 4, 5], []
    command = (
        "python -m benchmarks network " + " ".join(argv) if argv else "python -m benchmarks network"
    )
    command = command.strip()
    if args.report_only or args.check_report:
        results = json.loads(args.json.read_text())
        report = markdown_report(results, results["command"])
        if args.check_report:
            block = args.out.read_text().split("<!-- bench:begin -->")[1]
            block = block.split("<!-- bench:end -->")[0]
            same = report.strip() == block.strip()
            print("report matches its JSON" if same else "report differs from its JSON")
            return 0 if same else 1
        _write_docs(args.out, report)
        try:
            plot(results, args.plot)
        except ImportError:
            print("matplotlib not installed: no plot", file=sys.stderr)
        return 0
    if args.exact_only:
        if not (args.json and args.json.exists()):
            p.error(
                "--exact-only merges into an existing --json file: run the full benchmark first"
            )
        results = json.loads(args.json.read_text())
        results["exact"] = run_exact(args.repeats)
        results["exact_command"] = command
        command = results.get("command", command)
    else:
        results = run_benchmark(
            args.sizes, args.large, args.repeats, args.qutip_budget, args.method_budget, args.tol
        )
        results["command"] = command
        results["exact_command"] = command
    report = markdown_report(results, command)
    _write_docs(args.out, report)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=float))
    try:
        plot(results, args.plot)
    except ImportError:
        print("matplotlib not installed: no plot", file=sys.stderr)
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
