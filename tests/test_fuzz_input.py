"""Fuzzing the input layer: any byte string, TOML document or expression string either
loads or raises a BlendsymError (never a raw Python, NumPy or SymPy exception).

The time of every example is bounded by the limits of blendsym.io.expressions and
blendsym.io.modelfile (no timing assertion here: a hang would show as a stuck test).
"""

import json
import math
from pathlib import Path

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.io.expressions import parse_expression
from blendsym.io.modelfile import load_model, loads_model
from blendsym.model.operators import SiteOperator

#: These examples are cheap (milliseconds): draw many more than the profile's default.
FUZZ = settings(max_examples=max(200, settings.default.max_examples))

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
EXAMPLE_TEXTS = [p.read_text() for p in sorted(EXAMPLES.glob("*.toml"))]


def _loads_or_refuses(text):
    try:
        spec = loads_model(text)
    except bs.BlendsymError as exc:
        assert str(exc)  # every refusal says something
        return None
    assert isinstance(spec.net, bs.QuantumNetwork)
    return spec


# ---------------------------------------------------------------------- expression strings

_NUMBERS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(1, 300).map(lambda k: "9" * k),
    st.sampled_from(["0.5", ".25", "1e3", "1e-3", "2.5E+10", "1e999", "1e-999", "1e1001", "0.0"]),
    st.sampled_from(["\u0661", "\uff11", "\u00b2"]),  # Arabic-Indic one, full-width one, ²
)
_NAMES = st.sampled_from(
    ["I", "g", "h", "w", "sqrt", "identity", "unknown", "sigma_x", "sigma_y", "sigma_z", "E", "pi"]
)
_SITES = st.builds(
    lambda f, j: f"{f}({j})",
    st.sampled_from(["sigma_x", "sigma_y", "sigma_z", "sigma_plus", "sigma_minus"]),
    st.sampled_from(["1", "2", "3", "4", "0", "99", "1.5", "", "g"]),
)
_TOKENS = st.one_of(
    _NUMBERS,
    _NAMES,
    _SITES,
    st.sampled_from(["+", "-", "*", "/", "**", "(", ")", " ", "identity()", "sqrt(", "$", "\t"]),
)
token_soup = st.lists(_TOKENS, max_size=30).map("".join)


def _binary(children):
    return st.builds(
        lambda a, op, b: f"{a}{op}{b}", children, st.sampled_from(["+", "-", "*", "/"]), children
    )


def _power(children):
    exps = st.one_of(
        st.integers(-3, 70).map(str),
        st.sampled_from(["1000", "1001", "(1/2)", "(1/7)", "g", "2.5", "(2**10)", "-1"]),
    )
    return st.builds(lambda a, e: f"({a})**{e}", children, exps)


well_formed = st.recursive(
    st.one_of(_NUMBERS.filter(str.isascii), _SITES, st.sampled_from(["I", "g", "h", "w"])),
    lambda ch: st.one_of(
        _binary(ch),
        _power(ch),
        ch.map(lambda a: f"({a})"),
        ch.map(lambda a: f"sqrt({a})"),
        ch.map(lambda a: f"-{a}"),
    ),
    max_leaves=40,
)

PARAMS = {
    "g": sympy.Symbol("g", real=True),
    "h": sympy.Rational(3, 7),
    "w": sympy.Float(0.25),
}


@FUZZ
@given(st.one_of(token_soup, well_formed), st.booleans())
def test_any_expression_parses_or_refuses(text, exact):
    try:
        v = parse_expression(text, "key", n=3, params=PARAMS, exact=exact)
    except bs.ModelFileError as exc:
        assert str(exc).startswith("key: ")
        return
    assert isinstance(v, (sympy.Basic, SiteOperator))
    assert text.isascii()  # non-ASCII digits or letters are never read as numbers or names
    if isinstance(v, SiteOperator):
        assert v.max_site <= 3


@FUZZ
@given(well_formed)
def test_well_formed_expression_in_a_model(expr):
    text = (
        f"n = 3\nhamiltonian = {json.dumps(expr)}\n[parameters]\ng = {{ real = true }}\n"
        'h = "3/7"\nw = 0.25\n[graph]\ncomplete = true\n'
        f"[[jumps]]\noperator = {json.dumps(expr)}\n"
    )
    _loads_or_refuses(text)


# ---------------------------------------------------------------------- raw bytes and text


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_load_or_refuse(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "model.toml"
    path.write_bytes(data)
    try:
        load_model(path)
    except bs.BlendsymError:
        pass


@FUZZ
@given(st.text(max_size=400))
def test_any_text_loads_or_refuses(text):
    _loads_or_refuses(text)


@FUZZ
@given(st.sampled_from(EXAMPLE_TEXTS), st.data())
def test_mutated_example_files(text, data):
    """Random edits of the example files (the deepest reach into the loader)."""
    chars = list(text)
    pieces = st.sampled_from(
        [
            '"',
            "[",
            "]",
            "{",
            "}",
            "=",
            ",",
            "\n",
            "0",
            "1",
            "-",
            "9" * 50,
            "nan",
            "inf",
            "1e400",
            "true",
            "\u0661",
            "**1000",
            "(",
            ")",
            "sigma_x(",
            "[[jumps]]\n",
            "x",
        ]
    )
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(chars)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            chars[i:i] = data.draw(pieces)
        elif action == "delete" and i < len(chars):
            del chars[i : i + data.draw(st.integers(1, 8))]
        elif i < len(chars):
            chars[i] = data.draw(pieces)
    _loads_or_refuses("".join(chars))


# ---------------------------------------------------------------------- random TOML documents


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return (
            "nan"
            if math.isnan(v)
            else ("inf" if v == math.inf else "-inf" if v == -math.inf else repr(v))
        )
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)  # pragma: no cover


