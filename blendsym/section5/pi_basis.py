r"""The permutation-invariant (PI) coordinates of Definition 2: type counts and index arithmetic.

Components of :math:`G_d` as type counts
----------------------------------------
Read a node :math:`|l\rangle\langle l'|` of the induced graph (Section 5.1) as a word
:math:`w = (t_1,\dots,t_n)` whose letter at site :math:`s` is the *type*
:math:`t_s = (q_s, q'_s)\in\{00, 01, 10, 11\}`, numbered :math:`t = 2q + q'` (so the
single-site doubled index is the row-stacking index of :math:`|q\rangle\langle q'|`).  For a
connected :math:`G` the components of :math:`G_d` are the :math:`S_n`-orbits of words
(:mod:`blendsym.section5.induced`), i.e. the sets

.. math::  \mathbb V_m = \{w : \#\{s : t_s = t\} = m_t,\ t = 00, 01, 10, 11\},\qquad
           |\mathbb V_m| = \binom{n}{m_{00}, m_{01}, m_{10}, m_{11}}
           = \frac{n!}{m_{00}!\,m_{01}!\,m_{10}!\,m_{11}!},

one for every :math:`m\in\mathbb N^4` with :math:`|m| = n`: :math:`p = \binom{n+3}{3}`.

Coordinate order
----------------
:class:`~blendsym.section5.induced.InducedGraph` numbers the components by their smallest
node :math:`v = l\,2^n + l'`.  The smallest node of :math:`\mathbb V_m` puts the
:math:`n_1 = m_{10} + m_{11}` ones of :math:`l` at its last :math:`n_1` sites (the smallest
:math:`l`), and then the ones of :math:`l'` at the last sites of each of the two blocks
(:math:`m_{01}` ones among the first :math:`n - n_1` sites, :math:`m_{11}` among the last
:math:`n_1`):

.. math::  \min\mathbb V_m = (2^{n_1} - 1)\,2^n + (2^{m_{01}} - 1)\,2^{n_1} + 2^{m_{11}} - 1 .

Since :math:`2^{m_{11}} - 1 < 2^{n_1}`, these numbers are ordered lexicographically by
:math:`(n_1, m_{01}, m_{11})`, which gives the closed-form rank

.. math::  \mathrm{idx}(m) = S(n_1) + m_{01}(n_1 + 1) + m_{11},\qquad
           S(j) = \sum_{i<j}(n - i + 1)(i + 1)                                   \tag{PI.1}

(for each :math:`n_1` there are :math:`(n - n_1 + 1)(n_1 + 1)` pairs :math:`(m_{01}, m_{11})`).
The PI coordinates are therefore *in the same order* as the components of today's
:class:`InducedGraph` (``tests/test_pi_basis.py`` checks it for :math:`n\le 6`), so that
``basis="pi"`` and ``basis="full"`` give identical matrices, not merely similar ones.

Falling factorials
------------------
The generator (:mod:`blendsym.section5.pi_generator`) needs, for a count vector
:math:`c` with :math:`|c| = k`, the probability that :math:`k` fixed distinct sites of a uniformly
random word of :math:`\mathbb V_m` carry a given ordered tuple of types with counts :math:`c`
(sampling without replacement):

.. math::  \Pr_m(c) = \frac{\prod_t (m_t)_{c_t}}{(n)_k},\qquad (x)_j = x(x-1)\cdots(x-j+1).
           \tag{PI.2}
"""

from __future__ import annotations

import itertools
import math
from functools import cached_property

import numpy as np

from .._validate import check_int, internal_check
from ..errors import InvalidArgumentError, NotComputableError

__all__ = [
    "PIBasis",
    "TYPE_LABELS",
    "count_vectors",
    "falling_factorial",
    "node_type_counts",
    "pi_dimension",
    "MAX_LIFT_QUBITS",
]

#: The four single-site types :math:`(q, q')` in index order :math:`t = 2q + q'`.
TYPE_LABELS = ("00", "01", "10", "11")

#: Largest n for which objects of size :math:`4^n` (node labels, lifted operators) are built.
MAX_LIFT_QUBITS = 10


