"""The ``blendsym`` command.

Exit status: 0 success, 1 a check failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys

import sympy

from .errors import BlendsymError

__all__ = ["main"]


def _print_matrix(name: str, m) -> None:
    print(f"{name} =")
    sympy.pprint(sympy.Matrix(m), use_unicode=False)


def _describe_blended(net, rho0) -> None:
    from .io.latex import blended_equation_latex, reduced_state_equations_latex
    from .section4.blended import blended_reduced_state

    b = blended_reduced_state(net)
    from .io.coherent_text import blended_initial_state
    from .section4.reduced import check_reduced_state_equations

    if net.n <= 6:
        print("Reduced-state equations (5), checked exactly against the partial trace of (4):")
        ok = check_reduced_state_equations(net)
        for tex, good in zip(reduced_state_equations_latex(net), ok, strict=True):
            print(f"  [{'exact' if good else 'FAILED'}] {tex}")
    else:
        print(f"Reduced-state equations (5): {net.n} equations (the exact check needs n <= 6)")
    print("Blended reduced-state dynamics (Definition 1, average of the local generators):")
    print(f"  {blended_equation_latex(b)}")
    rho_b0 = blended_initial_state(net, rho0)
    if rho_b0 is not None or rho0 is not None:
        _print_matrix("rho_b(0)", rho_b0 if rho_b0 is not None else b.initial_state(rho0))
    spec = b.spectral
    print(f"relaxing: {spec.is_relaxing}")
    for k, ss in enumerate(spec.steady_states):
        _print_matrix(f"steady state {k + 1}", ss)
    print(f"mu = {spec.mu}")
    print(f"Jordan structure (eigenvalue: block sizes): {spec.jordan_structure}")


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
        c = blended_coherent(net)
        print(f"Blended coherent dynamics (Definition 2): p = {c.induced.n_components} components")
        spec = c.spectral
        print(f"relaxing: {spec.is_relaxing}; mu = {spec.mu}")
        print(f"Jordan structure: {spec.jordan_structure}")
    return 0


def _cmd_verify(args) -> int:
    from .paper.report import verify_paper

    progress = None if args.json else (lambda name: print(f"checking {name} ...", file=sys.stderr))
    report = verify_paper(progress=progress)
    if args.json:
        print(report.to_json())
    else:
        print(report.table())
    if args.figures:
        from .paper.figures import write_figures

        for path in write_figures(args.figures):
            print(f"wrote {path}", file=sys.stderr)
    return 0


def _load(path):
    from .io.modelfile import load_model

    return load_model(path)


def _theorem_settings(spec) -> tuple[float, float, float]:
    t = spec.theorems
    return t.get("eta", 0.05), t.get("T1", 1.0), t.get("T2", 5.0)


def _cmd_analyze(args) -> int:
    from .bounds import theorem1, theorem2, theorem3, theorem4
    from .errors import NotComputableError
    from .io.coherent_text import describe_coherent, model_line, short
    from .section4.reduced import separability

    spec = _load(args.model)
    net = spec.net
    print(f"model: {spec.name or args.model}")
    print(f"  {model_line(net)}")
    rep = separability(net)
    print(f"Assumption 1: {short(rep)}")
    eta, t1, t2 = _theorem_settings(spec)
    if rep:
        _describe_blended(net, spec.rho0)
        bounds = [
            lambda: theorem1(net, spec.rho0, eta),
            lambda: theorem2(net, spec.rho0, eta, t1, t2),
        ]
    else:
        from .section5.coherent import blended_coherent

        c = blended_coherent(net)
        for line in describe_coherent(c):
            print(line)
        bounds = [
            lambda: theorem3(net, spec.rho0, eta, t1, t2),
            lambda: theorem4(net, spec.rho0, eta, t1),
        ]
    if spec.rho0 is None:
        print("no [initial_state]: theorem bounds skipped")
        return 0
    if net.parameters:
        print(f"symbolic parameters {sorted(map(str, net.parameters))}: theorem bounds skipped")
        return 0
    print(f"Coupling-gain thresholds (eta = {eta}, T1 = {t1}, T2 = {t2}):")
    for make in bounds:
        try:
            b = make()
        except NotComputableError as exc:
            print(f"  not applicable: {exc}")
            continue
        line = f"  {b.theorem}: K_c* = {b.kc_star:.6g}"
        if b.kc_star_printed is not None:
            line += f" (formula as printed: {b.kc_star_printed:.6g})"
        print(line)
        kinds = {k[: -len(" kind")]: v for k, v in b.constants.items() if k.endswith(" kind")}
        if kinds:
            print("    " + "; ".join(f"{k} = {b.constants[k]:.6g} ({v})" for k, v in kinds.items()))
    return 0


def _cmd_latex(args) -> int:
    from .io.latex import (
        coherent_equation_latex,
        network_equation_latex,
        reduced_state_equations_latex,
    )
    from .section4.reduced import is_separable

    spec = _load(args.model)
    net = spec.net
    print("% network, eq. (4)")
    print(network_equation_latex(net))
    if is_separable(net):
        from .section4.blended import blended_reduced_state

        print("% reduced-state equations (5)")
        for tex in reduced_state_equations_latex(net):
            print(tex)
        print("% blended reduced-state dynamics (Definition 1)")
        print(blended_reduced_state(net).latex())
    print("% blended coherent dynamics (Definition 2)")
    print(coherent_equation_latex(net))
    return 0


def _cmd_simulate(args) -> int:
    import numpy as np

    from .errors import InvalidArgumentError
    from .model.permutations import permutation_invariant_projection
    from .numeric.evolve import simulate

    spec = _load(args.model)
    net = spec.net
    if spec.rho0 is None:
        raise InvalidArgumentError(
            f"{args.model}: the model has no [initial_state] to simulate from"
        )
    if args.coherent:
        from .io.coherent_text import simulate_coherent

        t_final = args.t_final or spec.simulation.get("t_final", 10.0)
        times = np.linspace(
            0.0, t_final, int(args.num_times or spec.simulation.get("num_times", 101))
        )
        for line in simulate_coherent(net, spec.rho0, times, csv=args.csv, plot=args.plot):
            print(line)
        return 0
    if not hasattr(spec.rho0, "shape") or net.n > 12:
        raise InvalidArgumentError(
            f"{args.model}: the full network (4) has 4^{net.n} entries; add --coherent to "
            "simulate the blended coherent dynamics (Definition 2) instead"
        )
    kcs = args.kc or spec.simulation.get("kc")
    if kcs is None:
        if net.coupling.free_symbols:
            raise InvalidArgumentError("give --kc (the model leaves K_c symbolic)")
        kcs = [float(net.coupling)]
    kcs = [kcs] if isinstance(kcs, float) else kcs
    t_final = args.t_final or spec.simulation.get("t_final", 10.0)
    num = int(args.num_times or spec.simulation.get("num_times", 101))
    times = np.linspace(0.0, t_final, num)
    rows = []
    curves = {}
    for kc in kcs:
        traj = simulate(net, spec.rho0, times, kc=kc)
        blochs = [traj.bloch(j) for j in range(1, net.n + 1)]
        dist = np.array(
            [np.linalg.norm(s - permutation_invariant_projection(s)) for s in traj.states]
        )
        curves[kc] = (blochs, dist)
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
        with open(args.csv, "w", encoding="utf-8") as fh:
            fh.write(",".join(header) + "\n")
            for r in rows:
                fh.write(",".join(f"{v:.12g}" for v in r) + "\n")
        print(f"wrote {args.csv}", file=sys.stderr)
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 4, figsize=(15, 3.4))
        colours = plt.cm.viridis(np.linspace(0, 0.9, len(kcs)))
        for a, kc in enumerate(kcs):
            blochs, dist = curves[kc]
            for c in range(3):
                for j, b in enumerate(blochs):
                    axes[c].plot(
                        times,
                        b[:, c],
                        color=colours[a],
                        lw=1,
                        label=f"$K_c={kc:g}$" if j == 0 else None,
                    )
            axes[3].semilogy(
                times, np.maximum(dist, 1e-16), color=colours[a], label=f"$K_c={kc:g}$"
            )
        for c, lab in enumerate(["$r_x$", "$r_y$", "$r_z$", r"$\|\rho-\mathcal{P}_*(\rho)\|_F$"]):
            axes[c].set_title(lab)
            axes[c].set_xlabel("$t$")
        axes[0].legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
        plt.close(fig)
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
    ve.add_argument("--json", action="store_true", help="print the report as JSON")
    ve.add_argument("--figures", metavar="DIR", help="also write Figures 1, 2, 3, 6, 7 to DIR")
    ve.set_defaults(func=_cmd_verify)
    an = sub.add_parser(
        "analyze", help="separability, blended dynamics, spectrum and K_c* of a model file"
    )
    an.add_argument("model", help="TOML model file")
    an.set_defaults(func=_cmd_analyze)
    la = sub.add_parser(
        "latex", help="LaTeX of the network, reduced-state, blended and coherent equations"
    )
    la.add_argument("model", help="TOML model file")
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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BlendsymError as exc:
        print(f"blendsym: error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:
        print(
            f"blendsym: error: {exc}; install the extra that provides it "
            "(pip install 'blendsym[test]')",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
