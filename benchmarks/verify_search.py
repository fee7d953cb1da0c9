"""The thorough counterexample searches of ``blendsym verify --thorough``, timed per search.

``python -m benchmarks verify_search [--write]``: runs every plan of
:func:`blendsym.paper.search.thorough_plans` and prints, per search, the evaluations, the
seconds, the worst ratio distance/bound and the number of violations; with ``--write`` the
results replace the cached ones in ``blendsym/paper/data/counterexample_search.json``.
"""

from __future__ import annotations

import time


def main(argv: list[str]) -> int:
    from blendsym.paper import search, verify_search

    if "--write" in argv:
        t0 = time.perf_counter()
        path = verify_search.write_cache()
        print(f"wrote {path} in {time.perf_counter() - t0:.0f} s")
        return 0
    for plan in search.thorough_plans():
        res = search.search(plan)
        print(
            f"theorem {plan.theorem} ({plan.formula}): {res.evaluations} evaluations, "
            f"{res.seconds:.0f} s, worst ratio {res.worst['ratio']:.4g}, "
            f"{len(res.violations)} violations",
            flush=True,
        )
    return 0
