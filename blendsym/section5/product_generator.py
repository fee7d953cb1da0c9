r"""Definition 2's generator in the PI coordinates of a disconnected graph.

The block-average formula for a product group
---------------------------------------------
With the notation of :mod:`blendsym.section5.pi_generator`, :math:`C = D^{-1}E^\top A_dE` and
:math:`B = D^{1/2}CD^{-1/2}`, now with :math:`E` the indicator of the orbits
:math:`\mathbb V_{\mathbf m}` of :math:`S_{C_1}\times\cdots\times S_{C_r}`
(:mod:`blendsym.section5.product_basis`).  Let a term act on the sites :math:`S` by
:math:`\tau`, :math:`S_i = S\cap C_i`, :math:`k_i = |S_i|`.

**Proposition.**  The term contributes

.. math::  C\big[\mathbf m,\ \mathbf m - c(a) + c(b)\big] \mathrel{+}= \tau[a, b]
           \prod_{i=1}^r\frac{\prod_t(m^{(i)}_t)_{c_t(a_i)}}{(n_i)_{k_i}},           \tag{PP.2}

:math:`a_i` the letters of :math:`a` at the sites :math:`S_i` and :math:`c(a) = (c(a_i))_i`.

*Proof.*  As for (PI.3): for :math:`w\in\mathbb V_{\mathbf m}` with :math:`w_S = a`, the
:math:`w'` with :math:`[A_d]_{ww'}\ne0` equal :math:`w` off :math:`S`, :math:`w'_S = b`, and have
the counts :math:`m^{(i)} - c(a_i) + c(b_i)` in :math:`C_i`.  A uniformly random word of
:math:`\mathbb V_{\mathbf m}` is a tuple of *independent* uniformly random words of the
:math:`\mathbb V_{m^{(i)}}` (the orbit is their Cartesian product), so
:math:`\Pr(w_S = a) = \prod_i\Pr(w_{S_i} = a_i) = \prod_i\prod_t(m^{(i)}_t)_{c_t(a_i)}/(n_i)_{k_i}`
by (PI.2) in each component.  Relabelling sites inside each :math:`S_i` leaves every
:math:`c(a_i), c(b_i)` unchanged.  :math:`\square`

Only the folded blocks (PT.1) of :mod:`blendsym.section5.product_terms` enter, summed over the
terms of equal signature :math:`(k_i)_i`, and
:math:`B[\mathbf m,\mathbf m'] = C[\mathbf m,\mathbf m']\prod_i\sqrt{|\mathbb V_{m^{(i)}}|/
|\mathbb V_{m'^{(i)}}|}`.  The functions :func:`assemble_numeric_any` and
:func:`assemble_exact_any` take either basis and call (PI.4)-(PI.5) for a connected graph.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
import scipy.sparse as sp
import sympy

from .._validate import internal_check
from .pi_generator import (
    add_exact_rows,
    add_shift_entries,
    assemble_exact,
    assemble_numeric,
    check_kind,
    csr_block,
    orthonormal_scale,
    stack_blocks,
)
from .product_basis import ProductPIBasis

__all__ = [
    "assemble_product_numeric",
    "assemble_product_exact",
    "assemble_numeric_any",
    "assemble_exact_any",
    "product_shift_groups",
]


def product_shift_groups(folded: dict) -> dict[tuple, list[tuple[tuple, tuple, Any]]]:
    r"""``{d: [(signature, c_a, T[c_a, c_a + d]), ...]}`` grouped by the shift tuple
    :math:`d = c(b) - c(a)` (one count-vector difference per component)."""
    groups: dict[tuple, list] = defaultdict(list)
    for sig, block in folded.items():
        for (ca, cb), v in block.items():
            d = tuple(
                tuple(int(y) - int(x) for x, y in zip(a, b, strict=True))
                for a, b in zip(ca, cb, strict=True)
            )
            groups[d].append((sig, ca, v))
    return dict(sorted(groups.items()))


def _weights(basis: ProductPIBasis, sig: tuple, ca: tuple, rows=None, exact=False):
    r""":math:`\prod_i\prod_t(m^{(i)}_t)_{c_t(a_i)}/(n_i)_{k_i}` for the coordinates ``rows``
    (all when ``None``): float64, or ``(numerator object array, denominator int)``."""
    counts = basis.counts if rows is None else basis.counts[rows]
    m = counts.astype(object if exact else np.float64)
    num = np.ones(m.shape[0], dtype=object if exact else np.float64)
    den = 1
    for i, (k, c) in enumerate(zip(sig, ca, strict=True)):
        den *= math.perm(len(basis.blocks[i]), int(k))
        for t in range(4):
            for j in range(int(c[t])):
                num = num * (m[:, i, t] - j)
    return (num, den) if exact else num / float(den)


def _size_ratio(basis: ProductPIBasis, rows: np.ndarray, d: tuple) -> np.ndarray:
    r""":math:`|\mathbb V_{\mathbf m}|/|\mathbb V_{\mathbf m+d}| = \prod_{i,t}(m^{(i)}_t +
    d_{it})!/m^{(i)}_t!` (float64, a product of few factors)."""
    mr = basis.counts[rows].astype(np.float64)
    ratio = np.ones(rows.size)
    for i, di in enumerate(d):
        for t in range(4):
            for j in range(1, abs(int(di[t])) + 1):
                if di[t] > 0:
                    ratio *= mr[:, i, t] + j
                else:
                    ratio /= mr[:, i, t] - j + 1
    return ratio


def assemble_product_numeric(
    basis: ProductPIBasis, folded: dict, kind: str = "orthonormal", block_rows: int = 1 << 16
) -> sp.csr_matrix:
    r"""(PP.2) as CSR: ``kind`` ``"orthonormal"`` (:math:`B`), ``"consensus"`` (:math:`C`) or
    ``"real"`` (:math:`R = TBT^{-1}` of (PI.6), on the coordinates of Hermitian operators),
    assembled in blocks of ``block_rows`` rows (one weight vector per shift and block)."""
    check_kind(kind)
    p = basis.p
    adjoint = basis.adjoint
    groups = product_shift_groups(folded)
    blocks = []
    for start in range(0, p, block_rows):
        stop = min(p, start + block_rows)
        out: tuple[list, list, list] = ([], [], [])
        cache: dict[tuple, np.ndarray] = {}
        for d, items in groups.items():
            w = np.zeros(stop - start, dtype=complex)
            for sig, ca, v in items:
                if v != 0:
                    if (sig, ca) not in cache:
                        cache[(sig, ca)] = _weights(basis, sig, ca, rows=slice(start, stop))
                    w += complex(v) * cache[(sig, ca)]
            local = np.flatnonzero(w)
            if local.size == 0:
                continue
            w = w[local]
            rows = start + local
            cols = basis.index(basis.counts[rows] + np.asarray(d, dtype=np.int64)[None, :, :])
            internal_check(not np.any(cols < 0), f"shift {d} left the PI index set")
            if kind != "consensus" and any(any(x) for x in d):
                w = w * np.sqrt(_size_ratio(basis, rows, d))
            add_shift_entries(kind, out, local, cols, w, adjoint)
        blocks.append(csr_block(out, kind, (stop - start, p)))
    return stack_blocks(blocks)


def assemble_product_exact(
    basis: ProductPIBasis, folded: dict, orthonormal: bool = False
) -> sympy.ImmutableMatrix:
    r""":math:`C` (default) or :math:`B` of (PP.2) exactly (SymPy, entries expanded)."""
    p = basis.p
    sizes = basis.exact_sizes
    entries: dict[tuple[int, int], sympy.Expr] = {}
    for d, items in product_shift_groups(folded).items():
        cols = basis.shifted_index(np.asarray(d, dtype=np.int64))
        per_row: dict[int, list] = defaultdict(list)
        for sig, ca, v in items:
            num, den = _weights(basis, sig, ca, exact=True)
            for m in np.flatnonzero(num != 0).tolist():
                per_row[m].append(v * sympy.Rational(int(num[m]), den))
        scale = None
        if orthonormal and any(any(x) for x in d):
            scale = orthonormal_scale(sizes)
        add_exact_rows(entries, per_row, cols, scale)
    entries = {k: e for k, v in entries.items() if (e := sympy.expand(v)) != 0}
    return sympy.ImmutableMatrix(sympy.SparseMatrix(p, p, entries))


def assemble_numeric_any(basis, folded: dict, kind: str = "orthonormal") -> sp.csr_matrix:
    """(PI.4)-(PI.5) for a :class:`~blendsym.section5.pi_basis.PIBasis`, (PP.2) for a
    :class:`~blendsym.section5.product_basis.ProductPIBasis`."""
    if isinstance(basis, ProductPIBasis):
        return assemble_product_numeric(basis, folded, kind=kind)
    return assemble_numeric(basis, folded, kind=kind)


def assemble_exact_any(basis, folded: dict, orthonormal: bool = False) -> sympy.ImmutableMatrix:
    """The exact :math:`C` or :math:`B` in either basis (no size limit: callers check it)."""
    if isinstance(basis, ProductPIBasis):
        return assemble_product_exact(basis, folded, orthonormal=orthonormal)
    return assemble_exact(basis, folded, orthonormal=orthonormal, max_p=None)
