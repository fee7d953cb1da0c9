r"""LaTeX of the model and blended equations in the paper's notation.

Operators are written with :math:`\sigma_x,\sigma_y,\sigma_z,\sigma_\pm` and site
superscripts :math:`\sigma^{(j)}`; Hermitian single-qubit operators in the Pauli basis,
other single-qubit operators (jump operators) in the basis
:math:`\{I,\sigma_z,\sigma_+,\sigma_-\}`; equations in commutator and
:math:`\mathcal D(\cdot)` form, e.g. eq. (9):

.. math::

    \frac{d\rho_b}{dt} = -\frac{i}{\hbar}\left[\frac{1}{3}\sigma_z, \rho_b\right]
      + \frac{1}{3}\left(\mathcal{D}(\sigma_-)\rho_b + \mathcal{D}(\sqrt{3}\sigma_+)\rho_b\right).
"""

from __future__ import annotations

import sympy

from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator

__all__ = [
    "operator_latex",
    "single_qubit_latex",
    "network_equation_latex",
    "reduced_state_equations_latex",
    "blended_equation_latex",
]

_PAULI_TEX = {"X": r"\sigma_x", "Y": r"\sigma_y", "Z": r"\sigma_z"}


def _coeff_term(c: sympy.Expr, symbol: str) -> str:
    """``c symbol`` with the usual simplifications (1, -1, parentheses for sums)."""
    c = sympy.nsimplify(c) if not c.has(sympy.Float) else c
    if c == 1:
        return symbol
    if c == -1:
        return "-" + symbol
    tex = sympy.latex(c)
    if isinstance(c, sympy.Add):
        tex = rf"\left({tex}\right)"
    return f"{tex} {symbol}" if symbol else tex


def _join(terms: list[str]) -> str:
    if not terms:
        return "0"
    out = terms[0]
    for t in terms[1:]:
        out += f" - {t[1:]}" if t.startswith("-") else f" + {t}"
    return out


def single_qubit_latex(m, site: int | None = None, hermitian: bool | None = None) -> str:
    r"""A 2x2 operator as :math:`a\sigma_x + \dots` (Hermitian) or :math:`a\sigma_+ + \dots`."""
    m = sympy.Matrix(m)
    sup = f"^{{({site})}}" if site is not None else ""
    if hermitian is None:
        hermitian = (m - m.H).applyfunc(sympy.simplify).is_zero_matrix
    if hermitian:
        half = sympy.Rational(1, 2)
        coeffs = [
            ("I", sympy.simplify(half * (m[0, 0] + m[1, 1]))),
            ("X", sympy.simplify(half * (m[0, 1] + m[1, 0]))),
            ("Y", sympy.simplify(half * sympy.I * (m[0, 1] - m[1, 0]))),
            ("Z", sympy.simplify(half * (m[0, 0] - m[1, 1]))),
        ]
        names = {"I": "I", **{k: v + sup for k, v in _PAULI_TEX.items()}}
    else:
        half = sympy.Rational(1, 2)
        coeffs = [
            ("I", sympy.simplify(half * (m[0, 0] + m[1, 1]))),
            ("Z", sympy.simplify(half * (m[0, 0] - m[1, 1]))),
            ("+", sympy.simplify(m[1, 0])),
            ("-", sympy.simplify(m[0, 1])),
        ]
        names = {"I": "I", "Z": r"\sigma_z" + sup, "+": r"\sigma_+" + sup, "-": r"\sigma_-" + sup}
    return _join([_coeff_term(c, names[k]) for k, c in coeffs if c != 0])


def operator_latex(op: SiteOperator) -> str:
    r"""A site operator in the paper's notation (:math:`\sigma_z^{(1)} + \sigma_x^{(1)}\sigma_y^{(2)}`)."""
    herm = op.is_hermitian() is True
    singles: dict[int, dict] = {}
    multi = []
    ident = sympy.Integer(0)
    for key, c in op.terms.items():
        if not key:
            ident += c
        elif len(key) == 1:
            singles.setdefault(key[0][0], {})[((1, key[0][1]),)] = c
        else:
            multi.append((key, c))
    terms = []
    if ident != 0:
        terms.append(_coeff_term(ident, "I"))
    for site in sorted(singles):
        local = SiteOperator(singles[site]).to_matrix(1, "sympy")
        tex = single_qubit_latex(sympy.Matrix(local), site, hermitian=herm)
        terms.extend(_split_terms(tex))
    for key, c in sorted(multi):
        sym = "".join(f"{_PAULI_TEX[p]}^{{({s})}}" for s, p in key)
        terms.append(_coeff_term(c, sym))
    return _join(terms)


def _split_terms(tex: str) -> list[str]:
    """Undo :func:`_join` on a flat sum (no nested sums at top level)."""
    out, depth, cur = [], 0, ""
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        if depth == 0 and tex[i : i + 3] in (" + ", " - "):
            out.append(cur)
            cur = "-" if tex[i + 1] == "-" else ""
            i += 3
            continue
        cur += ch
        i += 1
    out.append(cur)
    return [t for t in out if t]


