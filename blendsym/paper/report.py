"""``verify_paper()``: every checked claim of the paper, with computed verdicts.

Each ``verify_*`` module lists its claims as ``BUILDERS = [(id, function), ...]`` in the
paper's order; :func:`verify_paper` runs them (all, or the ids asked for) and records a
function that raises as a check that could not run (``Report.errors``), not as a verdict.
"""

from __future__ import annotations

import importlib
import time
import traceback
from collections.abc import Callable, Iterable

from ..errors import InvalidArgumentError
from .claims import Claim, Report

__all__ = ["verify_paper", "PAPER", "claim_groups", "claim_builders", "claim_ids"]

PAPER = "Blended Dynamics and Emergence in Open Quantum Networks (Wen, Ren, Wang, Shim, Shi)"

#: (group name, modules) in the paper's order.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Sections 2-3", ("verify_model", "verify_preliminaries")),
    ("Section 4", ("verify_section4", "verify_section4_displays")),
    ("Appendices A-B", ("verify_appendix_a",)),
    ("Section 5", ("verify_section5",)),
    ("Appendices C-D", ("verify_appendix_cd",)),
    ("Figures", ("verify_figures",)),
    ("Counterexample search", ("verify_search",)),
)


def claim_builders() -> list[tuple[str, str, Callable[[], Claim]]]:
    """``(group, claim id, function)`` for every claim, in the paper's order."""
    out: list[tuple[str, str, Callable[[], Claim]]] = []
    for group, modules in GROUPS:
        for name in modules:
            mod = importlib.import_module(f"{__package__}.{name}")
            out.extend((group, cid, fn) for cid, fn in mod.BUILDERS)
    return out


def claim_ids() -> list[str]:
    """Every claim id, in the paper's order."""
    return [cid for _, cid, _ in claim_builders()]


def claim_groups() -> list[tuple[str, Callable[[], list[Claim]]]]:
    """The claim builders grouped by part of the paper: ``(name, build)``, ``build()``
    returning that part's claims."""
    builders = claim_builders()
    names = list(dict.fromkeys(g for g, _, _ in builders))

    def build(group: str) -> Callable[[], list[Claim]]:
        return lambda: [fn() for g, _, fn in builders if g == group]

    return [(g, build(g)) for g in names]


def _select(builders, only: Iterable[str] | None):
    if only is None:
        return builders
    wanted = list(dict.fromkeys(only))
    known = {cid for _, cid, _ in builders}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise InvalidArgumentError(
            f"only must name claim ids of the report: found unknown {unknown}; the ids are "
            + ", ".join(cid for _, cid, _ in builders)
        )
    return [b for b in builders if b[1] in wanted]


def verify_paper(
    progress: Callable[[str], None] | None = None, only: Iterable[str] | None = None
) -> Report:
    """Recompute every claim (or those in ``only``); ``progress`` (optional) is called with
    each part's name.  A claim function that raises is recorded in ``Report.errors``.  With
    tqdm on a terminal a bar counts the claims (:mod:`blendsym._progress`)."""
    from .._progress import bar

    report = Report(PAPER)
    current = None
    selected = _select(claim_builders(), only)
    with bar(len(selected), "blendsym verify") as counter:
        for group, cid, fn in selected:
            if progress is not None and group != current:
                progress(group)
            current = group
            counter.set_postfix_str(f"{group}: {cid}")
            t0 = time.perf_counter()
            try:
                claim = fn()
            except Exception as exc:  # a check that could not run is reported, not hidden
                report.errors.append(
                    {
                        "id": cid,
                        "group": group,
                        "error": f"{type(exc).__name__}: {exc}",
                        "traceback": traceback.format_exc(limit=6),
                    }
                )
                continue
            finally:
                counter.update(1)
            claim.seconds = time.perf_counter() - t0
            claim.group = group
            report.claims.append(claim)
    return report
