"""Model files and the expression parser under hostile input: every limit, every fault
that a fault-injection run found (each reproducer refused with a message naming the key,
and the line or column where known), and the states built for large n."""

import os
import stat

import numpy as np
import pytest
import sympy

import blendsym as bs
from blendsym.io import expressions as ex
from blendsym.io import modelfile as mf
from blendsym.io.expressions import parse_expression
from blendsym.io.modelfile import load_model, loads_model

BASE = "n = 2\n[graph]\ncomplete = true\n"


# ---------------------------------------------------------------------- bounded parser


def _h(expr, n=2, extra=""):
    return f'n = {n}\nhamiltonian = "{expr}"\n{extra}[graph]\ncomplete = true\n'


SYMS = "[parameters]\ng = { real = true }\nh = { real = true }\nk = { real = true }\n"
PAULIS48 = "+".join(f"sigma_{a}({j})" for j in range(1, 17) for a in "xyz")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        # recursion: 300 nested parentheses, 300 chained powers
        (
            _h("(" * 300 + "sigma_x(1)" + ")" * 300),
            r"hamiltonian: nesting deeper than 32 levels at column 33",
        ),
        (_h("2**" * 300 + "2"), r"hamiltonian: nesting deeper than 32 levels"),
        (_h("sqrt(" * 40 + "2" + ")" * 40), r"nesting deeper than 32"),
        # result size: 2^(10^9) and a 1.7e8-term expansion, refused before computing
        (
            _h("((2**1000)**1000)**1000"),
            r"hamiltonian: the power would hold a number of about 1001000 bits \(at most 10000\) at column 11",
        ),
        (
            _h("(g+h+k+1)**1000*sigma_z(1)", extra=SYMS),
            r"hamiltonian: exponent too large for a sum \(at most 64 in magnitude; 1000 for a "
            r"single term\) at column 10",
        ),
        (
            _h("(g+h+k+1)**20*sigma_z(1)", extra=SYMS),
            r"hamiltonian: the power would expand to 1771 terms in one coefficient "
            r"\(at most 1000\) at column 10",
        ),
        (
            _h("sqrt((2**999)**10+1)*sigma_z(1)"),
            r"hamiltonian: a root of a number of about 9991 bits \(at most 1024 under sqrt or a "
            r"fractional power\) at column 1",
        ),
        (
            _h("(g*sigma_x(1)+h*sigma_z(1)+sigma_y(1))**20", extra=SYMS),
            r"hamiltonian: the model needs more than 100000 units of work in all",
        ),
        (
            _h(f"({PAULIS48})**64", n=16),
            r"hamiltonian: the power would expand to .* terms \(at most 20000\)",
        ),
        (
            _h(f"({PAULIS48})*({PAULIS48})*({PAULIS48})", n=16),
            r"hamiltonian: the product would expand to 51888 terms \(at most 20000\) at column 1102",
        ),
        # literals
        (_h("9" * 5000), r"hamiltonian: number with 5000 digits \(at most 100\) at column 1"),
        (
            'n = 2\nexact = true\ncoupling = "1e999999999"\n[graph]\ncomplete = true\n',
            r"coupling: the exponent of 1e999999999 is too large \(at most 1000 in magnitude\)",
        ),
        (_h("sigma_x(1)*0**-1"), r"division by zero \(0 to a negative power\)"),
        (_h("sigma_x(1)*0**I"), r"the value is not finite \(nan\)"),
        # only ASCII digits: Arabic-Indic and full-width digits are not numbers or sites
        (_h("sigma_x(\u0661)"), r"hamiltonian: unexpected character '\u0661' at column 9"),
        (_h("sigma_x(\uff11)"), r"unexpected character '\uff11' at column 9"),
        (_h("\u0661*sigma_x(1)"), r"unexpected character '\u0661' at column 1"),
        (_h("sigma_x(1)\u00a0+ sigma_z(2)"), r"unexpected character '\\xa0' at column 11"),
    ],
)
def test_unbounded_expressions_refused_with_key_and_column(text, match):
    with pytest.raises(bs.ModelFileError, match=match):
        loads_model(text)


