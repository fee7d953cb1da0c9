r"""Collective sums of site operators: :math:`\sum_j A^{(j)}`, :math:`\sum_{j\ne k}
A^{(j)}B^{(k)}` and sums of many operators, built as Pauli-string dictionaries without
re-expanding every term (a sum of 4950 pair terms takes 0.2 s).

Re-exported by :mod:`blendsym.model.operators` (and :mod:`blendsym.operators`).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
import sympy

from ..errors import InvalidArgumentError, InvalidOperatorError
from .operators import Key, SiteOperator, _check_n, _to_sympy_scalar, site_operator

__all__ = ["MAX_SUM_TERMS", "sum_operators", "sum_sites", "sum_pairs"]

#: Largest number of Pauli terms :func:`sum_operators`, :func:`sum_sites` and
#: :func:`sum_pairs` will build (a pair sum over n sites has n(n-1)/2 products).
MAX_SUM_TERMS = 2_000_000


def sum_operators(ops) -> SiteOperator:
    r""":math:`\sum_i A_i` of many site operators (and scalars) in one pass: coefficients are
    collected per Pauli string and expanded once (Python's ``sum`` copies the growing operator
    at every step)."""
    acc: dict[Key, list] = {}
    items: Iterable[tuple[Key, Any]]
    for i, op in enumerate(ops):
        if isinstance(op, SiteOperator):
            items = op._terms.items()
        elif isinstance(op, (numbers.Number, sympy.Basic)) and not isinstance(op, sympy.MatrixBase):
            items = (((), _to_sympy_scalar(op, f"ops[{i}]")),)
        else:
            raise InvalidArgumentError(
                f"ops[{i}] must be a SiteOperator or a number: found {type(op).__name__}"
            )
        for k, c in items:
            acc.setdefault(k, []).append(c)
        if len(acc) > MAX_SUM_TERMS:
            raise InvalidArgumentError(
                f"sum_operators: more than {MAX_SUM_TERMS} distinct Pauli strings"
            )
    terms = {}
    for k, cs in acc.items():
        v = cs[0] if len(cs) == 1 else sympy.expand(sympy.Add(*cs))
        if v != 0:
            terms[k] = v
    return SiteOperator._from_clean(terms)


def _single_site_template(op, name: str):
    """``site -> SiteOperator`` from a callable (e.g. ``sigma_minus``), a 2x2 matrix or a
    site operator acting on one site (moved to each site)."""
    if isinstance(op, SiteOperator):
        terms = op.terms
        if () in terms or len(op.sites) != 1:
            raise InvalidOperatorError(
                f"{name} must be an operator on one site without an identity part: found {op}"
            )
        letters = [(key[0][1], c) for key, c in terms.items()]
        return lambda j: SiteOperator._from_clean({((j, p),): c for p, c in letters})
    if callable(op):

        def build(j):
            out = op(j)
            if not isinstance(out, SiteOperator) or not out.sites <= {j}:
                raise InvalidOperatorError(
                    f"{name}({j}) must return a SiteOperator on site {j}: found {out!r}"
                )
            return out

        return build
    shape = getattr(op, "shape", None) or np.shape(op)
    if tuple(shape) == (2, 2):
        base = site_operator(op, 1)
        return _single_site_template(base, name)
    raise InvalidArgumentError(
        f"{name} must be a site-operator function (e.g. sigma_minus), a single-site "
        f"SiteOperator or a 2x2 matrix: found {type(op).__name__}"
    )


def _check_count(n: int, count: int, what: str) -> None:
    if count > MAX_SUM_TERMS:
        raise InvalidArgumentError(
            f"{what} on n = {n} sites has {count} terms, more than MAX_SUM_TERMS = {MAX_SUM_TERMS}"
        )


def sum_sites(op, n: int, coefficients=None) -> SiteOperator:
    r""":math:`\sum_{j=1}^n c_j\,A^{(j)}`: a single-site operator on every site.

    ``op`` is a function of the site (``sigma_minus``, ``sigma_z``, ...), a 2x2 matrix or a
    site operator on one site (e.g. ``sigma_x(1) + sigma_z(1)``, moved to each site);
    ``coefficients`` is ``None`` (all 1), a number, or a sequence of ``n`` numbers.
    """
    n = _check_n(n)
    template = _single_site_template(op, "op")
    _check_count(n, n, "sum_sites")
    cs = _coefficients(coefficients, n)
    return sum_operators(
        c * template(j) if c is not None else template(j)
        for j, c in zip(range(1, n + 1), cs, strict=True)
    )


def _coefficients(coefficients, n: int) -> list:
    if coefficients is None:
        return [None] * n
    if isinstance(coefficients, (numbers.Number, sympy.Basic)) and not isinstance(
        coefficients, sympy.MatrixBase
    ):
        c = _to_sympy_scalar(coefficients, "coefficients")
        return [c] * n
    cs = list(coefficients)
    if len(cs) != n:
        raise InvalidArgumentError(f"coefficients must have n = {n} entries: found {len(cs)}")
    return [_to_sympy_scalar(c, f"coefficients[{i}]") for i, c in enumerate(cs)]


_PAIR_ORDERS = ("j>k", "j<k", "j!=k")


def sum_pairs(a, b, n: int, pairs: str = "j>k", weights=None) -> SiteOperator:
    r""":math:`\sum_{(j,k)} w_{jk}\,A^{(j)}B^{(k)}` over pairs of distinct sites.

    ``pairs`` selects the index set: ``"j>k"`` (default; the paper's reading of Example 3,
    :math:`\sum_{j>k}\sigma_x^{(j)}\sigma_y^{(k)}` is ``sum_pairs(sigma_x, sigma_y, n)``),
    ``"j<k"``, or ``"j!=k"`` (all ordered pairs: both :math:`A^{(j)}B^{(k)}` and
    :math:`A^{(k)}B^{(j)}`).  :math:`A` acts on the first index :math:`j`, :math:`B` on the
    second :math:`k`.  ``a``, ``b`` as ``op`` of :func:`sum_sites`.  ``weights``: ``None``
    (all 1), a number, an :math:`n\times n` array (``weights[j-1][k-1]``) or a function
    ``(j, k) -> number``; pairs of weight 0 are skipped.  At most :data:`MAX_SUM_TERMS` pairs.
    """
    n = _check_n(n)
    if pairs not in _PAIR_ORDERS:
        raise InvalidArgumentError(f"pairs must be one of {_PAIR_ORDERS}: found {pairs!r}")
    ta = _single_site_template(a, "a")
    tb = _single_site_template(b, "b")
    count = n * (n - 1) // (1 if pairs == "j!=k" else 2)
    _check_count(n, count, "sum_pairs")
    if weights is None:

        def weight(j, k):
            return None
    elif callable(weights):

        def weight(j, k):
            return _to_sympy_scalar(weights(j, k), f"weights({j}, {k})")
    elif isinstance(weights, (numbers.Number, sympy.Basic)) and not isinstance(
        weights, sympy.MatrixBase
    ):
        w0 = _to_sympy_scalar(weights, "weights")

        def weight(j, k):
            return w0
    else:
        shape = getattr(weights, "shape", None) or np.shape(weights)
        if tuple(shape) != (n, n):
            raise InvalidArgumentError(
                f"weights must be a number, an {n} x {n} array or a function: found shape "
                f"{tuple(shape)}"
            )

        def weight(j, k):
            return _to_sympy_scalar(
                weights[j - 1][k - 1]
                if not isinstance(weights, sympy.MatrixBase)
                else weights[j - 1, k - 1],
                f"weights[{j}][{k}]",
            )

    ops_a = [ta(j) for j in range(1, n + 1)]
    ops_b = [tb(j) for j in range(1, n + 1)]

    def gen():
        for j in range(1, n + 1):
            for k in range(1, n + 1):
                if j == k or (pairs == "j>k" and j < k) or (pairs == "j<k" and j > k):
                    continue
                w = weight(j, k)
                if w is not None and w == 0:
                    continue
                prod = ops_a[j - 1] * ops_b[k - 1]
                yield prod if w is None else w * prod

    return sum_operators(gen())
