"""What ``blendsym analyze`` and ``blendsym example`` print: every closed form that can be
derived, and, for what cannot be (a model with free symbols), which result needs numbers.

Each result is computed on its own: a step that needs numbers (the sign of a real part with
free symbols, a theorem bound) is reported as ``needs numbers: ...`` and the others are still
printed.  Exact roots are printed once, by factor of the characteristic polynomial, not once
per eigenvalue.
"""

from __future__ import annotations

import numpy as np
import sympy

from .errors import BlendsymError, InvalidArgumentError

__all__ = ["print_spectrum", "describe_blended", "apply_settings", "Report"]


class Report:
    """Collects the results that need numbers (printed at the end)."""

    def __init__(self, symbolic: bool = False) -> None:
        self.symbolic = symbolic
        self._last = ""
        self.needs_numbers: list[str] = []

    def attempt(self, label: str, fn):
        """``fn()``, or ``None`` after printing why ``label`` could not be computed."""
        try:
            return fn()
        except BlendsymError as exc:
            reason = "the same reason" if str(exc) == self._last else str(exc)
            self._last = str(exc)
            if not self.symbolic:
                print(f"{label}: not computed ({reason})")
                return None
            print(f"{label}: needs numbers ({reason})")
            self.needs_numbers.append(label)
            return None


#: Factors of at most this degree have their exact roots printed (once each).
MAX_PRINTED_ROOTS_DEGREE = 3
#: ... when their printed form is at most this long (a CRootOf repeats its polynomial).
MAX_PRINTED_ROOTS_LENGTH = 300

#: Matrices whose printed form is longer than this are summarised (shape and where to get it).
MAX_PRINTED_MATRIX = 4000
#: A Hermitian matrix too long to print exactly has its rank and eigenvalues printed up to
#: this many rows.
MAX_NUMERIC_MATRIX_ROWS = 16


def _matrix(name: str, m) -> None:
    m = sympy.Matrix(m)
    text = sympy.pretty(m, use_unicode=False)
    if len(text) > MAX_PRINTED_MATRIX:
        head = f"{name}: exact {m.rows} x {m.cols} matrix ({len(text)} characters; not printed)"
        if m.free_symbols or m.rows != m.cols or m.rows > MAX_NUMERIC_MATRIX_ROWS:
            print(head)
            return
        arr = np.array(m.evalf(15).tolist(), dtype=complex)
        if np.abs(arr - arr.conj().T).max() > 1e-12 * max(1.0, np.abs(arr).max()):
            print(head)
            return
        eig = np.linalg.eigvalsh((arr + arr.conj().T) / 2)[::-1]
        rank = int(np.sum(np.abs(eig) > 1e-12 * max(1.0, np.abs(eig).max())))
        values = ", ".join(f"{x:.4g}" for x in eig[:rank]) if rank else "0"
        print(f"{head}; Hermitian, rank {rank}, non-zero eigenvalues {values}")
        return
    print(f"{name} =")
    print(text)


def _numeric(x) -> str:
    try:
        return f"{complex(sympy.N(x, 15)).real:.6g}"
    except (TypeError, ValueError):
        return ""


def _roots(spec, f):
    """The exact roots of the factor ``f`` (``None`` when they need numbers)."""
    if spec.generic:  # symbolic coefficients: SymPy's closed forms, no sign decisions
        found = sympy.roots(f.poly.as_expr(), f.poly.gens[0])
        return list(found) if sum(found.values()) == f.poly.degree() else None
    try:
        return [r.value for _, r in spec._roots_with_values([f])]
    except BlendsymError:
        return None


