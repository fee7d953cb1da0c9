r"""Argument checks shared by every public entry point.

Each check returns the normalised value or raises an
:class:`~blendsym.errors.InvalidArgumentError` (or the more specific subclass the caller asks
for with ``error=``) with a message that names the argument, what was expected and what was
found (``n must be a positive integer: found 0``).  Modules call these instead of writing their
own, so that the same argument gets the same limits and the same words everywhere.  The
size limits themselves are the table of :mod:`blendsym.limits`; a request beyond one raises
:class:`~blendsym.errors.SizeLimitError` before any work starts.

Scalars
    :func:`check_int`, :func:`check_real`, :func:`check_scalar` (a number or SymPy
    expression, never a string: strings are not parsed here), :func:`check_model_number`
    (:func:`check_scalar` plus the magnitude window
    :data:`~blendsym.limits.NUMBER_MIN_MAGNITUDE` .. :data:`~blendsym.limits.NUMBER_MAX_MAGNITUDE`),
    :func:`check_positive_parameter` (a positive number or a SymPy expression that may be
    positive).
Sizes
    :func:`check_qubits` (a number of qubits within a named limit), :func:`check_limit`.
Arrays
    :func:`check_real_array`, :func:`check_times`, :func:`as_square_matrix` (a SymPy or
    NumPy square matrix with finite entries, the shape checks of density operators and
    operators), :func:`qubits_of_dim`.
Other
    :func:`check_site`, :func:`check_bool`, :func:`check_choice`, :func:`check_instance`,
    :func:`check_interval`, :func:`check_substitution` (``{symbol: value}``, never parsing a
    string), :func:`describe` / :func:`show` (printable, short descriptions of any value, even
    an integer of 5000 digits), and :func:`internal_check`, which raises :class:`~blendsym.errors.InternalError` for a
    failed "cannot happen" self-check (also under ``python -O``).
"""

from __future__ import annotations

import math
import numbers
import operator
import reprlib
from fractions import Fraction

import mpmath
import numpy as np
import scipy.sparse as sp
import sympy

from . import limits
from .errors import InternalError, InvalidArgumentError, SizeLimitError

__all__ = [
    "describe",
    "show",
    "check_int",
    "check_real",
    "check_scalar",
    "check_model_number",
    "check_positive_parameter",
    "check_magnitudes",
    "check_substitution",
    "check_qubits",
    "check_limit",
    "check_site",
    "check_choice",
    "check_bool",
    "check_instance",
    "check_times",
    "check_real_array",
    "check_interval",
    "as_square_matrix",
    "qubits_of_dim",
    "is_number_like",
    "internal_check",
]

_NONFINITE = (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)


# ----------------------------------------------------------------------------- messages


def _show_int(v: int) -> str:
    """``str(v)``, or its size for an integer too long to print (Python refuses ``str`` of
    integers over 4300 digits, and a message should stay short anyway)."""
    if v.bit_length() <= 200:
        return str(v)
    digits = int(v.bit_length() * math.log10(2)) + 1
    return f"{'-' if v < 0 else ''}<an integer of about {digits} digits>"


