r"""Model files: a network, its initial state and run settings as TOML data.

Parsing a model file never executes code: TOML is read with :mod:`tomllib` and every
expression with the restricted parser of :mod:`blendsym.expressions`.

Format
------
.. code-block:: toml

    n = 3                                   # number of qubits (required)
    hamiltonian = "sigma_z(1)"              # operator expression (default 0)
    coupling = 40                           # K_c: number or expression; omitted -> symbol K_c
    hbar = 1                                # optional
    exact = false                           # true: decimals such as 0.05 become exact 1/20

    [parameters]                            # optional names usable in expressions
    g = "1/2"                               # a value
    w = { real = true }                     # a symbol (assumptions: real, positive)

    [graph]                                 # exactly one of:
    complete = true                         #   the complete graph, unit weights
    # edges = [[1, 2], [2, 3, "1/2"]]       #   1-based edges, optional weights
    # weights = [[0, 1], [1, 0]]            #   n x n weight matrix

    [[jumps]]                               # repeated; rate defaults to 1
    operator = "sigma_minus(2)"
    [[jumps]]
    operator = "sqrt(3)*sigma_plus(3)"
    rate = 1

    [initial_state]                         # optional; exactly one of:
    product = ["0", "mixed", "1"]           #   per qubit: "0" "1" "+" "-" "mixed" or [x, y, z]
    # basis = "001"
    # mixture = [["001", "1/6"], ["010", "1/3"], ["100", "1/2"]]
    # matrix = [["1/2", 0], [0, "1/2"]]

    [simulation]                            # optional
    kc = [1, 5, 10, 40]
    t_final = 10
    num_times = 101

    [theorems]                              # optional settings of Theorems 1-4
    eta = 0.05
    T1 = 1
    T2 = 5

Operator expressions accept numbers, declared parameters, ``I``, ``sqrt(...)``,
``+ - * / **``, parentheses and the site operators ``sigma_x(j)`` ... ``sigma_minus(j)``.

Limits and checks
-----------------
Loading takes bounded time and memory: at most :data:`MAX_FILE_BYTES` of a regular file are
read; the expressions obey the limits of :mod:`blendsym.io.expressions` (one
:class:`~blendsym.io.expressions.ExpressionBudget` per file); :data:`MAX_JUMPS`,
:data:`MAX_PARAMETERS`, :data:`MAX_GAINS` and :data:`MAX_NUM_TIMES` bound the tables.  Every
number must fit double precision.  Settings are typed (``num_times`` an integer, ``kc`` a
non-empty list or a number, ``T1 <= T2``), booleans are TOML booleans, and an empty graph is
written ``edges = []``.  Initial states are built valid by construction (no validation of the
whole :math:`2^n\times 2^n` matrix): exact for :math:`n\le` :data:`EXACT_STATE_MAX_QUBITS`
(``matrix`` states, validated exactly, :math:`n\le` :data:`EXACT_MATRIX_STATE_MAX_QUBITS`),
NumPy above when ``exact = false``, and refused with their size when ``exact = true`` or
:math:`n >` :data:`NUMERIC_STATE_MAX_QUBITS`.  Every refusal is a
:class:`~blendsym.errors.ModelFileError` naming the key (and the line or column where known).
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sympy

from ..errors import BlendsymError, ModelFileError
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator
from ..model.states import DEFAULT_TOL, basis_state, state_from_bloch, validate_density
from ..model.structured_states import DickeState, ProductMixture, ProductState
from .expressions import (
    MAX_LITERAL_DIGITS,
    ExpressionBudget,
    describe_value,
    parse_expression,
)
from .toml_input import MAX_FILE_BYTES, _parse_toml, _read_text

__all__ = [
    "ModelSpec",
    "load_model",
    "loads_model",
    "MAX_FILE_BYTES",
    "MAX_QUBITS",
    "MAX_PARAMETERS",
    "MAX_JUMPS",
    "MAX_GAINS",
    "MAX_NUM_TIMES",
    "MAX_MIXTURE_TERMS",
    "EXACT_STATE_MAX_QUBITS",
    "EXACT_MATRIX_STATE_MAX_QUBITS",
    "NUMERIC_STATE_MAX_QUBITS",
    "SIMULATION_DEFAULTS",
    "THEOREM_DEFAULTS",
]

#: Largest number of qubits ``n``.  Up to :data:`NUMERIC_STATE_MAX_QUBITS` the initial state
#: is a matrix; above it a :class:`~blendsym.ProductState`, :class:`~blendsym.ProductMixture`
#: or :class:`~blendsym.DickeState` (the forms ``product``, ``basis``, ``mixture``, ``uniform``,
#: ``dicke``; ``matrix`` is refused), which the blended coherent dynamics in PI coordinates
#: (``blendsym simulate --coherent``) takes at any n.
MAX_QUBITS = 1000
#: Most entries in ``[parameters]``.
MAX_PARAMETERS = 100
#: Most ``[[jumps]]`` tables.
MAX_JUMPS = 1000
#: Most coupling gains in ``simulation.kc``.
MAX_GAINS = 1000
#: Most output times ``simulation.num_times``.
MAX_NUM_TIMES = 100_000
#: Most entries of a ``mixture`` initial state above :data:`NUMERIC_STATE_MAX_QUBITS`.
MAX_MIXTURE_TERMS = 10_000
#: Largest ``n`` of an exact (SymPy) ``product``, ``basis`` or ``mixture`` initial state
#: (a 64 x 64 matrix; these are valid by construction, so never validated as a whole).
EXACT_STATE_MAX_QUBITS = 6
#: Largest ``n`` of an exact ``matrix`` initial state, validated exactly (16 x 16).
EXACT_MATRIX_STATE_MAX_QUBITS = 4
#: Largest ``n`` of any initial state (a 2048 x 2048 complex matrix, 64 MiB).
NUMERIC_STATE_MAX_QUBITS = 11
#: What ``blendsym simulate`` uses when ``[simulation]`` leaves a setting out.
SIMULATION_DEFAULTS = {"t_final": 10.0, "num_times": 101}
#: What ``blendsym analyze`` uses when ``[theorems]`` leaves a setting out.
THEOREM_DEFAULTS = {"eta": 0.05, "T1": 1.0, "T2": 5.0}

_TOP = {
    "n",
    "hamiltonian",
    "coupling",
    "hbar",
    "exact",
    "parameters",
    "graph",
    "jumps",
    "initial_state",
    "simulation",
    "theorems",
    "name",
    "description",
}
_LABELS = {"0", "1", "+", "-", "mixed"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*", re.ASCII)
_RESERVED = {"I", "sqrt", "identity", "K_c", "sum_sites", "sum_pairs"}


@dataclass
class ModelSpec:
    """What a model file describes.

    ``rho0`` is an exact SymPy matrix when the state is exact and small enough
    (:data:`EXACT_STATE_MAX_QUBITS`), a NumPy array otherwise (up to
    :data:`NUMERIC_STATE_MAX_QUBITS`), a structured state (never a :math:`2^n\times2^n`
    matrix) for larger ``n``, ``None`` without ``[initial_state]``; ``simulation`` and ``theorems`` hold the settings the file gives.
    """

    net: QuantumNetwork
    rho0: sympy.Matrix | np.ndarray | ProductState | ProductMixture | DickeState | None = None
    name: str = ""
    description: str = ""
    simulation: dict = field(default_factory=dict)
    theorems: dict = field(default_factory=dict)
    source: str = ""


# ---------------------------------------------------------------------- reading


def load_model(path) -> ModelSpec:
    """Read a TOML model file (see the module docstring for the format).

    Only regular files are read, and at most :data:`MAX_FILE_BYTES` of them (a FIFO, a
    device such as ``/dev/zero`` or a directory is refused before anything is read); the
    file must be UTF-8.
    """
    try:
        p = Path(path)
    except TypeError:
        raise ModelFileError(
            f"model file path must be a string or a path: found {type(path).__name__}"
        ) from None
    return loads_model(_read_text(p), source=str(p))


# ---------------------------------------------------------------------- values


def _err(key: str, msg: str) -> ModelFileError:
    return ModelFileError(f"{key}: {msg}")


def _check_keys(table: dict, allowed: set, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        shown = unknown if len(unknown) <= 10 else [*unknown[:10], "..."]
        raise _err(where, f"unknown key(s) {shown}; allowed: {sorted(allowed)}")


def _check_double(v: sympy.Expr, key: str, what: str = "") -> None:
    """Refuse a number outside double precision (it could not be simulated)."""
    if not v.is_number:
        return
    try:
        if v.is_Rational:
            z = complex(int(v.p) / int(v.q))
        elif v.is_Float:
            z = complex(float(v))
        else:
            z = complex(v)
    except OverflowError:
        z = complex(math.inf)
    except (TypeError, ValueError):
        return
    big, tiny = sys.float_info.max, sys.float_info.min
    parts = (abs(z.real), abs(z.imag))
    if all(p <= big and not 0 < p < tiny for p in parts) and not (z == 0 and v.is_zero is False):
        return
    label = what or (
        f"the number {describe_value(v)}" if len(str(v)) <= 30 else f"the number {sympy.N(v, 3)}"
    )
    if any(math.isnan(p) for p in parts):
        raise _err(key, f"{label} is not a finite number")
    if any(p > big for p in parts):
        raise _err(key, f"{label} is too large for double precision (|x| <= {big:.3g})")
    raise _err(key, f"{label} is too small for double precision (0 or |x| >= {tiny:.3g})")


def _scalar(value, key: str, params: dict, exact: bool, budget: ExpressionBudget) -> sympy.Expr:
    if isinstance(value, bool):
        raise _err(key, f"expected a number or an expression string, found {value!r}")
    if isinstance(value, int):
        if abs(value) >= 10**MAX_LITERAL_DIGITS:
            raise _err(
                key, f"integer with {len(str(abs(value)))} digits (at most {MAX_LITERAL_DIGITS})"
            )
        v = sympy.Integer(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _err(key, f"expected a finite number, found {value!r}")
        v = sympy.nsimplify(value, rational=True) if exact else sympy.Float(value)
    elif isinstance(value, str):
        v = parse_expression(value, key, None, params, exact, budget)
        if isinstance(v, SiteOperator):
            raise _err(
                key, f"expected a number, found the operator expression {describe_value(value)}"
            )
    else:
        raise _err(
            key,
            f"expected a number or an expression string, found {type(value).__name__} "
            f"{describe_value(value)}",
        )
    _check_double(v, key)
    return v


def _operator(
    value, key: str, n: int, params: dict, exact: bool, budget: ExpressionBudget
) -> SiteOperator:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return SiteOperator({(): _scalar(value, key, params, exact, budget)})
    v = parse_expression(value, key, n, params, exact, budget, as_operator=True)
    for k, c in v.terms.items():
        name = "*".join(f"sigma_{p.lower()}({s})" for s, p in k) or "identity()"
        _check_double(c, key, f"the coefficient {describe_value(c)} of {name}")
    return v


def _parameters(table, exact: bool, budget: ExpressionBudget) -> dict:
    if not isinstance(table, dict):
        raise _err("parameters", "expected a table of name = value")
    if len(table) > MAX_PARAMETERS:
        raise _err("parameters", f"{len(table)} parameters (at most {MAX_PARAMETERS})")
    params: dict = {}
    for name, spec in table.items():
        key = f"parameters.{name}"
        if not _NAME.fullmatch(name) or name in _RESERVED or name.startswith("sigma_"):
            why = (
                "reserved for the coupling gain"
                if name == "K_c"
                else "a reserved name"
                if _NAME.fullmatch(name)
                else "not an ASCII name (letters, digits, _; not starting with a digit)"
            )
            raise _err(key, f"{name!r} is not a usable parameter name: {why}")
        if isinstance(spec, dict):
            _check_keys(spec, {"real", "positive"}, key)
            for a, flag in spec.items():
                if not isinstance(flag, bool):
                    raise _err(
                        f"{key}.{a}",
                        f"expected true or false (a TOML boolean), found {describe_value(flag)}",
                    )
            params[name] = sympy.Symbol(name, **spec)
        elif isinstance(spec, str) and spec.strip() in ("real", "positive", "symbol"):
            flag = spec.strip()
            table_form = "{}" if flag == "symbol" else f"{{ {flag} = true }}"
            raise _err(
                key,
                f"expected a value or a symbol table: to declare the symbol write "
                f"{name} = {table_form}, found the string {spec!r}",
            )
        else:
            params[name] = _scalar(spec, key, params, exact, budget)
    return params


def _graph(table, n: int, params: dict, exact: bool, budget: ExpressionBudget):
    if not isinstance(table, dict):
        raise _err("graph", "expected a table with one of 'complete', 'edges', 'weights'")
    _check_keys(table, {"complete", "edges", "weights"}, "graph")
    given = [k for k in ("complete", "edges", "weights") if k in table]
    if len(given) != 1:
        raise _err("graph", f"give exactly one of 'complete', 'edges', 'weights': found {given}")
    kind = given[0]
    if kind == "complete":
        if table["complete"] is not True:
            raise _err("graph.complete", "must be true")
        return [(j, k) for j in range(1, n + 1) for k in range(j + 1, n + 1)]
    if kind == "edges":
        items = table["edges"]
        if not isinstance(items, list):
            raise _err("graph.edges", "expected a list of [j, k] or [j, k, weight]")
        most = max(1, n * (n - 1) // 2)
        if len(items) > most:
            raise _err(
                "graph.edges",
                f"{len(items)} edges for n = {n} qubits (at most n(n-1)/2 = {most} distinct edges)",
            )
        edges = []
        for i, e in enumerate(items):
            key = f"graph.edges[{i}]"
            if not isinstance(e, list) or len(e) not in (2, 3):
                raise _err(key, f"expected [j, k] or [j, k, weight], found {describe_value(e)}")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in e[:2]):
                raise _err(key, f"nodes must be integers, found {describe_value(e[:2])}")
            w = _scalar(e[2], key, params, exact, budget) if len(e) == 3 else 1
            edges.append((e[0], e[1], w))
        return edges
    rows = table["weights"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise _err("graph.weights", f"expected a {n} x {n} array")
    if not rows:
        raise _err(
            "graph.weights",
            f"expected a {n} x {n} array, found an empty array; write edges = [] for a graph "
            "without edges",
        )
    if len(rows) != n or any(len(r) != n for r in rows):
        found = [len(r) for r in rows[: n + 1]]
        raise _err(
            "graph.weights",
            f"expected a {n} x {n} array, found {len(rows)} rows of lengths "
            f"{describe_value(found)}",
        )
    return sympy.Matrix(
        [
            [_scalar(v, f"graph.weights[{i}][{j}]", params, exact, budget) for j, v in enumerate(r)]
            for i, r in enumerate(rows)
        ]
    )


def _jumps(items, n: int, params: dict, exact: bool, budget: ExpressionBudget) -> list:
    if not isinstance(items, list):
        raise _err("jumps", "expected an array of tables [[jumps]] with 'operator' and 'rate'")
    if len(items) > MAX_JUMPS:
        raise _err("jumps", f"{len(items)} jump operators (at most {MAX_JUMPS})")
    out = []
    for i, item in enumerate(items):
        key = f"jumps[{i}]"
        if not isinstance(item, dict):
            raise _err(key, "expected a table with 'operator' (and optional 'rate')")
        _check_keys(item, {"operator", "rate"}, key)
        if "operator" not in item:
            raise _err(key, "missing key 'operator'")
        op = _operator(item["operator"], f"{key}.operator", n, params, exact, budget)
        rate = _scalar(item.get("rate", 1), f"{key}.rate", params, exact, budget)
        out.append((rate, op))
    return out


# ---------------------------------------------------------------------- initial state


def _entry(v: sympy.Expr, key: str) -> complex:
    if v.free_symbols:
        raise _err(
            key,
            f"initial state has free symbols {sorted(map(str, v.free_symbols))}: a state must be "
            "numeric",
        )
    return complex(v)


_STATE_FORMS = ("product", "basis", "mixture", "matrix", "uniform", "dicke")


def _initial_state(table, n: int, params: dict, exact: bool, budget: ExpressionBudget):
    if not isinstance(table, dict):
        raise _err("initial_state", f"expected a table with one of {', '.join(_STATE_FORMS)}")
    _check_keys(table, set(_STATE_FORMS), "initial_state")
    given = [k for k in _STATE_FORMS if k in table]
    if len(given) != 1:
        raise _err("initial_state", f"give exactly one of {', '.join(_STATE_FORMS)}: found {given}")
    kind = given[0]
    key = f"initial_state.{kind}"
    val = table[kind]
    if n > NUMERIC_STATE_MAX_QUBITS:  # never a 2^n x 2^n matrix
        try:
            from .large_states import structured_state

            return structured_state(kind, val, n, key, params, exact, budget)
        except ModelFileError:
            raise
        except BlendsymError as exc:
            raise _err(key, str(exc)) from exc
    d = 2**n
    limit = EXACT_MATRIX_STATE_MAX_QUBITS if kind == "matrix" else EXACT_STATE_MAX_QUBITS
    numeric = n > limit
    if numeric and exact:
        raise _err(
            key,
            f"an exact state of n = {n} qubits is a {d} x {d} SymPy matrix ({d * d} entries); "
            f"with exact = true model files build {kind} states for n <= {limit}: set "
            "exact = false for a numeric state",
        )
    try:
        if kind == "basis":
            _bits(val, n, key)
            if not numeric:
                return basis_state(val)
            rho = np.zeros((d, d), dtype=complex)
            rho[int(val, 2), int(val, 2)] = 1
            return rho
        if kind == "product":
            return _product(val, n, key, numeric, params, exact, budget)
        if kind == "uniform":
            return _product([val] * n, n, key, numeric, params, exact, budget)
        if kind == "dicke":
            rho = DickeState(n, _dicke_k(val, n, key)).dense()
            return np.array(rho.evalf().tolist(), dtype=complex) if numeric else rho
        if kind == "mixture":
            return _mixture(val, n, key, numeric, params, exact, budget)
        return _matrix(val, n, key, numeric, params, exact, budget)
    except ModelFileError:
        raise
    except BlendsymError as exc:
        raise _err(key, str(exc)) from exc


def _product(val, n, key, numeric, params, exact, budget):
    if not isinstance(val, list) or len(val) != n:
        raise _err(key, f"expected a list of {n} single-qubit states, found {describe_value(val)}")
    factors = _factors(val, key, params, exact, budget)
    # a tensor product of density operators is one: no validation of the 2^n x 2^n matrix
    if numeric or any(not isinstance(f, sympy.MatrixBase) for f in factors):
        rho = np.ones((1, 1), dtype=complex)
        for f in factors:
            rho = np.kron(
                rho,
                np.array(sympy.Matrix(f).evalf().tolist(), dtype=complex)
                if isinstance(f, sympy.MatrixBase)
                else np.asarray(f, dtype=complex),
            )
        return rho
    rho = sympy.Matrix(factors[0])
    for f in factors[1:]:
        rho = sympy.kronecker_product(rho, f)
    return rho.applyfunc(sympy.expand)


def _factor(f, fk: str, params, exact, budget):
    """One single-qubit factor: a label or a Bloch vector [x, y, z] (validated)."""
    if isinstance(f, str):
        if f not in _LABELS:
            raise _err(
                fk,
                f"expected one of {sorted(_LABELS)} or a Bloch vector [x, y, z], found "
                f"{describe_value(f)}",
            )
        return sympy.eye(2) / 2 if f == "mixed" else basis_state(f)
    if isinstance(f, list) and len(f) == 3:
        r = [_scalar(c, fk, params, exact, budget) for c in f]
        return _bloch_factor(r, f, fk)
    raise _err(fk, f"expected a label or a Bloch vector [x, y, z], found {describe_value(f)}")


def _factors(val: list, key: str, params, exact, budget) -> list:
    """The factors of a ``product`` list; repeated labels are read once."""
    seen: dict = {}
    out = []
    for j, f in enumerate(val):
        if isinstance(f, str) and f in seen:
            out.append(seen[f])
            continue
        m = _factor(f, f"{key}[{j}]", params, exact, budget)
        if isinstance(f, str):
            seen[f] = m
        out.append(m)
    return out


def _dicke_k(val, n: int, key: str) -> int:
    if isinstance(val, bool) or not isinstance(val, int) or not 0 <= val <= n:
        raise _err(
            key, f"expected the number k in 0..{n} of qubits in |1>, found {describe_value(val)}"
        )
    return val


def _sign(x: sympy.Expr) -> int:
    """The sign of a real number, exactly where SymPy's arithmetic decides it, else from 30
    digits (numbers within ``1e-20`` of zero count as zero, as ``validate_density`` decides
    what it cannot decide exactly): no ``simplify`` and no number-field arithmetic, whose cost
    grows exponentially with the number of radicals."""
    if x.is_Rational or x.is_Float:
        return int(bool(x > 0)) - int(bool(x < 0))
    v = complex(x.evalf(30))
    if abs(v.real) <= 1e-20:
        return 0
    return 1 if v.real > 0 else -1


def _real_number(x: sympy.Expr, key: str, what: str) -> None:
    if x.is_extended_real is False or (
        x.is_extended_real is None and abs(complex(x.evalf(30)).imag) > 1e-20
    ):
        raise _err(key, f"initial state is not Hermitian: {what} is {describe_value(x)}, not real")


def _bloch_factor(r: list, given, key: str):
    r"""The single-qubit state :math:`\tfrac12(I + r\cdot\sigma)`, a density operator iff
    :math:`r` is real and :math:`|r|\le 1` (its eigenvalues are :math:`(1\pm|r|)/2`)."""
    label = f"Bloch vector {describe_value(given)}"
    for c in r:
        _entry(c, key)
    if any(c.has(sympy.Float) for c in r):
        z = [complex(c) for c in r]
        if max(abs(c.imag) for c in z) > DEFAULT_TOL:
            raise _err(key, f"{label}: single-qubit state is not Hermitian")
        length = math.sqrt(sum(c.real**2 for c in z))
        if length > 1 + DEFAULT_TOL:
            raise _err(
                key,
                f"{label}: single-qubit state is not positive semidefinite: smallest eigenvalue "
                f"{(1 - length) / 2:.6g}",
            )
        x, y, zz = (c.real for c in z)
        return 0.5 * np.array([[1 + zz, x - 1j * y], [x + 1j * y, 1 - zz]])
    for c in r:
        _real_number(c, key, f"the {label} component")
    if _sign(1 - (r[0] ** 2 + r[1] ** 2 + r[2] ** 2)) < 0:
        length = sympy.sqrt(r[0] ** 2 + r[1] ** 2 + r[2] ** 2)
        raise _err(
            key,
            f"{label}: single-qubit state is not positive semidefinite: smallest eigenvalue "
            f"{float(sympy.N((1 - length) / 2, 15)):.6g}",
        )
    return sympy.Matrix(state_from_bloch(r)).applyfunc(sympy.expand)


def _mixture(val, n, key, numeric, params, exact, budget):
    d = 2**n
    if not isinstance(val, list) or not val:
        raise _err(key, 'expected a list of ["bits", weight] pairs')
    if len(val) > d:
        raise _err(key, f"{len(val)} entries for n = {n} qubits (at most 2^n = {d} basis states)")
    weights: dict[int, list] = {}
    for i, pair in enumerate(val):
        pk = f"{key}[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise _err(pk, f'expected ["bits", weight], found {describe_value(pair)}')
        _bits(pair[0], n, pk)
        weights.setdefault(int(pair[0], 2), []).append(_scalar(pair[1], pk, params, exact, budget))
    diag = {l: sympy.Add(*ws) for l, ws in weights.items()}
    for w in diag.values():
        _entry(w, key)
    floating = numeric or any(w.has(sympy.Float) for w in diag.values())
    if floating:
        vals = {l: complex(w) for l, w in diag.items()}
        worst = max(abs(v.imag) for v in vals.values())
        if worst > DEFAULT_TOL:
            raise _err(
                key, f"initial state is not Hermitian: a weight has imaginary part {worst:.3g}"
            )
        tr = sum(v.real for v in vals.values())
        if abs(tr - 1) > DEFAULT_TOL:
            raise _err(key, f"initial state must have trace one: found trace {tr:.6g}")
        low = min(v.real for v in vals.values())
        if low < -DEFAULT_TOL:
            raise _err(
                key, f"initial state is not positive semidefinite: smallest eigenvalue {low:.6g}"
            )
        rho = np.zeros((d, d), dtype=complex)
        for l, v in vals.items():
            rho[l, l] = v.real
        return rho
    for l, w in diag.items():
        _real_number(w, key, f"the weight of |{format(l, f'0{n}b')}>")
    tr = sympy.Add(*diag.values())
    if _sign(tr - 1) != 0:
        shown = tr if len(str(tr)) <= 40 else sympy.N(tr, 6)
        raise _err(key, f"initial state must have trace one: found trace {shown}")
    low = min(diag.values(), key=lambda w: complex(w.evalf(30)).real)
    if _sign(low) < 0:
        raise _err(
            key,
            "initial state is not positive semidefinite: smallest eigenvalue "
            f"{complex(low.evalf(15)).real:.6g}",
        )
    rho = sympy.zeros(d, d)
    for l, w in diag.items():
        rho[l, l] = sympy.expand(w)
    return rho


def _matrix(val, n, key, numeric, params, exact, budget):
    d = 2**n
    if (
        not isinstance(val, list)
        or len(val) != d
        or not all(isinstance(r, list) and len(r) == d for r in val)
    ):
        raise _err(key, f"expected a {d} x {d} array")
    if numeric:  # TOML numbers straight to complex: a 1024 x 1024 array has a million entries
        arr = np.empty((d, d), dtype=complex)
        for i, r in enumerate(val):
            for j, v in enumerate(r):
                if type(v) is float and math.isfinite(v) and not 0 < abs(v) < sys.float_info.min:
                    arr[i, j] = v
                elif type(v) is int and abs(v) < 10**MAX_LITERAL_DIGITS:
                    arr[i, j] = v
                else:
                    ek = f"{key}[{i}][{j}]"
                    arr[i, j] = _entry(_scalar(v, ek, params, exact, budget), ek)
        return validate_density(arr, name="initial state", n=n)
    entries = [
        [_scalar(v, f"{key}[{i}][{j}]", params, exact, budget) for j, v in enumerate(r)]
        for i, r in enumerate(val)
    ]
    rho = sympy.Matrix(entries).applyfunc(sympy.expand)
    return validate_density(rho, name="initial state", n=n)


def _bits(bits, n: int, key: str) -> None:
    if not isinstance(bits, str) or len(bits) != n or any(c not in "01" for c in bits):
        raise _err(key, f"expected a string of {n} characters 0/1, found {describe_value(bits)}")


# ---------------------------------------------------------------------- settings


def _real(value, key: str, params: dict, budget: ExpressionBudget, *, minimum: str) -> float:
    v = _scalar(value, key, params, False, budget)
    if v.free_symbols:
        raise _err(key, f"expected a number, found the expression {describe_value(v)}")
    z = complex(v)
    if z.imag != 0:
        raise _err(key, f"expected a real number, found {describe_value(v)}")
    x = z.real
    if minimum == "positive" and not x > 0:
        raise _err(key, f"must be positive, found {describe_value(value)}")
    if minimum == "non-negative" and not x >= 0:
        raise _err(key, f"must be non-negative, found {describe_value(value)}")
    return x


def _simulation(table, params: dict, budget: ExpressionBudget) -> dict:
    if not isinstance(table, dict):
        raise _err("simulation", "expected a table")
    _check_keys(table, {"kc", "t_final", "num_times"}, "simulation")
    out: dict = {}
    if "kc" in table:
        kc = table["kc"]
        if isinstance(kc, list):
            if not kc:
                raise _err(
                    "simulation.kc", "expected a number or a non-empty list of numbers, found []"
                )
            if len(kc) > MAX_GAINS:
                raise _err("simulation.kc", f"{len(kc)} coupling gains (at most {MAX_GAINS})")
            out["kc"] = [
                _real(x, f"simulation.kc[{i}]", params, budget, minimum="positive")
                for i, x in enumerate(kc)
            ]
        else:
            out["kc"] = _real(kc, "simulation.kc", params, budget, minimum="positive")
    if "t_final" in table:
        out["t_final"] = _real(
            table["t_final"], "simulation.t_final", params, budget, minimum="positive"
        )
    if "num_times" in table:
        out["num_times"] = _num_times(table["num_times"], "simulation.num_times")
    return out


def _num_times(value, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= MAX_NUM_TIMES:
        raise _err(
            key,
            f"expected an integer number of output times in 2..{MAX_NUM_TIMES}, found "
            f"{describe_value(value)}",
        )
    return value


def _theorems(table, params: dict, budget: ExpressionBudget) -> dict:
    if not isinstance(table, dict):
        raise _err("theorems", "expected a table")
    _check_keys(table, {"eta", "T1", "T2"}, "theorems")
    out: dict = {}
    if "eta" in table:
        out["eta"] = _real(table["eta"], "theorems.eta", params, budget, minimum="positive")
    if "T1" in table:
        out["T1"] = _real(table["T1"], "theorems.T1", params, budget, minimum="non-negative")
    if "T2" in table:
        out["T2"] = _real(table["T2"], "theorems.T2", params, budget, minimum="positive")
    t1 = out.get("T1", THEOREM_DEFAULTS["T1"])
    t2 = out.get("T2", THEOREM_DEFAULTS["T2"])
    if t1 > t2:
        shown = [
            f"{name} = {value:g}" + ("" if name in out else " (the default)")
            for name, value in (("T1", t1), ("T2", t2))
        ]
        raise _err("theorems", f"T1 must be <= T2: found {shown[0]}, {shown[1]}")
    return out


# ---------------------------------------------------------------------- the model


def loads_model(text: str, source: str = "<string>") -> ModelSpec:
    """Parse a model from TOML text (at most :data:`MAX_FILE_BYTES` characters)."""
    if not isinstance(text, str):
        raise ModelFileError(f"{source}: the model text must be a str: found {type(text).__name__}")
    if len(text) > MAX_FILE_BYTES:
        raise ModelFileError(
            f"{source}: the model is too large: {len(text)} characters (at most {MAX_FILE_BYTES})"
        )
    data = _parse_toml(text, source)
    _check_keys(data, _TOP, "model file")
    for key in ("name", "description"):
        if not isinstance(data.get(key, ""), str):
            raise _err(key, f"expected a string, found {type(data[key]).__name__}")
    if "n" not in data:
        raise _err("n", "missing key: the number of qubits")
    n = data["n"]
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_QUBITS:
        raise _err(
            "n",
            f"expected an integer number of qubits in 1..{MAX_QUBITS}, found {describe_value(n)}",
        )
    exact = data.get("exact", False)
    if not isinstance(exact, bool):
        raise _err("exact", f"expected true or false, found {describe_value(exact)}")
    budget = ExpressionBudget()
    params = _parameters(data.get("parameters", {}), exact, budget)
    if "graph" not in data:
        raise _err(
            "graph", "missing table [graph] (complete = true, edges = [...] or weights = [...])"
        )
    weights = _graph(data["graph"], n, params, exact, budget)
    h = _operator(data.get("hamiltonian", 0), "hamiltonian", n, params, exact, budget)
    jumps = _jumps(data.get("jumps", []), n, params, exact, budget)
    coupling = (
        _scalar(data["coupling"], "coupling", params, exact, budget) if "coupling" in data else None
    )
    hbar = _scalar(data.get("hbar", 1), "hbar", params, exact, budget)
    sim = _simulation(data.get("simulation", {}), params, budget)
    thm = _theorems(data.get("theorems", {}), params, budget)
    try:
        net = QuantumNetwork(n, weights, h, jumps, coupling=coupling, hbar=hbar)
    except BlendsymError as exc:
        raise ModelFileError(f"model: {exc}") from exc
    rho0 = (
        _initial_state(data["initial_state"], n, params, exact, budget)
        if "initial_state" in data
        else None
    )
    return ModelSpec(net, rho0, data.get("name", ""), data.get("description", ""), sim, thm, source)