def test_limits_are_the_module_constants():
    depth = ex.MAX_NESTING
    assert parse_expression("(" * depth + "1" + ")" * depth, "k") == 1
    with pytest.raises(bs.ModelFileError, match="nesting"):
        parse_expression("(" * (depth + 1) + "1" + ")" * (depth + 1), "k")
    digits = ex.MAX_LITERAL_DIGITS
    assert parse_expression("7" * digits, "k") == int("7" * digits)
    with pytest.raises(bs.ModelFileError, match="digits"):
        parse_expression("7" * (digits + 1), "k")
    assert parse_expression("(2**999)**10", "k") == 2**9990  # at most 10 x 1000 bits
    with pytest.raises(bs.ModelFileError, match=r"about 10010 bits \(at most 10000\)"):
        parse_expression("(2**1000)**10", "k")
    assert parse_expression(f"1e-{ex.MAX_LITERAL_EXPONENT}", "k", exact=True) == sympy.Rational(
        1, 10**ex.MAX_LITERAL_EXPONENT
    )
    with pytest.raises(bs.ModelFileError, match="too long"):
        parse_expression("1+" * ex.MAX_EXPRESSION_LENGTH + "1", "k")


def test_collective_100_qubit_model_is_within_the_limits():
    """(sum_j sigma_x(j))^2 at n = 100: 100 I + 2 sum_{j<k} X_j X_k, exactly."""
    sx = "+".join(f"sigma_x({j})" for j in range(1, 101))
    sz = "+".join(f"sigma_z({j})" for j in range(1, 101))
    op = parse_expression(f"({sx})**2/100 + 1/2*({sz})", "hamiltonian", n=100)
    terms = op.terms
    assert len(terms) == 1 + 100 * 99 // 2 + 100
    assert terms[()] == 1
    assert all(
        terms[((j, "X"), (k, "X"))] == sympy.Rational(2, 100)
        for j in range(1, 101)
        for k in range(j + 1, 101)
    )
    assert all(terms[((j, "Z"),)] == sympy.Rational(1, 2) for j in range(1, 101))


def test_operator_power_uses_the_site_bound():
    """A single-site operator to the 64th power has at most 4 Pauli strings at every step."""
    op = parse_expression("(sigma_x(1) + sigma_z(1))**64", "k", n=1)
    assert op == 2**32 * bs.identity()


def test_exact_decimals_match_rational():
    for text in ["0.05", "1.5e-3", "2.5E+2", ".125", "3.", "12e0", "0.000", "7e-1000"]:
        assert parse_expression(text, "k", exact=True) == sympy.Rational(text)
    assert parse_expression("0.05", "k") == sympy.Float("0.05")


