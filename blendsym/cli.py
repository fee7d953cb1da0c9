"""The ``blendsym`` command.

Exit status: 0 success; 2 bad input (a :class:`~blendsym.errors.BlendsymError`, e.g. a
malformed model file or option, or a request too large to run: the message goes to stderr,
without a traceback; argparse's usage errors are 2 as well); 1 only when the command's own
result is negative (``blendsym check``: a property failed).
"""

from __future__ import annotations

import argparse
import math
import sys

import sympy

from .errors import BlendsymError

__all__ = [
    "main",
    "SIMULATE_MAX_QUBITS",
    "SIMULATE_MAX_BYTES",
    "ANALYZE_EXACT_CHECK_MAX_QUBITS",
    "COHERENT_MAX_QUBITS",
]

#: Largest number of qubits ``blendsym simulate`` runs (a 2048 x 2048 state, 64 MiB).
SIMULATE_MAX_QUBITS = 11
#: Largest trajectory ``blendsym simulate`` stores per coupling gain (output times x states).
SIMULATE_MAX_BYTES = 2 * 1024**3
#: Largest ``n`` for which ``blendsym analyze`` checks eq. (5) exactly against the partial
#: trace of (4) (the exact 4^n x 4^n generator: 6 s at n = 6, 24 s at n = 7, 150 s at n = 8).
ANALYZE_EXACT_CHECK_MAX_QUBITS = 6
#: Largest ``n`` for which ``analyze`` runs the exact spectral analysis of Definition 2
#: (p = 286 coordinates at n = 10; on the induced graph G_d
#: on 4^n nodes this took 3 min and 2.6 GB).  Beyond, ``analyze`` describes the sparse
#: generator in PI coordinates (any n) and ``simulate --coherent`` evolves it.  ``latex``
#: writes Definition 2 in operator form at any n (blendsym.io.latex_average).
COHERENT_MAX_QUBITS = 10


def _print_matrix(name: str, m) -> None:
    print(f"{name} =")
    sympy.pprint(sympy.Matrix(m), use_unicode=False)


def _describe_blended(net, rho0, report=None) -> None:
    from ._cli_analyze import Report, describe_blended

    describe_blended(net, rho0, report or Report(), ANALYZE_EXACT_CHECK_MAX_QUBITS)


def _cmd_example(args) -> int:
    from .io.latex import network_equation_latex
    from .paper import examples
    from .section4.reduced import separability

    builders = {1: examples.example1, 2: examples.example2, 3: examples.example3}
    net, rho0 = builders[args.number]()
    print(f"Example {args.number}")
    print(f"  model (4): {network_equation_latex(net)}")
    rep = separability(net)
    print(f"  Assumption 1: {rep}")
    if rep:
        _describe_blended(net, rho0)
    else:
        try:
            from .section5.coherent import blended_coherent
        except ImportError:  # pragma: no cover
            print("blended coherent dynamics: not available in this installation")
            return 0
        from ._cli_analyze import Report, describe_coherent

        describe_coherent(blended_coherent(net), Report())
    return 0


def _cmd_verify(args) -> int:
    from .paper.render import run_verify

    return run_verify(args)


def _load(path):
    from .io.modelfile import load_model

    return load_model(path)


def _theorem_settings(spec) -> tuple[float, float, float]:
    from .io.modelfile import THEOREM_DEFAULTS

    t = {**THEOREM_DEFAULTS, **spec.theorems}
    return t["eta"], t["T1"], t["T2"]


def _size(nbytes: float) -> str:
    from .io.toml_input import _size as size

    return size(nbytes)


