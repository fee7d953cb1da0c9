"""The blendsym command: every subcommand, exit statuses 0 / 1 / 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from blendsym.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_example_command(capsys):
    rc, out, _ = run(capsys, "example", "1")
    assert rc == 0
    assert r"\frac{1}{3}\sigma_z" in out and "relaxing: True" in out and "3/4" in out


def test_example3_coherent(capsys):
    rc, out, _ = run(capsys, "example", "3")
    assert rc == 0 and "p = 20" in out


def test_analyze_latex_simulate(capsys, tmp_path):
    rc, out, _ = run(capsys, "analyze", str(EXAMPLES / "example1.toml"))
    assert rc == 0 and "Theorem 1: K_c* =" in out and "mu = 2/3" in out
    rc, out, _ = run(capsys, "latex", str(EXAMPLES / "example2.toml"))
    assert rc == 0 and r"\frac{1}{3}\left(\sigma_x + \sigma_y + \sigma_z\right)" in out
    assert r"\frac{d\mathbf{y}_d}{dt}" in out
    csv, png = tmp_path / "t.csv", tmp_path / "t.png"
    rc, out, _ = run(
        capsys,
        "simulate",
        str(EXAMPLES / "example3.toml"),
        "--kc",
        "5",
        "--t-final",
        "1",
        "--num-times",
        "11",
        "--csv",
        str(csv),
        "--plot",
        str(png),
    )
    assert rc == 0
    lines = csv.read_text().splitlines()
    assert lines[0].startswith("kc,t,r1_x") and len(lines) == 12
    assert png.stat().st_size > 10_000


def test_check_passes_and_fails(capsys, tmp_path, monkeypatch):
    rc, out, _ = run(capsys, "check", str(EXAMPLES / "example1.toml"), "--examples", "5")
    assert rc == 0 and "0 failed" in out
    # a broken generator must make a property fail (exit status 1)
    import blendsym.network as network

    real = network.QuantumNetwork.liouvillian

    def leaky(self, kc=None, backend="sympy"):
        out = real(self, kc, backend)
        if backend == "scipy":
            out = out.tolil()
            out[0, 0] += 0.3  # breaks trace preservation
            out = out.tocsr()
        return out

    monkeypatch.setattr(network.QuantumNetwork, "liouvillian", leaky)
    rc, out, _ = run(capsys, "check", str(EXAMPLES / "example1.toml"), "--examples", "3")
    assert rc == 1 and "FAILED" in out


def test_bad_input_exit_status_2(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("n = 2\nhamiltonian = \"__import__('os')\"\n[graph]\ncomplete = true\n")
    rc, _, err = run(capsys, "analyze", str(bad))
    assert rc == 2 and "hamiltonian" in err
    rc, _, err = run(capsys, "simulate", str(tmp_path / "missing.toml"))
    assert rc == 2 and "cannot be read" in err


def test_help_everywhere():
    for sub in ([], ["verify"], ["example"], ["analyze"], ["latex"], ["simulate"], ["check"]):
        res = subprocess.run(
            [sys.executable, "-m", "blendsym.cli", *sub, "--help"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert res.returncode == 0 and "usage" in res.stdout


@pytest.mark.slow
def test_verify_json_and_figures(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "blendsym.cli", "verify", "--json", "--figures", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert set(data) == {"paper", "claims", "summary"}
    for c in data["claims"]:
        assert set(c) == {"id", "where", "statement", "status", "printed", "correct", "evidence"}
        assert c["evidence"] and c["status"] in ("holds", "erratum", "not-checkable")
        if c["status"] == "erratum":
            assert c["printed"] and c["correct"]
    for k in (1, 2, 3, 6, 7):
        assert (tmp_path / f"figure{k}.png").stat().st_size > 10_000
