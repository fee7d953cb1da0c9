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
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import sympy

from ..errors import BlendsymError, ModelFileError
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator
from ..model.states import basis_state, state_from_bloch, validate_density
from ..model.structured_states import DENSE_MAX_QUBITS, DickeState, ProductMixture, ProductState
from .expressions import parse_expression

__all__ = ["ModelSpec", "load_model", "loads_model", "MAX_FILE_QUBITS"]

#: Largest n a model file may declare.  Up to DENSE_MAX_QUBITS (12) the initial state is a
#: dense SymPy matrix; above it a ProductState / ProductMixture / DickeState (the forms
#: ``product``, ``basis``, ``mixture``, ``uniform``, ``dicke``; ``matrix`` is refused).
MAX_FILE_QUBITS = 1000

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


@dataclass
class ModelSpec:
    """What a model file describes."""

    net: QuantumNetwork
    rho0: object = None  # SymPy matrix (n <= 12) or ProductState / ProductMixture / DickeState
    name: str = ""
    description: str = ""
    simulation: dict = field(default_factory=dict)
    theorems: dict = field(default_factory=dict)
    source: str = ""


def load_model(path) -> ModelSpec:
    """Read a TOML model file (see the module docstring for the format)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelFileError(
            f"model file {str(p)!r} cannot be read: {exc.strerror or exc}"
        ) from exc
    spec = loads_model(text, source=str(p))
    return spec


def _err(key: str, msg: str) -> ModelFileError:
    return ModelFileError(f"{key}: {msg}")


def _check_keys(table: dict, allowed: set, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _err(where, f"unknown key(s) {unknown}; allowed: {sorted(allowed)}")


def _scalar(value, key: str, params: dict, exact: bool) -> sympy.Expr:
    if isinstance(value, bool):
        raise _err(key, f"expected a number or an expression string, found {value!r}")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.nsimplify(value, rational=True) if exact else sympy.Float(value)
    if isinstance(value, str):
        v = parse_expression(value, key, None, params, exact)
        if isinstance(v, SiteOperator):
            raise _err(key, f"expected a number, found the operator expression {value!r}")
        return v
    raise _err(key, f"expected a number or an expression string, found {type(value).__name__}")


def _operator(value, key: str, n: int, params: dict, exact: bool) -> SiteOperator:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return SiteOperator({(): _scalar(value, key, params, exact)})
    v = parse_expression(value, key, n, params, exact)
    if not isinstance(v, SiteOperator):
        v = SiteOperator({(): v})
    return v


def _parameters(table, exact: bool) -> dict:
    if not isinstance(table, dict):
        raise _err("parameters", "expected a table of name = value")
    params: dict = {}
    for name, spec in table.items():
        key = f"parameters.{name}"
        if (
            not name.isidentifier()
            or name in {"I", "sqrt", "identity", "sum_sites", "sum_pairs"}
            or name.startswith("sigma_")
        ):
            raise _err(key, f"{name!r} is not a usable parameter name")
        if isinstance(spec, dict):
            _check_keys(spec, {"real", "positive"}, key)
            assumptions = {k: bool(v) for k, v in spec.items()}
            params[name] = sympy.Symbol(name, **assumptions)
        else:
            params[name] = _scalar(spec, key, params, exact)
    return params


def _graph(table, n: int, params: dict, exact: bool):
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
        edges = []
        if not isinstance(table["edges"], list):
            raise _err("graph.edges", "expected a list of [j, k] or [j, k, weight]")
        for i, e in enumerate(table["edges"]):
            key = f"graph.edges[{i}]"
            if not isinstance(e, list) or len(e) not in (2, 3):
                raise _err(key, f"expected [j, k] or [j, k, weight], found {e!r}")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in e[:2]):
                raise _err(key, f"nodes must be integers, found {e[:2]!r}")
            w = _scalar(e[2], key, params, exact) if len(e) == 3 else 1
            edges.append((e[0], e[1], w))
        return edges
    rows = table["weights"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise _err("graph.weights", "expected an n x n array")
    return (
        sympy.Matrix(
            [
                [_scalar(v, f"graph.weights[{i}][{j}]", params, exact) for j, v in enumerate(r)]
                for i, r in enumerate(rows)
            ]
        )
        if rows
        else rows
    )


def _jumps(items, n: int, params: dict, exact: bool) -> list:
    if not isinstance(items, list):
        raise _err("jumps", "expected an array of tables [[jumps]] with 'operator' and 'rate'")
    out = []
    for i, item in enumerate(items):
        key = f"jumps[{i}]"
        if not isinstance(item, dict):
            raise _err(key, "expected a table with 'operator' (and optional 'rate')")
        _check_keys(item, {"operator", "rate"}, key)
        if "operator" not in item:
            raise _err(key, "missing key 'operator'")
        op = _operator(item["operator"], f"{key}.operator", n, params, exact)
        rate = _scalar(item.get("rate", 1), f"{key}.rate", params, exact)
        out.append((rate, op))
    return out


_STATE_FORMS = ("product", "basis", "mixture", "matrix", "uniform", "dicke")


def _single_qubit(f, fk: str, params: dict, exact: bool) -> sympy.Matrix:
    if isinstance(f, str):
        if f not in _LABELS:
            raise _err(
                fk, f"expected one of {sorted(_LABELS)} or a Bloch vector [x, y, z], found {f!r}"
            )
        return sympy.eye(2) / 2 if f == "mixed" else basis_state(f)
    if isinstance(f, list) and len(f) == 3:
        r = [_scalar(c, fk, params, exact) for c in f]
        return sympy.Matrix(state_from_bloch(r))
    raise _err(fk, f"expected a label or a Bloch vector [x, y, z], found {f!r}")


def _initial_state(table, n: int, params: dict, exact: bool):
    """The initial state: a SymPy matrix for n <= DENSE_MAX_QUBITS, else a structured state."""
    if not isinstance(table, dict):
        raise _err("initial_state", f"expected a table with one of {', '.join(_STATE_FORMS)}")
    _check_keys(table, set(_STATE_FORMS), "initial_state")
    given = [k for k in _STATE_FORMS if k in table]
    if len(given) != 1:
        raise _err("initial_state", f"give exactly one of {', '.join(_STATE_FORMS)}: found {given}")
    kind = given[0]
    key = f"initial_state.{kind}"
    val = table[kind]
    large = n > DENSE_MAX_QUBITS
    try:
        if kind == "basis":
            _bits(val, n, key)
            rho = ProductState([basis_state(c) for c in val]) if large else basis_state(val)
        elif kind in ("product", "uniform"):
            if kind == "uniform":
                factors = [_single_qubit(val, key, params, exact)] * n
            else:
                if not isinstance(val, list) or len(val) != n:
                    raise _err(key, f"expected a list of {n} single-qubit states, found {val!r}")
                factors = [
                    _single_qubit(f, f"{key}[{j}]", params, exact) for j, f in enumerate(val)
                ]
            if large:
                rho = ProductState(factors)
            else:
                rho = factors[0]
                for f in factors[1:]:
                    rho = sympy.kronecker_product(rho, f)
        elif kind == "dicke":
            if isinstance(val, bool) or not isinstance(val, int) or not 0 <= val <= n:
                raise _err(key, f"expected the number k in 0..{n} of qubits in |1>, found {val!r}")
            rho = DickeState(n, val)
            rho = rho if large else rho.dense()
        elif kind == "mixture":
            if not isinstance(val, list) or not val:
                raise _err(key, 'expected a list of ["bits", weight] pairs')
            comps = []
            for i, pair in enumerate(val):
                pk = f"{key}[{i}]"
                if not isinstance(pair, list) or len(pair) != 2:
                    raise _err(pk, f'expected ["bits", weight], found {pair!r}')
                _bits(pair[0], n, pk)
                comps.append((_scalar(pair[1], pk, params, exact), pair[0]))
            if large:
                rho = ProductMixture([(w, [basis_state(c) for c in bits]) for w, bits in comps])
            else:
                rho = sympy.zeros(2**n, 2**n)
                for w, bits in comps:
                    rho += w * basis_state(bits)
        else:
            if large:
                raise _err(
                    key,
                    f"a {2**n} x {2**n} matrix is accepted for n <= "
                    f"{DENSE_MAX_QUBITS} only; use product, basis, mixture, "
                    "uniform or dicke",
                )
            if (
                not isinstance(val, list)
                or len(val) != 2**n
                or not all(isinstance(r, list) and len(r) == 2**n for r in val)
            ):
                raise _err(key, f"expected a {2**n} x {2**n} array")
            rho = sympy.Matrix(
                [
                    [_scalar(v, f"{key}[{i}][{j}]", params, exact) for j, v in enumerate(r)]
                    for i, r in enumerate(val)
                ]
            )
        if large:
            return rho
        return validate_density(
            sympy.Matrix(rho).applyfunc(sympy.expand), name="initial state", n=n
        )
    except ModelFileError:
        raise
    except BlendsymError as exc:
        raise _err(key, str(exc)) from exc


def _bits(bits, n: int, key: str) -> None:
    if not isinstance(bits, str) or len(bits) != n or any(c not in "01" for c in bits):
        raise _err(key, f"expected a string of {n} characters 0/1, found {bits!r}")


def _settings(table, key: str, allowed: set, params: dict) -> dict:
    if not isinstance(table, dict):
        raise _err(key, "expected a table")
    _check_keys(table, allowed, key)
    out = {}
    for k, v in table.items():
        if isinstance(v, list):
            out[k] = [float(_scalar(x, f"{key}.{k}", params, False)) for x in v]
        else:
            out[k] = float(_scalar(v, f"{key}.{k}", params, False))
    return out


def loads_model(text: str, source: str = "<string>") -> ModelSpec:
    """Parse a model from TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelFileError(f"{source}: not valid TOML: {exc}") from exc
    _check_keys(data, _TOP, "model file")
    if "n" not in data:
        raise _err("n", "missing key: the number of qubits")
    n = data["n"]
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_FILE_QUBITS:
        raise _err(
            "n", f"expected an integer number of qubits in 1..{MAX_FILE_QUBITS}, found {n!r}"
        )
    exact = data.get("exact", False)
    if not isinstance(exact, bool):
        raise _err("exact", f"expected true or false, found {exact!r}")
    params = _parameters(data.get("parameters", {}), exact)
    if "graph" not in data:
        raise _err(
            "graph", "missing table [graph] (complete = true, edges = [...] or weights = [...])"
        )
    weights = _graph(data["graph"], n, params, exact)
    h = _operator(data.get("hamiltonian", 0), "hamiltonian", n, params, exact)
    jumps = _jumps(data.get("jumps", []), n, params, exact)
    coupling = _scalar(data["coupling"], "coupling", params, exact) if "coupling" in data else None
    hbar = _scalar(data.get("hbar", 1), "hbar", params, exact)
    try:
        net = QuantumNetwork(n, weights, h, jumps, coupling=coupling, hbar=hbar)
    except BlendsymError as exc:
        raise ModelFileError(f"model: {exc}") from exc
    rho0 = (
        _initial_state(data["initial_state"], n, params, exact) if "initial_state" in data else None
    )
    sim = _settings(
        data.get("simulation", {}), "simulation", {"kc", "t_final", "num_times"}, params
    )
    thm = _settings(data.get("theorems", {}), "theorems", {"eta", "T1", "T2"}, params)
    for key, value in (
        ("name", data.get("name", "")),
        ("description", data.get("description", "")),
    ):
        if not isinstance(value, str):
            raise _err(key, f"expected a string, found {type(value).__name__}")
    return ModelSpec(net, rho0, data.get("name", ""), data.get("description", ""), sim, thm, source)
