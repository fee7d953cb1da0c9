"""Progress bars: shown for long calls when asked (or on a terminal), never in pipes."""

import re

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


# ----------------------------------------------------------------------------- Theorems 3-4


@pytest.fixture
def every_update(monkeypatch):
    """tqdm redraws on every update (not every 0.1 s), so the counts reach the output."""
    import functools

    import tqdm.auto

    redraw = functools.partial(tqdm.auto.tqdm, mininterval=0, miniters=1)
    monkeypatch.setattr(tqdm.auto, "tqdm", redraw)


def _norm_case():
    net, _ = bs.paper.example3(n=6, numeric=True)
    return net


def test_norm_A_d_by_svds_bar_counts_the_products(capsys, monkeypatch, every_update):
    from blendsym.bounds.coherent import local_liouvillian_norm

    net = _norm_case()  # n = 6: svds (beyond the dense n <= 5), well under a second
    monkeypatch.setattr(_progress, "NORM_MIN_QUBITS", 6)
    monkeypatch.delenv("BLENDSYM_PROGRESS", raising=False)
    quiet, how = local_liouvillian_norm(net)
    assert how == "svds" and capsys.readouterr().err == ""  # not a terminal: no bar
    monkeypatch.setenv("BLENDSYM_PROGRESS", "1")
    shown, _ = local_liouvillian_norm(net)
    err = capsys.readouterr().err
    assert "Theorems 3-4: ||A_d|| by svds (n=6)" in err
    counts = [int(m) for m in re.findall(r"(\d+)it", err)]
    assert counts and max(counts) > 1  # products with A_d and A_d^dagger counted
    # the counting operator gives the same norm (ARPACK to machine precision both times)
    assert abs(shown - quiet) <= 1e-10 * quiet
    # and an independent estimate: power iteration on A^H A from a fixed start gives a
    # lower bound ||A v|| <= ||A_d|| that approaches it (slowly: close top singular values)
    a = net.local_liouvillian("scipy")
    v = np.random.default_rng(0).standard_normal(a.shape[1]) + 0j
    for _ in range(300):
        v = a.conj().T @ (a @ v)
        v /= np.linalg.norm(v)
    low = np.linalg.norm(a @ v)
    assert quiet * (1 - 1e-4) < low <= quiet


def test_norm_A_d_no_bar_below_the_threshold(capsys, monkeypatch):
    from blendsym.bounds.coherent import local_liouvillian_norm

    monkeypatch.setenv("BLENDSYM_PROGRESS", "1")
    assert _progress.NORM_MIN_QUBITS > 6  # a fraction of a second: no bar by default
    local_liouvillian_norm(_norm_case())
    assert capsys.readouterr().err == ""


def test_M_d_bar_on_theorem3(capsys, monkeypatch, every_update):
    from blendsym.bounds.coherent import theorem3

    net, rho0 = bs.paper.example3()
    monkeypatch.setattr(_progress, "NORM_BOUND_MIN_WORK", 1)  # show it on Example 3 (p = 20)
    monkeypatch.delenv("BLENDSYM_PROGRESS", raising=False)
    quiet = theorem3(net, rho0, 0.01, 1.0, 2.0).constants.M_d
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("BLENDSYM_PROGRESS", "1")
    shown = theorem3(net, rho0, 0.01, 1.0, 2.0).constants.M_d
    err = capsys.readouterr().err
    assert "Theorem 3: M_d on [0, T2]" in err and shown == quiet
    # one step per grid point: the bar reached its total
    done = re.findall(r"(\d+)/(\d+)", err)
    assert done and any(a == b for a, b in done)
    monkeypatch.setattr(_progress, "NORM_BOUND_MIN_WORK", 3e8)  # the default: a short grid
    theorem3(net, rho0, 0.01, 1.0, 2.0)
    assert capsys.readouterr().err == ""


def test_M_bar_on_theorem2(capsys, monkeypatch):
    monkeypatch.setattr(_progress, "NORM_BOUND_MIN_WORK", 1)
    monkeypatch.setenv("BLENDSYM_PROGRESS", "1")
    net, rho0 = bs.paper.example2()
    bs.bounds.theorem2(net, rho0, 0.2, 1.0, 2.0)
    assert "Theorem 2: M on [0, T2]" in capsys.readouterr().err


# ----------------------------------------------------------------------------- gains, verify


def test_bars_on_empirical_and_certified_kc(capsys, monkeypatch):
    net, rho0 = bs.paper.example2()
    bound = bs.bounds.theorem2(net, rho0, 0.2, 1.0, 2.0)
    monkeypatch.delenv("BLENDSYM_PROGRESS", raising=False)
    quiet = bound.certified_kc(rtol=0.5)
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("BLENDSYM_PROGRESS", "1")
    shown = bound.certified_kc(rtol=0.5)
    err = capsys.readouterr().err
    assert "Theorem 2: empirical K_c" in err and "Theorem 2: certified K_c" in err
    assert shown == quiet and bound.certify(shown)[0]  # the bar changes nothing


def test_bar_on_verify(capsys, monkeypatch, every_update):
    from types import SimpleNamespace

    from blendsym.paper.render import run_verify

    args = SimpleNamespace(
        format=None,
        json=False,
        only=["figure-4", "figure-5"],
        severity=None,
        thorough=False,
        figures=None,
    )
    monkeypatch.delenv("BLENDSYM_PROGRESS", raising=False)
    assert run_verify(args) == 0
    err = capsys.readouterr().err
    assert "checking" in err and "blendsym verify" not in err
    monkeypatch.setenv("BLENDSYM_PROGRESS", "1")
    assert run_verify(args) == 0
    out, err = capsys.readouterr()
    assert "blendsym verify" in err and "2/2" in err and "figure-5" in err
    assert "checking" not in err  # the bar shows the part instead
    assert "figure-4" in out and "figure-5" in out
    report = bs.verify_paper(only=["figure-4"])
    assert [c.id for c in report.claims] == ["figure-4"] and "1/1" in capsys.readouterr().err
