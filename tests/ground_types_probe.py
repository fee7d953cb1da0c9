"""Key exact computations of blendsym, printed as one JSON line of canonical strings.

Run by ``tests/test_ground_types.py`` in a fresh interpreter per SymPy ground type
(``SYMPY_GROUND_TYPES=python|gmpy|flint``) and prime-field kernel (``numpy`` or ``auto``):
every backend must print the same results.  Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import json
import sys

import sympy


def canonical(x) -> str:
    """A string that two equal results share whatever the backend (SymPy's ``srepr``;
    polynomials by expression and domain; unordered collections sorted)."""
    if isinstance(x, sympy.Poly):
        return f"Poly({sympy.srepr(x.as_expr())}, {x.domain})"
    if isinstance(x, dict):
        return (
            "{" + ", ".join(sorted(f"{canonical(k)}: {canonical(v)}" for k, v in x.items())) + "}"
        )
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(canonical(v) for v in x) + "]"
    if isinstance(x, (bool, int, float, str)) or x is None:
        return repr(x)
    return sympy.srepr(x)


def compute() -> dict:
    from blendsym import paper
    from blendsym.section4.blended import blended_reduced_state
    from blendsym.section5.coherent import blended_coherent
    from blendsym.spectral import analyze, matrix_exponential
    from blendsym.spectral.fields import _field_matrix
    from blendsym.spectral.modular import _modular_gcd, _ModularEngine

    out: dict = {}
    for name, ex in (("example1", paper.example1), ("example2", paper.example2)):
        b = blended_reduced_state(ex()[0])
        an = b.spectral
        out[name] = {
            "generator": b.generator,
            "chi": an.characteristic_polynomial,
            "jordan": an.jordan_structure,
            "steady_states": an.steady_states,
            "mu": an.mu,
            "f_degree": an.f_degree,
            "relaxing": an.is_relaxing,
        }
    c = blended_coherent(paper.example3()[0])
    an = c.spectral
    out["example3"] = {
        "consensus": c.consensus_generator(),
        "chi": an.characteristic_polynomial,
        "by_factor": sorted((canonical(q), m, b) for q, m, b in an.jordan_structure_by_factor),
        "kernel": an.kernel,
        "relaxing": an.is_relaxing,
        "mu_numeric": repr(an.mu_numeric),
        "steady_states": c.steady_states(),
    }
    i, s2 = sympy.I, sympy.sqrt(2)
    a = sympy.Matrix(
        [[-1, 1, 0, 0, 0], [0, -1, 0, 0, 0], [0, 0, i, s2, 0], [0, 0, 0, i, 0], [1, 0, 0, 0, 0]]
    )
    p = sympy.Matrix(5, 5, lambda r, k: 1 if r == k else (1 if k == r + 1 else 0))  # unimodular
    p[4, 0] = 2
    m = p * a * p.inv()
    an = analyze(m)
    out["algebraic_jordan"] = {
        "chi": an.characteristic_polynomial,
        "by_factor": sorted((canonical(q), mm, b) for q, mm, b in an.jordan_structure_by_factor),
        "jordan": an.jordan_structure,
        "kernel": an.kernel,
        "invariant": an.invariant_subspace,
    }
    eng = _ModularEngine(_field_matrix(m).dm)
    chi = eng.charpoly()
    dchi = [cc * (len(chi) - 1 - k) for k, cc in enumerate(chi[:-1])]
    out["modular_gcd"] = [str(eng.K.to_sympy(x)) for x in _modular_gcd(eng, chi, dchi)]
    x = sympy.Symbol("x")
    comp = sympy.Matrix([[0, 0, -8], [1, 0, 4], [0, 1, 0]])  # x^3 - 4x + 8: 2*CRootOf(...)
    out["scaled_crootof"] = analyze(comp).eigenvalues
    r3 = sympy.Integer(2) ** sympy.Rational(1, 3)
    an = analyze(sympy.Matrix([[-1, r3, 0], [r3, -2, 1], [0, 1, -3 + i]]))
    out["cube_root"] = {
        "chi": an.characteristic_polynomial,
        "exact": an.exact,
        "mu_numeric": repr(an.mu_numeric),
    }
    out["expm"] = matrix_exponential(sympy.Matrix([[-1, 1], [0, -1]]))
    del x
    return {k: canonical(v) for k, v in out.items()}


def main() -> int:
    from sympy.external.gmpy import GROUND_TYPES

    from blendsym.spectral import modp

    kernels = sys.argv[1] if len(sys.argv) > 1 else "auto"
    if kernels == "numpy":
        with modp.use_backend("numpy"):
            results = compute()
    else:
        results = compute()
    print(
        json.dumps(
            {
                "ground_types": GROUND_TYPES,
                "kernels": modp.BACKEND if kernels == "auto" else kernels,
                "results": results,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
