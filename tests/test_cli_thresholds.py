"""``blendsym analyze --thresholds``: paper / certified / empirical K_c* side by side, the
printed values those of the API, checked against an independent fine simulation."""

import numpy as np
import pytest

import blendsym as bs
import blendsym.limits
from blendsym.cli import main
from blendsym.io.modelfile import load_model

THEOREMS = """[theorems]
eta = 0.05
T1 = 1
T2 = 3
"""
# Assumption 1 holds (Theorems 1-2); the blended generator has a Jordan block at -3/4
SEPARABLE = (
    """name = "two qubits, exceptional point"
n = 2
hamiltonian = "1/4*sigma_x(1)"
[graph]
edges = [[1, 2]]
[[jumps]]
operator = "sigma_minus(1)"
rate = 2
[initial_state]
product = ["0", "1"]
"""
    + THEOREMS
)
# an exchange term couples the qubits: Theorems 3-4
COHERENT = (
    """name = "two qubits, exchange coupling"
n = 2
hamiltonian = "sigma_z(1) + 1/2*sigma_x(1)*sigma_x(2)"
[graph]
edges = [[1, 2]]
[[jumps]]
operator = "sigma_minus(2)"
[initial_state]
product = ["0", "1"]
"""
    + THEOREMS
)


def run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def model(tmp_path, text):
    p = tmp_path / "m.toml"
    p.write_text(text)
    return str(p)


def table(out: str) -> dict[str, dict[str, str]]:
    """The rows of the side-by-side table, by theorem."""
    lines = out.splitlines()
    head = next(i for i, s in enumerate(lines) if s.startswith("paper / certified / empirical"))
    rows = {}
    for line in lines[head + 2 :]:
        if not line.startswith("  Theorem "):
            break
        name, rest = line.strip().split("  ", 1)
        window, rest = rest.strip().split("]", 1)
        paper, cert, emp, ratio, _secs = rest.split()
        rows[name] = {"window": window + "]", "paper": paper, "certified": cert}
        rows[name].update(empirical=emp, ratio=ratio)
    return rows


def bounds(path):
    spec = load_model(path)
    net, rho0 = spec.net, spec.rho0
    if bs.is_separable(net):
        return [
            bs.bounds.theorem1(net, rho0, 0.05),
            bs.bounds.theorem2(net, rho0, 0.05, 1.0, 3.0),
        ]
    return [
        bs.bounds.theorem3(net, rho0, 0.05, 1.0, 3.0),
        bs.bounds.theorem4(net, rho0, 0.05, 1.0),
    ]


@pytest.mark.parametrize("text", [SEPARABLE, COHERENT], ids=["theorems 1-2", "theorems 3-4"])
def test_printed_thresholds_are_the_api_values_and_agree_with_simulation(capsys, tmp_path, text):
    rtol = 0.02
    path = model(tmp_path, text)
    rc, out, err = run(capsys, "analyze", path, "--thresholds")
    assert rc == 0, err
    rows = table(out)
    expected = bounds(path)
    assert sorted(rows) == sorted(b.theorem for b in expected)
    for b in expected:
        row = rows[b.theorem]
        cert, emp = b.certified_kc(rtol=rtol), b.empirical_kc(rtol=rtol)
        assert row["paper"] == f"{b.kc_star:.6g}"
        assert row["certified"] == f"{cert:.6g}"
        assert row["empirical"] == f"{emp:.6g}"
        assert float(row["ratio"]) == pytest.approx(b.kc_star / cert, rel=0.05, abs=0.5)
        assert cert <= b.kc_star
        assert emp / (1 + rtol) <= cert <= emp * (1 + rtol)
        # independent of the proof: a simulation on a 10x finer grid holds at the certified
        # gain, and is violated a little below it (the certified gain is near the truth)
        t_a, t_b = b.window
        fine = np.linspace(t_a, t_b, 2001)
        assert b.check(cert, fine).lhs.max() <= b.eta
        assert not b.eta_holds(cert / (1 + rtol) ** 2, fine)


def test_default_prints_the_paper_value_and_how_to_get_the_others(capsys, tmp_path):
    rc, out, err = run(capsys, "analyze", model(tmp_path, SEPARABLE))
    assert rc == 0, err
    assert "Theorem 1: K_c* = " in out and "Theorem 2: K_c* = " in out
    assert "add --thresholds (under a second per theorem)" in out
    assert "paper / certified / empirical" not in out


def test_resolution_option(capsys, tmp_path):
    path = model(tmp_path, SEPARABLE)
    rc, out, err = run(capsys, "analyze", path, "--thresholds", "--kc-rtol", "0.005")
    assert rc == 0, err
    assert "(searches to 0.5 %)" in out
    t2 = bounds(path)[1]
    assert table(out)["Theorem 2"]["certified"] == f"{t2.certified_kc(rtol=0.005):.6g}"
    for bad in ("0", "-1", "nan", "x"):
        with pytest.raises(SystemExit) as exc:
            main(["analyze", path, "--thresholds", "--kc-rtol", bad])
        assert exc.value.code == 2
    assert "--kc-rtol: expected a positive number" in capsys.readouterr().err


def test_above_the_qubit_limit_says_why_in_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(blendsym.limits, "CERTIFY_MAX_QUBITS", 1)
    path = model(tmp_path, SEPARABLE)
    reason = "n = 2 > blendsym.limits.CERTIFY_MAX_QUBITS = 1"
    rc, out, _ = run(capsys, "analyze", path)
    assert rc == 0 and f"certified K_c*: not available ({reason}" in out
    assert "add --thresholds" not in out
    rc, out, _ = run(capsys, "analyze", path, "--thresholds")
    assert rc == 0 and f"certified K_c*: not computed ({reason}" in out
    rows = table(out)
    t1 = bounds(path)[0]
    assert rows["Theorem 1"]["certified"] == "-" and rows["Theorem 1"]["ratio"] == "-"
    assert rows["Theorem 1"]["empirical"] == f"{t1.empirical_kc():.6g}"


def test_no_thresholds_for_symbolic_or_uncoupled_models(capsys, tmp_path):
    symbolic = SEPARABLE.replace(
        '"1/4*sigma_x(1)"', '"omega*sigma_x(1)"\n[parameters]\nomega = { positive = true }'
    )
    rc, out, err = run(capsys, "analyze", model(tmp_path, symbolic), "--thresholds")
    assert rc == 0, err
    assert "theorem bounds skipped (every K_c* needs numbers)" in out
    assert "paper / certified / empirical" not in out
    edgeless = SEPARABLE.replace("edges = [[1, 2]]", "edges = []")
    rc, out, err = run(capsys, "analyze", model(tmp_path, edgeless), "--thresholds")
    assert rc == 0, err
    assert "no edges: no coupling, the theorem bounds do not apply" in out
    assert "paper / certified / empirical" not in out