def describe(value) -> str:
    """A short, always printable description of ``value`` for an error message: its type and
    a truncated ``repr`` (integers too long to print are described by their size)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"int {_show_int(value)}"
    if isinstance(value, sympy.Integer):
        return f"Integer {_show_int(int(value))}"
    try:
        if isinstance(value, sympy.Basic) and any(
            isinstance(a, sympy.Integer) and abs(int(a)).bit_length() > 200
            for a in value.atoms(sympy.Integer)
        ):
            text = f"<{type(value).__name__} with integers of hundreds of digits>"
        elif isinstance(value, list | tuple | dict | set | frozenset):
            text = reprlib.repr(value)  # bounded cost for a long container
        else:
            text = repr(value)
    except Exception:  # noqa: BLE001 - repr of a hostile object must not escape
        text = f"<{type(value).__name__} object>"
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def show(value) -> str:
    """``str(value)`` made safe (huge integers) and short, for error messages."""
    if isinstance(value, int | sympy.Integer) and not isinstance(value, bool):
        return _show_int(int(value))
    if isinstance(value, sympy.Float):
        return mpmath.nstr(mpmath.mpf(value._mpf_), 6)
    text = describe(value)
    return text.split(" ", 1)[1] if " " in text else text


# ----------------------------------------------------------------------------- integers


def _int_wanted(minimum: int | None, maximum: int | None) -> str:
    if maximum is None:
        if minimum is None:
            return "an integer"
        if minimum == 1:
            return "a positive integer"
        if minimum == 0:
            return "a non-negative integer"
        return f"an integer >= {minimum}"
    if minimum is None:
        return f"an integer <= {maximum}"
    return f"an integer in {minimum}..{maximum}"


def check_int(
    value,
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    error: type[Exception] = InvalidArgumentError,
) -> int:
    """An integer (Python, NumPy or SymPy; never a bool, a float or a string, so never a
    Unicode digit) within ``[minimum, maximum]``."""
    want = _int_wanted(minimum, maximum)
    if isinstance(value, bool | np.bool_):
        raise error(f"{name} must be {want}: found bool {value!r}")
    try:
        v = operator.index(value)
    except TypeError:
        if isinstance(value, sympy.Integer):
            v = int(value)
        else:
            raise error(f"{name} must be {want}: found {describe(value)}") from None
    if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
        raise error(f"{name} must be {want}: found {_show_int(v)}")
    return int(v)


def check_limit(size, limit: str, what: str) -> None:
    """Raise :class:`~blendsym.errors.SizeLimitError` unless ``size <=
    blendsym.limits.<limit>``; ``what`` says what the size measures and, ideally, what the
    request would take."""
    bound = getattr(limits, limit)
    if size > bound:
        raise SizeLimitError(
            f"{what}: {show(size)} exceeds the limit blendsym.limits.{limit} = {bound}"
        )


def _bytes(b: float) -> str:
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= scale:
            return f"{b / scale:.3g} {unit}"
    return f"{b:.0f} B"


#: How each qubit limit grows with n, to say in a message what a request would take.
_QUBIT_COST = {
    "NUMERIC_DENSE_QUBITS": lambda n: (
        f"a dense 2^{n} x 2^{n} complex array takes {_bytes(16.0 * 4.0**n)}"
    ),
    "NUMERIC_OPERATOR_QUBITS": lambda n: (
        f"a sparse 2^{n} x 2^{n} operator takes {_bytes(32.0 * 2.0**n)} per Pauli string"
    ),
    "PERMUTATION_QUBITS": lambda n: f"the 4^{n} pair labels take {_bytes(8.0 * 4.0**n)}",
    "INDEX_MAP_QUBITS": lambda n: f"the 2^{n} x {n} bit table takes {_bytes(8.0 * n * 2.0**n)}",
    "EXACT_OPERATOR_QUBITS": lambda n: (
        f"an exact 2^{n} x 2^{n} matrix has 2^{n} = {2**n:,} SymPy entries per Pauli string"
    ),
    "EXACT_SUPEROPERATOR_QUBITS": lambda n: (
        f"an exact 4^{n} x 4^{n} superoperator has at least 4^{n} = {4**n:,} SymPy entries"
    ),
    "LITERAL_AVERAGE_QUBITS": lambda n: (
        f"the literal average has {n}! = {math.factorial(min(n, 30)):,}{'...' if n > 30 else ''} terms"
    ),
    "DECOMPOSITION_QUBITS": lambda n: f"a full matrix has 4^{n} = {4**n:,} Pauli coefficients",
    "CERTIFY_MAX_QUBITS": lambda n: (
        f"certified_kc propagates dense 4^{n} x 4^{n} = {4**n:,} x {4**n:,} step matrices"
    ),
    "PARAMETRIC_DENSE_QUBITS": lambda n: (
        f"a dense 4^{n} x 4^{n} complex matrix per parameter point takes {_bytes(16.0 * 16.0**n)}"
    ),
}


def check_qubits(
    n,
    name: str = "n",
    *,
    limit: str = "NETWORK_MAX_QUBITS",
    error: type[Exception] = InvalidArgumentError,
) -> int:
    """A number of qubits ``1 <= n <= blendsym.limits.<limit>`` (``error`` for a non-integer
    or ``n < 1``; a :class:`~blendsym.errors.SizeLimitError` above the limit, naming it and
    what ``n`` qubits would take)."""
    n = check_int(n, name, minimum=1, error=error)
    bound = getattr(limits, limit)
    if n > bound:
        cost = _QUBIT_COST.get(limit)
        detail = f" ({cost(n)})" if cost is not None and n <= 200 else ""
        raise SizeLimitError(
            f"{name} = {_show_int(n)} qubits exceeds the limit blendsym.limits.{limit} = "
            f"{bound}{detail}"
        )
    return n


def qubits_of_dim(d: int, name: str, *, error: type[Exception] = InvalidArgumentError) -> int:
    """``n`` with ``d = 2^n``, ``n >= 1`` (the dimension of an ``n``-qubit operator)."""
    n = int(d).bit_length() - 1
    if d < 2 or 2**n != d:
        raise error(f"{name} must be 2^n x 2^n for some n >= 1: found size {d}")
    return n


# ----------------------------------------------------------------------------- reals


def check_real(
    value,
    name: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    finite: bool = True,
) -> float:
    """A real number as a float (refuses bools, complex numbers, strings, NaN; infinities
    unless ``finite=False``; numbers that overflow a double are reported as too large)."""
    if isinstance(value, bool | np.bool_) or isinstance(value, str | bytes):
        raise InvalidArgumentError(f"{name} must be a real number: found {describe(value)}")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, sympy.Basic):
        if not getattr(value, "is_number", False) or value.is_real is False:
            raise InvalidArgumentError(f"{name} must be a real number: found {describe(value)}")
    elif not isinstance(value, numbers.Real | np.floating | np.integer):
        raise InvalidArgumentError(f"{name} must be a real number: found {describe(value)}")
    try:
        v = float(value)
    except OverflowError:
        raise InvalidArgumentError(
            f"{name} must be a finite real number: found {describe(value)}, which overflows "
            "double precision"
        ) from None
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(
            f"{name} must be a real number: found {describe(value)}"
        ) from exc
    if math.isnan(v) or (finite and math.isinf(v)):
        raise InvalidArgumentError(f"{name} must be a finite real number: found {show(value)}")
    if positive and not v > 0:
        if v == 0 and value != 0:
            raise InvalidArgumentError(
                f"{name} must be positive: found {show(value)}, which underflows to 0.0 "
                "in double precision"
            )
        raise InvalidArgumentError(f"{name} must be positive: found {show(value)}")
    if nonnegative and not v >= 0:
        raise InvalidArgumentError(f"{name} must be non-negative: found {show(value)}")
    return v


def check_interval(T1, T2, names: tuple[str, str] = ("T1", "T2")) -> tuple[float, float]:
    """``(T1, T2)`` of Theorems 2-4 as floats: ``0 <= T1 <= T2``, ``T2 > 0``."""
    a, b = names
    t1 = check_real(T1, a, nonnegative=True)
    t2 = check_real(T2, b, positive=True)
    if t2 < t1:
        raise InvalidArgumentError(f"{b} must be >= {a}: found {a}={t1:g}, {b}={t2:g}")
    return t1, t2


def check_real_array(
    values,
    name: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    nondecreasing: bool = False,
) -> np.ndarray:
    """A non-empty 1-D float array of finite real numbers (a single real number is an array
    of one); strings, bools and complex numbers are refused, not converted.  Optionally
    positive, non-negative, non-decreasing (gains of a sweep, times, ...)."""
    if isinstance(values, numbers.Real | np.floating | np.integer) and not isinstance(
        values, bool | np.bool_
    ):
        values = [values]
    if (
        isinstance(values, str | bytes)
        or isinstance(values, sympy.Basic)
        and not isinstance(values, sympy.MatrixBase)
    ):
        raise InvalidArgumentError(
            f"{name} must be a 1-D array of real numbers: found {describe(values)}"
        )
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(
            f"{name} must be a 1-D array of real numbers: found {describe(values)} ({exc})"
        ) from None
    if raw.dtype.kind == "O":
        if raw.ndim != 1:
            raise InvalidArgumentError(
                f"{name} must be a non-empty 1-D array: found shape {raw.shape}"
            )
        raw = np.array([check_real(x, f"{name}[{i}]", finite=False) for i, x in enumerate(raw)])
    if raw.dtype.kind not in "iuf":
        raise InvalidArgumentError(
            f"{name} must be a 1-D array of real numbers: found dtype {raw.dtype}"
        )
    t = raw.astype(float)
    if t.ndim != 1 or t.size == 0:
        raise InvalidArgumentError(f"{name} must be a non-empty 1-D array: found shape {t.shape}")
    if not np.all(np.isfinite(t)):
        raise InvalidArgumentError(f"{name} must be finite: found NaN or inf")
    if positive and np.any(t <= 0):
        raise InvalidArgumentError(f"{name} must be positive: found min {t.min()}")
    if nonnegative and np.any(t < 0):
        raise InvalidArgumentError(f"{name} must be non-negative: found min {t.min()}")
    if nondecreasing and np.any(np.diff(t) < 0):
        raise InvalidArgumentError(f"{name} must be non-decreasing")
    return t


def check_times(times, name: str = "times") -> np.ndarray:
    """A non-empty 1-D float array of finite, non-negative, non-decreasing times (a single
    real number is one time): :func:`check_real_array`."""
    return check_real_array(times, name, nonnegative=True, nondecreasing=True)


# ----------------------------------------------------------------------------- exact scalars


def check_scalar(value, name: str, *, error: type[Exception] = InvalidArgumentError) -> sympy.Expr:
    """A scalar as a SymPy expression: Python/NumPy numbers (not bools), fractions, 0-d
    arrays and commutative SymPy expressions (symbols allowed).  Strings are never parsed
    (use :func:`blendsym.io.expressions.parse_expression` for text); NaN, infinities and
    ``zoo`` are refused."""
    c = value
    if isinstance(c, np.ndarray) and c.ndim == 0 and c.dtype.kind in "biufc":
        c = c.item()
    if isinstance(c, sympy.Basic):
        if not isinstance(c, sympy.Expr) or isinstance(c, sympy.MatrixBase) or not c.is_commutative:
            raise error(f"{name} must be a scalar number or SymPy expression: found {describe(c)}")
        expr = c
    elif isinstance(c, bool | np.bool_):
        raise error(f"{name} must be a number: found a bool {c!r}")
    elif isinstance(c, str | bytes):
        raise error(
            f"{name} must be a number or a SymPy expression: found the string "
            f"{describe(c).split(' ', 1)[1]} (strings are not evaluated; build the value with SymPy)"
        )
    elif isinstance(c, numbers.Integral):
        expr = sympy.Integer(int(c))
    elif isinstance(c, Fraction):
        expr = sympy.Rational(c.numerator, c.denominator)
    elif isinstance(c, numbers.Real):
        try:
            f = float(c)
        except OverflowError:
            raise error(f"{name} must be finite: found {describe(c)}, which overflows") from None
        if not math.isfinite(f):
            raise error(f"{name} must be finite: found {c!r}")
        expr = sympy.Float(f)
    elif isinstance(c, numbers.Complex):
        z = complex(c)
        if not (math.isfinite(z.real) and math.isfinite(z.imag)):
            raise error(f"{name} must be finite: found {c!r}")
        expr = (
            sympy.Float(z.real) + sympy.I * sympy.Float(z.imag) if z.imag else sympy.Float(z.real)
        )
    else:
        raise error(f"{name} must be a number or a SymPy expression: found {describe(c)}")
    if expr.has(*_NONFINITE):
        raise error(f"{name} must be finite: found {show(expr)}")
    return expr


def _magnitude_ok(x: sympy.Number) -> bool:
    """Whether the number ``x`` is 0 or has magnitude in the window of :mod:`blendsym.limits`
    (decided exactly for rationals, with mpmath for floats, so nothing overflows)."""
    hi = Fraction(limits.NUMBER_MAX_MAGNITUDE)
    lo = Fraction(limits.NUMBER_MIN_MAGNITUDE)
    if isinstance(x, sympy.Rational):
        if x == 0:
            return True
        a = abs(Fraction(int(x.p), int(x.q)))
        return lo <= a <= hi
    if isinstance(x, sympy.Float):
        a = abs(mpmath.mpf(x._mpf_))
        return a == 0 or mpmath.mpf(float(lo)) <= a <= mpmath.mpf(float(hi))
    return True


def check_model_number(
    value, name: str, *, error: type[Exception] = InvalidArgumentError
) -> sympy.Expr:
    r""":func:`check_scalar` for the numbers of a model (coefficients, rates, weights,
    :math:`K_c`, :math:`\hbar`): every number appearing in it is 0 or of magnitude in
    ``[NUMBER_MIN_MAGNITUDE, NUMBER_MAX_MAGNITUDE]`` (:mod:`blendsym.limits`), so that the
    double-precision generators stay finite."""
    expr = check_scalar(value, name, error=error)
    check_magnitudes(expr, name, error=error)
    return expr


def check_magnitudes(
    expr: sympy.Expr, name: str, *, error: type[Exception] = InvalidArgumentError
) -> None:
    """Refuse an expression containing a number outside the magnitude window of
    :mod:`blendsym.limits` (see :func:`check_model_number`)."""
    nums = [expr] if isinstance(expr, sympy.Number) else expr.atoms(sympy.Number)
    for x in nums:
        if not _magnitude_ok(x):
            raise error(
                f"{name} must contain numbers of magnitude between "
                f"{limits.NUMBER_MIN_MAGNITUDE:g} and {limits.NUMBER_MAX_MAGNITUDE:g} (or 0), "
                f"so that it stays finite and non-zero in double precision: found {show(x)}"
            )


def check_positive_parameter(
    value,
    name: str,
    *,
    allow_symbol: bool = True,
    error: type[Exception] = InvalidArgumentError,
) -> sympy.Expr:
    """A positive real number (as a SymPy number, magnitude checked as by
    :func:`check_model_number`) or, with ``allow_symbol``, a SymPy expression with free
    symbols that is not known to be non-positive or non-real."""
    v = check_model_number(value, name, error=error)
    if v.free_symbols:
        if not allow_symbol:
            raise error(f"{name} must be a number: found {show(v)}")
        if v.is_positive is False or v.is_real is False:
            raise error(f"{name} must be a positive real: found {show(v)}")
        return v
    if v.is_real is False or (v.is_real is None and abs(complex(v).imag) > 0):
        raise error(f"{name} must be a positive real number: found complex {show(v)}")
    if not v.is_positive:
        raise error(f"{name} must be positive: found {show(v)}")
    return v


def check_substitution(mapping, symbols, name: str = "mapping") -> dict:
    """A substitution ``{symbol: value}`` as a dict of SymPy objects.

    ``mapping`` is a dict or a sequence of ``(key, value)`` pairs.  A key is a SymPy
    ``Symbol`` or the *name* of one of ``symbols`` (looked up, never parsed); a value is a
    number or a SymPy expression (:func:`check_scalar`).  Strings as values are refused:
    :func:`sympy.sympify` of a string runs code.
    """
    if isinstance(mapping, dict):
        items = list(mapping.items())
    elif isinstance(mapping, list | tuple) and all(
        isinstance(p, tuple | list) and len(p) == 2 for p in mapping
    ):
        items = [tuple(p) for p in mapping]
    else:
        raise InvalidArgumentError(
            f"{name} must be a dict {{symbol: value}}: found {type(mapping).__name__}"
        )
    by_name = {s.name: s for s in symbols if isinstance(s, sympy.Symbol)}
    out = {}
    for key, value in items:
        if isinstance(key, str):
            if key not in by_name:
                known = ", ".join(sorted(by_name)) or "none"
                raise InvalidArgumentError(
                    f"{name} key {key!r} is not the name of a symbol here (symbols: {known}); "
                    "keys are SymPy symbols or their names"
                )
            sym = by_name[key]
        elif isinstance(key, sympy.Symbol):
            sym = key
        else:
            raise InvalidArgumentError(
                f"{name} keys must be SymPy symbols (or their names): found {describe(key)}"
            )
        out[sym] = check_scalar(value, f"{name}[{sym}]")
    return out


# ----------------------------------------------------------------------------- choices, types


def check_site(j, n: int, name: str, *, error: type[Exception] = InvalidArgumentError) -> int:
    """A 1-based site of an ``n``-qubit network (an ``int``: not a bool, float or string)."""
    if isinstance(j, bool | np.bool_) or not (
        isinstance(j, sympy.Integer) or hasattr(type(j), "__index__")
    ):
        raise error(f"{name} must be an integer in 1..{n} (a 1-based site): found {describe(j)}")
    j = check_int(j, name, error=error)
    if not 1 <= j <= n:
        raise error(f"{name} must be a site in 1..{n} (1-based): found {_show_int(j)}")
    return j


def check_bool(value, name: str) -> bool:
    """A bool (Python or NumPy); strings such as ``"no"`` are refused, not read as true."""
    if not isinstance(value, bool | np.bool_):
        raise InvalidArgumentError(f"{name} must be True or False: found {describe(value)}")
    return bool(value)


def check_choice(value, name: str, choices) -> str:
    """One of the strings ``choices``."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        shown = repr(value) if isinstance(value, str) and len(value) < 60 else describe(value)
        raise InvalidArgumentError(f"{name} must be one of {listed}: found {shown}")
    return value


