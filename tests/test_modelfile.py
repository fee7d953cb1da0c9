"""Model files: the paper's examples round-trip; broken or malicious files are refused."""

from pathlib import Path

import pytest
import sympy

import blendsym as bs
from blendsym.expressions import parse_expression
from blendsym.modelfile import load_model, loads_model

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


@pytest.mark.parametrize("k", [1, 2, 3])
def test_example_files_equal_builtin_examples(k):
    spec = load_model(EXAMPLES / f"example{k}.toml")
    net, rho0 = getattr(bs.paper, f"example{k}")()
    assert spec.net.graph == net.graph
    assert spec.net.hamiltonian == net.hamiltonian
    assert len(spec.net.jumps) == len(net.jumps)
    for (g1, l1), (g2, l2) in zip(spec.net.jumps, net.jumps, strict=True):
        assert sympy.simplify(g1 - g2) == 0 and l1 == l2
    assert (spec.rho0 - rho0).is_zero_matrix


BASE = "n = 2\n[graph]\ncomplete = true\n"


def test_python_code_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    payloads = [
        f"__import__('os').system('touch {marker}')",
        f"sigma_x(1) + __import__('os').system('touch {marker}')",
        "(lambda: 1)()",
        "sigma_x(1).__class__",
        "open('x')",
    ]
    for code in payloads:
        text = f'n = 2\nhamiltonian = "{code}"\n[graph]\ncomplete = true\n'
        with pytest.raises(bs.ModelFileError, match="hamiltonian"):
            loads_model(text)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            'n = 2\nhamiltonian = "sigma_q(1)"\n[graph]\ncomplete = true\n',
            r"hamiltonian: unknown name 'sigma_q'.*column 1",
        ),
        (
            'n = 2\nhamiltonian = "sigma_x(3)"\n[graph]\ncomplete = true\n',
            r"site 3 of sigma_x is out of range 1\.\.2 at column 9",
        ),
        ('n = 2\nhamiltonian = "I*sigma_x(1)"\n[graph]\ncomplete = true\n', "not Hermitian"),
        ('hamiltonian = "sigma_x(1)"\n[graph]\ncomplete = true\n', "n: missing"),
        ('n = 2\nhamiltonian = "sigma_x(1)"\n', r"graph: missing"),
        (
            'n = 2\nhamiltonian = "sigma_x(1) +"\n[graph]\ncomplete = true\n',
            "hamiltonian: expected a number",
        ),
        (
            'n = 2\nhamiltonian = "sigma_x(1) $ 2"\n[graph]\ncomplete = true\n',
            r"unexpected character '\$' at column 12",
        ),
        (
            'n = 2\nhamiltonian = "sigma_x(1.5)"\n[graph]\ncomplete = true\n',
            "needs an integer site",
        ),
        (
            'n = 2\nhamiltnian = "sigma_x(1)"\n[graph]\ncomplete = true\n',
            r"unknown key\(s\) \['hamiltnian'\]",
        ),
        (BASE + '[[jumps]]\noperator = "sigma_minus(1)"\nrate = -1\n', "rate.*positive"),
        (BASE + "[[jumps]]\nrate = 1\n", r"jumps\[0\]: missing key 'operator'"),
        (
            BASE + '[initial_state]\nbasis = "0101"\n',
            r"initial_state.basis: expected a string of 2",
        ),
        (
            BASE + "[initial_state]\nmatrix = [[1, 1], [0, 0]]\n",
            r"initial_state.matrix: expected a 4 x 4",
        ),
        (BASE + '[initial_state]\nmixture = [["01", "1/2"]]\n', "trace one"),
        ("n = 2\n[graph]\nedges = [[1, 2, -1]]\n", r"weights\[0\].*non-negative"),
        ("n = 2\n[graph]\nedges = [[1, 3]]\n", "node k must be in 1..2"),
        ("n = 2\n[graph]\nweights = [[0, 1], [2, 0]]\n", "symmetric"),
        ("n = 2\n[graph\n", "not valid TOML"),
        ('n = 2\ncoupling = "-3"\n[graph]\ncomplete = true\n', "coupling.*positive"),
        (
            'n = 2\nhamiltonian = "w*sigma_z(1)"\n[parameters]\nw = "positive"\n',
            r"parameters.w: .*write w = \{ positive = true \}, found the string 'positive'",
        ),
        (
            'n = 2\nhamiltonian = "w*sigma_z(1)"\n[parameters]\nw = "real"\n',
            r"parameters.w: .*write w = \{ real = true \}",
        ),
    ],
)
def test_broken_files_refused_with_key_and_position(text, match):
    with pytest.raises(bs.ModelFileError, match=match):
        loads_model(text)


def test_parameters_symbols_and_exact_decimals():
    text = (
        'n = 2\nexact = true\nhamiltonian = "w*sigma_z(1) + 0.05*sigma_x(2)"\n'
        '[parameters]\nw = { real = true }\n[graph]\nedges = [[1, 2, "1/2"]]\n'
        '[[jumps]]\noperator = "sigma_minus(1)"\nrate = "g"\n[parameters.g]\npositive = true\n'
    )
    spec = loads_model(text)
    w = sympy.Symbol("w", real=True)
    assert spec.net.hamiltonian.coefficient("Z1") == w
    assert spec.net.hamiltonian.coefficient("X2") == sympy.Rational(1, 20)
    assert spec.net.graph.weights[0, 1] == sympy.Rational(1, 2)
    assert spec.net.jumps[0][0] == sympy.Symbol("g", positive=True)


def test_decimals_stay_floats_unless_exact():
    spec = loads_model('n = 1\nhamiltonian = "0.5*sigma_z(1)"\n[graph]\nedges = []\n')
    assert isinstance(spec.net.hamiltonian.coefficient("Z1"), sympy.Float)


def test_expression_grammar():
    assert parse_expression("2**3 - 1/2", "k") == sympy.Rational(15, 2)
    op = parse_expression("-(sigma_x(1) + I*sigma_y(1))/2", "k", n=1)
    assert op == -bs.sigma_minus(1)
    assert parse_expression("sigma_x(1)**2", "k", n=1) == bs.identity()
    with pytest.raises(bs.ModelFileError, match="cannot divide by an operator"):
        parse_expression("1/sigma_x(1)", "k", n=1)
    with pytest.raises(bs.ModelFileError, match="exponent too large"):
        parse_expression("2**100000", "k")
