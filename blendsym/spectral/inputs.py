r"""Input checks of the exact spectral analysis: square exact matrices, similarity data,
state dimensions, numeric conversions."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import cast

import numpy as np
import scipy.sparse as sp
import sympy

from .._validate import check_int, check_substitution
from ..errors import InvalidArgumentError, NotComputableError


def _as_exact_matrix(a, name: str = "A", rationalize: bool = False) -> sympy.Matrix:
    """Validate ``a`` (square matrix of exact numbers or expressions) and return a SymPy Matrix."""
    if isinstance(a, sympy.MatrixBase):
        rows, cols = a.shape
        entries = list(a.tolist())
        entries = [x for row in entries for x in row]
    else:
        if sp.issparse(a):
            a = a.toarray()
        if isinstance(a, (str, bytes)) or not isinstance(a, (np.ndarray, Sequence)):
            raise InvalidArgumentError(
                f"{name} must be a square matrix (SymPy Matrix, NumPy array or nested list): "
                f"found {type(a).__name__}"
            )
        try:
            arr = np.asarray(a, dtype=object)
        except ValueError as exc:
            raise InvalidArgumentError(
                f"{name} must be a square matrix with rows of equal length: found ragged rows"
            ) from exc
        if arr.ndim != 2:
            raise InvalidArgumentError(
                f"{name} must be a square matrix (2-D): found an array of shape {arr.shape}"
            )
        rows, cols = arr.shape
        entries = list(arr.ravel())
    if rows != cols or rows == 0:
        raise InvalidArgumentError(
            f"{name} must be a non-empty square matrix: found shape ({rows}, {cols})"
        )
    out = []
    has_float = None
    for k, x in enumerate(entries):
        e = _as_entry(x, name, divmod(k, cols))
        if has_float is None and e.has(sympy.Float):
            has_float = (divmod(k, cols), e)
        out.append(e)
    if has_float is not None:
        if not rationalize:
            (i, j), e = has_float
            raise InvalidArgumentError(
                f"{name} must have exact entries for exact analysis: found the float {e} at "
                f"({i}, {j}); use sympy.Rational / integers, or pass rationalize=True to read "
                "each float as the decimal it prints as (0.1 -> 1/10)"
            )
        out = [sympy.nsimplify(e, rational=True) if e.has(sympy.Float) else e for e in out]
    return sympy.Matrix(rows, cols, out)


def _canonical_algebraic(x) -> sympy.Expr:
    r"""Expanded form with rationalised denominators.  For sums of products of rationals,
    ``I``, symbols and square roots of integers (what diagonal similarity scalings produce;
    SymPy combines :math:`\sqrt a\sqrt b`) it is ``0`` exactly when ``x`` is; callers fall back
    to ``simplify`` when it is not ``0``."""
    return sympy.expand(sympy.radsimp(sympy.expand(x)))


def _check_similar(similar, a: sympy.Matrix, rationalize: bool):
    r"""Validate ``similar = (C, s)`` with :math:`A = \mathrm{diag}(s)\,C\,\mathrm{diag}(s)^{-1}`,
    checked exactly entry by entry (:math:`A_{ij}s_j = s_iC_{ij}`)."""
    if not (isinstance(similar, (tuple, list)) and len(similar) == 2):
        raise InvalidArgumentError(
            "similar must be a pair (C, s) with A = diag(s) C diag(s)^-1: found "
            f"{type(similar).__name__}"
        )
    c = _as_exact_matrix(similar[0], "similar[0] (C)", rationalize)
    n = a.shape[0]
    if c.shape != a.shape:
        raise InvalidArgumentError(
            f"similar[0] (C) must have the shape of A, {a.shape}: found {c.shape}"
        )
    raw = similar[1]
    if isinstance(raw, sympy.MatrixBase):
        raw = list(raw)
    if isinstance(raw, (str, bytes)) or not isinstance(raw, (np.ndarray, Sequence)):
        raise InvalidArgumentError(
            f"similar[1] (s) must be a sequence of {n} non-zero exact numbers: found "
            f"{type(raw).__name__}"
        )
    raw = list(np.asarray(raw, dtype=object).ravel())
    if len(raw) != n:
        raise InvalidArgumentError(
            f"similar[1] (s) must have length {n} (the size of A): found {len(raw)}"
        )
    scaling = [_as_entry(x, "similar[1] (s)", k) for k, x in enumerate(raw)]
    for k, x in enumerate(scaling):
        if x.has(sympy.Float) or x.free_symbols or x == 0:
            raise InvalidArgumentError(
                f"similar[1] (s) must hold non-zero exact numbers: found {x} at {k}"
            )
    for i in range(n):
        for j in range(n):
            aij, cij = a[i, j], c[i, j]
            if aij == 0 and cij == 0:
                continue
            diff = _canonical_algebraic(aij * scaling[j] - scaling[i] * cij)
            if diff != 0 and sympy.simplify(diff) != 0:
                raise InvalidArgumentError(
                    "similar: A is not diag(s) C diag(s)^-1: at "
                    f"({i}, {j}) A s_j - s_i C = {diff}, not 0"
                )
    return c, scaling


def _as_entry(x, name: str, pos) -> sympy.Expr:
    if isinstance(x, (bool, np.bool_)):
        raise InvalidArgumentError(
            f"{name} entries must be numbers: found the boolean {x} at {pos}"
        )
    if isinstance(x, sympy.Basic):
        e = x
    elif isinstance(x, numbers.Number) or isinstance(x, np.number):
        if isinstance(x, numbers.Rational) and not isinstance(x, numbers.Integral):
            e = sympy.Rational(int(x.numerator), int(x.denominator))
        else:
            c = None if isinstance(x, numbers.Integral | np.integer) else complex(cast(complex, x))
            if c is not None and not (math.isfinite(c.real) and math.isfinite(c.imag)):
                raise InvalidArgumentError(f"{name} entries must be finite: found {x} at {pos}")
            e = sympy.sympify(x)
    else:
        raise InvalidArgumentError(
            f"{name} entries must be numbers or SymPy expressions: found {type(x).__name__} "
            f"{x!r} at {pos}"
        )
    if not isinstance(e, sympy.Expr) or not e.is_commutative:
        raise InvalidArgumentError(
            f"{name} entries must be scalar expressions: found {type(e).__name__} at {pos}"
        )
    if e.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        raise InvalidArgumentError(f"{name} entries must be finite: found {e} at {pos}")
    return e


def _check_state_dim(state_dim, n: int):
    if state_dim is None:
        return None
    d = check_int(state_dim, "state_dim", minimum=1)
    if d * d != n:
        raise InvalidArgumentError(
            f"state_dim must satisfy state_dim**2 == size of A = {n}: found state_dim = {d}"
        )
    return d


def _as_numeric_matrix(a, name: str = "A", params=None) -> np.ndarray:
    """A finite complex NumPy matrix from an exact or numeric square matrix."""
    if isinstance(a, sympy.MatrixBase) or (not isinstance(a, np.ndarray) and not sp.issparse(a)):
        m = _as_exact_matrix(a, name, rationalize=True) if not _is_float_array(a) else None
        if m is not None:
            if params:
                m = m.subs(check_substitution(params, m.free_symbols, "params"))
            free = m.free_symbols
            if free:
                raise NotComputableError(
                    f"{name} has free symbols {sorted(map(str, free))}: a numeric evaluation "
                    "needs values for them (pass params={symbol: value, ...})"
                )
            f = sympy.lambdify((), m, modules="numpy")
            return np.asarray(f(), dtype=complex)
        a = np.asarray(a)
    if sp.issparse(a):
        a = a.toarray()
    arr = np.asarray(a)
    if arr.dtype.kind not in "biufc":
        return _as_numeric_matrix(_as_exact_matrix(arr, name, rationalize=True), name, params)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise InvalidArgumentError(
            f"{name} must be a non-empty square matrix: found shape {arr.shape}"
        )
    arr = arr.astype(complex)
    if not np.all(np.isfinite(arr)):
        raise InvalidArgumentError(f"{name} entries must be finite: found NaN or infinity")
    return arr


def _is_float_array(a) -> bool:
    try:
        arr = np.asarray(a)
    except (ValueError, TypeError):
        return False
    return arr.dtype.kind in "fc"
