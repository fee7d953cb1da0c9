r"""The field :math:`K` of a matrix's entries (:math:`\mathbb Q`, number fields, rational
function fields) as a SymPy ``DomainMatrix``, and coordinates in its power basis."""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy
from sympy import QQ
from sympy.core.numbers import ImaginaryUnit
from sympy.polys.matrices import DomainMatrix

from ..errors import NotComputableError

#: Exact analysis is refused over number fields of larger degree (bound, see
#: :func:`_field_degree_bounds`) ...
MAX_FIELD_DEGREE = 16
#: ... or whose Galois closure may have larger degree (a prime that splits the field
#: completely, which the modular engine needs, is found once in that many trials).
MAX_SPLITTING_DEGREE = 64


@dataclass
class _FieldMatrix:
    """:math:`A` as a DomainMatrix over the field :math:`K` of its entries."""

    dm: DomainMatrix
    parameters: tuple  # free symbols (generic results) -- empty for number fields
    number_field: bool  # K is QQ or an algebraic number field

    @property
    def K(self):
        return self.dm.domain


def _field_matrix(m: sympy.Matrix, name: str = "A", check_degree: bool = False) -> _FieldMatrix:
    """:math:`A` over the field of its entries; ``check_degree``: refuse up front (before any
    field is built) a number field of too high a degree (:func:`_check_field_degree`)."""
    if check_degree:
        _check_field_degree(m, name)
    params = tuple(sorted(m.free_symbols, key=str))
    dm = None
    try:
        dm = DomainMatrix.from_Matrix(m, extension=True)
    except (sympy.polys.polyerrors.PolynomialError, NotImplementedError, ValueError):
        dm = None
    if dm is None or dm.domain.is_EX or dm.domain.is_RR or dm.domain.is_CC:
        dm = _composite_domain_matrix(m, params, name)
    dm = dm.to_field()
    if dm.domain.is_ZZ_I or dm.domain.is_QQ_I:
        dm = _gaussian_to_algebraic(dm)
    K = dm.domain
    if K.is_QQ:
        return _FieldMatrix(dm, (), True)
    if K.is_AlgebraicField:
        return _FieldMatrix(dm, (), True)
    bad = [
        s
        for s in getattr(K, "symbols", ())
        if not isinstance(s, (sympy.Symbol, sympy.NumberSymbol))
    ]
    if bad:
        raise NotComputableError(
            f"{name} must have entries that are rational functions of symbols (over algebraic "
            f"numbers) for exact analysis: found the generator {bad[0]}; introduce a symbol for it"
        )
    return _FieldMatrix(dm, params, False)


_QQ_I_FIELD = QQ.algebraic_field(sympy.I)


def _gaussian_to_algebraic(dm: DomainMatrix) -> DomainMatrix:
    """QQ_I -> QQ<I> elementwise (``x + y i`` is ``[y, x]`` in the basis ``1, I``); SymPy's own
    conversion goes through ``to_number_field`` for every entry and is slow."""
    K = _QQ_I_FIELD
    dok = dm.to_dok()
    conv = {}
    for (i, j), a in dok.items():
        if a:
            conv[(i, j)] = K.new([QQ(a.y), QQ(a.x)]) if a.y else K.new([QQ(a.x)])
    return DomainMatrix.from_dok(conv, dm.shape, K).to_dense()


def _composite_domain_matrix(m: sympy.Matrix, params, name: str) -> DomainMatrix:
    """Rational functions of the symbols (and of pi, E, ...) over an algebraic number field."""
    algebraic = set()
    gens = list(params)
    for e in m:
        for a in e.atoms(sympy.Pow, ImaginaryUnit, sympy.exp, sympy.CRootOf):
            if a.is_number and not a.is_Rational and a.is_algebraic:
                algebraic.add(a)
        for a in e.atoms(sympy.NumberSymbol):
            if a not in gens:
                gens.append(a)
    try:
        ground = (
            QQ.algebraic_field(*sorted(algebraic, key=sympy.default_sort_key)) if algebraic else QQ
        )
        K = ground.frac_field(*gens) if gens else ground
        return DomainMatrix.from_Matrix(m).convert_to(K)
    except Exception as exc:  # noqa: BLE001 - SymPy raises many kinds here
        raise NotComputableError(
            f"{name} must have entries that are rational functions of symbols over algebraic "
            f"numbers for exact analysis: could not build such a field ({exc})"
        ) from exc


