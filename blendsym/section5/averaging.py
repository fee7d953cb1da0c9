r"""The permutation average of the local generator and the PI projector (Section 5.2).

:math:`\bar A = \frac1{n!}\sum_\pi A^\pi` (:func:`permutation_averaged_network`), the Lindblad
generator whose restriction to the permutation-invariant operators is Definition 2
(:mod:`blendsym.section5.coherent`), and :math:`\mathcal P_*` as a superoperator
(:func:`pi_projector_superop`).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import scipy.sparse as sp
import sympy

from .._validate import check_qubits
from ..errors import InvalidArgumentError
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator

__all__ = ["permutation_averaged_network", "pi_projector_superop", "relabel_sites"]


def relabel_sites(op: SiteOperator, pi) -> SiteOperator:
    r""":math:`U_\pi\,\mathrm{op}\,U_\pi^\dagger` for a site operator.

    With :math:`U_\pi|q_1\dots q_n\rangle = |q_{\pi(1)}\dots q_{\pi(n)}\rangle`,
    :math:`U_\pi(\bigotimes_iA_i)U_\pi^\dagger = \bigotimes_iA_{\pi(i)}`: the factor that acted on
    site :math:`s` acts on site :math:`\pi^{-1}(s)`.  ``pi`` holds the 1-based images.
    """
    inv = {int(img): i + 1 for i, img in enumerate(pi)}
    terms: dict = {}
    for key, c in op.terms.items():
        new = tuple(sorted((inv[s], p) for s, p in key))
        terms[new] = terms.get(new, 0) + c
    return SiteOperator(terms)


def permutation_averaged_network(net: QuantumNetwork) -> QuantumNetwork:
    r"""The network whose local generator is :math:`\bar A = \frac1{n!}\sum_\pi A^\pi`.

    :math:`\bar H = \frac1{n!}\sum_\pi U_\pi HU_\pi^\dagger` and the jumps
    :math:`\big(\gamma_l\,c/n!,\ U_\pi L_lU_\pi^\dagger\big)` (equal conjugated jumps merged,
    :math:`c` their multiplicity), same graph, :math:`K_c` and :math:`\hbar`.  It is a Lindblad
    generator by construction and, for a connected :math:`G`,
    :math:`P_d^\top\bar AP_d = P_d^\top A_dP_d` and :math:`\bar A\mathcal P_* =
    \mathcal P_*A_d\mathcal P_*` (module docstring).  :math:`n!` terms: ``n <=`` :data:`blendsym.limits.AVERAGED_NETWORK_QUBITS`.
    """
    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
    check_qubits(net.n, "net.n", limit="AVERAGED_NETWORK_QUBITS")
    perms = list(itertools.permutations(range(1, net.n + 1)))
    nf = sympy.Integer(math.factorial(net.n))
    h = sum((relabel_sites(net.hamiltonian, pi) for pi in perms), SiteOperator({})) / nf
    merged: dict = {}
    order = []
    for g, l_op in net.jumps:
        for pi in perms:
            conj = relabel_sites(l_op, pi)
            key = frozenset(conj.terms.items())
            if key not in merged:
                merged[key] = [sympy.S.Zero, conj]
                order.append(key)
            merged[key][0] += g / nf
    jumps = [(sympy.expand(merged[k][0]), merged[k][1]) for k in order]
    return QuantumNetwork(net.n, net.graph, h, jumps, coupling=net.coupling, hbar=net.hbar)


def pi_projector_superop(n: int) -> sp.csr_matrix:
    r""":math:`\mathcal P_*` as a :math:`4^n\times4^n` CSR matrix (row stacking): the average over
    each :math:`S_n`-orbit of node pairs, i.e. :math:`P_dP_d^\top` for a connected graph."""
    from ..model.permutations import orbit_labels

    labels = orbit_labels(n)
    sizes = np.bincount(labels)
    e = sp.csr_matrix((np.ones(labels.size), (np.arange(labels.size), labels)))
    return (e @ sp.diags(1.0 / sizes) @ e.T).tocsr()
