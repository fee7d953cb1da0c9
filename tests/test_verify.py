"""The verification report: every claim's status is asserted, so a regression turns red.

The verdicts are computed: swapping a printed value for the true one flips the verdict.
"""

import pytest

import blendsym as bs
from blendsym.paper import examples, verify_section4

EXPECTED = {
    "laplacian-psd": "holds",
    "norm-S": "erratum",
    "swap": "holds",
    "swap-dissipator": "holds",
    "swap-partial-trace": "holds",
    "eq4": "holds",
    "assumption-1": "erratum",
    "eq5": "holds",
    "definition-1": "erratum",
    "eq9": "holds",
    "example1-steady-state": "erratum",
    "theorem-1": "holds",
    "appendix-A-22": "erratum",
    "theorem-2": "erratum",
    "eq30": "erratum",
    "example2-initial-state": "erratum",
    "eq11": "erratum",
    "eq12": "holds",
    "example2-rho-b0": "erratum",
    "p-m": "erratum",
    "Qd-psd": "holds",
    "eq13": "holds",
    "eq14": "erratum",
    "eq15-16": "erratum",
    "definition-2": "holds",
    "theorem-3": "holds",
    "theorem-4": "holds",
    "eq33": "erratum",
    "lambda-m-Qd": "holds",
    "example3-capacitive": "erratum",
    "remark-T1-zero": "erratum",
}


@pytest.fixture(scope="module")
def report():
    return bs.verify_paper()


def test_every_claim_has_the_expected_status(report):
    got = {c.id: c.status for c in report.claims}
    assert got == EXPECTED


def test_claims_are_complete(report):
    for c in report.claims:
        assert c.evidence and c.where and c.statement
        if c.status == "erratum":
            assert c.printed and c.correct
    s = report.summary
    assert s["claims"] == len(EXPECTED) == s["holds"] + s["erratum"] + s["not-checkable"]
    table = report.table()
    assert table.splitlines()[-1].startswith(f"{len(EXPECTED)} claims:")


def test_verdict_is_computed_not_typed(monkeypatch):
    """Replace the printed steady state of Example 1 by the true one: the erratum disappears."""
    import sympy

    monkeypatch.setattr(
        verify_section4,
        "example1_printed_steady_state",
        lambda: sympy.Matrix([[sympy.Rational(1, 4), 0], [0, sympy.Rational(3, 4)]]),
    )
    assert verify_section4.claim_example1_steady_state().status == "holds"
    # and a wrong "printed" initial state of Example 2 that is valid makes that claim hold
    monkeypatch.setattr(
        verify_section4, "example2_printed_initial_state", lambda: examples.example2()[1]
    )
    assert verify_section4.claim_example2_initial_state().status == "holds"


def test_docs_list_every_erratum():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "verification.md").read_text()
    for cid, status in EXPECTED.items():
        if status == "erratum":
            assert f"**{cid}**" in text, cid