def _cmd_analyze(args) -> int:
    from ._cli_analyze import Report, apply_settings, describe_coherent
    from .bounds import theorem1, theorem2, theorem3, theorem4
    from .io.coherent_text import describe_coherent as describe_coherent_summary
    from .io.coherent_text import model_line, short
    from .section4.reduced import separability

    spec = _load(args.model)
    net = apply_settings(spec.net, args.set)
    rho0 = spec.rho0
    rep = separability(net)
    print(f"model: {spec.name or args.model}")
    if args.set:
        print(f"  with {', '.join(args.set)}")
    print(f"  {model_line(net)}")
    print(f"Assumption 1: {short(rep)}")
    eta, t1, t2 = _theorem_settings(spec)
    report = Report(symbolic=bool(net.parameters))
    if rep:
        _describe_blended(net, rho0, report)
        bounds = [
            lambda: theorem1(net, rho0, eta),
            lambda: theorem2(net, rho0, eta, t1, t2),
        ]
    else:
        from .section5.coherent import blended_coherent

        c = blended_coherent(net)
        exact_max_p = math.comb(COHERENT_MAX_QUBITS + 3, 3)
        if c.p <= exact_max_p:
            describe_coherent(c, report)
        else:  # the sparse PI generator, summarised
            for line in describe_coherent_summary(c, exact_max_p=exact_max_p):
                print(line)
        bounds = [
            lambda: theorem3(net, rho0, eta, t1, t2),
            lambda: theorem4(net, rho0, eta, t1),
        ]
    free = sorted(map(str, net.parameters))
    if rho0 is None:
        print("no [initial_state]: theorem bounds skipped")
    elif free:
        print(f"symbolic parameters {free}: theorem bounds skipped (every K_c* needs numbers)")
        report.needs_numbers.append("theorem bounds (K_c*)")
    elif net.graph.edges:
        from ._cli_thresholds import print_bounds

        print_bounds(net, bounds, eta, t1, t2, thresholds=args.thresholds, rtol=args.kc_rtol)
    else:
        print("no edges: no coupling, the theorem bounds do not apply")
    if report.needs_numbers:
        names = ", ".join(f"{p}=..." for p in free) or "numeric values"
        print(f"needs numbers: {'; '.join(report.needs_numbers)} (give values with --set {names})")
    return 0