def test_budget_is_shared_by_the_whole_file():
    """Each jump is within the per-operation limit; together they exceed MAX_WORK."""
    s = (
        "+".join(f"sigma_x({j})" for j in range(1, 17))
        + "+"
        + "+".join(f"sigma_z({j})" for j in range(1, 17))
    )
    jump = f'[[jumps]]\noperator = "({s})**2"\n'  # 32 x 32 = 1024 term products each
    text = "n = 16\n[graph]\ncomplete = true\n" + jump * (ex.MAX_WORK // 1024 + 1)
    with pytest.raises(
        bs.ModelFileError,
        match=r"jumps\[\d+\]\.operator: the model needs more than 100000 units of work",
    ):
        loads_model(text)


# ---------------------------------------------------------------------- the file layer


def test_file_size_and_kind_limits(tmp_path):
    big = tmp_path / "big.toml"
    with open(big, "w") as fh:
        fh.write(BASE)
        line = '[[jumps]]\noperator = "sigma_x(1)"\n'
        fh.write(line * 1_000_000)  # the reproducer: 32 MB, a million jump operators
    with pytest.raises(bs.ModelFileError, match=r"big.toml' is too large: .* \(at most 1 MiB\)"):
        load_model(big)
    with pytest.raises(bs.ModelFileError, match=r"too large: \d+ characters \(at most 1048576\)"):
        loads_model(BASE + " " * mf.MAX_FILE_BYTES)
    with pytest.raises(bs.ModelFileError, match=r"1001 jump operators \(at most 1000\)"):
        loads_model(BASE + '[[jumps]]\noperator = "sigma_x(1)"\n' * 1001)
    with pytest.raises(bs.ModelFileError, match="is not a regular file: it is a directory"):
        load_model(tmp_path)
    if os.path.exists("/dev/zero"):
        with pytest.raises(
            bs.ModelFileError, match="'/dev/zero' is not a regular file: it is a character device"
        ):
            load_model("/dev/zero")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        with pytest.raises(bs.ModelFileError, match="is not a regular file: it is a FIFO"):
            load_model(fifo)  # refused without blocking on the open


def test_non_utf8_file(tmp_path):
    p = tmp_path / "latin1.toml"
    p.write_bytes(b"n = 2\n# caf\xe9\n[graph]\ncomplete = true\n")
    with pytest.raises(
        bs.ModelFileError, match="is not UTF-8 text: invalid byte 0xe9 at line 2, column 6"
    ):
        load_model(p)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "n = 2\ncoupling = " + "[" * 5000 + "]" * 5000 + "\n[graph]\ncomplete = true\n",
            r"not valid TOML here: arrays or inline tables nested too deeply at line 2, column 112",
        ),
        (
            "n = 2\ncoupling = " + "9" * 5000 + "\n[graph]\ncomplete = true\n",
            r"not valid TOML here: the number at line 2, column 12 has more than 4300 digits",
        ),
        (
            "n = 2\ncoupling = " + "9" * 200 + "\n[graph]\ncomplete = true\n",
            r"coupling: integer with 200 digits \(at most 100\)",
        ),
        (
            "n = 2\ncoupling = 1e400\n[graph]\ncomplete = true\n",
            r"coupling: expected a finite number, found inf",
        ),
        (
            "n = 2\ncoupling = nan\n[graph]\ncomplete = true\n",
            r"coupling: expected a finite number, found nan",
        ),
        (
            'n = 2\nhbar = "1e-400"\n[graph]\ncomplete = true\n',
            r"hbar: the number .*e-400 is too small for double precision",
        ),
        (
            BASE + '[[jumps]]\noperator = "sigma_x(1)"\nrate = "1e400"\n',
            r"jumps\[0\]\.rate: the number 1.00E\+400 is too large for double precision",
        ),
        (
            _h("10**400*sigma_x(1)"),
            r"hamiltonian: the coefficient .* of sigma_x\(1\) is too large for double precision",
        ),
        (
            BASE + '[simulation]\nt_final = "I"\n',
            r"simulation.t_final: expected a real number, found I",
        ),
        (
            BASE + '[simulation]\nt_final = "g"\n[parameters]\ng = { real = true }\n',
            r"simulation.t_final: expected a number, found the expression g",
        ),
        (
            BASE + '[simulation]\nt_final = "10**400"\n',
            r"simulation.t_final: the number 1.00E\+400 is too large",
        ),
        (BASE + "[simulation]\nt_final = 0\n", r"simulation.t_final: must be positive, found 0"),
        (
            BASE + "[simulation]\nnum_times = 2.5\n",
            r"simulation.num_times: expected an integer number of output times in 2\.\.100000, found 2.5",
        ),
        (
            BASE + "[simulation]\nnum_times = 1\n",
            r"simulation.num_times: expected an integer .* found 1",
        ),
        (
            BASE + "[simulation]\nkc = []\n",
            r"simulation.kc: expected a number or a non-empty list of numbers, found \[\]",
        ),
        (BASE + "[simulation]\nkc = [1, -2]\n", r"simulation.kc\[1\]: must be positive, found -2"),
        (
            BASE + "[theorems]\nT1 = 5\nT2 = 1\n",
            r"theorems: T1 must be <= T2: found T1 = 5, T2 = 1",
        ),
        (
            BASE + "[theorems]\nT1 = 7\n",
            r"theorems: T1 must be <= T2: found T1 = 7, T2 = 5 \(the default\)",
        ),
        (BASE + "[theorems]\neta = -1\n", r"theorems.eta: must be positive"),
        (
            "n = 2\n[graph]\nweights = []\n",
            r"graph.weights: expected a 2 x 2 array, found an empty array; write edges = \[\] for a graph without edges",
        ),
        (
            "n = 2\n[graph]\nweights = [[0, 1], [1]]\n",
            r"graph.weights: expected a 2 x 2 array, found 2 rows of lengths \[2, 1\]",
        ),
        (
            "n = 3\n[graph]\nedges = [[1, 2], [2, 3], [1, 3], [1, 2]]\n",
            r"graph.edges: 4 edges for n = 3 qubits \(at most n\(n-1\)/2 = 3 distinct edges\)",
        ),
        (
            _h("w*sigma_z(1)", extra='[parameters]\nw = { real = "no" }\n'),
            r"parameters.w.real: expected true or false \(a TOML boolean\), found 'no'",
        ),
        (
            _h("sigma_z(1)", extra='[parameters]\n"\uff47" = 1\n'),
            r"not a usable parameter name: not an ASCII name",
        ),
        (
            _h("K_c*sigma_z(1)", extra="[parameters]\nK_c = { positive = true }\n"),
            r"parameters.K_c: 'K_c' is not a usable parameter name: reserved for the coupling gain",
        ),
        (
            "n = 1\n[graph]\nedges = []\n[initial_state]\nproduct = [[nan, 0, 0]]\n",
            r"initial_state.product\[0\]: expected a finite number, found nan",
        ),
        (
            "n = 1\n[graph]\nedges = []\n[initial_state]\nproduct = [[1, 1, 0]]\n",
            r"initial_state.product\[0\]: Bloch vector \[1, 1, 0\]: single-qubit state is not positive semidefinite",
        ),
        (
            BASE + '[initial_state]\nmixture = [["01", "3/2"], ["10", "-1/2"]]\n',
            r"initial_state.mixture: initial state is not positive semidefinite: smallest eigenvalue -0.5",
        ),
        (
            BASE + '[initial_state]\nmixture = [["01", "I"], ["10", "1-I"]]\n',
            r"initial_state.mixture: initial state is not Hermitian",
        ),
        (
            BASE + '[initial_state]\nmixture = [["01", 0.5], ["10", 0.4]]\n',
            r"initial_state.mixture: initial state must have trace one: found trace 0.9",
        ),
    ],
)
def test_fault_injection_reproducers_refused(text, match):
    with pytest.raises(bs.ModelFileError, match=match):
        loads_model(text)


