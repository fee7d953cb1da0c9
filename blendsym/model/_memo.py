r"""The memo of an immutable object: values derived from it, computed once, thread-safe.

A :class:`~blendsym.model.network.QuantumNetwork` cannot change after construction, so
anything computed from it (its exact and numeric Liouvillian parts, the real forms and dense
propagators of :class:`~blendsym.numeric.propagator.NetworkPropagator`, its blended coherent
dynamics) stays valid as long as it lives, and is kept in one :class:`Memo` owned by the
network.  The memo is never pickled (the network's ``__getstate__`` leaves it out), so a
network sent to a worker process carries its model, not hundreds of megabytes of derived
matrices.

Two kinds of entries:

* **plain** entries (:meth:`Memo.get`): one value per key, computed by the first caller
  while concurrent callers for the same key wait for it (no duplicate work, no torn
  state); the set of keys is fixed by the code (a handful per network), so they need no
  bound;
* **bounded sections** (:meth:`Memo.section_get`): least-recently-used stores for the large
  objects whose number depends on the calls (one dense propagator per time step and gain,
  one compiled form per gain), each bounded by a number of items and optionally by bytes
  (the most recently used item is always kept).

Every operation takes the memo's lock only for bookkeeping; factories run outside it (one
lock per key being built), so long computations of different keys proceed in parallel.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["Memo", "nbytes", "clear_all"]

#: Every memo that holds a bounded section, so that :func:`clear_all` can reach them.
_LIVE: weakref.WeakSet = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()


def nbytes(value: Any) -> int:
    """Bytes held by NumPy arrays and SciPy sparse matrices inside ``value`` (tuples, lists,
    dicts and objects with an ``nbytes`` attribute or method are followed)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if sp.issparse(value):
        total = 0
        for attr in ("data", "indices", "indptr", "row", "col"):
            arr = getattr(value, attr, None)
            if isinstance(arr, np.ndarray):
                total += int(arr.nbytes)
        return total
    if isinstance(value, (tuple, list)):
        return sum(nbytes(v) for v in value)
    if isinstance(value, dict):
        return sum(nbytes(v) for v in value.values())
    own = getattr(value, "nbytes", None)
    if callable(own):
        own = own()
    return int(own) if isinstance(own, (int, np.integer)) else 0


class Memo:
    """Derived values of one immutable object (see the module docstring)."""

    __slots__ = ("_lock", "_values", "_building", "_sections", "__weakref__")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[Hashable, Any] = {}
        self._building: dict[Hashable, threading.Lock] = {}
        self._sections: dict[str, OrderedDict] = {}

    # ------------------------------------------------------------------ plain entries
    def get(self, key: Hashable, factory: Callable[[], Any]) -> Any:
        """The value for ``key``, computed by ``factory()`` on first use (once, even when
        several threads ask at the same time)."""
        with self._lock:
            if key in self._values:
                return self._values[key]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = factory()
                with self._lock:
                    self._values[key] = value
            finally:
                with self._lock:
                    self._building.pop(key, None)
        return value

    def peek(self, key: Hashable, default: Any = None) -> Any:
        """The value for ``key`` if it has been computed, else ``default`` (never computes)."""
        with self._lock:
            return self._values.get(key, default)

    # ------------------------------------------------------------------ bounded sections
    def section_get(
        self,
        section: str,
        key: Hashable,
        factory: Callable[[], Any],
        *,
        max_items: int,
        max_bytes: int | None = None,
        match: Callable[[Iterable[Hashable]], Hashable | None] | None = None,
    ) -> tuple[Hashable, Any, bool]:
        """``(key_used, value, computed)`` from the least-recently-used store ``section``.

        ``match(keys)`` may return an existing key equivalent to ``key`` (e.g. a time step
        equal up to round-off); otherwise ``key`` itself is looked up, and on a miss
        ``factory()`` computes the value (once across threads).  The section then keeps at
        most ``max_items`` values and, with ``max_bytes``, drops the oldest ones while their
        total size (:func:`nbytes`) exceeds it; the newest value is always kept.
        """
        with self._lock:
            store = self._sections.setdefault(section, OrderedDict())
            found = self._find(store, key, match)
            if found is not None:
                store.move_to_end(found)
                return found, store[found], False
            lock_key = (section, key)
            building = self._building.setdefault(lock_key, threading.Lock())
        with building:
            with self._lock:
                found = self._find(store, key, match)
                if found is not None:
                    store.move_to_end(found)
                    return found, store[found], False
            try:
                value = factory()
                with self._lock:
                    store[key] = value
                    self._trim(store, max_items, max_bytes)
            finally:
                with self._lock:
                    self._building.pop(lock_key, None)
        with _LIVE_LOCK:
            _LIVE.add(self)
        return key, value, True

    @staticmethod
    def _find(store: OrderedDict, key, match) -> Hashable | None:
        if key in store:
            return key
        if match is not None:
            found = match(list(store))
            if found is not None and found in store:
                return found
        return None

    @staticmethod
    def _trim(store: OrderedDict, max_items: int, max_bytes: int | None) -> None:
        while len(store) > max(1, max_items):
            store.popitem(last=False)
        if max_bytes is not None:
            sizes = {k: nbytes(v) for k, v in store.items()}
            total = sum(sizes.values())
            while len(store) > 1 and total > max_bytes:
                k, _ = store.popitem(last=False)
                total -= sizes[k]

    def section_keys(self, section: str) -> list:
        """The keys held in ``section``, oldest first."""
        with self._lock:
            return list(self._sections.get(section, ()))

    # ------------------------------------------------------------------ housekeeping
    def clear(self, section: str | None = None) -> None:
        """Forget the bounded ``section`` (every entry, plain and bounded, if ``None``)."""
        with self._lock:
            if section is None:
                self._values.clear()
                self._sections.clear()
            else:
                self._sections.pop(section, None)

    def info(self) -> dict[str, dict[str, int]]:
        """``{name: {"items": count, "bytes": size}}`` for the plain entries (``"entries"``)
        and for each bounded section."""
        with self._lock:
            values = list(self._values.values())
            sections = {name: list(store.values()) for name, store in self._sections.items()}
        out = {"entries": {"items": len(values), "bytes": sum(nbytes(v) for v in values)}}
        for name, items in sections.items():
            out[name] = {"items": len(items), "bytes": sum(nbytes(v) for v in items)}
        return out


def clear_all(section: str) -> None:
    """Forget ``section`` in every live memo."""
    with _LIVE_LOCK:
        memos = list(_LIVE)
    for memo in memos:
        memo.clear(section)
