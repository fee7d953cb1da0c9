r"""PI coordinates of Definition 2 on a *disconnected* graph: tuples of per-component type counts.

Components of :math:`G_d`
-------------------------
Let :math:`G` have the connected components :math:`C_1,\dots,C_r` (sites sorted, components
ordered by their smallest site, :attr:`blendsym.model.graph.Graph.components`).  The SWAPs
along the edges of a connected :math:`C_i` generate :math:`S_{C_i}`, so the edges of
:math:`G_d` generate the action of :math:`S_{C_1}\times\cdots\times S_{C_r}` on the words
:math:`w = (t_1,\dots,t_n)` (:mod:`blendsym.section5.pi_basis`), and the components of
:math:`G_d` are its orbits: the sets

.. math::  \mathbb V_{\mathbf m} = \{w : \#\{s\in C_i : t_s = t\} = m^{(i)}_t
           \ \text{for every } i, t\},\qquad
           |\mathbb V_{\mathbf m}| = \prod_{i=1}^r\binom{n_i}{m^{(i)}},

one for every tuple :math:`\mathbf m = (m^{(1)},\dots,m^{(r)})` of count vectors with
:math:`|m^{(i)}| = n_i = |C_i|`: :math:`p = \prod_i\binom{n_i+3}{3}`.  A component of one qubit
contributes :math:`\binom{4}{3} = 4` (its four matrix units are fixed by the group).

Coordinate order
----------------
As for a connected graph, the coordinates are numbered like the components of
:class:`~blendsym.section5.induced.InducedGraph`: by the smallest node
:math:`v = l\,2^n + l'` of each orbit, so that ``basis="pi"`` and ``basis="full"`` give equal
matrices.  The smallest node minimises :math:`l` first: the
:math:`n^{(i)}_1 = m^{(i)}_{10} + m^{(i)}_{11}` ones of :math:`l` in :math:`C_i` sit at the last
:math:`n^{(i)}_1` sites of :math:`C_i`; then :math:`l'`: in :math:`C_i` its
:math:`m^{(i)}_{01}` ones at the last sites of :math:`C_i` where :math:`l` has a zero and its
:math:`m^{(i)}_{11}` ones at the last sites of :math:`C_i` (where :math:`l` has a one).  With
:math:`T_i(j) = \sum_{s\text{ among the last } j\text{ sites of }C_i}2^{n-s}`,

.. math::  \min\mathbb V_{\mathbf m} = 2^n\sum_iT_i(n^{(i)}_1)
           + \sum_i\big(T_i(n^{(i)}_1 + m^{(i)}_{01}) - T_i(n^{(i)}_1) + T_i(m^{(i)}_{11})\big),
           \tag{PP.1}

which for one component (:math:`T(j) = 2^j - 1`) is (PI.1)'s
:math:`(2^{n_1}-1)2^n + (2^{m_{01}}-1)2^{n_1} + 2^{m_{11}}-1`.  The coordinates are sorted by
(PP.1) (exact Python integers).  Internally a *raw* index, mixed radix over the per-component
PI indices (component 1 most significant, the order of ``numpy.kron``), converts between
tuples and coordinates: per-component vectors combine by Kronecker products
(:meth:`ProductPIBasis.kron`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cached_property

import numpy as np

from .._validate import check_limit, internal_check
from ..errors import InvalidArgumentError, NotComputableError
from .pi_basis import MAX_LIFT_QUBITS, PIBasis

__all__ = ["AnyPIBasis", "ProductPIBasis", "product_dimension"]


def product_dimension(blocks: Sequence[Sequence[int]]) -> int:
    r""":math:`p = \prod_i\binom{n_i+3}{3}` for the components ``blocks``."""
    return math.prod(math.comb(len(b) + 3, 3) for b in blocks)


def _check_partition(n: int, blocks) -> tuple[tuple[int, ...], ...]:
    try:
        out = tuple(tuple(sorted(int(s) for s in b)) for b in blocks)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"blocks must be sequences of 1-based sites partitioning 1..{n}: found {blocks!r}"
        ) from None
    flat = sorted(s for b in out for s in b)
    if flat != list(range(1, n + 1)) or any(not b for b in out):
        raise InvalidArgumentError(
            f"blocks must partition the sites 1..{n} into non-empty sets: found {list(out)}"
        )
    return tuple(sorted(out, key=lambda b: b[0]))


class ProductPIBasis:
    r"""Index arithmetic of the PI coordinates of :math:`S_{C_1}\times\cdots\times S_{C_r}`.

    Attributes
    ----------
    n, p, r:
        Qubits, coordinates :math:`\prod_i\binom{n_i+3}{3}` and components.
    blocks:
        The components :math:`C_i` as sorted tuples of 1-based sites (ordered by smallest site).
    factors:
        One :class:`~blendsym.section5.pi_basis.PIBasis` of :math:`n_i` qubits per component.
    counts:
        ``(p, r, 4)`` int64: the type counts :math:`m^{(i)}` of every coordinate, in coordinate
        order (eq. (PP.1)).
    """

    def __init__(self, n: int, blocks):
        self.n: int = int(n)
        self.blocks: tuple[tuple[int, ...], ...] = _check_partition(self.n, blocks)
        self.r: int = len(self.blocks)
        self.factors: list[PIBasis] = [PIBasis(len(b)) for b in self.blocks]
        self.shape: tuple[int, ...] = tuple(f.p for f in self.factors)
        self.p: int = math.prod(self.shape)
        check_limit(
            self.p,
            "PRODUCT_PI_COORDINATES",
            f"the PI coordinates of the components {[list(b) for b in self.blocks]} "
            f"(p = prod_i binom(n_i + 3, 3), {self.p * (32 * self.r + 40):,} bytes of tables)",
        )
        digits = np.unravel_index(np.arange(self.p, dtype=np.int64), self.shape)
        raw_counts = np.stack(
            [f.counts[d] for f, d in zip(self.factors, digits, strict=True)], axis=1
        )
        keys = self._smallest_nodes(raw_counts)
        order = sorted(range(self.p), key=keys.__getitem__)
        self.coord_to_raw: np.ndarray = np.array(order, dtype=np.int64)
        self.raw_to_coord: np.ndarray = np.empty(self.p, dtype=np.int64)
        self.raw_to_coord[self.coord_to_raw] = np.arange(self.p, dtype=np.int64)
        self.counts: np.ndarray = raw_counts[self.coord_to_raw]
        self.counts.setflags(write=False)
        self._strides = np.array(
            [math.prod(self.shape[i + 1 :]) for i in range(self.r)], dtype=np.int64
        )

    def __repr__(self) -> str:
        return f"ProductPIBasis(n={self.n}, blocks={list(self.blocks)}, p={self.p})"

    def _smallest_nodes(self, raw_counts: np.ndarray) -> list[int]:
        """(PP.1) for every raw coordinate, as exact Python integers."""
        n = self.n
        l_val = np.zeros(self.p, dtype=object)
        lp_val = np.zeros(self.p, dtype=object)
        for i, blk in enumerate(self.blocks):
            # T(j): the bit values 2^(n - s) of the last j sites of the block
            vals = [1 << (n - s) for s in blk]
            t = np.array([sum(vals[len(blk) - j :]) for j in range(len(blk) + 1)], dtype=object)
            c = raw_counts[:, i, :]
            n1 = c[:, 2] + c[:, 3]
            l_val = l_val + t[n1]
            lp_val = lp_val + t[n1 + c[:, 1]] - t[n1] + t[c[:, 3]]
        return (l_val * (1 << n) + lp_val).tolist()

    # ------------------------------------------------------------------ indices
    def raw_index(self, m: np.ndarray) -> np.ndarray:
        """Raw index of count tuples ``m`` (shape ``(..., r, 4)``); ``-1`` where invalid."""
        m = np.asarray(m, dtype=np.int64)
        if m.shape[-2:] != (self.r, 4):
            raise InvalidArgumentError(f"m must have shape (..., {self.r}, 4): found {m.shape}")
        raw = np.zeros(m.shape[:-2], dtype=np.int64)
        valid = np.ones(m.shape[:-2], dtype=bool)
        for i, f in enumerate(self.factors):
            idx = f.index(m[..., i, :])
            valid &= idx >= 0
            raw = raw + np.where(idx >= 0, idx, 0) * self._strides[i]
        return np.where(valid, raw, -1)

    def index(self, m: np.ndarray) -> np.ndarray:
        """Coordinate index of count tuples ``m`` (shape ``(..., r, 4)``); ``-1`` where invalid."""
        raw = self.raw_index(m)
        return np.where(raw >= 0, self.raw_to_coord[np.where(raw >= 0, raw, 0)], -1)

    def shifted_index(self, d) -> np.ndarray:
        r"""``idx(m + d)`` for every coordinate (``-1`` where not a count tuple); ``d`` has
        shape ``(r, 4)``, each row summing to 0."""
        return self.index(self.counts + np.asarray(d, dtype=np.int64)[None, :, :])

    def kron(self, vectors: Sequence[np.ndarray]) -> np.ndarray:
        r"""The coordinates of :math:`\bigotimes_i` (per-component vectors of length
        :math:`p_i`, in each component's PI order), in coordinate order."""
        internal_check(len(vectors) == self.r, "one vector per component")
        out = np.ones(1, dtype=complex)
        for v in vectors:
            out = np.kron(out, np.asarray(v, dtype=complex))
        return out[self.coord_to_raw]

    def local_sites(self, i: int) -> dict[int, int]:
        """``{global site: local site}`` of component ``i`` (both 1-based)."""
        return {s: k + 1 for k, s in enumerate(self.blocks[i])}

    @cached_property
    def component_of(self) -> dict[int, int]:
        """``{site: component index}`` (1-based sites, 0-based components)."""
        return {s: i for i, b in enumerate(self.blocks) for s in b}

    # ------------------------------------------------------------------ symmetries
    @cached_property
    def adjoint(self) -> np.ndarray:
        r"""``s[m]``: the coordinate of the adjoint orbit (:math:`m^{(i)}_{01}\leftrightarrow
        m^{(i)}_{10}` in every component)."""
        return self.index(self.counts[:, :, [0, 2, 1, 3]])

    @cached_property
    def diagonal(self) -> np.ndarray:
        """Mask of the orbits of diagonal entries (no 01 or 10 letter in any component)."""
        return np.all((self.counts[:, :, 1] == 0) & (self.counts[:, :, 2] == 0), axis=1)

    # ------------------------------------------------------------------ sizes
    @cached_property
    def log_sizes(self) -> np.ndarray:
        r""":math:`\ln|\mathbb V_{\mathbf m}| = \sum_i\ln|\mathbb V_{m^{(i)}}|`."""
        raw = np.zeros(1)
        for f in self.factors:
            raw = (raw[:, None] + f.log_sizes[None, :]).ravel()
        return raw[self.coord_to_raw]

    @cached_property
    def exact_sizes(self) -> list[int]:
        r""":math:`|\mathbb V_{\mathbf m}|` as Python integers."""
        raw = np.ones(1, dtype=object)
        for f in self.factors:
            raw = np.outer(raw, np.array(f.exact_sizes, dtype=object)).ravel()
        return [int(x) for x in raw[self.coord_to_raw]]

    @cached_property
    def sizes(self) -> np.ndarray:
        r""":math:`|\mathbb V_{\mathbf m}|` as float64 (exact below :math:`2^{53}`)."""
        if self.n > 500:
            raise NotComputableError(f"|V_m| overflows float64 for n = {self.n} > 500")
        return np.array([float(s) for s in self.exact_sizes])

    # ------------------------------------------------------------------ nodes (small n)
    @cached_property
    def node_labels(self) -> np.ndarray:
        r"""The coordinate of every node :math:`v = l\,2^n + l'` (length :math:`4^n`,
        :math:`n\le` :data:`~blendsym.section5.pi_basis.MAX_LIFT_QUBITS`)."""
        n = self.n
        if n > MAX_LIFT_QUBITS:
            raise NotComputableError(
                f"node labels need 4^n = {4**n} nodes: n must be <= {MAX_LIFT_QUBITS}, found {n}"
            )
        d = 2**n
        idx = np.arange(d)
        bits = (idx[:, None] >> (n - np.arange(1, n + 1))[None, :]) & 1  # (d, n), site s at s-1
        m = np.empty((d, d, self.r, 4), dtype=np.int64)
        for i, blk in enumerate(self.blocks):
            bb = bits[:, [s - 1 for s in blk]]
            c11 = bb @ bb.T
            w = bb.sum(axis=1)
            c10 = w[:, None] - c11
            c01 = w[None, :] - c11
            m[:, :, i, 0] = len(blk) - c11 - c10 - c01
            m[:, :, i, 1] = c01
            m[:, :, i, 2] = c10
            m[:, :, i, 3] = c11
        return self.index(m.reshape(d * d, self.r, 4))


#: Either kind of PI basis (connected: :class:`PIBasis`; disconnected: :class:`ProductPIBasis`).
AnyPIBasis = PIBasis | ProductPIBasis
