r"""The local content of a model: :math:`A_d` as a sum of few-site superoperator terms.

Terms of :math:`A_d`
--------------------
With row stacking, :math:`X\mapsto AXB` is :math:`A\otimes B^\top`, and on one site, in the
doubled index :math:`t = 2q + q'` of :math:`|q\rangle\langle q'|`
(:mod:`blendsym.section5.pi_basis`), left and right multiplication by :math:`\sigma` are the
:math:`4\times4` matrices :math:`\sigma\otimes I_2` and :math:`I_2\otimes\sigma^\top`.  A
superoperator built from operators on an ordered set :math:`S` of :math:`k` sites is, in the
site-interleaved doubled basis of :math:`S`, the Kronecker product of these per-site matrices.

*Hamiltonian.*  :math:`H = \sum_P c_PP` over Pauli strings (:class:`SiteOperator`); each string
acting on the sites :math:`S` with letters :math:`(x_s)_{s\in S}` contributes

.. math::  -\frac{i}{\hbar}c_P\Big(\bigotimes_{s\in S}(\sigma_{x_s}\otimes I)
           - \bigotimes_{s\in S}(I\otimes\sigma_{x_s}^\top)\Big).                \tag{T.1}

*Dissipators.*  For :math:`L = \sum_Pc_PP` (Pauli strings are Hermitian),

.. math::  \mathcal D(L)X = \sum_{P,Q}c_P\bar c_Q\Big(PXQ - \tfrac12QPX - \tfrac12XQP\Big),

and the pair :math:`(P, Q)` acts on :math:`S = \mathrm{supp}P\cup\mathrm{supp}Q` with a letter
pair :math:`(x_s, y_s)` per site (``"I"`` where one of them is absent); as
:math:`QP = \bigotimes_s\sigma_{y_s}\sigma_{x_s}`, its superoperator is

.. math::  \gamma c_P\bar c_Q\Big(\bigotimes_s(\sigma_{x_s}\otimes\sigma_{y_s}^\top)
           - \tfrac12\bigotimes_s(\sigma_{y_s}\sigma_{x_s}\otimes I)
           - \tfrac12\bigotimes_s(I\otimes(\sigma_{y_s}\sigma_{x_s})^\top)\Big). \tag{T.2}

A collective jump :math:`\sum_jc_jL^{(j)}` therefore gives the two-site terms
:math:`L^{(j)}\rho L^{(k)\dagger}` (:math:`j\ne k`) and one-site terms.

Contents
--------
By (PI.3) of :mod:`blendsym.section5.pi_generator` a term's contribution to Definition 2 does
not depend on *which* sites it acts on, nor on their order: only on its *content*, the sorted
tuple of letters (T.1) or of letter pairs (T.2).  Terms of equal content are added before
assembly, so a model with :math:`O(n^2)` pair terms costs one block per distinct content.

The :math:`O(N^2)` pairs :math:`(P, Q)` of a jump with :math:`N` Pauli terms are not
enumerated: for disjoint supports the content of :math:`(P, Q)` depends only on the *shapes*
(sorted letters) :math:`A, B` of :math:`P, Q`, so their total coefficient is
:math:`\gamma\,s_A\bar s_B` with :math:`s_A = \sum_{P\text{ of shape }A}c_P`; the pairs with
overlapping supports (few for local terms: :math:`9n` for a collective single-site jump) are
then moved from the disjoint content to their true one.

Folding
-------
Only the type *counts* :math:`c(a), c(b)` of the row and column indices :math:`a, b\in
\{00,01,10,11\}^k` of a term :math:`\tau` enter (PI.3), so each content is stored folded,
:math:`T[c_a, c_b] = \sum_{c(a) = c_a,\,c(b) = c_b}\tau[a, b]`.  The per-site matrices have entries
in :math:`\{0,\pm1,\pm i\}` and the weights :math:`1, \tfrac12`, so the folded entries are dyadic
Gaussian rationals, computed exactly in floating point (and converted exactly to SymPy).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
import sympy

from ..errors import NotComputableError
from ..model.network import QuantumNetwork

__all__ = ["Content", "LocalModel", "local_model", "MAX_PI_LOCALITY", "fold_structure"]

#: Largest number of sites a single term (Pauli string or pair of jump strings) may act on.
MAX_PI_LOCALITY = 8

_PAULI = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}
_I2 = np.eye(2, dtype=complex)


def _left(m: np.ndarray) -> np.ndarray:
    return np.kron(m, _I2)


def _right(m: np.ndarray) -> np.ndarray:
    return np.kron(_I2, m.T)


@dataclass(frozen=True)
class Content:
    r"""One permutation class of local terms of :math:`A_d`.

    ``kind`` is ``"H"`` (letters: sorted Pauli letters of a string, eq. (T.1), coefficient
    :math:`\sum c_P/\hbar`) or ``"D"`` (letters: sorted pairs ``(x, y)`` of eq. (T.2),
    coefficient :math:`\sum\gamma c_P\bar c_Q`).  ``k`` is the number of sites.
    """

    kind: str
    letters: tuple

    @property
    def k(self) -> int:
        return len(self.letters)


@lru_cache(maxsize=4096)
def fold_structure(content: Content) -> tuple[tuple[tuple, tuple, complex], ...]:
    r"""The folded superoperator of a content with unit coefficient: entries
    ``(c_a, c_b, value)`` of :math:`T[c_a, c_b]` (eq. (T.1) or (T.2), the :math:`-i` of (T.1)
    included), exact dyadic Gaussian rationals."""
    k = content.k
    if content.kind == "H":
        lefts = [_left(_PAULI[x]) for x in content.letters]
        rights = [_right(_PAULI[x]) for x in content.letters]
        parts = [(-1j, lefts), (1j, rights)]
    else:
        prods = [_PAULI[y] @ _PAULI[x] for x, y in content.letters]
        parts = [
            (1.0, [np.kron(_PAULI[x], _PAULI[y].T) for x, y in content.letters]),
            (-0.5, [_left(m) for m in prods]),
            (-0.5, [_right(m) for m in prods]),
        ]
    total = None
    for coef, mats in parts:
        acc = sp.csr_matrix(mats[0])
        for m in mats[1:]:
            acc = sp.kron(acc, sp.csr_matrix(m), format="csr")
        acc = coef * acc
        total = acc if total is None else total + acc
    coo = sp.coo_matrix(total)
    keep = coo.data != 0
    rows, cols, vals = coo.row[keep], coo.col[keep], coo.data[keep]
    radix = k + 1
    powers = 4 ** np.arange(k - 1, -1, -1, dtype=np.int64)

    def codes(idx: np.ndarray) -> np.ndarray:
        digits = (idx[:, None] // powers[None, :]) % 4
        code = np.zeros(idx.size, dtype=np.int64)
        for t in range(4):
            code = code * radix + (digits == t).sum(axis=1)
        return code

    key = codes(rows.astype(np.int64)) * radix**4 + codes(cols.astype(np.int64))
    uniq, inv = np.unique(key, return_inverse=True)
    re = np.bincount(inv, weights=vals.real, minlength=uniq.size)
    im = np.bincount(inv, weights=vals.imag, minlength=uniq.size)

    def decode(code: int) -> tuple:
        out = []
        for _ in range(4):
            out.append(code % radix)
            code //= radix
        return tuple(reversed(out))

    out = []
    for u, r, i in zip(uniq.tolist(), re.tolist(), im.tolist(), strict=True):
        if r == 0 and i == 0:
            continue
        out.append((decode(u // radix**4), decode(u % radix**4), complex(r, i)))
    return tuple(out)


def _dyadic_to_sympy(z: complex) -> sympy.Expr:
    return sympy.Rational(z.real) + sympy.I * sympy.Rational(z.imag)


@dataclass
class LocalModel:
    r"""The contents of :math:`A_d` with their total coefficients (module docstring).

    ``coefficients[content]`` is a list of SymPy terms whose sum is the coefficient (summed
    once, by :meth:`coefficient`).
    """

    n: int
    coefficients: dict = field(default_factory=dict)

    def add(self, content, term) -> None:
        if content.k == 0:
            return
        if content.k > MAX_PI_LOCALITY:
            raise NotComputableError(
                f"a term of the model acts on {content.k} sites: the PI generator handles terms "
                f"on at most {MAX_PI_LOCALITY} sites (content {content.kind} {self._label(content)})"
            )
        self.coefficients.setdefault(content, []).append(term)

    # The hooks below are what a basis of other invariants changes (``ProductLocalModel``):
    # how a content is named and ordered, which block of ``folded()`` it goes to, when it
    # cannot occur on the model's sites, and its folded structure.
    def _label(self, content) -> object:
        return content.letters

    def _sort_key(self, content) -> tuple:
        return (content.k, content.kind, content.letters)

    def _block(self, content) -> object:
        return content.k

    def _impossible(self, content) -> bool:
        # a pair of jump strings assumed disjoint that cannot be disjoint on n sites: its
        # coefficient is exactly zero (the overlapping pairs were moved away)
        return content.k > self.n

    def _fold(self, content) -> tuple:
        return fold_structure(content)

    @property
    def contents(self) -> list:
        return sorted(self.coefficients, key=self._sort_key)

    def coefficient(self, content: Content, exact: bool = True):
        """The total coefficient: a SymPy expression, or a complex number if not ``exact``."""
        terms = self.coefficients[content]
        if exact:
            return sympy.expand(sympy.Add(*terms))
        if not any(t.has(sympy.Float) for t in terms):
            # exact numbers: sum exactly (the shape sums of a jump cancel exactly against
            # its overlapping pairs), convert once
            total = sympy.expand(sympy.Add(*terms))
            if total.free_symbols:
                raise NotComputableError(
                    f"coefficient {total} has free symbols "
                    f"{sorted(map(str, total.free_symbols))}: substitute values first (net.subs)"
                )
            return complex(total)
        total = 0j
        for t in terms:
            if t.free_symbols:
                raise NotComputableError(
                    f"coefficient {t} has free symbols {sorted(map(str, t.free_symbols))}: "
                    "substitute values first (net.subs)"
                )
            total += complex(t)
        return total

    @property
    def max_locality(self) -> int:
        return max((c.k for c in self.coefficients), default=0)

    def folded(self, exact: bool = False) -> dict:
        r"""``{k: {(c_a, c_b): T_k[c_a, c_b]}}``: the sum over contents of coefficient times
        folded structure (complex, or SymPy if ``exact``)."""
        out: dict = defaultdict(dict)
        for content in self.contents:
            if self._impossible(content):
                continue
            coef = self.coefficient(content, exact)
            if (exact and coef == 0) or (not exact and coef == 0j):
                continue
            block = out[self._block(content)]
            for ca, cb, v in self._fold(content):
                val = coef * _dyadic_to_sympy(v) if exact else coef * v
                block[(ca, cb)] = block.get((ca, cb), 0) + val
        if exact:
            for k in out:
                out[k] = {key: e for key, v in out[k].items() if (e := sympy.expand(v)) != 0}
        return dict(out)


def _shape(key) -> tuple[str, ...]:
    return tuple(sorted(p for _, p in key))


def _disjoint_content(a: tuple, b: tuple) -> Content:
    pairs = [(x, "I") for x in a] + [("I", y) for y in b]
    return Content("D", tuple(sorted(pairs)))


def _pair_content(kp, kq) -> Content:
    dp, dq = dict(kp), dict(kq)
    pairs = [(dp.get(s, "I"), dq.get(s, "I")) for s in sorted(set(dp) | set(dq))]
    return Content("D", tuple(sorted(pairs)))


def add_dissipator(model: LocalModel, gamma, terms: list, shape, disjoint, pair) -> None:
    """Contents of :math:`\\gamma\\mathcal D(L)` for ``terms = [(key, c_P), ...]`` (module
    docstring: shape sums for disjoint pairs, explicit corrections for overlapping ones).

    ``shape(key)`` is what a term's content depends on, ``disjoint(a, b)`` the content of a pair
    of disjoint strings of shapes ``a``, ``b`` and ``pair(kp, kq)`` that of an overlapping pair."""
    by_shape: dict[tuple, list] = defaultdict(list)
    for key, c in terms:
        by_shape[shape(key)].append(c)
    sums = {a: sympy.Add(*cs) for a, cs in by_shape.items()}
    conj = {a: sympy.conjugate(s) for a, s in sums.items()}
    for a, sa in sums.items():
        for b, sb in conj.items():
            model.add(disjoint(a, b), gamma * sa * sb)
    at_site: dict[int, list[int]] = defaultdict(list)
    for i, (key, _) in enumerate(terms):
        for s, _p in key:
            at_site[s].append(i)
    seen: set[tuple[int, int]] = set()
    for idx in at_site.values():
        for i in idx:
            for j in idx:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                kp, cp = terms[i]
                kq, cq = terms[j]
                w = gamma * cp * sympy.conjugate(cq)
                model.add(disjoint(shape(kp), shape(kq)), -w)
                model.add(pair(kp, kq), w)


def local_model(net: QuantumNetwork) -> LocalModel:
    r"""The contents of the network's :math:`A_d` (Hamiltonian and jumps; the SWAP part is
    :math:`-K_cQ_d`, which vanishes on the PI coordinates)."""
    model = LocalModel(net.n)
    hbar = sympy.sympify(net.hbar)
    for key, c in net.hamiltonian.terms.items():
        if key:
            model.add(Content("H", _shape(key)), c / hbar)
    for gamma, l_op in net.jumps:
        terms = list(l_op.terms.items())
        add_dissipator(model, gamma, terms, _shape, _disjoint_content, _pair_content)
    return model