# ----------------------------------------------------------------------------- field degree


def _squarefree_vector(r: sympy.Rational) -> frozenset | None:
    r"""The primes (and -1) of odd exponent in ``r``: :math:`\sqrt r` up to a rational factor
    (``None`` when ``r`` is too large to factor quickly)."""
    out = set()
    if r < 0:
        out.add(-1)
    for x in (abs(r.p), r.q):
        if x > 10**15:
            return None
        out |= {q for q, e in sympy.factorint(x).items() if e % 2}
    return frozenset(out)


def _f2_rank(vectors: list[frozenset]) -> int:
    r"""Rank over :math:`\mathbb F_2` of sets (symmetric difference is the sum)."""
    basis: dict = {}  # pivot element -> vector
    rank = 0
    for vec in vectors:
        v = set(vec)
        while v:
            top = max(v, key=lambda q: (q != -1, q))
            if top not in basis:
                basis[top] = v
                rank += 1
                break
            v ^= basis[top]
    return rank


def _field_degree_bounds(exprs) -> tuple[int, int, list]:
    r"""Upper bounds ``(D, G, generators)`` on the degree :math:`D = [K:\mathbb Q]` of the
    number field :math:`K` generated by the algebraic numbers in ``exprs`` and on the degree
    :math:`G` of its Galois closure, read off the expressions without building :math:`K`.

    * square roots of rationals and :math:`i`: :math:`K_2 = \mathbb Q(\sqrt{r_1},\dots)` has
      degree :math:`2^k`, :math:`k` the rank over :math:`\mathbb F_2` of the square classes
      :math:`r_j\mathbb Q^{	imes2}`; it is Galois;
    * radicals :math:`b^{p/q}` of a rational base: :math:`\mathbb Q(b^{1/L_b})`,
      :math:`L_b` the lcm of the :math:`q` of base :math:`b`, of degree :math:`\le L_b`; the
      Galois closure of all of them lies in :math:`\mathbb Q(\zeta_L, b^{1/L_b}, \dots)`,
      :math:`L = \mathrm{lcm}\,L_b`, of degree :math:`\learphi(L)\prod_bL_b`;
    * roots of unity :math:`e^{i\pi r}`: degree :math:`arphi(	ext{order})`, abelian;
    * a radical :math:`eta^{1/q}` of an algebraic :math:`eta` (bounds :math:`d, g`):
      :math:`dq` and :math:`g\,arphi(q)\,q^g` (the closure holds the :math:`q`-th roots of
      the :math:`g` conjugates of :math:`eta`);
    * any other algebraic number of degree :math:`d` (``CRootOf``, ``cos(pi/7)``, ...):
      :math:`d` and :math:`d!`.

    :math:`D` and :math:`G` are the products of these bounds (a compositum has at most the
    product degree).
    """
    squares: set = set()
    radicals: dict = {}
    others: list = []
    gens: list = []
    seen: set = set()

    def visit(e):
        if e.is_Rational or e.is_Symbol or not isinstance(e, sympy.Expr) or e in seen:
            return
        seen.add(e)
        if isinstance(e, ImaginaryUnit):
            squares.add(frozenset({-1}))
            gens.append(e)
            return
        if (
            isinstance(e, sympy.Pow)
            and e.exp.is_Rational
            and not e.exp.is_Integer
            and e.base.is_number
        ):
            q = int(e.exp.q)
            if e.base.is_Rational:
                gens.append(e)
                if q == 2:
                    v = _squarefree_vector(e.base)
                    squares.add(v if v is not None else frozenset({("big", e.base)}))
                else:
                    key = e.base
                    radicals[key] = math.lcm(radicals.get(key, 1), q)
                return
            d, g, _ = _field_degree_bounds([e.base])  # nested radical: the closure holds
            others.append((d * q, g * _totient(q) * q ** min(g, 64)))  # the q-th roots of all
            # g conjugates of the base
            gens.append(e)
            return
        if isinstance(e, sympy.exp) and e.is_number:
            r = e.args[0] / (sympy.I * sympy.pi)
            if r.is_Rational:
                order = int((r / 2).q)
                others.append((_totient(order), _totient(order)))
                gens.append(e)
                return
        if isinstance(e, sympy.CRootOf):
            d = int(e.poly.degree())
            others.append((d, math.factorial(d)))
            gens.append(e)
            return
        if e.is_number and (not e.args or isinstance(e, sympy.Function)):
            if e.is_algebraic and not e.is_Rational:  # AlgebraicNumber, cos(pi/7), ...
                try:
                    d = int(sympy.degree(sympy.minimal_polynomial(e)))
                except (NotImplementedError, ValueError):  # pragma: no cover
                    return
                others.append((d, math.factorial(d)))
                gens.append(e)
            return
        for a in e.args:
            visit(a)

    for e in exprs:
        visit(sympy.sympify(e))
    rank = _f2_rank([v for v in squares if all(not isinstance(x, tuple) for x in v)])
    rank += sum(1 for v in squares if any(isinstance(x, tuple) for x in v))
    D = G = 2**rank
    L = 1
    for lb in radicals.values():
        D *= lb
        G *= lb
        L = math.lcm(L, lb)
    G *= _totient(L)
    for d, g in others:
        D *= d
        G *= g
    return D, G, list(dict.fromkeys(gens))


