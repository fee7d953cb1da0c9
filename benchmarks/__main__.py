"""``python -m benchmarks NAME [options]``: run one benchmark (``--help`` after NAME for its
options).

* ``network``: the full network (4) on the n-qubit Example 3 model, blendsym against QuTiP
  ``mesolve`` (docs/performance.md).
* ``limits``: the measurements behind the table of ``blendsym.limits``.
* ``observe``: peak memory of ``simulate`` with ``observe="states"`` against ``"reduced"``
  (docs/performance.md, "What a trajectory keeps").
* ``exact_backends``: the steps of the modular exact engine with NumPy and python-flint
  kernels, and the exact pipelines of Examples 1-3 under each SymPy ground type
  (docs/performance.md, "Exact backends").
* ``verify_search``: the thorough counterexample searches of ``blendsym verify --thorough``,
  timed per search; ``--write`` also refreshes the cached results in the package data
  (docs/verification.md).
* ``compiled``: compiled parametric models against ``net.subs`` re-derivation, 10^4
  parameter points (docs/performance.md, "Compiled parametric models").
* ``kc_table``: paper / certified / empirical K_c* (docs/performance.md, "Thresholds").
* ``pi_coherent``: the blended coherent dynamics (Definition 2) in the PI coordinates,
  n = 10..200, and a PI model side by side with QuTiP's PIQS (docs/performance.md).
* ``pi_components``: Definition 2 on disconnected graphs in the PI coordinates of
  S_C1 x ... x S_Cr (docs/performance.md).
* ``latex_large``: ``blendsym latex`` on large models, eq. (4) with collective sums and
  Definition 2 in operator form, n = 12..100 (docs/performance.md).
* ``figure_100_qubits``: the figure and numbers of docs/tutorial-100-qubits.md.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    "network": "benchmarks.network",
    "limits": "benchmarks.limits",
    "observe": "benchmarks.observe",
    "exact_backends": "benchmarks.exact_backends",
    "verify_search": "benchmarks.verify_search",
    "compiled": "benchmarks.compiled",
    "kc_table": "benchmarks.kc_table",
    "pi_coherent": "benchmarks.pi_coherent",
    "pi_components": "benchmarks.pi_components",
    "latex_large": "benchmarks.latex_large",
    "figure_100_qubits": "benchmarks.figure_100_qubits",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in BENCHMARKS:
        print(__doc__)
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    return importlib.import_module(BENCHMARKS[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