def _toml(doc: dict) -> str:
    lines, tables = [], []
    for k, v in doc.items():
        if isinstance(v, dict):
            tables.append((k, v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            tables.extend((f"[{k}]", x) for x in v)
        else:
            lines.append(f"{json.dumps(k)} = {_toml_value(v)}")
    for k, v in tables:
        head = f"[{k}]" if not k.startswith("[") else f"[{k}]"
        lines.append(head)
        lines.extend(f"{json.dumps(kk)} = {_toml_value(vv)}" for kk, vv in v.items())
    return "\n".join(lines) + "\n"


scalars = st.one_of(
    st.integers(-3, 20),
    st.integers(-(10**120), 10**120),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["1/2", "0", "-1", "I", "g", "sqrt(2)", "1e-400", "10**400", "", "no", "2.5"]),
    well_formed,
)
values = st.recursive(
    scalars,
    lambda ch: (
        st.lists(ch, max_size=5)
        | st.dictionaries(st.sampled_from(["real", "positive", "x"]), ch, max_size=2)
    ),
    max_leaves=12,
)
bits = st.text(alphabet="01\u0661x", min_size=0, max_size=4)


def mostly(valid, invalid):
    """``valid`` nine times in ten: documents get deep into the loader."""
    return st.integers(0, 9).flatmap(lambda i: valid if i else invalid)


good_scalars = st.one_of(
    st.integers(0, 5), st.sampled_from(["1/2", "sqrt(2)", "g", "h", "w", "3", 0.5, 2.0])
)
bloch = st.lists(
    mostly(st.sampled_from([0, "1/2", "-1/2", 0.3, "g", "h"]), scalars), min_size=3, max_size=3
)
documents = st.fixed_dictionaries(
    {
        "n": mostly(
            st.integers(1, 3), st.one_of(st.integers(0, 20), st.sampled_from([2.0, "2", True]))
        ),
        "graph": mostly(
            st.one_of(
                st.just({"complete": True}),
                st.fixed_dictionaries(
                    {
                        "edges": st.lists(
                            st.lists(mostly(st.integers(1, 3), scalars), min_size=2, max_size=3),
                            max_size=3,
                        )
                    }
                ),
                st.fixed_dictionaries(
                    {
                        "weights": st.lists(
                            st.lists(mostly(good_scalars, scalars), min_size=1, max_size=3),
                            max_size=3,
                        )
                    }
                ),
            ),
            st.one_of(
                st.fixed_dictionaries({"complete": values}),
                st.fixed_dictionaries({"weights": values}),
                values,
            ),
        ),
    },
    optional={
        "hamiltonian": mostly(well_formed, values),
        "coupling": mostly(good_scalars, st.one_of(scalars, values)),
        "hbar": mostly(good_scalars, scalars),
        "exact": mostly(st.booleans(), values),
        "parameters": mostly(
            st.fixed_dictionaries(
                {"g": st.just({"real": True}), "h": st.just("3/7"), "w": st.just(0.25)}
            ),
            st.dictionaries(
                st.sampled_from(["g", "h", "w", "I", "K_c", "sigma_q", "1x", "\u0261"]),
                st.one_of(
                    scalars,
                    st.fixed_dictionaries({}, optional={"real": values, "positive": values}),
                ),
                max_size=3,
            ),
        ),
        "jumps": st.lists(
            st.fixed_dictionaries(
                {"operator": mostly(well_formed, values)},
                optional={"rate": mostly(good_scalars, scalars)},
            ),
            max_size=3,
        ),
        "initial_state": mostly(
            st.one_of(
                st.fixed_dictionaries(
                    {"basis": mostly(st.sampled_from(["0", "01", "110", "10"]), bits)}
                ),
                st.fixed_dictionaries(
                    {
                        "product": st.lists(
                            mostly(
                                st.one_of(st.sampled_from(["0", "1", "+", "-", "mixed"]), bloch),
                                values,
                            ),
                            min_size=1,
                            max_size=3,
                        )
                    }
                ),
                st.fixed_dictionaries(
                    {
                        "mixture": st.lists(
                            st.tuples(
                                mostly(st.sampled_from(["0", "01", "110", "10"]), bits),
                                mostly(good_scalars, scalars),
                            ).map(list),
                            max_size=4,
                        )
                    }
                ),
                st.fixed_dictionaries(
                    {
                        "matrix": st.lists(
                            st.lists(mostly(good_scalars, scalars), min_size=2, max_size=4),
                            min_size=2,
                            max_size=4,
                        )
                    }
                ),
            ),
            values,
        ),
        "simulation": st.dictionaries(
            st.sampled_from(["kc", "t_final", "num_times"]),
            mostly(good_scalars, values),
            max_size=3,
        ),
        "theorems": st.dictionaries(
            st.sampled_from(["eta", "T1", "T2"]), mostly(good_scalars, values), max_size=3
        ),
        "name": mostly(st.text(max_size=10), values),
    },
)


@FUZZ
@given(documents)
def test_random_model_documents_load_or_refuse(doc):
    _loads_or_refuses(_toml(doc))
