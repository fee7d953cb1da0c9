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

from ..errors import InvalidArgumentError
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator
from .latex_layout import LINE_WIDTH, Group, equation, tex_width

__all__ = [
    "operator_latex",
    "single_qubit_latex",
    "network_equation_latex",
    "reduced_state_equations_latex",
    "blended_equation_latex",
    "coherent_equation_latex",
    "coherent_matrix_latex",
    "edge_set_latex",
]

_PAULI_TEX = {"X": r"\sigma_x", "Y": r"\sigma_y", "Z": r"\sigma_z"}

#: Eq. (4) in collective form writes at most this many edges out (more: one sum over E).
MAX_EXPLICIT_EDGES = 6
#: :func:`edge_set_latex` lists at most this many edges of :math:`E` (more: their number).
MAX_LISTED_EDGES = 150


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


def single_qubit_latex(m, site: int | str | None = None, hermitian: bool | None = None) -> str:
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


def operator_latex(op: SiteOperator, hermitian: bool | None = None) -> str:
    r"""A site operator in the paper's notation (:math:`\sigma_z^{(1)} + \sigma_x^{(1)}\sigma_y^{(2)}`):
    single-qubit parts in the Pauli basis when ``hermitian`` (default: when ``op`` is), else
    in the basis :math:`\{I,\sigma_z,\sigma_\pm\}`."""
    herm = (op.is_hermitian() is True) if hermitian is None else hermitian
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


def _coeff_prefix(c) -> str:
    """The coefficient part of :func:`_coeff_term` (``''``, ``'-'`` or ``'tex '``)."""
    return _coeff_term(sympy.sympify(c), "X")[:-1]


def _operator_terms(op_tex: str) -> tuple[str, ...]:
    return tuple(_split_terms(op_tex))


def _commutator(hbar, h_terms, state: str) -> Group:
    return Group(_i_over_hbar(hbar), "[", tuple(h_terms), "]", tail=f", {state}")


def _dissipator(g, l_tex: str, state: str) -> Group | str:
    terms = _operator_terms(l_tex)
    if len(terms) == 1:
        return _coeff_term(g, rf"\mathcal{{D}}\left({l_tex}\right){state}")
    return Group(_coeff_prefix(g) + r"\mathcal{D}", "(", terms, ")", suffix=state)


def _merge_equal(pairs):
    """``[(g, X), ...]`` with equal ``X`` merged (rates added), first-seen order."""
    merged: dict = {}
    for g, x in pairs:
        merged[x] = merged.get(x, sympy.S.Zero) + g
    return [(sympy.expand(g), x) for x, g in merged.items() if sympy.expand(g) != 0]


def _edge_terms(net: QuantumNetwork, collective: bool):
    """The SWAP term of eq. (4): every edge written out, or (``collective`` and more than
    :data:`MAX_EXPLICIT_EDGES` edges) one sum over the edges."""
    edges = net.graph.edges
    if not collective or len(edges) <= MAX_EXPLICIT_EDGES:
        inner = tuple(
            _coeff_term(a, rf"\mathcal{{D}}(U_{{{_pair_index(j, k, net.n)}}})\rho")
            for j, k, a in edges
        )
        return Group(_coeff_prefix(net.coupling), "(", inner, ")")
    weights = {sympy.expand(a) for _, _, a in edges}
    n = net.n
    if len(weights) == 1:
        (a,) = weights
        over = r"j<k" if len(edges) == n * (n - 1) // 2 else r"\{j,k\}\in E"
        return _coeff_term(
            sympy.expand(a * net.coupling), rf"\sum_{{{over}}}\mathcal{{D}}(U_{{jk}})\rho"
        )
    return _coeff_term(net.coupling, r"\sum_{\{j,k\}\in E} a_{jk}\,\mathcal{D}(U_{jk})\rho")


def _require_network(net) -> None:
    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")


def _pair_index(j: int, k: int, n: int) -> str:
    """The subscript of an edge: ``12`` below ten sites, ``1,12`` from ten on (unambiguous)."""
    return f"{j}{k}" if n < 10 else f"{j},{k}"


