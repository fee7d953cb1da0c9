r"""The permutation-averaged Lindblad generator behind Definition 2 (operator form of eq. (17)).

Let :math:`S_G = \prod_c S_{C_c}` be the permutations of the sites within each connected
component :math:`C_c` of :math:`G` (the transpositions :math:`U_{jk}` of the edges generate it:
its orbits on the pairs :math:`(l, l')` are the components of :math:`G_d`).  The averaged local
generator :math:`\bar A = \frac1{|S_G|}\sum_{\pi\in S_G}U_\pi A(U_\pi^\dagger\cdot U_\pi)
U_\pi^\dagger` is the Lindblad generator of

.. math::

    \bar H = \frac1{|S_G|}\sum_\pi U_\pi HU_\pi^\dagger,\qquad
    \{(\gamma_l/|S_G|,\ U_\pi L_lU_\pi^\dagger)\},

and :math:`P_d^\top\bar AP_d = P_d^\top A_dP_d` (both average :math:`A_d` over :math:`S_G` on
invariant states).  The average is taken over the images of each operator's *support* only
(the injective maps of the support into the components, :math:`\le n^k` for a :math:`k`-site
term), never over the :math:`n!` permutations.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy

from ..errors import SizeLimitError
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator

__all__ = ["AveragedLindblad", "averaged_lindblad", "MAX_SUPPORT_IMAGES"]

_PAULI = {"X": r"\sigma_x", "Y": r"\sigma_y", "Z": r"\sigma_z"}

#: Largest number of images of one operator's support that the average enumerates.
MAX_SUPPORT_IMAGES = 200_000


@dataclass(frozen=True)
class AveragedLindblad:
    r"""The averaged generator: :math:`\bar H`, the jumps, and their LaTeX.

    ``hamiltonian_terms`` is a tuple of ``(coefficient, tex)``; ``dissipator_terms`` of
    ``(rate, L tex, sum tex)`` where a non-empty ``sum tex`` (``\sum_{j=1}^{n}``) means that
    the dissipator is summed over the sites ``j`` of a component (``L`` written with site
    ``j``)."""

    hamiltonian: SiteOperator
    jumps: tuple
    hamiltonian_terms: tuple
    dissipator_terms: tuple

    def network(self, net: QuantumNetwork) -> QuantumNetwork:
        """``net`` with :math:`\\bar H` and the averaged jumps (same graph, :math:`K_c`, hbar)."""
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
            per.append((mine, list(itertools.permutations(comp, len(mine)))))
    count = 1
    for _, imgs in per:
        count *= len(imgs)
    if count > MAX_SUPPORT_IMAGES:
        raise SizeLimitError(
            f"an operator on sites {support} has {count} images under the permutations of "
            f"the graph's components (at most {MAX_SUPPORT_IMAGES})"
        )
    out = []
    for combo in itertools.product(*(imgs for _, imgs in per)):
        f: dict = {}
        for (mine, _), img in zip(per, combo, strict=True):
            f.update(zip(mine, img, strict=True))
        out.append(f)
    return out


def _relabel(terms: dict, f: dict) -> dict:
    return {tuple(sorted((f[s], p) for s, p in key)): c for key, c in terms.items()}


def _sum_tex(comp: list[int], n: int) -> str:
    if len(comp) == n:
        return rf"\sum_{{j=1}}^{{{n}}}"
    return r"\sum_{j\in\{" + ",".join(map(str, comp)) + r"\}}"


def averaged_lindblad(net: QuantumNetwork) -> AveragedLindblad:
    r""":math:`\bar H` and the averaged jumps of ``net`` (module docstring)."""
    from .latex import operator_latex, single_qubit_latex

    comps = net.graph.components
    comp_of = {s: c for c, comp in enumerate(comps) for s in comp}
    # ---- H: each Pauli string averaged over the images of its own support
    h_avg: dict = {}
    for key, c in net.hamiltonian.terms.items():
        fs = _maps(sorted({s for s, _ in key}), comps) if key else [{}]
        for f in fs:
            new = tuple(sorted((f[s], p) for s, p in key))
            h_avg[new] = h_avg.get(new, sympy.S.Zero) + c / len(fs)
    h_bar = SiteOperator(h_avg)
    h_terms = []
    singles: dict = {}
    rest: dict = {}
    for key, c in h_bar.terms.items():
        if len(key) == 1:
            (s, p) = key[0]
            singles.setdefault((comp_of[s], p), c)
        else:
            rest[key] = c
    for (ci, p), c in sorted(singles.items()):
        comp = comps[ci]
        if len(comp) == 1:
            h_terms.append((c, operator_latex(SiteOperator({((comp[0], p),): 1}))))
        else:
            sym = _PAULI[p]
            h_terms.append((c, rf"{_sum_tex(comp, net.n)}{sym}^{{(j)}}"))
    pairs: dict = {}
    for key, c in rest.items():
        if len(key) == 2 and comp_of[key[0][0]] == comp_of[key[1][0]]:
            a, b = sorted(p for _, p in key)
            pairs.setdefault((comp_of[key[0][0]], a, b), []).append((key, c))
    explicit = dict(rest)
    for (ci, a, b), items in sorted(pairs.items()):
        m = len(comps[ci])
        need = m * (m - 1) // (2 if a == b else 1)
        coeffs = {c for _, c in items}
        if len(items) != need or len(coeffs) != 1 or m < 3:
            continue
        for key, _ in items:
            del explicit[key]
        sa, sb = (_PAULI[a], _PAULI[b])
        rng = r"j<k" if a == b else r"j\neq k"
        if m != net.n:
            rng += r"\in\{" + ",".join(map(str, comps[ci])) + r"\}"
        h_terms.append((coeffs.pop(), rf"\sum_{{{rng}}}{sa}^{{(j)}}{sb}^{{(k)}}"))
    if explicit:
        h_terms.append((sympy.S.One, operator_latex(SiteOperator(explicit))))
    # ---- jumps: the orbit of each L (rate gamma / #images per image), equal ones merged
    merged: dict = {}
    order: list = []
    single_orbits: dict = {}
    single_order: list = []
    for g, l_op in net.jumps:
        support = sorted(l_op.sites)
        fs = _maps(support, comps) if support else [{}]
        if len(support) == 1:
            s = support[0]
            local = SiteOperator(_relabel(l_op.terms, {s: 1}))
            mat = sympy.ImmutableMatrix(local.to_matrix(1, "sympy"))
            k = (comp_of[s], mat)
            if k not in single_orbits:
                single_orbits[k] = sympy.S.Zero
                single_order.append(k)
            single_orbits[k] += g / len(comps[comp_of[s]])
        for f in fs:
            img = SiteOperator(_relabel(l_op.terms, f))
            image_key = frozenset(img.terms.items())
            if image_key not in merged:
                merged[image_key] = [sympy.S.Zero, img, len(support) == 1]
                order.append(image_key)
            merged[image_key][0] += g / len(fs)
    jumps = tuple((sympy.expand(merged[k][0]), merged[k][1]) for k in order)
    d_terms = []
    for k in single_order:
        ci, mat = k
        comp = comps[ci]
        if len(comp) == 1:
            d_terms.append(
                (sympy.expand(single_orbits[k]), single_qubit_latex(mat, comp[0], False), "")
            )
        else:
            d_terms.append(
                (
                    sympy.expand(single_orbits[k]),
                    single_qubit_latex(mat, "j", False),
                    _sum_tex(comp, net.n),
                )
            )
    for k in order:
        rate, img, single = merged[k]
        if not single:
            d_terms.append((sympy.expand(rate), operator_latex(img), ""))
    return AveragedLindblad(h_bar, jumps, tuple(h_terms), tuple(d_terms))