def pi_dimension(n: int) -> int:
    r""":math:`p = \binom{n+3}{3}`, the number of PI coordinates of ``n`` qubits."""
    n = check_int(n, "n", minimum=1)
    return math.comb(n + 3, 3)


def falling_factorial(x: np.ndarray, j: int) -> np.ndarray:
    r""":math:`(x)_j = x(x-1)\cdots(x-j+1)` elementwise (``1`` for ``j = 0``; ``0`` where
    :math:`0\le x<j`), in the dtype of ``x`` (use ``object`` for exact integers)."""
    out = np.ones_like(x)
    for i in range(j):
        out = out * (x - i)
    return out


def count_vectors(k: int) -> list[tuple[int, int, int, int]]:
    """All count vectors :math:`c\\in\\mathbb N^4` with :math:`|c| = k`, in lexicographic order."""
    r = range(k + 1)
    return [(a, b, c, d) for a, b, c, d in itertools.product(r, r, r, r) if a + b + c + d == k]


def node_type_counts(n: int) -> np.ndarray:
    r"""Type counts of every node :math:`v = l\,2^n + l'` of :math:`G_d`, shape ``(4^n, 4)``.

    :math:`m_{11} = |l\wedge l'|`, :math:`m_{10} = |l| - m_{11}`, :math:`m_{01} = |l'| - m_{11}`,
    :math:`m_{00} = n - |l\vee l'|` (:math:`|\cdot|` the Hamming weight).  Only for
    :math:`n\le` :data:`MAX_LIFT_QUBITS`.
    """
    n = check_int(n, "n", minimum=1)
    if n > MAX_LIFT_QUBITS:
        raise NotComputableError(
            f"node_type_counts needs 4^n = {4**n} nodes: n must be <= {MAX_LIFT_QUBITS}, found {n}"
        )
    d = 2**n
    weight = np.array([bin(i).count("1") for i in range(d)], dtype=np.int64)
    both = np.bitwise_and(np.arange(d)[:, None], np.arange(d)[None, :])
    w11 = weight[both]
    w10 = weight[:, None] - w11
    w01 = weight[None, :] - w11
    w00 = n - w11 - w10 - w01
    return np.stack([w00, w01, w10, w11], axis=-1).reshape(d * d, 4)


