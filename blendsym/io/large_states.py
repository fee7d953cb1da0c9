r"""Initial states of model files with more than
:data:`~blendsym.io.modelfile.NUMERIC_STATE_MAX_QUBITS` qubits.

They are kept as their factors (:class:`~blendsym.ProductState`,
:class:`~blendsym.ProductMixture`, :class:`~blendsym.DickeState`), which the blended coherent
dynamics in PI coordinates takes at any :math:`n`; the forms ``product``, ``basis``,
``mixture``, ``uniform`` and ``dicke`` are read with the checks of
:mod:`blendsym.io.modelfile` (labels, Bloch vectors, exact or bounded numbers), ``matrix`` is
refused.
"""

from __future__ import annotations

from ..model.states import basis_state
from ..model.structured_states import DickeState, ProductMixture, ProductState
from .expressions import describe_value
from .modelfile import (
    MAX_MIXTURE_TERMS,
    NUMERIC_STATE_MAX_QUBITS,
    _bits,
    _dicke_k,
    _entry,
    _err,
    _factor,
    _factors,
    _real_number,
    _scalar,
    _sign,
)

__all__ = ["structured_state"]


def structured_state(kind, val, n, key, params, exact, budget):
    r"""An initial state of more than :data:`NUMERIC_STATE_MAX_QUBITS` qubits, kept as its
    factors (:class:`~blendsym.ProductState`, :class:`~blendsym.ProductMixture`,
    :class:`~blendsym.DickeState`): no :math:`2^n\times2^n` matrix is built."""
    if kind == "matrix":
        raise _err(
            key,
            f"a {n}-qubit state as a matrix is accepted for n <= {NUMERIC_STATE_MAX_QUBITS} only; "
            "use product, basis, mixture, uniform or dicke",
        )
    zero, one = basis_state("0"), basis_state("1")
    if kind == "basis":
        _bits(val, n, key)
        return ProductState([one if c == "1" else zero for c in val])
    if kind == "uniform":
        return ProductState([_factor(val, key, params, exact, budget)] * n)
    if kind == "product":
        if not isinstance(val, list) or len(val) != n:
            raise _err(
                key, f"expected a list of {n} single-qubit states, found {describe_value(val)}"
            )
        return ProductState(_factors(val, key, params, exact, budget))
    if kind == "dicke":
        return DickeState(n, _dicke_k(val, n, key))
    if not isinstance(val, list) or not val:
        raise _err(key, 'expected a list of ["bits", weight] pairs')
    if len(val) > MAX_MIXTURE_TERMS:
        raise _err(key, f"{len(val)} entries (at most {MAX_MIXTURE_TERMS} at n = {n})")
    comps = []
    for i, pair in enumerate(val):
        pk = f"{key}[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise _err(pk, f'expected ["bits", weight], found {describe_value(pair)}')
        _bits(pair[0], n, pk)
        w = _scalar(pair[1], pk, params, exact, budget)
        _entry(w, pk)
        _real_number(w, pk, "the weight")
        if _sign(w) < 0:
            raise _err(
                pk,
                "initial state is not positive semidefinite: the weight "
                f"{complex(w.evalf(15)).real:.6g} is negative",
            )
        comps.append((w, [one if c == "1" else zero for c in pair[0]]))
    return ProductMixture(comps)