def _i_over_hbar(hbar) -> str:
    if sympy.sympify(hbar) == 1:
        return r"-\frac{i}{\hbar}"
    return rf"-\frac{{i}}{{{sympy.latex(hbar)}}}"


def _dissipator(g, l_tex: str, state: str) -> str:
    d = rf"\mathcal{{D}}\left({l_tex}\right){state}"
    return _coeff_term(g, d)


def network_equation_latex(net: QuantumNetwork) -> str:
    r"""Eq. (4) for ``net``, with its Hamiltonian, jumps and edges written out."""
    parts = []
    if not net.hamiltonian.is_zero():
        parts.append(
            rf"{_i_over_hbar(net.hbar)}\left[{operator_latex(net.hamiltonian)}, \rho\right]"
        )
    for g, l_op in net.jumps:
        parts.append(_dissipator(g, operator_latex(l_op), r"\rho"))
    if net.graph.edges:
        inner = _join(
            [_coeff_term(a, rf"\mathcal{{D}}(U_{{{j}{k}}})\rho") for j, k, a in net.graph.edges]
        )
        parts.append(_coeff_term(net.coupling, rf"\left({inner}\right)"))
    return r"\frac{d\rho}{dt} = " + _join(parts)


def reduced_state_equations_latex(net: QuantumNetwork) -> list[str]:
    r"""Eq. (5) for each qubit of a separable ``net``."""
    from ..section4.reduced import local_models

    out = []
    w = net.graph.weights
    for m in local_models(net):
        j = m.site
        r = rf"\rho_{{{j}}}"
        parts = []
        if not sympy.Matrix(m.hamiltonian).is_zero_matrix:
            parts.append(
                rf"{_i_over_hbar(m.hbar)}\left[{single_qubit_latex(m.hamiltonian, hermitian=True)}, {r}\right]"
            )
        for g, l_m in m.jumps:
            parts.append(_dissipator(g, single_qubit_latex(l_m, hermitian=False), r))
        coupling = [
            _coeff_term(w[j - 1, k - 1], rf"\left(\rho_{{{k}}} - {r}\right)")
            for k in range(1, net.n + 1)
            if w[j - 1, k - 1] != 0
        ]
        if coupling:
            parts.append(_coeff_term(net.coupling, rf"\left({_join(coupling)}\right)"))
        out.append(rf"\frac{{d{r}}}{{dt}} = " + _join(parts))
    return out


def blended_equation_latex(b) -> str:
    r"""The blended reduced-state equation (6) of ``b`` in the form of eqs. (9) and (12)."""
    n = b.n
    frac = rf"\frac{{1}}{{{n}}}"
    parts = []
    h_sum = sympy.Matrix(b.hamiltonian) * n
    if not h_sum.is_zero_matrix:
        h_tex = single_qubit_latex(h_sum, hermitian=True)
        inner = rf"{frac}\left({h_tex}\right)" if len(_split_terms(h_tex)) > 1 else f"{frac}{h_tex}"
        parts.append(rf"{_i_over_hbar(b.hbar)}\left[{inner}, \rho_b\right]")
    diss = [
        _dissipator(sympy.expand(g * n), single_qubit_latex(l_m, hermitian=False), r"\rho_b")
        for g, l_m in b.dissipators
    ]
    if len(diss) == 1:
        parts.append(f"{frac}{diss[0]}")
    elif diss:
        parts.append(rf"{frac}\left({_join(diss)}\right)")
    return r"\frac{d\rho_b}{dt} = " + _join(parts)


def coherent_equation_latex(net: QuantumNetwork) -> str:
    r"""The blended coherent dynamics (17), :math:`\dot{\mathbf y}_d = P_d^\top A_d P_d\,\mathbf y_d`,
    with the exact :math:`p\times p` generator written out as a ``bmatrix``.

    The generator's entries are block sums of :math:`A_d` computed from the Pauli strings of
    the Hamiltonian and the jump operators (:attr:`BlendedCoherent.generator`): the exact
    :math:`4^n\times4^n` Liouvillian is never built.  Exact entries are printed as they are
    (SymPy's expanded form); ``nsimplify``, which guesses a closed form from 30 digits, is not
    applied to them (it printed, e.g., :math:`-\tfrac34 - \tfrac{11\sqrt3}2i - i +
    \tfrac{8\sqrt5}{25}i` as a product of powers of 2, 3, 5, 7 that differs from it by
    :math:`10^{-17}`)."""
    from ..section5.coherent import blended_coherent

    g = sympy.Matrix(blended_coherent(net).generator)
    rows = [" & ".join(sympy.latex(v) for v in g.row(i)) for i in range(g.rows)]
    body = r" \\ ".join(rows)
    return (
        r"\frac{d\mathbf{y}_d}{dt} = \begin{bmatrix} " + body + r" \end{bmatrix}\mathbf{y}_d,"
        rf"\qquad \mathbf{{y}}_d \in \mathbb{{C}}^{{{g.rows}}}"
    )