def print_spectrum(
    spec,
    report: Report,
    state_name: str = "steady state",
    steady_states=None,
    positive_states=None,
) -> None:
    """Relaxing, mu (exact and numeric), the Jordan structure by factor, the steady states;
    for a degenerate kernel its Hermitian basis and a basis of density operators
    (``positive_states()``, default ``spec.positive_stationary_basis``): only density
    operators are called states."""
    relaxing = report.attempt("relaxing", lambda: spec.is_relaxing)
    if relaxing is not None:
        print(f"relaxing: {relaxing}")
    mu = report.attempt("mu", lambda: spec.mu)
    if mu is not None:
        num = None if spec.generic else spec.mu_numeric
        shown = f"{num:.6g}" if num is not None else _numeric(mu)
        print(f"mu = {mu}" + (f" = {shown}" if shown and not mu.free_symbols else ""))
    elif not report.needs_numbers or report.needs_numbers[-1] != "mu":
        print("mu: none (every eigenvalue has zero real part)")
    factors = report.attempt("Jordan structure", lambda: list(spec._factors))
    if factors is not None:
        print("spectrum, by factor of the characteristic polynomial (each root listed once):")
        for k, f in enumerate(factors, start=1):
            poly = f.poly
            deg = poly.degree()
            head = f"  F{k} = {poly.as_expr()}: multiplicity {f.multiplicity}, Jordan blocks "
            head += f"{sorted(f.blocks)} for each root"
            if deg <= MAX_PRINTED_ROOTS_DEGREE:
                roots = _roots(spec, f)
                text = None if roots is None else ", ".join(map(str, roots))
                if text is not None and len(text) <= MAX_PRINTED_ROOTS_LENGTH:
                    head += f"; roots {text}"
            else:
                head += f" (degree {deg}: roots not written out)"
            print(head)
    kernel = report.attempt("steady states", steady_states or (lambda: spec.steady_states))
    if kernel is None:
        return
    if len(kernel) == 1:
        _matrix(f"{state_name} (unique)", kernel[0])
        return
    print(
        f"stationary subspace basis (dimension {len(kernel)}; Hermitian, trace one, "
        "not necessarily positive):"
    )
    for k, m in enumerate(kernel, start=1):
        _matrix(f"  B{k}", m)
    if positive_states is None:
        positive_states = spec.positive_stationary_basis
    found = report.attempt("positive stationary states", positive_states)
    if found is None:
        return
    print(f"positive stationary states (a basis of density operators; {found.describe()}):")
    for k, m in enumerate(found, start=1):
        _matrix(f"  S{k}", m if found.exact else np.round(m, 12))


def describe_blended(net, rho0, report: Report, exact_check_max: int) -> None:
    """Eq. (5) (checked exactly for small n), Definition 1 and its spectrum."""
    from .io.latex import reduced_state_equations_latex
    from .section4.blended import blended_reduced_state
    from .section4.reduced import check_reduced_state_equations

    b = blended_reduced_state(net)
    if net.n <= exact_check_max:
        print("Reduced-state equations (5), checked exactly against the partial trace of (4):")
        ok = check_reduced_state_equations(net)
        for tex, good in zip(reduced_state_equations_latex(net), ok, strict=True):
            print(f"  [{'exact' if good else 'FAILED'}] {tex}")
    else:
        print(
            "Reduced-state equations (5) (the exact check against the partial trace of (4) "
            f"builds the 4^n x 4^n generator: done for n <= {exact_check_max}):"
        )
        for tex in reduced_state_equations_latex(net):
            print(f"  [unchecked] {tex}")
    if b.rationalized:
        from .model.rationalize import FLOAT_POLICY, describe_replacements

        print(f"note: {FLOAT_POLICY}: {describe_replacements(b.rationalized)}")
    for c in b.by_component():  # one blended dynamics per connected component of G
        if not b.is_connected:
            print(f"Component {c.index} of G (sites {list(c.sites)}):")
        print("Blended reduced-state dynamics (Definition 1, average of the local generators):")
        print(f"  {c.latex()}")
        _matrix("generator (eq. (6), row stacking)", c.generator)
        if rho0 is not None:
            from .io.coherent_text import blended_initial_state

            structured = blended_initial_state(net, rho0) if b.is_connected else None
            _matrix("rho_b(0)", structured if structured is not None else c.initial_state(rho0))
        print_spectrum(c.spectral, report)


def describe_coherent(c, report: Report) -> None:
    """Definition 2 in operator form and its spectrum."""
    print(f"Blended coherent dynamics (Definition 2): p = {c.p} components")
    if len(c.graph_components) > 1:
        comps = [list(s) for s in c.graph_components]
        print(f"  coordinates: the orbits of S_C1 x ... x S_Cr, components of G {comps}")
    report.attempt("Definition 2 (operator form)", lambda: print(f"  {c.latex()}"))
    print_spectrum(
        c.spectral,
        report,
        state_name="steady state (lifted)",
        steady_states=c.steady_states,
        positive_states=c.positive_stationary_basis,
    )


def apply_settings(net, settings: list[str] | None):
    """``net`` with the ``--set name=value`` values substituted (values parsed safely)."""
    if not settings:
        return net
    from .io.expressions import parse_expression

    names = {str(s): s for s in net.free_symbols}
    mapping = {}
    for item in settings:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise InvalidArgumentError(f"--set: expected name=value, found {item!r}")
        if name not in names:
            raise InvalidArgumentError(
                f"--set: {name!r} is not a parameter of the model (its parameters: "
                f"{', '.join(sorted(names)) or 'none'})"
            )
        mapping[names[name]] = parse_expression(value.strip(), f"--set {name}", exact=True)
    return net.subs(mapping)