def _cmd_latex(args) -> int:
    from .errors import SizeLimitError
    from .io.latex import coherent_equation_latex
    from .io.latex_document import latex_sections, standalone_document
    from .section4.reduced import is_separable

    spec = _load(args.model)
    net = spec.net
    sections = latex_sections(net, coherent=False)
    # Definition 2 in operator form: polynomial in n; refused only for a jump whose
    # non-invariant part acts on more than limits.AVERAGE_FORM_SUPPORT sites
    missing = ""
    try:
        sections.append(
            ("blended coherent dynamics (Definition 2)", [coherent_equation_latex(net)])
        )
    except SizeLimitError as exc:
        if not is_separable(net):  # nothing else to print
            raise SizeLimitError(f"{args.model}: Definition 2 not derived: {exc}") from None
        missing = str(exc)
    notes = (f"Definition 2 not derived: {missing}",) if missing else ()
    if args.standalone:
        text = standalone_document(sections, title=spec.name or str(args.model), notes=notes)
    else:
        lines = []
        for name, eqs in sections:
            lines.append(f"% {name}")
            lines.extend(eqs)
        if missing:
            lines.append("% blended coherent dynamics (Definition 2)")
            lines.append(f"% not derived: {missing}")
        text = "\n".join(lines) + "\n"
    if missing:
        print(f"blendsym: note: Definition 2 not derived: {missing}", file=sys.stderr)
    if args.output:
        from .errors import InvalidArgumentError

        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise InvalidArgumentError(
                f"-o: cannot write {args.output!r}: {exc.strerror or exc}"
            ) from None
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _cmd_simulate(args) -> int:
    import numpy as np

    from ._validate import check_int, check_real
    from .errors import InvalidArgumentError
    from .io.modelfile import MAX_GAINS, MAX_NUM_TIMES, SIMULATION_DEFAULTS
    from .model.permutations import permutation_invariant_projection
    from .numeric.evolve import simulate

    # the options first: a bad option is refused before the model is read
    if args.kc is not None:
        if len(args.kc) > MAX_GAINS:
            raise InvalidArgumentError(f"--kc: {len(args.kc)} gains (at most {MAX_GAINS})")
        for k in args.kc:
            check_real(k, "--kc", positive=True)
    if args.t_final is not None:
        check_real(args.t_final, "--t-final", positive=True)
    if args.num_times is not None:
        check_int(args.num_times, "--num-times", minimum=2, maximum=MAX_NUM_TIMES)
    spec = _load(args.model)
    net = spec.net
    if spec.rho0 is None:
        raise InvalidArgumentError(
            f"{args.model}: the model has no [initial_state] to simulate from"
        )
    sim = {**SIMULATION_DEFAULTS, **spec.simulation}
    t_final = args.t_final if args.t_final is not None else sim["t_final"]
    num = args.num_times if args.num_times is not None else sim["num_times"]
    if args.coherent:
        from .io.coherent_text import simulate_coherent

        times = np.linspace(0.0, t_final, num)
        for line in simulate_coherent(
            net, spec.rho0, times, csv=args.csv, plot=args.plot, title=spec.name or None
        ):
            print(line)
        return 0
    d = net.dim
    if net.n > SIMULATE_MAX_QUBITS:
        raise InvalidArgumentError(
            f"{args.model}: n = {net.n} qubits is too large to simulate: a state is a {d} x {d} "
            f"matrix ({_size(16 * d * d)}) and the generator of (4) acts on vectors of length "
            f"{d * d}; blendsym simulate handles n <= {SIMULATE_MAX_QUBITS} (add --coherent to "
            "simulate the blended coherent dynamics (Definition 2) at any n)"
        )
    from .model.structured_states import is_structured_state

    if is_structured_state(spec.rho0):
        raise InvalidArgumentError(
            f"{args.model}: the initial state is given by its factors (no 2^n x 2^n matrix); "
            "add --coherent to simulate the blended coherent dynamics (Definition 2)"
        )
    kcs = args.kc if args.kc is not None else spec.simulation.get("kc")
    if kcs is None:
        if net.coupling.free_symbols:
            raise InvalidArgumentError("give --kc (the model leaves K_c symbolic)")
        kcs = [float(net.coupling)]
    kcs = [kcs] if isinstance(kcs, float) else kcs
    need = num * 16 * d * d
    if need > SIMULATE_MAX_BYTES:
        raise InvalidArgumentError(
            f"{args.model}: {num} output times of a {d} x {d} state take {_size(need)} "
            f"(at most {_size(SIMULATE_MAX_BYTES)}): use fewer output times (--num-times)"
        )
    times = np.linspace(0.0, t_final, num)
    rows = []
    trajs = {}
    for kc in kcs:
        traj = simulate(net, spec.rho0, times, kc=kc)
        trajs[kc] = traj
        blochs = [traj.bloch(j) for j in range(1, net.n + 1)]
        dist = np.array(
            [np.linalg.norm(s - permutation_invariant_projection(s)) for s in traj.states]
        )
        for i, t in enumerate(times):
            rows.append([kc, t, *[c for b in blochs for c in b[i]], dist[i]])
        print(
            f"K_c = {kc:g}: ||rho(T) - P_*(rho(T))||_F = {dist[-1]:.3e}; "
            + ", ".join(
                f"r_{j + 1}(T) = ({', '.join(f'{c:+.4f}' for c in b[-1])})"
                for j, b in enumerate(blochs)
            )
        )
    if args.csv:
        header = (
            ["kc", "t"] + [f"r{j}_{a}" for j in range(1, net.n + 1) for a in "xyz"] + ["dist_PI"]
        )
        try:
            with open(args.csv, "w", encoding="utf-8") as fh:
                fh.write(",".join(header) + "\n")
                for r in rows:
                    fh.write(",".join(f"{v:.12g}" for v in r) + "\n")
        except OSError as exc:
            raise InvalidArgumentError(
                f"--csv: cannot write {args.csv!r}: {exc.strerror or exc}"
            ) from None
        print(f"wrote {args.csv}", file=sys.stderr)
    if args.plot:
        from .plot import plot_trajectory

        eta = _theorem_settings(spec)[0]
        fig = plot_trajectory(trajs, net, spec.rho0, eta=eta, title=spec.name or None)
        try:
            fig.savefig(args.plot, dpi=110)
        except (OSError, ValueError) as exc:
            raise InvalidArgumentError(f"--plot: cannot write {args.plot!r}: {exc}") from None
        print(f"wrote {args.plot}", file=sys.stderr)
    return 0


