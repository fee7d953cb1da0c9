"""Progress bars: shown for long calls when asked (or on a terminal), never in pipes."""

import numpy as np
import pytest

import blendsym as bs
from blendsym import _progress

pytest.importorskip("tqdm", reason="tqdm (the progress extra) is not installed")


def test_off_when_not_a_terminal(capsys, monkeypatch):
    monkeypatch.delenv("BLENDSYM_PROGRESS", raising=False)
    assert not _progress.enabled()  # pytest's captured stderr is not a TTY
    net, rho0 = bs.paper.example1()
    bs.simulate(net, rho0, [0.0, 0.1], kc=1)
    assert capsys.readouterr().err == ""


def test_bar_on_simulate_at_n8(capsys, monkeypatch):
    monkeypatch.setenv("BLENDSYM_PROGRESS", "1")
    net, _ = bs.paper.example3(n=8, numeric=True)
    traj = bs.simulate(net, bs.basis_state("0" * 8), np.linspace(0.0, 0.02, 2), kc=1)
    assert "simulate n=8" in capsys.readouterr().err
    assert "[[" not in repr(traj)
    monkeypatch.setenv("BLENDSYM_PROGRESS", "0")
    bs.simulate(net, bs.basis_state("0" * 8), [0.0, 0.01], kc=1)
    assert capsys.readouterr().err == ""


def test_bar_on_check(capsys, monkeypatch):
    from blendsym.check import check_model

    monkeypatch.setenv("BLENDSYM_PROGRESS", "1")
    results = check_model(bs.paper.example2()[0], max_examples=2)
    assert all(r.held for r in results)
    assert "blendsym check" in capsys.readouterr().err
