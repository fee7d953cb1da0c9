r"""NumPy functions of a model's free symbols, compiled once with :func:`sympy.lambdify`.

:class:`ParametricFunction` wraps a SymPy expression (a scalar, a vector or a matrix) whose
free symbols are the parameters of a :class:`~blendsym.QuantumNetwork` (rates, Hamiltonian
coefficients, weights, :math:`K_c`, :math:`\hbar`).  It is called with the parameter
values as keyword arguments named after the symbols (``f(omega=..., gamma=...)``); the
values broadcast against each other like NumPy arrays, and the result has the shape
``broadcast_shape + f.shape``.  The expression is turned into NumPy code once, so
evaluating it at :math:`10^4` parameter points is one vectorised call instead of
:math:`10^4` substitutions.

Checks (each raises :class:`~blendsym.errors.InvalidArgumentError` naming the parameter):
every parameter of the expression must be given; names that are not symbols of the model
are refused (a typo is not silently ignored; symbols of the model the expression does not
use are accepted and ignored); values must be finite numbers, real for symbols declared
real and positive for symbols declared positive.  Where the closed form is not defined
(a denominator vanishing at a special parameter value) the result would be ``inf`` or
``nan``: :class:`~blendsym.errors.NotComputableError` names the first such point.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import sympy

from .._validate import describe
from ..errors import InvalidArgumentError, NotComputableError

__all__ = ["ParametricFunction", "symbol_table", "check_parameter_values"]


def symbol_table(
    symbols: Iterable[sympy.Symbol], what: str = "the model"
) -> dict[str, sympy.Symbol]:
    """``{name: symbol}``, refusing two different symbols with the same name (e.g. ``x`` and
    ``x`` declared positive), which could not be told apart by keyword."""
    table: dict[str, sympy.Symbol] = {}
    for s in sorted(symbols, key=lambda x: x.name):
        other = table.get(s.name)
        if other is not None and other != s:
            raise InvalidArgumentError(
                f"{what} has two different symbols named {s.name!r} (with different "
                "assumptions): they cannot be given by keyword; rename one"
            )
        table[s.name] = s
    return table


def _as_values(value, symbol: sympy.Symbol) -> np.ndarray:
    name = symbol.name
    if isinstance(value, (str, bytes, bool, np.bool_)):
        raise InvalidArgumentError(
            f"{name} must be a number or an array of numbers: found {describe(value)}"
        )
    if isinstance(value, sympy.Basic):
        if value.free_symbols:
            raise InvalidArgumentError(
                f"{name} must be numeric: found the expression {value} with free symbols"
            )
        value = complex(value) if not value.is_real else float(value)
    try:
        arr = np.asarray(value)
        if arr.dtype == object or arr.dtype.kind not in "biufc":
            raise TypeError
        arr = arr.astype(complex if arr.dtype.kind == "c" else float)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"{name} must be a number or an array of numbers: found {describe(value)}"
        ) from None
    if not np.all(np.isfinite(arr)):
        raise InvalidArgumentError(f"{name} must be finite: found NaN or infinity")
    if arr.dtype.kind == "c":
        if symbol.is_real and np.any(arr.imag != 0):
            raise InvalidArgumentError(f"{name} is a real symbol: found complex values")
        if symbol.is_real:
            arr = arr.real.copy()
    if symbol.is_positive and np.any(np.real(arr) <= 0):
        bad = np.real(arr)[np.real(arr) <= 0].ravel()[0]
        raise InvalidArgumentError(f"{name} is declared positive: found the value {bad:g}")
    if symbol.is_nonnegative and np.any(np.real(arr) < 0):
        raise InvalidArgumentError(f"{name} is declared non-negative: found a negative value")
    return arr


def check_parameter_values(
    values: dict, allowed: dict[str, sympy.Symbol], needed: Iterable[str], what: str
) -> dict[str, np.ndarray]:
    """Validated arrays for the ``needed`` names (see the module docstring)."""
    unknown = sorted(k for k in values if k not in allowed)
    if unknown:
        known = ", ".join(sorted(allowed)) or "none"
        raise InvalidArgumentError(
            f"{what}: unknown parameter(s) {unknown}; the model's symbols are: {known}"
        )
    needed = list(needed)
    missing = [k for k in needed if k not in values]
    if missing:
        raise InvalidArgumentError(
            f"{what} needs values for {missing} (keyword arguments named after the symbols)"
        )
    return {k: _as_values(values[k], allowed[k]) for k in needed}


class ParametricFunction:
    r"""A SymPy expression of the model's symbols, compiled to NumPy (module docstring).

    Parameters
    ----------
    expr:
        A SymPy expression, or a matrix / nested list of them (its shape is the result's
        trailing shape).
    allowed:
        ``{name: symbol}`` of the model (:func:`symbol_table`); the expression's free
        symbols must be among them.
    name:
        What the function computes (for messages and ``repr``).
    leading:
        Names of extra leading positional arguments (e.g. ``("t",)`` for a solution
        :math:`\rho_b(t)`), real arrays broadcast with the parameters.
    """

    def __init__(
        self, expr, allowed: dict[str, sympy.Symbol], name: str, leading=(), real: bool = False
    ):
        if isinstance(expr, sympy.MatrixBase):
            shape = tuple(expr.shape)
            flat = list(expr)
        elif isinstance(expr, (list, tuple)):
            arr = np.asarray(expr, dtype=object)
            shape = arr.shape
            flat = [sympy.sympify(e) for e in arr.ravel()]
        else:
            shape = ()
            flat = [sympy.sympify(expr)]
        self.shape: tuple[int, ...] = shape
        self.name = name
        self._real = bool(real)
        self._allowed = dict(allowed)
        lead_syms = [sympy.Symbol(f"_lead_{k}", real=True) for k in leading]
        self._lead_names = tuple(leading)
        self._lead_syms = tuple(lead_syms)
        free: set = set()
        for e in flat:
            free |= e.free_symbols
        by_name = {s.name: s for s in free if s not in lead_syms}
        outside = sorted(n for n, s in by_name.items() if allowed.get(n) != s)
        if outside:
            raise InvalidArgumentError(
                f"{name}: the expression has symbols {outside} that are not the model's"
            )
        #: The parameters the function needs (sorted names).
        self.parameters: tuple[str, ...] = tuple(sorted(by_name))
        args = [*lead_syms, *(allowed[n] for n in self.parameters)]
        self._exprs = flat
        self._f = sympy.lambdify(args, flat, modules="numpy", cse=True)

    def __repr__(self) -> str:
        lead = ", ".join(self._lead_names)
        params = ", ".join(f"{p}=..." for p in self.parameters)
        sig = ", ".join(x for x in (lead, params) if x)
        return f"<{self.name}({sig}) -> array(..., {', '.join(map(str, self.shape))})>"

    def __getstate__(self) -> dict:
        return {
            "exprs": self._exprs,
            "shape": self.shape,
            "name": self.name,
            "allowed": self._allowed,
            "lead": self._lead_names,
            "real": self._real,
        }

    def __setstate__(self, state: dict) -> None:
        exprs = state["exprs"]
        arr = np.empty(len(exprs), dtype=object)
        arr[:] = exprs
        expr = arr.reshape(state["shape"]).tolist() if state["shape"] else exprs[0]
        ParametricFunction.__init__(
            self, expr, state["allowed"], state["name"], state["lead"], state["real"]
        )

    def __call__(self, *leading, **values) -> np.ndarray:
        if len(leading) != len(self._lead_names):
            want = ", ".join(self._lead_names) or "no positional arguments"
            raise InvalidArgumentError(
                f"{self.name} takes {want} positionally and the parameters by keyword: "
                f"found {len(leading)} positional arguments"
            )
        lead_arrays = [
            _as_values(v, sympy.Symbol(lname, real=True))
            for lname, v in zip(self._lead_names, leading, strict=True)
        ]
        params = check_parameter_values(values, self._allowed, self.parameters, self.name)
        arrays = [*lead_arrays, *(params[p] for p in self.parameters)]
        try:
            shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        except ValueError:
            shapes = {
                n: a.shape
                for n, a in zip((*self._lead_names, *self.parameters), arrays, strict=True)
            }
            raise InvalidArgumentError(
                f"{self.name}: the parameter arrays do not broadcast together: shapes {shapes}"
            ) from None
        with np.errstate(all="ignore"):
            parts = self._f(*arrays)
        out = np.empty(shape + (len(parts),), dtype=complex)
        for k, part in enumerate(parts):
            out[..., k] = np.broadcast_to(np.asarray(part, dtype=complex), shape)
        out = out.reshape(shape + self.shape)
        if not np.all(np.isfinite(out)):
            bad: np.ndarray | list = (
                np.argwhere(~np.isfinite(out.reshape(shape + (-1,))).all(axis=-1)) if shape else []
            )
            where = ""
            if len(bad):
                idx = tuple(bad[0])
                point = {
                    n: (np.broadcast_to(a, shape)[idx]).item()
                    for n, a in zip((*self._lead_names, *self.parameters), arrays, strict=True)
                }
                where = f" at {point}"
            raise NotComputableError(
                f"{self.name}: the closed form is not defined{where} (a denominator vanishes "
                "at these special values); analyse net.subs({...}) at that point instead"
            )
        return out.real.copy() if self._real else out
