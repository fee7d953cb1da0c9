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
    from .blended import blended_reduced_state
    from .latex import blended_equation_latex, reduced_state_equations_latex

    b = blended_reduced_state(net)
    print("Reduced-state equations (5), checked exactly against the partial trace of (4):")
    from .reduced import check_reduced_state_equations

    ok = check_reduced_state_equations(net)
    for tex, good in zip(reduced_state_equations_latex(net), ok, strict=True):
        print(f"  [{'exact' if good else 'FAILED'}] {tex}")
    print("Blended reduced-state dynamics (Definition 1, average of the local generators):")
    print(f"  {blended_equation_latex(b)}")
    _print_matrix("rho_b(0)", b.initial_state(rho0))
    spec = b.spectral
    print(f"relaxing: {spec.is_relaxing}")
    for k, ss in enumerate(spec.steady_states):
        _print_matrix(f"steady state {k + 1}", ss)
    print(f"mu = {spec.mu}")
    print(f"Jordan structure (eigenvalue: block sizes): {spec.jordan_structure}")


def _cmd_example(args) -> int:
    from .latex import network_equation_latex
    from .paper import examples
    from .reduced import separability

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
            from .coherent import blended_coherent
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
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BlendsymError as exc:
        print(f"blendsym: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
