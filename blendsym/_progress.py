"""Progress bars for long calls (tqdm, the ``progress`` extra).

A bar is shown only when tqdm is installed, standard error is a terminal and the environment
variable ``BLENDSYM_PROGRESS`` is not ``0`` (``BLENDSYM_PROGRESS=1`` shows it even when
standard error is not a terminal); otherwise every helper here is a no-op, so that tests, pipes
and logs never see bar output.  Used by ``simulate`` (n >= :data:`SIMULATE_MIN_QUBITS`), the
norm bound ``M`` of Theorems 2-4, ``blendsym check``, ``TheoremBound.empirical_kc``,
``TheoremBound.certified_kc`` (one step per certification) and ``blendsym verify``.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

__all__ = ["enabled", "bar", "open_bar", "SIMULATE_MIN_QUBITS", "CountingList"]

#: ``simulate`` shows a bar from this many qubits on (a run takes seconds to minutes).
SIMULATE_MIN_QUBITS = 8


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
