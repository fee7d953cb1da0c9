"""The verification report: every claim's status and severity is asserted, so a regression
turns red.

The verdicts are computed: replacing a printed value by the true one flips the verdict (one
test per ``PRINTED`` entry); every cached counterexample is re-checked by a fresh simulation
with a different propagation method.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

import blendsym as bs
from blendsym.paper import (
    examples,
    verify_appendix_a,
    verify_appendix_cd,
    verify_figures,
    verify_model,
    verify_preliminaries,
    verify_search,
    verify_section4,
    verify_section4_displays,
)
from blendsym.paper.claims import SEVERITIES, STATUSES

EXPECTED = {
    "eq1": ("holds", None),
    "dissipator": ("holds", None),
    "laplacian-psd": ("holds", None),
    "norm-S": ("erratum", "notation"),
    "swap": ("holds", None),
    "swap-dissipator": ("holds", None),
    "swap-partial-trace": ("holds", None),
    "eq4": ("holds", None),
    "swap-symmetrization": ("holds", None),
    "laplacian-definition": ("erratum", "notation"),
    "graph-definitions": ("holds", None),
    "eq2-eq3": ("holds", None),
    "classical-blended-theorem": ("not-checkable", None),
    "pauli": ("holds", None),
    "assumption-1": ("erratum", "result"),
    "eq5": ("holds", None),
    "definition-1": ("erratum", "result"),
    "eq9": ("holds", None),
    "example1-steady-state": ("erratum", "result"),
    "theorem-1": ("holds", None),
    "appendix-A-22": ("gap", "proof"),
    "theorem-2": ("erratum", "result"),
    "eq30": ("erratum", "notation"),
    "example2-initial-state": ("erratum", "result"),
    "eq11": ("erratum", "result"),
    "eq12": ("holds", None),
    "example2-rho-b0": ("erratum", "notation"),
    "eq8": ("holds", None),
    "eq10": ("erratum", "notation"),
    "eq19": ("holds", None),
    "eq20": ("holds", None),
    "eq21": ("holds", None),
    "A-Lj": ("erratum", "notation"),
    "eq23": ("holds", None),
    "eq24": ("holds", None),
    "A-sup": ("holds", None),
    "eq25": ("holds", None),
    "eq26": ("holds", None),
    "A-spectrum": ("gap", "proof"),
    "choice-L_c": ("choice", None),
    "A-variation": ("erratum", "proof"),
    "A-split": ("erratum", "notation"),
    "eq27": ("gap", "proof"),
    "eq28": ("gap", "proof"),
    "A-E-bound": ("holds", None),
    "A-1+sqrt2": ("holds", None),
    "B-error": ("gap", "proof"),
    "choice-m-M": ("choice", None),
    "p-m": ("erratum", "result"),
    "Qd-psd": ("holds", None),
    "eq13": ("holds", None),
    "eq14": ("erratum", "result"),
    "eq15-16": ("erratum", "notation"),
    "definition-2": ("holds", None),
    "theorem-3": ("holds", None),
    "theorem-4": ("holds", None),
    "eq33": ("erratum", "notation"),
    "lambda-m-Qd": ("holds", None),
    "example3-capacitive": ("erratum", "notation"),
    "remark-T1-zero": ("erratum", "result"),
    "eq18": ("holds", None),
    "eq31-32-34": ("holds", None),
    "C-norm-split": ("erratum", "proof"),
    "C-nu-derivative": ("erratum", "notation"),
    "eq35": ("holds", None),
    "C-e-derivative": ("erratum", "notation"),
    "C-stability": ("gap", "proof"),
    "choice-m_d-M_d": ("choice", None),
    "eq36": ("holds", None),
    "eq37": ("gap", "proof"),
    "appendix-D": ("holds", None),
    "remark-finite-horizon": ("holds", None),
    "figure-1": ("erratum", "result"),
    "figure-2": ("holds", None),
    "figure-3": ("holds", None),
    "figure-4": ("holds", None),
    "figure-5": ("holds", None),
    "figure-6": ("erratum", "notation"),
    "figure-7-caption": ("erratum", "notation"),
    "figure-7": ("holds", None),
    "search-theorem-1": ("holds", None),
    "search-theorem-2-printed": ("erratum", "result"),
    "search-theorem-2-blendsym": ("holds", None),
    "search-theorem-3": ("holds", None),
    "search-theorem-4": ("holds", None),
}


@pytest.fixture(scope="module")
def report():
    return bs.verify_paper()


def test_every_claim_has_the_expected_status_and_severity(report):
    got = {c.id: (c.status, c.severity) for c in report.claims}
    assert got == EXPECTED
    assert not report.errors


def test_claims_are_complete(report):
    for c in report.claims:
        assert c.evidence and c.where and c.statement
        assert c.status in STATUSES
        if c.status in ("erratum", "gap"):
            assert c.printed and c.correct
            assert c.severity in SEVERITIES
        else:
            assert c.severity is None
        if c.status == "choice":
            assert c.correct  # the value blendsym uses
    s = report.summary
    assert s["claims"] == len(EXPECTED) == sum(s[st] for st in STATUSES)
    for st in ("erratum", "gap"):
        assert sum(s["by_status_and_severity"][st].values()) == s[st]
    table = report.table()
    assert table.splitlines()[0].startswith(f"{len(EXPECTED)} claims:")


def test_every_numbered_equation_has_a_claim(report):
    import re

    cited = set()
    for c in report.claims:
        for lo, hi in re.findall(r"\((\d+)\)(?:-\((\d+)\))?", c.where):
            cited.update(range(int(lo), int(hi or lo) + 1))
    # (6) is Definition 1, (7) Theorem 1's promise, (17) Definition 2
    by_id = {c.id for c in report.claims}
    assert {"definition-1", "theorem-1", "definition-2"} <= by_id
    cited |= {6, 7, 17}
    assert set(range(1, 38)) <= cited, sorted(set(range(1, 38)) - cited)


def test_verdict_is_computed_not_typed(monkeypatch):
    """Replace the printed steady state of Example 1 by the true one: the erratum disappears."""
    import sympy

    monkeypatch.setattr(
        verify_section4,
        "example1_printed_steady_state",
        lambda: sympy.Matrix([[sympy.Rational(1, 4), 0], [0, sympy.Rational(3, 4)]]),
    )
    assert verify_section4.claim_example1_steady_state().status == "holds"
    monkeypatch.setattr(
        verify_section4, "example2_printed_initial_state", lambda: examples.example2()[1]
    )
    assert verify_section4.claim_example2_initial_state().status == "holds"


_FLIPS = [
    (verify_model, "norm-S", "norm-S"),
    (verify_preliminaries, "laplacian-definition", "laplacian-definition"),
    (verify_section4_displays, "eq10", "eq10"),
    (verify_appendix_a, "A-Lj", "A-Lj"),
    (verify_appendix_a, "A-variation", "A-variation"),
    (verify_appendix_a, "A-split", "A-split"),
    (verify_appendix_a, "eq27-factor", "eq27"),
    (verify_appendix_a, "B-e-factor", "B-error"),
    (verify_appendix_cd, "C-norm-split", "C-norm-split"),
    (verify_appendix_cd, "C-nu-derivative", "C-nu-derivative"),
    (verify_appendix_cd, "C-e-derivative", "C-e-derivative"),
    (verify_appendix_cd, "C-stability", "C-stability"),
    (verify_figures, "figure-1", "figure-1"),
    (verify_figures, "figure-6", "figure-6"),
    (verify_figures, "figure-7-caption", "figure-7-caption"),
]


@pytest.mark.parametrize(("module", "key", "cid"), _FLIPS, ids=[f[2] for f in _FLIPS])
def test_printed_value_replaced_by_the_true_one_flips_the_verdict(monkeypatch, module, key, cid):
    builders = dict(module.BUILDERS)
    assert builders[cid]().status in ("erratum", "gap")
    monkeypatch.setitem(module.PRINTED, key, module.CORRECTED[key])
    assert builders[cid]().status == "holds"


def test_search_verdict_flips_with_the_corrected_gain(monkeypatch):
    builders = dict(verify_search.BUILDERS)
    claim = builders["search-theorem-2-printed"]()
    assert claim.status == "erratum"
    assert "counterexample" in claim.evidence
    cx = claim.data["counterexample"]
    for key in ("state", "horizon", "time", "distance", "eta"):
        assert key in cx
    for number in (cx["horizon"], cx["time"], cx["distance"], cx["eta"]):
        assert f"{number:.4g}" in claim.evidence
    monkeypatch.setitem(verify_search.PRINTED, "search-theorem-2-printed", "blendsym")
    assert builders["search-theorem-2-printed"]().status == "holds"


def _cached_counterexamples():
    cache = verify_search.load_cache()["results"]
    return [(key, v) for key, res in sorted(cache.items()) for v in res["violations"]]


def test_the_cache_is_package_data_and_covers_every_search():
    cache = verify_search.load_cache()
    assert set(cache["results"]) == {
        "theorem1-printed",
        "theorem2-printed",
        "theorem2-blendsym",
        "theorem3-printed",
        "theorem4-printed",
    }
    # blendsym's own gains survive their searches; the printed Theorem 2 does not
    assert not cache["results"]["theorem2-blendsym"]["violations"]
    assert cache["results"]["theorem2-printed"]["violations"]


@pytest.mark.parametrize(
    ("key", "record"), _cached_counterexamples(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_cached_counterexample_is_real(key, record):
    """Re-check with blendsym's printed K_c* and a dense-expm simulation of the full network
    (the search used the eigendecomposition of the reduced system (5))."""
    from blendsym.bounds import theorem2
    from blendsym.paper import search as S
    from blendsym.section4.blended import blended_reduced_state

    assert key == "theorem2-printed"
    net = S.ModelSpec.from_dict(record["model"]).network()
    rho = S.state_from_record(record["state"])
    bound = theorem2(net, rho, record["eta"], record["T1"], record["horizon"])
    kc = bound.kc_star_printed if bound.kc_star_printed is not None else bound.kc_star
    assert kc == pytest.approx(record["kc"], rel=0.05)
    t = record["time"]
    traj = bs.simulate(net, rho, np.array([0.0, t]), kc=kc, method="dense")
    b = blended_reduced_state(net)
    mean = sum(S._reduced(rho, net.n, j) for j in range(1, net.n + 1)) / net.n
    rho_b = b.evolve(mean, np.array([0.0, t]))[-1]
    dist = max(np.linalg.norm(traj.reduced(j)[-1] - rho_b) for j in range(1, net.n + 1))
    assert dist > record["eta"]
    assert dist == pytest.approx(record["distance"], rel=0.05)
    # and blendsym's corrected gain meets eta there
    traj = bs.simulate(net, rho, np.array([0.0, t]), kc=bound.kc_star, method="dense")
    dist = max(np.linalg.norm(traj.reduced(j)[-1] - rho_b) for j in range(1, net.n + 1))
    assert dist <= record["eta"]


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "blendsym.cli", "verify", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_cli_json_only_and_severity():
    res = _cli("--json", "--only", "eq1", "norm-S", "eq27", "search-theorem-2-printed")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert set(data) == {"paper", "summary", "claims", "errors"}
    assert [c["id"] for c in data["claims"]] == [
        "eq1",
        "norm-S",
        "eq27",
        "search-theorem-2-printed",
    ]
    for c in data["claims"]:
        assert {"id", "where", "status", "evidence", "severity"} <= set(c)
        assert c["status"] in STATUSES
    by = {c["id"]: c for c in data["claims"]}
    assert by["eq1"]["severity"] is None
    assert by["norm-S"]["severity"] == "notation" and by["eq27"]["status"] == "gap"
    assert "counterexample" in by["search-theorem-2-printed"]["evidence"]
    assert by["search-theorem-2-printed"]["data"]["counterexample"]["distance"] > 0.005
    res = _cli("--format", "json", "--only", "eq1", "norm-S", "eq27", "--severity", "notation")
    data = json.loads(res.stdout)
    assert [c["id"] for c in data["claims"]] == ["norm-S"]
    assert data["summary"]["claims"] == 3


def test_cli_text_and_md():
    res = _cli("--format", "md", "--only", "norm-S", "p-m", "eq14")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("# Verification report") and "| erratum |" in res.stdout
    assert "$" in res.stdout or "\\" in res.stdout or "`p-m`" in res.stdout
    res = _cli("--only", "eq14")
    assert res.returncode == 0 and res.stdout.splitlines()[0].startswith("1 claims:")
    for line in res.stdout.splitlines():
        assert len(line) <= 100 or " " not in line.strip()


def test_cli_bad_options_exit_2():
    assert _cli("--only", "no-such-claim").returncode == 2
    assert _cli("--json", "--format", "md", "--only", "eq1").returncode == 2


def test_a_check_that_cannot_run_exits_1(monkeypatch, capsys):
    from blendsym.paper import render, report

    def broken():
        raise RuntimeError("cannot run")

    monkeypatch.setattr(report, "claim_builders", lambda: [("Test", "broken", broken)])
    args = render_args(only=None)
    assert render.run_verify(args) == 1
    out = capsys.readouterr().out
    assert "COULD NOT RUN" in out and "broken" in out


def render_args(**kw):
    import argparse

    ns = argparse.Namespace(
        format=None, json=False, only=None, severity=None, thorough=False, figures=None
    )
    for k, v in kw.items():
        setattr(ns, k, v)
    return ns


def test_docs_list_every_erratum_and_gap():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "verification.md").read_text()
    for cid, (status, _) in EXPECTED.items():
        if status in ("erratum", "gap", "choice"):
            assert f"**{cid}**" in text, cid


def test_theorem2_gain_uses_the_repaired_step_29():
    """Regression: D(T2) had C/n (from the misprinted (29)); the repaired step gives C/sqrt(n)."""
    import math

    from blendsym.bounds import theorem2

    net, rho0 = examples.example2()
    c = theorem2(net, rho0, 0.05, 1.0, 5.0).constants
    assert c.C_Sigma > 0
    n, lam, nl, f = c.n, c.lambda_m, c.norm_L, c.f_T2
    repaired = n * nl / lam + f * nl / lam * (c.C_Sigma / math.sqrt(n) + 5.0 * nl)
    assert c.D_T2 == pytest.approx(repaired, rel=1e-12)
    assert c.D_T2 > n * nl / lam + f * nl / lam * (c.C_Sigma / n + 5.0 * nl)