def _product_file(n, labels, exact=False):
    return (
        f"n = {n}\nexact = {'true' if exact else 'false'}\n[graph]\ncomplete = true\n"
        f"[initial_state]\nproduct = {labels}\n"
    )


def test_large_states_are_numeric_or_refused_with_their_size():
    labels = ["+", "0", "mixed", "1", "-", "+", "0", [0.1, 0.2, 0.3]]
    text = _product_file(8, str(labels).replace("'", '"'))
    rho = loads_model(text).rho0
    assert isinstance(rho, np.ndarray) and rho.shape == (256, 256)
    # against an independent construction: Kronecker products of the single-qubit states
    singles = {
        "+": np.full((2, 2), 0.5),
        "-": np.array([[0.5, -0.5], [-0.5, 0.5]]),
        "0": np.diag([1.0, 0]),
        "1": np.diag([0, 1.0]),
        "mixed": np.eye(2) / 2,
    }
    expected = np.ones((1, 1))
    for f in labels:
        m = (
            singles[f]
            if isinstance(f, str)
            else 0.5 * np.array([[1.3, 0.1 - 0.2j], [0.1 + 0.2j, 0.7]])
        )
        expected = np.kron(expected, m)
    np.testing.assert_allclose(rho, expected, atol=1e-15)
    with pytest.raises(
        bs.ModelFileError,
        match=r"initial_state.product: an exact state of n = 8 qubits is a 256 x 256 SymPy matrix \(65536 entries\).*set exact = false",
    ):
        loads_model(_product_file(8, '["+", "0", "1", "0", "1", "0", "1", "0"]', exact=True))
    # above n = 11 a state is kept as its factors (no 65536 x 65536 matrix at n = 16)
    big = loads_model(
        'n = 16\n[graph]\ncomplete = true\n[initial_state]\nbasis = "' + "01" * 8 + '"\n'
    ).rho0
    assert isinstance(big, bs.ProductState) and big.n == 16
    assert [int(f[1, 1]) for f in big.factors] == [0, 1] * 8
    with pytest.raises(bs.ModelFileError, match=r"initial_state.matrix: .*n <= 11 only"):
        loads_model("n = 16\n[graph]\ncomplete = true\n[initial_state]\nmatrix = [[1]]\n")
    basis = loads_model(
        'n = 9\n[graph]\ncomplete = true\n[initial_state]\nbasis = "010000001"\n'
    ).rho0
    assert isinstance(basis, np.ndarray) and basis[129, 129] == 1 and np.count_nonzero(basis) == 1
    mix = loads_model(
        'n = 7\n[graph]\ncomplete = true\n[initial_state]\nmixture = [["0000001", "1/4"], ["1000000", "3/4"]]\n'
    ).rho0
    assert (
        isinstance(mix, np.ndarray)
        and mix[1, 1] == 0.25
        and mix[64, 64] == 0.75
        and mix.trace() == 1
    )


def test_small_exact_states_stay_exact():
    rho = loads_model(_product_file(6, '["+", "0", "1", "0", "1", "mixed"]')).rho0
    assert isinstance(rho, sympy.MatrixBase)
    assert rho == bs.product_state("+", "0", "1", "0", "1", sympy.eye(2) / 2)
    mix = loads_model(BASE + '[initial_state]\nmixture = [["01", "1/3"], ["10", "2/3"]]\n').rho0
    assert mix == sympy.diag(0, sympy.Rational(1, 3), sympy.Rational(2, 3), 0)
    m5 = (
        "["
        + ",".join(
            "[" + ",".join("1" if i == j == 0 else "0" for j in range(32)) + "]" for i in range(32)
        )
        + "]"
    )
    with pytest.raises(
        bs.ModelFileError, match=r"initial_state.matrix: an exact state of n = 5 .* n <= 4"
    ):
        loads_model(
            f"n = 5\nexact = true\n[graph]\ncomplete = true\n[initial_state]\nmatrix = {m5}\n"
        )
    numeric = loads_model(f"n = 5\n[graph]\ncomplete = true\n[initial_state]\nmatrix = {m5}\n").rho0
    assert isinstance(numeric, np.ndarray) and numeric[0, 0] == 1