def _totient(n: int) -> int:
    return int(sympy.totient(n))


def _check_field_degree(m: sympy.Matrix, name: str) -> None:
    """:class:`NotComputableError` when the number field of the entries of ``m`` is too large
    for exact algebra (:data:`MAX_FIELD_DEGREE`, :data:`MAX_SPLITTING_DEGREE`), decided from
    :func:`_field_degree_bounds` in milliseconds."""
    D, G, gens = _field_degree_bounds(list(m))
    if D <= MAX_FIELD_DEGREE and G <= MAX_SPLITTING_DEGREE:
        return
    shown = ", ".join(str(g) for g in gens[:6]) + (", ..." if len(gens) > 6 else "")
    raise NotComputableError(
        f"{name} has entries that generate a number field of degree up to {D} over QQ (from "
        f"{shown}; its Galois closure has degree up to {G}): exact analysis needs degree <= "
        f"{MAX_FIELD_DEGREE} and closure degree <= {MAX_SPLITTING_DEGREE} (beyond, the "
        "factorisations and the search for split primes take minutes to hours).  Replace the "
        "radicals by exact rational approximations (e.g. sympy.nsimplify(c.evalf(30), "
        "rational=True), or analyze(A.evalf(30), rationalize=True)) or use the numeric "
        "routines (simulate, numeric_propagator)"
    )


def _coords(K, a, D: int) -> list:
    """Coordinates (low degree first) of ``a`` in the power basis of :math:`K`."""
    if K.is_QQ:
        return [a]
    rep = a.rep if hasattr(a, "rep") else a.to_list()
    rep = list(rep)
    out = [QQ.zero] * D
    for j, c in enumerate(reversed(rep)):
        out[j] = c
    return out


def _from_coords(K, coords) -> object:
    if K.is_QQ:
        return coords[0]
    rep = list(reversed(coords))
    while rep and not rep[0]:
        rep.pop(0)
    return K.new(rep)


#: The variable of characteristic polynomials.
LAMBDA = sympy.Symbol("lambda")


def _poly_K(coeffs, K) -> sympy.Poly:
    """The polynomial with coefficients ``coeffs`` (leading first) over :math:`K` in :data:`LAMBDA`."""
    return sympy.Poly.from_list(list(coeffs), LAMBDA, domain=K)
