r"""The verification report's data model: a claim of the paper and its verdict.

A :class:`Claim` records where the paper makes a statement, what it prints, what is true,
how blendsym knows (exact computation, numeric with a tolerance, or simulation) and the
verdict: ``holds``, ``erratum`` (the printed statement is wrong; ``correct`` says what is
right) or ``not-checkable``.  Verdicts are *computed*: every claim function compares the
printed statement with an independent computation and derives its status from the result.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

__all__ = ["Claim", "Report", "STATUSES", "verdict"]

STATUSES = ("holds", "erratum", "not-checkable")


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
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.status not in STATUSES:  # pragma: no cover - programming error
            raise ValueError(f"status must be one of {STATUSES}: found {self.status!r}")
        if not self.evidence:  # pragma: no cover - programming error
            raise ValueError(f"claim {self.id} has no evidence")

    def as_dict(self) -> dict:
        """The JSON form: ``id, where, statement, status, printed, correct, evidence``."""
        d = asdict(self)
        d.pop("seconds")
        method = d.pop("method")
        d["evidence"] = f"[{method}] {d['evidence']}"
        return d


def verdict(agrees: bool) -> str:
    """``holds`` when the printed statement agrees with the computation, else ``erratum``."""
    return "holds" if agrees else "erratum"


@dataclass
class Report:
    """All claims, with a summary and JSON / table renderings."""

    paper: str
    claims: list[Claim] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        c = Counter(cl.status for cl in self.claims)
        return {"claims": len(self.claims), **{s: c.get(s, 0) for s in STATUSES}}

    def by_id(self, cid: str) -> Claim:
        for cl in self.claims:
            if cl.id == cid:
                return cl
        raise KeyError(cid)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(
            {
                "paper": self.paper,
                "claims": [cl.as_dict() for cl in self.claims],
                "summary": self.summary,
            },
            indent=indent,
            ensure_ascii=False,
        )

    def table(self, width: int = 110) -> str:
        """A readable plain-text table with a summary line."""
        rows = []
        w_id = max((len(c.id) for c in self.claims), default=2)
        w_where = max((len(c.where) for c in self.claims), default=5)
        head = f"{'status':<14} {'id':<{w_id}}  {'where':<{w_where}}  statement"
        rows.append(head)
        rows.append("-" * min(width, len(head) + 40))
        for c in self.claims:
            mark = {"holds": "holds", "erratum": "ERRATUM", "not-checkable": "not-checkable"}[
                c.status
            ]
            rows.append(f"{mark:<14} {c.id:<{w_id}}  {c.where:<{w_where}}  {c.statement}")
            if c.status == "erratum":
                rows.append(f"{'':<14}   printed: {c.printed}")
                rows.append(f"{'':<14}   correct: {c.correct}")
            rows.append(f"{'':<14}   evidence ({c.method}): {c.evidence}")
        s = self.summary
        rows.append("")
        rows.append(
            f"{s['claims']} claims: {s['holds']} hold, {s['erratum']} errata, "
            f"{s['not-checkable']} not checkable"
        )
        return "\n".join(rows)