def _wrap(first: str, items: list[str], width: float) -> list[str]:
    """``first`` followed by ``items`` (joined by spaces), broken into ``aligned`` rows no wider
    than ``width`` (a row holds at least one item)."""
    rows, line, fresh = [], first, True
    for item in items:
        if not fresh and tex_width(line + item) > width:
            rows.append(line)
            line = r"&\quad "
        line += item + r"\ "
        fresh = False
    rows.append(line)
    return rows


def _uses_edge_set(net: QuantumNetwork, collective: bool) -> bool:
    r"""Whether eq. (4) writes its SWAP term as a sum over :math:`\{j,k\}\in E`."""
    edges = net.graph.edges
    if not collective or len(edges) <= MAX_EXPLICIT_EDGES:
        return False
    equal = len({sympy.expand(a) for _, _, a in edges}) == 1
    return not (equal and len(edges) == net.n * (net.n - 1) // 2)


def edge_set_latex(
    net: QuantumNetwork, width: float = LINE_WIDTH, collective: bool | None = None
) -> str | None:
    r"""The edge set :math:`E` and weights :math:`a_{jk}` that eq. (4) sums over, when
    :func:`network_equation_latex` writes its SWAP term as :math:`\sum_{\{j,k\}\in E}`
    (``None`` otherwise: every edge is written out, or the graph is complete with equal weights).

    The edges are listed up to :data:`MAX_LISTED_EDGES` (above it their number is given), broken
    over lines of ``width``; unequal weights are given as the most common weight and the
    edges that differ from it."""
    _require_network(net)
    from .latex_collective import COLLECTIVE_MIN_QUBITS

    use = net.n >= COLLECTIVE_MIN_QUBITS if collective is None else bool(collective)
    if not net.graph.edges or not _uses_edge_set(net, use):
        return None
    edges = net.graph.edges
    if len(edges) <= MAX_LISTED_EDGES:
        items = [rf"\{{{j},{k}\}}," for j, k, _ in edges]
        items[-1] = items[-1][:-1] + r"\}"
        rows = _wrap(r"E ={}& \{", items, width)
    else:
        rows = [rf"E ={{}}& \text{{{len(edges)} edges on {net.n} sites (the model's graph)}}"]
    weights = [sympy.expand(a) for _, _, a in edges]
    counts = {w: weights.count(w) for w in weights}
    if len(counts) > 1:
        common = max(counts, key=lambda w: (counts[w], -weights.index(w)))
        other = [
            rf"a_{{{_pair_index(j, k, net.n)}}} = {sympy.latex(w)},"
            for (j, k, _), w in zip(edges, weights, strict=True)
            if w != common
        ]
        other[-1] = other[-1][:-1]
        first = rf"a_{{jk}} ={{}}& {sympy.latex(common)}\ \text{{except}}\ "
        rows += _wrap(first, other, width)
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def network_equation_latex(
    net: QuantumNetwork, width: float = LINE_WIDTH, collective: bool | None = None
) -> str:
    r"""Eq. (4) for ``net``, with its Hamiltonian, jumps and edges written out.

    Jumps with equal operators are merged (:math:`\gamma_1\mathcal D(L) + \gamma_2\mathcal D(L)
    = (\gamma_1+\gamma_2)\mathcal D(L)`); an equation wider than ``width``
    (:func:`~blendsym.io.latex_layout.tex_width` units) is broken between terms in an
    ``aligned`` block.  With ``collective`` (default: from
    :data:`~blendsym.io.latex_collective.COLLECTIVE_MIN_QUBITS` qubits on) the operators are
    written with their site and pair sums (:func:`~blendsym.io.latex_collective.collective_form`:
    :math:`\sum_{j=1}^{n}\sigma_z^{(j)}`, :math:`\sum_{j<k}\sigma_y^{(j)}\sigma_x^{(k)}`) and
    more than :data:`MAX_EXPLICIT_EDGES` edges as one sum: :math:`K_c\sum_{j<k}\mathcal
    D(U_{jk})\rho` (complete graph, equal weights), :math:`aK_c\sum_{\{j,k\}\in E}\mathcal
    D(U_{jk})\rho` (equal weights :math:`a`) or :math:`K_c\sum_{\{j,k\}\in E}a_{jk}\,\mathcal
    D(U_{jk})\rho`."""
    _require_network(net)
    from .latex_collective import COLLECTIVE_MIN_QUBITS, collective_form

    use = net.n >= COLLECTIVE_MIN_QUBITS if collective is None else bool(collective)

    def tex(op: SiteOperator) -> str:
        return collective_form(op, net.n).latex() if use else operator_latex(op)

    parts: list = []
    if not net.hamiltonian.is_zero():
        parts.append(_commutator(net.hbar, _operator_terms(tex(net.hamiltonian)), r"\rho"))
    for g, l_op in _merge_equal(net.jumps):
        parts.append(_dissipator(g, tex(l_op), r"\rho"))
    if net.graph.edges:
        parts.append(_edge_terms(net, use))
    return equation(r"\frac{d\rho}{dt}", parts, width)


def reduced_state_equations_latex(net: QuantumNetwork, width: float = LINE_WIDTH) -> list[str]:
    r"""Eq. (5) for each qubit of a separable ``net``."""
    _require_network(net)
    from ..section4.reduced import local_models

    out = []
    w = net.graph.weights
    for m in local_models(net):
        j = m.site
        r = rf"\rho_{{{j}}}"
        parts: list = []
        if not sympy.Matrix(m.hamiltonian).is_zero_matrix:
            h_tex = single_qubit_latex(m.hamiltonian, hermitian=True)
            parts.append(_commutator(m.hbar, _operator_terms(h_tex), r))
        for g, l_m in _merge_equal(m.jumps):
            parts.append(_dissipator(g, single_qubit_latex(l_m, hermitian=False), r))
        coupling = tuple(
            _coeff_term(w[j - 1, k - 1], rf"\left(\rho_{{{k}}} - {r}\right)")
            for k in range(1, net.n + 1)
            if w[j - 1, k - 1] != 0
        )
        if coupling:
            parts.append(Group(_coeff_prefix(net.coupling), "(", coupling, ")"))
        out.append(equation(rf"\frac{{d{r}}}{{dt}}", parts, width))
    return out


def blended_equation_latex(b, width: float = LINE_WIDTH) -> str:
    r"""The blended reduced-state equation (6) of ``b`` in the form of eqs. (9) and (12).

    Equal dissipators are merged (:math:`\tfrac12\mathcal D(\sigma_-) + \tfrac15\mathcal
    D(\sigma_-) = \tfrac7{10}\mathcal D(\sigma_-)`); for :math:`n = 1` no :math:`\frac11` is
    printed."""
    n = b.n
    frac = rf"\frac{{1}}{{{n}}}" if n != 1 else ""
    parts: list = []
    h_sum = sympy.Matrix(b.hamiltonian) * n
    if not h_sum.is_zero_matrix:
        h_terms = _operator_terms(single_qubit_latex(h_sum, hermitian=True))
        m, half = sympy.Matrix(h_sum), sympy.Rational(1, 2)
        coeffs = [m[0, 0] + m[1, 1], m[0, 1] + m[1, 0], sympy.I * (m[0, 1] - m[1, 0])]
        coeffs.append(m[0, 0] - m[1, 1])
        unit = all(sympy.expand(half * c) in (0, 1, -1) for c in coeffs)
        if not unit or not frac:  # coefficients other than 1: the averaged H itself
            inner: tuple = _operator_terms(single_qubit_latex(b.hamiltonian, hermitian=True))
        elif len(h_terms) > 1:
            inner = (Group(frac, "(", h_terms, ")"),)
        else:
            inner = (frac + h_terms[0],)
        parts.append(_commutator(b.hbar, inner, r"\rho_b"))
    merged = _merge_equal([(g, sympy.ImmutableMatrix(m)) for g, m in b.dissipators])
    diss = [
        _dissipator(sympy.expand(g * n), single_qubit_latex(l_m, hermitian=False), r"\rho_b")
        for g, l_m in merged
    ]
    if not frac:
        parts.extend(diss)
    elif len(diss) == 1:  # (1/n) gamma n D(L) = gamma D(L)
        ((g, l_m),) = merged
        parts.append(_dissipator(g, single_qubit_latex(l_m, hermitian=False), r"\rho_b"))
    elif diss:
        parts.append(Group(frac, "(", tuple(diss), ")"))
    return equation(r"\frac{d\rho_b}{dt}", parts, width)


def coherent_matrix_latex(net: QuantumNetwork) -> str:
    r"""The blended coherent dynamics (17), :math:`\dot{\mathbf y}_d = P_d^\top A_d P_d\,\mathbf y_d`,
    with the exact :math:`p\times p` generator written out as a ``bmatrix`` (for small
    :math:`p`: amsmath's ``bmatrix`` has at most 10 columns unless ``MaxMatrixCols`` is raised;
    :func:`coherent_equation_latex` gives the operator form, short for any :math:`n`).

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


def coherent_equation_latex(net: QuantumNetwork, width: float = LINE_WIDTH) -> str:
    r"""The blended coherent dynamics (Definition 2, eq. (17)) in operator form.

    On the permutation-invariant states :math:`\rho_* = P_d\mathbf y_d` the generator
    :math:`P_d^\top A_dP_d` of (17) is the Lindblad generator averaged over the permutations
    :math:`\pi` of the sites within each connected component of :math:`G`
    (:func:`~blendsym.io.latex_average.averaged_lindblad`):

    .. math::

        \frac{d\rho_*}{dt} = -\frac{i}{\hbar}\big[\bar H, \rho_*\big]
          + \sum_m \bar\gamma_m\,\mathcal D(\bar L_m)\rho_*,\qquad
        \bar H = \operatorname{avg}_\pi U_\pi HU_\pi^\dagger,

    :math:`\bar H` written with orbit sums (:math:`\sum_{j=1}^{n}\sigma_z^{(j)}`,
    :math:`\sum_{j\neq k}\sigma_x^{(j)}\sigma_y^{(k)}`), an invariant jump (a collective
    :math:`\sum_j\sigma_-^{(j)}`) as itself, the orbit of a jump on few sites as a sum over site
    indices (:math:`\tfrac{\gamma}{n}\sum_{j=1}^{n}\mathcal D(\sigma_-^{(j)})\rho_*`), equal
    dissipators merged; the SWAP term vanishes on :math:`\rho_*` (:math:`Q_dP_d = 0`).  The
    output is short for any :math:`n` and its cost polynomial in :math:`n` (never a
    :math:`p\times p` matrix; that is :func:`coherent_matrix_latex`, for small :math:`p`).
    Raises :class:`~blendsym.errors.SizeLimitError` for a jump whose non-invariant part acts
    on more than :data:`~blendsym.limits.AVERAGE_FORM_SUPPORT` sites.
    """
    _require_network(net)
    from .latex_average import averaged_lindblad

    avg = averaged_lindblad(net)
    state = r"\rho_*"
    parts: list = []
    h_terms = avg.hamiltonian_form.latex_terms()
    if h_terms:
        parts.append(_commutator(net.hbar, h_terms, state))
    for g, l_tex, sum_tex in avg.dissipator_terms:
        if sum_tex:
            d = _dissipator(sympy.S.One, l_tex, state)
            if isinstance(d, str):
                parts.append(_coeff_term(g, sum_tex + d))
            else:
                parts.append(
                    Group(_coeff_prefix(g) + sum_tex + d.prefix, "(", d.terms, ")", "", state)
                )
        else:
            parts.append(_dissipator(g, l_tex, state))
    return equation(r"\frac{d\rho_*}{dt}", parts, width, tail=r",\quad \rho_* = P_d\mathbf{y}_d")
