"""Model input at scale: sum_sites / sum_pairs in Python and in model files, structured
initial states, and the command line on a 100-qubit model file."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import sympy

import blendsym as bs
from blendsym.cli import main
from blendsym.errors import BlendsymError, InvalidArgumentError, ModelFileError
from blendsym.io.expressions import MAX_CONSTRUCT_TERMS, parse_expression
from blendsym.io.modelfile import loads_model
from blendsym.model import operator_sums as operator_sums_module

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def test_sum_sites_and_sum_pairs_match_explicit_sums():
    n = 5
    assert bs.sum_sites(bs.sigma_minus, n) == sum(
        (bs.sigma_minus(j) for j in range(1, n + 1)), bs.SiteOperator({})
    )
    assert bs.sum_sites(bs.sigma_x(1) + bs.sigma_z(1), n, coefficients=range(1, n + 1)) == sum(
        (j * (bs.sigma_x(j) + bs.sigma_z(j)) for j in range(1, n + 1)), bs.SiteOperator({})
    )
    sm = np.array([[0, 1], [0, 0]])
    assert bs.sum_sites(sm, n) == bs.sum_sites(bs.sigma_minus, n)
    want = sum(
        (bs.sigma_x(j) * bs.sigma_y(k) for j in range(1, n + 1) for k in range(1, j)),
        bs.SiteOperator({}),
    )
    assert bs.sum_pairs(bs.sigma_x, bs.sigma_y, n) == want
    lower = sum(
        (bs.sigma_x(j) * bs.sigma_y(k) for j in range(1, n + 1) for k in range(j + 1, n + 1)),
        bs.SiteOperator({}),
    )
    assert bs.sum_pairs(bs.sigma_x, bs.sigma_y, n, pairs="j<k") == lower
    assert bs.sum_pairs(bs.sigma_x, bs.sigma_y, n, pairs="j!=k") == want + lower
    w = np.arange(n * n).reshape(n, n)
    weighted = bs.sum_pairs(bs.sigma_z, bs.sigma_z, n, weights=w)
    assert weighted.coefficient("Z2 Z4") == w[3, 1]  # j = 4 > k = 2: weights[j-1][k-1]
    assert weighted.coefficient("Z1 Z2") == w[1, 0] and len(weighted.terms) == n * (n - 1) // 2 - 0
    by_function = bs.sum_pairs(bs.sigma_z, bs.sigma_x, n, weights=lambda j, k: j - k)
    assert by_function.coefficient("X1 Z3") == 2 and by_function.coefficient("Z1 X3") == 0
    assert bs.sum_operators([bs.sigma_x(1), 2, -bs.sigma_x(1)]) == bs.identity() * 2


def test_sum_errors():
    with pytest.raises(BlendsymError, match="one site"):
        bs.sum_sites(bs.sigma_x(1) * bs.sigma_x(2), 3)
    with pytest.raises(BlendsymError, match="identity"):
        bs.sum_sites(bs.sigma_x(1) + 1, 3)
    with pytest.raises(InvalidArgumentError, match="pairs must be"):
        bs.sum_pairs(bs.sigma_x, bs.sigma_x, 3, pairs="all")
    with pytest.raises(InvalidArgumentError, match="MAX_SUM_TERMS"):
        # n <= NETWORK_MAX_QUBITS keeps pair sums below the limit: lower it to reach the check
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(operator_sums_module, "MAX_SUM_TERMS", 10)
            bs.sum_pairs(bs.sigma_x, bs.sigma_x, 6)
    with pytest.raises(InvalidArgumentError, match="coefficients"):
        bs.sum_sites(bs.sigma_x, 3, coefficients=[1, 2])
    with pytest.raises(InvalidArgumentError, match="ops"):
        bs.sum_operators([bs.sigma_x(1), "x"])


def test_many_term_sums_are_linear_time():
    """Regression: adding 4950 pair terms with Python's sum re-expanded every coefficient at
    every step (quadratic, about 80 s at n = 100); now + expands only the shared strings."""
    n = 100
    ops = [bs.sigma_x(j) * bs.sigma_y(k) for j in range(1, n + 1) for k in range(1, j)]
    calls = 0
    real = sympy.expand

    def counting(x, *a, **k):
        nonlocal calls
        calls += 1
        return real(x, *a, **k)

    import blendsym.model.operators as operators

    total = bs.SiteOperator({})
    operators.sympy.expand = counting
    try:
        for op in ops:
            total = total + op
    finally:
        operators.sympy.expand = real
    assert len(total.terms) == 4950
    assert calls < 2 * len(ops)  # a linear number of expansions


def test_non_hermitian_hamiltonian_message_at_n100():
    """Regression: the message built a 2^100 matrix; it now bounds ||H - H^dagger|| from the
    Pauli coefficients."""
    h = 1j * bs.sum_sites(bs.sigma_x, 100) + bs.sum_sites(bs.sigma_z, 100)
    with pytest.raises(bs.InvalidOperatorError, match=r"<= 2 sum_P \|Im c_P\| = 200"):
        bs.QuantumNetwork(100, bs.complete_graph(100), h)


def test_model_file_constructs():
    assert parse_expression("sum_sites(sigma_minus)", "h", n=4) == bs.sum_sites(bs.sigma_minus, 4)
    got = parse_expression("1/20*sum_pairs(sigma_x, sigma_y) - sum_sites(sigma_z)", "h", n=6)
    assert got == sympy.Rational(1, 20) * bs.sum_pairs(bs.sigma_x, bs.sigma_y, 6) - bs.sum_sites(
        bs.sigma_z, 6
    )
    for text, match in (
        ("sum_sites(sigma_x(1))", "expected"),
        ("sum_sites(foo)", "site-operator names"),
        ("sum_pairs(sigma_x)", "expected ','"),
        ("sum_sites(sigma_x", r"expected '\)'"),
    ):
        with pytest.raises(ModelFileError, match=match):
            parse_expression(text, "hamiltonian", n=4)
    with pytest.raises(ModelFileError, match="needs the number of qubits"):
        parse_expression("sum_sites(sigma_x)", "coupling")
    big = math.isqrt(2 * MAX_CONSTRUCT_TERMS) + 2
    with pytest.raises(ModelFileError, match="terms"):
        parse_expression("sum_pairs(sigma_x, sigma_y)", "hamiltonian", n=big)
    with pytest.raises(ModelFileError, match="usable parameter name"):
        loads_model("n = 2\n[parameters]\nsum_sites = 1\n[graph]\ncomplete = true\n")


def test_large_model_file_initial_states():
    base = 'n = 20\nhamiltonian = "sum_sites(sigma_z)"\n[graph]\ncomplete = true\n'
    spec = loads_model(base + '[initial_state]\nuniform = "+"\n')
    assert isinstance(spec.rho0, bs.ProductState) and spec.rho0.n == 20
    spec = loads_model(base + '[initial_state]\nbasis = "' + "01" * 10 + '"\n')
    assert isinstance(spec.rho0, bs.ProductState)
    spec = loads_model(
        base
        + '[initial_state]\nmixture = [["'
        + "0" * 20
        + '", "1/4"], ["'
        + "1" * 20
        + '", "3/4"]]\n'
    )
    assert isinstance(spec.rho0, bs.ProductMixture) and spec.rho0.exact
    spec = loads_model(base + "[initial_state]\ndicke = 3\n")
    assert isinstance(spec.rho0, bs.DickeState)
    with pytest.raises(ModelFileError, match="n <= 11 only"):
        loads_model(base + "[initial_state]\nmatrix = [[1]]\n")
    with pytest.raises(ModelFileError, match="weights must add up"):
        loads_model(base + '[initial_state]\nmixture = [["' + "0" * 20 + '", "1/4"]]\n')
    small = loads_model("n = 3\n[graph]\ncomplete = true\n[initial_state]\ndicke = 1\n")
    assert isinstance(small.rho0, sympy.MatrixBase) and small.rho0[1, 2] == sympy.Rational(1, 3)


def _run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_cli_on_the_100_qubit_model_file(capsys, tmp_path):
    path = str(EXAMPLES / "dicke100.toml")
    rc, out, _ = _run(capsys, "analyze", path)
    assert rc == 0
    assert "p = 176851 (basis pi)" in out and "sparse" in out
    assert "Theorem 4: K_c* =" in out and "(lower bound)" in out and "(upper bound)" in out
    # eq. (4) and Definition 2 in LaTeX with collective sums, not a summary alone
    (model,) = [line for line in out.splitlines() if r"\frac{d\rho}{dt}" in line]
    (coherent,) = [line for line in out.splitlines() if r"\frac{d\rho_*}{dt}" in line]
    assert r"40 \sum_{j<k}\mathcal{D}(U_{jk})\rho" in model and len(model) < 4000
    assert r"\frac{1}{200} \sum_{j\neq k}\sigma_x^{(j)}\sigma_y^{(k)}" in coherent
    csv = tmp_path / "c.csv"
    rc, out, _ = _run(
        capsys,
        "simulate",
        path,
        "--coherent",
        "--t-final",
        "0.2",
        "--num-times",
        "3",
        "--csv",
        str(csv),
    )
    assert rc == 0 and "p = 176851" in out and "<J_x, J_y, J_z>" in out
    rows = csv.read_text().splitlines()
    assert rows[0].startswith("t,Jx,Jy,Jz") and len(rows) == 4
    jz0 = float(rows[1].split(",")[3])
    assert abs(jz0 - 0.8 * 50) < 1e-9  # uniform Bloch vector (0.6, 0, 0.8): <J_z> = 0.8 n/2
    rc, _, err = _run(capsys, "simulate", path)
    assert rc == 2 and "--coherent" in err
