r"""Progress bars for long calls (tqdm, the ``progress`` extra).

A bar is shown only when tqdm is installed, standard error is a terminal and the environment
variable ``BLENDSYM_PROGRESS`` is not ``0`` (``BLENDSYM_PROGRESS=1`` shows it even when
standard error is not a terminal); otherwise every helper here is a no-op, so that tests, pipes
and logs never see bar output.  Used by

* ``simulate`` (n >= :data:`SIMULATE_MIN_QUBITS`, one step per output time);
* the norms of Theorems 3-4: :math:`\|A_d\|` by ``svds`` (n >= :data:`NORM_MIN_QUBITS`, one
  step per product with :math:`A_d` or :math:`A_d^\dagger`) and the sup :math:`M_d` over
  :math:`[0, T_2]` (also :math:`M` of Theorem 2) when the grid is long
  (:data:`NORM_BOUND_MIN_WORK`, one step per grid point);
* ``blendsym check`` (one step per property), ``TheoremBound.empirical_kc`` and
  ``TheoremBound.certified_kc`` (one step per gain tried);
* ``blendsym verify`` / ``verify_paper`` (one step per claim, the part and the claim shown).
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

__all__ = [
    "enabled",
    "bar",
    "open_bar",
    "SIMULATE_MIN_QUBITS",
    "NORM_MIN_QUBITS",
    "NORM_BOUND_MIN_WORK",
    "CountingList",
]

#: ``simulate`` shows a bar from this many qubits on (a run takes seconds to minutes).
SIMULATE_MIN_QUBITS = 8
#: :math:`\|A_d\|` by ``svds`` shows a bar from this many qubits on (3 s at n = 8, 18 s at
#: n = 9, building :math:`A_d` included).
NORM_MIN_QUBITS = 8
#: The sup over a grid (``norm_bound_constant``) shows a bar when (grid points) x size^3 is
#: at least this (about 3 s: 12 s for the 56 x 56 generator of Example 3 at n = 5 on
#: 7349 points, 1.3e9).
NORM_BOUND_MIN_WORK = 3e8


def enabled() -> bool:
    """Whether a bar would be shown now (tqdm installed, a terminal, not switched off)."""
    flag = os.environ.get("BLENDSYM_PROGRESS", "")
    if flag == "0":
        return False
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return flag == "1" or bool(getattr(sys.stderr, "isatty", lambda: False)())


class _Null:
    def update(self, k: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass

    def close(self) -> None:
        pass


def open_bar(total: int | None, desc: str, when: bool = True):
    """Like :func:`bar`, without a ``with`` block: call ``.close()`` when done."""
    if not (when and enabled()):
        return _Null()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, leave=False, file=sys.stderr)


@contextmanager
def bar(total: int | None, desc: str, when: bool = True):
    """A tqdm bar (or a no-op object with the same ``update``) for ``total`` steps."""
    if not (when and enabled()):
        yield _Null()
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=desc, leave=False, file=sys.stderr) as b:
        yield b


class CountingList(list):
    """A list whose ``append`` advances a bar (one step per result)."""

    def __init__(self, progress) -> None:
        super().__init__()
        self._progress = progress

    def append(self, item) -> None:
        super().append(item)
        self._progress.update(1)