def check_instance(value, cls, name: str, *, error: type[Exception] = InvalidArgumentError):
    """``value`` itself when it is an instance of ``cls`` (a class or a tuple of classes)."""
    if not isinstance(value, cls):
        want = cls.__name__ if isinstance(cls, type) else " or ".join(c.__name__ for c in cls)
        raise error(f"{name} must be a {want}: found {type(value).__name__}")
    return value


# ----------------------------------------------------------------------------- matrices


def as_square_matrix(
    obj,
    name: str,
    *,
    error: type[Exception] = InvalidArgumentError,
    type_error: type[Exception] | None = None,
    limit: str = "NUMERIC_DENSE_QUBITS",
):
    """``(kind, matrix, n)`` for a :math:`2^n\times 2^n` matrix with finite entries.

    SymPy matrices (dense or sparse) stay SymPy (``kind = "sympy"``; NaN, ``zoo`` and
    infinities refused); NumPy arrays, nested lists, SciPy sparse matrices and objects with a
    ``full()`` method (``qutip.Qobj``) become complex NumPy arrays (``kind = "numpy"``),
    refused beyond ``blendsym.limits.<limit>`` qubits before a sparse matrix is densified.
    Nested lists whose entries do not convert to complex numbers (SymPy symbols) become a
    SymPy matrix.  Shape and finiteness errors are raised as ``error``, entries that are not
    numbers as ``type_error`` (default ``error``).
    """
    type_error = error if type_error is None else type_error
    from .io.qutip import is_qobj, qobj_to_array

    if is_qobj(obj):  # dims checked: qubit tensor factors only
        obj = qobj_to_array(obj, name, error=error)
    if isinstance(obj, sympy.MatrixBase):
        shape = obj.shape
        _square(shape, name, error)
        n = qubits_of_dim(shape[0], name, error=error)
        vals = obj.todok().values() if hasattr(obj, "todok") else obj.values()
        for v in vals:
            if not isinstance(v, sympy.Expr) or not v.is_commutative:
                raise type_error(f"{name} must be a numeric matrix: found the entry {describe(v)}")
            if v.has(*_NONFINITE):
                raise error(
                    f"{name} must have finite entries: found the NaN or infinite entry {show(v)}"
                )
        return "sympy", obj, n
    if sp.issparse(obj):
        shape = obj.shape
        _square(shape, name, error)
        n = qubits_of_dim(shape[0], name, error=error)
        check_qubits(n, f"{name} (qubits)", limit=limit)
        obj = obj.toarray()
    elif hasattr(obj, "full") and callable(obj.full) and not isinstance(obj, np.ndarray):
        try:
            obj = np.asarray(obj.full())
        except Exception as exc:  # noqa: BLE001 - a foreign object's method
            raise type_error(f"{name}.full() did not return a matrix: {exc}") from None
    if isinstance(obj, str | bytes) or isinstance(obj, sympy.Basic):
        raise error(
            f"{name} must be a matrix (SymPy, NumPy or nested lists): found {describe(obj)}"
        )
    try:
        arr = np.asarray(obj)
    except (TypeError, ValueError) as exc:
        raise error(
            f"{name} must be a rectangular matrix of numbers: found {describe(obj)} ({exc})"
        ) from None
    if (
        arr.dtype.kind == "O"
        and arr.ndim == 1
        and any(isinstance(r, list | tuple | np.ndarray) for r in arr)
    ):
        raise error(f"{name} must be a rectangular matrix: found rows of different lengths")
    if arr.ndim != 2:
        raise error(f"{name} must be a square matrix: found shape {arr.shape}")
    _square(arr.shape, name, error)
    n = qubits_of_dim(arr.shape[0], name, error=error)
    check_qubits(n, f"{name} (qubits)", limit=limit)
    if arr.dtype.kind == "O":
        flat = arr.ravel().tolist()
        bad = [v for v in flat if not is_number_like(v)][:1]
        if bad:  # before astype: NumPy turns None into NaN
            raise type_error(f"{name} must be a numeric matrix: found the entry {describe(bad[0])}")
        try:
            arr = arr.astype(complex)
        except (TypeError, ValueError, OverflowError):
            m = sympy.Matrix(arr.shape[0], arr.shape[1], [check_scalar(v, name) for v in flat])
            return as_square_matrix(m, name, error=error, type_error=type_error, limit=limit)
    if arr.dtype.kind not in "iufc":
        raise type_error(f"{name} must be a numeric matrix: found dtype {arr.dtype}")
    arr = arr.astype(complex)
    bad = ~np.isfinite(arr)
    if bad.any():
        k = int(bad.sum())
        raise error(
            f"{name} must have finite entries: found {k} NaN or infinite entr"
            + ("y" if k == 1 else "ies")
        )
    return "numpy", arr, n


def is_number_like(v) -> bool:
    """A number or a SymPy expression (never a string: SymPy would parse it)."""
    if isinstance(v, bool | np.bool_ | str | bytes):
        return False
    return isinstance(v, numbers.Number | np.number) or (
        isinstance(v, sympy.Expr) and not isinstance(v, sympy.MatrixBase)
    )


def _square(shape, name: str, error) -> None:
    if len(shape) != 2 or shape[0] != shape[1]:
        raise error(f"{name} must be a square matrix: found shape {tuple(shape)}")


# ----------------------------------------------------------------------------- self-checks


def internal_check(condition: bool, message: str) -> None:
    """Raise :class:`~blendsym.errors.InternalError` unless ``condition``: a self-check of an
    invariant that holds by construction (a bug if it fails), kept under ``python -O``."""
    if not condition:
        raise InternalError(f"internal self-check failed (a bug in blendsym): {message}")
