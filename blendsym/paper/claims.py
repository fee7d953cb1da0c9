r"""The verification report's data model: a claim of the paper and its verdict.

A :class:`Claim` records where the paper makes a statement, what it prints, what is true, how
blendsym knows (exact computation, numeric with a tolerance, simulation or an optimised
search) and the verdict, one of :data:`STATUSES`:

``holds``
    the statement is true as printed (recomputed independently);
``erratum``
    the printed statement (an equation, a value, a definition, a description) is false;
    ``correct`` says what is right;
``gap``
    the printed step does not follow from what the paper gives for it (a false inference, a
    missing hypothesis), although its conclusion may still be true; ``correct`` says how the
    step is repaired;
``choice``
    the paper leaves a constant open ("for some :math:`L_c > 0`", ":math:`m, M > 0`",
    ":math:`M_d`", ":math:`m_d`"): the claim states the value blendsym uses, why it is valid
    (checked) and where it departs from the printed text;
``not-checkable``
    the statement rests on an external reference; the evidence names what would be needed.

Errata and gaps carry a ``severity``, one of :data:`SEVERITIES`:

``result``
    it changes a theorem's statement or constant, a definition the results use, or an
    outcome computed from it;
``proof``
    a proof step is false or unjustified while what the proof concludes survives (with the
    repair given in ``correct``);
``notation``
    a typo, a wrong symbol, index or dimension, or a misdescription whose intended meaning is
    recoverable and which changes no number.

``severity`` is ``None`` (JSON ``null``) exactly for ``holds``, ``choice`` and
``not-checkable``.  Verdicts are *computed*: every claim function compares the printed
statement with an independent computation and derives its status from the result (the
tests replace each printed value by the true one and watch the verdict flip).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy

__all__ = [
    "Claim",
    "Report",
    "STATUSES",
    "SEVERITIES",
    "verdict",
    "judge",
    "choice_verdict",
    "MatrixFormatter",
    "inline",
]

STATUSES = ("holds", "erratum", "gap", "choice", "not-checkable")
SEVERITIES = ("result", "proof", "notation")
#: Statuses that carry a severity.
DEFECTS = ("erratum", "gap")


@dataclass
class Claim:
    """One statement of the paper with its computed verdict."""

    id: str
    where: str
    statement: str
    status: str
    evidence: str
    printed: str = ""
    correct: str = ""
    method: str = "exact"
    severity: str | None = None
    seconds: float = 0.0
    group: str = ""
    #: inline matrix text -> its LaTeX (``--format md`` replaces one by the other)
    latex: dict[str, str] = field(default_factory=dict)
    #: structured numbers (counterexamples: state, horizon, time, distance, eta)
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:  # pragma: no cover - programming error
            raise ValueError(f"status must be one of {STATUSES}: found {self.status!r}")
        if not self.evidence:  # pragma: no cover - programming error
            raise ValueError(f"claim {self.id} has no evidence")
        if self.status in DEFECTS:
            if self.severity not in SEVERITIES:  # pragma: no cover - programming error
                raise ValueError(
                    f"claim {self.id} ({self.status}) needs a severity in {SEVERITIES}: "
                    f"found {self.severity!r}"
                )
        else:
            self.severity = None

    def as_dict(self) -> dict:
        """The JSON form: ``id, where, statement, status, severity, printed, correct, evidence,
        method, data``."""
        d = {
            "id": self.id,
            "where": self.where,
            "statement": self.statement,
            "status": self.status,
            "severity": self.severity,
            "printed": self.printed,
            "correct": self.correct,
            "evidence": f"[{self.method}] {self.evidence}",
            "method": self.method,
        }
        if self.data:
            d["data"] = _jsonable(self.data)
        return d


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        return float(x)
    if isinstance(x, (np.integer, int)) and not isinstance(x, bool):
        return int(x)
    if isinstance(x, complex):
        return [x.real, x.imag]
    return x


def verdict(agrees: object) -> str:
    """``holds`` when the printed statement agrees with the computation, else ``erratum``."""
    return "holds" if bool(agrees) else "erratum"


def judge(agrees: object, severity: str, defect: str = "erratum") -> tuple[str, str | None]:
    """``(status, severity)``: ``("holds", None)`` when the printed statement agrees with the
    computation, else ``(defect, severity)`` (``defect`` is ``erratum`` or ``gap``)."""
    if defect not in DEFECTS or severity not in SEVERITIES:  # pragma: no cover
        raise ValueError(f"bad defect/severity {defect!r}/{severity!r}")
    return ("holds", None) if bool(agrees) else (defect, severity)


def choice_verdict(valid: object) -> tuple[str, str | None]:
    """``("choice", None)`` when blendsym's value of an open constant does what the proof needs,
    else ``("gap", "result")`` (the chosen value would not give the bound)."""
    return ("choice", None) if bool(valid) else ("gap", "result")


# ----------------------------------------------------------------------------- matrices


def _entry(x) -> str:
    if isinstance(x, sympy.Basic):
        return sympy.sstr(sympy.nsimplify(x) if x.is_number and not x.is_Rational else x)
    z = complex(x)
    if abs(z.imag) < 1e-15:
        return f"{z.real:.4g}"
    if abs(z.real) < 1e-15:
        return f"{z.imag:.4g}*I"
    return f"{z.real:.4g}{z.imag:+.4g}*I"


def _rows(m) -> list[list]:
    if isinstance(m, sympy.MatrixBase):
        return [[m[i, j] for j in range(m.cols)] for i in range(m.rows)]
    a = np.atleast_2d(np.asarray(m))
    return [list(r) for r in a]


def inline(m) -> str:
    """A matrix on one line: ``[[a, b], [c, d]]`` (exact entries as SymPy prints them)."""
    return "[" + ", ".join("[" + ", ".join(_entry(x) for x in r) + "]" for r in _rows(m)) + "]"


def _latex(m) -> str:
    if isinstance(m, sympy.MatrixBase):
        return sympy.latex(
            m.applyfunc(lambda x: sympy.nsimplify(x) if x.is_number else x),
            mat_delim="(",
            mat_str="matrix",
        )
    rows = _rows(m)
    body = r" \\ ".join(" & ".join(_entry(x).replace("*I", "i") for x in r) for r in rows)
    return r"\begin{pmatrix}" + body + r"\end{pmatrix}"


class MatrixFormatter:
    """Formats matrices inline and remembers their LaTeX, for ``Claim(latex=fm.latex)``."""

    def __init__(self) -> None:
        self.latex: dict[str, str] = {}

    def __call__(self, m) -> str:
        text = inline(m)
        self.latex[text] = _latex(m)
        return text


# ----------------------------------------------------------------------------- report


@dataclass
class Report:
    """All claims, a summary by status and severity, and the checks that could not run."""

    paper: str
    claims: list[Claim] = field(default_factory=list)
    #: ``[{"id", "where", "error"}]`` for claim functions that raised
    errors: list[dict] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        c = Counter(cl.status for cl in self.claims)
        sev = Counter(cl.severity for cl in self.claims if cl.severity)
        by = {
            st: {
                s: sum(1 for cl in self.claims if cl.status == st and cl.severity == s)
                for s in SEVERITIES
            }
            for st in DEFECTS
        }
        return {
            "claims": len(self.claims),
            **{s: c.get(s, 0) for s in STATUSES},
            "severity": {s: sev.get(s, 0) for s in SEVERITIES},
            "by_status_and_severity": by,
            "errors": len(self.errors),
        }

    def by_id(self, cid: str) -> Claim:
        for cl in self.claims:
            if cl.id == cid:
                return cl
        raise KeyError(cid)

    def to_json(self, indent: int | None = 2) -> str:
        from .render import render_json

        return render_json(self, indent=indent)

    def table(self, width: int = 100) -> str:
        """The plain-text report (summary first, evidence wrapped to ``width``)."""
        from .render import render_text

        return render_text(self, width=width)
