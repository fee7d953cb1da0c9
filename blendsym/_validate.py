"""Argument checks shared by every public entry point.

Each check returns the normalised value or raises
:class:`~blendsym.errors.InvalidArgumentError` with a message that names the argument, what
was expected and what was found (``n must be an integer >= 1: found 0``).  Modules call these
instead of writing their own, so that the same argument gets the same limits and the same
words everywhere.
"""

from __future__ import annotations

import math
import numbers
import operator

import numpy as np
import sympy

from .errors import InvalidArgumentError

__all__ = ["check_int", "check_real", "check_site", "check_choice"]


def _describe(value) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def check_int(value, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer (Python, NumPy or SymPy; never a bool) within ``[minimum, maximum]``."""
    if isinstance(value, bool | np.bool_):
        raise InvalidArgumentError(f"{name} must be an integer: found bool {value!r}")
    try:
        v = operator.index(value)
    except TypeError:
        if isinstance(value, sympy.Integer):
            v = int(value)
        else:
            raise InvalidArgumentError(
                f"{name} must be an integer: found {_describe(value)}"
            ) from None
    if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
        if maximum is None:
            want = f">= {minimum}"
        elif minimum is None:
            want = f"<= {maximum}"
        else:
            want = f"in {minimum}..{maximum}"
        raise InvalidArgumentError(f"{name} must be an integer {want}: found {v}")
    return int(v)


def check_real(
    value,
    name: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    finite: bool = True,
) -> float:
    """A real number as a float (refuses bools, complex numbers, strings, NaN; infinities
    unless ``finite=False``)."""
    if isinstance(value, bool | np.bool_) or isinstance(value, str | bytes):
        raise InvalidArgumentError(f"{name} must be a real number: found {_describe(value)}")
    if isinstance(value, sympy.Basic):
        if not value.is_number or value.is_real is False:
            raise InvalidArgumentError(f"{name} must be a real number: found {value}")
    elif not isinstance(value, numbers.Real | np.floating | np.integer):
        raise InvalidArgumentError(f"{name} must be a real number: found {_describe(value)}")
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidArgumentError(f"{name} must be a real number: found {value!r}") from exc
    if math.isnan(v) or (finite and math.isinf(v)):
        raise InvalidArgumentError(f"{name} must be a finite real number: found {value!r}")
    if positive and not v > 0:
        raise InvalidArgumentError(f"{name} must be positive: found {value!r}")
    if nonnegative and not v >= 0:
        raise InvalidArgumentError(f"{name} must be non-negative: found {value!r}")
    return v


def check_site(j, n: int, name: str) -> int:
    """A 1-based site of an ``n``-qubit network."""
    j = check_int(j, name)
    if not 1 <= j <= n:
        raise InvalidArgumentError(f"{name} must be a site in 1..{n} (1-based): found {j}")
    return j


def check_choice(value, name: str, choices) -> str:
    """One of the strings ``choices``."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise InvalidArgumentError(f"{name} must be one of {listed}: found {value!r}")
    return value
