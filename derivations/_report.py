"""Tiny printing helpers shared by the derivation scripts."""

import sympy

_results = []


def show(label, value):
    """Print a recomputed quantity."""
    if isinstance(value, sympy.MatrixBase):
        value = sympy.sstr(value.applyfunc(sympy.nsimplify))
    print(f"  {label}: {value}")


def agree(label, ok, paper=None, computed=None):
    """Print whether the paper's statement agrees with the computation."""
    _results.append(bool(ok))
    tag = "agrees" if ok else "DISAGREES (erratum)"
    print(f"[{tag}] {label}")
    if paper is not None:
        print(f"    paper prints: {paper}")
    if computed is not None:
        print(f"    computed:     {computed}")


def summary():
    n_ok = sum(_results)
    print(f"\n{len(_results)} statements checked: {n_ok} agree, {len(_results) - n_ok} errata")