def test_settings_are_typed():
    spec = loads_model(
        BASE
        + '[simulation]\nkc = [1, "5/2"]\nt_final = "sqrt(4)"\nnum_times = 11\n[theorems]\nT1 = 0\n'
    )
    assert spec.simulation == {"kc": [1.0, 2.5], "t_final": 2.0, "num_times": 11}
    assert isinstance(spec.simulation["num_times"], int)
    assert spec.theorems == {"T1": 0.0}


def test_explicit_empty_graph():
    spec = loads_model('n = 2\nhamiltonian = "sigma_z(1)"\n[graph]\nedges = []\n')
    assert spec.net.graph.edges == []


PRIMES = list(sympy.primerange(2, 8000))


def test_radicals_in_states_are_decided_without_number_fields():
    """(Was: 24 s for a Bloch component of 40 radicals, no end for 700: exact validation
    built the field Q(sqrt 2, sqrt 3, ...) of degree 2^40.)"""
    rad = "+".join(f"sqrt({q})" for q in PRIMES[:40])
    x = sympy.Add(*[sympy.sqrt(q) for q in PRIMES[:40]]) / 10**3
    rho = loads_model(
        f'n = 1\n[graph]\nedges = []\n[initial_state]\nproduct = [["({rad})/10**3", 0, 0]]\n'
    ).rho0
    assert rho == sympy.Matrix([[1, x], [x, 1]]) / 2
    with pytest.raises(
        bs.ModelFileError, match="not positive semidefinite: smallest eigenvalue -1.1"
    ):
        loads_model(
            f'n = 1\n[graph]\nedges = []\n[initial_state]\nproduct = [["({rad})/10**2", 0, 0]]\n'
        )
    mix = loads_model(
        f'n = 1\n[graph]\nedges = []\n[initial_state]\nmixture = [["0", "({rad})/10**3"], '
        f'["1", "1 - ({rad})/10**3"]]\n'
    ).rho0
    assert mix == sympy.diag(x, 1 - x)
    with pytest.raises(bs.ModelFileError, match="must have trace one"):
        loads_model(
            f'n = 1\n[graph]\nedges = []\n[initial_state]\nmixture = [["0", "({rad})/10**3"], '
            f'["1", "1 - ({rad})/10**4"]]\n'
        )


def test_sympy_work_is_bounded_before_it_is_done():
    # merged radicals: sqrt(2)*sqrt(3)*... is the root of the product of the primes
    product = "*".join(f"sqrt({q})" for q in PRIMES[:200])
    with pytest.raises(bs.ModelFileError, match=r"would hold a root of a number of about \d+ bits"):
        parse_expression(product, "k")
    with pytest.raises(bs.ModelFileError, match="units of work"):
        parse_expression(
            "*".join(f"{q}**(1/7)" for q in PRIMES[:60]) + "*" + "*".join(["g"] * 4000),
            "k",
            params={"g": sympy.Symbol("g")},
        )
    # plain numbers add up to one term
    assert parse_expression("+".join(str(q) for q in PRIMES[:1500]), "k") == sum(PRIMES[:1500])


def test_numeric_matrix_state_read_directly():
    d = 2**9
    rows = [[0] * d for _ in range(d)]
    rows[0][0], rows[0][3], rows[3][0], rows[3][3] = 0.5, 0.25, 0.25, 0.5
    text = f"n = 9\n[graph]\ncomplete = true\n[initial_state]\nmatrix = {rows}\n"
    rho = loads_model(text).rho0
    expected = np.zeros((d, d))
    expected[np.ix_([0, 3], [0, 3])] = [[0.5, 0.25], [0.25, 0.5]]
    assert isinstance(rho, np.ndarray) and np.array_equal(rho, expected)
    rows[1][1] = float("nan")
    with pytest.raises(
        bs.ModelFileError, match=r"initial_state.matrix\[1\]\[1\]: expected a finite number"
    ):
        loads_model(
            f"n = 9\n[graph]\ncomplete = true\n[initial_state]\nmatrix = {rows}\n".replace(
                "nan", "nan"
            )
        )
