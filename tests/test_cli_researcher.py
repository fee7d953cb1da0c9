"""The command line without dead ends: symbolic models, --set, n = 1, edgeless graphs,
exact roots printed once, the extras named in messages."""

import pytest
import sympy

import blendsym as bs
from blendsym.cli import main
from blendsym.io.modelfile import load_model

SYMBOLIC = """name = "driven chain"
n = 3
hamiltonian = "omega*(sigma_x(1) + sigma_x(2) + sigma_x(3))"
[parameters]
omega = { positive = true }
gamma = { positive = true }
[graph]
edges = [[1, 2], [2, 3]]
[[jumps]]
operator = "sigma_minus(1)"
rate = "gamma"
[initial_state]
basis = "000"
"""


def run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def model(tmp_path, text, name="m.toml"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_analyze_symbolic_model_exits_0_and_says_what_needs_numbers(capsys, tmp_path):
    """(Was: exit 2 before printing anything.)"""
    rc, out, err = run(capsys, "analyze", model(tmp_path, SYMBOLIC))
    assert rc == 0, err
    assert r"\frac{d\rho_b}{dt} = -\frac{i}{\hbar}\left[\omega \sigma_x, \rho_b\right]" in out
    assert "steady state (unique)" in out and "omega" in out  # the closed form
    assert "generator (eq. (6), row stacking)" in out
    assert "needs numbers:" in out and "--set gamma=..., omega=..." in out
    assert "theorem bounds" in out


def test_analyze_with_set(capsys, tmp_path):
    rc, out, err = run(
        capsys, "analyze", model(tmp_path, SYMBOLIC), "--set", "omega=3/2", "--set", "gamma=1/2"
    )
    assert rc == 0, err
    assert "relaxing: True" in out and "mu = 1/12 = 0.0833333" in out
    assert "Theorem 1: K_c* =" in out and "needs numbers" not in out
    rc, _, err = run(capsys, "analyze", model(tmp_path, SYMBOLIC), "--set", "delta=1")
    assert rc == 2 and "'delta' is not a parameter" in err and "gamma, omega" in err
    rc, _, err = run(capsys, "analyze", model(tmp_path, SYMBOLIC), "--set", "omega")
    assert rc == 2 and "expected name=value" in err
    rc, _, err = run(capsys, "analyze", model(tmp_path, SYMBOLIC), "--set", "omega=__import__")
    assert rc == 2 and "--set omega" in err


def test_one_qubit_and_edgeless_models(capsys, tmp_path):
    one = model(
        tmp_path,
        'n = 1\nhamiltonian = "sigma_z(1)"\n[graph]\nedges = []\n'
        '[[jumps]]\noperator = "sigma_minus(1)"\n[initial_state]\nbasis = "1"\n',
    )
    rc, out, err = run(capsys, "analyze", one)
    assert rc == 0, err
    assert "mu = 1/2 = 0.5" in out and "no edges" in out
    rc, out, err = run(capsys, "latex", one)
    assert rc == 0 and r"\frac{1}{1}" not in out
    edgeless = model(
        tmp_path,
        'n = 2\nhamiltonian = "sigma_z(1) + sigma_x(1)*sigma_x(2)"\n[graph]\nedges = []\n'
        '[[jumps]]\noperator = "sigma_minus(1)"\n',
        "e.toml",
    )
    rc, out, err = run(capsys, "analyze", edgeless)
    assert rc == 0, err
    assert "stationary subspace basis (dimension 2" in out
    assert "steady state (unique)" not in out
    # the density operators spanning the kernel are printed after the Hermitian basis, and
    # they are the API's (sigma_x(2) is conserved: one state per eigenvalue of it)
    head = "positive stationary states (a basis of density operators; exact; the extreme points"
    assert head in out and out.index("stationary subspace basis") < out.index(head)
    states = bs.blended_coherent(load_model(edgeless).net).positive_stationary_basis()
    assert len(states) == 2
    for k, s in enumerate(states, start=1):
        assert f"  S{k} =\n{sympy.pretty(sympy.Matrix(s), use_unicode=False)}" in out


def test_degenerate_symbolic_kernel_says_why_no_positive_basis(capsys, tmp_path):
    """A symbolic dephasing rate: the Hermitian basis is printed, the positive one needs
    numbers (and is printed once they are given with --set)."""
    text = (
        'n = 1\nhamiltonian = "0"\n[parameters]\ngamma = { positive = true }\n'
        '[graph]\nedges = []\n[[jumps]]\noperator = "sigma_z(1)"\nrate = "gamma"\n'
    )
    path = model(tmp_path, text)
    rc, out, err = run(capsys, "analyze", path)
    assert rc == 0, err
    assert "stationary subspace basis (dimension 2" in out
    assert "positive stationary states: needs numbers (A has free symbols ['gamma']" in out
    rc, out, err = run(capsys, "analyze", path, "--set", "gamma=1/3")
    assert rc == 0, err
    assert "positive stationary states (a basis of density operators; exact; the extreme" in out
    assert "S1 =\n[1  0]\n[    ]\n[0  0]" in out and "S2 =\n[0  0]\n[    ]\n[0  1]" in out


def test_example3_prints_each_root_once(capsys):
    """(Was: 24 kB, one line of 22,819 characters: every CRootOf repeated per eigenvalue.)"""
    rc, out, _ = run(capsys, "example", "3")
    assert rc == 0 and "p = 20" in out
    assert len(out) < 6000
    assert out.count("CRootOf") <= 1 and "IsolatedRoot" not in out
    assert "= 0.0468788" in out  # mu beside its numeric value


def test_missing_extra_named(capsys, tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    path = model(
        tmp_path,
        'n = 2\nhamiltonian = "sigma_z(1)"\ncoupling = 1\n[graph]\ncomplete = true\n'
        '[initial_state]\nbasis = "01"\n',
    )
    rc, _, err = run(
        capsys, "simulate", path, "--num-times", "3", "--plot", str(tmp_path / "p.png")
    )
    assert rc == 2 and "blendsym[plot]" in err and "blendsym[test]" not in err


@pytest.mark.parametrize("example", ["example1", "example2", "example3"])
def test_standalone_written(capsys, tmp_path, example):
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "docs" / "examples" / f"{example}.toml"
    out = tmp_path / "o.tex"
    rc, _, err = run(capsys, "latex", "--standalone", str(src), "-o", str(out))
    assert rc == 0 and "wrote" in err
    text = out.read_text()
    assert text.startswith("\\documentclass") and "bmatrix" not in text


def test_long_exact_matrix_printed_by_rank_and_eigenvalues(capsys):
    """An exact Hermitian matrix too long to print gets its rank and eigenvalues (4 digits)."""
    import numpy as np
    import sympy

    from blendsym._cli_analyze import MAX_PRINTED_MATRIX, _matrix

    d = 6
    v = sympy.Matrix(d, 1, [sympy.sqrt(k + 2) / (k + 3) + sympy.I * k / 7 for k in range(d)])
    w = sympy.Matrix(d, 1, [sympy.Rational(k, 5) - sympy.sqrt(3) * sympy.I for k in range(d)])
    m = v * v.H + 3 * w * w.H  # rank 2, exact, long
    assert len(sympy.pretty(m, use_unicode=False)) > MAX_PRINTED_MATRIX
    _matrix("S1", m)
    out = capsys.readouterr().out
    assert "not printed" in out and "Hermitian, rank 2" in out
    printed = [float(x) for x in out.split("eigenvalues ")[1].split(",")]
    expected = sorted(np.linalg.eigvalsh(np.array(m.evalf().tolist(), dtype=complex)))[::-1][:2]
    assert np.allclose(printed, expected, rtol=1e-3)