def _cmd_check(args) -> int:
    from .check import check_model

    spec = _load(args.model)
    results = check_model(spec.net, max_examples=args.examples)
    width = max(len(r.name) for r in results)
    for r in results:
        print(f"{'held' if r.held else 'FAILED':<7} {r.name:<{width}}  {r.detail}")
    failed = [r for r in results if not r.held]
    print(f"\n{len(results)} properties: {len(results) - len(failed)} held, {len(failed)} failed")
    return 1 if failed else 0


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive number, found {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="blendsym",
        description="Blended dynamics of open quantum networks: exact derivations and checks.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser(
        "example", help="derive the blended dynamics of one of the paper's examples"
    )
    ex.add_argument("number", type=int, choices=(1, 2, 3), help="example number (1, 2 or 3)")
    ex.set_defaults(func=_cmd_example)
    ve = sub.add_parser(
        "verify",
        help="recompute every checked claim of the paper and report which hold and which are errata",
    )
    from .paper.render import add_verify_arguments

    add_verify_arguments(ve)
    ve.set_defaults(func=_cmd_verify)
    an = sub.add_parser(
        "analyze", help="separability, blended dynamics, spectrum and K_c* of a model file"
    )
    an.add_argument("model", help="TOML model file")
    an.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="give a parameter a value (repeatable), e.g. --set omega=1.5",
    )
    an.add_argument(
        "--thresholds",
        action="store_true",
        help="also compute the certified (proved) and empirical (simulated) K_c* of each "
        "theorem for the model's initial state, side by side with the paper's (n <= 5; "
        "under a second per theorem for n <= 4, minutes at n = 5)",
    )
    an.add_argument(
        "--kc-rtol",
        type=_positive_float,
        default=0.02,
        metavar="R",
        help="relative resolution of the --thresholds searches (default 0.02)",
    )
    an.set_defaults(func=_cmd_analyze)
    la = sub.add_parser(
        "latex", help="LaTeX of the network, reduced-state, blended and coherent equations"
    )
    la.add_argument("model", help="TOML model file")
    la.add_argument(
        "--standalone",
        action="store_true",
        help="write a complete LaTeX document (compiles with pdflatex; needs amsmath)",
    )
    la.add_argument("-o", "--output", metavar="OUT.tex", help="write to this file, not stdout")
    la.set_defaults(func=_cmd_latex)
    si = sub.add_parser("simulate", help="simulate the full network (4) of a model file")
    si.add_argument("model", help="TOML model file")
    si.add_argument("--kc", type=float, nargs="+", help="coupling gains (default: the file's)")
    si.add_argument("--t-final", type=float, help="final time (default: the file's or 10)")
    si.add_argument("--num-times", type=int, help="number of output times (default 101)")
    si.add_argument(
        "--plot", metavar="PNG", help="write Bloch components and ||rho - P_*(rho)|| to PNG"
    )
    si.add_argument("--csv", metavar="FILE", help="write the trajectory (Bloch vectors) as CSV")
    si.add_argument(
        "--coherent",
        action="store_true",
        help="simulate the blended coherent dynamics (Definition 2) in PI coordinates, any n",
    )
    si.set_defaults(func=_cmd_simulate)
    ch = sub.add_parser(
        "check", help="property-based validation of a model (hypothesis draws states)"
    )
    ch.add_argument("model", help="TOML model file")
    ch.add_argument(
        "--examples", type=int, default=25, help="states drawn per property (default 25)"
    )
    ch.set_defaults(func=_cmd_check)
    return p


#: The extra of pyproject.toml that installs each optional module.
EXTRAS = {
    "matplotlib": "plot",
    "hypothesis": "check",
    "qutip": "qutip",
    "dask": "sweep",
    "distributed": "sweep",
    "tqdm": "progress",
    "flint": "fast",
    "gmpy2": "fast",
}


def _missing_extra(exc: ImportError) -> str:
    text = str(exc)
    if "pip install 'blendsym[" in text:
        return text
    name = (exc.name or "").split(".")[0]
    if not name:
        for mod in EXTRAS:
            if f"'{mod}" in text:
                name = mod
                break
    extra = EXTRAS.get(name)
    if extra is None:
        return f"{text}; a dependency is missing"
    return f"{text}; install the extra that provides it: pip install 'blendsym[{extra}]'"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BlendsymError as exc:
        print(f"blendsym: error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:
        print(f"blendsym: error: {_missing_extra(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
