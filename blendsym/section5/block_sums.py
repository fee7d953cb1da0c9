r"""Exact block sums of the local generator :math:`A_d` over the components of :math:`G_d`.

For each pair of components :math:`(m, m')` the sum of the entries of :math:`A_d` in the block
:math:`\mathbb V_m\times\mathbb V_{m'}`, computed from the Pauli strings of :math:`H` and of
the jump operators (each Pauli superoperator is a signed permutation of the basis pairs), so
that the exact :math:`P_d^\top A_dP_d` of Definition 2 never builds the :math:`4^n\times4^n`
Liouvillian (used by :class:`~blendsym.section5.coherent.BlendedCoherent`).
"""

from __future__ import annotations

import numpy as np
import sympy

from ..errors import InternalError
from ..model.network import QuantumNetwork

__all__ = ["local_block_sums"]


def _pauli_values(key, n: int) -> tuple[np.ndarray, int]:
    r"""A Pauli string as ``(v, x)``: :math:`P|c\rangle = v_c|c\oplus x\rangle` for every basis
    index :math:`c` (:math:`v_c = i^{\#Y}(-1)^{|c\wedge z|}`, see
    :meth:`~blendsym.model.operators.SiteOperator.to_matrix`)."""
    x = z = ny = 0
    for site, pauli in key:
        bit = 1 << (n - site)
        if pauli in ("X", "Y"):
            x |= bit
        if pauli in ("Z", "Y"):
            z |= bit
        ny += pauli == "Y"
    c = np.arange(2**n)
    parity = np.zeros(c.size, dtype=np.int64)
    masked = c & z
    while masked.any():
        parity ^= masked & 1
        masked >>= 1
    return (1j**ny) * (1 - 2 * parity), x


class _BlockAccumulator:
    r"""Exact block sums :math:`\sum_t c_t\,E^\top M_tE` of superoperators :math:`M_t` whose
    entries are Gaussian integers (Kronecker products of Pauli strings), grouped by the exact
    coefficient :math:`c_t`: the integer parts are summed with NumPy (exact: integers below
    :math:`2^{53}`), SymPy only combines one integer per coefficient and block."""

    def __init__(self, labels: np.ndarray, n: int, p: int):
        self.d = 2**n
        self.n = n
        self.p = p
        self.lab = labels.reshape(self.d, self.d)  # lab[a, b]: component of |a><b|
        self.parts: dict[sympy.Expr, list] = {}

    def _add(self, coeff, rows_a, rows_b, vals) -> None:
        """Add ``coeff`` times the matrix with entries ``vals[c, d]`` at row ``(rows_a[c, d],
        rows_b[c, d])`` and column ``(c, d)``."""
        coeff = sympy.expand(coeff)
        if coeff == 0:
            return
        cols = self.lab  # column (c, d)
        rows = self.lab[rows_a, rows_b]
        flat = (rows * self.p + cols).ravel()
        self.parts.setdefault(coeff, []).append((flat, np.broadcast_to(vals, cols.shape).ravel()))

    def left(self, coeff, key) -> None:
        r""":math:`c\,(P\otimes I)`: :math:`|c\rangle\langle d| \mapsto v_c|c\oplus x\rangle\langle d|`."""
        v, x = _pauli_values(key, self.n)
        c = np.arange(self.d)
        self._add(coeff, (c ^ x)[:, None], c[None, :], v[:, None])

    def right(self, coeff, key) -> None:
        r""":math:`c\,(I\otimes P^\top)`: :math:`[I\otimes P^\top]_{(a,b),(c,d)} = \delta_{ac}P_{db}`,
        non-zero for :math:`b = d\oplus x` with value :math:`v_b`."""
        v, x = _pauli_values(key, self.n)
        c = np.arange(self.d)
        self._add(coeff, c[:, None], (c ^ x)[None, :], v[c ^ x][None, :])

    def both(self, coeff, key_l, key_r) -> None:
        r""":math:`c\,(P\otimes\bar Q)`: :math:`|c\rangle\langle d| \mapsto
        v_c\bar w_d|c\oplus x\rangle\langle d\oplus y|`."""
        v, x = _pauli_values(key_l, self.n)
        w, y = _pauli_values(key_r, self.n)
        c = np.arange(self.d)
        self._add(coeff, (c ^ x)[:, None], (c ^ y)[None, :], v[:, None] * np.conj(w)[None, :])

    def sums(self) -> dict[tuple[int, int], sympy.Expr]:
        terms: dict[int, list] = {}
        for coeff, chunks in self.parts.items():
            flat = np.concatenate([f for f, _ in chunks])
            vals = np.concatenate([v for _, v in chunks])
            keys, inv = np.unique(flat, return_inverse=True)
            re = np.bincount(inv, weights=vals.real, minlength=keys.size)
            im = np.bincount(inv, weights=vals.imag, minlength=keys.size)
            re_i, im_i = np.rint(re).astype(np.int64), np.rint(im).astype(np.int64)
            if np.abs(re - re_i).max(initial=0) > 1e-6 or np.abs(im - im_i).max(initial=0) > 1e-6:
                raise InternalError("block sums of Pauli superoperators are not integers")
            for key, a, b in zip(keys.tolist(), re_i.tolist(), im_i.tolist(), strict=True):
                if a or b:
                    terms.setdefault(key, []).append(coeff * (a + b * sympy.I))
        out = {}
        for key in sorted(terms):
            s = sympy.expand(sympy.Add(*terms[key]))
            if s != 0:
                out[divmod(key, self.p)] = s
        return out


def local_block_sums(net: QuantumNetwork, labels: np.ndarray, p: int) -> dict:
    r"""The block sums :math:`S_{mk} = \sum_{u\in\mathbb V_m, v\in\mathbb V_k}[A_d]_{uv}` of the
    local generator :math:`A_d` of eq. (4) (row stacking), exactly and without building it.

    With :math:`H = \sum_sh_sP_s` and :math:`L_l = \sum_sa_{ls}P_s` (Pauli strings),

    .. math::  A_d = -\tfrac i\hbar\sum_sh_s(P_s\otimes I - I\otimes P_s^\top)
               + \sum_l\gamma_l\Big(\sum_{s,t}a_{ls}\bar a_{lt}\,P_s\otimes\bar P_t
               - \tfrac12\sum_u c_{lu}(P_u\otimes I + I\otimes P_u^\top)\Big),

    :math:`L_l^\dagger L_l = \sum_uc_{lu}P_u`; each Kronecker product of Pauli strings is a
    signed permutation with :math:`4^n` non-zeros, so :math:`E^\top ME` is a ``bincount``.
    ``labels[u]`` is the component of node :math:`u`; only non-zero sums are returned, each
    in SymPy's expanded form (the form the block sums of the exact :math:`A_d` have).
    """
    acc = _BlockAccumulator(np.asarray(labels), net.n, p)
    ih = -sympy.I / sympy.sympify(net.hbar)
    for key, h in net.hamiltonian.terms.items():
        if key:
            acc.left(ih * h, key)
            acc.right(-ih * h, key)
    for g, l_op in net.jumps:
        terms = l_op.terms
        for ks, a in terms.items():
            for kt, b in terms.items():
                acc.both(g * a * sympy.conjugate(b), ks, kt)
        for ku, c in (l_op.dag() * l_op).terms.items():
            acc.left(-g * c / 2, ku)
            acc.right(-g * c / 2, ku)
    return acc.sums()
