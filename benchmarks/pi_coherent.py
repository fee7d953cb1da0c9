r"""Benchmark: the blended coherent dynamics (Definition 2) in the PI coordinates, n = 10..200.

Run it apart from the test suite::

    python -m benchmarks pi_coherent                 # everything (n = 200 included: long)
    python -m benchmarks pi_coherent --quick         # n = 10, 20 and the PIQS model at n = 10, 20
    python -m benchmarks pi_coherent --sizes 10 20 50 100 --piqs-sizes 10 20 50

What is measured, each in a fresh child process (so that peak memory is per run):

* **Example 3 extended to n qubits, Kac-normalised** (:func:`blendsym.paper.example3` with
  ``normalization="kac"``: pair terms :math:`\times1/n`, the collective jump
  :math:`\times1/\sqrt n`), :math:`K_c = 40` (irrelevant to Definition 2), from its
  :math:`\rho_0 = \sum_jj|e_j\rangle\langle e_j|/\binom{n+1}2`: the time to build the model, to
  assemble the generator (the real form :math:`R` of (PI.6), the matrix the propagator uses),
  to compute :math:`\mathbf y_d(0)`, and to evolve to :math:`T = 10` with 101 outputs
  (observables :math:`\langle J_z\rangle`, the two-site concurrence and the purity at each
  output), wall and CPU time, and the peak resident set size (``VmHWM``).  Accuracy: against a
  tight run (``tol = 1e-12``) for :math:`n\le50`.
* **A PI model PIQS supports**: :math:`H = \omega\sum_j\sigma_z^{(j)} + g\sum_j\sigma_x^{(j)}`,
  local emission :math:`\gamma_E` (the paper's :math:`\sigma_+ = |1\rangle\langle0|`, which
  lowers :math:`\sigma_z`), local dephasing :math:`\gamma_D` (PIQS's ``dephasing``: rate
  :math:`\gamma_D/4` on :math:`\sigma_z`), collective emission :math:`\gamma_{CE}`, from a Dicke
  superposition; blendsym (model + generator + evolution) against PIQS (``Dicke.liouvillian()``
  + ``mesolve``) at two accuracies each, both measured against a tight blendsym reference
  (Krylov, ``m = 60``, ``tol = 1e-12``; the PI route equals the full :math:`2^n` evolution to
  1e-13 at n = 4, ``tests/test_pi_dynamics.py``).  ``method="auto"`` uses dense exponentials
  for :math:`p\le700` (:math:`n\le14`), Krylov above.
* **Deviation from the** :math:`4^n` **construction**: exact equality of :math:`B` and :math:`C`
  (``basis="pi"`` against ``basis="full"``) for Example 3 and random 3-local models,
  :math:`n\le5`, and the largest entry difference for :math:`n = 6, 7, 8`.

Outputs: a Markdown table between ``<!-- pi:begin -->`` and ``<!-- pi:end -->`` in
``docs/performance.md`` (``--out``) and the raw numbers as JSON (``--json``).  The machine is
shared: the load average before and after the run is recorded, and wall times include it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

__all__ = ["main", "pi_model", "markdown_report"]

_REPO_ROOT = Path(__file__).resolve().parents[1]
T_FINAL = 10.0
N_TIMES = 101
OMEGA, G, GAMMA_E, GAMMA_D, GAMMA_CE = 0.7, 0.3, 0.4, 0.2, 0.5
BEGIN, END = "<!-- pi:begin -->", "<!-- pi:end -->"


def _times() -> np.ndarray:
    return np.linspace(0.0, T_FINAL, N_TIMES)


def _peak_rss_mib() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1]) / 1024.0
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def pi_model(n: int):
    """The PIQS-supported PI model as a blendsym network and its initial Dicke state."""
    import blendsym as bs

    h = OMEGA * bs.sum_sites(bs.sigma_z, n) + G * bs.sum_sites(bs.sigma_x, n)
    jumps = [(GAMMA_E, bs.sigma_plus(j)) for j in range(1, n + 1)]
    jumps += [(GAMMA_D / 4, bs.sigma_z(j)) for j in range(1, n + 1)]
    jumps.append((GAMMA_CE, bs.sum_sites(bs.sigma_plus, n)))
    net = bs.QuantumNetwork(n, bs.complete_graph(n), h, jumps, coupling=1)
    state = bs.DickeState(n, {0: math.sqrt(0.6), 2: math.sqrt(0.4)})
    return net, state


# ----------------------------------------------------------------------------- child tasks


def _task_example3(n: int, reference: bool, krylov_dim: int) -> dict:
    import blendsym as bs
    from blendsym.paper import example3

    out: dict = {"n": n}
    t0 = time.perf_counter()
    net, rho0 = example3(n=n, normalization="kac", coupling=40, structured=True)
    out["model_s"] = time.perf_counter() - t0
    c = bs.blended_coherent(net)
    out["p"] = c.p
    t0 = time.perf_counter()
    r = c.generator_real()
    out["generator_s"] = time.perf_counter() - t0
    out["nnz"] = int(r.nnz)
    del r
    t0 = time.perf_counter()
    y0 = c.initial_state(rho0)
    out["state_s"] = time.perf_counter() - t0
    times = _times()
    w0, c0 = time.perf_counter(), time.process_time()
    tr = c.trajectory(
        y0,
        times,
        observables=["Jz", "concurrence", "purity"],
        keep_coordinates=False,
        method="krylov",
        krylov_dim=krylov_dim,
    )
    out["evolve_s"] = time.perf_counter() - w0
    out["evolve_cpu_s"] = time.process_time() - c0
    out["applications"] = tr.info["applications"]
    out["error_estimate"] = tr.info["error_estimate"]
    out["Jz_T"] = float(tr.observables["Jz"][-1])
    out["concurrence_T"] = float(tr.observables["concurrence"][-1])
    out["purity_T"] = float(tr.observables["purity"][-1])
    out["peak_rss_mib"] = _peak_rss_mib()
    if reference:
        ref = c.trajectory(
            y0,
            times,
            observables=["Jz"],
            keep_coordinates=False,
            method="krylov",
            tol=1e-12,
            krylov_dim=60,
        )
        out["max_dJz"] = float(np.abs(ref.observables["Jz"] - tr.observables["Jz"]).max())
    return out


def _task_pi_blendsym(n: int, tol: float, save: str, method: str = "auto") -> dict:
    import blendsym as bs

    t0 = time.perf_counter()
    net, state = pi_model(n)
    c = bs.blended_coherent(net)
    jpjm = bs.sum_sites(bs.sigma_minus, n) * bs.sum_sites(bs.sigma_plus, n)
    y0 = c.initial_state(state)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    tr = c.trajectory(
        y0,
        _times(),
        observables={"Jz": "Jz", "JpJm": jpjm},
        keep_coordinates=False,
        tol=tol,
        method=method,
        krylov_dim=60 if method == "krylov" else None,
    )
    evolve = time.perf_counter() - t0
    np.save(save, np.array([tr.observables["Jz"], tr.observables["JpJm"].real]))
    return {
        "build_s": build,
        "evolve_s": evolve,
        "method": tr.info["method"],
        "applications": tr.info.get("applications"),
        "peak_rss_mib": _peak_rss_mib(),
        "p": c.p,
    }


def _task_piqs(n: int, atol: float, rtol: float, save: str) -> dict:
    import qutip
    from qutip import piqs

    jx, _, jz = piqs.jspin(n)
    jp = piqs.jspin(n, "+")
    t0 = time.perf_counter()
    dicke = piqs.Dicke(
        n,
        hamiltonian=2 * OMEGA * jz + 2 * G * jx,
        emission=GAMMA_E,
        dephasing=GAMMA_D,
        collective_emission=GAMMA_CE,
    )
    liou = dicke.liouvillian()
    j = n / 2
    a, b = math.sqrt(0.6), math.sqrt(0.4)
    rho0 = piqs.dicke_basis(
        n, {(j, j, j): a * a, (j, j - 2, j - 2): b * b, (j, j, j - 2): a * b, (j, j - 2, j): a * b}
    )
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = qutip.mesolve(
        liou,
        rho0,
        _times(),
        [],
        e_ops=[jz, jp * jp.dag()],
        options={"atol": atol, "rtol": rtol, "nsteps": 10**7, "progress_bar": False},
    )
    evolve = time.perf_counter() - t0
    np.save(save, np.real(np.array([res.expect[0], res.expect[1]])))
    return {
        "build_s": build,
        "evolve_s": evolve,
        "peak_rss_mib": _peak_rss_mib(),
        "liouvillian_dim": int(liou.shape[0]),
    }


def _task_deviation() -> dict:
    import sympy
    from hypothesis import HealthCheck, given, settings

    import blendsym as bs
    from blendsym.paper import example3
    from blendsym.testing import k_local_networks

    def exact_equal(a, b) -> bool:
        d = (sympy.Matrix(a) - sympy.Matrix(b)).applyfunc(
            lambda x: sympy.expand(sympy.radsimp(sympy.expand(x)))
        )
        return bool(d.is_zero_matrix)

    out = {"exact": {}, "numeric": {}}
    for n in (3, 4, 5):
        net, _ = example3(n=n)
        f, p = bs.blended_coherent(net, basis="full"), bs.blended_coherent(net, basis="pi")
        out["exact"][f"example3 n={n}"] = exact_equal(f.generator, p.generator) and exact_equal(
            f.consensus_generator(), p.consensus_generator()
        )
    random_ok = []

    @settings(
        max_examples=20,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(net=k_local_networks(2, 5, max_locality=3))
    def check(net):
        f, p = bs.blended_coherent(net, basis="full"), bs.blended_coherent(net, basis="pi")
        random_ok.append(exact_equal(f.consensus_generator(), p.consensus_generator()))

    check()
    out["exact"]["20 random 3-local models, n <= 5"] = all(random_ok)
    for n in (6, 7, 8):
        net, _ = example3(n=n, numeric=True)
        f, p = bs.blended_coherent(net, basis="full"), bs.blended_coherent(net, basis="pi")
        d = np.abs(f.generator_numeric() - p.generator_numeric(sparse=False)).max()
        out["numeric"][f"example3 n={n}"] = float(d)
    return out


TASKS = {
    "example3": _task_example3,
    "pi_blendsym": _task_pi_blendsym,
    "piqs": _task_piqs,
    "deviation": _task_deviation,
}


def _run_child(task: str, args: dict, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.pi_coherent", "--child", task, json.dumps(args)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(_REPO_ROOT))
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


# ----------------------------------------------------------------------------- the run


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover
        return []


def run(sizes, piqs_sizes, budget: float, krylov_dim: int, log=print) -> dict:
    import tempfile

    result: dict = {
        "load_before": _load(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "T": T_FINAL,
        "outputs": N_TIMES,
        "krylov_dim": krylov_dim,
    }
    result["example3"] = []
    for n in sizes:
        r = _run_child(
            "example3", {"n": n, "reference": n <= 50, "krylov_dim": krylov_dim}, timeout=budget
        )
        log(f"example3 n={n}: {r}")
        result["example3"].append(dict(r, n=n))
    result["piqs"] = []
    tmp = Path(tempfile.mkdtemp(prefix="pi_bench_"))
    piqs_skip = False
    for n in piqs_sizes:
        row: dict = {"n": n}
        ref = tmp / f"ref{n}.npy"
        # the reference always uses the Krylov propagator (m = 60, tol = 1e-12), independent of
        # the dense exponentials that method="auto" uses for p <= 700
        row["reference"] = _run_child(
            "pi_blendsym",
            {"n": n, "tol": 1e-12, "save": str(ref), "method": "krylov"},
            timeout=budget,
        )
        runs = {
            "blendsym tol=1e-6": ("pi_blendsym", {"tol": 1e-6}),
            "blendsym tol=1e-9": ("pi_blendsym", {"tol": 1e-9}),
            "PIQS rtol=1e-6": ("piqs", {"atol": 1e-8, "rtol": 1e-6}),
            "PIQS rtol=1e-9": ("piqs", {"atol": 1e-11, "rtol": 1e-9}),
        }
        for name, (task, extra) in runs.items():
            if task == "piqs" and piqs_skip:
                row[name] = {
                    "error_message": "skipped: PIQS exceeded the budget at this or a smaller n"
                }
                continue
            save = tmp / f"{name.replace(' ', '_')}_{n}.npy"
            r = _run_child(task, dict(extra, n=n, save=str(save)), timeout=budget)
            if "error_message" not in r and ref.exists():
                a, b = np.load(save), np.load(ref)
                r["max_dJz"] = float(np.abs(a[0] - b[0]).max())
                r["max_dJpJm_rel"] = float(
                    np.abs(a[1] - b[1]).max() / max(np.abs(b[1]).max(), 1e-300)
                )
            if task == "piqs" and "timeout" in r.get("error_message", ""):
                piqs_skip = True
            row[name] = r
            log(f"pi model n={n} {name}: {r}")
        result["piqs"].append(row)
    result["deviation"] = _run_child("deviation", {}, timeout=budget)
    log(f"deviation: {result['deviation']}")
    result["load_after"] = _load()
    return result


def _fmt(x, spec=".3g") -> str:
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    return format(x, spec)


def markdown_report(res: dict, command: str) -> str:
    lines = [
        BEGIN,
        "<!-- generated by python -m benchmarks pi_coherent; edit the prose around it freely -->",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {res['platform']}, {res['cpus']} cores, Python {res['python']}; "
        f"load average {res['load_before']} before and {res['load_after']} after the run "
        "(the machine is shared: wall times include other users' load, CPU times less so).",
        "",
        f"Example 3 on n qubits, Kac-normalised, T = {res['T']:g}, {res['outputs']} "
        f"outputs (with <J_z>, two-site concurrence and purity at each), Krylov m = "
        f"{res['krylov_dim']}, tol = 1e-9:",
        "",
        "| n | p | nnz(R) | model s | generator s | y_d(0) s | evolve wall s | evolve CPU s "
        "| applications | max abs error <J_z> | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in res["example3"]:
        if "error_message" in r:
            lines.append(f"| {r['n']} | {r['error_message']} |||||||||| ")
            continue
        lines.append(
            f"| {r['n']} | {r['p']} | {r['nnz']} | {_fmt(r['model_s'])} | "
            f"{_fmt(r['generator_s'])} | {_fmt(r['state_s'])} | {_fmt(r['evolve_s'])} | "
            f"{_fmt(r['evolve_cpu_s'])} | {r['applications']} | {_fmt(r.get('max_dJz'))} | "
            f"{_fmt(r['peak_rss_mib'], '.0f')} |"
        )
    lines += [
        "",
        "PI model (local emission, local dephasing, collective emission) from a Dicke "
        "superposition, T = 10, 101 outputs; errors against a blendsym Krylov run with "
        "tol = 1e-12 (blendsym: model, generator and y_d(0) in build; PIQS: Dicke(...)"
        ".liouvillian() and the initial state in build, mesolve in evolve):",
        "",
        "| n | run | build s | evolve s | max abs error <J_z> | max rel. error "
        "<J_+J_-> | peak MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in res["piqs"]:
        for name, r in row.items():
            if name in ("n", "reference"):
                continue
            if "error_message" in r:
                lines.append(f"| {row['n']} | {name} | {r['error_message']} |||||")
                continue
            lines.append(
                f"| {row['n']} | {name} | {_fmt(r['build_s'])} | {_fmt(r['evolve_s'])} | "
                f"{_fmt(r.get('max_dJz'))} | {_fmt(r.get('max_dJpJm_rel'))} | "
                f"{_fmt(r['peak_rss_mib'], '.0f')} |"
            )
    dev = res.get("deviation", {})
    if "exact" in dev:
        lines += [
            "",
            'Against the 4^n construction (`basis="full"`): '
            + "; ".join(
                f"{k}: {'exactly equal' if v else 'DIFFERENT'}" for k, v in dev["exact"].items()
            )
            + "; largest entry difference of B: "
            + ", ".join(f"{k}: {v:.2g}" for k, v in dev["numeric"].items())
            + ".",
        ]
    lines += ["", END]
    return "\n".join(lines)


def _write_report(path: Path, block: str) -> None:
    text = path.read_text() if path.exists() else ""
    if BEGIN in text and END in text:
        a, b = text.index(BEGIN), text.index(END) + len(END)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        args = json.loads(argv[2])
        print(json.dumps(TASKS[argv[1]](**args)))
        return 0
    p = argparse.ArgumentParser(
        prog="python -m benchmarks pi_coherent", description=__doc__.split("\n")[0]
    )
    p.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 50, 100, 200])
    p.add_argument("--piqs-sizes", type=int, nargs="+", default=[10, 20, 50, 100])
    p.add_argument("--budget", type=float, default=3600.0, help="seconds per child run")
    p.add_argument("--krylov-dim", type=int, default=30)
    p.add_argument("--quick", action="store_true", help="n = 10, 20 only")
    p.add_argument("--out", type=Path, default=Path("docs/performance.md"))
    p.add_argument("--json", type=Path, default=Path("docs/performance_pi.json"))
    a = p.parse_args(argv)
    sizes, piqs_sizes = ([10, 20], [10, 20]) if a.quick else (a.sizes, a.piqs_sizes)
    res = run(
        sizes,
        piqs_sizes,
        a.budget,
        a.krylov_dim,
        log=lambda s: print(s, file=sys.stderr, flush=True),
    )
    command = "python -m benchmarks pi_coherent" + (" " + " ".join(argv) if argv else "")
    a.json.write_text(json.dumps(res, indent=1))
    _write_report(a.out, markdown_report(res, command))
    print(f"wrote {a.out} and {a.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
