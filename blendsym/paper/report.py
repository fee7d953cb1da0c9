"""``verify_paper()``: every checked claim of the paper, with computed verdicts."""

from __future__ import annotations

import time
from collections.abc import Callable

from .claims import Claim, Report

__all__ = ["verify_paper", "PAPER", "claim_groups"]

PAPER = "Blended Dynamics and Emergence in Open Quantum Networks (Wen, Ren, Wang, Shim, Shi)"


def claim_groups() -> list[tuple[str, Callable[[], list[Claim]]]]:
    """The claim builders, in the paper's order."""
    from .verify_model import model_claims
    from .verify_section4 import section4_claims

    groups: list[tuple[str, Callable[[], list[Claim]]]] = [
        ("Sections 2-3", model_claims),
        ("Section 4", section4_claims),
    ]
    try:
        from .verify_section5 import section5_claims
    except ImportError:  # pragma: no cover - Section 5 module absent
        pass
    else:
        groups.append(("Section 5", section5_claims))
    return groups


def verify_paper(progress: Callable[[str], None] | None = None) -> Report:
    """Recompute every claim; ``progress`` (optional) is called with each group's name."""
    report = Report(PAPER)
    for name, build in claim_groups():
        if progress is not None:
            progress(name)
        t0 = time.perf_counter()
        claims = build()
        dt = (time.perf_counter() - t0) / max(len(claims), 1)
        for c in claims:
            c.seconds = dt
        report.claims.extend(claims)
    return report
