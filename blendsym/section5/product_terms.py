r"""The local content of a model on a disconnected graph: terms of :math:`A_d` by component.

For a connected graph a term's contribution to Definition 2 depends only on its *content*
(:mod:`blendsym.section5.pi_terms`).  For the group :math:`S_{C_1}\times\cdots\times S_{C_r}`
it depends on the content *inside each component*: the sorted letters (eq. (T.1)) or letter
pairs (eq. (T.2)) of the sites of the term that lie in :math:`C_i`, for every :math:`i`
(:class:`ProductContent`).  A term on two sites of different components, e.g.
:math:`\sigma_x^{(1)}\sigma_z^{(4)}` with :math:`1\in C_1`, :math:`4\in C_2`, is not equivalent to
:math:`\sigma_x^{(1)}\sigma_z^{(2)}` with both sites in :math:`C_1`.

Folding
-------
Every part of (T.1)-(T.2) is a Kronecker product over the sites of the term, e.g.
:math:`-\frac i\hbar\bigotimes_s(\sigma_{x_s}\otimes I)`.  Grouping the sites by component, its
folded form over per-component type counts factorises:

.. math::  T\big[(c_a^{(i)})_i, (c_b^{(i)})_i\big] = \sum_{\text{parts}}\kappa\prod_i
           F_i\big[c_a^{(i)}, c_b^{(i)}\big],                                           \tag{PT.1}

:math:`F_i` the folded Kronecker product of the part's per-site matrices on the sites in
:math:`C_i` (:math:`F_i[0, 0] = 1` when the term has none there), because the type counts of a
row index :math:`a` in :math:`C_i` only depend on the letters of :math:`a` at those sites.  The
entries are dyadic Gaussian rationals, exact in floating point, as for one component.

The :math:`O(N^2)` pairs of a jump with :math:`N` strings are handled as in
:mod:`~blendsym.section5.pi_terms`, with the *shape* of a string now the tuple of its sorted
letters per component: for disjoint supports the content of :math:`(P, Q)` depends only on
the shapes of :math:`P` and :math:`Q`; overlapping pairs are moved to their true content.
A disjoint content with more sites in :math:`C_i` than :math:`n_i` cannot occur; its
coefficient is exactly zero after the corrections and it is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
import sympy

from ..model.network import QuantumNetwork
from .pi_terms import LocalModel, add_dissipator

__all__ = ["ProductContent", "ProductLocalModel", "product_local_model", "fold_product"]

_PAULI = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}
_I2 = np.eye(2, dtype=complex)


@dataclass(frozen=True)
class ProductContent:
    r"""One class of local terms of :math:`A_d` under :math:`S_{C_1}\times\cdots\times S_{C_r}`.

    ``kind`` is ``"H"`` (``groups[i]``: the sorted Pauli letters of the string on the sites
    in :math:`C_i`) or ``"D"`` (``groups[i]``: sorted letter pairs ``(x, y)`` of eq. (T.2)).
    """

    kind: str
    groups: tuple

    @property
    def k(self) -> int:
        return sum(len(g) for g in self.groups)

    @property
    def signature(self) -> tuple[int, ...]:
        """The number of sites of the term in each component."""
        return tuple(len(g) for g in self.groups)

    @property
    def letters(self) -> tuple:
        return self.groups


def _site_matrix(tag: str, letter) -> np.ndarray:
    if tag == "HL":
        return np.kron(_PAULI[letter], _I2)
    if tag == "HR":
        return np.kron(_I2, _PAULI[letter].T)
    x, y = letter
    if tag == "DB":
        return np.kron(_PAULI[x], _PAULI[y].T)
    prod = _PAULI[y] @ _PAULI[x]
    return np.kron(prod, _I2) if tag == "DL" else np.kron(_I2, prod.T)


@lru_cache(maxsize=4096)
def _fold_group(tag: str, letters: tuple) -> tuple[tuple[tuple, tuple, complex], ...]:
    r"""``(c_a, c_b, value)`` of the Kronecker product of the per-site matrices of one part on
    the sites of one component, folded over type counts (:math:`F_i` of (PT.1))."""
    k = len(letters)
    if k == 0:
        return (((0, 0, 0, 0), (0, 0, 0, 0), 1 + 0j),)
    acc = sp.csr_matrix(_site_matrix(tag, letters[0]))
    for x in letters[1:]:
        acc = sp.kron(acc, sp.csr_matrix(_site_matrix(tag, x)), format="csr")
    coo = sp.coo_matrix(acc)
    keep = coo.data != 0
    powers = 4 ** np.arange(k - 1, -1, -1, dtype=np.int64)

    def counts(idx: np.ndarray) -> np.ndarray:
        digits = (idx[:, None] // powers[None, :]) % 4
        return np.stack([(digits == t).sum(axis=1) for t in range(4)], axis=1)

    ca = counts(coo.row[keep].astype(np.int64))
    cb = counts(coo.col[keep].astype(np.int64))
    out: dict[tuple, complex] = defaultdict(complex)
    for a, b, v in zip(ca.tolist(), cb.tolist(), coo.data[keep].tolist(), strict=True):
        out[(tuple(a), tuple(b))] += v
    return tuple((a, b, v) for (a, b), v in sorted(out.items()) if v != 0)


@lru_cache(maxsize=4096)
def fold_product(content: ProductContent) -> tuple[tuple[tuple, tuple, complex], ...]:
    r"""The folded superoperator (PT.1) of a content with unit coefficient: entries
    ``(c_a, c_b, value)`` with ``c_a``, ``c_b`` tuples of one count vector per component."""
    if content.kind == "H":
        parts = [(-1j, "HL"), (1j, "HR")]
    else:
        parts = [(1.0, "DB"), (-0.5, "DL"), (-0.5, "DR")]
    total: dict[tuple, complex] = defaultdict(complex)
    for coef, tag in parts:
        acc: dict[tuple, complex] = {((), ()): complex(coef)}
        for letters in content.groups:
            folded = _fold_group(tag, tuple(letters))
            nxt: dict[tuple, complex] = {}
            for (ka, kb), v in acc.items():
                for a, b, w in folded:
                    nxt[(ka + (a,), kb + (b,))] = v * w
            acc = nxt
        for key, v in acc.items():
            total[key] += v
    return tuple((a, b, v) for (a, b), v in sorted(total.items()) if v != 0)


class ProductLocalModel(LocalModel):
    r"""The contents of :math:`A_d` by component (module docstring).  ``folded()`` returns
    ``{signature: {(c_a, c_b): T}}``, the signature being the number of sites per component."""

    def __init__(self, n: int, blocks: tuple[tuple[int, ...], ...]):
        super().__init__(n)
        self.blocks = blocks

    def _label(self, content) -> object:
        return content.groups

    def _sort_key(self, content) -> tuple:
        return (content.k, content.kind, repr(content.groups))

    def _block(self, content) -> object:
        return content.signature

    def _impossible(self, content) -> bool:
        # disjoint pairs that cannot be disjoint within the components: coefficient exactly 0
        sizes = [len(b) for b in self.blocks]
        return any(k > s for k, s in zip(content.signature, sizes, strict=True))

    def _fold(self, content) -> tuple:
        return fold_product(content)


def _groups(key, comp: dict[int, int], r: int, fill=None) -> tuple:
    groups: list[list] = [[] for _ in range(r)]
    for s, x in key:
        groups[comp[s]].append(x if fill is None else fill(x))
    return tuple(tuple(sorted(g)) for g in groups)


def _disjoint(a: tuple, b: tuple) -> ProductContent:
    return ProductContent(
        "D",
        tuple(
            tuple(sorted([(x, "I") for x in ga] + [("I", y) for y in gb]))
            for ga, gb in zip(a, b, strict=True)
        ),
    )


def _pair(kp, kq, comp: dict[int, int], r: int) -> ProductContent:
    dp, dq = dict(kp), dict(kq)
    key = [(s, (dp.get(s, "I"), dq.get(s, "I"))) for s in sorted(set(dp) | set(dq))]
    return ProductContent("D", _groups(key, comp, r))


def product_local_model(net: QuantumNetwork, blocks) -> ProductLocalModel:
    r"""The contents of the network's :math:`A_d` for the components ``blocks`` of its graph
    (the SWAP part :math:`-K_cQ_d` vanishes on the PI coordinates)."""
    blocks = tuple(tuple(b) for b in blocks)
    r = len(blocks)
    comp = {s: i for i, b in enumerate(blocks) for s in b}
    model = ProductLocalModel(net.n, blocks)
    hbar = sympy.sympify(net.hbar)
    for key, c in net.hamiltonian.terms.items():
        if key:
            model.add(ProductContent("H", _groups(key, comp, r)), c / hbar)
    for gamma, l_op in net.jumps:
        add_dissipator(
            model,
            gamma,
            list(l_op.terms.items()),
            shape=lambda key: _groups(key, comp, r),
            disjoint=_disjoint,
            pair=lambda kp, kq: _pair(kp, kq, comp, r),
        )
    return model