class PIBasis:
    r"""Index arithmetic of the PI coordinates of ``n`` qubits (connected graph).

    Attributes
    ----------
    n, p:
        Number of qubits and :math:`p = \binom{n+3}{3}`.
    counts:
        ``(p, 4)`` int64 array: the type counts :math:`(m_{00}, m_{01}, m_{10}, m_{11})` of
        each coordinate, in coordinate order (eq. (PI.1)).
    """

    def __init__(self, n: int):
        self.n: int = check_int(n, "n", minimum=1)
        self.p: int = math.comb(self.n + 3, 3)
        n_ = self.n
        j = np.arange(n_ + 1, dtype=np.int64)
        per = (n_ - j + 1) * (j + 1)
        self._slab = np.concatenate([[0], np.cumsum(per)]).astype(np.int64)
        rows = []
        for n1 in range(n_ + 1):
            m01 = np.repeat(np.arange(n_ - n1 + 1, dtype=np.int64), n1 + 1)
            m11 = np.tile(np.arange(n1 + 1, dtype=np.int64), n_ - n1 + 1)
            m10 = n1 - m11
            m00 = n_ - n1 - m01
            rows.append(np.stack([m00, m01, m10, m11], axis=1))
        self.counts: np.ndarray = np.concatenate(rows, axis=0)
        self.counts.setflags(write=False)
        internal_check(self.counts.shape[0] == self.p, "PI enumeration does not have p rows")

    def __repr__(self) -> str:
        return f"PIBasis(n={self.n}, p={self.p})"

    # ------------------------------------------------------------------ indices
    def index(self, m: np.ndarray) -> np.ndarray:
        r"""Coordinate index (PI.1) of count vectors ``m`` (shape ``(..., 4)``); ``-1`` where a
        count is negative or the counts do not add up to :math:`n`."""
        m = np.asarray(m, dtype=np.int64)
        if m.shape[-1] != 4:
            raise InvalidArgumentError(f"m must have shape (..., 4): found {m.shape}")
        valid = np.all(m >= 0, axis=-1) & (m.sum(axis=-1) == self.n)
        n1 = np.clip(m[..., 2] + m[..., 3], 0, self.n)
        idx = self._slab[n1] + m[..., 1] * (n1 + 1) + m[..., 3]
        return np.where(valid, idx, -1)

    def shifted_index(self, d) -> np.ndarray:
        r"""``idx(m + d)`` for every coordinate :math:`m` (``-1`` where :math:`m + d` is not a
        count vector); ``d`` has four integer entries summing to 0."""
        return self.index(self.counts + np.asarray(d, dtype=np.int64)[None, :])

    @cached_property
    def adjoint(self) -> np.ndarray:
        r"""``s[m]``: the coordinate of the adjoint orbit (:math:`m_{01}\leftrightarrow m_{10}`);
        :math:`P_d^\top\mathrm{vec}(X^\dagger) = \overline{\mathbf y[s]}`."""
        return self.index(self.counts[:, [0, 2, 1, 3]])

    @cached_property
    def diagonal(self) -> np.ndarray:
        """Boolean mask of the orbits of diagonal entries :math:`|l\\rangle\\langle l|`
        (:math:`m_{01} = m_{10} = 0`)."""
        return (self.counts[:, 1] == 0) & (self.counts[:, 2] == 0)

    # ------------------------------------------------------------------ sizes
    @cached_property
    def log_sizes(self) -> np.ndarray:
        r""":math:`\ln|\mathbb V_m|` (``lgamma``), float64."""
        lg = np.array([math.lgamma(i + 1) for i in range(self.n + 1)])
        return lg[self.n] - lg[self.counts].sum(axis=1)

    @cached_property
    def sizes(self) -> np.ndarray:
        r""":math:`|\mathbb V_m|` as float64 (exact below :math:`2^{53}`; ``n <= 500``)."""
        if self.n > 500:
            raise NotComputableError(f"|V_m| overflows float64 for n = {self.n} > 500")
        return np.array([float(s) for s in self.exact_sizes])

    @cached_property
    def exact_sizes(self) -> list[int]:
        r""":math:`|\mathbb V_m|` as Python integers (multinomial coefficients)."""
        f = [math.factorial(i) for i in range(self.n + 1)]
        nf = f[self.n]
        return [nf // (f[a] * f[b] * f[c] * f[d]) for a, b, c, d in self.counts.tolist()]

    def size_ratio(self, d) -> np.ndarray:
        r""":math:`|\mathbb V_m|/|\mathbb V_{m+d}| = \prod_t (m_t + d_t)!/m_t!` for every
        coordinate (float64, a product of at most :math:`\sum_t|d_t|` factors, so accurate to a
        few ulps; meaningless where :math:`m + d` is not a count vector)."""
        d = np.asarray(d, dtype=np.int64)
        m = self.counts.astype(np.float64)
        out = np.ones(self.p)
        for t in range(4):
            for i in range(1, abs(int(d[t])) + 1):
                if d[t] > 0:
                    out *= m[:, t] + i
                else:
                    with np.errstate(divide="ignore"):
                        out /= m[:, t] - i + 1
        return out

    def falling(self, c, dtype=np.float64) -> np.ndarray:
        r""":math:`\prod_t (m_t)_{c_t}` for every coordinate (eq. (PI.2) without :math:`(n)_k`)."""
        m = self.counts.astype(dtype)
        out = np.ones(self.p, dtype=dtype)
        for t in range(4):
            out = out * falling_factorial(m[:, t], int(c[t]))
        return out

    # ------------------------------------------------------------------ nodes (small n)
    @cached_property
    def node_labels(self) -> np.ndarray:
        r"""The coordinate of every node :math:`v = l\,2^n + l'` (length :math:`4^n`,
        :math:`n\le` :data:`MAX_LIFT_QUBITS`): the labels of
        :class:`~blendsym.section5.induced.InducedGraph` for a connected graph."""
        return self.index(node_type_counts(self.n))
