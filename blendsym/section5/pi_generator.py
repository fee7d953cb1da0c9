r"""Definition 2's generator assembled in the PI coordinates, with no :math:`4^n`-size object.

The block-average formula
-------------------------
Let :math:`E\in\{0,1\}^{4^n\times p}` be the component indicator, :math:`D = E^\top E =
\mathrm{diag}|\mathbb V_m|`, so :math:`P_d = ED^{-1/2}` and

.. math::  C := D^{-1}E^\top A_dE,\qquad B = P_d^\top A_dP_d = D^{1/2}CD^{-1/2},

:math:`C[m, m'] = |\mathbb V_m|^{-1}\sum_{w\in\mathbb V_m}\sum_{w'\in\mathbb V_{m'}}[A_d]_{ww'}`
(the consensus generator of :class:`~blendsym.section5.coherent.BlendedCoherent`).  Let a term
of :math:`A_d` act on the ordered sites :math:`S = (s_1,\dots,s_k)` by the
:math:`4^k\times4^k` matrix :math:`\tau` (:mod:`blendsym.section5.pi_terms`):
:math:`[A_d]_{ww'} = \tau[w_S, w'_S]` if :math:`w, w'` agree off :math:`S`, else 0.

**Proposition.**  The term contributes

.. math::  C[m,\ m - c(a) + c(b)] \mathrel{+}= \tau[a, b]\,
           \frac{\prod_t (m_t)_{c_t(a)}}{(n)_k}\qquad\text{for all } a, b\in\{00,01,10,11\}^k,
           \tag{PI.3}

with :math:`c(a)\in\mathbb N^4` the type counts of :math:`a` and :math:`(x)_j` the falling
factorial; the contribution depends on neither the sites :math:`S` nor their order.

*Proof.*  Fix :math:`w\in\mathbb V_m` and put :math:`a = w_S`.  The :math:`w'` with
:math:`[A_d]_{ww'}\ne0` are :math:`w'` equal to :math:`w` off :math:`S` with :math:`w'_S = b`;
such a :math:`w'` has counts :math:`m - c(a) + c(b)`, so
:math:`\sum_{w'\in\mathbb V_{m'}}[A_d]_{ww'} = \sum_{b:\,c(b) = m' - m + c(a)}\tau[a,b]`.  Averaging
over :math:`w\in\mathbb V_m`: the restriction :math:`w_S` of a uniformly random word with counts
:math:`m` to :math:`k` fixed distinct sites is an ordered sample without replacement from an urn
with :math:`m_t` balls of colour :math:`t`, so :math:`\Pr(w_S = a) = \prod_t(m_t)_{c_t(a)}/(n)_k`
(PI.2), whatever :math:`S` is.  Hence :math:`C[m, m'] = \sum_{a,b:\,c(b)-c(a) = m'-m}
\tau[a,b]\Pr(w_S = a)`.  Permuting the sites of :math:`S` permutes the letters of :math:`a, b`
simultaneously and leaves :math:`c(a), c(b)` unchanged.  :math:`\square`

Where :math:`\Pr(w_S = a) > 0`, :math:`m\ge c(a)` componentwise, so
:math:`m - c(a) + c(b)` is a count vector: (PI.3) never leaves the index set.  Only the folded
block :math:`T_k[c_a, c_b] = \sum_{c(a) = c_a,\,c(b) = c_b}\tau[a,b]` matters, summed over all
terms with :math:`k` sites, so

.. math::  C = \sum_k\frac{1}{(n)_k}\sum_{c_a, c_b}T_k[c_a, c_b]\,
           \mathrm{diag}\Big(\prod_t(m_t)_{c_{a,t}}\Big)\,\Sigma_{c_b - c_a},          \tag{PI.4}

:math:`\Sigma_d` the shift :math:`m\mapsto m + d`.  A row has at most one entry per shift
:math:`d = c_b - c_a` (55 shifts for :math:`k\le2`), and

.. math::  B[m, m'] = C[m, m']\sqrt{|\mathbb V_m|/|\mathbb V_{m'}|},\qquad
           \frac{|\mathbb V_m|}{|\mathbb V_{m+d}|} = \prod_t\frac{(m_t + d_t)!}{m_t!}.   \tag{PI.5}

``tests/test_pi_generator.py`` compares (PI.4)–(PI.5) with today's :math:`4^n` construction:
exactly for :math:`n\le5`, to :math:`10^{-12}` for :math:`n\le8`, on the paper's examples and
on random :math:`k`-local models (:math:`k\le3`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
import scipy.sparse as sp
import sympy

from .._validate import internal_check
from ..errors import InvalidArgumentError, NotComputableError
from .pi_basis import PIBasis

__all__ = ["assemble_numeric", "assemble_exact", "shift_groups", "EXACT_MAX_P"]

#: Largest p assembled exactly by default (n <= 8: p = 165; n = 9: 220; n = 10: 286).
EXACT_MAX_P = 300


def shift_groups(folded: dict) -> dict[tuple, list[tuple[int, tuple, Any]]]:
    r"""``{d: [(k, c_a, T_k[c_a, c_a + d]), ...]}``: the folded blocks grouped by the shift
    :math:`d = c_b - c_a` of (PI.4)."""
    groups: dict[tuple, list] = defaultdict(list)
    for k, block in folded.items():
        for (ca, cb), v in block.items():
            d = tuple(int(y) - int(x) for x, y in zip(ca, cb, strict=True))
            groups[d].append((k, ca, v))
    return dict(sorted(groups.items()))


_KINDS = ("orthonormal", "consensus", "real")


def check_kind(kind: str) -> None:
    """``kind`` of a numeric assembly: one of :data:`_KINDS`."""
    if kind not in _KINDS:
        raise InvalidArgumentError(
            f"kind must be 'orthonormal', 'consensus' or 'real': found {kind!r}"
        )


def add_shift_entries(kind: str, out: tuple[list, list, list], rows, cols, w, adjoint) -> None:
    r"""Append the entries ``w`` at ``(rows, cols)`` of one shift to ``out = (rows, cols,
    values)``; for ``kind == "real"`` as :math:`\mathrm{Re}\,w` at ``cols`` and
    :math:`\mathrm{Im}\,w` at ``adjoint[cols]`` (eq. (PI.6))."""
    rows_all, cols_all, vals_all = out
    if kind == "real":
        rows_all += [rows, rows]
        cols_all += [cols, adjoint[cols]]
        vals_all += [w.real, w.imag]
    else:
        rows_all.append(rows)
        cols_all.append(cols)
        vals_all.append(w)


def csr_block(out: tuple[list, list, list], kind: str, shape: tuple[int, int]) -> sp.csr_matrix:
    """One block of rows from the entries collected by :func:`add_shift_entries`."""
    rows_all, cols_all, vals_all = out
    dtype = np.float64 if kind == "real" else complex
    if rows_all:
        r = np.concatenate(rows_all)
        c = np.concatenate(cols_all)
        v = np.concatenate(vals_all).astype(dtype)
    else:
        r = c = np.zeros(0, dtype=np.int64)
        v = np.zeros(0, dtype=dtype)
    blk = sp.coo_matrix((v, (r, c)), shape=shape).tocsr()
    blk.sum_duplicates()
    blk.eliminate_zeros()
    return blk


def stack_blocks(blocks: list) -> sp.csr_matrix:
    """The blocks of rows one under the other, indices sorted."""
    out = blocks[0] if len(blocks) == 1 else sp.vstack(blocks, format="csr")
    out.sort_indices()
    return out


def add_exact_rows(entries: dict, per_row: dict, cols, scale=None) -> None:
    """Add the exact entries ``sum(per_row[m])`` at ``(m, cols[m])`` to ``entries``, each
    multiplied by ``scale(m, col)`` if given (entries expanded, zeros dropped)."""
    for m, terms in per_row.items():
        col = int(cols[m])
        val = sympy.Add(*terms)
        if scale is not None:
            val = val * scale(m, col)
        val = sympy.expand(val)
        if val != 0:
            entries[(m, col)] = entries.get((m, col), 0) + val


def orthonormal_scale(sizes):
    r"""``(m, m') -> \sqrt{|\mathbb V_m|/|\mathbb V_{m'}|}``: the factor taking an entry of
    :math:`C` to the same entry of :math:`B` (exact)."""

    def scale(m: int, col: int):
        return sympy.sqrt(sympy.Rational(sizes[m], sizes[col]))

    return scale


def _falling_int(n: int, k: int) -> int:
    return math.perm(n, k)


def assemble_numeric(
    basis: PIBasis, folded: dict, kind: str = "orthonormal", block_rows: int = 1 << 17
) -> sp.csr_matrix:
    r"""The generator of (PI.4)–(PI.5) as a CSR matrix, assembled in blocks of rows.

    ``kind``: ``"orthonormal"`` (:math:`B`, complex128), ``"consensus"`` (:math:`C`,
    complex128) or ``"real"``: the real form :math:`R = TBT^{-1}` of :math:`B` on the
    coordinates of *Hermitian* operators (float64, eq. (PI.6) of
    :mod:`blendsym.section5.pi_dynamics`): an entry :math:`w = B[m, m']` gives
    :math:`R[m, m'] \mathrel{+}= \mathrm{Re}\,w` and :math:`R[m, s(m')] \mathrel{+}=
    \mathrm{Im}\,w`, :math:`s` the adjoint orbit map.

    Each row holds at most one entry per shift :math:`d`, so a block of rows costs one
    weight vector per shift; indices are int32 while the number of non-zeros allows it.
    """
    check_kind(kind)
    p = basis.p
    groups = shift_groups(folded)
    nks = {k: float(_falling_int(basis.n, k)) for k in folded}
    counts = basis.counts
    adjoint = basis.adjoint
    blocks = []
    for start in range(0, p, block_rows):
        stop = min(p, start + block_rows)
        mb = counts[start:stop].astype(np.float64)
        fall: dict[tuple, np.ndarray] = {}
        out: tuple[list, list, list] = ([], [], [])
        for d, items in groups.items():
            w = np.zeros(stop - start, dtype=complex)
            for k, ca, v in items:
                if v == 0:
                    continue
                if ca not in fall:
                    f = np.ones(stop - start)
                    for t in range(4):
                        for i in range(int(ca[t])):
                            f = f * (mb[:, t] - i)
                    fall[ca] = f / nks[k]
                w += complex(v) * fall[ca]
            rows = np.flatnonzero(w)
            if rows.size == 0:
                continue
            w = w[rows]
            target = counts[start + rows] + np.asarray(d, dtype=np.int64)[None, :]
            cols = basis.index(target)
            internal_check(not np.any(cols < 0), f"shift {d} left the PI index set")
            if kind != "consensus" and any(d):
                ratio = np.ones(rows.size)
                mr = mb[rows]
                for t in range(4):
                    for i in range(1, abs(int(d[t])) + 1):
                        if d[t] > 0:
                            ratio *= mr[:, t] + i
                        else:
                            ratio /= mr[:, t] - i + 1
                w = w * np.sqrt(ratio)
            add_shift_entries(kind, out, rows, cols, w, adjoint)
        blocks.append(csr_block(out, kind, (stop - start, p)))
    return stack_blocks(blocks)


def assemble_exact(
    basis: PIBasis, folded: dict, orthonormal: bool = False, max_p: int | None = EXACT_MAX_P
) -> sympy.ImmutableMatrix:
    r""":math:`C` (default) or :math:`B` of (PI.4)–(PI.5) exactly (SymPy; entries expanded).

    The weights :math:`\prod_t(m_t)_{c_t}/(n)_k` are exact rationals and the folded blocks exact
    (:mod:`blendsym.section5.pi_terms`), so the entries lie in the field of the model's
    coefficients (and, for :math:`B`, its extension by :math:`\sqrt{|\mathbb V_m|/|\mathbb
    V_{m'}|}`).  Refused above ``max_p`` coordinates (``None``: no limit).
    """
    p = basis.p
    if max_p is not None and p > max_p:
        raise NotComputableError(
            f"exact PI assembly is limited to p <= {max_p} coordinates (n <= 10): found "
            f"p = {p} for n = {basis.n}; use the numeric generator"
        )
    counts = basis.counts.astype(object)
    entries: dict[tuple[int, int], sympy.Expr] = {}
    sizes = basis.exact_sizes
    for d, items in shift_groups(folded).items():
        cols = basis.shifted_index(d)
        terms_per_row: dict[int, list] = defaultdict(list)
        for k, ca, v in items:
            nk = _falling_int(basis.n, k)
            f = np.ones(p, dtype=object)
            for t in range(4):
                for i in range(int(ca[t])):
                    f = f * (counts[:, t] - i)
            for m in np.flatnonzero(f != 0).tolist():
                terms_per_row[m].append(v * sympy.Rational(int(f[m]), nk))
        scale = None
        if orthonormal and any(d):
            scale = orthonormal_scale(sizes)
        add_exact_rows(entries, terms_per_row, cols, scale)
    entries = {k: e for k, v in entries.items() if (e := sympy.expand(v)) != 0}
    return sympy.ImmutableMatrix(sympy.SparseMatrix(p, p, entries))
