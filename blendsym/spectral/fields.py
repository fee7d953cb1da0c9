r"""The field :math:`K` of a matrix's entries (:math:`\mathbb Q`, number fields, rational
function fields) as a SymPy ``DomainMatrix``, and coordinates in its power basis."""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import QQ
from sympy.polys.matrices import DomainMatrix

from ..errors import NotComputableError


@dataclass
class _FieldMatrix:
    """:math:`A` as a DomainMatrix over the field :math:`K` of its entries."""

    dm: DomainMatrix
    parameters: tuple  # free symbols (generic results) -- empty for number fields
    number_field: bool  # K is QQ or an algebraic number field

    @property
    def K(self):
        return self.dm.domain


def _field_matrix(m: sympy.Matrix, name: str = "A") -> _FieldMatrix:
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
    bad = [s for s in getattr(K, "symbols", ()) if not isinstance(s, (sympy.Symbol, sympy.NumberSymbol))]
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
        for a in e.atoms(sympy.Pow, sympy.ImaginaryUnit, sympy.exp, sympy.CRootOf):
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
