r"""The one policy for floating-point numbers in exact analyses.

A model may hold floating-point coefficients: decimals in a model file read with
``exact = false``, operators built from NumPy or QuTiP arrays, rates typed as ``0.05``.
Every *exact* analysis (the blended reduced-state dynamics and its spectral data, the
blended coherent dynamics, :func:`blendsym.spectral.analyze`, ``blendsym analyze``) reads
each such float as **the decimal number it prints as**: the shortest decimal string that
rounds back to the same floating-point number (Python's ``repr``), as an exact rational.

* ``0.05 -> 1/20``, ``0.1 -> 1/10``, ``1e-3 -> 1/1000``, ``0.30000000000000004 ->
  30000000000000004/10^17`` (the float that ``0.1 + 0.2`` gives is *not* ``3/10``).
* The rational :math:`r` read for the float :math:`x` satisfies
  :math:`|r - x| \le \tfrac12\,\mathrm{ulp}(x)` (it rounds to :math:`x`), i.e. a relative
  change of at most :math:`2^{-53}\approx 1.1\times10^{-16}` per coefficient.
* Nothing is guessed: a float is never turned into a radical or a constant
  (``0.7071067811865476`` stays a 16-digit rational, not :math:`1/\sqrt2`).  Write
  algebraic numbers exactly (``sympy.sqrt(2)``, ``"sqrt(2)"`` in a model file with
  ``exact = true``) to analyse them exactly.
* The replacement is done once, on the *model* (Hamiltonian and jump coefficients, rates,
  weights, :math:`K_c`, :math:`\hbar`), before any exact algebra: products of floats are
  never formed in floating point first.  For a bare matrix given to
  :func:`~blendsym.spectral.analyze` the same rule is applied entry by entry.
* Every result that used the policy says so: ``BlendedReducedState.rationalized``,
  ``SpectralAnalysis.rationalized`` (a tuple of :class:`FloatReplacement`, empty when
  nothing was replaced), and a note printed by ``blendsym analyze``.

Numeric computations (simulation, norms, the theorems' constants) use the floats as given;
they differ from the rationalised model by round-off only.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy

__all__ = [
    "FloatReplacement",
    "FLOAT_POLICY",
    "shortest_rational",
    "rationalize_expr",
    "replacements",
    "describe_replacements",
]

#: One line naming the policy, for messages and notes.
FLOAT_POLICY = (
    "each floating-point number is read as the decimal it prints as (shortest round-trip "
    "repr, e.g. 0.05 -> 1/20), exactly"
)


@dataclass(frozen=True)
class FloatReplacement:
    """One float of the input and the exact rational an exact analysis used for it."""

    value: sympy.Float
    rational: sympy.Rational

    def __str__(self) -> str:
        return f"{_show_float(self.value)} -> {self.rational}"


def _show_float(x: sympy.Float) -> str:
    if x._prec <= 53:
        return repr(float(x))
    return str(x)


def shortest_rational(x) -> sympy.Rational:
    r"""The rational of the shortest decimal that rounds to the float ``x`` (the policy).

    ``x`` is a Python ``float`` or a ``sympy.Float``.  For a double (53-bit precision) this
    is ``Rational(repr(x))``; for a SymPy ``Float`` of higher precision, the shortest
    decimal that rounds to it at its own precision.
    """
    f = x if isinstance(x, sympy.Float) else sympy.Float(float(x))
    if f._prec <= 53:
        return sympy.Rational(repr(float(f)))
    prec = f._prec
    for digits in range(1, mpmath.libmp.prec_to_dps(prec) + 4):
        text = mpmath.libmp.to_str(f._mpf_, digits)
        if sympy.Float(text, precision=prec)._mpf_ == f._mpf_:
            return sympy.Rational(text)
    return sympy.Rational(mpmath.libmp.to_str(f._mpf_, mpmath.libmp.repr_dps(prec)))


def rationalize_expr(expr, seen: dict | None = None) -> sympy.Expr:
    """``expr`` with every ``Float`` atom replaced by :func:`shortest_rational` of it.

    ``seen`` (optional) collects ``{Float: Rational}`` for the record of what was replaced.
    """
    e = sympy.sympify(expr)
    floats = e.atoms(sympy.Float)
    if not floats:
        return e
    table = {f: shortest_rational(f) for f in floats}
    if seen is not None:
        for f, r in table.items():
            seen.setdefault(f, r)
    return e.xreplace(table)


def replacements(seen: dict) -> tuple[FloatReplacement, ...]:
    """The record of a ``seen`` table, in a stable order (by value)."""
    return tuple(
        FloatReplacement(f, r) for f, r in sorted(seen.items(), key=lambda fr: float(fr[0]))
    )


def describe_replacements(reps, limit: int = 6) -> str:
    """``"0.05 -> 1/20, 0.3 -> 3/10"`` (at most ``limit`` shown)."""
    reps = tuple(reps)
    shown = ", ".join(str(r) for r in reps[:limit])
    if len(reps) > limit:
        shown += f", ... ({len(reps)} floats)"
    return shown
