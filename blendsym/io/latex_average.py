r"""The permutation-averaged Lindblad generator behind Definition 2 (operator form of eq. (17)).

Let :math:`S_G = \prod_c S_{C_c}` be the permutations of the sites within each connected
component :math:`C_c` of :math:`G` (the transpositions :math:`U_{jk}` of the edges generate it:
its orbits on the pairs :math:`(l, l')` are the components of :math:`G_d`).  The averaged local
generator :math:`\bar A = \frac1{|S_G|}\sum_{\pi\in S_G}U_\pi A(U_\pi^\dagger\cdot U_\pi)
U_\pi^\dagger` is the Lindblad generator with

.. math::

    \bar H = \operatorname{avg}_\pi U_\pi HU_\pi^\dagger,\qquad
    \sum_l\gamma_l\operatorname{avg}_\pi\mathcal D(U_\pi L_lU_\pi^\dagger),

and :math:`P_d^\top\bar AP_d = P_d^\top A_dP_d` (both average :math:`A_d` over :math:`S_G` on
invariant states).  Nothing here enumerates :math:`S_G` (:math:`n!` elements) or the images of
a long operator; the cost is polynomial in :math:`n` (linear in the number of Pauli strings):

**Hamiltonian.**  The orbit :math:`O_\tau` of a Pauli string :math:`P` under :math:`S_G` is
fixed by its *type* :math:`\tau` (the multiset of letters on each component), and
:math:`\operatorname{avg}_\pi U_\pi PU_\pi^\dagger = O_\tau/|O_\tau|` with
:math:`|O_\tau| = \prod_c m_c!/(\prod_a k_{c,a}!\,(m_c-k_c)!)`, so
:math:`\bar H = \sum_\tau\big(\sum_{P\in\tau}c_P/|O_\tau|\big)O_\tau`: a 2-local term at
:math:`(j,k)` on a component of :math:`m` sites becomes
:math:`\frac{2}{m(m-1)}\sum_{j<k}` of the same term (same letters) or
:math:`\frac{1}{m(m-1)}\sum_{j\neq k}` (different letters).

**Dissipators.**  With the sesquilinear :math:`\mathcal D(A,B)\rho = A\rho B^\dagger -
\tfrac12\{B^\dagger A,\rho\}` (so :math:`\mathcal D(A) = \mathcal D(A,A)`), each jump
:math:`L` gives exactly one of

1. :math:`\mathcal D(L)` when :math:`L` is invariant (every type of :math:`L` complete with one
   coefficient, e.g. the collective :math:`\sum_j\sigma_-^{(j)}`, which is **not** local):
   every :math:`U_\pi LU_\pi^\dagger = L`;
2. :math:`\frac1{|F|}\sum_{f\in F}\mathcal D(L_f)` for an :math:`L` on few sites: :math:`F`
   the injective maps of the support of :math:`L` into the components (each site within its
   own), :math:`L_f` the relabelled operator (:math:`\pi\mapsto\pi|_{\mathrm{supp}L}` is
   :math:`|S_G|/|F|`-to-one onto :math:`F`); written as a sum over distinct site indices
   (:math:`\sum_{j<k}` with the rate times :math:`k!` when :math:`L` is symmetric in its
   sites), or out in full when :math:`|F|\le` :data:`~blendsym.io.latex_collective.MAX_EXPLICIT_ORBIT`;
3. for :math:`L = S + R` with :math:`S\ne0` invariant and :math:`R` on few sites
   (:math:`S` takes, type by type, the coefficient that more than half of the orbit carries):

   .. math::

       \operatorname{avg}_\pi\mathcal D(S + R_\pi)
         = \mathcal D(\bar L) + \frac1{|F|}\sum_{f\in F}\mathcal D(R_f) - \mathcal D(\bar R),
       \qquad \bar L = S + \bar R,

   because :math:`\mathcal D(S+R_\pi) = \mathcal D(S) + \mathcal D(R_\pi) + \mathcal D(S,R_\pi)
   + \mathcal D(R_\pi,S)` and the cross terms average to :math:`\mathcal D(S,\bar R) +
   \mathcal D(\bar R,S) = \mathcal D(\bar L) - \mathcal D(S) - \mathcal D(\bar R)`.  The rate
   of :math:`\mathcal D(\bar R)` is negative (the sum is still a Lindblad generator: an
   average of Lindblad generators); when :math:`\bar R = \lambda\bar L` the two merge into
   :math:`(1-|\lambda|^2)\mathcal D(\bar L)`.

A jump whose non-invariant part acts on more than
:data:`~blendsym.limits.AVERAGE_FORM_SUPPORT` sites is refused
(:class:`~blendsym.errors.SizeLimitError`).  Equal dissipators of different jumps are merged.
The tests compare the expanded form (:meth:`AveragedLindblad.expanded_jumps`) with the dense
:math:`4^n` average exactly and with :math:`P_d^\top A_dP_d`.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from typing import cast

import sympy

from .._validate import check_limit
from ..errors import SizeLimitError
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator
from .latex_collective import (
    MAX_EXPLICIT_ORBIT,
    CollectiveTerm,
    OperatorSum,
    index_names,
    orbit_form,
    orbit_size,
    orbit_strings,
    sum_prefix,
)

__all__ = ["AveragedLindblad", "AveragedDissipator", "averaged_lindblad", "MAX_SUPPORT_IMAGES"]

#: Largest number of images of one operator's support that :meth:`AveragedLindblad.network`
#: enumerates (the printed form never enumerates them).
MAX_SUPPORT_IMAGES = 200_000

#: Stand-in sites for the summation indices while a template operator is printed.
_PLACEHOLDER = 10**9


@dataclass(frozen=True)
class AveragedDissipator:
    r"""One term :math:`\gamma\,\mathcal D(L)` (``template is None``: ``operator`` is
    :math:`L`) or :math:`\gamma\sum_{f}\mathcal D(T_f)` over the images ``f`` of the support
    of ``template`` (``blocks``: per component ``(support sites, component sites,
    ordered)``; ``ordered`` sums over increasing indices only)."""

    rate: sympy.Expr
    operator: OperatorSum | None = None
    template: SiteOperator | None = None
    blocks: tuple = ()
    n: int = 0

    def images(self):
        """The relabellings ``{support site: image}`` the sum runs over."""
        per = []
        for support, comp, ordered in self.blocks:
            pick = itertools.combinations if ordered else itertools.permutations
            per.append([dict(zip(support, img, strict=True)) for img in pick(comp, len(support))])
        for combo in itertools.product(*per):
            f: dict = {}
            for part in combo:
                f.update(part)
            yield f

    def expand(self) -> list[tuple[sympy.Expr, SiteOperator]]:
        """``[(rate, L), ...]``: the dissipators this term stands for (rates may be negative)."""
        if self.template is None:
            return [(self.rate, cast(OperatorSum, self.operator).expand())]
        t = self.template.terms
        return [(self.rate, SiteOperator(_relabel(t, f))) for f in self.images()]

    def latex(self) -> tuple[str, str]:
        """``(L tex, sum tex)``; ``sum tex`` is empty for a single dissipator."""
        from .latex import operator_latex

        if self.template is None:
            return cast(OperatorSum, self.operator).latex(), ""
        support = [s for sup, _, _ in self.blocks for s in sup]
        names = index_names(len(support))
        place = {s: _PLACEHOLDER + i for i, s in enumerate(support)}
        tex = operator_latex(
            SiteOperator(_relabel(self.template.terms, place)),
            hermitian=False if len(support) == 1 else None,
        )
        for i in range(len(support)):
            tex = tex.replace(f"^{{({_PLACEHOLDER + i})}}", f"^{{({names[i]})}}")
        blocks, pos = [], 0
        for sup, comp, ordered in self.blocks:
            blocks.append((names[pos : pos + len(sup)], comp, ordered))
            pos += len(sup)
        return tex, sum_prefix(blocks, self.n)


class AveragedLindblad:
    r"""The averaged generator: :math:`\bar H` (as an :class:`~blendsym.io.latex_collective.OperatorSum`
    of orbit sums) and the averaged dissipators (:class:`AveragedDissipator`).

    ``hamiltonian_terms`` is a tuple of ``(coefficient, tex)``; ``dissipator_terms`` of
    ``(rate, L tex, sum tex)`` where a non-empty ``sum tex`` (``\sum_{j=1}^{n}``) means that
    the dissipator is summed over site indices (``L`` written with them)."""

    def __init__(self, net: QuantumNetwork, h_form: OperatorSum, dissipators: tuple):
        self._net = net
        self.hamiltonian_form = h_form
        self.dissipators = dissipators

    @property
    def hamiltonian(self) -> SiteOperator:
        r""":math:`\bar H` as Pauli strings (an orbit sum of a :math:`k`-site type has up to
        :math:`n^k` strings)."""
        return self.hamiltonian_form.expand()

    @property
    def hamiltonian_terms(self) -> tuple:
        return tuple((sympy.S.One, t) for t in self.hamiltonian_form.latex_terms())

    @property
    def dissipator_terms(self) -> tuple:
        out = []
        for d in self.dissipators:
            l_tex, sum_tex = d.latex()
            out.append((d.rate, l_tex, sum_tex))
        return tuple(out)

    def expanded_jumps(self) -> list[tuple[sympy.Expr, SiteOperator]]:
        r"""``[(rate, L), ...]`` of the printed form, every sum written out (rates of the
        :math:`-\mathcal D(\bar R)` terms are negative; module docstring)."""
        out = []
        for d in self.dissipators:
            out.extend(d.expand())
        return out

    @property
    def jumps(self) -> tuple:
        """The orbit ``(gamma_l / |F|, L_f)`` of every jump (``MAX_SUPPORT_IMAGES`` images
        each at most), equal ones merged: the literal average, for :meth:`network`."""
        comps = self._net.graph.components
        merged: dict = {}
        for g, l_op in self._net.jumps:
            support = sorted(l_op.sites)
            fs = _maps(support, comps) if support else [{}]
            for f in fs:
                img = SiteOperator(_relabel(l_op.terms, f))
                k = frozenset(img.terms.items())
                rate, _ = merged.get(k, (sympy.S.Zero, img))
                merged[k] = (rate + g / len(fs), img)
        return tuple((sympy.expand(g), img) for g, img in merged.values())

    def network(self, net: QuantumNetwork) -> QuantumNetwork:
        """``net`` with :math:`\\bar H` and the literal averaged jumps (:attr:`jumps`; same
        graph, :math:`K_c`, hbar)."""
        return QuantumNetwork(
            net.n,
            net.graph,
            self.hamiltonian,
            list(self.jumps),
            coupling=net.coupling,
            hbar=net.hbar,
        )


def _maps(support: list[int], comps: list[list[int]]):
    """Every map of ``support`` into the sites that a permutation of :math:`S_G` induces."""
    per = []
    for comp in comps:
        mine = [s for s in support if s in comp]
        if mine:
            per.append((mine, comp))
    count = _image_count(support, comps)
    if count > MAX_SUPPORT_IMAGES:
        raise SizeLimitError(
            f"an operator on sites {support} has {count} images under the permutations of "
            f"the graph's components (at most {MAX_SUPPORT_IMAGES})"
        )
    out = []
    for combo in itertools.product(*(itertools.permutations(c, len(m)) for m, c in per)):
        f: dict = {}
        for (mine, _), img in zip(per, combo, strict=True):
            f.update(zip(mine, img, strict=True))
        out.append(f)
    return out


def _image_count(support, comps) -> int:
    out = 1
    for comp in comps:
        k = len(set(support) & set(comp))
        out *= math.perm(len(comp), k)
    return out


def _relabel(terms: dict, f: dict) -> dict:
    return {tuple(sorted((f[s], p) for s, p in key)): c for key, c in terms.items()}


def _type(key, comp_of) -> tuple:
    per: dict[int, list[str]] = {}
    for s, p in key:
        per.setdefault(comp_of[s], []).append(p)
    return tuple(sorted((c, tuple(sorted(ls))) for c, ls in per.items()))


def _by_type(op: SiteOperator, comp_of) -> dict:
    out: dict = {}
    for key, c in op.terms.items():
        out.setdefault(_type(key, comp_of), {})[key] = c
    return out


def _size(t, comps) -> int:
    return orbit_size(tuple((tuple(comps[ci]), ls) for ci, ls in t))


def _averaged_types(op: SiteOperator, comp_of, comps) -> dict:
    """Coefficient of each orbit sum in :math:`\\operatorname{avg}_\\pi U_\\pi AU_\\pi^\\dagger`."""
    out = {}
    for t, keys in _by_type(op, comp_of).items():
        c = sympy.expand(sympy.Add(*keys.values()) / _size(t, comps))
        if c != 0:
            out[t] = c
    return out


def _split(by_type: dict, comps) -> tuple[dict, dict]:
    """``(S, R)``: the invariant part (orbit coefficients, identity excluded) and the rest
    (Pauli strings) of an operator given by type."""
    s_part: dict = {}
    rest: dict = {}
    for t, keys in by_type.items():
        c0, n0 = Counter(keys.values()).most_common(1)[0]
        size = _size(t, comps)
        if not t or 2 * n0 <= size:
            rest.update(keys)
            continue
        s_part[t] = c0
        for key, c in keys.items():
            if c != c0:
                rest[key] = c - c0
        if len(keys) < size:
            blocks = tuple((tuple(comps[ci]), ls) for ci, ls in t)
            for key in orbit_strings(blocks):
                if key not in keys:
                    rest[key] = -c0
    return s_part, {k: c for k, c in rest.items() if sympy.expand(c) != 0}


def _symmetric(op: SiteOperator, sites: list[int]) -> bool:
    """``op`` unchanged by every permutation of ``sites`` (checked for up to 4 sites)."""
    if len(sites) > 4:
        return False
    terms = op.terms
    for perm in itertools.permutations(sites):
        f = {s: s for s in op.sites} | dict(zip(sites, perm, strict=True))
        if _relabel(terms, f) != terms:
            return False
    return True


def _canonical(op: SiteOperator, blocks) -> tuple:
    """A key equal for operators in one orbit (relabelling tried for up to 4 sites)."""
    support = [s for sup, _, _ in blocks for s in sup]
    shape = tuple((tuple(c), o) for _, c, o in blocks)
    options = []
    per = [
        list(itertools.permutations(sup)) if len(support) <= 4 else [sup] for sup, _, _ in blocks
    ]
    for combo in itertools.product(*per):
        order = [s for part in combo for s in part]
        f = {s: i for i, s in enumerate(order)}
        items = _relabel(op.terms, f)
        options.append(tuple(sorted((k, sympy.srepr(c)) for k, c in items.items())))
    return ("orbit", shape, min(options))


def _orbit(g, op: SiteOperator, comps, comp_of, n, where: str) -> list[tuple]:
    r"""``[(key, AveragedDissipator), ...]`` for :math:`\gamma\operatorname{avg}_\pi\mathcal
    D(U_\pi LU_\pi^\dagger)` of an ``op`` on few sites (case 2 of the module docstring)."""
    support = sorted(op.sites)
    check_limit(
        len(support),
        "AVERAGE_FORM_SUPPORT",
        f"{where}: the part of the jump operator that is not invariant under the permutations "
        "of the graph's components acts on that many sites (Definition 2 in operator form "
        "writes its average as a sum over one index per site)",
    )
    count = _image_count(support, comps)
    one_site_sum = len(support) == 1 and len(comps[comp_of[support[0]]]) >= 2
    if not one_site_sum and count <= MAX_EXPLICIT_ORBIT:
        out = []
        for f in _maps(support, comps) if support else [{}]:
            img = SiteOperator(_relabel(op.terms, f))
            form = OperatorSum((CollectiveTerm(sympy.S.One, "explicit", operator=img),), n, False)
            key = ("op", frozenset(img.terms.items()))
            out.append(((key, sympy.S.One), AveragedDissipator(g / count, form)))
        return out
    blocks = []
    rate = sympy.sympify(g) / count
    for ci, comp in enumerate(comps):
        sup = [s for s in support if comp_of[s] == ci]
        if not sup:
            continue
        ordered = _symmetric(op, sup)
        if ordered:
            rate *= math.factorial(len(sup))
        blocks.append((tuple(sup), tuple(comp), ordered))
    blocks_t = tuple(blocks)
    term = AveragedDissipator(rate, template=op, blocks=blocks_t, n=n)
    return [((_canonical(op, blocks_t), sympy.S.One), term)]


def _pi_term(rate, types: dict, comps, n) -> tuple:
    r"""``((key, scale), term)`` for :math:`\gamma\,\mathcal D(L)` of an invariant :math:`L`;
    the key is :math:`L/c` (:math:`c` its first coefficient, the ``scale``), so that multiples
    merge: :math:`\gamma_1\mathcal D(cL) + \gamma_2\mathcal D(c'L)` is one term."""
    form = orbit_form(types, comps, n, hermitian=False)
    first = types[min(types)]
    key = ("pi", frozenset((t, sympy.expand(c / first)) for t, c in types.items()))
    return ((key, first), AveragedDissipator(sympy.sympify(rate), form))


def _average_jump(i: int, g, l_op: SiteOperator, comps, comp_of, n) -> list[tuple]:
    by_type = _by_type(l_op, comp_of)
    where = f"jumps[{i}]"
    invariant = all(
        len(keys) == _size(t, comps) and len(set(keys.values())) == 1 for t, keys in by_type.items()
    )
    if invariant:
        return [_pi_term(g, {t: next(iter(k.values())) for t, k in by_type.items()}, comps, n)]
    support = sorted(l_op.sites)
    if len(support) <= 4 and _image_count(support, comps) <= MAX_EXPLICIT_ORBIT:
        return _orbit(g, l_op, comps, comp_of, n, where)
    s_part, rest = _split(by_type, comps)
    if not s_part:
        return _orbit(g, l_op, comps, comp_of, n, where)
    r_op = SiteOperator(rest)
    r_bar = _averaged_types(r_op, comp_of, comps)
    l_bar = dict(s_part)
    for t, c in r_bar.items():
        l_bar[t] = sympy.expand(l_bar.get(t, 0) + c)
    l_bar = {t: c for t, c in l_bar.items() if c != 0}
    out = _orbit(g, r_op, comps, comp_of, n, where)
    lam = _ratio(r_bar, l_bar)
    if not r_bar:
        return [_pi_term(g, l_bar, comps, n), *out]
    if lam is not None:
        return [_pi_term(sympy.expand(g * (1 - lam * sympy.conjugate(lam))), l_bar, comps, n), *out]
    return [_pi_term(g, l_bar, comps, n), *out, _pi_term(-g, r_bar, comps, n)]


def _ratio(a: dict, b: dict):
    """``lam`` with ``a = lam * b`` (same keys), else ``None``."""
    if not a or set(a) != set(b):
        return None
    t0 = next(iter(a))
    lam = sympy.simplify(a[t0] / b[t0])
    if all(sympy.expand(a[t] - lam * b[t]) == 0 for t in a):
        return lam
    return None


def averaged_lindblad(net: QuantumNetwork) -> AveragedLindblad:
    r""":math:`\bar H` and the averaged dissipators of ``net`` (module docstring), in a time
    polynomial in :math:`n`."""
    comps = [list(c) for c in net.graph.components]
    comp_of = {s: c for c, comp in enumerate(comps) for s in comp}
    h_form = orbit_form(_averaged_types(net.hamiltonian, comp_of, comps), comps, net.n, True)
    merged: dict = {}
    for i, (g, l_op) in enumerate(net.jumps):
        for (key, scale), d in _average_jump(i, g, l_op, comps, comp_of, net.n):
            if key in merged:  # D(c' L) = |c'/c|^2 D(c L)
                old, old_scale = merged[key]
                ratio = scale / old_scale
                rate = sympy.expand(old.rate + d.rate * ratio * sympy.conjugate(ratio))
                new = AveragedDissipator(rate, old.operator, old.template, old.blocks, old.n)
                merged[key] = (new, old_scale)
            else:
                merged[key] = (d, scale)
    diss = tuple(d for d, _ in merged.values() if sympy.expand(d.rate) != 0)
    return AveragedLindblad(net, h_form, diss)
