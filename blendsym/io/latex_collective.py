r"""Collective sums in the LaTeX of large models: an operator as a short sum of site sums.

A model of :math:`n = 100` qubits written with ``sum_sites`` and ``sum_pairs`` holds thousands
of Pauli strings (:class:`~blendsym.SiteOperator` keeps only the strings, not how they were
written).  :func:`collective_form` finds the sums again, at a cost linear in the number of
strings: it groups the strings

* on one site by the letter (:math:`\sigma_x,\sigma_y,\sigma_z`, or :math:`\sigma_z,\sigma_\pm`
  for a non-Hermitian operator) and the coefficient: a letter with the same coefficient
  :math:`c` on a set :math:`S` of at least :data:`MIN_SUM_SITES` sites is
  :math:`c\sum_{j\in S}\sigma^{(j)}` (:math:`\sum_{j=1}^{n}` for all sites);
* on :math:`k\ge2` sites by their *word* (the letters in the order of the sites): a word
  present on all :math:`\binom nk` site sets with one coefficient is the ordered sum
  :math:`c\sum_{j<k}\sigma_a^{(j)}\sigma_b^{(k)}`, and the words of one letter multiset that
  are all complete with one coefficient merge into the permutation-invariant sum
  :math:`c\sum_{j\neq k}\sigma_a^{(j)}\sigma_b^{(k)}` (an *orbit* sum, below).  A word complete
  but for at most :data:`MAX_CORRECTIONS` strings is printed as the sum plus corrections.

Everything else is written out.  The result is an :class:`OperatorSum`, whose
:meth:`~OperatorSum.expand` rebuilds the operator from the sums (the tests compare it with the
original exactly).

An *orbit sum* over components :math:`C_1,\dots,C_r` of a string type (a multiset of letters
:math:`M_c` on each component) is the sum of all Pauli strings with :math:`|M_c|` factors on
:math:`C_c` carrying the letters :math:`M_c`: the orbit of one such string under
:math:`S_{C_1}\times\dots\times S_{C_r}`.  On one component and for the multiset
:math:`\{a^{k_a}\}` it is printed as

.. math::

    \sum_{j_1<\dots<j_k}\sigma_a^{(j_1)}\cdots\sigma_a^{(j_k)}\ \text{(one letter)},\qquad
    \frac{1}{\prod_a k_a!}\sum_{j_1,\dots,j_k\ \mathrm{distinct}}
      \sigma_{a_1}^{(j_1)}\cdots\sigma_{a_k}^{(j_k)}\ \text{(otherwise)},

with :math:`\sum_{j\neq k}` for two different letters.  The Definition 2 output
(:mod:`blendsym.io.latex_average`) is made of orbit sums (:func:`orbit_form`).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from typing import cast

import sympy
from sympy.utilities.iterables import multiset_permutations

from ..model.operators import SiteOperator, sum_operators

__all__ = [
    "COLLECTIVE_MIN_QUBITS",
    "MIN_SUM_SITES",
    "MAX_CORRECTIONS",
    "MAX_EXPLICIT_ORBIT",
    "CollectiveTerm",
    "OperatorSum",
    "collective_form",
    "orbit_form",
    "orbit_size",
    "orbit_strings",
    "index_names",
    "sum_prefix",
    "local_basis",
    "basis_operator",
]

#: Eq. (4) is written with collective sums from this many qubits on (smaller models keep
#: every term written out).
COLLECTIVE_MIN_QUBITS = 5
#: Fewest sites a single-site sum runs over (fewer are written out).
MIN_SUM_SITES = 3
#: Most strings by which a word may differ from a complete sum and still be printed as one.
MAX_CORRECTIONS = 8
#: Orbits of at most this many strings (or images) are written out in Definition 2.
MAX_EXPLICIT_ORBIT = 6

_PAULI_TEX = {"X": r"\sigma_x", "Y": r"\sigma_y", "Z": r"\sigma_z"}
_BASIS_TEX = {**_PAULI_TEX, "+": r"\sigma_+", "-": r"\sigma_-"}
_HALF = sympy.Rational(1, 2)

Block = tuple[tuple[int, ...], tuple[str, ...]]


def basis_operator(b: str, site: int) -> SiteOperator:
    r"""The basis element ``b`` (``'X'``, ``'Y'``, ``'Z'``, ``'+'``, ``'-'``) on ``site``:
    :math:`\sigma_\pm = (\sigma_x\mp i\sigma_y)/2` (the paper's Section 2.4)."""
    if b in _PAULI_TEX:
        return SiteOperator._from_clean({((site, b),): sympy.Integer(1)})
    sign = -1 if b == "+" else 1
    return SiteOperator._from_clean({((site, "X"),): _HALF, ((site, "Y"),): sign * sympy.I / 2})


def local_basis(letters: dict, hermitian: bool) -> dict[str, sympy.Expr]:
    r"""Coefficients of :math:`\sum_a c_a\sigma_a` in the printed basis: ``X, Y, Z``
    (Hermitian) or ``Z, +, -`` (:math:`c_x\sigma_x + c_y\sigma_y = (c_x+ic_y)\sigma_+ +
    (c_x-ic_y)\sigma_-`); zero coefficients dropped."""
    cx, cy, cz = (letters.get(p, sympy.S.Zero) for p in "XYZ")
    if hermitian:
        raw = {"X": cx, "Y": cy, "Z": cz}
    else:
        raw = {"Z": cz, "+": cx + sympy.I * cy, "-": cx - sympy.I * cy}
    out = {b: sympy.expand(c) for b, c in raw.items()}
    return {b: c for b, c in out.items() if c != 0}


def index_names(k: int) -> list[str]:
    """Summation indices: ``j, k, l`` for up to three sites, ``j_1, ..., j_k`` beyond."""
    return ["j", "k", "l"][:k] if k <= 3 else [f"j_{{{i}}}" for i in range(1, k + 1)]


def _set_tex(sites, n: int) -> str | None:
    r"""``\{1,\dots,50\}`` (runs of three or more compressed); ``None`` for all ``n`` sites."""
    s = sorted(sites)
    if s == list(range(1, n + 1)):
        return None
    parts, start = [], 0
    for i in range(1, len(s) + 1):
        if i == len(s) or s[i] != s[i - 1] + 1:
            run = s[start:i]
            parts.append(rf"{run[0]},\dots,{run[-1]}" if len(run) >= 3 else ",".join(map(str, run)))
            start = i
    return r"\{" + ",".join(parts) + r"\}"


def _condition(idx: list[str], sites, n: int, ordered: bool) -> str:
    s = _set_tex(sites, n)
    within = rf"\in {s}" if s else ""
    k = len(idx)
    if k == 1:
        return idx[0] + within
    if ordered:
        cond = "<".join(idx) if k <= 3 else rf"{idx[0]}<\dots<{idx[-1]}"
        return cond + within
    if k == 2:
        return rf"{idx[0]}\neq {idx[1]}" + within
    names = ",".join(idx) if k <= 3 else rf"{idx[0]},\dots,{idx[-1]}"
    return names + within + r"\ \mathrm{distinct}"


def sum_prefix(blocks: list[tuple[list[str], tuple[int, ...], bool]], n: int) -> str:
    r"""``\sum_{...}`` over the index blocks ``(indices, sites, ordered)``: one index over a run
    of sites is :math:`\sum_{j=a}^{b}`; otherwise the conditions of the blocks
    (:math:`j<k`, :math:`j\neq k`, :math:`j,k,l\ \mathrm{distinct}`, each :math:`\in S` unless
    :math:`S` is all sites) joined by commas."""
    if len(blocks) == 1 and len(blocks[0][0]) == 1:
        (idx,), sites, _ = blocks[0]
        s = sorted(sites)
        if len(s) >= 2 and s == list(range(s[0], s[-1] + 1)):
            return rf"\sum_{{{idx}={s[0]}}}^{{{s[-1]}}}"
    return r"\sum_{" + r",\ ".join(_condition(i, s, n, o) for i, s, o in blocks) + "}"


def _factors(letters, idx) -> str:
    out = []
    pairs = list(zip(letters, idx, strict=True))
    for letter, group in itertools.groupby(pairs, key=lambda t: t[0]):
        g = [i for _, i in group]
        sym = _BASIS_TEX[letter]
        if len(g) >= 5:
            out.append(rf"{sym}^{{({g[0]})}}\cdots {sym}^{{({g[-1]})}}")
        else:
            out.extend(f"{sym}^{{({i})}}" for i in g)
    return "".join(out)


def orbit_size(blocks) -> int:
    r"""Strings in the orbit sum of ``blocks`` (``(sites, letters)`` per component):
    :math:`\prod_c m_c!/(\prod_a k_{c,a}!\,(m_c-k_c)!)`."""
    out = 1
    for sites, letters in blocks:
        m, k = len(sites), len(letters)
        den = math.factorial(m - k)
        for v in Counter(letters).values():
            den *= math.factorial(v)
        out *= math.factorial(m) // den
    return out


def _block_strings(sites, letters, ordered: bool):
    k = len(letters)
    for combo in itertools.combinations(sorted(sites), k):
        words = [tuple(letters)] if ordered else multiset_permutations(sorted(letters))
        for w in words:
            yield tuple(zip(combo, w, strict=True))


def orbit_strings(blocks, ordered: bool = False):
    """The Pauli strings (sorted keys) of an orbit sum (``ordered``: of one word per block,
    letters in the order of the sites)."""
    per = [list(_block_strings(s, ls, ordered)) for s, ls in blocks]
    for combo in itertools.product(*per):
        yield tuple(sorted(itertools.chain.from_iterable(combo)))


@dataclass(frozen=True)
class CollectiveTerm:
    r"""One term of an :class:`OperatorSum`: ``coefficient`` times

    * ``kind="local"``: :math:`\sum_{j\in S}b^{(j)}`, ``blocks = ((S, (b,)),)``, ``b`` a
      :func:`basis_operator` name;
    * ``kind="ordered"``: :math:`\sum_{j_1<\dots<j_k\in S}\sigma_{w_1}^{(j_1)}\cdots`,
      ``blocks = ((S, w),)``;
    * ``kind="orbit"``: the orbit sum of ``blocks`` (module docstring);
    * ``kind="explicit"``: ``operator`` (coefficient 1), written out.
    """

    coefficient: sympy.Expr
    kind: str
    blocks: tuple = ()
    operator: SiteOperator | None = None

    def expand(self) -> SiteOperator:
        """The operator this term stands for."""
        if self.kind == "explicit":
            return cast(SiteOperator, self.operator)
        if self.kind == "local":
            ((sites, (b,)),) = self.blocks
            return sum_operators(self.coefficient * basis_operator(b, j) for j in sites)
        keys = orbit_strings(self.blocks, ordered=self.kind == "ordered")
        return SiteOperator._from_clean({k: self.coefficient for k in keys})

    def latex_terms(self, n: int, hermitian: bool) -> list[str]:
        """The signed terms of the LaTeX."""
        from .latex import _coeff_term, _split_terms, operator_latex

        if self.kind == "explicit":
            op = cast(SiteOperator, self.operator)
            return _split_terms(operator_latex(op, hermitian=hermitian))
        if self.kind == "local":
            ((sites, (b,)),) = self.blocks
            pre = sum_prefix([(["j"], sites, True)], n)
            return [_coeff_term(self.coefficient, f"{pre}{_BASIS_TEX[b]}^{{(j)}}")]
        total = sum(len(ls) for _, ls in self.blocks)
        names = index_names(total)
        blocks, letters, idx_all = [], [], []
        coeff = self.coefficient
        pos = 0
        for sites, ls in self.blocks:
            idx = names[pos : pos + len(ls)]
            pos += len(ls)
            ordered = self.kind == "ordered" or len(set(ls)) == 1
            if not ordered:
                for v in Counter(ls).values():
                    coeff = coeff / math.factorial(v)
            blocks.append((idx, sites, ordered))
            letters.extend(ls)
            idx_all.extend(idx)
        body = sum_prefix(blocks, n) + _factors(letters, idx_all)
        return [_coeff_term(sympy.expand(coeff), body)]


@dataclass(frozen=True)
class OperatorSum:
    """An operator as a sum of :class:`CollectiveTerm` (``hermitian`` selects the printed
    single-site basis)."""

    terms: tuple[CollectiveTerm, ...]
    n: int
    hermitian: bool

    def expand(self) -> SiteOperator:
        """The operator, rebuilt from the sums."""
        return sum_operators(t.expand() for t in self.terms)

    def latex_terms(self) -> list[str]:
        out: list[str] = []
        for t in self.terms:
            out.extend(t.latex_terms(self.n, self.hermitian))
        return out

    def latex(self) -> str:
        from .latex_layout import join_terms

        return join_terms(self.latex_terms())

    def is_collective(self) -> bool:
        """True when some term is a sum (not written out)."""
        return any(t.kind != "explicit" for t in self.terms)


def _explicit(terms: dict) -> list[CollectiveTerm]:
    return [CollectiveTerm(sympy.S.One, "explicit", operator=SiteOperator(terms))] if terms else []


def collective_form(op: SiteOperator, n: int, hermitian: bool | None = None) -> OperatorSum:
    """``op`` on ``n`` qubits with its site sums, pair sums and complete orbits found
    (module docstring); cost linear in the number of Pauli strings."""
    herm = (op.is_hermitian() is True) if hermitian is None else hermitian
    singles: dict[int, dict] = {}
    words: dict[tuple, dict] = {}
    explicit: dict = {}
    for key, c in op.terms.items():
        if not key:
            explicit[key] = c
        elif len(key) == 1:
            singles.setdefault(key[0][0], {})[key[0][1]] = c
        else:
            words.setdefault(tuple(p for _, p in key), {})[tuple(s for s, _ in key)] = c
    local_terms: list[CollectiveTerm] = []
    rest_single: dict = {}
    per_basis: dict[str, dict[int, sympy.Expr]] = {}
    for site, letters in singles.items():
        for b, c in local_basis(letters, herm).items():
            per_basis.setdefault(b, {})[site] = c
    for b in ("X", "Y", "Z", "+", "-"):
        coeffs = per_basis.get(b, {})
        if not coeffs:
            continue
        c0, count = Counter(coeffs.values()).most_common(1)[0]
        group = tuple(sorted(s for s, c in coeffs.items() if c == c0))
        if count >= MIN_SUM_SITES:
            local_terms.append(CollectiveTerm(c0, "local", ((group, (b,)),)))
        else:
            group = ()
        for s, c in coeffs.items():
            if s not in group:
                for k, v in (c * basis_operator(b, s)).terms.items():
                    rest_single[k] = rest_single.get(k, 0) + v
    full: dict[tuple, sympy.Expr] = {}  # complete words -> coefficient
    for word, present in words.items():
        k = len(word)
        total = math.comb(n, k)
        c0, n0 = Counter(present.values()).most_common(1)[0]
        wrong = [(s, c) for s, c in present.items() if c != c0]
        if total >= MIN_SUM_SITES and 2 * n0 > total and total - n0 + len(wrong) <= MAX_CORRECTIONS:
            full[word] = c0
            for s, c in wrong:
                explicit[tuple(zip(s, word, strict=True))] = c - c0
            if n0 + len(wrong) < total:
                for combo in itertools.combinations(range(1, n + 1), k):
                    if combo not in present:
                        explicit[tuple(zip(combo, word, strict=True))] = -c0
        else:
            for s, c in present.items():
                explicit[tuple(zip(s, word, strict=True))] = c
    sums: list[CollectiveTerm] = []
    everything = tuple(range(1, n + 1))
    done: set = set()
    for word, c0 in full.items():
        if word in done:
            continue
        perms = [tuple(p) for p in multiset_permutations(sorted(word))]
        if all(full.get(p) == c0 for p in perms):
            done.update(perms)
            sums.append(CollectiveTerm(c0, "orbit", ((everything, tuple(sorted(word))),)))
        else:
            done.add(word)
            sums.append(CollectiveTerm(c0, "ordered", ((everything, word),)))
    ident = {k: c for k, c in explicit.items() if not k}
    multi = {k: c for k, c in explicit.items() if k}
    terms = _explicit(ident) + local_terms + _explicit(rest_single) + sums + _explicit(multi)
    return OperatorSum(tuple(terms), n, herm)


def orbit_form(types: dict, comps: list[list[int]], n: int, hermitian: bool) -> OperatorSum:
    r"""A permutation-invariant operator :math:`\sum_\tau c_\tau\,O_\tau` given by its
    coefficient on each orbit sum :math:`O_\tau` (``types``: ``{((component index,
    letters), ...): c}``, ``()`` the identity).  Single-site orbits on a component of two or
    more sites are site sums; an orbit of more sites is a sum unless it has at most
    :data:`MAX_EXPLICIT_ORBIT` strings (then it is written out), except that two-site orbits
    on a component of three or more sites are always sums."""
    explicit: dict = {}
    local_terms: list[CollectiveTerm] = []
    sums: list[CollectiveTerm] = []
    singles: dict[int, dict] = {}
    for t, c in types.items():
        if c == 0:
            continue
        if not t:
            explicit[()] = explicit.get((), 0) + c
            continue
        if len(t) == 1 and len(t[0][1]) == 1:
            singles.setdefault(t[0][0], {})[t[0][1][0]] = c
            continue
        blocks = tuple((tuple(comps[ci]), ls) for ci, ls in t)
        size = orbit_size(blocks)
        one = len(t) == 1
        as_sum = size > MAX_EXPLICIT_ORBIT or (
            one and len(t[0][1]) == 2 and len(comps[t[0][0]]) >= 3
        )
        if as_sum:
            sums.append(CollectiveTerm(c, "orbit", blocks))
        else:
            for key in orbit_strings(blocks):
                explicit[key] = explicit.get(key, 0) + c
    for ci in sorted(singles):
        comp = tuple(comps[ci])
        for b, c in local_basis(singles[ci], hermitian).items():
            if len(comp) >= 2:
                local_terms.append(CollectiveTerm(c, "local", ((comp, (b,)),)))
            else:
                for k, v in (c * basis_operator(b, comp[0])).terms.items():
                    explicit[k] = explicit.get(k, 0) + v
    ident = {k: c for k, c in explicit.items() if not k}
    small = {k: c for k, c in explicit.items() if len(k) == 1}
    multi = {k: c for k, c in explicit.items() if len(k) > 1}
    terms = _explicit(ident) + _explicit(small) + local_terms + sums + _explicit(multi)
    return OperatorSum(tuple(terms), n, hermitian)
